//! Golden snapshots of every bundled model, one test for all stages: diagnostics, metrics, the
//! swimlane scene and its SVG, candidates, and the As-Is → To-Be diff of every pair.
//!
//! A change in any stage shows up here as a reviewable diff (`cargo insta review`); CI never
//! accepts snapshots by itself.

use std::collections::BTreeMap;

use nagare::candidates::CandidateSettings;
use nagare::graph::Settings;
use nagare::render::{LayoutOptions, SvgOptions};
use nagare::{CompileOptions, compile};
use nagare_tests::{model_files as flow_files, models_dir};

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
