//! Re-ingest of an incident's action items: pair the new items with the stored
//! ones (`identity`), then update, add and mark removed — never delete — with a
//! history row for every change of text, status, owner or due date.
//!
//! The markdown gives the text and place; the database keeps the tracking
//! state. What the markdown says about tracking (a done marker, an owner, a due
//! date) is applied when an item is first seen, and later only when the
//! markdown itself changes it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::backend::Conn;
use super::history::{Change, record};
use super::identity::{Known, match_items};
use super::item_row::{
    Row, Stored, markdown_due, markdown_owner, status_before_removal, tracked_diffs,
};
use super::sql::{ROWS_PER_STATEMENT, Sql, Value, values};
use super::write::{ItemChanges, NewIncident, TrackedItem};
use super::{ActionStatus, StoreError};
use crate::model::ActionItem;

/// Bring the stored items of incident `id` in line with `new.document`;
/// `fresh` when the incident was just created (nothing stored to match).
/// Returns the changes and every item's tracking state, in document order.
pub(crate) async fn reconcile(
    conn: &mut Conn<'_>,
    id: i64,
    new: &NewIncident<'_>,
    at: DateTime<Utc>,
    fresh: bool,
) -> Result<(ItemChanges, Vec<TrackedItem>), StoreError> {
    let stored = if fresh {
        Vec::new()
    } else {
        load(conn, id).await?
    };
    let items = &new.document.action_items;
    let pairs = pair(&stored, items);

    let mut ctx = Ctx {
        new,
        at,
        history: Vec::new(),
        changes: ItemChanges::default(),
    };
    let mut used = vec![false; stored.len()];
    let mut added = Vec::new();
    let mut tracked = vec![None; items.len()];
    for (position, (item, pair)) in items.iter().zip(pairs).enumerate() {
        match pair {
            Some(k) => {
                used[k] = true;
                let row = ctx.carry(conn, &stored[k], item, position).await?;
                tracked[position] = Some(TrackedItem::of(stored[k].id, &row));
            }
            None => added.push((position, item)),
        }
    }
    ctx.remove_gone(conn, &stored, &used).await?;
    for (position, item) in ctx.insert(conn, id, &added).await? {
        if let Some(slot) = tracked.get_mut(position) {
            *slot = Some(item);
        }
    }
    record(conn, at, new.who, ctx.history).await?;
    let tracked = tracked.into_iter().collect::<Option<Vec<_>>>();
    let tracked = tracked.ok_or_else(|| StoreError::Database("an item was not stored".into()))?;
    Ok((ctx.changes, tracked))
}

/// For each new item, the stored item it continues (see `identity`).
fn pair(stored: &[Stored], items: &[ActionItem]) -> Vec<Option<usize>> {
    let known: Vec<Known<'_>> = stored
        .iter()
        .map(|s| Known {
            text: &s.text,
            position: (s.status() != ActionStatus::Removed).then_some(s.position.max(0) as usize),
        })
        .collect();
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    match_items(&known, &texts)
}

async fn load(conn: &mut Conn<'_>, incident: i64) -> Result<Vec<Stored>, StoreError> {
    let sql = Sql::new(
        "SELECT id, position, line, text, group_name, section, refs, children, done_marker, \
         source_owner, source_due, status, owner, due_date, version \
         FROM action_items WHERE incident_id = $1 ORDER BY position, id",
    );
    conn.fetch_all(sql.arg(incident)).await
}

/// One file's reconciliation: where and when, and the history it writes.
struct Ctx<'a> {
    new: &'a NewIncident<'a>,
    at: DateTime<Utc>,
    history: Vec<Change>,
    changes: ItemChanges,
}

impl Ctx<'_> {
    fn place(&self, item: &ActionItem) -> String {
        format!("{}:{}", self.new.document.source, item.line)
    }

    /// Mark removed the stored items that no new item continues.
    async fn remove_gone(
        &mut self,
        conn: &mut Conn<'_>,
        stored: &[Stored],
        used: &[bool],
    ) -> Result<(), StoreError> {
        let gone = stored
            .iter()
            .zip(used)
            .filter(|(s, used)| !**used && s.status() != ActionStatus::Removed);
        for (old, _) in gone {
            let row = Row {
                status: ActionStatus::Removed,
                ..Row::of(old)
            };
            let diff = (
                "status",
                Some(old.status.clone()),
                Some(row.status.to_string()),
            );
            let note = format!("no longer in {}", self.new.document.source);
            self.write(conn, old, &row, vec![diff], note).await?;
            self.changes.removed += 1;
        }
        Ok(())
    }

    /// Create the new items, a multi-row insert at a time, with their creation
    /// history. Returns each one's position and tracking state.
    async fn insert(
        &mut self,
        conn: &mut Conn<'_>,
        incident: i64,
        added: &[(usize, &ActionItem)],
    ) -> Result<Vec<(usize, TrackedItem)>, StoreError> {
        let mut out = Vec::with_capacity(added.len());
        for chunk in added.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<Row> = chunk
                .iter()
                .map(|(position, item)| first_seen(item, *position))
                .collect();
            let values_rows: Vec<Vec<Value>> = rows
                .iter()
                .map(|row| item_values(incident, row, self.at))
                .collect();
            let ids: Vec<(i64, i64, i64)> = conn
                .fetch_all(values(INSERT_ITEMS, values_rows, INSERT_ITEMS_RETURNING))
                .await?;
            let ids: HashMap<(i64, i64), i64> = ids
                .into_iter()
                .map(|(id, incident, position)| ((incident, position), id))
                .collect();
            for (row, (_, item)) in rows.into_iter().zip(chunk) {
                let item_id = ids
                    .get(&(incident, row.position))
                    .copied()
                    .ok_or_else(|| StoreError::Database("inserted item has no id".into()))?;
                out.push((row.position as usize, TrackedItem::of(item_id, &row)));
                let place = self.place(item);
                self.history.extend(first_history(item_id, row, &place));
            }
            self.changes.added += chunk.len();
        }
        Ok(out)
    }

    /// An item that continues a stored one: new text and place from the
    /// markdown, tracking state kept — except that an item back from removal
    /// regains its status, and what the markdown newly says (a done marker, an
    /// owner, a due date) is applied. Returns the row as stored.
    async fn carry(
        &mut self,
        conn: &mut Conn<'_>,
        old: &Stored,
        item: &ActionItem,
        position: usize,
    ) -> Result<Row, StoreError> {
        let mut row = Row::from_item(
            item,
            position,
            old.status(),
            old.owner.clone(),
            old.due_date,
        );
        let mut note = format!("from {}", self.place(item));
        if old.status() == ActionStatus::Removed {
            let back = status_before_removal(conn, old.id).await?;
            row.status = if item.done && !back.is_closed() {
                ActionStatus::Done
            } else {
                back
            };
            note = format!("back in {}", self.place(item));
            self.changes.restored += 1;
        } else if item.done && !old.done_marker && old.status().is_pending() {
            row.status = ActionStatus::Done;
            note = format!("marked done in {}", self.place(item));
            self.changes.marked_done += 1;
        }
        if row.source_owner != old.source_owner && row.source_owner.is_some() {
            row.owner = row.source_owner.clone();
        }
        if row.source_due != old.source_due {
            if let Some(due) = row.source_due.as_deref().and_then(markdown_due) {
                row.due = Some(due);
            }
        }
        if row == Row::of(old) {
            return Ok(row);
        }
        let diffs = tracked_diffs(old, &row);
        if diffs.iter().any(|d| d.0 == "text") {
            self.changes.reworded += 1;
        }
        self.write(conn, old, &row, diffs, note).await?;
        Ok(row)
    }

    /// Compare-and-swap update of one item; its history rows are queued.
    /// Losing the race to a concurrent user update aborts the file's
    /// transaction, which `save_incident` retries.
    async fn write(
        &mut self,
        conn: &mut Conn<'_>,
        old: &Stored,
        row: &Row,
        diffs: Vec<super::history::Diff>,
        note: String,
    ) -> Result<(), StoreError> {
        let closes = row.status.is_closed() && !old.status().is_closed();
        let sql = Sql::new(
            "UPDATE action_items SET text = $1, position = $2, line = $3, group_name = $4, section = $5, \
             refs = $6, children = $7, done_marker = $8, source_owner = $9, source_due = $10, \
             status = $11, owner = $12, due_date = $13, \
             closed_at = CASE WHEN $14 THEN $15 ELSE closed_at END, \
             version = version + 1, updated_at = $15 WHERE id = $16 AND version = $17",
        )
        .arg(row.text.as_str())
        .arg(row.position)
        .arg(row.line)
        .arg(row.group.clone())
        .arg(row.section.as_str())
        .arg(Value::json(&row.refs))
        .arg(Value::json(&row.children))
        .arg(row.done_marker)
        .arg(row.source_owner.clone())
        .arg(row.source_due.clone())
        .arg(row.status.as_str())
        .arg(row.owner.clone())
        .arg(row.due)
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
        let note = Some(note);
        self.history.extend(diffs.into_iter().map(|diff| Change {
            item: old.id,
            diff,
            note: note.clone(),
        }));
        Ok(())
    }
}

/// The multi-row insert of new items (`values`), returning what maps each
/// row back to its id.
pub(crate) const INSERT_ITEMS: &str = "INSERT INTO action_items (incident_id, position, line, text, \
    group_name, section, refs, children, done_marker, source_owner, source_due, status, owner, \
    due_date, created_at, updated_at, closed_at) VALUES ";
pub(crate) const INSERT_ITEMS_RETURNING: &str = " RETURNING id, incident_id, position";

/// The values of [`INSERT_ITEMS`] for one new item.
pub(crate) fn item_values(incident: i64, row: &Row, at: DateTime<Utc>) -> Vec<Value> {
    vec![
        incident.into(),
        row.position.into(),
        row.line.into(),
        row.text.as_str().into(),
        row.group.clone().into(),
        row.section.as_str().into(),
        Value::json(&row.refs),
        Value::json(&row.children),
        row.done_marker.into(),
        row.source_owner.clone().into(),
        row.source_due.clone().into(),
        row.status.as_str().into(),
        row.owner.clone().into(),
        row.due.into(),
        at.into(),
        at.into(),
        row.status.is_closed().then_some(at).into(),
    ]
}

/// The history of an item first seen at `place` (`source:line`).
pub(crate) fn first_history(item: i64, row: Row, place: &str) -> Vec<Change> {
    let note = Some(format!("first seen at {place}"));
    let mut diffs = vec![("status", None, Some(row.status.to_string()))];
    diffs.extend(row.owner.map(|o| ("owner", None, Some(o))));
    diffs.extend(row.due.map(|d| ("due", None, Some(d.to_string()))));
    diffs
        .into_iter()
        .map(|diff| Change {
            item,
            diff,
            note: note.clone(),
        })
        .collect()
}

/// A new item as the markdown states it: done when marked, owner and due date when named.
pub(crate) fn first_seen(item: &ActionItem, position: usize) -> Row {
    let status = if item.done {
        ActionStatus::Done
    } else {
        ActionStatus::Open
    };
    let due = item.due.as_deref().and_then(markdown_due);
    Row::from_item(item, position, status, markdown_owner(item), due)
}
