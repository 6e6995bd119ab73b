//! `nagare stats`: the metrics of one flow (table, JSON or CSV), or a portfolio table with one
//! row per process variant when given a folder (or several files).
//!
//! Formats: an aligned table, JSON, CSV (UTF-8 with a byte-order mark and CRLF line ends, so
//! Excel opens it as Unicode; formula-looking labels are prefixed with `'`), or an XLSX workbook
//! (`--format xlsx -o portfolio.xlsx`). `-o FILE` writes any format to a file instead of stdout.
//!
//! Settings: the `[metrics]` table of `nagare.toml` in the folder given (for a file: its folder or
//! the folder above it). Exit codes: 0 ok, 1 a model has errors (its diagnostics go to stderr;
//! a model that does not compile is left out), 2 usage, IO or settings failure.
//!
//! This module also holds the binary-output checks shared with `candidates` and `diff`.

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nagare::graph::{self, Analysis, PortfolioRow};
use nagare::model::Model;
use nagare::syntax::{Lang, Text};
use nagare::{CompileOptions, compile};
use serde::Serialize;

use crate::report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A flow file, or folders (`models/`) and several files for a portfolio table.
    pub paths: Vec<PathBuf>,
    /// Output format (`xlsx` needs `-o FILE`).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file instead of standard output (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    /// CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends.
    Csv,
    /// An Excel workbook (needs `-o FILE`).
    Xlsx,
}

/// The byte-order mark that makes Excel read a CSV file as UTF-8 rather than Shift_JIS.
pub(crate) const BOM: &str = "\u{feff}";

/// Fails with a clear message unless a binary format has a destination: `-o FILE` is required,
/// and `-o -` (standard output) is refused on a terminal, where the bytes would be garbage.
/// Checked before any work so a forgotten `-o` costs nothing.
pub(crate) fn check_binary_destination(output: Option<&Path>, lang: Lang) -> anyhow::Result<()> {
    match output {
        None => anyhow::bail!(say(
            lang,
            "XLSX はバイナリ形式のため、出力先ファイルを -o で指定してください（例: -o 集計.xlsx）",
            "XLSX is a binary format: give the file to write with -o (e.g. -o report.xlsx)"
        )),
        Some(path) if path == Path::new("-") && std::io::stdout().is_terminal() => {
            anyhow::bail!(say(
                lang,
                "XLSX（バイナリ）を端末には出力しません。-o でファイルを指定するか、パイプやリダイレクトで受けてください",
                "refusing to write XLSX (binary) to a terminal: give a file with -o, or pipe or redirect the output"
            ))
        }
        Some(_) => Ok(()),
    }
}

/// Returns an export error as a message in `lang`.
pub(crate) fn export_error(error: &nagare_export::ExportError, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(error.message().get(lang).to_owned())
}

/// One analysed flow.
struct Analysed {
    path: PathBuf,
    model: Model,
    analysis: Analysis,
}

/// The JSON of a single flow: the metrics plus v(s) per step, so numbers can be traced.
#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    process: &'a str,
    name: &'a str,
    variant: &'a str,
    metrics: &'a graph::Metrics,
    step_visits: Vec<StepVisits<'a>>,
}

#[derive(Serialize)]
struct StepVisits<'a> {
    step: &'a str,
    label: &'a str,
    visits: f64,
}

fn say(lang: Lang, ja: &str, en: &str) -> String {
    Text::new(ja, en).get(lang).to_owned()
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    if args.paths.is_empty() {
        anyhow::bail!(say(
            lang,
            "ファイルまたはフォルダを指定してください（例: nagare stats models/）",
            "give a flow file or a folder (e.g. nagare stats models/)"
        ));
    }
    if args.format == Format::Xlsx {
        check_binary_destination(args.output.as_deref(), lang)?;
    }
    report::check_output(args.output.as_deref(), lang)?;
    let single = args.paths.len() == 1 && args.paths[0].is_file();
    let files = report::load_flow_files(&args.paths, lang)?;
    report::require_flows(&files, &args.paths, lang)?;
    let color = report::stderr_color();
    let mut model_errors = false;
    let mut io_errors = false;
    let mut done = Vec::new();
    for path in files {
        let settings =
            crate::config::load(&crate::config::dirs_for(&args.paths, &path), lang)?.metrics;
        let source = match report::read_flow(&path) {
            Ok(source) => source,
            Err(error) => {
                eprint!("{}", report::read_error_text(&path, &error, lang));
                io_errors = true;
                continue;
            }
        };
        let name = path.display().to_string();
        let compilation = compile(
            &source,
            &CompileOptions {
                name_hint: report::name_hint(&path),
            },
        );
        if compilation.has_errors() {
            report::eprint_errors(&path, &source, &compilation.diagnostics, lang);
            model_errors = true;
            continue;
        }
        let analysis = graph::analyze(&compilation.model, &settings);
        if !analysis.diagnostics.is_empty() {
            eprint!(
                "{}",
                report::render_terminal(&name, &source, &analysis.diagnostics, lang, color)
            );
            model_errors |= nagare::syntax::has_errors(&analysis.diagnostics);
        }
        done.push(Analysed {
            path,
            model: compilation.model,
            analysis,
        });
    }
    // A single file that did not compile has nothing to show (its errors are on stderr).
    if !(single && done.is_empty()) {
        let bytes = if args.format == Format::Xlsx {
            nagare_export::metrics_xlsx(&portfolio_rows(&done), lang)
                .map_err(|e| export_error(&e, lang))?
        } else {
            let text = if single {
                done.first()
                    .map(|a| single_output(a, args.format, lang))
                    .transpose()?
                    .unwrap_or_default()
            } else {
                portfolio_output(&done, args.format, lang)?
            };
            let bom = if args.format == Format::Csv { BOM } else { "" };
            format!("{bom}{text}").into_bytes()
        };
        report::emit(&bytes, args.output.as_deref(), lang)?;
    }
    Ok(if io_errors {
        ExitCode::from(2)
    } else if model_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn single_output(a: &Analysed, format: Format, lang: Lang) -> anyhow::Result<String> {
    let m = &a.analysis.metrics;
    let p = &a.model.process;
    Ok(match format {
        Format::Json => {
            let step_visits = a
                .model
                .steps
                .iter()
                .zip(&a.analysis.step_visits)
                .map(|(s, &visits)| StepVisits {
                    step: &s.key,
                    label: &s.label,
                    visits,
                })
                .collect();
            let report = FileReport {
                file: a.path.display().to_string(),
                process: &p.id,
                name: &p.name,
                variant: p.variant.as_str(),
                metrics: m,
                step_visits,
            };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            text
        }
        Format::Csv => format!(
            "file,process,variant,{}\r\n{}\r\n",
            graph::csv_header(),
            csv_line(a)
        ),
        // Handled by the caller (binary); listed so the match stays exhaustive.
        Format::Xlsx => String::new(),
        Format::Table => {
            let mut out = String::new();
            let volume = m.volume_per_year.map_or_else(
                || say(lang, "件数未記載", "volume not given"),
                |v| match lang {
                    Lang::Ja => {
                        format!("{} 件/年", graph::format_value(v, graph::Unit::Count, lang))
                    }
                    Lang::En => format!(
                        "{} cases/yr",
                        graph::format_value(v, graph::Unit::Count, lang)
                    ),
                },
            );
            let title = if p.name.is_empty() { &p.id } else { &p.name };
            let _ = writeln!(out, "{title} ({}) — {volume}\n", p.variant.as_str());
            out.push_str(&graph::format_table(m, lang));
            if !m.handoffs.matrix.is_empty() {
                let _ = writeln!(
                    out,
                    "\n{}",
                    say(
                        lang,
                        "引継ぎの内訳（回数 / 1件あたり）",
                        "Handoffs by actor (count / per case)"
                    )
                );
                for cell in &m.handoffs.matrix {
                    let _ = writeln!(
                        out,
                        "  {} → {}: {} / {}",
                        cell.from,
                        cell.to,
                        graph::format_value(
                            f64::from(u32::try_from(cell.count).unwrap_or(u32::MAX)),
                            graph::Unit::Count,
                            lang
                        ),
                        graph::format_value(cell.expected, graph::Unit::PerCase, lang)
                    );
                }
            }
            out
        }
    })
}

fn csv_line(a: &Analysed) -> String {
    let p = &a.model.process;
    format!(
        "{},{},{},{}",
        graph::csv_field(&a.path.display().to_string()),
        graph::csv_field(&p.id),
        p.variant.as_str(),
        graph::csv_row(&a.analysis.metrics)
    )
}

fn portfolio_rows(done: &[Analysed]) -> Vec<PortfolioRow> {
    done.iter()
        .map(|a| PortfolioRow {
            path: a.path.display().to_string(),
            process: a.model.process.id.clone(),
            name: a.model.process.name.clone(),
            variant: a.model.process.variant.as_str().to_owned(),
            metrics: a.analysis.metrics.clone(),
        })
        .collect()
}

fn portfolio_output(done: &[Analysed], format: Format, lang: Lang) -> anyhow::Result<String> {
    let rows = portfolio_rows(done);
    Ok(match format {
        Format::Table => graph::format_portfolio(&rows, lang),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&rows)?;
            text.push('\n');
            text
        }
        Format::Csv => {
            let mut out = format!("file,process,variant,{}\r\n", graph::csv_header());
            for a in done {
                out.push_str(&csv_line(a));
                out.push_str("\r\n");
            }
            out
        }
        // Handled by the caller (binary); listed so the match stays exhaustive.
        Format::Xlsx => String::new(),
    })
}
