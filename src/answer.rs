//! Composing an `Answer` from a match: the short answer, labelled verbatim quotes, the
//! source link and suggestions.
//!
//! Front-end neutral: it produces data that the terminal and Discord render in their own
//! way. Quotes are copied from the knowledge base untouched; nothing here edits them.

use serde::Serialize;

use crate::knowledge::{Claim, ClaimStatus, KnowledgeBase, Story, Topic};
use crate::language::Language;
use crate::matching::{Match, MatchStatus};

/// Said whenever a topic has no confirmed claim: the honest answer is part of the product.
pub const NOTHING_CONFIRMED: &str =
    "Nothing here is confirmed: the article gives no confirmation for this.";

/// The bot's own sentences in each language it speaks. Story titles, topic titles and
/// quotes stay as curated (English): they are the article's words.
mod sentences {
    use super::{Language, Story, NOTHING_CONFIRMED};

    pub fn nothing_confirmed(language: Language) -> &'static str {
        match language {
            Language::English => NOTHING_CONFIRMED,
            Language::Ukrainian => {
                "Тут нічого не підтверджено: стаття не наводить цьому підтверджень."
            }
            Language::Russian => {
                "Здесь ничего не подтверждено: статья не приводит этому подтверждений."
            }
        }
    }

    /// Before a curated (English) answer to a question asked in Ukrainian or Russian.
    pub fn quotes_are_english(language: Language) -> Option<&'static str> {
        match language {
            Language::English => None,
            Language::Ukrainian => {
                Some("Цитати — дослівно з англомовної статті, тож відповідь нижче англійською.")
            }
            Language::Russian => {
                Some("Цитаты — дословно из англоязычной статьи, поэтому ответ ниже на английском.")
            }
        }
    }

    /// Before the answer of a topic that quotes a later source: the newest state first.
    pub fn as_of(language: Language, published: &str, outlet: &str) -> String {
        match language {
            Language::English => format!("As of {published} ({outlet}):"),
            Language::Ukrainian => format!("Станом на {published} ({outlet}):"),
            Language::Russian => format!("По состоянию на {published} ({outlet}):"),
        }
    }

    pub fn ambiguous(language: Language, first: &str, second: &str) -> String {
        match language {
            Language::English => format!("Your question could be about “{first}” or “{second}”. Pick one to see what the article says."),
            Language::Ukrainian => format!("Ваше питання може стосуватися «{first}» або «{second}». Оберіть тему, щоб побачити, що каже стаття."),
            Language::Russian => format!("Ваш вопрос может касаться «{first}» или «{second}». Выберите тему, чтобы увидеть, что говорит статья."),
        }
    }

    pub fn ask_me(language: Language, story: &Story) -> String {
        let (title, outlet, published) = (&story.title, &story.outlet, &story.published);
        match language {
            Language::English => {
                format!("Ask me a question about “{title}” ({outlet}, {published}).")
            }
            Language::Ukrainian => {
                format!("Поставте мені питання про «{title}» ({outlet}, {published}).")
            }
            Language::Russian => format!("Задайте мне вопрос о «{title}» ({outlet}, {published})."),
        }
    }

    pub fn not_this_story(language: Language, story: &Story, examples: &str) -> String {
        let (title, outlet, published) = (&story.title, &story.outlet, &story.published);
        match language {
            Language::English => format!(
                "Sorry, I can only answer questions about one story: “{title}” ({outlet}, {published}), and I could not find that in it. You could ask about {examples}."
            ),
            Language::Ukrainian => format!(
                "Вибачте, я відповідаю лише на питання про одну історію: «{title}» ({outlet}, {published}), і цього в ній не знайшов. Можна запитати про {examples}."
            ),
            Language::Russian => format!(
                "Извините, я отвечаю только на вопросы об одной истории: «{title}» ({outlet}, {published}), и этого в ней не нашёл. Можно спросить о {examples}."
            ),
        }
    }
}

/// How many topics a no-match reply offers.
const NO_MATCH_SUGGESTIONS: usize = 4;

/// What the bot says about one question. Serialises to the machine contract of
/// `factdesk ask --json`: exactly the fields `question`, `status`, `topic`, `confidence`,
/// `answer`, `quotes`, `suggestions` and `source`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// Answered, ambiguous or no match.
    pub status: AnswerStatus,
    /// The topic answered, if any.
    pub topic: Option<String>,
    /// Confidence in [0, 1], rounded to three decimals.
    pub confidence: f64,
    /// The short answer in the bot's own voice.
    pub answer: String,
    /// Verbatim quotes, confirmed first, then reported, then unclear.
    pub quotes: Vec<Claim>,
    /// Topics to offer next: related topics, the candidates of an ambiguous question,
    /// or starting points after a miss. The contract prints their ids; a button shows
    /// their titles.
    pub suggestions: Vec<Suggestion>,
    /// Link to the original article; always present.
    #[serde(rename = "source")]
    pub source_url: String,
    /// The newest source the answer draws on (for a topic), or the story's newest source,
    /// `YYYY-MM-DD`: what the answer is "as of".
    pub as_of: String,
    /// Title of the answered topic (not part of the JSON contract).
    #[serde(skip)]
    pub title: Option<String>,
    /// The language of the bot's own sentences in `answer` (not part of the contract).
    #[serde(skip)]
    pub language: Language,
}

impl Answer {
    /// Whether this answer is right by the contract's rule for a labelled question: with
    /// `expected` article fragments, answered and quoting one of them (runs of whitespace
    /// folded); with none, refused. Question sets and the evaluator judge by it.
    pub fn meets(&self, expected: &[String]) -> bool {
        if expected.is_empty() {
            return self.status == AnswerStatus::NoMatch;
        }
        let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.status == AnswerStatus::Answered
            && self.quotes.iter().any(|quote| {
                let quote = collapse(&quote.text);
                expected
                    .iter()
                    .any(|fragment| quote.contains(&collapse(fragment)))
            })
    }
}

/// A topic offered next: its id, which is all the JSON contract prints, and its title,
/// which a button shows, so that rendering never looks a topic up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The topic's id.
    pub id: String,
    /// The topic's title.
    pub title: String,
}

impl Suggestion {
    fn of(topic: &Topic) -> Suggestion {
        Suggestion {
            id: topic.id.clone(),
            title: topic.title.clone(),
        }
    }
}

impl Serialize for Suggestion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id)
    }
}

/// The three outcomes of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    /// A topic answered the question.
    Answered,
    /// Two topics were too close to call; `suggestions` holds both.
    Ambiguous,
    /// The question is not about the story.
    NoMatch,
}

/// A topic ranked after the answered one is offered among the suggestions when its
/// confidence is at least this share of the best.
const RUNNER_UP_SHARE: f32 = 0.8;
/// Most topics suggested after an answer (Discord shows them as one row of buttons).
const MAX_SUGGESTIONS: usize = 4;

/// Composes the answer for a matched question, the bot's own sentences in `language`.
pub fn compose(
    knowledge_base: &KnowledgeBase,
    question: &str,
    matched: &Match,
    language: Language,
) -> Answer {
    let best = matched.ranked.first();
    match (matched.status, best) {
        (MatchStatus::Answered, Some(best)) => {
            let topic = &knowledge_base.topics[best.topic_index];
            let mut answer = compose_topic(
                knowledge_base,
                question,
                topic,
                f64::from(best.confidence),
                language,
            );
            // A close runner-up is offered first: the question may have meant it.
            let runners_up = matched
                .ranked
                .iter()
                .skip(1)
                .filter(|scored| scored.confidence >= best.confidence * RUNNER_UP_SHARE)
                .map(|scored| Suggestion::of(&knowledge_base.topics[scored.topic_index]));
            let mut suggestions: Vec<Suggestion> = Vec::with_capacity(MAX_SUGGESTIONS);
            for suggestion in runners_up.chain(answer.suggestions.drain(..)) {
                if suggestion.id != topic.id
                    && !suggestions.iter().any(|seen| seen.id == suggestion.id)
                {
                    suggestions.push(suggestion);
                }
            }
            suggestions.truncate(MAX_SUGGESTIONS);
            answer.suggestions = suggestions;
            answer
        }
        (MatchStatus::Ambiguous, Some(best)) => {
            let candidates: Vec<&Topic> = matched
                .ranked
                .iter()
                .take(2)
                .map(|scored| &knowledge_base.topics[scored.topic_index])
                .collect();
            let titles: Vec<&str> = candidates
                .iter()
                .map(|topic| topic.title.as_str())
                .collect();
            let answer = match titles.as_slice() {
                [first, second, ..] => sentences::ambiguous(language, first, second),
                _ => sentences::ask_me(language, &knowledge_base.story),
            };
            Answer {
                question: question.to_string(),
                status: AnswerStatus::Ambiguous,
                topic: None,
                confidence: round(f64::from(best.confidence)),
                answer,
                quotes: Vec::new(),
                suggestions: candidates
                    .iter()
                    .map(|topic| Suggestion::of(topic))
                    .collect(),
                source_url: knowledge_base.story.source_url.clone(),
                as_of: knowledge_base.story.as_of.clone(),
                title: None,
                language,
            }
        }
        _ => compose_no_match(
            knowledge_base,
            question,
            best.map_or(0.0, |best| f64::from(best.confidence)),
            language,
        ),
    }
}

/// Composes the answer of one topic, as when someone picks it by name or button.
pub fn compose_topic(
    knowledge_base: &KnowledgeBase,
    question: &str,
    topic: &Topic,
    confidence: f64,
    language: Language,
) -> Answer {
    // The current state first, newest source first within each label; then the earlier
    // reporting that later claims updated, labelled as such, never dropped.
    let mut quotes: Vec<Claim> = Vec::with_capacity(topic.claims.len());
    for earlier in [false, true] {
        for status in [
            ClaimStatus::Confirmed,
            ClaimStatus::Reported,
            ClaimStatus::Unclear,
        ] {
            let start = quotes.len();
            quotes.extend(
                topic
                    .claims_with(status)
                    .filter(|claim| claim.earlier == earlier)
                    .cloned(),
            );
            // Stable: curated order within one source.
            quotes[start..].sort_by(|left, right| right.published.cmp(&left.published));
        }
    }
    let newest = topic
        .claims
        .iter()
        .filter(|claim| !claim.earlier)
        .max_by(|left, right| left.published.cmp(&right.published));
    let as_of = newest.map_or_else(
        || knowledge_base.story.as_of.clone(),
        |claim| claim.published.clone(),
    );
    let mut answer = String::new();
    if let Some(note) = sentences::quotes_are_english(language) {
        answer.push_str(note);
        answer.push_str("\n\n");
    }
    // A topic that quotes a later source says how current it is.
    if let Some(source) = newest
        .filter(|claim| claim.source != crate::knowledge::ARTICLE_SOURCE)
        .and_then(|claim| {
            knowledge_base
                .sources
                .iter()
                .find(|source| source.id == claim.source)
        })
    {
        answer.push_str(&sentences::as_of(
            language,
            &source.published,
            &source.outlet,
        ));
        answer.push('\n');
    }
    answer.push_str(&topic.answer);
    if !topic
        .claims_with(ClaimStatus::Confirmed)
        .any(|claim| !claim.earlier)
    {
        answer.push_str("\n\n");
        answer.push_str(sentences::nothing_confirmed(language));
    }
    Answer {
        question: question.to_string(),
        status: AnswerStatus::Answered,
        topic: Some(topic.id.clone()),
        confidence: round(confidence),
        answer,
        quotes,
        suggestions: topic
            .related
            .iter()
            .filter_map(|id| knowledge_base.topic(id))
            .map(Suggestion::of)
            .collect(),
        source_url: knowledge_base.story.source_url.clone(),
        as_of,
        title: Some(topic.title.clone()),
        language,
    }
}

fn compose_no_match(
    knowledge_base: &KnowledgeBase,
    question: &str,
    confidence: f64,
    language: Language,
) -> Answer {
    let starters: Vec<&Topic> = knowledge_base
        .story
        .summary_topics
        .iter()
        .filter_map(|id| knowledge_base.topic(id))
        .take(NO_MATCH_SUGGESTIONS)
        .collect();
    let examples: Vec<String> = starters
        .iter()
        .map(|topic| format!("“{}”", topic.title))
        .collect();
    let story = &knowledge_base.story;
    let answer = if question.trim().is_empty() {
        sentences::ask_me(language, story)
    } else {
        sentences::not_this_story(language, story, &examples.join(", "))
    };
    Answer {
        question: question.to_string(),
        status: AnswerStatus::NoMatch,
        topic: None,
        confidence: round(confidence),
        answer,
        quotes: Vec::new(),
        suggestions: starters.iter().map(|topic| Suggestion::of(topic)).collect(),
        source_url: story.source_url.clone(),
        as_of: story.as_of.clone(),
        title: None,
        language,
    }
}

impl From<MatchStatus> for AnswerStatus {
    fn from(status: MatchStatus) -> AnswerStatus {
        match status {
            MatchStatus::Answered => AnswerStatus::Answered,
            MatchStatus::Ambiguous => AnswerStatus::Ambiguous,
            MatchStatus::NoMatch => AnswerStatus::NoMatch,
        }
    }
}

impl AnswerStatus {
    /// The status as written in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::Answered => "answered",
            AnswerStatus::Ambiguous => "ambiguous",
            AnswerStatus::NoMatch => "no_match",
        }
    }
}

fn round(confidence: f64) -> f64 {
    (confidence.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}
