//! Matching a question to topics: ranked topics with a confidence in [0, 1], and the
//! decision between answered, ambiguous and no match.
//!
//! Pure and deterministic: the same question against the same knowledge base always
//! gives the same ranking. It never composes answer text; that is `answer`'s job.

mod lexicon;
pub mod normalize;

use std::collections::HashMap;

use crate::knowledge::KnowledgeBase;
use lexicon::Lexicon;

/// Below this confidence a question is not about the story.
pub const NO_MATCH_BELOW: f32 = 0.36;
/// When the two best topics are closer than this, the question is ambiguous.
pub const AMBIGUOUS_WITHIN: f32 = 0.015;
/// How much matched term weight counts as full evidence. One generic word ("bitcoin")
/// weighs well under this, so it cannot carry a match alone.
const FULL_EVIDENCE: f32 = 3.0;
/// Weight of the best single example question versus coverage by the topic's vocabulary.
const EXAMPLE_WEIGHT: f32 = 0.6;
/// Added to a topic's score when one of its curated regex triggers matches.
const TRIGGER_BONUS: f32 = 0.25;
/// Only this many sentences of a long message are looked at.
const MAX_SENTENCES: usize = 64;
/// Ranked results kept for suggestions.
const MAX_RANKED: usize = 5;

/// What the matcher decided about a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchStatus {
    /// One topic clearly fits.
    Answered,
    /// Two topics fit about equally well; ask which one.
    Ambiguous,
    /// Nothing in the story fits.
    NoMatch,
}

/// A topic with its confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredTopic {
    /// Index into `KnowledgeBase::topics`.
    pub topic_index: usize,
    /// Confidence in [0, 1].
    pub confidence: f32,
}

/// The outcome of matching one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The decision.
    pub status: MatchStatus,
    /// Best topics first, at most five, all with confidence above zero.
    pub ranked: Vec<ScoredTopic>,
}

/// Scores questions against the topics of one knowledge base.
pub struct Matcher {
    lexicon: Lexicon,
    term_ids: HashMap<String, u32>,
    /// Inverse topic frequency of each term.
    weights: Vec<f32>,
    /// Weight given to a term no topic uses: as informative as the rarest known term.
    unknown_weight: f32,
    /// For each term, the example questions that use it.
    example_postings: Vec<Vec<u32>>,
    /// For each term, the topics whose vocabulary includes it.
    topic_postings: Vec<Vec<u32>>,
    /// For each example question: its topic and its vector norm.
    examples: Vec<(u32, f32)>,
    /// Compiled triggers of each topic.
    triggers: Vec<Vec<regex::Regex>>,
    topic_count: usize,
}

impl Matcher {
    /// Builds the matcher's indexes from a checked knowledge base.
    pub fn new(knowledge_base: &KnowledgeBase) -> Matcher {
        let synonym_groups: Vec<(String, Vec<String>)> = knowledge_base
            .synonyms
            .iter()
            .map(|group| (group.term.clone(), group.variants.clone()))
            .collect();
        let texts = knowledge_base.topics.iter().flat_map(topic_texts);
        let lexicon = Lexicon::new(&synonym_groups, texts);

        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut intern = |term: String| -> u32 {
            let next = term_ids.len() as u32;
            *term_ids.entry(term).or_insert(next)
        };
        // Each topic's vocabulary, and each example question's terms.
        let mut topic_vocabularies: Vec<Vec<u32>> = Vec::new();
        let mut example_terms: Vec<(u32, Vec<u32>)> = Vec::new();
        for (topic_index, topic) in knowledge_base.topics.iter().enumerate() {
            let mut vocabulary: Vec<u32> = Vec::new();
            for text in topic_texts(topic) {
                for term in lexicon.terms(text) {
                    vocabulary.push(intern(term));
                }
            }
            vocabulary.sort_unstable();
            vocabulary.dedup();
            topic_vocabularies.push(vocabulary);
            let examples = topic
                .questions
                .iter()
                .chain([&topic.title])
                .chain(&topic.keywords);
            for example in examples {
                let terms: Vec<u32> = lexicon
                    .terms(example)
                    .into_iter()
                    .map(&mut intern)
                    .collect();
                if !terms.is_empty() {
                    example_terms.push((topic_index as u32, terms));
                }
            }
        }

        let term_count = term_ids.len();
        let topic_count = knowledge_base.topics.len();
        let mut topic_postings = vec![Vec::new(); term_count];
        for (topic_index, vocabulary) in topic_vocabularies.iter().enumerate() {
            for &term in vocabulary {
                topic_postings[term as usize].push(topic_index as u32);
            }
        }
        let weights: Vec<f32> = topic_postings
            .iter()
            .map(|topics| (1.0 + topic_count as f32 / topics.len().max(1) as f32).ln())
            .collect();
        let unknown_weight = (1.0 + topic_count as f32).ln();

        let mut example_postings = vec![Vec::new(); term_count];
        let mut examples = Vec::with_capacity(example_terms.len());
        for (example_index, (topic_index, terms)) in example_terms.iter().enumerate() {
            let norm = terms
                .iter()
                .map(|&term| weights[term as usize].powi(2))
                .sum::<f32>()
                .sqrt();
            examples.push((*topic_index, norm));
            for &term in terms {
                example_postings[term as usize].push(example_index as u32);
            }
        }

        Matcher {
            lexicon,
            term_ids,
            weights,
            unknown_weight,
            example_postings,
            topic_postings,
            examples,
            triggers: knowledge_base
                .topics
                .iter()
                .map(|topic| topic.triggers.clone())
                .collect(),
            topic_count,
        }
    }

    /// Matches a question: the whole text, and each of its sentences when it has several,
    /// so that one question inside a long message is still found.
    pub fn best_match(&self, question: &str) -> Match {
        let mut best = self.rank(question);
        if normalize::sentences(question).nth(1).is_some() {
            for sentence in normalize::sentences(question).take(MAX_SENTENCES) {
                let ranked = self.rank(sentence);
                if top_confidence(&ranked) > top_confidence(&best) {
                    best = ranked;
                }
            }
        }
        decide(best)
    }

    /// All topics with a confidence above zero, best first.
    fn rank(&self, text: &str) -> Vec<ScoredTopic> {
        let terms = self.lexicon.terms(text);
        if terms.is_empty() {
            return Vec::new();
        }
        let mut query_norm_squared = 0.0;
        let mut example_dots = vec![0.0f32; self.examples.len()];
        let mut covered_squared = vec![0.0f32; self.topic_count];
        let mut evidence = vec![0.0f32; self.topic_count];
        for term in &terms {
            let Some(&term_id) = self.term_ids.get(term) else {
                query_norm_squared += self.unknown_weight.powi(2);
                continue;
            };
            let weight = self.weights[term_id as usize];
            query_norm_squared += weight * weight;
            for &example in &self.example_postings[term_id as usize] {
                example_dots[example as usize] += weight * weight;
            }
            for &topic in &self.topic_postings[term_id as usize] {
                covered_squared[topic as usize] += weight * weight;
                evidence[topic as usize] += weight;
            }
        }
        let query_norm = query_norm_squared.sqrt();

        let mut best_example = vec![0.0f32; self.topic_count];
        for (example, dot) in example_dots.iter().enumerate() {
            if *dot > 0.0 {
                let (topic, norm) = self.examples[example];
                let cosine = dot / (query_norm * norm);
                let slot = &mut best_example[topic as usize];
                *slot = slot.max(cosine);
            }
        }

        let trigger_text = normalize::words(text).join(" ");
        let mut ranked: Vec<ScoredTopic> = (0..self.topic_count)
            .filter_map(|topic_index| {
                let coverage = covered_squared[topic_index] / query_norm_squared;
                let evidence = (evidence[topic_index] / FULL_EVIDENCE).min(1.0);
                let mut confidence = (EXAMPLE_WEIGHT * best_example[topic_index]
                    + (1.0 - EXAMPLE_WEIGHT) * coverage)
                    * evidence;
                if self.triggers[topic_index]
                    .iter()
                    .any(|trigger| trigger.is_match(&trigger_text))
                {
                    confidence += TRIGGER_BONUS;
                }
                let confidence = confidence.clamp(0.0, 1.0);
                (confidence > 0.0).then_some(ScoredTopic {
                    topic_index,
                    confidence,
                })
            })
            .collect();
        ranked.sort_by(|left, right| {
            right
                .confidence
                .total_cmp(&left.confidence)
                .then(left.topic_index.cmp(&right.topic_index))
        });
        ranked.truncate(MAX_RANKED);
        ranked
    }

    /// The weight of a term, for tests and diagnostics.
    #[cfg(test)]
    fn weight(&self, term: &str) -> f32 {
        self.term_ids
            .get(term)
            .map_or(self.unknown_weight, |&id| self.weights[id as usize])
    }
}

/// The texts that make up a topic's vocabulary.
fn topic_texts(topic: &crate::knowledge::Topic) -> impl Iterator<Item = &str> {
    topic
        .questions
        .iter()
        .chain(&topic.keywords)
        .map(String::as_str)
        .chain([topic.title.as_str(), topic.answer.as_str()])
        .chain(topic.claims.iter().map(|claim| claim.text.as_str()))
}

fn top_confidence(ranked: &[ScoredTopic]) -> f32 {
    ranked.first().map_or(0.0, |scored| scored.confidence)
}

fn decide(ranked: Vec<ScoredTopic>) -> Match {
    let status = match ranked.as_slice() {
        [] => MatchStatus::NoMatch,
        [best, ..] if best.confidence < NO_MATCH_BELOW => MatchStatus::NoMatch,
        [best, second, ..] if best.confidence - second.confidence < AMBIGUOUS_WITHIN => {
            MatchStatus::Ambiguous
        }
        _ => MatchStatus::Answered,
    };
    Match { status, ranked }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(topic_index: usize, confidence: f32) -> ScoredTopic {
        ScoredTopic {
            topic_index,
            confidence,
        }
    }

    #[test]
    fn decide_rejects_low_confidence() {
        assert_eq!(decide(vec![scored(0, 0.1)]).status, MatchStatus::NoMatch);
        assert_eq!(decide(vec![]).status, MatchStatus::NoMatch);
    }

    #[test]
    fn decide_flags_close_calls_as_ambiguous() {
        assert_eq!(
            decide(vec![scored(0, 0.8), scored(1, 0.795)]).status,
            MatchStatus::Ambiguous
        );
        assert_eq!(
            decide(vec![scored(0, 0.8), scored(1, 0.5)]).status,
            MatchStatus::Answered
        );
    }

    #[test]
    fn rare_terms_weigh_more_than_common_ones() {
        let Ok(knowledge_base) = KnowledgeBase::load(std::path::Path::new("responses")) else {
            panic!("the shipped responses must load");
        };
        let matcher = Matcher::new(&knowledge_base);
        assert!(matcher.weight("reuter") > matcher.weight("znpp"));
        assert!(matcher.weight("fusion") >= matcher.weight("reuter"));
    }
}
