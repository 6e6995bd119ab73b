//! Generated process-shaped flows of any size, for the layout's tests, benchmark and the
//! Graphviz comparison (so that all three measure the same graphs).
//!
//! The flows look like the procedures in `models/`: 3–8 lanes (resident, counter, the sections
//! and their systems), sequences that wander between neighbouring lanes, checks whose
//! "不備あり" branch sends the case back a few steps, decisions with an optional body that the
//! other branch skips (もし …:) or with two short bodies (one of which sometimes ends the case),
//! and parallel blocks across lanes.
//! Deterministic: the same `(steps, seed)` always gives the same model.

use nagare_model::{
    ActorKind, DocMedium, EdgeKind, Flow, Medium, Model, ModelBuilder, Node, NodeId, StepKind,
};
use nagare_syntax::Span;

/// A tiny deterministic generator (splitmix64); tests must not depend on a random crate.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        #[allow(clippy::cast_possible_truncation)] // n is small; the modulo fits usize
        let r = (self.next() % n.max(1) as u64) as usize;
        r
    }
}

const LABELS: [&str; 14] = [
    "申請書に記入する",
    "窓口へ提出する",
    "記載内容を確認する",
    "税務システムに入力する",
    "課長決裁を受ける",
    "通知書を印刷して郵送する",
    "本人確認書類を確認し、写しを保管する",
    "受付簿に記録する",
    "Check the attachments",
    "名簿をExcelで作成する",
    "照合",
    "住民記録システムで世帯情報を照会する（児童手当・国保の担当課へ回付）",
    "手数料を収納する",
    "<script>alert(1)</script> & 特殊文字",
];

/// A pending connection into the next node: (from, kind, probability, label).
type Pending = (NodeId, EdgeKind, f64, Option<String>);

/// Returns a generated flow with about `steps` steps (at least 1).
#[must_use]
pub fn generate(steps: usize, seed: u64) -> Model {
    let steps = steps.max(1);
    let mut b = ModelBuilder::new(&format!("生成フロー {steps}")).id(&format!("gen-{steps}"));
    let mut rng = Rng(seed ^ 0x6E61_6761_7265);
    let all = [
        ("住民", ActorKind::Resident),
        ("窓口", ActorKind::Staff),
        ("税務担当", ActorKind::Staff),
        ("税務システム", ActorKind::System),
        ("保険年金課", ActorKind::Staff),
        ("国保システム", ActorKind::System),
        ("RPA", ActorKind::Rpa),
        ("前住所地", ActorKind::External),
    ];
    let lane_count = 3 + rng.below(6);
    let lanes: Vec<usize> = all[..lane_count]
        .iter()
        .map(|&(name, kind)| b.actor(name, kind))
        .collect();
    let form = b.document("申請書", DocMedium::PaperForm, &["氏名", "住所"]);
    let mut made = 0usize;
    let mut lane = 0usize;
    let mut history: Vec<NodeId> = Vec::new();
    let mut pending: Vec<Pending> = vec![(Flow::START, EdgeKind::Sequence, 1.0, None)];

    let new_step = |b: &mut ModelBuilder, rng: &mut Rng, lane: usize, kind: StepKind| {
        let s = b.step(lanes[lane], LABELS[rng.below(LABELS.len())]);
        b.step_id(s, &format!("S{}", s + 1));
        let st = b.step_mut(s);
        st.kind = kind;
        match rng.below(10) {
            0 => st.medium = Some(Medium::Paper),
            1 => st.flags.seal = true,
            2 => {
                st.flags.visit = true;
                st.medium = Some(Medium::InPerson);
            }
            3 => {
                st.transcription = Some(nagare_model::Transcription {
                    from: nagare_model::Endpoint::Document(form),
                    to: nagare_model::Endpoint::System("税務システム".to_owned()),
                    span: Span::default(),
                });
            }
            4 => {
                st.wait = Some(nagare_model::Minutes {
                    p50: 1440.0,
                    p90: None,
                })
            }
            _ => {}
        }
        b.node_of(s)
    };
    let connect = |b: &mut ModelBuilder, pending: &mut Vec<Pending>, to: NodeId| {
        for (from, kind, p, label) in pending.drain(..) {
            b.edge(from, to, kind, p);
            if let Some(edge) = b.model_mut().flow.edges.last_mut() {
                edge.label = label;
            }
        }
    };
    let drift = |rng: &mut Rng, lane: usize| match rng.below(6) {
        0 => lane.saturating_sub(1),
        1 | 2 => (lane + 1).min(lanes.len() - 1),
        3 => rng.below(lanes.len()),
        _ => lane,
    };

    while made < steps {
        let roll = rng.below(100);
        if roll < 58 || made + 8 > steps {
            let s = new_step(&mut b, &mut rng, lane, StepKind::Task);
            connect(&mut b, &mut pending, s);
            pending.push((s, EdgeKind::Sequence, 1.0, None));
            history.push(s);
            made += 1;
            lane = drift(&mut rng, lane);
        } else if roll < 72 && !history.is_empty() {
            // A check with a send-back: もし 不備あり 10%: → an earlier step.
            let d = new_step(&mut b, &mut rng, lane, StepKind::Decision);
            connect(&mut b, &mut pending, d);
            let back = history[history.len() - 1 - rng.below(history.len().min(5))];
            b.edge(d, back, EdgeKind::SendBack, 0.1);
            if let Some(edge) = b.model_mut().flow.edges.last_mut() {
                edge.label = Some("不備あり".to_owned());
            }
            pending.push((d, EdgeKind::Branch, 0.9, None));
            history.push(d);
            made += 1;
        } else if roll < 86 {
            // A decision with two short branch bodies.
            let d = new_step(&mut b, &mut rng, lane, StepKind::Decision);
            connect(&mut b, &mut pending, d);
            history.push(d);
            made += 1;
            let mut next = Vec::new();
            // Half of the decisions are `もし …:` with one body that the other branch skips.
            let skip = rng.below(2) == 0;
            for (i, (label, p)) in [("軽微", 0.6), ("重大", 0.4)].into_iter().enumerate() {
                let mut branch_lane = (lane + i) % lanes.len();
                let mut body: Vec<Pending> = vec![(d, EdgeKind::Branch, p, Some(label.to_owned()))];
                let len = if skip && i == 0 { 0 } else { 1 + rng.below(3) };
                for _ in 0..len {
                    let s = new_step(&mut b, &mut rng, branch_lane, StepKind::Task);
                    connect(&mut b, &mut body, s);
                    body.push((s, EdgeKind::Sequence, 1.0, None));
                    history.push(s);
                    made += 1;
                    branch_lane = drift(&mut rng, branch_lane);
                }
                if i == 1 && rng.below(4) == 0 {
                    let end = b.node(Node::End {
                        label: Some("却下".to_owned()),
                        span: Span::default(),
                    });
                    connect(&mut b, &mut body, end);
                } else {
                    next.append(&mut body);
                }
            }
            pending = next;
        } else {
            // A parallel block across lanes.
            let block = b.model_mut().flow.nodes.len();
            let split = b.node(Node::Split {
                block,
                span: Span::default(),
            });
            connect(&mut b, &mut pending, split);
            let mut ends = Vec::new();
            for i in 0..2 + rng.below(2) {
                let mut branch_lane = (lane + 1 + i) % lanes.len();
                let mut body: Vec<Pending> = vec![(split, EdgeKind::Parallel, 1.0, None)];
                for _ in 0..=rng.below(3) {
                    let s = new_step(&mut b, &mut rng, branch_lane, StepKind::Task);
                    connect(&mut b, &mut body, s);
                    body.push((s, EdgeKind::Sequence, 1.0, None));
                    history.push(s);
                    made += 1;
                    branch_lane = drift(&mut rng, branch_lane);
                }
                ends.extend(body.into_iter().map(|(f, _, _, _)| f));
            }
            let join = b.node(Node::Join {
                block,
                span: Span::default(),
            });
            for f in ends {
                b.edge(f, join, EdgeKind::Parallel, 1.0);
            }
            pending.push((join, EdgeKind::Sequence, 1.0, None));
        }
    }
    let end = b.end();
    connect(&mut b, &mut pending, end);
    b.finish()
}

/// Returns the model's flow as a plain Graphviz DOT digraph (left to right, no lanes: dot has
/// no swimlane constraint), for the comparison script.
#[must_use]
pub fn to_dot(model: &Model) -> String {
    let mut out = String::from("digraph flow {\n  rankdir=LR;\n  node [shape=box, fontsize=13];\n");
    for (i, node) in model.flow.nodes.iter().enumerate() {
        let (label, shape) = match node {
            Node::Start => (String::new(), "circle"),
            Node::End { .. } => (String::new(), "doublecircle"),
            Node::Split { .. } | Node::Join { .. } => ("+".to_owned(), "diamond"),
            Node::Step { step } => {
                let s = &model.steps[*step];
                let shape = if s.kind == StepKind::Decision {
                    "diamond"
                } else {
                    "box"
                };
                (s.label.replace('\\', "\\\\").replace('"', "\\\""), shape)
            }
        };
        out.push_str(&format!("  n{i} [label=\"{label}\", shape={shape}];\n"));
    }
    for e in &model.flow.edges {
        let label = e.label.as_deref().unwrap_or("").replace('"', "\\\"");
        out.push_str(&format!(
            "  n{} -> n{} [label=\"{label}\"];\n",
            e.from, e.to
        ));
    }
    out.push_str("}\n");
    out
}
