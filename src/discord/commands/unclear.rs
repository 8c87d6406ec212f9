//! `/unclear`: what the article says is not known.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::answer::NOTHING_CONFIRMED;
use crate::discord::render;

/// The unclear claims, with the source.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    let desk = context.desk;
    Ok(Effect::Reply(render::claims(
        "What remains unclear",
        &format!("The article says these are not known. {NOTHING_CONFIRMED}"),
        &desk.unclear_claims(),
        &desk.knowledge_base().story,
    )))
}
