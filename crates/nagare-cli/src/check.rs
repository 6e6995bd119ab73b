//! `nagare check`: compiles every given flow and reports its diagnostics.
//!
//! Exit codes: 0 no errors (warnings allowed), 1 a model has errors, 2 a path is missing or a
//! file cannot be read as UTF-8 text.

use std::path::PathBuf;
use std::process::ExitCode;

use nagare::syntax::Lang;
use nagare::{CompileOptions, compile};

use crate::report;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source lines with carets, for people.
    #[default]
    Text,
    /// A JSON array of diagnostics, for editors and CI.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (every `*.flow` file below a folder); default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let files = report::load_flow_files(&args.paths, lang)?;
    report::require_flows(&files, &args.paths, lang)?;
    let color = report::stdout_color();
    let mut text = String::new();
    let mut json = Vec::new();
    let (mut errors, mut warnings, mut unreadable) = (0usize, 0usize, 0usize);
    for path in &files {
        let name = path.display().to_string();
        let source = match report::read_flow(path) {
            Ok(s) => s,
            Err(e) => {
                unreadable += 1;
                text.push_str(&report::read_error_text(path, &e, lang));
                json.push(report::read_error_json(path, &e, lang));
                continue;
            }
        };
        let compilation = compile(
            &source,
            &CompileOptions {
                name_hint: report::name_hint(path),
            },
        );
        // Count every finding, also those folded into the "N more" entry of a capped list.
        for d in &compilation.diagnostics {
            let c = d.counts();
            errors += c.errors;
            warnings += c.warnings;
        }
        match args.format {
            Format::Text => text.push_str(&report::render_terminal(
                &name,
                &source,
                &compilation.diagnostics,
                lang,
                color,
            )),
            Format::Json => json.extend(report::json_diagnostics(
                &name,
                &source,
                &compilation.diagnostics,
                lang,
            )),
        }
    }
    match args.format {
        Format::Text => {
            text.push_str(&report::summary(
                files.len(),
                errors + unreadable,
                warnings,
                lang,
            ));
            text.push('\n');
            report::emit(text.as_bytes(), None, lang)?;
        }
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(&json)?;
            bytes.push(b'\n');
            report::emit(&bytes, None, lang)?;
        }
    }
    Ok(if unreadable > 0 {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
