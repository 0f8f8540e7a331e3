//! What callers ask the store for: filters, sort orders, pages, and the
//! dashboard's counts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::types::{ActionStatus, IncidentStatus};

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
