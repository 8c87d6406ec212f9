//! `/confirmed`: every claim the article presents as established.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render;

/// The confirmed claims, with the source.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    let desk = context.desk;
    Ok(Effect::Reply(render::claims(
        "What the article confirms",
        "Only these statements are presented as established. Everything else in the story is reported or unclear.",
        &desk.confirmed_claims(),
        &desk.knowledge_base().story,
    )))
}
