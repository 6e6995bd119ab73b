//! Presentation of a diff: the plain-text report and the CSS classes the diagrams highlight.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use nagare_graph::Unit;
use nagare_syntax::Lang;
use unicode_width::UnicodeWidthStr;

use crate::number::{self, Row, Style};
use crate::types::{ChangeClass, Diff, MetricDelta, StepChange};

/// What the plain-text report lists beyond the changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// List unchanged steps one by one under the step changes (default: only their count).
    pub all_steps: bool,
    /// List unchanged metrics in the metric table (default: only their count).
    pub all_metrics: bool,
}

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

fn percent_cell(d: &MetricDelta, lang: Lang) -> String {
    match (number::percent_text(d.percent), d.as_is, d.to_be) {
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

/// Returns true if the row's shown values differ (or one side is missing): a change below the
/// shown precision is not a change the meeting can see, so it is counted as unchanged.
fn visibly_changed(d: &MetricDelta) -> bool {
    if d.as_is.is_none() != d.to_be.is_none() {
        return true;
    }
    if d.unit == Unit::Bool {
        return d.change.is_some_and(|c| c.abs() > 1e-9);
    }
    Row::new(d.unit, d.as_is, d.to_be, Style::Table)
        .change(d.as_is, d.to_be)
        .is_some_and(|c| c != 0.0)
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

/// Returns the plain-text report with the default [`ReportOptions`]: unchanged steps and metrics
/// are counted, not listed.
#[must_use]
pub fn format_report(diff: &Diff, lang: Lang) -> String {
    format_report_with(diff, lang, ReportOptions::default())
}

/// Returns the note under the summary line that says what its figures count.
fn summary_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => {
            "（引継ぎ・転記は人が行うものの1件あたり回数、来庁は1件あたり、紙は紙接点の数、業務量は職員の年間時間）"
        }
        Lang::En => {
            "(handoffs and re-keying: by people, per case; visits: per case; paper: paper touchpoints; workload: staff hours per year)"
        }
    }
}

/// Returns the similarity line: a percentage and what it measures (see [`crate`]).
fn similarity_text(similarity: f64, lang: Lang) -> String {
    let pct = number::number((similarity * 100.0).clamp(0.0, 100.0), 0);
    match lang {
        Lang::Ja => format!(
            "類似度: {pct}%（変わらずに残った手順と接続の割合。100% = 同一、0% = 共通なし）"
        ),
        Lang::En => format!(
            "Similarity: {pct}% (share of steps and connections kept unchanged; 100% = identical, 0% = nothing in common)"
        ),
    }
}

/// Returns the plain-text report: summary and similarity, the table of the metrics that changed
/// (aligned columns; every value, change and percentage rounded by one formatter, the change
/// being the difference of the shown values), the step changes with a count of the unchanged
/// steps, the structural changes and the warnings with their hints.
#[must_use]
pub fn format_report_with(diff: &Diff, lang: Lang, options: ReportOptions) -> String {
    let ja = lang == Lang::Ja;
    let t = |j: &'static str, e: &'static str| if ja { j } else { e };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) → {} ({})",
        diff.as_is.name, diff.as_is.variant, diff.to_be.name, diff.to_be.variant
    );
    let _ = writeln!(out, "{}: {}", t("要約", "Summary"), diff.summary.get(lang));
    if !diff.metric_deltas.is_empty() {
        let _ = writeln!(out, "  {}", summary_note(lang));
    }
    let _ = writeln!(out, "{}", similarity_text(diff.similarity, lang));
    // Warnings come before the numbers they qualify (e.g. different volumes), not after them.
    if !diff.diagnostics.is_empty() {
        let _ = writeln!(out, "\n{}", t("注意", "Warnings"));
        for d in &diff.diagnostics {
            let _ = writeln!(out, "  {} {}", d.code, d.message.get(lang));
            for hint in &d.hints {
                let _ = writeln!(out, "      {}: {}", t("ヒント", "hint"), hint.get(lang));
            }
        }
    }

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
        let listed = |d: &&MetricDelta| options.all_metrics || visibly_changed(d);
        let unchanged = diff.metric_deltas.len() - diff.metric_deltas.iter().filter(listed).count();
        for d in diff.metric_deltas.iter().filter(listed) {
            let visible = visibly_changed(d);
            let verdict = match d.improved {
                Some(true) if visible => t("改善", "better"),
                Some(false) if visible => t("悪化", "worse"),
                _ => "",
            };
            let row = Row::new(d.unit, d.as_is, d.to_be, Style::Table);
            let value = |v| row.value(v).get(lang).to_owned();
            rows.push(vec![
                d.label.get(lang).to_owned(),
                value(d.as_is),
                value(d.to_be),
                row.change_text(d.as_is, d.to_be).get(lang).to_owned(),
                percent_cell(d, lang),
                verdict.to_owned(),
            ]);
        }
        // A table of nothing but its header says less than the count below it.
        if rows.len() > 1 {
            out.push_str(&table(&rows, &[false, true, true, true, true, false]));
        }
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
    let mut unchanged_steps = 0usize;
    for change in &diff.changes {
        let unchanged = change.has(ChangeClass::Unchanged);
        if unchanged && !options.all_steps {
            unchanged_steps += 1;
            continue;
        }
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
        if !unchanged && !change.has(ChangeClass::Added) {
            let _ = writeln!(out, "      {}", change.detail.get(lang));
        }
    }
    if unchanged_steps > 0 {
        let _ = writeln!(
            out,
            "  {}",
            if ja {
                format!("変更なし {unchanged_steps} 手順")
            } else if unchanged_steps == 1 {
                "1 step unchanged".to_owned()
            } else {
                format!("{unchanged_steps} steps unchanged")
            }
        );
    }

    let s = &diff.structural;
    let _ = writeln!(out, "\n{}", t("構造の変化", "Structural changes"));
    // Step-to-step handoffs of the diagram, including those to and from systems and RPA: not the
    // summary's handoffs between people, so the line says so.
    let _ = writeln!(
        out,
        "  {} {}→{}",
        t(
            "引継ぎ（図上の担当の切替え、システム・RPA を含む）",
            "handoffs (lane changes in the diagram, systems and RPA included)"
        ),
        number::number(f64_from(s.handoffs_as_is), 0),
        number::number(f64_from(s.handoffs_to_be), 0)
    );
    for h in &s.handoffs {
        let _ = writeln!(
            out,
            "    {} → {}: {}→{}",
            h.from,
            h.to,
            number::number(f64_from(h.as_is), 0),
            number::number(f64_from(h.to_be), 0)
        );
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
        number::number(f64_from(s.edges_kept), 0),
        number::number(f64_from(s.edges_as_is), 0)
    );
    out
}

#[allow(clippy::cast_precision_loss)] // step and edge counts are far below 2^52
fn f64_from(count: usize) -> f64 {
    count as f64
}
