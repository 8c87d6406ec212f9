//! Decide, then speak: whether and how the bot answers a question, as one pure function
//! of how the question came, what the desk answered and the cooldowns. The handler only
//! carries the decision out, and takes a cooldown only when the bot speaks.

use std::time::Duration;

/// How a question reached the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// `/ask` or `/topic` with free text.
    Slash,
    /// A related-topic button under an answer: it shows that topic in place.
    Button,
    /// "Check with factdesk" on a message.
    ContextMenu,
    /// A message mentioning the bot in a server channel.
    Mention,
    /// A direct message.
    DirectMessage,
    /// A message in an open channel, without a mention.
    OpenChannel,
}

impl Way {
    /// The label in logs' `via` and in `/metrics`.
    pub fn label(self) -> &'static str {
        match self {
            Way::Slash => "slash",
            Way::Button => "button",
            Way::ContextMenu => "context_menu",
            Way::Mention => "mention",
            Way::DirectMessage => "direct_message",
            Way::OpenChannel => "open_channel",
        }
    }
}

/// What the decision needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    /// How the question came.
    pub way: Way,
    /// Whether the desk answered it (not ambiguous, not a miss).
    pub answered: bool,
    /// Whether there was no question at all (a bare mention).
    pub empty: bool,
    /// How long the asker must still wait, if cooling down.
    pub user_wait: Option<Duration>,
    /// How long the channel must still wait for a public answer, if cooling down.
    pub channel_wait: Option<Duration>,
}

/// What the bot does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Nothing: ordinary conversation, or a message during a cooldown.
    Quiet,
    /// A private note to wait this long (only where Discord requires a reply).
    Refuse {
        /// The remaining wait.
        wait: Duration,
    },
    /// The reply, publicly or only to the asker.
    Reply {
        /// Seen only by the asker (slash commands and the menu can do this).
        private: bool,
    },
}

/// The one place that decides whether and how the bot speaks.
///
/// - A button shows its topic in place of the answer it was under.
/// - Slash commands and the menu must be answered: a cooling-down user gets a private
///   note; misses, ambiguity and answers in a busy channel are private.
/// - Mentions and DMs get a public reply (a miss says what the bot can answer), except
///   during a cooldown, when they are skipped quietly (a message cannot be private).
/// - Open channels get a reply only for a real answer, and never during a cooldown, so
///   ordinary conversation is never met with "I can't answer that".
pub fn decide(situation: &Situation) -> Delivery {
    if situation.held_back() {
        return match (situation.way, situation.user_wait) {
            (Way::Slash | Way::ContextMenu, Some(wait)) => Delivery::Refuse { wait },
            _ => Delivery::Quiet,
        };
    }
    match situation.way {
        // A click on an answer already shown: the message it is on changes, for whoever
        // saw it.
        Way::Button => Delivery::Reply { private: false },
        Way::Slash | Way::ContextMenu => Delivery::Reply {
            private: !situation.answered || situation.channel_wait.is_some(),
        },
        Way::Mention | Way::DirectMessage => Delivery::Reply { private: false },
        Way::OpenChannel if situation.empty || !situation.answered => Delivery::Quiet,
        Way::OpenChannel => Delivery::Reply { private: false },
    }
}

impl Situation {
    /// Whether a cooldown holds the question back: the asker's own for slash commands and
    /// the menu (a busy channel only makes their reply private), the asker's or the
    /// channel's for messages. A held-back question is not a miss to log: it is the
    /// asker repeating.
    pub fn held_back(&self) -> bool {
        match self.way {
            Way::Button => false,
            Way::Slash | Way::ContextMenu => self.user_wait.is_some(),
            Way::Mention | Way::DirectMessage | Way::OpenChannel => {
                self.user_wait.is_some() || self.channel_wait.is_some()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Option<Duration> = Some(Duration::from_secs(3));

    fn situation(
        way: Way,
        answered: bool,
        user_wait: Option<Duration>,
        channel_wait: Option<Duration>,
    ) -> Situation {
        Situation {
            way,
            answered,
            empty: false,
            user_wait,
            channel_wait,
        }
    }

    #[test]
    fn every_way_in_every_state() {
        use Delivery::{Quiet, Refuse, Reply};
        use Way::{Button, ContextMenu, DirectMessage, Mention, OpenChannel, Slash};
        let refuse = Refuse {
            wait: Duration::from_secs(3),
        };
        let public = Reply { private: false };
        let private = Reply { private: true };
        #[rustfmt::skip]
        let table = [
            // way,        answered, user, channel => delivery
            (Slash,         true,  None, None, public),
            (Slash,         false, None, None, private),
            (Slash,         true,  None, WAIT, private),
            (Slash,         true,  WAIT, None, refuse),
            (Slash,         false, WAIT, WAIT, refuse),
            (Button,        true,  WAIT, WAIT, public),
            (ContextMenu,   true,  None, None, public),
            (ContextMenu,   false, None, None, private),
            (ContextMenu,   true,  WAIT, None, refuse),
            (Mention,       true,  None, None, public),
            (Mention,       false, None, None, public),
            (Mention,       true,  WAIT, None, Quiet),
            (Mention,       true,  None, WAIT, Quiet),
            (DirectMessage, false, None, None, public),
            (DirectMessage, true,  WAIT, None, Quiet),
            (OpenChannel,   true,  None, None, public),
            (OpenChannel,   false, None, None, Quiet),
            (OpenChannel,   false, WAIT, WAIT, Quiet),
            (OpenChannel,   true,  WAIT, None, Quiet),
            (OpenChannel,   true,  None, WAIT, Quiet),
        ];
        for (way, answered, user_wait, channel_wait, expected) in table {
            let situation = situation(way, answered, user_wait, channel_wait);
            assert_eq!(decide(&situation), expected, "{situation:?}");
        }
    }

    #[test]
    fn only_a_cooldown_that_stops_the_reply_holds_a_question_back() {
        assert!(situation(Way::Slash, false, WAIT, None).held_back());
        // A busy channel only makes a slash reply private: the question still counts.
        assert!(!situation(Way::Slash, false, None, WAIT).held_back());
        assert!(situation(Way::Mention, false, None, WAIT).held_back());
        assert!(situation(Way::OpenChannel, false, WAIT, None).held_back());
        assert!(!situation(Way::OpenChannel, false, None, None).held_back());
        assert!(!situation(Way::Button, true, WAIT, WAIT).held_back());
    }

    #[test]
    fn a_bare_mention_gets_help_but_an_empty_open_channel_message_gets_nothing() {
        let bare = |way| Situation {
            empty: true,
            ..situation(way, false, None, None)
        };
        assert_eq!(
            decide(&bare(Way::Mention)),
            Delivery::Reply { private: false }
        );
        assert_eq!(decide(&bare(Way::OpenChannel)), Delivery::Quiet);
    }
}
