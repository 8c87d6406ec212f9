//! `/ask question`: a free-text question, answered like every other way in.

use serenity::all::{CommandInteraction, CommandOptionType};

use super::{CommandContext, CommandError, Effect, Localized, OptionSpec};
use crate::discord::delivery::Way;

/// Longest question accepted by `/ask`; longer text is for mentions and the context menu.
pub const MAX_QUESTION: u16 = 1000;

/// The question.
const QUESTION: OptionSpec = OptionSpec {
    max_length: Some(MAX_QUESTION),
    ..OptionSpec::required(
        CommandOptionType::String,
        "question",
        "Your question",
        Localized::new("питання", "Ваше питання"),
        Localized::new("вопрос", "Ваш вопрос"),
    )
};

/// `/ask`'s options.
pub const OPTIONS: &[OptionSpec] = &[QUESTION];

/// Hands the question to the handler to answer.
pub fn run(interaction: &CommandInteraction, _: &CommandContext) -> Result<Effect, CommandError> {
    Ok(Effect::Answer {
        question: QUESTION.string_in(&interaction.data)?,
        way: Way::Slash,
    })
}
