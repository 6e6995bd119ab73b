//! Hand-written As-Is / To-Be pairs with a known correct answer: every change, its steps, its
//! classes and how it was matched are asserted exactly.

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use common::{Flow, digital, minutes, paper};
use nagare_diff::ChangeClass::{
    Added, AttributesChanged, Automated, Digitised, DocumentsChanged, Merged, Moved, Relabelled,
    Removed, Split, TimeChanged, Unchanged,
};
use nagare_diff::{ChangeClass, Diff, HandoffChange, MatchKind, diff_models, highlights};
use nagare_model::{ActorKind, DocMedium, DocRole, Endpoint, Transcription, Variant};
use nagare_syntax::Span;

type Shape<'a> = (
    Vec<&'a str>,
    Vec<&'a str>,
    Vec<ChangeClass>,
    Option<MatchKind>,
);

/// Returns every change as (As-Is keys, To-Be keys, classes, matched by), in report order.
fn shape(diff: &Diff) -> Vec<Shape<'_>> {
    diff.changes
        .iter()
        .map(|c| {
            (
                c.as_is_keys(),
                c.to_be_keys(),
                c.classes.clone(),
                c.matched_by,
            )
        })
        .collect()
}

fn row<'a>(
    a: &[&'a str],
    t: &[&'a str],
    classes: &[ChangeClass],
    by: Option<MatchKind>,
) -> Shape<'a> {
    (a.to_vec(), t.to_vec(), classes.to_vec(), by)
}

const ID: Option<MatchKind> = Some(MatchKind::Id);
const LINK: Option<MatchKind> = Some(MatchKind::Link);
const AUTO: Option<MatchKind> = Some(MatchKind::Auto);

fn actors() -> Vec<(&'static str, ActorKind)> {
    vec![
        ("住民", ActorKind::Resident),
        ("窓口", ActorKind::Staff),
        ("担当", ActorKind::Staff),
    ]
}

/// Pair 1: the To-Be keeps the ids; one wait shortened, one label reworded.
#[test]
fn ids_kept() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .step_with("S1", "住民", "申請書に記入する", |s| {
            paper(s);
            s.work = minutes(10.0);
        })
        .step_with("S2", "住民", "窓口へ提出する", |s| {
            s.flags.visit = true;
            s.wait = minutes(15.0);
        })
        .step_with("S3", "窓口", "記載内容を確認する", |s| {
            s.work = minutes(5.0)
        })
        .step_with("S4", "担当", "審査する", |s| s.work = minutes(20.0))
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step_with("S1", "住民", "申請書に記入する", |s| {
            paper(s);
            s.work = minutes(10.0);
        })
        .step_with("S2", "住民", "窓口へ提出する", |s| {
            s.flags.visit = true;
            s.wait = minutes(5.0);
        })
        .step_with("S3", "窓口", "記入内容を点検する", |s| {
            s.work = minutes(5.0)
        })
        .step_with("S4", "担当", "審査する", |s| s.work = minutes(20.0))
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2"], &["S2"], &[TimeChanged], ID),
            row(&["S3"], &["S3"], &[Relabelled], ID),
            row(&["S4"], &["S4"], &[Unchanged], ID),
        ]
    );
    assert_eq!(d.changes[1].detail.ja, "待ち 15分 → 5分");
    assert_eq!(d.changes[1].detail.en, "wait 15 min → 5 min");
    // Steps: (2·1 + 2·0.85 + 2·0.9 + 2·1) / 8 = 0.9375; edges all kept: 1.
    assert!((d.similarity - 0.9688).abs() < 1e-9, "{}", d.similarity);
    assert!(d.diagnostics.is_empty());
}

/// Pair 2: no ids at all; every label reworded; one step added.
#[test]
fn labels_reworded_without_ids() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .step("", "住民", "申請書を提出する")
        .step("", "窓口", "申請書を受け付ける")
        .step("", "窓口", "記載内容を確認する")
        .step("", "担当", "決定通知書を送付する")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("", "住民", "申請書を出す")
        .step("", "窓口", "マイナンバーカードで本人確認する")
        .step("", "窓口", "申請を受理する")
        .step("", "窓口", "記載内容をチェックする")
        .step("", "担当", "決定通知書を郵送する")
        .finish();
    let d = diff_models(&as_is, &to_be);
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
    assert_eq!(
        d.changes[2].detail.ja,
        "「申請書を受け付ける」→「申請を受理する」"
    );
    for c in &d.changes {
        for l in &c.links {
            assert!(l.score >= 0.55 && l.score <= 1.0, "{l:?}");
        }
    }
}

fn merge_as_is() -> nagare_model::Model {
    Flow::new(Variant::AsIs, &actors())
        .step("S1", "住民", "申請書を提出する")
        .step_with("S2", "窓口", "申請書を受け付ける", |s| {
            s.work = minutes(5.0)
        })
        .step_with("S3", "窓口", "内容を審査する", |s| {
            s.work = minutes(10.0)
        })
        .step("S4", "担当", "通知書を送付する")
        .finish()
}

/// Pair 3: two steps merged into one, declared with `置換 S2 S3`.
#[test]
fn two_steps_merged_by_link() {
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("S1", "住民", "申請書を提出する")
        .step_with(
            "T2",
            "窓口",
            "受け付けと同時に審査する",
            |s| {
                s.work = minutes(8.0);
                s.replaces = vec!["S2".into(), "S3".into()];
            },
        )
        .step("S4", "担当", "通知書を送付する")
        .finish();
    let d = diff_models(&merge_as_is(), &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2", "S3"], &["T2"], &[Merged, TimeChanged], LINK),
            row(&["S4"], &["S4"], &[Unchanged], ID),
        ]
    );
    assert_eq!(d.changes[1].detail.ja, "S2・S3 を統合・作業 15分 → 8分");
    assert!(d.structural.handoffs.is_empty());
    // The S2 → S3 edge collapses into T2: every As-Is edge is kept.
    assert_eq!((d.structural.edges_as_is, d.structural.edges_kept), (3, 3));
}

/// Pair 3b: the same merge found without any link, because the merged label contains both.
#[test]
fn two_steps_merged_automatically() {
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("", "住民", "申請書を提出する")
        .step("", "窓口", "申請書を受け付けて内容を審査する")
        .step("", "担当", "通知書を送付する")
        .finish();
    let d = diff_models(&merge_as_is(), &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["n1"], &[Unchanged], AUTO),
            row(&["S2", "S3"], &["n2"], &[Merged, TimeChanged], AUTO),
            row(&["S4"], &["n3"], &[Unchanged], AUTO),
        ]
    );
}

/// A dropped step that only shares words with a kept one is removed, not merged.
#[test]
fn shared_words_alone_do_not_merge() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .step("", "窓口", "申請書を受け付ける")
        .step("", "窓口", "申請書を確認する")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("", "窓口", "申請書を受け付ける")
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["n1"], &["n1"], &[Unchanged], AUTO),
            row(&["n2"], &[], &[Removed], None),
        ]
    );
}

/// Pair 4: one step split in two (found automatically).
#[test]
fn one_step_split_in_two() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .step("S1", "住民", "申請書を提出する")
        .step_with(
            "S2",
            "担当",
            "申請内容を審査して台帳に記録する",
            |s| {
                s.work = minutes(30.0);
            },
        )
        .step("S3", "担当", "通知書を送付する")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("", "住民", "申請書を提出する")
        .step_with("", "担当", "申請内容を審査する", |s| {
            s.work = minutes(15.0)
        })
        .step_with("", "担当", "台帳に記録する", |s| {
            s.work = minutes(5.0)
        })
        .step("", "担当", "通知書を送付する")
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["n1"], &[Unchanged], AUTO),
            row(&["S2"], &["n2", "n3"], &[Split, TimeChanged], AUTO),
            row(&["S3"], &["n4"], &[Unchanged], AUTO),
        ]
    );
    assert_eq!(
        d.changes[1].detail.en,
        "split into n2, n3; work 30 min → 20 min"
    );
    // The n2 → n3 edge stands for S2 itself, so no To-Be edge is new.
    assert_eq!(d.structural.edges_new, 0);
}

fn tax_actors(last: &str, kind: ActorKind) -> Vec<(&str, ActorKind)> {
    vec![
        ("住民", ActorKind::Resident),
        ("窓口", ActorKind::Staff),
        (last, kind),
        ("税務システム", ActorKind::System),
    ]
}

fn rekey() -> Option<Transcription> {
    Some(Transcription {
        from: Endpoint::Document(0),
        to: Endpoint::System("税務システム".into()),
        span: Span::default(),
    })
}

/// Pair 5: a transcription step moved from staff to RPA (ids kept).
#[test]
fn step_moved_to_rpa() {
    let mut actors = tax_actors("税務担当", ActorKind::Staff);
    actors.push(("RPA", ActorKind::Rpa));
    let as_is = Flow::new(Variant::AsIs, &actors)
        .doc("申告書", DocMedium::PaperForm, &["氏名", "車両番号"])
        .step("S3", "窓口", "申告書を受け付ける")
        .step_with(
            "S4",
            "税務担当",
            "税務システムに入力する",
            |s| {
                s.work = minutes(8.0);
                s.transcription = rekey();
            },
        )
        .step("S5", "税務担当", "課長決裁を受ける")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors)
        .doc("申告書", DocMedium::PaperForm, &["氏名", "車両番号"])
        .step("S3", "窓口", "申告書を受け付ける")
        .step_with("S4", "RPA", "税務システムに入力する", |s| {
            s.work = minutes(1.0);
            s.transcription = rekey();
        })
        .step("S5", "税務担当", "課長決裁を受ける")
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S3"], &["S3"], &[Unchanged], ID),
            row(&["S4"], &["S4"], &[Moved, Automated, TimeChanged], ID),
            row(&["S5"], &["S5"], &[Unchanged], ID),
        ]
    );
    assert_eq!(d.changes[1].detail.ja, "税務担当 → RPA・作業 8分 → 1分");
    assert_eq!(d.structural.lanes_added, vec!["RPA".to_owned()]);
    assert!(d.structural.lanes_removed.is_empty());
    assert_eq!(
        d.structural.handoffs,
        vec![
            HandoffChange {
                from: "RPA".into(),
                to: "税務担当".into(),
                as_is: 0,
                to_be: 1
            },
            HandoffChange {
                from: "窓口".into(),
                to: "RPA".into(),
                as_is: 0,
                to_be: 1
            },
            HandoffChange {
                from: "窓口".into(),
                to: "税務担当".into(),
                as_is: 1,
                to_be: 0
            },
        ]
    );
    let (a, t) = highlights(&d);
    let expected = vec![
        "diff-changed".to_owned(),
        "diff-moved".to_owned(),
        "diff-automated".to_owned(),
        "diff-time-changed".to_owned(),
    ];
    assert_eq!(a.get("S4"), Some(&expected));
    assert_eq!(t.get("S4"), Some(&expected));
    assert_eq!(a.len(), 1);
}

/// Pair 6: the paper form replaced by an online form; the counter visit removed with a reason.
#[test]
fn paper_replaced_by_online_form() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .doc("申請書", DocMedium::PaperForm, &["氏名", "住所"])
        .step_with("S1", "住民", "申請書に記入する", |s| {
            paper(s);
            s.work = minutes(10.0);
        })
        .uses("申請書", DocRole::Fill)
        .step_with("S2", "住民", "窓口へ提出する", |s| {
            s.flags.visit = true;
            s.wait = minutes(15.0);
        })
        .step_with("S3", "窓口", "記載内容を確認する", |s| {
            s.work = minutes(5.0)
        })
        .uses("申請書", DocRole::Read)
        .step("S4", "担当", "審査する")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .doc("申請フォーム", DocMedium::Data, &["氏名", "住所"])
        .step_with("S1", "住民", "申請フォームに入力する", |s| {
            digital(s);
            s.work = minutes(5.0);
        })
        .uses("申請フォーム", DocRole::Fill)
        .step_with("S3", "窓口", "記載内容を確認する", |s| {
            digital(s);
            s.work = minutes(3.0);
        })
        .uses("申請フォーム", DocRole::Read)
        .step("S4", "担当", "審査する")
        .removed(&["S2"], "オンライン申請で来庁不要")
        .finish();
    let d = diff_models(&as_is, &to_be);
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
    assert_eq!(
        d.changes[0].detail.ja,
        "「申請書に記入する」→「申請フォームに入力する」・紙 → 電子・作業 10分 → 5分・書類 +申請フォーム −申請書"
    );
    assert_eq!(d.structural.visits_removed, vec!["S2".to_owned()]);
    assert!(d.structural.visits_added.is_empty());
    // 住民 → 窓口 stays one handoff (S1 → S3 now).
    assert!(d.structural.handoffs.is_empty());
}

/// Pair 7: steps removed with and without a reason; a removal naming an unknown id is reported.
#[test]
fn steps_removed_with_reason() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .step("S1", "住民", "申請書を提出する")
        .step("S2", "窓口", "申請書を受け付ける")
        .step("S3", "窓口", "受付簿に記入する")
        .step("S4", "担当", "審査する")
        .step_with("S5", "担当", "課長決裁を受ける", |s| {
            paper(s);
            s.flags.seal = true;
            s.wait = minutes(1440.0);
        })
        .step_with("S6", "担当", "決裁文書を綴る", paper)
        .step("S7", "担当", "通知書を発送する")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("S1", "住民", "申請書を提出する")
        .step("S2", "窓口", "申請書を受け付ける")
        .step("S4", "担当", "審査する")
        .step("S7", "担当", "通知書を発送する")
        .removed(&["S5", "S6"], "電子決裁に統合")
        .removed(&["S9"], "誤記")
        .finish();
    let d = diff_models(&as_is, &to_be);
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
    assert_eq!(d.changes[2].detail.en, "removed");
    let codes: Vec<&str> = d.diagnostics.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, vec!["W0602"]);
    // Only S1 → S2 survives; S2 → S4 and S4 → S7 bridge removed steps and are new.
    let s = &d.structural;
    assert_eq!(
        (s.edges_as_is, s.edges_to_be, s.edges_kept, s.edges_new),
        (6, 3, 1, 2)
    );
}

/// Pair 8: a whole lane removed: one step moved to the counter, one automated, one dropped.
#[test]
fn whole_lane_removed() {
    let as_is = Flow::new(Variant::AsIs, &tax_actors("税務担当", ActorKind::Staff))
        .doc("申告書", DocMedium::PaperForm, &["氏名"])
        .step_with("S1", "住民", "申告書を提出する", |s| {
            s.flags.visit = true
        })
        .step("S2", "窓口", "申告書を受け付ける")
        .step("S3", "税務担当", "申告内容を確認する")
        .step_with(
            "S4",
            "税務担当",
            "税務システムに入力する",
            |s| s.transcription = rekey(),
        )
        .step_with("S5", "税務担当", "課長決裁を受ける", |s| {
            s.flags.seal = true
        })
        .step("S6", "税務システム", "課税台帳を更新する")
        .finish();
    let to_be = Flow::new(Variant::ToBe, &tax_actors("RPA", ActorKind::Rpa))
        .doc("申告書", DocMedium::PaperForm, &["氏名"])
        .step_with("S1", "住民", "申告書を提出する", |s| {
            s.flags.visit = true
        })
        .step("S2", "窓口", "申告書を受け付ける")
        .step("S3", "窓口", "申告内容を確認する")
        .step_with("S4", "RPA", "税務システムに入力する", |s| {
            s.transcription = rekey()
        })
        .step("S6", "税務システム", "課税台帳を更新する")
        .removed(&["S5"], "専決で決裁不要")
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["S1"], &[Unchanged], ID),
            row(&["S2"], &["S2"], &[Unchanged], ID),
            row(&["S3"], &["S3"], &[Moved], ID),
            row(&["S4"], &["S4"], &[Moved, Automated], ID),
            row(&["S5"], &[], &[Removed], None),
            row(&["S6"], &["S6"], &[Unchanged], ID),
        ]
    );
    let s = &d.structural;
    assert_eq!(s.lanes_removed, vec!["税務担当".to_owned()]);
    assert_eq!(s.lanes_added, vec!["RPA".to_owned()]);
    assert_eq!((s.handoffs_as_is, s.handoffs_to_be), (3, 3));
    let pairs: Vec<(&str, &str, usize, usize)> = s
        .handoffs
        .iter()
        .map(|h| (h.from.as_str(), h.to.as_str(), h.as_is, h.to_be))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("RPA", "税務システム", 0, 1),
            ("税務担当", "税務システム", 1, 0),
            ("窓口", "RPA", 0, 1),
            ("窓口", "税務担当", 1, 0),
        ]
    );
    assert!(s.visits_removed.is_empty());
    assert_eq!(d.changes[4].reason.as_deref(), Some("専決で決裁不要"));
}

/// A model compared with itself: everything unchanged, similarity 1, nothing to report.
#[test]
fn identical_models() {
    let m = merge_as_is();
    let d = diff_models(&m, &m);
    assert!(d.changes.iter().all(|c| c.classes == vec![Unchanged]));
    assert!((d.similarity - 1.0).abs() < 1e-12);
    assert_eq!(d.summary.ja, "変更なし");
    let (a, t) = highlights(&d);
    assert!(a.is_empty() && t.is_empty());
}

/// Two runs give the same JSON, and the JSON round-trips.
#[test]
fn output_is_deterministic_and_serde() {
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("", "住民", "申請書を提出する")
        .step("", "窓口", "申請書を受け付けて内容を審査する")
        .step("", "担当", "通知書を送付する")
        .step("", "担当", "台帳を更新する")
        .finish();
    let first = serde_json::to_string(&diff_models(&merge_as_is(), &to_be)).unwrap();
    let second = serde_json::to_string(&diff_models(&merge_as_is(), &to_be)).unwrap();
    assert_eq!(first, second);
    let back: Diff = serde_json::from_str(&first).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), first);
}

/// `置換` naming an As-Is id that does not exist is reported, not silently ignored.
#[test]
fn unknown_replaces_id_is_reported() {
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step_with("T1", "住民", "申請書を提出する", |s| {
            s.replaces = vec!["S99".into()]
        })
        .finish();
    let d = diff_models(&merge_as_is(), &to_be);
    let codes: Vec<&str> = d.diagnostics.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, vec!["W0601"]);
    // T1 still matches S1 by its label.
    assert_eq!(d.changes[0].as_is_keys(), vec!["S1"]);
    assert_eq!(d.changes[0].to_be_keys(), vec!["T1"]);
}

#[test]
fn attributes_change_is_detailed() {
    let as_is = Flow::new(Variant::AsIs, &actors())
        .step_with("S5", "担当", "課長決裁を受ける", |s| {
            s.flags.seal = true
        })
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step_with("S5", "担当", "課長決裁を受ける", |s| {
            s.flags.id_check = true
        })
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(d.changes[0].classes, vec![AttributesChanged]);
    assert_eq!(d.changes[0].detail.ja, "+本人確認・−押印");
}

/// Re-keying from a paper form counts as paper handling: reading the same data from an online
/// form instead is digitised even though neither step lists a document or a medium.
#[test]
fn rekeying_from_data_instead_of_paper_is_digitised() {
    let mut actors = tax_actors("税務担当", ActorKind::Staff);
    actors.push(("RPA", ActorKind::Rpa));
    let as_is = Flow::new(Variant::AsIs, &actors)
        .doc("申告書", DocMedium::PaperForm, &["氏名"])
        .step_with(
            "S4",
            "税務担当",
            "税務システムに入力する",
            |s| {
                s.transcription = rekey();
            },
        )
        .finish();
    let to_be = Flow::new(Variant::ToBe, &actors)
        .doc("申告データ", DocMedium::Data, &["氏名"])
        .step_with("S4", "RPA", "税務システムに入力する", |s| {
            s.transcription = rekey();
        })
        .finish();
    let d = diff_models(&as_is, &to_be);
    assert_eq!(
        shape(&d),
        vec![row(
            &["S4"],
            &["S4"],
            &[Moved, Automated, Digitised, AttributesChanged],
            ID
        )]
    );
    assert_eq!(
        d.changes[0].detail.ja,
        "税務担当 → RPA・紙 → 電子・+転記 申告データ→税務システム・−転記 申告書→税務システム"
    );
}

/// A model whose indices point nowhere (a lowering bug, or a hand-made JSON model) must not
/// panic the diff.
#[test]
fn dangling_indices_do_not_panic() {
    let mut broken = merge_as_is();
    broken.steps[0].actor = 99;
    broken.steps[1].docs.push(nagare_model::DocUse {
        doc: 42,
        role: DocRole::Read,
        fields: Vec::new(),
        span: Span::default(),
    });
    broken
        .flow
        .nodes
        .push(nagare_model::Node::Step { step: 77 });
    broken.flow.edges.push(nagare_model::Edge {
        from: 1,
        to: broken.flow.nodes.len() - 1,
        ..nagare_model::Edge::default()
    });
    broken.flow.edges.push(nagare_model::Edge {
        from: 500,
        to: 1,
        ..nagare_model::Edge::default()
    });
    let d = diff_models(&broken, &merge_as_is());
    assert_eq!(d.changes.len(), 4);
    let d = diff_models(&merge_as_is(), &broken);
    assert_eq!(d.changes.len(), 4);
}

/// Two leftover As-Is steps both contained in one new, longer To-Be step form a merge even when
/// neither is similar enough to it for a 1:1 match (the other lane lowers both scores below the
/// cut-off).
#[test]
fn two_leftovers_merge_into_an_added_step() {
    let to_be = Flow::new(Variant::ToBe, &actors())
        .step("", "住民", "申請書を提出する")
        .step(
            "",
            "担当",
            "オンラインで届いた申請書を受け付け、その場で内容を審査して結果を登録する",
        )
        .step("", "担当", "通知書を送付する")
        .finish();
    let d = diff_models(&merge_as_is(), &to_be);
    assert!(
        d.changes[1].links.iter().all(|l| l.score < 0.55),
        "{:?}",
        d.changes[1].links
    );
    assert_eq!(
        shape(&d),
        vec![
            row(&["S1"], &["n1"], &[Unchanged], AUTO),
            row(&["S2", "S3"], &["n2"], &[Merged, Moved, TimeChanged], AUTO),
            row(&["S4"], &["n3"], &[Unchanged], AUTO),
        ]
    );
}
