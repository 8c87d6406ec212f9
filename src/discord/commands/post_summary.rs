//! `/post-summary channel` (moderators): posts the story summary into a channel.

use serenity::all::{ChannelId, ChannelType, CommandInteraction, CommandOptionType};

use super::{CommandContext, CommandError, Effect, Localized, OptionSpec};
use crate::discord::render;

/// Where to post: a text or announcement channel.
const CHANNEL: OptionSpec = OptionSpec {
    channel_types: &[ChannelType::Text, ChannelType::News],
    ..OptionSpec::required(
        CommandOptionType::Channel,
        "channel",
        "Where to post it",
        Localized::new("канал", "Куди опублікувати"),
        Localized::new("канал", "Куда опубликовать"),
    )
};

/// `/post-summary`'s options.
pub const OPTIONS: &[OptionSpec] = &[CHANNEL];

/// The summary, for the handler to post.
pub fn run(
    interaction: &CommandInteraction,
    context: &CommandContext,
) -> Result<Effect, CommandError> {
    Ok(Effect::Post {
        channel: CHANNEL.channel_in(&interaction.data)?,
        message: render::summary(&context.desk.summary()),
        note,
    })
}

/// What the moderator is told once the summary is posted, or could not be.
fn note(channel: ChannelId, posted: bool) -> String {
    if posted {
        format!("Posted the story summary in <#{channel}>.")
    } else {
        format!("I couldn't post in <#{channel}>: check that I can view it, send messages and embed links there.")
    }
}
