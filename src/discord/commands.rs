//! The bot's commands in one place: one enum, their registration, and parsing an
//! interaction into a typed command. No network code and no answering here.

use serenity::all::{
    ChannelId, ChannelType, CommandDataOptionValue, CommandInteraction, CommandOptionType,
    CommandType, CreateCommand, CreateCommandOption, Permissions,
};

/// The name of the message context-menu command.
pub const CHECK_MESSAGE: &str = "Check with factdesk";
/// Longest question accepted by `/ask`; longer text is for mentions and the context menu.
pub const MAX_QUESTION: u16 = 1000;
/// Longest text accepted by `/topic`: topic titles are short, and autocomplete values are
/// at most 100 characters.
pub const MAX_TOPIC_NAME: u16 = 100;
/// The permission that makes a member a moderator for factdesk.
pub const MODERATOR: Permissions = Permissions::MANAGE_MESSAGES;

/// Every command the bot understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotCommand {
    /// `/ask question`.
    Ask {
        /// The question.
        question: String,
    },
    /// `/topic name` (autocompleted topic id, or free text).
    Topic {
        /// A topic id or what the user typed.
        name: String,
    },
    /// `/confirmed`: what the article confirms.
    Confirmed,
    /// `/unclear`: what the article says is not known.
    Unclear,
    /// `/watch`: what to watch next.
    Watch,
    /// `/source`: the article.
    Source,
    /// `/summary`: a private preview of the moderator summary.
    Summary,
    /// `/help`.
    Help,
    /// `/post-summary channel` (moderators).
    PostSummary {
        /// Where to post.
        channel: ChannelId,
    },
    /// `/reload` (moderators).
    Reload,
    /// `/unanswered` (moderators).
    Unanswered,
    /// "Check with factdesk" on a message.
    CheckMessage {
        /// The text of the message.
        text: String,
    },
}

/// Why an interaction could not be read as a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// A command this version does not know (e.g. left over from an older registration).
    #[error("I don't know the command `{0}`; it may be from an older version of the bot.")]
    Unknown(String),
    /// A required option is missing or has the wrong type.
    #[error("The command is missing its `{0}` option.")]
    MissingOption(&'static str),
}

impl BotCommand {
    /// Reads an application-command interaction as a command.
    pub fn parse(interaction: &CommandInteraction) -> Result<BotCommand, CommandError> {
        let data = &interaction.data;
        if data.kind == CommandType::Message {
            return match data.name.as_str() {
                CHECK_MESSAGE => {
                    let message = data
                        .target_id
                        .and_then(|target| data.resolved.messages.get(&target.to_message_id()))
                        .ok_or(CommandError::MissingOption("message"))?;
                    Ok(BotCommand::CheckMessage {
                        text: message.content.clone(),
                    })
                }
                other => Err(CommandError::Unknown(other.to_string())),
            };
        }
        let string = |name: &'static str| -> Result<String, CommandError> {
            data.options
                .iter()
                .find(|option| option.name == name)
                .and_then(|option| match &option.value {
                    CommandDataOptionValue::String(value) => Some(value.clone()),
                    _ => None,
                })
                .ok_or(CommandError::MissingOption(name))
        };
        Ok(match data.name.as_str() {
            "ask" => BotCommand::Ask {
                question: string("question")?,
            },
            "topic" => BotCommand::Topic {
                name: string("name")?,
            },
            "confirmed" => BotCommand::Confirmed,
            "unclear" => BotCommand::Unclear,
            "watch" => BotCommand::Watch,
            "source" => BotCommand::Source,
            "summary" => BotCommand::Summary,
            "help" => BotCommand::Help,
            "post-summary" => {
                let channel = data
                    .options
                    .iter()
                    .find(|option| option.name == "channel")
                    .and_then(|option| option.value.as_channel_id())
                    .ok_or(CommandError::MissingOption("channel"))?;
                BotCommand::PostSummary { channel }
            }
            "reload" => BotCommand::Reload,
            "unanswered" => BotCommand::Unanswered,
            other => return Err(CommandError::Unknown(other.to_string())),
        })
    }

    /// Whether only moderators may run it.
    pub fn is_moderator_only(&self) -> bool {
        matches!(
            self,
            BotCommand::PostSummary { .. } | BotCommand::Reload | BotCommand::Unanswered
        )
    }

    /// A short name for logs.
    pub fn name(&self) -> &'static str {
        match self {
            BotCommand::Ask { .. } => "ask",
            BotCommand::Topic { .. } => "topic",
            BotCommand::Confirmed => "confirmed",
            BotCommand::Unclear => "unclear",
            BotCommand::Watch => "watch",
            BotCommand::Source => "source",
            BotCommand::Summary => "summary",
            BotCommand::Help => "help",
            BotCommand::PostSummary { .. } => "post-summary",
            BotCommand::Reload => "reload",
            BotCommand::Unanswered => "unanswered",
            BotCommand::CheckMessage { .. } => "check-message",
        }
    }
}

/// Ukrainian and Russian names and descriptions, in the order: uk name, uk description,
/// ru name, ru description. Discord shows them to members whose client uses that
/// language, and still sends the English name in the interaction, so parsing is unchanged.
type Localized = [&'static str; 4];

/// Adds the Ukrainian (`uk`) and Russian (`ru`) localizations to a command.
fn localized(
    command: CreateCommand,
    [uk_name, uk_description, ru_name, ru_description]: Localized,
) -> CreateCommand {
    command
        .name_localized("uk", uk_name)
        .description_localized("uk", uk_description)
        .name_localized("ru", ru_name)
        .description_localized("ru", ru_description)
}

/// Adds the Ukrainian and Russian localizations to an option.
fn localized_option(
    option: CreateCommandOption,
    [uk_name, uk_description, ru_name, ru_description]: Localized,
) -> CreateCommandOption {
    option
        .name_localized("uk", uk_name)
        .description_localized("uk", uk_description)
        .name_localized("ru", ru_name)
        .description_localized("ru", ru_description)
}

/// The commands to register. Moderator commands are top-level commands of their own,
/// because Discord applies default member permissions to a whole top-level command.
pub fn registrations() -> Vec<CreateCommand> {
    let moderator = |command: CreateCommand| {
        command
            .default_member_permissions(MODERATOR)
            .dm_permission(false)
    };
    vec![
        localized(
            CreateCommand::new("ask")
                .description("Ask a question about the ZNPP Bitcoin-mining story"),
            [
                "запитати",
                "Запитайте про історію з майнінгом біткоїна на ЗАЕС",
                "спросить",
                "Спросите об истории с майнингом биткоина на ЗАЭС",
            ],
        )
        .add_option(localized_option(
            CreateCommandOption::new(CommandOptionType::String, "question", "Your question")
                .required(true)
                .max_length(MAX_QUESTION),
            ["питання", "Ваше питання", "вопрос", "Ваш вопрос"],
        )),
        localized(
            CreateCommand::new("topic").description("Look a topic of the story up"),
            [
                "тема",
                "Знайти тему цієї історії",
                "тема",
                "Найти тему этой истории",
            ],
        )
        .add_option(localized_option(
            CreateCommandOption::new(CommandOptionType::String, "name", "Start typing a topic")
                .required(true)
                .max_length(MAX_TOPIC_NAME)
                .set_autocomplete(true),
            [
                "назва",
                "Почніть вводити тему",
                "название",
                "Начните вводить тему",
            ],
        )),
        localized(
            CreateCommand::new("confirmed").description("What the article confirms"),
            [
                "підтверджено",
                "Що стаття підтверджує",
                "подтверждено",
                "Что статья подтверждает",
            ],
        ),
        localized(
            CreateCommand::new("unclear").description("What the article says is not known"),
            [
                "неясно",
                "Чого, за статтею, ніхто не знає",
                "неясно",
                "Чего, по словам статьи, никто не знает",
            ],
        ),
        localized(
            CreateCommand::new("watch").description("What the article says to watch next"),
            [
                "стежити",
                "За чим стежити далі, за статтею",
                "следить",
                "За чем следить дальше, по статье",
            ],
        ),
        localized(
            CreateCommand::new("source").description("The original article"),
            [
                "джерело",
                "Оригінальна стаття",
                "источник",
                "Оригинальная статья",
            ],
        ),
        localized(
            CreateCommand::new("summary").description("A private preview of the story summary"),
            [
                "підсумок",
                "Підсумок історії (видно лише вам)",
                "сводка",
                "Сводка истории (видна только вам)",
            ],
        ),
        localized(
            CreateCommand::new("help").description("What factdesk can answer"),
            [
                "довідка",
                "На що factdesk може відповісти",
                "помощь",
                "На что factdesk может ответить",
            ],
        ),
        localized(
            moderator(
                CreateCommand::new("post-summary")
                    .description("Post the story summary into a channel (moderators)"),
            ),
            [
                "опублікувати-підсумок",
                "Опублікувати підсумок у каналі (модератори)",
                "опубликовать-сводку",
                "Опубликовать сводку в канале (модераторы)",
            ],
        )
        .add_option(localized_option(
            CreateCommandOption::new(CommandOptionType::Channel, "channel", "Where to post it")
                .required(true)
                .channel_types(vec![ChannelType::Text, ChannelType::News]),
            ["канал", "Куди опублікувати", "канал", "Куда опубликовать"],
        )),
        localized(
            moderator(
                CreateCommand::new("reload").description("Re-read the answer files (moderators)"),
            ),
            [
                "перезавантажити",
                "Перечитати файли відповідей (модератори)",
                "перезагрузить",
                "Перечитать файлы ответов (модераторы)",
            ],
        ),
        localized(
            moderator(
                CreateCommand::new("unanswered")
                    .description("Questions factdesk could not answer (moderators)"),
            ),
            [
                "без-відповіді",
                "Питання, на які factdesk не відповів (модератори)",
                "без-ответа",
                "Вопросы, на которые factdesk не ответил (модераторы)",
            ],
        ),
        // Message commands have a name and no description; the name may hold spaces.
        CreateCommand::new(CHECK_MESSAGE)
            .kind(CommandType::Message)
            .name_localized("uk", "Перевірити з factdesk")
            .name_localized("ru", "Проверить с factdesk"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Discord's rule for chat-input command and option names (in any language).
    fn is_valid_name(name: &str) -> bool {
        let length = name.chars().count();
        (1..=32).contains(&length)
            && name
                .chars()
                .all(|c| c == '-' || c == '_' || (c.is_alphanumeric() && !c.is_uppercase()))
    }

    #[test]
    fn every_command_is_localized_in_ukrainian_and_russian_within_discord_s_rules() {
        for command in registrations() {
            let Ok(json) = serde_json::to_value(&command) else {
                panic!("a command serialises")
            };
            let name = json["name"].as_str().unwrap_or_default().to_string();
            for locale in ["uk", "ru"] {
                let localized = json["name_localizations"][locale]
                    .as_str()
                    .unwrap_or_default();
                assert!(!localized.is_empty(), "/{name} has no {locale} name");
                if json["type"].as_u64().unwrap_or(1) == 1 {
                    assert!(
                        is_valid_name(localized),
                        "/{name}: {locale} name {localized:?}"
                    );
                    let description = json["description_localizations"][locale]
                        .as_str()
                        .unwrap_or_default();
                    assert!(
                        (1..=100).contains(&description.chars().count()),
                        "/{name}: {locale} description"
                    );
                }
                for option in json["options"].as_array().into_iter().flatten() {
                    let option_name = option["name_localizations"][locale]
                        .as_str()
                        .unwrap_or_default();
                    assert!(
                        is_valid_name(option_name),
                        "/{name} option: {locale} name {option_name:?}"
                    );
                }
            }
        }
    }
}
