//! The one place where SQLite and PostgreSQL differ: choosing a backend by URL
//! scheme, connection settings, migrations, how a write transaction starts, and
//! running a backend-neutral [`Sql`] statement on either (`exec`). Every other
//! store module is written once against [`Pool`] and [`Conn`].

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

mod exec;

pub(crate) use exec::Record;
use exec::{builder, fetch_all, fetch_optional};

use super::StoreError;
use super::sql::Sql;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a [`super::Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// A connection pool for one of the two backends.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction; dropped without [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A borrowed connection (from a transaction) that statements run on.
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Open a pool for `url` and bring its schema up to date.
pub(crate) async fn connect(url: &str) -> Result<Pool, StoreError> {
    let pool = if url.starts_with("sqlite:") {
        Pool::Sqlite(connect_sqlite(url).await?)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Pool::Postgres(connect_postgres(url).await?)
    } else {
        return Err(StoreError::InvalidInput(format!(
            "unsupported database URL `{}`: use sqlite://PATH or postgres://USER@HOST/DB",
            redact(url)
        )));
    };
    let migrated = match &pool {
        Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await,
        Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await,
    };
    migrated.map_err(|e| StoreError::Database(format!("cannot apply migrations: {e}")))?;
    Ok(pool)
}

async fn connect_sqlite(url: &str) -> Result<SqlitePool, StoreError> {
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::InvalidInput(format!("bad SQLite URL `{url}`: {e}")))?
        .create_if_missing(true)
        // WAL + NORMAL: readers never block the writer, and a killed process
        // loses at most the transaction in flight, never consistency.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true);
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if !in_memory {
        if let Some(dir) = opts
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
    }
    // An in-memory database lives as long as its connections: keep exactly one.
    let max = if in_memory { 1 } else { 4 };
    let min = if in_memory { 1 } else { 0 };
    SqlitePoolOptions::new()
        .max_connections(max)
        .min_connections(min)
        .idle_timeout(None::<Duration>)
        .connect_with(opts)
        .await
        .map_err(|e| StoreError::Database(format!("cannot open {}: {e}", redact(url))))
}

async fn connect_postgres(url: &str) -> Result<PgPool, StoreError> {
    use sqlx::Connection;
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::InvalidInput(format!("bad PostgreSQL URL: {e}")))?;
    let failed =
        |e: sqlx::Error| StoreError::Database(format!("cannot connect to {}: {e}", redact(url)));
    // One direct attempt first: a pool would retry until its timeout and then
    // report only "timed out", hiding "connection refused" or a bad password.
    PgConnection::connect_with(&opts)
        .await
        .map_err(failed)?
        .close()
        .await
        .map_err(failed)?;
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(opts)
        .await
        .map_err(failed)
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Pool {
    pub(crate) fn kind(&self) -> BackendKind {
        match self {
            Pool::Sqlite(_) => BackendKind::Sqlite,
            Pool::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Start a transaction that will write. SQLite takes the write lock up
    /// front (`BEGIN IMMEDIATE`): a deferred transaction that reads and then
    /// writes fails with SQLITE_BUSY when another writer got there first.
    pub(crate) async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Refresh the planner's statistics of the tables a batch looks up
    /// (PostgreSQL; SQLite uses an index for an `IN` list without any).
    pub(crate) async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Pool::Postgres(p) = self {
            sqlx::query("ANALYZE incidents, action_items")
                .execute(p)
                .await?;
        }
        Ok(())
    }

    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    pub(crate) async fn fetch_all<T: Record>(&self, sql: Sql) -> Result<Vec<T>, StoreError> {
        match self {
            Pool::Sqlite(p) => fetch_all(p, sql).await,
            Pool::Postgres(p) => fetch_all(p, sql).await,
        }
    }

    pub(crate) async fn fetch_optional<T: Record>(
        &self,
        sql: Sql,
    ) -> Result<Option<T>, StoreError> {
        match self {
            Pool::Sqlite(p) => fetch_optional(p, sql).await,
            Pool::Postgres(p) => fetch_optional(p, sql).await,
        }
    }
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Conn<'_> {
    /// Run a statement; returns the number of rows it changed.
    pub(crate) async fn execute(&mut self, sql: Sql) -> Result<u64, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let cached = sql.cached();
                let mut qb = builder::<Sqlite>(sql)?;
                let query = qb.build().persistent(cached);
                Ok(query.execute(&mut **c).await?.rows_affected())
            }
            Conn::Postgres(c) => {
                let cached = sql.cached();
                let mut qb = builder::<Postgres>(sql)?;
                let query = qb.build().persistent(cached);
                Ok(query.execute(&mut **c).await?.rows_affected())
            }
        }
    }

    pub(crate) async fn fetch_all<T: Record>(&mut self, sql: Sql) -> Result<Vec<T>, StoreError> {
        match self {
            Conn::Sqlite(c) => fetch_all(&mut **c, sql).await,
            Conn::Postgres(c) => fetch_all(&mut **c, sql).await,
        }
    }

    pub(crate) async fn fetch_optional<T: Record>(
        &mut self,
        sql: Sql,
    ) -> Result<Option<T>, StoreError> {
        match self {
            Conn::Sqlite(c) => fetch_optional(&mut **c, sql).await,
            Conn::Postgres(c) => fetch_optional(&mut **c, sql).await,
        }
    }

    pub(crate) async fn fetch_one<T: Record>(&mut self, sql: Sql) -> Result<T, StoreError> {
        self.fetch_optional(sql)
            .await?
            .ok_or_else(|| StoreError::Database("statement returned no row".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/x.sqlite"), "sqlite://data/x.sqlite");
    }
}
