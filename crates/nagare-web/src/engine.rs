//! The one place where the viewer calls the pipeline through the `nagare` facade: compile,
//! metrics (graph), layout and SVG (render), diff and candidates. Nothing here computes a metric,
//! a layout or a diff itself; this module only runs the stages and keeps their results.
//!
//! Everything is computed once per file content (see `state`), in both display languages where
//! the output has text of its own (SVG legends, tags), so a request only renders a template.

use std::collections::BTreeMap;

use nagare::candidates::{CandidateSettings, Finding};
use nagare::diff::Diff;
use nagare::graph::{Analysis, MetricRow};
use nagare::model::{ActorKind, Model};
use nagare::render::{LayoutOptions, Scene, SvgOptions};
use nagare::syntax::{Diagnostic, Lang, Text};
use nagare::{CompileOptions, compile};

/// A value in both display languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerLang<T> {
    pub ja: T,
    pub en: T,
}

impl<T> PerLang<T> {
    /// Returns the value for `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// Returns `f` applied in both languages.
    pub fn build(mut f: impl FnMut(Lang) -> T) -> Self {
        Self {
            ja: f(Lang::Ja),
            en: f(Lang::En),
        }
    }
}

/// Settings for every stage, from `nagare.toml` (`[metrics]`, `[candidates]`), read by the facade's
/// `nagare::Config` exactly as the CLI reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub metrics: nagare::graph::Settings,
    pub candidates: CandidateSettings,
    /// Why the file was not usable (the defaults are used instead, so the viewer keeps working
    /// while the file is being edited).
    pub errors: Vec<Text>,
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_toml("")
    }
}

impl Settings {
    /// Returns the settings of a `nagare.toml` text; an unusable file falls back to the defaults
    /// and is reported in `errors`.
    #[must_use]
    pub fn from_toml(text: &str) -> Self {
        match nagare::Config::from_toml(text) {
            Ok(config) => Self {
                metrics: config.metrics,
                candidates: config.candidates,
                errors: Vec::new(),
            },
            Err(error) => {
                let message = error.message();
                let config = nagare::Config::default();
                Self {
                    metrics: config.metrics,
                    candidates: config.candidates,
                    errors: vec![Text::new(
                        format!("nagare.toml: {}", message.ja),
                        format!("nagare.toml: {}", message.en),
                    )],
                }
            }
        }
    }
}

/// Everything the viewer shows about one file, computed once per content change.
#[derive(Debug, Clone)]
pub struct FileOutput {
    pub model: Model,
    /// Diagnostics of every stage, in stage order.
    pub diagnostics: Vec<Diagnostic>,
    /// Kept for the comparison (`diff_with_analyses`), so no stage runs twice.
    pub analysis: Analysis,
    /// Metric rows in the metrics stage's display order.
    pub metrics: Vec<MetricRow>,
    /// The swimlane diagram (drawn even when the file has errors: as much as can be drawn).
    pub scene: Scene,
    pub svg: PerLang<String>,
    /// The actor-to-actor handoff map.
    pub handoff_svg: PerLang<String>,
    pub candidates: Vec<Finding>,
}

/// Compiles one file and runs every per-file stage.
#[must_use]
pub fn process_file(source: &str, name_hint: &str, settings: &Settings) -> FileOutput {
    let compilation = compile(
        source,
        &CompileOptions {
            name_hint: name_hint.to_owned(),
        },
    );
    let model = compilation.model;
    let mut diagnostics = compilation.diagnostics;
    let analysis = nagare::graph::analyze(&model, &settings.metrics);
    diagnostics.extend(analysis.diagnostics.iter().cloned());
    let metrics = analysis.metrics.rows();
    let candidates = nagare::candidates::find(&model, &analysis, &settings.candidates);
    // Steps with a candidate are outlined in the process diagram (class `candidate`).
    let mut marks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for key in candidates.iter().flat_map(|f| &f.steps) {
        marks.insert(key.clone(), vec!["candidate".to_owned()]);
    }
    let scene = nagare::render::layout(&model, &LayoutOptions::default());
    let svg = PerLang::build(|lang| draw(&scene, &model, lang, marks.clone()));
    let handoff_svg = PerLang::build(|lang| handoff_map(&model, &analysis, lang));
    FileOutput {
        model,
        diagnostics,
        analysis,
        metrics,
        scene,
        svg,
        handoff_svg,
        candidates,
    }
}

/// Returns the SVG of `scene` without its embedded style (the viewer's CSS styles it, which
/// keeps the Content-Security-Policy free of `'unsafe-inline'`), each step's description
/// written with the viewer's own formatting (see [`describe_steps`]).
fn draw(
    scene: &Scene,
    model: &Model,
    lang: Lang,
    highlights: BTreeMap<String, Vec<String>>,
) -> String {
    let svg = nagare::render::svg(
        scene,
        &SvgOptions {
            lang,
            highlights,
            no_style: true,
        },
    );
    describe_steps(&svg, model, lang)
}

/// Returns `svg` with the `<desc>` of every step box (what screen readers announce) replaced by
/// the attributes as the steps table and the tooltip show them, so a wait reads `待ち 2日`
/// everywhere instead of `2880分` in the drawing. A box without a `<desc>` is left alone.
#[must_use]
pub fn describe_steps(svg: &str, model: &Model, lang: Lang) -> String {
    const MARK: &str = "data-step=\"";
    let mut out = String::with_capacity(svg.len() + 256);
    let mut rest = svg;
    while let Some(at) = rest.find(MARK) {
        let after = at + MARK.len();
        let Some(key_len) = rest[after..].find('"') else {
            break;
        };
        let key = &rest[after..after + key_len];
        let body_start = after + key_len;
        // The description belongs to this box only if it comes before the next box.
        let next_box = rest[body_start..]
            .find(MARK)
            .map_or(rest.len(), |n| body_start + n);
        let desc = rest[body_start..next_box].find("<desc>").and_then(|open| {
            let open = body_start + open + "<desc>".len();
            let close = rest[open..next_box].find("</desc>")? + open;
            Some((open, close))
        });
        let step = model.steps.iter().find(|s| s.key == key);
        match (desc, step) {
            (Some((open, close)), Some(step)) => {
                out.push_str(&rest[..open]);
                out.push_str(&escape_xml(&step_description(model, step, lang)));
                rest = &rest[close..];
            }
            _ => {
                out.push_str(&rest[..body_start]);
                rest = &rest[body_start..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Returns a step's actor and attributes in one line (`担当: 住民; 紙; 10分; 待ち 2日`).
fn step_description(model: &Model, step: &nagare::model::Step, lang: Lang) -> String {
    let mut parts = vec![format!(
        "{}: {}",
        crate::i18n::t("step.actor", lang),
        model.actors.get(step.actor).map_or("", |a| a.name.as_str())
    )];
    parts.extend(crate::views::step_attributes(model, step, lang));
    parts.join("; ")
}

/// Returns `text` escaped for XML character data.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Returns the handoff map of `model` from the metrics stage's actor-to-actor matrix.
fn handoff_map(model: &Model, analysis: &Analysis, lang: Lang) -> String {
    let actors: Vec<(String, ActorKind)> = model
        .actors
        .iter()
        .map(|a| (a.name.clone(), a.kind))
        .collect();
    let index = |name: &str| model.actors.iter().position(|a| a.name == name);
    let handoffs: Vec<(usize, usize, f64)> = analysis
        .metrics
        .handoffs
        .matrix
        .iter()
        .filter_map(|cell| Some((index(&cell.from)?, index(&cell.to)?, cell.expected)))
        .collect();
    nagare::render::handoff_map_svg(&actors, &handoffs, lang)
}

/// The comparison of two variants of a procedure.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub diff: Diff,
    /// Both diagrams with the diff marks (`diff-added`…), in both languages.
    pub from_svg: PerLang<String>,
    pub to_svg: PerLang<String>,
}

/// Compares two compiled variants (`from` = As-Is, `to` = To-Be or Can-Be).
#[must_use]
pub fn compare(from: &FileOutput, to: &FileOutput) -> Comparison {
    let diff =
        nagare::diff::diff_with_analyses(&from.model, &from.analysis, &to.model, &to.analysis);
    let (from_marks, to_marks) = nagare::diff::highlights(&diff);
    Comparison {
        from_svg: PerLang::build(|lang| draw(&from.scene, &from.model, lang, from_marks.clone())),
        to_svg: PerLang::build(|lang| draw(&to.scene, &to.model, lang, to_marks.clone())),
        diff,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "業務: T\n版: As-Is\n\n担当:\n  住民: 住民\n  窓口: 職員\n\n流れ:\n  S1 住民: 申請書を出す [紙, 10分, 待ち 2日]\n  S2 窓口: <受け付ける> & 確認 [90分]\n";

    #[test]
    fn step_descriptions_use_the_tables_formatting() {
        let output = process_file(SOURCE, "t", &Settings::default());
        assert!(
            output.diagnostics.iter().all(|d| !d.is_error()),
            "{:?}",
            output.diagnostics
        );
        let ja = &output.svg.ja;
        assert!(
            ja.contains("<desc>担当: 住民; 紙; 10分; 待ち 2日</desc>"),
            "{ja}"
        );
        assert!(!ja.contains("2880"), "no raw minutes left");
        // The label is the title's; the description has the actor and the attributes.
        assert!(ja.contains("<desc>担当: 窓口; 1.5時間</desc>"), "{ja}");
        let en = &output.svg.en;
        assert!(
            en.contains("<desc>Actor: 住民; paper; 10 min; wait 2 d</desc>"),
            "{en}"
        );
    }

    #[test]
    fn describe_steps_leaves_unknown_boxes_and_missing_descs_alone() {
        let model = process_file(SOURCE, "t", &Settings::default()).model;
        let svg = r#"<g data-step="S9"><desc>x</desc></g><g data-step="S1"><title>t</title></g><g data-step="S2"><desc>y &amp; z</desc></g>"#;
        let out = describe_steps(svg, &model, Lang::Ja);
        assert!(
            out.starts_with(
                r#"<g data-step="S9"><desc>x</desc></g><g data-step="S1"><title>t</title></g>"#
            ),
            "{out}"
        );
        assert!(
            out.ends_with(r#"<g data-step="S2"><desc>担当: 窓口; 1.5時間</desc></g>"#),
            "{out}"
        );
    }
}
