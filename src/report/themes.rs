//! Recurring themes: incidents of the week that resemble earlier ones, by the
//! search index's text similarity.

use super::model::{ReportIncident, SimilarRef, Theme, Themes};
use crate::search::SearchIndex;

/// Similarity from which an earlier incident counts as the same theme. On the
/// shipped corpus, recurrences score 0.31-0.45 (the January 2018 helm chart
/// incidents 0.33, Kafka metrics 0.43, course subscriptions 0.45) and most
/// unrelated pairs 0.15-0.25.
pub const THEME_MIN_SCORE: f32 = 0.3;
/// Earlier incidents listed per incident of the week.
const PER_INCIDENT: usize = 3;
/// Candidates asked of the index (later incidents are dropped from them).
const CANDIDATES: usize = 10;

/// The themes section; without an index it says so rather than look empty.
pub(super) fn recurring(index: Option<&SearchIndex>, incidents: &[ReportIncident]) -> Themes {
    let Some(index) = index else {
        return Themes {
            available: false,
            note: Some("unavailable: no search index (run `coroner reindex` to build one)".into()),
            recurring: Vec::new(),
        };
    };
    let mut themes = Themes {
        available: true,
        ..Themes::default()
    };
    let mut missing = Vec::new();
    for incident in incidents {
        match index.similar(&incident.slug, CANDIDATES) {
            Ok(found) => {
                let mut seen = Vec::new();
                let similar: Vec<SimilarRef> = found
                    .into_iter()
                    .filter(|s| s.score >= THEME_MIN_SCORE)
                    .filter(|s| matches!((s.date, incident.date), (Some(a), Some(b)) if a < b))
                    // Copies of one post-mortem (same title and date) are listed once.
                    .filter(|s| {
                        let key = (s.title.clone(), s.date);
                        let new = !seen.contains(&key);
                        seen.push(key);
                        new
                    })
                    .take(PER_INCIDENT)
                    .map(|s| SimilarRef {
                        slug: s.slug,
                        title: s.title,
                        date: s.date,
                        score: (f64::from(s.score) * 1000.0).round() / 1000.0,
                    })
                    .collect();
                if !similar.is_empty() {
                    themes.recurring.push(Theme {
                        incident: incident.slug.clone(),
                        title: incident.title.clone(),
                        similar,
                    });
                }
            }
            Err(_) => missing.push(incident.slug.as_str()),
        }
    }
    if !missing.is_empty() {
        themes.note = Some(format!(
            "the search index does not know {} (run `coroner reindex`)",
            missing.join(", ")
        ));
    }
    themes
}
