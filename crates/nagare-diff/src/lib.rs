//! As-Is / To-Be comparison, beside the graph stage: step matching, change classes, metric deltas.
//! No IO.
//!
//! The comparison runs in three steps (DOMAIN.md §5):
//! 1. `matching`: steps are paired by explicit id, by the To-Be file's links (`置換`, `削除`),
//!    then by an assignment on label similarity, actor, documents and position; leftovers may form
//!    merges and splits.
//! 2. `classify`: each group gets its change classes and a bilingual detail.
//! 3. `structure` and `delta`: handoffs, visits and lanes; every metric's delta; a summary line
//!    and a similarity score.
//!
//! Automatic matching scores a pair as 0.6 × label similarity + 0.2 × actor (same name 1, same
//! kind ½) + 0.1 × position in the flow + 0.1 × shared documents (Jaccard; left out and the rest
//! rescaled when neither step uses a document). A pair needs label similarity ≥ 0.3 and a score
//! ≥ 0.55. Label similarity is the mean of the Dice coefficients of character bigrams and of
//! content tokens (kanji/katakana characters, English words) after NFKC.
//!
//! # Similarity (類似度)
//!
//! How much of the As-Is flow the To-Be keeps, 0 (nothing in common) to 1 (identical), shown as a
//! percentage (`類似度 62%`). It is the mean of two parts:
//! - a step part: the mean over every change of a score — unchanged 1, only reworded 0.9, otherwise
//!   1 − 0.15 per substantive change class (at least 0.3), added or removed 0 — weighted by the
//!   number of steps involved;
//! - an edge part: the mean of the share of As-Is step-to-step edges kept between the matched steps
//!   and the share of To-Be edges that are not new.
//!
//! # Summary line (要約)
//!
//! A fixed set of headline figures in a fixed order ([`SUMMARY_METRICS`]), each shown when the
//! metric exists in either model, skipped only when it is unchanged and zero in both:
//!
//! | figure | metric key | note |
//! |---|---|---|
//! | 引継ぎ / handoffs | `handoffs.between_people.expected` | between people, per case; with % |
//! | 紙 / paper | `paper_touchpoints.structural` | paper touchpoints |
//! | 来庁 / visits | `visits.expected` | office visits per case |
//! | 押印 / seals | `seals.structural` | seals and signatures |
//! | 転記 / re-keying | `transcriptions.by_people.expected` | by people, per case |
//! | 業務量 / staff workload | `staff_hours_per_year` | hours per year, when the volume is known; with % |
//! | リードタイム / lead time | `lead_time_minutes` | with % |
//!
//! Handoffs are those *between people*: a handoff to or from a system or RPA is not the waiting
//! and re-explaining BPR removes, and counting it (as `handoffs.structural` does) shows most To-Be
//! flows with RPA as worse. The structural count stays in the metric table and the report's
//! structural section, labelled as including systems and RPA.
//!
//! # Numbers
//!
//! One formatter rounds every figure of the summary, the report table and the step details alike
//! in Japanese and English: thousands separators; counts and hours with 1 decimal and as integers
//! from 100 up; per-case values with 2 decimals in the table and 1 in the summary; FTE with 3
//! decimals below 0.1. The numbers of one metric (As-Is, To-Be and the change) share one scale and
//! one precision (`7.1→7.0 日`, never `7.1日→7日`); a row of durations is in minutes, hours or days
//! by its larger value. An exact zero prints as `0`. In the summary a unit is written once, after
//! the range (`業務量 820→310 時間/年`). A change is the difference of the shown values, so the
//! change column always equals To-Be − As-Is as printed; percentages are computed from the exact
//! values.

mod classify;
mod delta;
mod matching;
mod number;
mod report;
mod structure;
mod text;
mod types;

pub use delta::{SUMMARY_METRICS, metric_deltas, summary};
pub use report::{ReportOptions, format_report, format_report_with, highlights};
pub use types::*;

use nagare_model::Model;

/// Compares `as_is` with `to_be`: matches and classifies the steps, analyses both models with
/// `settings` and reports every metric's delta.
#[must_use]
pub fn diff(as_is: &Model, to_be: &Model, settings: &nagare_graph::Settings) -> Diff {
    let a = nagare_graph::analyze(as_is, settings);
    let b = nagare_graph::analyze(to_be, settings);
    diff_with_analyses(as_is, &a, to_be, &b)
}

/// Compares two models whose analyses the caller already has (the viewer keeps them).
#[must_use]
pub fn diff_with_analyses(
    as_is: &Model,
    as_is_analysis: &nagare_graph::Analysis,
    to_be: &Model,
    to_be_analysis: &nagare_graph::Analysis,
) -> Diff {
    let deltas = metric_deltas(
        &as_is_analysis.metrics.rows(),
        &to_be_analysis.metrics.rows(),
    );
    compare(as_is, to_be, deltas)
}

/// Compares `as_is` with `to_be` on their steps and flow only (no metric deltas; the summary is
/// built from the structural changes). Use [`diff`] for the full comparison.
#[must_use]
pub fn diff_models(as_is: &Model, to_be: &Model) -> Diff {
    compare(as_is, to_be, Vec::new())
}

fn process_ref(model: &Model) -> ProcessRef {
    ProcessRef {
        id: model.process.id.clone(),
        name: model.process.name.clone(),
        variant: model.process.variant.as_str().to_owned(),
    }
}

fn compare(as_is: &Model, to_be: &Model, metric_deltas: Vec<MetricDelta>) -> Diff {
    let (a, b) = (matching::Side::new(as_is), matching::Side::new(to_be));
    let matching = matching::match_steps(&a, &b);
    let changes = classify::changes(&a, &b, &matching);
    let structural = structure::structural(&a, &b, &matching);
    let similarity =
        structure::similarity(&changes, as_is.steps.len(), to_be.steps.len(), &structural);
    let summary = delta::summary(&metric_deltas, &structural, &changes);
    let mut diagnostics = matching.diagnostics;
    diagnostics.extend(volume_mismatch(as_is, to_be));
    Diff {
        as_is: process_ref(as_is),
        to_be: process_ref(to_be),
        changes,
        structural,
        metric_deltas,
        summary,
        similarity,
        diagnostics,
    }
}

/// W0604: the two variants state different annual volumes, so every annual delta mixes the
/// effect of the redesign with the change in volume.
fn volume_mismatch(as_is: &Model, to_be: &Model) -> Option<nagare_syntax::Diagnostic> {
    let (Some(a), Some(b)) = (as_is.process.volume_per_year, to_be.process.volume_per_year) else {
        return None;
    };
    if (a - b).abs() <= f64::EPSILON * a.abs().max(1.0) {
        return None;
    }
    let (a_text, b_text) = (number::number(a, 0), number::number(b, 0));
    Some(
        nagare_syntax::Diagnostic::warning(
            "W0604",
            to_be.process.span,
            nagare_syntax::Text::new(
                format!(
                    "件数が違います（As-Is {a_text} 件/年、To-Be {b_text} 件/年）。年間の値の差には件数の違いも含まれます"
                ),
                format!(
                    "the volumes differ (As-Is {a_text}/yr, To-Be {b_text}/yr): annual deltas include the change in volume"
                ),
            ),
        )
        .with_hint(nagare_syntax::Text::new(
            "改善の効果だけを比べるには、両方のファイルの `件数:` を同じにしてください",
            "to compare the redesign alone, give both files the same `volume:` (件数:)",
        )),
    )
}

#[cfg(test)]
mod volume_tests {
    use nagare_model::{ActorKind, ModelBuilder};

    fn model(volume: f64) -> nagare_model::Model {
        let mut b = ModelBuilder::new("p").volume(volume);
        let clerk = b.actor("窓口", ActorKind::Staff);
        let s = b.step(clerk, "受け付ける");
        let n = b.node_of(s);
        let end = b.end();
        b.chain(&[0, n, end]);
        b.finish()
    }

    #[test]
    fn different_volumes_are_flagged_and_equal_ones_are_not() {
        let flagged = super::diff_models(&model(3000.0), &model(2400.0));
        let codes: Vec<&str> = flagged
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["W0604"]);
        assert!(flagged.diagnostics[0].message.ja.contains("3,000"));
        assert!(
            super::diff_models(&model(2400.0), &model(2400.0))
                .diagnostics
                .is_empty()
        );
    }
}
