//! CPU-bound work (searches: milliseconds each at 100k incidents) run on the
//! blocking pool, so the async workers keep serving pages and static files
//! while searches queue.

use super::error::WebError;

/// Run `work` on a blocking thread; a panic in it becomes a 500.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, WebError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(WebError::internal)?
}
