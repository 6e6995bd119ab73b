//! Process graph and metrics: the third stage of the pipeline (syntax → model → **graph** → render).
//! Builds a petgraph graph of a [`nagare_model::Model`], computes expected visits per case and every
//! metric of DOMAIN.md §4. No IO: settings arrive as text or a parsed TOML table.
//!
//! The definitions (and every decision on an ambiguity) are written down in `docs/metrics.md`.

mod analysis;
mod format;
mod graph;
mod metrics;
mod presence;
mod settings;
mod solve;

pub use format::{
    PortfolioRow, csv_field, csv_header, csv_row, format_csv, format_portfolio, format_table,
    format_value, group_digits,
};
pub use graph::{EdgeId, ParallelBlock, ProcessGraph};
pub use metrics::{
    Attachments, Better, ByActorKind, Count, DuplicateEntry, HandoffCell, Handoffs, Handwriting,
    MetricRow, Metrics, PerYear, ProcessTime, Ratio, ResidentBurden, Seals, StepMetrics, Systems,
    Transcriptions, Unit, WaitTime, row_keys,
};
pub use settings::{Settings, SettingsError};

use nagare_model::{Model, StepId};
use nagare_syntax::Diagnostic;
use serde::Serialize;

/// Stable diagnostic codes of this stage.
pub mod codes {
    /// A loop (send-back) that no case can ever leave.
    pub const LOOP_NEVER_EXITS: &str = "E0701";
    /// The probabilities leaving a step do not add up to 100% (they are rescaled).
    pub const PROBABILITIES_NOT_100: &str = "W0702";
    /// A parallel block without a join, or whose branch leaves the block.
    pub const PARALLEL_MALFORMED: &str = "W0703";
}

/// The result of analysing one model.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Analysis {
    /// v(s): expected executions per case, indexed by `StepId` (0 if unreachable).
    pub step_visits: Vec<f64>,
    /// Where the resident is at each step, indexed by `StepId`: the office visits and counters
    /// that `metrics.visits` and `metrics.counters` are made of (docs/metrics.md §2).
    pub presence: Vec<StepPresence>,
    pub metrics: Metrics,
    /// Problems only the graph analysis can see (a loop that can never exit…).
    pub diagnostics: Vec<Diagnostic>,
}

/// The resident's presence at one step, read off the per-path presence chain (docs/metrics.md §2,
/// 来庁と窓口 / visits and counters).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StepPresence {
    /// Expected number of office visits per case that begin at this step (Σ over steps =
    /// `metrics.visits.expected`).
    pub visit_starts: f64,
    /// Expected passes per case during which the resident is at the office (≤ v(s)); divided by
    /// v(s) it is the probability that the resident is present at the step.
    pub present: f64,
    /// True if the step's actor (staff or external) serves the resident in person
    /// on some path, i.e. the step is a counter; its actor is then in `metrics.counter_actors`.
    pub counter: bool,
    /// For a step where a visit can begin: the steps (ascending) where the resident is during a
    /// visit begun here, on any path, this step included; empty elsewhere.
    pub same_visit: Vec<StepId>,
}

/// Returns the expected visits and every metric of `model`; never panics, never NaN or infinite.
#[must_use]
pub fn analyze(model: &Model, settings: &Settings) -> Analysis {
    analysis::run(model, settings)
}
