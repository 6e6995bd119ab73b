//! Metric deltas between two analyses and the one-line summary.

use nagare_graph::{Better, MetricRow, Unit};
use nagare_syntax::Text;

use crate::classify::minutes_text;
use crate::types::{ChangeClass, MetricDelta, StepChange, Structural};

/// Values closer than this are equal: metrics are sums of floats.
const EPSILON: f64 = 1e-9;

/// Returns the delta of every metric present in either list, matched by key, in the As-Is rows'
/// order followed by rows only the To-Be has (e.g. annual rows when only it has a volume).
#[must_use]
pub fn metric_deltas(as_is: &[MetricRow], to_be: &[MetricRow]) -> Vec<MetricDelta> {
    let mut out: Vec<MetricDelta> = as_is
        .iter()
        .map(|r| {
            let other = to_be.iter().find(|t| t.key == r.key).map(|t| t.value);
            delta(r, Some(r.value), other)
        })
        .collect();
    out.extend(
        to_be
            .iter()
            .filter(|t| !as_is.iter().any(|r| r.key == t.key))
            .map(|t| delta(t, None, Some(t.value))),
    );
    out
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

fn delta(row: &MetricRow, as_is: Option<f64>, to_be: Option<f64>) -> MetricDelta {
    let (as_is, to_be) = (finite(as_is), finite(to_be));
    let change = as_is.zip(to_be).map(|(a, b)| b - a);
    let percent = match (as_is, change) {
        // A percentage of a yes/no value means nothing.
        _ if row.unit == Unit::Bool => None,
        (Some(a), Some(c)) if a.abs() > EPSILON => Some(c / a * 100.0),
        (Some(_), Some(c)) if c.abs() <= EPSILON => Some(0.0),
        // From zero: "new", never infinity.
        _ => None,
    };
    let improved = change
        .filter(|c| c.abs() > EPSILON)
        .and_then(|c| match row.better {
            Better::Lower => Some(c < 0.0),
            Better::Higher => Some(c > 0.0),
            Better::Neutral => None,
        });
    MetricDelta {
        key: row.key.to_owned(),
        label: row.label.clone(),
        unit: row.unit,
        as_is,
        to_be,
        change,
        percent,
        better: row.better,
        improved,
    }
}

/// Returns `x` with at most `decimals` decimals, trailing zeros trimmed (`4`, `1.25`).
pub(crate) fn trim_number(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// Returns a metric value for the summary and table (`9`, `1.25`, `45%`, `1.5時間`, `はい`).
pub(crate) fn value_text(unit: Unit, value: Option<f64>) -> Text {
    let Some(v) = value else {
        return Text::new("—", "—");
    };
    match unit {
        Unit::Count | Unit::PerYear => {
            let s = trim_number(v, 1);
            Text::new(s.clone(), s)
        }
        Unit::PerCase | Unit::Fte => {
            let s = trim_number(v, 2);
            Text::new(s.clone(), s)
        }
        Unit::Hours => {
            let s = trim_number(v, 1);
            Text::new(format!("{s}時間"), format!("{s} h"))
        }
        Unit::Minutes => minutes_text(Some(v)),
        Unit::Ratio => {
            let s = trim_number(v * 100.0, 1);
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

/// Returns a signed percentage with a true minus sign (`−56%`, `+12%`).
pub(crate) fn percent_text(percent: Option<f64>) -> Option<String> {
    let p = percent?;
    let rounded = p.round();
    Some(if rounded < 0.0 {
        format!("−{}%", trim_number(-rounded, 0))
    } else if rounded > 0.0 {
        format!("+{}%", trim_number(rounded, 0))
    } else {
        "±0%".to_owned()
    })
}

/// The headline metrics of the summary, in order of preference: short names, and whether the
/// percentage is shown (for the first and the staff-hours item, as a BPR report would).
const HEADLINES: [(&str, &str, &str); 8] = [
    ("handoffs.structural", "引継ぎ", "handoffs"),
    ("paper_touchpoints.structural", "紙", "paper"),
    ("visits.expected", "来庁", "visits"),
    ("transcriptions.structural", "転記", "re-keying"),
    ("seals.structural", "押印", "seals"),
    ("staff_hours_per_year", "業務量", "staff workload"),
    ("lead_time_minutes", "リードタイム", "lead time"),
    ("steps.structural", "工程", "steps"),
];

/// How many headline metrics the summary names at most.
const HEADLINE_LIMIT: usize = 5;

/// Returns the one-line summary: the headline metrics that changed (`引継ぎ 9→4 (−56%)・紙 7→1・
/// 来庁 2→0・業務量 820→310 時間/年`), else the step counts of the change list.
#[must_use]
pub fn summary(deltas: &[MetricDelta], structural: &Structural, changes: &[StepChange]) -> Text {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    for (key, short_ja, short_en) in HEADLINES {
        if ja.len() == HEADLINE_LIMIT {
            break;
        }
        let Some(d) = deltas.iter().find(|d| d.key == key) else {
            continue;
        };
        if d.change.is_none_or(|c| c.abs() <= EPSILON) {
            continue;
        }
        let (a, b) = (value_text(d.unit, d.as_is), value_text(d.unit, d.to_be));
        let pct = if ja.is_empty() || key == "staff_hours_per_year" {
            percent_text(d.percent)
        } else {
            None
        };
        let pct_part = pct.map_or_else(String::new, |p| format!(" ({p})"));
        if d.unit == Unit::Hours && key == "staff_hours_per_year" {
            let (x, y) = (
                trim_number(d.as_is.unwrap_or(0.0), 0),
                trim_number(d.to_be.unwrap_or(0.0), 0),
            );
            ja.push(format!("{short_ja} {x}→{y} 時間/年{pct_part}"));
            en.push(format!("{short_en} {x}→{y} h/yr{pct_part}"));
        } else {
            ja.push(format!("{short_ja} {}→{}{pct_part}", a.ja, b.ja));
            en.push(format!("{short_en} {}→{}{pct_part}", a.en, b.en));
        }
    }
    if deltas.is_empty() {
        // No analysis available: the structural counts stand in for the metrics.
        if structural.handoffs_as_is != structural.handoffs_to_be {
            ja.push(format!(
                "引継ぎ {}→{}",
                structural.handoffs_as_is, structural.handoffs_to_be
            ));
            en.push(format!(
                "handoffs {}→{}",
                structural.handoffs_as_is, structural.handoffs_to_be
            ));
        }
        if !structural.visits_removed.is_empty() {
            ja.push(format!("来庁工程 −{}", structural.visits_removed.len()));
            en.push(format!("visit steps −{}", structural.visits_removed.len()));
        }
    }
    let count = |class: ChangeClass| changes.iter().filter(|c| c.has(class)).count();
    let changed = changes
        .iter()
        .filter(|c| c.classes.iter().any(|k| k.is_substantive()))
        .count();
    let (removed, added) = (count(ChangeClass::Removed), count(ChangeClass::Added));
    if ja.is_empty() && changed + removed + added == 0 {
        return Text::new("変更なし", "no changes");
    }
    if ja.len() < 2 || deltas.is_empty() {
        ja.push(format!("工程 変更{changed}・削除{removed}・追加{added}"));
        en.push(format!(
            "steps: {changed} changed, {removed} removed, {added} added"
        ));
    }
    Text::new(ja.join("・"), en.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &'static str, unit: Unit, value: f64, better: Better) -> MetricRow {
        MetricRow {
            key,
            label: Text::new(key, key),
            unit,
            value,
            better,
        }
    }

    #[test]
    fn percent_is_none_from_zero_and_zero_for_zero_to_zero() {
        let a = [
            row("x", Unit::Count, 0.0, Better::Lower),
            row("y", Unit::Count, 0.0, Better::Lower),
        ];
        let b = [
            row("x", Unit::Count, 3.0, Better::Lower),
            row("y", Unit::Count, 0.0, Better::Lower),
        ];
        let d = metric_deltas(&a, &b);
        assert_eq!(d[0].percent, None);
        assert_eq!(d[0].change, Some(3.0));
        assert_eq!(d[0].improved, Some(false));
        assert_eq!(d[1].percent, Some(0.0));
        assert_eq!(d[1].improved, None);
    }

    #[test]
    fn rows_missing_on_one_side_have_no_change() {
        let a = [row("x", Unit::Hours, 10.0, Better::Lower)];
        let b = [row("z", Unit::Hours, 5.0, Better::Lower)];
        let d = metric_deltas(&a, &b);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].as_is, d[0].to_be, d[0].change),
            (Some(10.0), None, None)
        );
        assert_eq!(
            (d[1].key.as_str(), d[1].as_is, d[1].to_be),
            ("z", None, Some(5.0))
        );
    }

    #[test]
    fn non_finite_values_are_dropped() {
        let a = [row("x", Unit::Minutes, f64::NAN, Better::Lower)];
        let b = [row("x", Unit::Minutes, 5.0, Better::Lower)];
        let d = metric_deltas(&a, &b);
        assert_eq!((d[0].as_is, d[0].change, d[0].percent), (None, None, None));
    }

    #[test]
    fn summary_names_changed_headlines_in_order() {
        let a = [
            row("handoffs.structural", Unit::Count, 9.0, Better::Lower),
            row(
                "paper_touchpoints.structural",
                Unit::Count,
                7.0,
                Better::Lower,
            ),
            row("visits.expected", Unit::PerCase, 2.0, Better::Lower),
            row("seals.structural", Unit::Count, 1.0, Better::Lower),
            row("staff_hours_per_year", Unit::Hours, 820.0, Better::Lower),
        ];
        let b = [
            row("handoffs.structural", Unit::Count, 4.0, Better::Lower),
            row(
                "paper_touchpoints.structural",
                Unit::Count,
                1.0,
                Better::Lower,
            ),
            row("visits.expected", Unit::PerCase, 0.0, Better::Lower),
            row("seals.structural", Unit::Count, 1.0, Better::Lower),
            row("staff_hours_per_year", Unit::Hours, 310.0, Better::Lower),
        ];
        let s = summary(&metric_deltas(&a, &b), &Structural::default(), &[]);
        assert_eq!(
            s.ja,
            "引継ぎ 9→4 (−56%)・紙 7→1・来庁 2→0・業務量 820→310 時間/年 (−62%)"
        );
        assert_eq!(
            s.en,
            "handoffs 9→4 (−56%), paper 7→1, visits 2→0, staff workload 820→310 h/yr (−62%)"
        );
    }

    #[test]
    fn value_text_formats_units() {
        assert_eq!(value_text(Unit::Ratio, Some(0.456)).ja, "45.6%");
        assert_eq!(value_text(Unit::Minutes, Some(90.0)).ja, "1.5時間");
        assert_eq!(value_text(Unit::Bool, Some(1.0)).en, "yes");
        assert_eq!(value_text(Unit::PerCase, Some(1.0 / 3.0)).en, "0.33");
        assert_eq!(value_text(Unit::Count, None).en, "—");
    }
}
