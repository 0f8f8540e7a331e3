//! Sentences both renderers print, so Markdown and HTML say the same thing.

use super::charts::human_duration;
use super::model::{ItemRef, Trends, WeeklyReport};

/// What the report says when nothing happened in the week.
pub fn nothing_happened(r: &WeeklyReport) -> String {
    format!(
        "Nothing happened in {}: no incidents, no post-mortems added or changed, \
         no action items opened, closed or reassigned.",
        r.week
    )
}

/// `Monday 2018-01-22 to Sunday 2018-01-28 (America/Los_Angeles)`.
pub fn span(r: &WeeklyReport) -> String {
    let running = if r.complete { "" } else { ", in progress" };
    format!(
        "Monday {} to Sunday {} ({}{running})",
        r.first_day, r.last_day, r.timezone
    )
}

/// One line of numbers: incidents, opened/closed/reassigned, open and overdue.
pub fn headline(r: &WeeklyReport) -> String {
    format!(
        "{} · {} opened · {} closed · {} reassigned · {} open, {} overdue",
        count(r.incidents.len(), "incident", "incidents"),
        r.actions.opened.len(),
        r.actions.closed.len(),
        r.actions.reassigned.len(),
        r.open_items.total,
        r.open_items.overdue.len()
    )
}

pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 h 5 min`, or `unknown`.
pub fn duration(minutes: Option<i64>) -> String {
    minutes.map_or_else(|| "unknown".to_string(), human_duration)
}

/// `owner alice, due 2018-02-01` / `no owner, no due date`.
pub fn owner_due(item: &ItemRef) -> String {
    let owner = item
        .owner
        .as_deref()
        .map_or_else(|| "no owner".to_string(), |o| format!("owner {o}"));
    let due = item
        .due
        .map_or_else(|| "no due date".to_string(), |d| format!("due {d}"));
    format!("{owner}, {due}")
}

/// `open, 12 days old`.
pub fn status_age(item: &ItemRef) -> String {
    format!(
        "{}, raised {} ({})",
        item.status.as_str().replace('_', " "),
        item.raised_on,
        count(item.age_days.max(0) as usize, "day old", "days old")
    )
}

/// The three trend lines: incidents, median duration, open items.
pub fn trend_lines(t: &Trends) -> [String; 3] {
    let this = t.weeks.last();
    let incidents = this.map_or(0, |w| w.incidents);
    let median = this.and_then(|w| w.median_duration_minutes);
    let open = this.map_or(0, |w| w.open_items);
    let weeks = super::BASELINE_WEEKS;
    [
        format!(
            "Incidents: {incidents} (previous {weeks} weeks: {:.1} a week)",
            t.baseline_incidents
        ),
        format!(
            "Median duration: {} (previous {weeks} weeks: {})",
            duration(median),
            duration(t.baseline_median_duration_minutes)
        ),
        format!(
            "Open action items: {open} ({:+} since the previous week)",
            t.open_items_change
        ),
    ]
}
