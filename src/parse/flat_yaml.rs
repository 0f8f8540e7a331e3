//! The commonest front matter, lines of `key: value` (a plain text or a `[a, b]` list
//! of plain words), read without the YAML parser: it costs more than the rest of the
//! document's parse. Anything else is left to the parser, which reads it the same.

use serde_json::{Map, Value};

/// The mapping `yaml` holds, as the YAML parser reads it, when every line is a plain
/// `key: value`; `None` for anything else (quotes, comments, nesting, numbers, ...).
pub fn read(yaml: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for line in yaml.strip_suffix('\n').unwrap_or(yaml).split('\n') {
        let (key, value) = line.split_once(": ")?;
        let mut k = key.bytes();
        let key_ok = k.next().is_some_and(|b| b.is_ascii_lowercase())
            && k.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        // A key is a text too: `yes: …` would be a boolean key.
        if !key_ok || !plain(key, true) || map.contains_key(key) {
            return None;
        }
        let value = match value.strip_prefix('[') {
            Some(list) => {
                let items = list.strip_suffix(']')?.split(", ");
                let words = items.map(|w| plain(w, true).then(|| Value::String(w.to_string())));
                Value::Array(words.collect::<Option<Vec<_>>>()?)
            }
            None if plain(value, false) || is_iso_date(value) => Value::String(value.to_string()),
            None => return None,
        };
        map.insert(key.to_string(), value);
    }
    (!map.is_empty()).then_some(map)
}

/// A plain scalar the parser reads as this very text: it starts with a letter, holds
/// only letters, digits, spaces and a few marks that mean nothing in YAML (in a `[…]`
/// list no space, comma or bracket), does not end in a space, and is no boolean, null
/// or number word (`yes`, `Off`, `null`, `inf`).
fn plain(s: &str, in_list: bool) -> bool {
    let b = s.as_bytes();
    let mark = |c: u8| match in_list {
        true => matches!(c, b'-' | b'_' | b'.'),
        false => matches!(
            c,
            b'-' | b'_' | b'.' | b' ' | b',' | b'(' | b')' | b'/' | b'\''
        ),
    };
    let shaped = b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.last().is_some_and(|&c| c != b' ')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || mark(c));
    const WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "inf", "infinity", "nan",
    ];
    shaped && !WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// `2024-09-14`: a date, which the parser gives as its text.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parser(yaml: &str) -> Option<Value> {
        serde_saphyr::from_str::<Value>(yaml).ok()
    }

    #[test]
    fn reads_the_common_shapes() {
        let yaml =
            "title: CoreDNS hit the API rate limit\ndate: 2024-09-14\ntags: [sre, tombstone]\n";
        let map = read(yaml).expect("simple");
        assert_eq!(Some(Value::Object(map)), parser(yaml));
        for other in [
            "title: \"quoted\"\n",
            "title: a # comment\n",
            "n: 12\n",
            "ok: yes\n",
            "a: b\na: c\n",
            "list:\n  - a\n",
            "",
            "t: x: y\n",
            "tags: [yes, no]\n",
        ] {
            assert_eq!(read(other), None, "{other:?}");
        }
    }

    proptest! {
        /// What is read is what the parser reads.
        #[test]
        fn reads_as_the_parser(
            lines in proptest::collection::vec(
                (
                    "(title|date|tags|a|b_c|Key|x-y)",
                    "(: |:|:  )",
                    "(\\[|\\]|, |,|[a-zA-Z0-9 ._()/',:#\"-]|yes|No|null|inf|NaN|true|0x1|1e3|2024-09-14|~){1,6}",
                ),
                1..5,
            ),
        ) {
            let yaml: String = lines.iter().map(|(k, sep, v)| format!("{k}{sep}{v}\n")).collect();
            if let Some(map) = read(&yaml) {
                prop_assert_eq!(Some(Value::Object(map)), parser(&yaml), "{:?}", yaml);
            }
        }

        /// The same, over texts and lists mostly of the shapes it reads.
        #[test]
        fn reads_plain_shapes_as_the_parser(
            lines in proptest::collection::vec(
                (
                    "[a-z][a-z0-9_-]{0,6}",
                    "([a-zA-Z][a-zA-Z0-9 ._()/',-]{0,12}|\\[[a-zA-Z][a-zA-Z0-9._-]{0,5}(, [a-zA-Z][a-zA-Z0-9._-]{0,5}){0,3}\\]|[0-9]{4}-[0-9]{2}-[0-9]{2}|yes|Off|nan)",
                ),
                1..5,
            ),
        ) {
            let yaml: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            if let Some(map) = read(&yaml) {
                prop_assert_eq!(Some(Value::Object(map)), parser(&yaml), "{:?}", yaml);
            }
        }
    }
}
