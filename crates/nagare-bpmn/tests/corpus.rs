//! Runs the shared BPMN corpus (`/work/shared/corpora/bpmn`): every entry of `expected.json`,
//! every round-trip variant against its reference model, and every other file for no panic.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.
#![allow(clippy::unwrap_used)] // In tests a panic is the failure report.

use std::path::{Path, PathBuf};

use nagare_bpmn::BpmnError;

/// Returns the corpus folder, or `None` (after saying why) when it is absent outside CI.
fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/bpmn");
    if dir.join("expected.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the BPMN corpus is missing at {} and CI is set: failing instead of skipping",
        dir.display()
    );
    eprintln!(
        "SKIPPED: the BPMN corpus is missing at {} (it lives outside the repository)",
        dir.display()
    );
    None
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "bpmn" || e == "xml") {
            out.push(path);
        }
    }
}

#[test]
fn every_expected_count_matches() {
    let Some(dir) = corpus() else { return };
    let expected: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in &expected {
        let file = entry["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let result = nagare_bpmn::count(&bytes);
        if entry.get("pools").is_none() {
            // Entries without counts expect a clear import error.
            match result {
                Err(error) => {
                    assert!(!error.to_string().is_empty());
                    assert!(!error.message().ja.is_empty());
                    checked += 1;
                }
                Ok(counts) => failures.push(format!("{file}: expected an error, got {counts:?}")),
            }
            continue;
        }
        let counts = match result {
            Ok(counts) => counts,
            Err(error) => {
                failures.push(format!("{file}: {error}"));
                continue;
            }
        };
        let actual = serde_json::to_value(counts).unwrap();
        for (key, value) in actual.as_object().unwrap() {
            if entry[key] != *value {
                failures.push(format!("{file}: {key} expected {} got {value}", entry[key]));
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, expected.len());
}

#[test]
fn round_trip_variants_count_like_their_reference() {
    let Some(dir) = corpus() else { return };
    let mut variants = Vec::new();
    files_under(&dir.join("miwg/variants"), &mut variants);
    assert!(!variants.is_empty());
    let mut failures = Vec::new();
    let mut compared = 0;
    for variant in &variants {
        let stem = variant.file_name().unwrap().to_string_lossy();
        let reference = dir.join("miwg").join(stem.replace("-roundtrip", ""));
        let expected = nagare_bpmn::count(&std::fs::read(&reference).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", reference.display()));
        match nagare_bpmn::count(&std::fs::read(variant).unwrap()) {
            Ok(counts) if counts == expected => compared += 1,
            Ok(counts) => failures.push(format!(
                "{}:\n  got      {counts:?}\n  expected {expected:?}",
                variant.display()
            )),
            // The one variant that is not valid UTF-8 must be refused with the offset.
            Err(BpmnError::InvalidUtf8 { offset, .. }) => {
                eprintln!(
                    "{}: refused, invalid UTF-8 at byte {offset}",
                    variant.display()
                );
                compared += 1;
            }
            Err(error) => failures.push(format!("{}: {error}", variant.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(compared, variants.len());
}

/// Checks what every later stage relies on in an imported model.
fn assert_well_formed(file: &str, model: &nagare_model::Model) {
    use nagare_model::{EdgeKind, Node};
    assert!(
        matches!(model.flow.nodes.first(), Some(Node::Start)),
        "{file}"
    );
    assert!(!model.actors.is_empty(), "{file}: no actor");
    for step in &model.steps {
        assert!(
            step.actor < model.actors.len(),
            "{file}: step {} has no actor",
            step.label
        );
        assert!(!step.label.is_empty(), "{file}");
    }
    for edge in &model.flow.edges {
        assert!(
            edge.from < model.flow.nodes.len() && edge.to < model.flow.nodes.len(),
            "{file}"
        );
        assert!((0.0..=1.0).contains(&edge.probability), "{file}: {edge:?}");
    }
    for node in 0..model.flow.nodes.len() {
        let out: Vec<_> = model.flow.outgoing(node).collect();
        if out.iter().any(|e| e.kind == EdgeKind::Branch) {
            let total: f64 = out.iter().map(|e| e.probability).sum();
            assert!(
                (total - 1.0).abs() < 1e-6,
                "{file}: branches of node {node} sum to {total}"
            );
        }
        if !matches!(model.flow.nodes[node], Node::End { .. }) {
            assert!(!out.is_empty(), "{file}: node {node} is a dead end");
        }
    }
}

#[test]
fn every_file_imports_or_fails_clearly() {
    let Some(dir) = corpus() else { return };
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    assert!(files.len() > 80, "only {} files found", files.len());
    let (mut imported, mut refused) = (0, 0);
    for path in &files {
        let file = path.strip_prefix(&dir).unwrap().display().to_string();
        match nagare_bpmn::import(&std::fs::read(path).unwrap()) {
            Ok(import) => {
                imported += 1;
                for model in &import.models {
                    assert_well_formed(&file, model);
                }
                assert_eq!(
                    import.counts,
                    nagare_bpmn::count(&std::fs::read(path).unwrap()).unwrap()
                );
            }
            Err(error) => {
                refused += 1;
                assert!(
                    error.to_string().len() > 10,
                    "{file}: unclear error {error:?}"
                );
                eprintln!("{file}: refused: {error}");
            }
        }
    }
    eprintln!("{imported} imported, {refused} refused");
    assert!(imported > refused);
}

#[test]
fn broken_references_are_named_in_warnings() {
    let Some(dir) = corpus() else { return };
    for (file, reference) in [
        (
            "other/bpmn-js/test/fixtures/bpmn/import/error/boundaryEvent-invalidAttachToRef.bpmn",
            "NON_EXISTING_TASK",
        ),
        (
            "other/bpmn-js/test/fixtures/bpmn/import/error/dangling-process-message-flow.bpmn",
            "WFP-6-2",
        ),
    ] {
        let import = nagare_bpmn::import(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        let broken: Vec<_> = import
            .diagnostics
            .iter()
            .filter(|d| d.code == "W0902")
            .collect();
        assert!(!broken.is_empty(), "{file}: {:#?}", import.diagnostics);
        assert!(
            broken
                .iter()
                .any(|d| d.message.en.contains(reference) && d.message.ja.contains(reference)),
            "{file}: {broken:#?}"
        );
    }
}
