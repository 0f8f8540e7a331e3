//! Parsed labels → wall-clock date-times: dates carried forward from the entry before,
//! years taken from context, weekday-only labels placed on the next such day, bare
//! 12-hour times read as PM after PM entries, and midnight rollovers inferred.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::grammar::{Clock, DatePart, Label, Meridiem, TimePart};
use super::notes;
use crate::checks::Rule;
use crate::model::{Finding, TimelineEntry};

/// The date used internally when a timeline has no date at all: ordering still works,
/// but nothing is reported as an instant.
pub const UNANCHORED: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 3) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// One entry resolved to the wall clock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    /// Date and time of day; `None` when the label cannot be placed.
    pub local: Option<NaiveDateTime>,
    /// The label gives a date but no time (`2019-01-21 Monday:`).
    pub date_only: bool,
    /// The label states its own date (rather than carrying one forward).
    pub explicit_date: bool,
    /// End of a range.
    pub end: Option<NaiveDateTime>,
    /// The clock as written (for AM/PM reasoning when ordering).
    pub clock: Option<Clock>,
    /// Read as PM although written without AM/PM.
    pub pm_inferred: bool,
    pub approximate: bool,
}

/// What an entry's date resolved to, before its time is read.
struct Dated {
    date: Option<NaiveDate>,
    explicit: bool,
}

/// Carries state from entry to entry.
struct Walker<'a> {
    anchor: Option<NaiveDate>,
    /// The current date: the last entry's, or the anchor.
    current: Option<NaiveDate>,
    first: Option<NaiveDate>,
    /// The last entry with a time.
    last_timed: Option<(NaiveDateTime, bool)>,
    findings: &'a mut Vec<Finding>,
}

/// Resolve every entry. `anchor` dates entries before the first dated one; `None` when
/// the document gives no date at all (then `UNANCHORED` stands in).
pub fn resolve(
    entries: &[TimelineEntry],
    labels: &[Label],
    anchor: Option<NaiveDate>,
    findings: &mut Vec<Finding>,
) -> Vec<Resolved> {
    let mut w = Walker {
        anchor,
        current: None,
        first: None,
        last_timed: None,
        findings,
    };
    entries
        .iter()
        .zip(labels)
        .map(|(entry, label)| w.entry(entry, label))
        .collect()
}

impl Walker<'_> {
    fn entry(&mut self, entry: &TimelineEntry, label: &Label) -> Resolved {
        let dated = self.date(label);
        notes::label_notes(entry, label, dated.date, self.findings);
        let mut out = Resolved {
            explicit_date: dated.explicit,
            approximate: label.approximate,
            ..Resolved::default()
        };
        if let Some(date) = dated.date {
            self.current = Some(date);
            self.first.get_or_insert(date);
        }
        match label.time {
            TimePart::Known(clock) => {
                if let Some(date) = dated.date {
                    self.timed(entry, label, &mut out, date, clock);
                }
            }
            TimePart::None => {
                out.local = dated.date.and_then(|d| d.and_hms_opt(0, 0, 0));
                out.date_only = out.local.is_some();
            }
            TimePart::Unknown | TimePart::Invalid => {}
        }
        out
    }

    fn date(&mut self, label: &Label) -> Dated {
        let reference = self.current.or(self.anchor);
        let (date, explicit) = match &label.date {
            DatePart::Full(d) => (Some(*d), true),
            DatePart::MonthDay { month, day } => {
                (reference.and_then(|r| nearest_year(r, *month, *day)), true)
            }
            DatePart::DayNumber(n) => {
                let first = self.first.or(self.anchor);
                (
                    first.map(|f| f + Duration::days(i64::from(n.saturating_sub(1)))),
                    true,
                )
            }
            DatePart::NextDay => (reference.and_then(|r| r.succ_opt()), true),
            DatePart::Invalid {
                years, month, day, ..
            } => {
                // The candidate nearest the context's year; the likeliest without one.
                let best = match reference.filter(|r| *r != UNANCHORED) {
                    Some(r) => years.iter().min_by_key(|y| (**y - r.year()).abs()),
                    None => years.first(),
                };
                (
                    best.and_then(|y| NaiveDate::from_ymd_opt(*y, *month, *day)),
                    true,
                )
            }
            DatePart::Unknown => (None, true),
            DatePart::None => match label.weekday {
                Some(day) => (reference.map(|r| self.next_weekday(r, day)), true),
                None => (reference, false),
            },
        };
        Dated { date, explicit }
    }

    /// `### Thursday`: the next Thursday after the entry before; for a first entry, the
    /// Thursday nearest the anchor.
    fn next_weekday(&self, reference: NaiveDate, day: Weekday) -> NaiveDate {
        let ahead = i64::from(
            (day.num_days_from_monday() + 7 - reference.weekday().num_days_from_monday()) % 7,
        );
        if self.current.is_some() {
            reference + Duration::days(if ahead == 0 { 7 } else { ahead })
        } else if ahead <= 3 {
            reference + Duration::days(ahead)
        } else {
            reference - Duration::days(7 - ahead)
        }
    }

    fn timed(
        &mut self,
        entry: &TimelineEntry,
        label: &Label,
        out: &mut Resolved,
        date: NaiveDate,
        clock: Clock,
    ) {
        let mut date = date;
        if clock.is_end_of_day() {
            date = date.succ_opt().unwrap_or(date);
        }
        let mut time = clock.time();
        if !out.explicit_date {
            if let Some((prev, prev_pm)) = self.last_timed {
                let at = date.and_time(time);
                if at < prev && prev.date() == date {
                    let as_pm = at + Duration::hours(12);
                    // `3:18 PM`, `3:25`; or `11:45`, `12:10`, `1:05`: a 12-hour clock
                    // without PM, when the afternoon reading follows on.
                    let follows_on = prev_pm || as_pm - prev <= Duration::hours(4);
                    if clock.could_be_pm() && as_pm >= prev && follows_on {
                        time = as_pm.time();
                        out.pm_inferred = true;
                    } else if prev - at > Duration::hours(12) {
                        date = date.succ_opt().unwrap_or(date);
                        self.rollover(entry, prev, date);
                    }
                }
            }
        }
        self.current = Some(date);
        let local = date.and_time(time);
        out.local = Some(local);
        out.clock = Some(clock);
        out.end = label.end.and_then(|end| match end {
            TimePart::Known(c) => Some(range_end(local, c)),
            _ => None,
        });
        let pm = clock.meridiem == Some(Meridiem::Pm) || out.pm_inferred;
        self.last_timed = Some((local, pm));
    }

    fn rollover(&mut self, entry: &TimelineEntry, prev: NaiveDateTime, date: NaiveDate) {
        let when = if self.anchor == Some(UNANCHORED) {
            "the next day".to_string()
        } else {
            date.to_string()
        };
        self.findings.push(Rule::RolloverInferred.finding(
            Some(entry.line),
            format!(
                "`{}` follows {}: the clock passed midnight, so this is read as {}",
                entry.label,
                prev.format("%H:%M"),
                when
            ),
        ));
    }
}

/// The end of a range: the next day when it is earlier than the start (`23:50 - 00:10`).
fn range_end(start: NaiveDateTime, clock: Clock) -> NaiveDateTime {
    let end = start.date().and_time(clock.time());
    if end < start || clock.is_end_of_day() {
        end + Duration::days(1)
    } else {
        end
    }
}

/// The year that puts a month and day nearest `reference` (`12-05` in a March 2019
/// timeline is December 2018).
fn nearest_year(reference: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (reference.year() - 1..=reference.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - reference).num_days().abs())
}

/// The time of day of a resolved entry, for messages.
pub fn hhmm(at: NaiveDateTime) -> String {
    if at.time().format("%S").to_string() == "00" {
        at.format("%H:%M").to_string()
    } else {
        at.format("%H:%M:%S").to_string()
    }
}
