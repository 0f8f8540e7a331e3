//! Splits a coroner query into tokens: words, "phrases", `field:` prefixes,
//! parentheses and the operators AND / OR / NOT / `-` / `+`.

use crate::search::error::QueryError;

/// One lexical token and the 1-based column (in characters) where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` glued to the next term: exclude it.
    Minus,
    /// `+` glued to the next term: require it (terms are required by default).
    Plus,
    Word(String),
    Phrase(String),
    /// `name:`; `adjacent` tells whether a value follows without a space.
    Field {
        name: String,
        adjacent: bool,
    },
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201d}')
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')' || is_open_quote(c) || is_close_quote(c)
}

/// Tokenize `input`. Fails only on an unclosed quote.
pub(crate) fn lex(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let glued = chars
            .get(i + 1)
            .is_some_and(|&n| !ends_word(n) || is_open_quote(n) || n == '(');
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            let tok = if c == '(' { Tok::LParen } else { Tok::RParen };
            out.push(Token { tok, column });
            i += 1;
        } else if is_open_quote(c) || is_close_quote(c) {
            let start = i + 1;
            let end = (start..chars.len())
                .find(|&j| is_close_quote(chars[j]))
                .ok_or(QueryError::UnclosedQuote { column })?;
            let text: String = chars[start..end].iter().collect();
            out.push(Token {
                tok: Tok::Phrase(text),
                column,
            });
            i = end + 1;
        } else if (c == '-' || c == '+') && glued {
            let tok = if c == '-' { Tok::Minus } else { Tok::Plus };
            out.push(Token { tok, column });
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !ends_word(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let next_glued = chars.get(i).is_some_and(|&n| is_open_quote(n) || n == '(');
            push_word(&mut out, word, column, next_glued);
        }
    }
    Ok(out)
}

/// Classify a bare word: operator, `field:value`, or plain word.
fn push_word(out: &mut Vec<Token>, word: String, column: usize, next_glued: bool) {
    let op = match word.as_str() {
        "AND" | "&&" => Some(Tok::And),
        "OR" | "||" => Some(Tok::Or),
        "NOT" => Some(Tok::Not),
        _ => None,
    };
    if let Some(tok) = op {
        out.push(Token { tok, column });
        return;
    }
    if let Some((name, rest)) = split_field(&word) {
        let adjacent = !rest.is_empty() || next_glued;
        let value_column = column + name.chars().count() + 1;
        out.push(Token {
            tok: Tok::Field {
                name: name.to_ascii_lowercase(),
                adjacent,
            },
            column,
        });
        if !rest.is_empty() {
            out.push(Token {
                tok: Tok::Word(rest.to_string()),
                column: value_column,
            });
        }
        return;
    }
    out.push(Token {
        tok: Tok::Word(word),
        column,
    });
}

/// `root:submodule` → (`root`, `submodule`). Names are letters or `_`; a value
/// starting with `/` is a URL (`https://…`), and `22:59` is a time: both stay words.
fn split_field(word: &str) -> Option<(&str, &str)> {
    let (name, rest) = word.split_once(':')?;
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
    (is_name && !rest.starts_with('/')).then_some((name, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(q: &str) -> Vec<Tok> {
        lex(q).unwrap().into_iter().map(|t| t.tok).collect()
    }

    fn word(s: &str) -> Tok {
        Tok::Word(s.into())
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(
            toks(r#"helm AND "image tag" OR -kube-dns NOT (x)"#),
            vec![
                word("helm"),
                Tok::And,
                Tok::Phrase("image tag".into()),
                Tok::Or,
                Tok::Minus,
                word("kube-dns"),
                Tok::Not,
                Tok::LParen,
                word("x"),
                Tok::RParen
            ]
        );
    }

    #[test]
    fn fields_are_split_from_values() {
        let field = |name: &str, adjacent| Tok::Field {
            name: name.into(),
            adjacent,
        };
        assert_eq!(
            toks("Root:submodule"),
            vec![field("root", true), word("submodule")]
        );
        assert_eq!(
            toks("title:\"a b\""),
            vec![field("title", true), Tok::Phrase("a b".into())]
        );
        assert_eq!(toks("title: x"), vec![field("title", false), word("x")]);
        assert_eq!(
            toks("group:(a)"),
            vec![field("group", true), Tok::LParen, word("a"), Tok::RParen]
        );
    }

    #[test]
    fn times_urls_and_versions_stay_words() {
        assert_eq!(toks("22:59"), vec![word("22:59")]);
        assert_eq!(
            toks("https://github.com/x"),
            vec![word("https://github.com/x")]
        );
        assert_eq!(toks("v0.6 -"), vec![word("v0.6"), word("-")]);
    }

    #[test]
    fn columns_count_characters() {
        let t = lex("é \"x").unwrap_err();
        assert_eq!(t, QueryError::UnclosedQuote { column: 3 });
        let t = lex("ab  cd").unwrap();
        assert_eq!(t[1].column, 5);
    }

    #[test]
    fn smart_quotes_are_quotes() {
        assert_eq!(
            toks("\u{201c}image tag\u{201d}"),
            vec![Tok::Phrase("image tag".into())]
        );
    }
}
