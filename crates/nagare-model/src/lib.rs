//! Semantic model of one process variant: the second stage of the pipeline
//! (syntax → **model** → graph → render). Lowers the syntax tree into [`Model`], resolves names
//! and validates what can be checked without graph analysis. No IO.

mod builder;
mod check;
mod lower;
mod names;
mod types;

pub use builder::ModelBuilder;
pub use types::*;

use nagare_syntax::{Diagnostic, ast};

/// What lowering needs besides the tree.
#[derive(Debug, Clone, Default)]
pub struct LowerOptions {
    /// The process id used when the file has no `ID:` header (the front end passes the folder name).
    pub name_hint: String,
}

/// Lowers a syntax tree into a model, resolving names and validating; never fails.
///
/// The model is as complete as the input allows (an undeclared actor gets a stand-in so that
/// indices stay valid); the diagnostics say what is wrong, in source order.
///
/// Flow layout: node 0 is `Start`; node `k + 1` is step `k` (steps in declaration order); then
/// `End`, `Split` and `Join` nodes in the order met, and last the implicit final `End`. The
/// outgoing probabilities of every node except a `Split` sum to 1 (a split's edges each carry 1).
#[must_use]
pub fn lower(file: &ast::File, source: &str, options: &LowerOptions) -> (Model, Vec<Diagnostic>) {
    let mut lowerer = lower::Lowerer::new(file, source);
    lowerer.run(options);
    let model = lowerer.model;
    let mut diagnostics = lowerer.diags;
    let mut overflow = lowerer.overflow;
    if !file.not_text {
        check::check_flow(&model, source, &mut diagnostics, &mut overflow);
    }
    overflow.finish(&mut diagnostics, source.len());
    diagnostics.sort_by_key(|d| d.span().start);
    (model, diagnostics)
}
