//! The facade: one pipeline (parse → lower → validate → analyse) shared by every front end.
//! Takes source text and settings text and returns data; reading files is the front ends' job.

pub use nagare_bpmn as bpmn;
pub use nagare_candidates as candidates;
pub use nagare_diff as diff;
pub use nagare_export as export;
pub use nagare_graph as graph;
pub use nagare_model as model;
pub use nagare_render as render;
pub use nagare_syntax as syntax;

mod config;

pub use config::{Config, ConfigError};

use nagare_model::{LowerOptions, Model};
use nagare_syntax::Diagnostic;

/// What `compile` needs besides the source.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// The process id when the file has no `ID:` header: the front end passes the folder name.
    pub name_hint: String,
}

/// The result of compiling one `.flow` file: always a model (as much as could be understood) and
/// every diagnostic of every stage.
#[derive(Debug, Clone)]
pub struct Compilation {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    /// Returns true if any stage reported an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        nagare_syntax::has_errors(&self.diagnostics)
    }
}

/// The most diagnostics `compile` returns; the rest are summarised in one "N more" entry.
pub const MAX_DIAGNOSTICS: usize = 100;

/// Compiles `source`: parses, lowers and validates; never fails and never panics.
#[must_use]
pub fn compile(source: &str, options: &CompileOptions) -> Compilation {
    let (file, mut diagnostics) = nagare_syntax::parse(source);
    let (model, lower_diagnostics) = nagare_model::lower(
        &file,
        source,
        &LowerOptions {
            name_hint: options.name_hint.clone(),
        },
    );
    diagnostics.extend(lower_diagnostics);
    // One list in source order (parse and lowering errors interleaved as the user reads them),
    // capped so that a huge broken file still gives a readable report.
    diagnostics.sort_by_key(|d| d.span().start);
    nagare_syntax::cap_diagnostics(&mut diagnostics, MAX_DIAGNOSTICS);
    Compilation { model, diagnostics }
}
