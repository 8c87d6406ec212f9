//! Ukrainian and Russian typed in Latin letters ("kratko o chem statya", "shcho tam z
//! zaes"), as people write them without a Cyrillic keyboard, read back into Cyrillic so
//! that the translations reach them.
//!
//! There is no one standard: people mix the passport schemes with English habits. Each
//! word gets a few readings (Russian-style, Russian with a soft sign, Ukrainian-style),
//! and the lexicon keeps the first one it knows. Readings are folded as
//! [`super::normalize::words`] folds Cyrillic (й is и, ї is і, ё is е), since that is how
//! the translations are stored.

/// Letter groups of Russian-style transliteration, longest first.
const RUSSIAN: &[(&str, &str)] = &[
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("iu", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("ia", "я"),
    ("yo", "е"),
    ("jo", "е"),
    ("ye", "е"),
    ("je", "е"),
    ("h", "х"),
    ("i", "и"),
    ("y", "ы"),
];

/// Letter groups of Ukrainian-style transliteration, longest first: і, и, є, ї (folded
/// to і), г for h.
const UKRAINIAN: &[(&str, &str)] = &[
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("iu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("ja", "я"),
    ("ye", "є"),
    ("ie", "є"),
    ("je", "є"),
    ("yi", "і"),
    ("ji", "і"),
    // "tsioho", "vsioho": ьо after a consonant.
    ("io", "ьо"),
    ("h", "г"),
    ("i", "і"),
    ("y", "и"),
];

/// The single letters both styles read alike.
const LETTERS: &[(&str, &str)] = &[
    ("a", "а"),
    ("b", "б"),
    ("c", "ц"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("j", "и"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("z", "з"),
];

const VOWELS: &[u8] = b"aeiouy";

/// The Cyrillic readings of a lowercase ASCII word, most likely first; none for a word
/// with anything but ASCII letters.
pub fn readings(word: &str) -> Vec<String> {
    if word.is_empty() || !word.bytes().all(|byte| byte.is_ascii_lowercase()) {
        return Vec::new();
    }
    let russian = read(word, RUSSIAN);
    let mut readings = vec![russian.clone()];
    // "statya" is "статья": after a consonant, я and ю are most often written for ья, ью.
    let soft = with_soft_sign(&russian);
    if soft != russian {
        readings.push(soft);
    }
    let ukrainian = read(word, UKRAINIAN);
    readings.push(ukrainian.clone());
    // The soft sign left out: "shchos" is "щось", "dyvytys" "дивитись", "skilky"
    // "скільки", "bilshe" "більше".
    for reading in [ukrainian, russian] {
        let soft = with_soft_l_and_ending(&reading);
        if !readings.contains(&soft) {
            readings.push(soft);
        }
    }
    readings
}

/// The reading with ь after л before a consonant, and at the end after т, с, л, н or ц.
fn with_soft_l_and_ending(reading: &str) -> String {
    const VOWELS_AND_SOFT: &str = "аеиоуыэюяієь";
    let letters: Vec<char> = reading.chars().collect();
    let mut softened = String::with_capacity(reading.len() + 4);
    for (index, &letter) in letters.iter().enumerate() {
        softened.push(letter);
        let next = letters.get(index + 1);
        let soft_l = letter == 'л' && next.is_some_and(|next| !VOWELS_AND_SOFT.contains(*next));
        let soft_end = next.is_none() && index > 0 && "тслнц".contains(letter);
        if soft_l || soft_end {
            softened.push('ь');
        }
    }
    softened
}

/// One reading: the style's letter groups first, then the common letters. A `y` after a
/// vowel is the short й (folded to и).
fn read(word: &str, style: &[(&str, &str)]) -> String {
    let bytes = word.as_bytes();
    let mut reading = String::with_capacity(word.len() * 2);
    let mut index = 0;
    while index < bytes.len() {
        let rest = &word[index..];
        let after_vowel = index > 0 && VOWELS.contains(&bytes[index - 1]);
        if bytes[index] == b'y' && after_vowel && !rest[1..].starts_with(['a', 'e', 'o', 'u', 'i'])
        {
            reading.push('и');
            index += 1;
            continue;
        }
        let Some((latin, cyrillic)) = style
            .iter()
            .chain(LETTERS)
            .find(|(latin, _)| rest.starts_with(latin))
        else {
            index += 1;
            continue;
        };
        reading.push_str(cyrillic);
        index += latin.len();
    }
    reading
}

/// The reading with ь between a consonant and a following я or ю.
fn with_soft_sign(reading: &str) -> String {
    let mut softened = String::with_capacity(reading.len() + 4);
    let mut previous: Option<char> = None;
    for character in reading.chars() {
        if matches!(character, 'я' | 'ю')
            && previous.is_some_and(|letter| !"аеиоуыэюяіє".contains(letter))
        {
            softened.push('ь');
        }
        softened.push(character);
        previous = Some(character);
    }
    softened
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_ukrainian_readings() {
        assert_eq!(readings("statya")[..2], ["статя", "статья"]);
        assert_eq!(readings("voobshche")[0], "вообще");
        assert_eq!(readings("magate")[0], "магате");
        assert_eq!(readings("stanciya")[0], "станция");
        assert_eq!(readings("mayninga")[0], "маининга");
        assert!(readings("shcho").iter().any(|reading| reading == "що"));
        assert!(readings("ukraini")
            .iter()
            .any(|reading| reading == "украіні"));
        assert!(readings("shchos").iter().any(|reading| reading == "щось"));
        assert!(readings("skilky")
            .iter()
            .any(|reading| reading == "скільки"));
        assert!(readings("tsioho").iter().any(|reading| reading == "цього"));
        assert!(readings("dyvytys")
            .iter()
            .any(|reading| reading == "дивитись"));
    }

    #[test]
    fn only_plain_lowercase_ascii_words_have_readings() {
        assert!(readings("").is_empty());
        assert!(readings("заес").is_empty());
        assert!(readings("s21").is_empty());
    }
}
