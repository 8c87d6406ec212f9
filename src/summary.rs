//! The moderator summary of the story, as data: what is confirmed, what is reported and
//! what is unclear, each as verbatim quotes.
//!
//! Never renders; the CLI and Discord layers decide how it looks.

use crate::knowledge::{Claim, ClaimStatus, KnowledgeBase};

/// A summary a moderator can post: the story, its labelled claims and the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The article's headline.
    pub title: String,
    /// The outlet that published it.
    pub outlet: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// Link to the original article.
    pub source_url: String,
    /// The standing "developing story" notice.
    pub notice: String,
    /// Claims the article presents as established.
    pub confirmed: Vec<Claim>,
    /// Claims that are only reported or interpreted.
    pub reported: Vec<Claim>,
    /// What the article says is unknown.
    pub unclear: Vec<Claim>,
}

/// Every claim with `status` across all topics, each quote once, in topic order;
/// `except_topic`'s claims are left out (the watch list is not an open question).
pub fn claims_with(
    knowledge_base: &KnowledgeBase,
    status: ClaimStatus,
    except_topic: Option<&str>,
) -> Vec<Claim> {
    knowledge_base.unique_claims(|topic, claim| {
        claim.status == status && Some(topic.id.as_str()) != except_topic
    })
}

/// Builds the summary from the story's `summary_topics`: each topic's first claim not
/// already taken (curators put a topic's most direct quote first), so that a summary
/// stays one quote a topic however many quotes the topics gather.
pub fn summarize(knowledge_base: &KnowledgeBase) -> Summary {
    let story = &knowledge_base.story;
    let mut claims: Vec<&Claim> = Vec::new();
    for topic in story
        .summary_topics
        .iter()
        .filter_map(|id| knowledge_base.topic(id))
    {
        let first_new = topic
            .claims
            .iter()
            .find(|claim| !claims.iter().any(|seen| seen.text == claim.text));
        claims.extend(first_new);
    }
    let with = |status: ClaimStatus| -> Vec<Claim> {
        claims
            .iter()
            .filter(|claim| claim.status == status)
            .map(|claim| (*claim).clone())
            .collect()
    };
    Summary {
        title: story.title.clone(),
        outlet: story.outlet.clone(),
        published: story.published.clone(),
        source_url: story.source_url.clone(),
        notice: story.standing_notice(),
        confirmed: with(ClaimStatus::Confirmed),
        reported: with(ClaimStatus::Reported),
        unclear: with(ClaimStatus::Unclear),
    }
}
