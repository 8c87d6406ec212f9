//! Loading the shipped static embedding table and embedding a question with it, and
//! finding the nearest of the asked questions' vectors: `cargo bench --bench semantic`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use factdesk::matching::semantic::{QuantizedVectors, StaticEmbeddings};

const TABLE: &str = "src/matching/semantic/multilingual-e5-small-64d-int8.safetensors";

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
    // As many vectors as there are asked questions, made from questions of the sets.
    let mut vectors = QuantizedVectors::new(table.dims());
    for index in 0..9_000 {
        let text = format!("{} {index}", QUESTIONS[index % QUESTIONS.len()]);
        vectors.push(table.embed(&text).as_deref());
    }
    let query = table.embed(QUESTIONS[0]).unwrap_or_default();
    criterion.bench_function("semantic/nearest_of_9000", |bencher| {
        bencher.iter(|| black_box(vectors.nearest(black_box(&query), 5)))
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
