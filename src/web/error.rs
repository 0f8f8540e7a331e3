//! One error type for every handler: an HTML page or a JSON body (API routes),
//! with the status the problem deserves. Internal causes are logged, never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::kb::KbError;
use crate::search::SearchError;
use crate::store::StoreError;

/// What went wrong, for the person who asked.
#[derive(Debug, Clone)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    /// Render as JSON (API routes) rather than as a page.
    pub json: bool,
}

impl WebError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
            json: false,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> WebError {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// Log the cause; tell the user only that something failed on our side.
    pub fn internal(cause: impl std::fmt::Display) -> WebError {
        tracing::error!("internal error: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "something went wrong on the server; the details are in its log",
        )
    }

    /// The JSON form, for API routes.
    pub fn into_json(mut self) -> WebError {
        self.json = true;
        self
    }

    /// JSON when `path` is an API route.
    pub fn for_path(mut self, path: &str) -> WebError {
        self.json = path.starts_with("/api/");
        self
    }
}

impl From<StoreError> for WebError {
    fn from(err: StoreError) -> WebError {
        let status = match &err {
            StoreError::NotFound(_) => StatusCode::NOT_FOUND,
            StoreError::Conflict { .. } => StatusCode::CONFLICT,
            StoreError::InvalidInput(_) => StatusCode::BAD_REQUEST,
            StoreError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            StoreError::Database(_) => return WebError::internal(err),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!("{err}");
            return WebError::new(status, "the database is busy; try again in a moment");
        }
        WebError::new(status, err.to_string())
    }
}

impl From<SearchError> for WebError {
    fn from(err: SearchError) -> WebError {
        if err.is_user_error() {
            return WebError::bad_request(err.to_string());
        }
        tracing::error!("search: {err}");
        WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the search index is unavailable; the details are in the server's log",
        )
    }
}

impl From<KbError> for WebError {
    fn from(err: KbError) -> WebError {
        match err {
            KbError::Store(e) => e.into(),
            KbError::Search(e) => e.into(),
            KbError::Task(e) => WebError::internal(e),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    code: u16,
    reason: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let reason = self.status.canonical_reason().unwrap_or("Error");
        if self.json {
            let body = serde_json::json!({
                "error": { "status": self.status.as_u16(), "reason": reason, "message": self.message }
            });
            return (self.status, Json(body)).into_response();
        }
        let page = ErrorPage {
            code: self.status.as_u16(),
            reason,
            message: &self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => (self.status, format!("{reason}: {} ({e})", self.message)).into_response(),
        }
    }
}

/// The error of API handlers: always JSON.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(err: E) -> ApiError {
        ApiError(err.into().into_json())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json().into_response()
    }
}
