//! Loading the answer files and checking that they are grounded in the article.
//!
//! `load` is the only function in the core that touches the file system. It never stops
//! at the first problem: it reports every one it can find as `path:line: message`, so a
//! curator fixes a whole batch in one pass.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use toml::Spanned;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::files::{
    OffTopicFile, SourceFile, StoryFile, SynonymsFile, TopicFile, TranslationsFile,
};
use super::{
    parse_date, AskedQuestions, Claim, ClaimStatus, CuratedPattern, KnowledgeBase, KnownPrefixes,
    Relation, Source, Story, SynonymGroup, Topic, Translation, ARTICLE_SOURCE,
    MIN_WORD_START_CHARS, WORD_START,
};

/// File names inside a story folder.
const STORY_FILE: &str = "story.toml";
const ARTICLE_FILE: &str = "article.txt";
const SYNONYMS_FILE: &str = "synonyms.toml";
const TOPICS_DIR: &str = "topics";
const OFF_TOPIC_FILE: &str = "off_topic.toml";
const TRANSLATIONS_FILE: &str = "translations.toml";
const ASKED_FILE: &str = "asked.jsonl";

/// Largest article accepted. The article is a news story (this one is 8 KB); a limit
/// keeps start-up bounded whatever lands in the folder.
pub const MAX_ARTICLE_BYTES: u64 = 1 << 20;
/// Largest answer file (`story.toml`, `synonyms.toml`, `off_topic.toml`, a topic).
pub const MAX_ANSWER_FILE_BYTES: u64 = 256 << 10;
/// Largest `asked.jsonl`: thousands of labelled questions (this story's is 1.3 MB), not
/// an unbounded log.
pub const MAX_ASKED_FILE_BYTES: u64 = 8 << 20;
/// Most topic files in one story.
pub const MAX_TOPICS: usize = 500;
/// Most later sources in one story.
pub const MAX_SOURCES: usize = 100;
/// A quote must say something on its own: at least this many words…
const MIN_QUOTE_WORDS: usize = 3;
/// …or at least this many characters (a link on its own line, say).
const MIN_QUOTE_CHARS: usize = 40;
/// Discord refuses link buttons with longer URLs.
const MAX_URL_CHARS: usize = 512;

/// One problem found in the answer files, located at a line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or folder) the problem is in.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, in words a curator can act on.
    pub message: String,
}

/// Every problem found while loading a responses folder; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

/// Why a synonym or translation variant cannot be used, if it cannot: it must say
/// something, and a `*` may only end a single word of at least
/// [`MIN_WORD_START_CHARS`] letters.
fn check_variant(variant: &str) -> Result<(), String> {
    if variant.is_empty() {
        return Err("empty variant".to_string());
    }
    let stem = variant.strip_suffix(WORD_START).unwrap_or(variant);
    if stem.contains(WORD_START) {
        return Err(format!(
            "`{variant}`: a `{WORD_START}` may only end a variant (it stands for any ending)"
        ));
    }
    if stem.len() < variant.len() {
        let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
        if stem.chars().any(|c| !c.is_alphabetic()) || letters < MIN_WORD_START_CHARS {
            return Err(format!(
                "`{variant}`: a variant ending in `{WORD_START}` must be one word of at least \
                 {MIN_WORD_START_CHARS} letters, or it catches unrelated words"
            ));
        }
    }
    Ok(())
}

/// A pattern with `\s` and `\S` written as what they mean in the text patterns are
/// matched against: the question's words joined by single spaces. Unicode whitespace is
/// two dozen ranges that compile into a large automaton for every pattern; one space is
/// one byte, which makes start-up several milliseconds faster and matches the same.
fn spaces_as_the_question_has_them(pattern: &str) -> String {
    let mut written = String::with_capacity(pattern.len() + 16);
    let mut characters = pattern.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            written.push(character);
            continue;
        }
        match characters.next() {
            Some('s') => written.push_str(r"\x20"),
            Some('S') => written.push_str(r"[^\x20]"),
            Some(escaped) => {
                written.push('\\');
                written.push(escaped);
            }
            None => written.push('\\'),
        }
    }
    written
}

/// Questions lose their one-letter words ("a", "в", "з"), so an off-topic name with one
/// refuses more than it says: "how does a" would refuse every "how does ...".
fn check_no_one_letter_word(variant: &str) -> Result<(), String> {
    let one_letter = variant
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| word.chars().count() == 1);
    match one_letter {
        Some(word) => Err(format!(
            "`{variant}`: questions lose their one-letter words, so `{word}` here matches \
             nothing and the rest refuses more than you meant; leave it out or name a longer \
             word"
        )),
        None => Ok(()),
    }
}

/// Loads the story under `responses_dir` and checks all of it.
///
/// `responses_dir` is either a story folder (it holds `story.toml`) or a folder with
/// exactly one story folder in it. On success every quote occurs verbatim in the article
/// (up to whitespace), the article matches its recorded SHA-256, ids are unique, related
/// ids exist and triggers compile.
pub fn load(responses_dir: &Path) -> Result<KnowledgeBase, Problems> {
    load_knowing(responses_dir, &KnownPrefixes::default())
}

/// Loads like [`load`], taking the prefixes of the patterns in `known` from there instead
/// of parsing them.
pub fn load_knowing(
    responses_dir: &Path,
    known: &KnownPrefixes,
) -> Result<KnowledgeBase, Problems> {
    let story_dir = find_story_dir(responses_dir)?;
    let mut checker = Checker {
        known_prefixes: Some(known),
        ..Checker::default()
    };
    let knowledge_base = checker.load_story(&story_dir);
    match knowledge_base {
        Some(knowledge_base) if checker.problems.is_empty() => Ok(knowledge_base),
        _ => {
            if checker.problems.is_empty() {
                // `load_story` returns None only after recording a problem; this keeps the
                // error non-empty even if that ever changes.
                checker.report(&story_dir, 1, "the story could not be loaded");
            }
            Err(Problems(checker.problems))
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The article with whitespace collapsed, and where its sections start in that text.
struct Article {
    collapsed: String,
    sections: Vec<(usize, String)>,
}

#[derive(Default)]
struct Checker<'a> {
    problems: Vec<Problem>,
    /// A hash of every file read, in the order read: what a cache of work derived from
    /// the files is keyed by.
    fingerprint: rustc_hash::FxHasher,
    /// Patterns parsed by an earlier process of this build, not parsed again.
    known_prefixes: Option<&'a KnownPrefixes>,
}

impl Checker<'_> {
    fn report(&mut self, path: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        });
    }

    fn load_story(&mut self, story_dir: &Path) -> Option<KnowledgeBase> {
        // `asked.jsonl`, the largest file, is read and parsed on another core meanwhile (or
        // here, after the topics, if no thread can be started).
        let asked_path = story_dir.join(ASKED_FILE);
        let asked_file = std::thread::Builder::new()
            .name("asked.jsonl".into())
            .spawn({
                let path = asked_path.clone();
                move || AskedFile::read(&path)
            })
            .ok();
        let story_path = story_dir.join(STORY_FILE);
        let article_path = story_dir.join(ARTICLE_FILE);
        let article_text = self.read(&article_path, MAX_ARTICLE_BYTES);
        let story_file: Option<(StoryFile, String)> = self.parse(&story_path);
        let synonyms = self.load_synonyms(&story_dir.join(SYNONYMS_FILE));
        let translations = self.load_translations(
            &story_dir.join(TRANSLATIONS_FILE),
            synonyms.as_deref().unwrap_or_default(),
        );
        let off_topic = self.load_off_topic(
            &story_dir.join(OFF_TOPIC_FILE),
            synonyms.as_deref().unwrap_or_default(),
        );

        let (article, story) = match (article_text, story_file) {
            (Some(article_text), Some((story_file, story_text))) => {
                self.check_hash(&story_path, &story_text, &article_text, &story_file);
                let article =
                    self.index_sections(&story_path, &story_text, &article_text, &story_file);
                (Some(article), Some((story_file, story_text)))
            }
            (_, story_file) => (None, story_file),
        };

        let sources = match &story {
            Some((story_file, story_text)) => Sources {
                article_source: Some(Source {
                    id: ARTICLE_SOURCE.to_string(),
                    outlet: story_file.outlet.clone(),
                    url: story_file.source_url.get_ref().clone(),
                    published: story_file.published.get_ref().clone(),
                    sha256: story_file.article_sha256.get_ref().to_lowercase(),
                }),
                later: self.load_later_sources(story_dir, &story_path, story_text, story_file),
                article,
            },
            None => Sources {
                article,
                article_source: None,
                later: Vec::new(),
            },
        };

        let (mut topics, claimed_ids) = self.load_topics(&story_dir.join(TOPICS_DIR), &sources);
        self.check_related(&topics, &claimed_ids);
        self.check_updates(&mut topics);
        let topic_ids: Vec<&str> = topics.iter().map(|(topic, _)| topic.id.as_str()).collect();
        let asked_file = asked_file
            .and_then(|reading| reading.join().ok())
            .unwrap_or_else(|| AskedFile::read(&asked_path));
        let asked = self.load_asked(&asked_path, asked_file, &topic_ids, &claimed_ids);

        let (story_file, story_text) = story?;
        // A topic that exists but failed its own check is reported there; naming it is
        // no second problem.
        let names_a_topic = |id: &str| claimed_ids.iter().any(|claimed| claimed == id);
        for id in &story_file.summary_topics {
            if !names_a_topic(id.get_ref()) {
                self.report(
                    &story_path,
                    line_of(&story_text, id.span().start),
                    format!(
                        "summary_topics names `{}`, but no topic has that id",
                        id.get_ref()
                    ),
                );
            }
        }
        if story_file.summary_topics.is_empty() {
            self.report(
                &story_path,
                1,
                "summary_topics is missing or empty: list the topic ids the moderator summary \
                 is made of (they are also what a miss suggests asking about)",
            );
        }
        let watch_topic = &story_file.watch_topic;
        if !names_a_topic(watch_topic.get_ref()) {
            self.report(
                &story_path,
                line_of(&story_text, watch_topic.span().start),
                format!(
                    "watch_topic names `{}`, but no topic has that id",
                    watch_topic.get_ref()
                ),
            );
        }
        if let Some(doesnt_say) = &story_file.doesnt_say_topic {
            if !names_a_topic(doesnt_say.get_ref()) {
                self.report(
                    &story_path,
                    line_of(&story_text, doesnt_say.span().start),
                    format!(
                        "doesnt_say_topic names `{}`, but no topic has that id",
                        doesnt_say.get_ref()
                    ),
                );
            }
        }
        for facet in &story_file.facets {
            if facet.get_ref().iter().all(|word| word.trim().is_empty()) {
                self.report(
                    &story_path,
                    line_of(&story_text, facet.span().start),
                    "a facet needs at least one word: the words that name one side of the \
                     story"
                        .to_string(),
                );
            }
        }
        let Sources {
            article,
            article_source,
            later,
        } = sources;
        let article = article?;
        let mut all_sources: Vec<Source> = article_source.into_iter().collect();
        all_sources.extend(later.into_iter().map(|(source, _)| source));
        // Oldest first; the article stays first among equals.
        all_sources.sort_by(|left, right| left.published.cmp(&right.published));
        let newest = all_sources.last().cloned();
        Some(KnowledgeBase {
            story_dir: story_dir.to_path_buf(),
            article: article.collapsed,
            story: Story {
                title: story_file.title,
                outlet: story_file.outlet,
                published: story_file.published.into_inner(),
                source_url: story_file.source_url.into_inner(),
                notice: story_file.notice,
                summary_topics: story_file
                    .summary_topics
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                watch_topic: story_file.watch_topic.into_inner(),
                doesnt_say_topic: story_file.doesnt_say_topic.map(Spanned::into_inner),
                facets: story_file
                    .facets
                    .into_iter()
                    .map(|facet| {
                        facet
                            .into_inner()
                            .into_iter()
                            .map(|word| word.trim().to_lowercase())
                            .filter(|word| !word.is_empty())
                            .collect()
                    })
                    .collect(),
                as_of: newest
                    .as_ref()
                    .map(|source| source.published.clone())
                    .unwrap_or_default(),
                as_of_outlet: newest.map(|source| source.outlet).unwrap_or_default(),
            },
            topics: topics.into_iter().map(|(topic, _)| topic).collect(),
            synonyms: synonyms.unwrap_or_default(),
            sources: all_sources,
            translations,
            off_topic_questions: off_topic.questions,
            other_subjects: off_topic.other_subjects,
            general_markers: off_topic.general_markers,
            orders: off_topic.orders,
            organisations: off_topic.organisations,
            organisation_markers: off_topic.organisation_markers,
            asked,
            fingerprint: std::hash::Hasher::finish(&self.fingerprint),
        })
    }

    /// `asked.jsonl` (optional): one JSON object a line, `{"question": "…", "topics":
    /// ["id", …]}`, with the topics that answer the question (`[]`: it must be refused).
    /// Every line is checked; a bad one is a problem at its line. `topic_ids` are the
    /// topics' ids in their final order: the asked questions keep indices into it.
    fn load_asked(
        &mut self,
        path: &Path,
        file: AskedFile,
        topic_ids: &[&str],
        claimed_ids: &[String],
    ) -> AskedQuestions {
        let mut asked = AskedQuestions::default();
        match &file.text {
            Ok(Some(text)) => self.hash_file(text),
            Ok(None) => return asked,
            Err(problem) => {
                self.report(path, 1, problem.clone());
                return asked;
            }
        }
        let index_of: rustc_hash::FxHashMap<&str, usize> = topic_ids
            .iter()
            .enumerate()
            .map(|(index, id)| (*id, index))
            .collect();
        // Each id named, as a topic's index or as itself when no topic has it.
        let named: Vec<Result<usize, &str>> = file
            .topic_ids
            .iter()
            .map(|id| index_of.get(id.as_str()).copied().ok_or(id.as_str()))
            .collect();
        let mut problems = Vec::new();
        for (line, question, topic_ids) in file.entries() {
            let topics: Result<Vec<usize>, &str> = topic_ids
                .iter()
                .map(|&id| named.get(id as usize).copied().unwrap_or(Err("")))
                .collect();
            match topics {
                Ok(topics) => {
                    if asked.push(question, &topics).is_none() {
                        problems.push((line, "too many asked questions or topics".into()));
                    }
                }
                // A topic file that exists but failed its own check is reported there;
                // naming it is no second problem.
                Err(id) if claimed_ids.iter().any(|claimed| claimed == id) => {}
                Err(id) => problems.push((
                    line,
                    format!(
                        "topics names `{id}`, but no topic has that id (an empty list, \
                         `[]`, means the question must be refused)"
                    ),
                )),
            }
        }
        problems.extend(file.problems);
        problems.sort_by_key(|(line, _)| *line);
        for (line, problem) in problems {
            self.report(path, line, problem);
        }
        asked
    }

    /// Reads a whole file of at most `limit` bytes (see [`read_text`]) into the
    /// fingerprint, or reports why it cannot be read.
    fn read(&mut self, path: &Path, limit: u64) -> Option<String> {
        match read_text(path, limit) {
            Ok(text) => {
                self.hash_file(&text);
                Some(text)
            }
            Err(problem) => {
                self.report(path, 1, problem);
                None
            }
        }
    }

    fn hash_file(&mut self, text: &str) {
        use std::hash::Hasher;
        self.fingerprint.write(text.as_bytes());
        self.fingerprint.write_usize(text.len());
    }

    /// Reads and deserializes one TOML file, reporting syntax errors, unknown fields and
    /// missing fields at the line where they are.
    fn parse<T: DeserializeOwned>(&mut self, path: &Path) -> Option<(T, String)> {
        let text = self.read(path, MAX_ANSWER_FILE_BYTES)?;
        match toml::from_str::<T>(&text) {
            Ok(value) => Some((value, text)),
            Err(error) => {
                let line = error.span().map_or(1, |span| line_of(&text, span.start));
                let message = error.message().trim().to_string();
                self.report(path, line, format!("invalid TOML: {message}"));
                None
            }
        }
    }

    fn check_hash(
        &mut self,
        story_path: &Path,
        story_text: &str,
        article_text: &str,
        story_file: &StoryFile,
    ) {
        let actual = hex(&Sha256::digest(article_text.as_bytes()));
        let recorded = story_file.article_sha256.get_ref();
        if !recorded.eq_ignore_ascii_case(&actual) {
            self.report(
                story_path,
                line_of(story_text, story_file.article_sha256.span().start),
                format!(
                    "article.txt has SHA-256 {actual}, but article_sha256 records {recorded}: \
                     the article changed since the quotes were curated; re-check every quote, \
                     then record the new hash"
                ),
            );
        }
        let published = story_file.published.get_ref();
        if parse_date(published).is_none() {
            self.report(
                story_path,
                line_of(story_text, story_file.published.span().start),
                format!("published is `{published}`, which is not a date; write it as YYYY-MM-DD, e.g. 2025-12-27"),
            );
        }
        let source_url = story_file.source_url.get_ref();
        if let Err(why) = check_link(source_url) {
            self.report(
                story_path,
                line_of(story_text, story_file.source_url.span().start),
                format!("source_url is `{}`: {why}", preview(source_url)),
            );
        }
    }

    fn index_sections(
        &mut self,
        story_path: &Path,
        story_text: &str,
        article_text: &str,
        story_file: &StoryFile,
    ) -> Article {
        let collapsed = collapse_whitespace(article_text);
        let mut sections = Vec::new();
        let mut search_from = 0;
        for section in &story_file.sections {
            let anchor = collapse_whitespace(section.starts_with.get_ref());
            match collapsed[search_from..].find(&anchor).filter(|_| !anchor.is_empty()) {
                Some(found) => {
                    search_from += found;
                    sections.push((search_from, section.heading.clone()));
                }
                None => self.report(
                    story_path,
                    line_of(story_text, section.starts_with.span().start),
                    format!(
                        "section `{}` starts_with text not found in article.txt after the previous section",
                        section.heading
                    ),
                ),
            }
        }
        if story_file.sections.is_empty() {
            self.report(story_path, 1, "story.toml lists no [[sections]]");
        }
        Article {
            collapsed,
            sections,
        }
    }

    fn load_synonyms(&mut self, path: &Path) -> Option<Vec<SynonymGroup>> {
        let (file, text): (SynonymsFile, String) = self.parse(path)?;
        let mut owner: HashMap<String, String> = HashMap::new();
        let mut groups = Vec::new();
        for group in file.group {
            let term = group.term.get_ref().trim().to_lowercase();
            if term.is_empty() {
                self.report(path, line_of(&text, group.term.span().start), "empty term");
                continue;
            }
            let variants = self.own_variants(
                path,
                &text,
                group.variants.iter(),
                &format!("`{term}`"),
                &mut owner,
            );
            groups.push(SynonymGroup {
                term,
                anchor: group.anchor,
                form: group.form,
                variants,
            });
        }
        Some(groups)
    }

    /// The usable variants of one synonym group or translation: each one checked, and
    /// standing for one term only (`owner` maps every variant seen so far to the term it
    /// stands for, named as a message shows it).
    fn own_variants<'v>(
        &mut self,
        path: &Path,
        text: &str,
        variants: impl Iterator<Item = &'v Spanned<String>>,
        term: &str,
        owner: &mut HashMap<String, String>,
    ) -> Vec<String> {
        let mut owned = Vec::new();
        for variant in variants {
            let key = variant.get_ref().trim().to_lowercase();
            let line = || line_of(text, variant.span().start);
            if let Err(problem) = check_variant(&key) {
                self.report(path, line(), format!("{problem} for {term}"));
                continue;
            }
            match owner.get(&key) {
                Some(other) if other != term => self.report(
                    path,
                    line(),
                    format!("`{key}` stands for {other} and for {term}; keep it in one"),
                ),
                _ => {
                    owner.insert(key.clone(), term.to_string());
                    owned.push(key);
                }
            }
        }
        owned
    }

    /// The optional Ukrainian and Russian words for English ones; a missing file is none.
    ///
    /// A variant may not also be a synonym of another term: which would win is a guess.
    fn load_translations(&mut self, path: &Path, synonyms: &[SynonymGroup]) -> Vec<Translation> {
        if !path.exists() {
            return Vec::new();
        }
        let Some((file, text)) = self.parse::<TranslationsFile>(path) else {
            return Vec::new();
        };
        let mut owner: HashMap<String, String> = synonyms
            .iter()
            .flat_map(|group| {
                group
                    .variants
                    .iter()
                    .map(|variant| (variant.clone(), format!("synonyms.toml's `{}`", group.term)))
            })
            .collect();
        let mut translations = Vec::new();
        for word in file.word {
            let english = word.en.get_ref().trim().to_lowercase();
            let line = || line_of(&text, word.en.span().start);
            if english.is_empty() {
                self.report(path, line(), "empty `en`");
                continue;
            }
            let variants = self.own_variants(
                path,
                &text,
                word.uk.iter().chain(&word.ru),
                &format!("`{english}`"),
                &mut owner,
            );
            translations.push(Translation { english, variants });
        }
        translations
    }

    /// The later sources `story.toml` lists, each checked: a known kind of id, an outlet, a
    /// working link, a real date that is neither in the future nor before the article, a
    /// file inside the story folder, and the SHA-256 its quotes were curated against.
    /// Sources that fail are left out, so nothing is served from them.
    fn load_later_sources(
        &mut self,
        story_dir: &Path,
        story_path: &Path,
        story_text: &str,
        story_file: &StoryFile,
    ) -> Vec<(Source, String)> {
        let at = |span: std::ops::Range<usize>| line_of(story_text, span.start);
        if story_file.sources.len() > MAX_SOURCES {
            self.report(
                story_path,
                1,
                format!(
                    "story.toml lists {} sources; the limit is {MAX_SOURCES}",
                    story_file.sources.len()
                ),
            );
            return Vec::new();
        }
        // Today in UTC, from the system clock (chrono's clock feature is not built in).
        let today = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|elapsed| i64::try_from(elapsed.as_secs()).ok())
            .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
            .map_or(chrono::NaiveDate::MAX, |now| now.date_naive());
        let article_date = parse_date(story_file.published.get_ref());
        let mut later: Vec<(Source, String)> = Vec::new();
        for entry in &story_file.sources {
            let problems_before = self.problems.len();
            let id = entry.id.get_ref().trim().to_string();
            if id.is_empty()
                || id == ARTICLE_SOURCE
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                self.report(
                    story_path,
                    at(entry.id.span()),
                    format!("source id `{id}` must be lowercase letters, digits and dashes, and not `{ARTICLE_SOURCE}` (the article's own)"),
                );
            } else if later.iter().any(|(source, _)| source.id == id) {
                self.report(
                    story_path,
                    at(entry.id.span()),
                    format!("duplicate source id `{id}`"),
                );
            }
            if entry.outlet.get_ref().trim().is_empty() {
                self.report(story_path, at(entry.outlet.span()), "outlet is empty");
            }
            if let Err(why) = check_link(entry.url.get_ref()) {
                self.report(
                    story_path,
                    at(entry.url.span()),
                    format!("url is `{}`: {why}", preview(entry.url.get_ref())),
                );
            }
            let published = entry.published.get_ref();
            match parse_date(published) {
                Some(date) => {
                    if date > today {
                        self.report(
                            story_path,
                            at(entry.published.span()),
                            format!("published is {published}, a date in the future: a source is added once it is out"),
                        );
                    } else if article_date.is_some_and(|article| date < article) {
                        self.report(
                            story_path,
                            at(entry.published.span()),
                            format!(
                                "published is {published}, before the article ({}): later sources come after it",
                                story_file.published.get_ref()
                            ),
                        );
                    }
                }
                None => self.report(
                    story_path,
                    at(entry.published.span()),
                    format!(
                        "published is `{published}`, which is not a date; write it as YYYY-MM-DD"
                    ),
                ),
            }
            let text = self.read_source_file(story_dir, story_path, story_text, entry);
            if let Some(text) = &text {
                let actual = hex(&Sha256::digest(text.as_bytes()));
                let recorded = entry.sha256.get_ref().trim();
                if !recorded.eq_ignore_ascii_case(&actual) {
                    self.report(
                        story_path,
                        at(entry.sha256.span()),
                        format!(
                            "{} has SHA-256 {actual}, but sha256 records {recorded}: the source \
                             changed since its quotes were curated; re-check them, then record \
                             the new hash",
                            entry.file.get_ref()
                        ),
                    );
                }
            }
            if self.problems.len() > problems_before {
                continue;
            }
            if let Some(text) = text {
                later.push((
                    Source {
                        id,
                        outlet: entry.outlet.get_ref().trim().to_string(),
                        url: entry.url.get_ref().clone(),
                        published: published.clone(),
                        sha256: entry.sha256.get_ref().trim().to_lowercase(),
                    },
                    collapse_whitespace(&text),
                ));
            }
        }
        later
    }

    /// A later source's text: a relative path inside the story folder, read bounded; a
    /// missing or escaping file is reported at its `file` line in story.toml.
    fn read_source_file(
        &mut self,
        story_dir: &Path,
        story_path: &Path,
        story_text: &str,
        entry: &SourceFile,
    ) -> Option<String> {
        let line = line_of(story_text, entry.file.span().start);
        let relative = Path::new(entry.file.get_ref());
        let inside = relative
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
        if !inside {
            self.report(
                story_path,
                line,
                format!(
                    "file `{}` must be a path inside the story folder, e.g. sources/outlet-2026-01-05.txt",
                    entry.file.get_ref()
                ),
            );
            return None;
        }
        let path = story_dir.join(relative);
        if !path.is_file() {
            self.report(
                story_path,
                line,
                format!(
                    "source file {} does not exist: add the source's text there, verbatim",
                    path.display()
                ),
            );
            return None;
        }
        self.read(&path, MAX_ARTICLE_BYTES)
    }

    /// Claims that update earlier ones: every id once, every `updates` naming a claim, no
    /// claim updating one from a later source, a confirmed claim contradicted only if it
    /// is superseded, and no cycle. Then every updated claim is marked earlier.
    fn check_updates(&mut self, topics: &mut [(Topic, TopicOrigin)]) {
        // id -> (topic index, claim index)
        let mut by_id: HashMap<String, (usize, usize)> = HashMap::new();
        for (topic_index, (topic, origin)) in topics.iter().enumerate() {
            for (claim_index, claim) in topic.claims.iter().enumerate() {
                let Some(id) = &claim.id else { continue };
                if let Some(&(first_topic, first_claim)) = by_id.get(id) {
                    let first = &topics[first_topic].1;
                    let message = format!(
                        "duplicate claim id `{id}`: already used in {}:{}",
                        first.path.display(),
                        first.claim_lines[first_claim]
                    );
                    self.report(&origin.path, origin.claim_lines[claim_index], message);
                } else {
                    by_id.insert(id.clone(), (topic_index, claim_index));
                }
            }
        }
        let mut updated: Vec<(usize, usize)> = Vec::new();
        for (topic, origin) in topics.iter() {
            for (claim_index, claim) in topic.claims.iter().enumerate() {
                let Some((target_id, relation)) = &claim.updates else {
                    continue;
                };
                let line = origin.claim_lines[claim_index];
                let Some(&(target_topic, target_claim)) = by_id.get(target_id) else {
                    self.report(
                        &origin.path,
                        line,
                        format!("`updates = \"{target_id}\"` names no claim: give the earlier claim `id = \"{target_id}\"`"),
                    );
                    continue;
                };
                let target = &topics[target_topic].0.claims[target_claim];
                if claim.published < target.published {
                    self.report(
                        &origin.path,
                        line,
                        format!(
                            "this claim's source ({}, {}) predates the claim `{target_id}` it updates ({}): a source can only update earlier ones",
                            claim.source, claim.published, target.published
                        ),
                    );
                    continue;
                }
                if *relation == Relation::Contradicts && target.status == ClaimStatus::Confirmed {
                    self.report(
                        &origin.path,
                        line,
                        format!("this claim contradicts `{target_id}`, which is labelled confirmed: use `relation = \"supersedes\"` so the old claim is shown as earlier reporting, or relabel it"),
                    );
                    continue;
                }
                updated.push((target_topic, target_claim));
            }
        }
        // A cycle (a updates b, b updates a) has no newest state to show.
        for (topic, origin) in topics.iter() {
            for (claim_index, claim) in topic.claims.iter().enumerate() {
                let Some(start) = &claim.id else { continue };
                let mut chain = vec![start.clone()];
                let mut current = claim;
                while let Some((next_id, _)) = &current.updates {
                    if chain.first() == Some(next_id) {
                        chain.push(next_id.clone());
                        self.report(
                            &origin.path,
                            origin.claim_lines[claim_index],
                            format!(
                                "claims update each other in a cycle: {}; one of them must be the earliest",
                                chain.join(" → ")
                            ),
                        );
                        break;
                    }
                    if chain.contains(next_id) || chain.len() > by_id.len() {
                        break;
                    }
                    let Some(&(next_topic, next_claim)) = by_id.get(next_id) else {
                        break;
                    };
                    chain.push(next_id.clone());
                    current = &topics[next_topic].0.claims[next_claim];
                }
            }
        }
        for (topic_index, claim_index) in updated {
            topics[topic_index].0.claims[claim_index].earlier = true;
        }
    }

    /// The optional questions not to answer, names of other subjects, general markers
    /// and orders; a missing file is none of any.
    fn load_off_topic(&mut self, path: &Path, synonyms: &[SynonymGroup]) -> OffTopic {
        if !path.exists() {
            return OffTopic::default();
        }
        let Some((file, text)) = self.parse::<OffTopicFile>(path) else {
            return OffTopic::default();
        };
        let other_subjects =
            self.checked_variants(path, &text, &file.other_subjects, "other_subjects");
        let general_markers =
            self.checked_variants(path, &text, &file.general_markers, "general_markers");
        let orders = self.checked_variants(path, &text, &file.orders, "orders");
        let organisation_markers = self.checked_variants(
            path,
            &text,
            &file.organisation_markers,
            "organisation_markers",
        );
        let mut organisations = Vec::new();
        for organisation in &file.organisations {
            let name = organisation.get_ref().trim().to_lowercase();
            if synonyms
                .iter()
                .any(|group| group.anchor && group.term == name)
            {
                organisations.push(name);
            } else {
                self.report(
                    path,
                    line_of(&text, organisation.span().start),
                    format!(
                        "organisations names `{name}`, which is no `anchor = true` term of \
                         synonyms.toml: name an outlet, think tank or body by its term there"
                    ),
                );
            }
        }
        let mut questions = Vec::new();
        for question in file.questions {
            if question.get_ref().trim().is_empty() {
                self.report(
                    path,
                    line_of(&text, question.span().start),
                    "empty question",
                );
            } else {
                questions.push(question.into_inner());
            }
        }
        OffTopic {
            questions,
            other_subjects,
            general_markers,
            orders,
            organisations,
            organisation_markers,
        }
    }

    /// Curated regexes, parsed (they are compiled when first needed: see
    /// `CuratedPattern`); each one that does not parse is reported with its line as a
    /// `what` that "is not a valid regex".
    fn parsed_patterns(
        &mut self,
        path: &Path,
        text: &str,
        patterns: &[Spanned<String>],
        what: &str,
    ) -> Vec<CuratedPattern> {
        let mut parsed = Vec::new();
        for pattern in patterns {
            let line = line_of(text, pattern.span().start);
            // Questions are matched with accents folded ("ї" is "і", "й" is "и"): the
            // pattern is folded the same way, so a curator can write "україн\S*".
            let folded: String = pattern
                .get_ref()
                .nfkd()
                .filter(|character| !is_combining_mark(*character))
                .collect();
            // Unicode `\w` compiles to thousands of states that every question pays for
            // (a long Cyrillic message then allocates megabytes); the question's words are
            // separated by single spaces, so `\S` says "the rest of the word" for free.
            if folded.contains(r"\w") {
                self.report(
                    path,
                    line,
                    format!(
                        "{what} uses `\\w`, which makes every question costly: write `\\S` \
                         (the question's words are separated by single spaces)"
                    ),
                );
                continue;
            }
            let source = spaces_as_the_question_has_them(&folded);
            let known = self.known_prefixes.and_then(|known| known.get(&source));
            let curated = match known {
                Some(prefixes) => Ok(CuratedPattern::known(
                    source,
                    prefixes.clone(),
                    what,
                    path,
                    line,
                )),
                None => CuratedPattern::parse(source, what, path, line),
            };
            match curated {
                Ok(curated) => parsed.push(curated),
                Err(wrong) => {
                    self.report(path, line, format!("{what} is not a valid regex: {wrong}"))
                }
            }
        }
        parsed
    }

    /// A list of words, phrases and `stem*` word-starts, lowercased; each one that is not
    /// a usable variant is reported with its line and the list's name.
    fn checked_variants(
        &mut self,
        path: &Path,
        text: &str,
        variants: &[Spanned<String>],
        list: &str,
    ) -> Vec<String> {
        let mut checked = Vec::new();
        for variant in variants {
            let name = variant.get_ref().trim().to_lowercase();
            match check_variant(&name).and_then(|()| check_no_one_letter_word(&name)) {
                Ok(()) => checked.push(name),
                Err(problem) => self.report(
                    path,
                    line_of(text, variant.span().start),
                    format!("{problem} in {list}"),
                ),
            }
        }
        checked
    }

    /// The topics that passed their checks, sorted by id, and every id that a topic file
    /// claims (its `id`, or its file name when it cannot be parsed), passed or not.
    fn load_topics(
        &mut self,
        topics_dir: &Path,
        sources: &Sources,
    ) -> (Vec<(Topic, TopicOrigin)>, Vec<String>) {
        let mut paths = match fs::read_dir(topics_dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| {
                    path.extension()
                        .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"))
                })
                .collect::<Vec<_>>(),
            Err(error) => {
                self.report(
                    topics_dir,
                    1,
                    format!("cannot read the topics folder: {error}"),
                );
                return (Vec::new(), Vec::new());
            }
        };
        paths.sort();
        // `IAEA.TOML` would be skipped silently on a case-sensitive file system.
        paths.retain(|path| {
            let lowercase = path.extension().is_some_and(|ext| ext == "toml");
            if !lowercase {
                self.report(
                    path,
                    1,
                    "topic files end in `.toml` (lowercase); rename this file so it is read",
                );
            }
            lowercase
        });
        if paths.is_empty() {
            self.report(
                topics_dir,
                1,
                "no topic files (*.toml) in the topics folder",
            );
        }
        if paths.len() > MAX_TOPICS {
            self.report(
                topics_dir,
                1,
                format!(
                    "{} topic files; a story has at most {MAX_TOPICS} (is this the right folder?)",
                    paths.len()
                ),
            );
            return (Vec::new(), Vec::new());
        }
        let mut topics: Vec<(Topic, TopicOrigin)> = Vec::new();
        let mut claimed_ids: Vec<String> = paths
            .iter()
            .filter_map(|path| path.file_stem().and_then(|stem| stem.to_str()))
            .map(str::to_string)
            .collect();
        // Every id seen, valid topic or not, so that a duplicate is reported even when
        // one of the two files has other problems too.
        let mut seen_ids: Vec<(String, PathBuf, usize)> = Vec::new();
        for path in paths {
            let Some((file, text)) = self.parse::<TopicFile>(&path) else {
                continue;
            };
            let id = file.id.get_ref().clone();
            let id_line = line_of(&text, file.id.span().start);
            if let Some((_, first_path, first_line)) =
                seen_ids.iter().find(|(seen, _, _)| *seen == id)
            {
                let message = format!(
                    "duplicate topic id `{id}`: already used in {}:{first_line}",
                    first_path.display()
                );
                self.report(&path, id_line, message);
                continue;
            }
            seen_ids.push((id.clone(), path.clone(), id_line));
            claimed_ids.push(id);
            if let Some(topic) = self.check_topic(&path, &text, file, sources) {
                topics.push(topic);
            }
        }
        topics.sort_by(|(left, _), (right, _)| left.id.cmp(&right.id));
        (topics, claimed_ids)
    }

    fn check_topic(
        &mut self,
        path: &Path,
        text: &str,
        file: TopicFile,
        sources: &Sources,
    ) -> Option<(Topic, TopicOrigin)> {
        let article = sources.article.as_ref();
        let problems_before = self.problems.len();
        let at = |span: std::ops::Range<usize>| line_of(text, span.start);
        let id = file.id.get_ref().clone();
        let id_line = at(file.id.span());
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            self.report(
                path,
                id_line,
                format!("id `{id}` must be lowercase letters, digits and dashes"),
            );
        } else if path.file_stem().and_then(|stem| stem.to_str()) != Some(id.as_str()) {
            self.report(
                path,
                id_line,
                format!("id `{id}` does not match the file name; name the file {id}.toml"),
            );
        }
        for (field, value) in [
            ("title", &file.title),
            ("answer", &file.answer),
            ("section", &file.section),
        ] {
            if value.get_ref().trim().is_empty() {
                self.report(path, at(value.span()), format!("{field} is empty"));
            }
        }
        if file
            .questions
            .get_ref()
            .iter()
            .all(|question| question.trim().is_empty())
        {
            self.report(
                path,
                at(file.questions.span()),
                "questions is empty: add at least one example question",
            );
        }

        let mut claims = Vec::new();
        let mut claim_lines = Vec::new();
        if file.claims.is_empty() {
            self.report(
                path,
                id_line,
                "topic has no claims: add at least one [[claims]] quote from the article",
            );
        }
        for claim in &file.claims {
            let line = at(claim.quote.span());
            let quote = collapse_whitespace(claim.quote.get_ref());
            if quote.is_empty() {
                self.report(path, line, "quote is empty");
                continue;
            }
            if quote.split(' ').count() < MIN_QUOTE_WORDS && quote.chars().count() < MIN_QUOTE_CHARS
            {
                self.report(
                    path,
                    line,
                    format!(
                        "quote \"{quote}\" is too short to stand on its own; quote at least \
                         {MIN_QUOTE_WORDS} words (or {MIN_QUOTE_CHARS} characters) of the article"
                    ),
                );
                continue;
            }
            let source_id = claim
                .source
                .as_ref()
                .map_or(ARTICLE_SOURCE, |source| source.get_ref().as_str());
            let Some((source, collapsed)) = sources.find(source_id) else {
                if let Some(named) = &claim.source {
                    let known = sources.ids().join(", ");
                    self.report(
                        path,
                        at(named.span()),
                        format!("source `{source_id}` is not one of the story's sources ({known}); add it to story.toml's [[sources]] or fix the id"),
                    );
                }
                // Without a named source, the article itself failed to load: that is
                // reported already.
                continue;
            };
            if let Some(attribution) = &claim.attribution {
                if !names(collapsed, attribution.trim()) {
                    self.report(path, line, format!("attribution `{attribution}` is not a name {} uses (as a whole word, with its capitals); leave it out or use the source's own name", if source.id == ARTICLE_SOURCE { "the article".to_string() } else { format!("source `{}`", source.id) }));
                }
            }
            let claim_id = claim.id.as_ref().map(|id| id.get_ref().trim().to_string());
            if let Some(claim_id) = &claim_id {
                if claim_id.is_empty()
                    || !claim_id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    self.report(
                        path,
                        line,
                        format!(
                            "claim id `{claim_id}` must be lowercase letters, digits and dashes"
                        ),
                    );
                }
            }
            let updates = match (&claim.updates, &claim.relation) {
                (Some(updated), Some(relation)) => {
                    Some((updated.get_ref().trim().to_string(), *relation.get_ref()))
                }
                (Some(updated), None) => {
                    self.report(
                        path,
                        at(updated.span()),
                        "`updates` needs a `relation`: confirms, contradicts or supersedes",
                    );
                    None
                }
                (None, Some(relation)) => {
                    self.report(
                        path,
                        at(relation.span()),
                        "`relation` needs `updates`: the id of the earlier claim it bears on",
                    );
                    None
                }
                (None, None) => None,
            };
            match collapsed.find(&quote) {
                Some(offset) => {
                    claims.push(Claim {
                        status: claim.status,
                        text: quote,
                        section: match article.filter(|_| source.id == ARTICLE_SOURCE) {
                            Some(article) => article.section_at(offset),
                            None => source.outlet.clone(),
                        },
                        attribution: claim
                            .attribution
                            .as_ref()
                            .map(|name| name.trim().to_string()),
                        source: source.id.clone(),
                        source_url: source.url.clone(),
                        published: source.published.clone(),
                        id: claim_id,
                        updates,
                        earlier: false,
                    });
                    claim_lines.push(line);
                }
                None => {
                    let file_name = if source.id == ARTICLE_SOURCE {
                        ARTICLE_FILE.to_string()
                    } else {
                        format!("source `{}`", source.id)
                    };
                    let matched = longest_present_prefix(collapsed, &quote);
                    // Show the difference from the start of the word where it begins.
                    let matched = &matched[..matched.rfind(' ').map_or(0, |space| space + 1)];
                    let message = if matched.is_empty() {
                        format!(
                            "quote is not in {file_name} verbatim: \"{}\"",
                            preview(&quote)
                        )
                    } else {
                        format!(
                            "quote is not in {file_name} verbatim: it matches up to \"…{}\" and then differs at \"{}\"",
                            tail_preview(matched),
                            preview(&quote[matched.len()..])
                        )
                    };
                    self.report(path, line, message);
                }
            }
        }
        if let Some(article) = article {
            let heading = file.section.get_ref();
            if !article.sections.iter().any(|(_, known)| known == heading) {
                let known: Vec<&str> = article
                    .sections
                    .iter()
                    .map(|(_, name)| name.as_str())
                    .collect();
                self.report(
                    path,
                    at(file.section.span()),
                    format!(
                        "section `{heading}` is not one of the story's sections: {}",
                        known.join(", ")
                    ),
                );
            }
        }

        let triggers = self.parsed_patterns(path, text, &file.triggers, "trigger");
        let corrects = self.parsed_patterns(path, text, &file.corrects, "`corrects` pattern");

        let related_lines = file
            .related
            .iter()
            .map(|related| at(related.span()))
            .collect();
        if self.problems.len() > problems_before {
            return None;
        }
        let topic = Topic {
            id,
            title: file.title.into_inner(),
            section: file.section.into_inner(),
            questions: file.questions.into_inner(),
            keywords: file.keywords,
            triggers,
            corrects,
            answer: file.answer.into_inner().trim().to_string(),
            claims,
            related: file.related.into_iter().map(Spanned::into_inner).collect(),
        };
        Some((
            topic,
            TopicOrigin {
                path: path.to_path_buf(),

                related_lines,
                claim_lines,
            },
        ))
    }

    /// Related ids must name other topics; one that names a topic which failed its own
    /// check is not reported again.
    fn check_related(&mut self, topics: &[(Topic, TopicOrigin)], claimed_ids: &[String]) {
        for (topic, origin) in topics {
            for (related, line) in topic.related.iter().zip(&origin.related_lines) {
                if related == &topic.id {
                    self.report(
                        &origin.path,
                        *line,
                        format!("topic `{related}` lists itself as related"),
                    );
                } else if !claimed_ids.iter().any(|claimed| claimed == related) {
                    self.report(
                        &origin.path,
                        *line,
                        format!("related topic `{related}` does not exist"),
                    );
                }
            }
        }
    }
}

/// Where a topic came from, for error messages that point back at it.
struct TopicOrigin {
    path: PathBuf,
    related_lines: Vec<usize>,
    /// The line of each claim's quote, in the order of `Topic::claims`.
    claim_lines: Vec<usize>,
}

/// Every source's text, whitespace collapsed, for checking quotes: the article (with its
/// sections) and the later sources.
struct Sources {
    article: Option<Article>,
    article_source: Option<Source>,
    later: Vec<(Source, String)>,
}

impl Sources {
    /// A source and its collapsed text, by id.
    fn find(&self, id: &str) -> Option<(&Source, &str)> {
        if id == ARTICLE_SOURCE {
            let source = self.article_source.as_ref()?;
            return Some((source, self.article.as_ref()?.collapsed.as_str()));
        }
        self.later
            .iter()
            .find(|(source, _)| source.id == id)
            .map(|(source, text)| (source, text.as_str()))
    }

    /// Every source id, the article first.
    fn ids(&self) -> Vec<&str> {
        [ARTICLE_SOURCE]
            .into_iter()
            .chain(self.later.iter().map(|(source, _)| source.id.as_str()))
            .collect()
    }
}

impl Article {
    fn section_at(&self, offset: usize) -> String {
        self.sections
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .or(self.sections.first())
            .map(|(_, heading)| heading.clone())
            .unwrap_or_default()
    }
}

fn find_story_dir(responses_dir: &Path) -> Result<PathBuf, Problems> {
    if responses_dir.join(STORY_FILE).is_file() {
        return Ok(responses_dir.to_path_buf());
    }
    let problem = |message: String| {
        Problems(vec![Problem {
            path: responses_dir.to_path_buf(),
            line: 1,
            message,
        }])
    };
    let entries = fs::read_dir(responses_dir)
        .map_err(|error| problem(format!("cannot read the responses folder: {error}")))?;
    let mut story_dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join(STORY_FILE).is_file())
        .collect();
    story_dirs.sort();
    match story_dirs.len() {
        1 => Ok(story_dirs.remove(0)),
        0 => Err(problem(format!(
            "no story here: expected {STORY_FILE} in this folder or in one of its subfolders"
        ))),
        _ => Err(problem(format!(
            "{} story folders found; factdesk serves one story: pass --responses with the one to use",
            story_dirs.len()
        ))),
    }
}

/// Collapses every run of whitespace to one space and trims the ends.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What `off_topic.toml` holds, checked.
#[derive(Default)]
struct OffTopic {
    questions: Vec<String>,
    other_subjects: Vec<String>,
    general_markers: Vec<String>,
    orders: Vec<String>,
    organisations: Vec<String>,
    organisation_markers: Vec<String>,
}

/// One line of `asked.jsonl`, borrowed from the line where it can be (thousands of lines
/// are read by every `factdesk ask`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AskedLine<'a> {
    #[serde(borrow)]
    question: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    topics: Vec<std::borrow::Cow<'a, str>>,
    /// Where the question came from (a question set, a server's log): for curators.
    #[serde(default, borrow, rename = "from")]
    _from: Option<std::borrow::Cow<'a, str>>,
}

/// Reads a whole file of at most `limit` bytes; a larger one is a problem, not a
/// start-up that takes minutes.
fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    match crate::bounded_read::read_limited(path, limit) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(format!(
            "this file is larger than the limit of {} KiB; answer files are short texts (is \
             this the right file?)",
            limit >> 10
        )),
        Err(error) => Err(format!("cannot read this file: {error}")),
    }
}

/// `asked.jsonl` read and parsed, the topics still named by id: the largest file, read
/// on another core while the topic files load (it was a sixth of a `factdesk ask`).
struct AskedFile {
    /// The file's text (`None`: there is no file), or why it cannot be read.
    text: Result<Option<String>, String>,
    /// Every question, one after the other (flat, so that an 8 MiB file of short
    /// questions costs its size, not an allocation or three per line).
    questions: String,
    entries: Vec<AskedEntry>,
    /// The topic ids named, each once, and each entry's topics as indices into them.
    topic_ids: Vec<String>,
    topics: Vec<u32>,
    /// Lines that are not an asked question, with what is wrong.
    problems: Vec<(usize, String)>,
}

struct AskedEntry {
    line: usize,
    /// Where its question ends in `questions`, and its topics in `topics`.
    question_end: usize,
    topics_end: usize,
}

impl AskedFile {
    fn read(path: &Path) -> AskedFile {
        let mut file = AskedFile {
            text: Ok(None),
            questions: String::new(),
            entries: Vec::new(),
            topic_ids: Vec::new(),
            topics: Vec::new(),
            problems: Vec::new(),
        };
        if !path.exists() {
            return file;
        }
        let text = match read_text(path, MAX_ASKED_FILE_BYTES) {
            Ok(text) => text,
            Err(problem) => {
                file.text = Err(problem);
                return file;
            }
        };
        let mut id_index: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
        for (index, line) in text.lines().enumerate() {
            let line_number = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<AskedLine<'_>>(line) {
                Ok(entry) if entry.question.trim().is_empty() => file
                    .problems
                    .push((line_number, "empty question".to_string())),
                Ok(entry) => {
                    file.questions.push_str(&entry.question);
                    for id in entry.topics {
                        // Looked up before it is owned: a dozen thousand lines name the
                        // same few dozen ids, and an owned key each was an allocation a
                        // topic of a line.
                        let index = match id_index.get(id.as_ref()) {
                            Some(&index) => index,
                            None => {
                                let index = file.topic_ids.len() as u32;
                                file.topic_ids.push(id.to_string());
                                id_index.insert(id.into_owned(), index);
                                index
                            }
                        };
                        file.topics.push(index);
                    }
                    file.entries.push(AskedEntry {
                        line: line_number,
                        question_end: file.questions.len(),
                        topics_end: file.topics.len(),
                    });
                }
                Err(error) => file.problems.push((
                    line_number,
                    format!(
                        "not an asked question ({error}): write one JSON object a line, \
                         {{\"question\": \"…\", \"topics\": [\"topic-id\"]}}"
                    ),
                )),
            }
        }
        file.text = Ok(Some(text));
        file
    }

    /// Each entry's line, question and topic ids, in the file's order.
    fn entries(&self) -> impl Iterator<Item = (usize, &str, &[u32])> {
        let mut question_start = 0;
        let mut topics_start = 0;
        self.entries.iter().map(move |entry| {
            let question = self
                .questions
                .get(question_start..entry.question_end)
                .unwrap_or_default();
            let topics = self
                .topics
                .get(topics_start..entry.topics_end)
                .unwrap_or_default();
            question_start = entry.question_end;
            topics_start = entry.topics_end;
            (entry.line, question, topics)
        })
    }
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

/// The longest prefix of `quote` (on a character boundary) that occurs in `article`.
fn longest_present_prefix<'q>(article: &str, quote: &'q str) -> &'q str {
    let boundaries: Vec<usize> = quote
        .char_indices()
        .map(|(index, _)| index)
        .chain([quote.len()])
        .collect();
    // Presence of a prefix is monotonic in its length, so binary search applies.
    let (mut low, mut high) = (0, boundaries.len() - 1);
    while low < high {
        let middle = (low + high).div_ceil(2);
        if article.contains(&quote[..boundaries[middle]]) {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    &quote[..boundaries[low]]
}

fn preview(text: &str) -> String {
    let mut preview: String = text.chars().take(40).collect();
    if preview.len() < text.len() {
        preview.push('…');
    }
    preview
}

fn tail_preview(text: &str) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(30)).collect()
}

/// Why a link could not be a Discord link button to the source, if it cannot.
fn check_link(link: &str) -> Result<(), String> {
    let parsed = url::Url::parse(link).map_err(|why| format!("not a URL ({why})"))?;
    if parsed.scheme() != "https" {
        return Err("it must be an https:// link".to_string());
    }
    if parsed.host_str().is_none_or(|host| !host.contains('.')) {
        return Err("it has no web host (like example.com)".to_string());
    }
    if link.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "Discord link buttons take at most {MAX_URL_CHARS} characters"
        ));
    }
    Ok(())
}

/// Whether `name` is a name the article uses: a whole-word occurrence with its capitals,
/// starting with a capital or digit ("Reuters", not "a" or "the").
fn names(article: &str, name: &str) -> bool {
    let starts_like_a_name = name
        .chars()
        .next()
        .is_some_and(|first| first.is_uppercase() || first.is_ascii_digit());
    let is_word_char = |c: char| c.is_alphanumeric();
    starts_like_a_name
        && name.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        && article.match_indices(name).any(|(start, found)| {
            let before = article[..start].chars().next_back();
            let after = article[start + found.len()..].chars().next();
            !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_say_spaces_as_questions_have_them() {
        assert_eq!(
            spaces_as_the_question_has_them(r"\bwho\s+(\S+\s+)?runs\b"),
            r"\bwho\x20+([^\x20]+\x20+)?runs\b"
        );
        // An escaped backslash is left alone, and so is every other escape.
        assert_eq!(spaces_as_the_question_has_them(r"a\\s\d\."), r"a\\s\d\.");
        let regex = regex::Regex::new(&spaces_as_the_question_has_them(r"\bукраїн\S*\s+\S+"));
        assert!(regex.is_ok_and(|regex| regex.is_match("україни згоду")));
    }

    #[test]
    fn line_of_counts_newlines_before_the_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a", 99), 1);
    }

    #[test]
    fn longest_present_prefix_stops_where_the_quote_differs() {
        assert_eq!(
            longest_present_prefix("the plant’s power", "the plant's power"),
            "the plant"
        );
        assert_eq!(longest_present_prefix("abc", "xyz"), "");
        assert_eq!(longest_present_prefix("abc", "abc"), "abc");
    }

    #[test]
    fn collapse_whitespace_folds_runs_and_trims() {
        assert_eq!(collapse_whitespace("  a \n\t b  "), "a b");
    }

    #[test]
    fn names_are_whole_words_with_their_capitals() {
        let article = "Reuters confirmed it. A report by the Carnegie Endowment.";
        assert!(names(article, "Reuters"));
        assert!(names(article, "Carnegie Endowment"));
        assert!(!names(article, "a"));
        assert!(!names(article, "A"));
        assert!(!names(article, "Reuter"));
        assert!(!names(article, "reuters"));
    }

    #[test]
    fn links_must_work_as_buttons() {
        assert!(check_link("https://ambcrypto.com/a-story/").is_ok());
        assert!(check_link("http://ambcrypto.com/").is_err());
        assert!(check_link("ambcrypto.com/story").is_err());
        assert!(check_link("https://localhost/").is_err());
        assert!(check_link(&format!("https://a.com/{}", "x".repeat(600))).is_err());
    }
}
