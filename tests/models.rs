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

/// `nagare fmt` on every bundled model: accepted, idempotent, and the formatted file compiles
/// to the same model (spans aside) with the same diagnostics. The models are what users copy and
/// format first, so this is the formatter's promise on real text, beside the property test.
#[test]
fn every_model_survives_nagare_fmt_unchanged_in_meaning() {
    fn without_spans(model: &Model) -> serde_json::Value {
        fn strip(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(map) => {
                    map.retain(|k, _| !k.ends_with("span"));
                    map.values_mut().for_each(strip);
                }
                serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
                _ => {}
            }
        }
        let mut v = serde_json::to_value(model).expect("models serialise");
        strip(&mut v);
        v
    }
    for loaded in load_all() {
        let file = &loaded.display;
        let formatted = nagare::syntax::format(&loaded.source)
            .unwrap_or_else(|e| panic!("{file}: fmt refused: {e:?}"));
        assert_eq!(
            nagare::syntax::format(&formatted).ok().as_deref(),
            Some(formatted.as_str()),
            "{file}: fmt is not idempotent"
        );
        let again = compile(
            &formatted,
            &CompileOptions {
                name_hint: folder_name(Path::new(file)),
            },
        );
        assert_eq!(
            without_spans(&again.model),
            without_spans(&loaded.compilation.model),
            "{file}: the formatted file means something else"
        );
        let codes = |c: &Compilation| {
            c.diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&again), codes(&loaded.compilation), "{file}");
    }
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

/// Returns every (As-Is, later variant) pair of models in the same procedure folder.
fn pairs(loaded: &[Loaded]) -> Vec<(&Loaded, &Loaded)> {
    let mut result = Vec::new();
    for later in loaded
        .iter()
        .filter(|l| l.compilation.model.process.variant != Variant::AsIs)
    {
        let folder = Path::new(&later.display).parent();
        if let Some(as_is) = loaded.iter().find(|l| {
            l.compilation.model.process.variant == Variant::AsIs
                && Path::new(&l.display).parent() == folder
        }) {
            result.push((as_is, later));
        }
    }
    result
}

fn analyze(loaded: &Loaded) -> nagare::graph::Analysis {
    nagare::graph::analyze(
        &loaded.compilation.model,
        &nagare::graph::Settings::default(),
    )
}

#[test]
fn graph_analysis_of_every_model_reports_nothing() {
    let mut report = String::new();
    for loaded in load_all() {
        for diagnostic in &analyze(&loaded).diagnostics {
            let _ = writeln!(
                report,
                "{}",
                describe(&loaded.display, &loaded.source, diagnostic)
            );
        }
    }
    assert!(
        report.is_empty(),
        "the graph analysis reported problems:\n{report}"
    );
}

/// Each To-Be (and Can-Be) must improve on its As-Is in what every redesign here claims: less
/// staff work, less paper, no more visits, seals, resident burden or lead time. The numbers are
/// printed (run with `--nocapture`) so that the calibration can be read next to the comments.
#[test]
fn every_redesign_improves_on_its_as_is() {
    let loaded = load_all();
    let mut problems = Vec::new();
    for (as_is, later) in pairs(&loaded) {
        let before = analyze(as_is).metrics;
        let after = analyze(later).metrics;
        let hours = |m: &nagare::graph::Metrics| m.staff_hours_per_year.unwrap_or(f64::NAN);
        println!(
            "{}: 業務量 {:.1}→{:.1} h/年, 紙接点 {:.2}→{:.2}, 来庁 {:.2}→{:.2}, 窓口 {}→{}, \
             押印 {:.2}→{:.2}, 転記 {:.2}→{:.2}, 住民負担 {:.1}→{:.1} 分, リードタイム {:.0}→{:.0} 分, \
             自動化率 {:.2}→{:.2}",
            later.display,
            hours(&before),
            hours(&after),
            before.paper_touchpoints.expected,
            after.paper_touchpoints.expected,
            before.visits.expected,
            after.visits.expected,
            before.counters,
            after.counters,
            before.seals.expected,
            after.seals.expected,
            before.transcriptions.expected,
            after.transcriptions.expected,
            before.resident_burden_minutes.total,
            after.resident_burden_minutes.total,
            before.lead_time_minutes,
            after.lead_time_minutes,
            before.automation_rate,
            after.automation_rate,
        );
        let file = &later.display;
        let mut check = |ok: bool, what: &str, b: f64, a: f64| {
            if !ok {
                problems.push(format!("{file}: {what} does not improve: {b:.2} → {a:.2}"));
            }
        };
        check(
            hours(&after) < hours(&before),
            "staff hours per year",
            hours(&before),
            hours(&after),
        );
        check(
            after.paper_touchpoints.expected < before.paper_touchpoints.expected,
            "paper touchpoints",
            before.paper_touchpoints.expected,
            after.paper_touchpoints.expected,
        );
        check(
            after.visits.expected <= before.visits.expected,
            "visits",
            before.visits.expected,
            after.visits.expected,
        );
        check(
            after.seals.expected <= before.seals.expected,
            "seals",
            before.seals.expected,
            after.seals.expected,
        );
        check(
            after.resident_burden_minutes.total <= before.resident_burden_minutes.total,
            "resident burden",
            before.resident_burden_minutes.total,
            after.resident_burden_minutes.total,
        );
        check(
            after.lead_time_minutes <= before.lead_time_minutes,
            "lead time",
            before.lead_time_minutes,
            after.lead_time_minutes,
        );
    }
    assert!(!pairs(&loaded).is_empty(), "no As-Is / To-Be pairs found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Returns the compiled model at `models/<relative>`.
fn model_at<'a>(loaded: &'a [Loaded], relative: &str) -> &'a Loaded {
    let display = format!("models/{relative}");
    loaded
        .iter()
        .find(|l| l.display == display)
        .unwrap_or_else(|| panic!("{display} not found"))
}

/// Returns expected executions per year of the step with user id `id`.
fn executions_per_year(loaded: &Loaded, id: &str) -> f64 {
    let model = &loaded.compilation.model;
    let step = model
        .step_by_name(id)
        .unwrap_or_else(|| panic!("{}: no step {id}", loaded.display));
    analyze(loaded).step_visits[step] * model.process.volume_per_year.unwrap_or(0.0)
}

/// The models that carry published figures reproduce them (DOMAIN.md §4, §7): this is what the
/// step times in their comments were chosen for.
#[test]
fn calibrated_models_reproduce_the_published_figures() {
    let loaded = load_all();
    let hours = |relative: &str| {
        analyze(model_at(&loaded, relative))
            .metrics
            .staff_hours_per_year
            .unwrap_or(f64::NAN)
    };
    let within = |value: f64, target: f64, tolerance: f64| (value - target).abs() <= tolerance;

    // 就学援助: 80 → 45 staff hours per year (within 5%).
    let as_is = hours("shugaku-enjo/as-is.flow");
    let can_be = hours("shugaku-enjo/can-be.flow");
    assert!(
        within(as_is, 80.0, 4.0),
        "shugaku-enjo As-Is: {as_is:.1} h/yr, published 80"
    );
    assert!(
        within(can_be, 45.0, 2.25),
        "shugaku-enjo Can-Be: {can_be:.1} h/yr, published 45"
    );

    // 放課後児童クラブ: about 9 minutes of staff time saved per application, ≈ 41 h for 276.
    let per_case = |relative: &str| {
        analyze(model_at(&loaded, relative))
            .metrics
            .process_time_minutes
            .staff
    };
    let saved = per_case("gakudo-nyusho/as-is.flow") - per_case("gakudo-nyusho/to-be.flow");
    assert!(
        within(saved, 9.0, 1.0),
        "gakudo-nyusho: {saved:.2} staff minutes saved per application, published 9"
    );
    let saved_hours = hours("gakudo-nyusho/as-is.flow") - hours("gakudo-nyusho/to-be.flow");
    assert!(
        within(saved_hours, 41.0, 4.1),
        "gakudo-nyusho: {saved_hours:.1} h saved per year, published ≈ 41"
    );

    // 国民健康保険: the online channel carries about the published target of 500 a year.
    let online = executions_per_year(model_at(&loaded, "kokuho/to-be.flow"), "T1");
    assert!(
        within(online, 500.0, 50.0),
        "kokuho To-Be: {online:.0} online applications per year, target 500"
    );

    // 粗大ごみ: about half the requests online (≈48% published for a large city).
    let sodai = model_at(&loaded, "sodai-gomi/to-be.flow");
    let share = executions_per_year(sodai, "T1")
        / sodai
            .compilation
            .model
            .process
            .volume_per_year
            .unwrap_or(1.0);
    assert!(
        within(share, 0.48, 0.05),
        "sodai-gomi To-Be: {share:.2} of requests online, published ≈ 0.48"
    );
}

/// The number plate keeps 軽自動車税 廃車 "partly online": the To-Be must still hand over the plate.
#[test]
fn keijidosha_to_be_keeps_the_physical_item() {
    let loaded = load_all();
    let model = &model_at(&loaded, "keijidosha-haisha/to-be.flow")
        .compilation
        .model;
    assert!(
        model.steps.iter().any(|s| s.item.is_some()),
        "keijidosha-haisha/to-be.flow must keep the number-plate step (現物=ナンバープレート)"
    );
}
