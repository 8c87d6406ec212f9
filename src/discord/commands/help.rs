//! `/help`: what the bot answers and how to ask it, and the topics it knows. A bare
//! mention gets the same screen.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render::{self, Reply};
use crate::FactDesk;

/// The help screen.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Reply(screen(context.desk)))
}

/// The help screen.
pub fn screen(desk: &FactDesk) -> Reply {
    render::help(desk)
}
