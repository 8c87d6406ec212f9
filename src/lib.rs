//! factdesk answers questions about one news story from curated, verbatim, labelled quotes.
//!
//! The crate's map:
//! - [`knowledge`]: the answer files (story, article, synonyms, topics), their loading and
//!   the grounding check. The only file IO in the core.
//! - [`matching`]: normalising chat text and scoring it against topics.
//! - [`answer`]: composing an [`answer::Answer`] from a match.
//! - [`language`]: the languages of the bot's own sentences (English, Ukrainian, Russian).
//! - [`summary`]: the moderator summary, as data.
//! - [`desk`]: [`FactDesk`], the loaded story that every front end holds.
//! - [`unanswered`]: the log of questions the desk could not answer, and its summary.
//! - [`store`]: the bot's own state (followed channels, what was announced where) in an
//!   embedded SQLite file or a shared Postgres; never imports serenity.
//! - [`cooldown`]: per-user and per-channel cooldowns (pure, time passed in).
//! - [`config`]: the bot's environment variables, typed (ids as serenity ids) and validated once.
//! - [`discord`]: the Discord adapter, the only module that talks to Discord.
//! - [`bounded_read`]: reading lines of any length with bounded memory.
//! - [`cli`]: the terminal front end (`ask`, `topics`, `summary`, `check`, `unanswered`, `serve`).
//!
//! The core (`knowledge`, `matching`, `answer`, `summary`, `desk`) never imports serenity
//! or tokio and never decides how anything looks on screen.
#![warn(clippy::unwrap_used, clippy::expect_used, missing_docs)]

pub mod answer;
pub mod bounded_read;
pub mod cli;
pub mod config;
pub mod cooldown;
pub mod desk;
pub mod discord;
pub mod knowledge;
pub mod language;
pub mod matching;
pub mod parallel;
pub mod store;
pub mod summary;
pub mod terms_cache;
pub mod unanswered;
pub mod updates;

pub use desk::FactDesk;
