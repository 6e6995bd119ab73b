//! Lowering problems found by trying nagare as a new user (tests/fixtures/trial/): full-width
//! step ids, the advice for `[郵送, 紙]`, and bounded memory for files full of mistakes.

use nagare_model::{LowerOptions, Model};
use nagare_syntax::{Diagnostic, KEEP_DIAGNOSTICS, cap_diagnostics};

fn lower(src: &str) -> (Model, Vec<Diagnostic>) {
    let (file, mut diags) = nagare_syntax::parse(src);
    let (model, more) = nagare_model::lower(&file, src, &LowerOptions::default());
    diags.extend(more);
    (model, diags)
}

/// Ids typed in full width (`Ｓ１`, as a Japanese IME gives them) are kept half width in the
/// model, as are `置換` and `削除:` ids, so that the To-Be's `置換 S1` finds the As-Is step
/// (before: `nagare diff` warned W0601 "the As-Is has no step S3" for `Ｓ３`).
#[test]
fn full_width_step_ids_are_kept_half_width() {
    let src = "業務：x\n担当：\n  住民：住民\n流れ：\n  Ｔ１ 住民：書く［１０分、置換 Ｓ１ Ｓ２］\n    もし 不備 １０％：→ Ｔ１\n削除：\n  Ｓ３：不要\n";
    let (model, diags) = lower(src);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(model.steps[0].id.as_deref(), Some("T1"));
    assert_eq!(model.steps[0].key, "T1");
    assert_eq!(model.steps[0].replaces, ["S1", "S2"]);
    assert_eq!(model.removed[0].step_ids, ["S3"]);
    assert_eq!(model.step_by_name("T1"), Some(0));
}

/// `[郵送, 紙]` (a paper notice sent by post) gets advice about mail and paper documents, not
/// the counter/online advice meant for `[対面, 電子]`.
#[test]
fn mail_and_paper_get_a_fitting_hint() {
    let src = "業務: x\n担当:\n  係: 職員\n流れ:\n  S1 係: 通知を送る [郵送, 紙, 5分]\n";
    let (_, diags) = lower(src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d.code, "W0107");
    let hints: Vec<&str> = d.hints.iter().map(|h| h.en.as_str()).collect();
    assert!(
        hints.iter().any(|h| h.contains("keep only `mail`")),
        "{hints:?}"
    );
    assert!(d.hints.iter().any(|h| h.ja.contains("`郵送`")));
    let src = "業務: x\n担当:\n  係: 職員\n流れ:\n  S1 係: 入力する [対面, 電子, 5分]\n";
    let (_, diags) = lower(src);
    assert!(diags[0].hints[0].en.contains("in-person"));
}

/// Thousands of undeclared actors: lowering keeps only the first diagnostics in full, and after
/// the facade's merge, sort and cap the listed ones and the totals are what they would be
/// without compaction.
#[test]
fn lowering_keeps_memory_bounded_and_counts_exactly() {
    let n = 3 * KEEP_DIAGNOSTICS;
    let mut src = String::from("業務: x\n担当:\n  住民: 住民\n流れ:\n  A0 住民: 書く [1分]\n");
    for i in 0..n {
        // One undeclared actor (E0301, from lowering) and one bad unit (E0502, from parsing).
        src.push_str(&format!("  S{i} 窓囗{i}: 受け付ける [5ふん]\n"));
    }
    let (file, parse_diags) = nagare_syntax::parse(&src);
    let (_, lower_diags) = nagare_model::lower(&file, &src, &LowerOptions::default());
    assert!(parse_diags.len() <= KEEP_DIAGNOSTICS + 1);
    assert!(lower_diags.len() <= KEEP_DIAGNOSTICS + 1);
    let mut all = parse_diags;
    all.extend(lower_diags);
    all.sort_by_key(|d| d.span().start);
    cap_diagnostics(&mut all, 100);
    assert_eq!(all.len(), 101);
    let total: usize = all.iter().map(|d| d.counts().errors).sum();
    assert_eq!(total, 2 * n);
    // The first 100 alternate E0301 / E0502 line by line, from the first step on.
    for (i, pair) in all[..100].chunks(2).enumerate() {
        assert_eq!(pair[0].code, "E0301", "line {i}");
        assert_eq!(pair[1].code, "E0502", "line {i}");
    }
    assert_eq!(all[100].code, "E0001");
    assert!(
        all[100]
            .message
            .en
            .starts_with(&format!("{} more", 2 * n - 100))
    );
}

/// A step written directly under `並行:` (E0111) is lowered as one more branch: the one mistake
/// gives one error, not also "no branches" (E0405) and "unreachable" (E0410). A tab-indented
/// `もし` that lands directly in the block is left out rather than reported again (E0401).
#[test]
fn stray_lines_in_a_parallel_block_give_one_error() {
    for src in [
        include_str!("../../../tests/fixtures/invalid/e0111-step-directly-in-parallel.flow"),
        include_str!("../../../tests/fixtures/invalid/e0111-tab-counts-as-four.flow"),
        "業務: 保育所入所\n担当:\n  係: 職員\n流れ:\n  S1 係: 受け付ける [5分]\n  並行:\n    S2 係: 通知する [2分]\n  S3 係: 案内する [3分]\n",
    ] {
        let (model, diags) = lower(src);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["E0111"], "{src}");
        for step in 0..model.steps.len() {
            let node = model
                .flow
                .node_of_step(step)
                .expect("every step is lowered");
            assert!(
                model.flow.incoming(node).next().is_some(),
                "step {step} is connected"
            );
        }
    }
}

/// An id written twice (`Ｓ１０` and `S10`, E0303) is listed once in the "ids are" hint of a jump
/// to a missing step (before: `S2, S10, S11, s3, S10`).
#[test]
fn a_duplicate_id_is_listed_once_for_a_missing_jump_target() {
    let src = "業務: x\n担当:\n  a: 職員\n流れ:\n  S2 a: 書く [1分]\n  Ｓ１０ a: 見る [1分]\n  S11 a: 送る [1分]\n  S10 a: 入力する [1分]\n    もし 差戻し 5%: → Ｓ９\n";
    let (_, diags) = lower(src);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0303", "E0304"], "{diags:#?}");
    let hint = diags[1]
        .hints
        .iter()
        .find(|h| h.en.contains("the ids are"))
        .expect("the existing ids are listed");
    assert!(
        hint.en.ends_with("the ids are: S2, S10, S11"),
        "{}",
        hint.en
    );
}

/// `完了: 交付` and `開始: 受付` are read as steps of undeclared actors; the message says how to
/// end a flow (`終了: 交付`) and that no start line is needed, instead of only "declare it".
#[test]
fn start_and_end_words_used_as_actors_get_advice() {
    let src = "業務: x\n担当:\n  a: 職員\n流れ:\n  S1 a: 受ける [5分]\n  開始: 受付 [1分]\n  完了: 交付 [1分]  # done\n";
    let (_, diags) = lower(src);
    let e0301: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "E0301").collect();
    assert_eq!(e0301.len(), 2, "{diags:#?}");
    assert!(e0301[0].hints[0].en.contains("no start line is needed"));
    assert_eq!(
        e0301[1].hints[0].ja,
        "流れをここで終えるなら `終了: 交付` と書いてください"
    );
    assert_eq!(
        e0301[1].hints[0].en,
        "to end the flow here, write `end: 交付`"
    );
}
