//! The append-only history of action items: writing a row, reading an
//! item's history, and every change in a time range (for weekly reports).

use chrono::{DateTime, Utc};

use super::backend::Conn;
use super::content::insert_rows;
use super::rows::{HistoryRow, history_columns};
use super::sql::Sql;
use super::{HistoryEntry, Store, StoreError};

/// One changed field: name, old value, new value (as text, for the history).
pub(crate) type Diff = (&'static str, Option<String>, Option<String>);

/// One history row to append: which item, what changed, and why.
pub(crate) struct Change {
    pub item: i64,
    pub diff: Diff,
    pub note: Option<String>,
}

/// Append history rows, all made by `who` at `at`, in order.
pub(crate) async fn record(
    conn: &mut Conn<'_>,
    at: DateTime<Utc>,
    who: &str,
    changes: Vec<Change>,
) -> Result<(), StoreError> {
    let rows = changes.into_iter().map(|c| {
        let (field, old, new) = c.diff;
        vec![
            c.item.into(),
            at.into(),
            who.into(),
            field.into(),
            old.into(),
            new.into(),
            c.note.into(),
        ]
    });
    insert_rows(
        conn,
        "INSERT INTO action_item_history (action_item_id, at, who, field, old_value, new_value, note) VALUES ",
        rows,
    )
    .await
}

impl Store {
    /// An item's history, oldest first.
    pub async fn action_history(&self, id: i64) -> Result<Vec<HistoryEntry>, StoreError> {
        let sql = Sql::new(concat!(
            "SELECT ",
            history_columns!(),
            " FROM action_item_history h JOIN action_items a ON a.id = h.action_item_id",
            " JOIN incidents i ON i.id = a.incident_id WHERE h.action_item_id = $1 ORDER BY h.id"
        ))
        .arg(id);
        let rows: Vec<HistoryRow> = self.pool.fetch_all(sql).await?;
        if rows.is_empty() {
            self.action(id).await?;
        }
        Ok(rows.into_iter().map(HistoryEntry::from).collect())
    }

    /// Every history row written in `[from, to)`, oldest first: what was opened,
    /// closed, reassigned… in a week.
    pub async fn history_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let sql = Sql::new(concat!(
            "SELECT ",
            history_columns!(),
            " FROM action_item_history h JOIN action_items a ON a.id = h.action_item_id",
            " JOIN incidents i ON i.id = a.incident_id WHERE h.at >= $1 AND h.at < $2 ORDER BY h.at, h.id"
        ))
        .arg(from)
        .arg(to);
        let rows: Vec<HistoryRow> = self.pool.fetch_all(sql).await?;
        Ok(rows.into_iter().map(HistoryEntry::from).collect())
    }
}
