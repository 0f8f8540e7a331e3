//! The rows one analyzed document becomes: the incident row, its events, and
//! its tags, timeline entries and findings (replaced wholesale on every change).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::backend::Conn;
use super::sql::{ROWS_PER_STATEMENT, Sql, Value, values};
use super::{NewIncident, StoreError};
use crate::model::{Document, Finding, TimelineEntry};

/// The incident-level columns derived from a document, in insert order.
pub(crate) fn incident_values(new: &NewIncident<'_>) -> Vec<Value> {
    let doc = new.document;
    let summary = doc.summary.as_ref();
    vec![
        doc.title.clone().into(),
        Value::Date(doc.date),
        new.source_path.into(),
        new.content_hash.into(),
        new.analyzer.into(),
        new.raw.into(),
        Value::json(&doc.front_matter.fields),
        Value::json(&tags(doc)),
        doc.timezone.as_ref().map(|z| z.zone.clone()).into(),
        instant(summary.and_then(|s| s.start.as_deref())).into(),
        instant(summary.and_then(|s| s.end.as_deref())).into(),
        summary.and_then(|s| s.duration_minutes).into(),
        doc.findings.len().into(),
        Value::json(doc),
        new.source_signature.map(str::to_string).into(),
    ]
}

pub(crate) async fn insert_incident(
    conn: &mut Conn<'_>,
    slug: &str,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut sql = Sql::new(
        "INSERT INTO incidents (title, incident_date, source_path, content_hash, analyzer, raw_markdown, \
         metadata, tags, timezone, started_at, ended_at, duration_minutes, finding_count, document, \
         source_signature, slug, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'active', $17, $17) \
         RETURNING id",
    );
    for v in incident_values(new) {
        sql = sql.arg(v);
    }
    let (id,): (i64,) = conn.fetch_one(sql.arg(slug).arg(at)).await?;
    Ok(id)
}

/// Rewrite the incident row; `changed` (new content) moves `updated_at`.
pub(crate) async fn update_incident(
    conn: &mut Conn<'_>,
    id: i64,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
    changed: bool,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(
        "UPDATE incidents SET title = $1, incident_date = $2, source_path = $3, content_hash = $4, \
         analyzer = $5, raw_markdown = $6, metadata = $7, tags = $8, timezone = $9, started_at = $10, \
         ended_at = $11, duration_minutes = $12, finding_count = $13, document = $14, \
         source_signature = $15, status = 'active', archived_at = NULL, \
         updated_at = CASE WHEN $16 OR status = 'archived' THEN $17 ELSE updated_at END WHERE id = $18",
    );
    for v in incident_values(new) {
        sql = sql.arg(v);
    }
    conn.execute(sql.arg(changed).arg(at).arg(id)).await?;
    Ok(())
}

pub(crate) async fn event(
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
pub(crate) async fn replace_children(
    conn: &mut Conn<'_>,
    id: i64,
    doc: &Document,
    fresh: bool,
) -> Result<(), StoreError> {
    let stale = [
        "DELETE FROM incident_tags WHERE incident_id = $1",
        "DELETE FROM timeline_entries WHERE incident_id = $1",
        "DELETE FROM findings WHERE incident_id = $1",
    ];
    // A just-created incident has nothing to replace.
    for sql in stale.into_iter().filter(|_| !fresh) {
        conn.execute(Sql::new(sql).arg(id)).await?;
    }
    let tags = tags(doc).into_iter().map(|t| vec![id.into(), t.into()]);
    insert_rows(
        conn,
        "INSERT INTO incident_tags (incident_id, tag) VALUES ",
        tags,
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO timeline_entries (incident_id, position, line, label, local_time, utc, text, \
         kind, zone, approximate) VALUES ",
        doc.timeline
            .iter()
            .enumerate()
            .map(|(n, e)| timeline_row(id, n, e)),
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO findings (incident_id, position, rule, severity, line, message, suggestion) VALUES ",
        doc.findings.iter().enumerate().map(|(n, f)| finding_row(id, n, f)),
    )
    .await
}

/// Front-matter tags, sorted, each once.
pub(crate) fn tags(doc: &Document) -> Vec<String> {
    let mut tags = doc.front_matter.tags.clone();
    tags.sort();
    tags.dedup();
    tags
}

pub(crate) fn timeline_row(id: i64, position: usize, e: &TimelineEntry) -> Vec<Value> {
    vec![
        id.into(),
        position.into(),
        e.line.into(),
        e.label.as_str().into(),
        Value::Local(e.local),
        instant(e.utc.as_deref()).into(),
        e.text.as_str().into(),
        enum_name(&e.kind).into(),
        e.zone.clone().into(),
        e.approximate.into(),
    ]
}

pub(crate) fn finding_row(id: i64, position: usize, f: &Finding) -> Vec<Value> {
    vec![
        id.into(),
        position.into(),
        f.rule.as_str().into(),
        f.severity.as_str().into(),
        f.line.into(),
        f.message.as_str().into(),
        f.suggestion.clone().into(),
    ]
}

/// An RFC 3339 instant from the document, in UTC.
pub(crate) fn instant(text: Option<&str>) -> Option<DateTime<Utc>> {
    text.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Multi-row `INSERT … VALUES (…), (…)`, in chunks that stay under both
/// backends' limits on bound parameters.
pub(crate) async fn insert_rows(
    conn: &mut Conn<'_>,
    head: &'static str,
    rows: impl Iterator<Item = Vec<Value>>,
) -> Result<(), StoreError> {
    // Collected before the first statement: a borrowing iterator held
    // across an await would make the future not `Send`; an owned one is fine.
    let mut rows = rows.collect::<Vec<Vec<Value>>>().into_iter();
    loop {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        conn.execute(values(head, chunk, "")).await?;
    }
}

/// A unit enum's serde name (`table_row`), for text columns.
pub(crate) fn enum_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
