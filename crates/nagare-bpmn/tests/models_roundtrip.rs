//! Every model in `models/` survives export → import → `.flow` text → compile with the same
//! metrics: the nagare extension elements carry what BPMN cannot say.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used, clippy::expect_used)] // In tests a panic is the failure report.

use std::path::{Path, PathBuf};

use nagare_model::{LowerOptions, Model};

fn compile(source: &str, name_hint: &str) -> (Model, Vec<nagare_syntax::Diagnostic>) {
    let (file, mut diagnostics) = nagare_syntax::parse(source);
    let (model, lower) = nagare_model::lower(
        &file,
        source,
        &LowerOptions {
            name_hint: name_hint.to_owned(),
        },
    );
    diagnostics.extend(lower);
    (model, diagnostics)
}

fn flow_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "flow"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// Returns the metric rows of `model` by key.
fn rows(model: &Model) -> Vec<(&'static str, f64)> {
    let analysis = nagare_graph::analyze(model, &nagare_graph::Settings::default());
    analysis
        .metrics
        .rows()
        .into_iter()
        .map(|r| (r.key, r.value))
        .collect()
}

#[test]
fn every_model_round_trips_with_the_same_metrics() {
    let files = flow_files();
    assert!(files.len() >= 10, "only {} model files found", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        let hint = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = std::fs::read_to_string(path).unwrap();
        let (original, diagnostics) = compile(&source, &hint);
        assert!(
            !nagare_syntax::has_errors(&diagnostics),
            "{name} does not compile: {diagnostics:#?}"
        );
        let xml = nagare_bpmn::export(&original);
        let import = nagare_bpmn::import(xml.as_bytes()).unwrap();
        assert_eq!(import.models.len(), 1, "{name}");
        // The imported model itself first: a difference here is the importer's, not the printer's.
        for ((key, a), (_, b)) in rows(&original).iter().zip(&rows(&import.models[0])) {
            if (a - b).abs() > 1e-6 {
                failures.push(format!("{name}: imported model: {key} was {a}, is {b}"));
            }
        }
        let text = nagare_bpmn::to_flow_text(&import.models[0]);
        let (back, diagnostics) = compile(&text, &hint);
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            let messages: Vec<String> = errors
                .iter()
                .map(|d| format!("[{}] {}", d.code, d.message.en))
                .collect();
            failures.push(format!(
                "{name}: the printed .flow has errors {messages:?}\n{text}"
            ));
            continue;
        }
        let (before, after) = (rows(&original), rows(&back));
        let before_keys: Vec<_> = before.iter().map(|(k, _)| *k).collect();
        let after_keys: Vec<_> = after.iter().map(|(k, _)| *k).collect();
        if before_keys != after_keys {
            failures.push(format!(
                "{name}: metric rows {before_keys:?} became {after_keys:?}"
            ));
            continue;
        }
        for ((key, a), (_, b)) in before.iter().zip(&after) {
            if (a - b).abs() > 1e-6 {
                failures.push(format!("{name}: {key} was {a}, is {b}"));
            }
        }
        if std::env::var_os("NAGARE_DUMP").is_some() {
            eprintln!("==== {name}\n{text}");
        }
        // Actor kinds and the process header come back too.
        let kinds = |m: &Model| {
            m.actors
                .iter()
                .map(|a| (a.name.clone(), a.kind))
                .collect::<Vec<_>>()
        };
        if kinds(&original) != kinds(&back) {
            failures.push(format!(
                "{name}: actors {:?} became {:?}",
                kinds(&original),
                kinds(&back)
            ));
        }
        if original.process.variant != back.process.variant
            || original.process.volume_per_year != back.process.volume_per_year
            || original.process.department != back.process.department
        {
            failures.push(format!("{name}: the process header changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
