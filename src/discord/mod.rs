//! The Discord adapter: the only module that talks to Discord. It connects with
//! serenity, registers the commands and hands every event to `handler`.
//!
//! It never decides what to answer (that is `FactDesk`'s job) and never builds embeds
//! outside `render`.

pub mod commands;
pub mod delivery;
mod handler;
pub mod metrics;
pub mod render;

use std::sync::Arc;

use serenity::all::{ActivityData, ClientBuilder, GatewayIntents, HttpBuilder};
use tracing::{info, warn};

use crate::config::{Config, ConfigError};
use crate::knowledge::Problems;
use crate::store::Store;
use crate::unanswered::UnansweredLog;
use crate::FactDesk;
pub use handler::{Bot, Reloaded};

/// Why the bot stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The answer files failed the check at start.
    #[error("the answer files failed the check; run `factdesk check` to see every problem:\n{0}")]
    Load(Problems),
    /// A setting was accepted by its shape but does not work (a log that cannot be opened).
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    /// Discord (or the API base) refused or dropped the connection.
    #[error("Discord connection failed: {0}")]
    Discord(#[from] serenity::Error),
}

/// Connects to Discord and answers until `shutdown` resolves (in the binary: Ctrl-C or
/// SIGTERM, see [`shutdown_signal`]), then closes the gateway cleanly.
pub async fn serve(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let desk = FactDesk::load_checked(&config.responses_dir).map_err(ServeError::Load)?;
    let unanswered = UnansweredLog::open(
        config.unanswered_log.clone(),
        config.unanswered_rotation,
    )
    .map_err(|why| {
        ConfigError {
            variable: "FACTDESK_UNANSWERED_LOG",
            message: format!(
                "cannot open `{}` for appending: {why}; point it at a file in a folder the bot can write",
                config.unanswered_log.display()
            ),
        }
    })?;
    info!(topics = desk.topics().len(), responses = %config.responses_dir.display(), "answer files loaded");

    let mut http = HttpBuilder::new(config.token.expose());
    if let Some(api_base) = &config.api_base {
        // serenity 0.12.5's ratelimiter rebuilds each request without the proxy, so a proxy
        // only takes effect with the ratelimiter off; the proxy (twilight-http-proxy, or the
        // fake Discord in tests) does the rate limiting then.
        http = http.proxy(api_base).ratelimiter_disabled(true);
        info!(api_base = %api_base, "REST calls go through the API base");
    }
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if !config.open_channels.is_empty() {
        // Reading messages that do not mention the bot needs the privileged intent.
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    let shards = config.shards.clone();
    let http = http.build();
    // Known before the first event: serenity handles events concurrently, so a message
    // may be handled before READY's handler has run.
    let bot_user = http.get_current_user().await?.id;
    let metrics = Arc::new(metrics::Metrics::new());
    if let Some(address) = config.metrics_addr {
        // Bound now, so that an address in use stops the bot at start, naming the variable.
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|why| ConfigError {
                variable: "FACTDESK_METRICS_ADDR",
                message: format!("cannot listen on {address}: {why}"),
            })?;
        info!(%address, "serving /healthz and /metrics");
        tokio::spawn(metrics::serve_metrics(listener, Arc::clone(&metrics)));
    }
    let store = Store::open(config.database_url.expose())
        .await
        .map_err(|why| ConfigError {
            variable: "FACTDESK_DATABASE_URL",
            message: why.to_string(),
        })?;
    info!(database = %config.database_url, "followed channels are kept in the database");
    let bot = Arc::new(Bot::new(config, desk, bot_user, unanswered, metrics, store));
    let mut client = ClientBuilder::new_with_http(http, intents)
        .activity(ActivityData::watching("/help · the ZNPP Bitcoin story"))
        .event_handler_arc(Arc::clone(&bot))
        .await?;
    bot.set_http(Arc::clone(&client.http));
    tokio::spawn(reload_on_hangup(bot));

    let shard_manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        info!("shutting down");
        shard_manager.shutdown_all().await;
    });

    match shards {
        // serenity's range end is inclusive (it starts `end - start + 1` shards).
        Some(shards) => {
            client
                .start_shard_range(*shards.range.start()..*shards.range.end(), shards.total)
                .await?
        }
        None => client.start_autosharded().await?,
    }
    info!("stopped");
    Ok(())
}

/// Reloads the answer files on every SIGHUP, exactly as `/reload` does, so a server
/// owner can deploy new answers with `kill -HUP` (or `systemctl reload`).
async fn reload_on_hangup(bot: Arc<Bot>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(hangups) => hangups,
            Err(why) => {
                warn!(error = %why, "cannot listen for SIGHUP; reload with /reload");
                return;
            }
        };
        while hangups.recv().await.is_some() {
            info!("SIGHUP: reloading the answer files");
            bot.reload_answers().await;
        }
    }
    #[cfg(not(unix))]
    let _ = bot;
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(why) = tokio::signal::ctrl_c().await {
            warn!(error = %why, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(why) => {
                warn!(error = %why, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
