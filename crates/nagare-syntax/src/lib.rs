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

pub use diagnostic::{Diagnostic, Hidden, Label, Lang, Severity, Text, has_errors};
pub use format::format;
pub use parser::{MAX_DEPTH, not_text_diagnostic, parse};
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
    let mut hidden = Hidden::default();
    for d in &rest {
        let c = d.counts();
        hidden.errors += c.errors;
        hidden.warnings += c.warnings;
    }
    let span = rest.first().map(Diagnostic::span).unwrap_or_default();
    let (errors, warnings) = (hidden.errors, hidden.warnings);
    let message = Text::new(
        format!(
            "ほかに {more} 件の指摘 (エラー {errors} 件、警告 {warnings} 件) があります (最初の {limit} 件だけを表示しています)"
        ),
        format!(
            "{more} more diagnostics not shown ({errors} error{}, {warnings} warning{}; only the first {limit} are listed)",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        ),
    );
    let mut summary = if errors > 0 {
        Diagnostic::error("E0001", span, message)
    } else {
        Diagnostic::warning("W0001", span, message)
    };
    summary.hidden = Some(hidden);
    diagnostics.push(summary.with_hint(Text::new(
        "上の指摘を直してからもう一度確認してください",
        "fix the problems above and check again",
    )));
}
