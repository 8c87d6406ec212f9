//! Checks every request body the bot sends against Discord's documented limits and
//! rules, and against the OpenAPI request schemas of Discord's vendored spec.

use serde_json::Value;

/// Every problem with one request body, as readable lines.
pub fn problems(method: &str, path: &str, body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if body.is_null() {
        return problems;
    }
    let message = if path.ends_with("/callback") {
        let kind = body["type"].as_u64().unwrap_or(0);
        if kind == 8 {
            check_choices(&body["data"], &mut problems);
        }
        // Types 4 (message) and 7 (update message) carry a message; 5 and 6 only flags.
        (kind == 4 || kind == 7).then(|| &body["data"])
    } else if path.contains("/messages") || path.starts_with("/api/v10/webhooks/") {
        Some(body)
    } else {
        None
    };
    if let Some(message) = message {
        check_message(message, &mut problems);
    }
    if let Err(schema_problems) = crate::openapi::Spec::load().validate(method, path, body) {
        problems.extend(
            schema_problems
                .into_iter()
                .map(|problem| format!("schema: {problem}")),
        );
    }
    problems
}

fn check_message(message: &Value, problems: &mut Vec<String>) {
    let mut check = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    let chars = |value: &Value| value.as_str().map_or(0, |text| text.chars().count());
    check(
        chars(&message["content"]) <= 2000,
        format!("content has {} characters", chars(&message["content"])),
    );
    // Allowed mentions must be present and allow nothing, so echoed text can never ping.
    let allowed = &message["allowed_mentions"];
    let empty = |key: &str| allowed[key].as_array().is_none_or(Vec::is_empty);
    check(
        allowed["parse"].as_array().is_some_and(Vec::is_empty),
        format!("allowed_mentions.parse is {}", allowed["parse"]),
    );
    check(
        empty("users") && empty("roles"),
        format!("allowed_mentions allows users or roles: {allowed}"),
    );
    check(
        allowed["replied_user"] != Value::Bool(true),
        "allowed_mentions pings the replied user".to_string(),
    );
    for (index, embed) in message["embeds"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .enumerate()
    {
        let fields = embed["fields"].as_array().map_or(&[][..], Vec::as_slice);
        let mut total =
            chars(&embed["title"]) + chars(&embed["description"]) + chars(&embed["footer"]["text"]);
        check(
            chars(&embed["title"]) <= 256,
            format!("embed {index} title has {}", chars(&embed["title"])),
        );
        check(
            chars(&embed["description"]) <= 4096,
            format!(
                "embed {index} description has {}",
                chars(&embed["description"])
            ),
        );
        check(
            chars(&embed["footer"]["text"]) <= 2048,
            format!("embed {index} footer too long"),
        );
        check(
            fields.len() <= 25,
            format!("embed {index} has {} fields", fields.len()),
        );
        for field in fields {
            total += chars(&field["name"]) + chars(&field["value"]);
            check(
                chars(&field["name"]) <= 256,
                format!("embed {index} field name too long"),
            );
            check(
                (1..=1024).contains(&chars(&field["value"])),
                format!("embed {index} field value has {}", chars(&field["value"])),
            );
        }
        check(
            total <= 6000,
            format!("embed {index} has {total} characters in total"),
        );
    }
    let rows = message["components"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    check(rows.len() <= 5, format!("{} action rows", rows.len()));
    for row in rows {
        let buttons = row["components"].as_array().map_or(&[][..], Vec::as_slice);
        check(
            (1..=5).contains(&buttons.len()),
            format!("{} buttons in a row", buttons.len()),
        );
        for button in buttons {
            check(
                chars(&button["label"]) <= 80,
                format!("button label has {}", chars(&button["label"])),
            );
            if button["style"] == 5 {
                check(
                    button["url"]
                        .as_str()
                        .is_some_and(|url| url.starts_with("https://")),
                    "link button without https url".to_string(),
                );
                check(
                    button["custom_id"].is_null(),
                    "link button with a custom_id".to_string(),
                );
            } else {
                check(
                    (1..=100).contains(&chars(&button["custom_id"])),
                    format!("custom_id has {}", chars(&button["custom_id"])),
                );
            }
        }
    }
}

fn check_choices(data: &Value, problems: &mut Vec<String>) {
    let choices = data["choices"].as_array().map_or(&[][..], Vec::as_slice);
    if choices.len() > 25 {
        problems.push(format!("{} autocomplete choices", choices.len()));
    }
    for choice in choices {
        let name = choice["name"]
            .as_str()
            .map_or(0, |name| name.chars().count());
        if !(1..=100).contains(&name) {
            problems.push(format!("autocomplete choice name has {name} characters"));
        }
    }
}

#[test]
fn broken_bodies_are_caught() {
    let title = "t".repeat(300);
    let body = serde_json::json!({
        "type": 4,
        "data": {"content": "x".repeat(2001), "embeds": [{"title": title}], "allowed_mentions": {"parse": ["everyone"]}},
    });
    let found = problems("POST", "/api/v10/interactions/1/token/callback", &body);
    assert!(
        found
            .iter()
            .any(|problem| problem.contains("content has 2001")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|problem| problem.contains("title has 300")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|problem| problem.contains("allowed_mentions.parse")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|problem| problem.starts_with("schema: /data/embeds/0/title: ")),
        "{found:?}"
    );
    let missing_mentions = serde_json::json!({"content": "hi"});
    assert!(!problems("POST", "/api/v10/channels/1/messages", &missing_mentions).is_empty());
}
