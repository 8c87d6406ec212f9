//! The answer files as curators write them: serde types that mirror the TOML exactly.
//!
//! Every type denies unknown fields so that a typo is an error, not a silently ignored
//! key; values that later checks may reject carry their span so that the error can name
//! the line.

use serde::Deserialize;
use toml::Spanned;

use super::{ClaimStatus, Relation};

/// `story.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoryFile {
    pub title: String,
    pub outlet: String,
    pub published: Spanned<String>,
    pub source_url: Spanned<String>,
    pub article_sha256: Spanned<String>,
    pub notice: String,
    #[serde(default)]
    pub summary_topics: Vec<Spanned<String>>,
    pub watch_topic: Spanned<String>,
    #[serde(default)]
    pub doesnt_say_topic: Option<Spanned<String>>,
    #[serde(default)]
    pub facets: Vec<Spanned<Vec<String>>>,
    #[serde(default)]
    pub sources: Vec<SourceFile>,
    pub sections: Vec<SectionFile>,
}

/// One `[[sources]]` entry of `story.toml`: a later source about the story.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceFile {
    pub id: Spanned<String>,
    pub outlet: Spanned<String>,
    pub url: Spanned<String>,
    pub published: Spanned<String>,
    pub file: Spanned<String>,
    pub sha256: Spanned<String>,
}

/// One `[[sections]]` entry of `story.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionFile {
    pub heading: String,
    pub starts_with: Spanned<String>,
}

/// `synonyms.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SynonymsFile {
    #[serde(default)]
    pub group: Vec<SynonymGroupFile>,
}

/// One `[[group]]` of `synonyms.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SynonymGroupFile {
    pub term: Spanned<String>,
    #[serde(default)]
    pub anchor: bool,
    #[serde(default)]
    pub form: bool,
    pub variants: Vec<Spanned<String>>,
}

/// `translations.toml` (optional).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TranslationsFile {
    #[serde(default)]
    pub word: Vec<TranslationFile>,
}

/// One `[[word]]` of `translations.toml`: Ukrainian and Russian words for one English one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TranslationFile {
    pub en: Spanned<String>,
    #[serde(default)]
    pub uk: Vec<Spanned<String>>,
    #[serde(default)]
    pub ru: Vec<Spanned<String>>,
}

/// `topics/<id>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TopicFile {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub section: Spanned<String>,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    pub questions: Spanned<Vec<String>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub triggers: Vec<Spanned<String>>,
    #[serde(default)]
    pub corrects: Vec<Spanned<String>>,
    pub answer: Spanned<String>,
    #[serde(default)]
    pub claims: Vec<ClaimFile>,
}

/// One `[[claims]]` entry of a topic file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClaimFile {
    pub status: ClaimStatus,
    pub quote: Spanned<String>,
    pub attribution: Option<String>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    #[serde(default)]
    pub updates: Option<Spanned<String>>,
    #[serde(default)]
    pub relation: Option<Spanned<Relation>>,
}

/// `off_topic.toml` (optional): questions the desk must not answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OffTopicFile {
    pub questions: Vec<Spanned<String>>,
    #[serde(default)]
    pub other_subjects: Vec<Spanned<String>>,
    #[serde(default)]
    pub general_markers: Vec<Spanned<String>>,
    #[serde(default)]
    pub orders: Vec<Spanned<String>>,
    #[serde(default)]
    pub organisations: Vec<Spanned<String>>,
    #[serde(default)]
    pub organisation_markers: Vec<Spanned<String>>,
}
