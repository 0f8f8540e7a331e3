//! What every handler shares: the knowledge base, the write policy, sessions,
//! upload settings and request metrics; and who the current viewer is.

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::assets::FloorFile;
use super::auth::{self, CsrfToken, Sessions, WritePolicy};
use super::cache::PageCache;
use super::error::WebError;
use super::metrics::Metrics;
use crate::AnalyzeOptions;
use crate::ingest::{IngestOptions, IngestSummary};
use crate::kb::{KbError, KnowledgeBase};
use crate::store::{ActionChanges, ActionRecord};

/// Cheap to clone: one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub kb: KnowledgeBase,
    pub policy: WritePolicy,
    pub sessions: Sessions,
    /// Where uploaded post-mortems are written (and what `--watch` watches).
    pub incidents_dir: PathBuf,
    pub analyze: AnalyzeOptions,
    pub metrics: Metrics,
    /// The team's zone: weekly report boundaries (see [`crate::report::team_zone`]).
    pub report_zone: chrono_tz::Tz,
    /// `incidents_dir` with links resolved, once it exists (see [`AppState::incidents_root`]).
    incidents_root: std::sync::OnceLock<PathBuf>,
    /// What pages share between viewers (rendered bodies, dashboard numbers).
    pub cache: PageCache,
    /// The benchmark's static file, when one was named at start.
    pub floor_file: Option<FloorFile>,
}

impl AppState {
    pub fn new(
        kb: KnowledgeBase,
        policy: WritePolicy,
        incidents_dir: PathBuf,
        analyze: AnalyzeOptions,
    ) -> AppState {
        AppState(Arc::new(Inner {
            kb,
            policy,
            sessions: Sessions::default(),
            incidents_dir,
            analyze,
            metrics: Metrics::default(),
            report_zone: chrono_tz::Tz::UTC,
            incidents_root: std::sync::OnceLock::new(),
            cache: PageCache::default(),
            floor_file: None,
        }))
    }

    /// Set the team's zone for weekly reports (before the state is shared).
    pub fn with_report_zone(mut self, tz: chrono_tz::Tz) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.report_zone = tz;
        }
        self
    }

    /// The incidents folder with links resolved, as stored source paths are
    /// (resolved once it exists: not a file-system walk per page).
    pub fn incidents_root(&self) -> std::borrow::Cow<'_, std::path::Path> {
        if let Some(root) = self.incidents_root.get() {
            return root.as_path().into();
        }
        match std::fs::canonicalize(&self.incidents_dir) {
            Ok(root) => self.incidents_root.get_or_init(|| root).as_path().into(),
            Err(_) => self.incidents_dir.as_path().into(),
        }
    }

    /// Ingest through the knowledge base; what pages keep from the store is dropped.
    pub async fn ingest(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
    ) -> Result<IngestSummary, KbError> {
        let result = self.kb.ingest(paths, opts).await;
        self.cache.invalidate();
        result
    }

    /// Change an action item through the knowledge base (see [`KnowledgeBase::update_action`]).
    pub async fn update_action(
        &self,
        id: i64,
        changes: &ActionChanges,
        expected_version: Option<i64>,
        who: &str,
        note: Option<&str>,
    ) -> Result<ActionRecord, KbError> {
        let result = self
            .kb
            .update_action(id, changes, expected_version, who, note)
            .await;
        self.cache.invalidate();
        result
    }

    /// Serve `path` at `/static/{its file name}` (the HTTP benchmark's floor).
    pub fn with_floor_file(mut self, path: PathBuf) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.floor_file = FloorFile::new(path);
        }
        self
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// May this request write, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Allowed; the name recorded in action item history.
    Write(&'static str),
    /// A token is configured and the request did not present it.
    NeedsToken,
    /// No token is configured and the request is not from loopback.
    RemoteReadOnly,
}

impl Access {
    pub fn can_write(&self) -> bool {
        matches!(self, Access::Write(_))
    }

    /// The name to record, or the error to answer with.
    pub fn require(&self) -> Result<&'static str, WebError> {
        match self {
            Access::Write(who) => Ok(who),
            Access::NeedsToken => Err(WebError::new(
                StatusCode::UNAUTHORIZED,
                "changes need the server's token: sign in at /login (API: send `Authorization: Bearer TOKEN`)",
            )),
            Access::RemoteReadOnly => Err(WebError::new(
                StatusCode::FORBIDDEN,
                "this server has no token configured, so it accepts changes only from the machine it runs on",
            )),
        }
    }
}

/// The browser viewing a page: its CSRF token and its write access (session cookie).
pub struct Viewer {
    pub csrf: CsrfToken,
    pub access: Access,
    pub signed_in: bool,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .unwrap_or(CsrfToken {
                value: String::new(),
                from_cookie: false,
            });
        let session = auth::cookie(&parts.headers, auth::SESSION_COOKIE);
        let signed_in = session.is_some_and(|id| state.sessions.is_valid(id));
        let access = match &state.policy {
            WritePolicy::Token(_) if signed_in => Access::Write("web"),
            WritePolicy::Token(_) => Access::NeedsToken,
            WritePolicy::LoopbackOnly if auth::is_loopback(&parts.extensions) => {
                Access::Write("web (local)")
            }
            WritePolicy::LoopbackOnly => Access::RemoteReadOnly,
        };
        Ok(Viewer {
            csrf,
            access,
            signed_in,
        })
    }
}

/// An API client: bearer token, or loopback when no token is configured.
pub struct ApiCaller(pub Access);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let access = match &state.policy {
            WritePolicy::Token(token) => match auth::bearer(&parts.headers) {
                Some(t) if auth::same_secret(t, token) => Access::Write("api"),
                _ => Access::NeedsToken,
            },
            WritePolicy::LoopbackOnly if auth::is_loopback(&parts.extensions) => {
                Access::Write("api (local)")
            }
            WritePolicy::LoopbackOnly => Access::RemoteReadOnly,
        };
        Ok(ApiCaller(access))
    }
}
