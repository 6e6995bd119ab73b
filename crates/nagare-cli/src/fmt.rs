//! `nagare fmt`: rewrites flow files in the canonical layout (see docs/dsl.md).
//!
//! A file with syntax errors is never rewritten (exit 1), so no text is lost. With `--check`
//! nothing is written: the files that would change are listed and the exit code is 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nagare::syntax::Lang;

use crate::report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (every `*.flow` file below a folder); default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Do not write; list the files that are not formatted and exit with 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let files = report::load_flow_files(&args.paths, lang)?;
    report::require_flows(&files, &args.paths, lang)?;
    let color = report::stdout_color();
    let mut out = String::new();
    let (mut changed, mut refused, mut unreadable) = (0usize, 0usize, 0usize);
    for path in &files {
        let source = match report::read_flow(path) {
            Ok(s) => s,
            Err(e) => {
                unreadable += 1;
                out.push_str(&report::read_error_text(path, &e, lang));
                continue;
            }
        };
        match nagare::syntax::format(&source) {
            Ok(formatted) if formatted == source => {}
            Ok(formatted) => {
                changed += 1;
                if args.check {
                    out.push_str(&line(lang, "整形が必要", "would reformat", path));
                } else {
                    write_atomically(path, &formatted)?;
                    out.push_str(&line(lang, "整形しました", "formatted", path));
                }
            }
            Err(diagnostics) => {
                refused += 1;
                out.push_str(&report::render_terminal(
                    &path.display().to_string(),
                    &source,
                    &diagnostics,
                    lang,
                    color,
                ));
                out.push_str(&line(
                    lang,
                    "構文エラーがあるため整形しません (ファイルは変更していません)",
                    "not formatted because of syntax errors (file left untouched)",
                    path,
                ));
            }
        }
    }
    report::emit(out.as_bytes(), None, lang)?;
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if refused > 0 || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn line(lang: Lang, ja: &str, en: &str, path: &Path) -> String {
    match lang {
        Lang::Ja => format!("{ja}: {}\n", path.display()),
        Lang::En => format!("{en}: {}\n", path.display()),
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so that an
/// interrupted run never leaves a half-written flow.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".nagare-fmt.tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| anyhow::anyhow!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!("{}: {e}", path.display())
    })
}
