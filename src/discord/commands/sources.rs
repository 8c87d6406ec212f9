//! `/sources`: every source of the story, oldest first, each with its date and link.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect};
use crate::discord::render;

/// The sources, as `factdesk sources` lists them.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    let knowledge_base = context.desk.knowledge_base();
    Ok(Effect::Reply(render::sources(
        &knowledge_base.sources,
        &knowledge_base.story,
    )))
}
