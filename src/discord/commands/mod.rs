//! The bot's commands: one table ([`COMMANDS`]) says what each is called in English,
//! Ukrainian and Russian, whether only moderators may run it and what `/help` says about
//! it; one module per command holds its options, reads them from the interaction and
//! runs it. Registration and `/help` are generated from the table, and the moderator
//! check reads the same flag.
//!
//! Running a command decides what to do and returns it as an [`Effect`]: a reply, a
//! question to answer, or work only the handler can do (posting elsewhere, reloading,
//! reading the log). Nothing here touches the network or decides what to answer.

mod ask;
mod check_message;
mod confirmed;
mod follow;
pub mod help;
pub mod mention;
mod post_summary;
mod reload;
mod source;
mod sources;
mod summary;
mod topic;
mod unanswered;
mod unclear;
mod updates;
mod watch;

use std::io;

use serenity::all::{
    ChannelId, ChannelType, CommandData, CommandDataOptionValue, CommandInteraction,
    CommandOptionType, CommandType, CreateCommand, CreateCommandOption, Permissions,
};

use super::delivery::Way;
use super::handler::Reloaded;
use super::render::Reply;
use crate::unanswered::UnansweredSummary;
use crate::FactDesk;

/// The permission that makes a member a moderator for factdesk.
pub const MODERATOR: Permissions = Permissions::MANAGE_MESSAGES;
/// Longest message text read from a mention, a DM, an open channel or the message menu:
/// Discord's own limit for a message (with Nitro). Longer text is cut before matching.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Every command the bot registers, in the order `/help` lists them. Adding a command is
/// a module with its options and `run`, and a row here.
pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "ask",
        description: "Ask a question about the ZNPP Bitcoin-mining story",
        uk: Localized::new(
            "запитати",
            "Запитайте про історію з майнінгом біткоїна на ЗАЕС",
        ),
        ru: Localized::new(
            "спросить",
            "Спросите об истории с майнингом биткоина на ЗАЭС",
        ),
        help: "a question",
        ..CommandSpec::new(ask::OPTIONS, ask::run)
    },
    CommandSpec {
        name: "topic",
        description: "Look a topic of the story up",
        uk: Localized::new("тема", "Знайти тему цієї історії"),
        ru: Localized::new("тема", "Найти тему этой истории"),
        help: "look a topic up",
        ..CommandSpec::new(topic::OPTIONS, topic::run)
    },
    CommandSpec {
        name: "confirmed",
        description: "What the article confirms",
        uk: Localized::new("підтверджено", "Що стаття підтверджує"),
        ru: Localized::new("подтверждено", "Что статья подтверждает"),
        help: "what is confirmed",
        ..CommandSpec::new(&[], confirmed::run)
    },
    CommandSpec {
        name: "unclear",
        description: "What the article says is not known",
        uk: Localized::new("неясно", "Чого, за статтею, ніхто не знає"),
        ru: Localized::new("неясно", "Чего, по словам статьи, никто не знает"),
        help: "what is not known",
        ..CommandSpec::new(&[], unclear::run)
    },
    CommandSpec {
        name: "watch",
        description: "What the article says to watch next",
        uk: Localized::new("стежити", "За чим стежити далі, за статтею"),
        ru: Localized::new("следить", "За чем следить дальше, по статье"),
        help: "what to watch next",
        ..CommandSpec::new(&[], watch::run)
    },
    CommandSpec {
        name: "source",
        description: "The original article",
        uk: Localized::new("джерело", "Оригінальна стаття"),
        ru: Localized::new("источник", "Оригинальная статья"),
        help: "the article",
        ..CommandSpec::new(&[], source::run)
    },
    CommandSpec {
        name: "sources",
        description: "Every source of the story, oldest first",
        uk: Localized::new("джерела", "Усі джерела цієї історії, від найстарішого"),
        ru: Localized::new("источники", "Все источники этой истории, от самого старого"),
        help: "every source, by date",
        ..CommandSpec::new(&[], sources::run)
    },
    CommandSpec {
        name: "updates",
        description: "What later sources added or changed",
        uk: Localized::new("оновлення", "Що додали чи змінили пізніші джерела"),
        ru: Localized::new(
            "обновления",
            "Что добавили или изменили более поздние источники",
        ),
        help: "what changed since a date",
        ..CommandSpec::new(updates::OPTIONS, updates::run)
    },
    CommandSpec {
        name: "summary",
        description: "A private preview of the story summary",
        uk: Localized::new("підсумок", "Підсумок історії (видно лише вам)"),
        ru: Localized::new("сводка", "Сводка истории (видна только вам)"),
        help: "a private summary",
        ..CommandSpec::new(&[], summary::run)
    },
    CommandSpec {
        name: "help",
        description: "What factdesk can answer",
        uk: Localized::new("довідка", "На що factdesk може відповісти"),
        ru: Localized::new("помощь", "На что factdesk может ответить"),
        help: "this list",
        ..CommandSpec::new(&[], help::run)
    },
    CommandSpec {
        name: "Check with factdesk",
        // Message commands have a name and no description; the name may hold spaces.
        description: "",
        uk: Localized::new("Перевірити з factdesk", ""),
        ru: Localized::new("Проверить с factdesk", ""),
        help: "on any message",
        kind: CommandKind::Message,
        ..CommandSpec::new(&[], check_message::run)
    },
    CommandSpec {
        name: "post-summary",
        description: "Post the story summary into a channel (moderators)",
        uk: Localized::new(
            "опублікувати-підсумок",
            "Опублікувати підсумок у каналі (модератори)",
        ),
        ru: Localized::new(
            "опубликовать-сводку",
            "Опубликовать сводку в канале (модераторы)",
        ),
        help: "post the summary in a channel",
        moderator: true,
        ..CommandSpec::new(post_summary::OPTIONS, post_summary::run)
    },
    CommandSpec {
        name: "follow",
        description: "Post into a channel when a new source is added (moderators)",
        uk: Localized::new(
            "стежити-за-історією",
            "Публікувати в каналі нові джерела історії (модератори)",
        ),
        ru: Localized::new(
            "следить-за-историей",
            "Публиковать в канале новые источники истории (модераторы)",
        ),
        help: "post new sources in a channel",
        moderator: true,
        ..CommandSpec::new(follow::OPTIONS, follow::run)
    },
    CommandSpec {
        name: "unfollow",
        description: "Stop posting new sources into a channel (moderators)",
        uk: Localized::new(
            "не-стежити",
            "Більше не публікувати нові джерела в каналі (модератори)",
        ),
        ru: Localized::new(
            "не-следить",
            "Больше не публиковать новые источники в канале (модераторы)",
        ),
        help: "stop posting new sources in a channel",
        moderator: true,
        ..CommandSpec::new(follow::OPTIONS, follow::run_unfollow)
    },
    CommandSpec {
        name: "reload",
        description: "Re-read the answer files (moderators)",
        uk: Localized::new(
            "перезавантажити",
            "Перечитати файли відповідей (модератори)",
        ),
        ru: Localized::new("перезагрузить", "Перечитать файлы ответов (модераторы)"),
        help: "re-read the answer files",
        moderator: true,
        ..CommandSpec::new(&[], reload::run)
    },
    CommandSpec {
        name: "unanswered",
        description: "Questions factdesk could not answer (moderators)",
        uk: Localized::new(
            "без-відповіді",
            "Питання, на які factdesk не відповів (модератори)",
        ),
        ru: Localized::new(
            "без-ответа",
            "Вопросы, на которые factdesk не ответил (модераторы)",
        ),
        help: "questions I could not answer",
        moderator: true,
        ..CommandSpec::new(&[], unanswered::run)
    },
];

/// One row of [`COMMANDS`]: everything Discord and `/help` are told about a command, and
/// the function that runs it.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The English name: Discord sends it in every interaction, whatever the client's
    /// language, so it is the one the bot reads.
    pub name: &'static str,
    /// The English description (empty for message commands, which have none).
    pub description: &'static str,
    /// The Ukrainian (`uk`) name and description, shown to clients in Ukrainian.
    pub uk: Localized,
    /// The Russian (`ru`) name and description, shown to clients in Russian.
    pub ru: Localized,
    /// A slash command, or an entry in a message's Apps menu.
    pub kind: CommandKind,
    /// Only moderators ([`MODERATOR`]) may run it: registered with default member
    /// permissions that hide it from others, and checked again on every use.
    pub moderator: bool,
    /// What `/help` says after the command's name.
    pub help: &'static str,
    /// The options, in order.
    pub options: &'static [OptionSpec],
    /// Reads the interaction and runs the command.
    pub run: RunFn,
}

/// Reads a command's options from the interaction and runs it.
pub type RunFn = fn(&CommandInteraction, &CommandContext) -> Result<Effect, CommandError>;

/// Choices for what a user is typing into an option: `(label, value)` pairs, best first.
pub type AutocompleteFn = fn(&str, &CommandContext) -> Vec<(String, String)>;

/// A name and a description in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized {
    /// The name (Discord's rules for names apply in every language).
    pub name: &'static str,
    /// The description (empty for message commands).
    pub description: &'static str,
}

/// How a command is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// Typed as `/name`.
    Slash,
    /// Chosen from the Apps menu of a message.
    Message,
}

/// One option of a command, as registered with Discord.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// Its type: a string, a channel.
    pub kind: CommandOptionType,
    /// The English name: the one Discord sends back.
    pub name: &'static str,
    /// The English description.
    pub description: &'static str,
    /// The Ukrainian name and description.
    pub uk: Localized,
    /// The Russian name and description.
    pub ru: Localized,
    /// Longest text Discord lets a user type into a string option.
    pub max_length: Option<u16>,
    /// The channel types a channel option offers.
    pub channel_types: &'static [ChannelType],
    /// Choices offered while typing, if any.
    pub autocomplete: Option<AutocompleteFn>,
    /// Whether the user must give it.
    pub required: bool,
}

/// What a command needs to run.
pub struct CommandContext<'a> {
    /// The desk serving answers now.
    pub desk: &'a FactDesk,
}

/// What running a command asks the handler to do. Most commands reply; the others need
/// work only the handler can do (the network, the blocking pool, swapping the desk), and
/// carry the words to say once it is done.
#[derive(Debug)]
pub enum Effect {
    /// Respond with this reply.
    Reply(Reply),
    /// Answer a free-text question like any other way in: through the desk, and
    /// `delivery::decide` for cooldowns and who sees it.
    Answer {
        /// The question.
        question: String,
        /// How it came.
        way: Way,
    },
    /// Acknowledge privately, post `message` into `channel`, then tell the user `note`
    /// (given whether it was posted).
    Post {
        /// Where to post.
        channel: ChannelId,
        /// What to post.
        message: Reply,
        /// What the user is told afterwards.
        note: fn(ChannelId, bool) -> String,
    },
    /// Acknowledge privately, re-read the answer files, then tell the user `note`.
    Reload {
        /// What the user is told afterwards.
        note: fn(&Reloaded) -> String,
    },
    /// Acknowledge privately, read the unanswered log off the gateway, then tell the user
    /// `note`.
    ReadUnanswered {
        /// What the user is told afterwards.
        note: fn(&io::Result<UnansweredSummary>) -> String,
    },
    /// Make `channel` follow the story in this server (or stop), in the store, then tell
    /// the user `note` (given the channel and whether anything changed).
    Follow {
        /// The channel.
        channel: ChannelId,
        /// Follow, or stop following.
        follow: bool,
        /// What the user is told afterwards.
        note: fn(ChannelId, bool) -> String,
    },
}

/// Why an interaction could not be run as a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// A command this version does not know (e.g. left over from an older registration).
    #[error("I don't know the command `{0}`; it may be from an older version of the bot.")]
    Unknown(String),
    /// A moderator command used by someone who is not one (or in a DM, where nobody is).
    #[error("Only moderators (members with Manage Messages) can use /{0}.")]
    ModeratorsOnly(&'static str),
    /// A required option is missing or has the wrong type.
    #[error("The command is missing its `{0}` option.")]
    MissingOption(&'static str),
}

/// Finds the interaction's command, checks that the user may run it, and runs it.
///
/// Default member permissions only hide a moderator command: a server can override them
/// and a client can send the interaction anyway, so the flag is enforced here too.
pub fn run(
    interaction: &CommandInteraction,
    context: &CommandContext,
) -> Result<Effect, CommandError> {
    let spec = find(&interaction.data)?;
    if spec.moderator && !is_moderator(interaction) {
        return Err(CommandError::ModeratorsOnly(spec.name));
    }
    (spec.run)(interaction, context)
}

/// Choices for the option being typed into, from that option's autocomplete; none for
/// an option (or command) that has no autocomplete.
pub fn autocomplete(
    interaction: &CommandInteraction,
    context: &CommandContext,
) -> Vec<(String, String)> {
    let Some(focused) = interaction.data.autocomplete() else {
        return Vec::new();
    };
    let Ok(spec) = find(&interaction.data) else {
        return Vec::new();
    };
    spec.options
        .iter()
        .find(|option| option.name == focused.name)
        .and_then(|option| option.autocomplete)
        .map(|choices| choices(focused.value, context))
        .unwrap_or_default()
}

/// The commands to register, generated from [`COMMANDS`]. Moderator commands are
/// top-level commands of their own, because Discord applies default member permissions
/// to a whole top-level command.
pub fn registrations() -> Vec<CreateCommand> {
    COMMANDS.iter().map(register).collect()
}

/// Whether the member who used the command may run moderator commands. In DMs there is
/// no member, so the answer is no.
pub fn is_moderator(interaction: &CommandInteraction) -> bool {
    interaction
        .member
        .as_ref()
        .and_then(|member| member.permissions)
        .is_some_and(|permissions| permissions.contains(MODERATOR) || permissions.administrator())
}

impl CommandSpec {
    /// A slash command for everyone with these options and this run; a row of
    /// [`COMMANDS`] gives the rest with the struct update syntax.
    const fn new(options: &'static [OptionSpec], run: RunFn) -> CommandSpec {
        CommandSpec {
            name: "",
            description: "",
            uk: Localized::new("", ""),
            ru: Localized::new("", ""),
            kind: CommandKind::Slash,
            moderator: false,
            help: "",
            options,
            run,
        }
    }
}

impl Localized {
    /// A name and a description.
    pub const fn new(name: &'static str, description: &'static str) -> Localized {
        Localized { name, description }
    }
}

impl OptionSpec {
    /// A required option; an option's constant gives the rest (a length limit, channel
    /// types, autocomplete) with the struct update syntax.
    const fn required(
        kind: CommandOptionType,
        name: &'static str,
        description: &'static str,
        uk: Localized,
        ru: Localized,
    ) -> OptionSpec {
        OptionSpec {
            kind,
            name,
            description,
            uk,
            ru,
            max_length: None,
            channel_types: &[],
            autocomplete: None,
            required: true,
        }
    }

    /// The string the user gave this option, if they gave one.
    fn optional_string_in(&self, data: &CommandData) -> Option<String> {
        self.string_in(data).ok()
    }

    /// The string the user gave this option.
    fn string_in(&self, data: &CommandData) -> Result<String, CommandError> {
        data.options
            .iter()
            .find(|option| option.name == self.name)
            .and_then(|option| match &option.value {
                CommandDataOptionValue::String(value) => Some(value.clone()),
                _ => None,
            })
            .ok_or(CommandError::MissingOption(self.name))
    }

    /// The channel the user chose for this option.
    fn channel_in(&self, data: &CommandData) -> Result<ChannelId, CommandError> {
        data.options
            .iter()
            .find(|option| option.name == self.name)
            .and_then(|option| option.value.as_channel_id())
            .ok_or(CommandError::MissingOption(self.name))
    }
}

/// The row of the command an interaction names.
fn find(data: &CommandData) -> Result<&'static CommandSpec, CommandError> {
    let kind = match data.kind {
        CommandType::Message => CommandKind::Message,
        _ => CommandKind::Slash,
    };
    COMMANDS
        .iter()
        .find(|spec| spec.kind == kind && spec.name == data.name)
        .ok_or_else(|| CommandError::Unknown(data.name.clone()))
}

fn register(spec: &CommandSpec) -> CreateCommand {
    let mut command = CreateCommand::new(spec.name)
        .name_localized("uk", spec.uk.name)
        .name_localized("ru", spec.ru.name);
    command = match spec.kind {
        CommandKind::Slash => command
            .description(spec.description)
            .description_localized("uk", spec.uk.description)
            .description_localized("ru", spec.ru.description),
        CommandKind::Message => command.kind(CommandType::Message),
    };
    for option in spec.options {
        command = command.add_option(register_option(option));
    }
    if spec.moderator {
        command = command
            .default_member_permissions(MODERATOR)
            .dm_permission(false);
    }
    command
}

fn register_option(spec: &OptionSpec) -> CreateCommandOption {
    let mut option = CreateCommandOption::new(spec.kind, spec.name, spec.description)
        .required(spec.required)
        .name_localized("uk", spec.uk.name)
        .description_localized("uk", spec.uk.description)
        .name_localized("ru", spec.ru.name)
        .description_localized("ru", spec.ru.description);
    if let Some(max_length) = spec.max_length {
        option = option.max_length(max_length);
    }
    if !spec.channel_types.is_empty() {
        option = option.channel_types(spec.channel_types.to_vec());
    }
    if spec.autocomplete.is_some() {
        option = option.set_autocomplete(true);
    }
    option
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Every registered command as its user reaches it: `/name` for slash commands, the
    /// bare name for message-menu entries; read back from the registrations themselves.
    fn registered() -> Vec<(String, CommandKind)> {
        registrations()
            .iter()
            .map(|command| {
                let Ok(json) = serde_json::to_value(command) else {
                    panic!("a command serialises")
                };
                let name = json["name"].as_str().unwrap_or_default();
                if json["type"] == 3 {
                    (name.to_string(), CommandKind::Message)
                } else {
                    (format!("/{name}"), CommandKind::Slash)
                }
            })
            .collect()
    }

    /// The commands in the first column of README.md's command table (the table whose
    /// header starts with `| command |`): the first word of each code span that starts
    /// with `/`, and each bold span (message-menu entries such as `Apps → **Check with
    /// factdesk**`). `None` if there is no such table.
    fn readme_command_table(readme: &str) -> Option<Vec<String>> {
        let mut lines = readme
            .lines()
            .skip_while(|line| line.split('|').nth(1).map(str::trim) != Some("command"));
        lines.next()?;
        let mut listed = Vec::new();
        for line in lines.take_while(|line| line.starts_with('|')) {
            let first_cell = line.split('|').nth(1).unwrap_or_default();
            if first_cell.trim().starts_with("---") {
                continue;
            }
            for code in first_cell.split('`').skip(1).step_by(2) {
                if let Some(word) = code
                    .split_whitespace()
                    .next()
                    .filter(|word| word.starts_with('/'))
                {
                    listed.push(word.to_string());
                }
            }
            for bold in first_cell.split("**").skip(1).step_by(2) {
                listed.push(bold.to_string());
            }
        }
        Some(listed)
    }

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

    #[test]
    fn every_row_has_a_unique_valid_name_a_description_and_a_help_line() {
        let mut seen = std::collections::HashSet::new();
        for spec in COMMANDS {
            assert!(
                seen.insert(spec.name),
                "{} is in the table twice",
                spec.name
            );
            assert!(!spec.help.is_empty(), "{} has no help line", spec.name);
            if spec.kind == CommandKind::Slash {
                assert!(is_valid_name(spec.name), "{:?}", spec.name);
                assert!(
                    (1..=100).contains(&spec.description.chars().count()),
                    "/{}: description",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn moderator_rows_are_registered_for_moderators_only_and_not_in_dms() {
        for (spec, command) in COMMANDS.iter().zip(registrations()) {
            let Ok(json) = serde_json::to_value(&command) else {
                panic!("a command serialises")
            };
            assert_eq!(json["name"], spec.name);
            if spec.moderator {
                assert_eq!(
                    json["default_member_permissions"],
                    MODERATOR.bits().to_string(),
                    "/{}",
                    spec.name
                );
                assert_eq!(json["dm_permission"], false, "/{}", spec.name);
            } else {
                assert!(
                    json["default_member_permissions"].is_null(),
                    "/{}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn every_registered_command_is_in_the_generated_help() {
        let responses = Path::new(env!("CARGO_MANIFEST_DIR")).join("responses");
        let desk = match FactDesk::load(&responses) {
            Ok(desk) => desk,
            Err(problems) => panic!("the shipped responses must pass the check:\n{problems}"),
        };
        let screen = help::screen(&desk, crate::language::Language::English);
        let Some(embed) = screen.embed else {
            panic!("help is an embed")
        };
        let moderators_line = embed
            .description
            .lines()
            .find(|line| line.starts_with("Moderators:"))
            .unwrap_or_default();
        for (name, kind) in registered() {
            let shown = match kind {
                CommandKind::Slash => format!("**{name}**"),
                CommandKind::Message => format!("**Apps → {name}**"),
            };
            assert!(
                embed.description.contains(&shown),
                "/help does not list {shown}:\n{}",
                embed.description
            );
            let moderator = COMMANDS
                .iter()
                .any(|spec| spec.moderator && name.trim_start_matches('/') == spec.name);
            assert_eq!(
                moderators_line.contains(&shown),
                moderator,
                "/help's moderator line and the table disagree about {name}"
            );
        }
    }

    #[test]
    fn every_registered_command_is_in_the_readme_s_command_table() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path)
            .unwrap_or_else(|why| panic!("{}: {why}", path.display()));
        let Some(listed) = readme_command_table(&readme) else {
            panic!(
                "README.md has no command table (a table whose header starts with `| command |`)"
            )
        };
        let registered = registered();
        for (name, _) in &registered {
            assert!(
                listed.contains(name),
                "README.md's command table has no row for {name}: add it to the first column \
                 (`{name} …` in a code span, or a message-menu entry in bold)"
            );
        }
        for name in &listed {
            assert!(
                registered.iter().any(|(registered, _)| registered == name),
                "README.md's command table lists {name}, which the bot does not register"
            );
        }
    }
}
