//! Questions that arrive as messages: a mention of the bot in a server, a direct message,
//! or any message in an open channel. Reading a message into a question lives here, next
//! to the commands; whether to answer it is `delivery::decide`'s call.

use serenity::all::{ChannelId, Message, UserId};

use super::MAX_MESSAGE_CHARS;
use crate::discord::delivery::Way;
use crate::matching::normalize::first_chars;

/// A message read as a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageQuestion {
    /// How it came.
    pub way: Way,
    /// The message's first [`MAX_MESSAGE_CHARS`] characters without the bot's mention;
    /// blank for a bare mention.
    pub question: String,
}

/// Reads a message as a question; `None` for a message the bot does not read: its own
/// and other bots', and a server message that neither mentions it nor is in an open
/// channel.
pub fn parse(
    message: &Message,
    bot_user: UserId,
    open_channels: &[ChannelId],
) -> Option<MessageQuestion> {
    if message.author.bot {
        return None;
    }
    let mentioned = message.mentions.iter().any(|user| user.id == bot_user)
        || mention_forms(bot_user)
            .iter()
            .any(|form| message.content.contains(form.as_str()));
    let way = way(
        message.guild_id.is_some(),
        mentioned,
        open_channels.contains(&message.channel_id),
    )?;
    Some(MessageQuestion {
        way,
        question: question(&message.content, bot_user),
    })
}

/// How a message came, from where it was posted and whether it mentions the bot.
fn way(in_server: bool, mentioned: bool, in_open_channel: bool) -> Option<Way> {
    match (in_server, mentioned, in_open_channel) {
        (false, _, _) => Some(Way::DirectMessage),
        (true, true, _) => Some(Way::Mention),
        (true, false, true) => Some(Way::OpenChannel),
        (true, false, false) => None,
    }
}

/// The text to answer: cut to a message's length, the bot's mentions blanked out.
fn question(content: &str, bot_user: UserId) -> String {
    let [plain, nickname] = mention_forms(bot_user);
    first_chars(content, MAX_MESSAGE_CHARS)
        .replace(&plain, " ")
        .replace(&nickname, " ")
}

/// The two ways a message mentions a user: `<@id>`, and `<@!id>` (older clients'
/// nickname form).
fn mention_forms(bot_user: UserId) -> [String; 2] {
    [format!("<@{bot_user}>"), format!("<@!{bot_user}>")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dms_and_mentions_are_read_open_channels_only_there() {
        #[rustfmt::skip]
        let table = [
            // in a server, mentioned, open channel => way
            (false, false, false, Some(Way::DirectMessage)),
            (false, true,  false, Some(Way::DirectMessage)),
            (true,  true,  false, Some(Way::Mention)),
            (true,  true,  true,  Some(Way::Mention)),
            (true,  false, true,  Some(Way::OpenChannel)),
            (true,  false, false, None),
        ];
        for (in_server, mentioned, open, expected) in table {
            assert_eq!(
                way(in_server, mentioned, open),
                expected,
                "{in_server} {mentioned} {open}"
            );
        }
    }

    #[test]
    fn the_bot_s_mentions_are_blanked_and_long_messages_cut() {
        let bot = UserId::new(42);
        assert_eq!(
            question("<@42> who runs it? <@!42>", bot),
            "  who runs it?  "
        );
        // Other users' mentions stay: normalising drops them before matching.
        assert_eq!(question("<@7> hi", bot), "<@7> hi");
        let long = "ж".repeat(MAX_MESSAGE_CHARS + 10);
        assert_eq!(question(&long, bot).chars().count(), MAX_MESSAGE_CHARS);
    }
}
