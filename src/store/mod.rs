//! Persistence: incidents, their timelines and findings, tracked action items
//! and their append-only history, in SQLite (the embedded default) or
//! PostgreSQL (for teams), chosen by the database URL's scheme.
//!
//! ```no_run
//! # async fn demo() -> Result<(), coroner::store::StoreError> {
//! use coroner::store::{ActionChanges, ActionFilter, ActionStatus, Store};
//! let store = Store::connect("sqlite://data/coroner.sqlite").await?;
//! let open = store
//!     .list_actions(&ActionFilter { statuses: vec![ActionStatus::Open], ..Default::default() })
//!     .await?;
//! if let Some(item) = open.items.first() {
//!     let changes = ActionChanges { status: Some(ActionStatus::Done), ..Default::default() };
//!     store.update_action(item.id, &changes, Some(item.version), "alice", Some("fixed")).await?;
//! }
//! # Ok(()) }
//! ```
//!
//! Backend differences live in `backend` only; the logic is written once.

mod actions;
mod backend;
mod bulk;
mod content;
mod error;
mod filters;
mod history;
pub mod identity;
mod incidents;
mod indexing;
mod item_row;
mod items;
mod overview;
mod rows;
mod sql;
mod statistics;
mod types;
mod validate;
mod write;

pub use backend::BackendKind;
pub use error::StoreError;
pub use filters::{ActionFilter, Counts, FindingRecord, IncidentFilter, IncidentSort, Page};
pub use indexing::IndexSource;
pub use types::{
    ActionChanges, ActionRecord, ActionStatus, HistoryEntry, Incident, IncidentEvent,
    IncidentStatus, IncidentSummary,
};
pub use write::{ItemChanges, NewIncident, SaveOutcome, Saved, SourceState, TrackedItem};

use chrono::{DateTime, Utc};

/// A handle on the database: cheap to clone, safe to share between tasks.
#[derive(Debug, Clone)]
pub struct Store {
    pool: backend::Pool,
    /// Incidents created, for refreshing PostgreSQL's statistics (`statistics`).
    growth: std::sync::Arc<statistics::Growth>,
}

impl Store {
    /// Connect to `sqlite://PATH` (the file and its folder are created) or
    /// `postgres://…`, and apply pending migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Ok(Store {
            pool: backend::connect(url).await?,
            growth: std::sync::Arc::default(),
        })
    }

    /// Which database this store uses.
    pub fn backend(&self) -> BackendKind {
        self.pool.kind()
    }

    /// Close every connection (waits for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The current time at the precision both backends keep (microseconds), so a
/// value read back equals the value written.
pub(crate) fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}
