//! Presentation of a diff: the plain-text report and the CSS classes the diagrams highlight.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use nagare_graph::Unit;
use nagare_syntax::Lang;
use unicode_width::UnicodeWidthStr;

use crate::classify::minutes_text;
use crate::delta::{percent_text, trim_number, value_text};
use crate::types::{ChangeClass, Diff, MetricDelta, StepChange};

/// Returns per step key the CSS classes of the As-Is diagram and of the To-Be diagram.
///
/// Removed steps get `diff-removed`, added ones `diff-added`, matched steps with a substantive
/// change `diff-changed` plus one class per change class (`diff-moved`, `diff-merged`…) on both
/// sides; a mere rewording gets only `diff-relabelled`. Unchanged steps are absent.
#[must_use]
pub fn highlights(diff: &Diff) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>) {
    let mut as_is: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut to_be: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for change in &diff.changes {
        if change.has(ChangeClass::Unchanged) {
            continue;
        }
        let mut classes: Vec<String> = Vec::new();
        if change.classes.iter().any(|c| c.is_substantive()) {
            classes.push("diff-changed".to_owned());
        }
        classes.extend(change.classes.iter().map(|c| c.css()));
        for s in &change.as_is {
            as_is
                .entry(s.key.clone())
                .or_default()
                .extend(classes.iter().cloned());
        }
        for s in &change.to_be {
            to_be
                .entry(s.key.clone())
                .or_default()
                .extend(classes.iter().cloned());
        }
    }
    (as_is, to_be)
}

/// Returns `s` padded with spaces to `width` display columns (CJK characters count two).
fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

fn change_text(d: &MetricDelta, lang: Lang) -> String {
    let Some(c) = d.change else {
        return "—".to_owned();
    };
    if c.abs() < 1e-9 {
        return "±0".to_owned();
    }
    if d.unit == Unit::Bool {
        // The value columns already say yes/no; a signed "yes" reads oddly.
        return "—".to_owned();
    }
    let sign = if c < 0.0 { "−" } else { "+" };
    let magnitude = match d.unit {
        Unit::Ratio => match lang {
            Lang::Ja => format!("{}ポイント", trim_number(c.abs() * 100.0, 1)),
            Lang::En => format!("{} pt", trim_number(c.abs() * 100.0, 1)),
        },
        Unit::Minutes => minutes_text(Some(c.abs())).get(lang).to_owned(),
        unit => value_text(unit, Some(c.abs())).get(lang).to_owned(),
    };
    format!("{sign}{magnitude}")
}

fn percent_cell(d: &MetricDelta, lang: Lang) -> String {
    match (percent_text(d.percent), d.as_is, d.to_be) {
        (Some(p), _, _) => p,
        (None, Some(a), Some(b)) if a.abs() < 1e-9 && b.abs() > 1e-9 && d.unit != Unit::Bool => {
            match lang {
                Lang::Ja => "新規".to_owned(),
                Lang::En => "new".to_owned(),
            }
        }
        _ => "—".to_owned(),
    }
}

fn table(rows: &[Vec<String>], right: &[bool]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| pad(s, widths[c], right.get(c).copied().unwrap_or(false)))
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn steps_text(change: &StepChange) -> String {
    let side = |steps: &[crate::types::StepRef]| {
        steps
            .iter()
            .map(|s| format!("{} {}: {}", s.key, s.actor, s.label))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    match (change.as_is.is_empty(), change.to_be.is_empty()) {
        (false, true) => side(&change.as_is),
        (true, false) => side(&change.to_be),
        _ => format!("{}  →  {}", side(&change.as_is), side(&change.to_be)),
    }
}

/// Returns the plain-text report: summary and similarity, the table of the metrics that changed
/// (aligned columns), the step changes and the structural changes.
#[must_use]
pub fn format_report(diff: &Diff, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let t = |j: &'static str, e: &'static str| if ja { j } else { e };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) → {} ({})",
        diff.as_is.name, diff.as_is.variant, diff.to_be.name, diff.to_be.variant
    );
    let _ = writeln!(out, "{}: {}", t("要約", "Summary"), diff.summary.get(lang));
    let _ = writeln!(out, "{}: {:.2}", t("類似度", "Similarity"), diff.similarity);

    if !diff.metric_deltas.is_empty() {
        let _ = writeln!(out, "\n{}", t("指標", "Metrics"));
        let mut rows = vec![vec![
            t("指標", "metric").to_owned(),
            "As-Is".to_owned(),
            "To-Be".to_owned(),
            t("増減", "change").to_owned(),
            "%".to_owned(),
            String::new(),
        ]];
        // Unchanged metrics are counted, not listed: the meeting wants what moves (JSON has all).
        let moved = |d: &&MetricDelta| {
            d.as_is.is_none() != d.to_be.is_none() || d.change.is_some_and(|c| c.abs() > 1e-9)
        };
        let unchanged = diff.metric_deltas.len() - diff.metric_deltas.iter().filter(moved).count();
        for d in diff.metric_deltas.iter().filter(moved) {
            let verdict = match d.improved {
                Some(true) => t("改善", "better"),
                Some(false) => t("悪化", "worse"),
                None => "",
            };
            rows.push(vec![
                d.label.get(lang).to_owned(),
                value_text(d.unit, d.as_is).get(lang).to_owned(),
                value_text(d.unit, d.to_be).get(lang).to_owned(),
                change_text(d, lang),
                percent_cell(d, lang),
                verdict.to_owned(),
            ]);
        }
        out.push_str(&table(&rows, &[false, true, true, true, true, false]));
        if unchanged > 0 {
            let _ = writeln!(
                out,
                "  {}",
                if ja {
                    format!("（変化のない指標 {unchanged} 件は省略）")
                } else {
                    format!("({unchanged} unchanged metrics not shown)")
                }
            );
        }
    }

    let _ = writeln!(out, "\n{}", t("工程の変化", "Step changes"));
    for change in &diff.changes {
        let classes: Vec<String> = change
            .classes
            .iter()
            .map(|c| c.label().get(lang).to_owned())
            .collect();
        let _ = writeln!(
            out,
            "  [{}] {}",
            classes.join(if ja { "・" } else { ", " }),
            steps_text(change)
        );
        if !change.has(ChangeClass::Unchanged) && !change.has(ChangeClass::Added) {
            let _ = writeln!(out, "      {}", change.detail.get(lang));
        }
    }

    let s = &diff.structural;
    let _ = writeln!(out, "\n{}", t("構造の変化", "Structural changes"));
    let _ = writeln!(
        out,
        "  {} {}→{}",
        t("引継ぎ", "handoffs"),
        s.handoffs_as_is,
        s.handoffs_to_be
    );
    for h in &s.handoffs {
        let _ = writeln!(out, "    {} → {}: {}→{}", h.from, h.to, h.as_is, h.to_be);
    }
    let lists = [
        (t("来庁がなくなる工程", "visits removed"), &s.visits_removed),
        (t("来庁が増える工程", "visits added"), &s.visits_added),
        (t("なくなる担当", "lanes removed"), &s.lanes_removed),
        (t("増える担当", "lanes added"), &s.lanes_added),
    ];
    for (name, list) in lists {
        if !list.is_empty() {
            let _ = writeln!(out, "  {name}: {}", list.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "  {}: {}/{}",
        t("維持された接続", "edges kept"),
        s.edges_kept,
        s.edges_as_is
    );
    if !diff.diagnostics.is_empty() {
        let _ = writeln!(out, "\n{}", t("注意", "Warnings"));
        for d in &diff.diagnostics {
            let _ = writeln!(out, "  {} {}", d.code, d.message.get(lang));
        }
    }
    out
}
