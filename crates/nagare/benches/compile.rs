//! Compiles a generated 10,000-step flow (decisions, send-backs, parallel blocks): the whole
//! `nagare::compile` pipeline a front end runs on every save.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

/// Returns a flow with `steps` steps: every third step decides with a send-back, every
/// seventh opens a two-way decision with bodies, every eleventh a parallel block.
fn generated_flow(steps: usize) -> String {
    let mut s = String::from(
        "業務: ベンチマーク用の大きな手続\n版: As-Is\n件数: 1200/年\n担当:\n  住民: 住民\n  窓口: 職員 (市民課)\n  審査: 職員 (市民課)\n  基幹システム: システム\n書類:\n  申請書: 紙 [氏名, 住所, 生年月日]\n流れ:\n",
    );
    let mut k = 0;
    let mut next = || {
        k += 1;
        k
    };
    let mut made = 0;
    while made < steps {
        let a = next();
        let _ = writeln!(s, "  S{a} 住民: 申請書を書く {a} [紙, 10分, 記入=申請書]");
        let b = next();
        let _ = writeln!(s, "  S{b} 窓口: 内容を確認する {b} [5分, 本人確認]");
        let _ = writeln!(s, "    もし 不備あり 10%: → S{a}");
        made += 2;
        if a % 7 == 1 {
            let c = next();
            let d = next();
            let _ = writeln!(s, "  S{c} 審査: 判定する {c} [判断, 3分]");
            let _ = writeln!(s, "    もし 要件外 20%:");
            let _ = writeln!(s, "      S{d} 審査: 却下通知を作る {d} [紙, 5分]");
            let _ = writeln!(s, "      終了: 却下");
            let _ = writeln!(s, "    それ以外:");
            made += 2;
        }
        if a % 11 == 1 {
            let e = next();
            let f = next();
            let _ = writeln!(s, "  並行:");
            let _ = writeln!(s, "    分岐 税:");
            let _ = writeln!(s, "      S{e} 基幹システム: 課税情報を照会する {e} [1分]");
            let _ = writeln!(s, "    分岐 住記:");
            let _ = writeln!(s, "      S{f} 窓口: 住民記録を確認する {f} [3分]");
            made += 2;
        }
    }
    s
}

fn bench_compile(c: &mut Criterion) {
    let source = generated_flow(10_000);
    let options = nagare::CompileOptions::default();
    // Fail loudly if the generator drifts: the benchmark must measure a valid model.
    let check = nagare::compile(&source, &options);
    assert!(!check.has_errors(), "{:?}", check.diagnostics.first());
    assert!(check.model.steps.len() >= 10_000);
    let mut group = c.benchmark_group("compile");
    group.sample_size(20);
    group.bench_function("10k_steps", |b| {
        b.iter(|| nagare::compile(black_box(&source), black_box(&options)));
    });
    group.bench_function("10k_steps_parse_only", |b| {
        b.iter(|| nagare::syntax::parse(black_box(&source)));
    });
    group.finish();
}

criterion_group!(benches, bench_compile);
criterion_main!(benches);
