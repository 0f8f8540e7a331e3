//! Integration tests: one binary, one module per feature.

mod browser;
mod lint;
mod parse;
mod search;
mod store;
mod timeline;
mod web;
