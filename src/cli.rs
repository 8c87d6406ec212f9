//! The terminal front end: argument parsing, the commands, and rendering answers as text
//! or as the JSON machine contract.
//!
//! It decides nothing about what to answer; it asks the `FactDesk` and prints.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use clap::{Parser, Subcommand};

use crate::answer::{Answer, AnswerStatus, Suggestion, NOTHING_CONFIRMED};
use crate::bounded_read::skip_rest_of_line;
use crate::config::Config;
use crate::discord;
use crate::knowledge::{self, Claim, ClaimStatus, KnowledgeBase, Problems, Source};
use crate::matching::{AskedVotes, Explanation};
use crate::summary::Summary;
use crate::unanswered::UnansweredLog;
use crate::updates::Update;
use crate::FactDesk;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "factdesk",
    version,
    about = "Answers questions about one news story from verbatim, labelled quotes."
)]
pub struct Args {
    /// Folder with the answer files: a story folder, or a folder holding exactly one.
    #[arg(
        long,
        global = true,
        env = "FACTDESK_RESPONSES",
        default_value = "responses"
    )]
    pub responses: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer a question. With --json and no question, answer each line of standard input.
    Ask {
        /// Print one JSON object per question (the machine contract) instead of text.
        #[arg(long)]
        json: bool,
        /// The question; several words are joined with spaces.
        question: Vec<String>,
    },
    /// Show why a question gets the answer it gets: its terms, grounding, off-topic
    /// closeness, every signal of the best topics, and the decision (for curators).
    Explain {
        /// The question; several words are joined with spaces.
        #[arg(required = true)]
        question: Vec<String>,
    },
    /// List the topics the desk can answer.
    Topics,
    /// Show one topic's answer by its id (see `topics`).
    Topic {
        /// The topic id, e.g. who-controls-the-plant.
        id: String,
    },
    /// Print the summary a moderator would post.
    Summary,
    /// List the story's sources, oldest first: the article, then later reports.
    Sources {
        /// One JSON object per source (outlet, url, published, sha256) per line.
        #[arg(long)]
        json: bool,
    },
    /// Show the claims added or changed since a date, newest first.
    Updates {
        /// The date, YYYY-MM-DD: claims from sources published on or after it.
        #[arg(long)]
        since: String,
        /// One JSON object per claim per line.
        #[arg(long)]
        json: bool,
    },
    /// Check the answer files: every quote verbatim, hashes, ids, regexes, fields.
    Check,
    /// Summarise the log of unanswered and ambiguous questions, most frequent first.
    Unanswered {
        /// The log file written by the bot.
        #[arg(
            long,
            env = "FACTDESK_UNANSWERED_LOG",
            default_value = "unanswered.jsonl"
        )]
        log: PathBuf,
    },
    /// Run the Discord bot until Ctrl-C or SIGTERM (configuration: see .env.example).
    Serve,
}

impl Command {
    /// Whether the command needs the bot's configuration (the token); the others run
    /// with no `.env` at all, or a broken one.
    pub fn needs_token(&self) -> bool {
        matches!(self, Command::Serve)
    }
}

/// Errors of the terminal front end, each with the exit status it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The answer files failed the check; `check` prints each problem.
    #[error("{0}\n{count} problem(s) found; fix them and run `factdesk check` again", count = .0 .0.len())]
    Problems(Problems),
    /// The answer files could not be loaded for another command.
    #[error("the answer files in {dir} have {count} problem(s), the first: {first} (run `factdesk check --responses {dir}` to see them all)")]
    Load {
        /// The responses folder.
        dir: String,
        /// How many problems.
        count: usize,
        /// The first problem, so the user sees one right away.
        first: String,
    },
    /// The user's input is not usable.
    #[error("{0}")]
    Usage(String),
    /// The bot's configuration is missing or malformed.
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    /// The bot stopped with an error.
    #[error("{0}")]
    Serve(Box<crate::discord::ServeError>),
    /// Writing output or reading input failed.
    #[error("input/output error: {0}")]
    Io(#[from] io::Error),
}

impl CliError {
    /// The process exit status: 1 when `check` finds problems, 2 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Problems(_) => 1,
            _ => 2,
        }
    }
}

/// Runs one command, writing to `out`.
pub fn run(
    args: Args,
    input: &mut dyn BufRead,
    out: &mut (dyn Write + Send),
) -> Result<(), CliError> {
    let result = match args.command {
        Command::Check => check(&args.responses, out),
        Command::Ask { json, question } => {
            let question = (!question.is_empty()).then(|| question.join(" "));
            match (json, question) {
                (true, None) => ask_stdin(load(&args.responses)?, input, out),
                (true, Some(question)) => {
                    write_json(&load(&args.responses)?.answer(&question), out)
                }
                (false, Some(question)) if !question.trim().is_empty() => {
                    let desk = load(&args.responses)?;
                    write_answer(&desk.answer(&question), desk, out)
                }
                (false, _) => Err(CliError::Usage(
                    "ask needs a question, e.g. factdesk ask \"who controls the plant?\""
                        .to_string(),
                )),
            }
        }
        Command::Explain { question } => {
            let desk = load(&args.responses)?;
            write_explanation(desk, &question.join(" "), out)
        }
        Command::Topics => {
            let desk = load(&args.responses)?;
            write_topics(desk, out)
        }
        Command::Topic { id } => {
            let desk = load(&args.responses)?;
            match desk.answer_topic(&id) {
                Some(answer) => write_answer(&answer, desk, out),
                None => Err(CliError::Usage(format!(
                    "no topic `{id}`; `factdesk topics` lists them"
                ))),
            }
        }
        Command::Summary => {
            let desk = load(&args.responses)?;
            write_summary(&desk.summary(), out)
        }
        Command::Sources { json } => {
            let desk = load(&args.responses)?;
            write_sources(&desk.knowledge_base().sources, json, out)
        }
        Command::Updates { since, json } => {
            if knowledge::parse_date(&since).is_none() {
                return Err(CliError::Usage(format!(
                    "--since `{since}` is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01"
                )));
            }
            let desk = load(&args.responses)?;
            write_updates(
                &crate::updates::since(desk.knowledge_base(), &since),
                json,
                out,
            )
        }
        Command::Unanswered { log } => write_unanswered(&UnansweredLog::new(log), out),
        Command::Serve => serve(args.responses),
    };
    match result {
        // A closed pipe (`factdesk ask ... | head`) is the reader's choice, not an error.
        Err(CliError::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The sources, oldest first, as text or one JSON object each.
fn write_sources(sources: &[Source], json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    for source in sources {
        if json {
            writeln!(
                out,
                "{}",
                serde_json::to_string(source).map_err(io::Error::other)?
            )?;
        } else {
            writeln!(
                out,
                "{}  {}  {}\n            sha256 {}",
                source.published, source.outlet, source.url, source.sha256
            )?;
        }
    }
    Ok(())
}

/// What changed, newest first, as text or one JSON object per claim.
fn write_updates(updates: &[Update], json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    if updates.is_empty() && !json {
        writeln!(out, "Nothing added or changed since then.")?;
    }
    for update in updates {
        if json {
            writeln!(
                out,
                "{}",
                serde_json::to_string(update).map_err(io::Error::other)?
            )?;
            continue;
        }
        let bears_on = match (&update.updates, update.relation) {
            (Some(id), Some(relation)) => {
                format!(" — {} `{id}`", relation.as_str())
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "{} {} · “{}” ({}){bears_on}\n  {}: “{}”\n  {}",
            update.claim.published,
            update.outlet,
            update.topic_title,
            update.topic,
            update.claim.status.label(),
            update.claim.text,
            update.claim.source_url
        )?;
    }
    Ok(())
}

/// Loads the desk, turning problems into a short error for commands other than `check`.
pub fn load(responses_dir: &Path) -> Result<&'static FactDesk, CliError> {
    let cache_dir = crate::terms_cache::default_dir();
    let desk = FactDesk::load_cached(responses_dir, cache_dir.as_deref()).map_err(|problems| {
        CliError::Load {
            dir: responses_dir.display().to_string(),
            count: problems.0.len(),
            first: problems
                .0
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    })?;
    // A command is the rest of the process: the desk is left for the exit to free, at
    // once, instead of its hundred thousand allocations one by one (2 ms of an `ask`).
    Ok(Box::leak(Box::new(desk)))
}

/// Threads that answer questions (and reload files) off the gateway's workers: one per
/// core, at least two so that a reload never holds up every answer. Answering is all
/// computation, so more threads than cores add no speed, only memory: each keeps its own
/// malloc arena and regex caches, and four on two cores peaked 6 MB higher under the load
/// bench than two.
fn blocking_threads() -> usize {
    cores().clamp(2, 16)
}

/// The cores this process may run on (one when that cannot be told).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| cores.get())
}

/// Runs the bot on a multi-threaded runtime; `--responses` overrides the environment.
fn serve(responses_dir: PathBuf) -> Result<(), CliError> {
    let config = Config::from_env(responses_dir)?;
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Answering runs on the blocking pool, a few milliseconds at most: as many threads
        // as cores keep up with any burst, where tokio's default (512) would spend memory.
        .max_blocking_threads(blocking_threads())
        .build()?;
    runtime
        .block_on(discord::serve(config, discord::shutdown_signal()))
        .map_err(|error| CliError::Serve(Box::new(error)))?;
    Ok(())
}

/// Malloc arenas the bot keeps, against glibc's default of eight per core: each thread
/// that allocates gets an arena of its own, and the memory freed in one is not reused by
/// another, so a burst spread over many threads leaves each holding its own high water.
/// Under the load bench, two arenas peaked at 50.9 MB where the default peaked at 63.6
/// (one: 47.9 MB, but the burst's throughput fell by a third).
const MALLOC_ARENAS: i32 = 2;

/// Caps glibc's malloc arenas before the runtime starts its threads.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets a malloc parameter; it is called before the runtime
    // starts any thread, and M_ARENA_MAX takes any positive count.
    let applied = unsafe { libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS) };
    if applied != 1 {
        tracing::warn!("could not limit malloc arenas; memory may peak higher under bursts");
    }
}

/// Other allocators (musl, macOS) have no per-thread arenas to cap.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

fn write_unanswered(log: &UnansweredLog, out: &mut dyn Write) -> Result<(), CliError> {
    let summary = log.summarize()?;
    if summary.records == 0 {
        writeln!(out, "No unanswered questions in {}.", log.path().display())?;
    } else {
        writeln!(
            out,
            "{} unanswered or ambiguous question(s) in {}, most frequent first:",
            summary.records,
            log.path().display()
        )?;
    }
    for group in &summary.groups {
        let marker = if group.ambiguous { "  [ambiguous]" } else { "" };
        writeln!(out, "{:>5}  {}{marker}", group.count, group.example)?;
        for variant in &group.variants {
            writeln!(out, "         ~ {variant}")?;
        }
    }
    if summary.tail_questions > 0 {
        writeln!(
            out,
            "(and {} rarer question(s) in {} other wording(s), not listed)",
            summary.tail_questions, summary.tail_wordings
        )?;
    }
    if summary.skipped > 0 {
        writeln!(out, "({} unreadable line(s) skipped)", summary.skipped)?;
    }
    if summary.records > 0 {
        writeln!(
            out,
            "\nTo teach the bot one of these, add it to the story's asked.jsonl with the topics \
             that answer it ({{\"question\": \"…\", \"topics\": [\"topic-id\"]}}, or [] to refuse \
             it), then run `factdesk check`: similar questions follow (README, \"Curating answers\")."
        )?;
    }
    Ok(())
}

fn check(responses_dir: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    match KnowledgeBase::load_checked(responses_dir) {
        Ok(knowledge_base) => {
            let quotes: usize = knowledge_base
                .topics
                .iter()
                .map(|topic| topic.claims.len())
                .sum();
            writeln!(
                out,
                "ok: {} topics, {quotes} quotes, all verbatim from {}",
                knowledge_base.topics.len(),
                knowledge_base.story_dir.join("article.txt").display()
            )?;
            Ok(())
        }
        Err(problems) => Err(CliError::Problems(problems)),
    }
}

/// Longest input line read by `ask --json`; the rest of a longer line is skipped. More
/// than the desk reads of a question (`MAX_QUESTION_CHARS` characters of up to 4 bytes).
pub const MAX_INPUT_LINE_BYTES: usize = 32 << 10;

/// Answers every line of `input` as one JSON line, in order, flushing as each is written
/// so that a caller can talk to the process line by line. A line of any length costs at
/// most [`MAX_INPUT_LINE_BYTES`] of memory.
///
/// Lines are answered on one thread per core while this one reads and another writes:
/// a batch of 10,000 took 1.2 s on one core of a two-core machine, and answers are the
/// same whichever thread computes them.
fn ask_stdin(
    desk: &FactDesk,
    input: &mut dyn BufRead,
    out: &mut (dyn Write + Send),
) -> Result<(), CliError> {
    let threads = cores().min(16);
    // Reading runs at most this many lines ahead of writing: queued, being answered, or
    // answered and waiting for an earlier one (a slow line must not let the others pile
    // up behind it). A few per thread keep every core busy.
    let window = 8 * threads;
    let (slot_taker, slots) = mpsc::sync_channel::<()>(window);
    let (question_sender, questions) = mpsc::sync_channel::<(usize, String)>(window);
    let (answer_sender, answers) = mpsc::sync_channel(window);
    // Shared by the answering threads only: when they have all stopped (the writer
    // failed), sending another line fails and reading stops.
    let questions = Arc::new(Mutex::new(questions));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let questions = Arc::clone(&questions);
            let answer_sender = answer_sender.clone();
            scope.spawn(move || loop {
                let next = match questions.lock() {
                    Ok(questions) => questions.recv(),
                    Err(_) => return,
                };
                let Ok((index, question)) = next else { return };
                let json = serde_json::to_vec(&desk.answer(&question));
                if answer_sender.send((index, json)).is_err() {
                    return;
                }
            });
        }
        drop((questions, answer_sender));
        let writer = scope.spawn(move || write_in_order(answers, &slots, out));
        let read = send_lines(input, &slot_taker, &question_sender);
        drop(question_sender);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.and(written)
    })
}

/// Sends each line of `input` with its number, each once a slot is free, until the input
/// ends or nobody takes them.
fn send_lines(
    input: &mut dyn BufRead,
    slot_taker: &mpsc::SyncSender<()>,
    questions: &mpsc::SyncSender<(usize, String)>,
) -> Result<(), CliError> {
    let mut line = Vec::new();
    for index in 0.. {
        line.clear();
        let read =
            Read::take(&mut *input, MAX_INPUT_LINE_BYTES as u64).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') && read == MAX_INPUT_LINE_BYTES {
            skip_rest_of_line(input)?;
        }
        // Invalid UTF-8 is replaced rather than rejected: one bad line must not stop a batch.
        let text = String::from_utf8_lossy(&line);
        let question = text.trim_end_matches(['\n', '\r']).to_string();
        if slot_taker.send(()).is_err() || questions.send((index, question)).is_err() {
            break;
        }
    }
    Ok(())
}

/// Writes the JSON answers in the order of their lines, whatever order they come in,
/// flushing whenever the next ones in order are out, and freeing a slot for each.
fn write_in_order(
    answers: mpsc::Receiver<(usize, serde_json::Result<Vec<u8>>)>,
    slots: &mpsc::Receiver<()>,
    out: &mut (dyn Write + Send),
) -> Result<(), CliError> {
    // At most a window of answers waits here: each line took a slot before it was sent.
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for (index, json) in answers {
        waiting.insert(index, json);
        while let Some(json) = waiting.remove(&next) {
            out.write_all(&json.map_err(io::Error::from)?)?;
            out.write_all(b"\n")?;
            next += 1;
            let _ = slots.recv();
        }
        out.flush()?;
    }
    Ok(())
}

fn write_json(answer: &Answer, out: &mut dyn Write) -> Result<(), CliError> {
    serde_json::to_writer(&mut *out, answer).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn write_answer(answer: &Answer, desk: &FactDesk, out: &mut dyn Write) -> Result<(), CliError> {
    let story = &desk.knowledge_base().story;
    if let Some(title) = &answer.title {
        writeln!(out, "{title}\n")?;
    }
    writeln!(out, "{}", answer.answer)?;
    if !answer.quotes.is_empty() {
        writeln!(out)?;
    }
    write_quote_groups(&answer.quotes, out)?;
    match answer.status {
        AnswerStatus::Answered if !answer.suggestions.is_empty() => {
            writeln!(out, "\nRelated:")?;
            write_topic_list(&answer.suggestions, out)?;
        }
        AnswerStatus::Ambiguous => {
            writeln!(out, "\nDid you mean:")?;
            write_topic_list(&answer.suggestions, out)?;
        }
        _ => {}
    }
    writeln!(
        out,
        "\nSource: {}, {}: {}",
        story.outlet, story.published, answer.source_url
    )?;
    writeln!(out, "{}", story.standing_notice())?;
    Ok(())
}

fn write_topic_list(suggestions: &[Suggestion], out: &mut dyn Write) -> Result<(), CliError> {
    for suggestion in suggestions {
        writeln!(
            out,
            "  - {} (factdesk topic {})",
            suggestion.title, suggestion.id
        )?;
    }
    Ok(())
}

/// Writes quotes grouped under Confirmed / Reported / Unclear; a missing confirmed group
/// is said out loud only by the answer text, which always carries that sentence.
fn write_quote_groups(quotes: &[Claim], out: &mut dyn Write) -> Result<(), CliError> {
    for status in [
        ClaimStatus::Confirmed,
        ClaimStatus::Reported,
        ClaimStatus::Unclear,
    ] {
        let group: Vec<&Claim> = quotes
            .iter()
            .filter(|claim| claim.status == status && !claim.earlier)
            .collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "{}:", status.label())?;
        for claim in group {
            write_quote(claim, "", out)?;
        }
    }
    // What later sources updated: after the current state, as what it was, never dropped.
    let earlier: Vec<&Claim> = quotes.iter().filter(|claim| claim.earlier).collect();
    if !earlier.is_empty() {
        writeln!(out, "Earlier reporting:")?;
        for claim in earlier {
            write_quote(claim, &format!("{}, ", claim.status.label()), out)?;
        }
    }
    Ok(())
}

/// One quote and where it is from: the article's section, or a later source and its date.
fn write_quote(claim: &Claim, label: &str, out: &mut dyn Write) -> Result<(), CliError> {
    let attribution = claim
        .attribution
        .as_deref()
        .map(|name| format!("{name}, "))
        .unwrap_or_default();
    if claim.source == crate::knowledge::ARTICLE_SOURCE {
        writeln!(
            out,
            "  “{}”\n    ({label}{attribution}section “{}”)",
            claim.text, claim.section
        )?;
    } else {
        writeln!(
            out,
            "  “{}”\n    ({label}{attribution}{}, {}, {})",
            claim.text, claim.section, claim.published, claim.source_url
        )?;
    }
    Ok(())
}

/// The nearest asked questions behind an explanation, by terms and by meaning, and
/// their votes.
fn write_asked_votes(
    desk: &FactDesk,
    explanation: &Explanation,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    write_vote(
        desk,
        &explanation.asked,
        (
            "asked:",
            "the nearest asked questions (asked.jsonl), by cosine of their terms:",
        ),
        "vote:",
        out,
    )?;
    write_vote(
        desk,
        &explanation.asked_by_meaning,
        (
            "by meaning:",
            "the nearest by meaning (the embedding table's cosine):",
        ),
        "its vote:",
        out,
    )
}

/// One vote: its nearest asked questions under `heading` (label, words), then the vote.
fn write_vote(
    desk: &FactDesk,
    votes: &AskedVotes,
    (label, heading): (&str, &str),
    vote_label: &str,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if votes.nearest.is_empty() {
        return Ok(());
    }
    let topic_ids = |topics: &[u16]| -> String {
        if topics.is_empty() {
            return "refused".to_string();
        }
        let ids: Vec<&str> = topics
            .iter()
            .filter_map(|&topic| desk.topics().get(usize::from(topic)))
            .map(|topic| topic.id.as_str())
            .collect();
        ids.join(", ")
    };
    writeln!(out, "{label:<13}{heading}")?;
    let asked = &desk.knowledge_base().asked;
    for &(index, cosine) in &votes.nearest {
        let Some(question) = asked.question(index) else {
            continue;
        };
        let question: String = question.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut shown: String = question.chars().take(70).collect();
        if shown.len() < question.len() {
            shown.push('…');
        }
        writeln!(
            out,
            "             {cosine:.3}  “{shown}” → {}",
            topic_ids(asked.topics(index))
        )?;
    }
    let mut vote: Vec<String> = votes
        .topics
        .iter()
        .map(|&(topic, share)| format!("{} {:.0}%", desk.topics()[topic].id, share * 100.0))
        .collect();
    if votes.refused > 0.0 {
        vote.push(format!("refused {:.0}%", votes.refused * 100.0));
    }
    writeln!(out, "{vote_label:<13}{}", vote.join(", "))?;
    Ok(())
}

fn write_explanation(desk: &FactDesk, question: &str, out: &mut dyn Write) -> Result<(), CliError> {
    let explanation = desk.explain(question);
    let status = AnswerStatus::from(explanation.status);
    // The topic answered, from the same decision: explaining never matches twice.
    let answered = explanation
        .answered
        .map(|topic_index| desk.topics()[topic_index].id.as_str());
    let matched_on = if explanation.from_sentence {
        format!("one sentence of it: “{}”", explanation.matched_text)
    } else {
        "the whole question".to_string()
    };
    writeln!(out, "matched on:  {matched_on}")?;
    writeln!(out, "terms:       {}", explanation.terms.join(", "))?;
    writeln!(
        out,
        "grounded:    {}",
        if explanation.grounded {
            "yes (names the story, points at it or joins two of its sides)"
        } else {
            "no (neither names the story, points at it nor joins two of its sides: confidence is cut)"
        }
    )?;
    writeln!(
        out,
        "off-topic:   {:.3} (closest curated off-topic question)",
        explanation.off_topic
    )?;
    if let Some(subject) = &explanation.other_subject {
        writeln!(
            out,
            "names:       {subject} (another subject, in off_topic.toml)"
        )?;
    }
    if let Some(order) = &explanation.order {
        writeln!(
            out,
            "order:       \"{order}\" (an order to the bot, in off_topic.toml)"
        )?;
    }
    if let Some(marker) = &explanation.general_marker {
        writeln!(
            out,
            "general:     \"{marker}\" (asks about a thing in general, in off_topic.toml)"
        )?;
    }
    writeln!(
        out,
        "decision:    {} ({}){}",
        status.as_str(),
        explanation.reason,
        answered.map_or(String::new(), |topic| format!(" → {topic}"))
    )?;
    write_asked_votes(desk, &explanation, out)?;
    if explanation.topics.is_empty() {
        return Ok(());
    }
    let width = explanation
        .topics
        .iter()
        .map(|signals| desk.topics()[signals.topic_index].id.len())
        .max()
        .unwrap_or(0)
        .max(5);
    writeln!(
        out,
        "\n  {:width$}  confidence  example  coverage  evidence  trigger  grounding  +terms  \
         +meaning  with votes",
        "topic"
    )?;
    let (terms_weight, meaning_weight) = explanation.vote_weights;
    for signals in &explanation.topics {
        let by_terms = terms_weight * explanation.asked.share(signals.topic_index);
        let by_meaning = explanation
            .meaning_taken
            .then(|| meaning_weight * explanation.asked_by_meaning.share(signals.topic_index));
        writeln!(
            out,
            "  {:width$}  {:>10.3}  {:>7.3}  {:>8.3}  {:>8.3}  {:>7}  {:>9.2}  {:>6.3}  {:>8}  \
             {:>10.3}",
            desk.topics()[signals.topic_index].id,
            signals.confidence,
            signals.example_similarity,
            signals.coverage,
            signals.evidence,
            if signals.corrects {
                "premise"
            } else if signals.trigger {
                "yes"
            } else {
                "-"
            },
            signals.grounding,
            by_terms,
            by_meaning.map_or("-".to_string(), |added| format!("{added:.3}")),
            signals.confidence + by_terms + by_meaning.unwrap_or(0.0),
        )?;
    }
    writeln!(
        out,
        "\nconfidence = example^a × coverage^(1-a) × evidence (+ trigger bonus) × grounding, at \
         most 1 (the knobs are in matching::Tuning); 1 × grounding for a false premise the \
         topic corrects. An answer's topics are ordered by confidence with votes: each vote's \
         share times its weight added (by terms {terms_weight}; by meaning {meaning_weight}, \
         \"-\" where the decision did not take it). A refusal or a corrected premise is \
         decided without them, and an order answered by meaning with that vote alone."
    )?;
    Ok(())
}

fn write_topics(desk: &FactDesk, out: &mut dyn Write) -> Result<(), CliError> {
    let width = desk
        .topics()
        .iter()
        .map(|topic| topic.id.len())
        .max()
        .unwrap_or(0);
    for topic in desk.topics() {
        writeln!(out, "{:width$}  {}", topic.id, topic.title)?;
    }
    Ok(())
}

fn write_summary(summary: &Summary, out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(out, "{}", summary.title)?;
    writeln!(out, "{}, {}\n", summary.outlet, summary.published)?;
    if summary.confirmed.is_empty() {
        writeln!(out, "Confirmed: {NOTHING_CONFIRMED}\n")?;
    }
    let all: Vec<Claim> = summary
        .confirmed
        .iter()
        .chain(&summary.reported)
        .chain(&summary.unclear)
        .cloned()
        .collect();
    write_quote_groups(&all, out)?;
    writeln!(out, "\nSource: {}", summary.source_url)?;
    writeln!(out, "{}", summary.notice)?;
    Ok(())
}
