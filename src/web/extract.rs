//! axum's extractors with their rejections turned into [`WebError`]s, so bad
//! query strings, forms and JSON bodies get a clear 400 (or 413) page or JSON.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::WebError;

/// A query string, deserialized.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(Query(q.0)),
            Err(e) => Err(WebError::new(e.status(), e.body_text()).for_path(parts.uri.path())),
        }
    }
}

/// A url-encoded form body, deserialized.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let path = req.uri().path().to_string();
        match axum::extract::Form::<T>::from_request(req, state).await {
            Ok(f) => Ok(Form(f.0)),
            Err(e) => Err(WebError::new(bad_input(e.status()), e.body_text()).for_path(&path)),
        }
    }
}

/// A JSON body, deserialized; rejections are JSON too.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        match axum::extract::Json::<T>::from_request(req, state).await {
            Ok(j) => Ok(Json(j.0)),
            Err(e) => Err(WebError::new(bad_input(e.status()), e.body_text()).into_json()),
        }
    }
}

/// Path parameters, deserialized.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(Path(p.0)),
            Err(e) => Err(WebError::new(e.status(), e.body_text()).for_path(parts.uri.path())),
        }
    }
}

/// Input that could not be read is a 400, whatever the extractor called it
/// (axum says 422 for a well-formed body of the wrong shape); 413 and 415 stay.
fn bad_input(status: StatusCode) -> StatusCode {
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        StatusCode::BAD_REQUEST
    } else {
        status
    }
}

/// An optional form/query value: blank counts as absent.
pub fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parse an optional value, naming the field and the expected shape when it is wrong.
pub fn parse_opt<T: std::str::FromStr>(
    v: &Option<String>,
    field: &str,
    expected: &str,
) -> Result<Option<T>, WebError> {
    match non_empty(v) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| WebError::bad_request(format!("`{field}` must be {expected}, not `{s}`"))),
    }
}

/// `a=1&b=x+y` → pairs, percent-decoded (repeated keys kept, in order).
pub fn query_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_decode_and_repeat() {
        let p = query_pairs("status=open&status=in_progress&owner=kat+b&x=%E2%9C%93&bad=%zz&t=%4");
        assert_eq!(p[0], ("status".into(), "open".into()));
        assert_eq!(p[1].1, "in_progress");
        assert_eq!(p[2].1, "kat b");
        assert_eq!(p[3].1, "✓");
        assert_eq!(p[4].1, "%zz");
        assert_eq!(p[5].1, "%4");
    }
}
