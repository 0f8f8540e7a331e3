//! The store's public values: statuses, filters, records and changes. All
//! serializable, so the web API and `--format json` print them as they are.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Document;

use super::StoreError;

/// An action item's tracking status. `Removed` is set by ingest only, when the
/// item disappears from the markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    WontDo,
    Removed,
}

impl ActionStatus {
    /// Every status, in workflow order.
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::WontDo,
        ActionStatus::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "wont_do",
            ActionStatus::Removed => "removed",
        }
    }

    /// Open or in progress: still work to do (and can be overdue).
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }

    /// Done or won't do: the item was closed by someone.
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::WontDo)
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActionStatus {
    type Err = StoreError;

    /// Accepts `in_progress`, `in-progress` and `In Progress` alike.
    fn from_str(s: &str) -> Result<Self, StoreError> {
        let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let key = if key == "wontdo" {
            "wont_do".to_string()
        } else {
            key
        };
        ActionStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == key)
            .ok_or_else(|| {
                StoreError::InvalidInput(format!(
                    "unknown status `{s}`: expected one of open, in_progress, done, wont_do"
                ))
            })
    }
}

/// Whether an incident's file is still in the knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Active,
    /// Its file disappeared from an ingested folder; kept, restorable.
    Archived,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Active => "active",
            IncidentStatus::Archived => "archived",
        }
    }

    pub(crate) fn parse(s: &str) -> IncidentStatus {
        if s == "archived" {
            IncidentStatus::Archived
        } else {
            IncidentStatus::Active
        }
    }
}

/// One incident in a list: what a table row or a report line needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentSummary {
    pub slug: String,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub source_path: String,
    pub status: IncidentStatus,
    pub tags: Vec<String>,
    pub timezone: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    pub finding_count: i64,
    /// Action items still open or in progress.
    pub open_actions: i64,
    /// Action items not removed from the markdown.
    pub total_actions: i64,
    pub created_at: DateTime<Utc>,
    /// When the file's content last changed (or the incident was archived/restored).
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

/// One incident with everything: its text, its analyzed document and its
/// tracked action items (in markdown order, removed ones last).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    #[serde(flatten)]
    pub summary: IncidentSummary,
    pub content_hash: String,
    pub raw_markdown: String,
    pub document: Document,
    pub actions: Vec<ActionRecord>,
}

/// A tracked action item: the text from the markdown, the state from the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionRecord {
    pub id: i64,
    pub incident: String,
    pub incident_title: Option<String>,
    /// 0-based index among the incident's action items (last known, when removed).
    pub position: i64,
    pub line: i64,
    pub text: String,
    pub group: Option<String>,
    pub section: String,
    pub refs: Vec<String>,
    pub children: Vec<String>,
    /// Whether the markdown marks it done (`[x]`, `Implemented:`, …).
    pub done_marker: bool,
    pub status: ActionStatus,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// Bumped by every change; pass it back to detect stale updates.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl ActionRecord {
    /// Pending with a due date before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_pending() && self.due.is_some_and(|d| d < today)
    }
}

/// A change to an action item's tracking state. `None` leaves a field as it
/// is; `Some(None)` clears owner or due date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ActionChanges {
    pub status: Option<ActionStatus>,
    pub owner: Option<Option<String>>,
    pub due: Option<Option<NaiveDate>>,
}

impl ActionChanges {
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.owner.is_none() && self.due.is_none()
    }
}

/// One line of an action item's append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub action_id: i64,
    pub incident: String,
    pub at: DateTime<Utc>,
    pub who: String,
    /// `status`, `owner`, `due`, `text` or `note` (a comment with no change).
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub note: Option<String>,
}

/// Something that happened to an incident (for "added or changed this week").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentEvent {
    pub slug: String,
    pub title: Option<String>,
    pub at: DateTime<Utc>,
    /// `created`, `updated`, `archived`, `restored` or `moved`.
    pub kind: String,
    pub source_path: Option<String>,
}

/// How to order incident lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentSort {
    /// Newest incident date first (undated last).
    #[default]
    DateDesc,
    DateAsc,
    Title,
    /// Most recently added or changed first.
    UpdatedDesc,
    /// Most findings first.
    Findings,
}

/// Which incidents to list. The default lists active incidents, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentFilter {
    /// `None` lists both active and archived.
    pub status: Option<IncidentStatus>,
    pub year: Option<i32>,
    /// Incident date on or after this day.
    pub since: Option<NaiveDate>,
    /// Incident date before this day.
    pub until: Option<NaiveDate>,
    pub tag: Option<String>,
    pub has_findings: Option<bool>,
    /// Case-insensitive substring of the title or slug.
    pub text: Option<String>,
    pub sort: IncidentSort,
    pub limit: Option<i64>,
    pub offset: i64,
}

impl Default for IncidentFilter {
    fn default() -> Self {
        IncidentFilter {
            status: Some(IncidentStatus::Active),
            year: None,
            since: None,
            until: None,
            tag: None,
            has_findings: None,
            text: None,
            sort: IncidentSort::default(),
            limit: None,
            offset: 0,
        }
    }
}

/// Which action items to list. The default lists every item not removed, of
/// active incidents, by incident date (newest first) then position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionFilter {
    /// Any of these statuses; empty means every status but `removed`.
    pub statuses: Vec<ActionStatus>,
    /// Case-insensitive exact owner name.
    pub owner: Option<String>,
    /// Only pending items due before this date.
    pub overdue_on: Option<NaiveDate>,
    pub incident: Option<String>,
    /// Include items of archived incidents.
    pub include_archived: bool,
    pub limit: Option<i64>,
    pub offset: i64,
}

/// A page of results and the total that matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// Numbers for a dashboard, over active incidents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub incidents: i64,
    pub archived_incidents: i64,
    pub actions_open: i64,
    pub actions_in_progress: i64,
    pub actions_done: i64,
    pub actions_wont_do: i64,
    pub actions_overdue: i64,
    pub findings: i64,
    pub findings_error: i64,
    pub findings_warning: i64,
    pub findings_info: i64,
}

/// One finding of an active incident, for a knowledge-base-wide list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRecord {
    pub incident: String,
    pub incident_title: Option<String>,
    pub source_path: String,
    pub rule: String,
    pub severity: crate::model::Severity,
    pub line: Option<i64>,
    pub message: String,
    pub suggestion: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_leniently_and_rejects_unknown() {
        assert_eq!(
            "in-progress".parse::<ActionStatus>().expect("ok"),
            ActionStatus::InProgress
        );
        assert_eq!(
            "Won't do"
                .replace('\'', "")
                .parse::<ActionStatus>()
                .expect("ok"),
            ActionStatus::WontDo
        );
        assert_eq!(
            "DONE".parse::<ActionStatus>().expect("ok"),
            ActionStatus::Done
        );
        let err = "finished".parse::<ActionStatus>().expect_err("an error");
        assert!(
            err.to_string().contains("unknown status `finished`"),
            "{err}"
        );
    }
}
