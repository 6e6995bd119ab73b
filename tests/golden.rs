//! Golden snapshots of every bundled model, one test for all stages: diagnostics, metrics, the
//! swimlane scene and its SVG, candidates, and the As-Is → To-Be diff of every pair.
//!
//! A change in any stage shows up here as a reviewable diff (`cargo insta review`); CI never
//! accepts snapshots by itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nagare::candidates::CandidateSettings;
use nagare::graph::Settings;
use nagare::render::{LayoutOptions, SvgOptions};
use nagare::{CompileOptions, compile};

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")
}

/// Returns every `<procedure>/<variant>.flow` under models/, sorted.
fn flow_files() -> Vec<(String, String, PathBuf)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(models_dir())
        .expect("models/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let procedure = dir
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("readable")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "flow"))
            .collect();
        files.sort();
        for file in files {
            let variant = file
                .file_stem()
                .expect("named")
                .to_string_lossy()
                .into_owned();
            out.push((procedure.clone(), variant, file));
        }
    }
    out
}

fn settings() -> (Settings, CandidateSettings) {
    let text = std::fs::read_to_string(models_dir().join("nagare.toml")).unwrap_or_default();
    (
        Settings::from_toml(&text).expect("models/nagare.toml [metrics] is valid"),
        CandidateSettings::from_toml_str(&text).expect("models/nagare.toml [candidates] is valid"),
    )
}

fn snapshot(name: &str, content: &str) {
    insta::with_settings!({
        snapshot_path => "snapshots/golden",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.to_owned(), content);
    });
}

#[test]
fn every_model_matches_its_golden_files() {
    let (metric_settings, candidate_settings) = settings();
    let files = flow_files();
    assert!(
        files.len() >= 14,
        "expected the bundled models, found {}",
        files.len()
    );
    let mut models = BTreeMap::new();
    for (procedure, variant, path) in &files {
        let source = std::fs::read_to_string(path).expect("readable model");
        let compilation = compile(
            &source,
            &CompileOptions {
                name_hint: procedure.clone(),
            },
        );
        let name = format!("{procedure}__{variant}");
        let diagnostics = serde_json::to_string_pretty(&compilation.diagnostics).expect("json");
        snapshot(&format!("{name}__diagnostics"), &diagnostics);

        let analysis = nagare::graph::analyze(&compilation.model, &metric_settings);
        let metrics = serde_json::to_string_pretty(&analysis.metrics).expect("json");
        snapshot(&format!("{name}__metrics"), &metrics);

        let scene = nagare::render::layout(&compilation.model, &LayoutOptions::default());
        snapshot(
            &format!("{name}__scene"),
            &serde_json::to_string_pretty(&scene).expect("json"),
        );
        snapshot(
            &format!("{name}__svg"),
            &nagare::render::svg(&scene, &SvgOptions::default()),
        );

        let findings = nagare::candidates::find(&compilation.model, &analysis, &candidate_settings);
        snapshot(
            &format!("{name}__candidates"),
            &serde_json::to_string_pretty(&findings).expect("json"),
        );
        models.insert((procedure.clone(), variant.clone()), compilation.model);
    }

    for ((procedure, variant), to_be) in &models {
        if variant == "as-is" {
            continue;
        }
        let Some(as_is) = models.get(&(procedure.clone(), "as-is".to_owned())) else {
            continue;
        };
        let diff = nagare::diff::diff(as_is, to_be, &metric_settings);
        snapshot(
            &format!("{procedure}__as-is_to_{variant}__diff"),
            &nagare::diff::format_report(&diff, nagare::syntax::Lang::Ja),
        );
        snapshot(
            &format!("{procedure}__as-is_to_{variant}__diff_json"),
            &serde_json::to_string_pretty(&diff).expect("json"),
        );
    }
}
