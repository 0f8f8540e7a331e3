//! Storing analyzed post-mortems: per file, the incident row, its tags,
//! timeline and findings (replaced), its action items (reconciled by `items`),
//! and an event saying what happened; one file per transaction, or a batch of
//! files in one (falling back to one each when any fails). Also archiving and
//! restoring.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::backend::Conn;
use super::content::{event, insert_incident, replace_children, update_incident};
use super::items;
use super::sql::Sql;
use super::{ActionStatus, IncidentStatus, Store, StoreError, now};
use crate::model::Document;

/// What ingest knows about a stored file, to skip unchanged ones cheaply.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceState {
    pub slug: String,
    pub source_path: String,
    pub content_hash: String,
    /// The analyzer version that produced the stored document.
    pub analyzer: String,
    #[sqlx(try_from = "String")]
    pub status: IncidentStatus,
    /// The file's size and times when it was last read (see [`NewIncident::source_signature`]).
    pub source_signature: Option<String>,
}

/// A post-mortem to store.
#[derive(Debug, Clone, Copy)]
pub struct NewIncident<'a> {
    /// The file's canonical path: what identifies it between ingests.
    pub source_path: &'a str,
    /// The slug wanted (from the file name); `-2`, `-3`… is added when another file has it.
    pub slug: &'a str,
    pub content_hash: &'a str,
    /// What the file's metadata said when it was read (size, times), for ingest
    /// to know it unchanged next time without reading it; `None` when unknown.
    pub source_signature: Option<&'a str>,
    pub analyzer: &'a str,
    pub raw: &'a str,
    pub document: &'a Document,
    /// Who the history names for changes ingest makes.
    pub who: &'a str,
    /// Rewrite even when the hash and analyzer are unchanged.
    pub force: bool,
}

/// What saving did to the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SaveOutcome {
    Created,
    Updated,
    Unchanged,
    /// It was archived and its file is back.
    Restored,
}

/// What saving did to the action items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ItemChanges {
    pub added: usize,
    pub reworded: usize,
    pub removed: usize,
    pub restored: usize,
    pub marked_done: usize,
}

/// The result of [`Store::save_incident`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub slug: String,
    pub outcome: SaveOutcome,
    pub items: ItemChanges,
    /// The tracking state of the document's action items, in document order
    /// (what a search index needs besides the document); empty when unchanged.
    #[serde(skip)]
    pub tracked: Vec<TrackedItem>,
}

/// One of a saved document's action items: its id and the tracking state the
/// store keeps (the text, group and children are the document's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedItem {
    pub id: i64,
    pub status: ActionStatus,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

impl TrackedItem {
    pub(crate) fn of(id: i64, row: &super::item_row::Row) -> TrackedItem {
        TrackedItem {
            id,
            status: row.status,
            owner: row.owner.clone(),
            due: row.due,
        }
    }
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    slug: String,
    source_path: String,
    content_hash: String,
    analyzer: String,
    status: String,
    source_signature: Option<String>,
}

const ATTEMPTS: usize = 5;

impl Store {
    /// Every stored incident's path, hash and status (ingest's "unchanged?" check).
    pub async fn sources(&self) -> Result<Vec<SourceState>, StoreError> {
        self.pool
            .fetch_all(Sql::new(
                "SELECT slug, source_path, content_hash, analyzer, status, source_signature FROM incidents \
                 ORDER BY source_path",
            ))
            .await
    }

    /// Record the signatures of stored files found unchanged by their hash
    /// (`(source_path, signature)`), in one transaction.
    pub async fn record_signatures(&self, files: &[(String, String)]) -> Result<(), StoreError> {
        if files.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin_write().await?;
        for (path, signature) in files {
            record_signature(&mut tx.conn(), path, signature).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Store one analyzed post-mortem in a single transaction, matching its
    /// action items to the stored ones. Retried when a concurrent writer wins a race.
    pub async fn save_incident(&self, new: &NewIncident<'_>) -> Result<Saved, StoreError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_save(new).await {
                Err(err) if err.is_transient() && attempt < ATTEMPTS => {
                    tokio::time::sleep(std::time::Duration::from_millis(20 * attempt as u64)).await;
                }
                other => return other,
            }
        }
    }

    async fn try_save(&self, new: &NewIncident<'_>) -> Result<Saved, StoreError> {
        let mut tx = self.pool.begin_write().await?;
        let saved = save_in(&mut tx.conn(), new, now()).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Store several analyzed post-mortems, in order, in one transaction (a
    /// bulk ingest: one commit instead of one per file). When any of them
    /// fails, the batch is rolled back and each file saved on its own with
    /// [`save_incident`](Self::save_incident), so that one bad file costs
    /// only itself. One result per file, in order.
    pub async fn save_incidents(
        &self,
        batch: &[NewIncident<'_>],
    ) -> Vec<Result<Saved, StoreError>> {
        if batch.len() > 1 {
            match self.try_save_batch(batch).await {
                Ok(saved) => return saved.into_iter().map(Ok).collect(),
                Err(err) => tracing::debug!("batch not saved ({err}); saving its files one by one"),
            }
        }
        let mut out = Vec::with_capacity(batch.len());
        for new in batch {
            out.push(self.save_incident(new).await);
        }
        out
    }

    async fn try_save_batch(&self, batch: &[NewIncident<'_>]) -> Result<Vec<Saved>, StoreError> {
        let mut tx = self.pool.begin_write().await?;
        let out = super::bulk::save_all(&mut tx.conn(), batch).await?;
        tx.commit().await?;
        let created = out
            .iter()
            .filter(|s| s.outcome == SaveOutcome::Created)
            .count();
        if self.growth.grew(created as u64) {
            // Only the plans of later statements are at stake: a failure is
            // logged, and the batch stays saved.
            if let Err(err) = self.pool.refresh_statistics().await {
                tracing::warn!("cannot refresh the database's statistics: {err}");
            }
        }
        Ok(out)
    }

    /// Mark an incident archived (its file is gone); kept with its history.
    /// Returns false when it already was.
    pub async fn archive_incident(&self, slug: &str) -> Result<bool, StoreError> {
        self.set_status(slug, IncidentStatus::Archived, "archived")
            .await
    }

    /// Make an archived incident active again. Returns false when it already was.
    pub async fn restore_incident(&self, slug: &str) -> Result<bool, StoreError> {
        self.set_status(slug, IncidentStatus::Active, "restored")
            .await
    }

    async fn set_status(
        &self,
        slug: &str,
        status: IncidentStatus,
        kind: &'static str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_write().await?;
        let mut conn = tx.conn();
        let row: Option<(i64, String)> = conn
            .fetch_optional(Sql::new("SELECT id, status FROM incidents WHERE slug = $1").arg(slug))
            .await?;
        let (id, current) =
            row.ok_or_else(|| StoreError::NotFound(format!("incident `{slug}`")))?;
        if current == status.as_str() {
            return Ok(false);
        }
        let at = now();
        let archived_at = (status == IncidentStatus::Archived).then_some(at);
        conn.execute(
            Sql::new(
                "UPDATE incidents SET status = $1, archived_at = $2, updated_at = $3 WHERE id = $4",
            )
            .arg(status.as_str())
            .arg(archived_at)
            .arg(at)
            .arg(id),
        )
        .await?;
        conn.execute(
            Sql::new("INSERT INTO incident_events (incident_id, at, kind) VALUES ($1, $2, $3)")
                .arg(id)
                .arg(at)
                .arg(kind),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Store one file inside the caller's transaction.
pub(crate) async fn save_in(
    conn: &mut Conn<'_>,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
) -> Result<Saved, StoreError> {
    let (existing, slug_taken) = find_existing(conn, new).await?;
    let (id, slug, outcome) = match existing {
        Some(old) if is_current(&old, new) => {
            let signature = new.source_signature;
            if let Some(signature) =
                signature.filter(|&s| old.source_signature.as_deref() != Some(s))
            {
                record_signature(conn, new.source_path, signature).await?;
            }
            return Ok(Saved {
                slug: old.slug,
                outcome: SaveOutcome::Unchanged,
                items: ItemChanges::default(),
                tracked: Vec::new(),
            });
        }
        Some(old) => {
            let outcome = refresh(conn, &old, new, at).await?;
            (old.id, old.slug, outcome)
        }
        None => {
            let slug = match slug_taken {
                true => free_slug(conn, new.slug).await?,
                false => new.slug.to_string(),
            };
            let id = insert_incident(conn, &slug, new, at).await?;
            event(conn, id, at, "created", new).await?;
            (id, slug, SaveOutcome::Created)
        }
    };
    let fresh = outcome == SaveOutcome::Created;
    replace_children(conn, id, new.document, fresh).await?;
    let (items, tracked) = items::reconcile(conn, id, new, at, fresh).await?;
    Ok(Saved {
        slug,
        outcome,
        items,
        tracked,
    })
}

async fn record_signature(
    conn: &mut Conn<'_>,
    source_path: &str,
    signature: &str,
) -> Result<(), StoreError> {
    let sql = Sql::new("UPDATE incidents SET source_signature = $1 WHERE source_path = $2");
    conn.execute(sql.arg(signature).arg(source_path)).await?;
    Ok(())
}

/// The stored incident this file continues: same path; else same slug whose
/// file is gone from this machine (the file moved, or another checkout of the
/// same knowledge base stored it). Also says whether the wanted slug is taken.
async fn find_existing(
    conn: &mut Conn<'_>,
    new: &NewIncident<'_>,
) -> Result<(Option<Existing>, bool), StoreError> {
    let sql = Sql::new(
        "SELECT id, slug, source_path, content_hash, analyzer, status, source_signature \
         FROM incidents WHERE source_path = $1 OR slug = $2",
    );
    let rows: Vec<Existing> = conn
        .fetch_all(sql.arg(new.source_path).arg(new.slug))
        .await?;
    let slug_taken = rows.iter().any(|r| r.slug == new.slug);
    let (by_path, by_slug): (Vec<Existing>, Vec<Existing>) = rows
        .into_iter()
        .partition(|r| r.source_path == new.source_path);
    let adopt = by_slug
        .into_iter()
        .find(|r| !Path::new(&r.source_path).exists());
    Ok((by_path.into_iter().next().or(adopt), slug_taken))
}

/// Stored from the same text by the same analyzer, active, at the same path.
fn is_current(old: &Existing, new: &NewIncident<'_>) -> bool {
    !new.force
        && old.content_hash == new.content_hash
        && old.analyzer == new.analyzer
        && old.source_path == new.source_path
        && IncidentStatus::parse(&old.status) == IncidentStatus::Active
}

/// Rewrite a stored incident from a new version of its file, with the events
/// that say what happened (moved, restored, updated).
async fn refresh(
    conn: &mut Conn<'_>,
    old: &Existing,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
) -> Result<SaveOutcome, StoreError> {
    let archived = IncidentStatus::parse(&old.status) == IncidentStatus::Archived;
    let changed = old.content_hash != new.content_hash;
    update_incident(conn, old.id, new, at, changed).await?;
    if old.source_path != new.source_path {
        event(conn, old.id, at, "moved", new).await?;
    }
    if archived {
        event(conn, old.id, at, "restored", new).await?;
    }
    if changed {
        event(conn, old.id, at, "updated", new).await?;
    }
    Ok(match (archived, changed) {
        (true, _) => SaveOutcome::Restored,
        (false, true) => SaveOutcome::Updated,
        (false, false) => SaveOutcome::Unchanged,
    })
}

/// `slug`, or `slug-2`, `slug-3`… whichever is free.
async fn free_slug(conn: &mut Conn<'_>, base: &str) -> Result<String, StoreError> {
    let mut candidate = base.to_string();
    let mut n = 1;
    loop {
        let taken: Option<(i64,)> = conn
            .fetch_optional(
                Sql::new("SELECT id FROM incidents WHERE slug = $1").arg(candidate.as_str()),
            )
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
        n += 1;
        candidate = format!("{base}-{n}");
    }
}
