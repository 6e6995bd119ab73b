//! Wrong usage of every command through the real binary, as a clerk meets it: a missing file, a
//! folder without flows, a folder where a file is expected, a Shift_JIS file, `-o` into a missing
//! folder. Each must say what is wrong and how to fix it in the user's language, exit with 2 and
//! never panic.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the binary in `dir` with `LANG=lang`; returns stdout + stderr and the exit code.
fn nagare(dir: &Path, lang: &str, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_nagare"))
        .args(args)
        .current_dir(dir)
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

/// A scratch folder with `ok.flow` (a bundled model), `sjis.flow` (Shift_JIS), an empty folder
/// `empty/` and a folder named like a file, `folder.flow/`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let model = root().join("models/keijidosha-haisha/as-is.flow");
    std::fs::copy(model, dir.path().join("ok.flow")).expect("copy a model");
    // 「業務: 転入」 in Shift_JIS, as Excel and older editors save it.
    std::fs::write(
        dir.path().join("sjis.flow"),
        b"\x8b\xc6\x96\xb1: \x93\x5d\x93\xfc\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    std::fs::create_dir(dir.path().join("folder.flow")).expect("mkdir");
    dir
}

fn assert_usage_error(out: &(String, i32), expected: &[&str], what: &str) {
    let (text, code) = out;
    assert_eq!(*code, 2, "{what}: exit code\n{text}");
    assert!(!text.contains("panicked"), "{what}: panic\n{text}");
    for e in expected {
        assert!(text.contains(e), "{what}: expected {e:?} in\n{text}");
    }
}

#[test]
fn shift_jis_is_named_with_how_to_convert_by_every_command() {
    let dir = scratch();
    let d = dir.path();
    let commands: [&[&str]; 7] = [
        &["check", "sjis.flow"],
        &["fmt", "sjis.flow"],
        &["stats", "sjis.flow"],
        &["diff", "sjis.flow", "ok.flow"],
        &["candidates", "sjis.flow"],
        &["render", "sjis.flow"],
        &["bpmn", "export", "sjis.flow"],
    ];
    for args in commands {
        let what = args.join(" ");
        let ja = nagare(d, "ja_JP.UTF-8", args);
        assert_usage_error(&ja, &["E0002", "Shift_JIS", "UTF-8", "保存し直して"], &what);
        let en = nagare(d, "C", args);
        assert_usage_error(&en, &["E0002", "Shift_JIS", "save it again"], &what);
    }
}

#[test]
fn missing_files_and_folders_without_flows_say_so() {
    let dir = scratch();
    let d = dir.path();
    for args in [
        &["check", "nothere.flow"][..],
        &["stats", "nothere.flow"],
        &["candidates", "nothere.flow"],
        &["render", "nothere.flow"],
        &["bpmn", "export", "nothere.flow"],
    ] {
        let what = args.join(" ");
        assert_usage_error(
            &nagare(d, "ja_JP.UTF-8", args),
            &["`nothere.flow` が見つかりません"],
            &what,
        );
        assert_usage_error(
            &nagare(d, "C", args),
            &["`nothere.flow` does not exist"],
            &what,
        );
    }
    for command in ["check", "fmt", "stats"] {
        assert_usage_error(
            &nagare(d, "ja_JP.UTF-8", &[command, "empty"]),
            &["`empty` に `.flow` ファイルがありません", "ヒント:"],
            command,
        );
        assert_usage_error(
            &nagare(d, "C", &[command, "empty"]),
            &["no `.flow` files in `empty`", "hint:"],
            command,
        );
    }
    assert_usage_error(
        &nagare(d, "ja_JP.UTF-8", &["serve", "nothere"]),
        &["フォルダ `nothere` が見つかりません"],
        "serve",
    );
}

#[test]
fn a_folder_where_a_file_is_expected_is_named_as_a_folder() {
    let dir = scratch();
    let d = dir.path();
    for args in [
        &["render", "folder.flow"][..],
        &["bpmn", "export", "folder.flow"],
        &["diff", "ok.flow", "folder.flow"],
    ] {
        let what = args.join(" ");
        assert_usage_error(
            &nagare(d, "ja_JP.UTF-8", args),
            &["フォルダです（ファイルを指定してください）"],
            &what,
        );
        assert_usage_error(
            &nagare(d, "C", args),
            &["this is a folder (give a file)"],
            &what,
        );
    }
}

#[test]
fn output_into_a_missing_folder_fails_before_any_work() {
    let dir = scratch();
    let d = dir.path();
    let procedure = root().join("models/keijidosha-haisha");
    let procedure = procedure.to_string_lossy();
    for args in [
        &["stats", "ok.flow", "-o", "nope/out.csv", "--format", "csv"][..],
        &[
            "stats",
            "ok.flow",
            "-o",
            "nope/out.xlsx",
            "--format",
            "xlsx",
        ],
        &["diff", &procedure, "-o", "nope/out.txt"],
        &["candidates", "ok.flow", "-o", "nope/out.csv"],
        &["render", "ok.flow", "-o", "nope/out.png"],
        &["bpmn", "export", "ok.flow", "-o", "nope/out.bpmn"],
    ] {
        let what = args.join(" ");
        assert_usage_error(
            &nagare(d, "ja_JP.UTF-8", args),
            &[
                "書き出し先のフォルダ `nope` がありません",
                "先にフォルダを作る",
            ],
            &what,
        );
        assert_usage_error(
            &nagare(d, "C", args),
            &["the folder `nope` to write into does not exist"],
            &what,
        );
    }
    assert!(!d.join("nope").exists());
}

/// `nagare … | head -c 10`: the reader closing the pipe early is its choice; no command may
/// panic ("failed printing to stdout") or fail because of it.
#[test]
fn a_closed_pipe_on_standard_output_is_not_an_error() {
    let bpmn = root().join("crates/nagare-bpmn/tests/fixtures");
    let bpmn_file = std::fs::read_dir(&bpmn).ok().and_then(|mut entries| {
        entries.find_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "bpmn").then_some(path)
        })
    });
    let model = root().join("models/tennyu/as-is.flow");
    let model = model.to_str().expect("utf-8 path");
    let mut runs: Vec<Vec<String>> = vec![
        vec!["check".into(), model.into()],
        vec!["stats".into(), model.into()],
        vec!["candidates".into(), model.into()],
        vec![
            "render".into(),
            model.into(),
            "--format".into(),
            "svg".into(),
        ],
        vec!["bpmn".into(), "export".into(), model.into()],
    ];
    if let Some(file) = bpmn_file {
        let file = file.to_string_lossy().into_owned();
        runs.push(vec!["bpmn".into(), "import".into(), file.clone()]);
        runs.push(vec!["bpmn".into(), "count".into(), file]);
    }
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nagare"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // Close the pipe before the command writes, so every write meets the closed pipe
        // (what `| head -c 10` does to all but the first write, without the race).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("finished");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
}

/// A models folder's `nagare.toml` applies to its procedures whether a command is given the
/// models folder, one procedure folder or one file (the procedure folder alone used to fall
/// back to the defaults in `stats` and `candidates`).
#[test]
fn a_models_folder_setting_applies_however_the_procedure_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let procedure = dir.path().join("haisha");
    std::fs::create_dir(&procedure).expect("mkdir");
    std::fs::copy(
        root().join("models/keijidosha-haisha/as-is.flow"),
        procedure.join("as-is.flow"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("nagare.toml"),
        "[metrics]\ntravel_minutes_per_visit = 45\n",
    )
    .expect("write");
    let travel = |arg: &str| {
        let (out, code) = nagare(dir.path(), "C", &["stats", arg, "--format", "json"]);
        assert_eq!(code, 0, "{out}");
        let json: serde_json::Value = serde_json::from_str(&out).expect("json");
        let metrics = json.as_array().map_or(&json, |a| &a[0]);
        metrics["metrics"]["resident_burden_minutes"]["travel"]
            .as_f64()
            .unwrap_or_else(|| panic!("no travel in {metrics}"))
    };
    // keijidosha-haisha As-Is: one visit per case, so travel is the setting itself.
    for arg in [".", "haisha", "haisha/as-is.flow"] {
        assert!((travel(arg) - 45.0).abs() < 1e-9, "{arg}: {}", travel(arg));
    }
}
