//! `/`: recent incidents, open and overdue action items, findings by rule and
//! the incidents-per-month chart.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::actions::ActionRow;
use super::error::WebError;
use super::state::{AppState, Viewer};
use super::view::Layout;
use crate::report::charts;
use crate::store::{ActionFilter, ActionStatus, Counts, IncidentFilter, IncidentSummary};

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    counts: Counts,
    recent: Vec<IncidentSummary>,
    overdue: Vec<ActionRow>,
    open: Vec<ActionRow>,
    open_total: i64,
    rules: Vec<(String, usize)>,
    chart: Option<String>,
    back: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<DashboardPage, WebError> {
    let store = state.kb.store();
    let today = chrono::Utc::now().date_naive();
    let counts = store.counts(today).await?;
    let all = store.list_incidents(&IncidentFilter::default()).await?;
    let dates: Vec<_> = all.items.iter().filter_map(|i| i.date).collect();
    let recent = all.items.into_iter().take(8).collect();
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
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    for f in store.findings(None).await? {
        *rules.entry(f.rule).or_default() += 1;
    }
    let mut rules: Vec<(String, usize)> = rules.into_iter().collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(DashboardPage {
        layout: Layout::new("Dashboard", "dashboard", &viewer, &state),
        counts,
        recent,
        overdue: ActionRow::many(overdue.items, today),
        open: ActionRow::many(open.items, today),
        open_total: open.total,
        rules,
        chart: incidents_per_month(&dates),
        back: "/".into(),
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
