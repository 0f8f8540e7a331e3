//! Findings about one label on its own: approximate times, unknown parts, impossible
//! dates, weekdays that are not the date's weekday, and labels with no date or time.

use chrono::{Datelike, NaiveDate};

use super::grammar::{DatePart, Label, TimePart, weekday_name};
use crate::checks::Rule;
use crate::model::{Finding, TimelineEntry};

/// Add the findings `label` deserves; `date` is the date it resolved to, if any.
pub fn label_notes(
    entry: &TimelineEntry,
    label: &Label,
    date: Option<NaiveDate>,
    findings: &mut Vec<Finding>,
) {
    let line = Some(entry.line);
    let written = entry.label.trim();
    if label.approximate {
        findings.push(Rule::Approximate.finding(
            line,
            format!("`{written}` is an approximate time; it is kept and marked approximate"),
        ));
    }
    if let Some(f) = date_note(entry, label, date) {
        findings.push(f);
    }
    match label.time {
        TimePart::Unknown => {
            let known = match date {
                Some(d) if label.date != DatePart::None => {
                    format!("; only its date ({d}) is known")
                }
                _ => String::new(),
            };
            findings.push(Rule::UnknownTime.finding(
                line,
                format!("`{written}` has an unknown time{known}; the entry is left unresolved"),
            ));
        }
        TimePart::Invalid => findings.push(Rule::InvalidDate.finding(
            line,
            format!("`{written}` is not a time of day; the entry is left unresolved"),
        )),
        TimePart::Known(_) if label.end == Some(TimePart::Unknown) => {
            findings.push(Rule::UnknownTime.finding(
                line,
                format!("the end of the range `{written}` is unknown; only its start is used"),
            ));
        }
        TimePart::None if label.date == DatePart::None && label.weekday.is_none() => {
            findings.push(Rule::UnresolvedLabel.finding(
                line,
                format!("no date or time can be read in `{written}`; the entry is left unresolved"),
            ));
        }
        _ => {}
    }
    if let (Some(d), Some(day)) = (date, label.weekday) {
        if label.date != DatePart::None && d.weekday() != day {
            findings.push(Rule::WeekdayMismatch.finding_with(
                line,
                format!(
                    "`{written}` says {} but {d} is a {}",
                    weekday_name(day),
                    weekday_name(d.weekday())
                ),
                format!(
                    "write `{} {d}`, or correct the date",
                    weekday_name(d.weekday())
                ),
            ));
        }
    }
}

fn date_note(entry: &TimelineEntry, label: &Label, date: Option<NaiveDate>) -> Option<Finding> {
    let line = Some(entry.line);
    match &label.date {
        DatePart::Invalid { written, .. } => Some(match date {
            Some(d) => Rule::InvalidDate.finding_with(
                line,
                format!("`{written}` is not a valid date; read as {d}"),
                format!("write `{d}`"),
            ),
            None => Rule::InvalidDate.finding(
                line,
                format!("`{written}` is not a valid date; the entry is left unresolved"),
            ),
        }),
        DatePart::Unknown if label.time != TimePart::Unknown => Some(Rule::UnknownTime.finding(
            line,
            format!(
                "`{}` has an unknown date; the entry is left unresolved",
                entry.label.trim()
            ),
        )),
        _ => None,
    }
}
