//! The questions people asked, labelled with the topics that answer them
//! (`asked.jsonl`): the nearest ones to a new question vote for their topics.
//!
//! Curated example questions are what a curator imagines; asked questions are how people
//! actually put things ("which machines tho. S21s?", "а свєт з атомки в кого зара йде").
//! A topic's own examples decide by the single closest one, so every new example is one
//! more chance for a wrong topic to come closest; a vote of the few nearest asked
//! questions instead gets steadier as questions are added. Measured by leaving each read
//! question set out in turn, and on question sets never read (README, "Accuracy").

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;
use super::normalize;
use super::semantic::{QuantizedVectors, StaticEmbeddings};
use crate::knowledge::{AskedQuestions, TopicLists};

/// Only this many bytes of a question's words are embedded: a question's subject
/// shows in its first lines, and a message of thousands of characters then costs the
/// same as one of this length.
pub const MAX_EMBEDDED_BYTES: usize = 2_000;

/// The semantic vector of a text: of its words as matching reads them
/// ([`embedded_text`]).
///
/// A flood ("ЗАЕС ЗАЕС ЗАЕС") has none: a mean row is the same however often a row
/// comes, so the table cannot tell it from the word said once ("ЗАЕС = ?", a question).
/// Floods are refused by the vote by terms and questions answered by the rules; by
/// meaning, neither would vote for the other.
pub(super) fn embed(table: &StaticEmbeddings, lexicon: &Lexicon, text: &str) -> Option<Vec<f32>> {
    let words = embedded_words(text);
    if super::is_a_flood(&words) {
        return None;
    }
    table.embed(&lexicon.words_read_as_cyrillic(words).join(" "))
}

/// The text the embedding table reads for a question: its words as matching reads them
/// (markup dropped, lowercase, each word cut to `normalize::MAX_WORD_BYTES`), up to
/// [`MAX_EMBEDDED_BYTES`] of them, so that a made-up word of any length costs what one of
/// that length does; Latin-typed Ukrainian and Russian read as Cyrillic
/// ([`Lexicon::words_read_as_cyrillic`]); joined by spaces. `Matcher::embedded_text` gives it
/// to the tool that trains the table (`tools/train_static_embeddings.py`, through
/// `examples/embedded_text.rs`), so that it trains on exactly what it will be given.
pub(super) fn embedded_text(lexicon: &Lexicon, text: &str) -> String {
    lexicon
        .words_read_as_cyrillic(embedded_words(text))
        .join(" ")
}

/// The words of `text` the table reads, before Latin-typed Cyrillic is read.
fn embedded_words(text: &str) -> Vec<String> {
    let mut words = normalize::words(text);
    let kept = normalize::leading_words(&words, MAX_EMBEDDED_BYTES).len();
    words.truncate(kept);
    words
}

/// The asked questions, indexed by their terms.
pub(super) struct AskedIndex {
    term_ids: FxHashMap<String, u32>,
    /// Inverse frequency of each term among the asked questions.
    weights: Vec<f32>,
    /// The weight of a term no asked question uses: the rarest there is.
    unseen_weight: f32,
    /// For each term, the asked questions that use it, with its share of their norm:
    /// term `t`'s are `postings[posting_starts[t]..posting_starts[t + 1]]`.
    postings: Vec<(u32, f32)>,
    posting_starts: Vec<u32>,
    /// Each asked question's semantic vector, in order (none without a table).
    vectors: QuantizedVectors,
    /// Each asked question's topics (none: refused).
    labels: TopicLists,
}

/// What the nearest asked questions say about a question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AskedVotes {
    /// The nearest asked questions (index into `KnowledgeBase::asked`) with their
    /// cosine, nearest first.
    pub nearest: Vec<(usize, f32)>,
    /// Each topic's share of the vote, largest first (ties in topic order).
    pub topics: Vec<(usize, f32)>,
    /// The share of the vote for refusing.
    pub refused: f32,
    /// How many distinct terms of the question some asked question uses.
    pub known_terms: usize,
}

impl AskedVotes {
    /// The cosine of the nearest asked question (0 with none).
    pub fn nearest_cosine(&self) -> f32 {
        self.nearest.first().map_or(0.0, |&(_, cosine)| cosine)
    }

    /// A topic's share of the vote.
    pub fn share(&self, topic_index: usize) -> f32 {
        self.topics
            .iter()
            .find(|&&(topic, _)| topic == topic_index)
            .map_or(0.0, |&(_, share)| share)
    }
}

/// The matching terms of each asked question, as indices into a dictionary of terms.
/// Working them out is most of the cost of indexing thousands of questions, so a
/// one-question process reads them from a cache while the answer files and the matching
/// code are unchanged (`crate::terms_cache`).
///
/// The same goes for each question's semantic vector, which comes with its terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AskedTerms {
    /// Every term, each once.
    pub dictionary: Vec<String>,
    /// For each asked question, its distinct terms as indices into `dictionary`, sorted.
    pub questions: Vec<Vec<u32>>,
    /// Each asked question's vector in the shipped embedding table, in the same order
    /// (none when there is no table).
    pub vectors: QuantizedVectors,
}

impl AskedTerms {
    pub(super) fn of(
        lexicon: &Lexicon,
        asked: &AskedQuestions,
        table: Option<&StaticEmbeddings>,
    ) -> AskedTerms {
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut dictionary = Vec::new();
        let questions = asked
            .iter()
            .map(|(question, _)| {
                let mut terms: Vec<u32> = lexicon
                    .terms_without_typo_correction(question)
                    .into_iter()
                    .map(|term| {
                        let next = dictionary.len() as u32;
                        *ids.entry(term.text).or_insert_with_key(|text| {
                            dictionary.push(text.clone());
                            next
                        })
                    })
                    .collect();
                terms.sort_unstable();
                terms.dedup();
                terms
            })
            .collect();
        let mut vectors = QuantizedVectors::new(table.map_or(0, StaticEmbeddings::dims));
        if let Some(table) = table {
            for (question, _) in asked.iter() {
                vectors.push(embed(table, lexicon, question).as_deref());
            }
        }
        AskedTerms {
            dictionary,
            questions,
            vectors,
        }
    }

    /// Whether every question's term indices are within the dictionary, sorted and
    /// distinct (a cache is read only if they are).
    pub fn is_well_formed(&self) -> bool {
        let count = self.dictionary.len() as u32;
        (self.vectors.is_empty() || self.vectors.len() == self.questions.len())
            && self.questions.iter().all(|terms| {
                terms.windows(2).all(|pair| pair[0] < pair[1])
                    && terms.last().is_none_or(|&last| last < count)
            })
    }
}

impl AskedIndex {
    /// Indexes the asked questions by their terms (`terms.questions[i]` for question `i`).
    pub(super) fn new(terms: AskedTerms, asked: &AskedQuestions) -> AskedIndex {
        let AskedTerms {
            dictionary,
            questions,
            vectors,
        } = terms;
        let mut frequencies = vec![0u32; dictionary.len()];
        for &term in questions.iter().flatten() {
            frequencies[term as usize] += 1;
        }
        let count = questions.len() as f32;
        let weights: Vec<f32> = frequencies
            .iter()
            .map(|&frequency| (1.0 + count / (1.0 + frequency as f32)).ln())
            .collect();
        // Postings laid out term by term: each term's slot starts where the counts say.
        let mut posting_starts = Vec::with_capacity(dictionary.len() + 1);
        let mut start = 0u32;
        for &frequency in &frequencies {
            posting_starts.push(start);
            start += frequency;
        }
        posting_starts.push(start);
        let mut postings = vec![(0u32, 0.0f32); start as usize];
        let mut filled: Vec<u32> = posting_starts[..dictionary.len()].to_vec();
        for (index, ids) in questions.iter().enumerate() {
            let norm = ids
                .iter()
                .map(|&term| weights[term as usize].powi(2))
                .sum::<f32>()
                .sqrt();
            for &term in ids {
                let slot = &mut filled[term as usize];
                postings[*slot as usize] = (index as u32, weights[term as usize] / norm);
                *slot += 1;
            }
        }
        AskedIndex {
            term_ids: dictionary
                .into_iter()
                .enumerate()
                .map(|(id, term)| (term, id as u32))
                .collect(),
            weights,
            unseen_weight: (1.0 + count).ln(),
            postings,
            posting_starts,
            vectors,
            labels: asked.labels().clone(),
        }
    }

    /// The vote of the `neighbours` asked questions nearest a question's semantic vector
    /// (`known_terms` is 0: no terms are compared).
    pub(super) fn semantic_votes(
        &self,
        vector: Option<&[f32]>,
        neighbours: usize,
        power: i32,
    ) -> AskedVotes {
        match vector {
            Some(vector) if !self.labels.is_empty() && self.vectors.len() == self.labels.len() => {
                self.tally(self.vectors.nearest(vector, neighbours), 0, power)
            }
            _ => AskedVotes::default(),
        }
    }

    /// The vote of the `neighbours` asked questions nearest to a text's terms, each
    /// weighing its squared cosine.
    pub(super) fn votes(&self, terms: &[String], neighbours: usize) -> AskedVotes {
        if self.labels.is_empty() || terms.is_empty() || neighbours == 0 {
            return AskedVotes::default();
        }
        let mut distinct: Vec<&str> = terms.iter().map(String::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut norm_squared = 0.0;
        let mut known = Vec::with_capacity(distinct.len());
        for term in distinct {
            match self.term_ids.get(term) {
                Some(&id) => {
                    let weight = self.weights[id as usize];
                    norm_squared += weight * weight;
                    known.push((id, weight));
                }
                None => norm_squared += self.unseen_weight * self.unseen_weight,
            }
        }
        let norm = norm_squared.sqrt();
        if known.is_empty() || norm == 0.0 {
            return AskedVotes::default();
        }
        // One score per asked question (a few thousand floats, the same for any question,
        // where a map of those touched would grow and rehash with common words).
        let known_terms = known.len();
        let mut dots = vec![0.0f32; self.labels.len()];
        for (id, weight) in known {
            let range = self.posting_starts[id as usize] as usize
                ..self.posting_starts[id as usize + 1] as usize;
            let weight = weight / norm;
            for &(question, share) in &self.postings[range] {
                dots[question as usize] += share * weight;
            }
        }
        // The nearest, nearest first; among equals the earlier question. Read in order,
        // so a question enters only if it is nearer than the last of those kept (an equal
        // one comes later); untouched questions, at 0, never do. Eight scores are compared
        // at once and most groups hold none nearer: keeping a list of the questions
        // touched instead cost a guess or a wait at every posting, and was most of the
        // vote's time.
        let mut nearest: Vec<(usize, f32)> = Vec::with_capacity(neighbours + 1);
        let mut farthest_kept = 0.0f32;
        let (groups, rest) = dots.as_chunks::<8>();
        let groups = groups.iter().map(<[f32; 8]>::as_slice);
        for (group_index, group) in groups.chain([rest]).enumerate() {
            if !group
                .iter()
                .fold(false, |any, &dot| any | (dot > farthest_kept))
            {
                continue;
            }
            for (offset, &dot) in group.iter().enumerate() {
                let candidate = (group_index * 8 + offset, dot.min(1.0));
                if candidate.1 <= farthest_kept {
                    continue;
                }
                let at = nearest.partition_point(|&nearer| nearer.1 >= candidate.1);
                nearest.insert(at, candidate);
                nearest.truncate(neighbours);
                if nearest.len() == neighbours {
                    farthest_kept = nearest[neighbours - 1].1;
                }
            }
        }
        self.tally(nearest, known_terms, 2)
    }

    /// The vote of `nearest` (asked questions with their cosine, nearest first), each
    /// weighing its cosine to the `power` (nothing, when it points away).
    fn tally(&self, nearest: Vec<(usize, f32)>, known_terms: usize, power: i32) -> AskedVotes {
        let mut votes: Vec<(usize, f32)> = Vec::new();
        let mut refused = 0.0;
        let mut total = 0.0;
        for &(question, cosine) in &nearest {
            let weight = cosine.max(0.0).powi(power);
            total += weight;
            let labels = self.labels.get(question);
            if labels.is_empty() {
                refused += weight;
            }
            for &topic in labels {
                let topic = usize::from(topic);
                match votes.iter_mut().find(|(voted, _)| *voted == topic) {
                    Some((_, vote)) => *vote += weight,
                    None => votes.push((topic, weight)),
                }
            }
        }
        if total <= 0.0 {
            return AskedVotes::default();
        }
        for (_, vote) in &mut votes {
            *vote /= total;
        }
        votes.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        AskedVotes {
            nearest,
            topics: votes,
            refused: refused / total,
            known_terms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of asked questions given as their terms, each with its topics.
    fn index(questions: &[(&[&str], &[usize])]) -> AskedIndex {
        let mut dictionary: Vec<String> = Vec::new();
        let mut term_lists = Vec::new();
        let mut asked = AskedQuestions::default();
        for (terms, topics) in questions {
            let mut ids: Vec<u32> = terms
                .iter()
                .map(
                    |term| match dictionary.iter().position(|known| known == term) {
                        Some(id) => id as u32,
                        None => {
                            dictionary.push(term.to_string());
                            (dictionary.len() - 1) as u32
                        }
                    },
                )
                .collect();
            ids.sort_unstable();
            ids.dedup();
            term_lists.push(ids);
            assert!(asked.push(&terms.join(" "), topics).is_some());
        }
        let terms = AskedTerms {
            dictionary,
            questions: term_lists,
            vectors: QuantizedVectors::default(),
        };
        assert!(terms.is_well_formed());
        AskedIndex::new(terms, &asked)
    }

    fn terms(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn the_nearest_asked_questions_vote_by_squared_cosine() {
        let index = index(&[
            (&["hardware", "asic", "mine"], &[3]),
            (&["hardware", "mine", "znpp"], &[3, 4]),
            (&["price", "bitcoin"], &[]),
            (&["who", "control", "znpp"], &[1]),
        ]);
        let votes = index.votes(&terms(&["asic", "hardware", "mine"]), 5);
        // The same terms: cosine 1, first; questions sharing nothing get no say.
        assert_eq!(votes.nearest[0].0, 0);
        assert!((votes.nearest_cosine() - 1.0).abs() < 1e-5);
        assert!(votes
            .nearest
            .iter()
            .all(|&(question, _)| question < 2 || question == 3));
        assert!((votes.share(3) - 1.0).abs() < 1e-5, "{votes:?}");
        assert!(votes.share(4) > 0.0 && votes.share(4) < votes.share(3));
        assert_eq!(votes.refused, 0.0);
        assert_eq!(votes.topics[0].0, 3);
        assert_eq!(votes.known_terms, 3);
        // An unknown word makes every asked question farther, not nearer.
        let diluted = index.votes(&terms(&["asic", "hardware", "mine", "zzz"]), 5);
        assert!(diluted.nearest_cosine() < votes.nearest_cosine());
        // Refused questions vote for refusing.
        let price = index.votes(&terms(&["bitcoin", "price"]), 5);
        assert!((price.refused - 1.0).abs() < 1e-5);
        assert!(price.topics.is_empty());
        // Only the `neighbours` nearest vote.
        let one = index.votes(&terms(&["znpp"]), 1);
        assert_eq!(one.nearest.len(), 1);
        assert_eq!(one.known_terms, 1);
    }

    proptest::proptest! {
        #[test]
        fn the_nearest_are_those_a_full_sort_finds(
            questions in proptest::collection::vec(
                proptest::collection::vec(0usize..6, 0..4), 1..40),
            query in proptest::collection::vec(0usize..7, 1..4),
            neighbours in 1usize..6,
        ) {
            const WORDS: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];
            let listed: Vec<Vec<&str>> = questions
                .iter()
                .map(|terms| terms.iter().map(|&term| WORDS[term]).collect())
                .collect();
            let labelled: Vec<(&[&str], &[usize])> =
                listed.iter().map(|terms| (terms.as_slice(), &[0usize][..])).collect();
            let index = index(&labelled);
            let query: Vec<&str> = query.iter().map(|&term| WORDS[term]).collect();
            let votes = index.votes(&terms(&query), neighbours);
            // Every question's cosine, as the index weighs terms, sorted nearest first
            // and the earlier among equals.
            let mut all: Vec<(usize, f32)> = Vec::new();
            let mut distinct = query.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let weight = |term: &str| {
                index.term_ids.get(term).map_or(index.unseen_weight, |&id| index.weights[id as usize])
            };
            let norm = distinct.iter().map(|term| weight(term).powi(2)).sum::<f32>().sqrt();
            for (question, terms) in listed.iter().enumerate() {
                let mut own = terms.clone();
                own.sort_unstable();
                own.dedup();
                let own_norm = own.iter().map(|term| weight(term).powi(2)).sum::<f32>().sqrt();
                let shared: f32 = own
                    .iter()
                    .filter(|term| distinct.contains(term))
                    .map(|term| weight(term).powi(2))
                    .sum();
                if shared > 0.0 {
                    all.push((question, (shared / (norm * own_norm)).min(1.0)));
                }
            }
            all.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
            let expected: Vec<usize> = all.iter().take(neighbours).map(|&(question, _)| question).collect();
            let found: Vec<usize> = votes.nearest.iter().map(|&(question, _)| question).collect();
            // Cosines summed in another order may differ in the last bit: the same
            // questions, at the same cosines, allowing for that.
            proptest::prop_assert_eq!(found.len(), expected.len());
            for (&(question, cosine), &(_, expected_cosine)) in votes.nearest.iter().zip(&all) {
                proptest::prop_assert!((cosine - expected_cosine).abs() < 1e-5, "{question}");
            }
            let exact_ties = all.windows(2).any(|pair| (pair[0].1 - pair[1].1).abs() < 1e-5);
            if !exact_ties {
                proptest::prop_assert_eq!(found, expected);
            }
        }
    }

    #[test]
    fn no_asked_questions_or_no_shared_term_is_no_vote() {
        let empty = index(&[]);
        assert_eq!(empty.votes(&terms(&["znpp"]), 5), AskedVotes::default());
        let index = index(&[(&["znpp"], &[0])]);
        assert_eq!(index.votes(&terms(&["banana"]), 5), AskedVotes::default());
        assert_eq!(index.votes(&[], 5), AskedVotes::default());
    }

    #[test]
    fn ill_formed_terms_are_told_apart() {
        let unsorted = AskedTerms {
            dictionary: vec!["a".into(), "b".into()],
            questions: vec![vec![1, 0]],
            vectors: QuantizedVectors::default(),
        };
        let out_of_range = AskedTerms {
            dictionary: vec!["a".into()],
            questions: vec![vec![0, 1]],
            vectors: QuantizedVectors::default(),
        };
        let mut one_vector = QuantizedVectors::new(2);
        one_vector.push(Some(&[0.6, 0.8]));
        let vectors_short = AskedTerms {
            dictionary: vec!["a".into()],
            questions: vec![vec![0], vec![0]],
            vectors: one_vector,
        };
        assert!(!unsorted.is_well_formed());
        assert!(!out_of_range.is_well_formed());
        assert!(!vectors_short.is_well_formed());
    }
}
