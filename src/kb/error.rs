//! Errors of the knowledge base: the store's and the index's, kept apart so
//! callers map each once (HTTP status, CLI exit code).

use crate::search::SearchError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A background (blocking) task panicked or was cancelled.
    #[error("internal task failed: {0}")]
    Task(String),
}

impl KbError {
    /// Whether the caller's input is at fault (unknown id, bad value, stale
    /// version, bad query), as opposed to the database or the index.
    pub fn is_user_error(&self) -> bool {
        match self {
            KbError::Store(e) => matches!(
                e,
                StoreError::NotFound(_) | StoreError::InvalidInput(_) | StoreError::Conflict { .. }
            ),
            KbError::Search(e) => e.is_user_error(),
            KbError::Task(_) => false,
        }
    }
}

impl From<tokio::task::JoinError> for KbError {
    fn from(e: tokio::task::JoinError) -> Self {
        KbError::Task(e.to_string())
    }
}
