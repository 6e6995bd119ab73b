//! The `nagare` command line: a front end over the `nagare` facade.
//!
//! Exit codes: 0 ok, 1 the model has errors (or `fmt --check` found changes), 2 usage or IO failure.

mod bpmn;
mod candidates;
mod check;
mod config;
mod diff;
mod fmt;
mod help;
mod render;
mod report;
mod serve;
mod stats;

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue};
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};
use nagare::syntax::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "nagare",
    version,
    about = "業務フローの As-Is / To-Be を数える — BPR for city halls"
)]
struct Cli {
    /// Message language (default: Japanese if LANG starts with "ja", else English).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

/// The help texts users see live in `help.rs` (`HELP`, in Japanese and English); the doc
/// comments here are notes for readers of the code, and a test fails for an option without an
/// entry there.
#[derive(Debug, Subcommand)]
enum Command {
    /// Check flow files (or every .flow file in folders) and report problems.
    Check(check::Args),
    /// Rewrite flow files in the canonical layout.
    Fmt(fmt::Args),
    /// Print the metrics of a flow, or a portfolio table for a folder.
    Stats(stats::Args),
    /// Compare an As-Is flow with a To-Be flow.
    Diff(diff::Args),
    /// Draw a flow as a swimlane diagram (SVG or PNG).
    Render(render::Args),
    /// Find candidates for online application, RPA, AI-OCR, once-only and seal removal.
    Candidates(candidates::Args),
    /// Serve the web viewer on a folder of models.
    Serve(serve::Args),
    /// Import, export or count BPMN 2.0 files.
    Bpmn(bpmn::Args),
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The help texts and usage errors must be in the user's language, so the language is known
    // before clap parses: `--lang` from the raw arguments, else the environment.
    let lang = help::lang_from_args(&args).unwrap_or_else(lang_from_env);
    let command = help::localize(Cli::command(), lang);
    let parsed = command
        .clone()
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        // `--help` and `--version` arrive here as well (exit 0), already in `lang`.
        Err(error) => match lang {
            Lang::Ja => {
                let mut error = error.apply::<help::Japanese>();
                let path = help::command_path(&command, &args);
                error.insert(ContextKind::Custom, ContextValue::String(path));
                error.exit()
            }
            Lang::En => error.exit(),
        },
    };
    // The same as read before parsing; clap's parse is the authority.
    let lang = match cli.lang {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => lang,
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args, lang),
        Command::Fmt(args) => fmt::run(&args, lang),
        Command::Stats(args) => stats::run(&args, lang),
        Command::Diff(args) => diff::run(&args, lang),
        Command::Render(args) => render::run(&args, lang),
        Command::Candidates(args) => candidates::run(&args, lang),
        Command::Serve(args) => serve::run(&args, lang),
        Command::Bpmn(args) => bpmn::run(&args, lang),
    };
    match result {
        Ok(code) => code,
        // Already printed with its source line.
        Err(error) if error.downcast_ref::<report::Reported>().is_some() => ExitCode::from(2),
        Err(error) => {
            let prefix = match lang {
                Lang::Ja => "エラー",
                Lang::En => "error",
            };
            eprintln!("{prefix}: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Returns the language asked for by the environment (`LC_ALL`, then `LC_MESSAGES`, then `LANG`).
fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .map_or(Lang::En, |v| Lang::from_locale(&v))
}
