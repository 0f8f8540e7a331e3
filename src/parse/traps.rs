//! Text-level traps: mojibake (`donâ€™t`, with the repaired text suggested) and
//! template placeholders (`{{ … }}`) left in a post-mortem.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::Rule;
use crate::model::Finding;

/// Characters that UTF-8 bytes 0x80–0x9F become when decoded as Windows-1252.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

static MOJIBAKE: LazyLock<Regex> = LazyLock::new(|| {
    // A UTF-8 lead byte read as Latin-1/CP1252 (Ã, Â, â, ð…) followed by continuation bytes.
    Regex::new(r"[ÂÃâð][\u{80}-\u{BF}€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u{A0}-\u{BF}]{1,3}")
        .expect("static regex")
});
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{[^{}\n]*\}\}|\{\{").expect("static regex"));

/// Map one char back to the byte it was decoded from (CP1252 / Latin-1).
fn to_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if let Some(i) = CP1252_HIGH.iter().position(|&h| h == c) {
        return Some(0x80 + i as u8);
    }
    (code <= 0xFF).then_some(code as u8)
}

/// Repair one mojibake run: re-encode as CP1252 bytes, decode as UTF-8.
pub fn repair(run: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = run.chars().map(to_byte).collect();
    let fixed = String::from_utf8(bytes?).ok()?;
    (fixed != run).then_some(fixed)
}

/// Findings for mojibake and placeholders; `in_code[line]` lines are skipped.
pub fn scan(lines: &[&str], in_code: &[bool]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if in_code.get(n).copied().unwrap_or(false) {
            continue;
        }
        // Mojibake is non-ASCII and a placeholder needs `{{`: most lines need neither regex.
        if let Some(f) = may_be_mojibake(line).then(|| mojibake(line, n)).flatten() {
            out.push(f);
        }
        if let Some(m) = line
            .as_bytes()
            .contains(&b'{')
            .then(|| PLACEHOLDER.find(line))
            .flatten()
        {
            let shown: String = m.as_str().chars().take(60).collect();
            out.push(Rule::TemplatePlaceholder.finding_with(
                Some(n),
                format!("template placeholder `{shown}` left in the text"),
                "fill in the value and remove the `{{ }}` braces",
            ));
        }
    }
    out
}

/// Whether `line` holds a lead character of [`MOJIBAKE`] (`Â`, `Ã`, `â`, `ð`: UTF-8
/// `C3 82`, `C3 83`, `C3 A2`, `C3 B0`); most lines, even non-ASCII ones, do not.
fn may_be_mojibake(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.contains(&0xC3)
        && bytes
            .windows(2)
            .any(|w| w[0] == 0xC3 && matches!(w[1], 0x82 | 0x83 | 0xA2 | 0xB0))
}

fn mojibake(line: &str, n: usize) -> Option<Finding> {
    let mut repaired = String::new();
    let mut last = 0;
    let mut first: Option<(String, String)> = None;
    for m in MOJIBAKE.find_iter(line) {
        let Some(fixed) = repair(m.as_str()) else {
            continue;
        };
        repaired.push_str(&line[last..m.start()]);
        repaired.push_str(&fixed);
        last = m.end();
        first.get_or_insert((m.as_str().to_string(), fixed));
    }
    let (bad, good) = first?;
    repaired.push_str(&line[last..]);
    let word = |s: &str, at: &str| -> String {
        // Show the word around the first repair: `donâ€™t` → `don’t`.
        let start = s[..s.find(at).unwrap_or(0)]
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
        s[start..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let before = word(line, &bad);
    let after = word(&repaired, &good);
    Some(Rule::Mojibake.finding_with(
        Some(n),
        format!("mojibake: `{before}` is UTF-8 text decoded as Windows-1252"),
        format!("replace with `{after}`: {}", repaired.trim()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_common_mojibake() {
        assert_eq!(repair("â€™").as_deref(), Some("’"));
        assert_eq!(repair("Ã©").as_deref(), Some("é"));
        let f = scan(&["we donâ€™t accidentally miss"], &[]);
        assert_eq!(f[0].rule, "text/mojibake");
        assert!(f[0].message.contains("donâ€™t"), "{}", f[0].message);
        assert!(
            f[0].suggestion
                .as_deref()
                .unwrap()
                .starts_with("replace with `don’t`")
        );
    }

    proptest::proptest! {
        #[test]
        fn the_guard_lets_every_mojibake_through(line in "[aÂÃâðé€™\u{80}-\u{BF} ]{0,8}") {
            if MOJIBAKE.is_match(&line) {
                proptest::prop_assert!(may_be_mojibake(&line));
            }
        }
    }

    #[test]
    fn clean_text_has_no_findings() {
        let lines = ["Café’s naïve “quotes” — fine", "Ünïcödé ✓ 日本"];
        assert!(scan(&lines, &[]).is_empty());
    }

    #[test]
    fn placeholders_outside_code() {
        let lines = ["### {{ 06:10 }}", "{{ summary }}", "ok"];
        let f = scan(&lines, &[false, false, true, false]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, Some(1));
    }
}
