//! A developing story (issue 9): later sources, claims that update earlier ones, what
//! changed since a date, and every way a curator can get sources wrong. The later source
//! is fictional and lives under `tests/` only; the shipped answers keep the real article
//! as their one source.

use std::path::Path;

use factdesk::answer::AnswerStatus;
use factdesk::knowledge::{self, Problem};
use factdesk::FactDesk;

use crate::support::{
    append, desk, developing_story, edit, name_claim, GAZETTE, GAZETTE_DATE, GAZETTE_OUTLET,
};

fn load(responses: &Path) -> FactDesk {
    FactDesk::load(responses).unwrap_or_else(|problems| panic!("the fixture loads:\n{problems}"))
}

#[test]
fn the_shipped_story_has_one_source_the_article() {
    let knowledge_base = desk().knowledge_base();
    assert_eq!(knowledge_base.sources.len(), 1);
    assert_eq!(knowledge_base.sources[0].outlet, "AMBCrypto");
    assert_eq!(knowledge_base.story.as_of, "2025-12-27");
    let answer = desk().answer("are the talks official?");
    assert_eq!(answer.as_of, "2025-12-27");
    assert!(answer
        .quotes
        .iter()
        .all(|quote| !quote.earlier && quote.published == "2025-12-27"));
    assert!(!answer.answer.contains("As of"), "{}", answer.answer);
}

#[test]
fn a_later_claim_comes_first_with_its_date_and_the_earlier_one_is_kept_as_earlier() {
    let (_temp, responses) = developing_story();
    let desk = load(&responses);
    let Some(answer) = desk.answer_topic("talks-unofficial") else {
        panic!("the topic exists")
    };
    assert_eq!(answer.status, AnswerStatus::Answered);
    assert_eq!(answer.as_of, GAZETTE_DATE);
    assert!(
        answer
            .answer
            .starts_with(&format!("As of {GAZETTE_DATE} ({GAZETTE_OUTLET}):")),
        "{}",
        answer.answer
    );
    let first = &answer.quotes[0];
    assert!(first
        .text
        .contains("acknowledged that the talks had taken place"));
    assert_eq!(first.published, GAZETTE_DATE);
    assert!(first
        .source_url
        .starts_with("https://example.org/fictional/"));
    assert!(!first.earlier);
    // The superseded article claim is still there, labelled earlier, after every current one.
    let earlier: Vec<usize> = answer
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, quote)| quote.earlier)
        .map(|(index, _)| index)
        .collect();
    assert_eq!(earlier.len(), 1, "{:#?}", answer.quotes);
    assert!(answer.quotes[earlier[0]]
        .text
        .starts_with("These talks are described as unofficial"));
    assert!(answer.quotes[earlier[0]..]
        .iter()
        .all(|quote| quote.earlier));
    // Other topics quoting the same sentence are unaffected: only the updated claim is.
    let Some(elsewhere) = desk.answer_topic("what-happened") else {
        panic!("the topic exists")
    };
    assert!(elsewhere.quotes.iter().all(|quote| !quote.earlier));
    // The story is told as of its newest source.
    assert_eq!(desk.knowledge_base().story.as_of, GAZETTE_DATE);
    assert_eq!(desk.knowledge_base().sources.len(), 2);
    assert_eq!(desk.knowledge_base().sources[1].id, GAZETTE);
}

#[test]
fn every_quote_is_verbatim_in_its_own_source() {
    let (_temp, responses) = developing_story();
    let desk = load(&responses);
    let gazette =
        std::fs::read_to_string(responses.join("znpp-bitcoin/sources/example-gazette.txt"))
            .unwrap_or_default();
    let gazette = gazette.split_whitespace().collect::<Vec<_>>().join(" ");
    for topic in desk.topics() {
        for claim in &topic.claims {
            let text = if claim.source == GAZETTE {
                &gazette
            } else {
                &desk.knowledge_base().article
            };
            assert!(text.contains(&claim.text), "{}: {}", topic.id, claim.text);
        }
    }
}

#[test]
fn updates_since_a_date_list_exactly_the_changed_claims_newest_first() {
    let (_temp, responses) = developing_story();
    let desk = load(&responses);
    let changed = factdesk::updates::since(desk.knowledge_base(), "2026-01-01");
    let topics: Vec<&str> = changed.iter().map(|update| update.topic.as_str()).collect();
    assert_eq!(topics, ["no-confirmed-mining", "talks-unofficial"]);
    assert!(changed
        .iter()
        .all(|update| update.claim.published == GAZETTE_DATE));
    assert_eq!(changed[1].updates.as_deref(), Some("talks-undocumented"));
    assert!(factdesk::updates::since(desk.knowledge_base(), "2026-01-13").is_empty());
    // Since the article: everything, the later source first.
    let all = factdesk::updates::since(desk.knowledge_base(), "2025-12-27");
    assert!(all.len() > 2);
    assert_eq!(all[0].claim.published, GAZETTE_DATE);
}

#[test]
fn the_terminal_lists_sources_and_updates() {
    let (_temp, responses) = developing_story();
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_factdesk"))
            .arg("--responses")
            .arg(&responses)
            .args(args)
            .output()
            .unwrap_or_else(|error| panic!("run factdesk: {error}"));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let sources: Vec<serde_json::Value> = run(&["sources", "--json"])
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{line}: {error}")))
        .collect();
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0]["published"], "2025-12-27");
    assert_eq!(sources[1]["published"], GAZETTE_DATE);
    for source in &sources {
        let mut keys: Vec<&str> = source
            .as_object()
            .map(|object| object.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(keys, ["outlet", "published", "sha256", "url"]);
    }
    let updates = run(&["updates", "--since", "2026-01-01", "--json"]);
    assert_eq!(updates.lines().count(), 2, "{updates}");
    let text = run(&["updates", "--since", "2026-01-01"]);
    assert!(text.contains("supersedes `talks-undocumented`"), "{text}");
    assert!(run(&["updates", "--since", "2026-02-01"]).contains("Nothing added or changed"));
}

/// The fixture broken one way; the check must name `file:line` and say `message`.
fn assert_problem(break_it: impl FnOnce(&Path), file: &str, message: &str) {
    let (_temp, responses) = developing_story();
    let story = responses.join("znpp-bitcoin");
    break_it(&story);
    let problems: Vec<Problem> = match knowledge::load(&responses) {
        Ok(_) => panic!("the broken fixture must fail the check ({message})"),
        Err(problems) => problems.0,
    };
    let found = problems.iter().any(|problem| {
        problem.path.ends_with(file) && problem.line > 1 && problem.message.contains(message)
    });
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        found,
        "expected {file}: …{message}… in\n{}",
        listed.join("\n")
    );
}

#[test]
fn a_missing_source_file_is_reported_at_its_line() {
    assert_problem(
        |story| {
            let _ = std::fs::remove_file(story.join("sources/example-gazette.txt"));
        },
        "story.toml",
        "does not exist",
    );
}

#[test]
fn a_source_that_changed_fails_its_hash() {
    assert_problem(
        |story| {
            append(
                &story.join("sources/example-gazette.txt"),
                "An added line.\n",
            )
        },
        "story.toml",
        "changed since its quotes were curated",
    );
}

#[test]
fn a_claim_naming_an_unknown_source_is_reported() {
    assert_problem(
        |story| {
            edit(
                &story.join("topics/no-confirmed-mining.toml"),
                &format!("source = \"{GAZETTE}\""),
                "source = \"example-gazete\"",
            )
        },
        "no-confirmed-mining.toml",
        "source `example-gazete` is not one of the story's sources",
    );
}

#[test]
fn a_source_dated_in_the_future_is_reported() {
    assert_problem(
        |story| {
            edit(
                &story.join("story.toml"),
                &format!("published = \"{GAZETTE_DATE}\""),
                "published = \"2999-01-01\"",
            )
        },
        "story.toml",
        "a date in the future",
    );
}

#[test]
fn claims_superseding_each_other_in_a_cycle_are_reported() {
    assert_problem(
        |story| {
            let topic = story.join("topics/talks-unofficial.toml");
            name_claim(
                &topic,
                "talks-acknowledged",
                "officials of both governments",
            );
            edit(
                &topic,
                "id = \"talks-undocumented\"",
                "id = \"talks-undocumented\"\nupdates = \"talks-acknowledged\"\nrelation = \"supersedes\"",
            );
        },
        "talks-unofficial.toml",
        "in a cycle",
    );
}

#[test]
fn a_claim_cannot_update_one_from_a_later_source() {
    // The article's claim "updates" the gazette's: its source predates what it updates.
    assert_problem(
        |story| {
            let topic = story.join("topics/talks-unofficial.toml");
            name_claim(
                &topic,
                "talks-acknowledged",
                "officials of both governments",
            );
            edit(
                &topic,
                "updates = \"talks-undocumented\"\nrelation = \"supersedes\"",
                "",
            );
            edit(
                &topic,
                "id = \"talks-undocumented\"",
                "id = \"talks-undocumented\"\nupdates = \"talks-acknowledged\"\nrelation = \"contradicts\"",
            );
        },
        "talks-unofficial.toml",
        "predates the claim `talks-acknowledged`",
    );
}

#[test]
fn a_confirmed_claim_contradicted_but_not_superseded_is_reported() {
    assert_problem(
        |story| {
            name_claim(
                &story.join("topics/who-controls-the-plant.toml"),
                "russian-control",
                "The ZNPP itself is under Russian control",
            );
            append(
                &story.join("topics/who-controls-the-plant.toml"),
                &format!(
                    "\n[[claims]]\nsource = \"{GAZETTE}\"\nstatus = \"reported\"\nquote = \"the IAEA had asked both governments for details of the talks\"\nupdates = \"russian-control\"\nrelation = \"contradicts\"\n"
                ),
            );
        },
        "who-controls-the-plant.toml",
        "labelled confirmed: use `relation = \"supersedes\"`",
    );
}
