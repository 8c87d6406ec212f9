//! The fingerprint of the code that turns text into matching terms (`src/matching/` and
//! the locked crate versions, a stemmer's among them) and curated patterns into their
//! prefixes (`src/knowledge/pattern.rs`, with regex-syntax's version in the lock file), as
//! `FACTDESK_TERMS_CODE`: a cache written by a build of other code is never read
//! (`src/terms_cache.rs`).

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let mut files = Vec::new();
    collect(Path::new("src/matching"), &mut files);
    files.push(PathBuf::from("src/knowledge/pattern.rs"));
    files.push(PathBuf::from("Cargo.lock"));
    files.sort();
    println!("cargo:rerun-if-changed=src/matching");
    println!("cargo:rerun-if-changed=src/knowledge/pattern.rs");
    // FNV-1a, 64 bits: no dependency, and plenty to tell builds apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        feed(file.to_string_lossy().as_bytes());
        // A file that cannot be read counts as empty: the build goes on, and the
        // fingerprint still differs from a build that read it.
        feed(&fs::read(file).unwrap_or_default());
    }
    println!("cargo:rustc-env=FACTDESK_TERMS_CODE={hash:016x}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
