//! `/`: recent incidents, open and overdue action items, findings by rule and
//! the incidents-per-month chart.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::actions::ActionRow;
use super::cache::Lookup;
use super::error::WebError;
use super::state::{AppState, Viewer};
use super::view::Layout;
use crate::report::charts;
use crate::store::{ActionFilter, ActionStatus, Counts, IncidentFilter, IncidentSummary};

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    /// Kept between requests (see [`super::cache`]); the layout is the viewer's.
    dash: Arc<DashboardData>,
    back: String,
}

/// What the dashboard shows: the same for every viewer.
pub struct DashboardData {
    counts: Counts,
    recent: Vec<IncidentSummary>,
    overdue: Vec<ActionRow>,
    open: Vec<ActionRow>,
    open_total: i64,
    rules: Vec<(String, usize)>,
    chart: Option<String>,
}

/// Recent incidents listed.
const RECENT: i64 = 8;

pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<DashboardPage, WebError> {
    let today = chrono::Utc::now().date_naive();
    let d = match state.cache.dashboard(today) {
        Lookup::Fresh(d) => d,
        Lookup::Stale(d) => {
            // Show these; one background task brings them up to date.
            if let Ok(guard) = Arc::clone(&state.cache.refresh).try_lock_owned() {
                let state = state.clone();
                tokio::spawn(async move {
                    if let Err(e) = refresh(&state, today).await {
                        tracing::warn!("dashboard refresh: {}", e.message);
                    }
                    drop(guard);
                });
            }
            d
        }
        Lookup::Missing => {
            let _guard = state.cache.refresh.lock().await;
            // Another request may have computed them while this one waited.
            match state.cache.dashboard(today) {
                Lookup::Fresh(d) | Lookup::Stale(d) => d,
                Lookup::Missing => refresh(&state, today).await?,
            }
        }
    };
    Ok(DashboardPage {
        layout: Layout::new("Dashboard", "dashboard", &viewer, &state),
        dash: d,
        back: "/".into(),
    })
}

/// Compute the dashboard's data and keep it.
async fn refresh(
    state: &AppState,
    today: chrono::NaiveDate,
) -> Result<Arc<DashboardData>, WebError> {
    let generation = state.cache.generation();
    let started = std::time::Instant::now();
    let d = Arc::new(data(state, today).await?);
    state
        .cache
        .put_dashboard(generation, today, Arc::clone(&d), started.elapsed());
    Ok(d)
}

async fn data(state: &AppState, today: chrono::NaiveDate) -> Result<DashboardData, WebError> {
    let store = state.kb.store();
    let counts = store.counts(today).await?;
    let recent = store
        .list_incidents(&IncidentFilter {
            limit: Some(RECENT),
            ..IncidentFilter::default()
        })
        .await?
        .items;
    let dates = store.incident_dates().await?;
    let overdue = store
        .list_actions(&ActionFilter {
            overdue_on: Some(today),
            limit: Some(10),
            ..ActionFilter::default()
        })
        .await?;
    let open = store
        .list_actions(&ActionFilter {
            statuses: vec![ActionStatus::Open, ActionStatus::InProgress],
            limit: Some(10),
            ..ActionFilter::default()
        })
        .await?;
    let rules = store.finding_counts_by_rule().await?;
    Ok(DashboardData {
        counts,
        recent,
        overdue: ActionRow::many(overdue.items, today),
        open: ActionRow::many(open.items, today),
        open_total: open.total,
        rules,
        chart: incidents_per_month(&dates),
    })
}

/// Incidents per month from the first dated incident's month to the last's
/// (at most ten years), drawn by the report's bar chart.
fn incidents_per_month(dates: &[chrono::NaiveDate]) -> Option<String> {
    use chrono::Datelike;
    let (first, last) = (dates.iter().min()?, dates.iter().max()?);
    let span = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1;
    let months = span.clamp(1, 120) as u32;
    let bars = charts::monthly_bars(dates, *last, months);
    Some(charts::bar_chart("Incidents per month", &bars, true))
}
