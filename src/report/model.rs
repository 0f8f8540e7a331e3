//! The weekly report as data: what every renderer (Markdown, HTML, JSON) reads.
//! Its JSON form is a stable interface, documented field by field in
//! `docs/report-json.md`; a change that removes or renames a field bumps
//! [`SCHEMA_VERSION`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::week::IsoWeek;
use crate::store::ActionStatus;

/// The version of the JSON layout; added fields keep it, removed or renamed ones bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything in one week's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyReport {
    pub schema_version: u32,
    pub week: IsoWeek,
    /// The IANA zone whose midnights bound the week.
    pub timezone: String,
    /// The week's Monday and Sunday, local dates.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// `[start, end)` in UTC.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The `now` the report was made for.
    pub generated_at: DateTime<Utc>,
    /// When open items are counted: the week's end, or `now` for the current week.
    pub as_of: DateTime<Utc>,
    /// Whether the week has ended.
    pub complete: bool,
    pub previous_week: IsoWeek,
    /// `None` when the next week has not started yet.
    pub next_week: Option<IsoWeek>,
    /// Nothing happened: no incidents, post-mortem changes or action item activity.
    pub empty: bool,
    pub incidents: Vec<ReportIncident>,
    pub postmortems: Vec<PostmortemChange>,
    pub actions: ActionActivity,
    pub open_items: OpenItems,
    pub themes: Themes,
    pub trends: Trends,
}

/// An incident that started in the week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportIncident {
    pub slug: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub started_at: Option<DateTime<Utc>>,
    /// The start on the team's clocks (`2018-01-25 14:30 PST`), or the date alone.
    pub start_local: Option<String>,
    pub duration_minutes: Option<i64>,
    pub tags: Vec<String>,
    pub findings: Vec<ReportFinding>,
    /// Its action items (not removed ones), as of the report.
    pub action_items: Vec<ItemRef>,
}

/// A problem found in a post-mortem by `coroner lint`'s rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportFinding {
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub line: Option<usize>,
    pub message: String,
}

/// A post-mortem added, changed, archived, restored or moved in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostmortemChange {
    pub slug: String,
    pub title: String,
    /// The kinds of change, in the order they first happened (`created`, `updated`, …).
    pub kinds: Vec<String>,
    /// The last change in the week.
    pub last_at: DateTime<Utc>,
}

/// An action item as it stood at the report's `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    pub id: i64,
    pub incident: String,
    pub incident_title: String,
    pub text: String,
    pub status: ActionStatus,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// When it was raised (local date): the incident's date for items written
    /// with the post-mortem, the day it was added for items added later.
    pub raised_on: NaiveDate,
    /// Whole days from being raised to `as_of`.
    pub age_days: i64,
}

/// Action items opened, closed and reassigned in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ActionActivity {
    pub opened: Vec<ItemRef>,
    pub closed: Vec<ItemChange>,
    pub reassigned: Vec<ItemChange>,
}

impl ActionActivity {
    /// No item opened, closed or reassigned.
    pub fn is_empty(&self) -> bool {
        self.opened.is_empty() && self.closed.is_empty() && self.reassigned.is_empty()
    }
}

/// One change from an item's history: status (closed) or owner (reassigned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    pub item: ItemRef,
    pub at: DateTime<Utc>,
    pub who: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
}

/// Items still open or in progress at `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct OpenItems {
    pub total: usize,
    pub by_age: AgeBuckets,
    /// Pending items whose due date is before `as_of`'s local date, most overdue first.
    pub overdue: Vec<ItemRef>,
}

/// Open items by age: under 7 days, 7–27 days, 28–90 days, 91 days and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct AgeBuckets {
    pub under_1_week: usize,
    pub weeks_1_to_4: usize,
    pub months_1_to_3: usize,
    pub older: usize,
}

impl AgeBuckets {
    /// Count one item of this age.
    pub fn add(&mut self, age_days: i64) {
        match age_days {
            ..7 => self.under_1_week += 1,
            7..28 => self.weeks_1_to_4 += 1,
            28..91 => self.months_1_to_3 += 1,
            _ => self.older += 1,
        }
    }

    /// `(label, count)` in age order, for renderers.
    pub fn rows(&self) -> [(&'static str, usize); 4] {
        [
            ("under 1 week", self.under_1_week),
            ("1–4 weeks", self.weeks_1_to_4),
            ("1–3 months", self.months_1_to_3),
            ("older", self.older),
        ]
    }
}

/// Incidents of the week that resemble earlier ones.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Themes {
    /// False when no search index was given; `note` then says why.
    pub available: bool,
    pub note: Option<String>,
    pub recurring: Vec<Theme>,
}

/// One incident of the week and the earlier incidents it resembles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub incident: String,
    pub title: String,
    pub similar: Vec<SimilarRef>,
}

/// An earlier incident, with its similarity (0..1, cosine of the texts' terms,
/// rounded to 3 decimals: the last digits vary with summation order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarRef {
    pub slug: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub score: f64,
}

/// This week against the ones before it.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Trends {
    /// The last [`TREND_WEEKS`](super::TREND_WEEKS) weeks, oldest first; the last is this week.
    pub weeks: Vec<WeekStats>,
    /// Mean incidents per week over the [`BASELINE_WEEKS`](super::BASELINE_WEEKS) weeks before this one.
    pub baseline_incidents: f64,
    /// Median duration over those weeks' incidents, when any had one.
    pub baseline_median_duration_minutes: Option<i64>,
    /// Open items now minus open items at the end of the previous week.
    pub open_items_change: i64,
    /// Incidents of all those weeks with a known duration, oldest first (the duration chart).
    pub durations: Vec<DurationPoint>,
}

/// One week's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekStats {
    pub week: IsoWeek,
    pub incidents: usize,
    pub median_duration_minutes: Option<i64>,
    /// Items open or in progress at the week's end (or `as_of` for the current week).
    pub open_items: usize,
}

/// One incident's duration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationPoint {
    pub slug: String,
    pub title: String,
    pub week: IsoWeek,
    pub date: Option<NaiveDate>,
    pub duration_minutes: i64,
}
