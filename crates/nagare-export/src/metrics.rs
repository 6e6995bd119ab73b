//! The portfolio workbook: one row per process variant with every metric, and a sheet that
//! defines each column (headings in both languages, stable key, unit).

use nagare_graph::{MetricRow, Metrics, PerYear, PortfolioRow, Unit};
use nagare_syntax::{Lang, Text};

use crate::ExportError;
use crate::sheet::{Cell, Num, Table};

/// Returns the display of numbers of `unit`.
pub(crate) fn unit_num(unit: Unit) -> Num {
    match unit {
        Unit::Count | Unit::PerYear => Num::Int,
        Unit::PerCase | Unit::Fte => Num::Dec2,
        Unit::Minutes | Unit::Hours => Num::Dec1,
        Unit::Ratio => Num::Percent,
        Unit::Bool => Num::YesNo,
    }
}

/// Returns the unit's name for the column definitions.
pub(crate) fn unit_name(unit: Unit) -> Text {
    match unit {
        Unit::Count => Text::new("個数", "count"),
        Unit::PerCase => Text::new("1件あたり回数（期待値）", "times per case (expected)"),
        Unit::PerYear => Text::new("回/年", "times per year"),
        Unit::Minutes => Text::new("分", "minutes"),
        Unit::Hours => Text::new("時間", "hours"),
        Unit::Ratio => Text::new("割合（%）", "share (%)"),
        Unit::Bool => Text::new("はい/いいえ", "yes/no"),
        Unit::Fte => Text::new("人工（FTE）", "full-time equivalents"),
    }
}

/// Returns a metric's column heading: its label with the unit when the label does not say it
/// (`リードタイム［分］`), since the cell shows a bare number.
pub(crate) fn heading(label: &Text, unit: Unit) -> Text {
    let (ja, en) = match unit {
        Unit::Minutes => ("［分］", " [min]"),
        Unit::Hours => ("［時間］", " [h]"),
        _ => ("", ""),
    };
    Text::new(format!("{}{ja}", label.ja), format!("{}{en}", label.en))
}

/// Returns every metric row a model can have, annual ones included, in display order: the
/// columns, so they never shift between models with and without a volume.
fn all_rows() -> Vec<MetricRow> {
    Metrics {
        volume_per_year: Some(1.0),
        staff_hours_per_year: Some(0.0),
        fte: Some(0.0),
        per_year: Some(PerYear::default()),
        ..Metrics::default()
    }
    .rows()
}

/// Returns the fixed columns before the metrics.
fn leading_columns() -> [(Text, &'static str); 5] {
    [
        (Text::new("業務名", "Procedure"), "name"),
        (Text::new("業務ID", "Process id"), "process"),
        (Text::new("版", "Variant"), "variant"),
        (Text::new("ファイル", "File"), "file"),
        (Text::new("件数/年", "Cases per year"), "volume_per_year"),
    ]
}

/// Returns an XLSX workbook of a portfolio: sheet 1 has one row per process variant and one
/// column per metric (`Metrics::rows()` order); sheet 2 defines every column. Annual metrics of
/// a model without a volume are left empty, never 0.
///
/// # Errors
/// Only when the XLSX writer refuses the workbook (see [`ExportError`]).
pub fn metrics_xlsx(rows: &[PortfolioRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let metric_rows = all_rows();
    let leading = leading_columns();
    let mut header: Vec<Text> = leading.iter().map(|(t, _)| t.clone()).collect();
    header.extend(metric_rows.iter().map(|r| heading(&r.label, r.unit)));
    let mut table = Table::new(&Text::new("指標", "Metrics"), &header, lang);
    table.freeze_columns = 1;
    table.max_width = 40.0;
    for row in rows {
        let values = row.metrics.rows();
        let name = if row.name.is_empty() {
            &row.process
        } else {
            &row.name
        };
        let mut cells = vec![
            Cell::text(name),
            Cell::text(&row.process),
            Cell::text(&row.variant),
            Cell::text(&row.path),
            Cell::opt(row.metrics.volume_per_year, Num::Int),
        ];
        cells.extend(metric_rows.iter().map(|column| {
            values
                .iter()
                .find(|v| v.key == column.key)
                .map_or(Cell::Empty, |v| Cell::num(v.value, unit_num(v.unit)))
        }));
        table.rows.push(cells);
    }

    let mut keys = Table::new(
        &Text::new("列の定義", "Columns"),
        &[
            Text::new("列", "Column"),
            Text::new("見出し（日本語）", "Heading (Japanese)"),
            Text::new("見出し（英語）", "Heading (English)"),
            Text::new("キー", "Key"),
            Text::new("単位", "Unit"),
        ],
        lang,
    );
    let leading_keys = leading.iter().map(|(t, key)| (t.clone(), *key, None));
    let metric_keys = metric_rows
        .iter()
        .map(|r| (heading(&r.label, r.unit), r.key, Some(r.unit)));
    for (i, (title, key, unit)) in leading_keys.chain(metric_keys).enumerate() {
        keys.rows.push(vec![
            Cell::text(column_letter(i)),
            Cell::text(&title.ja),
            Cell::text(&title.en),
            Cell::text(key),
            unit.map_or(Cell::Empty, |u| Cell::text(unit_name(u).get(lang))),
        ]);
    }
    crate::workbook(
        &Text::new("業務フロー指標", "Process metrics"),
        &[table, keys],
        lang,
    )
}

/// Returns Excel's letter name of the 0-based column `index` (`A`, `Z`, `AA`).
pub(crate) fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        // `rem` < 26, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn every_metric_key_is_a_column() {
        let keys: Vec<&str> = all_rows().iter().map(|r| r.key).collect();
        assert_eq!(keys, nagare_graph::row_keys());
    }

    #[test]
    fn headings_name_the_unit_of_bare_numbers() {
        let h = heading(&Text::new("リードタイム", "Lead time"), Unit::Minutes);
        assert_eq!(h.ja, "リードタイム［分］");
        assert_eq!(h.en, "Lead time [min]");
        let h = heading(&Text::new("工程数", "Steps"), Unit::Count);
        assert_eq!(h.ja, "工程数");
    }
}
