//! The curated knowledge base: the story, its article, its topics and their claims.
//!
//! This module owns the data model and its loading and grounding check; it never
//! matches questions or renders answers, and it does no IO outside `load`.

mod check;
mod files;
mod pattern;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use check::{load, Problem, Problems, MAX_ASKED_FILE_BYTES};
pub use pattern::{CuratedPattern, KnownPrefixes};

/// A loaded, checked knowledge base: every quote in it occurs verbatim in the article.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// The folder the story was loaded from.
    pub story_dir: PathBuf,
    /// Metadata about the article.
    pub story: Story,
    /// The article text with whitespace collapsed: what every quote is checked against.
    pub article: String,
    /// Topics in a stable order (sorted by id).
    pub topics: Vec<Topic>,
    /// Every source, oldest first: the article (id [`ARTICLE_SOURCE`]) and the later
    /// sources curators added as the story developed.
    pub sources: Vec<Source>,
    /// Synonym groups: every variant maps to its group's term before matching.
    pub synonyms: Vec<SynonymGroup>,
    /// Ukrainian and Russian words for English ones (may be empty): unlike synonyms, they
    /// add no story words, they only carry a question into the English the topics use.
    pub translations: Vec<Translation>,
    /// Questions that share the story's words but must not be answered (may be empty).
    pub off_topic_questions: Vec<String>,
    /// Names of other subjects (places, events, bodies outside the story): a question
    /// that names one is about that subject, not this story (may be empty).
    pub other_subjects: Vec<String>,
    /// Words that ask about a thing in general, not about this story ("in general",
    /// "define", "in the world"): a question with one that does not point at the story
    /// is refused (may be empty).
    pub general_markers: Vec<String>,
    /// Words that give the bot orders instead of asking about the story ("ignore previous
    /// instructions", "забудь все правила"): a sentence with one is answered only when it
    /// clearly fits a topic, and a message of nothing else is refused (may be empty).
    pub orders: Vec<String>,
    /// The outlets, think tanks and bodies the story cites, as synonym terms ("reuters",
    /// "iaea"): a question about one of them as an organisation is not about the story.
    pub organisations: Vec<String>,
    /// Words that ask about an organisation as such ("owns", "budget", "internship",
    /// "кому принадлежит"): a question with one that names only `organisations` of the
    /// story's own names, and does not point at the story, is refused ("who owns
    /// reuters"; not "who owns the plant", not "what did reuters confirm").
    pub organisation_markers: Vec<String>,
    /// Questions people asked, each with the topics that answer it (none: it must be
    /// refused), from `asked.jsonl` (may be empty): the matcher's nearest asked questions
    /// vote for their topics.
    pub asked: AskedQuestions,
    /// A hash of every file the story was loaded from: equal fingerprints, equal files
    /// (not a security check; it keys caches of work derived from them).
    pub fingerprint: u64,
}

/// The questions people asked, each labelled by a curator with the topics that answer it
/// (none: it must be refused). Stored flat: thousands of them cost a few allocations, not
/// two each, in every process and twice while a bot reloads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AskedQuestions {
    /// Every question, one after the other.
    text: String,
    /// Where each question ends in `text`.
    ends: Vec<u32>,
    labels: TopicLists,
}

/// A list of topics (indices into `KnowledgeBase::topics`) for each of many items, flat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicLists {
    topics: Vec<u16>,
    /// Where each item's topics end in `topics`.
    ends: Vec<u32>,
}

impl TopicLists {
    /// The topics of the item at `index` (none for an item not there).
    pub fn get(&self, index: usize) -> &[u16] {
        span(&self.ends, index)
            .and_then(|span| self.topics.get(span))
            .unwrap_or_default()
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Where item `index` lies in a flat list whose items end at `ends`.
fn span(ends: &[u32], index: usize) -> Option<std::ops::Range<usize>> {
    let end = *ends.get(index)? as usize;
    let start = index
        .checked_sub(1)
        .map_or(0, |before| ends[before] as usize);
    Some(start..end)
}

impl AskedQuestions {
    /// Adds a question with the indices of the topics that answer it. `None` (nothing
    /// added) when the indices or the texts outgrow the flat storage, which the checked
    /// limits (`MAX_TOPICS`, `MAX_ASKED_FILE_BYTES`) keep far away.
    pub fn push(&mut self, question: &str, topics: &[usize]) -> Option<()> {
        let topics: Vec<u16> = topics
            .iter()
            .map(|&topic| u16::try_from(topic).ok())
            .collect::<Option<_>>()?;
        let end = u32::try_from(self.text.len() + question.len()).ok()?;
        let topic_end = u32::try_from(self.labels.topics.len() + topics.len()).ok()?;
        self.text.push_str(question);
        self.ends.push(end);
        self.labels.topics.extend_from_slice(&topics);
        self.labels.ends.push(topic_end);
        Some(())
    }

    /// How many questions there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Removes them all.
    pub fn clear(&mut self) {
        *self = AskedQuestions::default();
    }

    /// The question at `index`, as asked.
    pub fn question(&self, index: usize) -> Option<&str> {
        self.text.get(span(&self.ends, index)?)
    }

    /// The topics that answer the question at `index`; none when it must be refused.
    pub fn topics(&self, index: usize) -> &[u16] {
        self.labels.get(index)
    }

    /// Every question's topics.
    pub fn labels(&self) -> &TopicLists {
        &self.labels
    }

    /// Each question with its topics, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u16])> {
        (0..self.len()).map(|index| (self.question(index).unwrap_or_default(), self.topics(index)))
    }
}

/// What the article is and where it came from.
#[derive(Debug, Clone)]
pub struct Story {
    /// The article's headline.
    pub title: String,
    /// The outlet that published it.
    pub outlet: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// Link to the original article.
    pub source_url: String,
    /// The standing "developing story" notice shown under every answer.
    pub notice: String,
    /// Topic ids whose claims make up the moderator summary, in order.
    pub summary_topics: Vec<String>,
    /// The topic that says what to watch next.
    pub watch_topic: String,
    /// The topic that answers a question about the story that the article cannot answer
    /// ("the article doesn't say"); without one, such questions are refused.
    pub doesnt_say_topic: Option<String>,
    /// The story's sides, each as the words that name it ("nuclear", "reactor"; "bitcoin",
    /// "mining"): a question that uses words of two sides is about the story even when it
    /// names none of its places or parties, as the sides meet only here.
    pub facets: Vec<Vec<String>>,
    /// The newest source's publication date: what the story is told "as of".
    pub as_of: String,
    /// The newest source's outlet.
    pub as_of_outlet: String,
}

/// A `YYYY-MM-DD` date, exactly: ten characters naming a day that exists. Publication
/// dates are compared as text everywhere else, which this shape makes right.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The id of the first source, the article itself.
pub const ARTICLE_SOURCE: &str = "article";

/// A source of the story: the article, or a later report curators added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Stable id, named by the claims that quote it.
    #[serde(skip)]
    pub id: String,
    /// Who published it.
    pub outlet: String,
    /// Link to it.
    pub url: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// SHA-256 of its text, as checked at load.
    pub sha256: String,
}

/// How a later claim bears on an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The later source confirms the earlier claim.
    Confirms,
    /// The later source says otherwise; the earlier claim still stands as what was said.
    Contradicts,
    /// The later claim replaces the earlier one as the current state.
    Supersedes,
}

/// One curated topic: a question area with a short answer and verbatim claims.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Stable identifier, used in JSON output, buttons and suggestions.
    pub id: String,
    /// Human-readable title.
    pub title: String,
    /// The article section the topic is drawn from.
    pub section: String,
    /// Example questions people ask about this topic.
    pub questions: Vec<String>,
    /// Extra words or phrases that signal this topic.
    pub keywords: Vec<String>,
    /// Regexes that, when they match the normalised question, strongly signal this topic.
    pub triggers: Vec<CuratedPattern>,
    /// Regexes of a false premise this topic corrects ("since ukraine signed off..."): a
    /// question that matches one gets this topic first, whatever else it asks, because
    /// the correction is the honest answer.
    pub corrects: Vec<CuratedPattern>,
    /// The short answer in the bot's own voice.
    pub answer: String,
    /// Verbatim quotes with their status.
    pub claims: Vec<Claim>,
    /// Ids of related topics.
    pub related: Vec<String>,
}

/// A verbatim quote from the article, labelled with how solid it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// How solid the claim is.
    pub status: ClaimStatus,
    /// The quote, exactly as curated (verbatim from the article up to whitespace).
    pub text: String,
    /// Heading of the article section the quote falls in.
    pub section: String,
    /// Who the article attributes the claim to, if anyone.
    pub attribution: Option<String>,
    /// The id of the source quoted.
    #[serde(skip)]
    pub source: String,
    /// Link to the source quoted.
    pub source_url: String,
    /// When the source quoted was published, `YYYY-MM-DD`.
    pub published: String,
    /// The claim's own id, when curators gave it one (later claims name it to update it).
    #[serde(skip)]
    pub id: Option<String>,
    /// The earlier claim this one updates, and how.
    #[serde(skip)]
    pub updates: Option<(String, Relation)>,
    /// Whether a later claim updates this one: it is shown after the current state,
    /// labelled as earlier reporting, never dropped.
    pub earlier: bool,
}

/// How solid a claim is, in the article's own terms.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    /// The article presents it as established, usually with a named source.
    Confirmed,
    /// Reporting or interpretation that the article does not confirm.
    Reported,
    /// Something the article says is unknown, undisclosed or open.
    Unclear,
}

/// Words people use for one thing: every variant is read as `term`.
#[derive(Debug, Clone)]
pub struct SynonymGroup {
    /// The canonical term.
    pub term: String,
    /// Whether the term names the story itself (its places, parties, sources).
    pub anchor: bool,
    /// Whether the term asks for a form of answer ("briefly", "in one sentence") rather
    /// than naming what the question is about.
    pub form: bool,
    /// Words or phrases that mean the term.
    pub variants: Vec<String>,
}

/// Ukrainian and Russian words that mean one English word.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The English word, as the topics or the synonyms write it.
    pub english: String,
    /// Its Ukrainian and Russian words; one ending in `*` stands for every word that
    /// begins with it (see [`WORD_START`]).
    pub variants: Vec<String>,
}

/// The mark that ends a variant standing for every word beginning with it
/// ("суверенітет*"): Ukrainian and Russian inflect, so one stem covers a word's forms.
pub const WORD_START: char = '*';

/// The fewest letters a word-start variant may have before its `*`: shorter stems catch
/// unrelated words.
pub const MIN_WORD_START_CHARS: usize = 4;

impl Story {
    /// The standing notice, saying "as of" the newest source once later sources exist.
    pub fn standing_notice(&self) -> String {
        if self.as_of.is_empty() || self.as_of == self.published {
            self.notice.clone()
        } else {
            format!(
                "{} As of {} ({}).",
                self.notice, self.as_of, self.as_of_outlet
            )
        }
    }
}

impl KnowledgeBase {
    /// Loads and checks the story under `responses_dir`; see [`load`].
    pub fn load(responses_dir: &Path) -> Result<KnowledgeBase, Problems> {
        load(responses_dir)
    }

    /// Loads like [`KnowledgeBase::load`], with the prefixes of the patterns in `known`
    /// taken from there rather than parsed (see [`KnownPrefixes`]).
    pub fn load_knowing(
        responses_dir: &Path,
        known: &KnownPrefixes,
    ) -> Result<KnowledgeBase, Problems> {
        check::load_knowing(responses_dir, known)
    }

    /// Whether `known` holds exactly the curated patterns' sources, no more and no fewer.
    pub fn patterns_are(&self, known: &KnownPrefixes) -> bool {
        let sources: rustc_hash::FxHashSet<&str> =
            self.patterns().map(CuratedPattern::source).collect();
        sources.len() == known.len() && sources.iter().all(|source| known.contains_key(*source))
    }

    /// The prefixes of every curated pattern, by source: what the next process of this
    /// build can be given instead of parsing them.
    pub fn pattern_prefixes(&self) -> KnownPrefixes {
        self.patterns()
            .map(|pattern| {
                let prefixes = pattern.prefixes().map(<[Vec<u8>]>::to_vec);
                (pattern.source().to_string(), prefixes)
            })
            .collect()
    }

    /// Loads like [`KnowledgeBase::load`] and checks that every curated pattern compiles
    /// ([`KnowledgeBase::check_patterns`]): for `factdesk check` and a long-running bot.
    pub fn load_checked(responses_dir: &Path) -> Result<KnowledgeBase, Problems> {
        let knowledge_base = load(responses_dir)?;
        knowledge_base.check_patterns()?;
        Ok(knowledge_base)
    }

    /// Checks that every curated pattern compiles within the size limit, keeping none
    /// (loading only parses them, and a question compiles the few it could match): for
    /// `factdesk check` and a long-running bot, so that a pattern over the limit is
    /// reported before anyone asks.
    pub fn check_patterns(&self) -> Result<(), Problems> {
        self.each_pattern(CuratedPattern::check_compiles)
    }

    /// Compiles every curated pattern now and keeps them, as if every question had been
    /// asked (for measuring what a question costs apart from that).
    pub fn compile_patterns(&self) -> Result<(), Problems> {
        self.each_pattern(CuratedPattern::compile)
    }

    fn patterns(&self) -> impl Iterator<Item = &CuratedPattern> {
        self.topics
            .iter()
            .flat_map(|topic| topic.triggers.iter().chain(&topic.corrects))
    }

    fn each_pattern(
        &self,
        check: impl Fn(&CuratedPattern) -> Result<(), Problem>,
    ) -> Result<(), Problems> {
        let problems: Vec<Problem> = self
            .patterns()
            .filter_map(|pattern| check(pattern).err())
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Problems(problems))
        }
    }

    /// The claims of every topic that `keep` keeps, each quote once (several topics quote
    /// the same sentence), in topic order.
    pub fn unique_claims(&self, keep: impl Fn(&Topic, &Claim) -> bool) -> Vec<Claim> {
        let mut claims: Vec<Claim> = Vec::new();
        for topic in &self.topics {
            for claim in topic.claims.iter().filter(|claim| keep(topic, claim)) {
                if !claims.iter().any(|seen| seen.text == claim.text) {
                    claims.push(claim.clone());
                }
            }
        }
        claims
    }

    /// The topic with this id, if any.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|topic| topic.id == id)
    }
}

impl ClaimStatus {
    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Confirmed => "Confirmed",
            ClaimStatus::Reported => "Reported",
            ClaimStatus::Unclear => "Unclear",
        }
    }
}

impl Relation {
    /// The relation as curators write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Confirms => "confirms",
            Relation::Contradicts => "contradicts",
            Relation::Supersedes => "supersedes",
        }
    }
}

impl fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Topic {
    /// Claims with the given status, in curated order.
    pub fn claims_with(&self, status: ClaimStatus) -> impl Iterator<Item = &Claim> {
        self.claims
            .iter()
            .filter(move |claim| claim.status == status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_questions_keep_each_text_with_its_topics() {
        let mut asked = AskedQuestions::default();
        assert!(asked.push("who runs the plant", &[3, 0]).is_some());
        assert!(asked.push("what is a bitcoin etf", &[]).is_some());
        assert!(asked.push("хто контролює ЗАЕС", &[3]).is_some());
        assert_eq!(asked.len(), 3);
        assert_eq!(asked.question(0), Some("who runs the plant"));
        assert_eq!(asked.question(2), Some("хто контролює ЗАЕС"));
        assert_eq!(asked.topics(0), &[3, 0]);
        assert!(asked.topics(1).is_empty());
        assert_eq!(asked.topics(2), &[3]);
        assert_eq!(asked.question(3), None);
        assert!(asked.topics(3).is_empty());
        let listed: Vec<(&str, &[u16])> = asked.iter().collect();
        assert_eq!(listed[1], ("what is a bitcoin etf", &[][..]));
        // A topic index beyond the flat storage is refused, and nothing is added.
        assert!(asked
            .push("too far", &[usize::from(u16::MAX) + 1])
            .is_none());
        assert_eq!(asked.len(), 3);
        asked.clear();
        assert!(asked.is_empty());
    }
}
