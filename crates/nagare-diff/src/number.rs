//! The one number formatter of the diff: every value, change and summary figure goes through it,
//! so the summary line, the metric table and the step details round alike in both languages.
//!
//! Rules (the tester's "a meeting must be able to trust the figures"):
//! - thousands separators (`22,508`), trailing zeros trimmed (`4`, not `4.0`);
//! - counts and hours: 1 decimal, integers from 100 up (`820 時間`, `45.5 時間`);
//! - per-case values: 2 decimals in the table, 1 in the summary (2 when all values are below 1);
//! - FTE: 2 decimals, 3 when both values are below 0.1 (so `0.042 → 0.016`, not `0.04 → 0.02`);
//! - durations in minutes: one unit per magnitude (分, 時間, 日), 1 decimal;
//! - a change is the difference of the *shown* values, so `0.04 → 0.02` never reads `−0.03`.
//!
//! `nagare_graph::format_value` is not reused: it prints fixed decimals per unit (`0.04 人`, `6.00`),
//! expands minutes into `90 分（約 1.5 時間）`, too wide for a delta table, and cannot tell which
//! precision a whole row needs.

use nagare_graph::Unit;
use nagare_syntax::Text;

/// Where a number is shown: the table keeps more decimals than the one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Table,
    Summary,
}

/// Minutes per hour and per day, the scales of a duration.
const HOUR: f64 = 60.0;
const DAY: f64 = 1440.0;

/// Returns `x` rounded to `decimals` decimals, trailing zeros trimmed, with thousands separators
/// (`22,508`, `1,092.1`, `0.35`). Non-finite values print as `—`.
pub(crate) fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    // A value that rounds to zero has no sign ("-0" reads as a change).
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// Returns how many decimals a value of `unit` gets when the largest absolute value of its row
/// (As-Is, To-Be) is `magnitude`. Minutes choose their decimals per scale ([`duration`]).
pub(crate) fn decimals(unit: Unit, magnitude: f64, style: Style) -> usize {
    match unit {
        Unit::Count | Unit::PerYear | Unit::Hours | Unit::Minutes => usize::from(magnitude < 100.0),
        Unit::PerCase => match style {
            Style::Table => 2,
            Style::Summary if magnitude < 1.0 => 2,
            Style::Summary => 1,
        },
        Unit::Fte => {
            if magnitude < 0.1 {
                3
            } else {
                2
            }
        }
        // Ratios are shown in percent with 1 decimal; booleans have no decimals.
        Unit::Ratio => 1,
        Unit::Bool => 0,
    }
}

/// Returns the scale of a duration of `minutes`: its divisor and its unit in Japanese and
/// English. One unit per magnitude: staff read "2.5日" faster than "3600分".
fn scale(minutes: f64) -> (f64, &'static str, &'static str) {
    let m = minutes.abs();
    if m >= DAY {
        (DAY, "日", " d")
    } else if m >= HOUR {
        (HOUR, "時間", " h")
    } else {
        (1.0, "分", " min")
    }
}

/// Returns the rounding step of a value of `unit`, as the multiple of the base unit.
fn rounded(x: f64, decimals: usize) -> f64 {
    let factor = 10f64.powi(i32::try_from(decimals).unwrap_or(0));
    (x * factor).round() / factor
}

/// Returns `minutes` as shown by [`duration`]: rounded to 1 decimal of its scale (in minutes).
fn duration_shown(minutes: f64) -> f64 {
    let (div, _, _) = scale(minutes);
    rounded(
        minutes / div,
        decimals(Unit::Minutes, minutes.abs() / div, Style::Table),
    ) * div
}

/// Returns a duration in one unit per magnitude (`15分`, `1.5時間`, `8.4日`; `15 min`, `1.5 h`,
/// `8.4 d`), 1 decimal below 100 of that unit.
pub(crate) fn duration(minutes: f64) -> Text {
    let (div, ja, en) = scale(minutes);
    let v = minutes / div;
    let s = number(v, decimals(Unit::Minutes, v.abs(), Style::Table));
    Text::new(format!("{s}{ja}"), format!("{s}{en}"))
}

/// Returns `value` as it is displayed in a row whose largest absolute value is `magnitude`:
/// rounded to the shown decimals (percent for ratios, the duration's scale for minutes).
pub(crate) fn shown(unit: Unit, value: f64, magnitude: f64, style: Style) -> f64 {
    match unit {
        Unit::Minutes => duration_shown(value),
        Unit::Ratio => rounded(value * 100.0, 1) / 100.0,
        Unit::Bool => value,
        _ => rounded(value, decimals(unit, magnitude, style)),
    }
}

/// Returns a metric value for the table and the summary (`9`, `1.25`, `45.6%`, `1.5時間`,
/// `22,508 時間`, `はい`); `—` when missing.
pub(crate) fn value_text(unit: Unit, value: Option<f64>, magnitude: f64, style: Style) -> Text {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return Text::new("—", "—");
    };
    let plain = |d: usize| {
        let s = number(v, d);
        Text::new(s.clone(), s)
    };
    match unit {
        Unit::Count | Unit::PerYear | Unit::PerCase => plain(decimals(unit, magnitude, style)),
        Unit::Fte => {
            let s = number(v, decimals(unit, magnitude, style));
            Text::new(format!("{s} 人"), format!("{s} FTE"))
        }
        Unit::Hours => {
            let s = number(v, decimals(unit, magnitude, style));
            Text::new(format!("{s} 時間"), format!("{s} h"))
        }
        Unit::Minutes => duration(v),
        Unit::Ratio => {
            let s = number(v * 100.0, 1);
            Text::new(format!("{s}%"), format!("{s}%"))
        }
        Unit::Bool => {
            if v > 0.5 {
                Text::new("はい", "yes")
            } else {
                Text::new("いいえ", "no")
            }
        }
    }
}

/// Returns the largest absolute value of a row, the basis of its precision.
pub(crate) fn magnitude(a: Option<f64>, b: Option<f64>) -> f64 {
    a.into_iter()
        .chain(b)
        .filter(|v| v.is_finite())
        .fold(0.0, |m, v| m.max(v.abs()))
}

/// Returns the change between the shown values of a row (To-Be − As-Is), so that the change
/// column always equals the difference of the two value columns; `None` when a side is missing.
pub(crate) fn shown_change(
    unit: Unit,
    as_is: Option<f64>,
    to_be: Option<f64>,
    style: Style,
) -> Option<f64> {
    let m = magnitude(as_is, to_be);
    let (a, b) = (as_is?, to_be?);
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let change = shown(unit, b, m, style) - shown(unit, a, m, style);
    // Differences of rounded floats carry noise below the shown precision (0.3 − 0.1).
    Some(match unit {
        Unit::Minutes => rounded(change, 6),
        Unit::Ratio => rounded(change * 100.0, 1) / 100.0,
        _ => rounded(change, decimals(unit, m, style)),
    })
}

/// Returns a signed change with a true minus sign in the row's precision (`−2`, `+0.9 pt`,
/// `−7.4日`, `±0`); `—` when not comparable or for yes/no values.
pub(crate) fn change_text(
    unit: Unit,
    as_is: Option<f64>,
    to_be: Option<f64>,
    style: Style,
) -> Text {
    let Some(c) = shown_change(unit, as_is, to_be, style) else {
        return Text::new("—", "—");
    };
    if unit == Unit::Bool {
        // The value columns already say yes/no; a signed "yes" reads oddly.
        return Text::new("—", "—");
    }
    if c == 0.0 {
        return Text::new("±0", "±0");
    }
    let sign = if c < 0.0 { "−" } else { "+" };
    let m = magnitude(as_is, to_be);
    let body = match unit {
        Unit::Ratio => {
            let s = number(c.abs() * 100.0, 1);
            Text::new(format!("{s}ポイント"), format!("{s} pt"))
        }
        Unit::Minutes => duration(c.abs()),
        _ => value_text(unit, Some(c.abs()), m, style),
    };
    Text::new(format!("{sign}{}", body.ja), format!("{sign}{}", body.en))
}

/// Returns a signed percentage with a true minus sign (`−56%`, `+12%`, `±0%`).
pub(crate) fn percent_text(percent: Option<f64>) -> Option<String> {
    let p = percent.filter(|p| p.is_finite())?;
    let rounded = p.round();
    Some(if rounded < 0.0 {
        format!("−{}%", number(-rounded, 0))
    } else if rounded > 0.0 {
        format!("+{}%", number(rounded, 0))
    } else {
        "±0%".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_trims_zeros() {
        assert_eq!(number(22_508.2, 0), "22,508");
        assert_eq!(number(1_092.1, 1), "1,092.1");
        assert_eq!(number(4.0, 2), "4");
        assert_eq!(number(0.35, 2), "0.35");
        assert_eq!(number(999.96, 1), "1,000");
        assert_eq!(number(-0.01, 1), "0");
        assert_eq!(number(-1_234.6, 0), "-1,235");
        assert_eq!(number(f64::NAN, 1), "—");
    }

    #[test]
    fn hours_from_100_are_integers() {
        let t = value_text(Unit::Hours, Some(22_508.2), 22_508.2, Style::Table);
        assert_eq!((t.ja.as_str(), t.en.as_str()), ("22,508 時間", "22,508 h"));
        assert_eq!(
            value_text(Unit::Hours, Some(80.44), 80.44, Style::Table).ja,
            "80.4 時間"
        );
        // The row's magnitude decides: a row 120 → 45.5 is shown in integers throughout.
        assert_eq!(
            value_text(Unit::Hours, Some(45.5), 120.0, Style::Table).en,
            "46 h"
        );
    }

    #[test]
    fn change_is_the_difference_of_the_shown_values() {
        // 0.0419 → 0.0163 used to read 0.04 → 0.02 with a change of −0.03.
        let (a, b) = (Some(80.4 / 1920.0), Some(31.3 / 1920.0));
        let m = magnitude(a, b);
        assert_eq!(value_text(Unit::Fte, a, m, Style::Table).en, "0.042 FTE");
        assert_eq!(value_text(Unit::Fte, b, m, Style::Table).en, "0.016 FTE");
        assert_eq!(change_text(Unit::Fte, a, b, Style::Table).en, "−0.026 FTE");
        // 2.854 → 1.846 per case: 2.85 → 1.85 with a change of −1, not −1.01.
        let (a, b) = (Some(2.854), Some(1.846));
        assert_eq!(change_text(Unit::PerCase, a, b, Style::Table).ja, "−1");
        // The summary shows 2.9 → 1.8, so its change is −1.1.
        assert_eq!(change_text(Unit::PerCase, a, b, Style::Summary).ja, "−1.1");
    }

    #[test]
    fn summary_per_case_has_one_decimal_unless_small() {
        assert_eq!(
            value_text(Unit::PerCase, Some(6.333), 6.333, Style::Summary).ja,
            "6.3"
        );
        assert_eq!(
            value_text(Unit::PerCase, Some(0.333), 0.5, Style::Summary).ja,
            "0.33"
        );
    }

    #[test]
    fn durations_use_one_unit_per_magnitude() {
        assert_eq!(duration(90.0).ja, "1.5時間");
        assert_eq!(duration(15.0).en, "15 min");
        assert_eq!(duration(8.4 * DAY).ja, "8.4日");
        assert_eq!(duration(250.0 * DAY).ja, "250日");
        assert_eq!(duration(2_000.0 * DAY).en, "2,000 d");
        assert_eq!(
            change_text(Unit::Minutes, Some(8.4 * DAY), Some(DAY), Style::Table).ja,
            "−7.4日"
        );
    }

    #[test]
    fn ratios_and_booleans() {
        assert_eq!(
            value_text(Unit::Ratio, Some(0.456), 0.456, Style::Table).ja,
            "45.6%"
        );
        assert_eq!(
            change_text(Unit::Ratio, Some(0.004), Some(0.013), Style::Table).en,
            "+0.9 pt"
        );
        assert_eq!(
            value_text(Unit::Bool, Some(1.0), 1.0, Style::Table).en,
            "yes"
        );
        assert_eq!(
            change_text(Unit::Bool, Some(0.0), Some(1.0), Style::Table).en,
            "—"
        );
        assert_eq!(value_text(Unit::Count, None, 0.0, Style::Table).en, "—");
    }

    #[test]
    fn percent_has_a_true_minus_sign() {
        assert_eq!(percent_text(Some(-55.6)).as_deref(), Some("−56%"));
        assert_eq!(percent_text(Some(12.4)).as_deref(), Some("+12%"));
        assert_eq!(percent_text(Some(0.2)).as_deref(), Some("±0%"));
        assert_eq!(percent_text(Some(1_234.0)).as_deref(), Some("+1,234%"));
        assert_eq!(percent_text(None), None);
    }
}
