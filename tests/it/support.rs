//! Helpers shared by the integration tests.

use std::path::PathBuf;
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
