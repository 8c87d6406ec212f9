//! Load test of the Discord bot through the fake Discord: 1,000 `/ask` interactions from
//! 200 users, once at a steady 100 per second and once as a single burst, against the
//! real `factdesk serve` process. Reports dispatch-to-callback latency (p50, p99), burst
//! throughput and the bot's peak memory: `cargo bench --bench load`.
//!
//! Halfway through the steady run a curator's edit lands and the bot gets `SIGHUP`: every
//! interaction must still be answered, `/metrics` must count one successful reload, and
//! the edited answer must be served afterwards (asserted).
//!
//! Timing is not asserted: it depends on the machine. The figures go in the README.

#![recursion_limit = "256"]

#[path = "../tests/it/discord_limits.rs"]
mod discord_limits;
#[path = "../tests/it/fake_discord.rs"]
mod fake_discord;
#[path = "../tests/it/openapi.rs"]
#[allow(dead_code)]
mod openapi;

use std::process::Stdio;
use std::time::{Duration, Instant};

use fake_discord::{http_get, FakeDiscord, InteractionBuilder};
use serde_json::json;

const INTERACTIONS: usize = 1000;
const USERS: u64 = 200;
const STEADY_RATE: u64 = 100;
const QUESTIONS: &[&str] = &[
    "who controls the plant?",
    "wait, so the US is running miners at the plant now?",
    "is the IAEA involved?",
    "which exchange has the lowest fees?",
    "why was ukraine left out of the talks",
    "who would own the mined coins?",
    "is this confirmed??",
    "<@123> **zaporizia bitcoin minig** what happened",
];

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => panic!("runtime: {error}"),
    };
    runtime.block_on(run());
}

/// The edit a curator makes while the bot is under load: a marker in one topic's answer.
const RELOAD_MARKER: &str = "[edited under load]";
const EDITED_TOPIC: &str = "znpp-bitcoin/topics/who-controls-the-plant.toml";

async fn run() {
    let fake = FakeDiscord::start_unchecked(1).await;
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    // A copy, so that the reload can serve an edit without touching the shipped answers.
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("responses");
    let responses = dir.path().join("responses");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(&shipped)
        .arg(&responses)
        .status();
    assert!(
        copied.is_ok_and(|status| status.success()),
        "copy the answers"
    );
    let metrics_address = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.to_string())
        .unwrap_or_else(|error| panic!("a free port: {error}"));
    let mut bot = fake
        .serve_command(&responses, &dir.path().join("unanswered.jsonl"))
        .env("RUST_LOG", "warn")
        // Throughput, not manners: 200 members asking every two seconds would otherwise
        // be held back by the shipped cooldowns (the wire tests run with those).
        .env("FACTDESK_USER_COOLDOWN_SECS", "0")
        .env("FACTDESK_CHANNEL_COOLDOWN_SECS", "0")
        .env("FACTDESK_METRICS_ADDR", &metrics_address)
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|error| panic!("spawn the bot: {error}"));
    let pid = bot.id().unwrap_or(0);
    fake.wait_for_sessions(1).await;
    fake.wait_for(|request| request.method == "PUT").await;

    println!("bot memory after start: {}", peak_memory(pid));
    // Warm up connections and the typo index.
    let warm: Vec<u64> = (0..20)
        .map(|index| fake.send_interaction(ask(&fake, index)))
        .collect();
    wait_for_callbacks(&fake, &warm).await;

    // Steady: 100 per second.
    let mut ticker = tokio::time::interval(Duration::from_millis(1000 / STEADY_RATE));
    let mut steady = Vec::with_capacity(INTERACTIONS);
    for index in 0..INTERACTIONS {
        ticker.tick().await;
        steady.push(fake.send_interaction(ask(&fake, index)));
        if index == INTERACTIONS / 2 {
            edit_answer(&responses.join(EDITED_TOPIC));
            let hup = std::process::Command::new("kill")
                .args(["-HUP", &pid.to_string()])
                .status();
            assert!(hup.is_ok_and(|status| status.success()), "kill -HUP");
        }
    }
    wait_for_callbacks(&fake, &steady).await;
    let reloaded = wait_for_metric(
        &metrics_address,
        r#"factdesk_reloads_total{outcome="ok"} 1"#,
    )
    .await;
    assert!(reloaded, "SIGHUP under load did not reload");
    // A member who has not asked yet, so no cooldown stands between them and the answer.
    let fresh_member = InteractionBuilder::command(
        &fake,
        "ask",
        json!([{"name": "question", "type": 3, "value": QUESTIONS[0]}]),
        99_999,
        0,
    )
    .build();
    let after = fake.interact(fresh_member).await;
    assert!(
        after.body.to_string().contains(RELOAD_MARKER),
        "the edited answer is not served after the reload: {}",
        after.body
    );
    println!(
        "reload under load: SIGHUP at interaction {}, all {} answered, the edit served after",
        INTERACTIONS / 2,
        steady.len()
    );
    let callbacks = fake.callbacks();
    let mut latencies: Vec<Duration> = steady
        .iter()
        .filter_map(|id| Some(callbacks.get(id)?.duration_since(fake.dispatched_at(*id)?)))
        .collect();
    latencies.sort_unstable();
    let percentile = |share: f64| {
        latencies[((latencies.len() as f64 * share).ceil() as usize)
            .saturating_sub(1)
            .min(latencies.len() - 1)]
    };
    println!(
        "steady {INTERACTIONS} at {STEADY_RATE}/s from {USERS} users: {} callbacks, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        ms(percentile(0.50)),
        ms(percentile(0.99)),
        ms(percentile(1.0)),
    );

    println!("bot peak memory after the steady run: {}", peak_memory(pid));
    // Burst: all at once.
    let payloads: Vec<serde_json::Value> =
        (0..INTERACTIONS).map(|index| ask(&fake, index)).collect();
    let started = Instant::now();
    let burst: Vec<u64> = payloads
        .into_iter()
        .map(|payload| fake.send_interaction(payload))
        .collect();
    wait_for_callbacks(&fake, &burst).await;
    let callbacks = fake.callbacks();
    let last = burst
        .iter()
        .filter_map(|id| callbacks.get(id))
        .max()
        .copied()
        .unwrap_or(started);
    let elapsed = last.duration_since(started);
    println!(
        "burst {INTERACTIONS}: all answered in {:.1} ms = {:.0} callbacks/s",
        ms(elapsed),
        INTERACTIONS as f64 / elapsed.as_secs_f64()
    );
    println!("bot peak memory (VmHWM): {}", peak_memory(pid));
    // The owner's view must agree: /metrics counts every interaction answered.
    // The steady run, the burst, the warm-up and the one question after the reload.
    let sent = warm.len() + steady.len() + burst.len() + 1;
    let Some((200, metrics)) = http_get(&metrics_address, "/metrics").await else {
        panic!("no /metrics on {metrics_address}")
    };
    let counted: u64 = metrics
        .lines()
        .filter(|line| line.starts_with("factdesk_answers_total{"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    println!("/metrics counts {counted} answers of {sent} interactions sent");
    assert_eq!(counted, sent as u64, "/metrics lost answers:\n{metrics}");
    let _ = bot.start_kill();
}

/// Puts the marker at the start of the topic's answer, as a curator's edit would.
fn edit_answer(topic: &std::path::Path) {
    let text = std::fs::read_to_string(topic).unwrap_or_else(|error| panic!("{error}"));
    let edited = text.replacen(
        "answer = \"\"\"",
        &format!("answer = \"\"\"{RELOAD_MARKER} "),
        1,
    );
    assert_ne!(text, edited, "{} has no answer to edit", topic.display());
    std::fs::write(topic, edited).unwrap_or_else(|error| panic!("{error}"));
}

/// Polls `/metrics` (up to 10 s) until it has `line`.
async fn wait_for_metric(address: &str, line: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some((200, metrics)) = http_get(address, "/metrics").await {
            if metrics.contains(line) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

fn ask(fake: &FakeDiscord, index: usize) -> serde_json::Value {
    let question = QUESTIONS[index % QUESTIONS.len()];
    let user = 100 + (index as u64 % USERS);
    InteractionBuilder::command(
        fake,
        "ask",
        json!([{"name": "question", "type": 3, "value": question}]),
        user,
        0,
    )
    .build()
}

async fn wait_for_callbacks(fake: &FakeDiscord, ids: &[u64]) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let callbacks = fake.callbacks();
        let missing = ids.iter().filter(|id| !callbacks.contains_key(id)).count();
        if missing == 0 {
            return;
        }
        if Instant::now() > deadline {
            panic!("{missing} interactions got no callback");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The process's peak resident memory, then what it holds now: anonymous memory (the heap
/// and stacks) apart from pages of files (the binary, with the built-in embedding table),
/// and its threads, as each can grow for its own reasons.
fn peak_memory(pid: u32) -> String {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return "unknown".to_string();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .map_or("?", str::trim)
            .to_string()
    };
    format!(
        "{} (now {} anonymous, {} of files, {} threads)",
        field("VmHWM"),
        field("RssAnon"),
        field("RssFile"),
        field("Threads")
    )
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
