//! Rules → findings: the inconsistencies coroner flags, each with a stable code.

pub mod rules;

pub use rules::Rule;
