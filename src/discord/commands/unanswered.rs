//! `/unanswered` (moderators): the questions the bot could not answer, most frequent
//! first, as the curators' to-do list.

use std::io;

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render;
use crate::unanswered::UnansweredSummary;

/// Groups shown.
const UNANSWERED_SHOWN: usize = 15;
/// Longest example question shown for a group.
const MAX_EXAMPLE: usize = 120;

/// Asks the handler to read the log.
pub fn run(_: &CommandInteraction, _: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::ReadUnanswered { note })
}

/// The groups as lines, or why the log could not be read.
fn note(read: &io::Result<UnansweredSummary>) -> String {
    let summary = match read {
        Ok(summary) => summary,
        Err(_) => {
            return "I couldn't read the unanswered-questions log; check FACTDESK_UNANSWERED_LOG."
                .to_string()
        }
    };
    if summary.records == 0 {
        return "No unanswered questions logged yet.".to_string();
    }
    let mut lines = vec![format!(
        "{} unanswered or ambiguous question(s), most frequent first:",
        summary.records
    )];
    for group in summary.groups.iter().take(UNANSWERED_SHOWN) {
        let marker = if group.ambiguous { " (ambiguous)" } else { "" };
        // Shown as inline code, so what someone typed (mentions included) is displayed
        // literally and can never ping.
        let example = group.example.replace('`', "'").replace('\n', " ");
        let example = render::truncate(&example, MAX_EXAMPLE);
        let similar = group.variants.len();
        lines.push(format!(
            "{:>3}× `{example}`{marker} (+{similar} similar)",
            group.count
        ));
    }
    if summary.skipped > 0 {
        lines.push(format!("({} unreadable line(s) skipped)", summary.skipped));
    }
    lines.join("\n")
}
