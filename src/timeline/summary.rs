//! The normalized view of a timeline: entries in chronological order (by instant, ties
//! and unresolved entries in narrative order), the incident's start, end and duration.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::TimelineSummary;

/// One entry's place in time, as the summary needs it.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub at: DateTime<Utc>,
    /// It has a time of day (not a date alone).
    pub timed: bool,
    /// The (start, end) it contributes to the incident's bounds: its own, what it
    /// probably meant when found out of order (a typo does not start or end the
    /// incident), or `None` when that cannot be told.
    pub bound: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Build the summary. `spans[i]` is entry `i`'s place in time; `anchored` is false when
/// the timeline has no date, so start and end are not instants (the duration still is).
pub fn summarize(spans: &[Option<Span>], anchored: bool) -> TimelineSummary {
    let mut placed: Vec<(usize, DateTime<Utc>)> = spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (i, s.at)))
        .collect();
    placed.sort_by_key(|&(i, at)| (at, i));
    let mut chronological: Vec<usize> = placed.iter().map(|(i, _)| *i).collect();
    chronological.extend((0..spans.len()).filter(|i| spans[*i].is_none()));
    // A date alone (`2024-03-05 Data8 outage`) is midnight; when entries have times,
    // they bound the incident.
    let any_timed = spans.iter().flatten().any(|s| s.timed);
    let bounds = || {
        spans
            .iter()
            .flatten()
            .filter(move |s| s.timed || !any_timed)
            .filter_map(|s| s.bound)
    };
    let start = bounds().map(|b| b.0).min();
    let end = bounds().map(|b| b.1).max();
    let duration_minutes = start.zip(end).map(|(s, e)| (e - s).num_minutes());
    let show = |t: Option<DateTime<Utc>>| {
        t.filter(|_| anchored)
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
    };
    TimelineSummary {
        chronological,
        start: show(start),
        end: show(end),
        duration_minutes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> Option<Span> {
        Some(Span {
            at: Utc
                .with_ymd_and_hms(2017, 3, 7, h, m, 0)
                .single()
                .expect("valid"),
            timed: true,
            bound: None,
        })
        .map(|mut s| {
            s.bound = Some((s.at, s.at));
            s
        })
    }

    #[test]
    fn orders_by_instant_with_unresolved_last() {
        let s = summarize(&[at(7, 0), None, at(5, 31), at(7, 0)], true);
        assert_eq!(s.chronological, vec![2, 0, 3, 1]);
        assert_eq!(s.start.as_deref(), Some("2017-03-07T05:31:00Z"));
        assert_eq!(s.end.as_deref(), Some("2017-03-07T07:00:00Z"));
        assert_eq!(s.duration_minutes, Some(89));
    }

    #[test]
    fn range_ends_extend_the_end_and_unanchored_hides_instants() {
        let mut last = at(7, 0);
        if let Some(s) = last.as_mut() {
            s.bound = at(8, 30).map(|e| (s.at, e.at));
        }
        let s = summarize(&[at(6, 0), last], false);
        assert_eq!((s.start, s.end), (None, None));
        assert_eq!(s.duration_minutes, Some(150));
        let mut day = at(0, 0);
        if let Some(s) = day.as_mut() {
            s.timed = false;
        }
        let s = summarize(&[day, at(6, 0), at(7, 0)], true);
        assert_eq!(
            s.start.as_deref(),
            Some("2017-03-07T06:00:00Z"),
            "a date alone does not start it"
        );
        assert_eq!(s.chronological, vec![0, 1, 2]);
        let empty = summarize(&[], true);
        assert_eq!((empty.start, empty.duration_minutes), (None, None));
    }

    #[test]
    fn entries_out_of_order_do_not_bound_the_incident() {
        // 15:00, 15:33, then `13:40` `13:50` (an hour slip for 15:40 15:50).
        let meant = |h, m, written: Option<Span>| {
            written.map(|mut s| {
                s.bound = at(h, m).map(|t| (t.at, t.at));
                s
            })
        };
        let spans = [
            at(15, 0),
            at(15, 33),
            meant(15, 40, at(13, 40)),
            meant(15, 50, at(13, 50)),
        ];
        let s = summarize(&spans, true);
        assert_eq!(s.start.as_deref(), Some("2017-03-07T15:00:00Z"));
        assert_eq!(s.duration_minutes, Some(50));
        assert_eq!(s.chronological, vec![2, 3, 0, 1], "still placed as written");
        // A wrong time nothing explains bounds nothing.
        let mut unknown = at(3, 0);
        if let Some(s) = unknown.as_mut() {
            s.bound = None;
        }
        let s = summarize(&[at(15, 0), unknown, at(15, 20)], true);
        assert_eq!(s.duration_minutes, Some(20));
    }
}
