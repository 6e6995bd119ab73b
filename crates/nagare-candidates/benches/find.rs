//! Benchmarks the rule engine on a synthetic procedure of repeated counter-and-back-office
//! blocks (the real code path: context, every rule, sorting), and the portfolio ranking.

use criterion::{Criterion, criterion_group, criterion_main};
use nagare_candidates::{CandidateSettings, find, rank};
use nagare_model::{
    ActorKind, DocMedium, DocRole, DocUse, Endpoint, Medium, Minutes, Model, ModelBuilder,
    Transcription,
};
use nagare_syntax::Span;

/// Returns a model of `blocks` × 5 steps: resident fills a form at a counter, staff check, re-key
/// into a system, print a notice, approve on paper with a seal.
fn synthetic(blocks: usize) -> Model {
    let mut b = ModelBuilder::new("bench").id("bench").volume(5000.0);
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let clerk = b.actor("担当", ActorKind::Staff);
    b.actor("基幹システム", ActorKind::System);
    let mut nodes = vec![0];
    for i in 0..blocks {
        let form = b.document(
            &format!("申請書{i}"),
            DocMedium::PaperForm,
            &["氏名", "住所", "生年月日"],
        );
        let notice = b.document(&format!("通知書{i}"), DocMedium::Printed, &[]);
        let r = b.step(resident, "申請書を書いて出す");
        let c = b.step(counter, "受け付ける");
        let k = b.step(clerk, "基幹システムに入力する");
        let n = b.step(clerk, "通知書を印刷する");
        let a = b.step(clerk, "課長決裁を受ける");
        let step = b.step_mut(r);
        step.flags.visit = true;
        step.medium = Some(Medium::InPerson);
        step.docs = vec![DocUse {
            doc: form,
            role: DocRole::Fill,
            fields: Vec::new(),
            span: Span::default(),
        }];
        step.work = Some(Minutes {
            p50: 10.0,
            p90: None,
        });
        b.step_mut(c).work = Some(Minutes {
            p50: 5.0,
            p90: None,
        });
        let step = b.step_mut(k);
        step.work = Some(Minutes {
            p50: 8.0,
            p90: None,
        });
        step.transcription = Some(Transcription {
            from: Endpoint::Document(form),
            to: Endpoint::System("基幹システム".to_owned()),
            span: Span::default(),
        });
        let step = b.step_mut(n);
        step.system = Some("基幹システム".to_owned());
        step.docs = vec![DocUse {
            doc: notice,
            role: DocRole::Produce,
            fields: Vec::new(),
            span: Span::default(),
        }];
        let step = b.step_mut(a);
        step.medium = Some(Medium::Paper);
        step.flags.seal = true;
        step.wait = Some(Minutes {
            p50: 1440.0,
            p90: None,
        });
        for s in [r, c, k, n, a] {
            nodes.push(b.node_of(s));
        }
    }
    let end = b.end();
    nodes.push(end);
    b.chain(&nodes);
    b.finish()
}

fn bench(c: &mut Criterion) {
    let settings = CandidateSettings::default();
    for blocks in [4, 40, 400] {
        let model = synthetic(blocks);
        // The real path of every front end: the analysis is made once, then the rules run.
        let analysis = nagare_graph::analyze(&model, &nagare_graph::Settings::default());
        c.bench_function(&format!("find {} steps", blocks * 5), |b| {
            b.iter(|| find(std::hint::black_box(&model), &analysis, &settings));
        });
    }
    let models: Vec<Model> = (0..50).map(|_| synthetic(4)).collect();
    let portfolio: Vec<(&Model, Vec<_>)> = models
        .iter()
        .map(|m| {
            let analysis = nagare_graph::analyze(m, &nagare_graph::Settings::default());
            (m, find(m, &analysis, &settings))
        })
        .collect();
    c.bench_function("rank 50 procedures", |b| {
        b.iter(|| rank(std::hint::black_box(&portfolio)));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
