//! Syntax of the nagare flow language: the first stage of the pipeline
//! (**syntax** → model → graph → render). Lexer, parser, syntax tree and the diagnostic type
//! shared by every later stage. No IO, no dependencies beyond serde and Unicode tables.

pub mod ast;
mod diagnostic;
mod format;
mod parser;
mod span;
mod suggest;
mod text;
mod value;

pub use diagnostic::{Diagnostic, Label, Lang, Severity, Text, has_errors};
pub use format::format;
pub use parser::{MAX_DEPTH, parse};
pub use span::{LineCol, LineIndex, Span};
pub use suggest::did_you_mean;
pub use text::{fold, fold_char, name_key};

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
    let more = rest.len();
    let any_error = rest.iter().any(Diagnostic::is_error);
    let span = rest.first().map(Diagnostic::span).unwrap_or_default();
    let message = Text::new(
        format!("ほかに {more} 件の指摘があります (最初の {limit} 件だけを表示しています)"),
        format!("{more} more diagnostics not shown (only the first {limit} are listed)"),
    );
    let summary = if any_error {
        Diagnostic::error("E0001", span, message)
    } else {
        Diagnostic::warning("W0001", span, message)
    };
    diagnostics.push(summary.with_hint(Text::new(
        "上の指摘を直してからもう一度確認してください",
        "fix the problems above and check again",
    )));
}
