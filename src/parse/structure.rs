//! Line-level structure the markdown parser cannot be trusted with: code fences that
//! never close (and where to recover), stray fences, closing hashes that do not match,
//! HTML comments and raw HTML. Works on lines so every finding has its line.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::Rule;
use crate::model::Finding;

static FENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,8}(`{3,}|~{3,})(.*)$").expect("static regex"));
static BROKEN_CLOSER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,8}(`{1,2}|~{1,2})\s*$").expect("static regex"));
/// What [`is_atx`] reads by hand (kept to test it against).
#[cfg(test)]
static ATX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}#{1,6}[ \t]+\S").expect("static regex"));
static CLOSED_ATX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}(#{1,6})[ \t]+.*?\S[ \t]+(#+)[ \t]*$").expect("static regex")
});
static BLOCK_HTML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^ {0,3}<(script|iframe|style|div|span|table|img|details|summary|p|br|a|object|embed|form|input|svg|video|audio|center|font|pre|ul|ol|li|h[1-6])\b").expect("static regex")
});

/// What the line scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// 1-based lines at which to restart the markdown parser (recovery points).
    pub restarts: Vec<usize>,
    /// 1-based lines inside code fences (after recovery), not to be scanned for traps.
    pub in_code: Vec<bool>,
    pub findings: Vec<Finding>,
    /// The text has ATX or setext headings (otherwise it may be a plain-text report).
    pub has_headings: bool,
}

struct Open {
    line: usize,
    ch: char,
    len: usize,
    info: String,
}

/// Scan `lines` (the body, front matter blanked). `html`: the body has a `<`, which
/// comments and HTML blocks need (searched once for the whole body).
pub fn scan(lines: &[&str], html: bool) -> Scan {
    let mut scan = Scan {
        in_code: vec![false; lines.len() + 1],
        ..Scan::default()
    };
    let mut i = 0;
    let mut open: Option<Open> = None;
    while i < lines.len() {
        let line = lines[i];
        let n = i + 1;
        if let Some(o) = &open {
            if closes(line, o) {
                open = None;
            } else {
                scan.in_code[n] = true;
                if n == o.line + 1 && o.info.is_empty() && is_opener_with_info(line, o.ch) {
                    scan.findings.push(Rule::StrayFence.finding_with(
                        Some(o.line),
                        format!("stray fence line: the code block it opens swallows the `{}` fence on line {n}", line.trim()),
                        format!("delete line {}", o.line),
                    ));
                }
            }
            i += 1;
            if i == lines.len()
                && let Some(o) = open.take()
            {
                i = recover(lines, &o, &mut scan);
            }
            continue;
        }
        if let Some(c) = first_after_spaces(line, b"`~")
            .then(|| FENCE.captures(line))
            .flatten()
        {
            let fence = &c[1];
            let ch = fence.chars().next().unwrap_or('`');
            let info = c[2].trim().to_string();
            if !(ch == '`' && info.contains('`')) {
                open = Some(Open {
                    line: n,
                    ch,
                    len: fence.len(),
                    info,
                });
                i += 1;
                if i == lines.len()
                    && let Some(o) = open.take()
                {
                    i = recover(lines, &o, &mut scan);
                }
                continue;
            }
        }
        check_line(line, n, lines.get(i + 1).copied(), html, &mut scan);
        i += 1;
    }
    scan
}

/// An unclosed fence: resume after a broken closer (```` `` ````) or before the next
/// heading-like line; returns the 0-based index to continue scanning from.
fn recover(lines: &[&str], open: &Open, scan: &mut Scan) -> usize {
    let body = open.line..lines.len(); // 0-based indices after the opener
    let closer = body
        .clone()
        .find(|&j| BROKEN_CLOSER.is_match(lines[j]) && lines[j].trim().starts_with(open.ch));
    let heading = body.clone().find(|&j| is_atx(lines[j]));
    let (restart, how) = match (closer, heading) {
        (Some(c), h) if h.is_none_or(|h| c < h) => (
            c + 1,
            format!(
                "after the broken closing fence on line {} ({})",
                c + 1,
                lines[c].trim()
            ),
        ),
        (_, Some(h)) => (h, format!("at the heading-like line {}", h + 1)),
        _ => {
            scan.findings.push(Rule::UnclosedFence.finding_with(
                Some(open.line),
                "code fence is never closed; the rest of the file is code",
                format!(
                    "close the code block with a `{}` line",
                    open.ch.to_string().repeat(open.len)
                ),
            ));
            return lines.len();
        }
    };
    for j in restart..lines.len() {
        scan.in_code[j + 1] = false;
    }
    scan.restarts.push(restart + 1);
    scan.findings.push(Rule::UnclosedFence.finding_with(
        Some(open.line),
        format!("code fence is never closed; parsing resumed {how}"),
        format!(
            "close the code block with a `{}` line before line {}",
            open.ch.to_string().repeat(open.len),
            restart + 1
        ),
    ));
    restart
}

fn closes(line: &str, open: &Open) -> bool {
    let t = line.trim();
    t.len() >= open.len
        && t.chars().all(|c| c == open.ch)
        && line.len() - line.trim_start().len() <= 8
}

/// Whether the first byte after leading spaces is one of `bytes`: every line-start
/// pattern here needs that, so the regex is skipped otherwise.
fn first_after_spaces(line: &str, bytes: &[u8]) -> bool {
    starts_with_any(line.trim_start_matches(' '), bytes)
}

fn starts_with_any(s: &str, bytes: &[u8]) -> bool {
    s.as_bytes().first().is_some_and(|b| bytes.contains(b))
}

fn is_opener_with_info(line: &str, ch: char) -> bool {
    first_after_spaces(line, b"`~")
        && FENCE
            .captures(line)
            .is_some_and(|c| c[1].starts_with(ch) && !c[2].trim().is_empty())
}

fn check_line(line: &str, n: usize, next: Option<&str>, html: bool, scan: &mut Scan) {
    if is_atx(line) {
        scan.has_headings = true;
        if let Some((open, close)) = closed_atx(line) {
            if open != close {
                scan.findings.push(Rule::HeadingHashes.finding_with(
                    Some(n),
                    format!("heading opens with {open} `#` but closes with {close}"),
                    format!("use {} closing `#` or none", open),
                ));
            }
        }
    } else if !line.trim().is_empty() && next.is_some_and(is_setext_underline) {
        scan.has_headings = true;
    }
    if !html {
        return;
    }
    // A byte search first: `str::contains` on a string sets up a two-way search.
    if line.as_bytes().contains(&b'<') && line.contains("<!--") {
        scan.findings.push(Rule::HtmlComment.finding(
            Some(n),
            "HTML comment (hidden when rendered; often left over from a template)",
        ));
    } else if first_after_spaces(line, b"<") && BLOCK_HTML.is_match(line) {
        scan.findings
            .push(Rule::RawHtml.finding(Some(n), "raw HTML block (rendered sanitized)"));
    }
}

/// An ATX heading line, `^ {0,3}#{1,6}[ \t]+\S`: up to three spaces, one to six `#`,
/// spaces or tabs, then a character that is not white space.
fn is_atx(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return false;
    }
    let rest = &rest[hashes..];
    let text = rest.trim_start_matches([' ', '\t']);
    text.len() < rest.len() && text.starts_with(|c: char| !c.is_whitespace())
}

/// [`CLOSED_ATX`] by hand: the lengths of the opening and closing `#` runs of a
/// heading closed with hashes (`## Title ##`). The regex's parts can only fall one
/// way: the closing run is the last run of `#` before trailing spaces and tabs, the
/// spaces and tabs before it all belong to `[ \t]+`, and the character before those
/// is the `\S`, which must come after the opening run's spaces.
fn closed_atx(line: &str) -> Option<(usize, usize)> {
    if line.contains('\n') {
        // `.` stops at a line break; the lines scanned here have none.
        return CLOSED_ATX.captures(line).map(|c| (c[1].len(), c[2].len()));
    }
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent.min(3)..];
    let open = rest.len() - rest.trim_start_matches('#').len();
    let body = indent + open;
    if indent > 3 || !(1..=6).contains(&open) || !line[body..].starts_with([' ', '\t']) {
        return None;
    }
    let tail = line.trim_end_matches([' ', '\t']);
    let text = tail.trim_end_matches('#');
    let close = tail.len() - text.len();
    let before = text.trim_end_matches([' ', '\t']);
    if close == 0 || before.len() == text.len() {
        return None;
    }
    let last = before.chars().next_back()?;
    let last_start = before.len() - last.len_utf8();
    (!last.is_whitespace() && last_start > body).then_some((open, close))
}

fn is_setext_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.chars().all(|c| c == '=')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<&str> {
        s.lines().collect()
    }

    fn scan(lines: &[&str]) -> Scan {
        super::scan(lines, lines.iter().any(|l| l.contains('<')))
    }

    #[test]
    fn atx_agrees_with_its_regex() {
        for line in [
            "# a",
            "#a",
            "   # a",
            "    # a",
            "####### a",
            "###### a",
            "#\ta",
            "# ",
            "#  \u{a0}x",
            "#\u{b}x",
            "# \u{b}x",
            "## é",
            "##",
            "",
            " ",
            "#\t\tx",
            "\t# a",
            "# #",
            "#   ##",
        ] {
            assert_eq!(is_atx(line), ATX.is_match(line), "{line:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn atx_agrees_with_its_regex_on_any_line(line in "[ #\ta\u{a0}\u{b}é]{0,12}") {
            proptest::prop_assert_eq!(is_atx(&line), ATX.is_match(&line));
        }
    }

    #[test]
    fn closed_atx_agrees_with_its_regex() {
        let regex = |l: &str| CLOSED_ATX.captures(l).map(|c| (c[1].len(), c[2].len()));
        for line in [
            "## a ##",
            "# a #",
            "# #",
            "## ##",
            "#  #",
            "# a#",
            "# a ##b #",
            "# \u{a0} #",
            "# é #",
            "### March 12 19:57 ##",
            "## 23:27 ##  ",
            "#\ta\t#\t",
            "    # a #",
            "   # a #",
            "####### a #",
            "#a #",
            "# a #\r",
            "# a # #",
            "# a\u{b} #",
            "#\t#\t#",
        ] {
            assert_eq!(closed_atx(line), regex(line), "{line:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn closed_atx_agrees_with_its_regex_on_any_line(line in "[ #\ta\u{a0}\u{b}é]{0,12}") {
            let regex = CLOSED_ATX.captures(&line).map(|c| (c[1].len(), c[2].len()));
            proptest::prop_assert_eq!(closed_atx(&line), regex);
        }
    }

    #[test]
    fn unclosed_fence_recovers_after_broken_closer() {
        let s = scan(&lines(
            "### 15:15\n\n```\ntaints:\n``\n\nprose\n\n### 15:33\n\ntext\n",
        ));
        assert_eq!(s.restarts, vec![6]);
        assert_eq!(s.findings[0].rule, "structure/unclosed-fence");
        assert_eq!(s.findings[0].line, Some(3));
        assert!(!s.in_code[7]);
    }

    #[test]
    fn unclosed_fence_recovers_at_heading() {
        let s = scan(&lines("text\n```\ncode\n## Next\nmore\n"));
        assert_eq!(s.restarts, vec![4]);
    }

    #[test]
    fn closed_fences_are_fine_and_stray_fences_reported() {
        assert!(scan(&lines("```bash\nx\n```\n")).findings.is_empty());
        let s = scan(&lines("```\n```bash\nsqlite3\n```\n"));
        assert_eq!(s.findings[0].rule, "structure/stray-fence");
        assert_eq!(s.findings[0].line, Some(1));
    }

    #[test]
    fn heading_hashes_mismatch() {
        let s = scan(&lines("### March 12 19:57 ##\n## 23:27 ##\n"));
        assert_eq!(s.findings.len(), 1);
        assert_eq!(s.findings[0].line, Some(1));
        assert!(s.has_headings);
    }

    #[test]
    fn html_is_reported_outside_code_only() {
        let s = scan(&lines(
            "<!-- template -->\n```\n<div>\n```\n<script>alert(1)</script>\n",
        ));
        let rules: Vec<_> = s
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.line))
            .collect();
        assert_eq!(
            rules,
            [
                ("structure/html-comment", Some(1)),
                ("structure/raw-html", Some(5))
            ]
        );
    }
}
