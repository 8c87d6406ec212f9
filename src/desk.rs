//! The fact desk: a checked knowledge base with its matcher, the one object every front
//! end holds. Answers questions, looks up topics and builds the moderator summary.

use std::path::Path;

use crate::answer::{self, Answer};
use crate::knowledge::{Claim, ClaimStatus, KnowledgeBase, Problems, Topic};
use crate::language::Language;
use crate::matching::{self, Explanation, Matcher, Tuning};
use crate::summary::{self, Summary};
use crate::terms_cache;

/// Longest text a topic lookup reads: a topic title is a short phrase, and Discord's
/// autocomplete values are at most 100 characters.
pub const MAX_LOOKUP_CHARS: usize = 100;

/// A loaded story, ready to answer questions. Immutable: reloading builds a new one.
pub struct FactDesk {
    knowledge_base: KnowledgeBase,
    matcher: Matcher,
}

impl FactDesk {
    /// Loads, checks and indexes the responses folder.
    pub fn load(responses_dir: &Path) -> Result<FactDesk, Problems> {
        KnowledgeBase::load(responses_dir).map(FactDesk::new)
    }

    /// Loads like [`FactDesk::load`] and checks that every curated pattern compiles,
    /// which a one-question process leaves to the questions that need them: for a
    /// long-running bot, a pattern over the size limit fails the load (or the reload)
    /// instead of matching nothing.
    pub fn load_checked(responses_dir: &Path) -> Result<FactDesk, Problems> {
        KnowledgeBase::load_checked(responses_dir).map(FactDesk::new)
    }

    /// Loads like [`FactDesk::load`], with the asked questions' terms and the patterns'
    /// prefixes from the cache in `cache_dir` when they fit these files and this build,
    /// and written there when not (see [`crate::terms_cache`]): for a process that
    /// answers one question.
    pub fn load_cached(
        responses_dir: &Path,
        cache_dir: Option<&Path>,
    ) -> Result<FactDesk, Problems> {
        let known_prefixes = cache_dir
            .map(terms_cache::read_pattern_prefixes)
            .unwrap_or_default();
        // The embedding table is parsed and the cached terms are read on the other core
        // while the answer files load.
        let (cached_terms, knowledge_base) = crate::parallel::both(
            || {
                crate::matching::semantic::shipped();
                cache_dir.and_then(terms_cache::CachedTerms::read)
            },
            || KnowledgeBase::load_knowing(responses_dir, &known_prefixes),
        );
        let knowledge_base = knowledge_base?;
        if let Some(cache_dir) = cache_dir {
            terms_cache::write_pattern_prefixes(cache_dir, &known_prefixes, &knowledge_base);
        }
        let Some(cache_dir) = cache_dir.filter(|_| !knowledge_base.asked.is_empty()) else {
            return Ok(FactDesk::new(knowledge_base));
        };
        let cached = cached_terms.and_then(|cached| cached.written_for(&knowledge_base));
        let (matcher, computed) =
            Matcher::with_asked_terms(&knowledge_base, Tuning::default(), cached);
        if let Some(terms) = computed {
            terms_cache::write(cache_dir, &knowledge_base, &terms);
        }
        Ok(FactDesk {
            knowledge_base,
            matcher,
        })
    }

    /// Indexes an already checked knowledge base.
    pub fn new(knowledge_base: KnowledgeBase) -> FactDesk {
        let matcher = Matcher::new(&knowledge_base);
        FactDesk {
            knowledge_base,
            matcher,
        }
    }

    /// Answers a free-text question; only its first [`matching::MAX_QUESTION_CHARS`] characters
    /// are read (and echoed in the answer), so any text costs a bounded amount.
    pub fn answer(&self, question: &str) -> Answer {
        self.answer_in(question, None)
    }

    /// Answers a question with the bot's own sentences in `language` (a Discord user's
    /// locale, say), or in the language the question is written in when `None`.
    pub fn answer_in(&self, question: &str, language: Option<Language>) -> Answer {
        let question = matching::bounded(question);
        let language = language.unwrap_or_else(|| Language::of_text(question));
        let matched = self.matcher.best_match(question);
        answer::compose(&self.knowledge_base, question, &matched, language)
    }

    /// Why a question gets the answer it gets: every signal behind the decision, for
    /// curators (`factdesk explain`).
    pub fn explain(&self, question: &str) -> Explanation {
        self.matcher.explain(question)
    }

    /// The matcher itself, for tools that need more than answers (the embedding table's
    /// trainer reads what it embeds: `examples/embedded_text.rs`).
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Answers with one topic, chosen by id (a slash command or a button), if it exists.
    pub fn answer_topic(&self, topic_id: &str) -> Option<Answer> {
        let topic = self.knowledge_base.topic(topic_id)?;
        Some(answer::compose_topic(
            &self.knowledge_base,
            &topic.title,
            topic,
            1.0,
            Language::English,
        ))
    }

    /// The moderator summary of the story.
    pub fn summary(&self) -> Summary {
        summary::summarize(&self.knowledge_base)
    }

    /// Every confirmed claim of the story, each once.
    pub fn confirmed_claims(&self) -> Vec<Claim> {
        summary::claims_with(&self.knowledge_base, ClaimStatus::Confirmed, None)
    }

    /// Every claim the article calls unclear, each once, apart from what to watch next.
    pub fn unclear_claims(&self) -> Vec<Claim> {
        let watch = self.knowledge_base.story.watch_topic.as_str();
        summary::claims_with(&self.knowledge_base, ClaimStatus::Unclear, Some(watch))
    }

    /// The answer listing what the article says to watch next.
    pub fn watch(&self) -> Option<Answer> {
        self.answer_topic(&self.knowledge_base.story.watch_topic)
    }

    /// Topics for a lookup box: with nothing typed, all topics in order; otherwise topics
    /// whose title or id contains the text, then the best matches of the text as a question.
    /// It runs on every keystroke, so only the first [`MAX_LOOKUP_CHARS`] characters count.
    pub fn topic_choices(&self, typed: &str, limit: usize) -> Vec<&Topic> {
        let typed = matching::normalize::first_chars(typed, MAX_LOOKUP_CHARS)
            .trim()
            .to_lowercase();
        let topics = &self.knowledge_base.topics;
        if typed.is_empty() {
            return topics.iter().take(limit).collect();
        }
        let mut choices: Vec<&Topic> = topics
            .iter()
            .filter(|topic| {
                topic.title.to_lowercase().contains(&typed) || topic.id.contains(&typed)
            })
            .collect();
        for scored in self.matcher.best_match(&typed).ranked {
            let topic = &topics[scored.topic_index];
            if !choices.iter().any(|chosen| chosen.id == topic.id) {
                choices.push(topic);
            }
        }
        choices.truncate(limit);
        choices
    }

    /// The knowledge base behind the desk.
    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.knowledge_base
    }

    /// All topics, sorted by id.
    pub fn topics(&self) -> &[Topic] {
        &self.knowledge_base.topics
    }
}
