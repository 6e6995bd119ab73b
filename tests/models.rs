//! Every bundled model in `models/` compiles cleanly and is a usable example.
//!
//! The models are the examples users copy and the fixtures every later stage is tested on, so a
//! model that only "parses to nothing" must fail here too: each file must yield a named process
//! with real steps, its variant must match its file name, and the To-Be's links to the As-Is
//! (`置換`, `削除:`) must point at steps that exist.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use nagare::model::{Model, Variant};
use nagare::syntax::{Diagnostic, LineIndex, Severity};
use nagare::{Compilation, CompileOptions, compile};

/// The procedures the README and DOMAIN.md §7 promise; each must have an As-Is and a To-Be.
const PROCEDURES: &[&str] = &[
    "keijidosha-haisha",
    "shugaku-enjo",
    "gakudo-nyusho",
    "tennyu",
    "sodai-gomi",
    "risai-shomei",
    "kokuho",
    "denshi-kessai",
    "english-example",
];

/// The fewest steps a model may have before we suspect the parser understood nothing.
const MIN_STEPS: usize = 5;

/// One compiled model file.
struct Loaded {
    /// Path relative to the repository root, for messages.
    display: String,
    source: String,
    compilation: Compilation,
}

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")
}

/// Returns every `models/<procedure>/<variant>.flow`, sorted so that failures list in a stable order.
fn flow_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![models_dir()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "flow") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Returns the folder name of a model file: the process id hint, as the CLI passes it.
fn folder_name(path: &Path) -> String {
    path.parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn load(path: &Path) -> Loaded {
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let compilation = compile(
        &source,
        &CompileOptions {
            name_hint: folder_name(path),
        },
    );
    let display = path.strip_prefix(models_dir()).map_or_else(
        |_| path.display().to_string(),
        |relative| format!("models/{}", relative.display()),
    );
    Loaded {
        display,
        source,
        compilation,
    }
}

fn load_all() -> Vec<Loaded> {
    let loaded: Vec<Loaded> = flow_files().iter().map(|p| load(p)).collect();
    assert!(
        !loaded.is_empty(),
        "no .flow files found under {}",
        models_dir().display()
    );
    loaded
}

/// Formats one diagnostic as `file:line:col: severity[code]: message (English / 日本語)` plus the line.
fn describe(file: &str, source: &str, diagnostic: &Diagnostic) -> String {
    let index = LineIndex::new(source);
    let at = index.line_col(source, diagnostic.span().start);
    let line = source
        .get(index.line_range(source, at.line))
        .unwrap_or_default();
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut text = format!(
        "{file}:{}:{}: {severity}[{}]: {} / {}\n    | {line}",
        at.line, at.column, diagnostic.code, diagnostic.message.en, diagnostic.message.ja
    );
    for hint in &diagnostic.hints {
        let _ = write!(text, "\n    = hint: {} / {}", hint.en, hint.ja);
    }
    text
}

#[test]
fn every_model_compiles_without_errors_or_warnings() {
    let mut report = String::new();
    let mut count = 0;
    for loaded in load_all() {
        for diagnostic in &loaded.compilation.diagnostics {
            count += 1;
            let _ = writeln!(
                report,
                "{}",
                describe(&loaded.display, &loaded.source, diagnostic)
            );
        }
    }
    assert!(
        count == 0,
        "{count} diagnostic(s) in models/ (every bundled model must check clean):\n{report}"
    );
}

#[test]
fn every_model_has_a_name_steps_and_the_variant_of_its_file_name() {
    let mut problems = Vec::new();
    for loaded in load_all() {
        let model = &loaded.compilation.model;
        let file = &loaded.display;
        if model.process.name.trim().is_empty() {
            problems.push(format!("{file}: the process name is empty"));
        }
        if model.steps.len() < MIN_STEPS {
            problems.push(format!(
                "{file}: only {} step(s); a bundled model has at least {MIN_STEPS}",
                model.steps.len()
            ));
        }
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if model.process.variant.as_str() != stem {
            problems.push(format!(
                "{file}: variant is `{}` but the file is named `{stem}.flow`",
                model.process.variant.as_str()
            ));
        }
        if model.process.volume_per_year.is_none_or(|v| v <= 0.0) {
            problems.push(format!(
                "{file}: no annual volume (件数); annual metrics need it"
            ));
        }
        let folder = Path::new(file)
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if model.process.id != folder {
            problems.push(format!(
                "{file}: process id is `{}`, expected the folder name `{folder}`",
                model.process.id
            ));
        }
        if model.flow.edges.is_empty() {
            problems.push(format!("{file}: the flow has no edges"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_listed_procedure_has_an_as_is_and_a_to_be_and_a_readme_line() {
    let dir = models_dir();
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("models/README.md exists");
    let mut problems = Vec::new();
    for procedure in PROCEDURES {
        for variant in ["as-is", "to-be"] {
            let path = dir.join(procedure).join(format!("{variant}.flow"));
            if !path.is_file() {
                problems.push(format!("missing models/{procedure}/{variant}.flow"));
            }
        }
        if !readme.contains(&format!("`{procedure}`")) {
            problems.push(format!("models/README.md has no line for `{procedure}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Returns the user ids of a model's steps.
fn step_ids(model: &Model) -> BTreeSet<String> {
    model.steps.iter().filter_map(|s| s.id.clone()).collect()
}

#[test]
fn to_be_links_point_at_as_is_steps_and_account_for_every_as_is_step() {
    let loaded = load_all();
    let mut problems = Vec::new();
    for later in loaded
        .iter()
        .filter(|l| l.compilation.model.process.variant != Variant::AsIs)
    {
        let folder = Path::new(&later.display)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let Some(as_is) = loaded.iter().find(|l| {
            l.compilation.model.process.variant == Variant::AsIs
                && Path::new(&l.display).parent() == Some(folder.as_path())
        }) else {
            problems.push(format!("{}: no as-is.flow beside it", later.display));
            continue;
        };
        let before = step_ids(&as_is.compilation.model);
        let model = &later.compilation.model;
        let kept = step_ids(model);
        let replaced: BTreeSet<String> = model
            .steps
            .iter()
            .flat_map(|s| s.replaces.iter().cloned())
            .collect();
        let removed: BTreeSet<String> = model
            .removed
            .iter()
            .flat_map(|r| r.step_ids.iter().cloned())
            .collect();
        for id in replaced.iter().chain(&removed) {
            if !before.contains(id) {
                problems.push(format!(
                    "{}: `{id}` is replaced or removed but {} has no step `{id}`",
                    later.display, as_is.display
                ));
            }
        }
        for id in removed.intersection(&kept) {
            problems.push(format!(
                "{}: `{id}` is both kept as a step and listed under 削除:",
                later.display
            ));
        }
        // Every As-Is step must be kept (same id), replaced or removed, so that the diff of a
        // bundled pair never has to guess: the examples show users the explicit style.
        for id in &before {
            if !kept.contains(id) && !replaced.contains(id) && !removed.contains(id) {
                problems.push(format!(
                    "{}: As-Is step `{id}` is neither kept, replaced (置換) nor removed (削除:)",
                    later.display
                ));
            }
        }
        if model.removed.iter().any(|r| r.reason.trim().is_empty()) {
            problems.push(format!("{}: a 削除: line has no reason", later.display));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
