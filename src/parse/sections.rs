//! Section headings → kinds, by alias ("Root cause(s)", "Timeline (if relevant)",
//! "Follow-ups", "Lessons learnt", …).

use std::sync::LazyLock;

use crate::model::SectionKind;

/// Aliases by kind: a heading matches when its normalized text equals an alias or
/// starts with one followed by a non-letter ("Timeline (UTC)", "Impact:").
const ALIASES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Timeline,
        &[
            "timeline",
            "incident timeline",
            "time line",
            "chronology",
            "sequence of events",
            "detailed timeline",
            "timeline of events",
            "events",
            "event log",
        ],
    ),
    (
        SectionKind::Summary,
        &[
            "summary",
            "executive summary",
            "incident summary",
            "overview",
            "tl;dr",
            "tldr",
            "what happened",
            "description",
            "incident description",
            "abstract",
        ],
    ),
    (
        SectionKind::Impact,
        &[
            "impact",
            "user impact",
            "customer impact",
            "business impact",
            "impact assessment",
            "scope",
            "affected services",
            "user facing impact",
        ],
    ),
    (
        SectionKind::RootCause,
        &[
            "root cause",
            "root causes",
            "root cause(s)",
            "root cause analysis",
            "rca",
            "cause",
            "causes",
            "trigger",
            "technical cause",
            "underlying cause",
        ],
    ),
    (
        SectionKind::ContributingFactors,
        &[
            "contributing factors",
            "contributing factor",
            "contributing factor(s)",
            "factors",
        ],
    ),
    (
        SectionKind::Detection,
        &["detection", "how was it detected", "discovery"],
    ),
    (
        SectionKind::Resolution,
        &[
            "resolution",
            "recovery",
            "resolution and recovery",
            "how it was fixed",
            "fix",
            "response",
        ],
    ),
    (
        SectionKind::Conclusion,
        &[
            "conclusion",
            "conclusions",
            "closing thoughts",
            "final thoughts",
        ],
    ),
    (
        SectionKind::LessonsLearned,
        &[
            "lessons learned",
            "lessons learnt",
            "lessons",
            "learnings",
            "takeaways",
            "key takeaways",
            "what we learned",
            "what we learnt",
        ],
    ),
    (
        SectionKind::WhatWentWell,
        &["what went well", "things that went well", "what went right"],
    ),
    (
        SectionKind::WhatWentWrong,
        &[
            "what went wrong",
            "what went poorly",
            "what went badly",
            "what didn't go well",
            "things that could have gone better",
            "what could have gone better",
        ],
    ),
    (
        SectionKind::ActionItems,
        &[
            "action items",
            "action item",
            "action item(s)",
            "actions",
            "action plan",
            "follow-ups",
            "follow ups",
            "followups",
            "follow-up",
            "follow up",
            "follow-up actions",
            "follow-up items",
            "next steps",
            "mitigations",
            "mitigation",
            "remediation",
            "remediations",
            "remediation items",
            "corrective actions",
            "corrective and preventive actions",
            "preventive actions",
            "preventative actions",
            "preventive measures",
            "prevention",
            "todo",
            "to do",
            "to-do",
            "action items and follow-ups",
            "improvements",
        ],
    ),
];

/// [`ALIASES`] by their first byte, in table order (ties go to the earlier alias).
static BY_FIRST_BYTE: LazyLock<Vec<Vec<(&str, SectionKind)>>> = LazyLock::new(|| {
    let mut table = vec![Vec::new(); 256];
    for (kind, aliases) in ALIASES {
        for alias in *aliases {
            let first = alias.as_bytes().first().copied().unwrap_or(0);
            if let Some(slot) = table.get_mut(usize::from(first)) {
                slot.push((*alias, *kind));
            }
        }
    }
    table
});

/// The kind a heading's text names, or `Other`.
pub fn classify(heading: &str) -> SectionKind {
    match simple_form(heading) {
        Some(form) => kind_of(form),
        None => kind_of(&normalize(heading)),
    }
}

/// The kind named by a normalized heading, compared without regard to ASCII case (the
/// aliases are lower case; `normalize` lower-cases, the simple form does not).
fn kind_of(norm: &str) -> SectionKind {
    let Some(&first) = norm.as_bytes().first() else {
        return SectionKind::Other;
    };
    let mut best: Option<(usize, SectionKind)> = None;
    // Equal or a prefix: only aliases with the same first byte can be either.
    let candidates = BY_FIRST_BYTE
        .get(usize::from(first.to_ascii_lowercase()))
        .into_iter()
        .flatten();
    for &(alias, kind) in candidates {
        let rest = norm
            .get(..alias.len())
            .filter(|head| head.eq_ignore_ascii_case(alias))
            .map(|_| &norm[alias.len()..]);
        let matches = rest.is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric())
        });
        if matches && best.is_none_or(|(len, _)| alias.len() > len) {
            best = Some((alias.len(), kind));
        }
    }
    best.map_or(SectionKind::Other, |(_, kind)| kind)
}

/// Most headings (`## Root Cause`) normalize to themselves trimmed, but for ASCII case:
/// ASCII text with single spaces, no `(` and no numbering. That text, borrowed; `None`
/// for any other heading, which [`normalize`] reads.
fn simple_form(heading: &str) -> Option<&str> {
    let t = heading
        .trim()
        .trim_matches(|c: char| c == '#' || c == '*' || c == '_')
        .trim();
    let b = t.as_bytes();
    let plain = b.iter().all(|&c| {
        c.is_ascii() && c != b'(' && !matches!(c, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
    });
    let single_spaced = !b.windows(2).any(|w| w == b"  ");
    let head = t.split(' ').next().unwrap_or(t);
    let numbered = t.contains(' ') && head.ends_with(['.', ')']);
    (plain && single_spaced && !numbered).then(|| t.trim_end_matches([':', '.']).trim_end())
}

/// Whether a plain-text line on its own is a known section name (seed `002`).
pub fn is_section_name(line: &str) -> bool {
    // Length first: most lines are long, and normalizing allocates.
    line.trim().len() <= 40 && {
        let norm = normalize(line);
        ALIASES
            .iter()
            .any(|(_, aliases)| aliases.contains(&norm.as_str()))
    }
}

/// Lower-case, drop numbering, markup, trailing colons and parentheticals such as
/// "(if relevant)", and collapse spaces.
fn normalize(heading: &str) -> String {
    let t = heading
        .trim()
        .trim_matches(|c: char| c == '#' || c == '*' || c == '_')
        .trim();
    // The same lower case for ASCII text, without a lookup per character.
    let mut s = match t.is_ascii() {
        true => t.to_ascii_lowercase(),
        false => t.to_lowercase(),
    };
    // Leading numbering: "1.", "2)", "iv.", "a)".
    if let Some((head, rest)) = s.split_once([' ', '\t']) {
        let h = head.trim_end_matches(['.', ')']);
        if head.len() > h.len()
            && h.len() <= 4
            && h.chars().all(|c| c.is_ascii_digit() || "ivx".contains(c))
        {
            s = rest.trim().to_string();
        }
    }
    if s.contains('(') {
        for noise in ["(if relevant)", "(optional)", "(if any)", "(if applicable)"] {
            s = s.replace(noise, "");
        }
    }
    let end = s.trim_end().trim_end_matches([':', '.']).trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    // Words already apart by single spaces (nearly always): the text as it is.
    let single_spaced = s[start..]
        .split(' ')
        .all(|w| !w.is_empty() && !w.contains(char::is_whitespace));
    if single_spaced || s[start..].is_empty() {
        s.drain(..start);
        return s;
    }
    let mut out = String::with_capacity(s.len());
    for word in s[start..].split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases() {
        assert_eq!(classify("Timeline"), SectionKind::Timeline);
        assert_eq!(classify("Timeline (if relevant)"), SectionKind::Timeline);
        assert_eq!(classify("## Timeline ##"), SectionKind::Timeline);
        assert_eq!(classify("Root cause(s)"), SectionKind::RootCause);
        assert_eq!(classify("Root Causes"), SectionKind::RootCause);
        assert_eq!(classify("Lessons learnt"), SectionKind::LessonsLearned);
        assert_eq!(classify("Action Items"), SectionKind::ActionItems);
        assert_eq!(classify("Follow-ups"), SectionKind::ActionItems);
        assert_eq!(classify("Mitigations"), SectionKind::ActionItems);
        assert_eq!(classify("What went poorly"), SectionKind::WhatWentWrong);
        assert_eq!(
            classify("Contributing Factors"),
            SectionKind::ContributingFactors
        );
        assert_eq!(classify("2. Impact:"), SectionKind::Impact);
        assert_eq!(classify("Process"), SectionKind::Other);
        assert_eq!(classify("Eventsourcing bug"), SectionKind::Other);
    }

    /// `normalize` as it was before its fast paths, to test them against.
    fn normalize_before(heading: &str) -> String {
        let mut s = heading
            .trim()
            .trim_matches(|c: char| c == '#' || c == '*' || c == '_')
            .trim()
            .to_lowercase();
        if let Some((head, rest)) = s.split_once([' ', '\t']) {
            let h = head.trim_end_matches(['.', ')']);
            if head.len() > h.len()
                && h.len() <= 4
                && h.chars().all(|c| c.is_ascii_digit() || "ivx".contains(c))
            {
                s = rest.trim().to_string();
            }
        }
        if s.contains('(') {
            for noise in ["(if relevant)", "(optional)", "(if any)", "(if applicable)"] {
                s = s.replace(noise, "");
            }
        }
        let s = s.trim().trim_end_matches([':', '.']).trim();
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// `classify` before its simple form, to test it against.
    fn classify_before(heading: &str) -> SectionKind {
        let norm = normalize(heading);
        let Some(&first) = norm.as_bytes().first() else {
            return SectionKind::Other;
        };
        let mut best: Option<(usize, SectionKind)> = None;
        let candidates = BY_FIRST_BYTE.get(usize::from(first)).into_iter().flatten();
        for &(alias, kind) in candidates {
            let matches = norm == alias
                || norm
                    .strip_prefix(alias)
                    .is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric()));
            if matches && best.is_none_or(|(len, _)| alias.len() > len) {
                best = Some((alias.len(), kind));
            }
        }
        best.map_or(SectionKind::Other, |(_, kind)| kind)
    }

    proptest::proptest! {
        #[test]
        fn classify_agrees_with_its_plain_form(
            heading in "([ #*_:.)(\t\u{a0}ivx1é]|Root|CAUSE|cause|s|Timeline|time|line|Action|items|Follow|-|ups|tl;dr|what|went|WELL|(if any)|of events|Summary|İ|K){0,8}"
        ) {
            proptest::prop_assert_eq!(classify(&heading), classify_before(&heading));
        }

        #[test]
        fn normalize_agrees_with_its_plain_form(
            heading in "[ #*_aBİ1.)(:\t\u{a0}ivx]{0,10}( ?\\(if any\\))?[ :.]{0,2}"
        ) {
            proptest::prop_assert_eq!(normalize(&heading), normalize_before(&heading));
        }
    }

    #[test]
    fn plain_text_section_names() {
        assert!(is_section_name("Summary"));
        assert!(is_section_name("Action items"));
        assert!(!is_section_name("The summary of what happened"));
    }
}
