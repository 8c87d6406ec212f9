//! Experiment, not part of the bot: how well does the static embedding table
//! (`matching::semantic`) find the right topic on its own?
//!
//! `cargo run --release --example semantic_probe -- TABLE.safetensors [--load-only]`
//!
//! Embeds every topic's title and example questions, then for each question of the tuning
//! sets (tests/it/questions.toml and tests/it/questions-probe.toml) finds the nearest
//! example: top-1 accuracy on on-topic cases, and the best cosine of on-topic against
//! off-topic cases (does a threshold separate them?). A small inline set of Ukrainian and
//! Russian questions checks the cross-language case. The locked set is never read.
//! `--load-only` loads the table and stops, for measuring load time and memory.

use std::path::Path;
use std::time::Instant;

use factdesk::knowledge::KnowledgeBase;
use factdesk::matching::semantic::{cosine, StaticEmbeddings};
use serde::Deserialize;

/// The tuning sets; never tests/locked/.
const QUESTION_SETS: &[&str] = &["tests/it/questions.toml", "tests/it/questions-probe.toml"];

/// Ukrainian and Russian questions written from the topic titles, with the topic ids
/// that answer them.
const CROSS_LANGUAGE: &[(&str, &str, &[&str])] = &[
    (
        "uk",
        "хто контролює Запорізьку АЕС?",
        &["who-controls-the-plant"],
    ),
    ("uk", "це правда чи фейк?", &["is-it-confirmed"]),
    (
        "uk",
        "чи безпечно майнити біткоїн на атомній станції?",
        &["nuclear-safety"],
    ),
    ("uk", "що сказало МАГАТЕ?", &["iaea"]),
    (
        "uk",
        "чи питали Україну про ці переговори?",
        &["ukraine-excluded"],
    ),
    ("uk", "як відреагував Київ?", &["ukraine-response"]),
    (
        "uk",
        "хто отримає прибуток від майнінгу?",
        &["economic-arrangements"],
    ),
    ("uk", "чи це законно?", &["legal-questions"]),
    ("uk", "що сталося?", &["what-happened"]),
    (
        "uk",
        "чи вже хтось майнить біткоїн на станції?",
        &["no-confirmed-mining"],
    ),
    ("uk", "чому в цьому бере участь США?", &["us-involvement"]),
    (
        "ru",
        "кто контролирует Запорожскую АЭС?",
        &["who-controls-the-plant"],
    ),
    ("ru", "это правда или фейк?", &["is-it-confirmed"]),
    (
        "ru",
        "безопасно ли майнить биткоин на атомной станции?",
        &["nuclear-safety"],
    ),
    ("ru", "что говорит МАГАТЭ?", &["iaea"]),
    (
        "ru",
        "спрашивали ли Украину об этих переговорах?",
        &["ukraine-excluded"],
    ),
    ("ru", "как отреагировал Киев?", &["ukraine-response"]),
    (
        "ru",
        "кто получит прибыль от майнинга?",
        &["economic-arrangements"],
    ),
    ("ru", "это законно?", &["legal-questions"]),
    ("ru", "что произошло?", &["what-happened"]),
    (
        "ru",
        "майнит ли кто-нибудь уже биткоин на станции?",
        &["no-confirmed-mining"],
    ),
    ("ru", "почему в этом участвуют США?", &["us-involvement"]),
];

#[derive(Deserialize)]
struct QuestionSet {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    question: String,
    #[serde(default)]
    expect: Vec<String>,
}

/// One embedded example: the topic it belongs to and its vector.
struct Example {
    topic_id: String,
    vector: Vec<f32>,
}

/// The nearest example's topic and cosine, or `None` when the text has no vector.
fn nearest<'a>(
    table: &StaticEmbeddings,
    examples: &'a [Example],
    text: &str,
) -> Option<(&'a str, f32)> {
    let vector = table.embed(text)?;
    examples
        .iter()
        .map(|example| (example.topic_id.as_str(), cosine(&vector, &example.vector)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(table_path) = std::env::args().skip(1).find(|arg| !arg.starts_with("--")) else {
        return Err("usage: semantic_probe TABLE.safetensors [--load-only]".into());
    };
    let started = Instant::now();
    let table = StaticEmbeddings::load(Path::new(&table_path))?;
    println!(
        "{table_path}: {} pieces x {} dims, loaded in {:.0} ms",
        table.piece_count(),
        table.dims(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    if std::env::args().any(|arg| arg == "--load-only") {
        return Ok(());
    }

    let knowledge_base = KnowledgeBase::load(Path::new("responses"))?;
    let mut examples = Vec::new();
    for topic in &knowledge_base.topics {
        for text in std::iter::once(&topic.title).chain(&topic.questions) {
            if let Some(vector) = table.embed(text) {
                examples.push(Example {
                    topic_id: topic.id.clone(),
                    vector,
                });
            }
        }
    }
    println!(
        "{} examples from {} topics",
        examples.len(),
        knowledge_base.topics.len()
    );

    for set_path in QUESTION_SETS {
        let set: QuestionSet = toml::from_str(&std::fs::read_to_string(set_path)?)?;
        let mut on_topic = Vec::new();
        let mut off_topic = Vec::new();
        let mut right = 0;
        for case in &set.case {
            let Some((topic_id, similarity)) = nearest(&table, &examples, &case.question) else {
                continue;
            };
            if case.expect.is_empty() {
                off_topic.push(similarity);
            } else {
                on_topic.push(similarity);
                if case.expect.iter().any(|expected| expected == topic_id) {
                    right += 1;
                }
            }
        }
        println!("\n{set_path}");
        println!(
            "  on-topic top-1: {right}/{} = {:.1} %",
            on_topic.len(),
            percent(right, on_topic.len())
        );
        let near_verbatim = on_topic.iter().filter(|&&value| value >= 0.999).count();
        println!(
            "  on-topic cases with a near-verbatim example (cosine >= 0.999): {near_verbatim}"
        );
        println!("  best cosine    min   p10   p25   p50   p75   p90   max");
        println!("  on-topic  {}", quantiles(&mut on_topic));
        println!("  off-topic {}", quantiles(&mut off_topic));
        print_threshold_sweep(&on_topic, &off_topic);
    }

    combined_sweep(&knowledge_base, &table, &examples)?;

    for language in ["uk", "ru"] {
        let mut right = 0;
        let mut total = 0;
        println!();
        for (_, question, expect) in CROSS_LANGUAGE.iter().filter(|case| case.0 == language) {
            total += 1;
            let found = nearest(&table, &examples, question);
            let hit = found.is_some_and(|(topic_id, _)| expect.contains(&topic_id));
            right += usize::from(hit);
            let (topic_id, similarity) = found.unwrap_or(("-", 0.0));
            let mark = if hit { "ok  " } else { "MISS" };
            println!("  {mark} {language} {question} -> {topic_id} ({similarity:.3})");
        }
        println!(
            "{language} top-1: {right}/{total} = {:.1} %",
            percent(right, total)
        );
    }
    Ok(())
}

/// The nearest example's topic and cosine, owned.
type Nearest = Option<(String, f32)>;

/// The simplest combination with the lexical matcher: keep its answer when it answers;
/// otherwise answer the nearest example's topic when its cosine reaches a threshold.
/// Prints, per threshold, on-topic accuracy and off-topic refusal on the tuning sets, and
/// top-1 on the cross-language questions (which the lexical matcher never answers).
fn combined_sweep(
    knowledge_base: &KnowledgeBase,
    table: &StaticEmbeddings,
    examples: &[Example],
) -> Result<(), Box<dyn std::error::Error>> {
    use factdesk::answer::AnswerStatus;
    let desk = factdesk::FactDesk::new(knowledge_base.clone());
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    for set_path in QUESTION_SETS {
        let set: QuestionSet = toml::from_str(&std::fs::read_to_string(set_path)?)?;
        cases.extend(
            set.case
                .into_iter()
                .map(|case| (case.question, case.expect)),
        );
    }
    let decided: Vec<(Option<String>, Nearest)> = cases
        .iter()
        .map(|(question, _)| {
            let answer = desk.answer(question);
            let lexical = (answer.status == AnswerStatus::Answered)
                .then(|| answer.topic.clone())
                .flatten();
            let semantic = nearest(table, examples, question)
                .map(|(topic, similarity)| (topic.to_string(), similarity));
            (lexical, semantic)
        })
        .collect();
    let cross: Vec<(&[&str], Nearest)> = CROSS_LANGUAGE
        .iter()
        .map(|(_, question, expect)| {
            (
                *expect,
                nearest(table, examples, question)
                    .map(|(topic, similarity)| (topic.to_string(), similarity)),
            )
        })
        .collect();
    println!("\nlexical, else the nearest example at or above a threshold (both tuning sets):");
    println!("  threshold  on-topic  off-topic refused  uk+ru top-1");
    for threshold in [0.60f32, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 2.0] {
        let (mut on_right, mut on_total, mut off_right, mut off_total) = (0, 0, 0, 0);
        for ((_, expect), (lexical, semantic)) in cases.iter().zip(&decided) {
            let topic = lexical.clone().or_else(|| {
                semantic
                    .as_ref()
                    .filter(|(_, similarity)| *similarity >= threshold)
                    .map(|(topic, _)| topic.clone())
            });
            if expect.is_empty() {
                off_total += 1;
                off_right += usize::from(topic.is_none());
            } else {
                on_total += 1;
                on_right += usize::from(topic.is_some_and(|topic| expect.contains(&topic)));
            }
        }
        let cross_right = cross
            .iter()
            .filter(|(expect, semantic)| {
                semantic.as_ref().is_some_and(|(topic, similarity)| {
                    *similarity >= threshold && expect.contains(&topic.as_str())
                })
            })
            .count();
        let label = if threshold > 1.0 {
            "lexical only".to_string()
        } else {
            format!("{threshold:.2}")
        };
        println!(
            "  {label:>12}  {:>6.1} %  {:>15.1} %  {cross_right}/{}",
            percent(on_right, on_total),
            percent(off_right, off_total),
            cross.len()
        );
    }
    Ok(())
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// min, p10, p25, p50, p75, p90, max of `values` (sorted in place).
fn quantiles(values: &mut [f32]) -> String {
    values.sort_by(f32::total_cmp);
    if values.is_empty() {
        return "(none)".to_string();
    }
    [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
        .iter()
        .map(|q| {
            let index = ((values.len() - 1) as f64 * q).round() as usize;
            format!("{:5.3}", values[index])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// For a few thresholds: the share of on-topic cases at or above and of off-topic cases
/// below, and the threshold with the best balanced accuracy.
fn print_threshold_sweep(on_topic: &[f32], off_topic: &[f32]) {
    let share = |values: &[f32], keep: &dyn Fn(f32) -> bool| {
        percent(
            values.iter().filter(|&&value| keep(value)).count(),
            values.len(),
        )
    };
    let mut best = (0.0, 0.0);
    let mut line = String::from("  threshold: on kept / off refused:");
    for step in 0..=70 {
        let threshold = 0.30 + 0.01 * f64::from(step);
        let threshold = threshold as f32;
        let on_kept = share(on_topic, &|value| value >= threshold);
        let off_refused = share(off_topic, &|value| value < threshold);
        let balanced = (on_kept + off_refused) / 2.0;
        if balanced > best.1 {
            best = (threshold, balanced);
        }
        if step % 10 == 0 {
            line += &format!(" {threshold:.2}: {on_kept:.0}/{off_refused:.0} %;");
        }
    }
    println!("{line}");
    println!(
        "  best balanced accuracy {:.1} % at threshold {:.2}",
        best.1, best.0
    );
}
