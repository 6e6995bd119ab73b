//! Helpers shared by the workspace-level tests in `tests/*.rs`.

#![allow(clippy::disallowed_methods)] // tests read the bundled models from disk

use std::path::{Path, PathBuf};

/// Returns the bundled `models/` folder.
#[must_use]
pub fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")
}

/// Returns every `<procedure>/<variant>.flow` under `models/` as (procedure, variant, path),
/// sorted by procedure, then variant.
///
/// # Panics
/// When `models/` cannot be read: the tests need it.
#[must_use]
pub fn model_files() -> Vec<(String, String, PathBuf)> {
    let name = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(models_dir())
        .expect("models/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("readable")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "flow"))
            .collect();
        files.sort();
        for file in files {
            out.push((name(&dir), name(&file), file));
        }
    }
    out
}
