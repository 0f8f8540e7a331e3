//! What an ingest did: the slugs created, updated, restored and archived,
//! the unchanged count, and the files that failed as `path:line: message`.

use std::fmt;

use serde::Serialize;

use crate::store::ItemChanges;

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
    /// Of the unchanged files, those known by their size and times, not read.
    #[serde(skip_serializing_if = "is_zero")]
    pub unchanged_unread: usize,
    pub archived: Vec<String>,
    pub failed: Vec<IngestFailure>,
    /// Action items added, reworded, removed, restored, marked done, over all files.
    pub items: ItemChanges,
    /// Incidents whose `duplicate/near-duplicate` findings changed (set by
    /// [`KnowledgeBase::ingest`](crate::kb::KnowledgeBase::ingest), which knows the index).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicates_flagged: Vec<String>,
    /// Incidents changed by a bulk import whose near-duplicate check was left
    /// for `coroner reindex --duplicates` (0 when it ran).
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates_skipped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl IngestSummary {
    /// Add one file's item changes to the totals.
    pub(crate) fn add_items(&mut self, more: ItemChanges) {
        let total = &mut self.items;
        total.added += more.added;
        total.reworded += more.reworded;
        total.removed += more.removed;
        total.restored += more.restored;
        total.marked_done += more.marked_done;
    }

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
        if !self.duplicates_flagged.is_empty() {
            let shown = &self.duplicates_flagged[..self.duplicates_flagged.len().min(10)];
            let more = self.duplicates_flagged.len() - shown.len();
            write!(
                f,
                "\n  near-duplicate findings updated: {}",
                shown.join(", ")
            )?;
            if more > 0 {
                write!(f, " and {more} more")?;
            }
        }
        if self.duplicates_skipped > 0 {
            write!(
                f,
                "\n  near-duplicate check skipped for this bulk import of {} incidents; \
                 run `coroner reindex --duplicates`",
                self.duplicates_skipped
            )?;
        }
        for failure in &self.failed {
            write!(f, "\n  {failure}")?;
        }
        Ok(())
    }
}
