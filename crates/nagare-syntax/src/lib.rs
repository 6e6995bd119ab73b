//! Syntax of the nagare flow language: the first stage of the pipeline
//! (**syntax** → model → graph → render). Lexer, parser, syntax tree and the diagnostic type
//! shared by every later stage. No IO, no dependencies beyond serde and Unicode tables.

pub mod ast;
mod bounded;
mod diagnostic;
mod format;
mod parser;
mod quantity;
mod span;
mod suggest;
mod text;
mod value;

pub use bounded::{KEEP_DIAGNOSTICS, Overflow};
pub use diagnostic::{Diagnostic, Hidden, Label, Lang, Severity, Text, has_errors};
pub use format::format;
pub use parser::{MAX_DEPTH, not_text_diagnostic, parse};
pub use span::{LineCol, LineIndex, Span};
pub use suggest::did_you_mean;
pub use text::{count_en, fold, fold_char, name_key};

/// Returns true if `s` is a valid step id (ASCII letters, digits, `-`, `_`, with a digit).
#[must_use]
pub fn is_step_id(s: &str) -> bool {
    value::is_step_id(&fold(s))
}

/// Keeps the first `limit` diagnostics and replaces the rest by one summary diagnostic
/// ("N more"), so that a huge broken file gives a readable report in bounded time.
pub fn cap_diagnostics(diagnostics: &mut Vec<Diagnostic>, limit: usize) {
    if diagnostics.len() <= limit {
        return;
    }
    let rest = diagnostics.split_off(limit);
    let mut hidden = Hidden::default();
    for d in &rest {
        // A stage's own summary (see [`Overflow`]) stands for all the diagnostics it dropped.
        let c = d.counts();
        hidden.errors += c.errors;
        hidden.warnings += c.warnings;
    }
    let span = rest.first().map(Diagnostic::span).unwrap_or_default();
    diagnostics.push(bounded::summary(hidden, limit, span));
}
