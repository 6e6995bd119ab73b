//! The candidates workbook: the ranking of procedures by hours saved per year, every finding
//! (with its status against the To-Be when there is one), and every criterion's contribution
//! to each score, so a reader can see why a finding scored what it did.

use nagare_candidates::{Finding, RankedProcedure, Realisation};
use nagare_syntax::{Lang, Text};

use crate::ExportError;
use crate::sheet::{Cell, Num, Table};

/// One procedure's findings, as the CLI has them.
#[derive(Debug, Clone, Copy)]
pub struct ProcedureFindings<'a> {
    /// The process id (`keijidosha-haisha`), as in the ranking.
    pub process: &'a str,
    /// The flow file the findings come from, for the reader.
    pub file: &'a str,
    pub findings: &'a [Finding],
    /// Each finding's status against the To-Be (same order as `findings`), when a To-Be exists.
    pub realised: Option<&'a [Realisation]>,
}

fn texts(items: &[Text], lang: Lang) -> String {
    items
        .iter()
        .map(|t| t.get(lang))
        .collect::<Vec<_>>()
        .join(" / ")
}

fn ranking_table(ranking: &[RankedProcedure], lang: Lang) -> Table {
    let mut table = Table::new(
        &Text::new("順位", "Ranking"),
        &[
            Text::new("順位", "Rank"),
            Text::new("業務名", "Procedure"),
            Text::new("業務ID", "Process id"),
            Text::new("版", "Variant"),
            Text::new("件数/年", "Cases per year"),
            Text::new("削減時間・職員［時間/年］", "Staff hours saved per year"),
            Text::new("削減時間・住民［時間/年］", "Resident hours saved per year"),
            Text::new("削減時間・計［時間/年］", "Total hours saved per year"),
            Text::new("候補数", "Findings"),
            Text::new("該当する種類", "Rules"),
            nagare_candidates::top_heading(),
            Text::new("その削減時間［時間/年］", "Its hours saved per year"),
            Text::new("その点数", "Its score"),
            Text::new("その内容", "Its finding"),
        ],
        lang,
    );
    table.freeze_columns = 2;
    for r in ranking {
        let rules: Vec<String> = r
            .rules
            .iter()
            .map(|id| id.name().get(lang).to_owned())
            .collect();
        table.rows.push(vec![
            Cell::count(r.rank),
            Cell::text(&r.name),
            Cell::text(&r.process),
            Cell::text(r.variant.as_str()),
            Cell::opt(r.volume_per_year, Num::Int),
            Cell::num(r.staff_hours, Num::Dec1),
            Cell::num(r.resident_hours, Num::Dec1),
            Cell::num(r.total_hours, Num::Dec1),
            Cell::count(r.findings),
            Cell::text(rules.join(crate::list_separator(lang))),
            r.top
                .as_ref()
                .map_or(Cell::Empty, |f| Cell::text(f.rule.name().get(lang))),
            r.top
                .as_ref()
                .map_or(Cell::Empty, |f| Cell::num(f.hours.total(), Num::Dec1)),
            r.top
                .as_ref()
                .map_or(Cell::Empty, |f| Cell::num(f.score, Num::Dec1)),
            r.top
                .as_ref()
                .map_or(Cell::Empty, |f| Cell::text(f.title.get(lang))),
        ]);
    }
    table
}

fn findings_table(procedures: &[ProcedureFindings<'_>], lang: Lang) -> Table {
    let any_to_be = procedures.iter().any(|p| p.realised.is_some());
    let mut header = vec![
        Text::new("業務ID", "Process id"),
        Text::new("番号", "No."),
        Text::new("種類", "Rule"),
        Text::new("種類キー", "Rule key"),
        Text::new("点数", "Score"),
        Text::new("工程", "Steps"),
        Text::new("削減時間・職員［時間/年］", "Staff hours saved per year"),
        Text::new("削減時間・住民［時間/年］", "Resident hours saved per year"),
        Text::new("内容", "Finding"),
        Text::new("オンライン化の範囲", "Online extent"),
        Text::new("難易度", "Difficulty"),
    ];
    if any_to_be {
        header.push(Text::new("To-Be での状況", "Status in the To-Be"));
        header.push(Text::new("状況の理由", "Why this status"));
    }
    header.extend([
        Text::new("理由", "Reasons"),
        Text::new("阻害要因", "Blockers"),
        Text::new("前提", "Prerequisites"),
        Text::new("時間の計算", "Hours formula"),
        Text::new("ファイル", "File"),
    ]);
    let mut table = Table::new(&Text::new("候補", "Findings"), &header, lang);
    table.freeze_columns = 2;
    table.max_width = 60.0;
    for p in procedures {
        for (i, f) in p.findings.iter().enumerate() {
            let mut cells = vec![
                Cell::text(p.process),
                Cell::count(i + 1),
                Cell::text(f.rule.name().get(lang)),
                Cell::text(f.rule.as_str()),
                Cell::num(f.score, Num::Dec1),
                Cell::text(f.steps.join(" ")),
                Cell::num(f.hours.staff, Num::Dec1),
                Cell::num(f.hours.resident, Num::Dec1),
                Cell::text(f.title.get(lang)),
                f.extent
                    .map_or(Cell::Empty, |e| Cell::text(e.name().get(lang))),
                f.difficulty
                    .map_or(Cell::Empty, |d| Cell::text(d.name().get(lang))),
            ];
            if any_to_be {
                match p.realised.and_then(|r| r.get(i)) {
                    Some(r) => {
                        cells.push(Cell::text(r.status.name().get(lang)));
                        cells.push(Cell::text(r.reason.get(lang)));
                    }
                    None => cells.extend([Cell::Empty, Cell::Empty]),
                }
            }
            let blockers: Vec<Text> = f.blockers.iter().map(|b| b.text.clone()).collect();
            cells.extend([
                Cell::text(texts(&f.reasons, lang)),
                Cell::text(texts(&blockers, lang)),
                Cell::text(texts(&f.prerequisites, lang)),
                Cell::text(f.hours.formula.get(lang)),
                Cell::text(p.file),
            ]);
            table.rows.push(cells);
        }
    }
    table
}

fn criteria_table(procedures: &[ProcedureFindings<'_>], lang: Lang) -> Table {
    let mut table = Table::new(
        &Text::new("評価内訳", "Criteria"),
        &[
            Text::new("業務ID", "Process id"),
            Text::new("番号", "No."),
            Text::new("種類", "Rule"),
            Text::new("評価項目", "Criterion"),
            Text::new("評価項目キー", "Criterion key"),
            Text::new("点", "Points"),
            Text::new("満点", "Weight"),
            Text::new("根拠", "Why"),
        ],
        lang,
    );
    table.freeze_columns = 2;
    table.max_width = 70.0;
    for p in procedures {
        for (i, f) in p.findings.iter().enumerate() {
            for c in &f.criteria {
                table.rows.push(vec![
                    Cell::text(p.process),
                    Cell::count(i + 1),
                    Cell::text(f.rule.name().get(lang)),
                    Cell::text(c.label.get(lang)),
                    Cell::text(&c.id),
                    Cell::num(c.points, Num::Dec1),
                    Cell::num(c.max, Num::Dec1),
                    Cell::text(c.why.get(lang)),
                ]);
            }
        }
    }
    table
}

/// Returns an XLSX workbook of candidates: the ranking of `ranking` (sheet 1), every finding of
/// `procedures` numbered within its procedure as in `nagare candidates` (sheet 2), and each
/// finding's criteria with points and weight (sheet 3, joined to sheet 2 by process id and
/// number). The To-Be status columns appear when any procedure has a To-Be.
///
/// # Errors
/// Only when the XLSX writer refuses the workbook (see [`ExportError`]).
pub fn candidates_xlsx(
    ranking: &[RankedProcedure],
    procedures: &[ProcedureFindings<'_>],
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    crate::workbook(
        &Text::new("改善候補", "Improvement candidates"),
        &[
            ranking_table(ranking, lang),
            findings_table(procedures, lang),
            criteria_table(procedures, lang),
        ],
        lang,
    )
}
