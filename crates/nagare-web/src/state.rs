//! The served folder in memory: every file's compiled result, every procedure's comparison, and
//! the generation counter that live reload announces.
//!
//! A reload builds a new immutable [`Snapshot`] and swaps it in; requests clone an `Arc` of the
//! current one, so a page never sees a half-updated folder. Results are cached per file by its
//! exact text (and the settings): a reload recompiles only what changed.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use axum::body::Bytes;
use nagare::candidates::RankedProcedure;
use nagare::model::Variant;
use nagare::syntax::{Diagnostic, Span, Text};
use tokio::sync::broadcast;

use crate::engine::{self, Comparison, FileOutput, Settings};
use crate::load::{self, FlowFile};

/// One compiled `.flow` file.
#[derive(Debug)]
pub struct Entry {
    pub file: FlowFile,
    pub source: String,
    /// The variant: from the file stem, else from the file's `版:` header.
    pub variant: Variant,
    /// The variant's name in URLs: the file stem, or the variant name for a loose file.
    pub slug: String,
    pub output: FileOutput,
}

impl Entry {
    /// Returns the number of error diagnostics.
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.output
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count()
    }

    /// Returns the number of warnings.
    #[must_use]
    pub fn warning_count(&self) -> usize {
        self.output.diagnostics.len() - self.error_count()
    }
}

/// The As-Is / To-Be pair of a procedure and their comparison.
#[derive(Debug)]
pub struct Pair {
    pub from: Arc<Entry>,
    pub to: Arc<Entry>,
    pub comparison: Comparison,
}

/// A procedure: its variants in the order as-is, can-be, to-be, then others by name.
#[derive(Debug)]
pub struct Procedure {
    pub name: String,
    pub entries: Vec<Arc<Entry>>,
    /// The default comparison: As-Is → To-Be, else As-Is → Can-Be.
    pub pair: Option<Arc<Pair>>,
    /// As-Is → every other variant (Can-Be and To-Be both), in variant order.
    pub pairs: Vec<Arc<Pair>>,
}

impl Procedure {
    /// Returns the comparison with variant `to` (its URL name), or the default one.
    #[must_use]
    pub fn pair_to(&self, to: Option<&str>) -> Option<&Arc<Pair>> {
        match to {
            Some(slug) => self.pairs.iter().find(|p| p.to.slug == slug),
            None => self.pair.as_ref(),
        }
    }

    /// Returns the variant whose URL name is `slug`.
    #[must_use]
    pub fn entry(&self, slug: &str) -> Option<&Arc<Entry>> {
        self.entries.iter().find(|e| e.slug == slug)
    }

    /// Returns the first variant of kind `variant`.
    #[must_use]
    pub fn of_variant(&self, variant: Variant) -> Option<&Arc<Entry>> {
        self.entries.iter().find(|e| e.variant == variant)
    }

    /// Returns true if any variant's file has an error: such a procedure is shown but left out
    /// of the portfolio totals and the ranking, whose numbers would otherwise mix in a model
    /// the compiler could only partly read.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.entries.iter().any(|e| e.error_count() > 0)
    }

    /// Returns the display name: the As-Is process name, else any variant's, else the folder.
    #[must_use]
    pub fn title(&self) -> &str {
        self.entries
            .iter()
            .map(|e| e.output.model.process.name.as_str())
            .find(|n| !n.trim().is_empty())
            .unwrap_or(&self.name)
    }
}

/// The whole folder at one moment.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub generation: u64,
    pub procedures: BTreeMap<String, Procedure>,
    /// Paths skipped and why (symlinks out of the folder, unreadable or duplicate files).
    pub refused: Vec<(String, String)>,
    pub settings: Settings,
    /// Problems with `nagare.toml` (its defaults are used meanwhile).
    pub settings_errors: Vec<Text>,
    /// Procedures ranked by hours their As-Is candidates would save (the candidates stage's
    /// ranking), each with the procedure's folder name for links.
    pub ranking: Vec<(String, RankedProcedure)>,
    /// Pages rendered from this snapshot, by language and path: a snapshot never changes, so a
    /// page is rendered once per reload, not once per request.
    pages: Mutex<BTreeMap<String, Bytes>>,
}

impl Snapshot {
    /// Returns the page cached under `key`.
    #[must_use]
    pub fn cached_page(&self, key: &str) -> Option<Bytes> {
        self.pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    /// Caches `body` under `key` (bounded: pages are a few per file and language).
    pub fn cache_page(&self, key: String, body: Bytes) {
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        // Only canonical paths of known pages reach here, so the map stays small; the bound is
        // a guard, not a policy.
        if pages.len() < 4096 {
            pages.insert(key, body);
        }
    }

    /// Returns every entry, in procedure then variant order.
    pub fn entries(&self) -> impl Iterator<Item = &Arc<Entry>> {
        self.procedures.values().flat_map(|p| p.entries.iter())
    }
}

#[derive(Debug)]
struct Shared {
    root: PathBuf,
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<u64>,
    /// Serialises reloads (watcher and tests) so generations stay ordered.
    reload_lock: Mutex<()>,
    /// Keeps the file watcher alive as long as the state.
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    /// Set when serving on a non-loopback address, where any `Host` name is legitimate.
    any_host: AtomicBool,
}

/// The viewer's state, cheap to clone (shared by every request).
#[derive(Debug, Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

impl AppState {
    /// Scans and compiles every model under `folder`.
    ///
    /// # Errors
    /// If `folder` is not a readable directory. Broken models are not errors: they are shown.
    pub fn load(folder: impl AsRef<Path>) -> anyhow::Result<Self> {
        let root = load::canonical_root(folder.as_ref())?;
        let snapshot = build(&root, None)?;
        let (events, _) = broadcast::channel(16);
        Ok(Self {
            shared: Arc::new(Shared {
                root,
                snapshot: RwLock::new(Arc::new(snapshot)),
                events,
                reload_lock: Mutex::new(()),
                watcher: Mutex::new(None),
                any_host: AtomicBool::new(false),
            }),
        })
    }

    /// Returns the canonical served folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// Returns the current snapshot.
    #[must_use]
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(
            &self
                .shared
                .snapshot
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Returns a receiver of generation numbers, one per reload that changed something.
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<u64> {
        self.shared.events.subscribe()
    }

    /// Rescans the folder, recompiles changed files and announces the new generation if
    /// anything changed. Returns the current generation. Blocking: call from a blocking thread.
    ///
    /// # Errors
    /// If the folder itself can no longer be read; the previous snapshot stays in place.
    pub fn reload(&self) -> anyhow::Result<u64> {
        let _guard = self
            .shared
            .reload_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let previous = self.snapshot();
        let next = build(&self.shared.root, Some(&previous))?;
        let generation = next.generation;
        if generation != previous.generation {
            *self
                .shared
                .snapshot
                .write()
                .unwrap_or_else(PoisonError::into_inner) = Arc::new(next);
            // No receivers is fine: nobody has a page open.
            let _ = self.shared.events.send(generation);
        }
        Ok(generation)
    }

    /// Accepts requests for any `Host` name (serving on the network, not only loopback).
    pub fn allow_any_host(&self) {
        self.shared.any_host.store(true, Ordering::Relaxed);
    }

    /// Returns true if requests for any `Host` name are accepted.
    #[must_use]
    pub fn any_host_allowed(&self) -> bool {
        self.shared.any_host.load(Ordering::Relaxed)
    }

    /// Keeps `watcher` alive for as long as this state exists.
    pub(crate) fn keep_watcher(&self, watcher: notify::RecommendedWatcher) {
        *self
            .shared
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(watcher);
    }
}

/// Builds a snapshot of `root`, reusing `previous` results for files whose text is unchanged.
fn build(root: &Path, previous: Option<&Snapshot>) -> anyhow::Result<Snapshot> {
    let scan = load::scan(root)?;
    let settings = Settings::from_toml(&load::settings_text(root));
    let settings_errors: Vec<Text> = settings.errors.clone();
    let reusable = previous.filter(|p| p.settings == settings);
    let old: BTreeMap<&Path, &Arc<Entry>> = reusable
        .map(|p| p.entries().map(|e| (e.file.path.as_path(), e)).collect())
        .unwrap_or_default();

    let mut refused = scan.refused.clone();
    let mut procedures: BTreeMap<String, Procedure> = BTreeMap::new();
    let mut changed = previous.is_none_or(|p| p.settings != settings);
    for file in &scan.files {
        let source = match std::fs::read(&file.path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(error) => {
                refused.push((file.display.clone(), format!("unreadable: {error}")));
                continue;
            }
        };
        let entry = match old.get(file.path.as_path()) {
            Some(old) if old.source == source && old.file == *file => Arc::clone(old),
            _ => {
                changed = true;
                let Some(entry) = compile_entry(file, source, &settings) else {
                    refused.push((file.display.clone(), "internal error".to_owned()));
                    continue;
                };
                Arc::new(entry)
            }
        };
        let procedure = procedures
            .entry(file.procedure.clone())
            .or_insert_with(|| Procedure {
                name: file.procedure.clone(),
                entries: Vec::new(),
                pair: None,
                pairs: Vec::new(),
            });
        if procedure.entry(&entry.slug).is_some() {
            refused.push((
                file.display.clone(),
                format!("duplicate variant {} of {}", entry.slug, file.procedure),
            ));
            continue;
        }
        procedure.entries.push(entry);
    }
    if let Some(previous) = previous
        && !changed
    {
        let old_count = previous.entries().count();
        let new_count = procedures.values().map(|p| p.entries.len()).sum::<usize>();
        changed = old_count != new_count;
    }

    for procedure in procedures.values_mut() {
        procedure.entries.sort_by(|a, b| {
            (variant_rank(a), a.slug.as_str()).cmp(&(variant_rank(b), b.slug.as_str()))
        });
        let old_pairs: &[Arc<Pair>] = reusable
            .and_then(|p| p.procedures.get(&procedure.name))
            .map_or(&[], |p| p.pairs.as_slice());
        procedure.pairs = pairs_of(procedure, old_pairs);
        let default_to = procedure
            .of_variant(Variant::ToBe)
            .or_else(|| procedure.of_variant(Variant::CanBe));
        procedure.pair = default_to.and_then(|to| {
            procedure
                .pairs
                .iter()
                .find(|p| Arc::ptr_eq(&p.to, to))
                .cloned()
        });
    }

    let ranking = rank(&procedures);
    let previous_generation = previous.map_or(0, |p| p.generation);
    Ok(Snapshot {
        generation: if changed {
            previous_generation + 1
        } else {
            previous_generation
        },
        procedures,
        refused,
        settings,
        settings_errors,
        ranking,
        pages: Mutex::new(BTreeMap::new()),
    })
}

/// Returns the procedures ranked by the candidates stage, from each one's As-Is (else first)
/// variant, paired with the folder name (the ranking names procedures by process id).
/// Procedures with a file in error are left out (see [`Procedure::has_errors`]): the hours of a
/// model the compiler could not fully read are not a basis for priorities.
fn rank(procedures: &BTreeMap<String, Procedure>) -> Vec<(String, RankedProcedure)> {
    let sources: Vec<(&str, &Entry)> = procedures
        .values()
        .filter(|p| !p.has_errors())
        .filter_map(|p| {
            let entry = p.of_variant(Variant::AsIs).or_else(|| p.entries.first())?;
            Some((p.name.as_str(), entry.as_ref()))
        })
        .collect();
    let input: Vec<(&nagare::model::Model, Vec<nagare::candidates::Finding>)> = sources
        .iter()
        .map(|(_, e)| (&e.output.model, e.output.candidates.clone()))
        .collect();
    let mut unclaimed: Vec<(&str, &str)> = sources
        .iter()
        .map(|(name, e)| (*name, e.output.model.process.id.as_str()))
        .collect();
    nagare::candidates::rank(&input)
        .into_iter()
        .filter_map(|ranked| {
            let at = unclaimed.iter().position(|(_, id)| *id == ranked.process)?;
            let (name, _) = unclaimed.remove(at);
            Some((name.to_owned(), ranked))
        })
        .collect()
}

/// Compiles one file. A panic in a pipeline stage (a bug, never the user's fault) must not take
/// the viewer down: the file is then shown with an internal-error diagnostic and the result of
/// an empty model, and the other files are unaffected.
fn compile_entry(file: &FlowFile, source: String, settings: &Settings) -> Option<Entry> {
    let output = catch_unwind(AssertUnwindSafe(|| {
        engine::process_file(&source, &file.procedure, settings)
    }))
    .or_else(|_| {
        catch_unwind(AssertUnwindSafe(|| {
            let mut output = engine::process_file("", &file.procedure, settings);
            output.diagnostics.push(Diagnostic::error(
                "E9999",
                Span::default(),
                Text::new(
                    "nagare の内部エラーでこのファイルを処理できませんでした（不具合です。報告してください）",
                    "an internal error in nagare stopped this file from being processed (a bug: please report it)",
                ),
            ));
            output
        }))
    })
    .ok()?;
    let variant = file
        .stem
        .as_deref()
        .and_then(load::variant_of_stem)
        .unwrap_or(output.model.process.variant);
    let slug = file
        .stem
        .clone()
        .unwrap_or_else(|| output.model.process.variant.as_str().to_owned());
    Some(Entry {
        file: file.clone(),
        source,
        variant,
        slug,
        output,
    })
}

/// Orders as-is, can-be, to-be (by the file's variant), then other stems.
fn variant_rank(entry: &Entry) -> u8 {
    let named = entry
        .file
        .stem
        .as_deref()
        .is_none_or(|s| load::variant_of_stem(s).is_some());
    match (named, entry.variant) {
        (true, Variant::AsIs) => 0,
        (true, Variant::CanBe) => 1,
        (true, Variant::ToBe) => 2,
        (false, _) => 3,
    }
}

/// Returns the As-Is → variant pair for every variant other than the As-Is, reusing an old
/// comparison when neither file changed.
fn pairs_of(procedure: &Procedure, old: &[Arc<Pair>]) -> Vec<Arc<Pair>> {
    let Some(from) = procedure.of_variant(Variant::AsIs) else {
        return Vec::new();
    };
    procedure
        .entries
        .iter()
        .filter(|to| !Arc::ptr_eq(to, from))
        .filter_map(|to| {
            if let Some(old) = old
                .iter()
                .find(|p| Arc::ptr_eq(&p.from, from) && Arc::ptr_eq(&p.to, to))
            {
                return Some(Arc::clone(old));
            }
            // As for files: a panic in the diff stage leaves this pair without a comparison.
            let comparison = catch_unwind(AssertUnwindSafe(|| {
                engine::compare(&from.output, &to.output)
            }))
            .ok()?;
            Some(Arc::new(Pair {
                from: Arc::clone(from),
                to: Arc::clone(to),
                comparison,
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reload_reuses_unchanged_files_and_bumps_generation_on_change() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("p")).expect("mkdir");
        std::fs::write(dir.path().join("p/as-is.flow"), "業務: A\n").expect("write");
        std::fs::write(dir.path().join("p/to-be.flow"), "業務: A\n版: To-Be\n").expect("write");
        let state = AppState::load(dir.path()).expect("load");
        let first = state.snapshot();
        assert_eq!(first.generation, 1);
        let procedure = first.procedures.get("p").expect("procedure");
        let slugs: Vec<&str> = procedure.entries.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs, ["as-is", "to-be"]);
        assert!(procedure.pair.is_some());

        assert_eq!(state.reload().expect("reload"), 1, "nothing changed");
        let same = state.snapshot();
        assert!(Arc::ptr_eq(
            &first.procedures["p"].entries[0],
            &same.procedures["p"].entries[0]
        ));

        std::fs::write(dir.path().join("p/to-be.flow"), "業務: B\n").expect("write");
        assert_eq!(state.reload().expect("reload"), 2);
        let next = state.snapshot();
        assert!(Arc::ptr_eq(
            &first.procedures["p"].entries[0],
            &next.procedures["p"].entries[0]
        ));
        assert!(!Arc::ptr_eq(
            &first.procedures["p"].entries[1],
            &next.procedures["p"].entries[1]
        ));

        std::fs::remove_file(dir.path().join("p/to-be.flow")).expect("rm");
        assert_eq!(state.reload().expect("reload"), 3);
        assert!(state.snapshot().procedures["p"].pair.is_none());
    }
}
