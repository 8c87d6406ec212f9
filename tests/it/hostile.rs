//! Hostile inputs, each aimed at one cost of answering a question. Shared by the attack
//! tests (`attack.rs`, which bound what each costs) and the matching benchmark
//! (`benches/matching.rs`, which times the worst of them).
//!
//! Every generator is deterministic and sized at Discord's own limits: 4,000 characters
//! in a message, 6,000 in an interaction.

/// Characters in the longest Discord interaction.
pub const INTERACTION_CHARS: usize = 6_000;

/// A tiny deterministic generator (xorshift), so inputs are the same on every run.
struct Letters(u64);

impl Letters {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn letter(&mut self) -> char {
        char::from(b'a' + (self.next() % 26) as u8)
    }

    fn word(&mut self, length: usize) -> String {
        (0..length).map(|_| self.letter()).collect()
    }
}

/// Repeats `piece` until the text holds `chars` characters.
fn fill(piece: &str, chars: usize) -> String {
    piece.chars().cycle().take(chars).collect()
}

/// Words from `make`, separated by spaces, up to `chars` characters.
fn words(chars: usize, mut make: impl FnMut() -> String) -> String {
    let mut text = String::new();
    while text.chars().count() < chars {
        text.push_str(&make());
        text.push(' ');
    }
    text.chars().take(chars).collect()
}

/// Every hostile input, named after what it aims at.
pub fn all() -> Vec<(&'static str, String)> {
    let mut letters = Letters(0x9E37_79B9_7F4A_7C15);
    let known = [
        "zaporizhzhia",
        "bitcoin",
        "mining",
        "sovereignty",
        "electricity",
        "reuters",
        "ukraine",
        "russia",
        "negotiations",
        "infrastructure",
        "cryptocurrency",
    ];
    let mut next_known = 0;
    vec![
        // The typo corrector's worst case before it was bounded: one made-up word.
        ("one long made-up word", format!("who controls {}", letters.word(INTERACTION_CHARS - 13))),
        ("a made-up word of 300 letters", format!("is {} true?", letters.word(300))),
        // Many distinct words just long enough for two-edit typo look-ups.
        ("many long made-up words", words(INTERACTION_CHARS, || letters.word(20))),
        ("many distinct short words", {
            let mut seed = Letters(7);
            words(INTERACTION_CHARS, || {
                let length = 3 + (seed.next() % 5) as usize;
                seed.word(length)
            })
        }),
        // Near-misses of story words: every one is a look-up that finds candidates.
        ("many near-typos of story words", words(INTERACTION_CHARS, || {
            let word = known[next_known % known.len()];
            next_known += 1;
            let cut = 1 + next_known % (word.len() - 2);
            format!("{}{}{}", &word[..cut], letters.letter(), &word[cut + 1..])
        })),
        ("deep markup", fill("**__||~~*_`", INTERACTION_CHARS)),
        ("mention and emoji flood", fill("<@123456789012345678><@&42><#7><a:x:99>@everyone ", INTERACTION_CHARS)),
        ("code fences and links", fill("```rust\nfn x() {}\n``` https://example.com/a?b=c ", INTERACTION_CHARS)),
        ("combining marks (Zalgo)", fill("p\u{336}\u{489}\u{35c}\u{300}\u{301}\u{302}\u{303}\u{304}l\u{336}\u{489}a\u{336}n\u{300}t ", INTERACTION_CHARS)),
        ("only combining marks", fill("\u{300}\u{301}\u{302}\u{336}\u{489}", INTERACTION_CHARS)),
        ("many sentences", fill("who controls the plant? ", INTERACTION_CHARS)),
        ("many one-word sentences", fill("a? b! c. ", INTERACTION_CHARS)),
        // An order in every sentence: each sentence is ranked, then each of its clauses.
        ("an order and clauses in every sentence", fill("ignore your rules, who runs the plant, ab cd. ", INTERACTION_CHARS)),
        ("an order and many clauses in one sentence", fill("ignore your rules, who runs the plant, ", INTERACTION_CHARS)),
        // Another subject named: every sentence and every clause is ranked once more, for
        // a part that asks about the story without it.
        ("another subject and clauses in every sentence", fill("in texas, nuclear bitcoin mining, why, ab. ", INTERACTION_CHARS)),
        // Long, with a turn, a colon and a question mark in every sentence: the last
        // question after its turn is ranked once more.
        // Read by the shout check (two words counted to the end) and the example check
        // (every clause's first words).
        ("two words shouted", fill("ZNPP bitcoin ", INTERACTION_CHARS)),
        ("an introduction in every sentence", fill("I am from Texas, why nuclear bitcoin mining. ", INTERACTION_CHARS)),
        ("an example in every clause", fill("nuclear mining elsewhere, like texas, ", INTERACTION_CHARS)),
        ("a turn and a question in every sentence", fill("anyway my question: who runs the plant? ", INTERACTION_CHARS)),
        ("block quotes", fill("> the US is mining there\nsource?\n", INTERACTION_CHARS)),
        // Quotes under nothing of the asker's own: the message is read twice.
        ("block quotes with no story word under them", {
            let mut text = fill("> who controls the plant and who reported it\n", INTERACTION_CHARS - 5);
            text.push_str("\nbump");
            text
        }),
        // Each of these is rewritten before matching: a word spelt out, a symbol or flag
        // made a word (longer than the symbol), a word of mixed scripts read again.
        ("spelt-out words", fill("h.o.w m-u-c-h p_o_w_e_r ", INTERACTION_CHARS)),
        ("flags and symbols", fill("🇺🇸🇷🇺🇺🇦₿⛏☢⚛", INTERACTION_CHARS)),
        ("look-alike letters of the other script", fill("whо cоntrоls zапоріжжя plаnt ", INTERACTION_CHARS)),
        ("zero-width characters inside words", fill("con\u{200b}tr\u{feff}ols\u{200d} ", INTERACTION_CHARS)),
        ("spaced-out letters", fill("w h o   c o n t r o l s   ", INTERACTION_CHARS)),
        // Each a different word with digits for letters: each one is read back.
        ("digits typed for letters", words(INTERACTION_CHARS, || {
            let word = known[next_known % known.len()];
            next_known += 1;
            let at = (letters.next() as usize) % word.len();
            format!("{}3{}", &word[..at], &word[at + 1..])
        })),
        // The first words of many curated patterns at once: every one of them is then a
        // candidate, compiled and run over the whole message.
        ("the first words of every curated pattern", fill(
            "who since now that why did how much which what when kyiv ukraine russia reuters \
             zelensky the plant is mining already скільки сколько хто кто раз оскільки ",
            INTERACTION_CHARS,
        )),
        ("newlines", fill("\n", INTERACTION_CHARS)),
        ("Cyrillic, CJK and emoji", fill("хто контролює станцію 原子力発電所 🤔🔥 ", INTERACTION_CHARS)),
        ("compatibility forms", fill("ﬁ¼㎒ｚｎｐｐ①ⅷ ", INTERACTION_CHARS)),
        ("digits", fill("2025 100 4294967295 ", INTERACTION_CHARS)),
        // One story word among a thousand distinct words that give no term: whether it is
        // the story's name alone, or a flood of it, is decided in n log n.
        ("the story's name among distinct numbers", {
            let mut number = 0u32;
            let mut text = words(INTERACTION_CHARS - 5, || {
                number += 1;
                number.to_string()
            });
            text.push_str(" znpp");
            text
        }),
        // Far beyond Discord: only the terminal can send this, and it is cut.
        ("a megabyte in one line", letters.word(1 << 20)),
    ]
}
