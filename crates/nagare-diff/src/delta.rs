//! Metric deltas between two analyses and the one-line summary.

use nagare_graph::{Better, MetricRow, Unit};
use nagare_syntax::Text;

use crate::number::{self, Row, Style};
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

/// The headline metrics of the summary line, in their fixed order: metric key, short Japanese and
/// English name, and whether the percentage is shown. The percentage is given for the three
/// quantities a BPR meeting quotes as ratios (handoffs, workload, lead time); the small counts
/// (paper, visits, seals, re-keying) read better as `7→1`.
///
/// Handoffs are the expected handoffs *between people* per case: a handoff to or from a system or
/// RPA is not the waiting and re-explaining that BPR removes, and counting it would show most
/// To-Be flows as worse. Re-keying likewise counts transcriptions by people per case; paper is the
/// number of paper touchpoints; visits are the expected office visits per case.
const HEADLINES: [(&str, &str, &str, bool); 7] = [
    (
        "handoffs.between_people.expected",
        "引継ぎ",
        "handoffs",
        true,
    ),
    ("paper_touchpoints.structural", "紙", "paper", false),
    ("visits.expected", "来庁", "visits", false),
    ("seals.structural", "押印", "seals", false),
    (
        "transcriptions.by_people.expected",
        "転記",
        "re-keying",
        false,
    ),
    ("staff_hours_per_year", "業務量", "staff workload", true),
    ("lead_time_minutes", "リードタイム", "lead time", true),
];

/// The metric keys of the summary line's headline figures, in the order they are shown.
pub const SUMMARY_METRICS: [&str; 7] = [
    HEADLINES[0].0,
    HEADLINES[1].0,
    HEADLINES[2].0,
    HEADLINES[3].0,
    HEADLINES[4].0,
    HEADLINES[5].0,
    HEADLINES[6].0,
];

/// Returns one headline figure (`引継ぎ 6.3→2.1 (−67%)`, `業務量 820→310 時間/年 (−62%)`,
/// `リードタイム 7.1→7.0 日`), or `None` when the metric is missing in both models or unchanged
/// and zero in both. Both sides have the same precision and a unit is written once, after the
/// range. The flag says whether the shown values differ.
fn headline(d: &MetricDelta, short: (&str, &str), with_percent: bool) -> Option<(Text, bool)> {
    if d.as_is.is_none() && d.to_be.is_none() {
        return None;
    }
    let row = Row::new(d.unit, d.as_is, d.to_be, Style::Summary);
    let changed = match row.change(d.as_is, d.to_be) {
        Some(c) => c != 0.0,
        // Known on one side only: that is a change worth naming.
        None => true,
    };
    let zero = |v: Option<f64>| v.is_none_or(|x| row.shown(x) == 0.0);
    if !changed && zero(d.as_is) && zero(d.to_be) {
        return None;
    }
    let pct = if with_percent {
        number::percent_text(d.percent).map_or_else(String::new, |p| format!(" ({p})"))
    } else {
        String::new()
    };
    let (a, b) = (row.bare(d.as_is), row.bare(d.to_be));
    let unit = row.unit_text();
    // Staff hours are per year: `業務量 820→310 時間/年`.
    let per_year = d.unit == Unit::Hours;
    let suffix = |u: &str, year: &str| match (u.is_empty(), per_year) {
        (true, _) => String::new(),
        (false, true) => format!(" {u}{year}"),
        (false, false) => format!(" {u}"),
    };
    Some((
        Text::new(
            format!("{} {a}→{b}{}{pct}", short.0, suffix(&unit.ja, "/年")),
            format!("{} {a}→{b}{}{pct}", short.1, suffix(&unit.en, "/yr")),
        ),
        changed,
    ))
}

/// Returns the one-line summary: the headline metrics of [`SUMMARY_METRICS`] in their fixed order
/// (`引継ぎ 9→4 (−56%)・紙 7→1・来庁 2→0・業務量 820→310 時間/年 (−62%)`), each shown when it
/// exists in either model unless it is zero and unchanged in both; the step counts of the change
/// list are added when fewer than two figures are shown. Without metric deltas (see
/// [`crate::diff_models`]) the structural handoffs and visits stand in. `変更なし` / `no changes`
/// when neither a figure nor a step changed.
#[must_use]
pub fn summary(deltas: &[MetricDelta], structural: &Structural, changes: &[StepChange]) -> Text {
    let mut ja = Vec::new();
    let mut en = Vec::new();
    let mut any_changed = false;
    for (key, short_ja, short_en, with_percent) in HEADLINES {
        let Some(d) = deltas.iter().find(|d| d.key == key) else {
            continue;
        };
        if let Some((text, changed)) = headline(d, (short_ja, short_en), with_percent) {
            any_changed |= changed;
            ja.push(text.ja);
            en.push(text.en);
        }
    }
    if deltas.is_empty() {
        // No analysis available: the structural counts stand in for the metrics.
        if structural.handoffs_as_is != structural.handoffs_to_be {
            any_changed = true;
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
            any_changed = true;
            ja.push(format!("来庁工程 −{}", structural.visits_removed.len()));
            en.push(format!("visit steps −{}", structural.visits_removed.len()));
        }
    }
    let count = |class: ChangeClass| changes.iter().filter(|c| c.has(class)).count();
    // A rewording is a change too: "no changes" over a relabelled step would mislead.
    let changed = changes
        .iter()
        .filter(|c| {
            c.classes
                .iter()
                .any(|k| k.is_substantive() || *k == ChangeClass::Relabelled)
        })
        .count();
    let (removed, added) = (count(ChangeClass::Removed), count(ChangeClass::Added));
    if !any_changed && changed + removed + added == 0 {
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

    /// The DOMAIN.md §5 example, with the headline keys the summary reads.
    fn example() -> (Vec<MetricRow>, Vec<MetricRow>) {
        let side = |h: f64, p: f64, v: f64, s: f64, t: f64, hours: f64, lead: f64| {
            vec![
                row("handoffs.structural", Unit::Count, 12.0, Better::Lower),
                row(
                    "handoffs.between_people.expected",
                    Unit::PerCase,
                    h,
                    Better::Lower,
                ),
                row(
                    "paper_touchpoints.structural",
                    Unit::Count,
                    p,
                    Better::Lower,
                ),
                row("visits.expected", Unit::PerCase, v, Better::Lower),
                row(
                    "transcriptions.by_people.expected",
                    Unit::PerCase,
                    t,
                    Better::Lower,
                ),
                row("seals.structural", Unit::Count, s, Better::Lower),
                row("lead_time_minutes", Unit::Minutes, lead, Better::Lower),
                row("staff_hours_per_year", Unit::Hours, hours, Better::Lower),
            ]
        };
        (
            side(9.0, 7.0, 2.0, 1.0, 0.0, 820.0, 0.0),
            side(4.0, 1.0, 0.0, 1.0, 0.0, 310.0, 0.0),
        )
    }

    #[test]
    fn summary_names_headlines_in_fixed_order() {
        let (a, b) = example();
        let s = summary(&metric_deltas(&a, &b), &Structural::default(), &[]);
        // Seals are unchanged but not zero: shown. Re-keying and lead time are zero in both:
        // skipped. The structural handoffs (12 → 12) are not the headline.
        assert_eq!(
            s.ja,
            "引継ぎ 9→4 (−56%)・紙 7→1・来庁 2→0・押印 1→1・業務量 820→310 時間/年 (−62%)"
        );
        assert_eq!(
            s.en,
            "handoffs 9→4 (−56%), paper 7→1, visits 2→0, seals 1→1, staff workload 820→310 h/yr (−62%)"
        );
    }

    #[test]
    fn summary_formats_numbers_like_the_table() {
        let (mut a, mut b) = example();
        let set = |rows: &mut Vec<MetricRow>, key: &str, value: f64| {
            if let Some(r) = rows.iter_mut().find(|r| r.key == key) {
                r.value = value;
            }
        };
        set(&mut a, "handoffs.between_people.expected", 6.333);
        set(&mut b, "handoffs.between_people.expected", 2.056);
        set(&mut a, "staff_hours_per_year", 22_508.2);
        set(&mut b, "staff_hours_per_year", 10_579.4);
        set(&mut a, "lead_time_minutes", 8.4 * 1440.0);
        set(&mut b, "lead_time_minutes", 1440.0);
        set(&mut a, "transcriptions.by_people.expected", 2.85);
        let s = summary(&metric_deltas(&a, &b), &Structural::default(), &[]);
        assert_eq!(
            s.ja,
            "引継ぎ 6.3→2.1 (−68%)・紙 7→1・来庁 2→0・押印 1→1・転記 2.9→0・\
             業務量 22,508→10,579 時間/年 (−53%)・リードタイム 8.4→1.0 日 (−88%)"
        );
        assert_eq!(
            s.en,
            "handoffs 6.3→2.1 (−68%), paper 7→1, visits 2→0, seals 1→1, re-keying 2.9→0, \
             staff workload 22,508→10,579 h/yr (−53%), lead time 8.4→1.0 d (−88%)"
        );
    }

    #[test]
    fn summary_sides_share_precision_and_the_unit_is_written_once() {
        let (mut a, mut b) = example();
        let set = |rows: &mut Vec<MetricRow>, key: &str, value: f64| {
            if let Some(r) = rows.iter_mut().find(|r| r.key == key) {
                r.value = value;
            }
        };
        // The tennyu pair: 7.1 days against 7.0 days used to read `7.1日→7日`.
        set(&mut a, "lead_time_minutes", 10_234.6);
        set(&mut b, "lead_time_minutes", 10_123.1);
        set(&mut a, "handoffs.between_people.expected", 4.8);
        set(&mut b, "handoffs.between_people.expected", 1.0);
        let s = summary(&metric_deltas(&a, &b), &Structural::default(), &[]);
        assert!(s.ja.starts_with("引継ぎ 4.8→1.0 (−79%)"), "{}", s.ja);
        assert!(s.ja.ends_with("リードタイム 7.1→7.0 日 (−1%)"), "{}", s.ja);
        assert!(s.en.ends_with("lead time 7.1→7.0 d (−1%)"), "{}", s.en);
        assert_eq!(s.ja.matches("時間/年").count(), 1, "{}", s.ja);
    }

    #[test]
    fn summary_shows_a_metric_known_on_one_side_only() {
        let (a, mut b) = example();
        b.retain(|r| r.key != "staff_hours_per_year");
        let s = summary(&metric_deltas(&a, &b), &Structural::default(), &[]);
        assert!(s.ja.ends_with("業務量 820→— 時間/年"), "{}", s.ja);
    }

    #[test]
    fn identical_metrics_and_steps_are_no_changes() {
        let (a, _) = example();
        let s = summary(&metric_deltas(&a, &a), &Structural::default(), &[]);
        assert_eq!((s.ja.as_str(), s.en.as_str()), ("変更なし", "no changes"));
    }
}
