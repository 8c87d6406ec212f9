//! Rendering answers as Discord messages: embeds with labelled quote fields, a link button
//! to the source, topic buttons, all cut to Discord's limits.
//!
//! Rendering first builds a plain `Reply` (testable without serenity), then `fit` applies
//! every limit, then the `into_*` functions turn it into serenity builders. It never
//! decides what to answer, and it never echoes user text, so nothing a user typed can
//! become a mention; every message also sets allowed mentions to none.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse,
};

use crate::answer::{Answer, AnswerStatus, Suggestion, NOTHING_CONFIRMED};
use crate::knowledge::{Claim, ClaimStatus, Source, Story};
use crate::language::Language;
use crate::summary::Summary;
use crate::updates::Update;

/// Discord's limits on message parts, in characters.
pub mod limits {
    /// Message content.
    pub const CONTENT: usize = 2000;
    /// Embed title.
    pub const TITLE: usize = 256;
    /// Embed description.
    pub const DESCRIPTION: usize = 4096;
    /// Fields per embed.
    pub const FIELDS: usize = 25;
    /// Field name.
    pub const FIELD_NAME: usize = 256;
    /// Field value.
    pub const FIELD_VALUE: usize = 1024;
    /// Footer text.
    pub const FOOTER: usize = 2048;
    /// All text of one embed together.
    pub const EMBED_TOTAL: usize = 6000;
    /// Button label.
    pub const BUTTON_LABEL: usize = 80;
    /// Component custom id.
    pub const CUSTOM_ID: usize = 100;
    /// Buttons per action row.
    pub const BUTTONS_PER_ROW: usize = 5;
    /// Action rows per message.
    pub const ROWS: usize = 5;
}

/// Prefix of the custom id of a button that opens a topic.
pub const TOPIC_BUTTON: &str = "topic:";

/// Embed colours: amber for "developing, mostly unconfirmed"; grey for misses.
const COLOUR_ANSWER: u32 = 0xE0A100;
const COLOUR_MISS: u32 = 0x7F8C8D;

/// A message to send, as plain data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// Plain text content, if any.
    pub content: Option<String>,
    /// At most one embed.
    pub embed: Option<Embed>,
    /// Buttons, laid out in rows of five.
    pub buttons: Vec<Button>,
    /// Only the person who asked sees it (interactions only).
    pub ephemeral: bool,
}

/// An embed, as plain data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embed {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Named fields, in order.
    pub fields: Vec<(String, String)>,
    /// Footer text.
    pub footer: String,
    /// Colour.
    pub colour: u32,
}

/// A button, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Button {
    /// Opens a link (style 5).
    Link {
        /// Label.
        label: String,
        /// URL.
        url: String,
    },
    /// Answers with a topic when clicked.
    Topic {
        /// Label.
        label: String,
        /// Topic id.
        topic_id: String,
        /// Highlighted (a "did you mean" choice) rather than secondary.
        primary: bool,
    },
}

/// The reply to an answer: the labelled embed, or a "did you mean" / miss message.
pub fn answer(answer: &Answer, story: &Story) -> Reply {
    let topic_button = |suggestion: &Suggestion, primary: bool| Button::Topic {
        label: suggestion.title.clone(),
        topic_id: suggestion.id.clone(),
        primary,
    };
    let mut buttons = vec![source_button(story)];
    let labels = answer.language.labels();
    let reply = match answer.status {
        AnswerStatus::Answered => {
            let mut fields = Vec::new();
            // No "Confirmed" field when nothing is: the answer itself already says so, in
            // the asker's language, and saying it twice reads as padding.
            quote_fields(
                &mut fields,
                labels.confirmed,
                &answer.quotes,
                ClaimStatus::Confirmed,
                "",
            );
            quote_fields(
                &mut fields,
                labels.reported,
                &answer.quotes,
                ClaimStatus::Reported,
                "",
            );
            quote_fields(
                &mut fields,
                labels.unclear,
                &answer.quotes,
                ClaimStatus::Unclear,
                labels.nothing_unclear,
            );
            // What later sources updated: shown after the current state, as what it was.
            let earlier: Vec<String> = answer
                .quotes
                .iter()
                .filter(|claim| claim.earlier)
                .map(|claim| earlier_line(claim, &labels))
                .collect();
            line_fields(&mut fields, labels.earlier, &earlier, "\n\n");
            buttons.extend(
                answer
                    .suggestions
                    .iter()
                    .map(|suggestion| topic_button(suggestion, false)),
            );
            Reply {
                content: None,
                embed: Some(Embed {
                    title: answer.title.clone().unwrap_or_else(|| story.title.clone()),
                    description: answer.answer.clone(),
                    fields,
                    footer: footer(story),
                    colour: COLOUR_ANSWER,
                }),
                buttons,
                ephemeral: false,
            }
        }
        AnswerStatus::Ambiguous | AnswerStatus::NoMatch => {
            let ambiguous = answer.status == AnswerStatus::Ambiguous;
            buttons.extend(
                answer
                    .suggestions
                    .iter()
                    .map(|suggestion| topic_button(suggestion, ambiguous)),
            );
            Reply {
                content: None,
                embed: Some(Embed {
                    title: if ambiguous {
                        labels.did_you_mean
                    } else {
                        labels.not_this_story
                    }
                    .to_string(),
                    description: format!("{}\n\n{}", answer.answer, labels.see_help),
                    fields: Vec::new(),
                    footer: footer(story),
                    colour: COLOUR_MISS,
                }),
                buttons,
                // Who sees it is `delivery::decide`'s call, not the renderer's.
                ephemeral: false,
            }
        }
    };
    fit(reply)
}

/// A list of claims under one heading (`/confirmed`, `/unclear`).
pub fn claims(title: &str, description: &str, claims: &[Claim], story: &Story) -> Reply {
    let mut fields = Vec::new();
    for status in [
        ClaimStatus::Confirmed,
        ClaimStatus::Reported,
        ClaimStatus::Unclear,
    ] {
        quote_fields(&mut fields, status.label(), claims, status, "");
    }
    if claims.is_empty() {
        fields.push((
            ClaimStatus::Confirmed.label().to_string(),
            NOTHING_CONFIRMED.to_string(),
        ));
    }
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: title.to_string(),
            description: description.to_string(),
            fields,
            footer: footer(story),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![source_button(story)],
        ephemeral: false,
    })
}

/// The moderator summary of the story.
pub fn summary(summary: &Summary) -> Reply {
    let mut fields = Vec::new();
    quote_fields(
        &mut fields,
        ClaimStatus::Confirmed.label(),
        &summary.confirmed,
        ClaimStatus::Confirmed,
        NOTHING_CONFIRMED,
    );
    quote_fields(
        &mut fields,
        ClaimStatus::Reported.label(),
        &summary.reported,
        ClaimStatus::Reported,
        "",
    );
    quote_fields(
        &mut fields,
        ClaimStatus::Unclear.label(),
        &summary.unclear,
        ClaimStatus::Unclear,
        "",
    );
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: format!("Story summary: {}", summary.title),
            description: format!(
                "What the article says, and how solid each part is. Published by {} on {}.",
                summary.outlet, summary.published
            ),
            fields,
            footer: format!(
                "{} · {} · {}",
                summary.outlet, summary.published, summary.notice
            ),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![Button::Link {
            label: format!("Read the original ({})", summary.outlet),
            url: summary.source_url.clone(),
        }],
        ephemeral: false,
    })
}

/// The source of the story.
pub fn source(story: &Story) -> Reply {
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: story.title.clone(),
            description: format!(
                "Published by {} on {}.\n{}\n\nEvery answer I give quotes this article verbatim and labels each quote \
                 confirmed, reported or unclear.",
                story.outlet, story.published, story.source_url
            ),
            fields: Vec::new(),
            footer: footer(story),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![source_button(story)],
        ephemeral: false,
    })
}

/// Every source of the story, oldest first, with its date and link.
pub fn sources(sources: &[Source], story: &Story) -> Reply {
    let lines: Vec<String> = sources
        .iter()
        .map(|source| {
            format!(
                "**{}** · {}\n{}",
                source.published, source.outlet, source.url
            )
        })
        .collect();
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: "Sources".to_string(),
            description: format!(
                "{}\n\nEvery quote I show names its source; later sources update earlier \
                 claims, and the earlier reporting stays visible, labelled as earlier.",
                lines.join("\n\n")
            ),
            fields: Vec::new(),
            footer: footer(story),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![source_button(story)],
        ephemeral: false,
    })
}

/// The post a following channel gets when a reload brings a new source: what it says,
/// quoted and labelled, with a link to it.
pub fn new_source(source: &Source, claims: &[Claim], story: &Story) -> Reply {
    let mut fields = Vec::new();
    for status in [
        ClaimStatus::Confirmed,
        ClaimStatus::Reported,
        ClaimStatus::Unclear,
    ] {
        quote_fields(&mut fields, status.label(), claims, status, "");
    }
    let description = if claims.is_empty() {
        "A later source about the story was added; no answer quotes it yet.".to_string()
    } else {
        "A later source about the story was added. What it says, word for word, each quote \
         labelled; the earlier reporting it updates stays in the answers, marked as earlier."
            .to_string()
    };
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: format!("New source: {}, {}", source.outlet, source.published),
            description,
            fields,
            footer: footer(story),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![Button::Link {
            label: format!("Read it ({})", source.outlet),
            url: source.url.clone(),
        }],
        ephemeral: false,
    })
}

/// The claims added or changed since a date, newest first.
pub fn updates(since: &str, updates: &[Update], story: &Story) -> Reply {
    let mut fields = Vec::new();
    for update in updates {
        let bears_on = match (&update.updates, update.relation) {
            (Some(_), Some(relation)) => format!(" ({} an earlier claim)", relation.as_str()),
            _ => String::new(),
        };
        fields.push((
            format!(
                "{} · {} — {}",
                update.claim.published, update.outlet, update.topic_title
            ),
            format!(
                "{}{bears_on}: “{}”",
                update.claim.status.label(),
                update.claim.text
            ),
        ));
    }
    let description = if updates.is_empty() {
        format!("Nothing has been added or changed since {since}.")
    } else {
        format!("What sources published on or after {since} added or changed, newest first.")
    };
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: format!("Updates since {since}"),
            description,
            fields,
            footer: footer(story),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![source_button(story)],
        ephemeral: false,
    })
}

/// The help screen: what the bot does, `command_lines` (generated from the command
/// table), and the topics it knows.
pub fn help(
    story: &Story,
    topic_titles: &[&str],
    command_lines: &[String],
    language: Language,
) -> Reply {
    let labels = language.labels();
    let topics: Vec<String> = topic_titles
        .iter()
        .map(|title| format!("• {title}"))
        .collect();
    let mut fields = Vec::new();
    line_fields(&mut fields, labels.topics, &topics, "\n");
    let intro = labels
        .help_intro
        .replace("{title}", &story.title)
        .replace("{outlet}", &story.outlet)
        .replace("{published}", &story.published);
    let description = format!("{intro}\n\n{}", command_lines.join("\n"));
    fit(Reply {
        content: None,
        embed: Some(Embed {
            title: labels.help_title.to_string(),
            description,
            fields,
            footer: footer(story),
            colour: COLOUR_ANSWER,
        }),
        buttons: vec![source_button(story)],
        ephemeral: true,
    })
}

/// A short private notice (refusals, cooldowns, errors).
pub fn notice(text: &str) -> Reply {
    fit(Reply {
        content: Some(text.to_string()),
        embed: None,
        buttons: Vec::new(),
        ephemeral: true,
    })
}

/// Applies every Discord limit to a reply, cutting on character boundaries and marking
/// every cut with an ellipsis.
pub fn fit(mut reply: Reply) -> Reply {
    reply.content = reply
        .content
        .map(|content| truncate(&content, limits::CONTENT));
    if let Some(embed) = &mut reply.embed {
        embed.title = truncate(&embed.title, limits::TITLE);
        embed.description = truncate(&embed.description, limits::DESCRIPTION);
        embed.footer = truncate(&embed.footer, limits::FOOTER);
        for (name, value) in &mut embed.fields {
            *name = non_empty(truncate(name, limits::FIELD_NAME));
            *value = non_empty(truncate(value, limits::FIELD_VALUE));
        }
        let mut dropped = false;
        while embed.fields.len() > limits::FIELDS
            || (embed_length(embed) > limits::EMBED_TOTAL && !embed.fields.is_empty())
        {
            embed.fields.pop();
            dropped = true;
        }
        if dropped {
            // Say that something is missing rather than let a list look complete.
            let note = (
                "More".to_string(),
                "Some quotes were left out to fit Discord's limits; see the source.".to_string(),
            );
            while !embed.fields.is_empty()
                && (embed.fields.len() >= limits::FIELDS
                    || embed_length(embed) + note.0.len() + note.1.len() > limits::EMBED_TOTAL)
            {
                embed.fields.pop();
            }
            embed.fields.push(note);
        }
        let room = limits::EMBED_TOTAL
            .saturating_sub(embed_length(embed) - embed.description.chars().count());
        embed.description = truncate(&embed.description, room.min(limits::DESCRIPTION));
    }
    for button in &mut reply.buttons {
        match button {
            Button::Link { label, .. } | Button::Topic { label, .. } => {
                *label = truncate(label, limits::BUTTON_LABEL)
            }
        }
    }
    let custom_id_room = limits::CUSTOM_ID - TOPIC_BUTTON.len();
    reply.buttons.retain(|button| match button {
        Button::Topic { topic_id, .. } => topic_id.len() <= custom_id_room,
        Button::Link { .. } => true,
    });
    reply
        .buttons
        .truncate(limits::BUTTONS_PER_ROW * limits::ROWS);
    reply
}

/// Discord rejects empty field names and values; a zero-width space is the usual stand-in.
fn non_empty(text: String) -> String {
    if text.trim().is_empty() {
        "\u{200B}".to_string()
    } else {
        text
    }
}

/// Characters that count towards an embed's 6,000 total.
pub fn embed_length(embed: &Embed) -> usize {
    let fields: usize = embed
        .fields
        .iter()
        .map(|(name, value)| name.chars().count() + value.chars().count())
        .sum();
    embed.title.chars().count()
        + embed.description.chars().count()
        + embed.footer.chars().count()
        + fields
}

/// Cuts `text` to at most `max` characters, ending with "…" if anything was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Applies a reply to one of serenity's message builders: they share these method names
/// but no trait, so a macro keeps the three conversions identical.
macro_rules! apply_reply {
    ($builder:expr, $reply:expr) => {{
        let reply: Reply = $reply;
        let mut builder = $builder
            .allowed_mentions(no_mentions())
            .components(rows(&reply.buttons));
        if let Some(content) = reply.content {
            builder = builder.content(content);
        }
        if let Some(embed) = reply.embed {
            builder = builder.embed(into_embed(embed));
        }
        builder
    }};
}

/// The reply as an interaction response message.
pub fn into_interaction_message(reply: Reply) -> CreateInteractionResponseMessage {
    let ephemeral = reply.ephemeral;
    apply_reply!(
        CreateInteractionResponseMessage::new().ephemeral(ephemeral),
        reply
    )
}

/// The reply as an edit of a deferred interaction response.
pub fn into_edit(reply: Reply) -> EditInteractionResponse {
    apply_reply!(EditInteractionResponse::new(), reply)
}

/// The reply as a channel message.
pub fn into_channel_message(reply: Reply) -> CreateMessage {
    apply_reply!(CreateMessage::new(), reply)
}

/// Allowed mentions that allow nothing: no @everyone, no roles, no users, no reply ping.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

fn into_embed(embed: Embed) -> CreateEmbed {
    let mut created = CreateEmbed::new()
        .title(embed.title)
        .description(embed.description)
        .colour(embed.colour)
        .footer(CreateEmbedFooter::new(embed.footer));
    for (name, value) in embed.fields {
        created = created.field(name, value, false);
    }
    created
}

fn rows(buttons: &[Button]) -> Vec<CreateActionRow> {
    buttons
        .chunks(limits::BUTTONS_PER_ROW)
        .map(|chunk| CreateActionRow::Buttons(chunk.iter().map(into_button).collect()))
        .collect()
}

fn into_button(button: &Button) -> CreateButton {
    match button {
        Button::Link { label, url } => CreateButton::new_link(url).label(label),
        Button::Topic {
            label,
            topic_id,
            primary,
        } => CreateButton::new(format!("{TOPIC_BUTTON}{topic_id}"))
            .label(label)
            .style(if *primary {
                ButtonStyle::Primary
            } else {
                ButtonStyle::Secondary
            }),
    }
}

fn source_button(story: &Story) -> Button {
    Button::Link {
        label: format!("Read the original ({})", story.outlet),
        url: story.source_url.clone(),
    }
}

fn footer(story: &Story) -> String {
    format!(
        "{} · {} · {}",
        story.outlet,
        story.published,
        story.standing_notice()
    )
}

/// Adds fields named `label` holding the quotes with `status`; with no such quotes, one
/// field saying `when_empty` (if not empty).
fn quote_fields(
    fields: &mut Vec<(String, String)>,
    label: &str,
    quotes: &[Claim],
    status: ClaimStatus,
    when_empty: &str,
) {
    let lines: Vec<String> = quotes
        .iter()
        .filter(|claim| claim.status == status && !claim.earlier)
        .map(quote_line)
        .collect();
    if lines.is_empty() {
        if !when_empty.is_empty() {
            fields.push((label.to_string(), when_empty.to_string()));
        }
        return;
    }
    line_fields(fields, label, &lines, "\n\n");
}

/// Adds fields named `label` (then "label (continued)") holding `lines` joined by
/// `separator`, never splitting a line across fields; a single line too long for a
/// field is cut with an ellipsis, never silently.
fn line_fields(fields: &mut Vec<(String, String)>, label: &str, lines: &[String], separator: &str) {
    let mut value = String::new();
    let mut part = 1;
    for line in lines {
        let line = truncate(line, limits::FIELD_VALUE);
        let needed = value.chars().count() + separator.chars().count() + line.chars().count();
        if !value.is_empty() && needed > limits::FIELD_VALUE {
            fields.push((field_name(label, part), std::mem::take(&mut value)));
            part += 1;
        }
        if !value.is_empty() {
            value.push_str(separator);
        }
        value.push_str(&line);
    }
    if !value.is_empty() {
        fields.push((field_name(label, part), value));
    }
}

fn field_name(label: &str, part: usize) -> String {
    if part == 1 {
        label.to_string()
    } else {
        format!("{label} (continued)")
    }
}

/// One quote as shown: verbatim, in quotation marks, with its attribution and section.
fn quote_line(claim: &Claim) -> String {
    let attribution = claim
        .attribution
        .as_deref()
        .map(|name| format!("{name} · "))
        .unwrap_or_default();
    format!("“{}”\n— *{attribution}{}*", claim.text, place(claim))
}

/// A claim a later source updated: its quote, with its own label and date.
fn earlier_line(claim: &Claim, labels: &crate::language::Labels) -> String {
    let label = match claim.status {
        ClaimStatus::Confirmed => labels.confirmed,
        ClaimStatus::Reported => labels.reported,
        ClaimStatus::Unclear => labels.unclear,
    };
    format!(
        "“{}”\n— *{label}, {} · {}*",
        claim.text,
        claim.published,
        place(claim)
    )
}

/// Where a quote is from: the article's section, or a later source's outlet and date.
fn place(claim: &Claim) -> String {
    if claim.source == crate::knowledge::ARTICLE_SOURCE {
        claim.section.clone()
    } else {
        format!("{}, {}", claim.section, claim.published)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(status: ClaimStatus, length: usize) -> Claim {
        Claim {
            status,
            text: "x".repeat(length),
            section: "What happened".to_string(),
            attribution: None,
            source: "article".to_string(),
            source_url: "https://example.org/article".to_string(),
            published: "2025-12-27".to_string(),
            id: None,
            updates: None,
            earlier: false,
        }
    }

    #[test]
    fn truncate_cuts_on_characters_with_an_ellipsis() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("žžžž", 2), "ž…");
    }

    #[test]
    fn long_quote_lists_are_split_into_fields_within_limits() {
        let quotes: Vec<Claim> = (0..12).map(|_| claim(ClaimStatus::Unclear, 400)).collect();
        let mut fields = Vec::new();
        quote_fields(&mut fields, "Unclear", &quotes, ClaimStatus::Unclear, "");
        assert!(fields.len() >= 5);
        assert!(fields
            .iter()
            .all(|(_, value)| value.chars().count() <= limits::FIELD_VALUE));
        assert_eq!(fields[1].0, "Unclear (continued)");
    }

    #[test]
    fn fit_keeps_every_embed_within_discord_limits() {
        let fields = (0..40)
            .map(|index| (format!("f{index}"), "y".repeat(2000)))
            .collect();
        let reply = fit(Reply {
            content: Some("c".repeat(5000)),
            embed: Some(Embed {
                title: "t".repeat(300),
                description: "d".repeat(5000),
                fields,
                footer: "f".repeat(3000),
                colour: 0,
            }),
            buttons: (0..30)
                .map(|index| Button::Topic {
                    label: "l".repeat(100),
                    topic_id: format!("t{index}"),
                    primary: false,
                })
                .collect(),
            ephemeral: false,
        });
        let Some(embed) = &reply.embed else {
            panic!("embed kept")
        };
        assert!(reply
            .content
            .as_ref()
            .is_some_and(|content| content.chars().count() <= limits::CONTENT));
        assert!(embed.title.chars().count() <= limits::TITLE);
        assert!(embed.fields.len() <= limits::FIELDS);
        assert!(
            embed_length(embed) <= limits::EMBED_TOTAL,
            "{}",
            embed_length(embed)
        );
        assert_eq!(
            embed.fields.last().map(|(name, _)| name.as_str()),
            Some("More")
        );
        assert_eq!(reply.buttons.len(), 25);
    }
}
