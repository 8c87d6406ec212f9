//! Which curated patterns (triggers and `corrects`) a question could match, found without
//! compiling them.
//!
//! Every match of a pattern begins with one of a few literals (`CuratedPattern::prefixes`:
//! "who", "since ukraine"). One multi-literal search over the question finds those that
//! occur, and only their patterns are compiled and run; the rest cannot match. Compiling
//! all ~190 patterns was most of a `factdesk ask` process.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::knowledge::{CuratedPattern, Topic};

/// The curated patterns of every topic, with the search that finds a question's
/// candidates among them.
pub(super) struct Patterns {
    /// Every topic's triggers and premises, in one list.
    all: Vec<CuratedPattern>,
    /// Each topic's triggers, as indices into `all`.
    triggers: Vec<Vec<usize>>,
    /// The false premises each topic corrects, as indices into `all`.
    premises: Vec<Vec<usize>>,
    /// Finds the literals the patterns begin with; `None` when it could not be built (then
    /// every pattern is a candidate).
    prefix_search: Option<AhoCorasick>,
    /// For each literal of `prefix_search`, the pattern it begins.
    prefix_owner: Vec<usize>,
    /// Patterns that no finite set of literals begins: candidates for every question.
    unfiltered: Vec<usize>,
}

/// One flag per pattern: whether a question could match it.
pub(super) struct Candidates(Vec<bool>);

impl Patterns {
    pub(super) fn new(topics: &[Topic]) -> Patterns {
        let mut all = Vec::new();
        let mut indices = |patterns: &[CuratedPattern]| -> Vec<usize> {
            patterns
                .iter()
                .map(|pattern| {
                    all.push(pattern.clone());
                    all.len() - 1
                })
                .collect()
        };
        let triggers: Vec<Vec<usize>> = topics
            .iter()
            .map(|topic| indices(&topic.triggers))
            .collect();
        let premises: Vec<Vec<usize>> = topics
            .iter()
            .map(|topic| indices(&topic.corrects))
            .collect();
        let mut literals: Vec<&[u8]> = Vec::new();
        let mut prefix_owner = Vec::new();
        let mut unfiltered = Vec::new();
        for (index, pattern) in all.iter().enumerate() {
            match pattern.prefixes() {
                Some(prefixes) => {
                    for prefix in prefixes {
                        literals.push(prefix);
                        prefix_owner.push(index);
                    }
                }
                None => unfiltered.push(index),
            }
        }
        let prefix_search = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .ok();
        if prefix_search.is_none() {
            unfiltered = (0..all.len()).collect();
        }
        Patterns {
            all,
            triggers,
            premises,
            prefix_search,
            prefix_owner,
            unfiltered,
        }
    }

    /// The patterns `text` could match: those whose literals it contains, and those
    /// without literals.
    pub(super) fn candidates(&self, text: &str) -> Candidates {
        let mut candidates = vec![false; self.all.len()];
        for &index in &self.unfiltered {
            candidates[index] = true;
        }
        if let Some(search) = &self.prefix_search {
            for found in search.find_overlapping_iter(text) {
                if let Some(&index) = self.prefix_owner.get(found.pattern().as_usize()) {
                    candidates[index] = true;
                }
            }
        }
        Candidates(candidates)
    }

    /// Whether one of the topic's triggers matches `text`.
    pub(super) fn triggers(&self, topic: usize, text: &str, candidates: &Candidates) -> bool {
        self.any_matches(&self.triggers[topic], text, candidates)
    }

    /// Whether `text` states a false premise the topic corrects.
    pub(super) fn corrects(&self, topic: usize, text: &str, candidates: &Candidates) -> bool {
        self.any_matches(&self.premises[topic], text, candidates)
    }

    fn any_matches(&self, patterns: &[usize], text: &str, candidates: &Candidates) -> bool {
        patterns
            .iter()
            .any(|&index| candidates.0[index] && self.all[index].is_match(text))
    }
}
