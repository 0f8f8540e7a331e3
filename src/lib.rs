//! coroner: a post-mortem knowledge base and incident timeline tool.
//!
//! The data's path, one module per stage:
//! `parse` (markdown → [`model::Document`]) → `timeline` (labels → instants)
//! → `checks` (rules → findings) → store → search → web / report.
//! `kb` keeps the store and the search index in step for every writer.
//! `parse`, `timeline` and `checks` are pure: text in, values out.

pub mod checks;
pub mod config;
pub mod ingest;
pub mod input;
pub mod kb;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod report;
pub mod search;
pub mod store;
pub mod timeline;
pub mod web;

pub use pipeline::{AnalyzeOptions, analyze};
