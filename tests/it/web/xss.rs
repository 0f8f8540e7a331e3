//! A hostile post-mortem renders none of its markup as live HTML: not in the
//! body, the title, the timeline, action items, search snippets or the preview.

use regex::Regex;

use super::*;

fn assert_inert(page: &str, html: &str) {
    let live = [
        r"(?i)<script>",
        r"(?i)<script[^>]*>\s*alert",
        r"(?i)<iframe",
        r"(?i)<svg[^>]*onload",
        r"(?i)<[a-z][^>]*\son[a-z]+\s*=",
        r#"(?i)<[a-z][^>]*(href|src)\s*=\s*["']?\s*javascript:"#,
    ];
    for pattern in live {
        let re = Regex::new(pattern).unwrap();
        if let Some(m) = re.find(html) {
            let start = m.start().saturating_sub(80);
            panic!(
                "{page}: live markup `{}` in …{}…",
                m.as_str(),
                &html[start..(m.end() + 80).min(html.len())]
            );
        }
    }
}

#[tokio::test]
async fn hostile_markup_is_inert_everywhere() {
    let app = app().await;
    let (id, _) = first_action(&app, XSS).await;
    let pages = [
        "/".to_string(),
        "/incidents".into(),
        format!("/incidents/{XSS}"),
        format!("/incidents/{XSS}?order=chronological"),
        "/actions".into(),
        format!("/actions/{id}"),
        "/findings".into(),
        "/search?q=zebrafish".into(),
        "/search?q=zebrafish&kind=actions".into(),
        "/search?q=alert".into(),
        "/search?q=onerror".into(),
    ];
    for p in &pages {
        let res = get(&app, p).await;
        assert_eq!(res.status, StatusCode::OK, "{p}");
        assert_inert(p, &res.body);
    }
    let page = get(&app, &format!("/incidents/{XSS}")).await.body;
    assert!(
        page.contains("Zebrafish outage"),
        "the title is shown, as text"
    );
    assert!(
        page.contains("&#60;script&#62;alert") || page.contains("&lt;script&gt;alert"),
        "script tags in the title are shown escaped"
    );
    assert!(page.contains("Fix zebrafish"), "action item text is shown");
    let res = writes::upload(
        &app,
        &[("csrf", CSRF), ("intent", "preview"), ("text", HOSTILE)],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_inert("preview", &res.body);
}

#[tokio::test]
async fn api_returns_text_not_html() {
    let app = app().await;
    let v = get(&app, &format!("/api/v1/incidents/{XSS}")).await.json();
    assert!(
        v["title"].as_str().unwrap().contains("<script>"),
        "JSON keeps the text as written"
    );
    let s = get(&app, "/api/v1/search?q=zebrafish").await.json();
    let hit = &s["incidents"]["hits"][0];
    for html in [&hit["title"]["html"], &hit["snippet"]["fragment"]["html"]] {
        let html = html.as_str().unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("<iframe"),
            "escaped: {html}"
        );
    }
}
