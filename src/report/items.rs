//! Action items as they stood at any instant, rebuilt from their append-only
//! history, and when each was raised.
//!
//! The shipped corpus is ingested "now", years after the incidents: an item's
//! `created_at` says when coroner learnt of it, not when the team wrote it down.
//! So an item is raised when its incident happened if it came with the
//! post-mortem's first version, and when it was added otherwise; before its
//! first history row it is taken to be as that row first recorded it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::model::ItemRef;
use super::week::day_start;
use crate::store::{ActionRecord, ActionStatus, HistoryEntry, IncidentSummary};

/// One item with its history and the instant it was raised.
pub(super) struct Tracked<'a> {
    pub record: &'a ActionRecord,
    pub raised: DateTime<Utc>,
    history: &'a [HistoryEntry],
}

/// Items of the given incidents with their history (rows oldest first).
pub(super) fn track<'a>(
    items: &'a [ActionRecord],
    incidents: &HashMap<&str, &IncidentSummary>,
    history: &'a HashMap<i64, Vec<HistoryEntry>>,
    tz: Tz,
) -> Vec<Tracked<'a>> {
    items
        .iter()
        .filter_map(|record| {
            let incident = incidents.get(record.incident.as_str())?;
            Some(Tracked {
                record,
                raised: raised(record, incident, tz),
                history: history.get(&record.id).map_or(&[], Vec::as_slice),
            })
        })
        .collect()
}

/// When an item was raised: with the incident when it came with the first
/// version of the post-mortem, else when it was added.
fn raised(item: &ActionRecord, incident: &IncidentSummary, tz: Tz) -> DateTime<Utc> {
    if item.created_at > incident.created_at {
        return item.created_at;
    }
    incident_start(incident, tz).unwrap_or(item.created_at)
}

/// When an incident started: its first timeline instant, else its date's local midnight.
pub(super) fn incident_start(incident: &IncidentSummary, tz: Tz) -> Option<DateTime<Utc>> {
    incident
        .started_at
        .or_else(|| incident.date.map(|d| day_start(d, tz)))
}

impl Tracked<'_> {
    /// A field's value at `t` (`status`, `owner` or `due`), as history text.
    fn field_at(&self, field: &str, t: DateTime<Utc>, current: Option<String>) -> Option<String> {
        let rows: Vec<&HistoryEntry> = self.history.iter().filter(|h| h.field == field).collect();
        if let Some(last) = rows.iter().rev().find(|h| h.at <= t) {
            return last.new_value.clone();
        }
        match rows.first() {
            // Before its first recorded change the item was as created, or as
            // the change found it.
            Some(first) if self.is_creation(first) => first.new_value.clone(),
            Some(first) => first.old_value.clone(),
            None => current,
        }
    }

    /// Whether a history row records the item's creation rather than a change.
    pub fn is_creation(&self, row: &HistoryEntry) -> bool {
        row.at <= self.record.created_at
    }

    /// The status at `t`; `None` before the item was raised.
    pub fn status_at(&self, t: DateTime<Utc>) -> Option<ActionStatus> {
        if self.raised > t {
            return None;
        }
        let text = self.field_at("status", t, Some(self.record.status.to_string()))?;
        text.parse().ok().or(Some(self.record.status))
    }

    /// Open or in progress at `t`.
    pub fn pending_at(&self, t: DateTime<Utc>) -> bool {
        self.status_at(t).is_some_and(ActionStatus::is_pending)
    }

    pub fn owner_at(&self, t: DateTime<Utc>) -> Option<String> {
        self.field_at("owner", t, self.record.owner.clone())
    }

    pub fn due_at(&self, t: DateTime<Utc>) -> Option<NaiveDate> {
        let current = self.record.due.map(|d| d.to_string());
        self.field_at("due", t, current)
            .and_then(|d| d.parse().ok())
    }

    /// History rows of `field` in `[from, to)` that changed the item (not its creation).
    pub fn changes_in(
        &self,
        field: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = &HistoryEntry> {
        self.history
            .iter()
            .filter(move |h| h.field == field && h.at >= from && h.at < to && !self.is_creation(h))
    }

    /// The item as it stood at `t` (`t` after it was raised), read in `tz`.
    pub fn at(&self, t: DateTime<Utc>, tz: Tz, incident_title: &str) -> ItemRef {
        let r = self.record;
        ItemRef {
            id: r.id,
            incident: r.incident.clone(),
            incident_title: incident_title.to_string(),
            text: r.text.clone(),
            status: self.status_at(t).unwrap_or(r.status),
            owner: self.owner_at(t),
            due: self.due_at(t),
            raised_on: self.raised.with_timezone(&tz).date_naive(),
            age_days: (t - self.raised).num_days().max(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::IncidentStatus;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn incident(created: &str) -> IncidentSummary {
        IncidentSummary {
            slug: "inc".into(),
            title: None,
            date: NaiveDate::from_ymd_opt(2018, 1, 25),
            source_path: "inc.md".into(),
            status: IncidentStatus::Active,
            tags: vec![],
            timezone: None,
            started_at: None,
            ended_at: None,
            duration_minutes: None,
            finding_count: 0,
            open_actions: 0,
            total_actions: 0,
            created_at: at(created),
            updated_at: at(created),
            archived_at: None,
        }
    }

    fn item(created: &str, status: ActionStatus, owner: Option<&str>) -> ActionRecord {
        ActionRecord {
            id: 7,
            incident: "inc".into(),
            incident_title: None,
            position: 0,
            line: 10,
            text: "Fix it".into(),
            group: None,
            section: "Action items".into(),
            refs: vec![],
            children: vec![],
            done_marker: false,
            status,
            owner: owner.map(str::to_string),
            due: None,
            version: 1,
            created_at: at(created),
            updated_at: at(created),
            closed_at: None,
        }
    }

    fn row(when: &str, field: &str, old: Option<&str>, new: Option<&str>) -> HistoryEntry {
        HistoryEntry {
            id: 0,
            action_id: 7,
            incident: "inc".into(),
            at: at(when),
            who: "alice".into(),
            field: field.into(),
            old_value: old.map(str::to_string),
            new_value: new.map(str::to_string),
            note: None,
        }
    }

    #[test]
    fn items_of_the_first_version_are_raised_with_the_incident() {
        let inc = incident("2026-01-01T00:00:00Z");
        let first = item("2026-01-01T00:00:00Z", ActionStatus::Open, None);
        let later = item("2026-02-01T00:00:00Z", ActionStatus::Open, None);
        let la = Tz::America__Los_Angeles;
        assert_eq!(raised(&first, &inc, la), at("2018-01-25T08:00:00Z"));
        assert_eq!(raised(&later, &inc, la), at("2026-02-01T00:00:00Z"));
    }

    #[test]
    fn state_at_an_instant_follows_the_history() {
        let inc = incident("2026-01-01T00:00:00Z");
        let record = item("2026-01-01T00:00:00Z", ActionStatus::Done, Some("bob"));
        let history = HashMap::from([(
            7,
            vec![
                row("2026-01-01T00:00:00Z", "status", None, Some("open")),
                row("2026-01-01T00:00:00Z", "owner", None, Some("alice")),
                row("2026-03-01T00:00:00Z", "owner", Some("alice"), Some("bob")),
                row("2026-04-01T00:00:00Z", "status", Some("open"), Some("done")),
            ],
        )]);
        let incidents = HashMap::from([("inc", &inc)]);
        let items = [record];
        let tracked = track(&items, &incidents, &history, Tz::UTC);
        let t = &tracked[0];
        // Before it was raised it does not exist; before ingest it is as first recorded.
        assert_eq!(t.status_at(at("2018-01-01T00:00:00Z")), None);
        assert!(t.pending_at(at("2018-02-01T00:00:00Z")));
        assert_eq!(
            t.owner_at(at("2018-02-01T00:00:00Z")).as_deref(),
            Some("alice")
        );
        assert_eq!(
            t.owner_at(at("2026-03-02T00:00:00Z")).as_deref(),
            Some("bob")
        );
        assert!(!t.pending_at(at("2026-04-02T00:00:00Z")));
        let reassigned: Vec<_> = t
            .changes_in(
                "owner",
                at("2026-01-01T00:00:00Z"),
                at("2026-12-01T00:00:00Z"),
            )
            .collect();
        assert_eq!(
            reassigned.len(),
            1,
            "the creation row is not a reassignment"
        );
        let as_then = t.at(at("2018-02-01T00:00:00Z"), Tz::UTC, "Inc");
        assert_eq!(as_then.age_days, 7);
        assert_eq!(as_then.status, ActionStatus::Open);
    }
}
