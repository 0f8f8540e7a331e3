//! YAML front matter (`---` … `---`): read it, keep every key, and blank it out of
//! the markdown so line numbers stay true.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::flat_yaml;
use crate::checks::Rule;
use crate::model::{Finding, FrontMatter};

/// The front matter (if any) and the text with its lines blanked (the text itself,
/// borrowed, when there is none).
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: Cow<'a, str>,
    pub findings: Vec<Finding>,
}

/// Split YAML front matter from the body. A block that never closes is left in the
/// body (it is probably a thematic break) and reported.
pub fn split(text: &str) -> Split<'_> {
    let mut out = Split {
        front_matter: FrontMatter::default(),
        body: Cow::Borrowed(text),
        findings: Vec::new(),
    };
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(|l| l.trim_end()) != Some("---") {
        return out;
    }
    let mut yaml = String::new();
    let mut end_line = None;
    for (i, line) in lines.enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            end_line = Some(i + 2);
            break;
        }
        yaml.push_str(line);
    }
    let Some(end_line) = end_line else {
        out.findings.push(Rule::FrontMatterInvalid.finding_with(
            Some(1),
            "front matter opened with `---` is never closed",
            "add a closing `---` line after the front matter keys",
        ));
        return out;
    };
    out.front_matter.end_line = end_line;
    out.body = Cow::Owned(blank_lines(text, end_line));
    let parsed = match flat_yaml::read(&yaml) {
        Some(fields) => Ok(Value::Object(fields)),
        None => serde_saphyr::from_str::<Value>(&yaml),
    };
    match parsed {
        Ok(Value::Object(fields)) => {
            out.front_matter.tags = tags(&fields);
            out.front_matter.fields = fields;
        }
        Ok(Value::Null) => {}
        Ok(other) => out.findings.push(Rule::FrontMatterInvalid.finding(
            Some(2),
            format!(
                "front matter is a {} rather than a mapping of keys",
                kind(&other)
            ),
        )),
        Err(err) => out.findings.push(Rule::FrontMatterInvalid.finding(
            Some(2),
            format!(
                "front matter is not valid YAML: {}",
                first_line(&err.to_string())
            ),
        )),
    }
    out
}

/// Replace the first `n` lines with empty lines, keeping line numbers.
/// The text after the YAML front matter, which ends on `end_line` (1-based; 0 = none):
/// what is rendered and indexed as the post-mortem's body.
pub fn without_front_matter(text: &str, end_line: usize) -> &str {
    if end_line == 0 {
        return text;
    }
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if i + 1 == end_line {
            return &text[offset..];
        }
    }
    ""
}

fn blank_lines(text: &str, n: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for _ in 0..n {
        if rest.is_empty() {
            break;
        }
        // A last line without `\n` is blanked to one too.
        out.push('\n');
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    // The rest in one piece, not line by line.
    out.push_str(rest);
    out
}

/// Tags from `tags`, `tag`, `categories` or `keywords` (a list or a comma-separated string).
fn tags(fields: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in ["tags", "tag", "categories", "keywords", "labels"] {
        match fields.get(key) {
            Some(Value::Array(items)) => out.extend(items.iter().filter_map(scalar)),
            Some(Value::String(s)) => out.extend(s.split(',').map(|t| t.trim().to_string())),
            _ => {}
        }
    }
    out.retain(|t| !t.is_empty());
    out.dedup();
    out
}

/// A scalar front matter value as a string (YAML dates arrive as strings).
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "list",
        Value::String(_) => "string",
        _ => "scalar",
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_after_front_matter() {
        assert_eq!(without_front_matter("---\na: 1\n---\n# T\n", 3), "# T\n");
        assert_eq!(without_front_matter("# T\n", 0), "# T\n");
        assert_eq!(
            without_front_matter("---\na: 1\n", 5),
            "",
            "never past the end"
        );
    }

    #[test]
    fn reads_keys_and_blanks_lines() {
        let s = split(
            "---\ntitle: A \"b\" c\ndate: 2017-02-09\ntags: [helm, k8s]\n---\n\n## Summary\n",
        );
        assert_eq!(s.front_matter.fields["title"], "A \"b\" c");
        assert_eq!(
            scalar(&s.front_matter.fields["date"]).as_deref(),
            Some("2017-02-09")
        );
        assert_eq!(s.front_matter.tags, ["helm", "k8s"]);
        assert_eq!(s.front_matter.end_line, 5);
        assert_eq!(s.body, "\n\n\n\n\n\n## Summary\n");
        assert!(s.findings.is_empty());
    }

    #[test]
    fn blanks_only_the_front_matter_lines() {
        assert_eq!(blank_lines("a\nb\nc\n", 2), "\n\nc\n");
        assert_eq!(blank_lines("a\nb", 2), "\n\n");
        assert_eq!(blank_lines("a\nb", 5), "\n\n");
        assert_eq!(blank_lines("a\r\nb\r\n", 1), "\nb\r\n");
        assert_eq!(blank_lines("", 3), "");
    }

    #[test]
    fn invalid_yaml_is_a_finding_not_a_failure() {
        let s = split("---\ntitle: [unclosed\n---\nbody\n");
        assert_eq!(s.findings[0].rule, "metadata/front-matter-invalid");
        assert!(s.body.ends_with("body\n"));
    }

    #[test]
    fn unclosed_front_matter_keeps_the_text() {
        let s = split("---\ntitle: x\n\nbody\n");
        assert_eq!(s.body, "---\ntitle: x\n\nbody\n");
        assert_eq!(s.findings.len(), 1);
    }
}
