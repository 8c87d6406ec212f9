//! From words to matching terms: typo correction, synonyms, stop words and stemming.
//!
//! The lexicon is built once from the knowledge base and is read-only afterwards, so one
//! instance serves every question from every thread.

use std::collections::{HashMap, HashSet};

// Maps built from the curated files use a fast hash: their keys are the curators' words,
// and a question only looks them up. Sets built from a question's own words keep the
// standard hasher, which an asker cannot make collide.
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::translit;

use super::normalize;
use crate::knowledge::{MIN_WORD_START_CHARS, WORD_START};

/// Words that say nothing about which topic is meant, in English, Ukrainian and Russian,
/// one per line, sorted and normalised (a test keeps it so). Question words (who, why,
/// how, when, where, what) are kept on purpose: "who controls" and "why control" differ.
const STOP_WORDS: &str = include_str!("stop_words.txt");

/// Typo correction is allowed one edit from this many characters, two edits from
/// `TWO_EDITS_FROM`. Shorter words are too easy to turn into other words.
const ONE_EDIT_FROM: usize = 4;
const TWO_EDITS_FROM: usize = 9;

/// At most this many distinct unknown words of one question are looked up for typos;
/// the rest are taken as they are. Real questions have a few; a flood of made-up words
/// then costs a bounded number of look-ups.
pub const MAX_TYPO_LOOKUPS: usize = 24;

/// The most frequent English words (wordfreq 3.1.1, top 6,000, letters only): a word
/// outside this list that no topic uses ("chernobyl") is a strong sign of another subject.
const COMMON_WORDS: &str = include_str!("common_words.txt");

/// The next most frequent English words (ranks 6,001 to 20,000, same source): a word
/// among them that no topic uses ("furious", "headline") is an ordinary word the topics
/// lack, not a sign of another subject. Both lists come from `tools/english_words.py`.
const ORDINARY_WORDS: &str = include_str!("ordinary_words.txt");

/// One matching term of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The stemmed, canonical term.
    pub text: String,
    /// Whether it comes from a common English word that is not a story synonym.
    pub common: bool,
    /// Whether it is an ordinary word (common, or among the next 14,000 English words, or
    /// in another script with no translation) rather than a rare one: an unknown rare word
    /// says the question is about something else, an ordinary one says much less.
    pub ordinary: bool,
}

/// Whether a word typed in Latin letters was read as a Cyrillic one.
fn read_as_cyrillic(typed: &str, read: &str) -> bool {
    typed.is_ascii() && !read.is_ascii()
}

/// `words` with those `read` as Cyrillic replaced by their reading, when at least two
/// are (one word read alone is an English word the lists lack: "legalized" is not
/// "легализед").
fn cyrillic_text(words: Vec<String>, read: &[String], in_cyrillic: usize) -> Vec<String> {
    if in_cyrillic < 2 {
        return words;
    }
    words
        .into_iter()
        .zip(read)
        .map(|(typed, read)| {
            if read_as_cyrillic(&typed, read) {
                read.clone()
            } else {
                typed
            }
        })
        .collect()
}

/// Whether a word is a number ("2025") or an ordinal ("1st", "10th", "22nd").
fn is_a_number(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &word[digits..];
    digits > 0 && ["", "st", "nd", "rd", "th"].contains(&suffix)
}

/// Maps words to matching terms.
pub struct Lexicon {
    /// Stems of every known word, computed once: stemming dominates build time.
    stems: FxHashMap<String, String>,
    common_words: FxHashSet<&'static str>,
    ordinary_words: FxHashSet<&'static str>,
    /// Synonyms and translations: each variant (a word, a phrase or a word-start) to its
    /// term.
    synonyms: Variants,
    /// Names of subjects other than the story ("iran", "north korea", "чорнобил*").
    other_subjects: Variants,
    /// Markers of a question about a thing in general ("in general", "define").
    general_markers: Variants,
    /// Orders to the bot ("ignore previous instructions", "забудь все правила").
    orders: Variants,
    organisation_markers: Variants,
    /// Every word the knowledge base uses; words outside it may be typos.
    known_words: FxHashSet<String>,
    stop_words: FxHashSet<&'static str>,
    /// Words typos are corrected to (ASCII letters, long enough to correct to), sorted.
    fuzzy_words: Vec<String>,
    /// The longest of `fuzzy_words`: a longer word is more than two edits from all of
    /// them, so it is never looked up (and a 1,000-letter word costs nothing).
    longest_fuzzy_word: usize,
    /// The typo index over `fuzzy_words`, built on the first unknown word: most
    /// one-shot terminal questions need none, and building it is most of start-up.
    fuzzy: OnceLock<FuzzyIndex>,
    stemmer: Stemmer,
}

/// The curated word lists a lexicon is built from: synonym groups and translations (each
/// a term with its variants), and the names of other subjects, general markers, orders
/// and organisation markers.
#[derive(Clone, Copy)]
pub struct CuratedWords<'a> {
    pub synonym_groups: &'a [(String, Vec<String>)],
    pub translations: &'a [(String, Vec<String>)],
    pub other_subjects: &'a [String],
    pub general_markers: &'a [String],
    pub orders: &'a [String],
    pub organisation_markers: &'a [String],
}

/// What the lexicon takes from the curated texts and the English word lists.
struct WordsOfTexts {
    /// Every word of the texts.
    words: FxHashSet<String>,
    /// The stem of each of those in ASCII.
    stems: FxHashMap<String, String>,
    common_words: FxHashSet<&'static str>,
    ordinary_words: FxHashSet<&'static str>,
}

impl WordsOfTexts {
    fn of(texts: &[&str]) -> WordsOfTexts {
        let mut words = FxHashSet::default();
        for text in texts {
            words.extend(normalize::words(text));
        }
        let stemmer = Stemmer::create(Algorithm::English);
        let stems = words
            .iter()
            .filter(|word| word.is_ascii())
            .map(|word| (word.clone(), stemmer.stem(word).into_owned()))
            .collect();
        WordsOfTexts {
            words,
            stems,
            common_words: COMMON_WORDS.lines().collect(),
            ordinary_words: ORDINARY_WORDS.lines().collect(),
        }
    }
}

impl Lexicon {
    /// Builds a lexicon from synonym groups, translations (read like synonyms, into the
    /// English term their word stands for) and the texts whose words are "known".
    pub fn new(curated: &CuratedWords<'_>, texts: &[&str]) -> Lexicon {
        // The words of the curated texts, their stems and the English word lists are made
        // on another core while the synonyms and translations are read here: together
        // they were half of building the matcher.
        let (from_texts, (variants, mut known_words, names)) =
            crate::parallel::both(|| WordsOfTexts::of(texts), || Self::variants(curated));
        let [other_subjects, general_markers, orders, organisation_markers] = names;
        let synonyms = variants.sorted();
        let WordsOfTexts {
            words,
            mut stems,
            common_words,
            ordinary_words,
        } = from_texts;
        let stemmer = Stemmer::create(Algorithm::English);
        for word in known_words.iter().chain(synonyms.words.values()) {
            if word.is_ascii() && !stems.contains_key(word) {
                stems.insert(word.clone(), stemmer.stem(word).into_owned());
            }
        }
        known_words.extend(words);
        let stop_words: FxHashSet<&'static str> = STOP_WORDS.lines().collect();
        // Only ASCII words of correctable length: a Ukrainian synonym of 28 bytes is never
        // a correction, so it must not make every 20-letter made-up word worth a look-up.
        let mut fuzzy_words: Vec<String> = known_words
            .iter()
            .filter(|word| {
                !stop_words.contains(word.as_str())
                    && word.len() >= ONE_EDIT_FROM
                    && word.bytes().all(|byte| byte.is_ascii_alphabetic())
            })
            .cloned()
            .collect();
        // Sorted, so that ties are broken the same way on every run.
        fuzzy_words.sort();
        let longest_fuzzy_word = fuzzy_words.iter().map(String::len).max().unwrap_or(0);
        Lexicon {
            stems,
            common_words,
            ordinary_words,
            synonyms,
            other_subjects,
            general_markers,
            orders,
            organisation_markers,
            known_words,
            stop_words,
            fuzzy_words,
            longest_fuzzy_word,
            fuzzy: OnceLock::new(),
            stemmer,
        }
    }

    /// The synonyms and translations as variants of their terms, the words they make
    /// known, and the other subjects', general markers', orders' and organisation
    /// markers' variants, in that order.
    fn variants(curated: &CuratedWords<'_>) -> (Variants, FxHashSet<String>, [Variants; 4]) {
        let CuratedWords {
            synonym_groups,
            translations,
            other_subjects,
            general_markers,
            orders,
            organisation_markers,
        } = *curated;
        let mut variants = Variants::default();
        let mut known_words = FxHashSet::default();
        for (term, group) in synonym_groups {
            let term_words = normalize::words(term).join(" ");
            known_words.extend(normalize::words(term));
            for variant in group {
                if variant.ends_with(WORD_START) {
                    variants.add_word_start(variant, &term_words);
                } else {
                    let variant_words = normalize::words(variant);
                    known_words.extend(variant_words.iter().cloned());
                    variants.add(variant_words, &term_words);
                }
            }
        }
        // A translation into a synonym ("угода" -> "deal") goes on to the synonym's term;
        // into a phrase no synonym has ("енергетична безпека" -> "energy security"), to
        // the terms of its words ("electricity security"), each read as a term of its own.
        for (english, group) in translations {
            let english_words = normalize::words(english);
            let term = match variants.exact(&english_words) {
                Some(term) => term.to_string(),
                None => english_words
                    .iter()
                    .map(|word| variants.exact(std::slice::from_ref(word)).unwrap_or(word))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            for variant in group {
                if variant.ends_with(WORD_START) {
                    variants.add_word_start(variant, &term);
                } else {
                    // Known, so that a Latin-typed word of a phrase ("samaya bolshaya")
                    // is read back into it.
                    let variant_words = normalize::words(variant);
                    known_words.extend(variant_words.iter().cloned());
                    variants.add(variant_words, &term);
                }
            }
        }
        let names = [
            Variants::of_names(other_subjects),
            Variants::of_names(general_markers),
            Variants::of_names(orders),
            Variants::of_names(organisation_markers),
        ];
        (variants, known_words, names)
    }

    /// Whether the typo index over the known words has been built.
    pub fn typo_index_built(&self) -> bool {
        self.fuzzy.get().is_some()
    }

    /// The matching terms of a curated text: typos corrected, synonyms applied, stop
    /// words dropped, stemmed, each term once, in order of first appearance.
    pub fn terms(&self, text: &str) -> Vec<Term> {
        self.terms_of_words(&normalize::words(text), &mut TypoBudget::unlimited())
    }

    /// Like [`Lexicon::terms`], with Latin-typed Cyrillic and digits for letters read,
    /// but no typo corrected: for the asked questions (see [`TypoBudget::readings_only`]).
    pub fn terms_without_typo_correction(&self, text: &str) -> Vec<Term> {
        self.terms_of_words(&normalize::words(text), &mut TypoBudget::readings_only())
    }

    /// The matching terms of already normalised words (see [`normalize::words`]). Typo
    /// look-ups are drawn from `budget`, which one question shares across its sentences.
    pub fn terms_of_words(&self, words: &[String], budget: &mut TypoBudget) -> Vec<Term> {
        let (read, in_cyrillic) = self.read_words(words, budget);
        self.terms_of_read_words(read, in_cyrillic > 0)
    }

    /// [`Lexicon::terms_of_words`], and the words with each Latin-typed Ukrainian or
    /// Russian word as the Cyrillic word it stands for ("ukraina ce pidpysala" is "украина
    /// це підписала"), the others as they are: what curated triggers and markers, written
    /// in Cyrillic, are matched against. One word read alone is an English word the lists
    /// lack ("legalized" is not "легализед"): the text is read only when two of its words
    /// are.
    pub fn terms_and_cyrillic_text(
        &self,
        words: Vec<String>,
        budget: &mut TypoBudget,
    ) -> (Vec<Term>, Vec<String>) {
        let (read, in_cyrillic) = self.read_words(&words, budget);
        let text = cyrillic_text(words, &read, in_cyrillic);
        (self.terms_of_read_words(read, in_cyrillic > 0), text)
    }

    /// Already normalised words with each Latin-typed Ukrainian or Russian word as the
    /// Cyrillic word it stands for, as [`Lexicon::terms_and_cyrillic_text`] reads them but
    /// without typo correction: what the embedding table is given, since its Cyrillic
    /// pieces know "сейчас" and its Latin ones know nothing of "seichas".
    pub fn words_read_as_cyrillic(&self, words: Vec<String>) -> Vec<String> {
        let (read, in_cyrillic) = self.read_words(&words, &mut TypoBudget::readings_only());
        cyrillic_text(words, &read, in_cyrillic)
    }

    /// Each word as it is read (Latin-typed Cyrillic as Cyrillic, digits typed for letters
    /// as the word, a typo as the known word, within `budget`; bare numbers as they are),
    /// and how many were read as Cyrillic.
    fn read_words(&self, words: &[String], budget: &mut TypoBudget) -> (Vec<String>, usize) {
        let read: Vec<String> = words
            .iter()
            .map(|word| {
                if is_a_number(word) {
                    word.clone()
                } else {
                    self.correct(word, budget)
                }
            })
            .collect();
        let in_cyrillic = words
            .iter()
            .zip(&read)
            .filter(|(typed, read)| read_as_cyrillic(typed, read))
            .count();
        (read, in_cyrillic)
    }

    /// The matching terms of words as read (see [`Lexicon::read_words`]). In Ukrainian or
    /// Russian typed in Latin letters (`latin_typed_cyrillic`: "kyiv vzahali shchos
    /// zaiavyv"), the unknown words are inflections and fillers the readings missed, as
    /// unknown Cyrillic words are, not rare English words naming another subject.
    fn terms_of_read_words(&self, read: Vec<String>, latin_typed_cyrillic: bool) -> Vec<Term> {
        // Bare numbers ("2025", "100") and ordinals ("10th") say nothing about which
        // topic is meant; a word is read as one only if it was typed as one.
        let words: Vec<String> = read.into_iter().filter(|word| !is_a_number(word)).collect();
        let mut terms: Vec<Term> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut index = 0;
        while index < words.len() {
            let (terms_here, consumed) = self.synonym_at(&words[index..]);
            let word = &words[index];
            index += consumed;
            // A translated phrase stands for several terms, each read on its own.
            for term in terms_here.split(' ') {
                // A synonym is a story word however common it is in English ("power").
                let unmapped = term == word;
                let common = unmapped && self.common_words.contains(term);
                // A word outside English that nothing translates is most often an
                // inflection or a filler word the lexicon lacks, not a sign of another
                // subject ("chernobyl").
                let ordinary = unmapped
                    && (common
                        || self.ordinary_words.contains(term)
                        || !term.is_ascii()
                        || latin_typed_cyrillic);
                if self.stop_words.contains(term) {
                    continue;
                }
                let stemmed = match self.stems.get(term) {
                    Some(stem) => stem.clone(),
                    None => self.stemmer.stem(term).into_owned(),
                };
                // A question has a handful of terms, where a scan beats hashing; a flood of
                // words switches to the set, so dedup stays linear.
                let new = if terms.len() < DEDUP_SCAN_UP_TO {
                    !terms.iter().any(|seen| seen.text == stemmed)
                } else {
                    if seen.is_empty() {
                        seen.extend(terms.iter().map(|term| term.text.clone()));
                    }
                    seen.insert(stemmed.clone())
                };
                if new {
                    terms.push(Term {
                        text: stemmed,
                        common,
                        ordinary,
                    });
                }
            }
        }
        terms
    }

    /// The word itself if known or short; otherwise the closest known word within the
    /// allowed edits, or the word unchanged if there is none or the budget is spent.
    fn correct(&self, word: &str, budget: &mut TypoBudget) -> String {
        // An English word is a word, not a typo: "home" must not become "come", nor
        // "rust" "rest".
        if self.is_a_word(word)
            || self.ordinary_words.contains(word)
            || word.len() > self.longest_fuzzy_word + TWO_EDITS
        {
            return word.to_string();
        }
        if let Some(corrected) = budget.seen.get(word) {
            return corrected.clone();
        }
        if budget.seen.len() >= budget.limit {
            return word.to_string();
        }
        let corrected = match self
            .cyrillic_reading(word)
            .or_else(|| self.leet_reading(word))
        {
            Some(reading) => reading,
            None if !budget.fuzzy => word.to_string(),
            None => {
                let fuzzy = self
                    .fuzzy
                    .get_or_init(|| FuzzyIndex::new(&self.fuzzy_words));
                fuzzy.closest(word).unwrap_or(word).to_string()
            }
        };
        budget.seen.insert(word.to_string(), corrected.clone());
        corrected
    }

    /// The word that digits typed for letters stand for ("r3p0rt3d" is "reported", "th1s"
    /// is "this"), when the lexicon knows it: "s19" or "co2" stay as they are.
    fn leet_reading(&self, word: &str) -> Option<String> {
        if !word.bytes().any(|byte| byte.is_ascii_digit())
            || !word.bytes().any(|byte| byte.is_ascii_alphabetic())
        {
            return None;
        }
        let reading: String = word
            .chars()
            .map(|character| match character {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' => 's',
                '7' => 't',
                other => other,
            })
            .collect();
        self.is_a_word(&reading).then_some(reading)
    }

    /// Whether the answers use the word, or it is a stop word or a common English word.
    fn is_a_word(&self, word: &str) -> bool {
        self.known_words.contains(word)
            || self.stop_words.contains(word)
            || self.common_words.contains(word)
    }

    /// The Cyrillic word that a Latin-typed Ukrainian or Russian word stands for
    /// ("statya" is "статья"), when the lexicon knows it.
    fn cyrillic_reading(&self, word: &str) -> Option<String> {
        // A short word only as a filler ("nu", "ne", "na", "zh"): as a word it matches too
        // much.
        if word.len() < MIN_TRANSLITERATED_LETTERS {
            return translit::readings(word).into_iter().find(|reading| {
                reading.chars().count() == 1 || self.stop_words.contains(reading.as_str())
            });
        }
        // A stop word too: "seichas", "vobshche" are dropped as "сейчас" and "вообще" are,
        // instead of weighing as rare unknown words.
        translit::readings(word).into_iter().find(|reading| {
            self.known_words.contains(reading)
                || self.stop_words.contains(reading.as_str())
                || self.synonyms.words.contains_key(reading)
                || self.synonyms.word_start_term(reading).is_some()
        })
    }

    /// The synonym term starting at the first word, and how many words it spans.
    fn synonym_at<'w>(&'w self, words: &'w [String]) -> (&'w str, usize) {
        self.synonyms
            .named_at(words)
            .unwrap_or((words[0].as_str(), 1))
    }

    /// The first subject other than the story that the words name, if any.
    pub fn other_subject(&self, words: &[String]) -> Option<&str> {
        self.other_subjects.first_named(words)
    }

    /// The first marker of a question about a thing in general ("in general", "define")
    /// that the words use, if any.
    pub fn general_marker(&self, words: &[String]) -> Option<&str> {
        self.general_markers.first_named(words)
    }

    /// The first order to the bot that the words give, if any.
    pub fn order(&self, words: &[String]) -> Option<&str> {
        self.orders.first_named(words)
    }

    /// The first marker of a question about an organisation as such ("owns", "budget")
    /// that the words use, if any.
    pub fn organisation_marker(&self, words: &[String]) -> Option<&str> {
        self.organisation_markers.first_named(words)
    }
}

/// The term of the longest word-start variant in `word_starts` that begins `word`.
/// The first [`MIN_WORD_START_CHARS`] characters of a word: how word-start variants are
/// found. `None` for a shorter word, which no such variant can begin.
fn word_start_key(word: &str) -> Option<&str> {
    let (end, _) = word.char_indices().nth(MIN_WORD_START_CHARS - 1)?;
    let end = end + word[end..].chars().next()?.len_utf8();
    Some(&word[..end])
}

/// Variants (words, phrases and `stem*` word-starts), each standing for a term: the
/// synonyms and translations, or names that stand for themselves (other subjects,
/// general markers, orders).
#[derive(Default)]
struct Variants {
    /// Single words: variant -> term.
    words: FxHashMap<String, String>,
    /// Phrases, keyed by their first word, longest first.
    phrases: FxHashMap<String, Vec<(Vec<String>, String)>>,
    /// Word-starts ("суверенітет*" -> stem, term), keyed by the stem's first
    /// [`MIN_WORD_START_CHARS`] characters, longest stem first: one hash probe a word.
    word_starts: FxHashMap<String, Vec<(String, String)>>,
}

impl Variants {
    /// Names (words, phrases and `stem*` word-starts), each standing for itself.
    fn of_names(names: &[String]) -> Variants {
        let mut variants = Variants::default();
        for name in names {
            if name.ends_with(WORD_START) {
                variants.add_word_start(name, name);
            } else {
                variants.add(normalize::words(name), name);
            }
        }
        variants.sorted()
    }

    /// The first name that the words use, if any.
    fn first_named(&self, words: &[String]) -> Option<&str> {
        (0..words.len()).find_map(|index| self.named_at(&words[index..]).map(|(term, _)| term))
    }

    /// The term of the variant the words begin with, and how many words it spans: the
    /// longest phrase, else the first word, else the longest word-start of it.
    fn named_at(&self, words: &[String]) -> Option<(&str, usize)> {
        let first = words.first()?;
        self.phrases
            .get(first)
            .and_then(|candidates| {
                candidates
                    .iter()
                    .find(|(phrase, _)| words.starts_with(phrase))
                    .map(|(phrase, term)| (term.as_str(), phrase.len()))
            })
            .or_else(|| self.words.get(first).map(|term| (term.as_str(), 1)))
            .or_else(|| self.word_start_term(first).map(|term| (term, 1)))
    }

    /// The term of the longest word-start variant that begins `word`, if any.
    fn word_start_term(&self, word: &str) -> Option<&str> {
        let key = word_start_key(word)?;
        self.word_starts
            .get(key)?
            .iter()
            .find(|(stem, _)| word.starts_with(stem.as_str()))
            .map(|(_, term)| term.as_str())
    }

    /// A variant of one or more normalised words.
    fn add(&mut self, mut words: Vec<String>, term: &str) {
        if words.len() == 1 {
            if let Some(word) = words.pop() {
                self.words.insert(word, term.to_string());
            }
        } else if let Some(first) = words.first().cloned() {
            self.phrases
                .entry(first)
                .or_default()
                .push((words, term.to_string()));
        }
    }

    /// A variant "stem*". `check` refuses anything but one word of enough letters; should
    /// one get here anyway, it is skipped rather than made to catch every word.
    fn add_word_start(&mut self, variant: &str, term: &str) {
        let stem = normalize::words(variant.trim_end_matches(WORD_START));
        if let [stem] = stem.as_slice() {
            if let Some(key) = word_start_key(stem) {
                self.word_starts
                    .entry(key.to_string())
                    .or_default()
                    .push((stem.clone(), term.to_string()));
            }
        }
    }

    /// The variants ready for look-ups: phrases and word starts longest first (so "nuclear
    /// power plant" wins over "nuclear plant", and "станці*" over a stem it extends), then
    /// by text, so the order never depends on hashing.
    fn sorted(mut self) -> Variants {
        for candidates in self.phrases.values_mut() {
            candidates
                .sort_by(|left, right| right.0.len().cmp(&left.0.len()).then(left.0.cmp(&right.0)));
        }
        for candidates in self.word_starts.values_mut() {
            candidates
                .sort_by(|left, right| right.0.len().cmp(&left.0.len()).then(left.0.cmp(&right.0)));
        }
        self
    }

    /// The term of a variant written exactly as `words`, if there is one.
    fn exact(&self, words: &[String]) -> Option<&str> {
        match words {
            [] => None,
            [word] => self.words.get(word).map(String::as_str),
            [first, ..] => self
                .phrases
                .get(first)?
                .iter()
                .find(|(phrase, _)| phrase == words)
                .map(|(_, term)| term.as_str()),
        }
    }
}

/// The typo look-ups one question may still make, and what its earlier look-ups found:
/// a word repeated across a message's sentences is looked up once.
#[derive(Debug)]
pub struct TypoBudget {
    seen: HashMap<String, String>,
    limit: usize,
    /// Whether unknown words are corrected to the closest known word (the symmetric-delete
    /// index is built on the first correction), or only read (Latin-typed Cyrillic, digits
    /// for letters).
    fuzzy: bool,
}

impl TypoBudget {
    /// The budget of one question: [`MAX_TYPO_LOOKUPS`] distinct words.
    pub fn for_question() -> TypoBudget {
        TypoBudget {
            seen: HashMap::new(),
            limit: MAX_TYPO_LOOKUPS,
            fuzzy: true,
        }
    }

    /// No limit, for the curated texts read at start (their size is bounded by `check`).
    fn unlimited() -> TypoBudget {
        TypoBudget {
            seen: HashMap::new(),
            limit: usize::MAX,
            fuzzy: true,
        }
    }

    /// No limit, and readings only: for the thousands of asked questions indexed at
    /// start, whose typos would build the typo index (megabytes) in every process.
    fn readings_only() -> TypoBudget {
        TypoBudget {
            seen: HashMap::new(),
            limit: usize::MAX,
            fuzzy: false,
        }
    }
}

/// Shorter Latin words ("im", "po") are read only as fillers: as words they match too much.
const MIN_TRANSLITERATED_LETTERS: usize = 3;

/// Terms are deduplicated by a scan up to this many, by a hash set beyond.
const DEDUP_SCAN_UP_TO: usize = 32;

/// The most edits a typo may be from the word it is corrected to.
const TWO_EDITS: usize = 2;

/// Symmetric-delete index for typo correction: a word and a typo of it share a string
/// obtained by deleting at most the allowed number of characters from each, so lookups
/// are a handful of binary searches instead of a scan of the vocabulary.
///
/// The deletions are kept as their hashes beside the word they come from, in one sorted
/// array: a map from each deletion string to its words took 4.7 MB a desk, twice that
/// while `serve` reloads. A hash shared by chance only offers one more candidate, which
/// the edit distance then rejects.
struct FuzzyIndex {
    words: Vec<String>,
    /// (hash of a deletion, id of a word it comes from), sorted and without repeats.
    deletes: Vec<(u64, u32)>,
}

impl FuzzyIndex {
    /// An index over `words`: ASCII letters, at least [`ONE_EDIT_FROM`] long, sorted.
    fn new(words: &[String]) -> FuzzyIndex {
        let sorted = words.to_vec();
        let mut deletes: Vec<(u64, u32)> = Vec::new();
        for (id, word) in sorted.iter().enumerate() {
            let id = id as u32;
            deletes.extend(
                deletions(word, allowed_edits(word.len()))
                    .iter()
                    .map(|variant| (deletion_hash(variant), id)),
            );
        }
        deletes.sort_unstable();
        deletes.dedup();
        deletes.shrink_to_fit();
        FuzzyIndex {
            words: sorted,
            deletes,
        }
    }

    fn closest(&self, word: &str) -> Option<&str> {
        if !word.is_ascii()
            || word.len() < ONE_EDIT_FROM
            || word.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let limit = allowed_edits(word.len());
        let mut best: Option<(usize, usize, &str)> = None;
        for variant in deletions(word, limit) {
            let hash = deletion_hash(&variant);
            let start = self.deletes.partition_point(|&(other, _)| other < hash);
            let same = self.deletes[start..]
                .iter()
                .take_while(|&&(other, _)| other == hash);
            for &(_, id) in same {
                let candidate = self.words[id as usize].as_str();
                let distance = edit_distance(word, candidate);
                if distance > limit.min(allowed_edits(candidate.len())) {
                    continue;
                }
                let key = (distance, candidate.len().abs_diff(word.len()), candidate);
                if best.is_none_or(|current| key < current) {
                    best = Some(key);
                }
            }
        }
        best.map(|(_, _, candidate)| candidate)
    }
}

/// The hash a deletion is indexed by (see [`FuzzyIndex`]).
fn deletion_hash(variant: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    variant.hash(&mut hasher);
    hasher.finish()
}

fn allowed_edits(length: usize) -> usize {
    if length >= TWO_EDITS_FROM {
        TWO_EDITS
    } else if length >= ONE_EDIT_FROM {
        1
    } else {
        0
    }
}

/// The word and every distinct string made by deleting up to `edits` characters from it.
/// Callers pass words of at most a few dozen ASCII letters, so this is at most a few
/// hundred short strings.
fn deletions(word: &str, edits: usize) -> Vec<String> {
    let mut all: Vec<String> = vec![word.to_string()];
    let mut seen: HashSet<String> = HashSet::from([word.to_string()]);
    let mut frontier = vec![word.to_string()];
    for _ in 0..edits {
        let mut next = Vec::new();
        for current in &frontier {
            for index in 0..current.len() {
                let mut shorter = current.clone();
                shorter.remove(index);
                if seen.insert(shorter.clone()) {
                    next.push(shorter);
                }
            }
        }
        all.extend(next.iter().cloned());
        frontier = next;
    }
    all
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// adjacent characters each cost one.
fn edit_distance(left: &str, right: &str) -> usize {
    strsim::osa_distance(left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let groups = vec![
            (
                "znpp".to_string(),
                vec!["zaporizhzhia".to_string(), "nuclear plant".to_string()],
            ),
            ("mining".to_string(), vec!["miners".to_string()]),
            ("hashrate mining".to_string(), vec!["hash rate".to_string()]),
        ];
        let translations = vec![
            ("sovereignty".to_string(), vec!["суверенітет*".to_string()]),
            (
                "nuclear plant".to_string(),
                vec!["атомна станція".to_string()],
            ),
            (
                "controls".to_string(),
                vec!["контрол*".to_string(), "контролює".to_string()],
            ),
            (
                "miners power".to_string(),
                vec!["енергомайнінг".to_string()],
            ),
        ];
        let other_subjects = [
            "iran".to_string(),
            "north korea".to_string(),
            "чорнобил*".to_string(),
        ];
        let curated = CuratedWords {
            synonym_groups: &groups,
            translations: &translations,
            other_subjects: &other_subjects,
            general_markers: &["in general".to_string(), "реферат*".to_string()],
            orders: &["ignore previous instructions".to_string()],
            organisation_markers: &["owns".to_string(), "принадлеж*".to_string()],
        };
        Lexicon::new(
            &curated,
            &[
                "who controls the mining at the plant",
                "bitcoin sovereignty",
            ],
        )
    }

    #[test]
    fn the_stop_word_list_is_sorted_lowercase_and_without_duplicates() {
        let words: Vec<&str> = STOP_WORDS.lines().collect();
        assert!(
            words.windows(2).all(|pair| pair[0] < pair[1]),
            "sort and dedup stop_words.txt"
        );
        // As `normalize::words` leaves them: lowercase letters, accents and marks dropped
        // (Ukrainian "який" is "якии" here, Russian "ещё" is "еще").
        // One-letter words ("a", "i") never reach the list's look-up; they stay for clarity.
        for word in words.iter().filter(|word| word.chars().count() > 1) {
            assert_eq!(
                normalize::words(word),
                [word.to_string()],
                "{word:?} is not normalised"
            );
        }
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("bitcoin", "bitcion"), 1);
        assert_eq!(edit_distance("mining", "minig"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    impl Lexicon {
        fn texts(&self, text: &str) -> Vec<String> {
            self.terms(text).into_iter().map(|term| term.text).collect()
        }
    }

    #[test]
    fn common_words_are_flagged_unless_they_are_synonyms() {
        let lexicon = lexicon();
        let terms = lexicon.terms("trophy chernobyl nuclear plant");
        let flags: Vec<(&str, bool)> = terms
            .iter()
            .map(|term| (term.text.as_str(), term.common))
            .collect();
        assert_eq!(
            flags,
            [("trophi", true), ("chernobyl", false), ("znpp", false)]
        );
    }

    #[test]
    fn numbers_and_ordinals_are_no_terms() {
        let lexicon = lexicon();
        assert_eq!(
            lexicon.texts("for the 10th time 2025 1st 22nd miners s19"),
            ["time", "mine", "s19"]
        );
    }

    #[test]
    fn terms_apply_phrases_synonyms_and_stems() {
        let lexicon = lexicon();
        assert_eq!(
            lexicon.texts("Who controls the Nuclear Plant?"),
            ["who", "control", "znpp"]
        );
        assert_eq!(lexicon.texts("are the miners there"), ["mine"]);
        // A term of several words stands for each of them.
        assert_eq!(lexicon.texts("what hash rate"), ["what", "hashrat", "mine"]);
    }

    #[test]
    fn translations_reach_the_english_term_and_word_starts_cover_inflections() {
        let lexicon = lexicon();
        // "атомна станція" stands for "nuclear plant", itself a synonym of `znpp`;
        // "суверенітету" is caught by "суверенітет*"; an exact form and a stem agree.
        assert_eq!(
            lexicon.texts("Хто контролює атомна станція? Суверенітету кінець"),
            ["control", "znpp", "sovereignti", "кінець"]
        );
        assert_eq!(lexicon.texts("контролюють"), ["control"]);
        // A phrase no synonym has stands for the terms of its words.
        assert_eq!(lexicon.texts("енергомайнінг"), ["mine", "power"]);
        // A word shorter than any stem, or one that only shares the stem's start, stays.
        assert_eq!(lexicon.texts("суве суверен"), ["суве", "суверен"]);
    }

    #[test]
    fn other_subjects_are_found_as_words_phrases_and_word_starts() {
        let lexicon = lexicon();
        let other = |text: &str| {
            lexicon
                .other_subject(&normalize::words(text))
                .map(String::from)
        };
        assert_eq!(
            other("what is the IAEA doing in Iran?"),
            Some("iran".into())
        );
        assert_eq!(other("and North  Korea"), Some("north korea".into()));
        assert_eq!(other("а як же Чорнобиль"), Some("чорнобил*".into()));
        assert_eq!(other("iranian korea north"), None);
    }

    #[test]
    fn general_markers_are_found_like_other_subjects() {
        let lexicon = lexicon();
        let marker = |text: &str| {
            lexicon
                .general_marker(&normalize::words(text))
                .map(String::from)
        };
        assert_eq!(
            marker("what is a backchannel, in general?"),
            Some("in general".into())
        );
        assert_eq!(
            marker("що таке суверенітет, для реферату"),
            Some("реферат*".into())
        );
        assert_eq!(marker("what in the general assembly"), None);
        let organisation = |text: &str| {
            lexicon
                .organisation_marker(&normalize::words(text))
                .map(String::from)
        };
        assert_eq!(organisation("who owns reuters"), Some("owns".into()));
        assert_eq!(
            organisation("Reuters кому принадлежит"),
            Some("принадлеж*".into())
        );
        assert_eq!(organisation("who owned the plant before"), None);
    }

    #[test]
    fn typos_are_corrected_to_known_words() {
        let lexicon = lexicon();
        assert_eq!(lexicon.texts("bitcion minig"), ["bitcoin", "mine"]);
        assert_eq!(lexicon.texts("soverignity"), ["sovereignti"]);
        assert_eq!(lexicon.texts("zaporizhzia"), ["znpp"]);
    }

    #[test]
    fn short_or_unknown_words_are_left_alone() {
        let lexicon = lexicon();
        assert_eq!(lexicon.texts("fusion fees"), ["fusion", "fee"]);
    }
}
