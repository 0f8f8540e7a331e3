//! The web app (`coroner serve`): server-rendered pages (askama, complete without
//! JavaScript), a JSON API under `/api/v1/`, `/healthz` and `/metrics`. Templates
//! and static files are compiled in. Writes go through the knowledge base so the
//! search index follows the store.

mod actions;
mod api;
mod assets;
pub mod auth;
mod blocking;
mod cache;
mod dashboard;
pub mod error;
mod extract;
mod findings;
mod health;
mod incident;
mod incidents;
mod metrics;
pub mod render;
mod reports;
mod search;
mod session;
pub mod state;
mod timeline_view;
mod upload;
mod view;
pub mod watch;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use tokio::net::TcpListener;

use error::WebError;
pub use state::AppState;

/// Largest request body accepted (uploads included).
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// Every route, with CSRF cookies, metrics, security headers and the body limit.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/incidents", get(incidents::list))
        .route("/incidents/new", get(upload::form).post(upload::submit))
        .route("/incidents/{slug}", get(incident::page))
        .route("/search", get(search::page))
        .route("/actions", get(actions::board))
        .route("/actions/{id}", get(actions::action).post(actions::update))
        .route("/findings", get(findings::page))
        .route("/reports/weekly", get(reports::index))
        .route("/reports/weekly/{week}", get(reports::week))
        .route("/login", get(session::form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/static/{name}", get(assets::asset))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics));
    pages
        .merge(api::routes())
        .fallback(not_found)
        .layer(middleware::from_fn(auth::csrf_layer))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

async fn not_found(req: Request) -> WebError {
    let path = req.uri().path().to_string();
    WebError::not_found(format!("there is no page at `{path}`")).for_path(&path)
}

/// A strict content security policy: the page loads only its own script and style.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler may set a stricter policy of its own (the self-contained report).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Serve until `shutdown` completes; the peer address feeds the loopback rule.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
