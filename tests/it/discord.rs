//! The Discord bot end to end: the real `factdesk serve` process, with the real serenity
//! client, against the fake Discord on loopback. Every test ends by checking every body
//! the bot sent against Discord's limits and request schemas.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::fake_discord::{
    http_get, member, message, user, FakeDiscord, InteractionBuilder, Recorded, BOT_USER_ID,
    CHANNEL_ID, FORBIDDEN_CHANNEL_ID, GUILD_ID, MANAGE_MESSAGES, SECOND_GUILD_ID, TOKEN,
};
use crate::support::responses_dir;

/// A running `factdesk serve` process and its files.
struct Bot {
    child: Child,
    dir: TempDir,
}

impl Bot {
    /// Starts the bot against `fake` with the test defaults plus `env`, and waits until
    /// its shards have identified and its commands are registered.
    async fn start(fake: &FakeDiscord, env: &[(&str, &str)]) -> Bot {
        let bot = Bot::spawn(fake, env);
        fake.wait_for_sessions(1).await;
        fake.wait_for(|request| request.method == "PUT" && request.path.ends_with("/commands"))
            .await;
        bot
    }

    fn spawn(fake: &FakeDiscord, env: &[(&str, &str)]) -> Bot {
        let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("temp dir: {error}"));
        let mut command =
            fake.serve_command(&responses_dir(), &dir.path().join("unanswered.jsonl"));
        command.current_dir(dir.path()).env("RUST_LOG", "info");
        for (key, value) in env {
            command.env(key, value);
        }
        let log = std::fs::File::create(dir.path().join("bot.log"))
            .unwrap_or_else(|error| panic!("log: {error}"));
        command.stderr(log);
        let child = command
            .spawn()
            .unwrap_or_else(|error| panic!("spawn factdesk serve: {error}"));
        Bot { child, dir }
    }

    /// Sends the bot a signal (`TERM`, `HUP`), which must be delivered.
    fn signal(&self, name: &str) {
        let Some(pid) = self.child.id() else {
            panic!("the bot must be running")
        };
        let status = std::process::Command::new("kill")
            .args([format!("-{name}"), pid.to_string()])
            .status();
        assert!(status.is_ok_and(|status| status.success()), "kill -{name}");
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("bot.log")).unwrap_or_default()
    }

    /// Waits (up to 10 s) until the bot's log contains `needle`, and returns the log.
    async fn wait_for_log(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if log.contains(needle) || std::time::Instant::now() > deadline {
                return log;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn unanswered_log(&self) -> PathBuf {
        self.dir.path().join("unanswered.jsonl")
    }
}

/// The bot serving a copy of the shipped story that the test may edit: the bot, the
/// copy's folder (kept alive), and the story folder in it.
async fn start_on_a_copy(fake: &FakeDiscord) -> (Bot, TempDir, PathBuf) {
    start_on_a_copy_without(fake, &[]).await
}

/// Like [`start_on_a_copy`], with the named files of the story folder removed first.
async fn start_on_a_copy_without(fake: &FakeDiscord, files: &[&str]) -> (Bot, TempDir, PathBuf) {
    let copy = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let story = copy.path().join("znpp-bitcoin");
    crate::support::copy_dir(&crate::support::story_dir(), &story);
    for file in files {
        std::fs::remove_file(story.join(file)).unwrap_or_else(|error| panic!("{error}"));
    }
    let bot = Bot::start(
        fake,
        &[("FACTDESK_RESPONSES", &copy.path().display().to_string())],
    )
    .await;
    (bot, copy, story)
}

fn ask(fake: &FakeDiscord, question: &str, user_id: u64) -> InteractionBuilder {
    InteractionBuilder::command(
        fake,
        "ask",
        json!([{"name": "question", "type": 3, "value": question}]),
        user_id,
        0,
    )
}

/// Runs a deferred moderator command as a moderator and returns the private note it
/// edits in (after the deferral).
async fn moderator_note(fake: &FakeDiscord, name: &str, options: Value) -> String {
    let request = InteractionBuilder::command(fake, name, options, 9, MANAGE_MESSAGES);
    let token = format!("token-{}", request.id());
    let deferred = fake.interact(request.build()).await;
    assert_eq!(deferred.body["type"], 5, "/{name} defers");
    assert!(
        is_ephemeral(&deferred.body["data"]),
        "/{name} defers privately"
    );
    let note = fake
        .wait_for(|request| request.method == "PATCH" && request.path.contains(&token))
        .await;
    note.body["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn embed(body: &Value) -> &Value {
    &body["data"]["embeds"][0]
}

fn embed_text(embed: &Value) -> String {
    let fields: Vec<String> = embed["fields"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|field| {
            format!(
                "{}: {}",
                field["name"].as_str().unwrap_or(""),
                field["value"].as_str().unwrap_or("")
            )
        })
        .collect();
    format!(
        "{}\n{}\n{}\n{}",
        embed["title"],
        embed["description"],
        fields.join("\n"),
        embed["footer"]["text"]
    )
}

fn is_ephemeral(data: &Value) -> bool {
    data["flags"].as_u64().is_some_and(|flags| flags & 64 != 0)
}

/// Buttons of a message body, flattened: (style, label, custom_id or url).
fn buttons(data: &Value) -> Vec<(u64, String, String)> {
    data["components"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|button| {
            let target = button["custom_id"]
                .as_str()
                .or(button["url"].as_str())
                .unwrap_or("")
                .to_string();
            (
                button["style"].as_u64().unwrap_or(0),
                button["label"].as_str().unwrap_or("").to_string(),
                target,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connects_registers_every_command_and_answers_ask() {
    let fake = FakeDiscord::start(1).await;
    let bot = Bot::start(&fake, &[]).await;

    let registration = fake.wait_for(|request| request.method == "PUT").await;
    assert_eq!(
        registration.path,
        format!("/api/v10/applications/1000/guilds/{GUILD_ID}/commands")
    );
    let names: Vec<&str> = registration
        .body
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|command| command["name"].as_str())
        .collect();
    for name in [
        "ask",
        "topic",
        "confirmed",
        "unclear",
        "watch",
        "source",
        "summary",
        "help",
        "post-summary",
        "reload",
        "unanswered",
        "Check with factdesk",
    ] {
        assert!(names.contains(&name), "{name} not registered: {names:?}");
    }
    for moderator in ["post-summary", "reload", "unanswered"] {
        let command = registration
            .body
            .as_array()
            .and_then(|commands| commands.iter().find(|command| command["name"] == moderator));
        assert_eq!(
            command.map(|command| command["default_member_permissions"].clone()),
            Some(json!(MANAGE_MESSAGES.to_string())),
            "{moderator}"
        );
    }

    let callback = fake
        .interact(ask(&fake, "who controls the plant?", 7).build())
        .await;
    assert_eq!(callback.body["type"], 4);
    assert!(!is_ephemeral(&callback.body["data"]));
    let text = embed_text(embed(&callback.body));
    assert!(text.contains("Confirmed"), "{text}");
    assert!(text.contains("Unclear"), "{text}");
    assert!(text.contains("Reuters"), "{text}");
    assert!(
        text.contains("Developing story: reported, unofficial talks; details unconfirmed."),
        "{text}"
    );
    let link = buttons(&callback.body["data"])
        .into_iter()
        .find(|button| button.0 == 5);
    assert!(link.is_some_and(|button| button.2.starts_with("https://ambcrypto.com/")));

    // The log has one structured line per answer, and never the question at info level.
    let log = bot.wait_for_log("topic=\"who-controls-the-plant\"").await;
    assert!(
        log.contains("status=\"answered\"") && log.contains("latency_ms="),
        "{log}"
    );
    assert!(
        !log.contains("who controls the plant?"),
        "question text logged at info:\n{log}"
    );
    assert!(!log.contains(TOKEN), "token logged");
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_lookup_command_answers_with_labels_and_the_source() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    let lookups = [
        ("confirmed", "Confirmed", false),
        ("unclear", "Unclear", false),
        ("watch", "Unclear", false),
        ("source", "ambcrypto.com", false),
        ("summary", "Confirmed", true),
        ("help", "/ask", true),
    ];
    for (name, expected, ephemeral) in lookups {
        let callback = fake
            .interact(InteractionBuilder::command(&fake, name, json!([]), 7, 0).build())
            .await;
        assert_eq!(callback.body["type"], 4, "{name}");
        let text = embed_text(embed(&callback.body));
        assert!(text.contains(expected), "/{name}: {text}");
        assert_eq!(is_ephemeral(&callback.body["data"]), ephemeral, "/{name}");
    }
    let unclear = fake
        .interact(InteractionBuilder::command(&fake, "unclear", json!([]), 7, 0).build())
        .await;
    assert!(embed_text(embed(&unclear.body)).contains("Nothing here is confirmed"));

    let topic = InteractionBuilder::command(
        &fake,
        "topic",
        json!([{"name": "name", "type": 3, "value": "iaea"}]),
        7,
        0,
    );
    let callback = fake.interact(topic.build()).await;
    assert!(embed_text(embed(&callback.body)).contains("IAEA"));
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_at_most_25_topics_from_memory() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    for typed in ["", "iaea", "ukr", "zzzz nothing"] {
        let options = json!([{"name": "name", "type": 3, "value": typed, "focused": true}]);
        let request = InteractionBuilder::command(&fake, "topic", options, 7, 0).autocomplete();
        let callback = fake.interact(request.build()).await;
        assert_eq!(callback.body["type"], 8);
        let choices = callback.body["data"]["choices"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(choices.len() <= 25, "{typed}: {}", choices.len());
        if typed == "iaea" {
            assert_eq!(
                choices.first().map(|choice| choice["value"].clone()),
                Some(json!("iaea"))
            );
        }
        if typed.is_empty() {
            assert_eq!(choices.len(), 25);
        }
    }
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_answer_in_place_and_ambiguous_questions_offer_choices() {
    let fake = FakeDiscord::start(1).await;
    // Without asked questions (a story whose curators have labelled none yet): their
    // vote breaks the ties this test needs.
    let (_bot, _copy, _story) = start_on_a_copy_without(&fake, &["asked.jsonl"]).await;
    let callback = fake
        .interact(ask(&fake, "who controls the plant?", 7).build())
        .await;
    let related: Vec<(u64, String, String)> = buttons(&callback.body["data"])
        .into_iter()
        .filter(|button| button.0 != 5)
        .collect();
    assert!(!related.is_empty(), "answers offer related topics");
    let custom_id = related[0].2.clone();
    assert!(custom_id.starts_with("topic:"));

    let shown = message(
        fake.next_id(),
        CHANNEL_ID,
        Some(GUILD_ID),
        user(BOT_USER_ID, "factdesk", true),
        "",
        vec![],
    );
    let click = fake
        .interact(InteractionBuilder::button(&fake, &custom_id, shown, 7).build())
        .await;
    assert_eq!(
        click.body["type"], 7,
        "a click updates the message in place"
    );
    let topic_id = custom_id.trim_start_matches("topic:");
    let title = embed(&click.body)["title"]
        .as_str()
        .unwrap_or("")
        .to_string();
    // The clicked topic's own answer, with its quotes.
    let expected_title = crate::support::desk()
        .knowledge_base()
        .topic(topic_id)
        .map(|topic| topic.title.clone());
    assert_eq!(Some(title), expected_title, "{}", click.body);
    let text = embed_text(embed(&click.body));
    assert!(
        ["Confirmed", "Reported", "Unclear"]
            .iter()
            .any(|label| text.contains(label)),
        "{topic_id}: {text}"
    );

    // A question too close to call: a private "did you mean" with one button per topic.
    let ambiguous = fake
        .interact(ask(&fake, "is this an official deal between usa and russia", 9).build())
        .await;
    assert!(is_ephemeral(&ambiguous.body["data"]));
    assert_eq!(embed(&ambiguous.body)["title"], "Did you mean…");
    let choices: Vec<String> = buttons(&ambiguous.body["data"])
        .into_iter()
        .filter(|button| button.0 == 1)
        .map(|button| button.2)
        .collect();
    assert_eq!(choices.len(), 2, "{}", ambiguous.body);
    assert!(choices.iter().all(|choice| choice.starts_with("topic:")));

    // An off-topic question: a private miss that says what the bot can answer.
    let miss = fake
        .interact(ask(&fake, "which exchange has the lowest fees?", 8).build())
        .await;
    assert!(is_ephemeral(&miss.body["data"]));
    assert!(embed_text(embed(&miss.body)).contains("I can only answer questions about"));
    assert!(buttons(&miss.body["data"])
        .iter()
        .any(|button| button.2.starts_with("topic:")));
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_context_menu_checks_a_posted_claim() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    let claim = message(
        fake.next_id(),
        CHANNEL_ID,
        Some(GUILD_ID),
        user(55, "someone", false),
        "the US is already mining bitcoin at zaporizhzhia!!",
        vec![],
    );
    let request = InteractionBuilder::message_command(&fake, "Check with factdesk", claim, 7);
    let callback = fake.interact(request.build()).await;
    assert_eq!(callback.body["type"], 4);
    let text = embed_text(embed(&callback.body));
    assert!(text.contains("no confirmation"), "{text}");
    assert!(text.contains("Nothing here is confirmed"), "{text}");
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderator_commands_need_manage_messages_checked_at_run_time() {
    let fake = FakeDiscord::start(1).await;
    let bot = Bot::start(&fake, &[]).await;
    let channel_option = json!([{"name": "channel", "type": 7, "value": CHANNEL_ID.to_string()}]);

    // Without the permission: an ephemeral refusal and nothing posted.
    for name in ["post-summary", "reload", "unanswered"] {
        let options = if name == "post-summary" {
            channel_option.clone()
        } else {
            json!([])
        };
        let callback = fake
            .interact(InteractionBuilder::command(&fake, name, options.clone(), 7, 0).build())
            .await;
        assert_eq!(callback.body["type"], 4, "{name}");
        assert!(is_ephemeral(&callback.body["data"]), "{name}");
        assert!(
            callback.body["data"]["content"]
                .as_str()
                .is_some_and(|text| text.contains("Only moderators")),
            "{name}"
        );
        // In a DM there is no member, so no permission either.
        let dm = fake
            .interact(
                InteractionBuilder::command(&fake, name, options, 7, MANAGE_MESSAGES)
                    .in_dm()
                    .build(),
            )
            .await;
        assert!(
            dm.body["data"]["content"]
                .as_str()
                .is_some_and(|text| text.contains("Only moderators")),
            "{name} in DM"
        );
    }
    assert!(
        fake.requests()
            .iter()
            .all(|request| !request.path.contains("/channels/")),
        "nothing may be posted"
    );

    // With it: the summary is posted into the channel, the moderator gets a private note.
    let note = moderator_note(&fake, "post-summary", channel_option).await;
    assert!(note.contains("Posted the story summary"), "{note}");
    let posted = fake
        .wait_for(|request| request.path == format!("/api/v10/channels/{CHANNEL_ID}/messages"))
        .await;
    let summary = embed_text(&posted.body["embeds"][0]);
    for label in ["Confirmed", "Reported", "Unclear", "Developing story"] {
        assert!(summary.contains(label), "{label}: {summary}");
    }

    // A channel the bot cannot post in: a clear private note, no crash.
    let forbidden =
        json!([{"name": "channel", "type": 7, "value": FORBIDDEN_CHANNEL_ID.to_string()}]);
    let note = moderator_note(&fake, "post-summary", forbidden).await;
    assert!(note.contains("couldn't post"), "{note}");

    // Unanswered: after a miss, the moderator sees it summarised.
    fake.interact(ask(&fake, "lakers score last night?", 11).build())
        .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(bot.unanswered_log())
        .unwrap_or_default()
        .contains("lakers")
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let note = moderator_note(&fake, "unanswered", json!([])).await;
    assert!(note.contains("`lakers score last night?`"), "{note}");

    // Reload: succeeds and says how many topics.
    let note = moderator_note(&fake, "reload", json!([])).await;
    assert!(note.starts_with("Reloaded:"), "{note}");
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_reload_keeps_serving_the_old_answers() {
    let fake = FakeDiscord::start(1).await;
    let (_bot, _copy, story) = start_on_a_copy(&fake).await;

    let topic = story.join("topics/who-controls-the-plant.toml");
    let text = std::fs::read_to_string(&topic).unwrap_or_default();
    let _ = std::fs::write(
        &topic,
        text.replace("under Russian control", "under Russian command"),
    );
    let content = moderator_note(&fake, "reload", json!([])).await;
    assert!(
        content.contains("still serving the previous answers"),
        "{content}"
    );
    assert!(content.contains("who-controls-the-plant.toml"), "{content}");

    let callback = fake
        .interact(ask(&fake, "who controls the plant?", 7).build())
        .await;
    assert!(embed_text(embed(&callback.body)).contains("under Russian control"));
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_and_dms_get_replies_other_messages_do_not() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    let member_user = user(21, "member", false);
    let bot_user = user(BOT_USER_ID, "factdesk", true);
    let dispatch =
        |id: u64, guild: Option<u64>, author: Value, content: &str, mentions: Vec<Value>| {
            let channel = if guild.is_some() { CHANNEL_ID } else { 4000 };
            let mut event = message(id, channel, guild, author, content, mentions);
            if guild.is_some() {
                event["member"] = member(21, 0);
            }
            fake.dispatch("MESSAGE_CREATE", guild, event);
        };
    let replied_to = |id: u64| {
        let id = id.to_string();
        move |request: &Recorded| request.body["message_reference"]["message_id"] == json!(id)
    };

    // Not mentioned, not an open channel: silence. Then the bot's own message and a bot's.
    let silent = fake.next_id();
    dispatch(
        silent,
        Some(GUILD_ID),
        member_user.clone(),
        "who controls the plant?",
        vec![],
    );
    let own = fake.next_id();
    dispatch(
        own,
        Some(GUILD_ID),
        bot_user.clone(),
        &format!("<@{BOT_USER_ID}> who controls the plant?"),
        vec![bot_user.clone()],
    );
    let other_bot = fake.next_id();
    dispatch(
        other_bot,
        Some(GUILD_ID),
        user(77, "otherbot", true),
        &format!("<@{BOT_USER_ID}> who controls the plant?"),
        vec![bot_user.clone()],
    );

    // A mention: a reply to that message.
    let mention = fake.next_id();
    dispatch(
        mention,
        Some(GUILD_ID),
        member_user.clone(),
        &format!("<@{BOT_USER_ID}> is the IAEA involved?"),
        vec![bot_user.clone()],
    );
    let reply = fake.wait_for(replied_to(mention)).await;
    assert_eq!(
        reply.path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    assert!(embed_text(&reply.body["embeds"][0]).contains("IAEA"));

    // A DM: answered without a mention. (Each question below comes from another member:
    // the shipped cooldowns hold a member's second question within 5 s back.)
    let dm = fake.next_id();
    dispatch(
        dm,
        None,
        user(22, "dmer", false),
        "is this confirmed?",
        vec![],
    );
    let reply = fake.wait_for(replied_to(dm)).await;
    assert_eq!(reply.path, "/api/v10/channels/4000/messages");

    // Mention floods and @everyone in the question never become pings. (After the
    // channel's shipped one-second cooldown: a second public reply within it stays quiet.)
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let flood = fake.next_id();
    let text = format!("<@{BOT_USER_ID}> @everyone @here <@&5> <@1> <@2> ").repeat(40)
        + "who controls the plant?";
    dispatch(
        flood,
        Some(GUILD_ID),
        user(23, "flooder", false),
        &text,
        vec![bot_user.clone()],
    );
    let reply = fake.wait_for(replied_to(flood)).await;
    assert_eq!(reply.body["allowed_mentions"]["parse"], json!([]));

    // By now the silent ones would have been handled too: none of them got a reply.
    for id in [silent, own, other_bot] {
        assert!(
            fake.wait_for_within(Duration::from_millis(300), replied_to(id))
                .await
                .is_none(),
            "message {id} got a reply"
        );
    }
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_channels_answer_without_a_mention_but_stay_quiet_on_misses() {
    let fake = FakeDiscord::start(1).await;
    // The shipped default cooldowns: chatter the bot stays quiet on must not use them up.
    let _bot = Bot::start(
        &fake,
        &[
            ("FACTDESK_OPEN_CHANNELS", &CHANNEL_ID.to_string()),
            ("FACTDESK_USER_COOLDOWN_SECS", "5"),
            ("FACTDESK_CHANNEL_COOLDOWN_SECS", "1"),
        ],
    )
    .await;
    let chatter = fake.next_id();
    fake.dispatch(
        "MESSAGE_CREATE",
        Some(GUILD_ID),
        message(
            chatter,
            CHANNEL_ID,
            Some(GUILD_ID),
            user(21, "m", false),
            "lol nice weather today",
            vec![],
        ),
    );
    // As a person types: the real question 300 ms after the chatter.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let question = fake.next_id();
    fake.dispatch(
        "MESSAGE_CREATE",
        Some(GUILD_ID),
        message(
            question,
            CHANNEL_ID,
            Some(GUILD_ID),
            user(21, "m", false),
            "who controls the plant?",
            vec![],
        ),
    );
    fake.wait_for(|request| {
        request.body["message_reference"]["message_id"] == json!(question.to_string())
    })
    .await;
    let chatter_reply = fake
        .wait_for_within(Duration::from_millis(300), |request| {
            request.body["message_reference"]["message_id"] == json!(chatter.to_string())
        })
        .await;
    assert!(chatter_reply.is_none());
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_answered_within_limits() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    let long = "why is ukraine left out of the talks? ".repeat(110);
    let markup = "**<@1>** ||<@&2>|| `@everyone` <:x:1> ```<#3>``` https://x.y ".repeat(30);
    for question in [
        "",
        "   ",
        long.as_str(),
        markup.as_str(),
        "🙂".repeat(500).as_str(),
    ] {
        let callback = fake.interact(ask(&fake, question, 31).build()).await;
        assert_eq!(
            callback.body["type"],
            4,
            "{}",
            question.chars().take(40).collect::<String>()
        );
    }
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cooldowns_refuse_quietly_and_privately() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[("FACTDESK_USER_COOLDOWN_SECS", "60")]).await;
    let first = fake
        .interact(ask(&fake, "who controls the plant?", 41).build())
        .await;
    assert!(!is_ephemeral(&first.body["data"]));
    let second = fake
        .interact(ask(&fake, "is the IAEA involved?", 41).build())
        .await;
    assert!(is_ephemeral(&second.body["data"]));
    assert!(
        second.body["data"]["content"]
            .as_str()
            .is_some_and(|text| text.contains("try again in")),
        "{}",
        second.body
    );
    // Another member right after: the channel's shipped one-second cooldown makes the
    // answer private, but it is the answer, not a refusal.
    let other_user = fake
        .interact(ask(&fake, "is the IAEA involved?", 42).build())
        .await;
    assert!(is_ephemeral(&other_user.body["data"]));
    assert!(
        embed_text(embed(&other_user.body)).contains("IAEA"),
        "{}",
        other_user.body
    );
    // Once the channel has cooled down, answers are public again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = fake
        .interact(ask(&fake, "who reported this?", 43).build())
        .await;
    assert!(!is_ephemeral(&later.body["data"]), "{}", later.body);
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_reconnects_and_resumes() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    fake.request_reconnect();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while fake.resumes() == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(fake.resumes(), 1, "the client must RESUME after op 7");
    // Heartbeats keep flowing and are acknowledged on the resumed connection too.
    let before = fake.heartbeats();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while fake.heartbeats() <= before && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(fake.heartbeats() > before, "no heartbeat after the resume");
    assert_eq!(fake.identifies(), 1, "a resume is not a new IDENTIFY");
    let callback = fake
        .interact(ask(&fake, "who controls the plant?", 7).build())
        .await;
    assert_eq!(callback.body["type"], 4);
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_each_run_their_own_shard() {
    let fake = FakeDiscord::start(2).await;
    let _first = Bot::spawn(&fake, &[("FACTDESK_SHARDS", "0/2")]);
    let _second = Bot::spawn(&fake, &[("FACTDESK_SHARDS", "1/2")]);
    let mut shards = fake.wait_for_sessions(2).await;
    shards.sort_unstable();
    assert_eq!(shards, [(0, 2), (1, 2)]);
    // Each guild's events go to its shard's process; both answer.
    for guild in [GUILD_ID, SECOND_GUILD_ID] {
        let id = fake.next_id();
        let bot_user = user(BOT_USER_ID, "factdesk", true);
        let mention = message(
            id,
            CHANNEL_ID,
            Some(guild),
            user(21, "m", false),
            &format!("<@{BOT_USER_ID}> who controls the plant?"),
            vec![bot_user],
        );
        fake.dispatch("MESSAGE_CREATE", Some(guild), mention);
        fake.wait_for(|request| {
            request.body["message_reference"]["message_id"] == json!(id.to_string())
        })
        .await;
    }
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_shuts_down_gracefully() {
    let fake = FakeDiscord::start(1).await;
    let mut bot = Bot::start(&fake, &[]).await;
    bot.signal("TERM");
    let exit = tokio::time::timeout(Duration::from_secs(20), bot.child.wait()).await;
    let Ok(Ok(exit)) = exit else {
        panic!("the bot did not stop after SIGTERM")
    };
    assert!(exit.success(), "{exit:?}\n{}", bot.log());
    assert!(bot
        .wait_for_log("shutting down")
        .await
        .contains("shutting down"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_token_exits_2_naming_the_example() {
    let output = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .arg("serve")
        .env_clear()
        .env("FACTDESK_RESPONSES", responses_dir())
        .current_dir(std::env::temp_dir())
        .output()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("DISCORD_TOKEN") && error.contains(".env.example"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_hostile_questions_leaves_members_answered_in_time() {
    let fake = FakeDiscord::start_patient(1).await;
    let bot = Bot::start(&fake, &[]).await;
    // Let a heartbeat pass, then flood: every /ask at the option's limit (1,000 characters)
    // and every mention at a message's (4,000), with the attack suite's costliest inputs,
    // from many accounts so that no cooldown would hold them back.
    let heartbeats_before = fake.heartbeats();
    let hostile = crate::hostile::all();
    let mut flood = Vec::new();
    for index in 0..240u64 {
        let (_, input) = &hostile[index as usize % hostile.len()];
        let short: String = input.chars().take(1_000).collect();
        flood.push(fake.send_interaction(ask(&fake, &short, 50_000 + index).build()));
        if index % 8 == 0 {
            let long: String = input.chars().take(4_000).collect();
            let bot_user = user(BOT_USER_ID, "factdesk", true);
            let mention = message(
                fake.next_id(),
                CHANNEL_ID,
                Some(GUILD_ID),
                user(60_000 + index, "attacker", false),
                &format!("<@{BOT_USER_ID}> {long}"),
                vec![bot_user],
            );
            fake.dispatch("MESSAGE_CREATE", Some(GUILD_ID), mention);
        }
    }
    // An ordinary member asks in the middle of it.
    let member_ask = ask(&fake, "who controls the plant?", 7);
    let member_id = member_ask.id();
    fake.send_interaction(member_ask.build());
    let Some(answer) = fake
        .wait_for_within(Duration::from_secs(20), |request| {
            request
                .path
                .starts_with(&format!("/api/v10/interactions/{member_id}/"))
        })
        .await
    else {
        let log = bot.log();
        let paths: Vec<String> = fake
            .requests()
            .iter()
            .map(|request| format!("{} {}", request.method, request.path))
            .collect();
        let mine: Vec<&String> = paths
            .iter()
            .filter(|path| path.contains(&member_id.to_string()))
            .collect();
        panic!(
            "the member ({member_id}) got no answer: {} requests, its own: {mine:?}, {} callbacks; log lines {}; log tail:\n{}",
            paths.len(),
            fake.callbacks().len(),
            log.lines().count(),
            log.lines().rev().take(15).collect::<Vec<_>>().join("\n")
        )
    };
    // Answered at once, or, queued behind the flood, acknowledged privately and then
    // answered in that acknowledgement.
    let answer_embed = match answer.body["type"].as_u64() {
        Some(4) => embed(&answer.body).clone(),
        Some(5) => {
            assert!(is_ephemeral(&answer.body["data"]), "{}", answer.body);
            let token = format!("/token-{member_id}/");
            let edit = fake
                .wait_for_within(Duration::from_secs(20), |request| {
                    request.method == "PATCH" && request.path.contains(&token)
                })
                .await
                .unwrap_or_else(|| panic!("the deferred answer was never written"));
            edit.body["embeds"][0].clone()
        }
        _ => panic!("neither an answer nor an acknowledgement: {}", answer.body),
    };
    assert!(embed_text(&answer_embed).contains("Russian control"));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let unanswered = |callbacks: &std::collections::HashMap<u64, std::time::Instant>| {
        flood
            .iter()
            .filter(|id| !callbacks.contains_key(id))
            .count()
    };
    while unanswered(&fake.callbacks()) > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        unanswered(&fake.callbacks()),
        0,
        "flood interactions left unanswered; the bot's log:\n{}",
        bot.log()
    );
    // Discord refuses a first response after 3 seconds; the fake does too, and counts.
    assert_eq!(
        fake.late_callbacks(),
        0,
        "some answers came too late for Discord"
    );
    // Every acknowledgement is followed by its answer.
    let acknowledged: Vec<String> = fake
        .requests()
        .iter()
        .filter(|request| request.path.ends_with("/callback") && request.body["type"] == 5)
        .filter_map(|request| {
            let id = request
                .path
                .trim_start_matches("/api/v10/interactions/")
                .split('/')
                .next()?;
            Some(format!("/token-{id}/"))
        })
        .collect();
    let written = |token: &String| {
        fake.requests()
            .iter()
            .any(|request| request.method == "PATCH" && request.path.contains(token.as_str()))
    };
    while !acknowledged.iter().all(written) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        acknowledged.iter().all(written),
        "acknowledged but never answered"
    );
    assert!(fake.callbacks().contains_key(&member_id));
    // The gateway stayed alive: the connection was never given up as dead (no second
    // IDENTIFY), and heartbeats went on being sent and acknowledged.
    assert_eq!(
        fake.identifies(),
        1,
        "the gateway stalled and reconnected\n{}",
        bot.log()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while fake.heartbeats() < heartbeats_before + 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        fake.heartbeats() >= heartbeats_before + 2,
        "heartbeats stopped during the flood\n{}",
        bot.log()
    );
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_appears_in_the_logs_even_at_trace_level() {
    let fake = FakeDiscord::start(1).await;
    let bot = Bot::start(&fake, &[("RUST_LOG", "trace")]).await;
    // Exercise everything that carries the token: REST calls (Authorization), IDENTIFY,
    // and a RESUME after a reconnect.
    fake.interact(ask(&fake, "who controls the plant?", 7).build())
        .await;
    fake.request_reconnect();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while fake.resumes() == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(fake.resumes(), 1);
    fake.interact(ask(&fake, "is the iaea involved?", 8).build())
        .await;
    let log = bot.wait_for_log("answered").await;
    assert!(
        log.contains("TRACE") && log.len() > 10_000,
        "the bot must have logged at trace level for this test to mean anything:\n{log:.2000}"
    );
    let hex = |text: &str, upper: bool| -> String {
        text.bytes()
            .map(|byte| {
                if upper {
                    format!("{byte:02X}")
                } else {
                    format!("{byte:02x}")
                }
            })
            .collect()
    };
    let bytes_list = |text: &str| -> String {
        text.bytes()
            .map(|byte| byte.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut needles = vec![TOKEN.to_string()];
    for part in TOKEN.split('.') {
        needles.push(part.to_string());
        needles.push(hex(part, false));
        needles.push(hex(part, true));
        needles.push(bytes_list(part));
    }
    for needle in &needles {
        assert!(
            !log.contains(needle.as_str()),
            "the log holds the token (as `{needle}`)"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_unanswered_log_stops_the_bot_at_start_naming_the_variable() {
    let fake = FakeDiscord::start(1).await;
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    // A log "inside" a regular file can never be created.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "").unwrap_or_else(|error| panic!("{error}"));
    let output = fake
        .serve_command(&responses_dir(), &blocker.join("unanswered.jsonl"))
        .stderr(std::process::Stdio::piped())
        .output()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("FACTDESK_UNANSWERED_LOG"), "{error}");
    assert_eq!(fake.identifies(), 0, "it must stop before connecting");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_speaks_the_user_s_discord_language_and_keeps_quotes_verbatim() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    // An English question from a Ukrainian client: a Ukrainian note that the quotes are
    // the English article's, and the quotes themselves unchanged.
    let answered = fake
        .interact(
            ask(&fake, "who controls the plant?", 7)
                .locale("uk")
                .build(),
        )
        .await;
    let text = embed_text(embed(&answered.body));
    assert!(
        text.contains("Цитати — дослівно з англомовної статті"),
        "{text}"
    );
    assert!(text.contains("under Russian control"), "{text}");
    // A miss from a Russian client is refused in Russian.
    let refused = fake
        .interact(
            ask(&fake, "what's the weather in kyiv tomorrow?", 8)
                .locale("ru")
                .build(),
        )
        .await;
    let body = refused.body.to_string();
    assert!(
        body.contains("Извините, я отвечаю только на вопросы об одной истории"),
        "{body}"
    );
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_confirmed_is_said_once_per_answer() {
    let fake = FakeDiscord::start(1).await;
    let _bot = Bot::start(&fake, &[]).await;
    let answered = fake
        .interact(ask(&fake, "is anyone actually mining at the plant?", 7).build())
        .await;
    let text = embed_text(embed(&answered.body));
    assert_eq!(
        text.matches("Nothing here is confirmed").count(),
        1,
        "{text}"
    );
    fake.assert_all_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_the_answer_files_like_reload() {
    let fake = FakeDiscord::start(1).await;
    let (bot, _copy, story) = start_on_a_copy(&fake).await;
    let topic = story.join("topics/who-controls-the-plant.toml");
    let original = std::fs::read_to_string(&topic).unwrap_or_default();

    // A broken edit: the check fails, every problem is logged, the old answers stay.
    let _ = std::fs::write(
        &topic,
        original.replace("under Russian control", "under Russian command"),
    );
    bot.signal("HUP");
    let log = bot.wait_for_log("keeping the previous answers").await;
    assert!(log.contains("who-controls-the-plant.toml"), "{log}");
    let callback = fake
        .interact(ask(&fake, "who controls the plant?", 7).build())
        .await;
    assert!(embed_text(embed(&callback.body)).contains("under Russian control"));

    // A good edit: served after the next SIGHUP, and the bot keeps running.
    let _ = std::fs::write(
        &topic,
        original.replace(
            "answer = \"\"\"Russia.",
            "answer = \"\"\"Russia, after the reload.",
        ),
    );
    bot.signal("HUP");
    bot.wait_for_log("reloaded answer files").await;
    let callback = fake
        .interact(ask(&fake, "who controls the plant?", 8).build())
        .await;
    let text = embed_text(embed(&callback.body));
    assert!(text.contains("Russia, after the reload."), "{text}");
    fake.assert_all_valid();
}

/// A loopback address with a port that was free a moment ago.
fn free_address() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_or(0, |address| address.port());
    format!("127.0.0.1:{port}")
}

/// GETs `path` until it answers (up to 10 s).
async fn http_get_when_up(address: &str, path: &str) -> (u16, String) {
    for _ in 0..200 {
        if let Some(response) = http_get(address, path).await {
            return response;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing answers on {address}{path}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_is_503_until_the_gateway_is_connected() {
    let fake = FakeDiscord::start_without_gateway().await;
    let address = free_address();
    let bot = Bot::spawn(&fake, &[("FACTDESK_METRICS_ADDR", &address)]);
    let (status, body) = http_get_when_up(&address, "/healthz").await;
    assert_eq!(status, 503, "{body}\n{}", bot.log());
    assert!(body.contains("not connected"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_answers_reloads_and_resumes_and_healthz_is_200_when_connected() {
    let fake = FakeDiscord::start(1).await;
    let address = free_address();
    let bot = Bot::start(&fake, &[("FACTDESK_METRICS_ADDR", &address)]).await;
    // READY is handled just after the session is up.
    let mut health = http_get_when_up(&address, "/healthz").await;
    for _ in 0..100 {
        if health.0 == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        health = http_get_when_up(&address, "/healthz").await;
    }
    assert_eq!(health.0, 200, "{}", health.1);

    for user in 0..3 {
        fake.interact(ask(&fake, "who controls the plant?", 70 + user).build())
            .await;
    }
    fake.interact(ask(&fake, "lakers score last night?", 80).build())
        .await;
    fake.request_reconnect();
    bot.signal("HUP");
    bot.wait_for_log("reloaded answer files").await;
    bot.wait_for_log("gateway session resumed").await;

    let (status, metrics) = http_get_when_up(&address, "/metrics").await;
    assert_eq!(status, 200);
    for expected in [
        r#"factdesk_answers_total{via="slash",status="answered"} 3"#,
        r#"factdesk_answers_total{via="slash",status="no_match"} 1"#,
        "factdesk_answer_seconds_count 4",
        r#"factdesk_reloads_total{outcome="ok"} 1"#,
        "factdesk_gateway_sessions_total 1",
        "factdesk_gateway_resumes_total 1",
        "factdesk_responses_failed_total 0",
        "factdesk_unanswered_dropped_total 0",
    ] {
        assert!(
            metrics.contains(expected),
            "{expected} missing in\n{metrics}"
        );
    }
    let (status, _) = http_get_when_up(&address, "/nothing").await;
    assert_eq!(status, 404);
    fake.assert_all_valid();
}

/// A developing story over the wire: a reload that brings a later (fictional) source shows
/// in /sources and /updates, and answers lead with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_that_adds_a_source_shows_in_sources_updates_and_answers() {
    let fake = FakeDiscord::start(1).await;
    let (_bot, _copy, story) = start_on_a_copy(&fake).await;
    let command = |name: &str, options: Value, user: u64| {
        InteractionBuilder::command(&fake, name, options, user, 0).build()
    };
    let sources = fake.interact(command("sources", json!([]), 61)).await;
    let text = embed(&sources.body)["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        text.contains("AMBCrypto") && !text.contains("Example Gazette"),
        "{text}"
    );
    let nothing = fake.interact(command("updates", json!([]), 62)).await;
    assert!(
        embed_text(embed(&nothing.body)).contains("Nothing has been added or changed"),
        "{}",
        nothing.body
    );

    crate::support::add_gazette(&story);
    let note = moderator_note(&fake, "reload", json!([])).await;
    assert!(note.starts_with("Reloaded:"), "{note}");

    let sources = fake.interact(command("sources", json!([]), 63)).await;
    let text = embed(&sources.body)["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let article = text.find("AMBCrypto").unwrap_or(usize::MAX);
    let gazette = text.find(crate::support::GAZETTE_OUTLET).unwrap_or(0);
    assert!(article < gazette, "oldest first: {text}");
    let updates = fake
        .interact(command(
            "updates",
            json!([{"name": "since", "type": 3, "value": "2026-01-01"}]),
            64,
        ))
        .await;
    let fields = embed(&updates.body)["fields"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(fields, 2, "{}", updates.body);
    assert!(embed_text(embed(&updates.body)).contains("supersedes an earlier claim"));
    let bad = fake
        .interact(command(
            "updates",
            json!([{"name": "since", "type": 3, "value": "last week"}]),
            65,
        ))
        .await;
    assert!(is_ephemeral(&bad.body["data"]), "{}", bad.body);
    let answer = fake
        .interact(ask(&fake, "are the talks official?", 66).build())
        .await;
    let text = embed_text(embed(&answer.body));
    assert!(
        text.contains("acknowledged that the talks had taken place"),
        "{text}"
    );
    assert!(text.contains("Earlier reporting"), "{text}");
    fake.assert_all_valid();
}

/// Channels that follow the story (issue 9): a moderator's `/follow` survives a restart, a
/// reload that adds a source posts once into each following channel, a reload that adds
/// nothing posts nothing, and a member without the permission cannot follow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followed_channels_get_one_post_per_new_source_and_survive_a_restart() {
    let fake = FakeDiscord::start(1).await;
    let copy = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let story = copy.path().join("znpp-bitcoin");
    crate::support::copy_dir(&crate::support::story_dir(), &story);
    let responses = copy.path().display().to_string();
    let database = format!(
        "sqlite://{}?mode=rwc",
        copy.path().join("factdesk.db").display()
    );
    let env = [
        ("FACTDESK_RESPONSES", responses.as_str()),
        ("FACTDESK_DATABASE_URL", database.as_str()),
    ];
    let first = Bot::start(&fake, &env).await;
    let follow = |name: &str, channel: u64, permissions: u64, user: u64| {
        InteractionBuilder::command(
            &fake,
            name,
            json!([{"name": "channel", "type": 7, "value": channel.to_string()}]),
            user,
            permissions,
        )
        .build()
    };
    const OTHER_CHANNEL: u64 = CHANNEL_ID + 1;

    // A member without Manage Messages is refused, privately, and nothing is saved.
    let refused = fake.interact(follow("follow", OTHER_CHANNEL, 0, 71)).await;
    assert!(is_ephemeral(&refused.body["data"]));
    assert!(
        refused.body["data"]["content"]
            .as_str()
            .is_some_and(|text| text.contains("moderators")),
        "{}",
        refused.body
    );
    // A moderator's follow is saved.
    let followed = fake
        .interact(follow("follow", CHANNEL_ID, MANAGE_MESSAGES, 72))
        .await;
    assert!(
        followed.body["data"]["content"]
            .as_str()
            .is_some_and(|text| text.contains("now follows the story")),
        "{}",
        followed.body
    );

    // A channel where the bot may not post follows too: its post fails, once.
    let _ = fake
        .interact(follow("follow", FORBIDDEN_CHANNEL_ID, MANAGE_MESSAGES, 74))
        .await;

    // Restart: a new process over the same database, once the first has stopped.
    first.signal("TERM");
    let mut first = first;
    let stopped = tokio::time::timeout(Duration::from_secs(20), first.child.wait()).await;
    assert!(stopped.is_ok(), "the first bot did not stop");
    let second = Bot::spawn(&fake, &env);
    let started = tokio::time::timeout(Duration::from_secs(20), fake.wait_for_sessions(2)).await;
    assert!(
        started.is_ok(),
        "the second bot did not start:\n{}",
        second.log()
    );
    let registrations = || {
        fake.requests()
            .iter()
            .filter(|request| request.method == "PUT" && request.path.ends_with("/commands"))
            .count()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while registrations() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Every attempt, posted or refused.
    let announcements = |channel: u64| {
        fake.requests()
            .iter()
            .filter(|request| {
                request.method == "POST"
                    && request.path == format!("/api/v10/channels/{channel}/messages")
                    && request.body["embeds"][0]["title"]
                        .as_str()
                        .is_some_and(|title| title.starts_with("New source"))
            })
            .count()
    };
    // A reload that adds nothing posts nothing.
    let note = moderator_note(&fake, "reload", json!([])).await;
    assert!(note.starts_with("Reloaded:"), "{note}");
    assert_eq!(announcements(CHANNEL_ID), 0);

    // A reload that adds a source posts it once, into the following channel only.
    crate::support::add_gazette(&story);
    let note = moderator_note(&fake, "reload", json!([])).await;
    assert!(note.starts_with("Reloaded:"), "{note}");
    let post = fake
        .wait_for(|request| {
            request.method == "POST"
                && request.path == format!("/api/v10/channels/{CHANNEL_ID}/messages")
        })
        .await;
    let post_text = embed_text(&post.body["embeds"][0]);
    assert!(
        post.body["embeds"][0]["title"]
            .as_str()
            .is_some_and(|title| title.contains(crate::support::GAZETTE_OUTLET)),
        "{}",
        post.body
    );
    assert!(
        post_text.contains("acknowledged that the talks had taken place"),
        "{post_text}"
    );
    assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));
    // Once more, with nothing new: still one post, and none where nobody followed.
    let note = moderator_note(&fake, "reload", json!([])).await;
    assert!(note.starts_with("Reloaded:"), "{note}");
    assert_eq!(announcements(CHANNEL_ID), 1);
    assert_eq!(announcements(OTHER_CHANNEL), 0);
    // The refused channel was tried once, logged, and not again.
    assert_eq!(announcements(FORBIDDEN_CHANNEL_ID), 1);
    assert!(second
        .wait_for_log("could not announce a new source")
        .await
        .contains("could not announce a new source"));

    // Unfollowing is for moderators too.
    let refused = fake.interact(follow("unfollow", CHANNEL_ID, 0, 75)).await;
    assert!(is_ephemeral(&refused.body["data"]));

    // Unfollow: said, and saved.
    let unfollowed = fake
        .interact(follow("unfollow", CHANNEL_ID, MANAGE_MESSAGES, 73))
        .await;
    assert!(
        unfollowed.body["data"]["content"]
            .as_str()
            .is_some_and(|text| text.contains("no longer follows")),
        "{}",
        unfollowed.body
    );
    drop(second);
    fake.assert_all_valid();
}
