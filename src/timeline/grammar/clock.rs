//! The time half of a label: `22:59`, `0:25:59 AM`, `10:45a`, `12:29p`, `17:14pm`,
//! `02.30 PM`, `14h30`, `1430Z`, `noon`; ranges (`12:43 - 12:49`, `16:05:57-58`,
//! `between 02:00 and 02.30 PM`); unknown parts (`2X:XX`, `??:??`, `HH:mm`, `--:--`);
//! and a zone written after the time (`2:54 PM PST`, `16:08Z`).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::zones::{self, Expect, Found};
use super::{Clock, Meridiem, TimePart};

static ATOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:",
        // 24- or 12-hour clock with minutes, optional seconds and meridiem.
        r"\b(?P<h>\d{1,2})[:.](?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?",
        r"(?:\s*(?P<mer>[ap]m\b|[ap]\.m\.?)|(?P<mer1>[ap])\b)?",
        // Hour and meridiem only: `7pm`, `9 a.m.`, `7p`.
        r"|\b(?P<hh>\d{1,2})(?:\s*(?P<mer2>[ap]m\b|[ap]\.m\.?)|(?P<mer3>[ap])\b)",
        // `14h30`, and military `1430Z` / `0900 hrs`.
        r"|\b(?P<fh>\d{1,2})h(?P<fm>\d{2})\b",
        r"|\b(?P<mh>[01]\d|2[0-3])(?P<mm>[0-5]\d)(?:\s*hrs?\b|(?P<mz>Z)\b)",
        r"|(?P<word>\bnoon\b|\bmidnight\b)",
        // A time with unknown parts.
        r"|(?P<unk>(?:[0-9?x]{1,2}|hh|--)[:.](?:[0-9?x]{2}|mm|--)|\?{2,}|\b(?:tbd|tba)\b)",
        r")"
    ))
    .expect("valid regex")
});
/// `16:05:57-58`: a range of seconds.
static SECONDS_RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2}:\d{2}:)(\d{2})-(\d{2})\b").expect("valid regex"));
static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:-|to|until|till|through|and)\s*$").expect("valid regex")
});

/// The time (or range) in `s`, and a zone written after it.
pub struct Times {
    pub start: TimePart,
    pub end: Option<TimePart>,
    pub zone: Option<Found>,
}

/// One time found in the text, with where it ends.
struct Atom {
    part: TimePart,
    start: usize,
    end: usize,
}

pub fn take_times(s: &str) -> Times {
    let s = match s.contains(':') {
        true => SECONDS_RANGE.replace_all(s, "$1$2-$1$3"),
        false => Cow::Borrowed(s),
    };
    // Only the first two times matter (a start and a range's end).
    let atoms: Vec<Atom> = ATOM
        .captures_iter(&s)
        .filter_map(|c| atom(&c))
        .take(2)
        .collect();
    let Some(first) = atoms.first() else {
        return Times {
            start: TimePart::None,
            end: None,
            zone: None,
        };
    };
    // A second time after a connector makes a range (`10:00-11:00` is not an offset).
    let direct = atoms
        .get(1)
        .filter(|second| connects(&s, first.end, second.start));
    let mut pos = first.end;
    let mut zone = if direct.is_some() {
        None
    } else {
        zone_at(&s, &mut pos)
    };
    let end = direct.or_else(|| {
        atoms
            .get(1)
            .filter(|second| connects(&s, pos, second.start))
    });
    let mut start = first.part;
    let end = end.map(|second| {
        pos = second.end;
        if zone.is_none() {
            zone = zone_at(&s, &mut pos);
        }
        share_meridiem(&mut start, second.part)
    });
    Times { start, end, zone }
}

fn connects(s: &str, from: usize, to: usize) -> bool {
    from <= to && CONNECTOR.is_match(s.get(from..to).unwrap_or(""))
}

/// A zone right after position `pos`; advances `pos` past it.
fn zone_at(s: &str, pos: &mut usize) -> Option<Found> {
    let rest = s.get(*pos..)?;
    // Both readings below need something after the spaces.
    if rest.trim_start().is_empty() {
        return None;
    }
    if let Some((found, used)) = zones::zone_prefix(rest, Expect::Maybe) {
        *pos += used;
        return Some(found);
    }
    // `14:00 (UTC)`, `14:00 [PST]`.
    let inner_start = rest.find(['(', '['])?;
    if !rest[..inner_start].trim().is_empty() {
        return None;
    }
    let inner = &rest[inner_start + 1..];
    let (found, used) = zones::zone_prefix(inner, Expect::Maybe)?;
    let close = inner[used..].trim_start();
    if !close.starts_with([')', ']']) {
        return None;
    }
    *pos += rest.len() - close.len() + 1;
    Some(found)
}

/// `00:25 - 00:29 AM`, `between 02:00 and 02.30 PM`: the meridiem written once applies
/// to both ends; `11:30 - 12:15 PM` starts in the morning.
fn share_meridiem(start: &mut TimePart, end: TimePart) -> TimePart {
    if let (TimePart::Known(s), TimePart::Known(e)) = (*start, &end) {
        if s.meridiem.is_none() && s.hour <= 12 {
            if let Some(mer) = e.meridiem {
                let mut shared = Clock {
                    meridiem: Some(mer),
                    ..s
                };
                if shared.time() > e.time() {
                    shared.meridiem = Some(Meridiem::Am);
                }
                *start = TimePart::Known(shared);
            }
        }
    }
    end
}

fn atom(cap: &Captures) -> Option<Atom> {
    let whole = cap.get(0)?;
    let part = if cap.name("unk").is_some() {
        TimePart::Unknown
    } else if let Some(word) = cap.name("word") {
        let hour = if word.as_str().eq_ignore_ascii_case("noon") {
            12
        } else {
            0
        };
        clock(hour, 0, 0, None, true)
    } else if let Some(h) = cap.name("h") {
        let mer = meridiem(cap, &["mer", "mer1"]);
        let padded = h.as_str().len() == 2;
        clock(
            num(h.as_str()),
            num_of(cap, "m"),
            num_of(cap, "s"),
            mer,
            padded,
        )
    } else if let Some(h) = cap.name("hh") {
        clock(
            num(h.as_str()),
            0,
            0,
            meridiem(cap, &["mer2", "mer3"]),
            false,
        )
    } else if let Some(h) = cap.name("fh") {
        clock(num(h.as_str()), num_of(cap, "fm"), 0, None, true)
    } else {
        clock(num_of(cap, "mh"), num_of(cap, "mm"), 0, None, true)
    };
    // `1430Z`: the `Z` is the zone; leave it for `zone_at`.
    let end = cap.name("mz").map_or(whole.end(), |z| z.start());
    Some(Atom {
        part,
        start: whole.start(),
        end,
    })
}

fn clock(
    hour: u32,
    minute: u32,
    second: u32,
    meridiem: Option<Meridiem>,
    padded: bool,
) -> TimePart {
    let hour_ok = hour <= 23 || (hour == 24 && meridiem.is_none() && (minute, second) == (0, 0));
    let ok = hour_ok && minute <= 59 && second <= 60;
    if !ok {
        return TimePart::Invalid;
    }
    TimePart::Known(Clock {
        hour,
        minute,
        second: second.min(59),
        meridiem,
        padded,
    })
}

fn meridiem(cap: &Captures, names: &[&str]) -> Option<Meridiem> {
    let text = names.iter().find_map(|n| cap.name(n))?.as_str();
    match text.chars().next()?.to_ascii_lowercase() {
        'a' => Some(Meridiem::Am),
        _ => Some(Meridiem::Pm),
    }
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

fn num_of(cap: &Captures, name: &str) -> u32 {
    cap.name(name).map_or(0, |m| num(m.as_str()))
}
