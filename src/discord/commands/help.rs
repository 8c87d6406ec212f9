//! `/help`: what the bot answers and how to ask it, generated from [`COMMANDS`], and the
//! topics it knows. A bare mention gets the same screen.

use serenity::all::CommandInteraction;

use super::{mention, CommandContext, CommandError, CommandKind, CommandSpec, Effect, COMMANDS};
use crate::discord::render::{self, Reply};
use crate::FactDesk;

/// The help screen.
pub fn run(_: &CommandInteraction, context: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Reply(screen(context.desk)))
}

/// The help screen: every command in the table with its help line (moderators' on a line
/// of their own), the ways in that are not commands, and the topics.
pub fn screen(desk: &FactDesk) -> Reply {
    render::help(desk, &command_lines())
}

/// Everyone's commands on one line, the other ways in on the next, moderators' last.
fn command_lines() -> Vec<String> {
    let (moderators, everyone): (Vec<&CommandSpec>, Vec<&CommandSpec>) =
        COMMANDS.iter().partition(|spec| spec.moderator);
    let entries = |specs: Vec<&CommandSpec>| {
        specs
            .into_iter()
            .map(entry)
            .collect::<Vec<String>>()
            .join(" · ")
    };
    vec![
        entries(everyone),
        mention::HELP.to_string(),
        format!("Moderators: {}", entries(moderators)),
    ]
}

/// A command as the user reaches it, and what it does.
fn entry(spec: &CommandSpec) -> String {
    match spec.kind {
        CommandKind::Slash => format!("**/{}** {}", spec.name, spec.help),
        CommandKind::Message => format!("**Apps → {}** {}", spec.name, spec.help),
    }
}
