//! `--help` and usage errors through the real binary: Japanese when `LANG` starts with `ja` or
//! with `--lang ja`, English otherwise, for every command (found by reading the help itself, so a
//! new command is covered without changing this test).

use std::process::Command;

/// Runs the binary with `LANG=lang` (and no other locale variable); returns stdout + stderr and
/// the exit code.
fn nagare(lang: &str, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_nagare"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (text, out.status.code().unwrap_or(-1))
}

fn japanese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}'))
}

/// Returns the entries (first word of each indented line) of the help section `heading`.
fn section<'a>(help: &'a str, heading: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect()
}

/// Returns every command path below `nagare` (`["check"], …, ["bpmn", "import"]`), read from the
/// English help.
fn commands(path: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let (help, code) = nagare("C", &args);
    assert_eq!(code, 0, "{help}");
    let mut out = Vec::new();
    for line in section(&help, "Commands:") {
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        if name == "help" {
            continue;
        }
        let mut sub = path.to_vec();
        sub.push(name.to_owned());
        out.push(sub.clone());
        out.extend(commands(&sub));
    }
    out
}

#[test]
fn every_command_and_option_has_japanese_help() {
    let mut all = vec![Vec::new()];
    all.extend(commands(&[]));
    assert!(all.len() >= 11, "commands found: {all:?}");
    for path in &all {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (ja, code) = nagare("ja_JP.UTF-8", &args);
        assert_eq!(code, 0, "{ja}");
        assert!(ja.contains("\n使い方: nagare"), "{path:?}:\n{ja}");
        assert!(!ja.contains("[OPTIONS]"), "{path:?}:\n{ja}");
        assert!(
            japanese(ja.lines().next().unwrap_or_default()),
            "about of {path:?}:\n{ja}"
        );
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "Print help",
            "default:",
        ] {
            assert!(!ja.contains(english), "{path:?}: {english:?} in\n{ja}");
        }
        let entries: Vec<&str> = ["引数:", "オプション:", "コマンド:"]
            .iter()
            .flat_map(|h| section(&ja, h))
            .collect();
        assert!(!entries.is_empty(), "{path:?}:\n{ja}");
        for entry in entries {
            // The part after the option's name and placeholder must be Japanese.
            let help = entry.trim_start().split("  ").skip(1).collect::<String>();
            assert!(japanese(&help), "{path:?}: no Japanese help in {entry:?}");
        }

        let (en, code) = nagare("C", &args);
        assert_eq!(code, 0, "{en}");
        assert!(en.contains("\nUsage: nagare"), "{path:?}:\n{en}");
        assert!(
            !japanese(&en),
            "{path:?}: Japanese in the English help\n{en}"
        );
    }
}

#[test]
fn help_shows_values_and_defaults_in_the_users_language() {
    let (ja, _) = nagare("ja_JP.UTF-8", &["diff", "--help"]);
    assert!(
        ja.contains("--format <形式>") && ja.contains("[選択肢: text, json, xlsx] [既定: text]"),
        "{ja}"
    );
    assert!(ja.contains("変化のない工程と指標も一覧にする"), "{ja}");
    let (en, _) = nagare("C", &["diff", "--help"]);
    assert!(
        en.contains("--format <FORMAT>")
            && en.contains("[possible values: text, json, xlsx] [default: text]"),
        "{en}"
    );
    assert!(en.contains("List unchanged steps and metrics too"), "{en}");
}

#[test]
fn the_lang_option_is_read_before_parsing() {
    let (ja, _) = nagare("C", &["--lang", "ja", "stats", "--help"]);
    assert!(ja.contains("フローの指標を表示する"), "{ja}");
    let (ja, _) = nagare("C", &["stats", "--lang=ja", "-h"]);
    assert!(ja.contains("使い方: nagare stats"), "{ja}");
    let (en, _) = nagare("ja_JP.UTF-8", &["--lang", "en", "--help"]);
    assert!(en.contains("Usage: nagare") && !japanese(&en), "{en}");
    let (ja, _) = nagare("ja_JP.UTF-8", &["help", "bpmn", "import"]);
    assert!(ja.contains("使い方: nagare bpmn import"), "{ja}");
}

#[test]
fn usage_errors_are_in_the_users_language_with_exit_code_2() {
    let (ja, code) = nagare("ja_JP.UTF-8", &["dif"]);
    assert_eq!(code, 2);
    assert!(
        ja.starts_with("エラー: 'dif' というコマンドはありません"),
        "{ja}"
    );
    assert!(
        ja.contains("ヒント: 似たコマンドがあります: 'diff'"),
        "{ja}"
    );
    assert!(
        ja.contains("詳しくは 'nagare --help' を実行してください。"),
        "{ja}"
    );

    let (ja, code) = nagare("ja_JP.UTF-8", &["stats", "--format", "exel", "models"]);
    assert_eq!(code, 2);
    assert!(
        ja.contains("'--format <形式>' に 'exel' は指定できません"),
        "{ja}"
    );
    assert!(ja.contains("[選択肢: table, json, csv, xlsx]"), "{ja}");
    assert!(ja.contains("'nagare stats --help'"), "{ja}");

    let (ja, code) = nagare("ja_JP.UTF-8", &["check", "--formt", "json"]);
    assert_eq!(code, 2);
    assert!(ja.contains("似たオプションがあります: '--format'"), "{ja}");

    let (ja, code) = nagare("ja_JP.UTF-8", &["bpmn", "import"]);
    assert_eq!(code, 2);
    assert!(
        ja.contains("次の引数を指定してください: <ファイル>"),
        "{ja}"
    );
    assert!(ja.contains("'nagare bpmn import --help'"), "{ja}");
    assert!(
        ja.contains("使い方: nagare bpmn import [オプション] <ファイル>"),
        "{ja}"
    );

    let (en, code) = nagare("C", &["dif"]);
    assert_eq!(code, 2);
    assert!(
        en.starts_with("error: unrecognized subcommand 'dif'"),
        "{en}"
    );
    assert!(!japanese(&en), "{en}");
}
