//! Errors of the search module: a malformed query (the user's fault: CLI message or
//! HTTP 400) and index problems (missing, corrupt, locked, I/O).

use std::path::PathBuf;

/// A query that cannot be understood. `column` is 1-based, counted in characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty: type some words, a \"phrase\" or a filter such as status:open")]
    Empty,
    #[error("the query is {len} characters long; the limit is {max}")]
    TooLong { len: usize, max: usize },
    #[error("the query is too complex: {reason}")]
    TooComplex { reason: String },
    #[error("column {column}: unclosed quote; add a closing `\"`")]
    UnclosedQuote { column: usize },
    #[error("column {column}: `(` is never closed; add a `)`")]
    UnclosedParen { column: usize },
    #[error("column {column}: `)` has no matching `(`")]
    UnexpectedParen { column: usize },
    #[error("column {column}: empty parentheses `()`")]
    EmptyGroup { column: usize },
    #[error("column {column}: {operator} needs a term {side} it")]
    MissingOperand {
        operator: String,
        column: usize,
        side: &'static str,
    },
    #[error("column {column}: `{field}:` needs a value, e.g. {example}")]
    MissingValue {
        field: String,
        column: usize,
        example: &'static str,
    },
    #[error(
        "column {column}: unknown field `{field}:`; known fields: {known} \
         (to search for the text itself, put it in quotes)"
    )]
    UnknownField {
        field: String,
        column: usize,
        known: &'static str,
    },
    #[error("column {column}: `{field}:{value}` is not valid: expected {expected}")]
    InvalidValue {
        field: String,
        value: String,
        column: usize,
        expected: String,
    },
    #[error("column {column}: `{field}:` takes a single value, not a group in parentheses")]
    GroupNotAllowed { field: String, column: usize },
    #[error("the query has no searchable words (only very common words or punctuation)")]
    NothingToSearch,
}

impl QueryError {
    /// The 1-based column the error points at, when it points somewhere.
    pub fn column(&self) -> Option<usize> {
        use QueryError::*;
        match self {
            UnclosedQuote { column }
            | UnclosedParen { column }
            | UnexpectedParen { column }
            | EmptyGroup { column }
            | MissingOperand { column, .. }
            | MissingValue { column, .. }
            | UnknownField { column, .. }
            | InvalidValue { column, .. }
            | GroupNotAllowed { column, .. } => Some(*column),
            Empty | TooLong { .. } | TooComplex { .. } | NothingToSearch => None,
        }
    }
}

/// Why a search-index operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("invalid query: {0}")]
    Query(#[from] QueryError),
    #[error("no search index at {}; run `coroner ingest` to build it", path.display())]
    NotFound { path: PathBuf },
    #[error("the search index at {} is unusable ({reason}); run `coroner reindex` to rebuild it", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "the search index at {} was built by another version of coroner (schema {found}, \
         expected {expected}); run `coroner reindex` to rebuild it",
        path.display()
    )]
    SchemaMismatch {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("{} is not a coroner search index and is not empty; refusing to overwrite it", path.display())]
    NotAnIndex { path: PathBuf },
    #[error("another coroner process is writing the search index at {}; stop it or try again", path.display())]
    Locked { path: PathBuf },
    #[error("no incident `{slug}` in the search index")]
    UnknownIncident { slug: String },
    #[error("index rebuild interrupted: {0}; the previous index is kept")]
    Interrupted(String),
    #[error("invalid page: {0}")]
    Page(String),
    #[error("search index I/O on {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// Whether the error is the user's (bad query or page), not the index's.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            SearchError::Query(_) | SearchError::Page(_) | SearchError::UnknownIncident { .. }
        )
    }
}
