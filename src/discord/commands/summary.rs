//! `/summary`: a private preview of the moderator summary (what `/post-summary` posts).

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render::{self, Reply};

/// The summary, seen only by whoever asked.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Reply(Reply {
        ephemeral: true,
        ..render::summary(&context.desk.summary())
    }))
}
