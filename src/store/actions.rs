//! Tracking action items: lists with filters, changes with stale-update
//! detection, and the append-only history.
//!
//! Concurrency: an update reads the item, then writes it back only if its
//! version is still the one read (`WHERE version = …`), in one transaction with
//! its history rows. A writer that lost the race re-reads and applies its change
//! on top, so two concurrent updates both land in the history, in order, and the
//! final state is the last one's, never a mix of the two.

use chrono::{DateTime, NaiveDate, Utc};

use super::history::{Change, Diff, record};
use super::incidents::push_page;
use super::rows::{self, ActionRow, action_columns};
use super::sql::Sql;
use super::validate::validate;
use super::{
    ActionChanges, ActionFilter, ActionRecord, ActionStatus, Page, Store, StoreError, now,
};

/// How many times an update is re-applied after losing a race.
const ATTEMPTS: usize = 8;

impl Store {
    /// Action items matching `filter` (see [`ActionFilter`]).
    pub async fn list_actions(
        &self,
        filter: &ActionFilter,
    ) -> Result<Page<ActionRecord>, StoreError> {
        let mut count = Sql::build(
            "SELECT COUNT(*) FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE 1 = 1",
        );
        push_filters(&mut count, filter);
        let (total,): (i64,) = self.pool.fetch_optional(count).await?.unwrap_or((0,));

        let mut list = Sql::build(concat!(
            "SELECT ",
            action_columns!(),
            " FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE 1 = 1"
        ));
        push_filters(&mut list, filter);
        list.push(
            " ORDER BY i.incident_date IS NULL, i.incident_date DESC, i.slug, a.position, a.id",
        );
        push_page(&mut list, filter.limit, filter.offset);
        let rows: Vec<ActionRow> = self.pool.fetch_all(list).await?;
        Ok(Page {
            items: rows::actions(rows)?,
            total,
        })
    }

    /// One action item.
    pub async fn action(&self, id: i64) -> Result<ActionRecord, StoreError> {
        let row: Option<ActionRow> = self.pool.fetch_optional(select_action(id)).await?;
        row.ok_or_else(|| not_found(id))?.try_into()
    }

    /// Change an item's status, owner or due date, or just add a note, as `who`.
    ///
    /// With `expected_version`, a stale update (the item changed since the
    /// caller read it) fails with [`StoreError::Conflict`] and changes nothing.
    /// Without it, the change is applied on top of whatever is current. Every
    /// field that changes gets a history row; a note with no change gets one too.
    pub async fn update_action(
        &self,
        id: i64,
        changes: &ActionChanges,
        expected_version: Option<i64>,
        who: &str,
        note: Option<&str>,
    ) -> Result<ActionRecord, StoreError> {
        let (changes, who, note) = validate(changes, who, note)?;
        let mut last_err = None;
        for _ in 0..ATTEMPTS {
            match self
                .try_update(id, &changes, expected_version, &who, note.as_deref())
                .await
            {
                Ok(Some(record)) => return Ok(record),
                Ok(None) => continue,
                Err(err) if err.is_transient() => last_err = Some(err),
                Err(err) => return Err(err),
            }
        }
        Err(last_err.unwrap_or_else(|| {
            StoreError::Busy(format!("action item {id} kept changing; try again"))
        }))
    }

    /// One attempt; `None` when another writer changed the item in between.
    async fn try_update(
        &self,
        id: i64,
        changes: &ActionChanges,
        expected: Option<i64>,
        who: &str,
        note: Option<&str>,
    ) -> Result<Option<ActionRecord>, StoreError> {
        let mut tx = self.pool.begin_write().await?;
        let row: Option<ActionRow> = tx.conn().fetch_optional(select_action(id)).await?;
        let current: ActionRecord = row.ok_or_else(|| not_found(id))?.try_into()?;
        if let Some(expected) = expected.filter(|&v| v != current.version) {
            return Err(StoreError::Conflict {
                expected,
                actual: current.version,
            });
        }
        let diffs = diff(&current, changes);
        if diffs.is_empty() && note.is_none() {
            return Ok(Some(current));
        }
        let at = now();
        if !diffs.is_empty() {
            let updated = tx.conn().execute(apply(&current, changes, at)).await?;
            if updated == 0 {
                return Ok(None);
            }
        }
        let mut conn = tx.conn();
        let diffs = if diffs.is_empty() {
            vec![("note", None, None)]
        } else {
            diffs
        };
        let note = note.map(str::to_string);
        let rows = diffs.into_iter().map(|diff| Change {
            item: id,
            diff,
            note: note.clone(),
        });
        record(&mut conn, at, who, rows.collect()).await?;
        let row: Option<ActionRow> = conn.fetch_optional(select_action(id)).await?;
        let updated: ActionRecord = row.ok_or_else(|| not_found(id))?.try_into()?;
        tx.commit().await?;
        Ok(Some(updated))
    }
}

fn select_action(id: i64) -> Sql {
    Sql::new(concat!(
        "SELECT ",
        action_columns!(),
        " FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE a.id = $1"
    ))
    .arg(id)
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound(format!("action item {id}"))
}

fn diff(current: &ActionRecord, changes: &ActionChanges) -> Vec<Diff> {
    let mut out = Vec::new();
    if let Some(status) = changes.status.filter(|s| *s != current.status) {
        out.push((
            "status",
            Some(current.status.to_string()),
            Some(status.to_string()),
        ));
    }
    if let Some(owner) = changes.owner.as_ref().filter(|o| **o != current.owner) {
        out.push(("owner", current.owner.clone(), owner.clone()));
    }
    if let Some(due) = changes.due.filter(|d| *d != current.due) {
        out.push((
            "due",
            current.due.map(|d| d.to_string()),
            due.map(|d| d.to_string()),
        ));
    }
    out
}

/// The compare-and-swap write: only if nobody changed the item since we read it.
fn apply(current: &ActionRecord, changes: &ActionChanges, at: DateTime<Utc>) -> Sql {
    let status = changes.status.unwrap_or(current.status);
    let owner = changes
        .owner
        .clone()
        .unwrap_or_else(|| current.owner.clone());
    let due: Option<NaiveDate> = changes.due.unwrap_or(current.due);
    Sql::new(
        "UPDATE action_items SET status = $1, owner = $2, due_date = $3, closed_at = $4, \
         updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
    )
    .arg(status.as_str())
    .arg(owner)
    .arg(due)
    .arg(closed_at(current.status, status, current.closed_at, at))
    .arg(at)
    .arg(current.id)
    .arg(current.version)
}

/// When an item was closed: kept while it stays closed, set when it closes, cleared when it reopens.
pub(crate) fn closed_at(
    old: ActionStatus,
    new: ActionStatus,
    was: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match (old.is_closed(), new.is_closed()) {
        (_, false) => None,
        (true, true) => was.or(Some(at)),
        (false, true) => Some(at),
    }
}

fn push_filters(sql: &mut Sql, f: &ActionFilter) {
    if f.statuses.is_empty() {
        sql.push(" AND a.status <> 'removed'");
    } else {
        sql.push(" AND a.status IN (");
        for (n, status) in f.statuses.iter().enumerate() {
            if n > 0 {
                sql.push(", ");
            }
            sql.bind(status.as_str());
        }
        sql.push(")");
    }
    if !f.include_archived {
        sql.push(" AND i.status = 'active'");
    }
    if let Some(owner) = f.owner.as_deref().map(str::trim) {
        sql.push(" AND LOWER(a.owner) = ")
            .bind(owner.to_lowercase());
    }
    if let Some(today) = f.overdue_on {
        sql.push(" AND a.status IN ('open', 'in_progress') AND a.due_date < ")
            .bind(today);
    }
    if let Some(slug) = &f.incident {
        sql.push(" AND i.slug = ").bind(slug.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_at_follows_the_status() {
        let t0 = now();
        let t1 = t0 + chrono::Duration::hours(1);
        use ActionStatus::*;
        assert_eq!(closed_at(Open, Done, None, t1), Some(t1));
        assert_eq!(closed_at(Done, WontDo, Some(t0), t1), Some(t0));
        assert_eq!(closed_at(Done, Open, Some(t0), t1), None);
        assert_eq!(closed_at(Open, InProgress, None, t1), None);
    }
}
