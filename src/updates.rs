//! What changed since a date: the claims drawn from sources published on or after it,
//! newest first, each with the earlier claim it updates. Data only; the terminal and
//! Discord render it.

use serde::Serialize;

use crate::knowledge::{Claim, KnowledgeBase, Relation, Source};

/// A claim added by a source published on or after the date asked about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    /// The topic the claim belongs to.
    pub topic: String,
    /// That topic's title.
    pub topic_title: String,
    /// Who published the source.
    pub outlet: String,
    /// The claim, with its source's link and date.
    #[serde(flatten)]
    pub claim: Claim,
    /// The id of the earlier claim this one updates, if any.
    pub updates: Option<String>,
    /// How it bears on it.
    pub relation: Option<Relation>,
}

/// Claims from sources published on or after `since` (`YYYY-MM-DD`), newest first, then
/// in topic order; a quote that several topics share is listed once, under the first.
pub fn since(knowledge_base: &KnowledgeBase, since: &str) -> Vec<Update> {
    let outlet = |claim: &Claim| -> String {
        knowledge_base
            .sources
            .iter()
            .find(|source| source.id == claim.source)
            .map(|source: &Source| source.outlet.clone())
            .unwrap_or_default()
    };
    let mut updates: Vec<Update> = knowledge_base
        .topics
        .iter()
        .flat_map(|topic| topic.claims.iter().map(move |claim| (topic, claim)))
        .filter(|(_, claim)| claim.published.as_str() >= since)
        .filter({
            let mut seen = std::collections::HashSet::new();
            move |(_, claim)| seen.insert((claim.source.clone(), claim.text.clone()))
        })
        .map(|(topic, claim)| Update {
            topic: topic.id.clone(),
            topic_title: topic.title.clone(),
            outlet: outlet(claim),
            claim: claim.clone(),
            updates: claim.updates.as_ref().map(|(id, _)| id.clone()),
            relation: claim.updates.as_ref().map(|(_, relation)| *relation),
        })
        .collect();
    // Stable: topic order within one date.
    updates.sort_by(|left, right| right.claim.published.cmp(&left.claim.published));
    updates
}
