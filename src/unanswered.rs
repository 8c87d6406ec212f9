//! The log of questions the desk could not answer (no match) or could not decide
//! (ambiguous), so curators can see what to add; and its summary, most frequent first,
//! with similar questions grouped.
//!
//! The log is data the curators must be able to trust whatever it holds: it is read as
//! a stream of bytes, line by line, with a bound on each line; a line that is not a
//! record (bad bytes, cut short, too long) is skipped and counted, never fatal. The
//! summary costs memory for each distinct wording (24 bytes, never the text), not for
//! each line, and groups similar wordings in near-linear time.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, AnswerStatus};
use crate::bounded_read::skip_rest_of_line;
use crate::matching::normalize;

/// Questions sharing at least this share of their words are grouped together.
const SIMILAR_WORDS: f64 = 0.6;
/// Words that do not make two questions similar.
const FILLER: &[&str] = &[
    "the", "a", "an", "is", "are", "was", "of", "to", "in", "and", "or", "it", "this", "that",
    "what", "so",
];
/// A line longer than this is not a record the bot wrote (a question is cut to 6,000
/// characters): it is skipped without being held in memory.
pub const MAX_RECORD_BYTES: usize = 32 << 10;
/// Distinct wordings tracked; beyond this the log is too varied to be a to-do list, and
/// further new wordings are only counted.
pub const MAX_WORDINGS: usize = 1 << 20;
/// The most frequent wordings that are read back and grouped; the long tail below them is
/// counted, not shown.
pub const MAX_GROUPED_WORDINGS: usize = 10_000;
/// A word shared by more groups than this (a word in nearly every question) is not used
/// to find candidates, so grouping stays near-linear.
const MAX_CANDIDATES_PER_WORD: usize = 256;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnansweredRecord {
    /// Seconds since the Unix epoch.
    pub at: u64,
    /// `no_match` or `ambiguous`.
    pub status: String,
    /// The question as asked.
    pub question: String,
    /// The topics that were offered.
    pub suggestions: Vec<String>,
}

/// A group of similar unanswered questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnansweredGroup {
    /// How many times questions of this group were asked.
    pub count: usize,
    /// The most frequent wording.
    pub example: String,
    /// Other wordings, most frequent first.
    pub variants: Vec<String>,
    /// Whether any of them was ambiguous rather than unmatched.
    pub ambiguous: bool,
}

/// An append-only JSON Lines file of unanswered questions, rotated by size: when the file
/// reaches `max_bytes` it becomes `FILE.1` (the previous `FILE.1` becomes `FILE.2`, and so
/// on up to `keep` files) and a new file is started. Safe to share between threads.
#[derive(Debug)]
pub struct UnansweredLog {
    path: PathBuf,
    /// Open for appending when the log was opened to write; `None` for reading only.
    writer: Option<Mutex<Writer>>,
}

/// How big the log may grow: `max_bytes` per file, `keep` rotated files besides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    /// Size at which the current file is rotated.
    pub max_bytes: u64,
    /// Rotated files kept (`FILE.1` … `FILE.keep`); older ones are deleted.
    pub keep: usize,
}

/// The open file and how much it holds.
#[derive(Debug)]
struct Writer {
    file: File,
    written: u64,
    rotation: Rotation,
}

/// Rotated files are looked for up to this number, whatever `keep` was when they were
/// written.
const MAX_ROTATED_FILES: usize = 100;

impl UnansweredLog {
    /// A log at `path` to read (with its rotated files).
    pub fn new(path: PathBuf) -> UnansweredLog {
        UnansweredLog { path, writer: None }
    }

    /// A log at `path` to append to, opened (and created, with its folder) now: a path
    /// that cannot be written is an error at start, not a lost record later.
    pub fn open(path: PathBuf, rotation: Rotation) -> io::Result<UnansweredLog> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        let written = file.metadata()?.len();
        Ok(UnansweredLog {
            path,
            writer: Some(Mutex::new(Writer {
                file,
                written,
                rotation,
            })),
        })
    }

    /// The file behind the log.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The log's files that exist, oldest first: the rotated ones, then the current one.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = (1..=MAX_ROTATED_FILES)
            .map(|index| rotated(&self.path, index))
            .take_while(|path| path.is_file())
            .collect();
        files.reverse();
        files.push(self.path.clone());
        files
    }

    /// Appends the answer if it was a miss or ambiguous; answered questions are not logged.
    pub fn record(&self, answer: &Answer) -> io::Result<()> {
        if answer.status == AnswerStatus::Answered || answer.question.trim().is_empty() {
            return Ok(());
        }
        let Some(writer) = &self.writer else {
            return Err(io::Error::other(
                "the unanswered log was opened for reading only",
            ));
        };
        let record = UnansweredRecord {
            at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs()),
            status: answer.status.as_str().to_string(),
            question: answer.question.clone(),
            suggestions: answer
                .suggestions
                .iter()
                .map(|suggestion| suggestion.id.clone())
                .collect(),
        };
        let mut line = serde_json::to_string(&record).map_err(io::Error::from)?;
        line.push('\n');
        // One writer at a time, and one write per line, so lines never interleave.
        let mut writer = writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if writer.written > 0 && writer.written + line.len() as u64 > writer.rotation.max_bytes {
            self.rotate(&mut writer)?;
        }
        writer.file.write_all(line.as_bytes())?;
        writer.written += line.len() as u64;
        Ok(())
    }

    /// Shifts `FILE.k` to `FILE.k+1` (dropping the oldest), `FILE` to `FILE.1`, and starts
    /// a new `FILE`.
    fn rotate(&self, writer: &mut Writer) -> io::Result<()> {
        let keep = writer.rotation.keep;
        if keep == 0 {
            writer.file = OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(true)
                .open(&self.path)?;
        } else {
            let _ = std::fs::remove_file(rotated(&self.path, keep));
            for index in (1..keep).rev() {
                match std::fs::rename(rotated(&self.path, index), rotated(&self.path, index + 1)) {
                    Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
                    _ => {}
                }
            }
            std::fs::rename(&self.path, rotated(&self.path, 1))?;
            writer.file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
        }
        writer.written = 0;
        Ok(())
    }

    /// Summarises the log with its rotated files, most frequent first; a missing file is
    /// an empty log.
    pub fn summarize(&self) -> io::Result<UnansweredSummary> {
        summarize_files(&self.files())
    }
}

/// `FILE.index`: the log rotated `index` times ago.
fn rotated(path: &Path, index: usize) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{index}"));
    PathBuf::from(name)
}

/// What `factdesk unanswered` and `/unanswered` show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnansweredSummary {
    /// Records read.
    pub records: u64,
    /// Lines that were not records (bad bytes, cut short, too long), skipped.
    pub skipped: u64,
    /// Groups of similar questions, most asked first.
    pub groups: Vec<UnansweredGroup>,
    /// Rare wordings below the most frequent [`MAX_GROUPED_WORDINGS`], and how many
    /// questions they account for: counted, not grouped.
    pub tail_wordings: u64,
    /// Questions in `tail_wordings`.
    pub tail_questions: u64,
}

/// Where a record starts: which file, and the byte offset of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Location {
    file: u32,
    offset: u64,
}

/// One distinct wording (its set of words), as a hash: the text is read back only for
/// the wordings that are shown.
#[derive(Debug, Clone, Copy)]
struct Tally {
    key: u64,
    count: u64,
    ambiguous: bool,
    first: Location,
}

/// A record as read: the question borrowed from the line when it has no escapes.
#[derive(Deserialize)]
struct RecordLine<'a> {
    status: Cow<'a, str>,
    #[serde(borrow)]
    question: Cow<'a, str>,
}

/// Summarises JSON Lines files of unanswered questions, oldest first; missing files are
/// empty. Reads each file twice (count, then read back the examples shown); memory grows
/// with distinct wordings, at most [`MAX_WORDINGS`], never with lines.
pub fn summarize_files(paths: &[PathBuf]) -> io::Result<UnansweredSummary> {
    let mut summary = UnansweredSummary::default();
    let mut tallies: Vec<Tally> = Vec::new();
    let mut untracked: u64 = 0;
    for (index, path) in paths.iter().enumerate() {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        let mut lines = BoundedLines::new(BufReader::with_capacity(64 << 10, file));
        while let Some((offset, line)) = lines.next_line()? {
            let Some(line) = line else {
                summary.skipped += 1;
                continue;
            };
            let Ok(record) = serde_json::from_slice::<RecordLine<'_>>(line) else {
                summary.skipped += 1;
                continue;
            };
            summary.records += 1;
            tallies.push(Tally {
                key: wording_key(&record.question),
                count: 1,
                ambiguous: record.status == "ambiguous",
                first: Location {
                    file: index as u32,
                    offset,
                },
            });
            if tallies.len() >= 2 * MAX_WORDINGS {
                compact(&mut tallies);
                if tallies.len() > MAX_WORDINGS {
                    // Keep the most asked; the rest are counted, not tracked.
                    untracked += keep_most_asked(&mut tallies, MAX_WORDINGS).1;
                }
            }
        }
    }
    compact(&mut tallies);
    (summary.tail_wordings, summary.tail_questions) =
        keep_most_asked(&mut tallies, MAX_GROUPED_WORDINGS);
    summary.tail_questions += untracked;
    let wordings = read_back(paths, &tallies)?;
    summary.groups = group(wordings);
    Ok(summary)
}

/// Sorts the tallies most asked first (the earliest first among equals) and keeps `limit`
/// of them; returns how many wordings, and questions, were left out.
fn keep_most_asked(tallies: &mut Vec<Tally>, limit: usize) -> (u64, u64) {
    tallies.sort_by(|left, right| {
        right
            .count
            .cmp(&left.count)
            .then(left.first.cmp(&right.first))
    });
    let left_out = tallies.get(limit..).unwrap_or_default();
    let counted = (
        left_out.len() as u64,
        left_out.iter().map(|tally| tally.count).sum(),
    );
    tallies.truncate(limit);
    counted
}

/// Merges tallies of the same wording, keeping the earliest location; sorted by key after.
fn compact(tallies: &mut Vec<Tally>) {
    tallies.sort_by(|left, right| left.key.cmp(&right.key).then(left.first.cmp(&right.first)));
    tallies.dedup_by(|later, kept| {
        if later.key == kept.key {
            kept.count += later.count;
            kept.ambiguous |= later.ambiguous;
            true
        } else {
            false
        }
    });
}

/// The words that make two questions the same wording, sorted and without filler.
fn wording_words(question: &str) -> Vec<String> {
    let mut words: Vec<String> = normalize::words(question)
        .into_iter()
        .filter(|word| !FILLER.contains(&word.as_str()))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// A stable hash of a wording's words (SipHash with fixed keys: the same log gives the
/// same summary on every run).
fn wording_key(question: &str) -> u64 {
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    wording_words(question).hash(&mut hasher);
    hasher.finish()
}

/// A wording read back from the log, ready to group.
struct Wording {
    question: String,
    words: Vec<String>,
    count: u64,
    ambiguous: bool,
}

/// Reads the question of each tally back from where it was first seen, in the tallies'
/// order (most asked first).
fn read_back(paths: &[PathBuf], tallies: &[Tally]) -> io::Result<Vec<Wording>> {
    let mut by_location: Vec<usize> = (0..tallies.len()).collect();
    by_location.sort_by_key(|&index| tallies[index].first);
    let mut questions: Vec<Option<String>> = vec![None; tallies.len()];
    let mut open: Option<(u32, BufReader<File>)> = None;
    for index in by_location {
        let Location { file, offset } = tallies[index].first;
        if open
            .as_ref()
            .is_none_or(|(open_file, _)| *open_file != file)
        {
            let path = &paths[file as usize];
            open = Some((file, BufReader::new(File::open(path)?)));
        }
        let Some((_, reader)) = open.as_mut() else {
            continue;
        };
        reader.seek(SeekFrom::Start(offset))?;
        let mut lines = BoundedLines::new(reader);
        if let Some((_, Some(line))) = lines.next_line()? {
            if let Ok(record) = serde_json::from_slice::<RecordLine<'_>>(line) {
                questions[index] = Some(record.question.trim().to_string());
            }
        }
    }
    Ok(tallies
        .iter()
        .zip(questions)
        // A log rewritten between the two reads may have lost a line: skip it.
        .filter_map(|(tally, question)| {
            let question = question?;
            Some(Wording {
                words: wording_words(&question),
                question,
                count: tally.count,
                ambiguous: tally.ambiguous,
            })
        })
        .collect())
}

/// Groups wordings (most asked first) with the first earlier group that shares at least
/// [`SIMILAR_WORDS`] of their words. Candidates come from an index of the groups' words,
/// so each wording is compared with the groups that share a word, not with all of them.
fn group(wordings: Vec<Wording>) -> Vec<UnansweredGroup> {
    let mut groups: Vec<(UnansweredGroup, Vec<String>)> = Vec::new();
    let mut index: HashMap<String, Vec<u32>> = HashMap::new();
    let mut shared: HashMap<u32, usize> = HashMap::new();
    for wording in wordings {
        shared.clear();
        for word in &wording.words {
            if let Some(postings) = index.get(word) {
                for &group_index in postings.iter().take(MAX_CANDIDATES_PER_WORD) {
                    *shared.entry(group_index).or_default() += 1;
                }
            }
        }
        let similar = shared
            .iter()
            .filter(|(&group_index, &common)| {
                let union = groups[group_index as usize].1.len() + wording.words.len() - common;
                union == 0 || common as f64 / union as f64 >= SIMILAR_WORDS
            })
            .map(|(&group_index, _)| group_index)
            .min()
            // Two wordings with no words at all (only filler or markup) are the same.
            .or_else(|| {
                wording.words.is_empty().then(|| {
                    groups
                        .iter()
                        .position(|(_, words)| words.is_empty())
                        .map(|position| position as u32)
                })?
            });
        match similar {
            Some(group_index) => {
                let group = &mut groups[group_index as usize].0;
                group.count += wording.count as usize;
                group.ambiguous |= wording.ambiguous;
                group.variants.push(wording.question);
            }
            None => {
                let group_index = groups.len() as u32;
                for word in &wording.words {
                    index.entry(word.clone()).or_default().push(group_index);
                }
                groups.push((
                    UnansweredGroup {
                        count: wording.count as usize,
                        example: wording.question,
                        variants: Vec::new(),
                        ambiguous: wording.ambiguous,
                    },
                    wording.words,
                ));
            }
        }
    }
    let mut groups: Vec<UnansweredGroup> = groups.into_iter().map(|(group, _)| group).collect();
    groups.sort_by(|left, right| {
        right
            .count
            .cmp(&left.count)
            .then(left.example.cmp(&right.example))
    });
    groups
}

/// Lines of a byte stream, each at most [`MAX_RECORD_BYTES`]: a longer line is consumed
/// to its end in pieces and returned as `None`, so it never sits in memory whole.
struct BoundedLines<R> {
    reader: R,
    line: Vec<u8>,
    offset: u64,
}

impl<R: BufRead> BoundedLines<R> {
    fn new(reader: R) -> BoundedLines<R> {
        BoundedLines {
            reader,
            line: Vec::new(),
            offset: 0,
        }
    }

    /// The next line's offset (from where reading started) and its bytes without the
    /// newline, `None` in place of a line that was too long; `None` at the end.
    #[allow(clippy::type_complexity)]
    fn next_line(&mut self) -> io::Result<Option<(u64, Option<&[u8]>)>> {
        self.line.clear();
        let start = self.offset;
        let read = (&mut self.reader)
            .take(MAX_RECORD_BYTES as u64 + 1)
            .read_until(b'\n', &mut self.line)?;
        if read == 0 {
            return Ok(None);
        }
        self.offset += read as u64;
        if self.line.last() == Some(&b'\n') {
            self.line.pop();
            return Ok(Some((start, Some(&self.line))));
        }
        if self.line.len() <= MAX_RECORD_BYTES {
            // The last line, without a newline.
            return Ok(Some((start, Some(&self.line))));
        }
        // Too long: skip to the end of the line without keeping it.
        self.offset += skip_rest_of_line(&mut self.reader)?;
        Ok(Some((start, None)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_log(lines: &[&[u8]]) -> (tempfile::TempDir, PathBuf) {
        let Ok(temp) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let path = temp.path().join("unanswered.jsonl");
        let mut bytes = Vec::new();
        for line in lines {
            bytes.extend_from_slice(line);
            bytes.push(b'\n');
        }
        if let Err(error) = std::fs::write(&path, bytes) {
            panic!("{error}");
        }
        (temp, path)
    }

    fn record(question: &str, status: &str) -> Vec<u8> {
        serde_json::json!({"at": 0, "status": status, "question": question, "suggestions": []})
            .to_string()
            .into_bytes()
    }

    fn summary_of(path: PathBuf) -> UnansweredSummary {
        match UnansweredLog::new(path).summarize() {
            Ok(summary) => summary,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn similar_questions_are_grouped_most_frequent_first() {
        let lines = [
            record("what is the price of btc", "no_match"),
            record("who won the game", "no_match"),
            record("What is the PRICE of BTC?", "no_match"),
            record("what is the btc price today", "no_match"),
            record("is the iaea involved or the un", "ambiguous"),
        ];
        let lines: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
        let (_temp, path) = write_log(&lines);
        let summary = summary_of(path);
        let groups = &summary.groups;
        assert_eq!(groups[0].count, 3, "{groups:?}");
        assert_eq!(groups[0].example, "what is the price of btc");
        assert_eq!(groups[0].variants, ["what is the btc price today"]);
        assert_eq!(groups.len(), 3);
        assert!(groups.iter().any(|group| group.ambiguous));
        assert_eq!((summary.records, summary.skipped), (5, 0));
    }

    #[test]
    fn a_missing_log_summarises_to_nothing() {
        let Ok(temp) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let summary = summary_of(temp.path().join("none.jsonl"));
        assert_eq!(summary, UnansweredSummary::default());
    }

    #[test]
    fn bad_bytes_cut_lines_and_huge_lines_are_skipped_and_counted() {
        let good = record("lakers score?", "no_match");
        let huge = vec![b'x'; MAX_RECORD_BYTES * 3];
        let mut invalid_utf8 = record("bad \u{e9} byte", "no_match");
        if let Some(position) = invalid_utf8.iter().position(|&byte| byte == 0xc3) {
            invalid_utf8[position] = 0xff;
        }
        let lines: [&[u8]; 6] = [
            &good,
            b"not json",
            &invalid_utf8,
            &huge,
            b"{\"at\": 1, \"status\": \"no_m",
            &good,
        ];
        let (_temp, path) = write_log(&lines);
        let summary = summary_of(path);
        assert_eq!((summary.records, summary.skipped), (2, 4));
        assert_eq!(summary.groups.len(), 1);
        assert_eq!(summary.groups[0].count, 2);
    }

    #[test]
    fn a_hundred_thousand_distinct_questions_with_bad_bytes() {
        let Ok(temp) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let path = temp.path().join("unanswered.jsonl");
        let mut bytes = Vec::new();
        for index in 0..100_000u32 {
            // Distinct words, so no two wordings group: the worst case for grouping.
            let question = format!("what about w{index}a and w{index}b and w{index}c");
            bytes.extend(record(&question, "no_match"));
            bytes.push(b'\n');
            if index % 25_000 == 0 {
                bytes.extend_from_slice(b"{\"question\": \"\xff\xfe\"}\n");
            }
        }
        // The most asked question, ten times, at the end.
        for _ in 0..10 {
            bytes.extend(record("is the plant on fire", "no_match"));
            bytes.push(b'\n');
        }
        if let Err(error) = std::fs::write(&path, bytes) {
            panic!("{error}");
        }
        let summary = summary_of(path);
        assert_eq!(summary.records, 100_010);
        assert_eq!(summary.skipped, 4);
        assert_eq!(summary.groups[0].example, "is the plant on fire");
        assert_eq!(summary.groups[0].count, 10);
        // The long tail is counted, not lost.
        let grouped: usize = summary.groups.iter().map(|group| group.count).sum();
        assert_eq!(grouped as u64 + summary.tail_questions, 100_010);
        assert_eq!(summary.groups.len(), MAX_GROUPED_WORDINGS);
    }

    const ROOMY: Rotation = Rotation {
        max_bytes: 1 << 20,
        keep: 2,
    };

    fn miss(question: &str) -> Answer {
        Answer {
            question: question.to_string(),
            status: AnswerStatus::NoMatch,
            topic: None,
            confidence: 0.0,
            answer: String::new(),
            quotes: Vec::new(),
            suggestions: Vec::new(),
            source_url: String::new(),
            as_of: String::new(),
            title: None,
            language: crate::language::Language::English,
        }
    }

    #[test]
    fn the_log_rotates_by_size_keeps_n_files_and_is_read_whole() {
        let Ok(temp) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let path = temp.path().join("unanswered.jsonl");
        let rotation = Rotation {
            max_bytes: 400,
            keep: 2,
        };
        let Ok(log) = UnansweredLog::open(path.clone(), rotation) else {
            panic!("opens")
        };
        for index in 0..40 {
            if let Err(error) = log.record(&miss(&format!("question number {index}"))) {
                panic!("{error}");
            }
        }
        for file in [&path, &rotated(&path, 1), &rotated(&path, 2)] {
            let size = std::fs::metadata(file).map_or(0, |meta| meta.len());
            assert!(size > 0 && size <= 400, "{}: {size}", file.display());
        }
        assert!(
            !rotated(&path, 3).exists(),
            "only `keep` rotated files stay"
        );
        assert_eq!(log.files().len(), 3);
        let summary = summary_of(path.clone());
        // The newest question is in the current file, and everything kept is read.
        let kept: u64 = log
            .files()
            .iter()
            .map(|file| {
                std::fs::read_to_string(file)
                    .unwrap_or_default()
                    .lines()
                    .count() as u64
            })
            .sum();
        assert_eq!(summary.records, kept);
        assert!(summary
            .groups
            .iter()
            .any(|group| group.example == "question number 39"));
        // Reopening continues the current file's size, and reading needs no rotation.
        let Ok(reopened) = UnansweredLog::open(path.clone(), rotation) else {
            panic!("reopens")
        };
        assert_eq!(reopened.files(), UnansweredLog::new(path).files());
    }

    #[test]
    fn the_log_appends_misses_only() {
        let Ok(temp) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let Ok(log) = UnansweredLog::open(temp.path().join("sub/unanswered.jsonl"), ROOMY) else {
            panic!("a log in a new folder opens")
        };
        let miss = Answer {
            question: "lakers score?".to_string(),
            status: AnswerStatus::NoMatch,
            topic: None,
            confidence: 0.0,
            answer: String::new(),
            quotes: Vec::new(),
            suggestions: vec![crate::answer::Suggestion {
                id: "what-happened".to_string(),
                title: "What happened?".to_string(),
            }],
            source_url: String::new(),
            as_of: String::new(),
            title: None,
            language: crate::language::Language::English,
        };
        let hit = Answer {
            status: AnswerStatus::Answered,
            ..miss.clone()
        };
        for answer in [&miss, &hit, &miss] {
            if let Err(error) = log.record(answer) {
                panic!("{error}");
            }
        }
        let summary = summary_of(log.path().to_path_buf());
        assert_eq!(summary.records, 2);
        assert_eq!(summary.groups[0].example, "lakers score?");
    }
}
