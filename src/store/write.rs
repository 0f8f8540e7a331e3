//! Storing one analyzed post-mortem, in one transaction: the incident row, its
//! tags, timeline and findings (replaced), its action items (reconciled by
//! `items`), and an event saying what happened. Also archiving and restoring.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::backend::Conn;
use super::items;
use super::sql::{Sql, Value};
use super::types::IncidentStatus;
use super::{Store, StoreError, now};
use crate::model::Document;

/// What ingest knows about a stored file, to skip unchanged ones cheaply.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SourceState {
    pub slug: String,
    pub source_path: String,
    pub content_hash: String,
    /// The analyzer version that produced the stored document.
    pub analyzer: String,
    pub status: String,
}

/// A post-mortem to store.
#[derive(Debug, Clone, Copy)]
pub struct NewIncident<'a> {
    /// The file's canonical path: what identifies it between ingests.
    pub source_path: &'a str,
    /// The slug wanted (from the file name); `-2`, `-3`… is added when another file has it.
    pub slug: &'a str,
    pub content_hash: &'a str,
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
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    slug: String,
    source_path: String,
    content_hash: String,
    analyzer: String,
    status: String,
}

const ATTEMPTS: usize = 5;

impl Store {
    /// Every stored incident's path, hash and status (ingest's "unchanged?" check).
    pub async fn sources(&self) -> Result<Vec<SourceState>, StoreError> {
        self.pool
            .fetch_all(Sql::new(
                "SELECT slug, source_path, content_hash, analyzer, status FROM incidents ORDER BY source_path",
            ))
            .await
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
        let mut conn = tx.conn();
        let existing = find_existing(&mut conn, new).await?;
        let at = now();
        let (id, slug, outcome) = match existing {
            Some(old) => {
                let archived = IncidentStatus::parse(&old.status) == IncidentStatus::Archived;
                let same_text = old.content_hash == new.content_hash;
                let moved = old.source_path != new.source_path;
                if same_text && !archived && !moved && !new.force && old.analyzer == new.analyzer {
                    return Ok(Saved {
                        slug: old.slug,
                        outcome: SaveOutcome::Unchanged,
                        items: ItemChanges::default(),
                    });
                }
                update_incident(&mut conn, old.id, new, at, !same_text).await?;
                if moved {
                    event(&mut conn, old.id, at, "moved", new).await?;
                }
                let outcome = if archived {
                    event(&mut conn, old.id, at, "restored", new).await?;
                    SaveOutcome::Restored
                } else if same_text {
                    SaveOutcome::Unchanged
                } else {
                    SaveOutcome::Updated
                };
                if !same_text {
                    event(&mut conn, old.id, at, "updated", new).await?;
                }
                (old.id, old.slug, outcome)
            }
            None => {
                let slug = free_slug(&mut conn, new.slug).await?;
                let id = insert_incident(&mut conn, &slug, new, at).await?;
                event(&mut conn, id, at, "created", new).await?;
                (id, slug, SaveOutcome::Created)
            }
        };
        replace_children(&mut conn, id, new.document).await?;
        let items = items::reconcile(&mut conn, id, new, at).await?;
        tx.commit().await?;
        Ok(Saved {
            slug,
            outcome,
            items,
        })
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

/// The stored incident this file continues: same path; else same slug whose
/// file is gone from this machine (the file moved, or another checkout of the
/// same knowledge base stored it).
async fn find_existing(
    conn: &mut Conn<'_>,
    new: &NewIncident<'_>,
) -> Result<Option<Existing>, StoreError> {
    let by_path = Sql::new(concat!(
        "SELECT id, slug, source_path, content_hash, analyzer, status FROM incidents",
        " WHERE source_path = $1"
    ))
    .arg(new.source_path);
    if let Some(found) = conn.fetch_optional::<Existing>(by_path).await? {
        return Ok(Some(found));
    }
    let by_slug = Sql::new(concat!(
        "SELECT id, slug, source_path, content_hash, analyzer, status FROM incidents",
        " WHERE slug = $1"
    ))
    .arg(new.slug);
    let found: Option<Existing> = conn.fetch_optional(by_slug).await?;
    Ok(found.filter(|f| !Path::new(&f.source_path).exists()))
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

/// The incident-level columns derived from a document, in insert order.
fn incident_values(new: &NewIncident<'_>) -> Vec<Value> {
    let doc = new.document;
    let summary = doc.summary.as_ref();
    let instant = |s: Option<&String>| {
        s.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    let mut tags = doc.front_matter.tags.clone();
    tags.sort();
    tags.dedup();
    vec![
        doc.title.clone().into(),
        Value::Date(doc.date),
        new.source_path.into(),
        new.content_hash.into(),
        new.analyzer.into(),
        new.raw.into(),
        serde_json::Value::Object(doc.front_matter.fields.clone()).into(),
        serde_json::json!(tags).into(),
        doc.timezone.as_ref().map(|z| z.zone.clone()).into(),
        instant(summary.and_then(|s| s.start.as_ref())).into(),
        instant(summary.and_then(|s| s.end.as_ref())).into(),
        summary.and_then(|s| s.duration_minutes).into(),
        doc.findings.len().into(),
        serde_json::to_value(doc).unwrap_or_default().into(),
    ]
}

async fn insert_incident(
    conn: &mut Conn<'_>,
    slug: &str,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut sql = Sql::new(
        "INSERT INTO incidents (title, incident_date, source_path, content_hash, analyzer, raw_markdown, \
         metadata, tags, timezone, started_at, ended_at, duration_minutes, finding_count, document, \
         slug, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'active', $16, $16) RETURNING id",
    );
    for v in incident_values(new) {
        sql = sql.arg(v);
    }
    let (id,): (i64,) = conn.fetch_one(sql.arg(slug).arg(at)).await?;
    Ok(id)
}

/// Rewrite the incident row; `changed` (new content) moves `updated_at`.
async fn update_incident(
    conn: &mut Conn<'_>,
    id: i64,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
    changed: bool,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(
        "UPDATE incidents SET title = $1, incident_date = $2, source_path = $3, content_hash = $4, \
         analyzer = $5, raw_markdown = $6, metadata = $7, tags = $8, timezone = $9, started_at = $10, \
         ended_at = $11, duration_minutes = $12, finding_count = $13, document = $14, status = 'active', \
         archived_at = NULL, updated_at = CASE WHEN $15 OR status = 'archived' THEN $16 ELSE updated_at END \
         WHERE id = $17",
    );
    for v in incident_values(new) {
        sql = sql.arg(v);
    }
    conn.execute(sql.arg(changed).arg(at).arg(id)).await?;
    Ok(())
}

async fn event(
    conn: &mut Conn<'_>,
    id: i64,
    at: DateTime<Utc>,
    kind: &'static str,
    new: &NewIncident<'_>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::new(
            "INSERT INTO incident_events (incident_id, at, kind, content_hash, source_path) VALUES ($1, $2, $3, $4, $5)",
        )
        .arg(id)
        .arg(at)
        .arg(kind)
        .arg(new.content_hash)
        .arg(new.source_path),
    )
    .await?;
    Ok(())
}

/// Tags, timeline entries and findings follow the markdown: replaced wholesale.
async fn replace_children(conn: &mut Conn<'_>, id: i64, doc: &Document) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM incident_tags WHERE incident_id = $1",
        "DELETE FROM timeline_entries WHERE incident_id = $1",
        "DELETE FROM findings WHERE incident_id = $1",
    ] {
        conn.execute(Sql::new(sql).arg(id)).await?;
    }
    let mut tags = doc.front_matter.tags.clone();
    tags.sort();
    tags.dedup();
    let tag_rows = tags.into_iter().map(|t| vec![id.into(), t.into()]);
    insert_rows(
        conn,
        "INSERT INTO incident_tags (incident_id, tag) VALUES ",
        tag_rows,
    )
    .await?;

    let entries = doc.timeline.iter().enumerate().map(|(n, e)| {
        let utc = e
            .utc
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        vec![
            id.into(),
            n.into(),
            e.line.into(),
            e.label.as_str().into(),
            Value::Local(e.local),
            Value::Time(utc.map(|t| t.with_timezone(&Utc))),
            e.text.as_str().into(),
            enum_name(&e.kind).into(),
            e.zone.clone().into(),
            e.approximate.into(),
        ]
    });
    insert_rows(
        conn,
        "INSERT INTO timeline_entries (incident_id, position, line, label, local_time, utc, text, kind, zone, approximate) VALUES ",
        entries,
    )
    .await?;

    let findings = doc.findings.iter().enumerate().map(|(n, f)| {
        vec![
            id.into(),
            n.into(),
            f.rule.as_str().into(),
            f.severity.as_str().into(),
            f.line.into(),
            f.message.as_str().into(),
            f.suggestion.clone().into(),
        ]
    });
    insert_rows(
        conn,
        "INSERT INTO findings (incident_id, position, rule, severity, line, message, suggestion) VALUES ",
        findings,
    )
    .await
}

/// Multi-row `INSERT … VALUES (…), (…)`, in chunks that stay under both
/// backends' limits on bound parameters.
async fn insert_rows(
    conn: &mut Conn<'_>,
    head: &'static str,
    rows: impl Iterator<Item = Vec<Value>>,
) -> Result<(), StoreError> {
    const ROWS_PER_STATEMENT: usize = 200;
    let rows: Vec<Vec<Value>> = rows.collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::build(head);
        for (r, row) in chunk.iter().enumerate() {
            sql.push(if r == 0 { "(" } else { ", (" });
            for (c, value) in row.iter().enumerate() {
                if c > 0 {
                    sql.push(", ");
                }
                sql.bind(value.clone());
            }
            sql.push(")");
        }
        conn.execute(sql).await?;
    }
    Ok(())
}

/// A unit enum's serde name (`table_row`), for text columns.
pub(crate) fn enum_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
