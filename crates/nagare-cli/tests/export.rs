//! Spreadsheet output end to end through the `nagare` binary: `--format xlsx -o FILE` for
//! `stats`, `candidates` and `diff` on the bundled `models/` (read only), read back with
//! calamine; Excel-friendly CSV (byte-order mark, CRLF, formula guard); and the refusals
//! (`xlsx` without `-o`).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the binary in the workspace root with a clean locale.
fn nagare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nagare"))
        .args(args)
        .current_dir(root())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

type Book = Xlsx<Cursor<Vec<u8>>>;

fn open(path: &Path) -> Book {
    let bytes = std::fs::read(path).expect("the workbook was written");
    open_workbook_from_rs(Cursor::new(bytes)).expect("a valid XLSX")
}

fn cells(book: &mut Book, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).expect("sheet exists");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("expected text, got {other:?}"),
    }
}

fn column(rows: &[Vec<Data>], heading: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| matches!(c, Data::String(s) if s == heading))
        .unwrap_or_else(|| panic!("no column {heading:?} in {:?}", rows[0]))
}

fn flow_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            if p.is_dir() {
                flow_files(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "flow"))
            }
        })
        .sum()
}

#[test]
fn stats_writes_a_portfolio_workbook_with_japanese_headers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("portfolio.xlsx");
    let out = nagare(&[
        "stats",
        "models/",
        "--format",
        "xlsx",
        "-o",
        file.to_str().expect("utf-8 path"),
        "--lang",
        "ja",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout when -o is given");
    let mut book = open(&file);
    assert_eq!(book.sheet_names(), ["指標", "列の定義"]);
    let sheet = cells(&mut book, "指標");
    assert_eq!(sheet.len() - 1, flow_files(&root().join("models")));
    assert_eq!(text(&sheet[0][0]), "業務名");
    let id = column(&sheet, "業務ID");
    let variant = column(&sheet, "版");
    let steps = column(&sheet, "工程数");
    let haisha = sheet
        .iter()
        .find(|r| {
            matches!(&r[id], Data::String(s) if s == "keijidosha-haisha")
                && matches!(&r[variant], Data::String(v) if v == "as-is")
        })
        .expect("the haisha As-Is row");
    assert_eq!(haisha[steps], Data::Float(10.0));
}

#[test]
fn xlsx_needs_an_output_file_and_never_goes_to_a_terminal_by_default() {
    for (cmd, path) in [
        ("stats", "models/keijidosha-haisha/as-is.flow"),
        ("candidates", "models/keijidosha-haisha/as-is.flow"),
        ("diff", "models/keijidosha-haisha"),
    ] {
        let out = nagare(&[cmd, path, "--format", "xlsx", "--lang", "en"]);
        assert_eq!(code(&out), 2, "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).contains("-o"), "{cmd}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        let out = nagare(&[cmd, path, "--format", "xlsx", "--lang", "ja"]);
        assert!(stderr(&out).contains("出力先ファイル"), "{}", stderr(&out));
    }
}

#[test]
fn xlsx_to_standard_output_works_when_it_is_a_pipe() {
    // `-o -` is allowed when standard output is not a terminal (here: a pipe to the test).
    let out = nagare(&[
        "diff",
        "models/keijidosha-haisha",
        "--format",
        "xlsx",
        "-o",
        "-",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"PK"), "a zip container");
    let book: Book = open_workbook_from_rs(Cursor::new(out.stdout)).expect("a valid XLSX");
    assert_eq!(book.sheet_names().len(), 4);
}

#[test]
fn diff_workbook_matches_the_json_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("diff.xlsx");
    let out = nagare(&[
        "diff",
        "models/keijidosha-haisha",
        "--format",
        "xlsx",
        "-o",
        file.to_str().expect("utf-8 path"),
        "--lang",
        "ja",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json = nagare(&["diff", "models/keijidosha-haisha", "--format", "json"]);
    let diff: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let mut book = open(&file);
    assert_eq!(
        book.sheet_names(),
        ["概要", "指標の差分", "工程の変化", "引継ぎの変化"]
    );
    let summary = cells(&mut book, "概要");
    let line = summary
        .iter()
        .find(|r| matches!(&r[0], Data::String(s) if s == "要約"))
        .expect("summary row");
    assert_eq!(
        text(&line[1]),
        diff["summary"]["ja"].as_str().expect("text")
    );
    let changes = cells(&mut book, "工程の変化");
    let expected = diff["changes"].as_array().expect("changes").len();
    assert_eq!(changes.len() - 1, expected);
    let deltas = cells(&mut book, "指標の差分");
    let expected = diff["metric_deltas"].as_array().expect("deltas").len();
    assert_eq!(deltas.len() - 1, expected);
}

#[test]
fn candidates_workbook_ranks_every_procedure_in_english() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("candidates.xlsx");
    let out = nagare(&[
        "candidates",
        "models/",
        "--format",
        "xlsx",
        "-o",
        file.to_str().expect("utf-8 path"),
        "--lang",
        "en",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = nagare(&["candidates", "models/", "--format", "csv", "--lang", "en"]);
    let csv = String::from_utf8(csv.stdout).expect("utf-8");
    let mut book = open(&file);
    assert_eq!(book.sheet_names(), ["Ranking", "Findings", "Criteria"]);
    let ranking = cells(&mut book, "Ranking");
    assert_eq!(text(&ranking[0][0]), "Rank");
    // The same ranking as the CSV: one line per procedure, in the same order.
    let csv_ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("process column"))
        .collect();
    let id = column(&ranking, "Process id");
    let xlsx_ids: Vec<&str> = ranking[1..].iter().map(|r| text(&r[id])).collect();
    assert_eq!(xlsx_ids, csv_ids);
    let findings = cells(&mut book, "Findings");
    assert!(
        findings.len() > ranking.len(),
        "several findings per procedure"
    );
    column(&findings, "Status in the To-Be");
    let criteria = cells(&mut book, "Criteria");
    assert!(
        criteria.len() > findings.len(),
        "several criteria per finding"
    );
}

#[test]
fn csv_opens_in_excel_as_utf8_with_crlf() {
    for args in [
        &["stats", "models/", "--format", "csv"][..],
        &[
            "stats",
            "models/keijidosha-haisha/as-is.flow",
            "--format",
            "csv",
        ],
        &["candidates", "models/", "--format", "csv", "--lang", "ja"],
        &[
            "candidates",
            "models/keijidosha-haisha/as-is.flow",
            "--format",
            "csv",
        ],
    ] {
        let out = nagare(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.starts_with('\u{feff}'), "{args:?}: a byte-order mark");
        assert!(text.ends_with("\r\n"), "{args:?}");
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{args:?}: every line ends with CRLF"
        );
    }
}

#[test]
fn formula_looking_labels_stay_text_in_csv_and_xlsx() {
    let dir = tempfile::tempdir().expect("temp dir");
    let proc_dir = dir.path().join("evil");
    std::fs::create_dir(&proc_dir).expect("mkdir");
    let source = std::fs::read_to_string(root().join("models/keijidosha-haisha/as-is.flow"))
        .expect("model")
        .replace(
            "業務: 軽自動車税（原付等）廃車申告",
            "業務: =HYPERLINK(\"http://example.invalid\",\"x\")",
        );
    std::fs::write(proc_dir.join("as-is.flow"), source).expect("write");
    let folder = dir.path().to_str().expect("utf-8 path");

    let out = nagare(&["candidates", folder, "--format", "csv", "--lang", "en"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\""),
        "{csv}"
    );

    let file = dir.path().join("c.xlsx");
    let out = nagare(&[
        "candidates",
        folder,
        "--format",
        "xlsx",
        "-o",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut book = open(&file);
    let sheet = book.sheet_names()[0].clone();
    let ranking = cells(&mut book, &sheet);
    assert_eq!(
        text(&ranking[1][1]),
        "=HYPERLINK(\"http://example.invalid\",\"x\")",
        "the label itself, as a string cell"
    );
    let formulas = book.worksheet_formula(&sheet).expect("sheet");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn output_file_works_for_text_formats_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("report.txt");
    let out = nagare(&[
        "diff",
        "models/keijidosha-haisha",
        "-o",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let stdout = nagare(&["diff", "models/keijidosha-haisha"]).stdout;
    assert_eq!(std::fs::read(&file).expect("written"), stdout);
}
