//! The incident timeline as the page draws it: local time in the entry's zone
//! and UTC, `T+` offsets from the start, gaps between entries, approximate and
//! unknown times, out-of-order entries with the checks' suggested correction,
//! in narrative or chronological order.

use chrono::{DateTime, Utc};

use super::view::human_minutes;
use crate::checks::Rule;
use crate::model::Document;

/// A pause this long between two entries is worth pointing out.
const LARGE_GAP_MINUTES: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Narrative,
    Chronological,
}

#[derive(Debug)]
pub struct TimelineView {
    pub entries: Vec<EntryView>,
    pub chronological: bool,
    pub out_of_order: usize,
}

#[derive(Debug)]
pub struct EntryView {
    /// Position in narrative order (0-based).
    pub index: usize,
    pub line: usize,
    pub label: String,
    pub text: String,
    /// Wall-clock time as the author meant it, with the date when it changes.
    pub local: Option<String>,
    pub zone: String,
    pub utc_iso: Option<String>,
    pub utc_text: Option<String>,
    /// `T+12m` from the incident's start (`T−…` for an entry before it, out of order).
    pub offset: Option<String>,
    pub approximate: bool,
    pub unknown: bool,
    /// The out-of-order finding on this entry's line: (message, suggestion).
    pub out_of_order: Option<(String, String)>,
    /// Earlier than an entry written above it (part of an out-of-order run).
    pub behind: bool,
    pub gap_before: Option<Gap>,
}

#[derive(Debug)]
pub struct Gap {
    pub text: String,
    pub large: bool,
    pub backwards: bool,
}

fn instant(utc: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(utc?)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Build the view of `doc`'s timeline in `order`.
pub fn build(doc: &Document, order: Order) -> TimelineView {
    let instants: Vec<Option<DateTime<Utc>>> = doc
        .timeline
        .iter()
        .map(|e| instant(e.utc.as_deref()))
        .collect();
    // The incident's start as the analysis gives it (an entry found out of order
    // does not start it), else the earliest entry.
    let start = doc
        .summary
        .as_ref()
        .and_then(|s| instant(s.start.as_deref()))
        .or_else(|| instants.iter().flatten().min().copied());
    let behind = behind_flags(&instants);
    let ooo_rule = Rule::OutOfOrder.code();
    let doc_zone = doc.timezone.as_ref().map(|z| z.zone.clone());
    let mut entries: Vec<EntryView> = doc
        .timeline
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let at = instants[i];
            let finding = doc
                .findings
                .iter()
                .find(|f| f.rule == ooo_rule && f.line == Some(e.line));
            EntryView {
                index: i,
                line: e.line,
                label: e.label.clone(),
                text: e.text.clone(),
                local: e.local.map(|l| l.format("%Y-%m-%d %H:%M").to_string()),
                zone: e
                    .zone
                    .clone()
                    .or_else(|| doc_zone.clone())
                    .unwrap_or_else(|| "UTC".into()),
                utc_iso: at.map(|a| a.to_rfc3339()),
                utc_text: at.map(|a| a.format("%Y-%m-%d %H:%M UTC").to_string()),
                offset: at.zip(start).map(|(a, s)| match (a - s).num_minutes() {
                    m if m < 0 => format!("T−{}", human_minutes(-m)),
                    m => format!("T+{}", human_minutes(m)),
                }),
                approximate: e.approximate,
                unknown: at.is_none(),
                out_of_order: finding
                    .map(|f| (f.message.clone(), f.suggestion.clone().unwrap_or_default())),
                behind: behind[i],
                gap_before: None,
            }
        })
        .collect();
    let out_of_order = entries.iter().filter(|e| e.out_of_order.is_some()).count();
    if order == Order::Chronological {
        let chrono_idx = chronological(doc, &instants);
        let mut slots: Vec<Option<EntryView>> = entries.into_iter().map(Some).collect();
        entries = chrono_idx
            .into_iter()
            .filter_map(|i| slots.get_mut(i)?.take())
            .collect();
    }
    add_gaps(&mut entries, &instants);
    shorten_dates(&mut entries);
    TimelineView {
        entries,
        chronological: order == Order::Chronological,
        out_of_order,
    }
}

/// The summary's chronological order when it fits, else sort by instant (unknown last).
fn chronological(doc: &Document, instants: &[Option<DateTime<Utc>>]) -> Vec<usize> {
    if let Some(s) = &doc.summary {
        let mut seen = s.chronological.clone();
        seen.sort_unstable();
        if seen == (0..instants.len()).collect::<Vec<_>>() {
            return s.chronological.clone();
        }
    }
    let mut idx: Vec<usize> = (0..instants.len()).collect();
    idx.sort_by_key(|&i| (instants[i].is_none(), instants[i], i));
    idx
}

/// Whether each entry is earlier than some entry written above it.
fn behind_flags(instants: &[Option<DateTime<Utc>>]) -> Vec<bool> {
    let mut latest: Option<DateTime<Utc>> = None;
    instants
        .iter()
        .map(|at| match at {
            Some(a) => {
                let behind = latest.is_some_and(|l| *a < l);
                latest = Some(latest.map_or(*a, |l| l.max(*a)));
                behind
            }
            None => false,
        })
        .collect()
}

/// The time since the previous resolved entry, as displayed.
fn add_gaps(entries: &mut [EntryView], instants: &[Option<DateTime<Utc>>]) {
    let mut prev: Option<DateTime<Utc>> = None;
    for e in entries.iter_mut() {
        let Some(at) = instants[e.index] else {
            continue;
        };
        if let Some(p) = prev {
            let minutes = (at - p).num_minutes();
            e.gap_before = Some(Gap {
                text: if minutes < 0 {
                    format!("{} back in time", human_minutes(-minutes))
                } else {
                    format!("+{}", human_minutes(minutes))
                },
                large: minutes.abs() >= LARGE_GAP_MINUTES,
                backwards: minutes < 0,
            });
        }
        prev = Some(at);
    }
}

/// Show the date only when it differs from the entry above.
fn shorten_dates(entries: &mut [EntryView]) {
    let mut last_date: Option<String> = None;
    for e in entries.iter_mut() {
        let Some(local) = &e.local else { continue };
        let (date, time) = local.split_at(10);
        if last_date.as_deref() == Some(date) {
            e.local = Some(time.trim().to_string());
        } else {
            last_date = Some(date.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AnalyzeOptions;

    const DOC: &str = "# Outage 2019-05-01\n\nTimezone: UTC\n\n## Timeline\n\n\
        - 10:00 alert fired\n- 10:12 paged on-call\n- 09:30 rollback started\n- 11:45 resolved\n";

    #[test]
    fn offsets_gaps_and_out_of_order_marker() {
        let doc = crate::analyze("2019-05-01-outage.md", DOC, &AnalyzeOptions::default());
        let v = build(&doc, Order::Narrative);
        assert_eq!(v.entries.len(), 4);
        assert_eq!(v.entries[0].offset.as_deref(), Some("T+30m"));
        assert_eq!(
            v.entries[1].gap_before.as_ref().map(|g| g.text.as_str()),
            Some("+12m")
        );
        let third = &v.entries[2];
        assert!(third.behind);
        assert!(third.gap_before.as_ref().is_some_and(|g| g.backwards));
        assert!(third.out_of_order.is_some(), "{:?}", doc.findings);
        assert_eq!(v.out_of_order, 1);
    }

    #[test]
    fn chronological_order_sorts_by_instant() {
        let doc = crate::analyze("2019-05-01-outage.md", DOC, &AnalyzeOptions::default());
        let v = build(&doc, Order::Chronological);
        let lines: Vec<usize> = v.entries.iter().map(|e| e.index).collect();
        assert_eq!(lines, vec![2, 0, 1, 3]);
        assert_eq!(v.entries[0].offset.as_deref(), Some("T+0m"));
        assert!(
            v.entries
                .iter()
                .all(|e| !e.gap_before.as_ref().is_some_and(|g| g.backwards))
        );
    }
}
