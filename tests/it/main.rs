//! Integration tests: one binary, one module per feature.

mod lint;
mod parse;
mod report;
mod search;
mod store;
mod timeline;
mod web;
