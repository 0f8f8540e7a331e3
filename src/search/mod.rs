//! Full-text search over incidents and action items (tantivy): the index kept in
//! `<data_dir>/index` beside the database it is derived from, coroner's query
//! language, ranked hits with highlighted snippets and facets, similar incidents
//! and near-duplicate detection.
//!
//! The database is the source of truth: the index is rebuilt from it whenever
//! [`SearchIndex::check`] says it is missing, damaged or stale.

mod analysis;
mod delete;
mod directory;
mod docs;
mod error;
mod facets;
mod health;
mod hits;
mod index;
mod noted;
pub mod query;
mod results;
mod schema;
#[allow(clippy::module_inception)]
mod search;
mod sections;
mod similar;
mod statistics;
mod stem_cache;
mod tech_tokens;
mod write;
mod writer_options;

pub(crate) use docs::item_text;
pub use docs::{ActionDoc, IncidentDoc};
pub use error::{QueryError, SearchError};
pub use health::{IndexStatus, VERSION_FILE};
pub use index::SearchIndex;
pub use query::{ACTION_STATUSES, Kind, ParsedQuery};
pub use results::{
    ActionHit, FacetCount, Facets, Highlighted, IncidentHit, SearchResults, SearchSection, Snippet,
    escape_html,
};
pub use schema::SCHEMA_VERSION;
pub use search::{MAX_LIMIT, MAX_WINDOW, SearchRequest};
pub(crate) use similar::DuplicateMemo;
pub use similar::{NEAR_DUPLICATE_THRESHOLD, SimilarIncident};

/// The index's folder inside the data directory.
pub const SEARCH_INDEX_DIR: &str = "index";

#[cfg(test)]
mod tests;
