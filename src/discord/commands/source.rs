//! `/source`: the article every answer quotes.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render;

/// The article's title, outlet, date and link.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Reply(render::source(
        &context.desk.knowledge_base().story,
    )))
}
