//! Snapshots (insta) of what the bot shows for every kind of answer and every screen that
//! does not need Discord, so that a change of wording, a doubled sentence or a lost label
//! shows up in review. Update with `INSTA_UPDATE=always cargo test` and read the diff.

use factdesk::discord::commands::help;
use factdesk::discord::render::{self, Button, Reply};
use factdesk::language::Language;

use crate::support::desk;

/// A reply as a reviewer reads it: who sees it, the embed, its fields, its buttons.
fn text(reply: &Reply) -> String {
    let mut lines = vec![format!("private: {}", reply.ephemeral)];
    if let Some(content) = &reply.content {
        lines.push(content.clone());
    }
    if let Some(embed) = &reply.embed {
        lines.push(format!("# {}", embed.title));
        lines.push(embed.description.clone());
        for (name, value) in &embed.fields {
            lines.push(format!("## {name}\n{value}"));
        }
        lines.push(format!("-- {}", embed.footer));
    }
    for button in &reply.buttons {
        lines.push(match button {
            Button::Link { label, url } => format!("[{label}] -> {url}"),
            Button::Topic {
                label,
                topic_id,
                primary,
            } => format!(
                "[{label}] -> topic {topic_id}{}",
                if *primary { " (primary)" } else { "" }
            ),
        });
    }
    lines.join("\n")
}

/// No sentence of 25 characters or more may appear twice in what one reply says (its
/// content and embed; buttons repeat titles and links by design).
fn assert_no_sentence_twice(name: &str, reply: &Reply) {
    let mut said = reply.content.clone().unwrap_or_default();
    if let Some(embed) = &reply.embed {
        said.push('\n');
        said.push_str(&embed.description);
        for (_, value) in &embed.fields {
            said.push('\n');
            said.push_str(value);
        }
    }
    let mut seen = std::collections::HashSet::new();
    for sentence in said
        .split(". ")
        .flat_map(|part| part.split('\n'))
        .map(|sentence| sentence.trim().trim_end_matches('.'))
        // A quote's attribution line ("— *Reuters · What happened*") repeats by design.
        .filter(|sentence| !sentence.starts_with('—'))
        .filter(|sentence| sentence.chars().count() >= 25)
    {
        assert!(
            seen.insert(sentence),
            "{name}: said twice: {sentence:?}\n{said}"
        );
    }
}

fn check(name: &str, reply: &Reply) {
    assert_no_sentence_twice(name, reply);
    insta::assert_snapshot!(name, text(reply));
}

#[test]
fn every_kind_of_answer_renders_as_reviewed() {
    let desk = desk();
    for (name, question, language) in [
        ("answered_confirmed", "who controls the plant?", None),
        (
            "answered_nothing_confirmed",
            "is anyone actually mining at the plant?",
            None,
        ),
        ("doesnt_say", "what kind of asic miners will they use", None),
        ("refused", "who won the champions league?", None),
        ("refused_ukrainian", "хто переможе в лізі чемпіонів?", None),
        (
            "answered_for_a_russian_client",
            "who controls the plant?",
            Some(Language::Russian),
        ),
    ] {
        let answer = desk.answer_in(question, language);
        check(name, &render::answer(&answer, &desk.knowledge_base().story));
    }
    // A tie: without asked questions, whose vote breaks it.
    let mut knowledge_base = desk.knowledge_base().clone();
    knowledge_base.asked.clear();
    let without_asked = factdesk::FactDesk::new(knowledge_base);
    let answer = without_asked.answer("is this an official deal between usa and russia");
    check(
        "ambiguous",
        &render::answer(&answer, &without_asked.knowledge_base().story),
    );
}

/// A story with a later (fictional) source: a topic it updated (the current state first
/// with its date, the earlier reporting after it, labelled), /sources, /updates, and the
/// post a following channel gets.
#[test]
fn a_developing_story_renders_as_reviewed() {
    let (_temp, responses) = crate::support::developing_story();
    let desk = factdesk::FactDesk::load(&responses)
        .unwrap_or_else(|problems| panic!("the fixture loads:\n{problems}"));
    let knowledge_base = desk.knowledge_base();
    let story = &knowledge_base.story;
    let Some(answer) = desk.answer_topic("talks-unofficial") else {
        panic!("the topic exists")
    };
    check(
        "answered_with_a_later_source",
        &render::answer(&answer, story),
    );
    check(
        "sources_with_a_later_source",
        &render::sources(&knowledge_base.sources, story),
    );
    let changed = factdesk::updates::since(knowledge_base, "2026-01-01");
    check(
        "updates_since",
        &render::updates("2026-01-01", &changed, story),
    );
    let gazette = &knowledge_base.sources[1];
    let claims: Vec<factdesk::knowledge::Claim> =
        changed.iter().map(|update| update.claim.clone()).collect();
    check(
        "new_source_post",
        &render::new_source(gazette, &claims, story),
    );
}

#[test]
fn every_screen_renders_as_reviewed() {
    let desk = desk();
    let story = &desk.knowledge_base().story;
    check("help", &help::screen(desk, Language::English));
    check(
        "help_for_a_ukrainian_client",
        &help::screen(desk, Language::Ukrainian),
    );
    check(
        "help_for_a_russian_client",
        &help::screen(desk, Language::Russian),
    );
    check("source", &render::source(story));
    check(
        "sources",
        &render::sources(&desk.knowledge_base().sources, story),
    );
    if let Some(watch) = desk.watch() {
        check("watch", &render::answer(&watch, story));
    }
    check("summary", &render::summary(&desk.summary()));
    check(
        "cooldown",
        &render::notice("You're asking quickly: try again in 3 s."),
    );
}
