//! `/findings`: every inconsistency in the knowledge base, grouped by rule.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{Query, non_empty};
use super::state::{AppState, Viewer};
use super::view::Layout;
use crate::checks::Rule;
use crate::store::FindingRecord;

#[derive(Debug, Default, Deserialize)]
pub struct FindingsQuery {
    pub rule: Option<String>,
}

/// One rule's findings.
pub struct RuleGroup {
    pub rule: String,
    pub summary: String,
    pub findings: Vec<FindingRecord>,
}

#[derive(Template, WebTemplate)]
#[template(path = "findings.html")]
pub struct FindingsPage {
    layout: Layout,
    groups: Vec<RuleGroup>,
    total: usize,
    rule: String,
}

/// Check a `rule` parameter against the known rule codes.
pub fn known_rule(rule: &Option<String>) -> Result<Option<&str>, WebError> {
    match non_empty(rule) {
        None => Ok(None),
        Some(r) if Rule::from_code(r).is_some() => Ok(Some(r)),
        Some(r) => Err(WebError::bad_request(format!(
            "unknown rule `{r}`: rules look like `timeline/out-of-order` (see `coroner lint --help`)"
        ))),
    }
}

pub fn group(findings: Vec<FindingRecord>) -> Vec<RuleGroup> {
    let mut by_rule: BTreeMap<String, Vec<FindingRecord>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule.clone()).or_default().push(f);
    }
    by_rule
        .into_iter()
        .map(|(rule, findings)| RuleGroup {
            summary: Rule::from_code(&rule)
                .map(|r| r.summary().to_string())
                .unwrap_or_default(),
            rule,
            findings,
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<FindingsQuery>,
) -> Result<FindingsPage, WebError> {
    let rule = known_rule(&q.rule)?;
    let findings = state.kb.store().findings(rule).await?;
    let total = findings.len();
    Ok(FindingsPage {
        layout: Layout::new("Findings", "findings", &viewer, &state),
        groups: group(findings),
        total,
        rule: rule.unwrap_or("").to_string(),
    })
}
