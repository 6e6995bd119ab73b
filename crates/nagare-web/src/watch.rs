//! Live reload: watch the served folder and reload the state shortly after files change.
//!
//! The whole folder is watched recursively (not single files), so editors that save by writing a
//! temporary file and renaming it over the original are seen like any other change. Bursts of
//! events (one save is often 3–5 events) are debounced: the reload runs once the folder has been
//! quiet for [`DEBOUNCE`].

use std::time::Duration;

use anyhow::Context as _;
use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc;

use crate::state::AppState;

/// How long the folder must be quiet before a reload.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// Starts watching `state`'s folder; changes reload it and are announced to `/events`.
/// Must be called inside a tokio runtime. The watcher lives as long as `state`.
///
/// # Errors
/// If the operating system refuses to watch the folder.
pub fn start(state: &AppState) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = match event {
            // Reads do not change anything; everything else (create, modify, rename, remove)
            // may. Errors (e.g. an overflowed event queue) trigger a full rescan to be safe.
            Ok(event) => !matches!(event.kind, EventKind::Access(_)),
            Err(_) => true,
        };
        if relevant {
            // The receiver only goes away when the server stops.
            let _ = tx.send(());
        }
    })
    .context("cannot start the file watcher")?;
    watcher
        .watch(state.root(), RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", state.root().display()))?;
    state.keep_watcher(watcher);

    let state = state.clone();
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Debounce: wait until no event arrived for DEBOUNCE.
            while let Ok(Some(())) = tokio::time::timeout(DEBOUNCE, rx.recv()).await {}
            let reloading = state.clone();
            match tokio::task::spawn_blocking(move || reloading.reload()).await {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => eprintln!("nagare: reload failed: {error:#}"),
                Err(error) => eprintln!("nagare: reload task failed: {error}"),
            }
        }
    });
    Ok(())
}
