//! `factdesk check` meeting broken answer files: every problem reported as
//! `path:line: message`, all at once, never a panic.

use std::fs;
use std::path::{Path, PathBuf};

use factdesk::knowledge::{self, Problem};
use tempfile::TempDir;

use crate::support::{copy_dir, story_dir};

/// A topic whose lines are known, so tests can assert line numbers.
const GOOD_TOPIC: &str = r#"id = "zz-test"
title = "Test topic"
section = "What happened"
related = ["what-happened"]
questions = ["who controls the test plant"]
triggers = ['\btest\b']
answer = "A test."

[[claims]]
status = "confirmed"
quote = "The ZNPP itself is under Russian control as a result of military operations in Eastern Ukraine, a fact confirmed by Reuters and supported by ongoing conflict reports."
attribution = "Reuters"
"#;

/// A copy of the shipped story in a temporary folder, plus the test topic.
fn story_copy() -> (TempDir, PathBuf) {
    let temp = match tempfile::tempdir() {
        Ok(temp) => temp,
        Err(error) => panic!("temp dir: {error}"),
    };
    let story = temp.path().join("znpp-bitcoin");
    copy_dir(&story_dir(), &story);
    write(&story.join("topics/zz-test.toml"), GOOD_TOPIC);
    (temp, story)
}

fn write(path: &Path, text: &str) {
    if let Err(error) = fs::write(path, text) {
        panic!("write {}: {error}", path.display());
    }
}

/// Loads the folder and returns its problems; it must fail.
fn problems(dir: &Path) -> Vec<Problem> {
    match knowledge::load(dir) {
        Ok(_) => panic!("{} should fail the check", dir.display()),
        Err(problems) => problems.0,
    }
}

/// Asserts that one problem is at `file:line` and says `message`.
fn check(problems: &[Problem], file: &str, line: usize, message: &str) {
    let found = problems.iter().any(|problem| {
        problem.path.ends_with(file) && problem.line == line && problem.message.contains(message)
    });
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        found,
        "expected {file}:{line}: …{message}… in\n{}",
        listed.join("\n")
    );
}

#[test]
fn the_shipped_responses_pass() {
    let knowledge_base = match knowledge::load(&crate::support::responses_dir()) {
        Ok(knowledge_base) => knowledge_base,
        Err(problems) => panic!("{problems}"),
    };
    assert!(knowledge_base.topics.len() >= 30);
    for topic in &knowledge_base.topics {
        assert!(!topic.claims.is_empty(), "{}", topic.id);
        for claim in &topic.claims {
            let collapsed = claim.text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                knowledge_base.article.contains(&collapsed),
                "{}: {}",
                topic.id,
                claim.text
            );
        }
    }
}

#[test]
fn the_copy_with_the_test_topic_passes() {
    let (_temp, story) = story_copy();
    if let Err(problems) = knowledge::load(&story) {
        panic!("{problems}");
    }
}

#[test]
fn truncated_toml_is_reported_at_its_line() {
    let (_temp, story) = story_copy();
    let cut = &GOOD_TOPIC[..GOOD_TOPIC.find("answer = ").unwrap_or(0) + 12];
    write(&story.join("topics/zz-test.toml"), cut);
    check(&problems(&story), "topics/zz-test.toml", 7, "invalid TOML");
}

#[test]
fn a_quote_not_in_the_article_is_reported_at_the_quote() {
    let (_temp, story) = story_copy();
    let edited = GOOD_TOPIC.replace("under Russian control", "under Russian command");
    write(&story.join("topics/zz-test.toml"), &edited);
    check(
        &problems(&story),
        "topics/zz-test.toml",
        11,
        "quote is not in article.txt verbatim",
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        11,
        "differs at \"command as a result",
    );
}

#[test]
fn a_straight_apostrophe_is_not_the_article_s_curly_one() {
    let (_temp, story) = story_copy();
    let quote = "According to a report by Ambcrypto, the U.S. and Russia have held covert discussions regarding the potential use of the ZNPP's electricity for Bitcoin mining.";
    let edited = GOOD_TOPIC.replace(
        "The ZNPP itself is under Russian control as a result of military operations in Eastern Ukraine, a fact confirmed by Reuters and supported by ongoing conflict reports.",
        quote,
    );
    write(&story.join("topics/zz-test.toml"), &edited);
    check(
        &problems(&story),
        "topics/zz-test.toml",
        11,
        "not in article.txt verbatim",
    );
}

#[test]
fn an_unknown_field_is_reported() {
    let (_temp, story) = story_copy();
    write(
        &story.join("topics/zz-test.toml"),
        &GOOD_TOPIC.replace("answer = ", "anwser = "),
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        7,
        "unknown field `anwser`",
    );
}

#[test]
fn a_bad_regex_is_reported() {
    let (_temp, story) = story_copy();
    write(
        &story.join("topics/zz-test.toml"),
        &GOOD_TOPIC.replace(r"'\btest\b'", "'(unclosed'"),
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        6,
        "trigger is not a valid regex",
    );
    write(
        &story.join("topics/zz-test.toml"),
        &GOOD_TOPIC.replace(
            "answer = ",
            "corrects = ['(?i)since', '[z-a]', 'україн\\w*']\nanswer = ",
        ),
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        7,
        "`corrects` pattern is not a valid regex",
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        7,
        "`corrects` pattern uses `\\w`, which makes every question costly: write `\\S`",
    );
}

#[test]
fn a_duplicate_id_is_reported_with_the_first_place() {
    let (_temp, story) = story_copy();
    write(
        &story.join("topics/zz-test.toml"),
        &GOOD_TOPIC.replace("\"zz-test\"", "\"what-happened\""),
    );
    let found = problems(&story);
    check(
        &found,
        "topics/zz-test.toml",
        1,
        "duplicate topic id `what-happened`",
    );
}

#[test]
fn a_missing_article_is_reported() {
    let (_temp, story) = story_copy();
    if let Err(error) = fs::remove_file(story.join("article.txt")) {
        panic!("{error}");
    }
    check(&problems(&story), "article.txt", 1, "cannot read this file");
}

#[test]
fn an_edited_article_fails_the_hash() {
    let (_temp, story) = story_copy();
    let article = fs::read_to_string(story.join("article.txt")).unwrap_or_default();
    write(
        &story.join("article.txt"),
        &article.replace("reportedly", "allegedly"),
    );
    let found = problems(&story);
    let line = fs::read_to_string(story.join("story.toml"))
        .unwrap_or_default()
        .lines()
        .position(|line| line.starts_with("article_sha256"))
        .map_or(0, |index| index + 1);
    check(
        &found,
        "story.toml",
        line,
        "the article changed since the quotes were curated",
    );
}

#[test]
fn missing_fields_and_unknown_related_ids_are_reported() {
    let (_temp, story) = story_copy();
    write(
        &story.join("topics/zz-test.toml"),
        &GOOD_TOPIC.replace("\"what-happened\"]", "\"no-such-topic\"]"),
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        4,
        "related topic `no-such-topic` does not exist",
    );
    let without_answer: String = GOOD_TOPIC
        .lines()
        .filter(|line| !line.starts_with("answer"))
        .map(|line| format!("{line}\n"))
        .collect();
    write(&story.join("topics/zz-test.toml"), &without_answer);
    check(
        &problems(&story),
        "topics/zz-test.toml",
        1,
        "missing field `answer`",
    );
}

#[test]
fn a_topic_without_claims_is_reported() {
    let (_temp, story) = story_copy();
    let without_claims = &GOOD_TOPIC[..GOOD_TOPIC.find("[[claims]]").unwrap_or(GOOD_TOPIC.len())];
    write(&story.join("topics/zz-test.toml"), without_claims);
    check(
        &problems(&story),
        "topics/zz-test.toml",
        1,
        "topic has no claims",
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let (_temp, story) = story_copy();
    write(
        &story.join("topics/zz-test.toml"),
        &GOOD_TOPIC.replace("under Russian control", "under Russian command"),
    );
    write(
        &story.join("topics/zz-broken.toml"),
        "id = \"zz-broken\"\ntitle = ",
    );
    let found = problems(&story);
    check(
        &found,
        "topics/zz-test.toml",
        11,
        "not in article.txt verbatim",
    );
    check(&found, "topics/zz-broken.toml", 2, "invalid TOML");
}

/// Problems come in the order a curator reads the files: the word lists, then the topics
/// by file name (kept when checking them side by side was tried).
#[test]
fn problems_come_in_the_order_of_the_files() {
    let (_temp, story) = story_copy();
    write(
        &story.join("off_topic.toml"),
        "questions = [\"what's bitcoin at\", \"  \"]\n",
    );
    // One broken file at the start of the topics, one in the middle, one at the end.
    for name in ["aa-broken", "n-broken", "zzz-broken"] {
        write(
            &story.join(format!("topics/{name}.toml")),
            &format!("id = \"{name}\"\ntitle = "),
        );
    }
    let found: Vec<String> = problems(&story)
        .iter()
        .filter_map(|problem| problem.path.file_name()?.to_str().map(str::to_string))
        .collect();
    assert_eq!(
        found,
        [
            "off_topic.toml",
            "aa-broken.toml",
            "n-broken.toml",
            "zzz-broken.toml"
        ]
    );
}

#[test]
fn a_folder_without_a_story_is_reported() {
    let temp = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let found = problems(temp.path());
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("no story here"), "{}", found[0]);
}

#[test]
fn the_off_topic_list_is_checked_too() {
    let (_temp, story) = story_copy();
    write(
        &story.join("off_topic.toml"),
        "questions = [\"what's bitcoin at\", \"  \"]\nnotes = 1\n",
    );
    check(
        &problems(&story),
        "off_topic.toml",
        2,
        "unknown field `notes`",
    );
    write(
        &story.join("off_topic.toml"),
        "questions = [\n  \"what's bitcoin at\",\n  \"  \",\n]\n",
    );
    check(&problems(&story), "off_topic.toml", 3, "empty question");
    if let Err(error) = fs::remove_file(story.join("off_topic.toml")) {
        panic!("{error}");
    }
    if let Err(problems) = knowledge::load(&story) {
        panic!("the off-topic list is optional: {problems}");
    }
}

/// The line of `story.toml` that starts with `key`.
fn story_line(story: &Path, key: &str) -> usize {
    fs::read_to_string(story.join("story.toml"))
        .unwrap_or_default()
        .lines()
        .position(|line| line.starts_with(key))
        .map_or(0, |index| index + 1)
}

/// `story.toml` with the line starting with `key` replaced by `replacement`.
fn edit_story(story: &Path, key: &str, replacement: &str) {
    let text = fs::read_to_string(story.join("story.toml")).unwrap_or_default();
    let edited: String = text
        .lines()
        .map(|line| {
            if line.starts_with(key) {
                format!("{replacement}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    write(&story.join("story.toml"), &edited);
}

#[test]
fn a_watch_topic_that_names_no_topic_is_reported() {
    let (_temp, story) = story_copy();
    let line = story_line(&story, "watch_topic");
    edit_story(&story, "watch_topic", "watch_topic = \"what-to-wach\"");
    check(
        &problems(&story),
        "story.toml",
        line,
        "watch_topic names `what-to-wach`",
    );
}

#[test]
fn a_date_that_does_not_exist_is_reported() {
    let (_temp, story) = story_copy();
    let line = story_line(&story, "published");
    for date in ["2025-99-99", "2025-02-30", "27/12/2025", "2025-1-27"] {
        edit_story(&story, "published", &format!("published = \"{date}\""));
        check(&problems(&story), "story.toml", line, "not a date");
    }
    edit_story(&story, "published", "published = \"2024-02-29\"");
    if let Err(problems) = knowledge::load(&story) {
        panic!("a leap day is a date: {problems}");
    }
}

#[test]
fn a_source_url_that_is_not_a_link_is_reported() {
    let (_temp, story) = story_copy();
    let line = story_line(&story, "source_url");
    for url in [
        "https://",
        "https://not a url",
        "ambcrypto.com/story",
        "http://ambcrypto.com/story",
        "https://intranet/story",
    ] {
        edit_story(&story, "source_url", &format!("source_url = \"{url}\""));
        check(&problems(&story), "story.toml", line, "source_url is");
    }
}

#[test]
fn an_empty_summary_is_reported() {
    let (_temp, story) = story_copy();
    edit_story(&story, "summary_topics", "summary_topics = []");
    check(
        &problems(&story),
        "story.toml",
        1,
        "summary_topics is missing or empty",
    );
}

#[test]
fn a_one_word_quote_or_attribution_is_reported() {
    let (_temp, story) = story_copy();
    let one_word = GOOD_TOPIC.replace(
        "The ZNPP itself is under Russian control as a result of military operations in Eastern Ukraine, a fact confirmed by Reuters and supported by ongoing conflict reports.",
        "the",
    );
    write(&story.join("topics/zz-test.toml"), &one_word);
    check(
        &problems(&story),
        "topics/zz-test.toml",
        11,
        "too short to stand on its own",
    );
    for attribution in ["a", "the", "reuters", "Reuter"] {
        let edited = GOOD_TOPIC.replace(
            "attribution = \"Reuters\"",
            &format!("attribution = \"{attribution}\""),
        );
        write(&story.join("topics/zz-test.toml"), &edited);
        check(
            &problems(&story),
            "topics/zz-test.toml",
            11,
            "is not a name the article uses",
        );
    }
}

#[test]
fn a_topic_file_with_an_upper_case_extension_is_reported_not_skipped() {
    let (_temp, story) = story_copy();
    if let Err(error) = fs::rename(
        story.join("topics/zz-test.toml"),
        story.join("topics/zz-test.TOML"),
    ) {
        panic!("{error}");
    }
    check(
        &problems(&story),
        "topics/zz-test.TOML",
        1,
        "end in `.toml` (lowercase)",
    );
}

#[test]
fn an_oversized_article_or_answer_file_is_refused_before_it_is_read() {
    let (_temp, story) = story_copy();
    let article = fs::read_to_string(story.join("article.txt")).unwrap_or_default();
    // A copy-paste gone wrong: the article two hundred times over, about 1.6 MB.
    write(&story.join("article.txt"), &article.repeat(200));
    check(&problems(&story), "article.txt", 1, "larger than the limit");
    let (_temp, story) = story_copy();
    let padding = format!("# {}\n", "x".repeat(1000)).repeat(300);
    write(
        &story.join("topics/zz-test.toml"),
        &format!("{padding}{GOOD_TOPIC}"),
    );
    check(
        &problems(&story),
        "topics/zz-test.toml",
        1,
        "larger than the limit",
    );
}

#[test]
fn a_broken_topic_is_reported_once_not_again_by_the_topics_that_name_it() {
    let (_temp, story) = story_copy();
    // `what-happened` is named as related by other topics and in summary_topics.
    let path = story.join("topics/what-happened.toml");
    let text = fs::read_to_string(&path).unwrap_or_default();
    write(&path, &text.replacen("answer = ", "anwser = ", 1));
    let found = problems(&story);
    let listed: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        found.len(),
        1,
        "one problem, not its echoes:\n{}",
        listed.join("\n")
    );
    assert!(
        found[0].path.ends_with("topics/what-happened.toml"),
        "{}",
        found[0]
    );
}

#[test]
fn a_doesnt_say_topic_that_names_no_topic_is_reported() {
    let (_temp, story) = story_copy();
    let line = story_line(&story, "doesnt_say_topic");
    edit_story(
        &story,
        "doesnt_say_topic",
        "doesnt_say_topic = \"not-in-the-artcle\"",
    );
    check(
        &problems(&story),
        "story.toml",
        line,
        "doesnt_say_topic names `not-in-the-artcle`",
    );
}

#[test]
fn a_facet_without_words_is_reported() {
    let (_temp, story) = story_copy();
    let path = story.join("story.toml");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let edited = text.replacen("  [\"bitcoin\", \"mining\"],", "  [\" \"],", 1);
    assert_ne!(edited, text, "story.toml has no bitcoin facet");
    let line = edited
        .lines()
        .position(|line| line == "  [\" \"],")
        .map_or(0, |index| index + 1);
    write(&path, &edited);
    check(
        &problems(&story),
        "story.toml",
        line,
        "a facet needs at least one word",
    );
}

#[test]
fn translations_with_a_misplaced_star_a_short_stem_or_a_twice_owned_word_are_reported() {
    let (_temp, story) = story_copy();
    write(
        &story.join("translations.toml"),
        r#"[[word]]
en = "think tank"
uk = ["мозков* центр"]
ru = ["моз*"]

[[word]]
en = "environment"
uk = ["довкілл*"]
ru = ["биткоин"]
"#,
    );
    let problems = problems(&story);
    check(
        &problems,
        "translations.toml",
        3,
        "`мозков* центр`: a `*` may only end",
    );
    check(
        &problems,
        "translations.toml",
        4,
        "`моз*`: a variant ending in `*` must be one word of at least 4 letters",
    );
    check(
        &problems,
        "translations.toml",
        9,
        "`биткоин` stands for synonyms.toml's `bitcoin` and for `environment`",
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
}

#[test]
fn a_variant_with_a_short_stem_in_any_off_topic_list_is_reported() {
    for_each_off_topic_list("\"ир*\"", "or it catches unrelated words");
}

/// "how does a" refuses every "how does ...": questions lose their one-letter words.
#[test]
fn a_one_letter_word_in_any_off_topic_list_is_reported() {
    for_each_off_topic_list(
        "\"how does a\"",
        "so `a` here matches nothing and the rest refuses more than you meant; leave it out or \
         name a longer word",
    );
}

/// `organisations` names the story's outlets and bodies by their anchor terms; anything
/// else (a word that is no anchor, or a typo) is reported on its line.
#[test]
fn an_organisation_that_is_no_anchor_term_is_reported() {
    let (_temp, story) = story_copy();
    let line = insert_after_opening(&story, "organisations = [", "\"bitcoin\", ");
    check(
        &problems(&story),
        "off_topic.toml",
        line,
        "organisations names `bitcoin`, which is no `anchor = true` term of synonyms.toml",
    );
}

/// Inserts `insertion` right after the first `opening` in the story's `off_topic.toml`;
/// the 1-based line the opening is on.
fn insert_after_opening(story: &Path, opening: &str, insertion: &str) -> usize {
    let path = story.join("off_topic.toml");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let line = text
        .lines()
        .position(|line| line.starts_with(opening.trim_end()))
        .map_or(0, |index| index + 1);
    let edited = text.replacen(opening, &format!("{opening}{insertion}"), 1);
    assert_ne!(edited, text, "off_topic.toml has no `{opening}`");
    write(&path, &edited);
    line
}

/// Puts `variant` first in each off-topic list in turn and checks that `factdesk check`
/// reports it on its line with `message`.
fn for_each_off_topic_list(variant: &str, message: &str) {
    for list in [
        "other_subjects",
        "general_markers",
        "orders",
        "organisation_markers",
    ] {
        let (_temp, story) = story_copy();
        // The variant goes on its own line, the one after the list's opening.
        let line =
            insert_after_opening(&story, &format!("{list} = [\n"), &format!("  {variant},\n")) + 1;
        check(
            &problems(&story),
            "off_topic.toml",
            line,
            &format!("{message} in {list}"),
        );
    }
}

#[test]
fn asked_questions_are_checked_line_by_line() {
    let (_temp, story) = story_copy();
    write(
        &story.join("asked.jsonl"),
        concat!(
            "{\"question\": \"who runs the plant now\", \"topics\": [\"who-controls-the-plant\"]}\n",
            "{\"question\": \"who runs the plant now\", \"topic\": [\"who-controls-the-plant\"]}\n",
            "\n",
            "{\"question\": \"what is a bitcoin etf\", \"topics\": []}\n",
            "{\"question\": \"who runs it\", \"topics\": [\"who-runs-it\"]}\n",
            "{\"question\": \"  \", \"topics\": []}\n",
            "not json at all\n",
            "{\"question\": \"where is this from\", \"topics\": [\"source\"], \"from\": \"curator\"}\n",
        ),
    );
    let problems = problems(&story);
    check(&problems, "asked.jsonl", 2, "unknown field `topic`");
    check(
        &problems,
        "asked.jsonl",
        5,
        "topics names `who-runs-it`, but no topic has that id",
    );
    check(&problems, "asked.jsonl", 6, "empty question");
    check(&problems, "asked.jsonl", 7, "write one JSON object a line");
    assert_eq!(problems.len(), 4, "{problems:?}");

    // Fixed, the good lines load, with their topics as indices and a refusal as none.
    write(
        &story.join("asked.jsonl"),
        "{\"question\": \"who runs the plant now\", \"topics\": [\"who-controls-the-plant\"]}\n\
         {\"question\": \"what is a bitcoin etf\", \"topics\": []}\n",
    );
    let knowledge_base = match knowledge::load(&story) {
        Ok(knowledge_base) => knowledge_base,
        Err(problems) => panic!("{problems}"),
    };
    assert_eq!(knowledge_base.asked.len(), 2);
    let topic = &knowledge_base.topics[usize::from(knowledge_base.asked.topics(0)[0])];
    assert_eq!(topic.id, "who-controls-the-plant");
    assert_eq!(
        knowledge_base.asked.question(1),
        Some("what is a bitcoin etf")
    );
    assert!(knowledge_base.asked.topics(1).is_empty());
}

#[test]
fn an_oversized_asked_file_is_refused_before_it_is_read() {
    let (_temp, story) = story_copy();
    let line = "{\"question\": \"who runs the plant now\", \"topics\": []}\n";
    let lines = (knowledge::MAX_ASKED_FILE_BYTES as usize / line.len()) + 1;
    write(&story.join("asked.jsonl"), &line.repeat(lines));
    check(&problems(&story), "asked.jsonl", 1, "larger than the limit");
}
