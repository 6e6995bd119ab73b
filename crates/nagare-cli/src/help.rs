//! The command line in the user's language: `--help` of every command and clap's usage errors.
//!
//! One mechanism: the clap `Command` is built from the derive, then every about and help text is
//! replaced from one bilingual table ([`HELP`], keyed by command path and argument id) before
//! parsing. The texts of the derive's doc comments are never shown; they stay as notes for readers
//! of the code. clap's own words are replaced too: the headings (`Usage`, `Arguments`, `Options`,
//! `Commands`) by a help template and help headings, the placeholders (`<FILE>`, `[OPTIONS]`) by
//! Japanese value names and a usage line, its lists of possible and default values by a suffix
//! written here, and its usage errors by [`Japanese`], an error formatter that renders clap's
//! error context in Japanese. The language must be known before parsing, so `--lang` is read from
//! the raw arguments ([`lang_from_args`]).
//!
//! Not translated: the reason text of values that fail to parse, which comes from the parser of
//! the value's type (`invalid IP address syntax`; replaced by what is expected for `--port`,
//! `--host` and `--scale`), and clap tips other than the one for values that look like options.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::Command;
use clap::builder::StyledStr;
use clap::builder::styling::{AnsiColor, Style};
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use nagare::syntax::Lang;

/// Every about and help text of the command line: (key, Japanese, English). A command's key is its
/// path without `nagare` (`""` for `nagare` itself, `"bpmn import"`), an argument's key is the
/// command's key, a colon and the argument's id (`"diff:output"`). Lists of possible and default
/// values are added by [`localize_arg`], so the texts do not repeat them. A test walks the command
/// tree: an option added without an entry here fails it.
pub const HELP: &[(&str, &str, &str)] = &[
    (
        "",
        "業務フローの As-Is / To-Be を数える — 自治体の BPR のために",
        "Count the As-Is and To-Be of business flows — BPR for city halls",
    ),
    (
        ":lang",
        "メッセージの言語（既定: LANG などが ja で始まれば日本語、それ以外は英語）",
        "Message language (default: Japanese if LANG starts with \"ja\", else English)",
    ),
    (
        "check",
        "フローファイル（フォルダなら中の .flow ファイルすべて）を確認し、問題を報告する",
        "Check flow files (or every .flow file in folders) and report problems",
    ),
    (
        "check:paths",
        "ファイルまたはフォルダ（フォルダの下の *.flow すべて）。省略時は現在のフォルダ",
        "Files or folders (every *.flow file below a folder); default: the current folder",
    ),
    (
        "check:format",
        "出力形式（text: 人が読む形、json: エディタや CI 向け）",
        "Output format (text: for people, json: for editors and CI)",
    ),
    (
        "fmt",
        "フローファイルを標準の書き方に整形する",
        "Rewrite flow files in the canonical layout",
    ),
    (
        "fmt:paths",
        "ファイルまたはフォルダ（フォルダの下の *.flow すべて）。省略時は現在のフォルダ",
        "Files or folders (every *.flow file below a folder); default: the current folder",
    ),
    (
        "fmt:check",
        "書き換えずに、整形が必要なファイルを一覧にする（あれば終了コード 1）",
        "Do not write; list the files that are not formatted and exit with 1 if there are any",
    ),
    (
        "stats",
        "フローの指標を表示する（フォルダなら手続ごとの一覧表）",
        "Print the metrics of a flow, or a portfolio table for a folder",
    ),
    (
        "stats:paths",
        "フローファイル 1 つ、または一覧表にするフォルダ（models/ など）や複数のファイル",
        "A flow file, or folders (models/) and several files for a portfolio table",
    ),
    (
        "stats:format",
        "出力形式（csv: Excel 用の UTF-8 CSV、xlsx: Excel ブックで -o が必要）",
        "Output format (csv: UTF-8 CSV for Excel, xlsx: an Excel workbook, needs -o)",
    ),
    (
        "stats:output",
        "標準出力の代わりにこのファイルへ書き出す（- は標準出力）",
        "Write the output to this file instead of standard output (- for standard output)",
    ),
    (
        "diff",
        "As-Is と To-Be のフローを比べる",
        "Compare an As-Is flow with a To-Be flow",
    ),
    (
        "diff:paths",
        "As-Is と To-Be のフローファイル、または as-is.flow と to-be.flow（か can-be.flow）を含むフォルダ 1 つ",
        "The As-Is and To-Be flow files, or one folder holding as-is.flow and to-be.flow (or can-be.flow)",
    ),
    (
        "diff:format",
        "出力形式（xlsx: 要約・指標・工程の変化の Excel ブックで -o が必要）",
        "Output format (xlsx: an Excel workbook of summary, metric deltas and step changes, needs -o)",
    ),
    (
        "diff:output",
        "標準出力の代わりにこのファイルへ書き出す（- は標準出力）",
        "Write the output to this file instead of standard output (- for standard output)",
    ),
    (
        "diff:all",
        "変化のない工程と指標も一覧にする（既定では件数だけ）",
        "List unchanged steps and metrics too (default: only their count)",
    ),
    (
        "render",
        "フローをスイムレーン図（SVG または PNG）に描く",
        "Draw a flow as a swimlane diagram (SVG or PNG)",
    ),
    (
        "render:file",
        "描く .flow ファイル",
        "The .flow file to draw",
    ),
    (
        "render:output",
        "書き出し先（既定: svg と json は標準出力、png は <ファイル>.png）",
        "Where to write (default: standard output for svg/json, <file>.png for png)",
    ),
    (
        "render:format",
        "出力形式（既定: 書き出し先の拡張子から、なければ svg。dot: 比較用の Graphviz 形式でレーンなし）",
        "Output format (default: from the output file's extension, else svg; dot: plain Graphviz, no lanes, to compare layouts)",
    ),
    (
        "render:vertical",
        "レーンを縦に並べる（担当が横に並び、流れは上から下へ）",
        "Draw lanes as columns (actors across the top, flow downwards)",
    ),
    (
        "render:handoff_map",
        "スイムレーン図の代わりに引継ぎ図（誰が誰に仕事を渡すか）を描く",
        "Draw the handoff map (who passes work to whom) instead of the swimlanes",
    ),
    ("render:no_legend", "凡例を付けない", "Leave out the legend"),
    ("render:scale", "PNG の拡大率", "Pixel scale of PNG output"),
    (
        "candidates",
        "オンライン申請・RPA・AI-OCR・ワンスオンリー・押印廃止の候補を探す",
        "Find candidates for online application, RPA, AI-OCR, once-only and seal removal",
    ),
    (
        "candidates:paths",
        "フローファイル、または手続のフォルダを含むフォルダ（models/ など）",
        "Flow files or folders of procedures (models/)",
    ),
    (
        "candidates:format",
        "出力形式（csv: Excel 用の UTF-8 CSV、xlsx: 順位・候補・評価項目の Excel ブックで -o が必要）",
        "Output format (csv: UTF-8 CSV for Excel, xlsx: a workbook of ranking, findings and criteria, needs -o)",
    ),
    (
        "candidates:details",
        "フォルダのとき、各候補の評価項目・理由・削減時間の計算式も表示する",
        "For folders: also print every finding's criteria, reasons and hours formula",
    ),
    (
        "candidates:output",
        "標準出力の代わりにこのファイルへ書き出す（- は標準出力）",
        "Write the output to this file instead of standard output (- for standard output)",
    ),
    (
        "serve",
        "モデルのフォルダを Web ビューアで表示する",
        "Serve the web viewer on a folder of models",
    ),
    (
        "serve:folder",
        "モデルのフォルダ（<フォルダ>/<手続>/<版>.flow）",
        "The folder of models (<folder>/<procedure>/<variant>.flow)",
    ),
    (
        "serve:host",
        "待ち受けるアドレス（既定ではこのコンピュータからしか見られない）",
        "The address to listen on; the default keeps the viewer private to this computer",
    ),
    (
        "serve:port",
        "ポート番号（0 なら空いているポートを選び、URL を表示する）",
        "The port; 0 picks a free port (the URL is printed)",
    ),
    (
        "serve:open",
        "既定のブラウザでビューアを開く",
        "Open the viewer in the default browser",
    ),
    (
        "bpmn",
        "BPMN 2.0 ファイルの取り込み・書き出し・要素の集計",
        "Import, export or count BPMN 2.0 files",
    ),
    (
        "bpmn import",
        "BPMN 2.0 ファイルを .flow のテキスト（またはモデルの JSON）として取り込む",
        "Import a BPMN 2.0 file as .flow text (or the models as JSON)",
    ),
    ("bpmn import:file", "BPMN ファイル", "The BPMN file"),
    (
        "bpmn import:output",
        "書き出し先の .flow ファイル。プロセスが複数あれば 1 つずつ書き出し、2 つ目からは拡張子の前に -2、-3… を付ける（c1-2.flow）。書き出したファイルは標準エラーに表示する",
        "Write the .flow text here. A file with several processes writes one file each: the first to this path, the others with -2, -3… before the extension (c1-2.flow); every file written is listed on standard error",
    ),
    ("bpmn import:format", "出力形式", "Output format"),
    (
        "bpmn export",
        ".flow ファイルを図の配置情報付きの BPMN 2.0 XML として書き出す",
        "Export a .flow file as BPMN 2.0 XML with diagram information",
    ),
    ("bpmn export:file", ".flow ファイル", "The .flow file"),
    (
        "bpmn export:output",
        "BPMN の書き出し先（既定: 標準出力）",
        "Write the BPMN here (default: standard output)",
    ),
    (
        "bpmn count",
        "BPMN ファイルの要素（タスク、イベント、ゲートウェイ、レーン、引継ぎ、循環…）を数える",
        "Count the BPMN elements of files (tasks, events, gateways, lanes, handoffs, cycles…)",
    ),
    ("bpmn count:files", "BPMN ファイル", "BPMN files"),
    ("bpmn count:format", "出力形式", "Output format"),
];

/// The texts of what clap adds by itself while building: (argument id or `help` for the help
/// subcommand, Japanese, English). Keyed by id only: they are the same in every command.
const GENERATED: &[(&str, &str, &str)] = &[
    ("help", "ヘルプを表示する", "Print help"),
    ("version", "バージョンを表示する", "Print version"),
    (
        "help-command",
        "このメッセージ、または指定したコマンドのヘルプを表示する",
        "Print this message or the help of the given subcommand(s)",
    ),
    (
        "help-command:subcommand",
        "ヘルプを表示するコマンド",
        "Print help for the subcommand(s)",
    ),
];

/// The placeholders of values in Japanese (`--format <形式>`), by clap's English name.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("PATHS", "パス"),
    ("FILE", "ファイル"),
    ("FILES", "ファイル"),
    ("OUTPUT", "ファイル"),
    ("FORMAT", "形式"),
    ("LANG", "言語"),
    ("FOLDER", "フォルダ"),
    ("HOST", "アドレス"),
    ("PORT", "ポート"),
    ("SCALE", "倍率"),
    ("COMMAND", "コマンド"),
];

/// The help layout in Japanese: clap's default with its `Usage:` heading translated.
const JA_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}";

/// Returns the text of `key` in `lang` from `table`.
fn lookup(table: &'static [(&str, &str, &str)], key: &str, lang: Lang) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, ja, en)| match lang {
            Lang::Ja => ja,
            Lang::En => en,
        })
}

/// Returns the language `--lang ja`, `--lang=ja` (or `en`) asks for, read from the raw arguments
/// because the help texts must be chosen before clap parses them; `None` when absent or not a
/// known language (clap then reports the bad value in the environment's language).
#[must_use]
pub fn lang_from_args(args: &[OsString]) -> Option<Lang> {
    let mut found = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        let value = if arg == "--" {
            break;
        } else if arg == "--lang" {
            iter.next().map(|v| v.into_owned())
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            Some(v.to_owned())
        } else {
            continue;
        };
        // The last one wins, as it does for clap.
        found = match value.as_deref() {
            Some("ja") => Some(Lang::Ja),
            Some("en") => Some(Lang::En),
            _ => found,
        };
    }
    found
}

/// Returns `cmd` (the derive's command tree) with every text in `lang`, built and ready to parse.
#[must_use]
pub fn localize(cmd: Command, lang: Lang) -> Command {
    let mut cmd = localize_tree(cmd, "", lang);
    // clap adds `--help`, `--version` and the `help` command while building: build now, so
    // that they exist and can be translated too.
    cmd.build();
    localize_generated(cmd, lang, false)
}

/// Returns the key of `name` below the command at `path`.
fn child_key(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path} {name}")
    }
}

fn localize_tree(mut cmd: Command, path: &str, lang: Lang) -> Command {
    if let Some(about) = lookup(HELP, path, lang) {
        cmd = cmd.about(about).long_about(None);
    }
    if lang == Lang::Ja {
        cmd = cmd
            .help_template(JA_TEMPLATE)
            .subcommand_help_heading("コマンド")
            .subcommand_value_name("コマンド");
    }
    let key = path.to_owned();
    cmd = cmd.mut_args(|arg| localize_arg(arg, &key, lang));
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub = child_key(path, &name);
        cmd = cmd.mut_subcommand(&name, |s| localize_tree(s, &sub, lang));
    }
    cmd
}

/// Returns `arg` with its help from [`HELP`], its heading in `lang`, and clap's lists of possible
/// and default values replaced by ours (clap writes them in English only).
fn localize_arg(arg: clap::Arg, path: &str, lang: Lang) -> clap::Arg {
    let key = format!("{path}:{}", arg.get_id());
    let Some(text) = lookup(HELP, &key, lang) else {
        return arg;
    };
    let mut help = text.to_owned();
    let takes_value = arg.get_action().takes_values();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if takes_value && !values.is_empty() {
        let word = match lang {
            Lang::Ja => "選択肢",
            Lang::En => "possible values",
        };
        let _ = write!(help, " [{word}: {}]", values.join(", "));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() {
        let word = match lang {
            Lang::Ja => "既定",
            Lang::En => "default",
        };
        let _ = write!(help, " [{word}: {}]", defaults.join(", "));
    }
    let mut arg = arg.help(help).long_help(None);
    if lang == Lang::Ja && takes_value {
        let names: Vec<String> = arg
            .get_value_names()
            .map(|names| names.iter().map(ToString::to_string).collect())
            .unwrap_or_else(|| vec![arg.get_id().as_str().to_ascii_uppercase()]);
        let names: Vec<&'static str> = names
            .iter()
            .filter_map(|n| {
                VALUE_NAMES
                    .iter()
                    .find(|(en, _)| en == n)
                    .map(|&(_, ja)| ja)
            })
            .collect();
        if !names.is_empty() {
            arg = arg.value_names(names);
        }
    }
    let arg = if takes_value {
        arg.hide_possible_values(true).hide_default_value(true)
    } else {
        arg
    };
    heading(arg, lang)
}

/// Returns `arg` under a Japanese heading (clap's `Arguments`/`Options` are fixed English).
fn heading(arg: clap::Arg, lang: Lang) -> clap::Arg {
    match lang {
        Lang::Ja if arg.is_positional() => arg.help_heading("引数"),
        Lang::Ja => arg.help_heading("オプション"),
        Lang::En => arg,
    }
}

/// Returns `cmd` with the texts of what clap generated while building translated: `--help`,
/// `--version` and the `help` command (`in_help` inside it, whose copies of the commands need
/// only the Japanese layout).
fn localize_generated(mut cmd: Command, lang: Lang, in_help: bool) -> Command {
    for id in ["help", "version"] {
        if cmd.get_arguments().any(|a| a.get_id() == id)
            && let Some(text) = lookup(GENERATED, id, lang)
        {
            cmd = cmd.mut_arg(id, |a| heading(a.help(text).long_help(None), lang));
        }
    }
    if cmd.get_arguments().any(|a| a.get_id() == "subcommand")
        && in_help
        && let Some(text) = lookup(GENERATED, "help-command:subcommand", lang)
    {
        cmd = cmd.mut_arg("subcommand", |a| {
            let a = heading(a.help(text), lang);
            if lang == Lang::Ja {
                a.value_name("コマンド")
            } else {
                a
            }
        });
    }
    if lang == Lang::Ja {
        cmd = cmd
            .help_template(JA_TEMPLATE)
            .subcommand_help_heading("コマンド");
        if !in_help {
            // clap writes `[OPTIONS]` in the usage line itself; the rest is already Japanese.
            let usage = cmd.render_usage().to_string();
            let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
            cmd = cmd.override_usage(usage.replace("[OPTIONS]", "[オプション]"));
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let is_help = name == "help";
        cmd = cmd.mut_subcommand(&name, |mut s| {
            if is_help && let Some(about) = lookup(GENERATED, "help-command", lang) {
                s = s.about(about);
            }
            localize_generated(s, lang, in_help || is_help)
        });
    }
    cmd
}

/// Returns the command the arguments run (`nagare bpmn import`), for the "read more" line of a
/// usage error; clap gives it only with some errors.
#[must_use]
pub fn command_path(cmd: &Command, args: &[OsString]) -> String {
    let mut path = vec![cmd.get_name().to_owned()];
    let mut current = cmd;
    for arg in args.iter().skip(1) {
        let arg = arg.to_string_lossy();
        if arg == "--" {
            break;
        }
        if let Some(sub) = current.find_subcommand(arg.as_ref()) {
            path.push(sub.get_name().to_owned());
            current = sub;
        }
    }
    path.join(" ")
}

/// Renders clap's usage errors in Japanese from their context, in clap's layout: the problem, a
/// hint ("did you mean"), the usage line and where to read more.
pub struct Japanese;

impl ErrorFormatter for Japanese {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let error_style = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
        let valid = Style::new().fg_color(Some(AnsiColor::Green.into()));
        let mut out = StyledStr::new();
        let _ = write!(out, "{error_style}エラー:{error_style:#} ");
        out.push_str(&problem(error));
        let hints = suggestions(error);
        if !hints.is_empty() {
            out.push_str("\n");
        }
        for hint in hints {
            let _ = write!(out, "\n  {valid}ヒント:{valid:#} {hint}");
        }
        let usage = match error.get(ContextKind::Usage) {
            Some(ContextValue::StyledStr(usage)) => Some(usage.to_string()),
            _ => None,
        };
        if let Some(usage) = &usage {
            let line = usage.strip_prefix("Usage: ").unwrap_or(usage);
            let _ = write!(out, "\n\n使い方: {line}");
        }
        // Set by `main` from the arguments (see [`command_path`]).
        let command = string(error, ContextKind::Custom).unwrap_or_else(|| "nagare".to_owned());
        let _ = writeln!(out, "\n\n詳しくは '{command} --help' を実行してください。");
        out
    }
}

fn string(error: &clap::error::Error<Japanese>, kind: ContextKind) -> Option<String> {
    match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn list(error: &clap::error::Error<Japanese>, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Returns the first line of a usage error in Japanese.
fn problem(error: &clap::error::Error<Japanese>) -> String {
    let arg = string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
    let reason = std::error::Error::source(error)
        .map(|s| format!("（{s}）"))
        .unwrap_or_default();
    let choices = |kind: ContextKind| {
        let v = list(error, kind);
        if v.is_empty() {
            String::new()
        } else {
            format!("\n  [選択肢: {}]", v.join(", "))
        }
    };
    match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("'{arg}' に値を指定してください")
        }
        ErrorKind::InvalidValue => format!(
            "'{arg}' に '{value}' は指定できません{}",
            choices(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            // The reason comes from the value's parser, in English; the values of this command
            // line are few, so say what each expects.
            let expected = [
                ("--port", "0 から 65535 までの番号を指定してください"),
                (
                    "--host",
                    "IP アドレス（例: 127.0.0.1、0.0.0.0）を指定してください",
                ),
                ("--scale", "数（例: 2、1.5）を指定してください"),
            ]
            .iter()
            .find(|(name, _)| arg.starts_with(name))
            .map_or(reason, |(_, text)| format!("。{text}"));
            format!("'{arg}' に '{value}' は指定できません{expected}")
        }
        ErrorKind::InvalidSubcommand => format!(
            "'{}' というコマンドはありません",
            string(error, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("'{arg}' という引数やオプションはありません"),
        ErrorKind::MissingRequiredArgument => {
            let missing = list(error, ContextKind::InvalidArg);
            format!("次の引数を指定してください: {}", missing.join(", "))
        }
        ErrorKind::MissingSubcommand => format!(
            "'{}' にはコマンドを続けてください{}",
            string(error, ContextKind::InvalidSubcommand).unwrap_or_default(),
            choices(ContextKind::ValidSubcommand)
        ),
        ErrorKind::ArgumentConflict => {
            let prior = string(error, ContextKind::PriorArg).unwrap_or_default();
            if prior == arg || prior.is_empty() {
                format!("'{arg}' は 1 回だけ指定できます")
            } else {
                format!("'{arg}' と '{prior}' は同時に指定できません")
            }
        }
        ErrorKind::TooManyValues => format!("'{arg}' の値 '{value}' が多すぎます"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("'{arg}' の値の数が違います")
        }
        ErrorKind::NoEquals => format!("'{arg}' の値は '=' で続けてください"),
        ErrorKind::InvalidUtf8 => {
            "引数に UTF-8 でない文字が含まれています（ファイル名は UTF-8 にしてください）"
                .to_owned()
        }
        _ => {
            // Kinds without context (I/O, formatting): clap's own words are all there is.
            let own = error.kind().as_str().unwrap_or("");
            format!(
                "コマンドラインを読めません{}",
                if own.is_empty() {
                    String::new()
                } else {
                    format!("（{own}）")
                }
            )
        }
    }
}

/// Returns the "did you mean" hints of a usage error in Japanese; clap's own free-form tips
/// (English) are passed through.
fn suggestions(error: &clap::error::Error<Japanese>) -> Vec<String> {
    let mut out = Vec::new();
    let quoted = |v: Vec<String>| {
        v.iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join("、")
    };
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "コマンド"),
        (ContextKind::SuggestedArg, "オプション"),
        (ContextKind::SuggestedValue, "値"),
    ] {
        let v = list(error, kind);
        if !v.is_empty() {
            out.push(format!("似た{what}があります: {}", quoted(v)));
        }
    }
    if let Some(ContextValue::StyledStrs(tips)) = error.get(ContextKind::Suggested) {
        out.extend(tips.iter().map(|tip| translate_tip(&tip.to_string())));
    }
    out
}

/// Returns clap's tip for a value that looks like an option in Japanese; other tips unchanged.
fn translate_tip(tip: &str) -> String {
    // clap: "to pass '--x' as a value, use '-- --x'".
    if let Some(rest) = tip.strip_prefix("to pass '")
        && let Some((value, _)) = rest.split_once("' as a value")
    {
        return format!("'{value}' を値として渡すには、前に '--' を置いてください（'-- {value}'）");
    }
    tip.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn lang_is_read_in_both_spellings_and_the_last_wins() {
        assert_eq!(
            lang_from_args(&args(&["nagare", "--lang", "ja"])),
            Some(Lang::Ja)
        );
        assert_eq!(
            lang_from_args(&args(&["nagare", "diff", "--lang=en", "x"])),
            Some(Lang::En)
        );
        assert_eq!(
            lang_from_args(&args(&["nagare", "--lang", "ja", "check", "--lang", "en"])),
            Some(Lang::En)
        );
        assert_eq!(lang_from_args(&args(&["nagare", "--lang", "fr"])), None);
        assert_eq!(lang_from_args(&args(&["nagare", "--", "--lang=ja"])), None);
    }

    /// Returns the keys of every command and argument the derive defines (not clap's own).
    /// Returns true if `s` has kana, kanji or full-width characters.
    fn japanese(s: &str) -> bool {
        s.chars()
            .any(|c| matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}'))
    }

    fn keys(cmd: &Command, path: &str, out: &mut Vec<String>) {
        out.push(path.to_owned());
        for arg in cmd.get_arguments() {
            out.push(format!("{path}:{}", arg.get_id()));
        }
        for sub in cmd.get_subcommands() {
            keys(sub, &child_key(path, sub.get_name()), out);
        }
    }

    #[test]
    fn every_command_and_option_has_a_text_in_both_languages() {
        use clap::CommandFactory as _;
        let mut all = Vec::new();
        keys(&crate::Cli::command(), "", &mut all);
        let missing: Vec<&String> = all
            .iter()
            .filter(|k| !HELP.iter().any(|(key, _, _)| key == k))
            .collect();
        assert!(missing.is_empty(), "add these to HELP: {missing:?}");
        let stale: Vec<&str> = HELP
            .iter()
            .map(|(k, _, _)| *k)
            .filter(|k| !all.iter().any(|a| a == k))
            .collect();
        assert!(stale.is_empty(), "HELP has keys no command uses: {stale:?}");
        for (key, ja, en) in HELP.iter().chain(GENERATED) {
            assert!(
                !en.is_empty() && !japanese(en),
                "{key}: English text {en:?}"
            );
            assert!(
                japanese(ja),
                "{key}: the Japanese text is not Japanese: {ja:?}"
            );
        }
    }

    /// Returns every help and about text of a built command tree.
    fn texts(cmd: &Command, out: &mut Vec<(String, String)>) {
        let name = cmd.get_name().to_owned();
        out.push((
            name.clone(),
            cmd.get_about().map(ToString::to_string).unwrap_or_default(),
        ));
        for arg in cmd.get_arguments() {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            out.push((format!("{name} {}", arg.get_id()), help));
        }
        for sub in cmd.get_subcommands() {
            texts(sub, out);
        }
    }

    #[test]
    fn the_built_tree_is_japanese_everywhere_clap_added_things_included() {
        use clap::CommandFactory as _;
        // Building runs clap's debug assertions on the changed arguments as well.
        let cmd = localize(crate::Cli::command(), Lang::Ja);
        let mut all = Vec::new();
        texts(&cmd, &mut all);
        assert!(all.iter().any(|(k, _)| k == "nagare help"), "{all:?}");
        for (key, text) in &all {
            assert!(japanese(text), "{key}: {text:?}");
        }
        let cmd = localize(crate::Cli::command(), Lang::En);
        let mut all = Vec::new();
        texts(&cmd, &mut all);
        for (key, text) in &all {
            assert!(!text.is_empty() && !japanese(text), "{key}: {text:?}");
        }
    }
}
