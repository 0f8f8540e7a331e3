//! `/reports/weekly`: the index of weeks, and one week's report as a page
//! (`/reports/weekly/2018-W04`), Markdown (`….md`) or JSON (`….json`), in the
//! team's time zone.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::error::WebError;
use super::state::{AppState, Viewer};
use super::view::Layout;
use crate::report::html::{self, Links};
use crate::report::{self, IsoWeek, ReportError, markdown};
use crate::store::IncidentFilter;

/// Where week pages live; links in the report are built on it.
const WEEKS: &str = "/reports/weekly/";

/// One week in the index.
pub struct WeekLink {
    pub name: String,
    pub monday: String,
    pub incidents: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    layout: Layout,
    zone: String,
    last_complete: String,
    weeks: Vec<WeekLink>,
}

/// The weeks that had incidents, newest first, and the last complete week.
pub async fn index(State(state): State<AppState>, viewer: Viewer) -> Result<ReportsPage, WebError> {
    let tz = state.report_zone;
    let all = state
        .kb
        .store()
        .list_incidents(&IncidentFilter::default())
        .await?;
    let mut counts: BTreeMap<IsoWeek, usize> = BTreeMap::new();
    for incident in &all.items {
        let week = match (incident.started_at, incident.date) {
            (Some(at), _) => IsoWeek::of_instant(at, tz),
            (None, Some(day)) => IsoWeek::containing(day),
            (None, None) => continue,
        };
        *counts.entry(week).or_default() += 1;
    }
    let weeks = counts
        .into_iter()
        .rev()
        .map(|(week, incidents)| WeekLink {
            name: week.to_string(),
            monday: week.monday().to_string(),
            incidents,
        })
        .collect();
    Ok(ReportsPage {
        layout: Layout::new("Weekly reports", "reports", &viewer, &state),
        zone: tz.name().to_string(),
        last_complete: IsoWeek::last_complete(chrono::Utc::now(), tz).to_string(),
        weeks,
    })
}

/// One week: `2018-W04` (HTML), `2018-W04.md` or `2018-W04.json`.
pub async fn week(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let (week, format) = match name.rsplit_once('.') {
        Some((week, "md")) => (week, Format::Markdown),
        Some((week, "json")) => (week, Format::Json),
        Some((_, other)) => {
            return Err(WebError::not_found(format!(
                "no `.{other}` variant of a weekly report: use `.md`, `.json` or none (HTML)"
            )));
        }
        None => (name.as_str(), Format::Html),
    };
    let week: IsoWeek = week.parse().map_err(report_error)?;
    let report = report::weekly(
        state.kb.store(),
        Some(state.kb.index()),
        week,
        state.report_zone,
        chrono::Utc::now(),
    )
    .await
    .map_err(report_error)?;
    Ok(match format {
        Format::Html => {
            let links = Links {
                weeks: Some(WEEKS.to_string()),
                incidents: Some("/incidents/".to_string()),
            };
            let page = html::render_linked(&report, &links).map_err(report_error)?;
            // The page is self-contained: its own inline style, no script at all.
            let policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                          base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            ([(header::CONTENT_SECURITY_POLICY, policy)], Html(page)).into_response()
        }
        Format::Markdown => (
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            markdown::render(&report),
        )
            .into_response(),
        Format::Json => Json(report).into_response(),
    })
}

enum Format {
    Html,
    Markdown,
    Json,
}

fn report_error(err: ReportError) -> WebError {
    match err {
        ReportError::Store(e) => e.into(),
        e if e.is_user_error() => WebError::bad_request(e.to_string()),
        e => WebError::internal(e),
    }
}
