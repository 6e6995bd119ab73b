//! The one place where the viewer calls the pipeline (compile, metrics, layout/SVG, diff,
//! candidates) through the `nagare` facade, and turns its results into plain data for pages and
//! downloads. Nothing here computes a metric, a layout or a diff itself: when a stage is not
//! available the result is `None`/empty and the page says so.

use std::collections::BTreeMap;

use nagare::model::Model;
use nagare::syntax::{Diagnostic, Text};
use nagare::{CompileOptions, compile};
use serde::Serialize;

/// Settings for every stage, from `nagare.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub table: toml::Table,
}

/// One metric value of one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    pub key: String,
    pub label: Text,
    pub unit: Text,
    pub value: f64,
    /// True when a smaller value is an improvement (handoffs, hours); false for ratios.
    pub lower_is_better: bool,
}

/// An improvement candidate found in one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Text,
    pub score: f64,
    pub hours_saved: Option<f64>,
    pub reasons: Vec<Text>,
    pub caveats: Vec<Text>,
    /// Step keys concerned (highlighted in the diagram).
    pub steps: Vec<String>,
}

/// Everything the viewer shows about one file, computed once per content change.
#[derive(Debug, Clone)]
pub struct FileOutput {
    pub model: Model,
    /// Diagnostics of every stage, in stage order.
    pub diagnostics: Vec<Diagnostic>,
    /// Metric rows; empty when the metrics stage is not available.
    pub metrics: Vec<Metric>,
    /// The swimlane diagram; `None` when the render stage is not available.
    pub svg: Option<String>,
    /// The actor-to-actor handoff map.
    pub handoff_svg: Option<String>,
    /// `None` when the candidates stage is not available (as opposed to "none found").
    pub candidates: Option<Vec<Finding>>,
}

/// How a step changed from As-Is to To-Be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    Removed,
    Added,
    Changed,
    Unchanged,
}

impl ChangeClass {
    /// Returns the i18n key of the class's short tag.
    #[must_use]
    pub fn tag_key(self) -> &'static str {
        match self {
            Self::Removed => "mark.removed",
            Self::Added => "mark.added",
            Self::Changed => "mark.changed",
            Self::Unchanged => "mark.unchanged",
        }
    }

    /// Returns the CSS class suffix (`diff-removed`…), the same names the render stage uses.
    #[must_use]
    pub fn css(self) -> &'static str {
        match self {
            Self::Removed => "removed",
            Self::Added => "added",
            Self::Changed => "changed",
            Self::Unchanged => "unchanged",
        }
    }

    /// Returns the icon drawn next to the tag, so marks never rely on colour alone.
    #[must_use]
    pub fn icon(self) -> &'static str {
        match self {
            Self::Removed => "−",
            Self::Added => "+",
            Self::Changed => "△",
            Self::Unchanged => "=",
        }
    }
}

/// One matched (or unmatched) group of steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub class: ChangeClass,
    pub from_keys: Vec<String>,
    pub to_keys: Vec<String>,
    /// What changed ("紙 → 電子", "担当: 窓口 → RPA"…), in both languages.
    pub details: Vec<Text>,
}

/// One metric's As-Is and To-Be values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub key: String,
    pub label: Text,
    pub unit: Text,
    pub from: f64,
    pub to: f64,
    pub lower_is_better: bool,
}

/// The comparison of two variants of a procedure.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    pub deltas: Vec<Delta>,
    /// `None` when the diff stage is not available.
    pub changes: Option<Vec<Change>>,
    pub summary: Option<Text>,
    pub similarity: Option<f64>,
    /// Both diagrams with the diff marks; `None` when the render stage is not available.
    pub from_svg: Option<String>,
    pub to_svg: Option<String>,
    /// The diff stage's own serialisation, for the JSON download.
    pub raw: Option<serde_json::Value>,
}

/// Compiles one file and runs every per-file stage.
#[must_use]
pub fn process_file(source: &str, name_hint: &str, settings: &Settings) -> FileOutput {
    let _ = settings;
    let compilation = compile(
        source,
        &CompileOptions {
            name_hint: name_hint.to_owned(),
        },
    );
    FileOutput {
        model: compilation.model,
        diagnostics: compilation.diagnostics,
        metrics: Vec::new(),
        svg: None,
        handoff_svg: None,
        candidates: None,
    }
}

/// Compares two compiled variants (`from` = As-Is, `to` = To-Be or Can-Be).
#[must_use]
pub fn compare(from: &FileOutput, to: &FileOutput, settings: &Settings) -> Comparison {
    let _ = settings;
    Comparison {
        deltas: pair_metrics(&from.metrics, &to.metrics),
        ..Comparison::default()
    }
}

/// Returns the rows of both metric lists side by side, in the As-Is order (a To-Be-only row
/// is appended). This only lines up values the metrics stage computed.
fn pair_metrics(from: &[Metric], to: &[Metric]) -> Vec<Delta> {
    let to_by_key: BTreeMap<&str, &Metric> = to.iter().map(|m| (m.key.as_str(), m)).collect();
    let mut out: Vec<Delta> = from
        .iter()
        .filter_map(|f| {
            let t = to_by_key.get(f.key.as_str())?;
            Some(Delta {
                key: f.key.clone(),
                label: f.label.clone(),
                unit: f.unit.clone(),
                from: f.value,
                to: t.value,
                lower_is_better: f.lower_is_better,
            })
        })
        .collect();
    let from_keys: Vec<&str> = from.iter().map(|m| m.key.as_str()).collect();
    out.extend(
        to.iter()
            .filter(|t| !from_keys.contains(&t.key.as_str()))
            .map(|t| Delta {
                key: t.key.clone(),
                label: t.label.clone(),
                unit: t.unit.clone(),
                from: 0.0,
                to: t.value,
                lower_is_better: t.lower_is_better,
            }),
    );
    out
}

/// Returns the metric `key` of `output`, if the metrics stage computed it.
#[must_use]
pub fn metric(output: &FileOutput, key: &str) -> Option<f64> {
    output
        .metrics
        .iter()
        .find(|m| m.key == key)
        .map(|m| m.value)
}
