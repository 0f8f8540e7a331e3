//! Integration tests: one binary, one module per feature.

mod parse;
mod search;
mod store;
