//! Diagnostics as data: every user mistake found by any stage is one of these, never an `Err`.
//!
//! Messages carry both languages so that a front end chooses at display time (the CLI by `LANG`
//! or `--lang`, the viewer by the visitor's choice) without re-running the pipeline.

use serde::{Deserialize, Serialize};

use crate::Span;

/// The display language of messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// Returns the language a `LANG`/`LC_ALL`-style locale string asks for (Japanese for `ja*`).
    #[must_use]
    pub fn from_locale(locale: &str) -> Self {
        if locale.to_ascii_lowercase().starts_with("ja") {
            Self::Ja
        } else {
            Self::En
        }
    }
}

/// A piece of user-facing text in Japanese and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl Text {
    #[must_use]
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// Returns the text in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A source location with a short explanation, drawn under the source line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: Text,
}

/// One finding about the user's model: what is wrong (message), where (labels), how to fix (hints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code (`E0101`), documented in docs/dsl.md; tests and users may rely on it.
    pub code: String,
    pub message: Text,
    /// The primary label first; secondary labels after it.
    pub labels: Vec<Label>,
    pub hints: Vec<Text>,
    /// Set only on the "N more" entry that [`crate::cap_diagnostics`] appends: how many errors
    /// and warnings it stands for, so that a summary line can count every finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Hidden>,
}

/// How many diagnostics of each severity a capped list left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hidden {
    pub errors: usize,
    pub warnings: usize,
}

impl Diagnostic {
    /// Returns an error with `code` and `message` at `span` (primary label with an empty message).
    #[must_use]
    pub fn error(code: &str, span: Span, message: Text) -> Self {
        Self::new(Severity::Error, code, span, message)
    }

    /// Returns a warning with `code` and `message` at `span`.
    #[must_use]
    pub fn warning(code: &str, span: Span, message: Text) -> Self {
        Self::new(Severity::Warning, code, span, message)
    }

    fn new(severity: Severity, code: &str, span: Span, message: Text) -> Self {
        Self {
            severity,
            code: code.to_owned(),
            message,
            labels: vec![Label {
                span,
                message: Text::new("", ""),
            }],
            hints: Vec::new(),
            hidden: None,
        }
    }

    /// Sets the message shown under the primary label.
    #[must_use]
    pub fn with_label_message(mut self, message: Text) -> Self {
        if let Some(first) = self.labels.first_mut() {
            first.message = message;
        }
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: Text) -> Self {
        self.labels.push(Label { span, message });
        self
    }

    /// Adds a hint ("how to fix").
    #[must_use]
    pub fn with_hint(mut self, hint: Text) -> Self {
        self.hints.push(hint);
        self
    }

    /// Returns the primary span (the first label's), or an empty span at 0.
    #[must_use]
    pub fn span(&self) -> Span {
        self.labels.first().map_or_else(Span::default, |l| l.span)
    }

    /// Returns how many errors and warnings this diagnostic counts for in a summary: itself, or
    /// for the "N more" entry of a capped list, every finding it stands for.
    #[must_use]
    pub fn counts(&self) -> Hidden {
        match self.hidden {
            Some(h) => h,
            None if self.is_error() => Hidden {
                errors: 1,
                warnings: 0,
            },
            None => Hidden {
                errors: 0,
                warnings: 1,
            },
        }
    }

    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Returns true if any diagnostic is an error.
#[must_use]
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
