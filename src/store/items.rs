//! Re-ingest of an incident's action items: pair the new items with the stored
//! ones (`identity`), then update, add and mark removed — never delete — with a
//! history row for every change of text or status.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::StoreError;
use super::actions::{Diff, record};
use super::backend::Conn;
use super::identity::{Known, match_items};
use super::sql::Sql;
use super::types::ActionStatus;
use super::write::{ItemChanges, NewIncident};
use crate::model::ActionItem;

#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    position: i64,
    line: i64,
    text: String,
    group_name: Option<String>,
    section: String,
    refs: Json<Vec<String>>,
    children: Json<Vec<String>>,
    done_marker: bool,
    status: String,
    version: i64,
}

impl Stored {
    fn status(&self) -> ActionStatus {
        self.status.parse().unwrap_or(ActionStatus::Open)
    }
}

/// Bring the stored items of incident `id` in line with `new.document`.
pub(crate) async fn reconcile(
    conn: &mut Conn<'_>,
    id: i64,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
) -> Result<ItemChanges, StoreError> {
    let stored: Vec<Stored> = conn
        .fetch_all(
            Sql::new(
                "SELECT id, position, line, text, group_name, section, refs, children, done_marker, \
                 status, version FROM action_items WHERE incident_id = $1 ORDER BY position, id",
            )
            .arg(id),
        )
        .await?;
    let known: Vec<Known<'_>> = stored
        .iter()
        .map(|s| Known {
            text: &s.text,
            position: (s.status() != ActionStatus::Removed).then_some(s.position.max(0) as usize),
        })
        .collect();
    let items = &new.document.action_items;
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    let pairs = match_items(&known, &texts);

    let mut changes = ItemChanges::default();
    let mut used = vec![false; stored.len()];
    let ctx = Ctx { new, at };
    for (position, (item, pair)) in items.iter().zip(pairs).enumerate() {
        match pair {
            Some(k) => {
                used[k] = true;
                ctx.update(conn, &stored[k], item, position, &mut changes)
                    .await?;
            }
            None => {
                ctx.insert(conn, id, item, position).await?;
                changes.added += 1;
            }
        }
    }
    for (old, _) in stored
        .iter()
        .zip(used)
        .filter(|(s, used)| !used && s.status() != ActionStatus::Removed)
    {
        let diff = (
            "status",
            Some(old.status.clone()),
            Some("removed".to_string()),
        );
        let note = format!("no longer in {}", new.document.source);
        ctx.write(
            conn,
            old,
            None,
            Some(ActionStatus::Removed),
            vec![diff],
            &note,
        )
        .await?;
        changes.removed += 1;
    }
    Ok(changes)
}

struct Ctx<'a> {
    new: &'a NewIncident<'a>,
    at: DateTime<Utc>,
}

impl Ctx<'_> {
    async fn insert(
        &self,
        conn: &mut Conn<'_>,
        incident: i64,
        item: &ActionItem,
        position: usize,
    ) -> Result<(), StoreError> {
        let status = if item.done {
            ActionStatus::Done
        } else {
            ActionStatus::Open
        };
        let sql = Sql::new(
            "INSERT INTO action_items (incident_id, position, line, text, group_name, section, refs, children, \
             done_marker, status, created_at, updated_at, closed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
        )
        .arg(incident)
        .arg(position)
        .arg(item.line)
        .arg(item.text.as_str())
        .arg(item.group.clone())
        .arg(item.section.as_str())
        .arg(serde_json::json!(item.refs))
        .arg(serde_json::json!(item.children))
        .arg(item.done)
        .arg(status.as_str())
        .arg(self.at)
        .arg(status.is_closed().then_some(self.at));
        let (item_id,): (i64,) = conn.fetch_one(sql).await?;
        let note = format!("first seen at {}:{}", self.new.document.source, item.line);
        let diff = ("status", None, Some(status.to_string()));
        record(conn, item_id, self.at, self.new.who, diff, Some(&note)).await
    }

    /// An item that continues a stored one: new text and place from the
    /// markdown, tracking state kept, except that an item back from removal
    /// regains its status and a newly added done marker closes it.
    async fn update(
        &self,
        conn: &mut Conn<'_>,
        old: &Stored,
        item: &ActionItem,
        position: usize,
        changes: &mut ItemChanges,
    ) -> Result<(), StoreError> {
        let mut diffs: Vec<Diff> = Vec::new();
        let mut status = None;
        let mut note = String::new();
        if old.status() == ActionStatus::Removed {
            let back = status_before_removal(conn, old.id).await?;
            status = Some(if item.done && !back.is_closed() {
                ActionStatus::Done
            } else {
                back
            });
            note = format!("back in {}:{}", self.new.document.source, item.line);
            changes.restored += 1;
        } else if item.done && !old.done_marker && old.status().is_pending() {
            status = Some(ActionStatus::Done);
            note = format!("marked done in {}:{}", self.new.document.source, item.line);
            changes.marked_done += 1;
        }
        if let Some(s) = status {
            diffs.push(("status", Some(old.status.clone()), Some(s.to_string())));
        }
        if old.text != item.text {
            diffs.push(("text", Some(old.text.clone()), Some(item.text.clone())));
            changes.reworded += 1;
            if note.is_empty() {
                note = format!("edited in {}:{}", self.new.document.source, item.line);
            }
        }
        let same_place = old.position == position as i64
            && old.line == item.line as i64
            && old.group_name == item.group
            && old.section == item.section
            && old.refs.0 == item.refs
            && old.children.0 == item.children
            && old.done_marker == item.done;
        if diffs.is_empty() && same_place {
            return Ok(());
        }
        self.write(conn, old, Some((item, position)), status, diffs, &note)
            .await
    }

    /// Compare-and-swap update of one item plus its history rows. Losing the
    /// race to a concurrent user update aborts the file's transaction, which
    /// ingest retries.
    async fn write(
        &self,
        conn: &mut Conn<'_>,
        old: &Stored,
        from: Option<(&ActionItem, usize)>,
        status: Option<ActionStatus>,
        diffs: Vec<Diff>,
        note: &str,
    ) -> Result<(), StoreError> {
        let status = status.unwrap_or_else(|| old.status());
        let (text, position, line, group, section, refs, children, done) = match from {
            Some((item, pos)) => (
                item.text.clone(),
                pos as i64,
                item.line as i64,
                item.group.clone(),
                item.section.clone(),
                item.refs.clone(),
                item.children.clone(),
                item.done,
            ),
            None => (
                old.text.clone(),
                old.position,
                old.line,
                old.group_name.clone(),
                old.section.clone(),
                old.refs.0.clone(),
                old.children.0.clone(),
                old.done_marker,
            ),
        };
        let closes = status.is_closed() && !old.status().is_closed();
        let sql = Sql::new(
            "UPDATE action_items SET text = $1, position = $2, line = $3, group_name = $4, section = $5, \
             refs = $6, children = $7, done_marker = $8, status = $9, \
             closed_at = CASE WHEN $10 THEN $11 ELSE closed_at END, \
             version = version + 1, updated_at = $11 WHERE id = $12 AND version = $13",
        )
        .arg(text)
        .arg(position)
        .arg(line)
        .arg(group)
        .arg(section)
        .arg(serde_json::json!(refs))
        .arg(serde_json::json!(children))
        .arg(done)
        .arg(status.as_str())
        .arg(closes)
        .arg(self.at)
        .arg(old.id)
        .arg(old.version);
        if conn.execute(sql).await? == 0 {
            return Err(StoreError::Busy(format!(
                "action item {} changed during ingest",
                old.id
            )));
        }
        let note = (!note.is_empty()).then_some(note);
        for diff in diffs {
            record(conn, old.id, self.at, self.new.who, diff, note).await?;
        }
        Ok(())
    }
}

/// The status an item had before ingest marked it removed (open if unknown).
async fn status_before_removal(conn: &mut Conn<'_>, id: i64) -> Result<ActionStatus, StoreError> {
    let row: Option<(Option<String>,)> = conn
        .fetch_optional(
            Sql::new(
                "SELECT old_value FROM action_item_history WHERE action_item_id = $1 AND field = 'status' \
                 AND new_value = 'removed' ORDER BY id DESC LIMIT 1",
            )
            .arg(id),
        )
        .await?;
    let status = row.and_then(|(s,)| s).and_then(|s| s.parse().ok());
    Ok(status
        .filter(|s| *s != ActionStatus::Removed)
        .unwrap_or(ActionStatus::Open))
}
