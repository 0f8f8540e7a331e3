//! Building a [`WeeklyReport`] from the store: one read of the incidents, the
//! action items and their history, then everything is computed in memory.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::items::{Tracked, incident_start, track};
use super::model::{
    ActionActivity, ItemChange, OpenItems, PostmortemChange, ReportFinding, ReportIncident,
    SCHEMA_VERSION, WeeklyReport,
};
use super::week::IsoWeek;
use super::{ReportError, as_of, themes};
use crate::search::SearchIndex;
use crate::store::{
    ActionFilter, ActionRecord, ActionStatus, HistoryEntry, IncidentFilter, IncidentSummary, Store,
};

/// 9999-01-01T00:00:00Z, within both backends' timestamp range.
const FAR_FUTURE: i64 = 253_370_764_800;

/// What the report is computed from.
struct Data {
    incidents: Vec<IncidentSummary>,
    items: Vec<ActionRecord>,
    history: HashMap<i64, Vec<HistoryEntry>>,
}

/// The report for `week`, with week boundaries in `tz`, as seen at `now`.
/// Without an index the recurring-themes section says it is unavailable.
pub async fn weekly(
    store: &Store,
    index: Option<&SearchIndex>,
    week: IsoWeek,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<WeeklyReport, ReportError> {
    let data = load(store).await?;
    let (start, end) = week.bounds(tz);
    let as_of = as_of(end, now);
    let by_slug: HashMap<&str, &IncidentSummary> = data
        .incidents
        .iter()
        .map(|i| (i.slug.as_str(), i))
        .collect();
    let tracked = track(&data.items, &by_slug, &data.history, tz);
    let ctx = Ctx {
        tz,
        now,
        by_slug,
        tracked,
    };

    let mut incidents = Vec::new();
    for summary in ctx.incidents_in(week) {
        incidents.push(ctx.incident(store, summary, as_of).await?);
    }
    let postmortems = postmortems(store, start, end).await?;
    let actions = ctx.activity(start, end, as_of);
    let empty = incidents.is_empty() && postmortems.is_empty() && actions.is_empty();
    let next = week.next();
    Ok(WeeklyReport {
        schema_version: SCHEMA_VERSION,
        week,
        timezone: tz.name().to_string(),
        first_day: week.monday(),
        last_day: week.sunday(),
        start,
        end,
        generated_at: now,
        as_of,
        complete: end <= now,
        previous_week: week.previous(),
        next_week: (next.bounds(tz).0 <= now).then_some(next),
        empty,
        open_items: ctx.open_items(as_of),
        themes: themes::recurring(index, &incidents),
        trends: ctx.trends(week),
        incidents,
        postmortems,
        actions,
    })
}

async fn load(store: &Store) -> Result<Data, ReportError> {
    let incidents = store
        .list_incidents(&IncidentFilter::default())
        .await?
        .items;
    let all = ActionFilter {
        statuses: ActionStatus::ALL.to_vec(),
        ..ActionFilter::default()
    };
    let items = store.list_actions(&all).await?.items;
    // All of it: history rows are written at real time, whatever `now` the report is for.
    let far = DateTime::from_timestamp(FAR_FUTURE, 0).unwrap_or(DateTime::UNIX_EPOCH);
    let mut history: HashMap<i64, Vec<HistoryEntry>> = HashMap::new();
    for row in store.history_between(DateTime::UNIX_EPOCH, far).await? {
        history.entry(row.action_id).or_default().push(row);
    }
    Ok(Data {
        incidents,
        items,
        history,
    })
}

/// Post-mortems added or changed in `[start, end)`, one line per incident.
async fn postmortems(
    store: &Store,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<PostmortemChange>, ReportError> {
    let mut out: Vec<PostmortemChange> = Vec::new();
    for event in store.incident_events(start, end).await? {
        match out.iter_mut().find(|p| p.slug == event.slug) {
            Some(p) => {
                if !p.kinds.contains(&event.kind) {
                    p.kinds.push(event.kind);
                }
                p.last_at = event.at;
            }
            None => out.push(PostmortemChange {
                title: event.title.unwrap_or_else(|| event.slug.clone()),
                slug: event.slug,
                kinds: vec![event.kind],
                last_at: event.at,
            }),
        }
    }
    Ok(out)
}

/// What the report's parts are computed from, in the team's zone.
pub(super) struct Ctx<'a> {
    pub tz: Tz,
    pub now: DateTime<Utc>,
    pub by_slug: HashMap<&'a str, &'a IncidentSummary>,
    pub tracked: Vec<Tracked<'a>>,
}

impl<'a> Ctx<'a> {
    /// Incidents that started in `week`, oldest first.
    pub fn incidents_in(&self, week: IsoWeek) -> Vec<&'a IncidentSummary> {
        let mut found: Vec<(DateTime<Utc>, &IncidentSummary)> = self
            .by_slug
            .values()
            .filter_map(|i| incident_start(i, self.tz).map(|t| (t, *i)))
            .filter(|(t, _)| week.contains(*t, self.tz))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.slug.cmp(&b.1.slug)));
        found.into_iter().map(|(_, i)| i).collect()
    }

    pub fn title(&self, slug: &str) -> String {
        self.by_slug
            .get(slug)
            .and_then(|i| i.title.clone())
            .unwrap_or_else(|| slug.to_string())
    }

    async fn incident(
        &self,
        store: &Store,
        summary: &IncidentSummary,
        as_of: DateTime<Utc>,
    ) -> Result<ReportIncident, ReportError> {
        let full = store.incident(&summary.slug).await?;
        let findings = full
            .document
            .findings
            .iter()
            .map(|f| ReportFinding {
                rule: f.rule.clone(),
                severity: f.severity.as_str().to_string(),
                line: f.line,
                message: f.message.clone(),
            })
            .collect();
        let title = self.title(&summary.slug);
        let action_items = self
            .tracked
            .iter()
            .filter(|t| t.record.incident == summary.slug)
            .filter(|t| {
                t.status_at(as_of)
                    .is_some_and(|s| s != ActionStatus::Removed)
            })
            .map(|t| t.at(as_of, self.tz, &title))
            .collect();
        Ok(ReportIncident {
            slug: summary.slug.clone(),
            title,
            date: summary.date,
            started_at: summary.started_at,
            start_local: self.start_local(summary),
            duration_minutes: summary.duration_minutes,
            tags: summary.tags.clone(),
            findings,
            action_items,
        })
    }

    /// `2018-01-25 06:30 PST` on the team's clocks, or the date alone.
    fn start_local(&self, summary: &IncidentSummary) -> Option<String> {
        match summary.started_at {
            Some(t) => Some(
                t.with_timezone(&self.tz)
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string(),
            ),
            None => summary.date.map(|d| d.to_string()),
        }
    }

    /// Items raised, closed and reassigned in `[start, end)`.
    fn activity(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        as_of: DateTime<Utc>,
    ) -> ActionActivity {
        let mut activity = ActionActivity::default();
        let mut opened: Vec<&Tracked> = self
            .tracked
            .iter()
            .filter(|t| t.raised >= start && t.raised < end)
            .collect();
        opened.sort_by_key(|t| t.raised);
        activity.opened = opened
            .into_iter()
            .map(|t| t.at(as_of, self.tz, &self.title(&t.record.incident)))
            .collect();
        for t in &self.tracked {
            let title = self.title(&t.record.incident);
            let change = |h: &HistoryEntry| ItemChange {
                item: t.at(as_of, self.tz, &title),
                at: h.at,
                who: h.who.clone(),
                from: h.old_value.clone(),
                to: h.new_value.clone(),
                note: h.note.clone(),
            };
            let closes = |h: &&HistoryEntry| {
                let status = h
                    .new_value
                    .as_deref()
                    .and_then(|s| s.parse::<ActionStatus>().ok());
                status.is_some_and(ActionStatus::is_closed)
            };
            activity.closed.extend(
                t.changes_in("status", start, end)
                    .filter(closes)
                    .map(change),
            );
            activity
                .reassigned
                .extend(t.changes_in("owner", start, end).map(change));
        }
        activity.closed.sort_by_key(|c| c.at);
        activity.reassigned.sort_by_key(|c| c.at);
        activity
    }

    /// Items pending at `as_of`, by age, and the overdue ones (most overdue first).
    fn open_items(&self, as_of: DateTime<Utc>) -> OpenItems {
        let today = as_of.with_timezone(&self.tz).date_naive();
        let mut open = OpenItems::default();
        for t in self.tracked.iter().filter(|t| t.pending_at(as_of)) {
            let item = t.at(as_of, self.tz, &self.title(&t.record.incident));
            open.total += 1;
            open.by_age.add(item.age_days);
            if item.due.is_some_and(|d| d < today) {
                open.overdue.push(item);
            }
        }
        // Ids depend on ingest order: sort by what the reader sees.
        open.overdue
            .sort_by(|a, b| (a.due, &a.incident, &a.text).cmp(&(b.due, &b.incident, &b.text)));
        open
    }
}
