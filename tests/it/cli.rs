//! The `factdesk` binary at its boundary: text answers, the JSON machine contract,
//! topics, summary, check, and clear errors with exit status 2 for bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::responses_dir;

fn factdesk(args: &[&str]) -> Output {
    run(args, None)
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command
        .args(args)
        .env("FACTDESK_RESPONSES", responses_dir())
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|error| panic!("spawn factdesk: {error}"));
    if let Some(mut pipe) = child.stdin.take() {
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes())
                .unwrap_or_else(|error| panic!("stdin: {error}"));
        }
    }
    child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("wait: {error}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{line}: {error}")))
        .collect()
}

/// The machine contract: exactly these fields, of these types. It grew once, without
/// breaking (issue 9): `as_of` on the answer; `source_url`, `published` and `earlier` on
/// each quote.
fn assert_contract(answer: &Value) {
    let Some(object) = answer.as_object() else {
        panic!("not an object: {answer}")
    };
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "answer",
            "as_of",
            "confidence",
            "question",
            "quotes",
            "source",
            "status",
            "suggestions",
            "topic"
        ]
    );
    assert!(answer["as_of"].as_str().is_some_and(is_date), "{answer}");
    assert!(answer["question"].is_string());
    assert!(
        ["answered", "ambiguous", "no_match"].contains(&answer["status"].as_str().unwrap_or(""))
    );
    assert!(answer["topic"].is_string() || answer["topic"].is_null());
    let confidence = answer["confidence"].as_f64().unwrap_or(-1.0);
    assert!((0.0..=1.0).contains(&confidence), "{confidence}");
    assert!(answer["answer"].is_string());
    assert!(answer["source"]
        .as_str()
        .is_some_and(|url| url.starts_with("https://ambcrypto.com/")));
    assert!(answer["suggestions"]
        .as_array()
        .is_some_and(|ids| ids.iter().all(Value::is_string)));
    for quote in answer["quotes"].as_array().map_or(&[][..], Vec::as_slice) {
        let Some(quote) = quote.as_object() else {
            panic!("quote not an object")
        };
        let mut keys: Vec<&str> = quote.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "attribution",
                "earlier",
                "published",
                "section",
                "source_url",
                "status",
                "text"
            ]
        );
        assert!(quote["source_url"]
            .as_str()
            .is_some_and(|url| url.starts_with("https://")));
        assert!(quote["published"].as_str().is_some_and(is_date));
        assert!(quote["earlier"].is_boolean());
        assert!(
            ["confirmed", "reported", "unclear"].contains(&quote["status"].as_str().unwrap_or(""))
        );
        assert!(quote["attribution"].is_string() || quote["attribution"].is_null());
    }
}

/// `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    text.len() == 10
        && text.char_indices().all(|(index, c)| {
            if index == 4 || index == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[test]
fn ask_prints_a_labelled_answer_with_the_source() {
    let output = factdesk(&["ask", "who controls the plant?"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Confirmed:"), "{text}");
    assert!(text.contains("Reuters"), "{text}");
    assert!(
        text.contains("Source: AMBCrypto, 2025-12-27: https://ambcrypto.com/"),
        "{text}"
    );
}

#[test]
fn ask_joins_unquoted_words() {
    let output = factdesk(&["ask", "who", "controls", "the", "plant"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("Reuters"));
}

#[test]
fn ask_json_prints_one_contract_line() {
    let output = factdesk(&["ask", "--json", "is the IAEA involved?"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 1);
    let answers = json_lines(&output);
    assert_contract(&answers[0]);
    assert_eq!(answers[0]["question"], "is the IAEA involved?");
    assert_eq!(answers[0]["status"], "answered");
    assert_eq!(answers[0]["topic"], "iaea");
}

#[test]
fn ask_json_reads_standard_input_line_by_line_in_order() {
    let input =
        "who controls the plant?\n\nwhich exchange has the lowest fees?\r\nis this confirmed";
    let output = run(&["ask", "--json"], Some(input));
    assert!(output.status.success(), "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 4);
    for answer in &answers {
        assert_contract(answer);
    }
    assert_eq!(answers[0]["question"], "who controls the plant?");
    assert_eq!(answers[0]["topic"], "who-controls-the-plant");
    assert_eq!(answers[1]["status"], "no_match");
    assert_eq!(
        answers[2]["question"],
        "which exchange has the lowest fees?"
    );
    assert_eq!(answers[2]["status"], "no_match");
    assert_eq!(answers[3]["question"], "is this confirmed");
}

/// `ask --json` answers lines on several threads: a batch must come back in its own
/// order, each answer the one the desk gives that question alone.
#[test]
fn ask_json_answers_a_batch_in_order_as_one_at_a_time() {
    let questions: Vec<String> = crate::questions::tuned_set("questions-dev31.toml")
        .case
        .iter()
        .map(|case| {
            case.question
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(questions.len() > 200, "{} questions", questions.len());
    let output = run(&["ask", "--json"], Some(&questions.join("\n")));
    assert!(output.status.success(), "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), questions.len());
    for (question, answer) in questions.iter().zip(&answers) {
        let alone = serde_json::to_value(crate::support::desk().answer(question))
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(answer, &alone, "{question}");
    }
}

#[test]
fn ask_json_survives_invalid_utf8_on_standard_input() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command
        .args(["ask", "--json"])
        .env("FACTDESK_RESPONSES", responses_dir());
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap_or_else(|error| panic!("{error}"));
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(b"who controls \xff\xfe the plant\n");
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(output.status.success());
    assert_eq!(json_lines(&output).len(), 1);
}

#[test]
fn topic_shows_one_topic_by_id_and_related_ones_are_reachable() {
    let output = factdesk(&["topic", "iaea"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("IAEA") && text.contains("Unclear:"), "{text}");
    let related = text
        .lines()
        .find_map(|line| line.split("(factdesk topic ").nth(1))
        .map(|rest| rest.trim_end_matches(')'));
    let Some(related) = related else {
        panic!("no related topic in {text}")
    };
    assert!(factdesk(&["topic", related]).status.success(), "{related}");
    let missing = factdesk(&["topic", "no-such-topic"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("factdesk topics"));
}

#[test]
fn topics_lists_every_topic() {
    let output = factdesk(&["topics"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.lines().count() >= 30);
    assert!(text.contains("who-controls-the-plant"));
}

#[test]
fn summary_labels_confirmed_reported_and_unclear() {
    let output = factdesk(&["summary"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for label in [
        "Confirmed:",
        "Reported:",
        "Unclear:",
        "Source: https://ambcrypto.com/",
        "Developing story",
    ] {
        assert!(text.contains(label), "{label} missing in {text}");
    }
}

#[test]
fn check_passes_on_the_shipped_files() {
    let output = factdesk(&["check"]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stdout(&output).starts_with("ok: "));
}

#[test]
fn check_prints_every_problem_as_path_line_message_and_exits_1() {
    let temp = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let story = temp.path().join("story");
    let _ = std::fs::create_dir_all(story.join("topics"));
    let _ = std::fs::write(story.join("story.toml"), "title = \"x\"\n");
    let _ = std::fs::write(story.join("topics/a.toml"), "id = \n");
    let output = factdesk(&["check", "--responses", &story.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output) + &stdout(&output);
    let problem_lines: Vec<&str> = text
        .lines()
        .filter(|line| line.contains(".toml:") || line.contains(".txt:"))
        .collect();
    assert!(problem_lines.len() >= 3, "{text}");
    for line in problem_lines {
        let mut parts = line.splitn(3, ':');
        let (path, number) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        assert!(path.contains(&story.display().to_string()), "{line}");
        assert!(number.trim().parse::<usize>().is_ok(), "{line}");
    }
}

#[test]
fn bad_input_gets_a_one_line_error_and_status_2() {
    for args in [
        vec!["ask"],
        vec!["ask", "   "],
        vec![
            "ask",
            "--responses",
            "/no/such/folder",
            "who controls the plant",
        ],
        vec!["summary", "--responses", "/no/such/folder"],
    ] {
        let output = factdesk(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = stderr(&output);
        assert!(error.starts_with("error: "), "{args:?}: {error}");
        assert!(!error.contains("panicked"), "{error}");
        assert!(output.stdout.is_empty());
    }
    let output = factdesk(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unanswered_summarises_the_log_most_frequent_first() {
    let temp = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let log = temp.path().join("unanswered.jsonl");
    let lines = [
        r#"{"at":1,"status":"no_match","question":"lakers score?","suggestions":[]}"#,
        r#"{"at":2,"status":"no_match","question":"what is the btc price","suggestions":[]}"#,
        "this line is not json",
        r#"{"at":3,"status":"no_match","question":"What is the BTC price??","suggestions":[]}"#,
        r#"{"at":4,"status":"ambiguous","question":"did anyone ask kyiv","suggestions":["ukraine-excluded","ukraine-response"]}"#,
    ];
    let _ = std::fs::write(&log, lines.join("\n"));
    let output = factdesk(&["unanswered", "--log", &log.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let first = text.lines().nth(1).unwrap_or("");
    assert!(
        first.trim_start().starts_with("2  what is the btc price"),
        "{text}"
    );
    assert!(text.contains("[ambiguous]"), "{text}");
    assert!(text.contains("1 unreadable line(s) skipped"), "{text}");
    assert!(text.contains("add it to the story's asked.jsonl"), "{text}");

    let missing = factdesk(&[
        "unanswered",
        "--log",
        &temp.path().join("none.jsonl").display().to_string(),
    ]);
    assert!(missing.status.success());
    assert!(stdout(&missing).starts_with("No unanswered questions"));
}

#[test]
fn env_example_documents_every_variable_the_config_reads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = std::fs::read_to_string(root.join("src/config.rs")).unwrap_or_default();
    let example = std::fs::read_to_string(root.join(".env.example")).unwrap_or_default();
    // Every string literal in config.rs that names a DISCORD_ or FACTDESK_ variable.
    let mut variables: Vec<&str> = config
        .split('"')
        .filter(|text| text.starts_with("DISCORD_") || text.starts_with("FACTDESK_"))
        .filter(|name| name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    variables.sort_unstable();
    variables.dedup();
    assert!(variables.len() >= 8, "{variables:?}");
    for variable in variables {
        assert!(
            example
                .lines()
                .any(|line| line.starts_with(&format!("{variable}="))),
            "{variable} missing in .env.example"
        );
    }
}

#[test]
fn unanswered_skips_invalid_bytes_and_overlong_lines() {
    let temp = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let log = temp.path().join("unanswered.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        br#"{"at":1,"status":"no_match","question":"lakers score?","suggestions":[]}"#,
    );
    bytes.extend_from_slice(
        b"\n{\"at\":2,\"status\":\"no_match\",\"question\":\"caf\xe9\",\"suggestions\":[]}\n",
    );
    bytes.extend(std::iter::repeat_n(b'x', 200_000));
    bytes.extend_from_slice(
        b"\n{\"at\":3,\"status\":\"no_match\",\"question\":\"lakers score?\",\"suggestions\":[]}\n",
    );
    let _ = std::fs::write(&log, bytes);
    let output = factdesk(&["unanswered", "--log", &log.display().to_string()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("2  lakers score?"), "{text}");
    assert!(text.contains("2 unreadable line(s) skipped"), "{text}");
}

#[test]
fn ask_json_cuts_a_huge_line_and_keeps_pairing_lines() {
    let huge = format!("who controls the plant {}\n", "x".repeat(3 << 20));
    let input = format!("{huge}is the iaea involved?\n");
    let output = run(&["ask", "--json"], Some(&input));
    assert!(output.status.success(), "{}", stderr(&output));
    let answers = json_lines(&output);
    assert_eq!(answers.len(), 2);
    let echoed = answers[0]["question"].as_str().unwrap_or_default();
    assert_eq!(
        echoed.chars().count(),
        factdesk::matching::MAX_QUESTION_CHARS
    );
    assert_eq!(answers[1]["question"], "is the iaea involved?");
}

/// `factdesk` run in `dir` (where a `.env` may be), with no inherited bot variables.
fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .args(args)
        .current_dir(dir)
        .env("FACTDESK_RESPONSES", responses_dir())
        .env_remove("RUST_LOG")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("spawn factdesk: {error}"))
}

#[test]
fn a_malformed_env_file_names_its_line_only_and_stops_only_serve() {
    let temp = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let secret = "MTAwMQ.secret-part.do-not-print-me";
    let env = format!(
        "# settings\nFACTDESK_USER_COOLDOWN_SECS=5\nDISCORD_TOKEN=\"{secret}\nDISCORD_GUILD_ID=1\n"
    );
    let _ = std::fs::write(temp.path().join(".env"), env);

    let ask = run_in(temp.path(), &["ask", "who controls the plant?"]);
    assert!(ask.status.success(), "{}", stderr(&ask));
    assert!(stdout(&ask).contains("Russian control"));
    let warning = stderr(&ask);
    assert!(warning.contains("line 3"), "{warning}");

    let serve = run_in(temp.path(), &["serve"]);
    assert_eq!(serve.status.code(), Some(2));
    let error = stderr(&serve);
    assert!(
        error.contains("line 3") && error.contains(".env"),
        "{error}"
    );
    for output in [warning, error] {
        assert!(
            !output.contains("secret-part") && !output.contains("DISCORD_TOKEN=\""),
            "{output}"
        );
    }
}

#[test]
fn explain_shows_every_signal_and_the_decision() {
    let output = factdesk(&[
        "explain",
        "lol nice weather. anyway who controls the plant?",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "matched on:  one sentence of it: “anyway who controls the plant”",
        "grounded:    yes",
        "off-topic:",
        "decision:    answered",
        "→ who-controls-the-plant",
        "confidence  example  coverage  evidence  trigger  grounding  +terms  +meaning  with votes",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in\n{text}");
    }
    // Its confidence is at most 1, and the sum that ordered the answer is shown beside it:
    // with the asked questions' votes, past 1.
    let with_votes = text
        .lines()
        .find(|line| line.trim_start().starts_with("who-controls-the-plant "))
        .and_then(|line| line.split_whitespace().last())
        .and_then(|last| last.parse::<f32>().ok());
    assert!(with_votes.is_some_and(|sum| sum > 1.0), "{text}");
    let refused = stdout(&factdesk(&["explain", "which gpu is best for mining"]));
    assert!(refused.contains("decision:    no_match"), "{refused}");
    let missing = factdesk(&["explain"]);
    assert_eq!(missing.status.code(), Some(2));
}
