//! Shared by the subcommands: finding `.flow` files, reading them (non-UTF-8 reported with its
//! position) and rendering diagnostics for the terminal (codespan-reporting: file:line:col, the
//! source line with a caret, hints as notes) and as JSON.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};
use nagare::syntax::{Diagnostic, Lang, LineIndex, Severity, Text};

/// Lines longer than this are not printed under a diagnostic (a 5 MB one-line file would
/// otherwise be printed once per problem).
const MAX_SNIPPET_LINE: usize = 400;

/// Returns every file named in `paths` and every `*.flow` file below the folders in `paths`,
/// folders sorted by path; the current folder when `paths` is empty.
///
/// # Errors
/// When a path does not exist or a folder cannot be read (exit code 2).
pub fn load_flow_files(paths: &[PathBuf], lang: Lang) -> anyhow::Result<Vec<PathBuf>> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, lang)?;
            found.sort();
            out.extend(found);
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            anyhow::bail!(
                "{}",
                pick(
                    lang,
                    &Text::new(
                        format!("`{}` が見つかりません", path.display()),
                        format!("`{}` does not exist", path.display()),
                    )
                )
            );
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, lang: Lang) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}",
            pick(
                lang,
                &Text::new(
                    format!("フォルダ `{}` を読めません", dir.display()),
                    format!("cannot read folder `{}`", dir.display()),
                )
            )
        )
    })?;
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        let name = child
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if child.is_dir() {
            // Hidden folders (.git) and build output never hold the user's flows.
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&child, out, lang)?;
            }
        } else if child.extension().is_some_and(|e| e == "flow") {
            out.push(child);
        }
    }
    Ok(())
}

/// Returns the process id hint for a file: its folder's name (`models/tennyu/as-is.flow` →
/// `tennyu`), else the file stem.
#[must_use]
pub fn name_hint(path: &Path) -> String {
    let folder = path.canonicalize().ok().and_then(|p| {
        p.parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    });
    folder
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Why a file could not be used as a flow.
#[derive(Debug)]
pub enum ReadError {
    /// Not UTF-8: where the first invalid byte is.
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
        /// The file starts with a UTF-16 byte order mark.
        utf16: bool,
    },
    Io(std::io::Error),
}

/// Reads a flow file as UTF-8 text.
///
/// # Errors
/// When the file cannot be read or is not UTF-8.
pub fn read_flow(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // UTF-16 (Windows "Unicode"): say so rather than pointing at byte 0.
        return Err(ReadError::NotUtf8 {
            offset: 0,
            line: 1,
            column: 1,
            utf16: true,
        });
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = &e.as_bytes()[..offset];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err(ReadError::NotUtf8 {
                offset,
                line,
                column,
                utf16: false,
            })
        }
    }
}

/// Returns the terminal text for a file that could not be read (exit code 2).
#[must_use]
pub fn read_error_text(path: &Path, error: &ReadError, lang: Lang) -> String {
    match error {
        ReadError::NotUtf8 {
            offset,
            line,
            column,
            utf16,
        } => {
            let (message, hint) = not_utf8_text(*offset, *utf16);
            format!(
                "{}:{line}:{column}: {}[E0002]: {}\n  = {}: {}\n\n",
                path.display(),
                severity_word(Severity::Error, lang),
                message.get(lang),
                hint_word(lang),
                hint.get(lang)
            )
        }
        ReadError::Io(e) => format!(
            "{}: {}[E0003]: {}: {e}\n\n",
            path.display(),
            severity_word(Severity::Error, lang),
            pick(
                lang,
                &Text::new("ファイルを読めません", "cannot read the file")
            )
        ),
    }
}

/// Returns the JSON object for a file that could not be read.
#[must_use]
pub fn read_error_json(path: &Path, error: &ReadError, lang: Lang) -> serde_json::Value {
    match error {
        ReadError::NotUtf8 {
            offset,
            line,
            column,
            utf16,
        } => {
            let (message, hint) = not_utf8_text(*offset, *utf16);
            serde_json::json!({
                "file": path.display().to_string(),
                "code": "E0002",
                "severity": "error",
                "message": message.get(lang),
                "line": line,
                "column": column,
                "end_line": line,
                "end_column": column,
                "byte_offset": offset,
                "hints": [hint.get(lang)],
                "labels": [],
            })
        }
        ReadError::Io(e) => serde_json::json!({
            "file": path.display().to_string(),
            "code": "E0003",
            "severity": "error",
            "message": format!("{}: {e}", pick(lang, &Text::new("ファイルを読めません", "cannot read the file"))),
            "line": 0,
            "column": 0,
            "end_line": 0,
            "end_column": 0,
            "hints": [],
            "labels": [],
        }),
    }
}

fn not_utf8_text(offset: usize, utf16: bool) -> (Text, Text) {
    if utf16 {
        return (
            Text::new(
                "UTF-16 で保存されています (UTF-8 ではありません)",
                "the file is saved as UTF-16, not UTF-8",
            ),
            Text::new(
                "「UTF-8」を選んで保存し直してください (メモ帳の「Unicode」は UTF-16 です)",
                "save it again choosing UTF-8 (Notepad's \"Unicode\" is UTF-16)",
            ),
        );
    }
    (
        Text::new(
            format!("UTF-8 のテキストではありません ({offset} バイト目)"),
            format!("the file is not valid UTF-8 (at byte offset {offset})"),
        ),
        Text::new(
            "UTF-8 で保存し直してください (Excel やメモ帳では「UTF-8」を選びます。Shift_JIS では読めません)",
            "save the file as UTF-8 (Shift_JIS and other encodings are not read)",
        ),
    )
}

fn pick(lang: Lang, text: &Text) -> String {
    text.get(lang).to_owned()
}

fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    match (severity, lang) {
        (Severity::Error, Lang::Ja) => "エラー",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::Ja) => "警告",
        (Severity::Warning, Lang::En) => "warning",
    }
}

fn hint_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ヒント",
        Lang::En => "hint",
    }
}

/// Returns true when colour should be used on stdout (a terminal, and `NO_COLOR` unset).
#[must_use]
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Returns the diagnostics of one file rendered for the terminal, in `lang`.
#[must_use]
pub fn render_terminal(
    name: &str,
    source: &str,
    diagnostics: &[Diagnostic],
    lang: Lang,
    color: bool,
) -> String {
    let file = SimpleFile::new(name, source);
    let index = LineIndex::new(source);
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let cs = to_codespan(d, source, &index, lang);
        let mut buffer = if color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        let rendered = match cs {
            Some(cs) => term::emit_to_write_style(&mut buffer, &config, &file, &cs)
                .ok()
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned()),
            None => None,
        };
        out.push_str(&rendered.unwrap_or_else(|| plain(name, source, &index, d, lang)));
    }
    out
}

/// Converts to codespan's type; `None` when the snippet should not be shown (binary data,
/// a huge line, a span outside the text).
fn to_codespan(
    d: &Diagnostic,
    source: &str,
    index: &LineIndex,
    lang: Lang,
) -> Option<CsDiagnostic<()>> {
    if d.code == "E0100" {
        return None;
    }
    let mut labels = Vec::new();
    for (i, l) in d.labels.iter().enumerate() {
        let range = l.span.range();
        if range.end > source.len()
            || !source.is_char_boundary(range.start)
            || !source.is_char_boundary(range.end)
        {
            return None;
        }
        let line = index.line_col(source, l.span.start).line;
        if index.line_range(source, line).len() > MAX_SNIPPET_LINE {
            return None;
        }
        let label = if i == 0 {
            CsLabel::primary((), range)
        } else {
            CsLabel::secondary((), range)
        };
        labels.push(label.with_message(l.message.get(lang)));
    }
    let base = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    };
    Some(
        base.with_code(&d.code)
            .with_message(d.message.get(lang))
            .with_labels(labels)
            .with_notes(
                d.hints
                    .iter()
                    .map(|h| format!("{}: {}", hint_word(lang), h.get(lang)))
                    .collect(),
            ),
    )
}

fn plain(name: &str, source: &str, index: &LineIndex, d: &Diagnostic, lang: Lang) -> String {
    let lc = index.line_col(source, d.span().start);
    let mut s = format!(
        "{}[{}]: {}\n  --> {name}:{}:{}\n",
        severity_word(d.severity, lang),
        d.code,
        d.message.get(lang),
        lc.line,
        lc.column
    );
    for h in &d.hints {
        s.push_str(&format!("  = {}: {}\n", hint_word(lang), h.get(lang)));
    }
    s.push('\n');
    s
}

/// Returns the diagnostics of one file as JSON objects (message and hints in `lang`).
#[must_use]
pub fn json_diagnostics(
    name: &str,
    source: &str,
    diagnostics: &[Diagnostic],
    lang: Lang,
) -> Vec<serde_json::Value> {
    let index = LineIndex::new(source);
    diagnostics
        .iter()
        .map(|d| {
            let span = d.span();
            let start = index.line_col(source, span.start);
            let end = index.line_col(source, span.end);
            let labels: Vec<serde_json::Value> = d
                .labels
                .iter()
                .map(|l| {
                    let s = index.line_col(source, l.span.start);
                    let e = index.line_col(source, l.span.end);
                    serde_json::json!({
                        "message": l.message.get(lang),
                        "line": s.line, "column": s.column,
                        "end_line": e.line, "end_column": e.column,
                    })
                })
                .collect();
            serde_json::json!({
                "file": name,
                "code": d.code,
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message.get(lang),
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "hints": d.hints.iter().map(|h| h.get(lang)).collect::<Vec<_>>(),
                "labels": labels,
            })
        })
        .collect()
}

/// Returns the closing summary line ("2 errors, 1 warning in 3 files").
#[must_use]
pub fn summary(files: usize, errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{files} ファイルを確認: エラー {errors} 件、警告 {warnings} 件"),
        Lang::En => format!(
            "checked {files} file{}: {errors} error{}, {warnings} warning{}",
            plural(files),
            plural(errors),
            plural(warnings)
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
