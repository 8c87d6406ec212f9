//! The languages the bot speaks its own sentences in, and telling which one a question
//! is written in. Quotes are never translated: a translation would not be a quote.

use crate::knowledge::ClaimStatus;

/// A language of the bot's own sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// The default, and the language of the article.
    #[default]
    English,
    /// Ukrainian (`uk`).
    Ukrainian,
    /// Russian (`ru`).
    Russian,
}

/// Letters only Ukrainian uses among the two.
const UKRAINIAN_LETTERS: &[char] = &['і', 'ї', 'є', 'ґ'];
/// Letters only Russian uses among the two.
const RUSSIAN_LETTERS: &[char] = &['ы', 'э', 'ъ', 'ё'];
/// Short words that differ between the two, for text that has none of those letters.
const UKRAINIAN_WORDS: &[&str] = &[
    "хто",
    "що",
    "чи",
    "як",
    "де",
    "коли",
    "це",
    "та",
    "й",
    "від",
    "ще",
    "вже",
    "його",
    "вони",
    "цю",
    "цей",
    "ця",
    "яка",
    "який",
    "чому",
    "навіщо",
    "мені",
    "бо",
];
const RUSSIAN_WORDS: &[&str] = &[
    "кто",
    "что",
    "ли",
    "как",
    "где",
    "когда",
    "это",
    "от",
    "ещё",
    "еще",
    "уже",
    "его",
    "они",
    "эту",
    "этот",
    "эта",
    "какая",
    "какой",
    "почему",
    "зачем",
    "мне",
    "потому",
];

impl Language {
    /// The language of a Discord locale (`uk`, `ru`, `en-US`, …), if the bot speaks it.
    pub fn from_locale(locale: &str) -> Option<Language> {
        let primary = locale.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Language::English),
            "uk" => Some(Language::Ukrainian),
            "ru" => Some(Language::Russian),
            _ => None,
        }
    }

    /// The language a question is written in: Ukrainian or Russian when most of its
    /// letters are Cyrillic (told apart by the letters and short words only one of them
    /// uses; Ukrainian when nothing tells), English otherwise.
    pub fn of_text(text: &str) -> Language {
        let (mut cyrillic, mut latin) = (0usize, 0usize);
        let (mut ukrainian, mut russian) = (0usize, 0usize);
        for character in text.chars().take(crate::matching::MAX_QUESTION_CHARS) {
            let lower = character.to_lowercase().next().unwrap_or(character);
            if ('\u{0400}'..='\u{04FF}').contains(&lower) {
                cyrillic += 1;
                ukrainian += usize::from(UKRAINIAN_LETTERS.contains(&lower));
                russian += usize::from(RUSSIAN_LETTERS.contains(&lower));
            } else if lower.is_ascii_alphabetic() {
                latin += 1;
            }
        }
        if cyrillic == 0 || cyrillic < latin {
            return Language::English;
        }
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| !word.is_empty())
            .take(200)
        {
            let word = word.to_lowercase();
            ukrainian += usize::from(UKRAINIAN_WORDS.contains(&word.as_str()));
            russian += usize::from(RUSSIAN_WORDS.contains(&word.as_str()));
        }
        if russian > ukrainian {
            Language::Russian
        } else {
            Language::Ukrainian
        }
    }
}

/// The labels and short lines the bot shows around an answer, in one language. The
/// renderers take them from here, so that every word the bot says has one home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// "Confirmed", "Reported", "Unclear".
    pub confirmed: &'static str,
    /// See `confirmed`.
    pub reported: &'static str,
    /// See `confirmed`.
    pub unclear: &'static str,
    /// Under a topic with no unclear quote.
    pub nothing_unclear: &'static str,
    /// Title of an ambiguous answer.
    pub did_you_mean: &'static str,
    /// Title of a refusal.
    pub not_this_story: &'static str,
    /// Last line of a miss.
    pub see_help: &'static str,
    /// Title of the help screen.
    pub help_title: &'static str,
    /// What the bot does, before the commands: `{title}`, `{outlet}` and `{published}`
    /// are filled in.
    pub help_intro: &'static str,
    /// The ways in that are not commands.
    pub help_other_ways: &'static str,
    /// Before the moderators' commands.
    pub help_moderators: &'static str,
    /// What the message-menu command is used on (message commands have no description).
    pub help_on_any_message: &'static str,
    /// Heading of the list of topics.
    pub topics: &'static str,
    /// Heading of the claims later sources updated.
    pub earlier: &'static str,
}

impl Language {
    /// The labels in this language.
    pub fn labels(self) -> Labels {
        match self {
            Language::English => Labels {
                // The labels' own English names.
                confirmed: ClaimStatus::Confirmed.label(),
                reported: ClaimStatus::Reported.label(),
                unclear: ClaimStatus::Unclear.label(),
                nothing_unclear:
                    "Nothing in this topic is listed as unclear; /unclear lists the open questions.",
                did_you_mean: "Did you mean…",
                not_this_story: "Not something this story covers",
                see_help: "Type /help to see everything I can answer.",
                help_title: "factdesk help",
                help_intro: "I answer questions about one story: “{title}” ({outlet}, \
                    {published}). I quote the article word for word and label each quote \
                    **Confirmed**, **Reported** or **Unclear**. Most of this story is \
                    unconfirmed, and I say so.",
                help_other_ways: "You can also mention me with a question, or DM me.",
                help_moderators: "Moderators",
                help_on_any_message: "on any message",
                topics: "Topics",
                earlier: "Earlier reporting",
            },
            Language::Ukrainian => Labels {
                confirmed: "Підтверджено",
                reported: "Повідомляється",
                unclear: "Невідомо",
                nothing_unclear: "У цій темі немає невідомого; відкриті питання — у /unclear.",
                did_you_mean: "Ви мали на увазі…",
                not_this_story: "Ця історія про таке не розповідає",
                see_help: "Наберіть /help, щоб побачити все, на що я можу відповісти.",
                help_title: "Довідка factdesk",
                help_intro: "Я відповідаю на питання про одну історію: «{title}» ({outlet}, \
                    {published}). Я цитую статтю дослівно (англійською) і позначаю кожну \
                    цитату: **Підтверджено**, **Повідомляється** або **Невідомо**. Більша \
                    частина цієї історії не підтверджена, і я так і кажу.",
                help_other_ways: "Можна також згадати мене з питанням або написати в особисті.",
                help_moderators: "Модератори",
                help_on_any_message: "на будь-якому повідомленні",
                topics: "Теми",
                earlier: "Раніше повідомлялося",
            },
            Language::Russian => Labels {
                confirmed: "Подтверждено",
                reported: "Сообщается",
                unclear: "Неизвестно",
                nothing_unclear: "В этой теме нет неизвестного; открытые вопросы — в /unclear.",
                did_you_mean: "Вы имели в виду…",
                not_this_story: "Эта история о таком не рассказывает",
                see_help: "Наберите /help, чтобы увидеть всё, на что я могу ответить.",
                help_title: "Справка factdesk",
                help_intro: "Я отвечаю на вопросы об одной истории: «{title}» ({outlet}, \
                    {published}). Я цитирую статью дословно (по-английски) и помечаю каждую \
                    цитату: **Подтверждено**, **Сообщается** или **Неизвестно**. Большая \
                    часть этой истории не подтверждена, и я так и говорю.",
                help_other_ways: "Можно также упомянуть меня с вопросом или написать в личку.",
                help_moderators: "Модераторы",
                help_on_any_message: "на любом сообщении",
                topics: "Темы",
                earlier: "Ранее сообщалось",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_locales_map_to_languages() {
        assert_eq!(Language::from_locale("uk"), Some(Language::Ukrainian));
        assert_eq!(Language::from_locale("ru"), Some(Language::Russian));
        assert_eq!(Language::from_locale("en-US"), Some(Language::English));
        assert_eq!(Language::from_locale("de"), None);
    }

    #[test]
    fn questions_are_told_apart_by_script_letters_and_words() {
        assert_eq!(
            Language::of_text("who controls the plant?"),
            Language::English
        );
        assert_eq!(
            Language::of_text("хто контролює станцію?"),
            Language::Ukrainian
        );
        assert_eq!(
            Language::of_text("кто контролирует станцию?"),
            Language::Russian
        );
        assert_eq!(
            Language::of_text("що там з майнінгом на ЗАЕС"),
            Language::Ukrainian
        );
        assert_eq!(
            Language::of_text("что там с майнингом на ЗАЭС"),
            Language::Russian
        );
        assert_eq!(
            Language::of_text("это правда про btc mining?"),
            Language::Russian
        );
        assert_eq!(
            Language::of_text("is the ЗАЕС story true"),
            Language::English
        );
        assert_eq!(Language::of_text(""), Language::English);
    }
}
