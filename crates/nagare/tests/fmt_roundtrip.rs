//! `nagare fmt` on every fixture and every model in `models/`: idempotent, and the formatted
//! text compiles to the same model (spans aside) with the same diagnostics.
#![allow(clippy::disallowed_methods)] // Tests and benches read their fixture files; the code under test does not.

use std::path::{Path, PathBuf};

use nagare::model::Model;
use nagare::{CompileOptions, compile};

fn flows_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            flows_below(&p, out);
        } else if p.extension().is_some_and(|e| e == "flow") {
            out.push(p);
        }
    }
}

fn without_spans(model: &Model) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("span");
                map.remove("label_span");
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

#[test]
fn fmt_is_idempotent_and_keeps_meaning_on_fixtures_and_models() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    flows_below(&root.join("tests/fixtures"), &mut files);
    let fixtures = files.len();
    flows_below(&root.join("models"), &mut files);
    assert!(fixtures >= 40, "fixtures missing: {fixtures}");
    let mut formatted_count = 0;
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let options = CompileOptions::default();
        let Ok(formatted) = nagare::syntax::format(&source) else {
            // Files with syntax errors are refused (checked by the CLI tests); every model in
            // `models/` must format.
            assert!(
                !path.starts_with(root.join("models")),
                "{} does not format",
                path.display()
            );
            continue;
        };
        formatted_count += 1;
        let again = nagare::syntax::format(&formatted).expect("formatted text parses");
        assert_eq!(
            again,
            formatted,
            "{}: fmt is not idempotent",
            path.display()
        );
        let before = compile(&source, &options);
        let after = compile(&formatted, &options);
        assert_eq!(
            without_spans(&after.model),
            without_spans(&before.model),
            "{}: fmt changed the model",
            path.display()
        );
        let codes = |c: &nagare::Compilation| {
            c.diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(&after),
            codes(&before),
            "{}: fmt changed the diagnostics",
            path.display()
        );
    }
    assert!(
        formatted_count > 20,
        "only {formatted_count} files formatted"
    );
}
