//! Re-ingest of an incident's action items: pair the new items with the stored
//! ones (`identity`), then update, add and mark removed — never delete — with a
//! history row for every change of text, status, owner or due date.
//!
//! The markdown gives the text and place; the database keeps the tracking
//! state. What the markdown says about tracking (a done marker, an owner, a due
//! date) is applied when an item is first seen, and later only when the
//! markdown itself changes it.

use chrono::{DateTime, Utc};

use super::backend::Conn;
use super::history::{Diff, record};
use super::identity::{Known, match_items};
use super::item_row::{
    Row, Stored, markdown_due, markdown_owner, status_before_removal, tracked_diffs,
};
use super::sql::Sql;
use super::write::{ItemChanges, NewIncident};
use super::{ActionStatus, StoreError};
use crate::model::ActionItem;

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
                 source_owner, source_due, status, owner, due_date, version \
                 FROM action_items WHERE incident_id = $1 ORDER BY position, id",
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

    let ctx = Ctx { new, at };
    let mut changes = ItemChanges::default();
    let mut used = vec![false; stored.len()];
    for (position, (item, pair)) in items.iter().zip(pairs).enumerate() {
        match pair {
            Some(k) => {
                used[k] = true;
                ctx.carry(conn, &stored[k], item, position, &mut changes)
                    .await?;
            }
            None => {
                ctx.insert(conn, id, item, position).await?;
                changes.added += 1;
            }
        }
    }
    let gone = stored
        .iter()
        .zip(used)
        .filter(|(s, used)| !used && s.status() != ActionStatus::Removed);
    for (old, _) in gone {
        let row = Row {
            status: ActionStatus::Removed,
            ..Row::of(old)
        };
        let diffs = vec![(
            "status",
            Some(old.status.clone()),
            Some(row.status.to_string()),
        )];
        let note = format!("no longer in {}", new.document.source);
        ctx.write(conn, old, &row, diffs, &note).await?;
        changes.removed += 1;
    }
    Ok(changes)
}

struct Ctx<'a> {
    new: &'a NewIncident<'a>,
    at: DateTime<Utc>,
}

impl Ctx<'_> {
    fn place(&self, item: &ActionItem) -> String {
        format!("{}:{}", self.new.document.source, item.line)
    }

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
        let due = item.due.as_deref().and_then(markdown_due);
        let row = Row::from_item(item, position, status, markdown_owner(item), due);
        let sql = Sql::new(
            "INSERT INTO action_items (incident_id, position, line, text, group_name, section, refs, \
             children, done_marker, source_owner, source_due, status, owner, due_date, \
             created_at, updated_at, closed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id",
        )
        .arg(incident)
        .arg(row.position)
        .arg(row.line)
        .arg(row.text.as_str())
        .arg(row.group.clone())
        .arg(row.section.as_str())
        .arg(serde_json::json!(row.refs))
        .arg(serde_json::json!(row.children))
        .arg(row.done_marker)
        .arg(row.source_owner.clone())
        .arg(row.source_due.clone())
        .arg(status.as_str())
        .arg(row.owner.clone())
        .arg(row.due)
        .arg(self.at)
        .arg(status.is_closed().then_some(self.at));
        let (item_id,): (i64,) = conn.fetch_one(sql).await?;
        let note = format!("first seen at {}", self.place(item));
        let mut diffs: Vec<Diff> = vec![("status", None, Some(status.to_string()))];
        if let Some(owner) = row.owner {
            diffs.push(("owner", None, Some(owner)));
        }
        if let Some(due) = row.due {
            diffs.push(("due", None, Some(due.to_string())));
        }
        for diff in diffs {
            record(conn, item_id, self.at, self.new.who, diff, Some(&note)).await?;
        }
        Ok(())
    }

    /// An item that continues a stored one: new text and place from the
    /// markdown, tracking state kept — except that an item back from removal
    /// regains its status, and what the markdown newly says (a done marker, an
    /// owner, a due date) is applied.
    async fn carry(
        &self,
        conn: &mut Conn<'_>,
        old: &Stored,
        item: &ActionItem,
        position: usize,
        changes: &mut ItemChanges,
    ) -> Result<(), StoreError> {
        let mut row = Row::from_item(
            item,
            position,
            old.status(),
            old.owner.clone(),
            old.due_date,
        );
        let mut notes = Vec::new();
        if old.status() == ActionStatus::Removed {
            let back = status_before_removal(conn, old.id).await?;
            row.status = if item.done && !back.is_closed() {
                ActionStatus::Done
            } else {
                back
            };
            notes.push(format!("back in {}", self.place(item)));
            changes.restored += 1;
        } else if item.done && !old.done_marker && old.status().is_pending() {
            row.status = ActionStatus::Done;
            notes.push(format!("marked done in {}", self.place(item)));
            changes.marked_done += 1;
        }
        if row.source_owner != old.source_owner && row.source_owner.is_some() {
            row.owner = row.source_owner.clone();
        }
        if row.source_due != old.source_due {
            if let Some(due) = row.source_due.as_deref().and_then(markdown_due) {
                row.due = Some(due);
            }
        }
        let diffs = tracked_diffs(old, &row);
        if diffs.iter().any(|d| d.0 == "text") {
            changes.reworded += 1;
        }
        if row == Row::of(old) {
            return Ok(());
        }
        if notes.is_empty() {
            notes.push(format!("from {}", self.place(item)));
        }
        self.write(conn, old, &row, diffs, &notes.join("; ")).await
    }

    /// Compare-and-swap update of one item plus its history rows. Losing the
    /// race to a concurrent user update aborts the file's transaction, which
    /// `save_incident` retries.
    async fn write(
        &self,
        conn: &mut Conn<'_>,
        old: &Stored,
        row: &Row,
        diffs: Vec<Diff>,
        note: &str,
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
        .arg(serde_json::json!(row.refs))
        .arg(serde_json::json!(row.children))
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
        for diff in diffs {
            record(conn, old.id, self.at, self.new.who, diff, Some(note)).await?;
        }
        Ok(())
    }
}
