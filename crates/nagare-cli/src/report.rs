//! Shared by the subcommands: finding `.flow` files, reading them (non-UTF-8 reported with its
//! position) and rendering diagnostics for the terminal (codespan-reporting: file:line:col, the
//! source line with a caret, hints as notes) and as JSON.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};
use nagare::syntax::{Diagnostic, Lang, LineIndex, Severity, Span, Text};

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
            "{}: {}",
            pick(
                lang,
                &Text::new(
                    format!("フォルダ `{}` を読めません", dir.display()),
                    format!("cannot read folder `{}`", dir.display()),
                )
            ),
            io_error(&e, lang)
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

/// An error whose message was already printed (a diagnostic with its source line): `main` exits
/// with code 2 without printing it again.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reported")
    }
}

impl std::error::Error for Reported {}

/// Returns what went wrong with a file operation in the user's language; the operating system's
/// own text (English) only for rare kinds.
#[must_use]
pub fn io_error(error: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let text = match error.kind() {
        K::NotFound => Text::new("見つかりません", "not found"),
        K::PermissionDenied => Text::new(
            "権限がありません（ファイルとフォルダのアクセス権を確かめてください）",
            "permission denied (check the access rights of the file and its folder)",
        ),
        K::IsADirectory => Text::new(
            "フォルダです（ファイルを指定してください）",
            "this is a folder (give a file)",
        ),
        K::NotADirectory => Text::new(
            "途中にフォルダではないものがあります",
            "a part of the path is not a folder",
        ),
        K::InvalidData => Text::new("UTF-8 のテキストではありません", "not UTF-8 text"),
        K::StorageFull => Text::new("ディスクがいっぱいです", "the disk is full"),
        K::ReadOnlyFilesystem => Text::new("読み取り専用の場所です", "read-only location"),
        _ => return error.to_string(),
    };
    text.get(lang).to_owned()
}

/// Fails with a message in `lang` when `output` (`-o FILE`) is in a folder that does not exist,
/// before any work is done (a PNG of a long flow takes seconds to draw).
///
/// # Errors
/// When the folder of `output` is missing or is not a folder.
pub fn check_output(output: Option<&Path>, lang: Lang) -> anyhow::Result<()> {
    let Some(path) = output.filter(|p| *p != Path::new("-")) else {
        return Ok(());
    };
    if path.is_dir() {
        anyhow::bail!(
            "{}",
            pick(
                lang,
                &Text::new(
                    format!(
                        "`{}` はフォルダです。-o には書き出すファイルの名前を指定してください",
                        path.display()
                    ),
                    format!(
                        "`{}` is a folder: give -o the name of the file to write",
                        path.display()
                    ),
                )
            )
        );
    }
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "{}",
            pick(
                lang,
                &Text::new(
                    format!(
                        "書き出し先のフォルダ `{}` がありません。先にフォルダを作るか、-o で別の場所を指定してください",
                        dir.display()
                    ),
                    format!(
                        "the folder `{}` to write into does not exist: create it first or give another place with -o",
                        dir.display()
                    ),
                )
            )
        );
    }
    Ok(())
}

/// Fails with a message in `lang` when no `.flow` file was found in `paths`.
///
/// # Errors
/// When `files` is empty.
pub fn require_flows(files: &[PathBuf], paths: &[PathBuf], lang: Lang) -> anyhow::Result<()> {
    if !files.is_empty() {
        return Ok(());
    }
    let places = if paths.is_empty() {
        ".".to_owned()
    } else {
        paths
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    anyhow::bail!(
        "{}",
        pick(
            lang,
            &Text::new(
                format!(
                    "{places} に `.flow` ファイルがありません\n  ヒント: フォルダの下の *.flow ファイルを探します。ファイル名が .flow で終わっているか（.flow.txt になっていないか）確かめてください"
                ),
                format!(
                    "no `.flow` files in {places}\n  hint: every *.flow file below a folder is read; check that the file names end in .flow (not .flow.txt)"
                ),
            )
        )
    )
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
    /// The bytes are not UTF-8 text: the diagnostic (E0002, or E0100 for binary data) and the
    /// text it points into (the file decoded lossily, so the valid part shows as written).
    Undecodable {
        diagnostic: Box<Diagnostic>,
        shown: String,
        /// The 0-based byte offset of the first byte that is not UTF-8 (for JSON consumers).
        offset: usize,
    },
    Io(std::io::Error),
}

/// Reads a flow file as UTF-8 text.
///
/// # Errors
/// When the file cannot be read or is not UTF-8.
pub fn read_flow(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode(bytes)
}

/// Returns `bytes` as text, or why they are not UTF-8 text: UTF-16, binary data (a PNG, a ZIP
/// such as `.xlsx`, a PDF, NUL bytes), likely Shift_JIS, or just invalid at some byte.
fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && let Some(at) = binary_at(&bytes) {
        // The snippet of binary data is noise: only its position is shown (the text before it
        // decoded lossily, so that line and column are right).
        let before = String::from_utf8_lossy(&bytes[..at]).into_owned();
        let d = nagare::syntax::not_text_diagnostic(before.len());
        return Err(undecodable(d, before, at));
    }
    let bytes = if utf16 {
        bytes
    } else {
        match String::from_utf8(bytes) {
            Ok(s) => return Ok(s),
            Err(e) => e.into_bytes(),
        }
    };
    let offset = if utf16 {
        0
    } else {
        std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |_| bytes.len())
    };
    if utf16 {
        // UTF-16 (Windows "Unicode"): say so rather than pointing at byte 0.
        let d = Diagnostic::error(
            "E0002",
            Span::at(0),
            Text::new(
                "UTF-16 で保存されています (UTF-8 ではありません)",
                "the file is saved as UTF-16, not UTF-8",
            ),
        )
        .with_hint(Text::new(
            "「UTF-8」を選んで保存し直してください (メモ帳の「Unicode」は UTF-16 です)",
            "save it again choosing UTF-8 (Notepad's \"Unicode\" is UTF-16)",
        ));
        return Err(undecodable(d, String::new(), 0));
    }
    let shown = String::from_utf8_lossy(&bytes).into_owned();
    // The valid prefix decodes unchanged, so `offset` is also the position in `shown`, where
    // the bad byte became U+FFFD (3 bytes).
    let span = Span::new(offset, offset + '\u{FFFD}'.len_utf8());
    let line = LineIndex::new(&shown).line_col(&shown, span.start);
    let position = Text::new(
        format!(
            "{} 行 {} 文字目、先頭から {} バイト目",
            line.line,
            line.column,
            offset + 1
        ),
        format!(
            "line {}, column {}, byte {} of the file",
            line.line,
            line.column,
            offset + 1
        ),
    );
    let d = if looks_like_shift_jis(&bytes) {
        Diagnostic::error(
            "E0002",
            span,
            Text::new(
                format!("Shift_JIS で保存されているようです (UTF-8 ではありません。{})", position.ja),
                format!("this looks like Shift_JIS, not UTF-8 ({})", position.en),
            ),
        )
        .with_label_message(Text::new("UTF-8 ではない文字", "not UTF-8"))
        .with_hint(Text::new(
            "「UTF-8」を選んで保存し直してください (メモ帳やサクラエディタの「名前を付けて保存」で文字コードを UTF-8 に、Excel なら「CSV UTF-8」)",
            "save it again choosing UTF-8 as the encoding (in Notepad: Save As → Encoding: UTF-8)",
        ))
    } else {
        Diagnostic::error(
            "E0002",
            span,
            Text::new(
                format!("UTF-8 のテキストではありません ({})", position.ja),
                format!("the file is not valid UTF-8 ({})", position.en),
            ),
        )
        .with_label_message(Text::new("UTF-8 ではない文字", "not UTF-8"))
        .with_hint(Text::new(
            "UTF-8 で保存し直してください (メモ帳などで文字コードに「UTF-8」を選びます)",
            "save the file as UTF-8 (other encodings are not read)",
        ))
    };
    Err(undecodable(d, shown, offset))
}

fn undecodable(diagnostic: Diagnostic, shown: String, offset: usize) -> ReadError {
    ReadError::Undecodable {
        diagnostic: Box::new(diagnostic),
        shown,
        offset,
    }
}

/// Returns the offset of the first sign that `bytes` are binary data: a NUL byte, or the
/// signature of a PNG, JPEG, GIF, ZIP (also `.xlsx`/`.docx`) or PDF file at the start.
fn binary_at(bytes: &[u8]) -> Option<usize> {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG\r\n\x1a\n",
        b"\xFF\xD8\xFF",
        b"GIF87a",
        b"GIF89a",
        b"PK\x03\x04",
        b"%PDF-",
        b"\xD0\xCF\x11\xE0", // old Office (.xls, .doc)
    ];
    if MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return Some(0);
    }
    bytes.iter().position(|&b| b == 0)
}

/// Returns true if `bytes` decode cleanly as Shift_JIS (CP932) and contain double-byte
/// characters: every lead byte is followed by a valid trail byte, and there is no byte that
/// Shift_JIS never uses. UTF-8 Japanese almost never passes this (its continuation bytes hit
/// lead bytes with no valid trail), so the verdict is reliable for the files clerks write.
#[must_use]
pub fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut double = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x00..=0x7F | 0xA1..=0xDF => i += 1,
            0x81..=0x9F | 0xE0..=0xFC => {
                let Some(&t) = bytes.get(i + 1) else {
                    return false;
                };
                if !matches!(t, 0x40..=0x7E | 0x80..=0xFC) {
                    return false;
                }
                double += 1;
                i += 2;
            }
            _ => return false,
        }
    }
    double > 0
}

/// Writes `bytes` to `output` (a file; standard output when `None` or `-`). A closed pipe
/// (`| head`) on standard output is the reader's choice, not an error.
///
/// # Errors
/// When the file cannot be written, or standard output fails other than by a closed pipe.
pub fn emit(bytes: &[u8], output: Option<&Path>, lang: Lang) -> anyhow::Result<()> {
    match output {
        Some(path) if path != Path::new("-") => std::fs::write(path, bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}: {}: {}",
                path.display(),
                pick(lang, &Text::new("書き込めません", "cannot write")),
                io_error(&e, lang)
            )
        }),
        _ => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            }
        }
    }
}

/// Reads and compiles the one flow file a command works on. A missing or unreadable file fails
/// with a message in `lang` (exit code 2); the compilation may still hold model errors, which
/// the caller shows with [`eprint_errors`].
///
/// # Errors
/// When the file does not exist, cannot be read or is not UTF-8 text.
pub fn compile_file(path: &Path, lang: Lang) -> anyhow::Result<(String, nagare::Compilation)> {
    if !path.exists() {
        anyhow::bail!(match lang {
            Lang::Ja => format!("`{}` が見つかりません", path.display()),
            Lang::En => format!("`{}` does not exist", path.display()),
        });
    }
    let source = read_or_report(path, lang)?;
    let compilation = nagare::compile(
        &source,
        &nagare::CompileOptions {
            name_hint: name_hint(path),
        },
    );
    Ok((source, compilation))
}

/// Prints the errors among `diagnostics` of the file `path` to standard error, as `check`
/// shows them (warnings are left to `check`: the command stops because of the errors).
pub fn eprint_errors(path: &Path, source: &str, diagnostics: &[Diagnostic], lang: Lang) {
    let errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    eprint!(
        "{}",
        render_terminal(
            &path.display().to_string(),
            source,
            &errors,
            lang,
            stderr_color()
        )
    );
}

/// Reads a flow file, or prints why it cannot be read (the Shift_JIS diagnostic and the like) to
/// standard error and fails with [`Reported`] (exit code 2).
///
/// # Errors
/// When the file cannot be read or is not UTF-8 text.
pub fn read_or_report(path: &Path, lang: Lang) -> anyhow::Result<String> {
    read_flow(path).map_err(|e| {
        eprint!("{}", read_error_text(path, &e, lang));
        anyhow::Error::new(Reported)
    })
}

/// Returns the terminal text for a file that could not be read (exit code 2).
#[must_use]
pub fn read_error_text(path: &Path, error: &ReadError, lang: Lang) -> String {
    match error {
        // UTF-16 and binary data have nothing worth showing: only the position.
        ReadError::Undecodable {
            diagnostic, shown, ..
        } if shown.is_empty() || diagnostic.code == "E0100" => plain(
            &path.display().to_string(),
            shown,
            &LineIndex::new(shown),
            diagnostic,
            lang,
            false,
        ),
        ReadError::Undecodable {
            diagnostic, shown, ..
        } => render_terminal(
            &path.display().to_string(),
            shown,
            std::slice::from_ref(diagnostic.as_ref()),
            lang,
            false,
        ),
        ReadError::Io(e) => {
            let d = Diagnostic::error(
                "E0003",
                Span::at(0),
                Text::new(
                    format!("ファイルを読めません: {}", io_error(e, Lang::Ja)),
                    format!("cannot read the file: {}", io_error(e, Lang::En)),
                ),
            );
            plain(
                &path.display().to_string(),
                "",
                &LineIndex::new(""),
                &d,
                lang,
                false,
            )
        }
    }
}

/// Returns the JSON object for a file that could not be read.
#[must_use]
pub fn read_error_json(path: &Path, error: &ReadError, lang: Lang) -> serde_json::Value {
    match error {
        ReadError::Undecodable {
            diagnostic,
            shown,
            offset,
        } => {
            let name = path.display().to_string();
            let mut v = json_diagnostics(
                &name,
                shown,
                std::slice::from_ref(diagnostic.as_ref()),
                lang,
            )
            .pop()
            .unwrap_or(serde_json::Value::Null);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("byte_offset".to_owned(), serde_json::json!(offset));
            }
            v
        }
        ReadError::Io(e) => serde_json::json!({
            "file": path.display().to_string(),
            "code": "E0003",
            "severity": "error",
            "message": format!("{}: {}", pick(lang, &Text::new("ファイルを読めません", "cannot read the file")), io_error(e, lang)),
            "line": 0,
            "column": 0,
            "end_line": 0,
            "end_column": 0,
            "hints": [],
            "labels": [],
        }),
    }
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

/// Returns true when colour should be used on stderr (a terminal, and `NO_COLOR` unset).
#[must_use]
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Returns true when colour should be used on stdout (a terminal, and `NO_COLOR` unset).
#[must_use]
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Returns the diagnostics of one file rendered for the terminal, in `lang`.
///
/// The header line (`エラー[E0301]: …` / `error[E0301]: …`) is written here, because
/// codespan-reporting prints the severity in English only; codespan draws the location, the
/// source snippet and the hints below it.
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
        let rendered = to_codespan(d, source, &index, lang).and_then(|cs| {
            let mut buffer = new_buffer(color);
            term::emit_to_write_style(&mut buffer, &config, &file, &cs).ok()?;
            let body = String::from_utf8_lossy(buffer.as_slice()).into_owned();
            // codespan's first line is its own (empty-message) header: replace it by ours. The
            // message was left empty so that this line is always exactly one line.
            let (_, rest) = body.split_once('\n')?;
            Some(format!("{}{rest}", header(d, lang, color)))
        });
        out.push_str(&rendered.unwrap_or_else(|| plain(name, source, &index, d, lang, color)));
    }
    out
}

fn new_buffer(color: bool) -> Buffer {
    if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    }
}

/// Returns the header line `severity[code]: message\n` in `lang`, coloured like codespan's.
fn header(d: &Diagnostic, lang: Lang, color: bool) -> String {
    use std::io::Write as _;
    use term::termcolor::{Color, ColorSpec, WriteColor};
    let mut b = new_buffer(color);
    let severity_color = match d.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
    };
    let mut spec = ColorSpec::new();
    spec.set_bold(true)
        .set_intense(true)
        .set_fg(Some(severity_color));
    // Writing to an in-memory buffer cannot fail; a failure would only lose colour codes.
    let _ = b.set_color(&spec);
    let _ = write!(b, "{}[{}]", severity_word(d.severity, lang), d.code);
    let _ = b.set_color(ColorSpec::new().set_bold(true).set_intense(true));
    let _ = write!(b, ": {}", d.message.get(lang));
    let _ = b.reset();
    let _ = writeln!(b);
    String::from_utf8_lossy(b.as_slice()).into_owned()
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
            .with_labels(labels)
            .with_notes(hint_notes(d, lang)),
    )
}

fn hint_notes(d: &Diagnostic, lang: Lang) -> Vec<String> {
    d.hints
        .iter()
        .map(|h| format!("{}: {}", hint_word(lang), h.get(lang)))
        .collect()
}

/// Renders a diagnostic without a source snippet, in the same layout as the others.
fn plain(
    name: &str,
    source: &str,
    index: &LineIndex,
    d: &Diagnostic,
    lang: Lang,
    color: bool,
) -> String {
    let lc = index.line_col(source, d.span().start);
    let mut s = header(d, lang, color);
    s.push_str(&format!("  ┌─ {name}:{}:{}\n", lc.line, lc.column));
    if !d.hints.is_empty() {
        s.push_str("  │\n");
    }
    for h in hint_notes(d, lang) {
        // Continuation lines line up under the hint text, as codespan does.
        s.push_str(&format!("  = {}\n", h.replace('\n', "\n    ")));
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
            let mut v = serde_json::json!({
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
            });
            // The "N more" entry of a capped list says what it stands for, so that a tool can
            // count every finding as the text summary does.
            if let (Some(h), Some(obj)) = (d.hidden, v.as_object_mut()) {
                obj.insert(
                    "hidden".to_owned(),
                    serde_json::json!({ "errors": h.errors, "warnings": h.warnings }),
                );
            }
            v
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

#[cfg(test)]
mod tests {
    use super::*;

    fn undecodable_diagnostic(bytes: &[u8]) -> Diagnostic {
        match decode(bytes.to_vec()) {
            Err(ReadError::Undecodable { diagnostic, .. }) => *diagnostic,
            other => panic!("expected an undecodable file, got {other:?}"),
        }
    }

    #[test]
    fn binary_files_are_not_text_rather_than_not_utf8() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(undecodable_diagnostic(png).code, "E0100");
        assert_eq!(
            undecodable_diagnostic(b"%PDF-1.7\n\xE2\xE3\xCF\xD3").code,
            "E0100"
        );
        assert_eq!(
            undecodable_diagnostic(b"PK\x03\x04\x14\0\x06\0").code,
            "E0100"
        );
    }

    #[test]
    fn shift_jis_is_named_and_positions_are_one_based() {
        // 「業務: 転入」 in Shift_JIS.
        let sjis = b"\x8b\xc6\x96\xb1: \x93\x5d\x93\xfc\n";
        let d = undecodable_diagnostic(sjis);
        assert_eq!(d.code, "E0002");
        assert!(d.message.en.contains("looks like Shift_JIS"), "{d:?}");
        assert!(d.message.en.contains("line 1, column 1, byte 1"), "{d:?}");
        let latin1 = b"# caf\xe9 au lait\n";
        let d = undecodable_diagnostic(latin1);
        assert!(!d.message.en.contains("Shift_JIS"), "{d:?}");
        assert!(
            d.message.ja.contains("1 行 6 文字目、先頭から 6 バイト目"),
            "{d:?}"
        );
        let utf16 = b"\xFF\xFEa\0b\0";
        assert!(undecodable_diagnostic(utf16).message.en.contains("UTF-16"));
    }

    #[test]
    fn nul_bytes_are_binary_and_their_position_is_kept() {
        let d = undecodable_diagnostic(b"\xE6\xA5\xAD\nab\0c");
        assert_eq!(d.code, "E0100");
        // "業\nab" is 6 bytes: the NUL is line 2, column 3.
        assert_eq!(d.span().start, 6);
        assert!(decode("業務: 例\n".as_bytes().to_vec()).is_ok());
    }

    #[test]
    fn headers_are_localised_and_keep_colours() {
        let source = "業務: 例\n";
        let d = Diagnostic::warning(
            "W0104",
            Span::new(0, 6),
            Text::new("日本語の説明", "english message"),
        );
        let ja = render_terminal("a.flow", source, std::slice::from_ref(&d), Lang::Ja, false);
        assert!(ja.starts_with("警告[W0104]: 日本語の説明\n"), "{ja}");
        assert!(ja.contains("┌─ a.flow:1:1"), "{ja}");
        assert!(!ja.contains("warning"), "{ja}");
        let en = render_terminal("a.flow", source, std::slice::from_ref(&d), Lang::En, false);
        assert!(en.starts_with("warning[W0104]: english message\n"), "{en}");
        let colored = render_terminal("a.flow", source, &[d], Lang::Ja, true);
        assert!(colored.contains("\u{1b}["), "{colored:?}");
        assert!(colored.contains("警告[W0104]"), "{colored:?}");
    }
}
