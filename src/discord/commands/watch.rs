//! `/watch`: what the article says to watch next.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render;

/// The watch topic's answer.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    let desk = context.desk;
    Ok(Effect::Reply(match desk.watch() {
        Some(answer) => render::answer(&answer, &desk.knowledge_base().story),
        None => render::notice("The answer files name no watch topic."),
    }))
}
