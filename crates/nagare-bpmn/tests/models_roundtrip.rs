//! Every model in `models/` survives export → import → `.flow` text → compile with the same
//! metrics: the nagare extension elements carry what BPMN cannot say.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used, clippy::expect_used)] // In tests a panic is the failure report.

use std::path::{Path, PathBuf};

use nagare_model::{LowerOptions, Model};

fn compile(source: &str, name_hint: &str) -> (Model, Vec<nagare_syntax::Diagnostic>) {
    let (file, mut diagnostics) = nagare_syntax::parse(source);
    let (model, lower) = nagare_model::lower(
        &file,
        source,
        &LowerOptions {
            name_hint: name_hint.to_owned(),
        },
    );
    diagnostics.extend(lower);
    (model, diagnostics)
}

fn flow_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "flow"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// Returns the metric rows of `model` by key.
fn rows(model: &Model) -> Vec<(&'static str, f64)> {
    let analysis = nagare_graph::analyze(model, &nagare_graph::Settings::default());
    analysis
        .metrics
        .rows()
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect()
}

#[test]
fn every_model_round_trips_with_the_same_metrics() {
    let files = flow_files();
    assert!(files.len() >= 10, "only {} model files found", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        let hint = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = std::fs::read_to_string(path).unwrap();
        let (original, diagnostics) = compile(&source, &hint);
        assert!(
            !nagare_syntax::has_errors(&diagnostics),
            "{name} does not compile: {diagnostics:#?}"
        );
        let xml = nagare_bpmn::export(&original);
        let import = nagare_bpmn::import(xml.as_bytes()).unwrap();
        assert_eq!(import.models.len(), 1, "{name}");
        // A file nagare wrote says everything exactly: nothing to guess, nothing to warn about.
        if !import.diagnostics.is_empty() {
            let codes: Vec<_> = import
                .diagnostics
                .iter()
                .map(|d| format!("[{}] {}", d.code, d.message.en))
                .collect();
            failures.push(format!("{name}: import warnings {codes:?}"));
        }
        // The imported model itself first: a difference here is the importer's, not the printer's.
        for ((key, a), (_, b)) in rows(&original).iter().zip(&rows(&import.models[0])) {
            if (a - b).abs() > 1e-6 {
                failures.push(format!("{name}: imported model: {key} was {a}, is {b}"));
            }
        }
        let text = nagare_bpmn::to_flow_text(&import.models[0]);
        let (back, diagnostics) = compile(&text, &hint);
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            let messages: Vec<String> = errors
                .iter()
                .map(|d| format!("[{}] {}", d.code, d.message.en))
                .collect();
            failures.push(format!(
                "{name}: the printed .flow has errors {messages:?}\n{text}"
            ));
            continue;
        }
        let (before, after) = (rows(&original), rows(&back));
        let before_keys: Vec<_> = before.iter().map(|(k, _)| *k).collect();
        let after_keys: Vec<_> = after.iter().map(|(k, _)| *k).collect();
        if before_keys != after_keys {
            failures.push(format!(
                "{name}: metric rows {before_keys:?} became {after_keys:?}"
            ));
            continue;
        }
        for ((key, a), (_, b)) in before.iter().zip(&after) {
            if (a - b).abs() > 1e-6 {
                failures.push(format!("{name}: {key} was {a}, is {b}"));
            }
        }
        if std::env::var_os("NAGARE_DUMP").is_some() {
            eprintln!("==== {name}\n{text}");
        }
        // Actor kinds and the process header come back too.
        let kinds = |m: &Model| {
            m.actors
                .iter()
                .map(|a| (a.name.clone(), a.kind))
                .collect::<Vec<_>>()
        };
        if kinds(&original) != kinds(&back) {
            failures.push(format!(
                "{name}: actors {:?} became {:?}",
                kinds(&original),
                kinds(&back)
            ));
        }
        // Step labels and every branch name (decisions and parallel branches) come back.
        let labels = |m: &Model| {
            let mut l: Vec<String> = m.steps.iter().map(|s| s.label.clone()).collect();
            l.sort();
            l
        };
        if labels(&original) != labels(&back) {
            failures.push(format!(
                "{name}: steps {:?} became {:?}",
                labels(&original),
                labels(&back)
            ));
        }
        if edge_labels(&original) != edge_labels(&back) {
            failures.push(format!(
                "{name}: branch names {:?} became {:?}\n{text}",
                edge_labels(&original),
                edge_labels(&back)
            ));
        }
        if original.process.variant != back.process.variant
            || original.process.volume_per_year != back.process.volume_per_year
            || original.process.department != back.process.department
        {
            failures.push(format!("{name}: the process header changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Returns the labels of the edges leaving decisions and parallel splits, sorted.
fn edge_labels(model: &Model) -> Vec<String> {
    let mut labels: Vec<String> = model
        .flow
        .edges
        .iter()
        .filter_map(|e| e.label.clone())
        .filter(|l| !l.trim().is_empty())
        .collect();
    labels.sort();
    labels
}

/// Returns the decision labels leaving the step with id `step` (sorted), to check none is lost.
fn branch_labels(model: &Model, step: &str) -> Vec<String> {
    let index = model
        .steps
        .iter()
        .position(|s| s.id.as_deref() == Some(step))
        .unwrap();
    let node = model.flow.node_of_step(index).unwrap();
    let mut labels: Vec<String> = model
        .flow
        .outgoing(node)
        .filter_map(|e| e.label.clone())
        .collect();
    labels.sort();
    labels
}

const SEAL_HEAD: &str = "業務: 印鑑登録
版: As-Is
件数: 2400/年
担当:
  住民: 住民
  窓口: 職員 (市民課)
  システム: システム
流れ:
  S1 住民: 申請書を書く [紙, 10分]
  S2 窓口: 保証人の有無を確認する [判断, 2分]
";

const SEAL_TAIL: &str = "  並行:
    分岐:
      S5 窓口: 印影を登録する [5分]
    分岐:
      S6 システム: 台帳を更新する [1分]
  S7 窓口: 登録証を交付する [2分]
";

/// A decision whose branches meet again before (or at) a parallel block round-trips into a
/// `.flow` that compiles (no jump into a parallel branch, E0407), with both branch labels and the
/// same metrics.
#[test]
fn a_decision_meeting_at_a_parallel_block_round_trips() {
    let cases = [
        // Both branches meet at S4, just before the block; both carry a label.
        format!(
            "{SEAL_HEAD}    もし あり 70%: → S4\n    もし なし 30%:\n      S3 窓口: 照会書を郵送する [郵送, 5分, 待ち 5日]\n  S4 窓口: 登録の準備をする [3分]\n{SEAL_TAIL}"
        ),
        // The branches meet at the parallel block itself.
        format!(
            "{SEAL_HEAD}    もし なし 30%:\n      S3 窓口: 照会書を郵送する [郵送, 5分, 待ち 5日]\n{SEAL_TAIL}"
        ),
        // The same, with both branches labelled.
        format!(
            "{SEAL_HEAD}    もし なし 30%:\n      S3 窓口: 照会書を郵送する [郵送, 5分, 待ち 5日]\n    もし あり 70%:\n{SEAL_TAIL}"
        ),
    ];
    for source in &cases {
        let (original, diagnostics) = compile(source, "seal");
        assert!(
            !nagare_syntax::has_errors(&diagnostics),
            "{source}\n{diagnostics:#?}"
        );
        let xml = nagare_bpmn::export(&original);
        let import = nagare_bpmn::import(xml.as_bytes()).unwrap();
        let text = nagare_bpmn::to_flow_text(&import.models[0]);
        let (back, diagnostics) = compile(&text, "seal");
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("[{}] {}", d.code, d.message.en))
            .collect();
        assert!(errors.is_empty(), "{text}\n{errors:?}");
        assert_eq!(
            branch_labels(&original, "S2"),
            branch_labels(&back, "S2"),
            "{text}"
        );
        let (before, after) = (rows(&original), rows(&back));
        assert_eq!(before.len(), after.len(), "{text}");
        for ((key, a), (_, b)) in before.iter().zip(&after) {
            assert!((a - b).abs() < 1e-6, "{key} was {a}, is {b}\n{text}");
        }
    }
}

/// A BPMN decision whose branches (of different lengths) meet at an exclusive merge right
/// before a parallel split prints as a decision with nested bodies, not as a jump into the
/// parallel block (E0407), and every task stays reachable.
#[test]
fn branches_meeting_at_a_parallel_split_are_nested() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" name="テスト">
    <bpmn:startEvent id="s"/>
    <bpmn:task id="t1" name="受け付ける"/>
    <bpmn:exclusiveGateway id="g" name="確認"/>
    <bpmn:task id="t2" name="短い処理"/>
    <bpmn:task id="t3" name="長い処理"/>
    <bpmn:task id="t4" name="続きの処理"/>
    <bpmn:parallelGateway id="ps"/><bpmn:exclusiveGateway id="m"/><bpmn:sequenceFlow id="f13" sourceRef="m" targetRef="ps"/>
    <bpmn:task id="a" name="甲"/>
    <bpmn:task id="b" name="乙"/>
    <bpmn:parallelGateway id="pj"/>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t1"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="g"/>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="t2" name="はい"/>
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="t3" name="いいえ"/>
    <bpmn:sequenceFlow id="f5" sourceRef="t2" targetRef="m"/>
    <bpmn:sequenceFlow id="f6" sourceRef="t3" targetRef="t4"/>
    <bpmn:sequenceFlow id="f7" sourceRef="t4" targetRef="m"/>
    <bpmn:sequenceFlow id="f8" sourceRef="ps" targetRef="a"/>
    <bpmn:sequenceFlow id="f9" sourceRef="ps" targetRef="b"/>
    <bpmn:sequenceFlow id="f10" sourceRef="a" targetRef="pj"/>
    <bpmn:sequenceFlow id="f11" sourceRef="b" targetRef="pj"/>
    <bpmn:sequenceFlow id="f12" sourceRef="pj" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"#;
    let import = nagare_bpmn::import(xml.as_bytes()).unwrap();
    let text = nagare_bpmn::to_flow_text(&import.models[0]);
    let (back, diagnostics) = compile(&text, "merge");
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("[{}] {}", d.code, d.message.en))
        .collect();
    assert!(errors.is_empty(), "{text}\n{errors:?}");
    assert!(!text.contains("到達しない"), "{text}");
    assert!(text.contains("もし はい 50%:\n      S3"), "{text}");
    assert!(text.contains("もし いいえ:\n      S4"), "{text}");
    assert_eq!(back.steps.len(), 7, "{text}");
    assert_eq!(branch_labels(&back, "S2"), ["いいえ", "はい"], "{text}");
}
