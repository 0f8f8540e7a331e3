//! Recursive-descent parser: tokens → [`Node`]. Precedence: NOT/`-` binds
//! tightest, then AND (also implicit between terms), then OR.

use super::fields::{FieldKind, KNOWN_FIELDS, example, field_kind, filter_node, scoped, text_node};
use super::lexer::{Tok, Token};
use super::{Node, Scope};
use crate::search::error::QueryError;

/// Deepest nesting of parentheses / NOT accepted.
const MAX_DEPTH: usize = 24;
/// Most terms (words, phrases, filters) in one query.
const MAX_TERMS: usize = 64;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    terms: usize,
}

pub(crate) fn parse(tokens: Vec<Token>) -> Result<Node, QueryError> {
    if tokens.is_empty() {
        return Err(QueryError::Empty);
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
        terms: 0,
    };
    let node = p.or_expr()?;
    match p.peek() {
        None => Ok(node),
        Some(t) if t.tok == Tok::RParen => Err(QueryError::UnexpectedParen { column: t.column }),
        Some(t) => Err(missing(&t.tok, t.column, "before")),
    }
}

fn missing(tok: &Tok, column: usize, side: &'static str) -> QueryError {
    let operator = match tok {
        Tok::And => "AND",
        Tok::Or => "OR",
        Tok::Not => "NOT",
        _ => "`-`",
    };
    QueryError::MissingOperand {
        operator: operator.into(),
        column,
        side,
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// Whether the next token can start a term.
    fn at_term(&self) -> bool {
        self.peek()
            .is_some_and(|t| !matches!(t.tok, Tok::RParen | Tok::Or | Tok::And))
    }

    fn or_expr(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.and_expr()?];
        while let Some(t) = self.peek().filter(|t| t.tok == Tok::Or).cloned() {
            self.pos += 1;
            if !self.at_term() {
                return Err(missing(&t.tok, t.column, "after"));
            }
            items.push(self.and_expr()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and_expr(&mut self) -> Result<Node, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(t) if t.tok == Tok::And => {
                    self.pos += 1;
                    if items.is_empty() {
                        return Err(missing(&t.tok, t.column, "before"));
                    }
                    if !self.at_term() {
                        return Err(missing(&t.tok, t.column, "after"));
                    }
                }
                Some(t) if t.tok == Tok::Or && items.is_empty() => {
                    return Err(missing(&t.tok, t.column, "before"));
                }
                Some(t) if matches!(t.tok, Tok::Or | Tok::RParen) => break,
                None => break,
                Some(_) => items.push(self.unary()?),
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        let Some(t) = self.next() else {
            return Err(QueryError::Empty);
        };
        match t.tok {
            Tok::Not | Tok::Minus => {
                if !self.at_term() {
                    return Err(missing(&t.tok, t.column, "after"));
                }
                self.enter()?;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Node::Not(Box::new(inner)))
            }
            Tok::Plus => self.unary(),
            _ => self.atom(t),
        }
    }

    fn enter(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::TooComplex {
                reason: format!("more than {MAX_DEPTH} levels of nesting"),
            });
        }
        Ok(())
    }

    fn count_term(&mut self) -> Result<(), QueryError> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(QueryError::TooComplex {
                reason: format!("more than {MAX_TERMS} terms"),
            });
        }
        Ok(())
    }

    fn atom(&mut self, t: Token) -> Result<Node, QueryError> {
        match t.tok {
            Tok::LParen => self.group(t.column),
            Tok::Word(text) => {
                self.count_term()?;
                Ok(text_node(Scope::Any, text, false))
            }
            Tok::Phrase(text) => {
                self.count_term()?;
                Ok(text_node(Scope::Any, text, true))
            }
            Tok::Field { name, adjacent } => self.field(name, adjacent, t.column),
            Tok::RParen => Err(QueryError::UnexpectedParen { column: t.column }),
            other => Err(missing(&other, t.column, "after")),
        }
    }

    /// After `(`: an expression and its `)`.
    fn group(&mut self, column: usize) -> Result<Node, QueryError> {
        if self.peek().is_some_and(|t| t.tok == Tok::RParen) {
            return Err(QueryError::EmptyGroup { column });
        }
        if self.peek().is_none() {
            return Err(QueryError::UnclosedParen { column });
        }
        self.enter()?;
        let inner = self.or_expr()?;
        self.depth -= 1;
        match self.next() {
            Some(t) if t.tok == Tok::RParen => Ok(inner),
            _ => Err(QueryError::UnclosedParen { column }),
        }
    }

    fn field(&mut self, name: String, adjacent: bool, column: usize) -> Result<Node, QueryError> {
        let Some(kind) = field_kind(&name) else {
            return Err(QueryError::UnknownField {
                field: name,
                column,
                known: KNOWN_FIELDS,
            });
        };
        let missing_value = |name: String| QueryError::MissingValue {
            field: name,
            column,
            example: example(kind),
        };
        let value = match self.peek() {
            Some(_) if !adjacent => return Err(missing_value(name)),
            None => return Err(missing_value(name)),
            Some(t) => t.clone(),
        };
        self.pos += 1;
        self.count_term()?;
        let (text, phrase) = match (value.tok, kind) {
            (Tok::LParen, FieldKind::Text(scope)) => {
                let inner = self.group(value.column)?;
                return Ok(scoped(inner, scope));
            }
            (Tok::LParen, _) => {
                return Err(QueryError::GroupNotAllowed {
                    field: name,
                    column,
                });
            }
            (Tok::Word(w), _) => (w, false),
            (Tok::Phrase(p), _) => (p, true),
            _ => return Err(missing_value(name)),
        };
        filter_node(kind, name, text, phrase, value.column)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DateField, ParsedQuery};
    use super::*;

    fn parse(q: &str) -> Result<Node, QueryError> {
        ParsedQuery::parse(q).map(|p| p.root)
    }

    fn w(s: &str) -> Node {
        text_node(Scope::Any, s.into(), false)
    }

    #[test]
    fn precedence_and_implicit_and() {
        assert_eq!(
            parse("a b OR c -d").unwrap(),
            Node::Or(vec![
                Node::And(vec![w("a"), w("b")]),
                Node::And(vec![w("c"), Node::Not(Box::new(w("d")))]),
            ])
        );
        assert_eq!(
            parse("NOT (a OR b) AND c").unwrap(),
            Node::And(vec![
                Node::Not(Box::new(Node::Or(vec![w("a"), w("b")]))),
                w("c")
            ])
        );
    }

    #[test]
    fn fields_and_filters() {
        assert_eq!(
            parse("root:submodule").unwrap(),
            text_node(Scope::Root, "submodule".into(), false)
        );
        assert_eq!(
            parse("status:In-Progress").unwrap(),
            Node::Status("in_progress".into())
        );
        assert_eq!(parse("has:findings").unwrap(), Node::HasFindings);
        assert_eq!(
            parse("title:(helm -chart)").unwrap(),
            Node::And(vec![
                text_node(Scope::Title, "helm".into(), false),
                Node::Not(Box::new(text_node(Scope::Title, "chart".into(), false))),
            ])
        );
        assert!(matches!(
            parse("after:2018-01-01").unwrap(),
            Node::Date {
                field: DateField::Incident,
                ..
            }
        ));
        assert!(matches!(
            parse("due:<2025").unwrap(),
            Node::Date {
                field: DateField::Due,
                ..
            }
        ));
    }

    #[test]
    fn malformed_queries_are_typed_errors() {
        use QueryError::*;
        type Check = fn(&QueryError) -> bool;
        let cases: &[(&str, Check)] = &[
            ("", |e| matches!(e, Empty)),
            ("   ", |e| matches!(e, Empty)),
            ("\"open", |e| matches!(e, UnclosedQuote { column: 1 })),
            ("(a OR b", |e| matches!(e, UnclosedParen { column: 1 })),
            ("a)", |e| matches!(e, UnexpectedParen { column: 2 })),
            ("()", |e| matches!(e, EmptyGroup { .. })),
            ("a AND", |e| {
                matches!(e, MissingOperand { side: "after", .. })
            }),
            ("OR a", |e| {
                matches!(e, MissingOperand { side: "before", .. })
            }),
            ("a OR OR b", |e| matches!(e, MissingOperand { .. })),
            ("NOT", |e| matches!(e, MissingOperand { .. })),
            ("title:", |e| matches!(e, MissingValue { .. })),
            ("title: helm", |e| matches!(e, MissingValue { .. })),
            ("colour:red", |e| {
                matches!(e, UnknownField { column: 1, .. })
            }),
            ("status:opne", |e| matches!(e, InvalidValue { .. })),
            ("date:2018-13", |e| {
                matches!(e, InvalidValue { column: 6, .. })
            }),
            ("after:soon", |e| matches!(e, InvalidValue { .. })),
            ("has:owner", |e| matches!(e, InvalidValue { .. })),
            ("status:(open OR done)", |e| {
                matches!(e, GroupNotAllowed { .. })
            }),
        ];
        for (q, check) in cases {
            let err = parse(q).expect_err(q);
            assert!(check(&err), "{q}: {err:?}");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn limits_guard_against_abuse() {
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(matches!(parse(&deep), Err(QueryError::TooComplex { .. })));
        let many = "a ".repeat(100);
        assert!(matches!(parse(&many), Err(QueryError::TooComplex { .. })));
        assert!(matches!(
            parse(&"x".repeat(5000)),
            Err(QueryError::TooLong { .. })
        ));
    }

    #[test]
    fn preferred_kind() {
        let kind = |q: &str| ParsedQuery::parse(q).unwrap().preferred_kind();
        assert_eq!(
            kind("status:open monitoring"),
            Some(super::super::Kind::Action)
        );
        assert_eq!(kind("root:submodule"), Some(super::super::Kind::Incident));
        assert_eq!(kind("helm date:2018"), None);
    }
}
