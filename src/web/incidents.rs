//! `/incidents`: every incident, filtered by year, tag, findings and text,
//! sorted and paged.

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{Query, non_empty, parse_opt};
use super::state::{AppState, Viewer};
use super::view::{Layout, Pager, page_number};
use crate::store::{IncidentFilter, IncidentSort, IncidentSummary};

pub const PER_PAGE: i64 = 25;

/// The list's query, as typed in the filter form (blank = any).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub year: Option<String>,
    pub tag: Option<String>,
    pub findings: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// Sort keys as they appear in URLs.
pub const SORTS: &[(&str, &str, IncidentSort)] = &[
    ("date_desc", "newest first", IncidentSort::DateDesc),
    ("date_asc", "oldest first", IncidentSort::DateAsc),
    ("title", "title", IncidentSort::Title),
    ("updated", "recently changed", IncidentSort::UpdatedDesc),
    ("findings", "most findings", IncidentSort::Findings),
];

impl ListQuery {
    /// The store filter for one page, or a 400 naming the bad parameter.
    pub fn filter(&self, limit: i64, offset: i64) -> Result<IncidentFilter, WebError> {
        let year = parse_opt::<i32>(&self.year, "year", "a year like 2019")?;
        let has_findings = match non_empty(&self.findings) {
            None | Some("any") => None,
            Some("yes") | Some("true") | Some("1") => Some(true),
            Some("no") | Some("false") | Some("0") => Some(false),
            Some(v) => {
                return Err(WebError::bad_request(format!(
                    "`findings` must be yes, no or any, not `{v}`"
                )));
            }
        };
        let sort = match non_empty(&self.sort) {
            None => IncidentSort::DateDesc,
            Some(s) => SORTS
                .iter()
                .find(|(k, _, _)| *k == s)
                .map(|x| x.2)
                .ok_or_else(|| {
                    let keys: Vec<&str> = SORTS.iter().map(|x| x.0).collect();
                    WebError::bad_request(format!(
                        "`sort` must be one of {}, not `{s}`",
                        keys.join(", ")
                    ))
                })?,
        };
        Ok(IncidentFilter {
            year,
            tag: non_empty(&self.tag).map(str::to_string),
            has_findings,
            text: non_empty(&self.q).map(str::to_string),
            sort,
            limit: Some(limit),
            offset,
            ..IncidentFilter::default()
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "incidents.html")]
pub struct ListPage {
    layout: Layout,
    items: Vec<IncidentSummary>,
    pager: Pager,
    years: Vec<i32>,
    tags: Vec<String>,
    year: String,
    tag: String,
    findings: String,
    q: String,
    sort: String,
    sorts: Vec<(&'static str, &'static str)>,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    let page = page_number(&q.page)?;
    let filter = q.filter(PER_PAGE, (page - 1) * PER_PAGE)?;
    let store = state.kb.store();
    let result = store.list_incidents(&filter).await?;
    let all = store.list_incidents(&IncidentFilter::default()).await?;
    let years: BTreeSet<i32> = all
        .items
        .iter()
        .filter_map(|i| i.date)
        .map(|d| chrono::Datelike::year(&d))
        .collect();
    let tags: BTreeSet<String> = all
        .items
        .iter()
        .flat_map(|i| i.tags.iter().cloned())
        .collect();
    let text = |v: &Option<String>| non_empty(v).unwrap_or("").to_string();
    let params = [
        ("year", text(&q.year)),
        ("tag", text(&q.tag)),
        ("findings", text(&q.findings)),
        ("q", text(&q.q)),
        ("sort", text(&q.sort)),
    ];
    Ok(ListPage {
        layout: Layout::new("Incidents", "incidents", &viewer, &state),
        pager: Pager::new("/incidents", &params, page, PER_PAGE, result.total),
        items: result.items,
        years: years.into_iter().rev().collect(),
        tags: tags.into_iter().collect(),
        year: text(&q.year),
        tag: text(&q.tag),
        findings: text(&q.findings),
        q: text(&q.q),
        sort: text(&q.sort),
        sorts: SORTS.iter().map(|(k, l, _)| (*k, *l)).collect(),
    })
}
