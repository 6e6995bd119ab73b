//! Benchmarks `analyze` on a generated 10,000-step model with send-back loops (nested), parallel
//! blocks and three-way decisions: the whole real code path (graph, v(s), lead time, metrics).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use nagare_graph::{Settings, analyze};
use nagare_model::{
    ActorKind, DocMedium, DocRole, DocUse, EdgeKind, Medium, Minutes, Model, ModelBuilder, Node,
    NodeId,
};
use nagare_syntax::Span;

/// Returns a model of about `steps` steps made of repeated 16-step segments:
/// a 4-step loop with a 10% send-back (and a nested 20% one), a parallel block of two 3-step
/// branches, a three-way decision, and a visit.
fn generate(steps: usize) -> Model {
    let mut b = ModelBuilder::new("bench").volume(5000.0);
    let actors: Vec<usize> = [
        ("住民", ActorKind::Resident),
        ("窓口", ActorKind::Staff),
        ("審査", ActorKind::Staff),
        ("システム", ActorKind::System),
        ("RPA", ActorKind::Rpa),
    ]
    .iter()
    .map(|(name, kind)| b.actor(name, *kind))
    .collect();
    let form = b.document("申請書", DocMedium::PaperForm, &["氏名", "住所", "電話"]);
    let mut count = 0usize;
    let mut block = 0usize;
    let add = |b: &mut ModelBuilder, count: &mut usize| -> NodeId {
        let actor = actors[*count % actors.len()];
        let s = b.step(actor, &format!("工程{count}"));
        let step = b.step_mut(s);
        step.work = Some(Minutes {
            p50: f64::from(u32::try_from(*count % 17).unwrap_or(0) + 1),
            p90: None,
        });
        if count.is_multiple_of(7) {
            step.medium = Some(Medium::Paper);
            step.docs.push(DocUse {
                doc: form,
                role: DocRole::Fill,
                fields: Vec::new(),
                span: Span::default(),
            });
        }
        if count.is_multiple_of(11) {
            step.flags.visit = true;
        }
        *count += 1;
        b.node_of(s)
    };
    let mut last: NodeId = 0;
    while count + 16 <= steps {
        // Loop: a → b → c → d, d → b 20% (inner), d → a 10% (outer).
        let l: Vec<NodeId> = (0..4).map(|_| add(&mut b, &mut count)).collect();
        b.edge(last, l[0], EdgeKind::Sequence, 1.0);
        b.chain(&l);
        b.edge(l[3], l[1], EdgeKind::SendBack, 0.2);
        b.edge(l[3], l[0], EdgeKind::SendBack, 0.1);
        // Parallel block with two branches of three steps.
        let split = b.node(Node::Split {
            block,
            span: Span::default(),
        });
        let join = b.node(Node::Join {
            block,
            span: Span::default(),
        });
        block += 1;
        b.edge(l[3], split, EdgeKind::Sequence, 0.7);
        for _ in 0..2 {
            let branch: Vec<NodeId> = (0..3).map(|_| add(&mut b, &mut count)).collect();
            b.edge(split, branch[0], EdgeKind::Parallel, 1.0);
            b.chain(&branch);
            b.edge(branch[2], join, EdgeKind::Parallel, 1.0);
        }
        // Three-way decision, merging into one step.
        let d = add(&mut b, &mut count);
        b.edge(join, d, EdgeKind::Sequence, 1.0);
        let merge_at = count + 3;
        let options: Vec<NodeId> = (0..3).map(|_| add(&mut b, &mut count)).collect();
        for (o, p) in options.iter().zip([0.5, 0.3, 0.2]) {
            b.edge(d, *o, EdgeKind::Branch, p);
        }
        debug_assert_eq!(merge_at, count);
        let merge = add(&mut b, &mut count);
        for o in options {
            b.edge(o, merge, EdgeKind::Sequence, 1.0);
        }
        last = merge;
    }
    while count < steps {
        let n = add(&mut b, &mut count);
        b.edge(last, n, EdgeKind::Sequence, 1.0);
        last = n;
    }
    let end = b.end();
    b.edge(last, end, EdgeKind::Sequence, 1.0);
    b.finish()
}

fn bench(c: &mut Criterion) {
    let model = generate(10_000);
    assert_eq!(model.steps.len(), 10_000);
    let settings = Settings::default();
    let check = analyze(&model, &settings);
    assert!(check.diagnostics.is_empty(), "{:?}", check.diagnostics);
    assert!(check.metrics.lead_time_minutes > 0.0);
    let mut group = c.benchmark_group("analyze");
    group.sample_size(20);
    group.bench_function("10k_steps_loops_parallel", |bench| {
        bench.iter(|| analyze(black_box(&model), black_box(&settings)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
