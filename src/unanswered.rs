//! The log of questions the desk could not answer (no match) or could not decide
//! (ambiguous), so curators can see what to add; and its summary, most frequent first,
//! with similar questions grouped.
//!
//! Appending is the only IO here; summarising is pure.

use std::collections::BTreeSet;
use std::fs::OpenOptions;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, AnswerStatus};
use crate::matching::normalize;

/// Questions sharing at least this share of their words are grouped together.
const SIMILAR_WORDS: f64 = 0.6;
/// Words that do not make two questions similar.
const FILLER: &[&str] = &[
    "the", "a", "an", "is", "are", "was", "of", "to", "in", "and", "or", "it", "this", "that",
    "what", "so",
];

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

/// An append-only JSON Lines file of unanswered questions. Safe to share between threads.
#[derive(Debug)]
pub struct UnansweredLog {
    path: PathBuf,
    lock: Mutex<()>,
}

impl UnansweredLog {
    /// A log at `path`; the file is created on the first append.
    pub fn new(path: PathBuf) -> UnansweredLog {
        UnansweredLog {
            path,
            lock: Mutex::new(()),
        }
    }

    /// The file behind the log.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the answer if it was a miss or ambiguous; answered questions are not logged.
    pub fn record(&self, answer: &Answer) -> io::Result<()> {
        if answer.status == AnswerStatus::Answered || answer.question.trim().is_empty() {
            return Ok(());
        }
        let record = UnansweredRecord {
            at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs()),
            status: answer.status.as_str().to_string(),
            question: answer.question.clone(),
            suggestions: answer.suggestions.clone(),
        };
        let mut line = serde_json::to_string(&record).map_err(io::Error::from)?;
        line.push('\n');
        // One writer at a time, and one write per line, so lines never interleave.
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(parent) = self
            .path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(line.as_bytes())
    }

    /// Reads every record; a missing file is an empty log, and unreadable lines are
    /// skipped and counted rather than failing the whole summary.
    pub fn read(&self) -> io::Result<(Vec<UnansweredRecord>, usize)> {
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(error) => return Err(error),
        };
        let mut records = Vec::new();
        let mut skipped = 0;
        for line in BufReader::new(file).lines() {
            match serde_json::from_str::<UnansweredRecord>(&line?) {
                Ok(record) => records.push(record),
                Err(_) => skipped += 1,
            }
        }
        Ok((records, skipped))
    }
}

/// Groups similar questions (by shared words) and sorts the groups, most asked first.
pub fn summarize(records: &[UnansweredRecord]) -> Vec<UnansweredGroup> {
    // Count identical wordings first (case and markup aside).
    let mut wordings: Vec<(String, BTreeSet<String>, usize, bool)> = Vec::new();
    for record in records {
        let words: BTreeSet<String> = normalize::words(&record.question)
            .into_iter()
            .filter(|word| !FILLER.contains(&word.as_str()))
            .collect();
        let ambiguous = record.status == "ambiguous";
        match wordings.iter_mut().find(|(_, seen, _, _)| *seen == words) {
            Some(entry) => {
                entry.2 += 1;
                entry.3 |= ambiguous;
            }
            None => wordings.push((record.question.trim().to_string(), words, 1, ambiguous)),
        }
    }
    wordings.sort_by(|left, right| right.2.cmp(&left.2).then(left.0.cmp(&right.0)));

    let mut groups: Vec<(UnansweredGroup, BTreeSet<String>)> = Vec::new();
    for (question, words, count, ambiguous) in wordings {
        let similar = groups
            .iter_mut()
            .find(|(_, group_words)| jaccard(group_words, &words) >= SIMILAR_WORDS);
        match similar {
            Some((group, _)) => {
                group.count += count;
                group.ambiguous |= ambiguous;
                group.variants.push(question);
            }
            None => groups.push((
                UnansweredGroup {
                    count,
                    example: question,
                    variants: Vec::new(),
                    ambiguous,
                },
                words,
            )),
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

fn jaccard(left: &BTreeSet<String>, right: &BTreeSet<String>) -> f64 {
    let union = left.union(right).count();
    if union == 0 {
        return 1.0;
    }
    left.intersection(right).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(question: &str, status: &str) -> UnansweredRecord {
        UnansweredRecord {
            at: 0,
            status: status.to_string(),
            question: question.to_string(),
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn similar_questions_are_grouped_most_frequent_first() {
        let records = [
            record("what is the price of btc", "no_match"),
            record("who won the game", "no_match"),
            record("What is the PRICE of BTC?", "no_match"),
            record("what is the btc price today", "no_match"),
            record("is the iaea involved or the un", "ambiguous"),
        ];
        let groups = summarize(&records);
        assert_eq!(groups[0].count, 3, "{groups:?}");
        assert_eq!(groups[0].example, "what is the price of btc");
        assert_eq!(groups[0].variants, ["what is the btc price today"]);
        assert_eq!(groups.len(), 3);
        assert!(groups.iter().any(|group| group.ambiguous));
    }

    #[test]
    fn an_empty_log_summarises_to_nothing() {
        assert!(summarize(&[]).is_empty());
    }

    #[test]
    fn the_log_appends_misses_and_reads_them_back() {
        let Ok(temp) = tempfile::tempdir() else {
            panic!("temp dir")
        };
        let log = UnansweredLog::new(temp.path().join("sub/unanswered.jsonl"));
        let Ok((records, skipped)) = log.read() else {
            panic!("a missing log reads as empty")
        };
        assert!(records.is_empty() && skipped == 0);
        let miss = Answer {
            question: "lakers score?".to_string(),
            status: AnswerStatus::NoMatch,
            topic: None,
            confidence: 0.0,
            answer: String::new(),
            quotes: Vec::new(),
            suggestions: vec!["what-happened".to_string()],
            source_url: String::new(),
            title: None,
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
        let _ = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .and_then(|mut file| file.write_all(b"not json\n"));
        let Ok((records, skipped)) = log.read() else {
            panic!("read")
        };
        assert_eq!(records.len(), 2);
        assert_eq!(skipped, 1);
        assert_eq!(records[0].question, "lakers score?");
        assert_eq!(records[0].suggestions, ["what-happened"]);
    }
}
