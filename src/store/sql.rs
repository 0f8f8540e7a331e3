//! Backend-neutral statements: SQL text that is `'static` (never built from
//! input) plus typed values, run on either backend by `backend`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

/// One bound value. `None`s keep their type so PostgreSQL knows what NULL is.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
    Local(Option<NaiveDateTime>),
    /// JSON text, serialized once where the value is made (a document is
    /// kilobytes: building a `serde_json::Value` tree first cost as much again).
    Json(Box<RawValue>),
}

impl Value {
    /// `value` as JSON; `null` (the default raw value) if it cannot be
    /// serialized (a map with non-string keys, which the model does not have).
    pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Value {
        Value::Json(serde_json::value::to_raw_value(value).unwrap_or_default())
    }
}

/// A statement: either fixed text with `$1`, `$2`… placeholders and its
/// arguments in order, or pieces assembled at run time (dynamic filters).
#[derive(Debug, Clone)]
pub(crate) enum Sql {
    Static {
        text: &'static str,
        args: Vec<Value>,
    },
    Built(Vec<Piece>),
    /// A multi-row statement ([`values`]): built like `Built`, but run
    /// unprepared-and-forgotten, since its text changes with the row count and
    /// a cached 200-row statement holds megabytes on every connection.
    Rows(Vec<Piece>),
}

#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Text(&'static str),
    Bind(Value),
}

impl Sql {
    /// Fixed text with `$n` placeholders; add the arguments with [`Sql::arg`].
    pub(crate) fn new(text: &'static str) -> Sql {
        Sql::Static {
            text,
            args: Vec::new(),
        }
    }

    /// An empty statement assembled with [`Sql::push`] and [`Sql::bind`].
    pub(crate) fn build(text: &'static str) -> Sql {
        Sql::Built(vec![Piece::Text(text)])
    }

    /// The next positional argument of a fixed statement.
    pub(crate) fn arg(mut self, value: impl Into<Value>) -> Sql {
        match &mut self {
            Sql::Static { args, .. } => args.push(value.into()),
            Sql::Built(pieces) | Sql::Rows(pieces) => pieces.push(Piece::Bind(value.into())),
        }
        self
    }

    /// Append text to a built statement.
    pub(crate) fn push(&mut self, text: &'static str) -> &mut Sql {
        self.pieces().push(Piece::Text(text));
        self
    }

    /// Append a placeholder bound to `value` to a built statement.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.pieces().push(Piece::Bind(value.into()));
        self
    }

    /// Whether the backend should keep the statement prepared for reuse.
    pub(crate) fn cached(&self) -> bool {
        !matches!(self, Sql::Rows(_))
    }

    /// The pieces of a built statement. Fixed text turns into a single piece:
    /// its `$n` placeholders only stay right while it has no arguments yet.
    fn pieces(&mut self) -> &mut Vec<Piece> {
        if let Sql::Static { text, args } = self {
            debug_assert!(args.is_empty(), "push/bind after arg on fixed text");
            let mut pieces = vec![Piece::Text(text)];
            pieces.extend(args.drain(..).map(Piece::Bind));
            *self = Sql::Built(pieces);
        }
        match self {
            Sql::Built(pieces) | Sql::Rows(pieces) => pieces,
            Sql::Static { .. } => unreachable!("converted to Built above"),
        }
    }
}

/// Rows per multi-row statement: under both backends' limits on bound parameters.
pub(crate) const ROWS_PER_STATEMENT: usize = 200;

/// A multi-row statement, `head (…), (…) tail`, for at most
/// [`ROWS_PER_STATEMENT`] rows. The rows are moved in, not cloned: an
/// incident row holds its whole document.
pub(crate) fn values(
    head: &'static str,
    rows: impl IntoIterator<Item = Vec<Value>>,
    tail: &'static str,
) -> Sql {
    let mut sql = Sql::Rows(vec![Piece::Text(head)]);
    for (r, row) in rows.into_iter().enumerate() {
        sql.push(if r == 0 { "(" } else { ", (" });
        for (c, value) in row.into_iter().enumerate() {
            if c > 0 {
                sql.push(", ");
            }
            sql.bind(value);
        }
        sql.push(")");
    }
    sql.push(tail);
    sql
}

macro_rules! value_from {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Value {
                #[allow(clippy::redundant_closure_call)]
                Value::$variant(($conv)(v))
            }
        })*
    };
}

value_from!(Text:
    String => Some,
    &String => |v: &String| Some(v.clone()),
    &str => |v: &str| Some(v.to_string()),
    Option<String> => |v| v,
    Option<&str> => |v: Option<&str>| v.map(str::to_string),
);
value_from!(Int:
    i64 => Some,
    Option<i64> => |v| v,
    usize => |v: usize| Some(i64::try_from(v).unwrap_or(i64::MAX)),
    Option<usize> => |v: Option<usize>| v.map(|v| i64::try_from(v).unwrap_or(i64::MAX)),
);
value_from!(Bool: bool => |v| v);
value_from!(Date: NaiveDate => Some, Option<NaiveDate> => |v| v);
value_from!(Time: DateTime<Utc> => Some, Option<DateTime<Utc>> => |v| v);
value_from!(Local: Option<NaiveDateTime> => |v| v);
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        Value::json(&v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_multi_row_statements_are_left_uncached() {
        let rows = vec![vec![Value::from(1i64), Value::from("a")]; 3];
        let many = values("INSERT INTO t (n, s) VALUES ", rows, "");
        assert!(!many.cached());
        let Sql::Rows(pieces) = &many else {
            panic!("a multi-row statement: {many:?}");
        };
        let binds = pieces
            .iter()
            .filter(|p| matches!(p, Piece::Bind(_)))
            .count();
        assert_eq!(binds, 6);
        assert!(Sql::new("SELECT 1").cached());
        let mut built = Sql::build("SELECT * FROM t WHERE n = ");
        built.bind(1i64);
        assert!(built.cached());
    }

    #[test]
    fn json_values_are_the_serialized_text_or_null() {
        let doc = crate::analyze(
            "x.md",
            "# Hub down\n\n## Timeline\n\n- 10:00 paged\n",
            &crate::AnalyzeOptions::default(),
        );
        let Value::Json(raw) = Value::json(&doc) else {
            panic!("a JSON value");
        };
        assert_eq!(raw.get(), serde_json::to_string(&doc).unwrap());
        let from_tree = Value::from(serde_json::json!({"b": [1, 2], "a": null}));
        let Value::Json(raw) = from_tree else {
            panic!("a JSON value");
        };
        assert_eq!(raw.get(), r#"{"b":[1,2],"a":null}"#);
        // Keys that are not strings cannot be JSON: stored as null, not a panic.
        let pairs = std::collections::HashMap::from([((1, 2), 3)]);
        let Value::Json(raw) = Value::json(&pairs) else {
            panic!("a JSON value");
        };
        assert_eq!(raw.get(), "null");
    }
}
