//! `nagare bpmn`: BPMN 2.0 import (to `.flow` or JSON), export (from `.flow`) and counting.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nagare::syntax::{Diagnostic, Lang};

use crate::report;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import a BPMN 2.0 file as .flow text (or the models as JSON).
    Import {
        /// The BPMN file.
        file: PathBuf,
        /// Write the .flow text here. A file with several processes writes one file each: the
        /// first to this path, the others with `-2`, `-3`… before the extension (`c1-2.flow`);
        /// every file written is listed on standard error.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ImportFormat::Flow)]
        format: ImportFormat,
    },
    /// Export a .flow file as BPMN 2.0 XML with diagram information.
    Export {
        /// The .flow file.
        file: PathBuf,
        /// Write the BPMN here (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Count the BPMN elements of files (tasks, events, gateways, lanes, handoffs, cycles…).
    Count {
        /// BPMN files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CountFormat::Text)]
        format: CountFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Flow,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CountFormat {
    Text,
    Json,
}

/// Runs `nagare bpmn …`; exit code 1 when the model has errors (export), 2 when a file cannot
/// be read or is not readable BPMN (IO, encoding, not XML, malformed XML), as elsewhere in the CLI.
pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Import {
            file,
            output,
            format,
        } => import(file, output.as_deref(), *format, lang),
        Command::Export { file, output } => export(file, output.as_deref(), lang),
        Command::Count { files, format } => count(files, *format, lang),
    }
}

fn read(path: &Path, lang: Lang) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        let e = report::io_error(&e, lang);
        anyhow::anyhow!(match lang {
            Lang::Ja => format!("{} を読めません: {e}", path.display()),
            Lang::En => format!("cannot read {}: {e}", path.display()),
        })
    })
}

fn error_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "エラー",
        Lang::En => "error",
    }
}

fn write(path: &Path, text: &str, lang: Lang) -> anyhow::Result<()> {
    std::fs::write(path, text).map_err(|e| {
        let e = report::io_error(&e, lang);
        anyhow::anyhow!(match lang {
            Lang::Ja => format!("{} に書き込めません: {e}", path.display()),
            Lang::En => format!("cannot write {}: {e}", path.display()),
        })
    })
}

fn print_warnings(file: &Path, diagnostics: &[Diagnostic], lang: Lang) {
    let word = match lang {
        Lang::Ja => "警告",
        Lang::En => "warning",
    };
    for diagnostic in diagnostics {
        eprintln!(
            "{}: {word}[{}]: {}",
            file.display(),
            diagnostic.code,
            diagnostic.message.get(lang)
        );
    }
}

fn import(
    file: &Path,
    output: Option<&Path>,
    format: ImportFormat,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    report::check_output(output, lang)?;
    let bytes = read(file, lang)?;
    let import = match nagare_bpmn::import(&bytes) {
        Ok(import) => import,
        Err(error) => {
            eprintln!("{}: {}", file.display(), error.message().get(lang));
            return Ok(ExitCode::from(2));
        }
    };
    print_warnings(file, &import.diagnostics, lang);
    if import.models.is_empty() {
        eprintln!(
            "{}: {}",
            file.display(),
            match lang {
                Lang::Ja => "プロセスがありません",
                Lang::En => "no process in the file",
            }
        );
        return Ok(ExitCode::from(1));
    }
    match format {
        ImportFormat::Json => {
            let json = serde_json::to_string_pretty(&serde_json::json!({
                "models": import.models,
                "counts": import.counts,
                "diagnostics": import.diagnostics,
            }))?;
            match output {
                Some(path) => {
                    write(path, &json, lang)?;
                    report_written(path, None, import.models.len(), lang);
                }
                None => report::emit(format!("{json}\n").as_bytes(), None, lang)?,
            }
        }
        ImportFormat::Flow => {
            let texts: Vec<String> = import
                .models
                .iter()
                .map(nagare_bpmn::to_flow_text)
                .collect();
            // The printed text is compiled before anything is written: a `.flow` that the
            // importer cannot express correctly must fail here, not later in `nagare check`.
            let mut broken = false;
            for (index, text) in texts.iter().enumerate() {
                let name = match (output, index) {
                    (Some(path), 0) => path.display().to_string(),
                    (Some(path), n) => numbered(path, n + 1).display().to_string(),
                    (None, 0) => "<stdout>".to_owned(),
                    (None, n) => format!("<stdout #{}>", n + 1),
                };
                // Only errors matter here; the process id comes from the text's own header.
                let options = nagare::CompileOptions::default();
                let compilation = nagare::compile(text, &options);
                let errors: Vec<Diagnostic> = compilation
                    .diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect();
                if !errors.is_empty() {
                    broken = true;
                    eprint!(
                        "{}",
                        report::render_terminal(&name, text, &errors, lang, stderr_color())
                    );
                }
            }
            if broken {
                eprintln!(
                    "{}: {}",
                    file.display(),
                    match lang {
                        Lang::Ja => {
                            "取り込んだ業務フローを .flow として正しく書けませんでした（上のエラー）。ファイルは書き出していません"
                        }
                        Lang::En => {
                            "the imported process cannot be written as a valid .flow (errors above); nothing was written"
                        }
                    }
                );
                return Ok(ExitCode::from(1));
            }
            for (index, (model, text)) in import.models.iter().zip(&texts).enumerate() {
                match output {
                    Some(path) => {
                        let path = if index == 0 {
                            path.to_path_buf()
                        } else {
                            numbered(path, index + 1)
                        };
                        write(&path, text, lang)?;
                        report_written(&path, Some(&model.process.name), 1, lang);
                    }
                    None => {
                        let separator = if index > 0 { "# ----\n" } else { "" };
                        report::emit(format!("{separator}{text}").as_bytes(), None, lang)?;
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Returns whether diagnostics on standard error may be coloured.
fn stderr_color() -> bool {
    use std::io::IsTerminal as _;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Says on standard error which file was written, so that no file appears unannounced (a BPMN
/// file with two processes writes two `.flow` files).
fn report_written(path: &Path, process: Option<&str>, processes: usize, lang: Lang) {
    match (lang, process) {
        (Lang::Ja, Some(name)) => {
            eprintln!("{} を書き出しました（プロセス「{name}」）", path.display())
        }
        (Lang::En, Some(name)) => eprintln!("wrote {} (process \"{name}\")", path.display()),
        (Lang::Ja, None) => eprintln!(
            "{} を書き出しました（プロセス {processes} 件）",
            path.display()
        ),
        (Lang::En, None) if processes == 1 => eprintln!("wrote {} (1 process)", path.display()),
        (Lang::En, None) => eprintln!("wrote {} ({processes} processes)", path.display()),
    }
}

/// Returns `out.flow` as `out-2.flow` for the second process of a file.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

fn export(file: &Path, output: Option<&Path>, lang: Lang) -> anyhow::Result<ExitCode> {
    report::check_output(output, lang)?;
    // Read as every command reads a flow: a Shift_JIS file is named as such, with how to fix it.
    let (source, compilation) = report::compile_file(file, lang)?;
    if compilation.has_errors() {
        report::eprint_errors(file, &source, &compilation.diagnostics, lang);
        return Ok(ExitCode::from(1));
    }
    let xml = nagare_bpmn::export(&compilation.model);
    match output {
        Some(path) => {
            write(path, &xml, lang)?;
            report_written(path, Some(&compilation.model.process.name), 1, lang);
        }
        None => report::emit(xml.as_bytes(), None, lang)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn count(files: &[PathBuf], format: CountFormat, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut rows = Vec::new();
    for file in files {
        // One unreadable file does not hide the counts of the others (exit code 2 at the end).
        let bytes = match read(file, lang) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{}: {error}", error_word(lang));
                failed = true;
                continue;
            }
        };
        match nagare_bpmn::count(&bytes) {
            Ok(counts) => rows.push((file, Ok(counts))),
            Err(error) => {
                failed = true;
                rows.push((file, Err(error)));
            }
        }
    }
    match format {
        CountFormat::Json => {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|(file, result)| match result {
                    Ok(counts) => {
                        let mut value = serde_json::to_value(counts).unwrap_or_default();
                        if let Some(object) = value.as_object_mut() {
                            object.insert("file".to_owned(), file.display().to_string().into());
                        }
                        value
                    }
                    Err(error) => serde_json::json!({
                        "file": file.display().to_string(),
                        "error": error.message(),
                    }),
                })
                .collect();
            let json = serde_json::to_string_pretty(&json)?;
            report::emit(format!("{json}\n").as_bytes(), None, lang)?;
        }
        CountFormat::Text => {
            for (file, result) in &rows {
                match result {
                    Ok(c) => {
                        let figures = [
                            ("プール", "pools", c.pools),
                            ("レーン", "lanes", c.lanes),
                            ("タスク", "tasks", c.tasks),
                            ("アクティビティ", "activities", c.activities),
                            ("イベント", "events", c.events),
                            ("ゲートウェイ", "gateways", c.gateways),
                            ("シーケンスフロー", "sequenceFlows", c.sequence_flows),
                            ("メッセージフロー", "messageFlows", c.message_flows),
                            ("引継ぎ", "handoffs", c.handoffs),
                            ("循環", "cycles", c.cycles),
                            ("ループ", "loopMarkers", c.loop_markers),
                        ];
                        let text: Vec<String> = figures
                            .iter()
                            .map(|(ja, en, n)| match lang {
                                Lang::Ja => format!("{ja} {n}"),
                                Lang::En => format!("{en} {n}"),
                            })
                            .collect();
                        let separator = match lang {
                            Lang::Ja => "、",
                            Lang::En => " ",
                        };
                        let line = format!("{}: {}\n", file.display(), text.join(separator));
                        report::emit(line.as_bytes(), None, lang)?;
                    }
                    Err(error) => eprintln!("{}: {}", file.display(), error.message().get(lang)),
                }
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
