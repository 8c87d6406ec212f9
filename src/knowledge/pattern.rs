//! Curators' regexes (a topic's `triggers` and `corrects`): parsed when the answers are
//! loaded, compiled the first time a question could match one.
//!
//! Compiling is what costs: the story's ~190 patterns took 30 ms to compile, most of a
//! `factdesk ask` process, while a question can match only the few whose first words it
//! contains. Loading parses each pattern (every syntax error is still a `check` problem)
//! and keeps the literals a match must begin with; the matcher looks for those in the
//! question and compiles only the patterns it finds there. `factdesk check` and `serve`
//! check that every pattern compiles at start ([`KnowledgeBase::check_patterns`]), so a
//! pattern over the size limit is still reported before any question is asked.
//!
//! [`KnowledgeBase::check_patterns`]: super::KnowledgeBase::check_patterns

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use regex_automata::meta;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

/// Upper bound on a compiled pattern, so that a curator's typo cannot make the bot
/// allocate without limit.
const SIZE_LIMIT: usize = 1 << 20;

/// Literals longer than this are cut: a prefix of the match is all the search needs.
const MAX_PREFIX_BYTES: usize = 12;

/// Prefixes of patterns this build has parsed before, by source (as matched: folded and
/// rewritten), `None` where a pattern has no finite set of prefixes: what a cache gives
/// a one-question process so that it does not parse every pattern again (parsing the
/// story's patterns was 11 of a `factdesk ask`'s 60 ms). Holding a source here vouches
/// that it parsed.
pub type KnownPrefixes = rustc_hash::FxHashMap<String, Option<Vec<Vec<u8>>>>;

/// One curated pattern, as it is matched: accents folded and `\s`, `\S` written as the
/// question's single spaces (see `check`).
#[derive(Debug, Clone)]
pub struct CuratedPattern {
    source: String,
    /// Where the curator wrote it, for a problem found when it is compiled.
    path: PathBuf,
    line: usize,
    /// Literals one of which begins every match; `None` when no finite set says so (then
    /// every question is tried).
    prefixes: Option<Vec<Vec<u8>>>,
    /// What the curator wrote it as ("trigger", "`corrects` pattern"), for that problem.
    what: String,
    /// The compiled regex once a question needed it, or what is wrong with it when it
    /// does not compile within the size limit. Shared by clones (the matcher's copy and
    /// the knowledge base's), so that it is compiled once.
    compiled: Arc<OnceLock<Result<meta::Regex, String>>>,
}

impl CuratedPattern {
    /// Parses `source` (already folded and rewritten). The error is the last line of
    /// regex's own message, which says what is wrong ("error: unclosed group").
    pub(super) fn parse(
        source: String,
        what: &str,
        path: &Path,
        line: usize,
    ) -> Result<Self, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(&source)
            .map_err(|error| what_is_wrong(&error))?;
        let mut extractor = Extractor::new();
        extractor.kind(ExtractKind::Prefix);
        let literals = extractor.extract(&hir);
        let prefixes = literals.literals().and_then(|literals| {
            let prefixes: Vec<Vec<u8>> = literals
                .iter()
                .map(|literal| {
                    let bytes = literal.as_bytes();
                    bytes[..bytes.len().min(MAX_PREFIX_BYTES)].to_vec()
                })
                .collect();
            // An empty literal begins every text: no filter at all.
            (!prefixes.is_empty() && prefixes.iter().all(|prefix| !prefix.is_empty()))
                .then_some(prefixes)
        });
        Ok(CuratedPattern::known(source, prefixes, what, path, line))
    }

    /// The pattern as `parse` would make it from `source`, with the prefixes it found
    /// when this build parsed the same source before (see [`KnownPrefixes`]).
    pub(super) fn known(
        source: String,
        prefixes: Option<Vec<Vec<u8>>>,
        what: &str,
        path: &Path,
        line: usize,
    ) -> Self {
        CuratedPattern {
            source,
            path: path.to_path_buf(),
            line,
            prefixes,
            what: what.to_string(),
            compiled: Arc::default(),
        }
    }

    /// The pattern as it is matched: accents folded, spaces as questions have them.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Literals one of which begins every match, if such a finite set is known.
    pub fn prefixes(&self) -> Option<&[Vec<u8>]> {
        self.prefixes.as_deref()
    }

    /// Whether the pattern matches `text`. A pattern over the size limit matches nothing
    /// (`check` reports it).
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled().is_ok_and(|regex| regex.is_match(text))
    }

    /// Compiles the pattern now if it was not yet, and keeps it: the problem, with where
    /// the curator wrote it, when it does not compile.
    pub(super) fn compile(&self) -> Result<(), super::Problem> {
        match self.compiled() {
            Ok(_) => Ok(()),
            Err(wrong) => Err(self.problem(wrong)),
        }
    }

    /// Whether the pattern compiles within the size limit, without keeping it: a
    /// long-running bot checks every pattern at start and compiles for good only the ones
    /// questions need (all of them, kept, held 20 MB more at a reload).
    pub(super) fn check_compiles(&self) -> Result<(), super::Problem> {
        match self.compiled.get() {
            Some(compiled) => compiled
                .as_ref()
                .map(drop)
                .map_err(|wrong| self.problem(wrong)),
            None => build(&self.source)
                .map(drop)
                .map_err(|wrong| self.problem(&wrong)),
        }
    }

    fn problem(&self, wrong: &str) -> super::Problem {
        super::Problem {
            path: self.path.clone(),
            line: self.line,
            message: format!("{} is not a valid regex: {wrong}", self.what),
        }
    }

    fn compiled(&self) -> Result<&meta::Regex, &String> {
        self.compiled.get_or_init(|| build(&self.source)).as_ref()
    }
}

/// The text patterns are matched against: the question's words, joined by single spaces.
const WORD_SEPARATOR: u8 = b' ';

/// Compiles a pattern within the size limit; the error says what is wrong.
///
/// Patterns are matched against a question's words joined by single spaces (words are
/// runs of letters and digits), so a word boundary is exactly where a word begins or
/// ends: at the start of the text or after a space, at the end or before one. Written
/// that way ([`at_word_edges`]), with the space as the line terminator, it is a
/// multi-line `^` or `$`, which the fast engine (a lazy DFA) runs on any text. A Unicode
/// `\b` as such makes it give up on any non-ASCII byte, leaving Cyrillic questions to
/// the slow engines: 2.9 µs a pattern where English took 1.6.
fn build(source: &str) -> Result<meta::Regex, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .map_err(|error| what_is_wrong(&error))?;
    // As `regex::RegexBuilder` configures it, with the size limit and the separator, and
    // without what only finding where a match is needs: groups, the one-pass engine and
    // a literal search of its own (the prefixes already chose the pattern, and a
    // question's words are short). Compiling every pattern took 47 ms with them, 34
    // without; answers are the same.
    let config = meta::Config::new()
        .nfa_size_limit(Some(SIZE_LIMIT))
        .utf8_empty(true)
        .line_terminator(WORD_SEPARATOR)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
        .onepass(false)
        .auto_prefilter(false);
    meta::Builder::new()
        .configure(config)
        .build_from_hir(&at_word_edges(hir))
        .map_err(|error| match error.size_limit() {
            Some(limit) => format!("Compiled regex exceeds size limit of {limit} bytes."),
            None => what_is_wrong(&error),
        })
}

/// `hir` with each Unicode word boundary written as the edge of a space-separated word
/// (see [`build`]): `\b` as a word's start or end, `\b{start}` and `\b{start-half}` as
/// its start, `\b{end}` and `\b{end-half}` as its end. `\B` and ASCII boundaries stay as
/// they are.
fn at_word_edges(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(Look::WordUnicode) => {
            Hir::alternation(vec![Hir::look(Look::StartLF), Hir::look(Look::EndLF)])
        }
        HirKind::Look(Look::WordStartUnicode | Look::WordStartHalfUnicode) => {
            Hir::look(Look::StartLF)
        }
        HirKind::Look(Look::WordEndUnicode | Look::WordEndHalfUnicode) => Hir::look(Look::EndLF),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(at_word_edges(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(at_word_edges(*capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(at_word_edges).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.into_iter().map(at_word_edges).collect())
        }
    }
}

/// The last line of a regex error: what is wrong ("error: unclosed group", "Compiled
/// regex exceeds size limit of 1048576 bytes."), without the pattern drawn above it.
fn what_is_wrong(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str) -> CuratedPattern {
        CuratedPattern::parse(source.to_string(), "trigger", Path::new("t.toml"), 3)
            .unwrap_or_else(|error| panic!("{source}: {error}"))
    }

    #[test]
    fn the_first_words_of_a_pattern_are_its_prefixes() {
        let pattern = parsed(r"\b(who|how\x20+do\x20+we)\x20+know\b");
        let prefixes = pattern.prefixes().unwrap_or_default();
        assert_eq!(prefixes.len(), 2, "{prefixes:?}");
        assert!(prefixes.iter().any(|prefix| prefix.starts_with(b"who")));
        assert!(prefixes.iter().any(|prefix| prefix.starts_with(b"how")));
        assert!(pattern.is_match("and who know it"));
        assert!(!pattern.is_match("who knows"));
    }

    #[test]
    fn a_word_boundary_is_where_a_word_of_any_script_begins_or_ends() {
        // Questions are matched as their words joined by single spaces.
        let kyiv = parsed(r"\b(київ|kyiv)\b");
        assert!(kyiv.is_match("що каже київ"));
        assert!(kyiv.is_match("київ мовчить"));
        assert!(kyiv.is_match("what does kyiv say"));
        assert!(!kyiv.is_match("київська влада"));
        assert!(!kyiv.is_match("передкиїв"));
        let starts = parsed(r"\bмайн[^\x20]*");
        assert!(starts.is_match("чи вже майнять"));
        assert!(!starts.is_match("чи вже розмайнили"));
        let halves = parsed(r"\b{start}зупин[^\x20]*\x20+\b{start-half}блок\b{end}");
        assert!(halves.is_match("чи зупинили блок"));
        assert!(!halves.is_match("чи зупинили блоки"));
        // Not a boundary, and ASCII boundaries, keep their meaning.
        let inside = parsed(r"\Bмайн");
        assert!(inside.is_match("розмайнили") && !inside.is_match("майнили"));
        assert!(parsed(r"(?-u:\b)kyiv").is_match("in kyiv"));
    }

    proptest::proptest! {
        /// On the text patterns are given (words of letters and digits, one space apart),
        /// the rewritten boundaries match exactly where regex's own Unicode `\b` does.
        #[test]
        fn word_edges_match_as_unicode_word_boundaries_on_question_words(
            words in proptest::collection::vec("[a-cк-мі0-9]{1,5}", 1..6),
            pattern in proptest::sample::select(vec![
                r"\bк", r"к\b", r"\b(a|к)[^\x20]*\x20+\b[bл]", r"(?i)\bab\b",
                r"\b{start}м", r"л\b{end}", r"\b{start-half}і", r"0\b{end-half}",
                r"\x20\b", r"\b\x20", r"^\bа", r"\b$", r"(\bк|1)\b",
            ]),
        ) {
            let text = words.join(" ");
            let expected = regex::Regex::new(pattern).map(|regex| regex.is_match(&text));
            proptest::prop_assert_eq!(Ok(parsed(pattern).is_match(&text)), expected.map_err(|_| ()));
        }
    }

    #[test]
    fn a_pattern_that_can_begin_anywhere_has_no_prefixes() {
        assert!(parsed(r"[^\x20]+\x20+mining").prefixes().is_none());
        assert!(parsed(r"(mining)?").prefixes().is_none());
    }

    #[test]
    fn a_syntax_error_is_found_when_parsing_and_a_size_error_when_compiling() {
        let error = CuratedPattern::parse("(who".to_string(), "trigger", Path::new("t.toml"), 1);
        assert!(error.is_err_and(|error| error == "error: unclosed group"));
        let huge = parsed(r"(\w{200}){200}");
        assert!(!huge.is_match("word"));
        assert!(huge.check_compiles().is_err());
        let problem = huge.compile().err();
        assert!(problem.is_some_and(|problem| problem.line == 3
            && problem.message.starts_with("trigger is not a valid regex")
            && problem.message.contains("exceeds size limit")));
    }
}
