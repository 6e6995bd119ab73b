//! Syntax of the nagare flow language: the first stage of the pipeline
//! (**syntax** → model → graph → render). Lexer, parser, syntax tree and the diagnostic type
//! shared by every later stage. No IO, no dependencies beyond serde and Unicode tables.

mod diagnostic;
mod span;

pub use diagnostic::{Diagnostic, Label, Lang, Severity, Text, has_errors};
pub use span::{LineCol, LineIndex, Span};

pub mod ast {
    //! The syntax tree. (Placeholder until the parser lands: issue #2.)

    /// A parsed `.flow` file.
    #[derive(Debug, Clone, Default)]
    pub struct File {}
}

/// Parses `source` into a syntax tree and the syntax errors found; never fails.
#[must_use]
pub fn parse(source: &str) -> (ast::File, Vec<Diagnostic>) {
    let _ = source;
    (ast::File::default(), Vec::new())
}
