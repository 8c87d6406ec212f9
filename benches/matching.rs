//! Matching plus composing one question, over a mix of on-topic, off-topic, typo and
//! markup questions: `cargo bench --bench matching`. The target is a median of at most
//! 20 µs per question on one core, and at most 5 ms for the worst hostile input
//! (`cargo bench --bench matching -- hostile`).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk::FactDesk;

#[path = "../tests/it/hostile.rs"]
mod hostile;

const QUESTIONS: &[&str] = &[
    "who controls the plant?",
    "wait, so the US is running miners at the plant now?",
    "which exchange has the lowest fees?",
    "<@123456> **is the bitcoin minig at zaporizia confirmed??** <:pepe:1>",
    "who would own the mined coins?",
    "what does the IAEA say about all this",
    "when will fusion power be ready?",
    "why did they leave kyiv out of the talks, isn't that a sovereignty problem",
];

fn bench_answer(criterion: &mut Criterion) {
    let desk = match FactDesk::load(Path::new("responses")) {
        Ok(desk) => desk,
        Err(problems) => panic!("{problems}"),
    };
    let mut group = criterion.benchmark_group("answer");
    for question in QUESTIONS {
        group.bench_with_input(*question, question, |bencher, question| {
            bencher.iter(|| desk.answer(black_box(question)))
        });
    }
    group.finish();

    let long = format!(
        "{} who actually controls the zaporizhzhia plant? {}",
        "chatter about the weekend and the cat. ".repeat(100),
        "more chatter. ".repeat(100)
    );
    criterion.bench_function("answer/long message (8 KB)", |bencher| {
        bencher.iter(|| desk.answer(black_box(&long)))
    });
    // The attack suite's inputs: the target is at most 5 ms for the worst of them.
    let mut group = criterion.benchmark_group("hostile");
    for (name, input) in hostile::all() {
        group.bench_with_input(name, &input, |bencher, input| {
            bencher.iter(|| desk.answer(black_box(input)))
        });
    }
    group.finish();

    criterion.bench_function("load (check + index)", |bencher| {
        bencher.iter(|| {
            FactDesk::load(black_box(Path::new("responses"))).map(|desk| desk.topics().len())
        })
    });
}

criterion_group!(benches, bench_answer);
criterion_main!(benches);
