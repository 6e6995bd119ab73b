//! The flow language end to end through the `nagare` binary: every fixture under
//! `tests/fixtures` rendered by `nagare check` in English and Japanese (snapshots), the lowered
//! model of every valid fixture, exit codes, JSON output and `nagare fmt`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "flow"))
        .collect();
    files.sort();
    files
}

/// Runs the binary in the workspace root; returns stdout and the exit code.
fn nagare(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_nagare"))
        .args(args)
        .current_dir(root())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (text, out.status.code().unwrap_or(-1))
}

fn rel(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let kind = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    format!("tests/fixtures/{kind}/{name}")
}

#[test]
fn every_invalid_fixture_reports_its_code_in_both_languages() {
    let files = fixtures("invalid");
    assert!(files.len() >= 40, "only {} invalid fixtures", files.len());
    for path in files {
        let file = rel(&path);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let code = stem
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let (en, en_exit) = nagare(&["--lang", "en", "check", &file]);
        let (ja, ja_exit) = nagare(&["--lang", "ja", "check", &file]);
        assert!(en.contains(&code), "{file}: expected {code} in\n{en}");
        assert_eq!(en_exit, ja_exit);
        // A file that is not UTF-8 text cannot be read at all (exit 2).
        let expected_exit = match code.as_bytes()[0] {
            b'W' => 0,
            _ if code == "E0002" || code == "E0100" => 2,
            _ => 1,
        };
        assert_eq!(en_exit, expected_exit, "{file}: exit code\n{en}");
        let snapshot = format!(
            "$ nagare --lang en check {file}\n{en}exit: {en_exit}\n\n$ nagare --lang ja check {file}\n{ja}exit: {ja_exit}\n"
        );
        insta::assert_snapshot!(format!("invalid__{stem}"), snapshot);
    }
}

#[test]
fn every_valid_fixture_checks_clean_and_lowers_as_recorded() {
    for path in fixtures("valid") {
        let file = rel(&path);
        let (out, exit) = nagare(&["--lang", "en", "check", &file]);
        assert_eq!(exit, 0, "{file}\n{out}");
        assert!(out.contains("0 errors, 0 warnings"), "{file}\n{out}");
        let source = std::fs::read_to_string(&path).expect("valid fixtures are UTF-8");
        let compilation = nagare::compile(&source, &nagare::CompileOptions::default());
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        insta::assert_snapshot!(format!("valid__{stem}"), summary(&compilation.model));
    }
}

/// Returns a readable summary of a model: header, actors, documents, steps and edges.
fn summary(m: &nagare::model::Model) -> String {
    use nagare::model::Node;
    let mut s = String::new();
    let p = &m.process;
    let _ = writeln!(
        s,
        "process {:?} id={:?} variant={} volume={:?} dept={:?} fee={:?} online_payment={} priority={}",
        p.name,
        p.id,
        p.variant.as_str(),
        p.volume_per_year,
        p.department,
        p.fee_yen,
        p.online_payment,
        p.national_priority
    );
    for a in &m.actors {
        let _ = writeln!(s, "actor {:?} {:?} dept={:?}", a.name, a.kind, a.department);
    }
    for d in &m.documents {
        let _ = writeln!(
            s,
            "document {:?} {:?} gov_held={} fields={:?}",
            d.name, d.medium, d.gov_held, d.fields
        );
    }
    for st in &m.steps {
        let _ = writeln!(
            s,
            "step {} actor={:?} kind={:?} medium={:?} work={:?} wait={:?} label={:?}",
            st.key,
            m.actors[st.actor].name,
            st.kind,
            st.medium,
            st.work.map(|w| (w.p50, w.p90)),
            st.wait.map(|w| (w.p50, w.p90)),
            st.label
        );
        for d in &st.docs {
            let _ = writeln!(
                s,
                "  doc {:?} {:?} fields={:?}",
                m.documents[d.doc].name, d.role, d.fields
            );
        }
        if let Some(t) = &st.transcription {
            let _ = writeln!(s, "  transcription {:?} -> {:?}", t.from, t.to);
        }
        let f = st.flags;
        let _ = writeln!(
            s,
            "  flags seal={} signature={} id_check={} visit={} inspection={} item={:?} system={:?} rule_based={:?} exceptions={:?} replaces={:?}",
            f.seal,
            f.signature,
            f.id_check,
            f.visit,
            f.inspection,
            st.item,
            st.system,
            st.rule_based,
            st.exception_rate,
            st.replaces
        );
    }
    for (i, n) in m.flow.nodes.iter().enumerate() {
        let name = match n {
            Node::Start => "start".to_owned(),
            Node::End { label, .. } => format!("end {label:?}"),
            Node::Step { step } => format!("step {}", m.steps[*step].key),
            Node::Split { block, .. } => format!("split {block}"),
            Node::Join { block, .. } => format!("join {block}"),
        };
        let _ = writeln!(s, "node {i}: {name}");
    }
    for e in &m.flow.edges {
        let _ = writeln!(
            s,
            "edge {} -> {} {:?} p={:.3} label={:?}",
            e.from, e.to, e.kind, e.probability, e.label
        );
    }
    for r in &m.removed {
        let _ = writeln!(s, "removed {:?}: {:?}", r.step_ids, r.reason);
    }
    s
}

#[test]
fn check_exit_codes_and_json() {
    let (out, code) = nagare(&["check", "tests/fixtures/valid"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("checked 9 files"), "{out}");

    let (out, code) = nagare(&["check", "tests/fixtures/does-not-exist.flow"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("does not exist"), "{out}");

    let (out, code) = nagare(&[
        "--lang",
        "ja",
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/e0301-misspelt-actor.flow",
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let first = &json[0];
    assert_eq!(first["code"], "E0301");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        first["file"],
        "tests/fixtures/invalid/e0301-misspelt-actor.flow"
    );
    assert_eq!(first["line"], 9);
    assert_eq!(first["column"], 6);
    assert_eq!(first["end_line"], 9);
    assert_eq!(first["end_column"], 8);
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.contains("担当者"))
    );
    assert!(
        first["hints"][0]
            .as_str()
            .is_some_and(|h| h.contains("窓口"))
    );

    let (out, code) = nagare(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/invalid/e0002-not-utf8-shift-jis.flow",
    ]);
    assert_eq!(code, 2);
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(json[0]["code"], "E0002");
    assert_eq!(json[0]["line"], 1);
    assert_eq!(json[0]["byte_offset"], 0);
}

#[test]
fn lang_environment_selects_japanese() {
    let out = Command::new(env!("CARGO_BIN_EXE_nagare"))
        .args([
            "check",
            "tests/fixtures/invalid/e0304-jump-to-missing-step.flow",
        ])
        .current_dir(root())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("行き先の手順 `S11` がありません"), "{text}");
    // `S11` differs from `S1` only in its number: not a typo to fix, so the ids are listed.
    assert!(!text.contains("のことですか"), "{text}");
    assert!(text.contains("ある ID: S1, S2"), "{text}");
    assert!(
        text.contains("e0304-jump-to-missing-step.flow:10:20"),
        "{text}"
    );
}

#[test]
fn check_walks_folders_in_sorted_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 書く [5分]\n";
    std::fs::create_dir_all(dir.path().join("b/deep")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("a")).expect("mkdir");
    std::fs::write(dir.path().join("b/deep/to-be.flow"), good).expect("write");
    std::fs::write(
        dir.path().join("a/as-is.flow"),
        "業務: 例\n流れ:\n  S1 住民: 書く\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("a/notes.txt"), "not a flow").expect("write");
    let path = dir.path().to_string_lossy().into_owned();
    let (out, code) = nagare(&["check", &path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("checked 2 files"), "{out}");
    let a = out.find("as-is.flow").expect("a/as-is.flow reported");
    assert!(!out.contains("notes.txt"));
    assert!(a < out.len());
}

#[cfg(unix)]
#[test]
fn unreadable_file_in_a_folder_is_an_io_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling.flow"))
        .expect("symlink");
    let path = dir.path().to_string_lossy().into_owned();
    let (out, code) = nagare(&["check", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("E0003"), "{out}");
}

#[test]
fn fmt_rewrites_checks_and_refuses_broken_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let messy = dir.path().join("messy.flow");
    let broken = dir.path().join("broken.flow");
    std::fs::write(&messy, "業務：例\n担当：\n住民：住民\n流れ：\n    S1 住民：書く［紙、5分］  # メモ\n      もし 不備 10%：→S1\n").expect("write");
    let broken_text = "業務: 例\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 書く [紙, 5分\n";
    std::fs::write(&broken, broken_text).expect("write");
    let messy_path = messy.to_string_lossy().into_owned();
    let broken_path = broken.to_string_lossy().into_owned();

    let (out, code) = nagare(&["fmt", "--check", &messy_path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("would reformat"), "{out}");

    let (out, code) = nagare(&["fmt", &messy_path]);
    assert_eq!(code, 0, "{out}");
    let formatted = std::fs::read_to_string(&messy).expect("read back");
    assert_eq!(
        formatted,
        "業務: 例\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 書く [紙, 5分]  # メモ\n    もし 不備 10%: → S1\n"
    );
    let (out, code) = nagare(&["fmt", "--check", &messy_path]);
    assert_eq!(code, 0, "formatted output is stable: {out}");

    let (out, code) = nagare(&["fmt", &broken_path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("E0103"), "{out}");
    assert!(out.contains("left untouched"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read back"),
        broken_text
    );
}
