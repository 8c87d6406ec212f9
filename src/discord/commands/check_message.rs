//! "Check with factdesk" in a message's Apps menu: the message's text, checked like a
//! question.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, Effect, MAX_MESSAGE_CHARS};
use crate::discord::delivery::Way;
use crate::matching::normalize::first_chars;

/// Hands the message's text (its first [`MAX_MESSAGE_CHARS`] characters) to the handler to
/// answer.
pub fn run(interaction: &CommandInteraction, _: &CommandContext) -> Result<Effect, CommandError> {
    let data = &interaction.data;
    let message = data
        .target_id
        .and_then(|target| data.resolved.messages.get(&target.to_message_id()))
        .ok_or(CommandError::MissingOption("message"))?;
    Ok(Effect::Answer {
        question: first_chars(&message.content, MAX_MESSAGE_CHARS).to_string(),
        way: Way::ContextMenu,
    })
}
