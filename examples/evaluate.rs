//! Matching accuracy on a labelled question set, for curators:
//!
//! - `cargo run --release --example evaluate [-- QUESTIONS.toml]` prints accuracy per kind
//!   and every miss;
//! - `cargo run --release --example evaluate -- --tune` explores the scoring knobs
//!   (`matching::Tuning`) and prints the best settings found;
//! - `cargo run --release --example evaluate -- --locked [FILE]` scores the locked set
//!   (`tests/locked/questions.toml`) by the contract's rules, per kind and per language,
//!   and prints **only the totals**: its questions and failures stay unread, so that it
//!   keeps measuring what nobody tuned on;
//! - `… --locked --dump FILE` prints one JSON object per question of a *read* set: the
//!   decision and every signal behind it (`factdesk explain`'s), for studying a decision
//!   rule over thousands of questions before writing it.
//!
//! The answer files are read at run time: after editing topics or synonyms, run the
//! built binary again (`target/release/examples/evaluate`). The labelled set
//! (`tests/it/questions.toml`) was written apart from the topics' example questions; keep
//! tuned values round, so that they generalise rather than fit that file.

use std::path::Path;

use factdesk::knowledge::KnowledgeBase;
use factdesk::matching::{Match, MatchStatus, Matcher, Tuning};
use serde::Deserialize;

#[derive(Deserialize)]
struct QuestionSet {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    question: String,
    kind: String,
    #[serde(default)]
    expect: Vec<String>,
}

/// A case of the locked set: right when an answered question quotes one of `expect`, or
/// when a question with no `expect` gets no match.
#[derive(Deserialize)]
struct LockedCase {
    question: String,
    kind: String,
    lang: String,
    #[serde(default)]
    expect: Vec<String>,
}

#[derive(Deserialize)]
struct LockedSet {
    case: Vec<LockedCase>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().any(|arg| arg == "--locked") {
        let path = std::env::args()
            .skip(1)
            .find(|arg| !arg.starts_with("--"))
            .unwrap_or_else(|| "tests/locked/questions.toml".to_string());
        let set: LockedSet = toml::from_str(&std::fs::read_to_string(path)?)?;
        let desk = factdesk::FactDesk::load(Path::new("responses"))?;
        if std::env::args().any(|arg| arg == "--dump") {
            dump_decisions(&desk, &set);
            return Ok(());
        }
        let show_misses = std::env::args().any(|arg| arg == "--misses");
        score_locked(&desk, &set, show_misses);
        return Ok(());
    }
    let tune = std::env::args().any(|arg| arg == "--tune");
    let questions = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .unwrap_or_else(|| "tests/it/questions.toml".to_string());
    let knowledge_base = KnowledgeBase::load(Path::new("responses"))?;
    let set: QuestionSet = toml::from_str(&std::fs::read_to_string(questions)?)?;
    if tune {
        explore(&knowledge_base, &set);
    } else {
        report(&knowledge_base, &set);
    }
    Ok(())
}

/// Whether a match is right for a case: no match where none is expected; otherwise an
/// expected topic answered, or among the two offered when ambiguous.
fn is_correct(knowledge_base: &KnowledgeBase, case: &Case, matched: &Match) -> bool {
    let id = |rank: usize| {
        matched
            .ranked
            .get(rank)
            .map(|scored| knowledge_base.topics[scored.topic_index].id.as_str())
    };
    let expected =
        |rank: usize| id(rank).is_some_and(|id| case.expect.iter().any(|expect| expect == id));
    match matched.status {
        MatchStatus::NoMatch => case.expect.is_empty(),
        _ if case.expect.is_empty() => false,
        MatchStatus::Answered => expected(0),
        MatchStatus::Ambiguous => expected(0) || expected(1),
    }
}

fn report(knowledge_base: &KnowledgeBase, set: &QuestionSet) {
    let matcher = Matcher::new(knowledge_base);
    let mut tally: Vec<(String, usize, usize)> = Vec::new();
    for case in &set.case {
        let matched = matcher.best_match(&case.question);
        let correct = is_correct(knowledge_base, case, &matched);
        let kind = if case.expect.is_empty() {
            format!("{} (no match)", case.kind)
        } else {
            case.kind.clone()
        };
        match tally.iter_mut().find(|(name, _, _)| *name == kind) {
            Some(entry) => {
                entry.1 += usize::from(correct);
                entry.2 += 1;
            }
            None => tally.push((kind, usize::from(correct), 1)),
        }
        if !correct {
            let ranked: Vec<String> = matched
                .ranked
                .iter()
                .take(3)
                .map(|scored| {
                    format!(
                        "{} {:.3}",
                        knowledge_base.topics[scored.topic_index].id, scored.confidence
                    )
                })
                .collect();
            println!(
                "miss [{}] {:?}\n     expected {:?}, got {:?}: {}",
                case.kind,
                case.question.chars().take(100).collect::<String>(),
                case.expect,
                matched.status,
                ranked.join(", ")
            );
        }
    }
    for (kind, correct, total) in tally {
        println!(
            "{kind}: {correct}/{total} = {:.3}",
            correct as f64 / total as f64
        );
    }
}

fn explore(knowledge_base: &KnowledgeBase, set: &QuestionSet) {
    let mut results: Vec<(f64, String)> = Vec::new();
    for no_match_below in [0.3, 0.33, 0.36, 0.4] {
        for ungrounded_share in [0.6, 0.7, 0.8, 0.9, 1.0] {
            for off_topic_margin in [0.0, 0.05, 0.1, 0.2, 0.3, 1.0] {
                for off_topic_story_share in [0.0, 0.3, 0.6, 1.0] {
                    let tuning = Tuning {
                        no_match_below,
                        ungrounded_share,
                        off_topic_margin,
                        off_topic_story_share,
                        ..Tuning::default()
                    };
                    let matcher = Matcher::with_tuning(knowledge_base, tuning);
                    let (mut on, mut on_total, mut off, mut off_total) = (0, 0, 0, 0);
                    for case in &set.case {
                        let correct = usize::from(is_correct(
                            knowledge_base,
                            case,
                            &matcher.best_match(&case.question),
                        ));
                        if case.expect.is_empty() {
                            (off, off_total) = (off + correct, off_total + 1);
                        } else {
                            (on, on_total) = (on + correct, on_total + 1);
                        }
                    }
                    let (on, off) = (on as f64 / on_total as f64, off as f64 / off_total as f64);
                    // Both must hold: optimise the worse of the two.
                    results.push((
                        on.min(off) + 0.001 * (on + off),
                        format!("on {on:.3} off {off:.3} {tuning:?}"),
                    ));
                }
            }
        }
    }
    results.sort_by(|left, right| right.0.total_cmp(&left.0));
    for (_, line) in results.iter().take(15) {
        println!("{line}");
    }
}

/// Scores the locked set as the contract's users would: through `FactDesk::answer`, an
/// answered question must quote an expected fragment; an unexpected one must be refused.
///
/// `--misses` also prints every failure: only for a set that has been retired to tuning,
/// since reading a locked set's failures is what makes it stop measuring.
fn score_locked(desk: &factdesk::FactDesk, set: &LockedSet, show_misses: bool) {
    use factdesk::answer::AnswerStatus;
    let mut by: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut ambiguous_on_topic = (0, 0);
    for case in &set.case {
        let answer = desk.answer(&case.question);
        let correct = answer.meets(&case.expect);
        if show_misses && !correct {
            println!(
                "miss [{} {}] {:?}\n     got {:?} {} (suggests {})\n     expected {:?}",
                case.kind,
                case.lang,
                case.question.chars().take(160).collect::<String>(),
                answer.status,
                answer.topic.as_deref().unwrap_or("-"),
                answer
                    .suggestions
                    .iter()
                    .map(|suggestion| suggestion.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                case.expect,
            );
        }
        if case.kind == "on_topic" {
            ambiguous_on_topic.0 += usize::from(answer.status == AnswerStatus::Ambiguous);
            ambiguous_on_topic.1 += 1;
        }
        for key in [
            "overall".to_string(),
            format!("kind {}", case.kind),
            format!("lang {}", case.lang),
        ] {
            let entry = by.entry(key).or_default();
            entry.0 += usize::from(correct);
            entry.1 += 1;
        }
    }
    for (key, (correct, total)) in by {
        println!(
            "{key:<22} {correct:>4}/{total:<4} = {:.3}",
            correct as f64 / total as f64
        );
    }
    println!(
        "on-topic ambiguous      {:>4}/{:<4} = {:.3}",
        ambiguous_on_topic.0,
        ambiguous_on_topic.1,
        ambiguous_on_topic.0 as f64 / ambiguous_on_topic.1.max(1) as f64
    );
}

/// One JSON line per case: whether the contract scores it right, and the signals behind
/// the decision.
fn dump_decisions(desk: &factdesk::FactDesk, set: &LockedSet) {
    let topics = desk.topics();
    for case in &set.case {
        let answer = desk.answer(&case.question);
        let explanation = desk.explain(&case.question);
        let signals: Vec<serde_json::Value> = explanation
            .topics
            .iter()
            .take(5)
            .map(|signal| {
                serde_json::json!({
                    "topic": topics[signal.topic_index].id,
                    "confidence": signal.confidence,
                    "example": signal.example_similarity,
                    "coverage": signal.coverage,
                    "evidence": signal.evidence,
                    "trigger": signal.trigger,
                    "corrects": signal.corrects,
                })
            })
            .collect();
        let shares = |votes: &factdesk::matching::AskedVotes| -> Vec<(String, f32)> {
            votes
                .topics
                .iter()
                .map(|&(topic, share)| (topics[topic].id.clone(), share))
                .collect()
        };
        // The topics whose answer would meet the case: what a decision rule should pick.
        let right_topics: Vec<&str> = topics
            .iter()
            .filter(|topic| {
                desk.answer_topic(&topic.id)
                    .is_some_and(|answer| !case.expect.is_empty() && answer.meets(&case.expect))
            })
            .map(|topic| topic.id.as_str())
            .collect();
        let line = serde_json::json!({
            "question": case.question,
            "kind": case.kind,
            "lang": case.lang,
            "expect": case.expect,
            "correct": answer.meets(&case.expect),
            "status": format!("{:?}", answer.status),
            "topic": answer.topic,
            "reason": explanation.reason,
            "terms": explanation.terms,
            "grounded": explanation.grounded,
            "off_topic": explanation.off_topic,
            "other_subject": explanation.other_subject,
            "general_marker": explanation.general_marker,
            "order": explanation.order,
            "signals": signals,
            "nearest": explanation.asked.nearest_cosine(),
            "refused": explanation.asked.refused,
            "known_terms": explanation.asked.known_terms,
            "votes": shares(&explanation.asked),
            "meaning_nearest": explanation.asked_by_meaning.nearest_cosine(),
            "meaning_refused": explanation.asked_by_meaning.refused,
            "meaning_votes": shares(&explanation.asked_by_meaning),
            "right_topics": right_topics,
            "grounding": explanation.topics.first().map(|signal| signal.grounding),
            "from_sentence": explanation.from_sentence,
        });
        println!("{line}");
    }
}
