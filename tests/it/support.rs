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
