//! `nagare diff`: compares an As-Is flow with a To-Be (or Can-Be) flow and prints the summary,
//! the metric deltas and every step change, as text, JSON or an XLSX workbook (`--format xlsx
//! -o FILE`: summary, metric deltas, step changes, handoff changes). `-o FILE` writes any format
//! to a file instead of stdout.
//!
//! `nagare diff as-is.flow to-be.flow`, or `nagare diff models/keijidosha-haisha/` for a folder
//! holding `as-is.flow` and `to-be.flow` (or `can-be.flow`). Settings: the `nagare.toml` of the
//! As-Is file's folder or the folder above. Exit codes: 0 ok, 1 a model has errors (printed to
//! stderr), 2 usage or IO failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use nagare::model::Variant;
use nagare::syntax::{Lang, Text};
use nagare::{Compilation, CompileOptions, compile};

use crate::report;
use crate::report::emit;
use crate::stats::{check_binary_destination, export_error};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The As-Is and To-Be flow files, or one folder holding `as-is.flow` and `to-be.flow`
    /// (or `can-be.flow`).
    pub paths: Vec<PathBuf>,
    /// Output format (`xlsx` needs `-o FILE`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to this file instead of standard output (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// List unchanged steps and metrics too (default: only their count).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// An Excel workbook: summary, metric deltas, step changes (needs `-o FILE`).
    Xlsx,
}

fn say(lang: Lang, ja: &str, en: &str) -> String {
    Text::new(ja, en).get(lang).to_owned()
}

/// Returns the (As-Is, To-Be) files named by the arguments.
fn resolve(paths: &[PathBuf], lang: Lang) -> anyhow::Result<(PathBuf, PathBuf)> {
    match paths {
        [folder] if folder.is_dir() => pair_in(folder, lang),
        [as_is, to_be] => Ok((as_is.clone(), to_be.clone())),
        _ => anyhow::bail!(say(
            lang,
            "As-Is と To-Be のファイル 2 つ、またはその両方を含むフォルダを 1 つ指定してください（例: nagare diff as-is.flow to-be.flow）",
            "give two flow files (As-Is, To-Be) or one folder holding both (e.g. nagare diff as-is.flow to-be.flow)"
        )),
    }
}

/// Returns the As-Is and the To-Be (else Can-Be) file of a procedure folder. A file's variant is
/// its name when the name says one (`as-is.flow`, `現状.flow`…), else its `版:` header, so that
/// folders named in the clerk's own way work too.
fn pair_in(folder: &Path, lang: Lang) -> anyhow::Result<(PathBuf, PathBuf)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| match lang {
            Lang::Ja => format!("フォルダ {} を読めません", folder.display()),
            Lang::En => format!("cannot read folder {}", folder.display()),
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "flow"))
        .collect();
    files.sort();
    let mut by_variant: BTreeMap<Variant, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let named = file
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(nagare_web::load::variant_of_stem);
        let variant = named.or_else(|| {
            let source = report::read_flow(&file).ok()?;
            Some(
                compile(&source, &CompileOptions::default())
                    .model
                    .process
                    .variant,
            )
        });
        if let Some(variant) = variant {
            by_variant.entry(variant).or_default().push(file);
        }
    }
    let one = |variant: Variant| -> anyhow::Result<Option<PathBuf>> {
        match by_variant.get(&variant).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([file]) => Ok(Some(file.clone())),
            Some(several) => {
                let names: Vec<String> = several.iter().map(|p| p.display().to_string()).collect();
                anyhow::bail!(
                    "{}: {} {}",
                    folder.display(),
                    say(
                        lang,
                        &format!(
                            "{} のファイルが複数あります。2 つのファイルを指定してください:",
                            variant.as_str()
                        ),
                        &format!(
                            "several {} files; give the two files to compare:",
                            variant.as_str()
                        ),
                    ),
                    names.join(", ")
                )
            }
        }
    };
    let hint = say(
        lang,
        "ファイル名を as-is.flow / to-be.flow (または can-be.flow) にするか、各ファイルの `版:` を As-Is / To-Be にしてください",
        "name the files as-is.flow / to-be.flow (or can-be.flow), or set `variant:` (版:) to As-Is / To-Be in each file",
    );
    let Some(as_is) = one(Variant::AsIs)? else {
        anyhow::bail!(
            "{}: {}\n  {hint}",
            folder.display(),
            say(
                lang,
                "As-Is のファイルがありません",
                "no As-Is flow in this folder"
            )
        );
    };
    let Some(to_be) = one(Variant::ToBe)?.or(one(Variant::CanBe)?) else {
        anyhow::bail!(
            "{}: {}\n  {hint}",
            folder.display(),
            say(
                lang,
                "To-Be (または Can-Be) のファイルがありません",
                "no To-Be (or Can-Be) flow in this folder"
            )
        );
    };
    Ok((as_is, to_be))
}

/// Reads and compiles one file; `None` after printing why it could not be read (exit 2).
fn load(path: &Path, lang: Lang) -> Option<(String, Compilation)> {
    let source = match report::read_flow(path) {
        Ok(source) => source,
        Err(e) => {
            eprint!("{}", report::read_error_text(path, &e, lang));
            return None;
        }
    };
    let compilation = compile(
        &source,
        &CompileOptions {
            name_hint: report::name_hint(path),
        },
    );
    Some((source, compilation))
}

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    let (as_is_path, to_be_path) = resolve(&args.paths, lang)?;
    if args.format == Format::Xlsx {
        check_binary_destination(args.output.as_deref(), lang)?;
    }
    report::check_output(args.output.as_deref(), lang)?;
    let (Some((as_is_source, as_is)), Some((to_be_source, to_be))) =
        (load(&as_is_path, lang), load(&to_be_path, lang))
    else {
        return Ok(ExitCode::from(2));
    };
    let settings = crate::config::load(&crate::config::dirs_for(&[], &as_is_path), lang)?.metrics;

    // A model with errors is only partly understood: comparing it would report wrong changes.
    let color = report::stderr_color();
    let mut failed = false;
    for (path, source, compilation) in [
        (&as_is_path, &as_is_source, &as_is),
        (&to_be_path, &to_be_source, &to_be),
    ] {
        if compilation.has_errors() {
            failed = true;
            report::eprint_errors(path, source, &compilation.diagnostics, lang);
        }
    }
    if failed {
        eprintln!(
            "{}",
            say(
                lang,
                "エラーのあるモデルは比較できません（nagare check で確認できます）",
                "cannot compare a model with errors (see nagare check)"
            )
        );
        return Ok(ExitCode::from(1));
    }

    // `版:` says which file is which; arguments in the wrong order give an inverted report.
    let (va, vb) = (as_is.model.process.variant, to_be.model.process.variant);
    if va > vb {
        eprintln!(
            "{}",
            say(
                lang,
                &format!(
                    "注意: 1つ目が {}、2つ目が {} です。順序は As-Is → To-Be です（逆になっていませんか）",
                    va.as_str(),
                    vb.as_str()
                ),
                &format!(
                    "warning: the first file is {}, the second {}; the order is As-Is then To-Be (swapped?)",
                    va.as_str(),
                    vb.as_str()
                ),
            )
        );
    }
    let diff = nagare::diff::diff(&as_is.model, &to_be.model, &settings);
    // Link problems (`置換`/`削除` naming unknown As-Is steps) point into the To-Be file.
    if !diff.diagnostics.is_empty() {
        let name = to_be_path.display().to_string();
        eprint!(
            "{}",
            report::render_terminal(&name, &to_be_source, &diff.diagnostics, lang, color)
        );
    }
    let output = match args.format {
        Format::Text => nagare::diff::format_report_with(
            &diff,
            lang,
            nagare::diff::ReportOptions {
                all_steps: args.all,
                all_metrics: args.all,
            },
        )
        .into_bytes(),
        Format::Json => (serde_json::to_string_pretty(&diff)? + "\n").into_bytes(),
        Format::Xlsx => {
            nagare_export::diff_xlsx(&diff, lang).map_err(|e| export_error(&e, lang))?
        }
    };
    emit(&output, args.output.as_deref(), lang)?;
    Ok(ExitCode::SUCCESS)
}
