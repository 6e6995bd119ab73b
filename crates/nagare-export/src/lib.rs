//! Spreadsheet export beside the front ends: XLSX workbooks of a metrics portfolio, an As-Is/To-Be
//! diff and improvement candidates, for DX offices that report to their headquarters in Excel.
//! Pure: every function takes analysed data and returns the workbook's bytes (no IO, no clock).
//!
//! Every sheet has one header row in the chosen language (frozen, with an autofilter), number
//! formats by unit (hours and minutes with one decimal, shares as `%`), and column widths that
//! count CJK characters as two. The stable English keys of the metric columns are listed on a
//! separate sheet rather than in a second header row, so that Excel's filters, tables and pivot
//! tables see a single header. Text cells are always written as strings, never formulas: a
//! user label such as `=HYPERLINK(…)` stays text.
//!
//! The formats are described for users in `docs/export.md`.

mod candidates;
mod diff;
mod metrics;
mod sheet;

pub use candidates::{ProcedureFindings, candidates_xlsx};
pub use diff::diff_xlsx;
pub use metrics::metrics_xlsx;

use nagare_syntax::{Lang, Text};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::sheet::Table;

/// Why a workbook could not be built: only the XLSX format's own limits (rows, columns) or an
/// internal error of the writer; user text never causes one (it is cut to the cell limit).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XLSX writer refused the workbook.
    #[error("cannot build the XLSX workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

impl ExportError {
    /// Returns the message in both languages, for the CLI and the viewer.
    #[must_use]
    pub fn message(&self) -> Text {
        match self {
            Self::Xlsx(e) => Text::new(
                format!("XLSX ファイルを作成できません: {e}"),
                format!("cannot build the XLSX workbook: {e}"),
            ),
        }
    }
}

/// Returns the separator of a short list in one cell: `・` in Japanese, `, ` in English.
fn list_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "・",
        Lang::En => ", ",
    }
}

/// Returns the bytes of a workbook holding `tables` in order, titled `title`.
fn workbook(title: &Text, tables: &[Table], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    // A fixed creation date: the same data gives the same bytes (and no clock below the CLI).
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let properties = DocProperties::new()
        .set_title(title.get(lang))
        .set_author("nagare")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    for table in tables {
        table.write(&mut workbook, lang)?;
    }
    Ok(workbook.save_to_buffer()?)
}
