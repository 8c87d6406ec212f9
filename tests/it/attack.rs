//! The attack suite: inputs aimed at each cost of answering, with what they may cost
//! asserted as allocations (machine-independent), never as time. The time each takes
//! is measured by `cargo bench --bench matching -- hostile`.

use factdesk::answer::AnswerStatus;

use crate::counting_alloc::{measure, Usage};
use crate::hostile;
use crate::support::desk;

/// What one question may allocate in all, and hold at once. A typical question
/// allocates about 25 KB in 60 allocations; the worst hostile input (near-typos of story
/// words, at Discord's length limit) about 0.75 MB in 8,500, and holds under 200 KB.
const MAX_ALLOCATED: u64 = 2 << 20;
const MAX_PEAK: u64 = 512 << 10;
const MAX_ALLOCATIONS: u64 = 20_000;

fn answer_cost(question: &str) -> Usage {
    let desk = desk();
    // Warm what is built once per process outside the measurement: the typo index, and
    // the curated patterns the question could match with their search caches (what
    // compiling all of them costs is bounded below). The same input asked a second time
    // costs what every later question like it does.
    let _ = desk.answer("who contrlos the plnat");
    if let Err(problems) = desk.knowledge_base().compile_patterns() {
        panic!("the shipped patterns must compile:\n{problems}");
    }
    let _ = desk.answer(question);
    let (answer, usage) = measure(|| desk.answer(question));
    assert!(answer.question.chars().count() <= factdesk::matching::MAX_QUESTION_CHARS);
    usage
}

#[test]
fn no_hostile_input_costs_more_than_a_bounded_amount() {
    let typical = answer_cost("who controls the zaporizhzhia plant right now?");
    eprintln!("typical question: {typical:?}");
    let mut over = Vec::new();
    for (name, input) in hostile::all() {
        let usage = answer_cost(&input);
        eprintln!("{name}: {usage:?}");
        if usage.allocated > MAX_ALLOCATED
            || usage.peak > MAX_PEAK
            || usage.allocations > MAX_ALLOCATIONS
        {
            over.push(format!("{name}: {usage:?}"));
        }
    }
    assert!(over.is_empty(), "over the bounds:\n{}", over.join("\n"));
}

/// The vote by meaning (embedding the question, searching the asked questions' vectors)
/// is taken only where it can change an answer, so `answer` may skip it for a hostile
/// input; `explain` always takes it, so every hostile input is put through it here, under
/// the same bounds.
#[test]
fn the_vote_by_meaning_costs_a_bounded_amount_for_every_hostile_input() {
    let desk = desk();
    let _ = desk.explain("who contrlos the plnat");
    let mut over = Vec::new();
    for (name, input) in hostile::all() {
        let _ = desk.explain(&input);
        let (explanation, usage) = measure(|| desk.explain(&input));
        assert!(explanation.matched_text.chars().count() <= factdesk::matching::MAX_QUESTION_CHARS);
        eprintln!("{name}: {usage:?}");
        if usage.allocated > MAX_ALLOCATED
            || usage.peak > MAX_PEAK
            || usage.allocations > MAX_ALLOCATIONS
        {
            over.push(format!("{name}: {usage:?}"));
        }
    }
    assert!(over.is_empty(), "over the bounds:\n{}", over.join("\n"));
}

/// Compiling the curated patterns, which a question pays for the few it could match and
/// a long-running bot's check for all of them at start, is bounded too: each pattern by a
/// size limit, their number by the size of the answer files. Checking the shipped ~190
/// allocates about 90 MB in all in a test build (freed as each is built: regex's compiler
/// is allocation-heavy) and holds a few MB at most.
#[test]
fn compiling_every_curated_pattern_costs_a_bounded_amount() {
    let knowledge_base =
        match factdesk::knowledge::KnowledgeBase::load(&crate::support::responses_dir()) {
            Ok(knowledge_base) => knowledge_base,
            Err(problems) => panic!("the shipped responses must pass the check:\n{problems}"),
        };
    let (compiled, usage) = measure(|| knowledge_base.check_patterns());
    eprintln!("compiling every pattern: {usage:?}");
    assert!(compiled.is_ok(), "{compiled:?}");
    assert!(usage.allocated < 160 << 20, "{usage:?}");
    assert!(usage.peak < 16 << 20, "{usage:?}");
}

#[test]
fn the_cost_of_a_long_word_does_not_grow_with_its_length() {
    let cost =
        |letters: usize| answer_cost(&format!("is {} true", "qz".repeat(letters / 2))).allocated;
    let (short, long) = (cost(60), cost(5_000));
    assert!(
        long <= short + (16 << 10),
        "a 5,000-letter word allocated {long} bytes, a 60-letter one {short}"
    );
}

#[test]
fn the_cost_of_many_unknown_words_is_capped() {
    // Each distinct unknown word may be looked up for typos, up to a fixed budget: 1,000
    // such words cost about what 100 do.
    let words = |count: usize| -> String {
        (0..count)
            .map(|index| format!("zq{index:04}xvbnmkl"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (hundred, thousand) = (
        answer_cost(&words(100)).allocated,
        answer_cost(&words(1_000)).allocated,
    );
    assert!(
        thousand < hundred * 4,
        "1,000 unknown words allocated {thousand} bytes, 100 allocated {hundred}"
    );
}

#[test]
fn a_question_survives_hostile_surroundings() {
    let desk = desk();
    let zalgo: String = "who controls the plant"
        .chars()
        .flat_map(|c| std::iter::once(c).chain("\u{336}\u{489}\u{300}".chars()))
        .collect();
    let buried = format!(
        "{} who controls the plant?",
        "lorem ipsum dolor. ".repeat(150)
    );
    let with_long_word = format!("who controls the plant {}", "x".repeat(3_000));
    for question in [zalgo, buried, with_long_word] {
        let answer = desk.answer(&question);
        assert_eq!(answer.status, AnswerStatus::Answered, "{:.80}", question);
        assert_eq!(
            answer.topic.as_deref(),
            Some("who-controls-the-plant"),
            "{:.80}",
            question
        );
    }
}
