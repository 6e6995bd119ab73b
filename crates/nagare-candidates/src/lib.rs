//! Improvement candidates, beside the graph stage: the rules of DOMAIN.md §6 over a model and its
//! metrics (syntax → model → graph → **candidates**). No IO.
//!
//! # API
//! - [`find`] (or [`find_with_visits`]) returns the [`Finding`]s of one model: rule id, steps
//!   concerned, a 0–100 score with each criterion's [`Contribution`], reasons, [`HoursSaved`] per
//!   year (staff and resident, with the formula), prerequisites, [`Blocker`]s, and for online
//!   application the [`Extent`] ("partly online").
//! - [`CandidateSettings`] holds every weight and threshold (defaults from DOMAIN.md §6), read
//!   from the `[candidates]` table of `nagare.toml` with [`CandidateSettings::from_table`].
//! - [`rank`] orders a portfolio of procedures by hours saved per year ([`RankedProcedure`]);
//!   each procedure names its finding with the largest saving ([`top_heading`] is the column
//!   label every renderer should use).
//! - [`realised`] says which As-Is findings a To-Be realises ([`Status`]).
//! - [`format_table`] (= [`format_summary`] + [`format_details`]), [`format_csv`],
//!   [`format_ranking`] and [`format_realised`] render text; every type is serde data for JSON
//!   and the web viewer.
//!
//! Every number in a finding is rounded to one decimal when it is made, so JSON and tables agree
//! and output is deterministic (findings sorted by score, rule, first step).
//!
//! The rules and their criteria are documented for users in `docs/candidates.md`.

mod context;
mod finding;
mod format;
mod portfolio;
mod realised;
mod rules;
mod settings;

pub use finding::{
    Blocker, BlockerKind, Contribution, Difficulty, Extent, Finding, HoursSaved, RuleId, StepSaving,
};
pub use format::{
    csv_header, format_csv, format_details, format_ranking, format_realised, format_summary,
    format_table,
};
pub use portfolio::{RankedProcedure, procedure_hours, rank, top_heading};
pub use realised::{Realisation, Status, realised};
pub use settings::{
    ApprovalWeights, CandidateSettings, OcrWeights, OnceOnlyWeights, OneStopWeights, OnlineWeights,
    RpaWeights, SealWeights, SettingsError,
};

use nagare_graph::Analysis;
use nagare_model::Model;

/// Returns the findings of `model`, using the expected visits per step and the resident's
/// presence (office visits, counters) of `analysis`.
#[must_use]
pub fn find(model: &Model, analysis: &Analysis, settings: &CandidateSettings) -> Vec<Finding> {
    find_in(model, &analysis.step_visits, &analysis.presence, settings)
}

/// Returns the findings of `model` given v(s), the expected executions of each step per case
/// (indexed by step; a missing entry counts as 1). Sorted by score (highest first), then rule,
/// then the first step concerned, except that findings saving no hours at all (when the volume
/// is known) come after every finding that saves some, whatever their score: the score says how
/// suitable a candidate is, and a suitable candidate worth nothing must not be read as the first
/// thing to do. Findings below `settings.min_score` are dropped, and so are RPA and AI-OCR steps
/// saving less than their `min_hours_per_year`. The office visits and counters come from
/// [`nagare_graph::analyze`] with the default metric settings. This is the seam for trying the
/// rules with other v(s) (tests); the front ends use [`find`] with the analysis they already
/// made with the user's `[metrics]` settings.
#[must_use]
pub fn find_with_visits(
    model: &Model,
    visits: &[f64],
    settings: &CandidateSettings,
) -> Vec<Finding> {
    let analysis = nagare_graph::analyze(model, &nagare_graph::Settings::default());
    find_in(model, visits, &analysis.presence, settings)
}

/// Returns the findings of `model` given v(s) and the graph's presence per step (see
/// [`find_with_visits`] for the order and the filters).
fn find_in(
    model: &Model,
    visits: &[f64],
    presence: &[nagare_graph::StepPresence],
    settings: &CandidateSettings,
) -> Vec<Finding> {
    let ctx = context::Ctx::new(model, visits, presence, settings);
    let mut findings: Vec<Finding> = rules::all(&ctx)
        .into_iter()
        .filter(|f| f.score >= settings.min_score)
        .collect();
    let first_step = |f: &Finding| {
        f.steps
            .first()
            .and_then(|k| model.steps.iter().position(|s| &s.key == k))
            .unwrap_or(usize::MAX)
    };
    let volume_known = model
        .process
        .volume_per_year
        .is_some_and(|v| v.is_finite() && v > 0.0);
    let saves_nothing = |f: &Finding| volume_known && f.hours.total() <= 0.0;
    findings.sort_by(|a, b| {
        saves_nothing(a)
            .cmp(&saves_nothing(b))
            .then(b.score.total_cmp(&a.score))
            .then(a.rule.cmp(&b.rule))
            .then(first_step(a).cmp(&first_step(b)))
    });
    findings
}
