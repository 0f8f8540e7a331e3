//! coroner's query language, parsed into a small syntax tree that `compile`
//! turns into tantivy queries for incidents or action items.
//!
//! ```text
//! submodule                 a word (stemmed: "deploys" finds "deployment"s stem)
//! "image tag"               a phrase
//! kube-dns  v0.6  503       technical terms are kept whole as well
//! root:submodule            a word in one section (title summary root impact lessons resolution text)
//! tag:k8s  incident:SLUG  has:findings
//! status:open  owner:alice  group:monitoring  due:<2025-01   (action items)
//! date:2018  date:2018-01..2018-03  after:2018-01-01  before:2019  year:2018
//! a b = a AND b;  a OR b;  NOT a;  -a;  (a OR b) -c
//! ```

mod compile;
pub(crate) mod dates;
mod excluded;
mod fields;
mod lexer;
mod parser;

pub(crate) use compile::{Compiler, TextTarget, day_start, section_scope};
pub use dates::DayRange;

use crate::search::error::QueryError;

/// What a search is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    Action,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Action => "action",
        }
    }
}

/// Where a word is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everywhere that matters for the kind searched.
    Any,
    /// The incident title (for action items: their incident's title).
    Title,
    Summary,
    Root,
    Impact,
    Lessons,
    Resolution,
    /// The full text of an incident, or the text of an action item.
    Text,
    Group,
    Owner,
}

/// Which date a date filter applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    /// The incident date (for action items, their incident's date).
    Incident,
    /// An action item's due date.
    Due,
}

/// The parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Text {
        scope: Scope,
        text: String,
        phrase: bool,
    },
    Status(String),
    Tag(String),
    Incident(String),
    HasFindings,
    Date {
        field: DateField,
        range: DayRange,
    },
}

/// The action-item statuses `status:` accepts.
pub const ACTION_STATUSES: &[&str] = &["open", "in_progress", "done", "wont_do", "removed"];

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2000;

impl Node {
    /// Which kinds this leaf can match (`None` for inner nodes).
    fn leaf_kinds(&self) -> Option<&'static [Kind]> {
        const BOTH: &[Kind] = &[Kind::Incident, Kind::Action];
        const INCIDENT: &[Kind] = &[Kind::Incident];
        const ACTION: &[Kind] = &[Kind::Action];
        Some(match self {
            Node::And(_) | Node::Or(_) | Node::Not(_) => return None,
            Node::Text { scope, .. } => match scope {
                Scope::Any | Scope::Title | Scope::Text => BOTH,
                Scope::Group | Scope::Owner => ACTION,
                _ => INCIDENT,
            },
            Node::Status(_) => ACTION,
            Node::Tag(_) | Node::HasFindings => INCIDENT,
            Node::Incident(_) => BOTH,
            Node::Date { field, .. } => match field {
                DateField::Incident => BOTH,
                DateField::Due => ACTION,
            },
        })
    }

    fn walk(&self, f: &mut impl FnMut(&Node)) {
        f(self);
        match self {
            Node::And(v) | Node::Or(v) => v.iter().for_each(|n| n.walk(f)),
            Node::Not(n) => n.walk(f),
            _ => {}
        }
    }
}

/// A query, parsed and validated, ready to run against incidents or action items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub source: String,
    pub root: Node,
    /// No operators (AND, OR, NOT, `-`, `+`, parentheses): words and filters only.
    pub plain: bool,
}

impl ParsedQuery {
    /// Parse coroner query syntax. Errors say what is wrong and where.
    pub fn parse(input: &str) -> Result<ParsedQuery, QueryError> {
        let len = input.chars().count();
        if len > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong {
                len,
                max: MAX_QUERY_CHARS,
            });
        }
        let tokens = lexer::lex(input)?;
        let plain = tokens.iter().all(|t| {
            matches!(
                t.tok,
                lexer::Tok::Word(_) | lexer::Tok::Phrase(_) | lexer::Tok::Field { .. }
            )
        });
        let root = parser::parse(tokens)?;
        Ok(ParsedQuery {
            source: input.to_string(),
            root,
            plain,
        })
    }

    /// The kind the query is clearly about: `status:open` only makes sense for
    /// action items, `root:x` only for incidents. `None` when it fits both.
    pub fn preferred_kind(&self) -> Option<Kind> {
        let (mut incident_only, mut action_only) = (false, false);
        self.root.walk(&mut |n| match n.leaf_kinds() {
            Some([Kind::Incident]) => incident_only = true,
            Some([Kind::Action]) => action_only = true,
            _ => {}
        });
        match (incident_only, action_only) {
            (true, false) => Some(Kind::Incident),
            (false, true) => Some(Kind::Action),
            _ => None,
        }
    }

    /// Whether the query contains words to rank by (not only filters).
    pub fn has_text(&self) -> bool {
        let mut found = false;
        self.root
            .walk(&mut |n| found |= matches!(n, Node::Text { .. }));
        found
    }
}
