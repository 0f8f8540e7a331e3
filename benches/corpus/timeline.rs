//! Timelines in the shapes of the real corpus: `### 22:59 ###` headings with the
//! date stated once, tables of `2021-07-02 07:32 | event`, `* [08:47]` and
//! `- 2:54 PM PST:` bullets, and plain-text reports' bare time lines; a zone
//! line (`All times in PST`) or none, and sometimes an entry out of order.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::prose::{event, paragraph};
use super::rng::Rng;

/// What every timeline shape needs to know about its incident.
pub struct Frame {
    pub date: NaiveDate,
    /// `None`: the report forgets to say (a `timezone/missing` finding).
    pub zone: Option<&'static str>,
    /// Swap one entry to an earlier time (a `timeline/out-of-order` finding).
    pub out_of_order: bool,
}

const ZONES: &[&str] = &["UTC", "CET", "PST", "PDT", "UTC", "CET", "PDT (UTC-7)"];

pub fn zone(r: &mut Rng) -> Option<&'static str> {
    if r.chance(0.1) {
        None
    } else {
        Some(r.pick(ZONES))
    }
}

/// The entries' instants: a start in the working day, then 1 to 45 minutes apart.
fn instants(r: &mut Rng, frame: &Frame, lo: u64, hi: u64) -> Vec<NaiveDateTime> {
    let n = r.range(lo, hi);
    let start = NaiveTime::from_hms_opt(r.range(0, 23) as u32, r.range(0, 59) as u32, 0)
        .unwrap_or(NaiveTime::MIN);
    let mut t = frame.date.and_time(start);
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(t);
        t += Duration::minutes(r.range(1, 45) as i64);
    }
    if frame.out_of_order && out.len() > 3 {
        let i = r.range(2, out.len() as u64 - 1) as usize;
        out[i] -= Duration::hours(2);
    }
    out
}

fn zone_line(frame: &Frame, r: &mut Rng) -> String {
    match frame.zone {
        None => String::new(),
        Some(z) if r.chance(0.3) => format!(
            "All times in {z}, on {}\n\n",
            frame.date.format("%B %-d %Y")
        ),
        Some(z) => format!("All times in {z}.\n\n"),
    }
}

/// `### March 6 2017 22:59 ###` then `### 23:11 ###`, a paragraph under each.
pub fn headings(r: &mut Rng, frame: &Frame) -> String {
    let mut out = zone_line(frame, r);
    let closing = if r.chance(0.5) { " ###" } else { "" };
    for (i, t) in instants(r, frame, 4, 10).into_iter().enumerate() {
        let label = if i == 0 {
            t.format("%B %-d %Y %H:%M").to_string()
        } else {
            t.format("%H:%M").to_string()
        };
        out.push_str(&format!(
            "### {label}{closing}\n\n{}\n\n",
            paragraph(r, 2, 4)
        ));
    }
    out
}

/// A markdown table with the date on every row.
pub fn table(r: &mut Rng, frame: &Frame) -> String {
    let mut out = zone_line(frame, r);
    out.push_str("| Time             | Event |\n| :--------------- | ----- |\n");
    for t in instants(r, frame, 3, 9) {
        out.push_str(&format!(
            "| {} | {} |\n",
            t.format("%Y-%m-%d %H:%M"),
            event(r)
        ));
    }
    out.push('\n');
    out
}

/// `* [08:47] …` bullets under a dated zone line, or `- 2:54 PM PST: …` bullets.
pub fn bullets(r: &mut Rng, frame: &Frame) -> String {
    let twelve_hour = r.chance(0.4);
    let mut out = if twelve_hour {
        format!("{}\n\n", frame.date.format("%A, %B %-d, %Y"))
    } else {
        zone_line(frame, r)
    };
    for t in instants(r, frame, 5, 14) {
        let line = if twelve_hour {
            let zone = frame
                .zone
                .map(|z| format!(" {}", z.split(' ').next().unwrap_or(z)));
            format!(
                "- {}{}: {}",
                t.format("%-I:%M %p"),
                zone.unwrap_or_default(),
                event(r)
            )
        } else {
            format!("* [{}] {}", t.format("%H:%M"), event(r))
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// A plain-text report's timeline: the first line dated, then bare times.
pub fn plain(r: &mut Rng, frame: &Frame) -> String {
    let mut out = String::new();
    if let Some(z) = frame.zone {
        out.push_str(&format!("All times in {z}\n"));
    }
    for (i, t) in instants(r, frame, 3, 8).into_iter().enumerate() {
        let label = if i == 0 {
            t.format("%Y-%m-%d %H:%M")
        } else {
            t.format("%H:%M")
        };
        out.push_str(&format!("{label}\n{}\n", paragraph(r, 1, 2)));
    }
    out
}
