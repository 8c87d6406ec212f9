//! `/reload` (moderators): re-reads and re-checks the answer files, as SIGHUP does.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::handler::Reloaded;
use crate::discord::render;

/// Longest problem list shown; the log has every problem.
const MAX_PROBLEMS_SHOWN: usize = 1700;

/// Asks the handler to reload.
pub fn run(_: &CommandInteraction, _: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Reload { note })
}

/// What the moderator is told after the reload.
fn note(reloaded: &Reloaded) -> String {
    match reloaded {
        Reloaded::Topics(topics) => {
            format!("Reloaded: {topics} topics, every quote checked against the article.")
        }
        Reloaded::FailedCheck(problems) => format!(
            "Reload failed the check, so I'm still serving the previous answers. {} problem(s):\n```\n{}\n```",
            problems.0.len(),
            render::truncate(&problems.to_string(), MAX_PROBLEMS_SHOWN)
        ),
        Reloaded::Crashed => {
            "An internal error occurred while reloading; I'm still serving the previous answers.".to_string()
        }
    }
}
