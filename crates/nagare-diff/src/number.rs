//! The one number formatter of the diff: every value, change and summary figure goes through it,
//! so the summary line, the metric table and the step details round alike in both languages.
//!
//! Rules (the tester's "a meeting must be able to trust the figures"):
//! - thousands separators (`22,508`);
//! - counts and hours: 1 decimal, integers from 100 up (`820 時間`, `45.5 時間`);
//! - per-case values: 2 decimals in the table, 1 in the summary (2 when all values are below 1);
//! - FTE: 2 decimals, 3 when both values are below 0.1 (so `0.042 → 0.016`, not `0.04 → 0.02`);
//! - one row, one precision and one scale ([`Row`]): `7.1→7.0 日`, `4.8→1.0`, `2→0`; a duration
//!   row is in minutes, hours or days by its larger value; decimals are trimmed for the row as a
//!   whole, an exact zero stays `0`;
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
    let text = nagare_graph::group_digits(x, decimals);
    match text.split_once('.') {
        Some((int, frac)) => match frac.trim_end_matches('0') {
            "" => int.to_owned(),
            frac => format!("{int}.{frac}"),
        },
        None => text,
    }
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

/// Returns `x` rounded to `decimals` decimals.
fn rounded(x: f64, decimals: usize) -> f64 {
    let factor = 10f64.powi(i32::try_from(decimals).unwrap_or(0));
    (x * factor).round() / factor
}

/// Returns a duration in one unit per magnitude (`15分`, `1.5時間`, `8.4日`; `15 min`, `1.5 h`,
/// `8.4 d`), 1 decimal below 100 of that unit, trailing zeros trimmed. For a step's own times
/// (`作業 10分 → 5分`), where each value is read alone; metric rows use [`Row`].
pub(crate) fn duration(minutes: f64) -> Text {
    let (div, ja, en) = scale(minutes);
    let v = minutes / div;
    let s = number(v, decimals(Unit::Minutes, v.abs(), Style::Table));
    Text::new(format!("{s}{ja}"), format!("{s}{en}"))
}

/// Returns `x` with exactly `decimals` decimals (trailing zeros kept) and thousands separators;
/// `—` when not finite. An exact zero stays `0`: it means "none at all" (`転記 2.9→0`), where
/// `0.0` would mean "less than 0.05".
fn fixed(x: f64, decimals: usize) -> String {
    let trimmed = number(x, decimals);
    if decimals == 0 || trimmed == "—" || x == 0.0 {
        return trimmed;
    }
    let have = trimmed.split_once('.').map_or(0, |(_, f)| f.len());
    let mut out = trimmed;
    if have == 0 {
        out.push('.');
    }
    out.extend(std::iter::repeat_n('0', decimals - have));
    out
}

/// Returns how many decimals `x` needs at most `max` decimals once trailing zeros are dropped.
fn needed(x: f64, max: usize) -> usize {
    let text = format!("{:.*}", max, x.abs());
    text.split_once('.')
        .map_or(0, |(_, f)| f.trim_end_matches('0').len())
}

/// Returns the scale of a row of durations whose largest absolute value is `max` minutes: the
/// larger value's (minutes below 3 hours, as `72分→41分` says more than `1.2時間→0.7時間`; hours
/// below a day; else days), one step smaller while the smaller value would be below 0.1 of it
/// (`25.0→0.5 時間`, not `1.04→0.02 日`).
fn duration_scale(values: &[f64], max: f64) -> (f64, &'static str, &'static str) {
    const SCALES: [(f64, &str, &str); 3] =
        [(DAY, "日", " d"), (HOUR, "時間", " h"), (1.0, "分", " min")];
    let mut i = if max >= DAY {
        0
    } else if max >= 3.0 * HOUR {
        1
    } else {
        2
    };
    let min = values
        .iter()
        .map(|v| v.abs())
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    while i < 2 && min / SCALES[i].0 < 0.1 {
        i += 1;
    }
    SCALES[i]
}

/// How one metric row (As-Is, To-Be and their change) is printed: one scale (for durations) and
/// one precision for every number of the row, so that `7.1日→7日` reads `7.1→7.0 日` and a change
/// is always the difference of the printed values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Row {
    unit: Unit,
    /// What one shown unit is in the metric's base unit (1440 for days of minutes, 0.01 for
    /// percent of a ratio, else 1).
    div: f64,
    /// The scale's unit for durations (`日`, ` d`); empty otherwise.
    ja: &'static str,
    en: &'static str,
    decimals: usize,
}

impl Row {
    /// Returns the format of a row whose values are `as_is` and `to_be` (either may be missing).
    ///
    /// The scale of a duration follows the larger value (see [`duration_scale`]). The precision starts from [`decimals`]
    /// for the larger value and gains up to two decimals while a value that is not zero would
    /// print as zero, or while two values that differ by at least 0.5% would print alike (a lead
    /// time of 2 days against 1.98 days reads `2.00→1.98`, not `2→2 (−1%)`). Then the row is
    /// trimmed to the decimals its values need, together: `4.8→1.0`, `2→0`, never `4.8→1`.
    pub(crate) fn new(unit: Unit, as_is: Option<f64>, to_be: Option<f64>, style: Style) -> Self {
        let values: Vec<f64> = as_is
            .into_iter()
            .chain(to_be)
            .filter(|v| v.is_finite())
            .collect();
        let m = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let (div, ja, en) = match unit {
            Unit::Minutes => duration_scale(&values, m),
            Unit::Ratio => (0.01, "", ""),
            _ => (1.0, "", ""),
        };
        let base = match unit {
            // Ratios are shown in percent with 1 decimal.
            Unit::Ratio => 1,
            _ => decimals(unit, m / div, style),
        };
        let scaled: Vec<f64> = values.iter().map(|v| v / div).collect();
        let mut d = base;
        if unit != Unit::Bool {
            while d < base + 2 {
                let vanishes = scaled.iter().any(|&v| v != 0.0 && rounded(v, d) == 0.0);
                let merges = match scaled.as_slice() {
                    [a, b] => {
                        let big = a.abs().max(b.abs());
                        big > 0.0
                            && (a - b).abs() / big >= 0.005
                            && rounded(*a, d) == rounded(*b, d)
                    }
                    _ => false,
                };
                if !(vanishes || merges) {
                    break;
                }
                d += 1;
            }
        }
        let decimals = scaled.iter().map(|&v| needed(v, d)).max().unwrap_or(0);
        Self {
            unit,
            div,
            ja,
            en,
            decimals,
        }
    }

    /// Returns `value` as printed, in the metric's base unit.
    pub(crate) fn shown(&self, value: f64) -> f64 {
        if self.unit == Unit::Bool {
            return value;
        }
        rounded(value / self.div, self.decimals) * self.div
    }

    /// Returns the number of `value` in the row's scale and precision, without a unit
    /// (`7.0`, `22,508`, `45.6` for a ratio of 0.456); `—` when missing.
    pub(crate) fn bare(&self, value: Option<f64>) -> String {
        value
            .filter(|v| v.is_finite())
            .map_or_else(|| "—".to_owned(), |v| fixed(v / self.div, self.decimals))
    }

    /// Returns the unit the row's bare numbers are in (`日`, `時間`, `人`, `%`), for writing it
    /// once after a range (`7.1→7.0 日`); empty for plain counts.
    pub(crate) fn unit_text(&self) -> Text {
        match self.unit {
            Unit::Minutes => Text::new(self.ja, self.en.trim_start()),
            Unit::Hours => Text::new("時間", "h"),
            Unit::Fte => Text::new("人", "FTE"),
            Unit::Ratio => Text::new("%", "%"),
            Unit::Count | Unit::PerYear | Unit::PerCase | Unit::Bool => Text::new("", ""),
        }
    }

    /// Returns a value for the table (`9`, `1.25`, `45.6%`, `1.5時間`, `22,508 時間`, `はい`);
    /// `—` when missing.
    pub(crate) fn value(&self, value: Option<f64>) -> Text {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return Text::new("—", "—");
        };
        self.with_unit(&fixed(v / self.div, self.decimals), v)
    }

    /// Returns `number` (already in the row's scale) followed by the row's unit as the table
    /// writes it.
    fn with_unit(&self, number: &str, value: f64) -> Text {
        match self.unit {
            Unit::Count | Unit::PerYear | Unit::PerCase => Text::new(number, number),
            Unit::Fte => Text::new(format!("{number} 人"), format!("{number} FTE")),
            Unit::Hours => Text::new(format!("{number} 時間"), format!("{number} h")),
            Unit::Minutes => Text::new(
                format!("{number}{}", self.ja),
                format!("{number}{}", self.en),
            ),
            Unit::Ratio => Text::new(format!("{number}%"), format!("{number}%")),
            Unit::Bool => {
                if value > 0.5 {
                    Text::new("はい", "yes")
                } else {
                    Text::new("いいえ", "no")
                }
            }
        }
    }

    /// Returns the change between the printed values (To-Be − As-Is) in the base unit, so that
    /// the change column always equals the difference of the two value columns; `None` when a
    /// side is missing.
    pub(crate) fn change(&self, as_is: Option<f64>, to_be: Option<f64>) -> Option<f64> {
        let (a, b) = (as_is?, to_be?);
        if !(a.is_finite() && b.is_finite()) {
            return None;
        }
        if self.unit == Unit::Bool {
            return Some(b - a);
        }
        // Differences of rounded floats carry noise below the shown precision (0.3 − 0.1).
        let c = rounded(
            self.shown(b) / self.div - self.shown(a) / self.div,
            self.decimals,
        );
        Some(c * self.div)
    }

    /// Returns a signed change with a true minus sign in the row's scale and precision (`−2`,
    /// `+0.9 pt`, `−0.1日`, `±0`); `—` when not comparable or for yes/no values.
    pub(crate) fn change_text(&self, as_is: Option<f64>, to_be: Option<f64>) -> Text {
        let Some(c) = self.change(as_is, to_be) else {
            return Text::new("—", "—");
        };
        if self.unit == Unit::Bool {
            // The value columns already say yes/no; a signed "yes" reads oddly.
            return Text::new("—", "—");
        }
        if c == 0.0 {
            return Text::new("±0", "±0");
        }
        let sign = if c < 0.0 { "−" } else { "+" };
        let n = fixed(c.abs() / self.div, self.decimals);
        let body = if self.unit == Unit::Ratio {
            Text::new(format!("{n}ポイント"), format!("{n} pt"))
        } else {
            self.with_unit(&n, c.abs())
        };
        Text::new(format!("{sign}{}", body.ja), format!("{sign}{}", body.en))
    }
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

    fn row(unit: Unit, a: f64, b: f64, style: Style) -> Row {
        Row::new(unit, Some(a), Some(b), style)
    }

    #[test]
    fn hours_from_100_are_integers() {
        let r = row(Unit::Hours, 22_508.2, 10_579.4, Style::Table);
        let t = r.value(Some(22_508.2));
        assert_eq!((t.ja.as_str(), t.en.as_str()), ("22,508 時間", "22,508 h"));
        let r = row(Unit::Hours, 80.44, 31.3, Style::Table);
        assert_eq!(r.value(Some(80.44)).ja, "80.4 時間");
        // The row's magnitude decides: a row 120 → 45.5 is shown in integers throughout.
        let r = row(Unit::Hours, 120.0, 45.5, Style::Table);
        assert_eq!(r.value(Some(45.5)).en, "46 h");
    }

    #[test]
    fn both_sides_of_a_row_have_the_same_precision() {
        // 7.1 days against 7.0 days used to read 7.1日→7日.
        let r = row(Unit::Minutes, 7.1 * DAY, 7.0 * DAY, Style::Summary);
        assert_eq!(
            (r.bare(Some(7.1 * DAY)), r.bare(Some(7.0 * DAY))),
            ("7.1".to_owned(), "7.0".to_owned())
        );
        assert_eq!(r.unit_text().ja, "日");
        let r = row(Unit::PerCase, 4.8, 1.0, Style::Summary);
        assert_eq!(
            (r.bare(Some(4.8)), r.bare(Some(1.0))),
            ("4.8".into(), "1.0".into())
        );
        let r = row(Unit::PerCase, 0.95, 0.5, Style::Summary);
        assert_eq!(r.bare(Some(0.5)), "0.50");
        // Integers stay integers (来庁 2→0, not 2.0→0.0); an exact zero is always `0`.
        let r = row(Unit::PerCase, 2.9, 0.0, Style::Summary);
        assert_eq!(r.bare(Some(0.0)), "0");
        let r = row(Unit::PerCase, 2.0, 0.0, Style::Summary);
        assert_eq!(
            (r.bare(Some(2.0)), r.bare(Some(0.0))),
            ("2".into(), "0".into())
        );
        // The table's change has the row's precision too.
        let r = row(Unit::PerCase, 2.854, 1.846, Style::Table);
        assert_eq!(r.change_text(Some(2.854), Some(1.846)).ja, "−1.00");
        let r = row(Unit::Fte, 0.93, 0.6, Style::Table);
        assert_eq!(r.value(Some(0.6)).ja, "0.60 人");
    }

    #[test]
    fn a_duration_row_has_one_scale() {
        // 3.8 days against 18.8 hours: both in days.
        let (a, b) = (3.8 * DAY, 18.8 * HOUR);
        let r = row(Unit::Minutes, a, b, Style::Summary);
        assert_eq!(
            (r.bare(Some(a)), r.bare(Some(b))),
            ("3.8".into(), "0.8".into())
        );
        // 1 day against 27 minutes: hours, so the small side keeps a digit (not 1.0→0.0 日).
        let (a, b) = (DAY, 27.4);
        let r = row(Unit::Minutes, a, b, Style::Summary);
        assert_eq!(
            (r.bare(Some(a)), r.bare(Some(b))),
            ("24.0".into(), "0.5".into())
        );
        assert_eq!(r.unit_text().en, "h");
        // 10 days against 2 minutes: minutes at last, as integers from 100 up.
        let (a, b) = (10.0 * DAY, 2.0);
        let r = row(Unit::Minutes, a, b, Style::Summary);
        assert_eq!(
            (r.bare(Some(a)), r.bare(Some(b))),
            ("14,400".into(), "2".into())
        );
        // 5 hours against 2.4 minutes: minutes (300→2), not 5.0→0.0 時間.
        let (a, b) = (5.0 * HOUR, 2.4);
        let r = row(Unit::Minutes, a, b, Style::Summary);
        assert_eq!(
            (r.bare(Some(a)), r.bare(Some(b))),
            ("300".into(), "2".into())
        );
        // 2 days against 1.98 days (−1%) do not print alike.
        let (a, b) = (2.0 * DAY, 1.98 * DAY);
        let r = row(Unit::Minutes, a, b, Style::Summary);
        assert_eq!(
            (r.bare(Some(a)), r.bare(Some(b))),
            ("2.00".into(), "1.98".into())
        );
        // The change is in the row's scale: −0.1日, not −2.4時間.
        let r = row(Unit::Minutes, 7.1 * DAY, 7.0 * DAY, Style::Table);
        assert_eq!(r.change_text(Some(7.1 * DAY), Some(7.0 * DAY)).ja, "−0.1日");
        assert_eq!(r.value(Some(7.0 * DAY)).en, "7.0 d");
        let r = row(Unit::Minutes, 71.6, 41.0, Style::Table);
        assert_eq!(r.value(Some(41.0)).ja, "41.0分");
        let r = row(Unit::Minutes, 4.0 * HOUR, 30.0, Style::Table);
        assert_eq!(r.value(Some(30.0)).en, "0.5 h");
    }

    #[test]
    fn change_is_the_difference_of_the_shown_values() {
        // 0.0419 → 0.0163 used to read 0.04 → 0.02 with a change of −0.03.
        let (a, b) = (80.4 / 1920.0, 31.3 / 1920.0);
        let r = row(Unit::Fte, a, b, Style::Table);
        assert_eq!(r.value(Some(a)).en, "0.042 FTE");
        assert_eq!(r.value(Some(b)).en, "0.016 FTE");
        assert_eq!(r.change_text(Some(a), Some(b)).en, "−0.026 FTE");
        // The summary shows 2.9 → 1.8, so its change is −1.1.
        let r = row(Unit::PerCase, 2.854, 1.846, Style::Summary);
        assert_eq!(r.change_text(Some(2.854), Some(1.846)).ja, "−1.1");
    }

    #[test]
    fn summary_per_case_has_one_decimal_unless_small() {
        assert_eq!(
            row(Unit::PerCase, 6.333, 2.0, Style::Summary).bare(Some(6.333)),
            "6.3"
        );
        assert_eq!(
            row(Unit::PerCase, 0.333, 0.5, Style::Summary).bare(Some(0.333)),
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
        let r = row(Unit::Minutes, 8.4 * DAY, DAY, Style::Table);
        assert_eq!(r.change_text(Some(8.4 * DAY), Some(DAY)).ja, "−7.4日");
    }

    #[test]
    fn ratios_and_booleans() {
        let r = row(Unit::Ratio, 0.456, 0.5, Style::Table);
        assert_eq!(r.value(Some(0.456)).ja, "45.6%");
        assert_eq!(r.value(Some(0.5)).ja, "50.0%");
        let r = row(Unit::Ratio, 0.004, 0.013, Style::Table);
        assert_eq!(r.change_text(Some(0.004), Some(0.013)).en, "+0.9 pt");
        let r = row(Unit::Bool, 0.0, 1.0, Style::Table);
        assert_eq!(r.value(Some(1.0)).en, "yes");
        assert_eq!(r.change_text(Some(0.0), Some(1.0)).en, "—");
        let r = Row::new(Unit::Count, None, None, Style::Table);
        assert_eq!(r.value(None).en, "—");
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
