//! Static files compiled into the binary: no CDN, no file next to the binary.
//! Plus, for the HTTP benchmark's floor, one file named at start and served the
//! same way (from memory) — see [`FloorFile`].

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::error::WebError;
use super::extract::Path;
use super::state::AppState;

/// (name, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/app.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
];

/// A file served at `/static/{file name}` from memory, like the compiled-in
/// files: what the benchmark compares the incident page with (same router,
/// middleware and response size, no work of ours). It is read on its first
/// request and kept, so the benchmark can write it once it knows the page's size.
#[derive(Debug)]
pub struct FloorFile {
    name: String,
    path: PathBuf,
    bytes: tokio::sync::OnceCell<Bytes>,
}

impl FloorFile {
    pub fn new(path: PathBuf) -> Option<FloorFile> {
        let name = path.file_name()?.to_str()?.to_string();
        Some(FloorFile {
            name,
            path,
            bytes: tokio::sync::OnceCell::new(),
        })
    }

    async fn bytes(&self) -> Result<Bytes, WebError> {
        self.bytes
            .get_or_try_init(|| async {
                tokio::fs::read(&self.path)
                    .await
                    .map(Bytes::from)
                    .map_err(|e| WebError::not_found(format!("{}: {e}", self.path.display())))
            })
            .await
            .cloned()
    }
}

/// `GET /static/{name}`, cached for a day by browsers.
pub async fn asset(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let headers = |ty: &'static str| [(CONTENT_TYPE, ty), (CACHE_CONTROL, "public, max-age=86400")];
    if let Some((_, ty, bytes)) = FILES.iter().find(|(n, _, _)| *n == name) {
        return Ok((headers(ty), *bytes).into_response());
    }
    match &state.floor_file {
        Some(f) if f.name == name => {
            Ok((headers("text/html; charset=utf-8"), f.bytes().await?).into_response())
        }
        _ => Err(WebError::not_found(format!(
            "static file `{name}` not found"
        ))),
    }
}
