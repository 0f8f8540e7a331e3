//! The append-only history of action items: writing a row, reading an
//! item's history, and every change in a time range (for weekly reports).

use chrono::{DateTime, Utc};

use super::backend::Conn;
use super::rows::{HistoryRow, history_columns};
use super::sql::Sql;
use super::{HistoryEntry, Store, StoreError};

/// One changed field: name, old value, new value (as text, for the history).
pub(crate) type Diff = (&'static str, Option<String>, Option<String>);

/// Append one history row.
pub(crate) async fn record(
    conn: &mut Conn<'_>,
    item: i64,
    at: DateTime<Utc>,
    who: &str,
    (field, old, new): Diff,
    note: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        Sql::new(
            "INSERT INTO action_item_history (action_item_id, at, who, field, old_value, new_value, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .arg(item)
        .arg(at)
        .arg(who)
        .arg(field)
        .arg(old)
        .arg(new)
        .arg(note),
    )
    .await?;
    Ok(())
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
