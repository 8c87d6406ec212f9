//! Helpers shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use factdesk::FactDesk;

/// The shipped responses folder.
pub fn responses_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("responses")
}

/// The shipped story folder.
pub fn story_dir() -> PathBuf {
    responses_dir().join("znpp-bitcoin")
}

/// The desk over the shipped responses, loaded once per test binary.
pub fn desk() -> &'static FactDesk {
    static DESK: OnceLock<FactDesk> = OnceLock::new();
    DESK.get_or_init(|| match FactDesk::load(&responses_dir()) {
        Ok(desk) => desk,
        Err(problems) => panic!("the shipped responses must pass the check:\n{problems}"),
    })
}

/// Copies a folder tree (a story, for tests that break a copy of it).
pub fn copy_dir(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else {
        panic!("read {}", from.display())
    };
    if let Err(error) = fs::create_dir_all(to) {
        panic!("create {}: {error}", to.display());
    }
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else if let Err(error) = fs::copy(&path, &target) {
            panic!("copy {}: {error}", path.display());
        }
    }
}

/// The fictional later source of the developing-story fixture.
pub const GAZETTE: &str = "example-gazette";
/// Its outlet, as the fixture lists it.
pub const GAZETTE_OUTLET: &str = "The Example Gazette (fictional)";
/// Its date.
pub const GAZETTE_DATE: &str = "2026-01-12";

/// A copy of the shipped story that has grown a second, clearly fictional source
/// (`tests/data/fictional-sources/example-gazette.txt`): one of its claims supersedes the
/// article's "described as unofficial", another confirms "no confirmation of any active
/// or planned Bitcoin mining operations". Returns the temp dir (keep it alive) and the
/// responses folder inside it.
pub fn developing_story() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap_or_else(|error| panic!("temp dir: {error}"));
    let responses = temp.path().join("responses");
    let story = responses.join("znpp-bitcoin");
    copy_dir(&story_dir(), &story);
    add_gazette(&story);
    (temp, responses)
}

/// Adds the fictional source and its claims to a story folder.
pub fn add_gazette(story: &Path) {
    let text = fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fictional-sources/example-gazette.txt"),
    )
    .unwrap_or_else(|error| panic!("the fictional source: {error}"));
    let sha256 = {
        use sha2::Digest;
        sha2::Sha256::digest(&text)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    };
    write(&story.join("sources/example-gazette.txt"), &text);
    append(
        &story.join("story.toml"),
        &format!(
            r#"
[[sources]]
id = "{GAZETTE}"
outlet = "{GAZETTE_OUTLET}"
url = "https://example.org/fictional/znpp-talks-follow-up"
published = "{GAZETTE_DATE}"
file = "sources/example-gazette.txt"
sha256 = "{sha256}"
"#
        ),
    );
    // As a curator would: the topic's own answer follows the newest state.
    edit(
        &story.join("topics/talks-unofficial.toml"),
        "answer = \"\"\"The talks are described as unofficial and lack any formal documentation",
        "answer = \"\"\"A later report says officials of both governments acknowledged the talks, without saying what was agreed. The article had described them as unofficial and without any formal documentation",
    );
    add_update(
        story,
        "talks-unofficial",
        (
            "talks-undocumented",
            "These talks are described as unofficial",
        ),
        "officials of both governments acknowledged that the talks had taken place",
        "supersedes",
    );
    add_update(
        story,
        "no-confirmed-mining",
        ("no-mining-confirmed", "Finally, there is no confirmation"),
        "no mining equipment had been installed at the plant by 12 January",
        "confirms",
    );
}

/// Gives a topic's earlier claim (found by how its quote starts) an id, and adds a
/// gazette claim quoting `quote` that bears on it by `relation`.
fn add_update(
    story: &Path,
    topic: &str,
    (earlier_id, earlier_quote_start): (&str, &str),
    quote: &str,
    relation: &str,
) {
    let path = story.join("topics").join(format!("{topic}.toml"));
    name_claim(&path, earlier_id, earlier_quote_start);
    append(
        &path,
        &format!(
            r#"
[[claims]]
source = "{GAZETTE}"
status = "reported"
quote = "{quote}"
updates = "{earlier_id}"
relation = "{relation}"
"#
        ),
    );
}

/// Gives the claim whose quote starts with `quote_start` the id `id`.
pub fn name_claim(topic: &Path, id: &str, quote_start: &str) {
    edit(
        topic,
        &format!("quote = \"{quote_start}"),
        &format!("id = \"{id}\"\nquote = \"{quote_start}"),
    );
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|error| panic!("{}: {error}", parent.display()));
    }
    fs::write(path, bytes).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
}

/// Appends text to a file.
pub fn append(path: &Path, text: &str) {
    let mut content =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    content.push_str(text);
    write(path, content.as_bytes());
}

/// Replaces the first occurrence of `from` in a file; it must be there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let content =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    assert!(content.contains(from), "{} has no {from:?}", path.display());
    write(path, content.replacen(from, to, 1).as_bytes());
}
