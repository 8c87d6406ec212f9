//! The fact desk: a checked knowledge base with its matcher, the one object every front
//! end holds. Answers questions, looks up topics and builds the moderator summary.

use std::path::Path;

use crate::answer::{self, Answer};
use crate::knowledge::{KnowledgeBase, Problems, Topic};
use crate::matching::Matcher;
use crate::summary::{self, Summary};

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

    /// Indexes an already checked knowledge base.
    pub fn new(knowledge_base: KnowledgeBase) -> FactDesk {
        let matcher = Matcher::new(&knowledge_base);
        FactDesk {
            knowledge_base,
            matcher,
        }
    }

    /// Answers a free-text question.
    pub fn answer(&self, question: &str) -> Answer {
        let matched = self.matcher.best_match(question);
        answer::compose(&self.knowledge_base, question, &matched)
    }

    /// Answers with one topic, chosen by id (a slash command or a button), if it exists.
    pub fn answer_topic(&self, topic_id: &str) -> Option<Answer> {
        let topic = self.knowledge_base.topic(topic_id)?;
        Some(answer::compose_topic(
            &self.knowledge_base,
            &topic.title,
            topic,
            1.0,
        ))
    }

    /// The moderator summary of the story.
    pub fn summary(&self) -> Summary {
        summary::summarize(&self.knowledge_base)
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
