//! `/incidents/{slug}`: metadata, the timeline drawn as a timeline, findings
//! linked to their lines, the post-mortem rendered (sanitized), its action
//! items with controls, and similar incidents.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;

use super::actions::ActionRow;
use super::error::WebError;
use super::extract::{Path, Query, non_empty};
use super::render;
use super::state::{AppState, Viewer};
use super::timeline_view::{self, Order, TimelineView};
use super::view::{Layout, human_minutes};
use crate::model::Finding;
use crate::search::SimilarIncident;
use crate::store::Incident;

#[derive(Debug, Default, Deserialize)]
pub struct IncidentQuery {
    order: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "incident.html")]
pub struct IncidentPage {
    layout: Layout,
    /// Kept between requests (see [`super::cache`]); the layout is the viewer's.
    p: Arc<IncidentData>,
}

/// What the page shows of one incident in one order: the same for every viewer.
pub struct IncidentData {
    title: String,
    i: Incident,
    timeline: TimelineView,
    findings: Vec<Finding>,
    /// The post-mortem rendered and sanitized (kept per content hash).
    body: Arc<str>,
    source: Vec<(usize, String)>,
    rows: Vec<ActionRow>,
    similar: Vec<SimilarIncident>,
    /// The source file, relative to the incidents folder when inside it.
    source_path: String,
    zone: String,
    duration: String,
    back: String,
}

impl IncidentData {
    /// Roughly the bytes it holds, for the cache's budget.
    pub fn weight(&self) -> usize {
        // The markdown is held twice (text, source lines) plus its document.
        self.i.raw_markdown.len() * 4 + self.body.len()
    }
}

/// Similarity (cosine of the two texts' terms) from which an incident is listed as similar.
const MIN_SIMILARITY: f32 = 0.1;

/// `path` relative to the incidents folder (links resolved) when it lies inside it.
fn shown_path(path: &str, incidents_root: &std::path::Path) -> String {
    std::path::Path::new(path)
        .strip_prefix(incidents_root)
        .map(|rel| rel.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}

pub fn parse_order(v: &Option<String>) -> Result<Order, WebError> {
    match non_empty(v) {
        None | Some("narrative") => Ok(Order::Narrative),
        Some("chronological") | Some("chrono") => Ok(Order::Chronological),
        Some(o) => Err(WebError::bad_request(format!(
            "`order` must be narrative or chronological, not `{o}`"
        ))),
    }
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Query(q): Query<IncidentQuery>,
) -> Result<IncidentPage, WebError> {
    let order = parse_order(&q.order)?;
    let today = chrono::Utc::now().date_naive();
    let key = (slug, order == Order::Chronological);
    let p = match state.cache.incident(&key, today) {
        Some(p) => p,
        None => {
            let generation = state.cache.generation();
            let p = Arc::new(data(&state, &key.0, order, today).await?);
            state
                .cache
                .put_incident(key, generation, today, Arc::clone(&p));
            p
        }
    };
    Ok(IncidentPage {
        layout: Layout::new(p.title.clone(), "incidents", &viewer, &state),
        p,
    })
}

async fn data(
    state: &AppState,
    slug: &str,
    order: Order,
    today: chrono::NaiveDate,
) -> Result<IncidentData, WebError> {
    let i = state.kb.store().incident(slug).await?;
    let similar = state
        .kb
        .index()
        .similar(&i.summary.slug, 5)
        .unwrap_or_else(|e| {
            tracing::warn!("similar incidents of {slug}: {e}");
            Vec::new()
        })
        .into_iter()
        // Below this, "similar" means sharing a few common words.
        .filter(|s| s.score >= MIN_SIMILARITY)
        .collect();
    let source_path = shown_path(&i.summary.source_path, &state.incidents_root());
    let doc = &i.document;
    let mut findings = doc.findings.clone();
    findings.sort_by_key(|f| (f.line.unwrap_or(0), std::cmp::Reverse(f.severity)));
    let body = state.cache.body(&i.summary.slug, &i.content_hash, || {
        render::markdown(crate::parse::front_matter::without_front_matter(
            &i.raw_markdown,
            doc.front_matter.end_line,
        ))
    });
    let source = i
        .raw_markdown
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.to_string()))
        .collect();
    let zone = doc
        .timezone
        .as_ref()
        .map(|z| {
            if z.label == z.zone {
                z.zone.clone()
            } else {
                format!("{} ({})", z.label, z.zone)
            }
        })
        .unwrap_or_else(|| "not stated (UTC assumed)".into());
    let title = i
        .summary
        .title
        .clone()
        .unwrap_or_else(|| i.summary.slug.clone());
    Ok(IncidentData {
        title,
        timeline: timeline_view::build(doc, order),
        findings,
        body,
        source,
        rows: ActionRow::many(i.actions.clone(), today),
        similar,
        source_path,
        zone,
        duration: i
            .summary
            .duration_minutes
            .map(human_minutes)
            .unwrap_or_default(),
        back: format!("/incidents/{}", super::view::encode(&i.summary.slug)),
        i,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_paths_are_shown_relative_to_the_incidents_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let file = root.join("team/2018-01-26.md");
        assert_eq!(
            shown_path(&file.display().to_string(), &root),
            "team/2018-01-26.md"
        );
        assert_eq!(shown_path("/elsewhere/x.md", &root), "/elsewhere/x.md");
    }
}
