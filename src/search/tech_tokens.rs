//! The `coroner_tech` tokenizer: runs of letters/digits joined by `-` `.` `_`
//! `/` `:` `@`, with at least one joint (`kube-dns`, `v0.6`, `10.0.0.1`).
//!
//! Hand-written rather than tantivy's `RegexTokenizer`: that one clones its
//! `Regex` for every text, and a cloned `Regex` starts with an empty cache, so
//! the lazy DFA was rebuilt for every field of every document indexed. The
//! tokens are those of the regex `[\p{L}\p{N}]+(?:[-._/:@][\p{L}\p{N}]+)+`
//! found left to right (a test compares both over the corpus).

use std::sync::LazyLock;

use regex::Regex;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Characters that join the parts of a technical token.
fn is_joint(c: char) -> bool {
    matches!(c, '-' | '.' | '_' | '/' | ':' | '@')
}

/// `\p{L}` or `\p{N}` (Unicode letter or number). ASCII is decided inline; the
/// rare other characters by a shared regex (shared: its cache is kept).
fn is_word_char(c: char) -> bool {
    static LETTER_OR_NUMBER: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"^[\p{L}\p{N}]$").ok());
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let mut buf = [0u8; 4];
    LETTER_OR_NUMBER
        .as_ref()
        .is_some_and(|re| re.is_match(c.encode_utf8(&mut buf)))
}

/// Tokenizer for technical tokens (see the module documentation).
#[derive(Clone, Default)]
pub(crate) struct TechTokenizer {
    token: Token,
}

impl Tokenizer for TechTokenizer {
    type TokenStream<'a> = TechTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TechTokenStream<'a> {
        self.token.reset();
        TechTokenStream {
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

pub(crate) struct TechTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next token starts.
    cursor: usize,
    token: &'a mut Token,
}

impl TechTokenStream<'_> {
    /// End of the run of word characters starting at `at`.
    fn word_end(&self, at: usize) -> usize {
        self.text[at..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(self.text.len(), |(i, _)| at + i)
    }

    /// The next token's byte range at or after `cursor`, if any.
    fn next_range(&mut self) -> Option<(usize, usize)> {
        while self.cursor < self.text.len() {
            let rest = &self.text[self.cursor..];
            // The next word start: a token can only begin there (a match starting
            // inside a word would extend back to the word's start).
            let (offset, _) = rest.char_indices().find(|&(_, c)| is_word_char(c))?;
            let start = self.cursor + offset;
            let mut end = self.word_end(start);
            let mut joints = 0;
            loop {
                let mut after = self.text[end..].chars();
                match (after.next(), after.next()) {
                    (Some(j), Some(c)) if is_joint(j) && is_word_char(c) => {
                        end = self.word_end(end + j.len_utf8());
                        joints += 1;
                    }
                    _ => break,
                }
            }
            self.cursor = end;
            if joints > 0 {
                return Some((start, end));
            }
        }
        None
    }
}

impl TokenStream for TechTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = self.next_range() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;
    use tantivy::tokenizer::RegexTokenizer;

    use super::*;

    /// The pattern this tokenizer replaces.
    const TECH_PATTERN: &str = r"[\p{L}\p{N}]+(?:[-._/:@][\p{L}\p{N}]+)+";

    fn all(mut stream: impl TokenStream) -> Vec<Token> {
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.clone());
        }
        out
    }

    fn ours(text: &str) -> Vec<Token> {
        all(TechTokenizer::default().token_stream(text))
    }

    fn regex(text: &str) -> Vec<Token> {
        let mut t = RegexTokenizer::new(TECH_PATTERN).unwrap();
        all(t.token_stream(text))
    }

    #[test]
    fn same_tokens_as_the_regex_on_tricky_text() {
        for text in [
            "",
            "plain words",
            "kube-dns v0.6 prod.yaml, node-role.kubernetes.io/master.",
            "foo--bar a.b. .a.b -x- 10.0.0.1:8080 user@host:/path/x_y",
            "é-ü naïve-café ½-3 x²-y Ωmega.Δ 日本-語 a\u{301}-b ab\u{301}c-d",
            "trailing-",
            "-leading",
            "a-b-c-d-e-f",
            "x..y x-.y x.-y-z",
        ] {
            assert_eq!(ours(text), regex(text), "{text:?}");
        }
    }

    #[test]
    fn same_tokens_as_the_regex_over_the_corpus() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
        let mut files = 0;
        let mut tokens = 0;
        for path in crate::input::collect_files(&[root]).unwrap() {
            let text = std::fs::read_to_string(&path).unwrap();
            let expected = regex(&text);
            assert_eq!(ours(&text), expected, "{}", path.display());
            files += 1;
            tokens += expected.len();
        }
        assert!(
            files > 40 && tokens > 1000,
            "{files} files, {tokens} tokens"
        );
    }

    proptest! {
        #[test]
        fn same_tokens_as_the_regex_on_any_text(
            text in "[a-zA-Z0-9é日\u{301}½ \\-._/:@,!\n]{0,40}"
        ) {
            prop_assert_eq!(ours(&text), regex(&text));
        }
    }
}
