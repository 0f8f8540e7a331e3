//! The clock times in a label (`22:59`, `0:25:59 AM`, `7pm`, `14h30`, `1430Z`, `noon`,
//! `??:??`): [`ATOM`] says what one is. ASCII text, nearly every label, is read by hand
//! the way the regex reads it (the regex's captures cost more than the rest of the
//! label's reading); any other text goes to the regex, whose `\d`, `\s` and `\b` are
//! Unicode-aware.

use std::sync::LazyLock;

use regex::{Captures, Regex};

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

/// One time found in the text, with where it starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Atom {
    pub part: TimePart,
    pub start: usize,
    /// Before a military time's `Z`, which is left to be read as the zone.
    pub end: usize,
}

/// The first two times in `s`: a start and a range's end.
pub fn first_two(s: &str) -> Vec<Atom> {
    match s.is_ascii() {
        true => by_hand(s.as_bytes()),
        false => by_regex(s),
    }
}

fn by_regex(s: &str) -> Vec<Atom> {
    ATOM.captures_iter(s)
        .filter_map(|c| atom(&c))
        .take(2)
        .collect()
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

pub(super) fn clock(
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

/// [`ATOM`]'s matches in ASCII text, as the regex finds them: leftmost first, and at
/// one position its alternatives in order, each taking the longest it can (none of
/// them can do better by backtracking, as the comments on each say).
fn by_hand(s: &[u8]) -> Vec<Atom> {
    let mut out = Vec::with_capacity(2);
    let mut from = 0;
    while out.len() < 2 {
        let Some((atom, end)) = (from..s.len()).find_map(|p| at(s, p)) else {
            break;
        };
        out.push(atom);
        from = end;
    }
    out
}

/// The match starting at `p`, and where the match (not the atom) ends.
fn at(s: &[u8], p: usize) -> Option<(Atom, usize)> {
    // Every alternative starts with one of these (`x`, `h`, `m`, `n`, `t` in any case).
    if !matches!(
        byte(s, p).to_ascii_lowercase(),
        b'0'..=b'9' | b'?' | b'-' | b'x' | b'h' | b'm' | b'n' | b't'
    ) {
        return None;
    }
    let atom = |part, end| {
        Some((
            Atom {
                part,
                start: p,
                end,
            },
            end,
        ))
    };
    if let Some((part, end)) = clock_at(s, p) {
        return atom(part, end);
    }
    if let Some((part, end)) = hour_at(s, p) {
        return atom(part, end);
    }
    if let Some((part, end)) = h_form_at(s, p) {
        return atom(part, end);
    }
    if let Some((part, z, end)) = military_at(s, p) {
        return Some((
            Atom {
                part,
                start: p,
                end: z,
            },
            end,
        ));
    }
    if let Some((part, end)) = word_at(s, p) {
        return atom(part, end);
    }
    unknown_at(s, p).and_then(|end| atom(TimePart::Unknown, end))
}

/// `\b\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?` and an optional meridiem. Fewer hour
/// digits cannot help (a digit is not `[:.]`), and what follows the minutes is
/// optional, so the first reading is the match.
fn clock_at(s: &[u8], p: usize) -> Option<(TimePart, usize)> {
    let q = p + hour_digits(s, p)?;
    if !matches!(byte(s, q), b':' | b'.') || !two_digits(s, q + 1) {
        return None;
    }
    let (hour, minute) = (number(&s[p..q]), number(&s[q + 1..q + 3]));
    let mut end = q + 3;
    let mut second = 0;
    if byte(s, end) == b':' && two_digits(s, end + 1) {
        second = number(&s[end + 1..end + 3]);
        end += 3;
        if byte(s, end) == b'.' && byte(s, end + 1).is_ascii_digit() {
            end += 1;
            while byte(s, end).is_ascii_digit() {
                end += 1;
            }
        }
    }
    let mer = match meridiem_at(s, end) {
        Some((mer, e)) => {
            end = e;
            Some(mer)
        }
        None => None,
    };
    Some((clock(hour, minute, second, mer, q - p == 2), end))
}

/// `\b\d{1,2}` and a meridiem that must follow: `7pm`, `9 a.m.`, `7p`.
fn hour_at(s: &[u8], p: usize) -> Option<(TimePart, usize)> {
    let q = p + hour_digits(s, p)?;
    let (mer, end) = meridiem_at(s, q)?;
    Some((clock(number(&s[p..q]), 0, 0, Some(mer), false), end))
}

/// `\b\d{1,2}h\d{2}\b`: `14h30`.
fn h_form_at(s: &[u8], p: usize) -> Option<(TimePart, usize)> {
    let q = p + hour_digits(s, p)?;
    if !is(s, q, b'h') || !two_digits(s, q + 1) || !boundary(s, q + 3) {
        return None;
    }
    let part = clock(number(&s[p..q]), number(&s[q + 1..q + 3]), 0, None, true);
    Some((part, q + 3))
}

/// `\b(?:[01]\d|2[0-3])[0-5]\d(?:\s*hrs?\b|Z\b)`: the time, where the atom ends (before
/// a `Z`) and where the match ends. `s?` and `\s*` give nothing back: after `hr` an
/// `s` is a word character, so without it there is no boundary either.
fn military_at(s: &[u8], p: usize) -> Option<(TimePart, usize, usize)> {
    let (a, b) = (byte(s, p), byte(s, p + 1));
    let hour_ok =
        (matches!(a, b'0' | b'1') && b.is_ascii_digit()) || (a == b'2' && matches!(b, b'0'..=b'3'));
    let minute_ok = matches!(byte(s, p + 2), b'0'..=b'5') && byte(s, p + 3).is_ascii_digit();
    if !boundary(s, p) || !hour_ok || !minute_ok {
        return None;
    }
    let part = clock(
        number(&s[p..p + 2]),
        number(&s[p + 2..p + 4]),
        0,
        None,
        true,
    );
    let q = p + 4;
    let r = skip_spaces(s, q);
    if is(s, r, b'h') && is(s, r + 1, b'r') {
        let end = if is(s, r + 2, b's') { r + 3 } else { r + 2 };
        if boundary(s, end) {
            return Some((part, end, end));
        }
    }
    (is(s, q, b'z') && boundary(s, q + 1)).then_some((part, q, q + 1))
}

/// `\bnoon\b`, `\bmidnight\b`.
fn word_at(s: &[u8], p: usize) -> Option<(TimePart, usize)> {
    if !boundary(s, p) {
        return None;
    }
    [(&b"noon"[..], 12), (&b"midnight"[..], 0)]
        .into_iter()
        .find(|(word, _)| {
            s.get(p..p + word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
                && boundary(s, p + word.len())
        })
        .map(|(word, hour)| (clock(hour, 0, 0, None, true), p + word.len()))
}

/// `(?:[0-9?x]{1,2}|hh|--)[:.](?:[0-9?x]{2}|mm|--)|\?{2,}|\b(?:tbd|tba)\b`: where it
/// ends. The choices within each part start with different characters, and one
/// unknown digit fewer leaves an unknown digit where `[:.]` must be.
fn unknown_at(s: &[u8], p: usize) -> Option<usize> {
    let unknown_digit = |i: usize| matches!(byte(s, i), b'0'..=b'9' | b'?' | b'x' | b'X');
    let pair = |i: usize, c: u8| is(s, i, c) && is(s, i + 1, c);
    let digits = (0..2).take_while(|&k| unknown_digit(p + k)).count();
    let q = match digits {
        0 if pair(p, b'h') || pair(p, b'-') => Some(p + 2),
        0 => None,
        n => Some(p + n),
    };
    if let Some(q) = q.filter(|&q| matches!(byte(s, q), b':' | b'.')) {
        let r = q + 1;
        if (unknown_digit(r) && unknown_digit(r + 1)) || pair(r, b'm') || pair(r, b'-') {
            return Some(r + 2);
        }
    }
    if pair(p, b'?') {
        let marks = s[p..].iter().take_while(|&&b| b == b'?').count();
        return Some(p + marks);
    }
    let tb = is(s, p, b't') && is(s, p + 1, b'b') && (is(s, p + 2, b'd') || is(s, p + 2, b'a'));
    (tb && boundary(s, p) && boundary(s, p + 3)).then_some(p + 3)
}

/// After a time: `\s*(?:[ap]m\b|[ap]\.m\.?)` or `[ap]\b`, the meridiem and its end.
/// Fewer spaces cannot help (a space is not `[ap]`).
fn meridiem_at(s: &[u8], at: usize) -> Option<(Meridiem, usize)> {
    let mer = |i: usize| match byte(s, i).to_ascii_lowercase() {
        b'a' => Some(Meridiem::Am),
        b'p' => Some(Meridiem::Pm),
        _ => None,
    };
    let r = skip_spaces(s, at);
    if let Some(m) = mer(r) {
        if is(s, r + 1, b'm') && boundary(s, r + 2) {
            return Some((m, r + 2));
        }
        if byte(s, r + 1) == b'.' && is(s, r + 2, b'm') {
            let end = if byte(s, r + 3) == b'.' { r + 4 } else { r + 3 };
            return Some((m, end));
        }
    }
    mer(at).filter(|_| boundary(s, at + 1)).map(|m| (m, at + 1))
}

/// `\b\d{1,2}` at `p`: how many digits (two when there are more: one fewer leaves a
/// digit where the pattern wants something else).
fn hour_digits(s: &[u8], p: usize) -> Option<usize> {
    let n = (0..2)
        .take_while(|&k| byte(s, p + k).is_ascii_digit())
        .count();
    (n > 0 && boundary(s, p)).then_some(n)
}

fn two_digits(s: &[u8], i: usize) -> bool {
    byte(s, i).is_ascii_digit() && byte(s, i + 1).is_ascii_digit()
}

/// The byte at `i`; past the end a NUL, which no part of the pattern matches and
/// which, like the end, is not a word character.
fn byte(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// The byte at `i` is the ASCII letter `lower`, in either case.
fn is(s: &[u8], i: usize, lower: u8) -> bool {
    byte(s, i).to_ascii_lowercase() == lower
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    // `\s` in ASCII: space, \t, \n, \v, \f, \r.
    while matches!(byte(s, i), b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
        i += 1;
    }
    i
}

/// `\b` at `i`.
fn boundary(s: &[u8], i: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let before = i.checked_sub(1).is_some_and(|j| word(byte(s, j)));
    before != word(byte(s, i))
}

/// Up to two ASCII digits.
fn number(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agree(s: &str) {
        assert_eq!(by_hand(s.as_bytes()), by_regex(s), "{s:?}");
    }

    #[test]
    fn agrees_with_the_regex_on_tricky_labels() {
        for s in [
            "22:59",
            "9:05",
            "16:05:00",
            "0:25:59 AM",
            "10:45a",
            "12:29p",
            "17:14pm",
            "02.30 PM",
            "14h30",
            "1430Z",
            "1430z",
            "0900 hrs",
            "0900hr",
            "0900 hrsx",
            "1430Zulu",
            "noon",
            "Midnight",
            "noonish",
            "7pm",
            "9 a.m.",
            "9 a.m",
            "7p",
            "7 p",
            "7pmx",
            "123:45",
            "1:2",
            "12:345",
            "12:34:56.789 PM",
            "12:34:5",
            "12:34:56.",
            "2X:XX",
            "??:??",
            "???",
            "HH:mm",
            "hh:MM",
            "--:--",
            "-- : --",
            "TBD",
            "tba.",
            "tbdx",
            "x1:30",
            "a12:30",
            "_12:30",
            "12:30_",
            "2400",
            "2360Z",
            "1960Z",
            "24:00",
            "12:43 - 12:49",
            "between 02:00 and 02.30 PM",
            "16:05:57-16:05:58",
            "10:00-11:00",
            "1:1:1:1",
            "12 :30",
            "12:30 \t\x0b am",
            "12:30\ram",
            "99:99",
            "7 a.m.x",
            "07.5",
            "2.30pm",
            "x?:?x",
            "?x:xx",
            "1?:30",
            ":30",
            "12:",
            "",
            "-",
            "--",
            "h",
            "11h5",
            "11h05x",
            "12:30a.m.",
            "12:30 a.m..",
            "5a",
            "5 am",
            "5am5",
            "3am_",
            "0X:0X",
            "\0 12:00",
        ] {
            agree(s);
        }
    }

    #[test]
    fn other_text_goes_to_the_regex() {
        let s = "٢٣:٤٥ 22:59";
        assert_eq!(first_two(s), by_regex(s));
        assert_eq!(first_two("22:59 ſ 7pm"), by_regex("22:59 ſ 7pm"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn agrees_with_the_regex(s in "[0-9:. ?xXhHmMaApPzZrRsSnNoOiIgGtTbBdD_\\-\t]{0,16}") {
            prop_assert_eq!(by_hand(s.as_bytes()), by_regex(&s));
        }

        #[test]
        fn agrees_with_the_regex_on_time_like_text(
            s in "([0-2]?[0-9][:.h]?[0-5]?[0-9]?(:[0-9]{2})?( ?[aApP]\\.?[mM]?\\.?)?( ?hrs?| ?[zZ])?[ ,\\-]{0,2}|noon |midnight |tb[ad] |\\?\\?+|[xX?]{1,2}:[xX?]{2}){0,3}"
        ) {
            prop_assert_eq!(by_hand(s.as_bytes()), by_regex(&s));
        }
    }
}
