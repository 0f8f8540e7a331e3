//! Section headings → kinds, by alias ("Root cause(s)", "Timeline (if relevant)",
//! "Follow-ups", "Lessons learnt", …).

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

/// The kind a heading's text names, or `Other`.
pub fn classify(heading: &str) -> SectionKind {
    let norm = normalize(heading);
    if norm.is_empty() {
        return SectionKind::Other;
    }
    let first = norm.as_bytes().first();
    let mut best: Option<(usize, SectionKind)> = None;
    for (kind, aliases) in ALIASES {
        // Equal or a prefix: the first byte must agree, which rules out most aliases.
        for alias in aliases.iter().filter(|a| a.as_bytes().first() == first) {
            let matches = norm == *alias
                || norm
                    .strip_prefix(alias)
                    .is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric()));
            if matches && best.is_none_or(|(len, _)| alias.len() > len) {
                best = Some((alias.len(), *kind));
            }
        }
    }
    best.map_or(SectionKind::Other, |(_, kind)| kind)
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
    let mut s = heading
        .trim()
        .trim_matches(|c: char| c == '#' || c == '*' || c == '_')
        .trim()
        .to_lowercase();
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
    let s = s.trim().trim_end_matches([':', '.']).trim();
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
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

    #[test]
    fn plain_text_section_names() {
        assert!(is_section_name("Summary"));
        assert!(is_section_name("Action items"));
        assert!(!is_section_name("The summary of what happened"));
    }
}
