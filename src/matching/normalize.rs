//! Turning raw chat text into plain lowercase words.
//!
//! Owns Discord markup stripping, Unicode folding and word splitting. It knows nothing of
//! topics or synonyms: the same function runs over curated questions and over what
//! people type, so the two always agree.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Discord markup that carries no words: mentions, custom emoji, timestamps, command
/// mentions, links and code fences. Bold, italics, spoilers and quotes need no rule:
/// their marker characters are not letters, so word splitting drops them.
static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    // The pattern is a literal that is tested below; it cannot fail to compile. It is
    // ASCII at its word boundaries and digits: a Unicode `\b` keeps the regex engine off
    // its fast automaton for any text with a non-ASCII letter, and that cost every
    // Cyrillic question (and start-up, over the curated texts) several times over.
    #[allow(clippy::expect_used)]
    Regex::new(
        r"(?x)
          <a?:[A-Za-z0-9_~]+:[0-9]+>      # custom emoji
        | <@[!&]?[0-9]+>                  # user and role mentions
        | <\#[0-9]+>                      # channel mentions
        | <t:-?[0-9]+(?::[A-Za-z])?>      # timestamps
        | </[^<>:]{1,64}:[0-9]+>          # slash-command mentions
        | <id:[a-z]+>                  # server guide links
        | https?://[^\s<>]+            # links
        | ```[A-Za-z0-9_+\-]*          # code fences, with their language tag
        | @everyone | @here
        | \#(?:general|announcements|news|random|off-?topic|chat|memes|rules|welcome)(?-u:\b)  # channels named as typed: posted in #general
        | (?-u:\b)[Uu]\.[\ ]?[Ss]\.?(?:[\ ]?[Aa](?-u:\b)\.?)?  # U.S. / U.S.A. (a lone `s` would be dropped)
        | (?-u:\b)(?:[A-Za-z][.\-_*]){2,}[A-Za-z](?-u:\b)[.\-_*]?  # s.p.e.l.l.e.d out
        | (?-u:\b)[A-Za-z](?:\x20[A-Za-z]){2,}(?-u:\b)  # s p a c e d out
        ",
    )
    .expect("the markup pattern is a valid regex")
});

/// Longest word kept, in bytes: no word of any language the story is asked about comes
/// close, and a made-up word of any length then costs the same as one of this length.
pub const MAX_WORD_BYTES: usize = 48;

/// Splits text into lowercase words with Discord markup removed and accents folded.
///
/// Words are maximal runs of letters and digits; single characters are dropped, except
/// that "U.S." becomes the word `usa` so it survives. Combining marks are dropped
/// wherever they are, so accents typed as separate marks and "Zalgo" text stay one word.
/// Longer words are cut to [`MAX_WORD_BYTES`].
pub fn words(text: &str) -> Vec<String> {
    words_without_markup(&without_markup(text))
}

/// [`words`] of a text [`without_markup`] already: a question is cleaned once, before it
/// is cut into sentences, not again for each sentence.
pub fn words_without_markup(cleaned: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut characters = cleaned.chars().peekable();
    while let Some(character) = characters.next() {
        // Ukrainian writes an apostrophe inside words ("комп'ютер", "об’єкт"): there it is
        // part of the word, which is read without it, as the lexicon lists it.
        if is_apostrophe(character)
            && word.chars().next_back().is_some_and(is_cyrillic)
            && characters.peek().is_some_and(|next| is_cyrillic(*next))
        {
            continue;
        }
        // So do Ukrainian and Russian typed in Latin letters ("naibil'sha", "ob'yasnite"),
        // where English keeps its apostrophes for endings of one or two letters ("what's",
        // "don't", "we're"): an apostrophe followed by three letters or more is inside a
        // word.
        if is_apostrophe(character)
            && word
                .chars()
                .next_back()
                .is_some_and(|last| last.is_ascii_alphabetic())
            && characters
                .clone()
                .take(3)
                .filter(char::is_ascii_alphabetic)
                .count()
                == 3
        {
            continue;
        }
        if character.is_ascii() {
            if character.is_ascii_alphanumeric() {
                if word.len() < MAX_WORD_BYTES {
                    word.push(character.to_ascii_lowercase());
                }
            } else {
                finish_word(&mut word, &mut words);
            }
        } else if let Some(lowercase) = plain_cyrillic_lowercase(character) {
            if word.len() < MAX_WORD_BYTES {
                word.push(lowercase);
            }
        } else if is_combining_mark(character) || is_invisible(character) {
            // A mark belongs to the letter before it: dropping it (rather than ending
            // the word) keeps "Zapori\u{30c}z\u{30c}z\u{30c}ja" and Zalgo text whole.
            // Invisible characters inside a word ("con\u{200b}trols") are dropped the
            // same way: they hide a word from a matcher, not from a reader.
            continue;
        } else if character.is_alphanumeric() {
            push_folded(character, &mut word);
        } else {
            finish_word(&mut word, &mut words);
        }
    }
    finish_word(&mut word, &mut words);
    words
}

/// The apostrophes people type: ASCII, the typographic one and the modifier letter
/// Ukrainian keyboards give.
fn is_apostrophe(character: char) -> bool {
    matches!(character, '\'' | '\u{2019}' | '\u{02bc}' | '`')
}

fn is_cyrillic(character: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&character)
}

/// Appends a letter or digit outside ASCII to `word`, folded: accents ("Zaporižžja" ->
/// "zaporizzja") and compatibility forms. Compatibility forms may decompose into
/// non-letters ("¼" is "1⁄4"): only the letters and digits are kept.
fn push_folded(character: char, word: &mut String) {
    if let Some(letter) = small_capital(character) {
        if word.len() < MAX_WORD_BYTES {
            word.push(letter);
        }
        return;
    }
    for folded in character
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && c.is_alphanumeric())
    {
        if word.len() < MAX_WORD_BYTES {
            // Letter-like symbols with no lowercase ("🅐", "🄰") stay uppercase when
            // lowercased: they are decoration, not letters of a word, so they go.
            word.extend(folded.to_lowercase().filter(|c| !c.is_uppercase()));
        }
    }
}

/// The Latin letter a small capital stands for: "ᴡʜʏ ɪs ᴜᴋʀᴀɪɴᴇ ɴᴏᴛ ɪɴ ᴛʜᴇ ᴛᴀʟᴋs" is typed with
/// the phonetic letters font generators use, which Unicode does not decompose (as it does
/// "𝐰𝐡𝐲" and "ｗｈｙ"). There is no small capital Q or X: generators use "ǫ" and "x".
fn small_capital(character: char) -> Option<char> {
    const SMALL_CAPITALS: [(char, char); 25] = [
        ('ᴀ', 'a'),
        ('ʙ', 'b'),
        ('ᴄ', 'c'),
        ('ᴅ', 'd'),
        ('ᴇ', 'e'),
        ('ꜰ', 'f'),
        ('ɢ', 'g'),
        ('ʜ', 'h'),
        ('ɪ', 'i'),
        ('ᴊ', 'j'),
        ('ᴋ', 'k'),
        ('ʟ', 'l'),
        ('ᴍ', 'm'),
        ('ɴ', 'n'),
        ('ᴏ', 'o'),
        ('ᴘ', 'p'),
        ('ǫ', 'q'),
        ('ʀ', 'r'),
        ('ꜱ', 's'),
        ('ᴛ', 't'),
        ('ᴜ', 'u'),
        ('ᴠ', 'v'),
        ('ᴡ', 'w'),
        ('ʏ', 'y'),
        ('ᴢ', 'z'),
    ];
    SMALL_CAPITALS
        .iter()
        .find_map(|&(small, letter)| (small == character).then_some(letter))
}

/// The lowercase of a Russian or Ukrainian letter of the basic alphabet (А to я) that
/// has nothing to fold, which is what [`push_folded`] makes of it: most text the bot
/// reads outside ASCII is these letters, and Unicode's general tables were a tenth of
/// loading the answers. Й and й are left to the general path, which folds them to И/и
/// (they decompose into it and a breve).
fn plain_cyrillic_lowercase(character: char) -> Option<char> {
    match character {
        'Й' | 'й' => None,
        'А'..='Я' => char::from_u32(u32::from(character) + 0x20),
        'а'..='я' => Some(character),
        _ => None,
    }
}

/// The text with Discord markup that carries no words removed (see [`words`]). Sentences
/// are split after this, so that the dots of a link or of "U.S." end no sentence.
pub fn without_markup(text: &str) -> std::borrow::Cow<'_, str> {
    // Every markup rule needs one of these characters; most curated texts have none, and
    // then the regex is not run at all.
    let cleaned = if text.contains(['<', '@', ':', '`', '.', '-', '_', '*', '#'])
        || has_spaced_letters(text)
    {
        MARKUP.replace_all(text, |captures: &regex::Captures<'_>| {
            let matched = &captures[0];
            // The two rules that begin with a letter (links aside) keep their letters:
            // "U.S.", "U. S." and "U.S.A." are the word usa, "h.o.w" is "how". Telling
            // them apart by named groups would make the engine resolve groups for every
            // match of every rule.
            if !matched.starts_with(|c: char| c.is_ascii_alphabetic())
                || matched.starts_with("http")
            {
                return " ".to_string();
            }
            let letters: String = matched.chars().filter(char::is_ascii_alphabetic).collect();
            if letters.eq_ignore_ascii_case("us") || letters.eq_ignore_ascii_case("usa") {
                " usa ".to_string()
            } else {
                format!(" {letters} ")
            }
        })
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    with_symbols_as_words(cleaned)
}

/// Whether three one-letter words in a row, one space apart, spell a word out ("h o w
/// b i g"): English puts no three one-letter words together, so this is spacing, not
/// words. Checked before running the markup regex, which most texts never need.
fn has_spaced_letters(text: &str) -> bool {
    const SPACED_RUN: usize = 3;
    let mut run = 0;
    for token in text.split(' ') {
        if token.len() == 1 && token.as_bytes()[0].is_ascii_alphabetic() {
            run += 1;
            if run == SPACED_RUN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// The word a symbol stands for in chat ("₿⚛ why??").
fn symbol_word(character: char) -> Option<&'static str> {
    match character {
        '₿' => Some("bitcoin"),
        '⛏' => Some("mining"),
        '☢' | '⚛' => Some("nuclear"),
        _ => None,
    }
}

/// A regional indicator letter: two of them make a flag.
fn is_flag_letter(character: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&character)
}

/// The country code a flag (two regional indicator letters) spells: 🇺🇦 is "ua". Which
/// codes name the story's countries is the synonyms' business, not this module's.
fn flag_code(first: char, second: char) -> String {
    let letter = |c: char| {
        char::from_u32(u32::from(c).saturating_sub(0x1f1e6) + u32::from('a')).unwrap_or('x')
    };
    [letter(first), letter(second)].into_iter().collect()
}

/// The text with symbols written as the words they stand for and flags as their country
/// codes, each set apart by spaces; other symbols stay as they are (word splitting drops
/// them).
fn with_symbols_as_words(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !text.contains(|c| symbol_word(c).is_some() || is_flag_letter(c)) {
        return text;
    }
    let mut written = String::with_capacity(text.len() + 16);
    let mut characters = text.chars().peekable();
    let mut words_written = 0;
    while let Some(character) = characters.next() {
        // A word is longer than its symbol: past a few, symbols are spam, not meaning, and
        // they stay symbols (which word splitting drops) so a text of them costs no more
        // than a text of words.
        let word = if words_written >= MAX_SYMBOL_WORDS {
            None
        } else if is_flag_letter(character) {
            characters
                .next_if(|next| is_flag_letter(*next))
                .map(|second| flag_code(character, second))
        } else {
            symbol_word(character).map(str::to_string)
        };
        match word {
            Some(word) => {
                words_written += 1;
                written.push(' ');
                written.push_str(&word);
                written.push(' ');
            }
            None => written.push(character),
        }
    }
    std::borrow::Cow::Owned(written)
}

/// At most this many symbols and flags of one text are written as words.
const MAX_SYMBOL_WORDS: usize = 32;

/// Characters that take no space: zero-width spaces and joiners, the word joiner, the
/// byte-order mark and the soft hyphen.
fn is_invisible(character: char) -> bool {
    matches!(
        character,
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

/// The first `limit` characters of a text (never splitting one): how every way in bounds
/// what it reads.
pub fn first_chars(text: &str, limit: usize) -> &str {
    match text.char_indices().nth(limit) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The message without its Discord block quotes ("> ..." lines), when it has anything
/// else: a quoted line is what someone else said, the rest is what this person asks.
pub fn without_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    let is_quote = |line: &str| line.trim_start().starts_with('>');
    let has_quotes = text.lines().any(is_quote);
    let has_own_text = text
        .lines()
        .any(|line| !is_quote(line) && line.chars().any(char::is_alphanumeric));
    if has_quotes && has_own_text {
        std::borrow::Cow::Owned(
            text.lines()
                .filter(|line| !is_quote(line))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// What ends a sentence: its punctuation and line breaks.
const SENTENCE_ENDS: [char; 5] = ['.', '?', '!', '\n', ';'];

/// Splits a message into candidate sentences, so that one question buried in a long
/// message can be found. Splits at sentence punctuation and line breaks.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(SENTENCE_ENDS)
        .map(str::trim)
        .filter(|sentence| sentence.chars().any(char::is_alphanumeric))
}

/// The clauses of a sentence: its parts between commas and colons.
pub fn clauses(sentence: &str) -> impl Iterator<Item = &str> + Clone {
    sentence
        .split([',', ':'])
        .map(str::trim)
        .filter(|clause| clause.chars().any(char::is_alphanumeric))
}

/// Whether a message shouts rather than asks: at most two distinct words, and one of them
/// said three times or more ("ZNPP ZNPP ZNPP bitcoin bitcoin", "znpp znpp btc btc btc
/// ?????"), or a symbol three times in a row with no word at all ("☢️☢️☢️💰💰💰🇺🇸🇷🇺❓❓❓")
/// or with no question mark ("🤡🤡🤡 bitcoin 🤡🤡 ЗАЭС 🤡🤡", "THE GOVERNMENT!!!
/// 💰💰💰☢️☢️☢️"). A rebus of symbols each said once ("🇺🇸🤝🇷🇺⛏️₿☢️ 🇺🇦❌ ???") and two
/// words asked between rockets ("🚀🚀🚀 ЗАЭС МАЙНИТ?? 🚀🚀🚀") are questions. Reads the raw
/// text once, keeping at most two words, so any length costs one pass.
pub fn is_a_shout(text: &str) -> bool {
    const MAX_WORDS: usize = 2;
    const REPEATS: usize = 3;
    let same_word = |a: &str, b: &str| {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    };
    let mut words: Vec<(&str, usize)> = Vec::with_capacity(MAX_WORDS);
    for word in text
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| word.chars().any(char::is_alphabetic))
    {
        if let Some((_, count)) = words.iter_mut().find(|(known, _)| same_word(known, word)) {
            *count += 1;
        } else if words.len() == MAX_WORDS {
            return false;
        } else {
            words.push((word, 1));
        }
    }
    if words.iter().any(|(_, count)| *count >= REPEATS) {
        return true;
    }
    let asks = text.contains(['?', '\u{ff1f}', '\u{2753}', '\u{2754}']);
    has_a_symbol_run(text, REPEATS) && (words.is_empty() || !asks)
}

/// Whether one symbol (not a letter, digit, space or ASCII punctuation) comes `repeats`
/// times in a row, variation selectors, joiners and skin tones between them aside.
fn has_a_symbol_run(text: &str, repeats: usize) -> bool {
    let mut last = None;
    let mut run = 0;
    for character in text.chars() {
        if matches!(
            character,
            '\u{fe0f}' | '\u{200d}' | '\u{1f3fb}'..='\u{1f3ff}'
        ) {
            continue;
        }
        let symbol = !character.is_ascii()
            && !character.is_alphanumeric()
            && !character.is_whitespace()
            && !is_flag_letter(character);
        if symbol && last == Some(character) {
            run += 1;
            if run >= repeats {
                return true;
            }
        } else {
            run = 1;
        }
        last = symbol.then_some(character);
    }
    false
}

/// The first of `words` whose text, one space apart, is shorter than `max_bytes`: what a
/// step that reads a bounded text of a question takes (curated patterns, the embedding
/// table), so that a message of any length costs what that much of it does.
pub fn leading_words(words: &[String], max_bytes: usize) -> &[String] {
    let mut joined_bytes = 0;
    let mut count = 0;
    for word in words {
        if joined_bytes + word.len() >= max_bytes {
            break;
        }
        joined_bytes += word.len() + 1;
        count += 1;
    }
    &words[..count]
}

/// What an asker says to introduce themselves: where they are from or live, what people
/// there talk about ("Hello, I am from Brazil.", "In Brazil we discuss much this topic",
/// "я з Польщі", "у нас в Казахстане"). Matched in a clause's lowercase text, each after a
/// space ("сталося з Каховською" has no "я з").
const INTRODUCTIONS: &[&str] = &[
    " i am from",
    " i'm from",
    " i\u{2019}m from",
    " im from",
    " i come from",
    " i live in",
    " i'm living in",
    " here in",
    " in my country",
    " we discuss",
    " we talk about",
    " people here",
    " я из ",
    " я з ",
    " я із ",
    " я живу",
    " живу в ",
    " живу у ",
    " у нас в ",
    " у нас у ",
    " у нас тут",
    " мы из ",
    " ми з ",
];

/// A message (without markup) without the clauses that introduce the asker
/// ([`INTRODUCTIONS`]), its other clauses joined by full stops; `None` when it has none,
/// or nothing else. Reads at most `MAX_PARTS` sentences of at most as many clauses each.
pub fn without_introductions(message: &str) -> Option<String> {
    const MAX_PARTS: usize = 16;
    let mut rest = String::new();
    let mut introduced = false;
    for sentence in sentences(message).take(MAX_PARTS) {
        for clause in clauses(sentence).take(MAX_PARTS) {
            let lowercase = format!(" {} ", clause.to_lowercase());
            if INTRODUCTIONS
                .iter()
                .any(|marker| lowercase.contains(marker))
            {
                introduced = true;
            } else {
                if !rest.is_empty() {
                    rest.push_str(". ");
                }
                rest.push_str(clause);
            }
        }
    }
    // "I am from Texas, is bitcoin mining legal there?": a rest that points at where the
    // asker is asks about that place.
    let points_at_the_place = words_without_markup(&rest).iter().any(|word| {
        matches!(
            word.as_str(),
            "there" | "here" | "там" | "тут" | "туда" | "туди"
        )
    });
    (introduced && !rest.is_empty() && !points_at_the_place).then_some(rest)
}

/// Words that open an example of what the clause before them said: "is nuclear-powered
/// mining a thing anywhere else, like that talen plant in pennsylvania?", "…, наприклад у
/// Франції", "…, вроде Курской АЭС".
const EXAMPLE_OPENERS: &[&[&str]] = &[
    &["like"],
    &["such", "as"],
    &["for", "example"],
    &["for", "instance"],
    &["e", "g"],
    &["eg"],
    &["як", "от"],
    &["наприклад"],
    &["приміром"],
    &["типу"],
    &["например"],
    &["к", "примеру"],
    &["типа"],
    &["вроде"],
];

/// Whether a clause opens with an example ([`EXAMPLE_OPENERS`]). Reads its first words
/// only, whatever its length.
pub fn gives_an_example(clause: &str) -> bool {
    let first_words: Vec<String> = clause
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(2)
        .map(str::to_lowercase)
        .collect();
    EXAMPLE_OPENERS
        .iter()
        .any(|opener| begins_with(&first_words, opener))
}

/// Whether `words` begin with the words of `phrase` (a turn, an example's opener).
fn begins_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len()
        && words
            .iter()
            .zip(phrase)
            .all(|(word, expected)| word == expected)
}

/// Words that turn a long message from what the asker tells to what they ask: "…my
/// coffee's cold, anyway the actual thing i want to know is…", "…короче одне питання —
/// …", "Ну ладно, отвлёкся. Вопрос простой: …". Matched on [`words`], the last one
/// counting.
const TURNS_TO_THE_QUESTION: &[&[&str]] = &[
    &["anyway"],
    &["anyways"],
    &["anyhow"],
    &["in", "any", "event"],
    &["in", "any", "case"],
    &["that", "said"],
    &["all", "that", "aside"],
    &["setting", "all", "that", "aside"],
    &["my", "question"],
    &["actual", "question"],
    &["one", "thing"],
    &["only", "thing"],
    &["want", "to", "know"],
    &["like", "to", "know"],
    &["wanted", "to", "know"],
    &["why", "ask"],
    &["put", "it", "plainly"],
    &["but", "seriously"],
    &["короче"],
    &["коротше"],
    &["так", "от"],
    &["так", "вот"],
    &["втім"],
    &["впрочем"],
    &["одне", "питання"],
    &["моє", "питання"],
    &["питання", "просте"],
    &["питання", "таке"],
    &["один", "вопрос"],
    &["мой", "вопрос"],
    &["вопрос", "простой"],
    &["вопрос", "такой"],
    &["хочу", "знати"],
    &["хочу", "знать"],
];

/// The question of a long message (chat, a story, then "anyway, …?"), as its words
/// joined by spaces: its last sentence that ends with a question mark (the whole message
/// when none does), from after the last colon, dash or turn to the question
/// ([`TURNS_TO_THE_QUESTION`]) in it, for a text (without markup) of `word_count`
/// [`words`], already read by the caller. `None` when nothing would be cut off.
pub fn question_of_a_long_message(text: &str, word_count: usize) -> Option<String> {
    let mut region = text;
    let mut start = 0;
    for (index, character) in text.char_indices() {
        if SENTENCE_ENDS.contains(&character) {
            let sentence = &text[start..index];
            if character == '?' && sentence.chars().any(char::is_alphanumeric) {
                region = sentence;
            }
            start = index + character.len_utf8();
        }
    }
    if let Some(cut) = [":", "—", "–", " - "]
        .iter()
        .filter_map(|mark| region.rfind(mark).map(|at| at + mark.len()))
        .max()
    {
        if region[cut..].chars().any(char::is_alphanumeric) {
            region = &region[cut..];
        }
    }
    let mut words = words_without_markup(region);
    let after_turn = TURNS_TO_THE_QUESTION
        .iter()
        .filter_map(|turn| {
            words
                .windows(turn.len())
                .rposition(|window| begins_with(window, turn))
                .map(|at| at + turn.len())
        })
        .max();
    if let Some(after_turn) = after_turn.filter(|&after| words.len() >= after + 2) {
        words.drain(..after_turn);
    }
    (words.len() < word_count).then(|| words.join(" "))
}

fn finish_word(word: &mut String, words: &mut Vec<String>) {
    collapse_drawn_out_letters(word);
    unmix_lookalike_letters(word);
    if word.chars().count() > 1 {
        words.push(std::mem::take(word));
    } else {
        // The buffer is kept for the next word: one-letter words allocate nothing.
        word.clear();
    }
}

/// "whoooo controoools the plaaant" is "who controls the plant": no English, Ukrainian or
/// Russian word has a letter three times in a row, so such a run is one letter drawn
/// out. Double letters are left alone ("coffee").
fn collapse_drawn_out_letters(word: &mut String) {
    let runs = || {
        let mut characters = word.chars().peekable();
        std::iter::from_fn(move || {
            let character = characters.next()?;
            let mut length = 1;
            while characters.next_if_eq(&character).is_some() {
                length += 1;
            }
            Some((character, length))
        })
    };
    if runs().all(|(_, length)| length < 3) {
        return;
    }
    let mut collapsed = String::with_capacity(word.len());
    for (character, length) in runs() {
        let kept = if length >= 3 { 1 } else { length };
        collapsed.extend(std::iter::repeat_n(character, kept));
    }
    *word = collapsed;
}

/// Latin and Cyrillic letters that look alike in lowercase or in capitals ("о" and "o",
/// "Н" and "H"), as (Latin, Cyrillic) pairs.
const LOOKALIKES: &[(char, char)] = &[
    ('a', 'а'),
    ('b', 'в'),
    ('c', 'с'),
    ('e', 'е'),
    ('h', 'н'),
    ('i', 'і'),
    ('j', 'ј'),
    ('k', 'к'),
    ('m', 'м'),
    ('o', 'о'),
    ('p', 'р'),
    ('s', 'ѕ'),
    ('t', 'т'),
    ('x', 'х'),
    ('y', 'у'),
];

/// "whо cоntrоls" with a Cyrillic "о" is "who controls": a word that mixes the two
/// scripts is written in the one its unmistakable letters use, and its look-alike
/// letters are read in that script (a word of look-alikes only, in the script most of
/// them are in). No real word mixes the scripts, so nothing a person types honestly
/// changes; a word with unmistakable letters of both is left as it is.
fn unmix_lookalike_letters(word: &mut String) {
    let is_latin = |c: char| c.is_ascii_lowercase();
    let is_cyrillic = |c: char| ('\u{400}'..='\u{4ff}').contains(&c);
    if !(word.chars().any(is_latin) && word.chars().any(is_cyrillic)) {
        return;
    }
    let (mut latin, mut cyrillic, mut plain_latin, mut plain_cyrillic) = (0, 0, 0, 0);
    for character in word.chars() {
        let lookalike = LOOKALIKES
            .iter()
            .any(|&(l, c)| character == l || character == c);
        if is_latin(character) {
            latin += 1;
            plain_latin += usize::from(!lookalike);
        } else if is_cyrillic(character) {
            cyrillic += 1;
            plain_cyrillic += usize::from(!lookalike);
        }
    }
    let to_latin = match (plain_latin > 0, plain_cyrillic > 0) {
        (true, false) => true,
        (false, true) => false,
        // Only look-alikes ("AЕС"): the script most of its letters are in.
        (false, false) if latin != cyrillic => latin > cyrillic,
        _ => return,
    };
    *word = word
        .chars()
        .map(|character| {
            LOOKALIKES
                .iter()
                .find_map(|&(l, c)| match to_latin {
                    true if character == c => Some(l),
                    false if character == l => Some(c),
                    _ => None,
                })
                .unwrap_or(character)
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shout_repeats_a_few_words_or_symbols() {
        assert!(is_a_shout("ZNPP ZNPP ZNPP ZNPP bitcoin bitcoin"));
        assert!(is_a_shout("znpp znpp znpp btc btc ?????"));
        assert!(is_a_shout("☢️☢️☢️💰💰💰🇺🇸🇷🇺❓❓❓"));
        assert!(is_a_shout("🤡🤡🤡 bitcoin 🤡🤡 ЗАЭС 🤡🤡"));
        assert!(is_a_shout("THE GOVERNMENT!!!!!!!! 💰💰💰💰☢️☢️☢️"));
        assert!(!is_a_shout("🇺🇸🤝🇷🇺⛏️₿☢️ 🇺🇦❌ ???"));
        assert!(
            !is_a_shout("🇺🇦🇺🇦🇺🇦"),
            "a flag repeated is no run of one symbol"
        );
        assert!(!is_a_shout("🚀🚀🚀💎🙌 ЗАЭС МАЙНИТ?? 🚀🚀🚀"));
        assert!(!is_a_shout("ZNPPPPPPP BTCCCCC????"));
        assert!(!is_a_shout("!!!!!!!!! source ?????????"));
        assert!(!is_a_shout("🚨🚨🚨 btc nuke plant?? 🤯🤯🤯"));
        assert!(!is_a_shout(
            "ЗАЕС ЗАЕС ЗАЕС 🤬🤬🤬 біток біток хто це дозволив"
        ));
        assert!(!is_a_shout("wen mining 🚀🚀"));
        assert!(!is_a_shout(""));
    }

    #[test]
    fn leading_words_stay_under_the_bound_and_whole() {
        let words: Vec<String> = ["ab", "cde", "f"].map(String::from).to_vec();
        // "ab cde" is 6 bytes, "ab cde f" 8.
        assert_eq!(leading_words(&words, 7), &words[..2]);
        assert_eq!(leading_words(&words, 9), &words[..]);
        assert_eq!(leading_words(&words, 6), &words[..1]);
        assert!(leading_words(&words, 2).is_empty());
    }

    #[test]
    fn introductions_are_left_out() {
        assert_eq!(
            without_introductions("Hello, I am from Brazil. Please, what is the news exactly?")
                .as_deref(),
            Some("Hello. Please. what is the news exactly")
        );
        assert_eq!(
            without_introductions(
                "Is good or bad for environment? In Brazil we discuss much this topic"
            )
            .as_deref(),
            Some("Is good or bad for environment")
        );
        assert_eq!(without_introductions("я з Польщі").as_deref(), None);
        assert_eq!(without_introductions("who runs the plant in texas?"), None);
        assert_eq!(
            without_introductions("I am from Texas, is bitcoin mining legal there?"),
            None
        );
    }

    #[test]
    fn a_clause_that_opens_with_an_example_gives_one() {
        assert!(gives_an_example("like that talen plant in pennsylvania?"));
        assert!(gives_an_example("Such as Kursk"));
        assert!(gives_an_example("e.g. Fukushima"));
        assert!(gives_an_example("наприклад у Франції"));
        assert!(gives_an_example("к примеру Курская"));
        assert!(!gives_an_example("likely not"));
        assert!(!gives_an_example("such a mess"));
        assert!(!gives_an_example("хто це дозволив"));
        assert!(!gives_an_example(""));
    }

    #[test]
    fn letter_like_symbols_with_no_lowercase_are_dropped() {
        // U+1F150 NEGATIVE CIRCLED LATIN CAPITAL LETTER A: alphabetic, uppercase, and its
        // own lowercase (found by the property test). U+1F130 SQUARED LATIN CAPITAL
        // LETTER A has a compatibility form, "A", so it folds like any letter.
        assert_eq!(words("🅐zaporizia 🄰BTC"), ["zaporizia", "abtc"]);
    }

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(words(text), expected, "words of {text:?}");
    }

    #[test]
    fn the_cyrillic_shortcut_folds_as_the_general_path_does() {
        let mut shortcuts = 0;
        for code in 0x400..=0x4ff {
            let Some(character) = char::from_u32(code) else {
                continue;
            };
            if let Some(lowercase) = plain_cyrillic_lowercase(character) {
                let mut folded = String::new();
                push_folded(character, &mut folded);
                assert_eq!(folded, lowercase.to_string(), "{character:?}");
                shortcuts += 1;
            }
        }
        // Every letter from А to я but Й and й.
        assert_eq!(shortcuts, 62);
        check("Йде ЇЖАК, ёжик", &["иде", "іжак", "ежик"]);
    }

    #[test]
    fn lowercases_and_splits_on_punctuation() {
        check(
            "Who CONTROLS the plant?!",
            &["who", "controls", "the", "plant"],
        );
    }

    #[test]
    fn strips_discord_markup() {
        check("<@123> <@!45> <@&6> <#7> hi", &["hi"]);
        check(
            "**bold** __under__ ||spoiler|| ~~gone~~",
            &["bold", "under", "spoiler", "gone"],
        );
        check("<:pepe:123> <a:dance:456> iaea", &["iaea"]);
        check("see https://example.com/a?b=c now", &["see", "now"]);
        check("```rust\nfn main\n``` `code`", &["fn", "main", "code"]);
        check("@everyone @here hello", &["hello"]);
        // A channel named as typed is no word of the question ("in #general" is not "in
        // general"); a hashtag is.
        check("posted in #general, true?", &["posted", "in", "true"]);
        check("#off-topic #ZNPP #bitcoin", &["znpp", "bitcoin"]);
        check("#generally", &["generally"]);
        check("<t:1700000000:R> </ask:123> ok", &["ok"]);
    }

    #[test]
    fn keeps_us_as_one_word() {
        check(
            "U.S. and U.S.A. and US",
            &["usa", "and", "usa", "and", "us"],
        );
    }

    #[test]
    fn folds_accents_and_curly_apostrophes() {
        check("ZNPP’s Zaporižžja café", &["znpp", "zaporizzja", "cafe"]);
    }

    #[test]
    fn combining_marks_never_split_a_word() {
        // Accents typed as separate combining marks fold like precomposed ones.
        check("Zapori\u{30c}z\u{30c}z\u{30c}ja", &["zaporizzja"]);
        // Zalgo: every letter buried under marks.
        let zalgo: String = "plant"
            .chars()
            .flat_map(|c| std::iter::once(c).chain("\u{336}\u{489}\u{35c}\u{300}".chars()))
            .collect();
        check(
            &format!("who runs the {zalgo}?"),
            &["who", "runs", "the", "plant"],
        );
    }

    #[test]
    fn an_apostrophe_inside_a_cyrillic_word_is_part_of_it() {
        check(
            "комп'ютери, об’єкт і обʼєкт; it's ZNPP's 'станція'",
            &["компютери", "обєкт", "обєкт", "it", "znpp", "станція"],
        );
    }

    #[test]
    fn an_apostrophe_before_three_latin_letters_is_inside_the_word() {
        check(
            "ob'yasnite, naibil’sha? what's Ukraine's take, don't we're 'quoted'",
            &[
                "obyasnite",
                "naibilsha",
                "what",
                "ukraine",
                "take",
                "don",
                "we",
                "re",
                "quoted",
            ],
        );
    }

    #[test]
    fn letters_drawn_out_to_three_or_more_become_one() {
        check(
            "whoooooo controoooools the plaaaant, coffee",
            &["who", "controls", "the", "plant", "coffee"],
        );
        check("ЗАЕЕЕЕС", &["заес"]);
    }

    #[test]
    fn lookalike_letters_of_the_other_script_are_read_in_the_word_s_own() {
        // Cyrillic "о" in Latin words, Latin "a", "e" and "c" in Cyrillic ones.
        check("whо cоntrоls ZNPP nоw", &["who", "controls", "znpp", "now"]);
        check("Зaпорiжжя AЕС", &["запоріжжя", "аес"]);
        // Words of one script, and words whose own letters say both, stay as they are.
        check("plant станція bitcoinБ", &["plant", "станція", "bitcoinб"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "xy".repeat(5_000);
        let found = words(&format!("{long} plant"));
        assert_eq!(found[0].len(), MAX_WORD_BYTES);
        assert_eq!(found[1], "plant");
        let cyrillic = "жа".repeat(500);
        assert!(words(&cyrillic)[0].len() <= MAX_WORD_BYTES + 4);
    }

    #[test]
    fn block_quotes_give_way_to_the_asker_s_own_words() {
        assert_eq!(
            without_quotes("> the US is mining there\nsource??"),
            "source??"
        );
        assert_eq!(without_quotes("> only a quote"), "> only a quote");
        assert_eq!(without_quotes("no quotes here"), "no quotes here");
    }

    #[test]
    fn links_and_abbreviations_end_no_sentence() {
        let text = without_markup("[legit](https://example.com/a.b) why did the U.S. agree? ok");
        let found: Vec<Vec<String>> = sentences(&text).map(words).collect();
        assert_eq!(
            found,
            [
                vec!["legit", "why", "did", "the", "usa", "agree"],
                vec!["ok"]
            ]
        );
    }

    #[test]
    fn flags_are_country_codes_and_symbols_words() {
        check(
            "🇺🇸🤝🇷🇺 ₿⚛\u{fe0f} ❌🇺🇦 why?? 🇫🇷",
            &["us", "ru", "bitcoin", "nuclear", "ua", "why", "fr"],
        );
        // A lone regional indicator is no flag.
        check("\u{1f1fa} plant", &["plant"]);
        // A flood of them is not read past the first few.
        assert_eq!(words(&"₿".repeat(1_000)).len(), MAX_SYMBOL_WORDS);
    }

    #[test]
    fn invisible_characters_and_spelled_out_letters_hide_no_word() {
        check(
            "who\u{200b} con\u{200b}trols the z\u{200b}n\u{feff}pp",
            &["who", "controls", "the", "znpp"],
        );
        let text = without_markup("h.o.w  m.u.c.h  p.o.w.e.r  d.o.e.s  b-t-c  n.e.e.d");
        assert_eq!(
            words(&text),
            ["how", "much", "power", "does", "btc", "need"]
        );
        let found: Vec<&str> = sentences(&text).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        // Spaced out, words three spaces apart; two one-letter words are words.
        assert_eq!(
            words(&without_markup("d o e s   t h e   i a e a   k n o w")),
            ["does", "the", "iaea", "know"]
        );
        assert_eq!(
            words(&without_markup("is it a b test")),
            ["is", "it", "test"]
        );
        // Two letters are an abbreviation, not a spelled-out word; U.S.A. stays usa, with
        // or without its dots and spaces.
        let text = without_markup("e.g. the U.S.A. is");
        assert_eq!(words(&text), ["the", "usa", "is"]);
        for us in ["U. S.", "U.S", "u.s.a"] {
            assert_eq!(
                words(&without_markup(&format!("the {us} said"))),
                ["the", "usa", "said"]
            );
        }
    }

    #[test]
    fn small_capitals_are_their_latin_letters() {
        check(
            "ᴡʜʏ ɪs ᴜᴋʀᴀɪɴᴇ ɴᴏᴛ ɪɴ ᴛʜᴇ ᴛᴀʟᴋs",
            &["why", "is", "ukraine", "not", "in", "the", "talks"],
        );
        check("ꜰᴀǫ ᴢɴᴘᴘ", &["faq", "znpp"]);
    }

    #[test]
    fn sentences_split_long_messages() {
        let found: Vec<&str> = sentences("hi there. who controls it?\nthanks!").collect();
        assert_eq!(found, ["hi there", "who controls it", "thanks"]);
    }

    #[test]
    fn a_long_message_asks_its_last_question_after_the_turn() {
        // Only a long message is read so (the matcher's `LONG_MESSAGE_WORDS`); the words
        // counted are the ones it already read.
        let asked = |text: &str| question_of_a_long_message(text, words(text).len());
        let chat = "so my train was late again and the coffee was cold and my cousin keeps \
                    sending me videos about crypto and nuclear power and kazakhstan and \
                    honestly i am so tired of all of it";
        // The last sentence with a question mark, after its turn; what follows is chat.
        assert_eq!(
            asked(&format!(
                "{chat}, anyway my actual question: who controls the plant? ok bye"
            ))
            .as_deref(),
            Some("who controls the plant")
        );
        // No question mark: the whole message, after its last turn.
        assert_eq!(
            asked(&format!(
                "{chat}. короче одне питання — хто контролює станцію"
            ))
            .as_deref(),
            Some("хто контролює станцію")
        );
        // A turn with fewer than two words after it is not the cut, and then nothing is.
        assert_eq!(
            asked(&format!("{chat}, who controls the plant anyway?")),
            None
        );
        // Nothing to cut off: none.
        assert_eq!(asked(chat), None);
    }
}
