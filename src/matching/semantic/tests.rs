//! Tests over a tiny table built in the test: tokenization, embedding, broken files.
//! `real_table` adds checks against the distilled table when it is on this machine.

use proptest::prelude::*;
use serde_json::json;

use super::*;

/// Unwraps a result in a test, naming what failed (the crate denies `unwrap`).
pub(super) fn ok<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("{what}: {error}"),
    }
}

/// One tensor of a test file: name, safetensors dtype, shape and little-endian bytes.
#[derive(Clone)]
struct RawTensor {
    name: &'static str,
    dtype: &'static str,
    shape: Vec<u64>,
    bytes: Vec<u8>,
}

impl RawTensor {
    fn new(name: &'static str, dtype: &'static str, shape: Vec<u64>, bytes: Vec<u8>) -> Self {
        RawTensor {
            name,
            dtype,
            shape,
            bytes,
        }
    }

    fn u32s(name: &'static str, values: &[u32]) -> Self {
        let bytes = values
            .iter()
            .flat_map(|value| value.to_le_bytes())
            .collect();
        RawTensor::new(name, "U32", vec![values.len() as u64], bytes)
    }

    fn f32s(name: &'static str, values: &[f32]) -> Self {
        let bytes = values
            .iter()
            .flat_map(|value| value.to_le_bytes())
            .collect();
        RawTensor::new(name, "F32", vec![values.len() as u64], bytes)
    }
}

/// A safetensors file: the 8-byte header length, the JSON header, the data.
fn safetensors_bytes(tensors: &[RawTensor], metadata: &[(&str, &str)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut data = Vec::new();
    for tensor in tensors {
        let start = data.len();
        data.extend_from_slice(&tensor.bytes);
        header.insert(
            tensor.name.to_string(),
            json!({"dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [start, data.len()]}),
        );
    }
    let metadata: serde_json::Map<String, serde_json::Value> = metadata
        .iter()
        .map(|(key, value)| (key.to_string(), json!(value)))
        .collect();
    header.insert(
        "__metadata__".to_string(),
        serde_json::Value::Object(metadata),
    );
    let header = serde_json::Value::Object(header).to_string().into_bytes();
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&data);
    bytes
}

/// The tiny vocabulary: piece and score. Row numbers are the positions here.
const TINY_PIECES: &[(&str, f32)] = &[
    ("▁a", -1.5),   // 0
    ("bc", -1.0),   // 1
    ("▁ab", -3.0),  // 2
    ("a", -2.0),    // 3
    ("b", -2.0),    // 4
    ("c", -2.0),    // 5
    ("▁b", -2.5),   // 6
    ("▁при", -2.0), // 7
    ("віт", -2.0),  // 8
    ("в", -3.0),    // 9
    ("і", -3.0),    // 10
    ("т", -3.0),    // 11
];

/// The tiny normalizer: 'A' → 'a', no-break space → space, zero-width space deleted,
/// the "ﬁ" ligature → "bc" (two code points).
const TINY_NORMALIZER: &[(u32, &[u32])] = &[
    (0x41, &[0x61]),
    (0xA0, &[0x20]),
    (0x200B, &[]),
    (0xFB01, &[0x62, 0x63]),
];

const TINY_DIMS: usize = 4;

/// Row vectors: "▁a" and "bc" are unit axes, "▁b" has length 2, the rest are ones.
fn tiny_row(row: usize) -> [f32; TINY_DIMS] {
    match row {
        0 => [1.0, 0.0, 0.0, 0.0],
        1 => [0.0, 1.0, 0.0, 0.0],
        6 => [0.0, 0.0, 2.0, 0.0],
        _ => [1.0, 1.0, 1.0, 1.0],
    }
}

#[derive(Clone, Copy, Debug)]
enum Encoding {
    F16,
    I8,
}

/// Half-precision bits of a value that has an exact half representation (tests only).
fn f16_bits(value: f32) -> u16 {
    if value == 0.0 {
        return 0;
    }
    let bits = value.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exponent = ((bits >> 23) & 0xff) as i32 - 127 + 15;
    let mantissa = ((bits >> 13) & 0x3ff) as u16;
    sign | ((exponent as u16) << 10) | mantissa
}

/// The tensors of the tiny table in `encoding`.
fn tiny_tensors(encoding: Encoding) -> Vec<RawTensor> {
    let count = TINY_PIECES.len();
    let rows: Vec<[f32; TINY_DIMS]> = (0..count).map(tiny_row).collect();
    let shape = vec![count as u64, TINY_DIMS as u64];
    let mut tensors = match encoding {
        Encoding::F16 => {
            let bytes = rows
                .iter()
                .flatten()
                .flat_map(|&value| f16_bits(value).to_le_bytes())
                .collect();
            vec![RawTensor::new("embeddings", "F16", shape, bytes)]
        }
        Encoding::I8 => {
            let scales: Vec<f32> = rows
                .iter()
                .map(|row| row.iter().fold(0.0f32, |max, value| max.max(value.abs())) / 127.0)
                .collect();
            let bytes = rows
                .iter()
                .zip(&scales)
                .flat_map(|(row, scale)| row.map(|value| (value / scale).round() as i8 as u8))
                .collect();
            vec![
                RawTensor::new("embeddings", "I8", shape, bytes),
                RawTensor::f32s("scales", &scales),
            ]
        }
    };
    let scores: Vec<f32> = TINY_PIECES.iter().map(|(_, score)| *score).collect();
    let mut offsets = vec![0u32];
    let mut piece_bytes = Vec::new();
    for (piece, _) in TINY_PIECES {
        piece_bytes.extend_from_slice(piece.as_bytes());
        offsets.push(piece_bytes.len() as u32);
    }
    let teacher_ids: Vec<u8> = (0..count as i32)
        .flat_map(|row| (1000 + row).to_le_bytes())
        .collect();
    let mut norm_offsets = vec![0u32];
    let mut norm_out = Vec::new();
    for (_, replacement) in TINY_NORMALIZER {
        norm_out.extend_from_slice(replacement);
        norm_offsets.push(norm_out.len() as u32);
    }
    let norm_cp: Vec<u32> = TINY_NORMALIZER.iter().map(|(cp, _)| *cp).collect();
    tensors.extend([
        RawTensor::f32s("scores", &scores),
        RawTensor::u32s("piece_offsets", &offsets),
        RawTensor::new(
            "piece_bytes",
            "U8",
            vec![piece_bytes.len() as u64],
            piece_bytes,
        ),
        RawTensor::new("teacher_ids", "I32", vec![count as u64], teacher_ids),
        RawTensor::u32s("norm_cp", &norm_cp),
        RawTensor::u32s("norm_offsets", &norm_offsets),
        RawTensor::u32s("norm_out", &norm_out),
    ]);
    tensors
}

const TINY_METADATA: &[(&str, &str)] = &[("format", TABLE_FORMAT), ("unk_score", "-30.0")];

fn tiny_bytes(encoding: Encoding) -> Vec<u8> {
    safetensors_bytes(&tiny_tensors(encoding), TINY_METADATA)
}

fn tiny_table(encoding: Encoding) -> StaticEmbeddings {
    ok(
        parse_table(&tiny_bytes(encoding), owned_bytes),
        "tiny table",
    )
}

/// The tiny table's tensors with `name` replaced by `tensor`.
fn tiny_bytes_with(tensor: RawTensor) -> Vec<u8> {
    let tensors: Vec<RawTensor> = tiny_tensors(Encoding::F16)
        .into_iter()
        .map(|old| {
            if old.name == tensor.name {
                tensor.clone()
            } else {
                old
            }
        })
        .collect();
    safetensors_bytes(&tensors, TINY_METADATA)
}

/// Asserts that `bytes` is refused with a reason containing `expected`.
fn assert_refused(bytes: &[u8], expected: &str) {
    match parse_table(bytes, owned_bytes) {
        Ok(_) => panic!("a broken table was accepted (expected {expected:?})"),
        Err(reason) => assert!(
            reason.contains(expected),
            "reason {reason:?} does not mention {expected:?}"
        ),
    }
}

fn assert_close(actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 1e-5, "{actual:?} vs {expected:?}");
    }
}

// ---------------------------------------------------------------------- tokenization

#[test]
fn viterbi_picks_the_best_scoring_split_not_the_longest_piece() {
    let table = tiny_table(Encoding::F16);
    // "▁a" + "bc" scores -2.5; greedy longest match "▁ab" + "c" would score -5.
    assert_eq!(table.pieces("abc"), vec![0, 1]);
    // Cyrillic pieces are looked up by their UTF-8 bytes like any other.
    assert_eq!(table.pieces("привіт"), vec![7, 8]);
}

#[test]
fn unknown_characters_have_no_row_and_are_skipped() {
    let table = tiny_table(Encoding::F16);
    assert_eq!(table.segment("a€b"), vec![Some(0), None, Some(4)]);
    assert_eq!(table.pieces("a€b"), vec![0, 4]);
    // A lone word marker is not a piece of the tiny table either.
    assert_eq!(table.segment(""), vec![None]);
    assert_eq!(table.pieces(""), Vec::<u32>::new());
}

#[test]
fn the_normalizer_maps_deletes_and_expands_code_points() {
    let table = tiny_table(Encoding::F16);
    assert_eq!(table.pieces("Abc"), vec![0, 1]);
    assert_eq!(table.pieces("a\u{200B}bc"), vec![0, 1]);
    // The ligature expands to "bc": "▁a" + "bc" as for "abc".
    assert_eq!(table.segment("a\u{FB01}"), vec![Some(0), Some(1)]);
}

#[test]
fn double_spaces_collapse_after_normalising() {
    let table = tiny_table(Encoding::F16);
    assert_eq!(table.segment("a   b"), vec![Some(0), Some(6)]);
    // Two no-break spaces become two spaces, then one.
    assert_eq!(table.segment("a\u{A0}\u{A0}b"), vec![Some(0), Some(6)]);
}

#[test]
fn spaces_become_word_markers_and_a_leading_one_is_not_doubled() {
    let table = tiny_table(Encoding::F16);
    assert_eq!(table.segment("a b"), vec![Some(0), Some(6)]);
    assert_eq!(table.segment("b a"), vec![Some(6), Some(0)]);
    assert_eq!(table.segment("  a"), vec![Some(0)]);
    assert_eq!(table.segment(" a"), vec![Some(0)]);
    // A word marker typed by the user is an ordinary character, so a space is still
    // prepended: "▁▁a".
    assert_eq!(table.segment("▁a"), vec![None, Some(0)]);
}

#[test]
fn only_the_first_max_text_chars_are_segmented() {
    let table = tiny_table(Encoding::F16);
    let long = "a b ".repeat(10_000);
    let head: String = long.chars().take(MAX_TEXT_CHARS).collect();
    assert_eq!(table.pieces(&long), table.pieces(&head));
    assert_eq!(table.pieces(&head).len(), MAX_TEXT_CHARS / 2);
}

// ------------------------------------------------------------------------- embedding

#[test]
fn embed_is_the_normalised_mean_of_the_rows_for_both_encodings() {
    for encoding in [Encoding::F16, Encoding::I8] {
        let table = tiny_table(encoding);
        assert_eq!(table.dims(), TINY_DIMS);
        assert_eq!(table.piece_count(), TINY_PIECES.len());
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert_close(
            &table.embed("abc").unwrap_or_default(),
            &[half, half, 0.0, 0.0],
        );
        // Mean of [1,0,0,0] and [0,0,2,0] is [0.5,0,1,0]; its norm is √1.25.
        let norm = 1.25f32.sqrt();
        assert_close(
            &table.embed("a b").unwrap_or_default(),
            &[0.5 / norm, 0.0, 1.0 / norm, 0.0],
        );
        let vector = table.embed("привіт").unwrap_or_default();
        assert_close(&[cosine(&vector, &vector)], &[1.0]);
    }
}

#[test]
fn embed_is_none_when_no_piece_has_a_row() {
    let table = tiny_table(Encoding::I8);
    assert_eq!(table.embed(""), None);
    assert_eq!(table.embed("€€ €"), None);
}

#[test]
fn teacher_ids_follow_the_rows() {
    let table = tiny_table(Encoding::F16);
    assert_eq!(table.teacher_id(0), Some(1000));
    assert_eq!(table.teacher_id(11), Some(1011));
    assert_eq!(table.teacher_id(12), None);
}

#[test]
fn half_precision_converts_exactly() {
    assert_eq!(f16_to_f32(0x0000), 0.0);
    assert!(f16_to_f32(0x8000).is_sign_negative());
    assert_eq!(f16_to_f32(0x3c00), 1.0);
    assert_eq!(f16_to_f32(0xc000), -2.0);
    assert_eq!(f16_to_f32(0x7bff), 65504.0);
    assert_eq!(f16_to_f32(0x0400), 2f32.powi(-14));
    assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
    assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
    assert!(f16_to_f32(0x7e00).is_nan());
    // Every finite half against the definition, in f64.
    for bits in 0..=u16::MAX {
        let exponent = i32::from((bits >> 10) & 0x1f);
        if exponent == 0x1f {
            continue;
        }
        let mantissa = f64::from(bits & 0x3ff);
        let magnitude = if exponent == 0 {
            mantissa * 2f64.powi(-24)
        } else {
            (1.0 + mantissa / 1024.0) * 2f64.powi(exponent - 15)
        };
        let expected = if bits & 0x8000 == 0 {
            magnitude
        } else {
            -magnitude
        };
        assert_eq!(f64::from(f16_to_f32(bits)), expected, "bits {bits:#06x}");
    }
}

// ---------------------------------------------------------------------- broken files

#[test]
fn files_too_short_or_with_a_bad_header_are_refused() {
    assert_refused(&[], "too short");
    assert_refused(&[1, 2, 3], "too short");
    let mut bytes = tiny_bytes(Encoding::F16);
    bytes[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_refused(&bytes, "the header claims");
    let mut not_json = 9u64.to_le_bytes().to_vec();
    not_json.extend_from_slice(b"not json!");
    assert_refused(&not_json, "not a JSON object");
    let mut list = 2u64.to_le_bytes().to_vec();
    list.extend_from_slice(b"[]");
    assert_refused(&list, "not a JSON object");
    let mut extra_field =
        br#"{"scores":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":1}}"#.to_vec();
    let mut bytes = (extra_field.len() as u64).to_le_bytes().to_vec();
    bytes.append(&mut extra_field);
    assert_refused(&bytes, "tensor scores");
}

#[test]
fn every_truncation_of_a_table_is_refused() {
    let bytes = tiny_bytes(Encoding::I8);
    for length in 0..bytes.len() {
        assert!(
            parse_table(&bytes[..length], owned_bytes).is_err(),
            "cut at {length} was accepted"
        );
    }
}

#[test]
fn wrong_dtypes_and_inconsistent_shapes_are_refused() {
    let f32_rows = RawTensor::new("embeddings", "F32", vec![12, 4], vec![0; 12 * 4 * 4]);
    assert_refused(&tiny_bytes_with(f32_rows), "expected F16 or I8");
    let f16_scores = RawTensor::new("scores", "F16", vec![12], vec![0; 24]);
    assert_refused(&tiny_bytes_with(f16_scores), "has dtype F16, expected F32");
    assert_refused(
        &tiny_bytes_with(RawTensor::f32s("scores", &[-1.0; 11])),
        "expected 12",
    );
    let flat_rows = RawTensor::new("embeddings", "F16", vec![48], vec![0; 96]);
    assert_refused(&tiny_bytes_with(flat_rows), "expected [pieces, dims]");
    let short_data = RawTensor::new("embeddings", "F16", vec![12, 4], vec![0; 95]);
    assert_refused(&tiny_bytes_with(short_data), "needs 96");
    let huge_shape = RawTensor::new("embeddings", "F16", vec![u64::MAX, 4], vec![]);
    assert_refused(&tiny_bytes_with(huge_shape), "impossible shape");
    let no_teacher_ids: Vec<RawTensor> = tiny_tensors(Encoding::F16)
        .into_iter()
        .filter(|tensor| tensor.name != "teacher_ids")
        .collect();
    assert_refused(
        &safetensors_bytes(&no_teacher_ids, TINY_METADATA),
        "teacher_ids is missing",
    );
    let no_scales: Vec<RawTensor> = tiny_tensors(Encoding::I8)
        .into_iter()
        .filter(|tensor| tensor.name != "scales")
        .collect();
    assert_refused(
        &safetensors_bytes(&no_scales, TINY_METADATA),
        "scales is missing",
    );
}

#[test]
fn data_offsets_outside_the_file_are_refused() {
    let mut header = br#"{"__metadata__":{"format":"factdesk-static-embeddings/1","unk_score":"-30"},"embeddings":{"dtype":"F16","shape":[1,1],"data_offsets":[0,2]}}"#.to_vec();
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.append(&mut header);
    bytes.push(0);
    assert_refused(&bytes, "outside the 1 data bytes");
}

#[test]
fn bad_pieces_are_refused() {
    let mut valid_offsets = vec![0u32];
    for (piece, _) in TINY_PIECES {
        valid_offsets.push(valid_offsets[valid_offsets.len() - 1] + piece.len() as u32);
    }
    let mut beyond = valid_offsets.clone();
    beyond[12] = 10_000;
    assert_refused(
        &tiny_bytes_with(RawTensor::u32s("piece_offsets", &beyond)),
        "piece 11 has offsets",
    );
    let mut descending = valid_offsets.clone();
    descending[5] = 1;
    assert_refused(
        &tiny_bytes_with(RawTensor::u32s("piece_offsets", &descending)),
        "piece 4 has offsets 12..1 outside",
    );
    // Piece 0 is "▁a": ending it after the first byte of "▁" cuts a character.
    let mut inside_a_character = valid_offsets.clone();
    inside_a_character[1] = 1;
    assert_refused(
        &tiny_bytes_with(RawTensor::u32s("piece_offsets", &inside_a_character)),
        "piece 0 has offsets 0..1 outside the 39 piece bytes or inside a character",
    );
    let mut not_utf8 = Vec::new();
    for (piece, _) in TINY_PIECES {
        not_utf8.extend_from_slice(piece.as_bytes());
    }
    not_utf8[0] = 0xff;
    let length = not_utf8.len() as u64;
    let bad_bytes = RawTensor::new("piece_bytes", "U8", vec![length], not_utf8);
    assert_refused(&tiny_bytes_with(bad_bytes), "the piece bytes are not UTF-8");
    let mut same_text = Vec::new();
    for _ in TINY_PIECES {
        same_text.extend_from_slice(b"x");
    }
    let repeated = RawTensor::new("piece_bytes", "U8", vec![12], same_text);
    let offsets: Vec<u32> = (0..13).collect();
    let mut bytes = tiny_bytes_with(RawTensor::u32s("piece_offsets", &offsets));
    // Replace piece_bytes in that file too: build it from scratch instead.
    let tensors: Vec<RawTensor> = tiny_tensors(Encoding::F16)
        .into_iter()
        .map(|tensor| match tensor.name {
            "piece_offsets" => RawTensor::u32s("piece_offsets", &offsets),
            "piece_bytes" => repeated.clone(),
            _ => tensor,
        })
        .collect();
    bytes.clear();
    bytes.extend(safetensors_bytes(&tensors, TINY_METADATA));
    assert_refused(&bytes, "piece 1 repeats piece 0");
    let empty: Vec<u32> = (0..13).map(|index| index.max(1)).collect();
    let tensors: Vec<RawTensor> = tiny_tensors(Encoding::F16)
        .into_iter()
        .map(|tensor| match tensor.name {
            "piece_offsets" => RawTensor::u32s("piece_offsets", &empty),
            "piece_bytes" => repeated.clone(),
            _ => tensor,
        })
        .collect();
    assert_refused(
        &safetensors_bytes(&tensors, TINY_METADATA),
        "piece 0 is empty",
    );
    let long_piece = "x".repeat(MAX_PIECE_CHARS + 1);
    let mut long_offsets: Vec<u32> = vec![0];
    long_offsets.extend((0..12).map(|index| long_piece.len() as u32 + index));
    let mut long_bytes = long_piece.into_bytes();
    long_bytes.extend_from_slice(b"abcdefghijk");
    let length = long_bytes.len() as u64;
    let tensors: Vec<RawTensor> = tiny_tensors(Encoding::F16)
        .into_iter()
        .map(|tensor| match tensor.name {
            "piece_offsets" => RawTensor::u32s("piece_offsets", &long_offsets),
            "piece_bytes" => RawTensor::new("piece_bytes", "U8", vec![length], long_bytes.clone()),
            _ => tensor,
        })
        .collect();
    assert_refused(&safetensors_bytes(&tensors, TINY_METADATA), "more than 64");
}

#[test]
fn bad_normalizers_are_refused() {
    let unsorted = RawTensor::u32s("norm_cp", &[0x41, 0x200B, 0xA0, 0xFB01]);
    assert_refused(&tiny_bytes_with(unsorted), "not strictly ascending");
    let beyond = RawTensor::u32s("norm_offsets", &[0, 1, 2, 2, 99]);
    assert_refused(&tiny_bytes_with(beyond), "outside the 4 replacements");
    let surrogate = RawTensor::u32s("norm_out", &[0x61, 0xD800, 0x62, 0x63]);
    assert_refused(&tiny_bytes_with(surrogate), "not a Unicode scalar value");
    let wrong_count = RawTensor::u32s("norm_offsets", &[0, 1, 2]);
    assert_refused(&tiny_bytes_with(wrong_count), "expected 5");
}

#[test]
fn bad_numbers_and_metadata_are_refused() {
    let mut nan_row = tiny_tensors(Encoding::F16);
    if let Some(rows) = nan_row
        .iter_mut()
        .find(|tensor| tensor.name == "embeddings")
    {
        rows.bytes[10..12].copy_from_slice(&0x7e00u16.to_le_bytes());
    }
    assert_refused(
        &safetensors_bytes(&nan_row, TINY_METADATA),
        "row 1 of embeddings",
    );
    let mut scores = vec![-1.0f32; 12];
    scores[3] = f32::NAN;
    assert_refused(
        &tiny_bytes_with(RawTensor::f32s("scores", &scores)),
        "piece 3",
    );
    let infinite_scales: Vec<RawTensor> = tiny_tensors(Encoding::I8)
        .into_iter()
        .map(|tensor| {
            if tensor.name == "scales" {
                RawTensor::f32s("scales", &[f32::INFINITY; 12])
            } else {
                tensor
            }
        })
        .collect();
    assert_refused(
        &safetensors_bytes(&infinite_scales, TINY_METADATA),
        "scale of row 0",
    );
    let tensors = tiny_tensors(Encoding::F16);
    assert_refused(
        &safetensors_bytes(&tensors, &[("format", TABLE_FORMAT)]),
        "unk_score is missing",
    );
    assert_refused(
        &safetensors_bytes(&tensors, &[("format", TABLE_FORMAT), ("unk_score", "NaN")]),
        "not a finite number",
    );
    assert_refused(
        &safetensors_bytes(&tensors, &[("format", "other/2"), ("unk_score", "-30")]),
        "format is",
    );
    assert_refused(&safetensors_bytes(&tensors, &[]), "format is missing");
}

#[test]
fn load_reports_the_path_and_refuses_missing_huge_and_broken_files() {
    let directory = ok(tempfile::tempdir(), "temp dir");
    let good = directory.path().join("good.safetensors");
    ok(std::fs::write(&good, tiny_bytes(Encoding::I8)), "write");
    let table = ok(StaticEmbeddings::load(&good), "load");
    assert_eq!(table.pieces("abc"), vec![0, 1]);

    let missing = directory.path().join("missing.safetensors");
    match StaticEmbeddings::load(&missing) {
        Err(SemanticError::Read { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected a read error, got {other:?}"),
    }

    let broken = directory.path().join("broken.safetensors");
    let bytes = tiny_bytes(Encoding::I8);
    ok(std::fs::write(&broken, &bytes[..bytes.len() / 2]), "write");
    match StaticEmbeddings::load(&broken) {
        Err(error @ SemanticError::Invalid { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("broken.safetensors: not a valid"),
                "{message}"
            );
        }
        other => panic!("expected an invalid-table error, got {other:?}"),
    }

    // A sparse file just over the limit: refused before anything is read.
    let huge = directory.path().join("huge.safetensors");
    let file = ok(std::fs::File::create(&huge), "create");
    ok(file.set_len(MAX_TABLE_BYTES + 1), "set_len");
    match StaticEmbeddings::load(&huge) {
        Err(SemanticError::TooLarge { size, .. }) => assert_eq!(size, MAX_TABLE_BYTES + 1),
        other => panic!("expected a too-large error, got {other:?}"),
    }
}

// -------------------------------------------------------------------------- properties

fn any_text() -> impl Strategy<Value = String> {
    // Mostly the tiny table's own letters and spaces (so pieces are found), plus any
    // code point at all.
    let tiny_char = prop::sample::select(vec!['a', 'b', 'c', 'A', ' ', '\u{A0}', 'п', 'і', '▁']);
    let some_char = prop_oneof![3 => tiny_char, 1 => any::<char>()];
    prop::collection::vec(some_char, 0..10_000).prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn pieces_and_embed_are_total_and_deterministic(text in any_text()) {
        let table = tiny_table(Encoding::I8);
        let pieces = table.pieces(&text);
        prop_assert_eq!(&pieces, &table.pieces(&text));
        prop_assert!(pieces.iter().all(|&row| (row as usize) < table.piece_count()));
        let vector = table.embed(&text);
        prop_assert_eq!(&vector, &table.embed(&text));
        prop_assert_eq!(vector.is_none(), pieces.is_empty());
        if let Some(vector) = vector {
            prop_assert!((cosine(&vector, &vector) - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn the_shipped_table_embeds_any_text_totally_and_deterministically(text in any_text()) {
        let Some(table) = shipped() else {
            panic!("the built-in embedding table does not parse");
        };
        let vector = table.embed(&text);
        prop_assert_eq!(&vector, &table.embed(&text));
        if let Some(vector) = vector {
            prop_assert_eq!(vector.len(), table.dims());
            prop_assert!((cosine(&vector, &vector) - 1.0).abs() < 1e-3);
            let mut vectors = QuantizedVectors::new(table.dims());
            vectors.push(Some(&vector));
            let nearest = vectors.nearest(&vector, 1);
            prop_assert_eq!(nearest.len(), 1);
            prop_assert!((nearest[0].1 - 1.0).abs() < 0.05);
        }
    }

    #[test]
    fn corrupted_tables_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = tiny_bytes(Encoding::I8);
        for (index, value) in flips {
            let position = index.index(bytes.len());
            bytes[position] = value;
        }
        if let Ok(table) = parse_table(&bytes, owned_bytes) {
            let _ = table.embed("ABC a b привіт €");
        }
    }
}

#[test]
fn quantized_vectors_find_the_nearest_by_cosine_nearest_first() {
    let mut vectors = QuantizedVectors::new(3);
    vectors.push(Some(&[1.0, 0.0, 0.0]));
    vectors.push(Some(&[0.0, 1.0, 0.0]));
    vectors.push(Some(&[0.6, 0.8, 0.0]));
    // Another width, or none: a zero vector keeps the positions.
    vectors.push(Some(&[1.0, 0.0]));
    vectors.push(None);
    assert_eq!(vectors.len(), 5);
    let nearest = vectors.nearest(&[0.8, 0.6, 0.0], 3);
    let order: Vec<usize> = nearest.iter().map(|&(index, _)| index).collect();
    assert_eq!(order, [2, 0, 1]);
    assert!((nearest[0].1 - 0.96).abs() < 0.02, "{nearest:?}");
    assert!((nearest[1].1 - 0.8).abs() < 0.02, "{nearest:?}");
    // A query of another width, or asking for none, finds none.
    assert!(vectors.nearest(&[1.0, 0.0], 3).is_empty());
    assert!(vectors.nearest(&[1.0, 0.0, 0.0], 0).is_empty());
}

#[test]
fn quantized_vectors_round_trip_through_their_bytes_and_reject_misfits() {
    let mut vectors = QuantizedVectors::new(2);
    vectors.push(Some(&[0.6, -0.8]));
    let bytes = vectors.to_le_bytes();
    let rebuilt = QuantizedVectors::from_le_bytes(1, &bytes);
    assert_eq!(rebuilt.as_ref(), Some(&vectors));
    assert_eq!(bytes[4..], [95, -127i8 as u8]);
    // Bytes for another count of vectors, or none at all, are not vectors.
    assert!(QuantizedVectors::from_le_bytes(2, &bytes).is_none());
    assert!(QuantizedVectors::from_le_bytes(0, &bytes).is_none());
    assert!(QuantizedVectors::from_parts(2, vec![1, 2, 3], vec![0.1]).is_none());
    assert!(QuantizedVectors::from_parts(0, Vec::new(), Vec::new()).is_none());
    assert!(QuantizedVectors::from_parts(1, vec![1], vec![f32::NAN]).is_none());
}

/// The candidates as the plain definition takes them: every difference under the cutoff,
/// and the first ones at it while there is room.
fn within_cutoff_one_by_one(differences: &[u8], cutoff: u8, mut room: usize) -> Vec<usize> {
    let mut taken = Vec::new();
    for (index, &difference) in differences.iter().enumerate() {
        if difference < cutoff || (difference == cutoff && room > 0) {
            if difference == cutoff {
                room -= 1;
            }
            taken.push(index);
        }
    }
    taken
}

proptest! {
    #[test]
    fn candidates_tested_eight_at_once_are_those_tested_one_by_one(
        differences in proptest::collection::vec(0u8..=64, 0..200),
        cutoff in 0u8..=64,
        room in 0usize..20,
    ) {
        prop_assert_eq!(
            within_cutoff(&differences, cutoff, room),
            within_cutoff_one_by_one(&differences, cutoff, room)
        );
    }

    #[test]
    fn dot_products_are_the_exact_integer_sums(
        rows in proptest::collection::vec(proptest::collection::vec(-127i8..=127, 64), 1..12),
        query in proptest::collection::vec(-127i8..=127, 64),
        narrow in any::<bool>(),
    ) {
        // The shipped width and another one take different loops.
        let dims = if narrow { 63 } else { 64 };
        let values: Vec<i8> = rows.iter().flat_map(|row| row[..dims].to_vec()).collect();
        let candidates: Vec<usize> = (0..rows.len()).rev().collect();
        let expected: Vec<i32> = candidates
            .iter()
            .map(|&row| (0..dims).map(|at| i32::from(rows[row][at]) * i32::from(query[at])).sum())
            .collect();
        prop_assert_eq!(dot_products(&values, dims, &candidates, &query[..dims]), expected);
    }
}

#[test]
fn beyond_the_sign_candidates_the_nearest_is_still_found() {
    // More vectors than are compared in full: the nearest differs least in sign too.
    let mut vectors = QuantizedVectors::new(64);
    let unit = |seed: usize| -> Vec<f32> {
        // splitmix64 of the seed and position: values spread over -1..1.
        let raw: Vec<f32> = (0..64u64)
            .map(|at| {
                let mut mixed = (seed as u64 * 64 + at).wrapping_add(0x9e37_79b9_7f4a_7c15);
                mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                ((mixed ^ (mixed >> 31)) % 2_000) as f32 / 1_000.0 - 1.0
            })
            .collect();
        let norm = raw.iter().map(|value| value * value).sum::<f32>().sqrt();
        raw.iter().map(|value| value / norm).collect()
    };
    for seed in 0..2_000 {
        vectors.push(Some(&unit(seed)));
    }
    let nearest = vectors.nearest(&unit(1_234), 3);
    assert_eq!(
        nearest.first().map(|&(index, _)| index),
        Some(1_234),
        "{nearest:?}"
    );
    assert!(
        nearest[0].1 > 0.99 && nearest[1].1 < nearest[0].1,
        "{nearest:?}"
    );
}
