//! Hand-written BPMN files (`tests/fixtures/`) for the shapes real models use and the importer
//! once lost: gateways that both join and split, parallel branches meeting at an inclusive
//! gateway, a send-back inside a parallel branch, named parallel branches, an empty pool and a
//! task no path reaches. Each is imported, printed as `.flow` and compiled; every task must be
//! reachable in the compiled model (or reported), with the imported model's metrics.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used)] // In tests a panic is the failure report.

use std::collections::BTreeSet;
use std::path::Path;

use nagare_model::{EdgeKind, LowerOptions, Model, Node};

fn import(name: &str) -> nagare_bpmn::Import {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    nagare_bpmn::import(&std::fs::read(path).unwrap()).unwrap()
}

/// Returns the printed text of `model` and the model compiled from it (no errors allowed).
fn print_and_compile(model: &Model) -> (String, Model) {
    let text = nagare_bpmn::to_flow_text(model);
    let (file, mut diagnostics) = nagare_syntax::parse(&text);
    let (back, lower) = nagare_model::lower(&file, &text, &LowerOptions::default());
    diagnostics.extend(lower);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("[{}] {}", d.code, d.message.en))
        .collect();
    assert!(errors.is_empty(), "{text}\n{errors:?}");
    (text, back)
}

/// Returns the labels of the steps reachable from the start, sorted.
fn reachable_steps(model: &Model) -> Vec<String> {
    let mut seen = BTreeSet::from([nagare_model::Flow::START]);
    let mut todo = vec![nagare_model::Flow::START];
    while let Some(node) = todo.pop() {
        for edge in model.flow.outgoing(node) {
            if seen.insert(edge.to) {
                todo.push(edge.to);
            }
        }
    }
    let mut labels: Vec<String> = seen
        .iter()
        .filter_map(|n| match model.flow.nodes[*n] {
            Node::Step { step } => Some(model.steps[step].label.clone()),
            _ => None,
        })
        .collect();
    labels.sort();
    labels
}

fn sorted(labels: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
    out.sort();
    out
}

/// Asserts that the compiled text measures like the imported model, metric by metric.
fn assert_same_metrics(imported: &Model, back: &Model, text: &str) {
    let settings = nagare_graph::Settings::default();
    let before = nagare_graph::analyze(imported, &settings).metrics.rows();
    let after = nagare_graph::analyze(back, &settings).metrics.rows();
    assert_eq!(before.len(), after.len(), "{text}");
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.key, b.key);
        assert!(
            (a.value - b.value).abs() < 1e-6,
            "{}: {} became {}\n{text}",
            a.key,
            a.value,
            b.value
        );
    }
}

fn codes(import: &nagare_bpmn::Import) -> Vec<&str> {
    import.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn count_splits(model: &Model) -> usize {
    model
        .flow
        .nodes
        .iter()
        .filter(|n| matches!(n, Node::Split { .. }))
        .count()
}

/// P2 joins two parallel branches and splits into two more: a join then a split, so the tasks
/// after it stay reachable, and each block keeps the names of its flows.
#[test]
fn a_parallel_gateway_that_joins_and_splits_keeps_every_task_reachable() {
    let import = import("mixed-parallel.bpmn");
    assert!(import.diagnostics.is_empty(), "{:#?}", import.diagnostics);
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 6);
    let all = sorted(&[
        "受け付ける",
        "住民票を確認する",
        "税情報を確認する",
        "通知を作る",
        "台帳に記録する",
        "発送する",
    ]);
    assert_eq!(reachable_steps(model), all);
    // Every split is paired with its own join (block ids match).
    for (split, node) in model.flow.nodes.iter().enumerate() {
        if let Node::Split { block, .. } = node {
            let joins = model
                .flow
                .nodes
                .iter()
                .filter(|n| matches!(n, Node::Join { block: b, .. } if b == block))
                .count();
            assert_eq!(joins, 1, "split {split} of block {block}");
        }
    }
    let (text, back) = print_and_compile(model);
    assert_eq!(text.matches("並行:").count(), 2, "{text}");
    for name in ["分岐 住民記録:", "分岐 税:", "分岐 通知:", "分岐 記録:"] {
        assert!(text.contains(name), "{name} missing\n{text}");
    }
    assert_eq!(back.steps.len(), 6, "{text}");
    assert_eq!(reachable_steps(&back), all, "{text}");
    assert_eq!(count_splits(&back), 2);
    assert_same_metrics(model, &back, &text);
}

/// An unnamed exclusive gateway that merges two paths and chooses between two others becomes a
/// decision step named after its flows (not its id), with the flows' probabilities.
#[test]
fn an_exclusive_gateway_that_merges_and_chooses_is_one_decision() {
    let import = import("mixed-exclusive.bpmn");
    assert!(import.diagnostics.is_empty(), "{:#?}", import.diagnostics);
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 8);
    let decision = model
        .steps
        .iter()
        .position(|s| s.label == "判断（不備なし・不備あり）")
        .unwrap();
    let node = model.flow.node_of_step(decision).unwrap();
    let incoming = model.flow.incoming(node).count();
    let mut out: Vec<(String, f64)> = model
        .flow
        .outgoing(node)
        .map(|e| (e.label.clone().unwrap(), e.probability))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(incoming, 2);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].0, "不備あり");
    assert!((out[0].1 - 0.1).abs() < 1e-9);
    let (text, back) = print_and_compile(model);
    assert_eq!(back.steps.len(), 8, "{text}");
    assert_eq!(reachable_steps(&back), reachable_steps(model), "{text}");
    assert_eq!(reachable_steps(model).len(), 8);
    assert_same_metrics(model, &back, &text);
}

/// A gateway that merges the first pass with the corrected one and chooses between correcting
/// and going on is a loop: the way back is a send-back.
#[test]
fn a_merging_and_choosing_gateway_in_a_loop_is_a_send_back() {
    let import = import("mixed-loop.bpmn");
    assert!(import.diagnostics.is_empty(), "{:#?}", import.diagnostics);
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 4);
    assert_eq!(
        model
            .flow
            .edges
            .iter()
            .filter(|e| e.kind == EdgeKind::SendBack)
            .count(),
        1
    );
    let (text, back) = print_and_compile(model);
    assert_eq!(reachable_steps(&back).len(), 4, "{text}");
    assert_same_metrics(model, &back, &text);
}

/// Parallel branches that meet at an inclusive gateway (which also splits) are joined there:
/// the `.flow` gets a `並行:` block instead of a choice, and W0904 says where the join was put.
#[test]
fn parallel_branches_meeting_at_an_inclusive_gateway_are_joined_there() {
    let import = import("mixed-inclusive.bpmn");
    assert_eq!(codes(&import), ["W0904"], "{:#?}", import.diagnostics);
    let warning = &import.diagnostics[0];
    assert!(warning.message.en.contains("joined where they first meet"));
    assert!(warning.message.ja.contains("合流"));
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 6);
    let (text, back) = print_and_compile(model);
    assert!(text.contains("並行:"), "{text}");
    assert!(!text.contains("X1"), "{text}");
    assert_eq!(back.steps.len(), 6, "{text}");
    assert_eq!(reachable_steps(&back), reachable_steps(model), "{text}");
    assert_same_metrics(model, &back, &text);
}

/// A send-back inside a parallel branch is written inside the branch (a jump the DSL accepts),
/// and a pool without any flow node is reported (W0909) instead of giving an empty `.flow`.
#[test]
fn a_send_back_inside_a_parallel_branch_stays_in_the_branch() {
    let import = import("branch-loop.bpmn");
    assert_eq!(codes(&import), ["W0909"], "{:#?}", import.diagnostics);
    assert!(import.diagnostics[0].message.ja.contains("外部の窓口"));
    assert_eq!(import.models.len(), 1);
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 6);
    let (text, back) = print_and_compile(model);
    assert!(text.contains("並行:"), "{text}");
    assert!(text.contains("→ S1"), "{text}");
    assert_eq!(reachable_steps(&back).len(), 6, "{text}");
    assert_same_metrics(model, &back, &text);
}

/// A task no path reaches is not dropped silently: W0910 names it, and the `.flow` keeps it as a
/// comment line.
#[test]
fn an_unreachable_task_is_reported() {
    let import = import("orphan-task.bpmn");
    assert_eq!(codes(&import), ["W0910"], "{:#?}", import.diagnostics);
    let warning = &import.diagnostics[0];
    assert!(warning.message.ja.contains("台帳を整理する"));
    assert!(warning.message.en.contains("台帳を整理する"));
    let (text, back) = print_and_compile(&import.models[0]);
    assert!(text.contains("# 開始から到達しない工程"), "{text}");
    assert_eq!(reachable_steps(&back), ["受け付ける"], "{text}");
}

/// Parallel branches that each run to an end of their own are joined before one end (the case
/// is finished when every branch is), not written as a choice between them.
#[test]
fn parallel_branches_that_end_separately_are_joined_before_one_end() {
    let import = import("parallel-ends.bpmn");
    assert_eq!(codes(&import), ["W0904"], "{:#?}", import.diagnostics);
    assert!(import.diagnostics[0].message.en.contains("end separately"));
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 6);
    let (text, back) = print_and_compile(model);
    assert!(text.contains("並行:"), "{text}");
    assert!(text.contains("終了: 交付済み / 記録済み"), "{text}");
    assert!(!text.contains("X1"), "{text}");
    assert_eq!(reachable_steps(&back), reachable_steps(model), "{text}");
    assert_eq!(reachable_steps(&back).len(), 6, "{text}");
    assert_same_metrics(model, &back, &text);
    // One parallel block, as in the BPMN, not a choice of one branch.
    assert_eq!(count_splits(&back), 1);
}

/// Unnamed flows leaving a task without a gateway are BPMN's implicit parallel split; named
/// ones are read as the choice the modeller drew. Both are reported (W0913).
#[test]
fn flows_leaving_a_task_without_a_gateway_are_reported() {
    let import = import("implicit-split.bpmn");
    assert_eq!(
        codes(&import),
        ["W0913", "W0913"],
        "{:#?}",
        import.diagnostics
    );
    assert!(import.diagnostics[0].message.en.contains("parallel"));
    assert!(import.diagnostics[0].message.ja.contains("受け付ける"));
    assert!(import.diagnostics[1].message.en.contains("choice"));
    let model = &import.models[0];
    assert_eq!(model.steps.len(), 6);
    assert_eq!(count_splits(model), 1);
    let (text, back) = print_and_compile(model);
    assert!(text.contains("並行:"), "{text}");
    assert!(text.contains("もし 適 90%:"), "{text}");
    assert_eq!(reachable_steps(&back).len(), 6, "{text}");
    assert_same_metrics(model, &back, &text);
}
