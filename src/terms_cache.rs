//! A cache of the asked questions' matching terms, for one-question processes.
//!
//! `factdesk ask` builds the whole matcher for one question. Working out the terms of
//! thousands of asked questions (`asked.jsonl`) is most of that work, and it only changes
//! when the answer files or the matching code change: the cache file records both
//! fingerprints, and a file with other fingerprints, another count or anything unreadable
//! is ignored and written anew. Only ever an optimisation: every failure to read or write
//! it is silent, and the answers are the same with or without it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::bounded_read::{read_bytes_limited, read_limited};
use crate::knowledge::{KnowledgeBase, KnownPrefixes};
use crate::matching::semantic::QuantizedVectors;
use crate::matching::AskedTerms;

/// The fingerprint of the matching code this binary was built with (see `build.rs`).
const CODE: &str = env!("FACTDESK_TERMS_CODE");
/// The cache file's name in the cache folder.
const FILE_NAME: &str = "asked-terms.txt";
/// The asked questions' semantic vectors, beside their terms (binary: see `read_vectors`).
const VECTORS_FILE_NAME: &str = "asked-vectors.bin";
/// The curated patterns' prefixes, so that they are not parsed again (see
/// `KnownPrefixes`): one JSON array a line, `[source, prefixes or null]`.
const PATTERNS_FILE_NAME: &str = "pattern-prefixes.jsonl";
/// Largest cache file read: terms are shorter than the questions they come from, and
/// `asked.jsonl` is at most `knowledge::MAX_ASKED_FILE_BYTES`.
const MAX_CACHE_BYTES: u64 = 16 << 20;
/// Between the terms of the dictionary: a term is one word, never whitespace.
const SEPARATOR: char = '\t';

/// The cache folder: `FACTDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/factdesk`, else
/// `$HOME/.cache/factdesk`; none when neither is set or the first is empty.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FACTDESK_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|dir| !dir.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })
        .map(|dir| dir.join("factdesk"))
}

fn header(knowledge_base: &KnowledgeBase) -> String {
    format!(
        "factdesk asked terms: code {CODE}, files {:016x}, {} questions",
        knowledge_base.fingerprint,
        knowledge_base.asked.len()
    )
}

/// The asked questions' terms as a cache holds them. The file: the header, the dictionary
/// of terms on one line, then each question's term indices; their semantic vectors are
/// in a file of their own (see `read_vectors`). They are read before the answer files
/// load, on the other core (reading them is a tenth of a one-question process:
/// [`crate::FactDesk::load_cached`]), and used if they were written for these files by
/// this matching code (`Matcher::with_asked_terms` works them out again unless they fit).
pub struct CachedTerms {
    /// The header both files begin with, which names the files they were written for.
    header: String,
    terms: AskedTerms,
}

impl CachedTerms {
    /// The terms and vectors in `dir`, if both files are there, whole and of one header.
    pub fn read(dir: &Path) -> Option<CachedTerms> {
        let text = read_limited(&dir.join(FILE_NAME), MAX_CACHE_BYTES).ok()??;
        // Every line ends in a newline; a question without terms is an empty line.
        let mut lines = text.strip_suffix('\n')?.split('\n');
        let header = lines.next()?.to_string();
        let dictionary: Vec<String> = lines
            .next()?
            .split(SEPARATOR)
            .filter(|term| !term.is_empty())
            .map(str::to_string)
            .collect();
        let questions: Vec<Vec<u32>> = lines
            .map(|line| {
                line.split(' ')
                    .filter(|id| !id.is_empty())
                    .map(str::parse)
                    .collect::<Result<Vec<u32>, _>>()
            })
            .collect::<Result<_, _>>()
            .ok()?;
        let vectors = read_vectors(dir, &header, questions.len())?;
        Some(CachedTerms {
            header,
            terms: AskedTerms {
                dictionary,
                questions,
                vectors,
            },
        })
    }

    /// The terms, if they were written for these answer files by this matching code.
    pub fn written_for(self, knowledge_base: &KnowledgeBase) -> Option<AskedTerms> {
        // Whether they fit (one list a question, indices in the dictionary, a vector of
        // the table's width each) is the matcher's to check, as for any terms it is given.
        (self.header == header(knowledge_base)).then_some(self.terms)
    }
}

/// The asked questions' semantic vectors, from their own file: the header line, then the
/// vectors as `QuantizedVectors::to_le_bytes` writes them. No file, or nothing after its
/// header, is no vectors.
fn read_vectors(dir: &Path, header: &str, count: usize) -> Option<QuantizedVectors> {
    let bytes = match read_bytes_limited(&dir.join(VECTORS_FILE_NAME), MAX_CACHE_BYTES) {
        Ok(bytes) => bytes?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Some(QuantizedVectors::default())
        }
        Err(_) => return None,
    };
    let body = bytes.strip_prefix(header.as_bytes())?.strip_prefix(b"\n")?;
    if body.is_empty() {
        return Some(QuantizedVectors::default());
    }
    QuantizedVectors::from_le_bytes(count, body)
}

fn patterns_header() -> String {
    format!("factdesk pattern prefixes: code {CODE}")
}

/// The prefixes of the patterns this build parsed before, from the cache in `dir`; none
/// when there is no cache, or it was written by another build or cannot be read whole.
pub fn read_pattern_prefixes(dir: &Path) -> KnownPrefixes {
    let read = || -> Option<KnownPrefixes> {
        let text = read_limited(&dir.join(PATTERNS_FILE_NAME), MAX_CACHE_BYTES).ok()??;
        let mut lines = text.lines();
        if lines.next()? != patterns_header() {
            return None;
        }
        lines
            .map(|line| serde_json::from_str::<(String, Option<Vec<Vec<u8>>>)>(line).ok())
            .collect()
    };
    read().unwrap_or_default()
}

/// Writes the prefixes of `knowledge_base`'s patterns for the next process, unless
/// `known` (what was read) already holds exactly those patterns.
pub fn write_pattern_prefixes(dir: &Path, known: &KnownPrefixes, knowledge_base: &KnowledgeBase) {
    if knowledge_base.patterns_are(known) {
        return;
    }
    let prefixes = knowledge_base.pattern_prefixes();
    let written = fs::create_dir_all(dir).and_then(|()| {
        write_whole(dir, PATTERNS_FILE_NAME, |file| {
            writeln!(file, "{}", patterns_header())?;
            for entry in &prefixes {
                let line = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
                writeln!(file, "{line}")?;
            }
            Ok(())
        })
    });
    if written.is_err() {
        tracing::debug!(dir = %dir.display(), "the patterns' prefixes were not cached");
    }
}

/// Writes the terms for the next process: to a temporary file first, then renamed, so
/// that a process reading at the same time sees the old cache or the new one, whole.
pub fn write(dir: &Path, knowledge_base: &KnowledgeBase, terms: &AskedTerms) {
    let writable = terms
        .dictionary
        .iter()
        .all(|term| !term.is_empty() && !term.contains(SEPARATOR) && !term.contains('\n'));
    if !writable || write_file(dir, knowledge_base, terms).is_err() {
        tracing::debug!(dir = %dir.display(), "the asked questions' terms were not cached");
    }
}

fn write_file(
    dir: &Path,
    knowledge_base: &KnowledgeBase,
    terms: &AskedTerms,
) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let header = header(knowledge_base);
    write_whole(dir, VECTORS_FILE_NAME, |file| {
        writeln!(file, "{header}")?;
        file.write_all(&terms.vectors.to_le_bytes())
    })?;
    write_whole(dir, FILE_NAME, |file| {
        writeln!(file, "{header}")?;
        writeln!(file, "{}", terms.dictionary.join(&SEPARATOR.to_string()))?;
        for question in &terms.questions {
            let ids: Vec<String> = question.iter().map(u32::to_string).collect();
            writeln!(file, "{}", ids.join(" "))?;
        }
        Ok(())
    })
}

/// Writes `name` in `dir` through a temporary file renamed into place, so that a process
/// reading at the same time sees the old file or the new one, whole.
fn write_whole(
    dir: &Path,
    name: &str,
    contents: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let temporary = dir.join(format!("{name}.{}", std::process::id()));
    let mut file = std::io::BufWriter::new(fs::File::create(&temporary)?);
    contents(&mut file)?;
    file.into_inner()
        .map_err(|error| error.into_error())?
        .sync_all()?;
    let renamed = fs::rename(&temporary, dir.join(name));
    if renamed.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    renamed
}
