//! Plain-text reports (no `#` at all): turn their implicit structure into markdown,
//! line for line, so line numbers stay true. The first line is the title, a short
//! line that is a known section name is a section heading, a date or time alone on a
//! line in the timeline is an entry heading, and a short line in the action items
//! names a group.

use super::{label, sections};
use crate::model::SectionKind;

/// Whether a body with no markdown headings reads as a plain-text report: it has at
/// least one line that is a known section name on its own.
pub fn looks_plain(lines: &[&str]) -> bool {
    lines
        .iter()
        .filter(|l| sections::is_section_name(l))
        .count()
        >= 1
}

/// Rewrite a plain-text report as markdown with the same number of lines.
pub fn to_markdown(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut section = SectionKind::Other;
    let mut titled = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let next_nonempty = lines.get(i + 1).is_some_and(|l| !l.trim().is_empty());
        let converted = if line.is_empty() {
            None
        } else if sections::is_section_name(line) {
            section = sections::classify(line);
            titled = true;
            Some(format!("## {line}"))
        } else if !titled {
            titled = true;
            Some(format!("# {line}"))
        } else if (section == SectionKind::Timeline && is_label_line(line))
            || (section == SectionKind::ActionItems && is_group_line(line) && next_nonempty)
        {
            Some(format!("### {line}"))
        } else {
            None
        };
        out.push_str(converted.as_deref().unwrap_or(raw));
        out.push('\n');
    }
    out
}

/// A date or time alone on a line (`2018-01-25 14:30`, `15:30`).
fn is_label_line(line: &str) -> bool {
    label::scan(line).is_some_and(|l| l.consumed >= line.len() && (l.has_time || l.has_date))
}

/// A short line naming a group of action items (`Process`, `Monitoring`).
fn is_group_line(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words <= 5
        && !line.ends_with(['.', ',', ';', '!', '?'])
        && !line.starts_with(['-', '*', '+', '>', '|'])
        && !line.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_seed_002_shape() {
        let text = "Accidental merge\nSummary\nOn January 25.\nTimeline\n2018-01-25 14:30\nThe chart.\n15:30\nAgain.\nAction items\nProcess\n- Admins should.\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(looks_plain(&lines));
        let md = to_markdown(&lines);
        let expected = "# Accidental merge\n## Summary\nOn January 25.\n## Timeline\n### 2018-01-25 14:30\nThe chart.\n### 15:30\nAgain.\n## Action items\n### Process\n- Admins should.\n";
        assert_eq!(md, expected);
    }
}
