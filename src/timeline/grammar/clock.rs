//! The time half of a label: `22:59`, `0:25:59 AM`, `10:45a`, `12:29p`, `17:14pm`,
//! `02.30 PM`, `14h30`, `1430Z`, `noon`; ranges (`12:43 - 12:49`, `16:05:57-58`,
//! `between 02:00 and 02.30 PM`); unknown parts (`2X:XX`, `??:??`, `HH:mm`, `--:--`);
//! and a zone written after the time (`2:54 PM PST`, `16:08Z`).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::super::zones::{self, Expect, Found};
use super::atoms;
use super::{Clock, Meridiem, TimePart};

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

pub fn take_times(s: &str) -> Times {
    // A seconds range has two `:` and a `-`.
    let colons = s.bytes().filter(|&b| b == b':').count();
    let s = match colons >= 2 && s.contains('-') {
        true => SECONDS_RANGE.replace_all(s, "$1$2-$1$3"),
        false => Cow::Borrowed(s),
    };
    // Only the first two times matter (a start and a range's end).
    let atoms = atoms::first_two(&s);
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
