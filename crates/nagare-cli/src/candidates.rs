//! `nagare candidates`: improvement candidates of one flow, or the ranking of a models folder.
//!
//! - A file: its findings (table with details, JSON or CSV). If a `to-be.flow` lies beside an
//!   As-Is (or Can-Be) file, each finding also says whether the To-Be realises it.
//! - A folder: every procedure folder below it (`<procedure>/<variant>.flow`) is analysed. The
//!   candidates come from `as-is.flow` (else `can-be.flow`, else the only `.flow` file); the
//!   To-Be (`to-be.flow`, else `can-be.flow` when the As-Is was used) says which are realised.
//!   Procedures are ranked by hours saved per year.
//!
//! Formats: a table, JSON, CSV (UTF-8 with a byte-order mark and CRLF line ends for Excel;
//! formula-looking text is prefixed with `'`) or an XLSX workbook (`--format xlsx -o FILE`: the
//! ranking, every finding and every criterion of all paths given, in one workbook). `-o FILE`
//! writes any format to a file instead of stdout.
//!
//! Settings: `nagare.toml` in the folder given (for a file: its folder or the folder above),
//! tables `[metrics]` and `[candidates]`. Exit codes: 0 ok, 1 a model has errors (its findings
//! are left out), 2 usage, IO or settings failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use nagare::candidates::{self as cand, Finding, RankedProcedure, Realisation};
use nagare::graph;
use nagare::model::Model;
use nagare::syntax::Lang;
use serde::Serialize;

use crate::report::emit;
use crate::stats::{BOM, check_binary_destination, export_error};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Flow files or folders of procedures (`models/`).
    pub paths: Vec<PathBuf>,
    /// Output format (`xlsx` needs `-o FILE`).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// For folders: also print every finding's criteria, reasons and hours formula.
    #[arg(long)]
    pub details: bool,
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
    /// An Excel workbook: ranking, findings, criteria (needs `-o FILE`).
    Xlsx,
}

/// Both settings tables of a `nagare.toml`.
type Settings = nagare::Config;

/// One procedure: its candidates' model, findings and, if a To-Be exists, their status.
#[derive(Serialize)]
struct Procedure {
    process: String,
    file: String,
    to_be_file: Option<String>,
    #[serde(skip)]
    model: Model,
    findings: Vec<Finding>,
    realised: Option<Vec<Realisation>>,
}

#[derive(Serialize)]
struct FolderReport<'a> {
    ranking: &'a [RankedProcedure],
    procedures: &'a [Procedure],
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    if args.paths.is_empty() {
        anyhow::bail!(say(
            lang,
            "ファイルまたはフォルダを指定してください（例: nagare candidates models/）",
            "give a flow file or a folder (e.g. nagare candidates models/)"
        ));
    }
    if args.format == Format::Xlsx {
        check_binary_destination(args.output.as_deref(), lang)?;
    }
    crate::report::check_output(args.output.as_deref(), lang)?;
    let mut failed = false;
    let mut out = String::new();
    let mut all = Vec::new();
    for path in &args.paths {
        let (text, ok, procedures) = if path.is_dir() {
            run_folder(path, args, lang)?
        } else {
            run_file(path, args, lang)?
        };
        failed |= !ok;
        out.push_str(&text);
        all.extend(procedures);
    }
    let bytes = match args.format {
        Format::Xlsx => workbook(&all, lang)?,
        Format::Csv => format!("{BOM}{out}").into_bytes(),
        Format::Table | Format::Json => out.into_bytes(),
    };
    // A single file with errors has nothing to write: do not leave an empty workbook behind.
    if args.format != Format::Xlsx || !all.is_empty() || !failed {
        emit(&bytes, args.output.as_deref(), lang)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn say(lang: Lang, ja: &str, en: &str) -> String {
    match lang {
        Lang::Ja => ja.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Compiles a flow file; `Ok(None)` when it has errors (reported on stderr).
fn load_model(path: &Path, lang: Lang) -> anyhow::Result<Option<Model>> {
    let (source, compilation) = crate::report::compile_file(path, lang)?;
    if compilation.has_errors() {
        crate::report::eprint_errors(path, &source, &compilation.diagnostics, lang);
        eprintln!(
            "{}: {}",
            path.display(),
            say(
                lang,
                "エラーがあるため候補を出しません（`nagare check` で確認してください）",
                "has errors, so no candidates are given (see `nagare check`)"
            )
        );
        return Ok(None);
    }
    Ok(Some(compilation.model))
}

fn findings_of(model: &Model, settings: &Settings) -> Vec<Finding> {
    let analysis = graph::analyze(model, &settings.metrics);
    cand::find(model, &analysis, &settings.candidates)
}

/// Returns the To-Be to compare an As-Is/Can-Be file with: `to-be.flow` beside it, else
/// `can-be.flow` when the file is the As-Is.
fn to_be_beside(file: &Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    let stem = file.file_stem()?.to_string_lossy().into_owned();
    if stem == "to-be" {
        return None;
    }
    let to_be = dir.join("to-be.flow");
    if to_be.is_file() {
        return Some(to_be);
    }
    let can_be = dir.join("can-be.flow");
    (stem == "as-is" && can_be.is_file()).then_some(can_be)
}

/// Returns the file whose candidates represent a procedure folder.
fn candidates_file(dir: &Path, lang: Lang) -> anyhow::Result<Option<PathBuf>> {
    for name in ["as-is.flow", "can-be.flow"] {
        let path = dir.join(name);
        if path.is_file() {
            return Ok(Some(path));
        }
    }
    let flows = flow_files(dir, lang)?;
    Ok(if flows.len() == 1 {
        flows.into_iter().next()
    } else {
        None
    })
}

/// Returns the entries of `dir` that pass `keep`, sorted (the order of every listing).
fn entries(dir: &Path, lang: Lang, keep: impl Fn(&Path) -> bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| {
            say(
                lang,
                &format!("フォルダ `{}` を読めません", dir.display()),
                &format!("cannot read folder `{}`", dir.display()),
            )
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| keep(p))
        .collect();
    paths.sort();
    Ok(paths)
}

fn flow_files(dir: &Path, lang: Lang) -> anyhow::Result<Vec<PathBuf>> {
    entries(dir, lang, |p| {
        p.is_file() && p.extension().is_some_and(|e| e == "flow")
    })
}

fn analyse_procedure(
    file: &Path,
    settings: &Settings,
    lang: Lang,
) -> anyhow::Result<Option<Procedure>> {
    let Some(model) = load_model(file, lang)? else {
        return Ok(None);
    };
    let findings = findings_of(&model, settings);
    let mut to_be_file = None;
    let mut realised = None;
    if let Some(path) = to_be_beside(file)
        && let Some(to_be) = load_model(&path, lang)?
    {
        let to_be_analysis = graph::analyze(&to_be, &settings.metrics);
        let pairs = cand::realised(&findings, &model, &to_be, &to_be_analysis);
        realised = Some(pairs.into_iter().map(|(_, r)| r).collect());
        to_be_file = Some(path.display().to_string());
    }
    Ok(Some(Procedure {
        process: model.process.id.clone(),
        file: file.display().to_string(),
        to_be_file,
        model,
        findings,
        realised,
    }))
}

/// Returns the workbook of every procedure analysed, ranked together.
fn workbook(procedures: &[Procedure], lang: Lang) -> anyhow::Result<Vec<u8>> {
    let portfolio: Vec<(&Model, Vec<Finding>)> = procedures
        .iter()
        .map(|p| (&p.model, p.findings.clone()))
        .collect();
    let ranking = cand::rank(&portfolio);
    let sheets: Vec<nagare_export::ProcedureFindings<'_>> = procedures
        .iter()
        .map(|p| nagare_export::ProcedureFindings {
            process: &p.process,
            file: &p.file,
            findings: &p.findings,
            realised: p.realised.as_deref(),
        })
        .collect();
    nagare_export::candidates_xlsx(&ranking, &sheets, lang).map_err(|e| export_error(&e, lang))
}

/// Returns the text of one file (empty for XLSX), whether it compiled, and its procedure for
/// the workbook.
fn run_file(
    path: &Path,
    args: &Args,
    lang: Lang,
) -> anyhow::Result<(String, bool, Vec<Procedure>)> {
    let settings = crate::config::load(&crate::config::dirs_for(&[], path), lang)?;
    let Some(procedure) = analyse_procedure(path, &settings, lang)? else {
        return Ok((String::new(), false, Vec::new()));
    };
    let text = match args.format {
        Format::Xlsx => return Ok((String::new(), true, vec![procedure])),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&procedure)?),
        Format::Csv => cand::format_csv(&procedure.findings, lang),
        Format::Table => {
            let mut text = format!(
                "{} ({}) — {}\n\n",
                procedure.model.process.name,
                procedure.process,
                procedure.model.process.variant.as_str()
            );
            text.push_str(&cand::format_table(&procedure.findings, lang));
            if let (Some(realised), Some(to_be)) = (&procedure.realised, &procedure.to_be_file) {
                text.push_str(&format!(
                    "\n{} {to_be}\n",
                    say(lang, "To-Be との比較:", "Against")
                ));
                let pairs: Vec<(Finding, Realisation)> = procedure
                    .findings
                    .iter()
                    .cloned()
                    .zip(realised.iter().cloned())
                    .collect();
                text.push_str(&cand::format_realised(&pairs, lang));
            }
            text
        }
    };
    Ok((text, true, Vec::new()))
}

/// Returns the text of a folder (empty for XLSX), whether every model compiled, and its
/// procedures for the workbook.
fn run_folder(
    dir: &Path,
    args: &Args,
    lang: Lang,
) -> anyhow::Result<(String, bool, Vec<Procedure>)> {
    // The folder's own settings, else those of the folder above (a procedure folder given on
    // its own takes its models folder's settings, as `stats` and `diff` do).
    let above = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.parent().map(Path::to_path_buf));
    let settings = crate::config::load(
        &std::iter::once(dir.to_path_buf())
            .chain(above)
            .collect::<Vec<_>>(),
        lang,
    )?;
    // The folder itself may be one procedure; otherwise each subfolder is one.
    let mut dirs = vec![dir.to_path_buf()];
    dirs.extend(entries(dir, lang, Path::is_dir)?);
    let mut ok = true;
    let mut procedures = Vec::new();
    for d in &dirs {
        let Some(file) = candidates_file(d, lang)? else {
            continue;
        };
        match analyse_procedure(&file, &settings, lang)? {
            Some(p) => procedures.push(p),
            None => ok = false,
        }
    }
    if procedures.is_empty() && ok {
        anyhow::bail!(
            "{}: {}",
            dir.display(),
            say(
                lang,
                ".flow ファイル（<手続>/as-is.flow）が見つかりません",
                "no .flow files found (<procedure>/as-is.flow)"
            )
        );
    }
    if args.format == Format::Xlsx {
        return Ok((String::new(), ok, procedures));
    }
    let portfolio: Vec<(&Model, Vec<Finding>)> = procedures
        .iter()
        .map(|p| (&p.model, p.findings.clone()))
        .collect();
    let ranking = cand::rank(&portfolio);
    let text = match args.format {
        Format::Xlsx => String::new(),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&FolderReport {
                ranking: &ranking,
                procedures: &procedures,
            })?
        ),
        Format::Csv => cand::format_ranking(&ranking, lang, true),
        Format::Table => folder_table(&ranking, &procedures, args.details, lang),
    };
    Ok((text, ok, Vec::new()))
}

fn folder_table(
    ranking: &[RankedProcedure],
    procedures: &[Procedure],
    details: bool,
    lang: Lang,
) -> String {
    let mut text = say(
        lang,
        "年間の削減時間による手続の順位（同じ工程は 1 回だけ数える）\n\n",
        "Procedures ranked by hours saved per year (each step counted once)\n\n",
    );
    text.push_str(&cand::format_ranking(ranking, lang, false));
    for r in ranking {
        let Some(p) = procedures.iter().find(|p| p.process == r.process) else {
            continue;
        };
        text.push_str(&format!(
            "\n{}. {} ({}) — {}\n",
            r.rank, r.name, r.process, p.file
        ));
        match (&p.realised, &p.to_be_file) {
            (Some(realised), Some(to_be)) => {
                text.push_str(&format!(
                    "{} {to_be}\n",
                    say(lang, "To-Be との比較:", "Against")
                ));
                let pairs: Vec<(Finding, Realisation)> = p
                    .findings
                    .iter()
                    .cloned()
                    .zip(realised.iter().cloned())
                    .collect();
                text.push_str(&cand::format_realised(&pairs, lang));
            }
            _ => text.push_str(&cand::format_summary(&p.findings, lang)),
        }
        if details {
            text.push_str(&cand::format_details(&p.findings, lang));
        }
    }
    text
}
