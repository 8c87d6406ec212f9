//! Extra checks against the distilled tables when they are on this machine (skipped with a
//! message otherwise): the Rust tokenizer gives the same teacher ids, and the same vector,
//! as the Python reference `StaticModel` in tools/distill_static_embeddings.py.
//!
//! The expected values were produced once by that reference on
//! /tmp/teacher/static_all_int8.safetensors; unknown characters are -1.

use std::path::Path;

use super::tests::ok;
use super::*;

const INT8_TABLE: &str = "/tmp/teacher/static_all_int8.safetensors";
const F16_TABLE: &str = "/tmp/teacher/static.safetensors";

fn load_if_present(path: &str) -> Option<StaticEmbeddings> {
    if !Path::new(path).exists() {
        eprintln!("skipped: {path} is not on this machine");
        return None;
    }
    Some(ok(StaticEmbeddings::load(Path::new(path)), path))
}

#[test]
fn segmentation_and_vectors_match_the_python_reference() {
    let Some(table) = load_if_present(INT8_TABLE) else {
        return;
    };
    assert_eq!(table.dims(), 128);
    assert_matches_the_reference(&table, REFERENCE);
}

/// Each text cut into the reference's teacher ids (-1: unknown), and its vector starting
/// with the reference's values.
fn assert_matches_the_reference<const HEAD: usize>(
    table: &StaticEmbeddings,
    reference: &[(&str, &[i32], [f32; HEAD])],
) {
    for (text, expected_ids, expected_head) in reference {
        let ids: Vec<i32> = table
            .segment(text)
            .into_iter()
            .map(|row| row.and_then(|row| table.teacher_id(row)).unwrap_or(-1))
            .collect();
        assert_eq!(&ids, expected_ids, "{text:?}");
        let vector = table.embed(text).unwrap_or_default();
        assert_eq!(vector.len(), table.dims(), "{text:?}");
        for (actual, expected) in vector.iter().zip(expected_head) {
            assert!((actual - expected).abs() < 1e-4, "{text:?}: {vector:?}");
        }
    }
}

#[test]
fn the_f16_table_loads_and_embeds_translations_close_together() {
    let Some(table) = load_if_present(F16_TABLE) else {
        return;
    };
    assert_eq!(table.dims(), 128);
    let english = table
        .embed("who controls the nuclear plant?")
        .unwrap_or_default();
    let ukrainian = table
        .embed("хто контролює атомну станцію?")
        .unwrap_or_default();
    let recipe = table
        .embed("the recipe needs two cups of flour")
        .unwrap_or_default();
    assert!(cosine(&english, &ukrainian) > cosine(&english, &recipe));
}

const REFERENCE: &[(&str, &[i32], [f32; 4])] = &[
    (
        "who controls the nuclear plant?",
        &[2750, 6226, 7, 70, 72249, 18153, 32],
        [-0.568798, 0.029133, -0.122329, 0.039942],
    ),
    (
        "хто контролює атомну станцію?",
        &[11501, 61164, 4108, 80814, 957, 20197, 27671, 32],
        [0.008901, -0.023816, -0.039122, -0.074502],
    ),
    (
        "кто контролирует атомную станцию?",
        &[7193, 16788, 32302, 80814, 3795, 20197, 22959, 32],
        [0.067233, -0.126465, -0.020063, -0.139796],
    ),
    (
        "Is the Zaporizhzhia NPP being used to mine Bitcoin?",
        &[
            2071, 70, 104871, 14096, 127, 47311, 11, 541, 17487, 8035, 11814, 47, 5665, 26999, 32,
        ],
        [-0.326583, 0.157146, 0.003931, 0.154202],
    ),
    (
        "Чи правда, що на Запорізькій АЕС майнять біткоїн?",
        &[
            13578, 35246, 4, 899, 29, 201696, 2800, 536, 42206, 9778, 61949, 28069, 41817, 2401,
            303, 32,
        ],
        [-0.111761, 0.257621, 0.135697, 0.16886],
    ),
    (
        "Правда ли, что на Запорожской АЭС майнят биткоин?",
        &[
            93461, 1656, 4, 414, 29, 111535, 21397, 5902, 536, 72965, 9778, 23059, 1623, 41817,
            2557, 32,
        ],
        [0.001267, 0.190116, 0.172415, 0.124345],
    ),
    (
        "what did the US and Russia discuss about ZNPP",
        &[
            2367, 6777, 70, 7082, 136, 49002, 45252, 1672, 6, 67295, 17487,
        ],
        [0.069596, 0.169092, -0.172267, -0.148065],
    ),
    (
        "що сказало МАГАТЕ про станцію?",
        &[899, 13398, 197, 1435, 137078, 27817, 591, 20197, 27671, 32],
        [0.012081, 0.043273, -0.059782, -0.019785],
    ),
    (
        "что сказало МАГАТЭ об этой станции?",
        &[
            414, 13398, 197, 1435, 137078, 137002, 1086, 10757, 162717, 32,
        ],
        [0.162288, 0.220821, 0.023222, -0.003828],
    ),
    (
        "café, naïve résumé — «déjà vu» №5",
        &[
            26216, 4, 24, 9392, 272, 233482, 292, 94, 11056, 170, 1298, 13946, 167, 438, 758,
        ],
        [-0.266579, 0.074697, 0.009374, 0.306608],
    ),
    (
        "bitcoin 🚀🚀 to the moon 🌕!!",
        &[76092, 6, -1, -1, 47, 70, 6, 59533, 6, -1, 1146],
        [0.02367, 0.072787, 0.194195, 0.10001],
    ),
    (
        "Енергодар / Energodar: who owns the mined BTC?",
        &[
            2578, 14307, 695, 2562, 248, 6, 71185, 31, 1506, 12, 2750, 10002, 7, 70, 881, 297, 335,
            20499, 32,
        ],
        [-0.185699, 0.128921, 0.225531, 0.136697],
    ),
    (
        "  leading   and    trailing   spaces  ",
        &[105207, 136, 141037, 214, 32628, 7, 6],
        [0.026394, -0.070164, 0.198691, -0.046918],
    ),
    (
        "ＦＵＬＬＷＩＤＴＨ text and ﬁ ligature",
        &[167765, 1456, 7146, 23415, 7986, 136, 809, 19881, 6644],
        [4.7e-05, 0.00035, 0.126828, -0.018388],
    ),
    (
        "м'ята, мʼята, м’ята — апостроф",
        &[
            3204, 25, 17827, 4, 3204, 47241, 17827, 4, 3204, 26, 17827, 292, 252, 75437, 143377,
        ],
        [0.085485, 0.172838, -0.044655, 0.020287],
    ),
    (
        "ЗАЕС, ЗАЭС, ZNPP… 100% $5,000 ₴ ₽ €",
        &[
            6910, 42206, 4, 6910, 72965, 4, 6, 67295, 17487, 27, 3555, 3650, 26738, 6, 246241, 6,
            249674, 2505,
        ],
        [-0.232287, 0.147137, -0.024374, 0.041736],
    ),
    (
        "Україна не брала участі в переговорах",
        &[28105, 77, 24562, 551, 98354, 49, 1741, 14628, 1214],
        [-0.137672, 0.106756, 0.102295, -0.004662],
    ),
    (
        "Украина не участвовала в переговорах",
        &[70570, 77, 210551, 59, 49, 1741, 14628, 1214],
        [0.042683, 0.098072, 0.045338, 0.071469],
    ),
    (
        "tab\tand\nnewline text",
        &[20928, 136, 3525, 2256, 7986],
        [-0.06231, 0.032373, 0.042558, -0.15251],
    ),
    (
        "日本語 mixed with English and русский",
        &[6, -1, -1, -1, 17664, 297, 678, 14941, 136, 163632],
        [0.063775, 0.089101, -0.013154, -0.095988],
    ),
    ("", &[6], [0.288737, -0.236446, 0.020462, 0.025009]),
    (
        "▁already marked",
        &[21771, 94419],
        [0.281065, 0.104748, -0.193473, -0.061693],
    ),
];

/// The shipped table (distilled, then trained by tools/train_static_embeddings.py),
/// segmented and embedded by the Python reference (`StaticModel` in
/// tools/distill_static_embeddings.py) on the same file: teacher ids, first values.
const SHIPPED_REFERENCE: &[(&str, &[i32], [f32; 4])] = &[
    (
        "who controls the nuclear plant?",
        &[2750, 6226, 7, 70, 315, 11030, 147, 18153, 32],
        [0.116451, 0.07901, 0.020076, 0.064527],
    ),
    (
        "хто контролює атомну станцію?",
        &[11501, 61164, 4108, 80814, 957, 20197, 27671, 32],
        [-0.212884, 0.297863, 0.014802, -0.141145],
    ),
    (
        "кто контролирует атомную станцию?",
        &[7193, 16788, 32302, 80814, 3795, 20197, 22959, 32],
        [-0.148118, 0.300238, -0.093732, -0.020078],
    ),
];

#[test]
fn the_shipped_table_loads_and_matches_the_python_reference() {
    let Some(table) = shipped() else {
        panic!("the built-in embedding table does not parse");
    };
    assert_eq!((table.piece_count(), table.dims()), (60_000, 64));
    assert_matches_the_reference(table, SHIPPED_REFERENCE);
}

#[test]
fn the_shipped_table_puts_one_question_in_two_languages_nearer_than_another_subject() {
    let Some(table) = shipped() else {
        panic!("the built-in embedding table does not parse");
    };
    let embed = |text: &str| table.embed(text).unwrap_or_default();
    let ukrainian = embed("хто контролює атомну станцію?");
    let russian = embed("кто контролирует атомную станцию?");
    let rice = embed("best way to reheat leftover rice");
    assert!(cosine(&ukrainian, &russian) > 0.7);
    assert!(cosine(&ukrainian, &rice) < 0.2);
}
