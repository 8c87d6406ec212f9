//! A fake Discord on loopback: REST v10 and a gateway v10 WebSocket, enough for the real
//! serenity client to connect, identify, resume, receive events and answer.
//!
//! Every REST request is recorded with the time it arrived and checked against Discord's
//! limits and against the official OpenAPI request schemas, so a test can assert on
//! exactly what the bot sent. Shared with `benches/load.rs`, so it is written to stay out
//! of the way: no per-request locks held across awaits, responses built from small
//! templates.
#![allow(dead_code)] // The load bench uses a subset of what the tests use.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State as AxumState;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

/// The bot's application id.
pub const APPLICATION_ID: u64 = 1000;
/// The bot user's id.
pub const BOT_USER_ID: u64 = 1001;
/// The guild on shard 0.
pub const GUILD_ID: u64 = 2000;
/// A guild that lands on shard 1 of 2: (id >> 22) % 2 == 1.
pub const SECOND_GUILD_ID: u64 = 1 << 22;
/// A text channel in the guild.
pub const CHANNEL_ID: u64 = 3000;
/// A channel the bot may not post in: posting there gets 403 Missing Access.
pub const FORBIDDEN_CHANNEL_ID: u64 = 3999;
/// The token the fake accepts.
pub const TOKEN: &str = "MTAwMQ.fake-token.for-loopback-tests-only";
/// Discord accepts an interaction's first response only this long after it was sent.
pub const INTERACTION_WINDOW: Duration = Duration::from_secs(3);
/// Short, so that tests see heartbeats and their ACKs within seconds.
pub const HEARTBEAT_INTERVAL_MS: u64 = 500;
/// For tests that load the machine on purpose: a client that misses an ACK for a whole
/// interval takes its connection for dead and reconnects, and a debug build answering a
/// flood on two busy cores can be half a second behind (Discord's own interval is 41 s).
pub const PATIENT_HEARTBEAT_INTERVAL_MS: u64 = 3_000;
/// MANAGE_MESSAGES.
pub const MANAGE_MESSAGES: u64 = 1 << 13;

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Path, e.g. `/api/v10/interactions/5/tok/callback`.
    pub path: String,
    /// JSON body (Null when empty).
    pub body: Value,
    /// When it arrived.
    pub at: Instant,
    /// Limits or schema problems found in the body.
    pub problems: Vec<String>,
}

/// A running fake Discord.
pub struct FakeDiscord {
    /// `http://127.0.0.1:PORT`, for `DISCORD_API_BASE`.
    pub base_url: String,
    state: Arc<State>,
}

struct State {
    ws_url: String,
    recommended_shards: u32,
    requests: Mutex<Vec<Recorded>>,
    request_arrived: Notify,
    sessions: Mutex<Vec<Session>>,
    sessions_changed: Notify,
    next_id: AtomicU64,
    identifies: AtomicU64,
    resumes: AtomicU64,
    heartbeats: AtomicU64,
    /// When each interaction was dispatched, by id, for latency measurement.
    dispatched: Mutex<HashMap<u64, Instant>>,
    /// Sent in HELLO.
    heartbeat_interval_ms: u64,
    /// A gateway URL to hand out instead of the real one.
    ws_url_override: Mutex<Option<String>>,
    /// Callbacks refused because they came after Discord's window.
    late_callbacks: AtomicU64,
    /// Whether to check request bodies (off for load tests, where it would dominate).
    validate: bool,
}

/// One gateway session (survives a RESUME on a new connection).
struct Session {
    id: String,
    shard: (u32, u32),
    seq: u64,
    sender: Option<mpsc::UnboundedSender<WsMessage>>,
}

impl FakeDiscord {
    /// Starts the fake on a free loopback port; the gateway recommends `shards` shards.
    pub async fn start(shards: u32) -> FakeDiscord {
        FakeDiscord::start_with(shards, true, HEARTBEAT_INTERVAL_MS).await
    }

    /// Starts the fake with a longer heartbeat interval, for tests that load the machine.
    pub async fn start_patient(shards: u32) -> FakeDiscord {
        FakeDiscord::start_with(shards, true, PATIENT_HEARTBEAT_INTERVAL_MS).await
    }

    /// Starts the fake with a gateway URL nobody listens on: REST works, the gateway never
    /// connects (for what the bot reports before it is connected).
    pub async fn start_without_gateway() -> FakeDiscord {
        let fake = FakeDiscord::start_with(1, true, HEARTBEAT_INTERVAL_MS).await;
        // A port that was free a moment ago and is closed now.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_or(9, |address| address.port());
        if let Ok(mut url) = fake.state.ws_url_override.lock() {
            *url = Some(format!("ws://127.0.0.1:{closed}"));
        }
        fake
    }

    /// Starts the fake without checking request bodies, for load tests.
    pub async fn start_unchecked(shards: u32) -> FakeDiscord {
        FakeDiscord::start_with(shards, false, HEARTBEAT_INTERVAL_MS).await
    }

    async fn start_with(shards: u32, validate: bool, heartbeat_interval_ms: u64) -> FakeDiscord {
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => panic!("bind loopback: {error}"),
        };
        let address: SocketAddr = match listener.local_addr() {
            Ok(address) => address,
            Err(error) => panic!("local addr: {error}"),
        };
        let state = Arc::new(State {
            ws_url: format!("ws://{address}"),
            recommended_shards: shards,
            requests: Mutex::new(Vec::new()),
            request_arrived: Notify::new(),
            sessions: Mutex::new(Vec::new()),
            sessions_changed: Notify::new(),
            next_id: AtomicU64::new(10_000),
            identifies: AtomicU64::new(0),
            resumes: AtomicU64::new(0),
            heartbeats: AtomicU64::new(0),
            dispatched: Mutex::new(HashMap::new()),
            heartbeat_interval_ms,
            ws_url_override: Mutex::new(None),
            late_callbacks: AtomicU64::new(0),
            validate,
        });
        let app = Router::new()
            .route("/", get(gateway))
            .fallback(rest)
            .with_state(Arc::clone(&state));
        tokio::spawn(async move {
            // Small frames (dispatches, heartbeat ACKs) must go out at once: with Nagle's
            // algorithm a frame after a heartbeat ACK waits for the client's delayed ACK
            // (~40 ms), and the fake would be the bottleneck it must not be.
            let listener = listener.tap_io(|stream| {
                let _ = stream.set_nodelay(true);
            });
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord {
            base_url: format!("http://{address}"),
            state,
        }
    }

    /// `factdesk serve` configured against this fake: the test token, this base URL,
    /// commands in the test guild, no cooldowns. Callers add logging and their own variables.
    pub fn serve_command(
        &self,
        responses: &std::path::Path,
        unanswered_log: &std::path::Path,
    ) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_factdesk"));
        command
            .arg("serve")
            .env_clear()
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_BASE", &self.base_url)
            .env("DISCORD_GUILD_ID", GUILD_ID.to_string())
            .env("FACTDESK_RESPONSES", responses)
            .env("FACTDESK_UNANSWERED_LOG", unanswered_log)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true);
        command
    }

    /// A fresh snowflake.
    pub fn next_id(&self) -> u64 {
        self.state.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// How many IDENTIFY and RESUME the gateway has seen.
    pub fn identifies(&self) -> u64 {
        self.state.identifies.load(Ordering::SeqCst)
    }

    /// How many heartbeats the gateway has acknowledged.
    pub fn heartbeats(&self) -> u64 {
        self.state.heartbeats.load(Ordering::SeqCst)
    }

    /// How many interaction callbacks came too late and were refused, as Discord would.
    pub fn late_callbacks(&self) -> u64 {
        self.state.late_callbacks.load(Ordering::SeqCst)
    }

    /// How many RESUME the gateway has seen.
    pub fn resumes(&self) -> u64 {
        self.state.resumes.load(Ordering::SeqCst)
    }

    /// Waits until `count` sessions have identified, and returns their shards.
    pub async fn wait_for_sessions(&self, count: usize) -> Vec<(u32, u32)> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let notified = self.state.sessions_changed.notified();
            {
                let sessions = lock(&self.state.sessions);
                if sessions.len() >= count {
                    return sessions.iter().map(|session| session.shard).collect();
                }
            }
            if tokio::time::timeout_at(deadline.into(), notified)
                .await
                .is_err()
            {
                panic!("timed out waiting for {count} gateway session(s)");
            }
        }
    }

    /// Sends a dispatch event to the shard that owns `guild_id` (shard 0 for DMs).
    pub fn dispatch(&self, event: &str, guild_id: Option<u64>, data: Value) {
        let mut sessions = lock(&self.state.sessions);
        let owner = sessions
            .iter_mut()
            .filter(|session| session.sender.is_some())
            .find(|session| {
                let (shard, total) = session.shard;
                guild_id.map_or(shard == 0, |guild| {
                    (guild >> 22) % u64::from(total.max(1)) == u64::from(shard)
                })
            });
        let Some(session) = owner else {
            panic!("no live session for guild {guild_id:?}")
        };
        session.seq += 1;
        let frame = json!({"op": 0, "t": event, "s": session.seq, "d": data});
        if let Some(sender) = &session.sender {
            let _ = sender.send(WsMessage::Text(frame.to_string().into()));
        }
    }

    /// Asks shard 0 to reconnect (op 7); the client should RESUME.
    pub fn request_reconnect(&self) {
        let sessions = lock(&self.state.sessions);
        if let Some(sender) = sessions.first().and_then(|session| session.sender.as_ref()) {
            let _ = sender.send(WsMessage::Text(
                json!({"op": 7, "d": null}).to_string().into(),
            ));
        }
    }

    /// Dispatches an interaction and waits for its callback.
    pub async fn interact(&self, interaction: Value) -> Recorded {
        let id = self.send_interaction(interaction);
        self.wait_for(|request| {
            request
                .path
                .starts_with(&format!("/api/v10/interactions/{id}/"))
        })
        .await
    }

    /// Dispatches an interaction without waiting; returns its id.
    pub fn send_interaction(&self, interaction: Value) -> u64 {
        let id = id_of(&interaction);
        let guild = interaction["guild_id"]
            .as_str()
            .and_then(|guild| guild.parse().ok());
        lock(&self.state.dispatched).insert(id, Instant::now());
        self.dispatch("INTERACTION_CREATE", guild, interaction);
        id
    }

    /// When each interaction's callback arrived, by interaction id.
    pub fn callbacks(&self) -> HashMap<u64, Instant> {
        lock(&self.state.requests)
            .iter()
            .filter(|request| request.path.ends_with("/callback"))
            .filter_map(|request| {
                let id = request
                    .path
                    .trim_start_matches("/api/v10/interactions/")
                    .split('/')
                    .next()?
                    .parse()
                    .ok()?;
                Some((id, request.at))
            })
            .collect()
    }

    /// When an interaction was dispatched.
    pub fn dispatched_at(&self, id: u64) -> Option<Instant> {
        lock(&self.state.dispatched).get(&id).copied()
    }

    /// Waits (up to 20 s) for a request matching `predicate`, including ones already made.
    pub async fn wait_for(&self, predicate: impl Fn(&Recorded) -> bool) -> Recorded {
        match self
            .wait_for_within(Duration::from_secs(20), predicate)
            .await
        {
            Some(request) => request,
            None => panic!("timed out waiting for a request; got:\n{}", self.describe()),
        }
    }

    /// Waits up to `limit` for a request matching `predicate`.
    pub async fn wait_for_within(
        &self,
        limit: Duration,
        predicate: impl Fn(&Recorded) -> bool,
    ) -> Option<Recorded> {
        let deadline = Instant::now() + limit;
        loop {
            let notified = self.state.request_arrived.notified();
            if let Some(found) = lock(&self.state.requests)
                .iter()
                .find(|request| predicate(request))
            {
                return Some(found.clone());
            }
            if tokio::time::timeout_at(deadline.into(), notified)
                .await
                .is_err()
            {
                return None;
            }
        }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    /// Panics if any request body broke a limit or a schema.
    pub fn assert_all_valid(&self) {
        let problems: Vec<String> = lock(&self.state.requests)
            .iter()
            .flat_map(|request| {
                request
                    .problems
                    .iter()
                    .map(move |problem| format!("{} {}: {problem}", request.method, request.path))
            })
            .collect();
        assert!(
            problems.is_empty(),
            "invalid request bodies:\n{}",
            problems.join("\n")
        );
    }

    fn describe(&self) -> String {
        lock(&self.state.requests)
            .iter()
            .map(|request| format!("{} {} {}", request.method, request.path, request.body))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A user object.
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null, "bot": bot})
}

/// A guild member object with the given permissions.
pub fn member(user_id: u64, permissions: u64) -> Value {
    json!({
        "user": user(user_id, &format!("user{user_id}"), false),
        "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
        "flags": 0, "pending": false, "permissions": permissions.to_string(),
    })
}

/// A message object.
pub fn message(
    id: u64,
    channel_id: u64,
    guild_id: Option<u64>,
    author: Value,
    content: &str,
    mentions: Vec<Value>,
) -> Value {
    let mut message = json!({
        "id": id.to_string(), "channel_id": channel_id.to_string(), "author": author, "content": content,
        "timestamp": "2025-12-28T10:00:00.000000+00:00", "edited_timestamp": null, "tts": false,
        "mention_everyone": false, "mentions": mentions, "mention_roles": [], "attachments": [], "embeds": [],
        "pinned": false, "type": 0, "flags": 0,
    });
    if let Some(guild_id) = guild_id {
        message["guild_id"] = json!(guild_id.to_string());
    }
    message
}

/// Builds interactions as Discord sends them.
pub struct InteractionBuilder {
    value: Value,
}

impl InteractionBuilder {
    /// A slash command in the guild channel, by a member with `permissions`.
    pub fn command(
        fake: &FakeDiscord,
        name: &str,
        options: Value,
        user_id: u64,
        permissions: u64,
    ) -> InteractionBuilder {
        let id = fake.next_id();
        InteractionBuilder {
            value: json!({
                "id": id.to_string(), "application_id": APPLICATION_ID.to_string(), "type": 2,
                "token": format!("token-{id}"), "version": 1,
                "guild_id": GUILD_ID.to_string(), "channel_id": CHANNEL_ID.to_string(),
                "channel": {"id": CHANNEL_ID.to_string(), "type": 0},
                // As Discord does: `member` in a guild, `user` only in DMs.
                "member": member(user_id, permissions),
                "app_permissions": "2251799813685247", "locale": "en-US", "guild_locale": "en-US",
                "entitlements": [], "authorizing_integration_owners": {"0": GUILD_ID.to_string()}, "context": 0,
                "attachment_size_limit": 8_388_608,
                "data": {"id": "900", "name": name, "type": 1, "options": options},
            }),
        }
    }

    /// The same interaction sent from a DM: no guild, no member.
    pub fn in_dm(mut self) -> InteractionBuilder {
        if let Some(object) = self.value.as_object_mut() {
            object.remove("guild_id");
            let member = object.remove("member");
            if let Some(user) = member.and_then(|member| member.get("user").cloned()) {
                object.insert("user".to_string(), user);
            }
            object.insert("channel_id".to_string(), json!("4000"));
            object.insert("channel".to_string(), json!({"id": "4000", "type": 1}));
            object.insert("context".to_string(), json!(1));
        }
        self
    }

    /// The user's Discord language (Discord sends it with every interaction).
    pub fn locale(mut self, locale: &str) -> InteractionBuilder {
        self.value["locale"] = json!(locale);
        self
    }

    /// Makes it an autocomplete request (type 4).
    pub fn autocomplete(mut self) -> InteractionBuilder {
        self.value["type"] = json!(4);
        self
    }

    /// The message context-menu command on `target`.
    pub fn message_command(
        fake: &FakeDiscord,
        name: &str,
        target: Value,
        user_id: u64,
    ) -> InteractionBuilder {
        let mut builder = InteractionBuilder::command(fake, name, json!([]), user_id, 0);
        let target_id = target["id"].clone();
        builder.value["data"] = json!({
            "id": "901", "name": name, "type": 3, "target_id": target_id,
            "resolved": {"messages": {target_id.as_str().unwrap_or("0"): target}},
        });
        builder
    }

    /// A button click on `message` with `custom_id`.
    pub fn button(
        fake: &FakeDiscord,
        custom_id: &str,
        message: Value,
        user_id: u64,
    ) -> InteractionBuilder {
        let mut builder = InteractionBuilder::command(fake, "unused", json!([]), user_id, 0);
        builder.value["type"] = json!(3);
        builder.value["data"] = json!({"custom_id": custom_id, "component_type": 2});
        builder.value["message"] = message;
        builder
    }

    /// The interaction's id.
    pub fn id(&self) -> u64 {
        id_of(&self.value)
    }

    /// The JSON payload.
    pub fn build(self) -> Value {
        self.value
    }
}

fn id_of(value: &Value) -> u64 {
    value["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .unwrap_or(0)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn gateway(upgrade: WebSocketUpgrade, AxumState(state): AxumState<Arc<State>>) -> Response {
    upgrade.on_upgrade(move |socket| run_gateway(socket, state))
}

/// One gateway connection: HELLO, then IDENTIFY or RESUME, heartbeats, dispatches.
async fn run_gateway(socket: WebSocket, state: Arc<State>) {
    use futures_util::{SinkExt, StreamExt};
    let (mut sink, mut stream) = socket.split();
    let (sender, mut outbox) = mpsc::unbounded_channel::<WsMessage>();
    let writer = tokio::spawn(async move {
        while let Some(message) = outbox.recv().await {
            let closing = matches!(message, WsMessage::Close(_));
            if sink.send(message).await.is_err() || closing {
                break;
            }
        }
    });
    let hello = json!({"op": 10, "d": {"heartbeat_interval": state.heartbeat_interval_ms}, "s": null, "t": null});
    let _ = sender.send(WsMessage::Text(hello.to_string().into()));
    let mut session_id: Option<String> = None;
    while let Some(Ok(frame)) = stream.next().await {
        let WsMessage::Text(text) = frame else {
            continue;
        };
        let Ok(payload) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        match payload["op"].as_u64() {
            Some(1) => {
                state.heartbeats.fetch_add(1, Ordering::SeqCst);
                let _ = sender.send(WsMessage::Text(json!({"op": 11}).to_string().into()));
            }
            Some(2) => {
                if payload["d"]["token"]
                    .as_str()
                    .map(|token| token.trim_start_matches("Bot "))
                    != Some(TOKEN)
                {
                    let _ = sender.send(WsMessage::Close(Some(axum::extract::ws::CloseFrame {
                        code: 4004,
                        reason: "Authentication failed.".into(),
                    })));
                    break;
                }
                let shard_info = &payload["d"]["shard"];
                let shard = (
                    shard_info[0].as_u64().unwrap_or(0) as u32,
                    shard_info[1].as_u64().unwrap_or(1) as u32,
                );
                let number = state.identifies.fetch_add(1, Ordering::SeqCst) + 1;
                let id = format!("session-{number}");
                session_id = Some(id.clone());
                let guilds: Vec<u64> = [GUILD_ID, SECOND_GUILD_ID]
                    .into_iter()
                    .filter(|guild| (guild >> 22) % u64::from(shard.1.max(1)) == u64::from(shard.0))
                    .collect();
                let ready = json!({"op": 0, "t": "READY", "s": 1, "d": {
                    "v": 10, "user": user(BOT_USER_ID, "factdesk", true),
                    "guilds": guilds.iter().map(|guild| json!({"id": guild.to_string(), "unavailable": true})).collect::<Vec<_>>(),
                    "session_id": id, "resume_gateway_url": state.ws_url, "shard": [shard.0, shard.1],
                    "application": {"id": APPLICATION_ID.to_string(), "flags": 0},
                }});
                let _ = sender.send(WsMessage::Text(ready.to_string().into()));
                let mut seq = 1;
                for guild in guilds {
                    seq += 1;
                    let event =
                        json!({"op": 0, "t": "GUILD_CREATE", "s": seq, "d": guild_json(guild)});
                    let _ = sender.send(WsMessage::Text(event.to_string().into()));
                }
                lock(&state.sessions).push(Session {
                    id,
                    shard,
                    seq,
                    sender: Some(sender.clone()),
                });
                state.sessions_changed.notify_waiters();
            }
            Some(6) => {
                let wanted = payload["d"]["session_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let mut sessions = lock(&state.sessions);
                match sessions.iter_mut().find(|session| session.id == wanted) {
                    Some(session) => {
                        session.sender = Some(sender.clone());
                        session.seq += 1;
                        let resumed = json!({"op": 0, "t": "RESUMED", "s": session.seq, "d": {}});
                        let _ = sender.send(WsMessage::Text(resumed.to_string().into()));
                        session_id = Some(wanted);
                        state.resumes.fetch_add(1, Ordering::SeqCst);
                    }
                    None => {
                        // Invalid session, not resumable: the client identifies again.
                        let _ = sender.send(WsMessage::Text(
                            json!({"op": 9, "d": false}).to_string().into(),
                        ));
                    }
                }
                drop(sessions);
                state.sessions_changed.notify_waiters();
            }
            _ => {}
        }
    }
    // The connection is gone: stop routing events to it until a RESUME.
    if let Some(id) = session_id {
        if let Some(session) = lock(&state.sessions)
            .iter_mut()
            .find(|session| session.id == id)
        {
            if session
                .sender
                .as_ref()
                .is_some_and(|current| current.same_channel(&sender))
            {
                session.sender = None;
            }
        }
    }
    drop(sender);
    let _ = writer.await;
}

/// The gateway URL handed out: the real one unless a test overrode it.
fn gateway_url(state: &State) -> String {
    lock(&state.ws_url_override)
        .clone()
        .unwrap_or_else(|| state.ws_url.clone())
}

/// The REST API: records every request and answers like Discord would.
async fn rest(
    AxumState(state): AxumState<Arc<State>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    let problems = if state.validate {
        crate::discord_limits::problems(method.as_str(), &path, &body)
    } else {
        Vec::new()
    };
    let recorded = Recorded {
        method: method.to_string(),
        path: path.clone(),
        body: body.clone(),
        at: Instant::now(),
        problems,
    };
    lock(&state.requests).push(recorded);
    state.request_arrived.notify_waiters();

    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let next_id = || state.next_id.fetch_add(1, Ordering::Relaxed);
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => Json(json!({"url": gateway_url(&state)})).into_response(),
        ("GET", ["gateway", "bot"]) => Json(json!({
            "url": gateway_url(&state), "shards": state.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 16},
        }))
        .into_response(),
        ("GET", ["users", "@me"]) => Json(user(BOT_USER_ID, "factdesk", true)).into_response(),
        ("PUT", ["applications", _, "commands"]) | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let guild = segments.get(3).copied();
            let commands: Vec<Value> = body
                .as_array()
                .map(|commands| {
                    commands
                        .iter()
                        .map(|command| {
                            let mut command = command.clone();
                            command["id"] = json!(next_id().to_string());
                            command["application_id"] = json!(APPLICATION_ID.to_string());
                            command["version"] = json!("1");
                            if command["type"].is_null() {
                                command["type"] = json!(1);
                            }
                            if command["description"].is_null() {
                                command["description"] = json!("");
                            }
                            if let Some(guild) = guild {
                                command["guild_id"] = json!(guild);
                            }
                            command
                        })
                        .collect()
                })
                .unwrap_or_default();
            Json(Value::Array(commands)).into_response()
        }
        ("POST", ["interactions", id, _, "callback"]) => {
            // As Discord does: a first response after the window is refused, and the user
            // sees "The application did not respond".
            let dispatched = id
                .parse::<u64>()
                .ok()
                .and_then(|id| lock(&state.dispatched).get(&id).copied());
            if dispatched.is_some_and(|at| at.elapsed() > INTERACTION_WINDOW) {
                state.late_callbacks.fetch_add(1, Ordering::SeqCst);
                return (StatusCode::NOT_FOUND, Json(json!({"message": "Unknown interaction", "code": 10062}))).into_response();
            }
            StatusCode::NO_CONTENT.into_response()
        }
        ("PATCH", ["webhooks", _, _, "messages", "@original"]) | ("POST", ["webhooks", _, _]) => {
            Json(sent_message(next_id(), CHANNEL_ID, &body)).into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            let channel: u64 = channel.parse().unwrap_or(0);
            if channel == FORBIDDEN_CHANNEL_ID {
                return (StatusCode::FORBIDDEN, Json(json!({"message": "Missing Access", "code": 50001}))).into_response();
            }
            Json(sent_message(next_id(), channel, &body)).into_response()
        }
        _ => (StatusCode::NOT_FOUND, Json(json!({"message": "404: Not Found", "code": 0}))).into_response(),
    }
}

/// The message object Discord returns for a message the bot sent.
fn sent_message(id: u64, channel_id: u64, body: &Value) -> Value {
    let mut sent = message(
        id,
        channel_id,
        Some(GUILD_ID),
        user(BOT_USER_ID, "factdesk", true),
        body["content"].as_str().unwrap_or(""),
        vec![],
    );
    sent["embeds"] = body["embeds"].clone();
    if sent["embeds"].is_null() {
        sent["embeds"] = json!([]);
    }
    sent["components"] = body["components"].clone();
    if sent["components"].is_null() {
        sent["components"] = json!([]);
    }
    sent
}

/// A GUILD_CREATE payload with everything serenity requires.
fn guild_json(id: u64) -> Value {
    json!({
        "id": id.to_string(), "name": format!("guild {id}"), "icon": null, "splash": null, "discovery_splash": null,
        "owner_id": "1", "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0,
        "roles": [{"id": id.to_string(), "name": "@everyone", "color": 0, "hoist": false, "icon": null,
                   "unicode_emoji": null, "position": 0, "permissions": "104324673", "managed": false,
                   "mentionable": false, "flags": 0}],
        "emojis": [], "features": [], "mfa_level": 0, "application_id": null, "system_channel_id": null,
        "system_channel_flags": 0, "rules_channel_id": null, "vanity_url_code": null, "description": null,
        "banner": null, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": null,
        "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": false,
        "joined_at": "2025-01-01T00:00:00.000000+00:00", "large": false, "unavailable": false, "member_count": 2,
        "voice_states": [], "members": [], "threads": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [],
        "channels": [{"id": CHANNEL_ID.to_string(), "type": 0, "guild_id": id.to_string(), "name": "general",
                      "position": 0, "permission_overwrites": [], "nsfw": false, "topic": null,
                      "last_message_id": null, "rate_limit_per_user": 0, "parent_id": null}],
    })
}

/// GET over plain HTTP/1.1: the status code and the body, or None if nothing listens yet.
pub async fn http_get(address: &str, path: &str) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Some((status, body.to_string()))
}
