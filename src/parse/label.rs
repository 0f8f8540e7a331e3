//! Recognising a time or date label at the start of a heading, list item, table
//! cell or line: `22:59`, `March 6 2017 22:59`, `2:54 PM PST`, `{{ 06:10 }}`,
//! `2019-01-19 Saturday`, `~16:05:57-58`. Capture only: resolving the label to an
//! instant is the timeline stage's job.

use std::sync::LazyLock;

use regex_automata::{Anchored, Input, meta};

use super::{label_marks, label_words};

/// What a label found at the start of a string holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label as written, trimmed of surrounding brackets and separators.
    pub text: String,
    /// Byte length of the prefix consumed (label, wrappers and separator).
    pub consumed: usize,
    /// The label has a clock time (`14:30`, `7p`), not only a date or weekday.
    pub has_time: bool,
    /// The label has a calendar date (`2019-01-19`, `March 6`).
    pub has_date: bool,
    /// A separator (`:`, ` - `, `|`, `]`) or the end of the string followed the label.
    pub separated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Time,
    Date,
    Month,
    Day,
    Year,
    Weekday,
    WeekdayAbbr,
    AmPm,
    Zone,
    Connector,
    Approx,
    Comma,
}

/// The token shapes, tried in this order at each position (the first that matches wins).
const TOKEN_PATTERNS: &[(Tok, &str)] = &[
    // ISO date-time (`2019-01-23T16:08:30Z`), then dates.
    (
        Tok::Date,
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b",
    ),
    (Tok::Date, r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"),
    (Tok::Date, r"^\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"),
    (Tok::Date, r"^\d{1,2}\.\d{1,2}\.\d{4}\b"),
    // Clock times: `22:59`, `0:25:59`, `16:05:57-58`, `2X:XX`, `??:??`, `HH:mm`, `--:--`, `02.30`.
    (
        Tok::Time,
        r"^(?:[0-9Xx?]{1,2}|HH|hh):(?:[0-9Xx?]{2}|mm|MM)(?::(?:[0-9Xx?]{2}|ss)(?:-\d{2}\b)?)?(?:\s?(?i:a\.m\.|p\.m\.|am|pm|a|p)\b)?",
    ),
    (Tok::Time, r"^--:--(?::--)?"),
    (Tok::Time, r"^\?{2,}(?::\?{2,})?"),
    (
        Tok::Time,
        r"^(?:[01]?\d|2[0-3])\.[0-5]\d(?:\s?(?i:am|pm|a\.m\.|p\.m\.))?(?:\b|$)",
    ),
    (
        Tok::Time,
        r"^(?:1[0-2]|0?\d)\s?(?i:am|pm|a\.m\.|p\.m\.|a|p)\b",
    ),
    (Tok::Time, r"^(?:[01]\d|2[0-3])[0-5]\d\s?(?:h|hrs|Z)\b"),
    (
        Tok::Weekday,
        r"^(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    ),
    (
        Tok::WeekdayAbbr,
        r"^(?i:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?",
    ),
    (
        Tok::Month,
        r"^(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?",
    ),
    (Tok::Year, r"^(?:19|20)\d{2}\b"),
    (Tok::Day, r"^(?:[12]\d|3[01]|0?[1-9])(?i:st|nd|rd|th)?\b\.?"),
    (Tok::Date, r"^\d{2}-\d{2}\b"),
    (Tok::AmPm, r"^(?i:a\.m\.|p\.m\.|am|pm)\b"),
    (Tok::Zone, r"^(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?\b"),
    (
        Tok::Zone,
        r"^(?:US|Europe|America|Asia|Australia|Africa|Pacific|Etc)/[A-Za-z_]+(?:/[A-Za-z_]+)?",
    ),
    (
        Tok::Zone,
        r"^(?:UTC|GMT|Z|[A-Z]{1,3}[SD]T|CET|CEST|EET|EEST|WET|WEST|MSK|IST|BST|HKT|SGT|ICT|WIB|KST|JST|AEST|AEDT|ACST|NZST|NZDT|ART|BRT)\b",
    ),
    (
        Tok::Approx,
        r"^(?:~|≈|\+/-|(?i:ca\.|circa|around|about|approx\.?|approximately|roughly|between|from|until|till|at|by|before|after|since|on|starting))(?:\b|\s|$)",
    ),
    (
        Tok::Connector,
        r"^(?:-|–|—|to\b|and\b|until\b|till\b|through\b|of\b|the\b)",
    ),
    (Tok::Comma, r"^,"),
];

/// All token shapes in one multi-pattern regex: one search per position instead of one
/// per shape. Leftmost-first semantics pick the earliest shape that matches, as trying
/// them in order would, and the match says which shape it was.
static TOKENS: LazyLock<meta::Regex> = LazyLock::new(|| {
    let patterns: Vec<&str> = TOKEN_PATTERNS.iter().map(|(_, re)| *re).collect();
    meta::Regex::new_many(&patterns).expect("static label regex")
});

/// Find a time/date label at the start of `s`. Returns `None` unless the prefix holds
/// a clock time, a calendar date (numeric, or month and day) or a weekday name.
pub fn scan(s: &str) -> Option<Label> {
    let open = label_marks::open(s).unwrap_or(0);
    let braces = s.starts_with("{{");
    let mut pos = open;
    let mut last_end = None; // end of the last token that can finish a label
    let mut kinds = Kinds::default();
    loop {
        let ws = s[pos..].len() - s[pos..].trim_start().len();
        let rest = &s[pos + ws..];
        let Some((tok, len)) = next_token(rest) else {
            break;
        };
        pos += ws + len;
        kinds.add(tok);
        if !matches!(tok, Tok::Connector | Tok::Approx | Tok::Comma) {
            last_end = Some(pos);
        }
    }
    let end = last_end?;
    let has_time = kinds.contains(&Tok::Time);
    let has_month_day =
        kinds.contains(&Tok::Month) && (kinds.contains(&Tok::Day) || kinds.contains(&Tok::Year));
    let has_date = kinds.contains(&Tok::Date) || has_month_day;
    let has_weekday = kinds.contains(&Tok::Weekday)
        || (kinds.contains(&Tok::WeekdayAbbr) && (has_date || has_time));
    if !(has_time || has_date || has_weekday) {
        return None;
    }
    let mut label_start = open;
    let mut label_end = end;
    let mut consumed = end;
    // Template braces stay in the label (`{{ 06:10 }}`); brackets and emphasis do not.
    if let Some(len) = label_marks::close(&s[end..]) {
        consumed = end + len;
        if braces && s[end..consumed].trim() == "}}" {
            label_start = 0;
            label_end = consumed;
        }
    } else if braces {
        label_start = 0;
    }
    let sep = label_marks::separator(&s[consumed..]);
    let separated = sep.is_some();
    if let Some(len) = sep {
        consumed += len;
    }
    consumed += s[consumed..].len() - s[consumed..].trim_start().len();
    let text = s[label_start..label_end]
        .trim()
        .trim_end_matches([',', ':'])
        .to_string();
    Some(Label {
        text,
        consumed,
        has_time,
        has_date,
        separated,
    })
}

/// The token kinds seen, as bits (only which kinds occur matters).
#[derive(Default)]
struct Kinds(u16);

impl Kinds {
    fn add(&mut self, tok: Tok) {
        self.0 |= 1 << tok as u16;
    }

    fn contains(&self, tok: &Tok) -> bool {
        self.0 & (1 << *tok as u16) != 0
    }
}

fn next_token(rest: &str) -> Option<(Tok, usize)> {
    // Every shape starts with an ASCII letter or digit, `?`, `-`, `~`, `+`, `,` or a
    // non-ASCII character (`≈`, dashes, Unicode digits, `ſ` folding to `s`): no other
    // byte can start a token, so skip the search.
    let first = *rest.as_bytes().first()?;
    if !(first.is_ascii_alphanumeric() || first >= 0x80 || b"?-~+,".contains(&first)) {
        return None;
    }
    if first.is_ascii_alphabetic() && !label_words::may_start_token(rest) {
        return None;
    }
    let m = TOKENS.find(Input::new(rest).anchored(Anchored::Yes))?;
    let (tok, _) = TOKEN_PATTERNS.get(m.pattern().as_usize())?;
    let len = m.end();
    (len > 0).then_some((*tok, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(s: &str) -> Option<String> {
        scan(s).map(|l| l.text)
    }

    proptest::proptest! {
        /// The letter guard lets through every token the search finds.
        #[test]
        fn letter_guard_passes_every_token(
            s in "(monday|Mon|TUES|thurs|sept|September|MAY|june|a|p|AM|p\\.m\\.|x|XX|Hh|ca\\.|circa|approx|Approximately|roughly|between|At|by|on|starting|to|and|of|the|US|Europe|Etc|UTC|GMT|PST|NZST|CEST|Z|ſ|K|é|[a-zA-Z]|[0-9]|[/:.?, -]){1,5}",
        ) {
            let tokens = TOKENS.find(Input::new(&s).anchored(Anchored::Yes));
            let starts_with_letter = s.as_bytes()[0].is_ascii_alphabetic();
            proptest::prop_assert!(
                !(starts_with_letter && tokens.is_some_and(|m| m.end() > 0))
                    || label_words::may_start_token(&s)
            );
        }
    }

    #[test]
    fn heading_labels() {
        assert_eq!(label("22:59").as_deref(), Some("22:59"));
        assert_eq!(
            label("March 6 2017 22:59").as_deref(),
            Some("March 6 2017 22:59")
        );
        assert_eq!(
            label("2018-01-26 15:00").as_deref(),
            Some("2018-01-26 15:00")
        );
        assert_eq!(
            label("2019-01-19 Saturday:").as_deref(),
            Some("2019-01-19 Saturday")
        );
        assert_eq!(label("Thursday").as_deref(), Some("Thursday"));
        assert_eq!(
            label("2017-02-09 00:25 - 00:29 AM").as_deref(),
            Some("2017-02-09 00:25 - 00:29 AM")
        );
        assert_eq!(label("1:28 AM").as_deref(), Some("1:28 AM"));
        assert_eq!(
            label("March 22, around 19:30").as_deref(),
            Some("March 22, around 19:30")
        );
        assert_eq!(label("Mar 23, 09:08").as_deref(), Some("Mar 23, 09:08"));
        assert_eq!(
            label("May 1 2019, 3:18 PM").as_deref(),
            Some("May 1 2019, 3:18 PM")
        );
        assert_eq!(
            label("19. April, 11:00").as_deref(),
            Some("19. April, 11:00")
        );
        assert_eq!(
            label("Wednesday 2019-01-30 - 08:35").as_deref(),
            Some("Wednesday 2019-01-30 - 08:35")
        );
        assert_eq!(
            label("2017-05-09 10:45a").as_deref(),
            Some("2017-05-09 10:45a")
        );
        assert_eq!(label("12:29p").as_deref(), Some("12:29p"));
        assert_eq!(label("16:05:57-58").as_deref(), Some("16:05:57-58"));
        assert_eq!(
            label("~16:06:00 - 16:16:00").as_deref(),
            Some("~16:06:00 - 16:16:00")
        );
    }

    #[test]
    fn template_braces_are_kept() {
        assert_eq!(label("{{ 06:10 }}").as_deref(), Some("{{ 06:10 }}"));
        assert_eq!(
            label("{{ 2022-01-20 Between 02:00 and 02.30 PM }}").as_deref(),
            Some("{{ 2022-01-20 Between 02:00 and 02.30 PM }}")
        );
    }

    #[test]
    fn prefixes_with_text_after() {
        let l = scan("[08:47] Prow's bump PR is merged").unwrap();
        assert_eq!(l.text, "08:47");
        assert_eq!(
            &"[08:47] Prow's bump PR is merged"[l.consumed..],
            "Prow's bump PR is merged"
        );
        let l = scan("2:54 PM PST: config change merged").unwrap();
        assert_eq!(l.text, "2:54 PM PST");
        assert!(l.separated);
        let l = scan("2024-03-05 Data8 outage").unwrap();
        assert_eq!(l.text, "2024-03-05");
        assert!(!l.separated);
    }

    #[test]
    fn not_labels() {
        for s in [
            "Over spring break week",
            "At 5000, the hub",
            "May we",
            "2.5K 503 errors",
            "v0.6 chart",
            "1. We inform",
        ] {
            assert_eq!(label(s), None, "{s}");
        }
    }

    #[test]
    fn unknown_times_are_labels() {
        assert_eq!(label("2X:XX").as_deref(), Some("2X:XX"));
        assert_eq!(label("??:??").as_deref(), Some("??:??"));
        assert_eq!(label("[???] IOPS reached").as_deref(), Some("???"));
        assert_eq!(
            label("2019-12-03 --:--").as_deref(),
            Some("2019-12-03 --:--")
        );
    }
}
