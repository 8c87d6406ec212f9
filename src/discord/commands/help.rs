//! `/help`: what the bot answers and how to ask it, generated from [`COMMANDS`], and the
//! topics it knows. A bare mention gets the same screen.

use serenity::all::CommandInteraction;

use super::{CommandContext, CommandError, CommandKind, CommandSpec, Effect, COMMANDS};
use crate::discord::render::{self, Reply};
use crate::language::Language;
use crate::FactDesk;

/// The help screen, in the language of the member's client when the bot speaks it.
pub fn run(
    interaction: &CommandInteraction,
    context: &CommandContext,
) -> Result<Effect, CommandError> {
    let language = Language::from_locale(&interaction.locale).unwrap_or(Language::English);
    Ok(Effect::Reply(screen(context.desk, language)))
}

/// The help screen: every command in the table with its help line (moderators' on a line
/// of their own), the ways in that are not commands, and the topics.
pub fn screen(desk: &FactDesk, language: Language) -> Reply {
    let titles: Vec<&str> = desk
        .topics()
        .iter()
        .map(|topic| topic.title.as_str())
        .collect();
    render::help(
        &desk.knowledge_base().story,
        &titles,
        &command_lines(language),
        language,
    )
}

/// Everyone's commands on one line, the other ways in on the next, moderators' last.
fn command_lines(language: Language) -> Vec<String> {
    let labels = language.labels();
    let (moderators, everyone): (Vec<&CommandSpec>, Vec<&CommandSpec>) =
        COMMANDS.iter().partition(|spec| spec.moderator);
    let entries = |specs: Vec<&CommandSpec>| {
        specs
            .into_iter()
            .map(|spec| entry(spec, language))
            .collect::<Vec<String>>()
            .join(" · ")
    };
    vec![
        entries(everyone),
        labels.help_other_ways.to_string(),
        format!("{}: {}", labels.help_moderators, entries(moderators)),
    ]
}

/// A command as the user reaches it, and what it does: the names a Ukrainian or Russian
/// client shows in its command picker, with their descriptions, so that help and picker
/// agree.
fn entry(spec: &CommandSpec, language: Language) -> String {
    let (name, help) = match language {
        Language::English => (spec.name, spec.help),
        Language::Ukrainian => (spec.uk.name, spec.uk.description),
        Language::Russian => (spec.ru.name, spec.ru.description),
    };
    match spec.kind {
        CommandKind::Slash => format!("**/{name}** {help}"),
        // Message commands have no description to show: say what they are used on.
        CommandKind::Message => format!(
            "**Apps → {name}** {}",
            language.labels().help_on_any_message
        ),
    }
}
