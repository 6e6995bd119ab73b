//! Mistakes a clerk made while trying nagare for the first time (see tests/fixtures/trial/),
//! each with the messages it now gets in both languages as a snapshot: where (line:column),
//! what is wrong and how to fix it.

use std::fmt::Write as _;

use nagare_syntax::ast::{AttrKind, Stmt};
use nagare_syntax::{Diagnostic, KEEP_DIAGNOSTICS, LineIndex, Severity, parse};

/// Returns every diagnostic of `source` as `code line:col`, then the Japanese and English
/// message, labels and hints, one per line.
fn report(source: &str) -> String {
    let (_, diags) = parse(source);
    render(source, &diags)
}

fn render(source: &str, diags: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for d in diags {
        let at = index.line_col(source, d.span().start);
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{severity}[{}] {}:{}", d.code, at.line, at.column);
        let _ = writeln!(out, "  ja: {}\n  en: {}", d.message.ja, d.message.en);
        for label in d.labels.iter().filter(|l| !l.message.en.is_empty()) {
            let _ = writeln!(out, "  label: {} / {}", label.message.ja, label.message.en);
        }
        for h in &d.hints {
            let _ = writeln!(out, "  hint: {} / {}", h.ja, h.en);
        }
    }
    out
}

fn steps(file: &nagare_syntax::ast::File) -> usize {
    file.lines
        .iter()
        .filter(|l| matches!(l.stmt, Stmt::Step(_)))
        .count()
}

/// `担当` and `流れ` without their colon: one error each, and the lines below are still read
/// as actors and steps (before: 9 errors, every actor and step an "unknown header").
#[test]
fn section_keywords_without_colon() {
    let src = "業務: 粗大ごみ 収集申込\n版: As-Is\n\n担当\n  住民: 住民\n  受付センター: 外部\n\n流れ\n  S1 住民: 電話で申し込む [電話, 5分]\n  S2 受付センター: 品目を伝える [3分]\n";
    let (file, diags) = parse(src);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert!(diags.iter().all(|d| d.code == "E0102"));
    assert_eq!(steps(&file), 2);
    insta::assert_snapshot!(report(src));
}

/// English keywords and a header key without its colon (`process Parking permit`).
#[test]
fn english_keywords_and_header_without_colon() {
    let src = "process Parking permit\nactors\n  Resident: resident\nflow\n  S1 Resident: applies [paper, 10 min]\n";
    let (file, diags) = parse(src);
    assert_eq!(diags.len(), 3, "{diags:#?}");
    assert!(file.lines.iter().any(|l| matches!(
        &l.stmt,
        Stmt::Header(h) if h.value.text == "Parking permit"
    )));
    assert_eq!(steps(&file), 1);
    insta::assert_snapshot!(report(src));
}

/// `記入 = 申請書`, `待ち : 5分`, `定型 = 3`: spaces around the `=` or `:` of an attribute are
/// accepted (before: document `= 申請書` undeclared, "a time needs a number", "rule-based must
/// be 1 to 5").
#[test]
fn spaces_around_attribute_separators() {
    let src = "業務: x\n担当:\n  a: 住民\n書類:\n  申請書: 紙\n流れ:\n  S1 a: 書く [記入 = 申請書, 待ち : 5分, 定型 = 3, 例外 = 5%, 作業 ＝ １０分]\n";
    let (file, diags) = parse(src);
    assert!(diags.is_empty(), "{}", render(src, &diags));
    let step = file
        .lines
        .iter()
        .find_map(|l| match &l.stmt {
            Stmt::Step(s) => Some(s),
            _ => None,
        })
        .expect("a step");
    assert_eq!(step.attrs.len(), 5);
    assert!(step.attrs.iter().any(|a| matches!(
        &a.kind,
        AttrKind::Doc { doc, .. } if doc.text == "申請書"
    )));
    assert!(
        step.attrs
            .iter()
            .any(|a| matches!(&a.kind, AttrKind::RuleBased(3)))
    );
}

/// Only exact keywords are repaired: `担当一覧` (no colon) is still a line nagare cannot
/// understand, and an indented `流れ` inside `担当:` is an actor without its colon.
#[test]
fn only_exact_keywords_are_repaired() {
    let (_, diags) = parse("業務: x\n担当一覧\n");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "E0101");
    let (_, diags) = parse("業務: x\n担当:\n  流れ\n");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "E0102");
    assert!(
        diags[0].message.en.contains("actor"),
        "{:?}",
        diags[0].message
    );
}

/// A file with thousands of mistakes keeps only the first diagnostics in full and one summary
/// that counts the rest; the count is exact and the kept ones are the first lines, in order.
#[test]
fn many_errors_are_counted_not_kept() {
    let mut src = String::from("業務: x\n担当:\n  a: 住民\n流れ:\n");
    let lines = 5 * KEEP_DIAGNOSTICS;
    for i in 0..lines {
        let _ = writeln!(src, "これは説明です {i}");
    }
    let (_, diags) = parse(&src);
    assert_eq!(diags.len(), KEEP_DIAGNOSTICS + 1);
    let (summary, kept) = diags.split_last().expect("summary");
    assert_eq!(summary.code, "E0001");
    let hidden = summary.hidden.expect("counts");
    assert_eq!(hidden.errors + kept.len(), lines, "every bad line counted");
    assert_eq!(hidden.warnings, 0);
    let index = LineIndex::new(&src);
    let lines_of: Vec<u32> = kept
        .iter()
        .map(|d| index.line_col(&src, d.span().start).line)
        .collect();
    let expected: Vec<u32> = (5..).take(KEEP_DIAGNOSTICS).collect();
    assert_eq!(lines_of, expected);
}
