//! The bot's configuration: every environment variable, read once at start, validated
//! into typed values. An error names the variable and says what to put in it.
//!
//! Never logs or displays the token.

use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

use serenity::all::{ChannelId, GuildId};

use crate::unanswered::Rotation;

/// Where to find the documentation of every variable.
const SEE: &str = "see .env.example";

/// Log targets capped at info whatever `RUST_LOG` asks, because at debug or trace they
/// print what goes over the wire, token included: WebSocket frames (the gateway's
/// IDENTIFY and RESUME carry the token) and HTTP requests (`Authorization`).
pub const CAPPED_LOG_TARGETS: &[&str] = &[
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "h2",
    "reqwest",
    "rustls",
];

/// Most shards one process runs. Discord asks for a shard per 1,000-2,500 servers and
/// identifies at most a few at a time; a process beyond this should be several.
pub const MAX_SHARDS_PER_PROCESS: u32 = 64;
/// Most shards in all: far more than any bot that fits this design needs, and it keeps
/// a typo (`0-4294967294/4294967295`) from being taken as a plan.
pub const MAX_TOTAL_SHARDS: u32 = 16_384;

/// Everything `factdesk serve` needs to know, typed.
#[derive(Debug, Clone)]
pub struct Config {
    /// The bot token (`DISCORD_TOKEN`).
    pub token: Token,
    /// Register commands in this guild only (`DISCORD_GUILD_ID`), which is instant.
    pub guild_id: Option<GuildId>,
    /// Base URL for all REST calls (`DISCORD_API_BASE`), e.g. a twilight-http-proxy.
    pub api_base: Option<String>,
    /// The answer files: given by the caller (the CLI's `--responses`, which reads
    /// `FACTDESK_RESPONSES` once), not read here.
    pub responses_dir: PathBuf,
    /// Minimum time between two questions from one user (`FACTDESK_USER_COOLDOWN_SECS`).
    pub user_cooldown: Duration,
    /// Minimum time between two answers in one channel (`FACTDESK_CHANNEL_COOLDOWN_SECS`).
    pub channel_cooldown: Duration,
    /// Channels where questions are answered without a mention (`FACTDESK_OPEN_CHANNELS`).
    pub open_channels: Vec<ChannelId>,
    /// Where unanswered and ambiguous questions are appended (`FACTDESK_UNANSWERED_LOG`).
    pub unanswered_log: PathBuf,
    /// How big that log may grow (`FACTDESK_UNANSWERED_MAX_MB`, `FACTDESK_UNANSWERED_KEEP`).
    pub unanswered_rotation: Rotation,
    /// Where to serve `/healthz` and `/metrics` (`FACTDESK_METRICS_ADDR`), if anywhere.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Which shards this process runs (`FACTDESK_SHARDS`), or None to let Discord decide.
    pub shards: Option<Shards>,
    /// The bot's own state: followed channels (`FACTDESK_DATABASE_URL`).
    pub database_url: DatabaseUrl,
}

/// A shard range for this process and the total across all processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shards {
    /// The shard ids this process runs, e.g. 0..=1.
    pub range: RangeInclusive<u32>,
    /// The total number of shards of the bot.
    pub total: u32,
}

/// A Discord bot token. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// A variable that is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {message} ({SEE})")]
pub struct ConfigError {
    /// The environment variable.
    pub variable: &'static str,
    /// What is wrong and what to put there.
    pub message: String,
}

impl Config {
    /// Reads the configuration from the process environment, for the answer files in
    /// `responses_dir`.
    pub fn from_env(responses_dir: PathBuf) -> Result<Config, ConfigError> {
        Config::from_vars(&std::env::vars().collect(), responses_dir)
    }

    /// Reads the configuration from a map of variables (the environment, or a test's).
    pub fn from_vars(
        vars: &HashMap<String, String>,
        responses_dir: PathBuf,
    ) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            vars.get(name)
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
        };
        let token = match get("DISCORD_TOKEN") {
            Some(token) => Token::parse(token)?,
            None => {
                return Err(ConfigError {
                    variable: "DISCORD_TOKEN",
                    message: "missing: copy .env.example to .env and put your bot token there"
                        .to_string(),
                })
            }
        };
        let guild_id = get("DISCORD_GUILD_ID")
            .map(|value| parse_id("DISCORD_GUILD_ID", value).map(GuildId::new))
            .transpose()?;
        let api_base = get("DISCORD_API_BASE").map(parse_api_base).transpose()?;
        let seconds = |name: &'static str, default: f64| -> Result<Duration, ConfigError> {
            match get(name) {
                None => Ok(Duration::from_secs_f64(default)),
                Some(value) => value
                    .parse::<f64>()
                    .ok()
                    .filter(|seconds| seconds.is_finite() && (0.0..=86_400.0).contains(seconds))
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| ConfigError {
                        variable: name,
                        message: format!("`{value}` is not a number of seconds from 0 to 86400"),
                    }),
            }
        };
        let whole = |name: &'static str,
                     default: u64,
                     range: RangeInclusive<u64>|
         -> Result<u64, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(value) => value
                    .parse::<u64>()
                    .ok()
                    .filter(|number| range.contains(number))
                    .ok_or_else(|| ConfigError {
                        variable: name,
                        message: format!(
                            "`{value}` is not a whole number from {} to {}",
                            range.start(),
                            range.end()
                        ),
                    }),
            }
        };
        let open_channels = match get("FACTDESK_OPEN_CHANNELS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| parse_id("FACTDESK_OPEN_CHANNELS", id).map(ChannelId::new))
                .collect::<Result<_, _>>()?,
        };
        Ok(Config {
            token,
            guild_id,
            api_base,
            responses_dir,
            user_cooldown: seconds("FACTDESK_USER_COOLDOWN_SECS", 5.0)?,
            channel_cooldown: seconds("FACTDESK_CHANNEL_COOLDOWN_SECS", 1.0)?,
            open_channels,
            unanswered_log: PathBuf::from(
                get("FACTDESK_UNANSWERED_LOG").unwrap_or("unanswered.jsonl"),
            ),
            unanswered_rotation: Rotation {
                max_bytes: whole("FACTDESK_UNANSWERED_MAX_MB", 16, 1..=4096)? << 20,
                keep: whole("FACTDESK_UNANSWERED_KEEP", 4, 0..=99)? as usize,
            },
            metrics_addr: get("FACTDESK_METRICS_ADDR")
                .map(|value| {
                    value.parse().map_err(|_| ConfigError {
                        variable: "FACTDESK_METRICS_ADDR",
                        message: format!(
                            "`{value}` is not an address and port like 127.0.0.1:9100"
                        ),
                    })
                })
                .transpose()?,
            shards: get("FACTDESK_SHARDS").map(parse_shards).transpose()?,
            database_url: DatabaseUrl(
                get("FACTDESK_DATABASE_URL")
                    .filter(|url| !url.trim().is_empty())
                    .unwrap_or(DEFAULT_DATABASE_URL)
                    .to_string(),
            ),
        })
    }
}

impl Token {
    /// Checks the shape of a bot token: three dot-separated base64url parts.
    pub fn parse(text: &str) -> Result<Token, ConfigError> {
        let text = text.strip_prefix("Bot ").unwrap_or(text);
        let parts: Vec<&str> = text.split('.').collect();
        let base64url = |part: &&str| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        };
        if parts.len() == 3 && parts.iter().all(base64url) {
            Ok(Token(text.to_string()))
        } else {
            Err(ConfigError {
                variable: "DISCORD_TOKEN",
                message:
                    "malformed: a bot token is three dot-separated parts, as shown on the Bot page \
                          of the Discord developer portal"
                        .to_string(),
            })
        }
    }

    /// The token itself, for the one place that sends it to Discord.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Where the bot keeps its own state when `FACTDESK_DATABASE_URL` is not set: an SQLite
/// file in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://factdesk.db?mode=rwc";

/// A database URL. It may hold a password, so `Debug` and `Display` show it redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The URL itself, for opening the database only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", crate::store::redact(&self.0))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::store::redact(&self.0))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

fn parse_id(variable: &'static str, value: &str) -> Result<u64, ConfigError> {
    value
        .parse::<u64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ConfigError {
            variable,
            message: format!(
                "`{value}` is not a Discord id (a positive number; copy it with Developer Mode on)"
            ),
        })
}

fn parse_api_base(value: &str) -> Result<String, ConfigError> {
    let trimmed = value.trim_end_matches('/');
    let host = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', ' ', '?', '#']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError {
            variable: "DISCORD_API_BASE",
            message: format!(
                "`{value}` is not a base URL like http://127.0.0.1:3000 (scheme and host, no path)"
            ),
        }),
    }
}

fn parse_shards(value: &str) -> Result<Shards, ConfigError> {
    let error = || {
        ConfigError {
        variable: "FACTDESK_SHARDS",
        message: format!("`{value}` is not FIRST-LAST/TOTAL (e.g. 0-1/4) or ID/TOTAL (e.g. 2/4) with LAST < TOTAL"),
    }
    };
    let (range, total) = value.split_once('/').ok_or_else(error)?;
    let total: u32 = total.trim().parse().map_err(|_| error())?;
    let (first, last) = match range.split_once('-') {
        Some((first, last)) => (first.trim().parse::<u32>(), last.trim().parse::<u32>()),
        None => (range.trim().parse::<u32>(), range.trim().parse::<u32>()),
    };
    match (first, last) {
        (Ok(first), Ok(last)) if first <= last && last < total => {
            if last - first + 1 > MAX_SHARDS_PER_PROCESS || total > MAX_TOTAL_SHARDS {
                return Err(ConfigError {
                    variable: "FACTDESK_SHARDS",
                    message: format!(
                        "`{value}` runs {} shard(s) in this process and {total} in all; the limits are \
                         {MAX_SHARDS_PER_PROCESS} per process and {MAX_TOTAL_SHARDS} in all: split the range over more processes",
                        last - first + 1
                    ),
                });
            }
            Ok(Shards {
                range: first..=last,
                total,
            })
        }
        _ => Err(error()),
    }
}

/// A `.env` file that could not be loaded. Never shows the file's text: a malformed line
/// may be the one holding the token.
#[derive(Debug, thiserror::Error)]
pub enum DotenvError {
    /// A line is not `NAME=value`.
    #[error("{path} line {line} is malformed (not shown, as it may hold a secret); write NAME=value, as in .env.example", path = .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
    },
    /// The file exists but cannot be read.
    #[error("{path} cannot be read: {kind}", path = .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong, without any of the file's text.
        kind: std::io::ErrorKind,
    },
}

/// Loads `.env` from the working folder or the nearest parent that has one, as dotenv
/// does: variables already set win. Stops at the first malformed line, naming its number.
pub fn load_dotenv() -> Result<(), DotenvError> {
    let Some(path) = find_dotenv() else {
        return Ok(());
    };
    let unreadable = |kind| DotenvError::Unreadable {
        path: path.clone(),
        kind,
    };
    let items = dotenvy::from_path_iter(&path).map_err(|error| match error {
        dotenvy::Error::Io(io) => unreadable(io.kind()),
        _ => unreadable(std::io::ErrorKind::InvalidData),
    })?;
    for item in items {
        match item {
            Ok((name, value)) => {
                if std::env::var_os(&name).is_none() {
                    std::env::set_var(name, value);
                }
            }
            Err(dotenvy::Error::LineParse(text, _)) => {
                let line = line_number_of(&path, &text);
                return Err(DotenvError::Malformed { path, line });
            }
            Err(dotenvy::Error::Io(io)) => return Err(unreadable(io.kind())),
            Err(_) => return Err(unreadable(std::io::ErrorKind::InvalidData)),
        }
    }
    Ok(())
}

fn find_dotenv() -> Option<PathBuf> {
    let start = std::env::current_dir().ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(".env"))
        .find(|candidate| candidate.is_file())
}

/// The 1-based line where a malformed entry starts (its first line may continue onto
/// more), or 1 if it cannot be found again.
fn line_number_of(path: &std::path::Path, entry: &str) -> usize {
    let first = entry.lines().next().unwrap_or("").trim();
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.lines().position(|line| line.trim() == first))
        .map_or(1, |index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_vars(
            &pairs
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect(),
            PathBuf::from("responses"),
        )
    }

    #[test]
    fn defaults_need_only_a_token() {
        let Ok(config) = config(&[("DISCORD_TOKEN", TOKEN)]) else {
            panic!("valid")
        };
        assert_eq!(config.responses_dir, PathBuf::from("responses"));
        assert_eq!(config.user_cooldown, Duration::from_secs(5));
        assert!(config.open_channels.is_empty());
        assert_eq!(config.shards, None);
    }

    #[test]
    fn a_missing_or_malformed_token_names_the_variable_and_the_example() {
        for pairs in [
            vec![],
            vec![("DISCORD_TOKEN", "not a token")],
            vec![("DISCORD_TOKEN", "a.b")],
        ] {
            let Err(error) = config(&pairs) else {
                panic!("must fail")
            };
            assert_eq!(error.variable, "DISCORD_TOKEN");
            let text = error.to_string();
            assert!(text.contains(".env.example"), "{text}");
            assert!(
                !text.contains("not a token"),
                "the token value must never be echoed: {text}"
            );
        }
    }

    #[test]
    fn the_token_is_never_displayed() {
        let Ok(config) = config(&[("DISCORD_TOKEN", TOKEN)]) else {
            panic!("valid")
        };
        assert!(!format!("{config:?}").contains("abcdefghij"));
        assert_eq!(config.token.to_string(), "<redacted>");
        assert_eq!(config.token.expose(), TOKEN);
    }

    #[test]
    fn bad_values_are_rejected_with_their_variable() {
        let cases = [
            ("DISCORD_GUILD_ID", "abc"),
            ("DISCORD_API_BASE", "127.0.0.1:3000"),
            ("DISCORD_API_BASE", "http://host/path"),
            ("FACTDESK_USER_COOLDOWN_SECS", "-1"),
            ("FACTDESK_CHANNEL_COOLDOWN_SECS", "soon"),
            ("FACTDESK_OPEN_CHANNELS", "1,two"),
            ("FACTDESK_SHARDS", "3/2"),
            ("FACTDESK_SHARDS", "1-0/4"),
            ("FACTDESK_SHARDS", "0-4294967294/4294967295"),
            ("FACTDESK_SHARDS", "0-99/100"),
            ("FACTDESK_UNANSWERED_MAX_MB", "0"),
            ("FACTDESK_UNANSWERED_KEEP", "many"),
            ("FACTDESK_METRICS_ADDR", "localhost"),
        ];
        for (variable, value) in cases {
            let Err(error) = config(&[("DISCORD_TOKEN", TOKEN), (variable, value)]) else {
                panic!("{variable}={value} must fail")
            };
            assert_eq!(error.variable, variable);
        }
    }

    #[test]
    fn values_are_typed() {
        let Ok(config) = config(&[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_GUILD_ID", "42"),
            ("DISCORD_API_BASE", "http://127.0.0.1:3000/"),
            ("FACTDESK_OPEN_CHANNELS", "1, 2"),
            ("FACTDESK_USER_COOLDOWN_SECS", "0.5"),
            ("FACTDESK_SHARDS", "1-2/4"),
        ]) else {
            panic!("valid")
        };
        assert_eq!(config.guild_id, Some(GuildId::new(42)));
        assert_eq!(config.api_base.as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(config.open_channels, [ChannelId::new(1), ChannelId::new(2)]);
        assert_eq!(config.user_cooldown, Duration::from_millis(500));
        assert_eq!(
            config.shards,
            Some(Shards {
                range: 1..=2,
                total: 4
            })
        );
    }
}
