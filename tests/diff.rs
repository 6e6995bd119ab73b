//! `nagare diff` on hand-written DSL pairs with a known correct answer: the whole pipeline
//! (parse → lower → analyse → diff). Every change, its steps, classes and match kind is asserted.

use nagare::diff::ChangeClass::{
    Added, Automated, Digitised, DocumentsChanged, Merged, Moved, Relabelled, Removed, Split,
    TimeChanged, Unchanged,
};
use nagare::diff::{ChangeClass, Diff, MatchKind};
use nagare::{CompileOptions, compile};

type Shape = (
    Vec<String>,
    Vec<String>,
    Vec<ChangeClass>,
    Option<MatchKind>,
);

const ID: Option<MatchKind> = Some(MatchKind::Id);
const LINK: Option<MatchKind> = Some(MatchKind::Link);
const AUTO: Option<MatchKind> = Some(MatchKind::Auto);

fn run(as_is: &str, to_be: &str) -> Diff {
    let options = CompileOptions {
        name_hint: "test".into(),
    };
    let a = compile(as_is, &options);
    let b = compile(to_be, &options);
    assert!(!a.has_errors(), "As-Is: {:#?}", a.diagnostics);
    assert!(!b.has_errors(), "To-Be: {:#?}", b.diagnostics);
    nagare::diff::diff(&a.model, &b.model, &nagare::graph::Settings::default())
}

fn shape(d: &Diff) -> Vec<Shape> {
    d.changes
        .iter()
        .map(|c| {
            (
                c.as_is.iter().map(|s| s.key.clone()).collect(),
                c.to_be.iter().map(|s| s.key.clone()).collect(),
                c.classes.clone(),
                c.matched_by,
            )
        })
        .collect()
}

fn row(a: &[&str], t: &[&str], classes: &[ChangeClass], by: Option<MatchKind>) -> Shape {
    (
        a.iter().map(|s| (*s).to_owned()).collect(),
        t.iter().map(|s| (*s).to_owned()).collect(),
        classes.to_vec(),
        by,
    )
}

fn delta(d: &Diff, key: &str) -> (Option<f64>, Option<f64>) {
    let m = d
        .metric_deltas
        .iter()
        .find(|m| m.key == key)
        .unwrap_or_else(|| panic!("no metric {key}"));
    (m.as_is, m.to_be)
}

const HEADER: &str = "業務: テスト申請\n件数: 1000/年\n";

const ACTORS: &str = "
担当:
  住民: 住民
  窓口: 職員 (市民課)
  審査係: 職員 (市民課)
";

fn file(variant: &str, body: &str) -> String {
    format!("{HEADER}版: {variant}\n{ACTORS}\n{body}")
}

#[test]
fn ids_kept() {
    let a = file(
        "As-Is",
        "流れ:
  S1 住民: 申請書に記入する [紙, 10分]
  S2 住民: 窓口へ提出する [来庁, 待ち 15分]
  S3 窓口: 記載内容を確認する [5分]
  S4 審査係: 審査する [20分]
",
    );
    let b = file(
        "To-Be",
        "流れ:
  S1 住民: 申請書に記入する [紙, 10分]
  S2 住民: 窓口へ提出する [来庁, 待ち 5分]
  S3 窓口: 記入内容を点検する [5分]
  S4 審査係: 審査する [20分]
",
    );
    let d = run(&a, &b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2"], &["S2"], &[TimeChanged], ID),
            row(&["S3"], &["S3"], &[Relabelled], ID),
            row(&["S4"], &["S4"], &[Unchanged], ID),
        ]
    );
    assert_eq!(delta(&d, "wait_minutes.total"), (Some(15.0), Some(5.0)));
}

#[test]
fn labels_reworded_without_ids() {
    let a = file(
        "As-Is",
        "流れ:
  住民: 申請書を提出する
  窓口: 申請書を受け付ける
  窓口: 記載内容を確認する
  審査係: 決定通知書を送付する
",
    );
    let b = file(
        "To-Be",
        "流れ:
  住民: 申請書を出す
  窓口: マイナンバーカードで本人確認する
  窓口: 申請を受理する
  窓口: 記載内容をチェックする
  審査係: 決定通知書を郵送する
",
    );
    let d = run(&a, &b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["n1"], &["n1"], &[Relabelled], AUTO),
            row(&[], &["n2"], &[Added], None),
            row(&["n2"], &["n3"], &[Relabelled], AUTO),
            row(&["n3"], &["n4"], &[Relabelled], AUTO),
            row(&["n4"], &["n5"], &[Relabelled], AUTO),
        ]
    );
}

const MERGE_AS_IS: &str = "流れ:
  S1 住民: 申請書を提出する
  S2 窓口: 申請書を受け付ける [5分]
  S3 窓口: 内容を審査する [10分]
  S4 審査係: 通知書を送付する
";

#[test]
fn two_steps_merged_by_link() {
    let b = file(
        "To-Be",
        "流れ:
  S1 住民: 申請書を提出する
  T2 窓口: 受け付けと同時に審査する [8分, 置換 S2 S3]
  S4 審査係: 通知書を送付する
",
    );
    let d = run(&file("As-Is", MERGE_AS_IS), &b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2", "S3"], &["T2"], &[Merged, TimeChanged], LINK),
            row(&["S4"], &["S4"], &[Unchanged], ID),
        ]
    );
    assert_eq!(delta(&d, "steps.structural"), (Some(4.0), Some(3.0)));
}

#[test]
fn one_step_split_in_two() {
    let a = file(
        "As-Is",
        "流れ:
  S1 住民: 申請書を提出する
  S2 審査係: 申請内容を審査して台帳に記録する [30分]
  S3 審査係: 通知書を送付する
",
    );
    let b = file(
        "To-Be",
        "流れ:
  住民: 申請書を提出する
  審査係: 申請内容を審査する [15分]
  審査係: 台帳に記録する [5分]
  審査係: 通知書を送付する
",
    );
    let d = run(&a, &b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["n1"], &[Unchanged], AUTO),
            row(&["S2"], &["n2", "n3"], &[Split, TimeChanged], AUTO),
            row(&["S3"], &["n4"], &[Unchanged], AUTO),
        ]
    );
}

const TAX_AS_IS: &str = "業務: 軽自動車税 廃車申告
版: As-Is
件数: 1200/年

担当:
  住民: 住民
  窓口: 職員 (税務課)
  税務担当: 職員 (税務課)
  税務システム: システム

書類:
  廃車申告書: 紙 [氏名, 住所, 標識番号]

流れ:
  S1 住民: 廃車申告書を提出する [来庁, 記入=廃車申告書]
  S2 窓口: 申告書を受け付ける [5分, 参照=廃車申告書]
  S3 税務担当: 申告内容を確認する [3分]
  S4 税務担当: 税務システムに入力する [転記 廃車申告書→税務システム, 8分]
  S5 税務担当: 課長決裁を受ける [紙, 押印, 待ち 1日]
  S6 税務システム: 課税台帳を更新する
";

#[test]
fn step_moved_to_rpa() {
    let b = "業務: 軽自動車税 廃車申告
版: To-Be
件数: 1200/年

担当:
  住民: 住民
  窓口: 職員 (税務課)
  税務担当: 職員 (税務課)
  RPA: RPA
  税務システム: システム

書類:
  廃車申告書: 紙 [氏名, 住所, 標識番号]

流れ:
  S1 住民: 廃車申告書を提出する [来庁, 記入=廃車申告書]
  S2 窓口: 申告書を受け付ける [5分, 参照=廃車申告書]
  S3 税務担当: 申告内容を確認する [3分]
  S4 RPA: 税務システムに入力する [転記 廃車申告書→税務システム, 1分]
  S5 税務担当: 課長決裁を受ける [紙, 押印, 待ち 1日]
  S6 税務システム: 課税台帳を更新する
";
    let d = run(TAX_AS_IS, b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2"], &["S2"], &[Unchanged], ID),
            row(&["S3"], &["S3"], &[Unchanged], ID),
            row(&["S4"], &["S4"], &[Moved, Automated, TimeChanged], ID),
            row(&["S5"], &["S5"], &[Unchanged], ID),
            row(&["S6"], &["S6"], &[Unchanged], ID),
        ]
    );
    assert_eq!(d.changes[3].detail.ja, "税務担当 → RPA・作業 8分 → 1分");
    // S4's 8 minutes leave the staff workload: 1200 × 8 min = 160 h/yr.
    let (x, y) = delta(&d, "staff_hours_per_year");
    let saved = x.unwrap_or(0.0) - y.unwrap_or(0.0);
    assert!((saved - 160.0).abs() < 1e-6, "{saved}");
}

#[test]
fn paper_replaced_by_online_form() {
    let a = file(
        "As-Is",
        "書類:
  申請書: 紙 [氏名, 住所]

流れ:
  S1 住民: 申請書に記入する [紙, 10分, 記入=申請書]
  S2 住民: 窓口へ提出する [来庁, 待ち 15分]
  S3 窓口: 記載内容を確認する [5分, 参照=申請書]
  S4 審査係: 審査する
",
    );
    let b = file(
        "To-Be",
        "書類:
  申請フォーム: データ [氏名, 住所]

流れ:
  S1 住民: 申請フォームに入力する [電子, 5分, 記入=申請フォーム]
  S3 窓口: 記載内容を確認する [電子, 3分, 参照=申請フォーム]
  S4 審査係: 審査する

削除:
  S2: オンライン申請で来庁不要
",
    );
    let d = run(&a, &b);
    assert_eq!(
        shape(&d),
        vec![
            row(
                &["S1"],
                &["S1"],
                &[Relabelled, Digitised, TimeChanged, DocumentsChanged],
                ID
            ),
            row(&["S2"], &[], &[Removed], None),
            row(
                &["S3"],
                &["S3"],
                &[Digitised, TimeChanged, DocumentsChanged],
                ID
            ),
            row(&["S4"], &["S4"], &[Unchanged], ID),
        ]
    );
    assert_eq!(
        d.changes[1].reason.as_deref(),
        Some("オンライン申請で来庁不要")
    );
    assert_eq!(d.structural.visits_removed, vec!["S2".to_owned()]);
    assert_eq!(delta(&d, "visits.expected"), (Some(1.0), Some(0.0)));
    assert!(d.summary.ja.contains("来庁 1→0"), "{}", d.summary.ja);
}

#[test]
fn steps_removed_with_reason() {
    let a = file(
        "As-Is",
        "流れ:
  S1 住民: 申請書を提出する
  S2 窓口: 申請書を受け付ける
  S3 窓口: 受付簿に記入する
  S4 審査係: 審査する
  S5 審査係: 課長決裁を受ける [紙, 押印, 待ち 1日]
  S6 審査係: 決裁文書を綴る [紙]
  S7 審査係: 通知書を発送する
",
    );
    let b = file(
        "To-Be",
        "流れ:
  S1 住民: 申請書を提出する
  S2 窓口: 申請書を受け付ける
  S4 審査係: 審査する
  S7 審査係: 通知書を発送する

削除:
  S5 S6: 電子決裁に統合
  S9: 誤記
",
    );
    let d = run(&a, &b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2"], &["S2"], &[Unchanged], ID),
            row(&["S3"], &[], &[Removed], None),
            row(&["S4"], &["S4"], &[Unchanged], ID),
            row(&["S5"], &[], &[Removed], None),
            row(&["S6"], &[], &[Removed], None),
            row(&["S7"], &["S7"], &[Unchanged], ID),
        ]
    );
    let reasons: Vec<Option<&str>> = d.changes.iter().map(|c| c.reason.as_deref()).collect();
    assert_eq!(
        reasons,
        vec![
            None,
            None,
            None,
            None,
            Some("電子決裁に統合"),
            Some("電子決裁に統合"),
            None
        ]
    );
    let codes: Vec<&str> = d.diagnostics.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, vec!["W0602"]);
    assert_eq!(delta(&d, "seals.structural"), (Some(1.0), Some(0.0)));
}

#[test]
fn whole_lane_removed() {
    let b = "業務: 軽自動車税 廃車申告
版: To-Be
件数: 1200/年

担当:
  住民: 住民
  窓口: 職員 (税務課)
  RPA: RPA
  税務システム: システム

書類:
  廃車申告書: 紙 [氏名, 住所, 標識番号]

流れ:
  S1 住民: 廃車申告書を提出する [来庁, 記入=廃車申告書]
  S2 窓口: 申告書を受け付ける [5分, 参照=廃車申告書]
  S3 窓口: 申告内容を確認する [3分]
  S4 RPA: 税務システムに入力する [転記 廃車申告書→税務システム, 1分]
  S6 税務システム: 課税台帳を更新する

削除:
  S5: 専決で決裁不要
";
    let d = run(TAX_AS_IS, b);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2"], &["S2"], &[Unchanged], ID),
            row(&["S3"], &["S3"], &[Moved], ID),
            row(&["S4"], &["S4"], &[Moved, Automated, TimeChanged], ID),
            row(&["S5"], &[], &[Removed], None),
            row(&["S6"], &["S6"], &[Unchanged], ID),
        ]
    );
    assert_eq!(d.structural.lanes_removed, vec!["税務担当".to_owned()]);
    assert_eq!(d.structural.lanes_added, vec!["RPA".to_owned()]);
    assert_eq!(delta(&d, "handoffs.structural"), (Some(3.0), Some(3.0)));
}

/// Every model pair in `models/` diffs without panicking, covers every step exactly once and
/// serialises deterministically.
#[test]
fn every_model_pair_diffs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .expect("models/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("as-is.flow").is_file())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    for folder in folders {
        for other in ["to-be.flow", "can-be.flow"] {
            let path = folder.join(other);
            if !path.is_file() {
                continue;
            }
            let a = std::fs::read_to_string(folder.join("as-is.flow")).expect("readable");
            let b = std::fs::read_to_string(&path).expect("readable");
            let d = run(&a, &b);
            let json = serde_json::to_string(&d).expect("serialisable");
            assert_eq!(
                json,
                serde_json::to_string(&run(&a, &b)).expect("serialisable")
            );
            let options = CompileOptions::default();
            let (ma, mb) = (compile(&a, &options).model, compile(&b, &options).model);
            let mut keys_a: Vec<&str> = d
                .changes
                .iter()
                .flat_map(|c| c.as_is.iter().map(|s| s.key.as_str()))
                .collect();
            let mut keys_b: Vec<&str> = d
                .changes
                .iter()
                .flat_map(|c| c.to_be.iter().map(|s| s.key.as_str()))
                .collect();
            keys_a.sort_unstable();
            keys_b.sort_unstable();
            let mut want_a: Vec<&str> = ma.steps.iter().map(|s| s.key.as_str()).collect();
            let mut want_b: Vec<&str> = mb.steps.iter().map(|s| s.key.as_str()).collect();
            want_a.sort_unstable();
            want_b.sort_unstable();
            assert_eq!((keys_a, keys_b), (want_a, want_b), "{}", path.display());
            assert!((0.0..=1.0).contains(&d.similarity), "{}", path.display());
        }
    }
}

fn model_pair(procedure: &str) -> Diff {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models")
        .join(procedure);
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).expect("readable");
    run(&read("as-is.flow"), &read("to-be.flow"))
}

/// Issue #4 follow-up: the summary of shugaku-enjo led with the structural handoffs (7→10, which
/// count handoffs to RPA and systems) and left out workload and lead time. It now shows the fixed
/// headline set in order, with handoffs between people per case.
#[test]
fn summary_shows_fixed_headlines_with_people_handoffs() {
    let d = model_pair("shugaku-enjo");
    let report = nagare::diff::format_report(&d, nagare::syntax::Lang::Ja);
    let s = &d.summary.ja;
    let order = [
        "引継ぎ ",
        "紙 ",
        "来庁 ",
        "押印 ",
        "転記 ",
        "業務量 ",
        "リードタイム ",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| s.find(k).unwrap_or_else(|| panic!("{k} missing from {s}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{s}");
    // Between people per case: 6.33 → 2.06, an improvement of about two thirds.
    let (a, b) = delta(&d, "handoffs.between_people.expected");
    let (a, b) = (a.expect("as-is"), b.expect("to-be"));
    assert!(b < a, "{a} → {b}");
    assert!(s.starts_with("引継ぎ 6.3→2.1 (−67%)"), "{s}");
    assert!(s.contains("時間/年 (−61%)"), "{s}");
    assert!(s.contains("リードタイム 8.4→1.0 日 (−88%)"), "{s}");
    // The report says what the figures count, and the similarity is a percentage.
    assert!(report.contains("引継ぎ・転記は人が行うもの"), "{report}");
    assert!(report.contains("類似度: 62%"), "{report}");
    // Unchanged steps are counted, not listed.
    assert!(!report.contains("[変更なし]"), "{report}");
    assert!(report.contains("変更なし 1 手順"), "{report}");
}

/// Returns the source text under each label of the diagnostic with `code`.
fn labelled<'a>(d: &Diff, source: &'a str, code: &str) -> Vec<&'a str> {
    let diagnostic = d
        .diagnostics
        .iter()
        .find(|x| x.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", d.diagnostics));
    assert!(!diagnostic.hints.is_empty(), "{code} has no hint");
    diagnostic
        .labels
        .iter()
        .map(|l| &source[l.span.start as usize..l.span.end as usize])
        .collect()
}

/// Issue #4 follow-up: W0601–W0603 point at the step or id concerned, not at column 1 of a whole
/// line, and say how to fix it.
#[test]
fn link_warnings_have_precise_spans_and_hints() {
    let a = file(
        "As-Is",
        "流れ:
  S1 住民: 申請書を提出する
  S2 窓口: 申請書を受け付ける
  S3 審査係: 審査する
",
    );
    let b = file(
        "To-Be",
        "流れ:
  S1 住民: 申請書を提出する
  T2 窓口: 申請を受理する [置換 S2 S99]
  S3 審査係: 審査する

削除:
  S3: 誤って記載
  S8: 存在しない
",
    );
    let d = run(&a, &b);
    let codes: Vec<&str> = d.diagnostics.iter().map(|x| x.code.as_str()).collect();
    // In source order of the primary spans: W0603 points at the To-Be step S3, above `削除:`.
    assert_eq!(codes, vec!["W0601", "W0603", "W0602"]);
    // W0601: the attribute list of the step that names the unknown id.
    let w0601 = labelled(&d, &b, "W0601");
    assert!(w0601[0].contains("置換 S2 S99"), "{w0601:?}");
    assert!(!w0601[0].contains("T2"), "{w0601:?}");
    // W0603: exactly the To-Be step's id token, and the removal line as secondary.
    let w0603 = labelled(&d, &b, "W0603");
    assert_eq!(w0603[0], "S3");
    assert!(w0603[1].contains("S3: 誤って記載"), "{w0603:?}");
    let hint = &d.diagnostics[1].hints[0];
    assert!(hint.ja.contains("削除: から S3 を外す"), "{}", hint.ja);
    // W0602 has no To-Be step to point at: the removal line, with a hint.
    let w0602 = labelled(&d, &b, "W0602");
    assert!(w0602[0].contains("S8"), "{w0602:?}");
}

/// The text report counts unchanged steps and metrics unless asked to list them, prints the
/// similarity as a percentage and gives each warning its hint.
#[test]
fn report_options_list_unchanged_steps_and_metrics() {
    use nagare::diff::{ReportOptions, format_report, format_report_with};
    use nagare::syntax::Lang;
    let a = file(
        "As-Is",
        "流れ:
  S1 住民: 申請書を提出する
  S2 窓口: 申請書を受け付ける
  S3 審査係: 審査する [紙, 押印]
",
    );
    let b = file(
        "To-Be",
        "流れ:
  S1 住民: 申請書を提出する
  S2 窓口: 申請書を受け付ける
  S3 審査係: 審査する [電子]

削除:
  S9: 誤記
",
    );
    let d = run(&a, &b);
    let default = format_report(&d, Lang::Ja);
    assert!(!default.contains("[変更なし]"), "{default}");
    assert!(default.contains("変更なし 2 手順"), "{default}");
    assert!(default.contains("件は省略"), "{default}");
    assert!(default.contains("類似度: "), "{default}");
    assert!(
        default.contains("ヒント: As-Is の手順 ID を確認するか、削除: から S9 を外してください")
    );
    let en = format_report(&d, Lang::En);
    assert!(en.contains("2 steps unchanged"), "{en}");
    assert!(
        en.contains("hint: check the As-Is step ids, or remove S9"),
        "{en}"
    );

    let all = format_report_with(
        &d,
        Lang::Ja,
        ReportOptions {
            all_steps: true,
            all_metrics: true,
        },
    );
    assert_eq!(all.matches("[変更なし]").count(), 2, "{all}");
    assert!(!all.contains("変更なし 2 手順"), "{all}");
    assert!(!all.contains("件は省略"), "{all}");
    // Every metric has a row: the header, one line per delta, nothing else in the table.
    let table_rows = all
        .lines()
        .skip_while(|l| *l != "指標")
        .skip(2)
        .take_while(|l| !l.is_empty())
        .count();
    assert_eq!(table_rows, d.metric_deltas.len(), "{all}");
}
