//! Pieces every page uses: the layout's data, pagination links, query strings
//! and the way durations and instants are written.

use chrono::{DateTime, Utc};

use super::auth::WritePolicy;
use super::state::{AppState, Viewer};

/// What the base template needs: title, active tab, CSRF token, write access.
pub struct Layout {
    pub title: String,
    pub active: &'static str,
    pub csrf: String,
    pub can_write: bool,
    pub signed_in: bool,
    pub token_configured: bool,
}

impl Layout {
    pub fn new(
        title: impl Into<String>,
        active: &'static str,
        viewer: &Viewer,
        state: &AppState,
    ) -> Layout {
        Layout {
            title: title.into(),
            active,
            csrf: viewer.csrf.value.clone(),
            can_write: viewer.access.can_write(),
            signed_in: viewer.signed_in,
            token_configured: matches!(state.policy, WritePolicy::Token(_)),
        }
    }
}

/// Previous/next links for a paged list.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `params` are the list's other query parameters, kept in the links.
    pub fn new(
        base: &str,
        params: &[(&str, String)],
        page: i64,
        per_page: i64,
        total: i64,
    ) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let link = |p: i64| {
            let mut all: Vec<(&str, String)> = params.to_vec();
            all.push(("page", p.to_string()));
            format!("{base}{}", query_string(&all))
        };
        Pager {
            page,
            pages,
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

/// `?a=1&b=x%20y`, leaving out empty values; `""` when nothing is left.
pub fn query_string(params: &[(&str, String)]) -> String {
    let parts: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encode everything but unreserved characters.
pub fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `45m`, `2h 05m`, `3d 4h`.
pub fn human_minutes(minutes: i64) -> String {
    let m = minutes.abs();
    let sign = if minutes < 0 { "-" } else { "" };
    let text = if m < 60 {
        format!("{m}m")
    } else if m < 24 * 60 {
        format!("{}h {:02}m", m / 60, m % 60)
    } else {
        format!("{}d {}h", m / 1440, (m % 1440) / 60)
    };
    format!("{sign}{text}")
}

/// An optional duration in minutes, for templates (borrowed or not).
pub fn duration_text(minutes: impl std::borrow::Borrow<Option<i64>>) -> String {
    minutes.borrow().map(human_minutes).unwrap_or_default()
}

/// `2019-01-23 14:05 UTC`.
pub fn utc_text(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Page number from a query value: 1 when absent, an error when not a positive number.
pub fn page_number(v: &Option<String>) -> Result<i64, super::error::WebError> {
    let page = super::extract::parse_opt::<i64>(v, "page", "a page number (1, 2, …)")?.unwrap_or(1);
    if !(1..=1_000_000).contains(&page) {
        return Err(super::error::WebError::bad_request(format!(
            "`page` must be between 1 and 1000000, not {page}"
        )));
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_minutes(12), "12m");
        assert_eq!(human_minutes(125), "2h 05m");
        assert_eq!(human_minutes(1500), "1d 1h");
        assert_eq!(human_minutes(-30), "-30m");
    }

    #[test]
    fn query_strings_skip_empty_and_encode() {
        assert_eq!(
            query_string(&[("q", "a b&c".into()), ("tag", String::new())]),
            "?q=a%20b%26c"
        );
        let p = Pager::new("/incidents", &[("year", "2019".into())], 2, 20, 45);
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev.as_deref(), Some("/incidents?year=2019&page=1"));
        assert_eq!(p.next.as_deref(), Some("/incidents?year=2019&page=3"));
    }
}
