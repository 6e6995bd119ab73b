//! Diff of two generated 2,000-step models with 20% changes (renamed, removed, added, moved),
//! without ids, so that every match goes through the automatic phase; and the text report of it.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "support/generate.rs"]
mod generate;

fn bench(c: &mut Criterion) {
    let pair = generate::pair(2_000, 0.2, 42);
    c.bench_function("diff_models 2000 steps 20% changed", |b| {
        b.iter(|| nagare_diff::diff_models(black_box(&pair.as_is), black_box(&pair.to_be)));
    });
    let settings = nagare_graph::Settings::default();
    c.bench_function("diff (with metrics) 2000 steps 20% changed", |b| {
        b.iter(|| nagare_diff::diff(black_box(&pair.as_is), black_box(&pair.to_be), &settings));
    });
    let diff = nagare_diff::diff(&pair.as_is, &pair.to_be, &settings);
    c.bench_function("format_report 2000 steps 20% changed", |b| {
        b.iter(|| nagare_diff::format_report(black_box(&diff), nagare_syntax::Lang::Ja));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
