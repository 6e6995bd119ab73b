//! The fixes from the usability test of the flow language (issue #2 follow-up), end to end
//! through `nagare::compile`: one error for a misspelt section keyword, section keywords as
//! names, `#` inside labels, removed-and-replaced ids, tab indentation, id suggestions, no
//! internal step keys in messages, and a cap summary that counts everything.

use nagare::syntax::{Diagnostic, Lang};
use nagare::{CompileOptions, compile};

fn diagnostics(source: &str) -> Vec<Diagnostic> {
    compile(source, &CompileOptions::default()).diagnostics
}

fn codes(ds: &[Diagnostic]) -> Vec<&str> {
    ds.iter().map(|d| d.code.as_str()).collect()
}

/// Returns the 1-based line of the primary span of `d` in `source`.
fn line_of(source: &str, d: &Diagnostic) -> usize {
    source[..d.span().start as usize].matches('\n').count() + 1
}

#[test]
fn misspelt_section_gives_one_error_with_a_suggestion_and_no_cascade() {
    let source = "業務: 例\n担当:\n  住民: 住民\n  窓口: 職員\n書類:\n  申請書: 紙\n流れ図:\n  S1 住民: 書く [10分, 記入=申請書]\n  S2 窓口: 受け付ける [5分]\n";
    let ds = diagnostics(source);
    assert_eq!(codes(&ds), ["E0213"], "{ds:#?}");
    assert_eq!(line_of(source, &ds[0]), 7);
    assert!(
        ds[0]
            .message
            .get(Lang::Ja)
            .contains("`流れ:` のことですか?")
    );
    // The steps were read as the flow: the model has them.
    let m = compile(source, &CompileOptions::default()).model;
    assert_eq!(m.steps.len(), 2);
}

#[test]
fn unknown_word_over_step_lines_is_read_as_the_flow() {
    // (`steps:` itself is now a synonym of `flow:`, so an unknown word stands in.)
    let source = "業務: 例\n担当:\n  住民: 住民\ntasks:\n  S1 住民: 書く [10分]\n";
    let ds = diagnostics(source);
    assert_eq!(codes(&ds), ["E0213"], "{ds:#?}");
    assert!(ds[0].message.get(Lang::En).contains("`flow:`"));
    // An unindented `word:` followed by actor lines is not guessed to be a section.
    let ds = diagnostics("業務: 例\n担当:\n住民:\n  窓口: 職員\n流れ:\n  S1 窓口: 書く [1分]\n");
    assert!(!codes(&ds).contains(&"E0213"), "{ds:#?}");
}

#[test]
fn section_keywords_are_names_when_indented_inside_a_section() {
    let source = "業務: 例\n担当:\n  住民: 住民\n  担当: 職員\n  流れ: システム\n流れ:\n  S1 住民: 書く [10分]\n  S2 担当: 受け付ける [5分]\n  S3 流れ: 登録する [1分]\n";
    let c = compile(source, &CompileOptions::default());
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let names: Vec<&str> = c.model.actors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["住民", "担当", "流れ"]);
    // Unindented it is still a section keyword with content: E0210.
    let ds = diagnostics("業務: 例\n担当: 住民\n流れ:\n  S1 住民: 書く [5分]\n");
    assert!(codes(&ds).contains(&"E0210"), "{ds:#?}");
}

#[test]
fn hash_inside_a_word_is_label_text_and_a_cut_attribute_list_is_reported() {
    let source = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 申請書#1 を書く [10分]\n  S2 住民: 様式＃2 を出す [1分]  # メモ\n";
    let c = compile(source, &CompileOptions::default());
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    assert_eq!(c.model.steps[0].label, "申請書#1 を書く");
    assert_eq!(c.model.steps[1].label, "様式＃2 を出す");
    assert!(c.model.steps.iter().all(|s| s.work.is_some()));

    let source = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 申請書 #1 を書く [10分]\n";
    let ds = diagnostics(source);
    let w = ds
        .iter()
        .find(|d| d.code == "W0105")
        .expect("W0105 reported");
    assert_eq!(&source[w.span().range()], "#1 を書く [10分]");
    assert!(
        w.hints[0]
            .get(Lang::Ja)
            .contains("「申請書 #1 を書く」 [10分]")
    );
    // The suggested fix really works.
    let fixed = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 「申請書 #1 を書く」 [10分]\n";
    assert!(diagnostics(fixed).is_empty());
}

#[test]
fn removed_id_that_is_also_replaced_is_a_warning_on_the_id() {
    let source = "業務: 例\n版: To-Be\n担当:\n  住民: 住民\n流れ:\n  T1 住民: 申請する [10分, 置換 S2 S3]\n削除:\n  S3 S4: 不要\n";
    let ds = diagnostics(source);
    assert_eq!(codes(&ds), ["W0106"], "{ds:#?}");
    let at = source.rfind("S3").expect("S3 in the removal line");
    assert_eq!(ds[0].span().range(), at..at + 2);
    assert_eq!(ds[0].labels.len(), 2, "the replacing step is labelled too");
}

#[test]
fn tab_indentation_error_marks_the_indentation_and_explains_tabs() {
    let source = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  並行:\n    分岐 A:\n      S1 住民: 書く [1分]\n    分岐 B:\n      S2 住民: 見る [1分]\n\tS3 住民: 終える [1分]\n";
    let ds = diagnostics(source);
    let d = ds
        .iter()
        .find(|d| d.code == "E0111")
        .expect("E0111 reported");
    assert_eq!(&source[d.span().range()], "\t");
    assert!(
        d.hints
            .iter()
            .any(|h| h.get(Lang::En).contains("a tab counts as 4 spaces"))
    );
}

#[test]
fn ids_differing_only_in_number_are_listed_not_guessed() {
    let mut source = String::from("業務: 例\n担当:\n  窓口: 職員\n流れ:\n");
    for i in 1..=8 {
        source.push_str(&format!("  S{i} 窓口: 作業{i} [1分]\n"));
    }
    source.push_str("    もし 不備 10%: → S9\n");
    let ds = diagnostics(&source);
    let d = ds.iter().find(|d| d.code == "E0304").expect("E0304");
    let hints: Vec<&str> = d.hints.iter().map(|h| h.get(Lang::Ja)).collect();
    assert!(
        hints.iter().all(|h| !h.contains("のことですか")),
        "{hints:?}"
    );
    assert!(
        hints.iter().any(|h| h.contains("ある ID: S1–S8")),
        "{hints:?}"
    );
    // A real typo still gets a suggestion.
    let ds = diagnostics(
        "業務: 例\n担当:\n  窓口: 職員\n流れ:\n  uketsuke1 窓口: 受ける [1分]\n  S2 窓口: 見る [1分]\n    もし 不備 10%: → uketuke1\n",
    );
    let d = ds.iter().find(|d| d.code == "E0304").expect("E0304");
    assert!(
        d.hints
            .iter()
            .any(|h| h.get(Lang::Ja).contains("のことですか")),
        "{d:#?}"
    );
}

#[test]
fn steps_without_ids_are_named_by_line_and_label() {
    let source = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  住民: 書く [10分]\n  住民: 待つ\n";
    let ds = diagnostics(source);
    let d = ds.iter().find(|d| d.code == "W0104").expect("W0104");
    assert!(
        d.message.get(Lang::Ja).contains("6 行目の手順「待つ」"),
        "{d:#?}"
    );
    assert!(
        d.message.get(Lang::En).contains("“待つ” (line 6)"),
        "{d:#?}"
    );
    assert!(!d.message.get(Lang::En).contains("n2"));
}

#[test]
fn the_cap_summary_counts_every_hidden_diagnostic() {
    let mut source = String::from("業務: 例\n担当:\n  住民: 住民\n流れ:\n");
    for i in 0..130 {
        source.push_str(&format!("  S{i} 住民: 書く [10 minits]\n"));
    }
    let ds = diagnostics(&source);
    let (errors, warnings) = ds.iter().fold((0, 0), |(e, w), d| {
        let c = d.counts();
        (e + c.errors, w + c.warnings)
    });
    assert_eq!(errors, 130);
    assert_eq!(warnings, 0);
    let last = ds.last().expect("summary entry");
    assert_eq!(last.code, "E0001");
    assert!(
        last.message.get(Lang::En).contains("30 errors"),
        "{last:#?}"
    );
}
