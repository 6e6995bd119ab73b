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

use nagare_model::Model;
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
    pub metrics: Metrics,
    /// Problems only the graph analysis can see (a loop that can never exit…).
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns the expected visits and every metric of `model`; never panics, never NaN or infinite.
#[must_use]
pub fn analyze(model: &Model, settings: &Settings) -> Analysis {
    analysis::run(model, settings)
}
