//! The weekly report's three charts, drawn from its trends.

use super::{Bar, Point, Span, bar_chart, duration_chart, line_chart};
use crate::report::model::{Trends, WeeklyReport};

/// At most this many incidents in the duration chart (the most recent).
const MAX_DURATIONS: usize = 20;

/// SVG strings, ready to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyCharts {
    /// Incidents per week over the trend weeks, the report's week highlighted.
    pub incidents_per_week: String,
    /// Open action items at the end of each trend week.
    pub open_items: String,
    /// Durations of the trend weeks' incidents, the report's week highlighted.
    pub durations: String,
}

/// The charts of one report.
pub fn weekly(report: &WeeklyReport) -> WeeklyCharts {
    let t = &report.trends;
    WeeklyCharts {
        incidents_per_week: incidents_per_week(t, report),
        open_items: open_items(t),
        durations: durations(t, report),
    }
}

fn short(week: crate::report::IsoWeek) -> String {
    format!("W{:02}", week.week())
}

fn incidents_per_week(t: &Trends, report: &WeeklyReport) -> String {
    let bars: Vec<Bar> = t
        .weeks
        .iter()
        .map(|w| Bar {
            label: short(w.week),
            value: w.incidents as f64,
            tooltip: Some(format!(
                "{} (from {}): {} incident(s)",
                w.week,
                w.week.monday(),
                w.incidents
            )),
            highlight: w.week == report.week,
        })
        .collect();
    bar_chart(
        &format!("Incidents per week, last {} weeks", bars.len()),
        &bars,
        true,
    )
}

fn open_items(t: &Trends) -> String {
    let points: Vec<Point> = t
        .weeks
        .iter()
        .map(|w| Point {
            label: short(w.week),
            value: w.open_items as f64,
            tooltip: Some(format!("end of {}: {} open item(s)", w.week, w.open_items)),
        })
        .collect();
    line_chart("Open action items at the end of each week", &points, true)
}

fn durations(t: &Trends, report: &WeeklyReport) -> String {
    let skip = t.durations.len().saturating_sub(MAX_DURATIONS);
    let spans: Vec<Span> = t.durations[skip..]
        .iter()
        .map(|d| Span {
            label: match d.date {
                Some(date) => format!("{date} {}", d.title),
                None => d.title.clone(),
            },
            minutes: d.duration_minutes,
            highlight: d.week == report.week,
        })
        .collect();
    duration_chart(
        &format!("Incident durations, last {} weeks", t.weeks.len()),
        &spans,
    )
}
