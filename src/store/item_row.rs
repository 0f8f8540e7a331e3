//! One action item as ingest sees it: the stored row, the row to write, and
//! what the markdown says about tracking (owner, due date).

use chrono::NaiveDate;
use sqlx::types::Json;

use super::backend::Conn;
use super::history::Diff;
use super::sql::Sql;
use super::{ActionStatus, StoreError};
use crate::model::ActionItem;

#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    pub id: i64,
    pub position: i64,
    pub line: i64,
    pub text: String,
    pub group_name: Option<String>,
    pub section: String,
    pub refs: Json<Vec<String>>,
    pub children: Json<Vec<String>>,
    pub done_marker: bool,
    pub source_owner: Option<String>,
    pub source_due: Option<String>,
    pub status: String,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub version: i64,
}

impl Stored {
    pub(crate) fn status(&self) -> ActionStatus {
        self.status.parse().unwrap_or(ActionStatus::Open)
    }
}

/// Every column ingest writes for one item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub text: String,
    pub position: i64,
    pub line: i64,
    pub group: Option<String>,
    pub section: String,
    pub refs: Vec<String>,
    pub children: Vec<String>,
    pub done_marker: bool,
    pub source_owner: Option<String>,
    pub source_due: Option<String>,
    pub status: ActionStatus,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

impl Row {
    /// The markdown's fields, with the tracking state `status`/`owner`/`due`.
    pub(crate) fn from_item(
        item: &ActionItem,
        position: usize,
        status: ActionStatus,
        owner: Option<String>,
        due: Option<NaiveDate>,
    ) -> Row {
        Row {
            text: item.text.clone(),
            position: position as i64,
            line: item.line as i64,
            group: item.group.clone(),
            section: item.section.clone(),
            refs: item.refs.clone(),
            children: item.children.clone(),
            done_marker: item.done,
            source_owner: markdown_owner(item),
            source_due: item
                .due
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            status,
            owner,
            due,
        }
    }

    pub(crate) fn of(old: &Stored) -> Row {
        Row {
            text: old.text.clone(),
            position: old.position,
            line: old.line,
            group: old.group_name.clone(),
            section: old.section.clone(),
            refs: old.refs.0.clone(),
            children: old.children.0.clone(),
            done_marker: old.done_marker,
            source_owner: old.source_owner.clone(),
            source_due: old.source_due.clone(),
            status: old.status(),
            owner: old.owner.clone(),
            due: old.due_date,
        }
    }
}

/// The history-worthy differences: text and tracking state.
pub(crate) fn tracked_diffs(old: &Stored, row: &Row) -> Vec<Diff> {
    let mut diffs: Vec<Diff> = Vec::new();
    if row.status != old.status() {
        diffs.push((
            "status",
            Some(old.status.clone()),
            Some(row.status.to_string()),
        ));
    }
    if row.owner != old.owner {
        diffs.push(("owner", old.owner.clone(), row.owner.clone()));
    }
    if row.due != old.due_date {
        diffs.push((
            "due",
            old.due_date.map(|d| d.to_string()),
            row.due.map(|d| d.to_string()),
        ));
    }
    if row.text != old.text {
        diffs.push(("text", Some(old.text.clone()), Some(row.text.clone())));
    }
    diffs
}

/// The owner the markdown names, tidied (at most 200 characters).
pub(crate) fn markdown_owner(item: &ActionItem) -> Option<String> {
    let owner = item.owner.as_deref()?.trim();
    (!owner.is_empty()).then(|| {
        owner
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect()
    })
}

/// A due date as post-mortems write them; `None` when it is not a day
/// (`Q3`, `next sprint`) or is ambiguous (`06/07/2021`).
pub(crate) fn markdown_due(text: &str) -> Option<NaiveDate> {
    const FORMATS: &[&str] = &[
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%b %d %Y",
        "%d %B %Y",
        "%d %b %Y",
    ];
    let text = text.trim().trim_end_matches('.');
    FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// The status an item had before ingest marked it removed (open if unknown).
pub(crate) async fn status_before_removal(
    conn: &mut Conn<'_>,
    id: i64,
) -> Result<ActionStatus, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_as_written() {
        let day = NaiveDate::from_ymd_opt(2021, 6, 30);
        for text in [
            "2021-06-30",
            "2021/06/30",
            "30.06.2021",
            "June 30, 2021",
            "Jun 30 2021",
            "30 June 2021.",
        ] {
            assert_eq!(markdown_due(text), day, "{text}");
        }
        for text in ["Q3", "next sprint", "06/07/2021", ""] {
            assert_eq!(markdown_due(text), None, "{text}");
        }
    }
}
