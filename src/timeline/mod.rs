//! Timeline labels → instants: the label grammar, the zone table, carry-forward of
//! dates, midnight rollover, zones with DST, ordering and the normalized summary.
//!
//! [`normalize`] runs the stage: parse each label ([`grammar`]), read declarations
//! and dates around the timeline (`context`), resolve wall-clock times (`resolve`),
//! place them in time (`instant`), report out-of-order entries (`order`) and build the
//! chronological view (`summary`).

mod context;
mod days;
pub mod grammar;
mod instant;
mod notes;
mod order;
mod resolve;
mod summary;
mod zone_notes;
mod zone_table;
pub mod zones;

use chrono::{NaiveDate, SecondsFormat, Weekday};

use crate::checks::Rule;
use crate::model::{Document, Finding, TimelineEntry, TimelineSummary};
use crate::parse::Body;
use crate::parse::lines::LineIndex;
use grammar::{DatePart, Label, TimePart};
use instant::Placed;
use resolve::Resolved;
use resolve::UNANCHORED;
use zones::{Found, Reading, Zone};

/// Settings for resolving timeline labels.
#[derive(Debug, Clone, Default)]
pub struct TimelineOptions {
    /// Zone used when the document declares none (IANA name, abbreviation or offset);
    /// UTC when unset.
    pub default_zone: Option<String>,
}

/// Resolve every entry of `doc.timeline` to an instant, fill `doc.timezone` and
/// `doc.summary`, and add timeline/timezone findings. `text` is the raw source.
pub fn normalize(doc: &mut Document, text: &str, opts: &TimelineOptions) {
    let index = LineIndex::new(text);
    let lines = index.lines(text);
    let body = Body {
        text,
        index: &index,
        lines: &lines,
    };
    normalize_body(doc, text, &body, opts);
}

/// [`normalize`], reading the lines of the `body` parse read (`text` with its front
/// matter blanked) rather than splitting the text again.
pub fn normalize_body(doc: &mut Document, text: &str, body: &Body, opts: &TimelineOptions) {
    let mut findings = Vec::new();
    let default = default_reading(opts, &mut findings);
    let ctx = context::scan_body(doc, text, body);
    let mut last_context = None;
    let labels: Vec<Label> = doc
        .timeline
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let marker = ctx.day_markers.get(i).and_then(Option::as_deref);
            label_of(e, marker, &mut last_context)
        })
        .collect();
    let anchor = anchor(doc, &ctx, &labels);
    let anchored = anchor.is_some();
    let resolved = resolve::resolve(
        &doc.timeline,
        &labels,
        Some(anchor.unwrap_or(UNANCHORED)),
        &mut findings,
    );
    let placed = instant::place(
        &doc.timeline,
        &labels,
        &resolved,
        &ctx,
        &default,
        anchored,
        &mut findings,
    );
    zone_notes::zone_findings(
        &ctx,
        &doc.timeline,
        &labels,
        &placed,
        &default,
        &mut findings,
    );
    doc.timezone = zone_notes::document_zone(&ctx, &doc.timeline, &placed, &default);
    if !anchored {
        no_date(doc, &labels, &mut findings);
    }
    let meant = order::check(&order_items(doc, &resolved, &placed), &mut findings);
    doc.summary = summarize(doc, &resolved, &placed, anchored, &meant);
    fill_entries(doc, &resolved, &placed, anchored);
    findings.sort_by_key(|f| f.line);
    doc.findings.extend(findings);
}

/// The placed entries, as the ordering check sees them.
fn order_items<'a>(
    doc: &'a Document,
    resolved: &'a [Resolved],
    placed: &[Option<Placed>],
) -> Vec<order::Item<'a>> {
    doc.timeline
        .iter()
        .zip(resolved)
        .zip(placed)
        .filter_map(|((entry, res), p)| {
            let (p, local) = (p.as_ref()?, res.local?);
            Some(order::Item {
                entry,
                res,
                key: p.utc,
                local,
            })
        })
        .collect()
}

/// `meant`: entries found out of order and what they probably meant; they bound
/// the incident by that instant, or not at all when it cannot be told.
fn summarize(
    doc: &Document,
    resolved: &[Resolved],
    placed: &[Option<Placed>],
    anchored: bool,
    meant: &order::Corrections,
) -> Option<TimelineSummary> {
    let spans: Vec<Option<summary::Span>> = placed
        .iter()
        .zip(resolved)
        .zip(&doc.timeline)
        .map(|((p, res), entry)| {
            let correction = meant.iter().find(|(line, _)| *line == entry.line);
            p.as_ref().map(|p| summary::Span {
                at: p.utc,
                timed: !res.date_only,
                bound: match correction {
                    None => Some(p.end.map_or(p.utc, |e| e.max(p.utc))).map(|e| (p.utc, e)),
                    Some((_, meant)) => meant.map(|m| (m, m)),
                },
            })
        })
        .collect();
    (!doc.timeline.is_empty()).then(|| summary::summarize(&spans, anchored))
}

/// Write the results into the entries; instants only when the timeline has a date.
fn fill_entries(
    doc: &mut Document,
    resolved: &[Resolved],
    placed: &[Option<Placed>],
    anchored: bool,
) {
    for ((entry, res), p) in doc.timeline.iter_mut().zip(resolved).zip(placed) {
        entry.approximate = res.approximate;
        entry.zone = p.as_ref().map(|p| p.zone.name());
        if anchored {
            entry.local = res.local;
            entry.end_local = res.end;
            entry.utc = p
                .as_ref()
                .map(|p| p.utc.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
    }
}

/// An entry's label, dated when it has no date of its own by the date line above it
/// (`2019-01-22` before `- 2:54 PM PST: …`) or a day heading before it (`### Day 2`).
/// `last` keeps the last context read: consecutive entries usually share it.
fn label_of<'a>(
    entry: &'a TimelineEntry,
    marker: Option<&'a str>,
    last: &mut Option<(&'a str, DatePart, Option<Weekday>)>,
) -> Label {
    let mut label = grammar::parse(&entry.label);
    if label.date == DatePart::None && label.weekday.is_none() {
        if let Some(context) = entry.context.as_deref().or(marker) {
            let (date, weekday) = match last {
                Some((text, date, weekday)) if *text == context => (date.clone(), *weekday),
                _ => {
                    let (date, weekday) = grammar::parse_date(context);
                    *last = Some((context, date.clone(), weekday));
                    (date, weekday)
                }
            };
            label.date = date;
            label.weekday = weekday;
        }
    }
    label
}

/// The configured default zone, read like a declaration; UTC when unset or unknown.
fn default_reading(opts: &TimelineOptions, findings: &mut Vec<Finding>) -> Reading {
    let utc = Reading {
        written: "UTC".to_string(),
        zone: Zone::UTC,
        season: None,
        offset: None,
        note: None,
    };
    let Some(text) = opts.default_zone.as_deref() else {
        return utc;
    };
    match zones::parse_zone(text) {
        // A configured `PST` means the Pacific zone all year.
        Some(Found::Known(r)) => Reading {
            season: None,
            note: None,
            offset: None,
            ..r
        },
        _ => {
            findings.push(Rule::TimezoneUnknown.finding(
                None,
                format!("the configured default zone `{text}` is not a time zone coroner knows; UTC is used"),
            ));
            utc
        }
    }
}

/// The date entries before the first dated one happened on: a date stated with the zone
/// declaration, the summary's "On <date>" (when close to the document date), the
/// document date, or the first full date in the timeline.
fn anchor(doc: &Document, ctx: &context::Context, labels: &[Label]) -> Option<NaiveDate> {
    if let Some(d) = ctx.declarations.iter().find_map(|d| d.date) {
        return Some(d);
    }
    if let Some((summary, _)) = ctx.summary_date {
        let close = |d: NaiveDate| (d - summary).num_days().abs() <= 7;
        if doc.date.is_none_or(close) {
            return Some(summary);
        }
    }
    doc.date.or_else(|| {
        labels.iter().find_map(|l| match &l.date {
            DatePart::Full(d) => Some(*d),
            DatePart::Invalid {
                years, month, day, ..
            } => NaiveDate::from_ymd_opt(*years.first()?, *month, *day),
            _ => None,
        })
    })
}

/// `timeline/no-date`: times that nothing places on a calendar day.
fn no_date(doc: &Document, labels: &[Label], findings: &mut Vec<Finding>) {
    let first_timed = doc
        .timeline
        .iter()
        .zip(labels)
        .find(|(_, l)| matches!(l.time, TimePart::Known(_)));
    if let Some((entry, _)) = first_timed {
        findings.push(Rule::NoDate.finding_with(
            Some(entry.line),
            "the timeline gives times but no date, and none was found in the front matter, title, file name or summary; entries are ordered but not placed in time",
            format!("write the date on the first entry: `YYYY-MM-DD {}`", entry.label.trim()),
        ));
    }
}

#[cfg(test)]
mod tests;
