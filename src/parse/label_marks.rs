//! The marks around a label, read by hand (a regex search costs more than the label's
//! other reading): an opening bracket or emphasis, its closing mark, the separator after.

/// `{{`, `[`, `(`, `**`, `__`, `*`, `_` or a backtick at the start of `s`, and the
/// spaces after it: the bytes they span.
pub fn open(s: &str) -> Option<usize> {
    let mark = match s.as_bytes() {
        [b'{', b'{', ..] | [b'*', b'*', ..] | [b'_', b'_', ..] => 2,
        [b'[' | b'(' | b'*' | b'_' | b'`', ..] => 1,
        _ => return None,
    };
    Some(mark + spaces(&s[mark..]))
}

/// Spaces, then `}}`, `]`, `)`, `**`, `__`, `*`, `_` or a backtick: the bytes spanned.
pub fn close(s: &str) -> Option<usize> {
    let ws = spaces(s);
    let mark = match &s.as_bytes()[ws..] {
        [b'}', b'}', ..] | [b'*', b'*', ..] | [b'_', b'_', ..] => 2,
        [b']' | b')' | b'*' | b'_' | b'`', ..] => 1,
        _ => return None,
    };
    Some(ws + mark)
}

/// Spaces, a separator (`:`, `-`, `–`, `—`, `|`, `=>`, `>`; `->` reads as `-`) and
/// spaces; or nothing but spaces: the bytes spanned.
pub fn separator(s: &str) -> Option<usize> {
    let ws = spaces(s);
    let rest = &s[ws..];
    let mark = match rest.as_bytes() {
        [] => return Some(ws),
        [b':' | b'-' | b'|' | b'>', ..] => 1,
        [b'=', b'>', ..] => 2,
        _ if rest.starts_with(['–', '—']) => 3,
        _ => return None,
    };
    Some(ws + mark + spaces(&rest[mark..]))
}

/// The length of the whitespace (`\s`: Unicode) `s` starts with.
fn spaces(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The patterns these read, as the label scanner had them.
    fn find(pattern: &str, s: &str) -> Option<usize> {
        let re = Regex::new(pattern).expect("valid regex");
        re.find(s).map(|m| m.end())
    }

    proptest! {
        #[test]
        fn marks_read_as_their_patterns(
            s in "(\\{\\{|\\{|\\}\\}|\\}|\\[|\\]|\\(|\\)|\\*|_|`|:|-|–|—|\\||=|>| |\\t|\\u{a0}|\\u{2003}|x|1){0,6}",
        ) {
            prop_assert_eq!(open(&s), find(r"^(?:\{\{|\[|\(|\*\*|__|\*|_|`)\s*", &s));
            prop_assert_eq!(close(&s), find(r"^\s*(?:\}\}|\]|\)|\*\*|__|\*|_|`)", &s));
            prop_assert_eq!(
                separator(&s),
                find(r"^\s*(?::|-|–|—|\||=>|->|>)\s*|^\s*$", &s)
            );
        }
    }
}
