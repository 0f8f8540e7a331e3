//! The store's error type, shaped for the callers: the web layer maps each
//! variant to one HTTP status, the CLI prints it as is.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such incident or action item (HTTP 404). The text names what was looked for.
    #[error("{0} not found")]
    NotFound(String),
    /// A stale update: the caller saw `expected`, the item is at `actual` (HTTP 409).
    #[error(
        "the action item changed meanwhile: you had version {expected}, it is now at version {actual}; reload and try again"
    )]
    Conflict { expected: i64, actual: i64 },
    /// A bad value from the caller, nothing was changed (HTTP 400).
    #[error("{0}")]
    InvalidInput(String),
    /// A concurrent writer won a race or the database is locked; retrying may
    /// succeed (HTTP 503). Nothing was changed.
    #[error("database busy: {0}")]
    Busy(String),
    /// Anything else from the database (HTTP 500).
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if is_transient(&err) {
            return StoreError::Busy(err.to_string());
        }
        StoreError::Database(err.to_string())
    }
}

/// Errors a retry can cure: unique races between two writers inserting the
/// same row, PostgreSQL serialization/deadlock failures, SQLite busy/locked.
fn is_transient(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            if db.is_unique_violation() {
                return true;
            }
            let code = db.code();
            matches!(
                code.as_deref(),
                // PostgreSQL: serialization_failure, deadlock_detected.
                Some("40001") | Some("40P01")
                // SQLite: SQLITE_BUSY, SQLITE_LOCKED and their extended codes.
                | Some("5") | Some("6") | Some("261") | Some("262") | Some("517")
            )
        }
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

impl StoreError {
    /// Whether retrying the same operation may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }
}
