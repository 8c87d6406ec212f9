//! `/follow channel` and `/unfollow channel` (moderators): a channel that follows the story
//! gets a post whenever a reload brings a new source. Subscriptions are per server and live
//! in the store, so they survive restarts and are shared by every process of the bot.

use serenity::all::{ChannelId, ChannelType, CommandInteraction, CommandOptionType};

use super::{CommandContext, CommandError, Effect, Localized, OptionSpec};

/// The channel: a text or announcement channel.
const CHANNEL: OptionSpec = OptionSpec {
    channel_types: &[ChannelType::Text, ChannelType::News],
    ..OptionSpec::required(
        CommandOptionType::Channel,
        "channel",
        "The channel",
        Localized::new("канал", "Канал"),
        Localized::new("канал", "Канал"),
    )
};

/// The options of both commands.
pub const OPTIONS: &[OptionSpec] = &[CHANNEL];

/// `/follow`.
pub fn run(interaction: &CommandInteraction, _: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Follow {
        channel: CHANNEL.channel_in(&interaction.data)?,
        follow: true,
        note: followed,
    })
}

/// `/unfollow`.
pub fn run_unfollow(
    interaction: &CommandInteraction,
    _: &CommandContext,
) -> Result<Effect, CommandError> {
    Ok(Effect::Follow {
        channel: CHANNEL.channel_in(&interaction.data)?,
        follow: false,
        note: unfollowed,
    })
}

fn followed(channel: ChannelId, changed: bool) -> String {
    if changed {
        format!("<#{channel}> now follows the story: I'll post there when a new source is added.")
    } else {
        format!("<#{channel}> already follows the story.")
    }
}

fn unfollowed(channel: ChannelId, changed: bool) -> String {
    if changed {
        format!("<#{channel}> no longer follows the story.")
    } else {
        format!("<#{channel}> was not following the story.")
    }
}
