//! A small table model (a header and typed cells) and its writer into a worksheet. Every sheet
//! of every workbook goes through [`Table::write`], so they all look alike: a bold header row
//! that stays in view (frozen), an autofilter, number formats by kind, and column widths
//! estimated from the text (CJK characters count as two, as they take two columns in Excel).

use nagare_syntax::{Lang, Text};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// Excel's limit on the characters of one cell (counted in UTF-16 units).
const MAX_CELL_UNITS: usize = 32_767;
/// Narrowest and widest column, in Excel's width units (about one ASCII digit each).
const MIN_WIDTH: f64 = 4.0;
/// Header lines beyond this are cut off: a taller header row pushes the data out of view.
const MAX_HEADER_LINES: usize = 4;
/// The widest sheet (sum of column widths) printed shrunk to one page width.
const PRINT_FIT_WIDTH: f64 = 220.0;
/// Excel's default row height in points for an 11 pt font.
const LINE_HEIGHT: f64 = 15.0;

/// How a number is displayed; the stored value is always the plain number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    /// `1,234`
    Int,
    /// `1,234.5`: minutes and hours.
    Dec1,
    /// `0.12`: expected counts per case, FTE.
    Dec2,
    /// `45.6%` for a share stored as 0.456.
    Percent,
    /// 0 or 1 shown as はい/いいえ (yes/no), so the column still sums and filters as numbers.
    YesNo,
}

impl Num {
    /// Returns the decimals shown.
    fn decimals(self) -> usize {
        match self {
            Self::Int | Self::YesNo => 0,
            Self::Dec1 | Self::Percent => 1,
            Self::Dec2 => 2,
        }
    }

    /// Returns the Excel number format; `signed` adds an explicit `+` (for changes).
    fn format(self, signed: bool, lang: Lang) -> String {
        let base = match self {
            Self::Int => "#,##0",
            Self::Dec1 => "#,##0.0",
            Self::Dec2 => "#,##0.00",
            Self::Percent => "0.0%",
            Self::YesNo => {
                let (yes, no) = match lang {
                    Lang::Ja => ("はい", "いいえ"),
                    Lang::En => ("yes", "no"),
                };
                // Positive; negative; zero sections: any non-zero value reads as yes.
                return format!("\"{yes}\";\"{yes}\";\"{no}\"");
            }
        };
        if signed {
            format!("+{base};-{base};{base}")
        } else {
            base.to_owned()
        }
    }
}

/// Good or bad news, for [`Cell::Toned`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Good,
    Bad,
}

impl Tone {
    /// Returns the format of Excel's built-in "Good" / "Bad" styles (font and fill colours).
    fn format(self) -> Format {
        let (font, fill) = match self {
            Self::Good => (0x0000_6100, 0x00C6_EFCE),
            Self::Bad => (0x009C_0006, 0x00FF_C7CE),
        };
        Format::new()
            .set_font_color(Color::RGB(font))
            .set_background_color(Color::RGB(fill))
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    /// Always written as a string cell, never as a formula: labels are user text, and a label
    /// such as `=HYPERLINK(…)` must stay text (the formula-injection guard of the XLSX side).
    Text(String),
    /// Text shaded as good or bad news (Excel's own "Good"/"Bad" cell colours), so a reader
    /// sees at a glance which metrics improved.
    Toned(String, Tone),
    /// A number with its display; `signed` shows `+` on increases.
    Number {
        value: f64,
        num: Num,
        signed: bool,
    },
}

impl Cell {
    /// Returns a text cell.
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// Returns a number cell (empty when the value is not finite: Excel cannot store NaN).
    pub(crate) fn num(value: f64, num: Num) -> Self {
        if value.is_finite() {
            Self::Number {
                value,
                num,
                signed: false,
            }
        } else {
            Self::Empty
        }
    }

    /// Returns a number cell that shows `+` on increases (empty when not finite).
    pub(crate) fn change(value: f64, num: Num) -> Self {
        match Self::num(value, num) {
            Self::Number { value, num, .. } => Self::Number {
                value,
                num,
                signed: true,
            },
            other => other,
        }
    }

    /// Returns a number cell, or an empty one for `None`.
    pub(crate) fn opt(value: Option<f64>, num: Num) -> Self {
        value.map_or(Self::Empty, |v| Self::num(v, num))
    }

    /// Returns a count cell.
    #[allow(clippy::cast_precision_loss)] // counts in a process model are far below 2^52
    pub(crate) fn count(n: usize) -> Self {
        Self::num(n as f64, Num::Int)
    }

    /// Returns the display width the cell needs, in columns (CJK characters count two).
    fn width(&self) -> usize {
        match self {
            Self::Empty => 0,
            Self::Text(text) | Self::Toned(text, _) => {
                text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
            }
            Self::Number { value, num, signed } => number_width(*value, *num, *signed),
        }
    }
}

/// Returns the width of `value` as Excel shows it with `num` (digits, separators, sign, `%`).
fn number_width(value: f64, num: Num, signed: bool) -> usize {
    let shown = if num == Num::Percent {
        value * 100.0
    } else {
        value
    };
    if num == Num::YesNo {
        return 6;
    }
    let text = format!("{:.*}", num.decimals(), shown.abs());
    let int_digits = text.split('.').next().map_or(0, str::len);
    let separators = if num == Num::Percent {
        0
    } else {
        int_digits.saturating_sub(1) / 3
    };
    let sign = usize::from(signed || shown < 0.0);
    let percent = usize::from(num == Num::Percent);
    text.len() + separators + sign + percent
}

/// Returns `text` cut to Excel's cell limit (the writer refuses longer strings).
fn excel_text(text: &str) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS {
            return &text[..i];
        }
    }
    text
}

/// A sheet: a header row and rows of cells, written by [`Table::write`].
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The sheet's tab name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns kept in view when scrolling right (the row's name).
    pub freeze_columns: u16,
    /// The widest a column may grow, in Excel width units; longer text is cut off in view only.
    pub max_width: f64,
    /// Wrap long text within its column (rows grow) instead of cutting it off: for sheets that
    /// are read rather than filtered, such as a summary.
    pub wrap: bool,
}

impl Table {
    /// Returns an empty table named `name` in `lang` with the header `header` in `lang`.
    pub(crate) fn new(name: &Text, header: &[Text], lang: Lang) -> Self {
        Self {
            name: name.get(lang).to_owned(),
            header: header.iter().map(|h| h.get(lang).to_owned()).collect(),
            rows: Vec::new(),
            freeze_columns: 0,
            max_width: 50.0,
            wrap: false,
        }
    }

    /// Returns each column's width in Excel units: the widest cell, the header counted up to a
    /// point (long headers wrap instead), within [`MIN_WIDTH`] and `max_width`.
    pub(crate) fn widths(&self) -> Vec<f64> {
        (0..self.header.len())
            .map(|col| {
                let cells = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(col))
                    .map(Cell::width)
                    .max()
                    .unwrap_or(0);
                let header = self.header[col].width().min(16);
                #[allow(clippy::cast_precision_loss)] // widths are small
                let width = cells.max(header) as f64 + 2.0;
                width.clamp(MIN_WIDTH, self.max_width)
            })
            .collect()
    }

    /// Adds the table as a worksheet of `workbook`.
    pub(crate) fn write(&self, workbook: &mut Workbook, lang: Lang) -> Result<(), XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&self.name)?;
        let widths = self.widths();
        // Printed on A4 landscape (the paper of Japanese offices) with the header on every page.
        sheet.set_paper_size(9);
        sheet.set_landscape();
        sheet.set_repeat_rows(0, 0)?;
        // A sheet up to about twice a page wide prints shrunk to one page width; a wider one
        // (the metrics portfolio) would be unreadably small, so it runs over several pages.
        if widths.iter().sum::<f64>() <= PRINT_FIT_WIDTH {
            sheet.set_print_fit_to_pages(1, 0);
        }
        let text_format = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let header_format = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(0x00DD_EBF7))
            .set_border_bottom(FormatBorder::Thin);
        let mut header_lines = 1;
        for (col, (title, width)) in self.header.iter().zip(&widths).enumerate() {
            let col = column(col)?;
            sheet.write_string_with_format(0, col, excel_text(title), &header_format)?;
            sheet.set_column_width(col, *width)?;
            // Wrapped header text: enough lines for the title at this width.
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )]
            let lines = (title.width() as f64 / (width - 1.0).max(1.0)).ceil() as usize;
            header_lines = header_lines.max(lines.min(MAX_HEADER_LINES));
        }
        #[allow(clippy::cast_precision_loss)] // at most MAX_HEADER_LINES
        sheet.set_row_height(0, LINE_HEIGHT * header_lines as f64)?;
        for (i, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (col, cell) in row.iter().enumerate() {
                let wrap = self.wrap.then_some(&text_format);
                write_cell(sheet, r, column(col)?, cell, wrap, lang)?;
            }
        }
        sheet.set_freeze_panes(1, self.freeze_columns)?;
        if !self.header.is_empty() {
            let last_row =
                u32::try_from(self.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
            sheet.autofilter(0, 0, last_row, column(self.header.len() - 1)?)?;
        }
        Ok(())
    }
}

/// Returns column `index` as Excel's column number type.
fn column(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    text_format: Option<&Format>,
    lang: Lang,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        // `write_string`, never `write` or a formula: the text is stored as text.
        Cell::Text(text) => match text_format {
            Some(format) => {
                sheet.write_string_with_format(row, col, excel_text(text), format)?;
            }
            None => {
                sheet.write_string(row, col, excel_text(text))?;
            }
        },
        Cell::Toned(text, tone) => {
            sheet.write_string_with_format(row, col, excel_text(text), &tone.format())?;
        }
        Cell::Number { value, num, signed } => {
            let format = Format::new().set_num_format(num.format(*signed, lang));
            sheet.write_number_with_format(row, col, *value, &format)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_say_what_the_brief_asks() {
        assert_eq!(Num::Dec1.format(false, Lang::Ja), "#,##0.0");
        assert_eq!(Num::Percent.format(false, Lang::En), "0.0%");
        assert_eq!(Num::Int.format(true, Lang::En), "+#,##0;-#,##0;#,##0");
        assert_eq!(
            Num::YesNo.format(false, Lang::Ja),
            "\"はい\";\"はい\";\"いいえ\""
        );
    }

    #[test]
    fn widths_count_cjk_as_two_and_stay_in_bounds() {
        let mut t = Table::new(
            &Text::new("表", "Table"),
            &[Text::new("名", "Name"), Text::new("値", "Value")],
            Lang::Ja,
        );
        t.rows
            .push(vec![Cell::text("軽自動車税"), Cell::num(1234.5, Num::Dec1)]);
        t.rows.push(vec![Cell::text("x".repeat(500)), Cell::Empty]);
        let w = t.widths();
        assert!((w[1] - 9.0).abs() < 1e-9, "1,234.5 is 7 wide + 2: {w:?}");
        assert!((w[0] - 50.0).abs() < 1e-9, "capped: {w:?}");
        t.rows.pop();
        assert!((t.widths()[0] - 12.0).abs() < 1e-9, "5 CJK = 10 + 2");
    }

    #[test]
    fn number_width_counts_separators_signs_and_percent() {
        assert_eq!(number_width(1_234_567.0, Num::Int, false), 9);
        assert_eq!(number_width(-12.0, Num::Int, false), 3);
        assert_eq!(number_width(12.0, Num::Int, true), 3);
        assert_eq!(number_width(0.456, Num::Percent, false), 5);
    }

    #[test]
    fn long_text_is_cut_to_the_cell_limit_on_a_char_boundary() {
        let long = "申".repeat(MAX_CELL_UNITS + 10);
        let cut = excel_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_UNITS);
        assert_eq!(excel_text("short"), "short");
        // An astral character takes two UTF-16 units.
        let astral = "𠮷".repeat(MAX_CELL_UNITS);
        assert_eq!(excel_text(&astral).chars().count(), MAX_CELL_UNITS / 2);
    }

    #[test]
    fn non_finite_numbers_become_empty_cells() {
        assert_eq!(Cell::num(f64::NAN, Num::Int), Cell::Empty);
        assert_eq!(Cell::change(f64::INFINITY, Num::Int), Cell::Empty);
        assert_eq!(Cell::opt(None, Num::Int), Cell::Empty);
    }
}
