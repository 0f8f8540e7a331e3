//! Wall-clock times → instants. Each entry's zone is, in order: a zone on its own label,
//! the declaration above it (or the first one), a zone carried from an earlier label,
//! the zone prose times use, the configured default. Offsets follow the zone's DST
//! rules; a label that claims the other season, or an offset that disagrees, is a
//! `timezone/dst-mismatch` saying which offset was used and why.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, Utc};

use super::context::Context;
use super::grammar::Label;
use super::resolve::Resolved;
use super::zone_table::Season;
use super::zones::{Found, LocalOffset, Reading, Zone};
use crate::checks::Rule;
use crate::model::{Finding, TimelineEntry};

/// Where an entry's zone came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A zone on an entry's label (that entry's line).
    Entry(usize),
    /// A declaration (its line).
    Declared(usize),
    /// Inferred from prose times (the first such line).
    Inferred(usize),
    Default,
}

/// An entry placed in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub utc: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub zone: Zone,
    /// The zone as written where it came from (`PST`, `default`).
    pub written: String,
    pub origin: Origin,
    /// It has a time of day (a date alone needs no zone to be right).
    pub timed: bool,
}

/// A label/season contradiction, gathered per zone source.
struct Mismatch {
    line: usize,
    count: usize,
    message: String,
}

/// Place every resolved entry. `check_dst` is off for timelines with no real date.
pub fn place(
    entries: &[TimelineEntry],
    labels: &[Label],
    resolved: &[Resolved],
    ctx: &Context,
    default: &Reading,
    check_dst: bool,
    findings: &mut Vec<Finding>,
) -> Vec<Option<Placed>> {
    let mut carried: Option<(Reading, usize)> = None;
    let mut mismatches: BTreeMap<Origin, Mismatch> = BTreeMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for ((entry, label), res) in entries.iter().zip(labels).zip(resolved) {
        let (reading, origin) = choose(entry, label, ctx, default, &mut carried, findings);
        let placed = res.local.map(|local| {
            let (offset, note) = offset_for(&reading, local);
            if let (true, Some(note)) = (check_dst && !res.date_only, note) {
                mismatches
                    .entry(origin)
                    .and_modify(|m| m.count += 1)
                    .or_insert_with(|| Mismatch {
                        line: entry.line,
                        count: 1,
                        message: note.message(&reading),
                    });
            }
            Placed {
                utc: to_utc(local, offset),
                end: res.end.map(|e| to_utc(e, offset_for(&reading, e).0)),
                zone: reading.zone,
                written: reading.written.clone(),
                origin,
                timed: !res.date_only,
            }
        });
        out.push(placed);
    }
    for m in mismatches.into_values() {
        let more = match m.count {
            1 => String::new(),
            n => format!(" ({} entries)", n),
        };
        findings.push(Rule::DstMismatch.finding_with(
            Some(m.line),
            format!("{}{more}", m.message),
            "name the zone rather than one of its seasons (`US/Pacific`, `Europe/Berlin`), or write the abbreviation in force on that date",
        ));
    }
    out
}

fn choose(
    entry: &TimelineEntry,
    label: &Label,
    ctx: &Context,
    default: &Reading,
    carried: &mut Option<(Reading, usize)>,
    findings: &mut Vec<Finding>,
) -> (Reading, Origin) {
    match &label.zone {
        Some(Found::Known(r)) => {
            if ctx.declarations.is_empty() {
                *carried = Some((r.clone(), entry.line));
            }
            return (r.clone(), Origin::Entry(entry.line));
        }
        Some(Found::Unknown(written)) => findings.push(Rule::TimezoneUnknown.finding(
            Some(entry.line),
            format!("`{written}` is not a time zone coroner knows; the document's zone is used"),
        )),
        None => {}
    }
    let declared = ctx
        .declarations
        .iter()
        .rev()
        .find(|d| d.line <= entry.line)
        .or(ctx.declarations.first());
    if let Some(d) = declared {
        return (d.reading.clone(), Origin::Declared(d.line));
    }
    if let Some((r, line)) = carried {
        return (r.clone(), Origin::Entry(*line));
    }
    if let Some(d) = &ctx.inferred {
        return (d.reading.clone(), Origin::Inferred(d.line));
    }
    (default.clone(), Origin::Default)
}

/// Why an entry's offset deserves a message. Entries placed from one zone source make
/// one finding, worded from the first: the message is made only for that one.
enum Note {
    /// The label's season or offset contradicts the offset in force that day.
    Season(LocalOffset, NaiveDate, Conflict),
    /// The time fell in the spring gap (rare: worded at once).
    Gap(String),
}

/// What a label claims against the offset in force.
enum Conflict {
    /// An offset written beside the zone (`PDT (UTC-7)`), not the one in force.
    Offset(FixedOffset),
    /// A season (`PST` in July): the one claimed and the one in force.
    Claim(&'static str, &'static str),
}

impl Note {
    fn message(self, reading: &Reading) -> String {
        match self {
            Note::Season(o, date, conflict) => season_message(reading, &o, date, conflict),
            Note::Gap(message) => message,
        }
    }
}

/// The offset of `local` in the reading's zone, and a note when the label contradicts it.
fn offset_for(reading: &Reading, local: NaiveDateTime) -> (FixedOffset, Option<Note>) {
    let date = local.date();
    match reading.zone.local_offsets(&local) {
        LocalResult::Single(o) => {
            let offset = o.offset;
            let note = season_conflict(reading, &o).map(|c| Note::Season(o, date, c));
            (offset, note)
        }
        LocalResult::Ambiguous(a, b) => {
            // The autumn fold: a label naming the season picks the occurrence.
            let o = match reading.season {
                Some(Season::Standard) if a.dst => b,
                Some(Season::Daylight) if !a.dst => b,
                _ => a,
            };
            (o.offset, None)
        }
        LocalResult::None => {
            let zone = reading.zone.name();
            let before = reading
                .zone
                .local_offsets(&(local - Duration::hours(3)))
                .earliest();
            let after = reading
                .zone
                .local_offsets(&(local + Duration::hours(3)))
                .latest();
            let offset = before.map_or_else(|| Utc.fix(), |b| b.offset);
            let abbr = after.map(|a| a.abbr()).unwrap_or_default();
            let message = format!(
                "{} does not exist in {zone} on {date}: the clocks skipped that hour for daylight saving time; read as if the clocks had not changed yet, that is {} {abbr}",
                local.format("%H:%M"),
                (local + Duration::hours(1)).format("%H:%M"),
            );
            (offset, Some(Note::Gap(message)))
        }
    }
}

/// Most entries contradict nothing.
fn season_conflict(reading: &Reading, o: &LocalOffset) -> Option<Conflict> {
    if let Some(stated) = reading.offset.filter(|s| *s != o.offset) {
        return Some(Conflict::Offset(stated));
    }
    match (reading.season, o.dst) {
        (Some(Season::Standard), true) => {
            Some(Conflict::Claim("standard time", "daylight saving time"))
        }
        (Some(Season::Daylight), false) => {
            Some(Conflict::Claim("daylight saving time", "standard time"))
        }
        _ => None,
    }
}

fn season_message(reading: &Reading, o: &LocalOffset, date: NaiveDate, c: Conflict) -> String {
    let written = &reading.written;
    match c {
        Conflict::Offset(stated) => {
            let zone = reading.zone.name();
            let in_force = format!("{} (UTC{})", o.abbr(), o.offset);
            format!(
                "`{written}` gives UTC{stated}, but {zone} was on {in_force} on {date}; used UTC{}, reading the times as wall-clock times there",
                o.offset
            )
        }
        Conflict::Claim(claimed, in_effect) => format!(
            "`{written}` is {claimed}, but on {date} {in_effect} was in effect ({}, UTC{}); used UTC{}, reading the times as wall-clock times",
            o.abbr(),
            o.offset,
            o.offset
        ),
    }
}

fn to_utc(local: NaiveDateTime, offset: FixedOffset) -> DateTime<Utc> {
    (local - Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc()
}
