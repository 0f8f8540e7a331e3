//! `/search?q=`: incidents and action items with highlighted snippets (already
//! HTML-escaped by the index, `<mark>` only) and facets that narrow the query.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;

use super::blocking::blocking;
use super::error::WebError;
use super::extract::{Query, non_empty};
use super::state::{AppState, Viewer};
use super::view::{Layout, Pager, page_number, query_string};
use crate::search::{ActionHit, FacetCount, IncidentHit, SearchRequest, SearchResults};

const PER_PAGE: usize = 20;
const ACTIONS_PREVIEW: usize = 10;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub page: Option<String>,
}

/// A facet value and the query that narrows to it.
pub struct FacetLink {
    pub value: String,
    pub count: u64,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
pub struct SearchPage {
    layout: Layout,
    q: String,
    actions_only: bool,
    incidents: Option<SearchResults<IncidentHit>>,
    actions: Option<SearchResults<ActionHit>>,
    years: Vec<FacetLink>,
    tags: Vec<FacetLink>,
    statuses: Vec<FacetLink>,
    pager: Pager,
}

fn links(q: &str, field: &str, counts: &[FacetCount]) -> Vec<FacetLink> {
    counts
        .iter()
        .take(12)
        .map(|c| {
            let value = if c.value.contains(char::is_whitespace) {
                format!("\"{}\"", c.value.replace('"', ""))
            } else {
                c.value.clone()
            };
            FacetLink {
                value: c.value.clone(),
                count: c.count,
                href: format!(
                    "/search{}",
                    query_string(&[("q", format!("{q} {field}:{value}"))])
                ),
            }
        })
        .collect()
}

/// Which lists the query asks for: `incidents` (default, both lists) or `actions` alone.
pub fn actions_only(kind: &Option<String>) -> Result<bool, WebError> {
    match non_empty(kind) {
        None | Some("all") | Some("incidents") => Ok(false),
        Some("actions") => Ok(true),
        Some(k) => Err(WebError::bad_request(format!(
            "`kind` must be incidents or actions, not `{k}`"
        ))),
    }
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(sq): Query<SearchQuery>,
) -> Result<SearchPage, WebError> {
    let page = page_number(&sq.page)?;
    let actions_only = actions_only(&sq.kind)?;
    let q = non_empty(&sq.q).unwrap_or("").to_string();
    let title = if q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {q}")
    };
    let layout = Layout::new(title, "search", &viewer, &state);
    let offset = (page as usize - 1) * PER_PAGE;
    let mut out = SearchPage {
        layout,
        q: q.clone(),
        actions_only,
        incidents: None,
        actions: None,
        years: Vec::new(),
        tags: Vec::new(),
        statuses: Vec::new(),
        pager: Pager::new("/search", &[], 1, PER_PAGE as i64, 0),
    };
    if q.is_empty() {
        return Ok(out);
    }
    let index = state.kb.index_handle();
    let query = q.clone();
    let (incidents, actions) = blocking(move || {
        if actions_only {
            let a = index.search_actions(&SearchRequest::new(&query).page(offset, PER_PAGE))?;
            return Ok((None, a));
        }
        // The page shows no section counts.
        let (i, a) = index.search_both(
            &SearchRequest::new(&query)
                .page(offset, PER_PAGE)
                .without_sections(),
            &SearchRequest::new(&query).page(0, ACTIONS_PREVIEW),
        )?;
        Ok((Some(i), a))
    })
    .await?;
    out.statuses = links(&q, "status", &actions.facets.statuses);
    let (paged_total, kind) = match incidents {
        None => (actions.total, "actions"),
        Some(i) => {
            out.years = links(&q, "year", &i.facets.years);
            out.tags = links(&q, "tag", &i.facets.tags);
            let total = i.total;
            out.incidents = Some(i);
            (total, "")
        }
    };
    out.actions = Some(actions);
    let params = [("q", q.clone()), ("kind", kind.to_string())];
    out.pager = Pager::new(
        "/search",
        &params,
        page,
        PER_PAGE as i64,
        paged_total as i64,
    );
    Ok(out)
}
