//! Who may write: with a token configured, a signed-in browser session (cookie,
//! `HttpOnly`, `SameSite=Strict`) or an API bearer token; without one, requests
//! from loopback only. Forms carry a CSRF token (double-submit cookie).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use super::error::WebError;

pub const SESSION_COOKIE: &str = "coroner_session";
pub const CSRF_COOKIE: &str = "coroner_csrf";
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// How writes are allowed, decided once at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WritePolicy {
    Token(String),
    LoopbackOnly,
}

impl WritePolicy {
    pub fn from_token(token: Option<&str>) -> WritePolicy {
        match token.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => WritePolicy::Token(t.to_string()),
            None => WritePolicy::LoopbackOnly,
        }
    }

    /// One line for the terminal at start.
    pub fn describe(&self) -> &'static str {
        match self {
            WritePolicy::Token(_) => {
                "writes need the configured token (sign in on /login, or send `Authorization: Bearer TOKEN`)"
            }
            WritePolicy::LoopbackOnly => {
                "no token configured (server.token / CORONER_TOKEN): writes are accepted from loopback only"
            }
        }
    }
}

/// Signed-in browser sessions, by random id, expiring after 12 hours.
#[derive(Debug, Default)]
pub struct Sessions(Mutex<HashMap<String, Instant>>);

impl Sessions {
    pub fn create(&self) -> Result<String, WebError> {
        let id = random_hex()?;
        let mut map = self
            .0
            .lock()
            .map_err(|_| WebError::internal("session lock"))?;
        map.retain(|_, at| at.elapsed() < SESSION_TTL);
        map.insert(id.clone(), Instant::now());
        Ok(id)
    }

    pub fn is_valid(&self, id: &str) -> bool {
        self.0
            .lock()
            .map(|m| m.get(id).is_some_and(|at| at.elapsed() < SESSION_TTL))
            .unwrap_or(false)
    }

    pub fn remove(&self, id: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(id);
        }
    }
}

/// 128 random bits as hex, from the OS.
pub fn random_hex() -> Result<String, WebError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(WebError::internal)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compare secrets without leaking where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The bearer token of an `Authorization` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
}

/// Whether the peer is on this machine. Unknown peers are not. (Tests give the
/// peer with `MockConnectInfo`.)
pub fn is_loopback(extensions: &axum::http::Extensions) -> bool {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0)
        .or_else(|| extensions.get::<MockConnectInfo<SocketAddr>>().map(|m| m.0));
    peer.is_some_and(|p| p.ip().is_loopback())
}

/// The CSRF token of this request: the cookie's, or a fresh one set on the response.
#[derive(Debug, Clone)]
pub struct CsrfToken {
    pub value: String,
    /// The request carried it as a cookie (only then can a form match it).
    pub from_cookie: bool,
}

impl CsrfToken {
    /// A form's token must equal the cookie's.
    pub fn check(&self, submitted: &str) -> Result<(), WebError> {
        if self.from_cookie && same_secret(&self.value, submitted.trim()) {
            return Ok(());
        }
        Err(WebError::new(
            StatusCode::FORBIDDEN,
            "the form's security token is missing or out of date (CSRF check); reload the page and submit again",
        ))
    }
}

fn valid_token_shape(v: &str) -> bool {
    v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Middleware: give every request a [`CsrfToken`]; set the cookie when it is new.
pub async fn csrf_layer(mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|v| valid_token_shape(v))
        .map(str::to_string);
    let token = match existing {
        Some(value) => CsrfToken {
            value,
            from_cookie: true,
        },
        None => CsrfToken {
            value: random_hex().unwrap_or_default(),
            from_cookie: false,
        },
    };
    let fresh = (!token.from_cookie && !token.value.is_empty()).then(|| token.value.clone());
    req.extensions_mut().insert(token);
    let mut res = next.run(req).await;
    if let Some(v) = fresh {
        let c = format!("{CSRF_COOKIE}={v}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(h) = HeaderValue::from_str(&c) {
            res.headers_mut().append(SET_COOKIE, h);
        }
    }
    res
}

/// The `Set-Cookie` value for a new session, or for signing out (`None`).
pub fn session_cookie(id: Option<&str>) -> String {
    match id {
        Some(id) => format!(
            "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
            SESSION_TTL.as_secs()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    }
}
