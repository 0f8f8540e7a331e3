//! `/login` and `/logout`: enter the server's token once; the browser then
//! holds a session cookie (`HttpOnly`, `SameSite=Strict`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::{self, WritePolicy};
use super::error::WebError;
use super::extract::{Form, Query};
use super::state::{AppState, Viewer};
use super::view::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    layout: Layout,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NextQuery>,
) -> LoginPage {
    LoginPage {
        layout: Layout::new("Sign in", "login", &viewer, &state),
        next: safe_next(q.next.as_deref()),
        error: None,
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    viewer.csrf.check(&f.csrf)?;
    let next = safe_next(f.next.as_deref());
    let WritePolicy::Token(token) = &state.policy else {
        return Err(WebError::bad_request(
            "this server has no token configured; there is nothing to sign in to",
        ));
    };
    if !auth::same_secret(f.token.trim(), token) {
        let page = LoginPage {
            layout: Layout::new("Sign in", "login", &viewer, &state),
            next,
            error: Some("That is not the server's token.".into()),
        };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    }
    let id = state.sessions.create()?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, auth::session_cookie(Some(&id))),
            (LOCATION, next),
        ],
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    Form(f): Form<LogoutForm>,
) -> Result<Response, WebError> {
    viewer.csrf.check(&f.csrf)?;
    if let Some(id) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        state.sessions.remove(id);
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (SET_COOKIE, auth::session_cookie(None)),
            (LOCATION, "/".to_string()),
        ],
    )
        .into_response())
}

/// A local path to go back to after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}
