//! Running a backend-neutral [`Sql`] statement on either backend: the same
//! generic code, instantiated for SQLite and for PostgreSQL.

use sqlx::database::HasStatementCache;
use sqlx::error::BoxDynError;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Arguments, Database, Executor, FromRow, IntoArguments, Postgres, QueryBuilder, Sqlite};

use crate::store::StoreError;
use crate::store::sql::{Piece, Sql, Value};

/// A row type readable from both backends (derive `sqlx::FromRow`).
pub(crate) trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

pub(super) async fn fetch_all<'e, DB, E, T>(exec: E, sql: Sql) -> Result<Vec<T>, StoreError>
where
    DB: Bind,
    E: Executor<'e, Database = DB>,
    T: for<'r> FromRow<'r, DB::Row> + Send + Unpin,
{
    let cached = sql.cached();
    let mut qb = builder::<DB>(sql)?;
    let query = qb.build_query_as::<T>().persistent(cached);
    Ok(query.fetch_all(exec).await?)
}

pub(super) async fn fetch_optional<'e, DB, E, T>(exec: E, sql: Sql) -> Result<Option<T>, StoreError>
where
    DB: Bind,
    E: Executor<'e, Database = DB>,
    T: for<'r> FromRow<'r, DB::Row> + Send + Unpin,
{
    let cached = sql.cached();
    let mut qb = builder::<DB>(sql)?;
    let query = qb.build_query_as::<T>().persistent(cached);
    Ok(query.fetch_optional(exec).await?)
}

/// Turn a neutral statement into a `QueryBuilder`: static text as written
/// (placeholders `$1`, `$2`… work on both backends), built pieces through
/// `push`/`push_bind` so each backend gets its own placeholder syntax.
pub(super) fn builder<DB: Bind>(sql: Sql) -> Result<QueryBuilder<DB>, StoreError> {
    match sql {
        Sql::Static { text, args } => {
            let mut arguments = DB::Arguments::default();
            for value in args {
                DB::add(&mut arguments, value).map_err(|e| StoreError::Database(e.to_string()))?;
            }
            Ok(QueryBuilder::with_arguments(text, arguments))
        }
        Sql::Built(pieces) | Sql::Rows(pieces) => {
            let mut qb = QueryBuilder::new("");
            for piece in pieces {
                match piece {
                    Piece::Text(text) => {
                        qb.push(text);
                    }
                    Piece::Bind(value) => DB::push(&mut qb, value),
                }
            }
            Ok(qb)
        }
    }
}

/// Binding a [`Value`] on a backend: the same code for both, written once by
/// `impl_bind!` because sqlx's encode bounds cannot be named generically.
pub(crate) trait Bind: Database<Arguments: IntoArguments<Self>> + HasStatementCache {
    fn add(args: &mut Self::Arguments, value: Value) -> Result<(), BoxDynError>;
    fn push(qb: &mut QueryBuilder<Self>, value: Value);
}

macro_rules! impl_bind {
    ($db:ty) => {
        impl Bind for $db {
            fn add(args: &mut Self::Arguments, value: Value) -> Result<(), BoxDynError> {
                match value {
                    Value::Text(v) => args.add(v),
                    Value::Int(v) => args.add(v),
                    Value::Bool(v) => args.add(v),
                    Value::Date(v) => args.add(v),
                    Value::Time(v) => args.add(v),
                    Value::Local(v) => args.add(v),
                    Value::Json(v) => args.add(sqlx::types::Json(v)),
                }
            }

            fn push(qb: &mut QueryBuilder<Self>, value: Value) {
                match value {
                    Value::Text(v) => qb.push_bind(v),
                    Value::Int(v) => qb.push_bind(v),
                    Value::Bool(v) => qb.push_bind(v),
                    Value::Date(v) => qb.push_bind(v),
                    Value::Time(v) => qb.push_bind(v),
                    Value::Local(v) => qb.push_bind(v),
                    Value::Json(v) => qb.push_bind(sqlx::types::Json(v)),
                };
            }
        }
    };
}
impl_bind!(Sqlite);
impl_bind!(Postgres);
