//! Rows as both backends return them, the column lists that produce them, and
//! their conversion to the public records.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;

use super::StoreError;
use super::types::{ActionRecord, HistoryEntry, IncidentStatus, IncidentSummary};

/// `summary_columns!()`: the columns of [`SummaryRow`], over `incidents i`.
macro_rules! summary_columns {
    () => {
        "i.id, i.slug, i.title, i.incident_date, i.source_path, \
    i.status, i.tags, i.timezone, i.started_at, i.ended_at, i.duration_minutes, i.finding_count, \
    (SELECT COUNT(*) FROM action_items a WHERE a.incident_id = i.id \
        AND a.status IN ('open', 'in_progress')) AS open_actions, \
    (SELECT COUNT(*) FROM action_items a WHERE a.incident_id = i.id \
        AND a.status <> 'removed') AS total_actions, \
    i.created_at, i.updated_at, i.archived_at"
    };
}
pub(crate) use summary_columns;

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: i64,
    pub slug: String,
    title: Option<String>,
    incident_date: Option<NaiveDate>,
    pub source_path: String,
    status: String,
    tags: Json<Vec<String>>,
    timezone: Option<String>,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    duration_minutes: Option<i64>,
    finding_count: i64,
    open_actions: i64,
    total_actions: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
}

impl From<SummaryRow> for IncidentSummary {
    fn from(r: SummaryRow) -> Self {
        IncidentSummary {
            slug: r.slug,
            title: r.title,
            date: r.incident_date,
            source_path: r.source_path,
            status: IncidentStatus::parse(&r.status),
            tags: r.tags.0,
            timezone: r.timezone,
            started_at: r.started_at,
            ended_at: r.ended_at,
            duration_minutes: r.duration_minutes,
            finding_count: r.finding_count,
            open_actions: r.open_actions,
            total_actions: r.total_actions,
            created_at: r.created_at,
            updated_at: r.updated_at,
            archived_at: r.archived_at,
        }
    }
}

/// `action_columns!()`: the columns of [`ActionRow`], over `action_items a JOIN incidents i`.
macro_rules! action_columns {
    () => {
        "a.id, i.slug AS incident, i.title AS incident_title, \
    a.position, a.line, a.text, a.group_name, a.section, a.refs, a.children, a.done_marker, \
    a.status, a.owner, a.due_date, a.version, a.created_at, a.updated_at, a.closed_at"
    };
}
pub(crate) use action_columns;

#[derive(sqlx::FromRow)]
pub(crate) struct ActionRow {
    id: i64,
    incident: String,
    incident_title: Option<String>,
    position: i64,
    line: i64,
    text: String,
    group_name: Option<String>,
    section: String,
    refs: Json<Vec<String>>,
    children: Json<Vec<String>>,
    done_marker: bool,
    status: String,
    owner: Option<String>,
    due_date: Option<NaiveDate>,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

impl TryFrom<ActionRow> for ActionRecord {
    type Error = StoreError;

    fn try_from(r: ActionRow) -> Result<Self, StoreError> {
        let status = r.status.parse().map_err(|_| {
            StoreError::Database(format!(
                "action item {} has unknown status `{}`",
                r.id, r.status
            ))
        })?;
        Ok(ActionRecord {
            id: r.id,
            incident: r.incident,
            incident_title: r.incident_title,
            position: r.position,
            line: r.line,
            text: r.text,
            group: r.group_name,
            section: r.section,
            refs: r.refs.0,
            children: r.children.0,
            done_marker: r.done_marker,
            status,
            owner: r.owner,
            due: r.due_date,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            closed_at: r.closed_at,
        })
    }
}

pub(crate) fn actions(rows: Vec<ActionRow>) -> Result<Vec<ActionRecord>, StoreError> {
    rows.into_iter().map(ActionRecord::try_from).collect()
}

/// `history_columns!()`: the columns of [`HistoryRow`], over `action_item_history h JOIN action_items a JOIN incidents i`.
macro_rules! history_columns {
    () => {
        "h.id, h.action_item_id, i.slug AS incident, h.at, h.who, \
    h.field, h.old_value, h.new_value, h.note"
    };
}
pub(crate) use history_columns;

#[derive(sqlx::FromRow)]
pub(crate) struct HistoryRow {
    id: i64,
    action_item_id: i64,
    incident: String,
    at: DateTime<Utc>,
    who: String,
    field: String,
    old_value: Option<String>,
    new_value: Option<String>,
    note: Option<String>,
}

impl From<HistoryRow> for HistoryEntry {
    fn from(r: HistoryRow) -> Self {
        HistoryEntry {
            id: r.id,
            action_id: r.action_item_id,
            incident: r.incident,
            at: r.at,
            who: r.who,
            field: r.field,
            old_value: r.old_value,
            new_value: r.new_value,
            note: r.note,
        }
    }
}
