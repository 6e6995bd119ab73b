//! Reads every workbook back with calamine (an independent XLSX reader) and checks the cells a
//! clerk would see: Japanese and English headers, values, and that formula-looking user labels
//! are stored as text, never as formulas.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use nagare_candidates::{CandidateSettings, Finding, rank, realised};
use nagare_export::{ProcedureFindings, candidates_xlsx, diff_xlsx, metrics_xlsx};
use nagare_graph::{PortfolioRow, Settings};
use nagare_model::{LowerOptions, Model};
use nagare_syntax::Lang;

const AS_IS: &str = include_str!("../../../models/keijidosha-haisha/as-is.flow");
const TO_BE: &str = include_str!("../../../models/keijidosha-haisha/to-be.flow");
/// A label a spreadsheet would run as a formula if it were written as one.
const EVIL: &str = "=HYPERLINK(\"http://example.invalid\",\"x\")";

fn model(source: &str) -> Model {
    let (file, diagnostics) = nagare_syntax::parse(source);
    assert!(!nagare_syntax::has_errors(&diagnostics), "{diagnostics:?}");
    let (model, diagnostics) = nagare_model::lower(
        &file,
        source,
        &LowerOptions {
            name_hint: "keijidosha-haisha".to_owned(),
        },
    );
    assert!(!nagare_syntax::has_errors(&diagnostics), "{diagnostics:?}");
    model
}

/// Returns the As-Is with a step label that starts with `=`.
fn evil_as_is() -> Model {
    let mut m = model(AS_IS);
    m.steps[1].label = EVIL.to_owned();
    m.process.name = format!("+{}", m.process.name);
    m
}

fn portfolio_row(m: &Model) -> PortfolioRow {
    PortfolioRow {
        path: format!(
            "models/{}/{}.flow",
            m.process.id,
            m.process.variant.as_str()
        ),
        process: m.process.id.clone(),
        name: m.process.name.clone(),
        variant: m.process.variant.as_str().to_owned(),
        metrics: nagare_graph::analyze(m, &Settings::default()).metrics,
    }
}

type Book = Xlsx<Cursor<Vec<u8>>>;

fn open(bytes: Vec<u8>) -> Book {
    open_workbook_from_rs(Cursor::new(bytes)).expect("a valid XLSX")
}

/// Returns the sheet as rows of cells.
fn cells(book: &mut Book, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).expect("sheet exists");
    assert_eq!(range.start(), Some((0, 0)), "{sheet} starts at A1");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("expected text, got {other:?}"),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(f) => *f,
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn column(rows: &[Vec<Data>], heading: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| matches!(c, Data::String(s) if s == heading))
        .unwrap_or_else(|| panic!("no column {heading:?} in {:?}", rows[0]))
}

/// Asserts no cell of any sheet holds a formula.
fn assert_no_formulas(book: &mut Book) {
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).expect("sheet exists");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }
}

#[test]
fn metrics_workbook_has_japanese_headers_values_and_column_keys() {
    let as_is = evil_as_is();
    let to_be = model(TO_BE);
    let rows = [portfolio_row(&as_is), portfolio_row(&to_be)];
    let mut book = open(metrics_xlsx(&rows, Lang::Ja).expect("workbook"));
    assert_eq!(book.sheet_names(), ["指標", "列の定義"]);
    let sheet = cells(&mut book, "指標");
    assert_eq!(sheet.len(), 3, "header + one row per variant");
    assert_eq!(text(&sheet[0][0]), "業務名");
    // The formula guard: the `+…` name is stored as the text itself.
    assert_eq!(text(&sheet[1][0]), as_is.process.name);
    assert!(text(&sheet[1][0]).starts_with('+'));
    assert_eq!(text(&sheet[2][2]), "to-be");
    let volume = column(&sheet, "件数/年");
    assert!((number(&sheet[1][volume]) - 1200.0).abs() < 1e-9);
    let steps = column(&sheet, "工程数");
    assert!((number(&sheet[1][steps]) - 10.0).abs() < 1e-9);
    let lead = column(&sheet, "リードタイム［分］");
    assert!(
        (number(&sheet[1][lead]) - rows[0].metrics.lead_time_minutes).abs() < 1e-9,
        "minutes are stored unrounded; the format shows one decimal"
    );
    let hours = column(&sheet, "業務量（職員）［時間］");
    let expected = rows[0].metrics.staff_hours_per_year.expect("volume given");
    assert!((number(&sheet[1][hours]) - expected).abs() < 1e-9);
    // Every metric is a column, so the keys sheet lists them all after the leading five.
    let keys = cells(&mut book, "列の定義");
    assert_eq!(keys.len() - 1, sheet[0].len());
    assert_eq!(text(&keys[6][3]), "steps.structural");
    assert_eq!(text(&keys[6][0]), "F");
    assert_eq!(text(&keys[6][2]), "Steps");
    assert_no_formulas(&mut book);
}

#[test]
fn metrics_without_a_volume_leave_annual_columns_empty() {
    let mut m = model(AS_IS);
    m.process.volume_per_year = None;
    let row = portfolio_row(&m);
    assert!(row.metrics.staff_hours_per_year.is_none());
    let mut book = open(metrics_xlsx(&[row], Lang::En).expect("workbook"));
    let sheet = cells(&mut book, "Metrics");
    assert_eq!(text(&sheet[0][0]), "Procedure");
    let hours = column(&sheet, "Staff workload [h]");
    assert_eq!(sheet[1][hours], Data::Empty, "unknown, not 0");
    assert_eq!(sheet[1][column(&sheet, "Cases per year")], Data::Empty);
}

#[test]
fn an_empty_portfolio_is_still_a_valid_workbook() {
    let mut book = open(metrics_xlsx(&[], Lang::Ja).expect("workbook"));
    let sheet = cells(&mut book, "指標");
    assert_eq!(sheet.len(), 1, "just the header");
}

#[test]
fn diff_workbook_has_summary_deltas_and_step_changes() {
    let as_is = evil_as_is();
    let to_be = model(TO_BE);
    let diff = nagare_diff::diff(&as_is, &to_be, &Settings::default());
    let mut book = open(diff_xlsx(&diff, Lang::Ja).expect("workbook"));
    assert_eq!(
        book.sheet_names(),
        ["概要", "指標の差分", "工程の変化", "引継ぎの変化"]
    );
    let summary = cells(&mut book, "概要");
    assert_eq!(text(&summary[0][0]), "項目");
    let line = summary
        .iter()
        .find(|r| matches!(&r[0], Data::String(s) if s == "要約"))
        .expect("summary row");
    assert_eq!(text(&line[1]), diff.summary.ja);
    let similarity = summary
        .iter()
        .find(|r| matches!(&r[0], Data::String(s) if s == "類似度"))
        .expect("similarity row");
    assert!((number(&similarity[1]) - diff.similarity).abs() < 1e-9);

    let deltas = cells(&mut book, "指標の差分");
    assert_eq!(deltas.len() - 1, diff.metric_deltas.len());
    let handoffs = deltas
        .iter()
        .position(|r| matches!(&r[1], Data::String(s) if s == "handoffs.expected"))
        .expect("handoffs row");
    let d = &diff.metric_deltas[handoffs - 1];
    assert_eq!(text(&deltas[handoffs][0]), "引継ぎ（1件あたり）");
    assert!((number(&deltas[handoffs][2]) - d.as_is.expect("as-is")).abs() < 1e-9);
    assert!((number(&deltas[handoffs][3]) - d.to_be.expect("to-be")).abs() < 1e-9);
    let percent = d.percent.expect("percent");
    assert!((number(&deltas[handoffs][5]) - percent / 100.0).abs() < 1e-9);
    let verdict = match d.improved {
        Some(true) => "改善",
        Some(false) => "悪化",
        None => "中立",
    };
    assert_eq!(text(&deltas[handoffs][6]), verdict);
    // Paper touchpoints drop in this To-Be: the verdict says so.
    let paper = deltas
        .iter()
        .find(|r| matches!(&r[1], Data::String(s) if s == "paper_touchpoints.structural"))
        .expect("paper row");
    assert!(number(&paper[4]) < 0.0);
    assert_eq!(text(&paper[6]), "改善");

    let changes = cells(&mut book, "工程の変化");
    assert_eq!(changes.len() - 1, diff.changes.len());
    assert_eq!(text(&changes[0][3]), "As-Is 工程");
    // The step whose label looks like a formula is there, as text.
    let evil = changes
        .iter()
        .find(|r| matches!(&r[4], Data::String(s) if s.contains(EVIL)))
        .expect("the evil label is exported");
    assert!(text(&evil[4]).starts_with('='));
    assert_no_formulas(&mut book);
}

#[test]
fn candidates_workbook_ranks_and_explains_findings() {
    let as_is = evil_as_is();
    let to_be = model(TO_BE);
    let analysis = nagare_graph::analyze(&as_is, &Settings::default());
    let findings: Vec<Finding> =
        nagare_candidates::find(&as_is, &analysis, &CandidateSettings::default());
    assert!(!findings.is_empty());
    let status: Vec<_> = realised(
        &findings,
        &as_is,
        &to_be,
        &nagare_graph::analyze(&to_be, &Settings::default()),
    )
    .into_iter()
    .map(|(_, r)| r)
    .collect();
    let ranking = rank(&[(&as_is, findings.clone())]);
    let procedures = [ProcedureFindings {
        process: &as_is.process.id,
        file: "models/keijidosha-haisha/as-is.flow",
        findings: &findings,
        realised: Some(&status),
    }];
    let mut book = open(candidates_xlsx(&ranking, &procedures, Lang::Ja).expect("workbook"));
    assert_eq!(book.sheet_names(), ["順位", "候補", "評価内訳"]);

    let ranks = cells(&mut book, "順位");
    assert_eq!(ranks.len(), 2);
    assert_eq!(text(&ranks[0][1]), "業務名");
    assert!((number(&ranks[1][0]) - 1.0).abs() < 1e-9);
    assert_eq!(
        text(&ranks[1][1]),
        as_is.process.name,
        "guarded name kept as text"
    );
    let total = column(&ranks, "削減時間・計［時間/年］");
    assert!((number(&ranks[1][total]) - ranking[0].total_hours).abs() < 1e-9);

    let sheet = cells(&mut book, "候補");
    assert_eq!(sheet.len() - 1, findings.len());
    let rule = column(&sheet, "種類キー");
    let score = column(&sheet, "点数");
    let state = column(&sheet, "To-Be での状況");
    for (row, f) in sheet[1..].iter().zip(&findings) {
        assert_eq!(text(&row[rule]), f.rule.as_str());
        assert!((number(&row[score]) - f.score).abs() < 1e-9);
    }
    assert_eq!(text(&sheet[1][state]), status[0].status.name().ja);

    let criteria = cells(&mut book, "評価内訳");
    let expected: usize = findings.iter().map(|f| f.criteria.len()).sum();
    assert_eq!(criteria.len() - 1, expected);
    let first = &findings[0].criteria[0];
    assert_eq!(text(&criteria[1][4]), first.id);
    assert!((number(&criteria[1][5]) - first.points).abs() < 1e-9);
    assert!((number(&criteria[1][6]) - first.max).abs() < 1e-9);
    assert_no_formulas(&mut book);
}

#[test]
fn the_same_data_gives_the_same_bytes() {
    let m = model(AS_IS);
    let rows = [portfolio_row(&m)];
    let a = metrics_xlsx(&rows, Lang::Ja).expect("workbook");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = metrics_xlsx(&rows, Lang::Ja).expect("workbook");
    assert!(a == b, "no timestamp or random id in the workbook");
    let en = metrics_xlsx(&rows, Lang::En).expect("workbook");
    assert!(a != en, "the language changes the headers");
}
