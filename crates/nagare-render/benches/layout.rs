//! Benchmark of the swimlane layout and SVG writer on generated flows of 50–2,000 steps.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nagare_render::{LayoutOptions, SvgOptions, layout, svg, testgen};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(20);
    for steps in [50usize, 200, 1_000, 2_000] {
        let model = testgen::generate(steps, 1);
        group.bench_with_input(BenchmarkId::new("layout", steps), &model, |b, m| {
            b.iter(|| layout(std::hint::black_box(m), &LayoutOptions::default()));
        });
        group.bench_with_input(BenchmarkId::new("layout+svg", steps), &model, |b, m| {
            b.iter(|| {
                svg(
                    &layout(std::hint::black_box(m), &LayoutOptions::default()),
                    &SvgOptions::default(),
                )
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
