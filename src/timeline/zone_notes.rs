//! Document-level zone findings and the document's zone: ambiguous, misspelt, unknown
//! and contradictory declarations; `timezone/missing` when the default had to be used;
//! `timezone/inferred` when prose times gave the zone.

use std::collections::HashSet;

use super::context::Context;
use super::grammar::Label;
use super::instant::{Origin, Placed};
use super::zones::{Found, Note, Reading};
use crate::checks::Rule;
use crate::model::{Finding, TimelineEntry, TimezoneInfo};

/// Findings about how a reading was read (ambiguous, misspelt), at `line`.
fn reading_note(reading: &Reading, line: usize) -> Option<Finding> {
    let written = &reading.written;
    let zone = reading.zone.name();
    match &reading.note {
        Some(Note::Ambiguous(also)) => Some(Rule::TimezoneAmbiguous.finding_with(
            Some(line),
            format!("`{written}` is ambiguous: read as {zone}; it can also mean {also}"),
            format!("write an IANA zone name such as `{zone}`"),
        )),
        Some(Note::Misspelt) => Some(Rule::TimezoneUnknown.finding_with(
            Some(line),
            format!("`{written}` is not a known time zone; read as {zone}, the nearest name"),
            format!("write `{zone}`"),
        )),
        None => None,
    }
}

/// Findings about the declarations and the zones entries were read in.
pub fn zone_findings(
    ctx: &Context,
    entries: &[TimelineEntry],
    labels: &[Label],
    placed: &[Option<Placed>],
    default: &Reading,
    findings: &mut Vec<Finding>,
) {
    for d in &ctx.declarations {
        findings.extend(reading_note(&d.reading, d.line));
    }
    let mut seen = HashSet::new();
    for (entry, label) in entries.iter().zip(labels) {
        if let Some(Found::Known(r)) = &label.zone {
            if seen.insert(r.written.clone()) {
                findings.extend(reading_note(r, entry.line));
            }
        }
    }
    for (line, written) in &ctx.unknown {
        findings.push(Rule::TimezoneUnknown.finding(
            Some(*line),
            format!("`{written}` is not a time zone coroner knows; this declaration is ignored"),
        ));
    }
    if let Some(first) = ctx.declarations.first() {
        for d in ctx
            .declarations
            .iter()
            .filter(|d| d.reading.zone != first.reading.zone)
        {
            findings.push(Rule::TimezoneContradictory.finding(
                Some(d.line),
                format!(
                    "`{}` here, but `{}` on line {}; each entry is read in the zone declared above it",
                    d.reading.written, first.reading.written, first.line
                ),
            ));
        }
    }
    let first_with = |origin: fn(&Origin) -> bool| {
        entries
            .iter()
            .zip(placed)
            .find(|(_, p)| p.as_ref().is_some_and(|p| p.timed && origin(&p.origin)))
            .map(|(e, _)| e.line)
    };
    if let Some(line) = first_with(|o| *o == Origin::Default) {
        findings.push(Rule::TimezoneMissing.finding_with(
            Some(line),
            format!(
                "no time zone is declared for the timeline; its times are read as {}, the default",
                default.zone.name()
            ),
            "declare the zone above the timeline, e.g. `All times in UTC`",
        ));
    }
    if let (Some(d), Some(_)) = (
        &ctx.inferred,
        first_with(|o| matches!(o, Origin::Inferred(_))),
    ) {
        findings.push(Rule::TimezoneInferred.finding_with(
            Some(d.line),
            format!(
                "no time zone is declared for the timeline, but times in the text are given in `{}`; the timeline is read in {}",
                d.reading.written,
                d.reading.zone.name()
            ),
            format!("declare it above the timeline: `All times in {}`", d.reading.written),
        ));
    }
}

/// The document's zone: its first declaration, the inferred zone, the first zone on an
/// entry, or the default when entries needed one.
pub fn document_zone(
    ctx: &Context,
    entries: &[TimelineEntry],
    placed: &[Option<Placed>],
    default: &Reading,
) -> Option<TimezoneInfo> {
    let info = |r: &Reading, line: Option<usize>| TimezoneInfo {
        label: r.written.clone(),
        zone: r.zone.name(),
        line,
    };
    if let Some(d) = ctx.declarations.first().or(ctx.inferred.as_ref()) {
        return Some(info(&d.reading, Some(d.line)));
    }
    let entry_zone = entries.iter().zip(placed).find_map(|(e, p)| match p {
        Some(Placed {
            origin: Origin::Entry(_),
            zone,
            written,
            ..
        }) => Some(TimezoneInfo {
            label: written.clone(),
            zone: zone.name(),
            line: Some(e.line),
        }),
        _ => None,
    });
    entry_zone.or_else(|| {
        placed
            .iter()
            .flatten()
            .any(|p| p.timed)
            .then(|| TimezoneInfo {
                label: "default".to_string(),
                zone: default.zone.name(),
                line: None,
            })
    })
}
