//! Lowering of small flows: structure, probabilities and the main diagnostics.

use nagare_model::{EdgeKind, LowerOptions, Model, Node};
use nagare_syntax::Diagnostic;

fn lower(src: &str) -> (Model, Vec<Diagnostic>) {
    let (file, mut diags) = nagare_syntax::parse(src);
    let (model, more) = nagare_model::lower(&file, src, &LowerOptions::default());
    diags.extend(more);
    (model, diags)
}

fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

const HAISHA: &str = "# 軽自動車税（原付等）廃車申告 — 現状
業務: 軽自動車税（原付等）廃車申告
版: As-Is
件数: 1200/年          # 想定値
担当課: 税務課

担当:
  住民: 住民
  窓口: 職員 (税務課)
  税務担当: 職員 (税務課)
  税務システム: システム

書類:
  廃車申告書: 紙 [氏名, 住所, 車両番号, 標識番号]

流れ:
  S1 住民: 廃車申告書に記入する      [紙, 10分, 記入=廃車申告書]
  S2 住民: 窓口へ提出する            [来庁, 待ち 15分, 現物=ナンバープレート]
  S3 窓口: 記載内容を確認する        [5分, 本人確認]
    もし 不備あり 10%: → S1
  S4 税務担当: 税務システムに入力する [転記 廃車申告書→税務システム, 8分]
  S5 税務担当: 課長決裁を受ける      [紙, 押印, 待ち 1日]
";

#[test]
fn lowers_the_reference_example() {
    let (m, diags) = lower(HAISHA);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(m.process.name, "軽自動車税（原付等）廃車申告");
    assert_eq!(m.process.volume_per_year, Some(1200.0));
    assert_eq!(m.actors.len(), 4);
    assert_eq!(m.steps.len(), 5);
    assert_eq!(m.steps[0].key, "S1");
    assert!(m.steps[1].flags.visit);
    assert_eq!(m.steps[1].wait.map(|w| w.p50), Some(15.0));
    assert_eq!(m.steps[4].wait.map(|w| w.p50), Some(1440.0));
    assert!(m.steps[3].transcription.is_some());
    let back: Vec<_> = m
        .flow
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::SendBack)
        .collect();
    assert_eq!(back.len(), 1);
    assert!((back[0].probability - 0.1).abs() < 1e-9);
    assert!(matches!(m.flow.nodes.last(), Some(Node::End { .. })));
    // every node's outgoing probabilities sum to 1 (except ends)
    for (i, n) in m.flow.nodes.iter().enumerate() {
        if matches!(n, Node::End { .. }) {
            continue;
        }
        let s: f64 = m.flow.outgoing(i).map(|e| e.probability).sum();
        assert!((s - 1.0).abs() < 1e-9, "node {i} {n:?} sums to {s}");
    }
}

#[test]
fn reports_misspelt_actor_with_suggestion() {
    let src = HAISHA.replace("S3 窓口:", "S3 窓囗:");
    let (_, diags) = lower(&src);
    assert_eq!(codes(&diags), ["E0301"]);
    assert!(diags[0].hints[0].en.contains("窓口"));
}

#[test]
fn an_explicit_last_end_gets_no_second_unreachable_end() {
    let (model, diags) = lower(
        "業務: x\n担当:\n  窓口: 職員\n流れ:\n  S1 窓口: 受け付ける [5分]\n  終了: 交付済み\n",
    );
    assert!(codes(&diags).is_empty(), "{diags:#?}");
    let ends: Vec<usize> = (0..model.flow.nodes.len())
        .filter(|&i| matches!(model.flow.nodes[i], Node::End { .. }))
        .collect();
    assert_eq!(ends.len(), 1, "{:#?}", model.flow.nodes);
    assert!(model.flow.edges.iter().any(|e| e.to == ends[0]));
    // Without the explicit end, the implicit one is still there.
    let (model, _) = lower("業務: x\n担当:\n  窓口: 職員\n流れ:\n  S1 窓口: 受け付ける [5分]\n");
    let ends = model
        .flow
        .nodes
        .iter()
        .filter(|n| matches!(n, Node::End { .. }))
        .count();
    assert_eq!(ends, 1);
}

#[test]
fn a_folder_name_with_spaces_gives_an_id_without_them() {
    let src = "業務: 印鑑登録証明書\n担当:\n  窓口: 職員\n流れ:\n  S1 窓口: 交付する [5分]\n";
    let (file, _) = nagare_syntax::parse(src);
    let options = LowerOptions {
        name_hint: "印鑑 証明　交付".to_owned(),
    };
    let (model, _) = nagare_model::lower(&file, src, &options);
    assert_eq!(model.process.id, "印鑑-証明-交付");
}
