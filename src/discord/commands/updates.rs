//! `/updates [since]`: the claims later sources added or changed, newest first. Without a
//! date, everything added since the article.

use serenity::all::{CommandInteraction, CommandOptionType};

use super::{CommandContext, CommandError, Effect, Localized, OptionSpec};
use crate::discord::render;
use crate::knowledge::parse_date;

/// `YYYY-MM-DD` is ten characters.
const DATE_CHARS: u16 = 10;

/// The date to list changes from.
const SINCE: OptionSpec = OptionSpec {
    max_length: Some(DATE_CHARS),
    required: false,
    ..OptionSpec::required(
        CommandOptionType::String,
        "since",
        "A date, YYYY-MM-DD (default: everything after the article)",
        Localized::new("від", "Дата, РРРР-ММ-ДД (типово: усе після статті)"),
        Localized::new("с", "Дата, ГГГГ-ММ-ДД (по умолчанию: всё после статьи)"),
    )
};

/// `/updates`'s options.
pub const OPTIONS: &[OptionSpec] = &[SINCE];

/// What changed since the date given, or since the article; a date that is not one gets
/// a private note saying how to write it.
pub fn run(
    interaction: &CommandInteraction,
    context: &CommandContext,
) -> Result<Effect, CommandError> {
    let knowledge_base = context.desk.knowledge_base();
    let since = match SINCE.optional_string_in(&interaction.data) {
        Some(typed) => {
            let typed = typed.trim().to_string();
            if parse_date(&typed).is_none() {
                return Ok(Effect::Reply(render::notice(
                    "Write the date as YYYY-MM-DD, e.g. 2026-01-01.",
                )));
            }
            typed
        }
        // Everything after the article: the day after it was published.
        None => parse_date(&knowledge_base.story.published)
            .and_then(|date| date.succ_opt())
            .map_or_else(
                || knowledge_base.story.published.clone(),
                |date| date.format("%Y-%m-%d").to_string(),
            ),
    };
    let changed = crate::updates::since(knowledge_base, &since);
    Ok(Effect::Reply(render::updates(
        &since,
        &changed,
        &knowledge_base.story,
    )))
}
