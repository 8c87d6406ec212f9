//! `/topic name`: one topic, autocompleted from the topic titles; text that names no
//! topic is answered as a question.

use serenity::all::{CommandInteraction, CommandOptionType};

use super::{CommandContext, CommandError, Effect, Localized, OptionSpec};
use crate::discord::delivery::Way;
use crate::discord::render;

/// Longest text accepted by `/topic`: topic titles are short, and autocomplete values are
/// at most 100 characters.
pub const MAX_TOPIC_NAME: u16 = 100;
/// Autocomplete may offer at most this many choices.
const MAX_CHOICES: usize = 25;
/// Longest autocomplete choice label.
const MAX_CHOICE_LABEL: usize = 100;

/// A topic id (chosen from the autocomplete) or what the user typed.
const NAME: OptionSpec = OptionSpec {
    max_length: Some(MAX_TOPIC_NAME),
    autocomplete: Some(choices),
    ..OptionSpec::required(
        CommandOptionType::String,
        "name",
        "Start typing a topic",
        Localized::new("назва", "Почніть вводити тему"),
        Localized::new("название", "Начните вводить тему"),
    )
};

/// `/topic`'s options.
pub const OPTIONS: &[OptionSpec] = &[NAME];

/// The topic's answer; free text goes to the handler as a question.
pub fn run(
    interaction: &CommandInteraction,
    context: &CommandContext,
) -> Result<Effect, CommandError> {
    let name = NAME.string_in(&interaction.data)?;
    Ok(match context.desk.answer_topic(&name) {
        Some(answer) => Effect::Reply(render::answer(
            &answer,
            &context.desk.knowledge_base().story,
        )),
        None => Effect::Answer {
            question: name,
            way: Way::Slash,
        },
    })
}

/// Topics matching what has been typed so far, from memory.
fn choices(typed: &str, context: &CommandContext) -> Vec<(String, String)> {
    context
        .desk
        .topic_choices(typed, MAX_CHOICES)
        .into_iter()
        .map(|topic| {
            (
                render::truncate(&topic.title, MAX_CHOICE_LABEL),
                topic.id.clone(),
            )
        })
        .collect()
}
