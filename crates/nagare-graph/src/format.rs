//! Text renderings of metrics for the command line: aligned tables (Japanese labels measured by
//! display width, so columns line up in a terminal) and CSV with stable English keys.

use nagare_syntax::{Lang, Text};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::metrics::{MetricRow, Metrics, Unit, row_keys};

/// Returns `value` formatted for display in `lang` with its unit (fixed precision).
#[must_use]
pub fn format_value(value: f64, unit: Unit, lang: Lang) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let ja = lang == Lang::Ja;
    match unit {
        Unit::Count => group_digits(value, 0),
        Unit::PerCase => format!("{value:.2}"),
        Unit::PerYear => group_digits(value, 0),
        Unit::Minutes => {
            let base = if ja {
                format!("{} 分", group_digits(value, 1))
            } else {
                format!("{} min", group_digits(value, 1))
            };
            if value >= 1440.0 {
                let days = value / 1440.0;
                if ja {
                    format!("{base}（約 {days:.1} 日）")
                } else {
                    format!("{base} (≈ {days:.1} d)")
                }
            } else if value >= 60.0 {
                let hours = value / 60.0;
                if ja {
                    format!("{base}（約 {hours:.1} 時間）")
                } else {
                    format!("{base} (≈ {hours:.1} h)")
                }
            } else {
                base
            }
        }
        Unit::Hours => {
            if ja {
                format!("{} 時間", group_digits(value, 1))
            } else {
                format!("{} h", group_digits(value, 1))
            }
        }
        Unit::Ratio => format!("{:.1}%", value * 100.0),
        Unit::Bool => match (value > 0.5, ja) {
            (true, true) => "はい".to_owned(),
            (false, true) => "いいえ".to_owned(),
            (true, false) => "yes".to_owned(),
            (false, false) => "no".to_owned(),
        },
        Unit::Fte => {
            if ja {
                format!("{value:.2} 人")
            } else {
                format!("{value:.2} FTE")
            }
        }
    }
}

/// Returns `value` with `decimals` decimals and thousands separators (`12,345.6`); a value
/// that rounds to zero has no sign (`-0.0` would read as a change). Every table of every crate
/// writes its numbers through this, so they all look alike.
#[must_use]
pub fn group_digits(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// Returns `text` padded with spaces to `width` display columns (CJK characters count 2).
fn pad(text: &str, width: usize, right_align: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(text.width()));
    if right_align {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

/// Returns a table with a header and aligned columns; the first column left-aligned, the rest
/// right-aligned. Lines have no trailing spaces.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i], i > 0))
            .collect();
        parts.join("  ").trim_end().to_owned()
    };
    let mut out = line(header);
    out.push('\n');
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&rule.join("  "));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// Returns every headline metric of `m` as an aligned two-column table in `lang`.
#[must_use]
pub fn format_table(m: &Metrics, lang: Lang) -> String {
    let header = [
        Text::new("指標", "Metric").get(lang).to_owned(),
        Text::new("値", "Value").get(lang).to_owned(),
    ];
    let rows: Vec<Vec<String>> = m
        .rows()
        .iter()
        .map(|r| {
            vec![
                r.label.get(lang).to_owned(),
                format_value(r.value, r.unit, lang),
            ]
        })
        .collect();
    table(&header, &rows)
}

/// Returns a number for CSV: up to 6 decimals, trailing zeros dropped (stable across platforms).
fn csv_number(value: f64) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Returns `field` as one CSV field: quoted when it needs to be (RFC 4180), and prefixed with `'`
/// when a spreadsheet would read it as a formula (`=`, `+`, `-`, `@`, tab or CR first), so a
/// label such as `=HYPERLINK(…)` stays text in Excel. Plain numbers (`-1.5`) are left alone.
#[must_use]
pub fn csv_field(field: &str) -> String {
    let formula_like = field.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !field.parse::<f64>().is_ok_and(f64::is_finite);
    let field = if formula_like {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

/// Returns the CSV header of [`csv_row`]: every metric row key, in display order (no newline).
#[must_use]
pub fn csv_header() -> String {
    row_keys().join(",")
}

/// Returns one CSV line (no newline) of `m`'s values in [`csv_header`] order; annual values are
/// empty when the volume is unknown.
#[must_use]
pub fn csv_row(m: &Metrics) -> String {
    let rows: Vec<MetricRow> = m.rows();
    row_keys()
        .iter()
        .map(|key| {
            rows.iter()
                .find(|r| r.key == *key)
                .map_or_else(String::new, |r| csv_number(r.value))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Returns a complete CSV document (header and one row) for `m`, with CRLF line ends as Excel
/// expects (the byte-order mark is the writer's business: it belongs at the start of a file).
#[must_use]
pub fn format_csv(m: &Metrics) -> String {
    format!("{}\r\n{}\r\n", csv_header(), csv_row(m))
}

/// One process variant of a portfolio (a models folder).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioRow {
    /// Where the model came from (a path relative to the folder), for the reader.
    pub path: String,
    /// The process id (slug).
    pub process: String,
    /// The process name (業務名).
    pub name: String,
    /// `as-is`, `can-be` or `to-be`.
    pub variant: String,
    pub metrics: Metrics,
}

/// Returns the portfolio table: one line per process variant with the headline metrics.
#[must_use]
pub fn format_portfolio(rows: &[PortfolioRow], lang: Lang) -> String {
    let header: Vec<String> = [
        ("手続", "Procedure"),
        ("版", "Variant"),
        ("工程", "Steps"),
        ("引継ぎ", "Handoffs"),
        ("紙接点", "Paper"),
        ("来庁", "Visits"),
        ("転記", "Transcr."),
        ("押印", "Seals"),
        ("業務量 h/年", "Staff h/yr"),
        ("リードタイム", "Lead time"),
    ]
    .iter()
    .map(|(ja, en)| Text::new(*ja, *en).get(lang).to_owned())
    .collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let m = &r.metrics;
            let name = if r.name.is_empty() {
                &r.process
            } else {
                &r.name
            };
            vec![
                name.clone(),
                r.variant.clone(),
                m.steps.structural.to_string(),
                format!("{:.2}", m.handoffs.expected),
                format!("{:.2}", m.paper_touchpoints.expected),
                format!("{:.2}", m.visits.expected),
                format!("{:.2}", m.transcriptions.expected),
                m.seals.structural.to_string(),
                m.staff_hours_per_year
                    .map_or_else(|| "-".to_owned(), |h| group_digits(h, 1)),
                format_value(m.lead_time_minutes, Unit::Minutes, lang),
            ]
        })
        .collect();
    table(&header, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_fixed() {
        assert_eq!(group_digits(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(group_digits(12.0, 0), "12");
        assert_eq!(group_digits(-1500.0, 0), "-1,500");
        assert_eq!(csv_number(1.0 / 0.9), "1.111111");
        assert_eq!(csv_number(2.0), "2");
        assert_eq!(format_value(0.456, Unit::Ratio, Lang::En), "45.6%");
        assert_eq!(
            format_value(2880.0, Unit::Minutes, Lang::Ja),
            "2,880.0 分（約 2.0 日）"
        );
        assert_eq!(format_value(1.0, Unit::Bool, Lang::Ja), "はい");
    }

    #[test]
    fn japanese_labels_line_up() {
        let out = table(
            &["指標".to_owned(), "値".to_owned()],
            &[
                vec!["引継ぎ".to_owned(), "3".to_owned()],
                vec!["Steps".to_owned(), "12".to_owned()],
            ],
        );
        let widths: Vec<usize> = out.lines().map(UnicodeWidthStr::width).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{out}\n{widths:?}");
    }

    #[test]
    fn csv_header_and_row_have_the_same_columns() {
        let m = Metrics::default();
        assert_eq!(
            csv_header().split(',').count(),
            csv_row(&m).split(',').count()
        );
        assert!(csv_header().starts_with("steps.structural,"));
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }

    #[test]
    fn csv_fields_that_look_like_formulas_stay_text() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("+81"), "+81", "a number, not a formula");
        assert_eq!(csv_field("-1.5"), "-1.5");
        assert_eq!(csv_field("-inf"), "'-inf");
        assert_eq!(
            csv_field("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_field("住民"), "住民");
        assert!(format_csv(&Metrics::default()).ends_with("\r\n"));
    }
}
