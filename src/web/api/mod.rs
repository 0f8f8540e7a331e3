//! The JSON API under `/api/v1/`: the same data as the pages. Reads are open;
//! changing an action item needs a bearer token (or loopback when none is set).

mod openapi;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::{Deserialize, Deserializer, Serialize};

use super::actions::{BoardQuery, board_filter};
use super::blocking::blocking;
use super::error::{ApiError, WebError};
use super::extract::{Json, Path, Query, non_empty};
use super::findings::known_rule;
use super::incidents::ListQuery;
use super::search::actions_only;
use super::state::{ApiCaller, AppState};
use crate::search::{ActionHit, IncidentHit, MAX_LIMIT, SearchRequest, SearchResults};
use crate::store::{
    ActionChanges, ActionRecord, ActionStatus, FindingRecord, HistoryEntry, Incident,
    IncidentSummary, Page,
};

type ApiResult<T> = Result<axum::Json<T>, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/incidents", get(incidents))
        .route("/api/v1/incidents/{slug}", get(incident))
        .route("/api/v1/search", get(search))
        .route("/api/v1/actions", get(actions))
        .route("/api/v1/actions/{id}", get(action).patch(update_action))
        .route("/api/v1/findings", get(findings))
}

/// `limit` (1–100, default 25) and `offset` for list endpoints.
#[derive(Debug, Default, Deserialize)]
struct Paging {
    limit: Option<String>,
    offset: Option<String>,
}

impl Paging {
    fn get(&self) -> Result<(i64, i64), WebError> {
        let limit =
            super::extract::parse_opt::<i64>(&self.limit, "limit", "a number from 1 to 100")?
                .unwrap_or(25);
        let offset =
            super::extract::parse_opt::<i64>(&self.offset, "offset", "a number ≥ 0")?.unwrap_or(0);
        if !(1..=MAX_LIMIT as i64).contains(&limit) || offset < 0 {
            return Err(WebError::bad_request(format!(
                "`limit` must be 1 to {MAX_LIMIT} and `offset` at least 0 (got {limit}, {offset})"
            )));
        }
        Ok((limit, offset))
    }
}

async fn incidents(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
    Query(p): Query<Paging>,
) -> ApiResult<Page<IncidentSummary>> {
    let (limit, offset) = p.get()?;
    let filter = q.filter(limit, offset)?;
    Ok(axum::Json(state.kb.store().list_incidents(&filter).await?))
}

async fn incident(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Incident> {
    Ok(axum::Json(state.kb.store().incident(&slug).await?))
}

#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    q: Option<String>,
    kind: Option<String>,
}

#[derive(Debug, Serialize)]
struct SearchBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    incidents: Option<SearchResults<IncidentHit>>,
    actions: SearchResults<ActionHit>,
}

async fn search(
    State(state): State<AppState>,
    Query(s): Query<SearchParams>,
    Query(p): Query<Paging>,
) -> ApiResult<SearchBody> {
    let q = non_empty(&s.q)
        .ok_or_else(|| WebError::bad_request("`q` is required: the search query"))?;
    let (limit, offset) = p.get()?;
    let req = SearchRequest::new(q).page(offset as usize, limit as usize);
    let actions_only = actions_only(&s.kind)?;
    let index = state.kb.index_handle();
    let body = blocking(move || {
        if actions_only {
            return Ok(SearchBody {
                incidents: None,
                actions: index.search_actions(&req)?,
            });
        }
        let (incidents, actions) = index.search_both(&req, &req)?;
        Ok(SearchBody {
            incidents: Some(incidents),
            actions,
        })
    })
    .await?;
    Ok(axum::Json(body))
}

async fn actions(
    State(state): State<AppState>,
    q: BoardQuery,
    Query(p): Query<Paging>,
) -> ApiResult<Page<ActionRecord>> {
    let (limit, offset) = p.get()?;
    let (mut filter, _) = board_filter(&q, 1)?;
    filter.limit = Some(limit);
    filter.offset = offset;
    Ok(axum::Json(state.kb.store().list_actions(&filter).await?))
}

#[derive(Debug, Serialize)]
struct ActionBody {
    #[serde(flatten)]
    action: ActionRecord,
    history: Vec<HistoryEntry>,
}

async fn action(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<ActionBody> {
    let store = state.kb.store();
    Ok(axum::Json(ActionBody {
        action: store.action(id).await?,
        history: store.action_history(id).await?,
    }))
}

/// `PATCH` body: only the fields present change; `null` clears owner or due.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionPatch {
    status: Option<ActionStatus>,
    #[serde(default, deserialize_with = "present")]
    owner: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    due: Option<Option<chrono::NaiveDate>>,
    /// The version you read; a stale one gets 409.
    version: Option<i64>,
    note: Option<String>,
}

/// A field that is present (even as `null`) is `Some`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

async fn update_action(
    State(state): State<AppState>,
    ApiCaller(access): ApiCaller,
    Path(id): Path<i64>,
    Json(patch): Json<ActionPatch>,
) -> ApiResult<ActionRecord> {
    let who = access.require().map_err(WebError::into_json)?;
    let changes = ActionChanges {
        status: patch.status,
        owner: patch
            .owner
            .map(|o| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
        due: patch.due,
    };
    let note = patch
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if changes.is_empty() && note.is_none() {
        return Err(
            WebError::bad_request("nothing to change: send status, owner, due or note").into(),
        );
    }
    let rec = state
        .update_action(id, &changes, patch.version, who, note)
        .await?;
    Ok(axum::Json(rec))
}

#[derive(Debug, Default, Deserialize)]
struct FindingsParams {
    rule: Option<String>,
}

async fn findings(
    State(state): State<AppState>,
    Query(q): Query<FindingsParams>,
) -> ApiResult<Vec<FindingRecord>> {
    let rule = known_rule(&q.rule)?;
    Ok(axum::Json(state.kb.store().findings(rule).await?))
}
