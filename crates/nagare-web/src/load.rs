//! Reading a folder of models: which `.flow` files exist, their text, and `nagare.toml`.
//!
//! This is the viewer's only file-system access, and it is public so the CLI could reuse it.
//! Layout: `<root>/<procedure>/<variant>.flow` (variants `as-is`, `can-be`, `to-be`, or any other
//! file stem), plus loose `<root>/<name>.flow` files (procedure = file stem). Every path is
//! canonicalised and must stay under the canonical root: a symlink that escapes is refused, so the
//! web routes can only ever name files found here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use nagare::model::Variant;

/// One `.flow` file found under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowFile {
    /// The procedure: the folder name, or the file stem of a loose file.
    pub procedure: String,
    /// The file stem for files in a procedure folder; `None` for a loose file (its variant
    /// comes from its `版:` header once compiled).
    pub stem: Option<String>,
    /// The canonical path (under the canonical root).
    pub path: PathBuf,
    /// The path relative to the root, with `/` separators, for display.
    pub display: String,
}

/// What a scan found: the files, in sorted order, and the paths it refused (with why).
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub files: Vec<FlowFile>,
    pub refused: Vec<(String, String)>,
}

/// Returns the canonical form of `root`, which must be a readable directory.
///
/// # Errors
/// If `root` does not exist or is not a directory.
pub fn canonical_root(root: &Path) -> anyhow::Result<PathBuf> {
    let canonical = root
        .canonicalize()
        .with_context(|| format!("cannot open folder {}", root.display()))?;
    anyhow::ensure!(canonical.is_dir(), "{} is not a folder", root.display());
    Ok(canonical)
}

/// Returns every `.flow` file at depth 1 (loose) and 2 (procedure folders) under `root`, sorted
/// by path. Hidden files and folders (editor swap files, `.git`) are skipped.
///
/// # Errors
/// If `root` itself cannot be read; unreadable entries below it are skipped.
pub fn scan(root: &Path) -> anyhow::Result<Scan> {
    let root = canonical_root(root)?;
    let mut scan = Scan::default();
    for entry in sorted_entries(&root)? {
        let name = file_name(&entry);
        if name.starts_with('.') {
            continue;
        }
        let Some(resolved) = resolve_under(&root, &entry, &mut scan) else {
            continue;
        };
        if resolved.is_dir() {
            let Ok(children) = sorted_entries(&entry) else {
                continue;
            };
            for child in children {
                let child_name = file_name(&child);
                if child_name.starts_with('.') || !is_flow(&child_name) {
                    continue;
                }
                let Some(path) = resolve_under(&root, &child, &mut scan) else {
                    continue;
                };
                if path.is_file() {
                    scan.files.push(FlowFile {
                        procedure: name.clone(),
                        stem: Some(stem(&child_name).to_owned()),
                        path,
                        display: format!("{name}/{child_name}"),
                    });
                }
            }
        } else if resolved.is_file() && is_flow(&name) {
            scan.files.push(FlowFile {
                procedure: stem(&name).to_owned(),
                stem: None,
                path: resolved,
                display: name.clone(),
            });
        }
    }
    Ok(scan)
}

/// Returns the text of `<root>/nagare.toml`, empty when the file does not exist (the settings
/// then take their defaults). Its meaning is the facade's (`nagare::Config`), as in the CLI.
#[must_use]
pub fn settings_text(root: &Path) -> String {
    std::fs::read_to_string(root.join("nagare.toml")).unwrap_or_default()
}

/// Returns the variant a file stem names (`as-is`, `AsIs`, `現状`…), if it names one.
#[must_use]
pub fn variant_of_stem(stem: &str) -> Option<Variant> {
    let folded: String = stem
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    match folded.as_str() {
        "asis" | "現状" => Some(Variant::AsIs),
        "canbe" | "当面" => Some(Variant::CanBe),
        "tobe" | "あるべき姿" | "見直し後" => Some(Variant::ToBe),
        _ => None,
    }
}

/// Returns the entries of `dir`, sorted by path so that scans are deterministic.
fn sorted_entries(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read folder {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    Ok(entries)
}

/// Returns the canonical path of `path` if it stays under `root`; records a refusal otherwise.
fn resolve_under(root: &Path, path: &Path, scan: &mut Scan) -> Option<PathBuf> {
    let display = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    // A dangling symlink or a file deleted mid-scan: skip quietly, the next scan will tell.
    let canonical = path.canonicalize().ok()?;
    if canonical.starts_with(root) {
        Some(canonical)
    } else {
        scan.refused
            .push((display, "points outside the served folder".to_owned()));
        None
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_flow(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("flow"))
        && name.len() > ".flow".len()
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Returns the files grouped by procedure, in procedure order.
#[must_use]
pub fn by_procedure(files: &[FlowFile]) -> BTreeMap<&str, Vec<&FlowFile>> {
    let mut map: BTreeMap<&str, Vec<&FlowFile>> = BTreeMap::new();
    for file in files {
        map.entry(file.procedure.as_str()).or_default().push(file);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn finds_procedure_folders_and_loose_files_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(&dir.path().join("b-proc/to-be.flow"), "");
        write(&dir.path().join("b-proc/as-is.flow"), "");
        write(&dir.path().join("b-proc/.as-is.flow.swp"), "");
        write(&dir.path().join("b-proc/notes.txt"), "");
        write(&dir.path().join("a-loose.flow"), "");
        write(&dir.path().join(".hidden/as-is.flow"), "");
        write(&dir.path().join("deep/x/as-is.flow"), "");
        let scan = scan(dir.path()).expect("scan");
        let shown: Vec<&str> = scan.files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(
            shown,
            ["a-loose.flow", "b-proc/as-is.flow", "b-proc/to-be.flow"]
        );
        assert_eq!(scan.files[0].stem, None);
        assert_eq!(scan.files[0].procedure, "a-loose");
        assert_eq!(scan.files[1].stem.as_deref(), Some("as-is"));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_that_leave_the_root() {
        let outside = tempfile::tempdir().expect("tempdir");
        write(&outside.path().join("secret.flow"), "業務: 秘密");
        let dir = tempfile::tempdir().expect("tempdir");
        write(&dir.path().join("p/as-is.flow"), "");
        std::os::unix::fs::symlink(
            outside.path().join("secret.flow"),
            dir.path().join("p/to-be.flow"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("escape")).expect("symlink");
        let scan = scan(dir.path()).expect("scan");
        let shown: Vec<&str> = scan.files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(shown, ["p/as-is.flow"]);
        assert_eq!(scan.refused.len(), 2);
    }

    #[test]
    fn variant_stems_in_both_languages() {
        assert_eq!(variant_of_stem("as-is"), Some(Variant::AsIs));
        assert_eq!(variant_of_stem("To_Be"), Some(Variant::ToBe));
        assert_eq!(variant_of_stem("当面"), Some(Variant::CanBe));
        assert_eq!(variant_of_stem("draft"), None);
    }

    #[test]
    fn malformed_settings_are_reported_not_fatal() {
        use crate::engine::Settings;
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(settings_text(dir.path()).is_empty());
        assert_eq!(
            Settings::from_toml(&settings_text(dir.path())),
            Settings::default()
        );
        write(&dir.path().join("nagare.toml"), "[metrics\n");
        let settings = Settings::from_toml(&settings_text(dir.path()));
        assert_eq!(settings.errors.len(), 1);
        assert!(settings.errors[0].en.starts_with("nagare.toml"));
        assert_eq!(settings.metrics, nagare::graph::Settings::default());
    }

    #[test]
    fn settings_mean_what_they_mean_in_the_cli() {
        use crate::engine::Settings;
        // A misspelt table is refused as in `nagare stats`, not silently ignored.
        let misspelt = Settings::from_toml("[metric]\nhours_per_fte = 1800\n");
        assert!(
            misspelt.errors[0].en.contains("`[metrics]`"),
            "{:?}",
            misspelt.errors
        );
        // The travel time of [metrics] also serves the candidate rules, as in `nagare candidates`.
        let travel = Settings::from_toml("[metrics]\ntravel_minutes_per_visit = 45\n");
        assert!(travel.errors.is_empty());
        assert!((travel.candidates.travel_minutes - 45.0).abs() < f64::EPSILON);
    }
}
