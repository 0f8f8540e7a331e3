//! `/healthz`: the database answers and the search index opens.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> Response {
    let today = chrono::Utc::now().date_naive();
    let db = state.kb.store().counts(today).await;
    let index = state.kb.index().counts();
    match (db, index) {
        (Ok(c), Ok((indexed, _))) => Json(serde_json::json!({
            "status": "ok",
            "incidents": c.incidents,
            "indexed_incidents": indexed,
        }))
        .into_response(),
        (db, index) => {
            let db_err = db.err().map(|e| e.to_string());
            let index_err = index.err().map(|e| e.to_string());
            tracing::error!("health check failed: database {db_err:?}, index {index_err:?}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "unavailable",
                    "database": if db_err.is_some() { "failing" } else { "ok" },
                    "search_index": if index_err.is_some() { "failing" } else { "ok" },
                })),
            )
                .into_response()
        }
    }
}
