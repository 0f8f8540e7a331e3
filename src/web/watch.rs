//! `serve --watch`: re-ingest post-mortems that change on disk. Events are
//! debounced (editors write in several steps); created and modified files are
//! ingested alone, a removal re-ingests the folder so the incident is archived.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::mpsc;

use super::state::AppState;
use crate::ingest::IngestOptions;

const QUIET: Duration = Duration::from_millis(500);

/// Start watching `dir`; keep the returned watcher alive for as long as it should run.
pub fn spawn(
    state: AppState,
    dir: PathBuf,
    opts: IngestOptions,
) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::unbounded_channel::<notify::Event>();
    let mut watcher =
        notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
            Ok(ev) => {
                let _ = tx.send(ev);
            }
            Err(e) => tracing::warn!("watch: {e}"),
        })?;
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    tokio::spawn(run(state, dir, opts, rx));
    Ok(watcher)
}

async fn run(
    state: AppState,
    dir: PathBuf,
    opts: IngestOptions,
    mut rx: mpsc::UnboundedReceiver<notify::Event>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = Batch::default();
        batch.add(first);
        while let Ok(Some(ev)) = tokio::time::timeout(QUIET, rx.recv()).await {
            batch.add(ev);
        }
        let paths = batch.paths(&dir);
        if paths.is_empty() {
            continue;
        }
        match state.ingest(&paths, &opts).await {
            Ok(summary) => {
                let changed =
                    summary.changed().count() + summary.archived.len() + summary.failed.len();
                if changed > 0 {
                    tracing::info!(
                        "re-ingested after a change on disk: {}",
                        summary.to_string().replace('\n', "; ")
                    );
                }
                for f in &summary.failed {
                    tracing::warn!("{f}");
                }
            }
            Err(e) => tracing::error!("re-ingest failed: {e}"),
        }
    }
}

/// The files touched during one quiet period.
#[derive(Debug, Default)]
pub struct Batch {
    changed: BTreeSet<PathBuf>,
    removed: bool,
}

impl Batch {
    pub fn add(&mut self, ev: notify::Event) {
        match ev.kind {
            EventKind::Create(_) | EventKind::Modify(_) => self.changed.extend(ev.paths),
            EventKind::Remove(_) => self.removed = true,
            _ => {}
        }
    }

    /// What to ingest: the whole folder after a removal or rename, else the changed files.
    pub fn paths(&self, dir: &std::path::Path) -> Vec<PathBuf> {
        let gone = self.changed.iter().any(|p| !p.exists());
        if self.removed || gone {
            return vec![dir.to_path_buf()];
        }
        self.changed
            .iter()
            .filter(|p| p.is_file())
            .cloned()
            .collect()
    }
}
