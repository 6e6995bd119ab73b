//! Text renderings of findings and rankings: an aligned terminal table (CJK-width aware) with
//! details, and CSV. Numbers are printed with fixed precision so output is stable.

use std::fmt::Write as _;

use nagare_syntax::{Lang, Text};
use unicode_width::UnicodeWidthStr;

use crate::finding::{Finding, RuleId};
use crate::portfolio::{RankedProcedure, top_heading};
use crate::realised::Realisation;

/// Returns `text` padded with spaces to display width `width` (CJK characters count as two).
fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// Returns `text` right-aligned to display width `width`.
fn pad_left(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

/// Renders rows as an aligned table; `right[i]` right-aligns column `i` (numbers).
fn table(header: &[String], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| UnicodeWidthStr::width(h.as_str()))
        .collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(UnicodeWidthStr::width(cell.as_str()));
            }
        }
    }
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                if right.get(i).copied().unwrap_or(false) {
                    pad_left(c, w)
                } else {
                    pad(c, w)
                }
            })
            .collect();
        parts.join("  ").trim_end().to_owned()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(header));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(out, "{}", line(&rule));
    for row in rows {
        let _ = writeln!(out, "{}", line(row));
    }
    out
}

/// Formats a number for a table: one decimal and thousands separators, like every other table.
fn fixed1(x: f64) -> String {
    nagare_graph::group_digits(if x.is_finite() { x } else { 0.0 }, 1)
}

/// Formats a number for CSV: one decimal, no separators (programs read it), never "-0.0".
fn plain1(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let text = format!("{x:.1}");
    if text == "-0.0" {
        "0.0".to_owned()
    } else {
        text
    }
}

/// Returns the rule's name for tables: the Japanese or English name; the stable ids
/// (`online`, `seal`…) stay in JSON and CSV, where programs read them.
fn rule_name(rule: RuleId, lang: Lang) -> String {
    t(&rule.name(), lang)
}

fn t(text: &Text, lang: Lang) -> String {
    text.get(lang).to_owned()
}

fn words(lang: Lang, ja: &str, en: &str) -> String {
    match lang {
        Lang::Ja => ja.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Returns the findings as an aligned table (one row each) followed by each finding's criteria,
/// reasons, prerequisites, blockers and hours formula.
#[must_use]
pub fn format_table(findings: &[Finding], lang: Lang) -> String {
    let mut out = format_summary(findings, lang);
    out.push_str(&format_details(findings, lang));
    out
}

/// Returns the findings as an aligned table, one row each.
#[must_use]
pub fn format_summary(findings: &[Finding], lang: Lang) -> String {
    if findings.is_empty() {
        return words(lang, "改善候補はありません。\n", "No candidates found.\n");
    }
    let header = vec![
        "#".to_owned(),
        words(lang, "点数", "score"),
        words(lang, "種類", "rule"),
        words(lang, "工程", "steps"),
        words(lang, "職員 時間/年", "staff h/yr"),
        words(lang, "住民 時間/年", "resident h/yr"),
        words(lang, "内容", "what"),
    ];
    let rows: Vec<Vec<String>> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut what = t(&f.title, lang);
            if let Some(extent) = f.extent {
                let _ = write!(what, " [{}]", t(&extent.name(), lang));
            }
            vec![
                (i + 1).to_string(),
                fixed1(f.score),
                rule_name(f.rule, lang),
                f.steps.join(","),
                fixed1(f.hours.staff),
                fixed1(f.hours.resident),
                what,
            ]
        })
        .collect();
    table(
        &header,
        &rows,
        &[true, true, false, false, true, true, false],
    )
}

/// Returns each finding's reasons, criteria (points of max and why), blockers, prerequisites,
/// difficulty and hours formula, numbered as in [`format_summary`].
#[must_use]
pub fn format_details(findings: &[Finding], lang: Lang) -> String {
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}. {} — {} ({})",
            i + 1,
            rule_name(f.rule, lang),
            t(&f.title, lang),
            // The score with its unit, as in the ranking ("67.3 点" / "score 67.3").
            words(
                lang,
                &format!("{} 点", fixed1(f.score)),
                &format!("score {}", fixed1(f.score))
            )
        );
        for reason in &f.reasons {
            let _ = writeln!(out, "   - {}", t(reason, lang));
        }
        let label_width = f
            .criteria
            .iter()
            .map(|c| UnicodeWidthStr::width(c.label.get(lang)))
            .max()
            .unwrap_or(0);
        for c in &f.criteria {
            let _ = writeln!(
                out,
                "   {} {:>6} / {:>5}  {}",
                pad(&t(&c.label, lang), label_width),
                fixed1(c.points),
                fixed1(c.max),
                t(&c.why, lang)
            );
        }
        for b in &f.blockers {
            let _ = writeln!(
                out,
                "   {}: {}",
                words(lang, "阻害要因", "blocker"),
                t(&b.text, lang)
            );
        }
        for p in &f.prerequisites {
            let _ = writeln!(
                out,
                "   {}: {}",
                words(lang, "前提", "prerequisite"),
                t(p, lang)
            );
        }
        if let Some(d) = f.difficulty {
            let _ = writeln!(
                out,
                "   {}: {}",
                words(lang, "難易度", "difficulty"),
                t(&d.name(), lang)
            );
        }
        let _ = writeln!(
            out,
            "   {}: {}",
            words(lang, "時間の計算", "hours"),
            t(&f.hours.formula, lang)
        );
    }
    out
}

/// Returns As-Is findings with their status against a To-Be as an aligned table.
#[must_use]
pub fn format_realised(pairs: &[(Finding, Realisation)], lang: Lang) -> String {
    if pairs.is_empty() {
        return words(lang, "改善候補はありません。\n", "No candidates found.\n");
    }
    let header = vec![
        words(lang, "点数", "score"),
        words(lang, "種類", "rule"),
        words(lang, "工程", "steps"),
        words(lang, "職員 時間/年", "staff h/yr"),
        words(lang, "住民 時間/年", "resident h/yr"),
        words(lang, "To-Be", "To-Be"),
        words(lang, "内容", "what"),
    ];
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|(f, r)| {
            vec![
                fixed1(f.score),
                rule_name(f.rule, lang),
                f.steps.join(","),
                fixed1(f.hours.staff),
                fixed1(f.hours.resident),
                t(&r.status.name(), lang),
                format!("{} ({})", t(&f.title, lang), t(&r.reason, lang)),
            ]
        })
        .collect();
    table(
        &header,
        &rows,
        &[true, false, false, true, true, false, false],
    )
}

/// Returns the CSV header line of [`format_csv`].
#[must_use]
pub fn csv_header() -> String {
    "process,rule,steps,score,staff_hours,resident_hours,extent,difficulty,title,reasons,blockers"
        .to_owned()
}

/// Returns `text` as one CSV field: quoted when it contains a comma, quote or line break
/// (RFC 4180), and prefixed with `'` when a spreadsheet would read it as a formula (`=`, `+`,
/// `-`, `@`, tab or CR first; titles quote user labels). Plain numbers are left alone.
fn csv_field(text: &str) -> String {
    let formula_like = text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !text.parse::<f64>().is_ok_and(f64::is_finite);
    let text = if formula_like {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Returns the findings as CSV with a header; texts in `lang`, lists joined with ` / `. Lines end
/// with CRLF as Excel expects; the writer adds the byte-order mark at the start of a file.
#[must_use]
pub fn format_csv(findings: &[Finding], lang: Lang) -> String {
    let mut out = csv_header();
    out.push_str("\r\n");
    for f in findings {
        let cells = [
            f.process.clone(),
            f.rule.as_str().to_owned(),
            f.steps.join(" "),
            plain1(f.score),
            plain1(f.hours.staff),
            plain1(f.hours.resident),
            f.extent.map_or(String::new(), |e| t(&e.name(), lang)),
            f.difficulty.map_or(String::new(), |d| t(&d.name(), lang)),
            t(&f.title, lang),
            f.reasons
                .iter()
                .map(|r| t(r, lang))
                .collect::<Vec<_>>()
                .join(" / "),
            f.blockers
                .iter()
                .map(|b| t(&b.text, lang))
                .collect::<Vec<_>>()
                .join(" / "),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Returns the portfolio ranking as an aligned table (or CSV with CRLF line ends when `csv`).
#[must_use]
pub fn format_ranking(ranked: &[RankedProcedure], lang: Lang, csv: bool) -> String {
    let header = vec![
        "#".to_owned(),
        words(lang, "手続", "procedure"),
        words(lang, "件数/年", "cases/yr"),
        words(lang, "職員 時間/年", "staff h/yr"),
        words(lang, "住民 時間/年", "resident h/yr"),
        words(lang, "計", "total"),
        words(lang, "候補数", "findings"),
        t(&top_heading(), lang),
    ];
    let rows: Vec<Vec<String>> = ranked
        .iter()
        .map(|r| {
            let top = r.top.as_ref().map_or(String::new(), |f| {
                let hours = fixed1(f.hours.total());
                let score = fixed1(f.score);
                let mut s = match lang {
                    Lang::Ja => format!(
                        "{} 年 {hours} 時間（{score} 点）: {}",
                        rule_name(f.rule, lang),
                        t(&f.title, lang)
                    ),
                    Lang::En => format!(
                        "{} {hours} h/yr (score {score}): {}",
                        rule_name(f.rule, lang),
                        t(&f.title, lang)
                    ),
                };
                if let Some(extent) = f.extent {
                    let _ = write!(s, " [{}]", t(&extent.name(), lang));
                }
                s
            });
            vec![
                r.rank.to_string(),
                format!("{} ({})", r.name, r.process),
                r.volume_per_year
                    .map_or_else(|| "-".to_owned(), |v| nagare_graph::group_digits(v, 0)),
                fixed1(r.staff_hours),
                fixed1(r.resident_hours),
                fixed1(r.total_hours),
                r.findings.to_string(),
                top,
            ]
        })
        .collect();
    if csv {
        // `top_*` is the finding with the largest saving (see `top_heading`); `top_hours` was
        // added last so that existing columns keep their positions.
        let mut out = "rank,process,name,volume_per_year,staff_hours,resident_hours,total_hours,findings,top_rule,top_score,top_title,top_hours\r\n".to_owned();
        for r in ranked {
            let cells = [
                r.rank.to_string(),
                r.process.clone(),
                r.name.clone(),
                r.volume_per_year
                    .map_or(String::new(), |v| format!("{v:.0}")),
                plain1(r.staff_hours),
                plain1(r.resident_hours),
                plain1(r.total_hours),
                r.findings.to_string(),
                r.top
                    .as_ref()
                    .map_or(String::new(), |f| f.rule.as_str().to_owned()),
                r.top.as_ref().map_or(String::new(), |f| plain1(f.score)),
                r.top.as_ref().map_or(String::new(), |f| t(&f.title, lang)),
                r.top
                    .as_ref()
                    .map_or(String::new(), |f| plain1(f.hours.total())),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        return out;
    }
    table(
        &header,
        &rows,
        &[true, false, true, true, true, true, true, false],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_quotes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn csv_defuses_formula_like_text_but_not_numbers() {
        assert_eq!(csv_field("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_field("@x"), "'@x");
        assert_eq!(csv_field("-5.0"), "-5.0");
        assert_eq!(csv_field("+a,b"), "\"'+a,b\"");
        assert!(format_csv(&[], Lang::En).ends_with("\r\n"));
        assert!(format_ranking(&[], Lang::En, true).ends_with("\r\n"));
    }

    #[test]
    fn tables_group_thousands_and_csv_does_not() {
        assert_eq!(fixed1(4888.46), "4,888.5");
        assert_eq!(plain1(4888.46), "4888.5");
        assert_eq!(fixed1(-0.01), "0.0");
        assert_eq!(plain1(-0.01), "0.0");
        assert_eq!(fixed1(f64::NAN), "0.0");
    }

    #[test]
    fn pad_counts_cjk_as_two_columns() {
        assert_eq!(pad("申請", 6), "申請  ");
        assert_eq!(pad_left("ab", 4), "  ab");
    }
}
