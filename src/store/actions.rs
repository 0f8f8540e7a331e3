//! Tracking action items: lists with filters, changes with stale-update
//! detection, and the append-only history.
//!
//! Concurrency: an update reads the item, then writes it back only if its
//! version is still the one read (`WHERE version = …`), in one transaction with
//! its history rows. A writer that lost the race re-reads and applies its change
//! on top, so two concurrent updates both land in the history, in order, and the
//! final state is the last one's, never a mix of the two.

use chrono::{DateTime, NaiveDate, Utc};

use super::backend::Conn;
use super::incidents::push_page;
use super::rows::{self, ActionRow, HistoryRow, action_columns, history_columns};
use super::sql::Sql;
use super::types::{ActionChanges, ActionFilter, ActionRecord, ActionStatus, HistoryEntry, Page};
use super::{Store, StoreError, now};

/// How many times an update is re-applied after losing a race.
const ATTEMPTS: usize = 8;
const MAX_OWNER: usize = 200;
const MAX_NOTE: usize = 4000;
const MAX_WHO: usize = 200;

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
        if diffs.is_empty() {
            record(&mut conn, id, at, who, ("note", None, None), note).await?;
        }
        for d in diffs {
            record(&mut conn, id, at, who, d, note).await?;
        }
        let row: Option<ActionRow> = conn.fetch_optional(select_action(id)).await?;
        let updated: ActionRecord = row.ok_or_else(|| not_found(id))?.try_into()?;
        tx.commit().await?;
        Ok(Some(updated))
    }

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

/// One changed field: name, old value, new value (as text, for the history).
pub(crate) type Diff = (&'static str, Option<String>, Option<String>);

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

/// Check and tidy the caller's values before touching anything.
fn validate(
    changes: &ActionChanges,
    who: &str,
    note: Option<&str>,
) -> Result<(ActionChanges, String, Option<String>), StoreError> {
    let invalid = |m: String| Err(StoreError::InvalidInput(m));
    if changes.status == Some(ActionStatus::Removed) {
        return invalid(
            "status `removed` is set by ingest when an item disappears from the markdown; \
             use `wont_do` to drop an item"
                .into(),
        );
    }
    let who = who.trim();
    if who.is_empty() || who.chars().count() > MAX_WHO || who.chars().any(char::is_control) {
        return invalid(format!(
            "`who` must be a name of 1 to {MAX_WHO} printable characters"
        ));
    }
    let owner = match &changes.owner {
        Some(Some(o)) => {
            let o = o.trim();
            if o.chars().count() > MAX_OWNER || o.chars().any(char::is_control) {
                return invalid(format!(
                    "owner must be at most {MAX_OWNER} printable characters"
                ));
            }
            Some((!o.is_empty()).then(|| o.to_string()))
        }
        other => other.clone(),
    };
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return invalid(format!("note must be at most {MAX_NOTE} characters"));
    }
    let changes = ActionChanges {
        owner,
        ..changes.clone()
    };
    if changes.is_empty() && note.is_none() {
        return invalid("nothing to change: give a status, an owner, a due date or a note".into());
    }
    Ok((changes, who.to_string(), note.map(str::to_string)))
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
    fn validation_rejects_bad_values_and_tidies_good_ones() {
        let none = ActionChanges::default();
        assert!(matches!(
            validate(&none, "a", None),
            Err(StoreError::InvalidInput(_))
        ));
        let removed = ActionChanges {
            status: Some(ActionStatus::Removed),
            ..none.clone()
        };
        assert!(matches!(
            validate(&removed, "a", None),
            Err(StoreError::InvalidInput(_))
        ));
        assert!(validate(&none, "  ", Some("hi")).is_err());
        let blank_owner = ActionChanges {
            owner: Some(Some("  ".into())),
            ..none.clone()
        };
        let (tidy, who, _) = validate(&blank_owner, " bob ", None).expect("ok");
        assert_eq!(tidy.owner, Some(None));
        assert_eq!(who, "bob");
        let (_, _, note) = validate(&none, "bob", Some(" looked at it ")).expect("ok");
        assert_eq!(note.as_deref(), Some("looked at it"));
    }

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
