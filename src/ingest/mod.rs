//! `coroner ingest`: walk files and folders, analyze each post-mortem that
//! changed, and store it in its own transaction; archive the incidents whose
//! file disappeared from an ingested folder.
//!
//! ```no_run
//! # async fn demo(store: &coroner::store::Store) -> Result<(), coroner::ingest::IngestError> {
//! use coroner::ingest::{ingest_paths, IngestOptions};
//! let summary = ingest_paths(store, &["incidents".into()], &IngestOptions::default()).await?;
//! println!("{summary}");
//! for slug in summary.changed() { /* reindex */ }
//! # Ok(()) }
//! ```

mod prepare;
pub mod progress;
mod slug;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::AnalyzeOptions;
use crate::input::{self, InputError};
use crate::store::{IncidentStatus, ItemChanges, NewIncident, SaveOutcome, Store, StoreError};
pub use prepare::content_hash;
use prepare::{Prepared, Stored};
pub use progress::{FileEvent, Progress};
pub use slug::{slug_for_path, slugify};

/// Names the analysis that produced a stored document. A stored file whose
/// analyzer differs is analyzed again even when its text did not change; use
/// [`IngestOptions::force`] to redo every file regardless.
pub const ANALYZER: &str = concat!("coroner-", env!("CARGO_PKG_VERSION"));

/// How to ingest.
#[derive(Clone)]
pub struct IngestOptions {
    pub analyze: AnalyzeOptions,
    /// Who the action items' history names for changes made by ingest.
    pub who: String,
    /// Analyze and store every file even when unchanged.
    pub force: bool,
    /// Archive incidents whose file is gone from an ingested folder (default true).
    pub archive_missing: bool,
    pub progress: Arc<dyn Progress>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            analyze: AnalyzeOptions::default(),
            who: "ingest".into(),
            force: false,
            archive_missing: true,
            progress: Arc::new(progress::Silent),
        }
    }
}

impl fmt::Debug for IngestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IngestOptions")
            .field("analyze", &self.analyze)
            .field("who", &self.who)
            .field("force", &self.force)
            .field("archive_missing", &self.archive_missing)
            .finish_non_exhaustive()
    }
}

/// A file that could not be ingested; displayed as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IngestFailure {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for IngestFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What an ingest did. Slug lists are in file order; a caller keeping a search
/// index in step re-indexes [`IngestSummary::changed`] and drops `archived`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    /// Archived incidents whose file came back.
    pub restored: Vec<String>,
    pub unchanged: usize,
    pub archived: Vec<String>,
    pub failed: Vec<IngestFailure>,
    /// Action items added, reworded, removed, restored, marked done, over all files.
    pub items: ItemChanges,
}

impl IngestSummary {
    /// Slugs whose stored document changed: created, updated or restored.
    pub fn changed(&self) -> impl Iterator<Item = &str> {
        self.created
            .iter()
            .chain(&self.updated)
            .chain(&self.restored)
            .map(String::as_str)
    }

    /// Files looked at.
    pub fn files(&self) -> usize {
        self.created.len()
            + self.updated.len()
            + self.restored.len()
            + self.unchanged
            + self.failed.len()
    }
}

impl fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} new, {} updated, {} unchanged, {} failed",
            self.created.len(),
            self.updated.len(),
            self.unchanged,
            self.failed.len()
        )?;
        if !self.restored.is_empty() {
            write!(f, ", {} restored", self.restored.len())?;
        }
        if !self.archived.is_empty() {
            write!(f, ", {} archived", self.archived.len())?;
        }
        for failure in &self.failed {
            write!(f, "\n  {failure}")?;
        }
        Ok(())
    }
}

/// Why an ingest could not run at all (per-file problems are in the summary).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Ingest files and folders (recursively): new and changed files are analyzed
/// and stored, one transaction each; unchanged ones are skipped by content
/// hash; a failing file is reported and the others go on.
pub async fn ingest_paths(
    store: &Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestSummary, IngestError> {
    let files = input::collect_files(paths)?;
    let stored: HashMap<String, Stored> = store
        .sources()
        .await?
        .into_iter()
        .map(|s| {
            let active = IncidentStatus::parse(&s.status) == IncidentStatus::Active;
            (
                s.source_path,
                Stored {
                    slug: s.slug,
                    hash: s.content_hash,
                    analyzer: s.analyzer,
                    active,
                },
            )
        })
        .collect();
    let stored = Arc::new(stored);
    opts.progress.start(files.len());

    let mut summary = IngestSummary::default();
    let mut seen_paths = HashSet::new();
    let mut seen_slugs = HashSet::new();
    // Pipeline: the next file is read and analyzed while this one is written.
    let mut queue = files.into_iter();
    let mut next = queue.next().map(|p| spawn_prepare(p, &stored, opts));
    while let Some(job) = next.take() {
        next = queue.next().map(|p| spawn_prepare(p, &stored, opts));
        let (path, prepared) = job
            .await
            .map_err(|e| StoreError::Database(format!("ingest worker failed: {e}")))?;
        seen_paths.insert(prepare::canonical(&path));
        let slug = store_one(store, &path, prepared, opts, &mut summary).await;
        if let Some(slug) = slug {
            seen_slugs.insert(slug);
        }
    }
    if opts.archive_missing {
        archive_missing(
            store,
            paths,
            &stored,
            &seen_paths,
            &seen_slugs,
            opts,
            &mut summary,
        )
        .await?;
    }
    opts.progress.finish(&summary);
    Ok(summary)
}

type Job = tokio::task::JoinHandle<(PathBuf, Result<Prepared, IngestFailure>)>;

fn spawn_prepare(
    path: PathBuf,
    stored: &Arc<HashMap<String, Stored>>,
    opts: &IngestOptions,
) -> Job {
    let stored = Arc::clone(stored);
    let analyze = opts.analyze.clone();
    let force = opts.force;
    tokio::task::spawn_blocking(move || {
        let prepared =
            prepare::prepare(&path, |p| stored.get(p).cloned(), ANALYZER, force, &analyze);
        (path, prepared)
    })
}

/// Store one prepared file and record the outcome; returns its slug when known.
async fn store_one(
    store: &Store,
    path: &Path,
    prepared: Result<Prepared, IngestFailure>,
    opts: &IngestOptions,
    summary: &mut IngestSummary,
) -> Option<String> {
    let analyzed = match prepared {
        Ok(Prepared::Analyzed(a)) => a,
        Ok(Prepared::Unchanged { slug }) => {
            summary.unchanged += 1;
            opts.progress.file(path, FileEvent::Unchanged);
            return Some(slug);
        }
        Err(failure) => {
            opts.progress.file(path, FileEvent::Failed(&failure));
            summary.failed.push(failure);
            return None;
        }
    };
    let slug = slug_for_path(path);
    let new = NewIncident {
        source_path: &analyzed.canonical,
        slug: &slug,
        content_hash: &analyzed.hash,
        analyzer: ANALYZER,
        raw: &analyzed.raw,
        document: &analyzed.document,
        who: &opts.who,
        force: opts.force,
    };
    match store.save_incident(&new).await {
        Ok(saved) => {
            add_items(&mut summary.items, saved.items);
            let (list, event) = match saved.outcome {
                SaveOutcome::Created => {
                    (Some(&mut summary.created), FileEvent::Created(&saved.slug))
                }
                SaveOutcome::Updated => {
                    (Some(&mut summary.updated), FileEvent::Updated(&saved.slug))
                }
                SaveOutcome::Restored => (
                    Some(&mut summary.restored),
                    FileEvent::Restored(&saved.slug),
                ),
                SaveOutcome::Unchanged => (None, FileEvent::Unchanged),
            };
            opts.progress.file(path, event);
            match list {
                Some(list) => list.push(saved.slug.clone()),
                None => summary.unchanged += 1,
            }
            Some(saved.slug)
        }
        Err(err) => {
            let failure = IngestFailure {
                path: path.display().to_string(),
                line: None,
                message: err.to_string(),
            };
            opts.progress.file(path, FileEvent::Failed(&failure));
            summary.failed.push(failure);
            None
        }
    }
}

/// Archive active incidents stored under an ingested folder whose file was not
/// found in it this time (a file that failed to read still counts as found).
async fn archive_missing(
    store: &Store,
    paths: &[PathBuf],
    stored: &HashMap<String, Stored>,
    seen_paths: &HashSet<String>,
    seen_slugs: &HashSet<String>,
    opts: &IngestOptions,
    summary: &mut IngestSummary,
) -> Result<(), StoreError> {
    let folders: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| PathBuf::from(prepare::canonical(p)))
        .collect();
    let mut gone: Vec<(&String, &Stored)> = stored
        .iter()
        .filter(|(path, s)| {
            s.active && !seen_paths.contains(*path) && !seen_slugs.contains(&s.slug)
        })
        .filter(|(path, _)| folders.iter().any(|f| Path::new(path).starts_with(f)))
        .filter(|(path, _)| {
            !Path::new(path).exists() || !input::is_post_mortem_file(Path::new(path))
        })
        .collect();
    gone.sort_by(|a, b| a.0.cmp(b.0));
    for (_, s) in gone {
        if store.archive_incident(&s.slug).await? {
            opts.progress.archived(&s.slug);
            summary.archived.push(s.slug.clone());
        }
    }
    Ok(())
}

fn add_items(total: &mut ItemChanges, more: ItemChanges) {
    total.added += more.added;
    total.reworded += more.reworded;
    total.removed += more.removed;
    total.restored += more.restored;
    total.marked_done += more.marked_done;
}
