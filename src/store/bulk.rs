//! Saving a batch of files in one transaction with few statements: files new
//! to the database (no stored row has their path or their slug) are created
//! together, a few multi-row statements for the lot; any other file (an
//! update, a move, a slug clash) goes through the one-file path, in file
//! order, so that slugs (`-2`, `-3`…) come out as if each was saved alone.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::backend::Conn;
use super::content::{finding_row, incident_values, insert_rows, tags, timeline_row};
use super::history::{Change, record};
use super::item_row::Row;
use super::items::{INSERT_ITEMS, INSERT_ITEMS_RETURNING, first_history, first_seen, item_values};
use super::sql::{Sql, Value, values};
use super::write::{ItemChanges, NewIncident, SaveOutcome, Saved, TrackedItem, save_in};
use super::{StoreError, now};

/// Values per `IN (…)` list and incident rows per insert: under both
/// backends' limits on bound parameters.
const PARAMS: usize = 500;
const INCIDENTS_PER_STATEMENT: usize = 50;

/// Save `batch` in order on `conn` (inside the caller's transaction).
pub(crate) async fn save_all(
    conn: &mut Conn<'_>,
    batch: &[NewIncident<'_>],
) -> Result<Vec<Saved>, StoreError> {
    let (mut paths, mut taken) = known(conn, batch).await?;
    let who = batch.first().map_or("", |n| n.who);
    let mut out: Vec<Option<Saved>> = vec![None; batch.len()];
    let mut group = Vec::new();
    for (i, new) in batch.iter().enumerate() {
        let fresh = !paths.contains(new.source_path) && !taken.contains(new.slug) && new.who == who;
        if fresh {
            taken.insert(new.slug.to_string());
            paths.insert(new.source_path.to_string());
            group.push(i);
            continue;
        }
        create(conn, batch, &mut group, &mut out).await?;
        let saved = save_in(conn, new, now()).await?;
        taken.insert(saved.slug.clone());
        out[i] = Some(saved);
    }
    create(conn, batch, &mut group, &mut out).await?;
    out.into_iter()
        .map(|s| s.ok_or_else(|| StoreError::Database("a file of the batch was not saved".into())))
        .collect()
}

/// The paths and slugs of the batch that the database already holds.
async fn known(
    conn: &mut Conn<'_>,
    batch: &[NewIncident<'_>],
) -> Result<(HashSet<String>, HashSet<String>), StoreError> {
    let (mut paths, mut slugs) = (HashSet::new(), HashSet::new());
    for chunk in batch.chunks(PARAMS / 2) {
        let mut sql = Sql::build("SELECT slug, source_path FROM incidents WHERE source_path IN (");
        for (n, new) in chunk.iter().enumerate() {
            sql.push(if n == 0 { "" } else { ", " })
                .bind(new.source_path);
        }
        sql.push(") OR slug IN (");
        for (n, new) in chunk.iter().enumerate() {
            sql.push(if n == 0 { "" } else { ", " }).bind(new.slug);
        }
        sql.push(")");
        let rows: Vec<(String, String)> = conn.fetch_all(sql).await?;
        for (slug, path) in rows {
            slugs.insert(slug);
            paths.insert(path);
        }
    }
    Ok((paths, slugs))
}

/// Create the files of `group` (new paths, free slugs), then empty it.
async fn create(
    conn: &mut Conn<'_>,
    batch: &[NewIncident<'_>],
    group: &mut Vec<usize>,
    out: &mut [Option<Saved>],
) -> Result<(), StoreError> {
    if group.is_empty() {
        return Ok(());
    }
    let at = now();
    let files: Vec<&NewIncident<'_>> = group.iter().map(|&i| &batch[i]).collect();
    let ids = insert_incidents(conn, &files, at).await?;
    let events: Vec<Vec<Value>> = files
        .iter()
        .zip(&ids)
        .map(|(new, &id)| {
            vec![
                id.into(),
                at.into(),
                "created".into(),
                new.content_hash.into(),
                new.source_path.into(),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO incident_events (incident_id, at, kind, content_hash, source_path) VALUES ",
        events.into_iter(),
    )
    .await?;
    children(conn, &files, &ids).await?;
    let tracked = items(conn, &files, &ids, at).await?;
    for ((&i, new), tracked) in group.iter().zip(&files).zip(tracked) {
        out[i] = Some(Saved {
            slug: new.slug.to_string(),
            outcome: SaveOutcome::Created,
            items: ItemChanges {
                added: tracked.len(),
                ..ItemChanges::default()
            },
            tracked,
        });
    }
    group.clear();
    Ok(())
}

/// Insert the incident rows; returns their ids, in order.
async fn insert_incidents(
    conn: &mut Conn<'_>,
    files: &[&NewIncident<'_>],
    at: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    const HEAD: &str = "INSERT INTO incidents (title, incident_date, source_path, content_hash, \
        analyzer, raw_markdown, metadata, tags, timezone, started_at, ended_at, duration_minutes, \
        finding_count, document, source_signature, slug, status, created_at, updated_at) VALUES ";
    let mut ids = Vec::with_capacity(files.len());
    for chunk in files.chunks(INCIDENTS_PER_STATEMENT) {
        let rows: Vec<Vec<Value>> = chunk
            .iter()
            .map(|new| {
                let mut row = incident_values(new);
                row.extend([new.slug.into(), "active".into(), at.into(), at.into()]);
                row
            })
            .collect();
        let returned: Vec<(i64, String)> = conn
            .fetch_all(values(HEAD, rows, " RETURNING id, slug"))
            .await?;
        let by_slug: HashMap<String, i64> = returned.into_iter().map(|(id, s)| (s, id)).collect();
        for new in chunk {
            let id = by_slug
                .get(new.slug)
                .copied()
                .ok_or_else(|| StoreError::Database("inserted incident has no id".into()))?;
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Tags, timeline entries and findings of new incidents.
async fn children(
    conn: &mut Conn<'_>,
    files: &[&NewIncident<'_>],
    ids: &[i64],
) -> Result<(), StoreError> {
    // Rows are built before any statement runs: the future then holds no
    // borrowing iterator (which would make it not `Send`).
    let (mut tag_rows, mut timeline, mut findings) = (Vec::new(), Vec::new(), Vec::new());
    for (new, &id) in files.iter().zip(ids) {
        let doc = new.document;
        tag_rows.extend(tags(doc).into_iter().map(|t| vec![id.into(), t.into()]));
        timeline.extend(
            doc.timeline
                .iter()
                .enumerate()
                .map(|(n, e)| timeline_row(id, n, e)),
        );
        findings.extend(
            doc.findings
                .iter()
                .enumerate()
                .map(|(n, f)| finding_row(id, n, f)),
        );
    }
    insert_rows(
        conn,
        "INSERT INTO incident_tags (incident_id, tag) VALUES ",
        tag_rows.into_iter(),
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO timeline_entries (incident_id, position, line, label, local_time, utc, text, \
         kind, zone, approximate) VALUES ",
        timeline.into_iter(),
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO findings (incident_id, position, rule, severity, line, message, suggestion) VALUES ",
        findings.into_iter(),
    )
    .await
}

/// The action items of new incidents, as first seen, with their history.
/// Returns each incident's items' tracking state, in document order.
async fn items(
    conn: &mut Conn<'_>,
    files: &[&NewIncident<'_>],
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<Vec<Vec<TrackedItem>>, StoreError> {
    let rows: Vec<(i64, Row)> = files
        .iter()
        .zip(ids)
        .flat_map(|(new, &id)| {
            let items = new.document.action_items.iter().enumerate();
            items.map(move |(n, item)| (id, first_seen(item, n)))
        })
        .collect();
    let mut item_ids = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(super::sql::ROWS_PER_STATEMENT) {
        let values_rows: Vec<Vec<Value>> = chunk
            .iter()
            .map(|(id, row)| item_values(*id, row, at))
            .collect();
        let returned: Vec<(i64, i64, i64)> = conn
            .fetch_all(values(INSERT_ITEMS, values_rows, INSERT_ITEMS_RETURNING))
            .await?;
        item_ids.extend(returned.into_iter().map(|(id, inc, pos)| ((inc, pos), id)));
    }
    let mut tracked: Vec<Vec<TrackedItem>> = Vec::with_capacity(files.len());
    let mut history: Vec<Change> = Vec::new();
    let mut rows = rows.into_iter().peekable();
    for (new, &id) in files.iter().zip(ids) {
        let mut mine = Vec::with_capacity(new.document.action_items.len());
        for item in &new.document.action_items {
            let Some((_, row)) = rows.next_if(|(inc, _)| *inc == id) else {
                break;
            };
            let item_id = item_ids
                .get(&(id, row.position))
                .copied()
                .ok_or_else(|| StoreError::Database("inserted item has no id".into()))?;
            mine.push(TrackedItem::of(item_id, &row));
            let place = format!("{}:{}", new.document.source, item.line);
            history.extend(first_history(item_id, row, &place));
        }
        tracked.push(mine);
    }
    let who = files.first().map_or("", |n| n.who);
    record(conn, at, who, history).await?;
    Ok(tracked)
}
