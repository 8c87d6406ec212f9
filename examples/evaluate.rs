//! Prints the matcher's accuracy on a labelled question set, and every miss:
//! `cargo run --release --example evaluate [-- RESPONSES_DIR QUESTIONS_TOML]`.
//!
//! A curator's tool: the answer files are read at run time, so after editing topics or
//! synonyms, run the built binary again (`target/release/examples/evaluate`).

use std::path::Path;

use factdesk::answer::AnswerStatus;
use factdesk::FactDesk;
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
    let mut args = std::env::args().skip(1);
    let responses = args.next().unwrap_or_else(|| "responses".to_string());
    let questions = args
        .next()
        .unwrap_or_else(|| "tests/it/questions.toml".to_string());
    let desk = FactDesk::load(Path::new(&responses))?;
    let set: QuestionSet = toml::from_str(&std::fs::read_to_string(questions)?)?;
    let mut tally: Vec<(String, usize, usize)> = Vec::new();
    for case in &set.case {
        let answer = desk.answer(&case.question);
        let correct = if case.expect.is_empty() {
            answer.status == AnswerStatus::NoMatch
        } else {
            match answer.status {
                AnswerStatus::Answered => answer
                    .topic
                    .as_ref()
                    .is_some_and(|topic| case.expect.contains(topic)),
                AnswerStatus::Ambiguous => {
                    answer.suggestions.iter().any(|id| case.expect.contains(id))
                }
                AnswerStatus::NoMatch => false,
            }
        };
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
            println!(
                "miss [{}] {:?}\n     expected {:?}, got {} {:?} {:.3} {:?}",
                case.kind,
                case.question.chars().take(100).collect::<String>(),
                case.expect,
                answer.status.as_str(),
                answer.topic,
                answer.confidence,
                answer.suggestions
            );
        }
    }
    for (kind, correct, total) in tally {
        println!(
            "{kind}: {correct}/{total} = {:.3}",
            correct as f64 / total as f64
        );
    }
    Ok(())
}
