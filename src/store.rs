//! The bot's own state: which channels follow the story, and which sources were already
//! announced where. It lives in a database so that it survives restarts and can be shared:
//! an embedded SQLite file by default, one Postgres when the bot runs as several processes
//! on several machines. This module never imports serenity: ids are plain `u64`.
//!
//! Every query goes through `sqlx::any` at run time (no database at compile time) and is
//! written once, in SQL that SQLite (3.24 or newer; the bundled one is newer) and Postgres
//! both accept:
//! - Parameters are `$1`, `$2`: Postgres knows no `?`, and SQLite binds `$N` by number.
//! - Snowflakes are `BIGINT`: both databases store signed 64-bit integers, and sqlx's `Any`
//!   driver has no `u64`. An id is stored as the `i64` with the same 64 bits
//!   ([`u64::cast_signed`]) and read back with [`i64::cast_unsigned`], so every `u64`
//!   round-trips; an id above `i64::MAX` is stored as a negative number. Discord's ids are
//!   below 2^63 until about 2084, but nothing here depends on that.
//! - Writes that two processes may race on (`follow`, `mark_announced`, recording a schema
//!   version) are `INSERT ... ON CONFLICT DO NOTHING` or rely on a primary key, so the loser
//!   sees "already there", not an error.
//! - Each migration runs one statement at a time (a Postgres prepared statement holds one),
//!   in a transaction: both databases roll back DDL.

use std::fmt;
use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection};

/// The schema this build writes and understands: the number of [`MIGRATIONS`].
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// One channel that follows the story in one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subscription {
    /// The server (guild) the channel belongs to.
    pub guild_id: u64,
    /// The channel that gets a post when a reload brings a new source.
    pub channel_id: u64,
}

/// A failure of the store, worded for the person who runs the bot. A database URL is only
/// ever shown with its user name and password replaced by `***`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached, opened or created.
    #[error("cannot open the database at {url}: {reason}")]
    Open {
        /// The database URL, redacted.
        url: String,
        /// Why, with any password from the URL removed.
        reason: String,
    },
    /// The database was upgraded by a newer factdesk; this build refuses to touch it.
    #[error(
        "the database at {url} was created by a newer factdesk (schema {found}, this build \
         knows {known}); run that version or a newer one, or open another database"
    )]
    NewerSchema {
        /// The database URL, redacted.
        url: String,
        /// The newest schema version recorded in the database.
        found: i64,
        /// The newest schema version this build knows ([`SCHEMA_VERSION`]).
        known: i64,
    },
    /// Bringing the database to this build's schema failed; nothing of that step was kept.
    #[error("cannot upgrade the database at {url} to schema {version} ({description}): {reason}")]
    Migrate {
        /// The database URL, redacted.
        url: String,
        /// The schema version that failed.
        version: i64,
        /// What that version adds.
        description: &'static str,
        /// Why, with any password from the URL removed.
        reason: String,
    },
    /// A query failed on an open database (the server went away, the disk is full...).
    #[error("the database failed to {action}: {source}")]
    Query {
        /// What the store was doing, as a verb phrase ("save a followed channel").
        action: &'static str,
        /// The database driver's error.
        source: sqlx::Error,
    },
}

/// The store: a small pool of connections to one database, cheap to clone and share.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// The URL with its credentials replaced, for messages.
    url: String,
}

/// One step of the schema: plain SQL, applied once, in a transaction, in list order. A
/// released migration is never edited; a change is a new one at the end.
#[derive(Clone, Copy)]
struct Migration {
    /// What it adds, recorded next to its version for whoever reads the database.
    description: &'static str,
    /// Statements run one by one.
    statements: &'static [&'static str],
}

/// The schema's history. Version N is `MIGRATIONS[N - 1]`.
const MIGRATIONS: &[Migration] = &[Migration {
    description: "followed channels and announced sources",
    statements: &[
        "CREATE TABLE subscription (
            guild_id BIGINT NOT NULL,
            channel_id BIGINT NOT NULL,
            PRIMARY KEY (guild_id, channel_id)
        )",
        "CREATE TABLE announcement (
            channel_id BIGINT NOT NULL,
            source_id TEXT NOT NULL,
            PRIMARY KEY (channel_id, source_id)
        )",
    ],
}];

/// Created before any migration, so that the version can be read on any database.
const CREATE_SCHEMA_VERSION: &str = "CREATE TABLE IF NOT EXISTS schema_version (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL
)";

/// Connections a Postgres pool may hold per process. The bot writes a few rows per reload
/// and per moderator command; four keeps a slow query from holding up the rest.
const POSTGRES_CONNECTIONS: u32 = 4;
/// How long a query waits for a free connection, and `open` for the first one, before
/// failing with a message instead of hanging on an unreachable server.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens the database at `url` and brings it to this build's schema:
    /// `sqlite://PATH?mode=rwc` (creates the file, not its folder) or
    /// `postgres://USER:PASSWORD@HOST/DATABASE`. Refuses a database written by a newer
    /// factdesk.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, MIGRATIONS, ACQUIRE_TIMEOUT).await
    }

    /// Subscribes `channel_id` in `guild_id`; true if it was not followed already.
    pub async fn follow(&self, guild_id: u64, channel_id: u64) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO subscription (guild_id, channel_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(to_db(guild_id))
        .bind(to_db(channel_id))
        .execute(&self.pool)
        .await
        .map_err(query_error("save a followed channel"))?;
        Ok(result.rows_affected() > 0)
    }

    /// Unsubscribes `channel_id` in `guild_id`; true if it was followed. What was announced
    /// there is kept, so following again does not repost old sources.
    pub async fn unfollow(&self, guild_id: u64, channel_id: u64) -> Result<bool, StoreError> {
        let result =
            sqlx::query("DELETE FROM subscription WHERE guild_id = $1 AND channel_id = $2")
                .bind(to_db(guild_id))
                .bind(to_db(channel_id))
                .execute(&self.pool)
                .await
                .map_err(query_error("remove a followed channel"))?;
        Ok(result.rows_affected() > 0)
    }

    /// Every followed channel in every server, by server id, then channel id.
    pub async fn followers(&self) -> Result<Vec<Subscription>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT guild_id, channel_id FROM subscription")
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("list the followed channels"))?;
        let mut subscriptions: Vec<Subscription> = rows
            .into_iter()
            .map(|(guild_id, channel_id)| Subscription {
                guild_id: from_db(guild_id),
                channel_id: from_db(channel_id),
            })
            .collect();
        // Sorted as u64 here rather than by the database, which would put ids stored as
        // negative numbers first.
        subscriptions.sort_unstable();
        Ok(subscriptions)
    }

    /// The channels followed in one server, by id.
    pub async fn followed_in(&self, guild_id: u64) -> Result<Vec<u64>, StoreError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT channel_id FROM subscription WHERE guild_id = $1")
                .bind(to_db(guild_id))
                .fetch_all(&self.pool)
                .await
                .map_err(query_error("list a server's followed channels"))?;
        let mut channel_ids: Vec<u64> = rows
            .into_iter()
            .map(|(channel_id,)| from_db(channel_id))
            .collect();
        channel_ids.sort_unstable();
        Ok(channel_ids)
    }

    /// Whether `source_id` was already announced in `channel_id`.
    pub async fn announced(&self, channel_id: u64, source_id: &str) -> Result<bool, StoreError> {
        let found: Option<(i64,)> = sqlx::query_as(
            "SELECT channel_id FROM announcement WHERE channel_id = $1 AND source_id = $2",
        )
        .bind(to_db(channel_id))
        .bind(source_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(query_error("read what was announced"))?;
        Ok(found.is_some())
    }

    /// Records that `source_id` was announced in `channel_id`; recording it again is a
    /// no-op, from this process or another.
    pub async fn mark_announced(&self, channel_id: u64, source_id: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO announcement (channel_id, source_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(to_db(channel_id))
        .bind(source_id)
        .execute(&self.pool)
        .await
        .map_err(query_error("record an announcement"))?;
        Ok(())
    }

    /// Forgets a channel that is gone: unfollowed in every server, its announcements
    /// dropped, both or neither.
    pub async fn forget_channel(&self, channel_id: u64) -> Result<(), StoreError> {
        let action = "forget a deleted channel";
        let mut transaction = self.pool.begin().await.map_err(query_error(action))?;
        for statement in [
            "DELETE FROM subscription WHERE channel_id = $1",
            "DELETE FROM announcement WHERE channel_id = $1",
        ] {
            sqlx::query(statement)
                .bind(to_db(channel_id))
                .execute(&mut *transaction)
                .await
                .map_err(query_error(action))?;
        }
        transaction.commit().await.map_err(query_error(action))
    }

    /// Closes every connection, waiting for queries in flight; for a graceful shutdown.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// `open` with a given schema history and timeout, so tests can play newer builds and
    /// need not wait.
    async fn open_with(
        url: &str,
        migrations: &[Migration],
        acquire_timeout: Duration,
    ) -> Result<Store, StoreError> {
        install_default_drivers();
        let shown = redact(url);
        let is_sqlite = url.trim_start().to_ascii_lowercase().starts_with("sqlite:");
        // SQLite takes one writer at a time anyway, and with one connection that never
        // idles out `sqlite::memory:` stays one database for the store's life.
        let options = if is_sqlite {
            AnyPoolOptions::new()
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            AnyPoolOptions::new().max_connections(POSTGRES_CONNECTIONS)
        };
        let pool = match options.acquire_timeout(acquire_timeout).connect(url).await {
            Ok(pool) => pool,
            Err(error) => {
                // The pool retries a refused connection (a database still starting) until
                // the timeout, then says only that it timed out; one more try says why.
                let error = match error {
                    sqlx::Error::PoolTimedOut => {
                        match tokio::time::timeout(acquire_timeout, AnyConnection::connect(url))
                            .await
                        {
                            Ok(Err(direct)) => direct,
                            _ => sqlx::Error::PoolTimedOut,
                        }
                    }
                    other => other,
                };
                return Err(StoreError::Open {
                    url: shown,
                    reason: open_reason(&error, url),
                });
            }
        };
        let store = Store { pool, url: shown };
        store.migrate(url, migrations).await?;
        Ok(store)
    }

    /// Applies the migrations the database lacks, each once, in order; refuses a database
    /// newer than `migrations`. Safe to run from several processes at once.
    async fn migrate(&self, url: &str, migrations: &[Migration]) -> Result<(), StoreError> {
        let known = migrations.len() as i64;
        let failed = |version: i64, description: &'static str| {
            move |error: sqlx::Error| StoreError::Migrate {
                url: self.url.clone(),
                version,
                description,
                reason: scrub(error.to_string(), url),
            }
        };
        let unreadable = |error: sqlx::Error| StoreError::Open {
            url: self.url.clone(),
            reason: format!(
                "cannot read its schema version: {}",
                scrub(error.to_string(), url)
            ),
        };
        // Postgres may report a unique violation when two processes create the same table
        // at once, IF NOT EXISTS or not; the second try finds it.
        if let Err(error) = sqlx::query(CREATE_SCHEMA_VERSION).execute(&self.pool).await {
            if !is_unique_violation(&error) {
                return Err(unreadable(error));
            }
            sqlx::query(CREATE_SCHEMA_VERSION)
                .execute(&self.pool)
                .await
                .map_err(unreadable)?;
        }
        let current: Option<(i64,)> =
            sqlx::query_as("SELECT version FROM schema_version ORDER BY version DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await
                .map_err(unreadable)?;
        let current = current.map_or(0, |(version,)| version);
        if current > known {
            return Err(StoreError::NewerSchema {
                url: self.url.clone(),
                found: current,
                known,
            });
        }
        for (version, migration) in (1..).zip(migrations).skip_while(|(v, _)| *v <= current) {
            let failed = failed(version, migration.description);
            let mut transaction = self.pool.begin().await.map_err(&failed)?;
            // The version goes in first: the write that takes SQLite's lock (so no earlier
            // read can deadlock) and a row lock in Postgres. A process that loses this race
            // gets a unique violation once the winner has committed, and moves on.
            let recorded =
                sqlx::query("INSERT INTO schema_version (version, description) VALUES ($1, $2)")
                    .bind(version)
                    .bind(migration.description)
                    .execute(&mut *transaction)
                    .await;
            match recorded {
                Err(error) if is_unique_violation(&error) => continue,
                Err(error) => return Err(failed(error)),
                Ok(_) => {}
            }
            for statement in migration.statements {
                sqlx::query(statement)
                    .execute(&mut *transaction)
                    .await
                    .map_err(&failed)?;
            }
            transaction.commit().await.map_err(&failed)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Store")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// A snowflake as the database stores it: the same 64 bits, read as signed.
fn to_db(id: u64) -> i64 {
    id.cast_signed()
}

/// A snowflake back from the database: the inverse of [`to_db`].
fn from_db(id: i64) -> u64 {
    id.cast_unsigned()
}

fn query_error(action: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { action, source }
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|error| error.is_unique_violation())
}

/// Why `open` failed, with a hint for a URL that names no database factdesk can open.
fn open_reason(error: &sqlx::Error, url: &str) -> String {
    let reason = scrub(error.to_string(), url);
    match error {
        sqlx::Error::Configuration(_) => format!(
            "{reason} (expected sqlite://PATH?mode=rwc or postgres://USER:PASSWORD@HOST/DATABASE)"
        ),
        _ => reason,
    }
}

/// `url` fit to be shown: the user name and password before `@` become `***`, and so does
/// the value of a `password=` parameter. Errs on the side of hiding: everything from `://`
/// to the last `@` goes, since a password may hold `/`, `:` or `?`.
pub fn redact(url: &str) -> String {
    if url.trim().is_empty() {
        return format!("{url:?}");
    }
    let shown = match url.split_once("://") {
        Some((scheme, rest)) => match rest.rfind('@') {
            Some(at) => format!("{scheme}://***{}", &rest[at..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    };
    match shown.split_once('?') {
        Some((address, query)) => {
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{address}?{}", pairs.join("&"))
        }
        None => shown,
    }
}

/// `message` with every password found in `url` replaced by `***`, in case a driver
/// quotes it.
fn scrub(message: String, url: &str) -> String {
    passwords(url)
        .into_iter()
        .filter(|password| !password.is_empty())
        .fold(message, |message, password| {
            message.replace(password, "***")
        })
}

/// The secrets `url` carries: the password of `user:password@` and `password=` values.
fn passwords(url: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut query = url.split_once('?').map_or("", |(_, query)| query);
    if let Some((_, rest)) = url.split_once("://") {
        if let Some((user_info, after)) = rest.rsplit_once('@') {
            if let Some((_, password)) = user_info.split_once(':') {
                found.push(password);
            }
            query = after.split_once('?').map_or("", |(_, query)| query);
        }
    }
    for pair in query.split('&') {
        if let Some((key, value)) = pair.split_once('=') {
            if key.eq_ignore_ascii_case("password") {
                found.push(value);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A Discord-looking snowflake and the largest `u64`, which SQLite and Postgres can
    /// only hold as a negative `BIGINT`.
    const GUILD: u64 = 1234567890123456789;
    const HUGE: u64 = 18446744073709551615;

    fn sqlite_url(dir: &tempfile::TempDir) -> String {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("factdesk.db").display()
        )
    }

    async fn fresh() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&sqlite_url(&dir)).await.unwrap();
        (dir, store)
    }

    async fn versions(store: &Store) -> Vec<(i64, String)> {
        sqlx::query_as("SELECT version, description FROM schema_version ORDER BY version")
            .fetch_all(&store.pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn follow_and_unfollow_say_whether_anything_changed() {
        let (_dir, store) = fresh().await;
        assert!(store.follow(GUILD, 10).await.unwrap(), "new");
        assert!(!store.follow(GUILD, 10).await.unwrap(), "already followed");
        assert!(store.unfollow(GUILD, 10).await.unwrap(), "was followed");
        assert!(
            !store.unfollow(GUILD, 10).await.unwrap(),
            "no longer followed"
        );
        assert!(!store.unfollow(GUILD, 11).await.unwrap(), "never followed");
        assert_eq!(store.followers().await.unwrap(), []);
    }

    #[tokio::test]
    async fn channels_are_listed_per_server_and_in_order() {
        let (_dir, store) = fresh().await;
        for (guild_id, channel_id) in [(2, 30), (1, 20), (2, 10), (1, 5)] {
            store.follow(guild_id, channel_id).await.unwrap();
        }
        assert_eq!(store.followed_in(1).await.unwrap(), [5, 20]);
        assert_eq!(store.followed_in(2).await.unwrap(), [10, 30]);
        assert_eq!(store.followed_in(3).await.unwrap(), Vec::<u64>::new());
        let pairs: Vec<(u64, u64)> = store
            .followers()
            .await
            .unwrap()
            .into_iter()
            .map(|subscription| (subscription.guild_id, subscription.channel_id))
            .collect();
        assert_eq!(pairs, [(1, 5), (1, 20), (2, 10), (2, 30)]);
        // Unfollowing in another server leaves this one alone.
        assert!(!store.unfollow(2, 20).await.unwrap());
        assert_eq!(store.followed_in(1).await.unwrap(), [5, 20]);
    }

    #[tokio::test]
    async fn everything_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir);
        let store = Store::open(&url).await.unwrap();
        store.follow(GUILD, 10).await.unwrap();
        store
            .mark_announced(10, "reuters-2025-12-02")
            .await
            .unwrap();
        // Dropped without `close`, as in a crash: what was written is on disk already.
        drop(store);

        let store = Store::open(&url).await.unwrap();
        assert_eq!(store.followed_in(GUILD).await.unwrap(), [10]);
        assert!(store.announced(10, "reuters-2025-12-02").await.unwrap());
        assert_eq!(
            versions(&store).await,
            [(1, MIGRATIONS[0].description.to_owned())],
            "reopening applies nothing twice"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn announcements_are_per_channel_and_idempotent() {
        let (_dir, store) = fresh().await;
        assert!(!store.announced(10, "source-a").await.unwrap());
        store.mark_announced(10, "source-a").await.unwrap();
        store.mark_announced(10, "source-a").await.unwrap();
        assert!(store.announced(10, "source-a").await.unwrap());
        assert!(
            !store.announced(11, "source-a").await.unwrap(),
            "another channel"
        );
        assert!(
            !store.announced(10, "source-b").await.unwrap(),
            "another source"
        );
        // Unfollowing keeps what was announced, so following again reposts nothing old.
        store.follow(GUILD, 10).await.unwrap();
        store.unfollow(GUILD, 10).await.unwrap();
        assert!(store.announced(10, "source-a").await.unwrap());
    }

    #[tokio::test]
    async fn a_forgotten_channel_is_unfollowed_everywhere_and_its_announcements_dropped() {
        let (_dir, store) = fresh().await;
        store.follow(1, 10).await.unwrap();
        store.follow(2, 10).await.unwrap();
        store.follow(1, 11).await.unwrap();
        store.mark_announced(10, "source-a").await.unwrap();
        store.mark_announced(11, "source-a").await.unwrap();

        store.forget_channel(10).await.unwrap();
        assert_eq!(
            store.followers().await.unwrap(),
            [Subscription {
                guild_id: 1,
                channel_id: 11
            }]
        );
        assert!(!store.announced(10, "source-a").await.unwrap());
        assert!(store.announced(11, "source-a").await.unwrap());
        store.forget_channel(10).await.unwrap();
    }

    #[tokio::test]
    async fn huge_snowflakes_round_trip() {
        let (_dir, store) = fresh().await;
        let ids = [GUILD, HUGE, HUGE - 1, 1 << 63, i64::MAX as u64, 0, 1];
        for id in ids {
            assert!(store.follow(id, id).await.unwrap(), "{id}");
            store.mark_announced(id, "source-a").await.unwrap();
        }
        for id in ids {
            assert_eq!(store.followed_in(id).await.unwrap(), [id]);
            assert!(store.announced(id, "source-a").await.unwrap(), "{id}");
        }
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        let channel_ids: Vec<u64> = store
            .followers()
            .await
            .unwrap()
            .into_iter()
            .map(|subscription| subscription.channel_id)
            .collect();
        assert_eq!(channel_ids, sorted, "ordered as u64, not as the stored i64");
        // What the database holds: the same bits, read as signed.
        let stored: (i64,) = sqlx::query_as("SELECT MIN(guild_id) FROM subscription")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(stored.0, -1 - i64::MAX);
        assert_eq!(to_db(HUGE), -1);
        assert_eq!(from_db(-1), HUGE);
    }

    #[tokio::test]
    async fn a_database_from_a_newer_build_is_refused_and_left_alone() {
        const NEWER: &[Migration] = &[
            MIGRATIONS[0],
            Migration {
                description: "a newer build's table",
                statements: &["CREATE TABLE later (id BIGINT PRIMARY KEY)"],
            },
            Migration {
                description: "a newer build's column",
                statements: &["ALTER TABLE later ADD COLUMN note TEXT"],
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir);
        let newer = Store::open_with(&url, NEWER, ACQUIRE_TIMEOUT)
            .await
            .unwrap();
        newer.follow(GUILD, 10).await.unwrap();
        newer.close().await;

        let error = Store::open(&url).await.unwrap_err();
        assert!(matches!(
            error,
            StoreError::NewerSchema {
                found: 3,
                known: 1,
                ..
            }
        ));
        let message = error.to_string();
        assert!(
            message.contains("was created by a newer factdesk (schema 3, this build knows 1)"),
            "{message}"
        );

        let newer = Store::open_with(&url, NEWER, ACQUIRE_TIMEOUT)
            .await
            .unwrap();
        assert_eq!(versions(&newer).await.len(), 3);
        assert_eq!(newer.followed_in(GUILD).await.unwrap(), [10]);
    }

    #[tokio::test]
    async fn an_older_database_is_upgraded_once_and_keeps_its_rows() {
        const NEXT: &[Migration] = &[
            MIGRATIONS[0],
            Migration {
                description: "a next build's table",
                statements: &[
                    "CREATE TABLE later (id BIGINT PRIMARY KEY)",
                    "INSERT INTO later (id) VALUES (1)",
                ],
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir);
        let store = Store::open(&url).await.unwrap();
        store.follow(GUILD, 10).await.unwrap();
        store.close().await;

        let store = Store::open_with(&url, NEXT, ACQUIRE_TIMEOUT).await.unwrap();
        let store_again = Store::open_with(&url, NEXT, ACQUIRE_TIMEOUT).await.unwrap();
        assert_eq!(versions(&store_again).await.len(), 2);
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM later")
            .fetch_all(&store.pool)
            .await
            .unwrap();
        assert_eq!(rows, [(1,)], "the second open applied nothing");
        assert_eq!(store.followed_in(GUILD).await.unwrap(), [10]);
    }

    #[tokio::test]
    async fn a_failed_migration_keeps_nothing_of_its_step() {
        const BROKEN: &[Migration] = &[
            MIGRATIONS[0],
            Migration {
                description: "a broken step",
                statements: &["CREATE TABLE half (id BIGINT)", "NOT SQL AT ALL"],
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir);
        let error = Store::open_with(&url, BROKEN, ACQUIRE_TIMEOUT)
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("to schema 2 (a broken step): "),
            "{message}"
        );
        let store = Store::open(&url).await.unwrap();
        assert_eq!(versions(&store).await.len(), 1);
        let half: Option<(String,)> =
            sqlx::query_as("SELECT name FROM sqlite_master WHERE name = 'half'")
                .fetch_optional(&store.pool)
                .await
                .unwrap();
        assert_eq!(half, None, "the step's first statement was rolled back");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn processes_opening_a_fresh_database_at_once_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir);
        let mut opening = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let url = url.clone();
            opening.spawn(async move { Store::open(&url).await });
        }
        let mut stores = Vec::new();
        while let Some(opened) = opening.join_next().await {
            stores.push(opened.unwrap().unwrap());
        }
        let mut racing = tokio::task::JoinSet::new();
        for store in stores.clone() {
            racing.spawn(async move {
                let followed = store.follow(GUILD, 10).await.unwrap();
                store.mark_announced(10, "source-a").await.unwrap();
                followed
            });
        }
        let new = racing
            .join_all()
            .await
            .into_iter()
            .filter(|new| *new)
            .count();
        assert_eq!(new, 1, "exactly one process saw the follow as new");
        assert_eq!(versions(&stores[0]).await.len(), MIGRATIONS.len());
        assert_eq!(stores[0].followed_in(GUILD).await.unwrap(), [10]);
    }

    #[tokio::test]
    async fn a_bad_url_gets_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("factdesk.db");
        for (url, expected) in [
            ("factdesk.db", "cannot open the database at factdesk.db: "),
            (
                "mysql://localhost/factdesk",
                "no driver found for URL scheme \"mysql\"",
            ),
            ("", "cannot open the database at \"\": "),
            (" ", "expected sqlite://PATH?mode=rwc or postgres://"),
        ] {
            let message = Store::open(url).await.unwrap_err().to_string();
            assert!(message.contains(expected), "{url}: {message}");
        }
        let url = format!("sqlite://{}?mode=rwc", missing.display());
        let message = Store::open(&url).await.unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("cannot open the database at {url}: ")),
            "{message}"
        );
        assert!(
            message.contains("unable to open database file"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("factdesk.db");
        let text = "FACTDESK_RESPONSES=responses\n".repeat(200);
        std::fs::write(&path, &text).unwrap();
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let message = Store::open(&url).await.unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("cannot open the database at {url}: ")),
            "{message}"
        );
        assert!(message.contains("file is not a database"), "{message}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    /// A loopback port where nothing listens: connecting to it is refused at once.
    async fn closed_port() -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    }

    #[tokio::test]
    async fn an_unreachable_server_is_named_with_the_reason() {
        let port = closed_port().await;
        let url = format!("postgres://factdesk@127.0.0.1:{port}/factdesk");
        let error = Store::open_with(&url, MIGRATIONS, Duration::from_millis(300))
            .await
            .unwrap_err();
        let message = error.to_string();
        let expected =
            format!("cannot open the database at postgres://***@127.0.0.1:{port}/factdesk: ");
        assert!(message.starts_with(&expected), "{message}");
        assert!(
            message.contains("Connection refused"),
            "not the pool's timeout: {message}"
        );
    }

    #[tokio::test]
    async fn a_password_in_the_url_is_never_shown() {
        let port = closed_port().await;
        let url = format!(
            "postgres://factdesk:s3cr%2Ft@127.0.0.1:{port}/factdesk?password=0ther&sslmode=prefer"
        );
        let error = Store::open_with(&url, MIGRATIONS, Duration::from_millis(300))
            .await
            .unwrap_err();
        for message in [error.to_string(), format!("{error:?}")] {
            assert!(
                message.contains(&format!(
                    "postgres://***@127.0.0.1:{port}/factdesk?password=***&sslmode=prefer"
                )),
                "{message}"
            );
            assert!(
                !message.contains("s3cr") && !message.contains("0ther"),
                "{message}"
            );
        }
    }

    #[test]
    fn urls_are_redacted() {
        for (url, expected) in [
            (
                "sqlite://factdesk.db?mode=rwc",
                "sqlite://factdesk.db?mode=rwc",
            ),
            (
                "postgres://bot:hunter2@db:5432/factdesk",
                "postgres://***@db:5432/factdesk",
            ),
            ("postgres://bot@db/factdesk", "postgres://***@db/factdesk"),
            (
                "postgres://bot:p@ss/w:rd@db/factdesk",
                "postgres://***@db/factdesk",
            ),
            (
                "postgres://db/factdesk?user=bot&PASSWORD=hunter2",
                "postgres://db/factdesk?user=bot&PASSWORD=***",
            ),
            (
                "postgres://bot:pa?ss#@db/factdesk?x=1",
                "postgres://***@db/factdesk?x=1",
            ),
            ("not a url", "not a url"),
        ] {
            assert_eq!(redact(url), expected, "{url}");
        }
        assert_eq!(
            scrub(
                "auth failed for hunter2".to_owned(),
                "postgres://bot:hunter2@db/x"
            ),
            "auth failed for ***"
        );
        assert_eq!(
            scrub("no secret".to_owned(), "postgres://bot:@db/x"),
            "no secret"
        );
        assert_eq!(
            passwords("postgres://bot:pa?ss@db/x?password=other&sslmode=prefer"),
            ["pa?ss", "other"]
        );
    }
}
