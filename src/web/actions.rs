//! `/actions`: the action-item board (filters by status, owner, incident,
//! overdue), `/actions/{id}` with its history, and `POST /actions/{id}` to
//! change status, owner or due date in place.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::error::WebError;
use super::extract::{Form, Path, non_empty, query_pairs};
use super::state::{AppState, Viewer};
use super::view::{Layout, Pager, page_number, query_string};
use crate::store::{ActionChanges, ActionFilter, ActionRecord, ActionStatus, HistoryEntry};

const PER_PAGE: i64 = 50;

/// One action item as a table row shows it.
pub struct ActionRow {
    pub a: ActionRecord,
    pub overdue: bool,
}

impl ActionRow {
    pub fn many(items: Vec<ActionRecord>, today: NaiveDate) -> Vec<ActionRow> {
        items
            .into_iter()
            .map(|a| ActionRow {
                overdue: a.is_overdue(today),
                a,
            })
            .collect()
    }

    pub fn owner(&self) -> &str {
        self.a.owner.as_deref().unwrap_or("")
    }

    pub fn due(&self) -> String {
        self.a.due.map(|d| d.to_string()).unwrap_or_default()
    }

    pub fn status_label(&self) -> &'static str {
        status_label(self.a.status)
    }

    /// The status choices: (value, label, selected). `removed` only when it is the state.
    pub fn options(&self) -> Vec<(&'static str, &'static str, bool)> {
        ActionStatus::ALL
            .into_iter()
            .filter(|s| *s != ActionStatus::Removed || self.a.status == ActionStatus::Removed)
            .map(|s| (s.as_str(), status_label(s), s == self.a.status))
            .collect()
    }

    pub fn is_url(&self, r: &str) -> bool {
        r.starts_with("https://") || r.starts_with("http://")
    }
}

pub fn status_label(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "open",
        ActionStatus::InProgress => "in progress",
        ActionStatus::Done => "done",
        ActionStatus::WontDo => "won't do",
        ActionStatus::Removed => "removed",
    }
}

/// The board's query: `status` may repeat (checkboxes) or list values with commas.
#[derive(Debug, Default)]
pub struct BoardQuery {
    status: Vec<String>,
    owner: Option<String>,
    incident: Option<String>,
    overdue: Option<String>,
    page: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for BoardQuery {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let mut q = BoardQuery::default();
        for (k, v) in query_pairs(parts.uri.query().unwrap_or("")) {
            match k.as_str() {
                "status" => q.status.extend(v.split(',').map(str::to_string)),
                "owner" => q.owner = Some(v),
                "incident" => q.incident = Some(v),
                "overdue" => q.overdue = Some(v),
                "page" => q.page = Some(v),
                _ => {}
            }
        }
        Ok(q)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "actions.html")]
pub struct BoardPage {
    layout: Layout,
    rows: Vec<ActionRow>,
    pager: Pager,
    statuses: Vec<(&'static str, &'static str, bool)>,
    owner: String,
    incident: String,
    overdue: bool,
    back: String,
}

/// Query parameters to keep in links: (name, value).
pub type Params = Vec<(&'static str, String)>;

/// The filter a board query asks for, and its query parameters (for links).
pub fn board_filter(q: &BoardQuery, page: i64) -> Result<(ActionFilter, Params), WebError> {
    let statuses = q
        .status
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<ActionStatus>())
        .collect::<Result<Vec<_>, _>>()?;
    let overdue = match non_empty(&q.overdue) {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") | Some("on") => true,
        Some(v) => {
            return Err(WebError::bad_request(format!(
                "`overdue` must be 1 or 0, not `{v}`"
            )));
        }
    };
    let today = chrono::Utc::now().date_naive();
    let filter = ActionFilter {
        statuses: statuses.clone(),
        owner: non_empty(&q.owner).map(str::to_string),
        overdue_on: overdue.then_some(today),
        incident: non_empty(&q.incident).map(str::to_string),
        include_archived: false,
        limit: Some(PER_PAGE),
        offset: (page - 1) * PER_PAGE,
    };
    let mut params: Vec<(&str, String)> =
        statuses.iter().map(|s| ("status", s.to_string())).collect();
    params.push(("owner", filter.owner.clone().unwrap_or_default()));
    params.push(("incident", filter.incident.clone().unwrap_or_default()));
    params.push(("overdue", if overdue { "1".into() } else { String::new() }));
    Ok((filter, params))
}

pub async fn board(
    State(state): State<AppState>,
    viewer: Viewer,
    q: BoardQuery,
) -> Result<BoardPage, WebError> {
    let page = page_number(&q.page)?;
    let (filter, params) = board_filter(&q, page)?;
    let items = state.kb.store().list_actions(&filter).await?;
    let today = chrono::Utc::now().date_naive();
    let mut with_page = params.clone();
    with_page.push(("page", page.to_string()));
    Ok(BoardPage {
        layout: Layout::new("Action items", "actions", &viewer, &state),
        pager: Pager::new("/actions", &params, page, PER_PAGE, items.total),
        rows: ActionRow::many(items.items, today),
        statuses: ActionStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), status_label(s), filter.statuses.contains(&s)))
            .collect(),
        owner: filter.owner.unwrap_or_default(),
        incident: filter.incident.unwrap_or_default(),
        overdue: filter.overdue_on.is_some(),
        back: format!("/actions{}", query_string(&with_page)),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "action.html")]
pub struct ActionPage {
    layout: Layout,
    rows: Vec<ActionRow>,
    history: Vec<HistoryEntry>,
    back: String,
}

pub async fn action(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<ActionPage, WebError> {
    let store = state.kb.store();
    let a = store.action(id).await?;
    let history = store.action_history(id).await?;
    let today = chrono::Utc::now().date_naive();
    Ok(ActionPage {
        layout: Layout::new(format!("Action item #{id}"), "actions", &viewer, &state),
        rows: ActionRow::many(vec![a], today),
        history,
        back: format!("/actions/{id}"),
    })
}

/// The in-place edit form. Blank owner or due date clears it.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    version: Option<String>,
    status: Option<String>,
    owner: Option<String>,
    due: Option<String>,
    note: Option<String>,
    back: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    viewer.csrf.check(&form.csrf)?;
    let who = viewer.access.require()?;
    let current = state.kb.store().action(id).await?;
    let version = super::extract::parse_opt::<i64>(&form.version, "version", "a number")?;
    let changes = changes_from_form(&current, &form)?;
    let note = non_empty(&form.note);
    if !changes.is_empty() || note.is_some() {
        state
            .update_action(id, &changes, version, who, note)
            .await?;
    }
    Ok(Redirect::to(&safe_back(form.back.as_deref(), id)).into_response())
}

/// Only the fields that differ from the item, so history records real changes.
fn changes_from_form(current: &ActionRecord, form: &ActionForm) -> Result<ActionChanges, WebError> {
    let mut changes = ActionChanges::default();
    if let Some(s) = non_empty(&form.status) {
        let status: ActionStatus = s.parse()?;
        if status != current.status {
            changes.status = Some(status);
        }
    }
    if let Some(owner) = &form.owner {
        let owner = Some(owner.trim().to_string()).filter(|o| !o.is_empty());
        if owner != current.owner {
            changes.owner = Some(owner);
        }
    }
    if form.due.is_some() {
        let due =
            super::extract::parse_opt::<NaiveDate>(&form.due, "due", "a date like 2026-12-31")?;
        if due != current.due {
            changes.due = Some(due);
        }
    }
    Ok(changes)
}

/// Return to a page of this site only (no open redirect).
pub fn safe_back(back: Option<&str>, id: i64) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => {
            let b = b.split('#').next().unwrap_or("/");
            format!("{b}#action-{id}")
        }
        _ => format!("/actions/{id}"),
    }
}
