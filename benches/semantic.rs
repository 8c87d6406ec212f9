//! Loading the distilled static embedding table and embedding a question with it:
//! `cargo bench --bench semantic`. Needs /tmp/teacher/static_all_int8.safetensors (made
//! by tools/distill_static_embeddings.py); without it the benchmark says so and skips.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk::matching::semantic::StaticEmbeddings;

const TABLE: &str = "/tmp/teacher/static_all_int8.safetensors";

const QUESTIONS: &[&str] = &[
    "who controls the nuclear plant?",
    "хто контролює атомну станцію?",
    "кто контролирует атомную станцию?",
    "why did they leave kyiv out of the talks, isn't that a sovereignty problem",
];

fn bench_semantic(criterion: &mut Criterion) {
    let path = Path::new(TABLE);
    if !path.exists() {
        eprintln!("skipped: {TABLE} is not on this machine");
        return;
    }
    let table = match StaticEmbeddings::load(path) {
        Ok(table) => table,
        Err(error) => panic!("{error}"),
    };
    criterion.bench_function("semantic/embed_question", |bencher| {
        let mut index = 0;
        bencher.iter(|| {
            index = (index + 1) % QUESTIONS.len();
            black_box(table.embed(black_box(QUESTIONS[index])))
        })
    });
    let long_question = "what about the bitcoin mining at the nuclear plant? ".repeat(200);
    criterion.bench_function("semantic/embed_6000_chars", |bencher| {
        bencher.iter(|| black_box(table.embed(black_box(&long_question))))
    });
    let mut group = criterion.benchmark_group("semantic/load");
    group.sample_size(10);
    group.bench_function("int8_table", |bencher| {
        bencher.iter(|| black_box(StaticEmbeddings::load(path).is_ok()))
    });
    group.finish();
}

criterion_group!(benches, bench_semantic);
criterion_main!(benches);
