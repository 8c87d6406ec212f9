//! The cache of the asked questions' terms (`factdesk::terms_cache`): written by the first
//! one-question process, read by the next while the files and the code are unchanged,
//! ignored when anything about it is off, and never a change in any answer.

use std::fs;
use std::path::Path;

use factdesk::FactDesk;

use crate::support::{copy_dir, responses_dir, story_dir};

const QUESTIONS: &[&str] = &[
    "who controls the plant?",
    "which machines tho. S21s? whatsminer?",
    "а свєт з запорізької атомки в кого зара йде",
    "what about russia",
    "how many calories in a banana",
    "is this an official deal between usa and russia",
];

fn answers(desk: &FactDesk) -> Vec<String> {
    QUESTIONS
        .iter()
        .map(|question| format!("{:?}", desk.answer(question)))
        .collect()
}

fn load_cached(responses: &Path, cache: &Path) -> FactDesk {
    match FactDesk::load_cached(responses, Some(cache)) {
        Ok(desk) => desk,
        Err(problems) => panic!("{problems}"),
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn the_cache_is_written_read_and_changes_no_answer() {
    let cache = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = cache.path().join("asked-terms.txt");
    let expected = answers(crate::support::desk());

    // The first process works the terms out and leaves them for the next.
    let first = load_cached(&responses_dir(), cache.path());
    assert_eq!(answers(&first), expected);
    let written = read(&file);
    assert!(
        written.starts_with("factdesk asked terms: code "),
        "{written:.80}"
    );

    // The next reads them: the same answers.
    assert_eq!(
        answers(&load_cached(&responses_dir(), cache.path())),
        expected
    );

    // A cache with the right header is believed (this proves it is read): emptied of
    // every term, the asked questions cannot vote, and some answer changes.
    let mut lines = written.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let count = lines.count() - 1;
    let mut emptied = format!("{header}\n\n");
    emptied.push_str(&"\n".repeat(count));
    fs::write(&file, &emptied).unwrap_or_else(|error| panic!("{error}"));
    assert_ne!(
        answers(&load_cached(&responses_dir(), cache.path())),
        expected
    );

    // Garbage, a wrong count, an index out of range: ignored, and written anew.
    for broken in [
        "not a cache at all".to_string(),
        format!("{header}\nznpp\n0\n"),
        format!("{header}\nznpp\n{}", "7\n".repeat(count)),
    ] {
        fs::write(&file, &broken).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            answers(&load_cached(&responses_dir(), cache.path())),
            expected
        );
        assert_eq!(read(&file), written);
    }
}

#[test]
fn a_cache_of_other_files_is_ignored() {
    let cache = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = cache.path().join("asked-terms.txt");
    load_cached(&responses_dir(), cache.path());
    let shipped = read(&file);

    // One asked question less: other files, another header; the old cache is not used.
    let copy = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let story = copy.path().join("znpp-bitcoin");
    copy_dir(&story_dir(), &story);
    let asked = read(&story.join("asked.jsonl"));
    let fewer: Vec<&str> = asked.lines().skip(1).collect();
    fs::write(story.join("asked.jsonl"), fewer.join("\n"))
        .unwrap_or_else(|error| panic!("{error}"));
    let desk = load_cached(copy.path(), cache.path());
    assert_eq!(desk.knowledge_base().asked.len(), fewer.len());
    let rewritten = read(&file);
    assert_ne!(rewritten.lines().next(), shipped.lines().next());
    assert_eq!(rewritten.lines().count(), fewer.len() + 2);
    // And the answers are those of the same files without any cache.
    let uncached = FactDesk::load(copy.path()).unwrap_or_else(|problems| panic!("{problems}"));
    assert_eq!(answers(&desk), answers(&uncached));
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_no_error() {
    let blocker = tempfile::NamedTempFile::new().unwrap_or_else(|error| panic!("{error}"));
    // A file where the folder should be: creating it fails, answering does not.
    let desk = load_cached(&responses_dir(), &blocker.path().join("cache"));
    assert_eq!(answers(&desk), answers(crate::support::desk()));
}

#[test]
fn the_patterns_prefixes_are_cached_and_a_pattern_not_there_is_parsed() {
    let cache = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = cache.path().join("pattern-prefixes.jsonl");
    let expected = answers(crate::support::desk());

    // The first process parses every pattern and leaves their prefixes for the next,
    // which answers the same.
    let first = load_cached(&responses_dir(), cache.path());
    assert_eq!(answers(&first), expected);
    let written = read(&file);
    let header = written.lines().next().unwrap_or_default().to_string();
    assert!(
        header.starts_with("factdesk pattern prefixes: code "),
        "{header}"
    );
    let patterns = first.knowledge_base().pattern_prefixes();
    assert_eq!(written.lines().count(), patterns.len() + 1);
    assert_eq!(
        answers(&load_cached(&responses_dir(), cache.path())),
        expected
    );

    // It is believed (this proves it is read): with prefixes no question begins with,
    // no pattern is tried, and some answer changes.
    let mut misleading = format!("{header}\n");
    for source in patterns.keys() {
        let line = serde_json::to_string(&(source, [b"qqqq".to_vec()]))
            .unwrap_or_else(|error| panic!("{error}"));
        misleading.push_str(&line);
        misleading.push('\n');
    }
    fs::write(&file, &misleading).unwrap_or_else(|error| panic!("{error}"));
    assert_ne!(
        answers(&load_cached(&responses_dir(), cache.path())),
        expected
    );

    // Garbage, or another build's header: ignored, and written anew.
    for broken in [
        "not a cache at all".to_string(),
        misleading.replacen("code ", "code 0", 1),
        format!("{header}\n[\"(unclosed\"]\n"),
    ] {
        fs::write(&file, &broken).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            answers(&load_cached(&responses_dir(), cache.path())),
            expected
        );
        assert_eq!(read(&file).lines().count(), patterns.len() + 1);
    }

    // A curator's edit is a pattern the cache does not hold: parsed, and its mistake
    // reported as without any cache.
    let copy = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let story = copy.path().join("znpp-bitcoin");
    copy_dir(&story_dir(), &story);
    let topic = story.join("topics/who-controls-the-plant.toml");
    let text = read(&topic);
    let broken = text.replacen("triggers = ['", "triggers = ['(unclosed', '", 1);
    assert_ne!(broken, text, "the topic has no triggers to break");
    fs::write(&topic, broken).unwrap_or_else(|error| panic!("{error}"));
    match FactDesk::load_cached(copy.path(), Some(cache.path())) {
        Ok(_) => panic!("a broken pattern was believed"),
        Err(problems) => assert!(
            problems.to_string().contains("is not a valid regex"),
            "{problems}"
        ),
    }
}

/// A one-question process builds no typo index (most of its start-up) unless the question
/// has an unknown word: a curated word the vocabulary lacks (a facet's "nukes") once made
/// every start build it.
#[test]
fn a_process_builds_the_typo_index_only_for_an_unknown_word() {
    let cache = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let desk = load_cached(&responses_dir(), cache.path());
    assert!(!desk.matcher().typo_index_built(), "built while loading");
    desk.answer("wait, so the US is running miners at the plant now?");
    assert!(
        !desk.matcher().typo_index_built(),
        "built for a question of known words"
    );
    desk.answer("who contrlos the plnat?");
    assert!(desk.matcher().typo_index_built(), "typos need it");
}
