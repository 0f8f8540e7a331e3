//! Every page renders, with the elements the browser test drives; bad input
//! gets a 400 page and unknown things a 404 page.

use super::*;

#[tokio::test]
async fn every_page_renders() {
    let app = app().await;
    let (id, _) = first_action(&app, HELM).await;
    let pages = [
        "/".to_string(),
        "/incidents".into(),
        "/incidents?year=2017&tag=&findings=yes&q=helm&sort=title&page=1".into(),
        format!("/incidents/{HELM}"),
        format!("/incidents/{HELM}?order=chronological"),
        "/search".into(),
        "/search?q=helm".into(),
        "/search?q=zebrafish&kind=actions".into(),
        "/actions".into(),
        "/actions?status=open&status=in_progress&owner=&incident=&overdue=0&page=1".into(),
        format!("/actions/{id}"),
        "/findings".into(),
        "/findings?rule=timeline/out-of-order".into(),
        "/incidents/new".into(),
        "/login".into(),
    ];
    for p in pages {
        let res = get(&app, &p).await;
        assert_eq!(res.status, StatusCode::OK, "{p}: {}", res.body);
        assert!(res.header("content-type").starts_with("text/html"), "{p}");
        assert!(
            res.body.contains("id=\"search-box\""),
            "{p} has the search box"
        );
        assert!(
            res.header("content-security-policy")
                .contains("script-src 'self'"),
            "{p}"
        );
    }
}

#[tokio::test]
async fn dashboard_shows_counts_chart_and_actions() {
    let app = app().await;
    let res = get(&app, "/").await;
    assert!(res.body.contains("id=\"incidents-per-month\""), "chart");
    assert!(
        res.body
            .contains("<title>March 2017: 1 incident(s)</title>"),
        "a bar for March 2017, with its count"
    );
    assert!(
        res.body
            .contains("data-count=\"incidents\"><strong>5</strong>"),
        "{}",
        res.body
    );
    assert!(
        res.body.contains("class=\"action-row"),
        "open action items listed"
    );
    assert!(
        res.body.contains("timeline/out-of-order"),
        "findings by rule"
    );
}

#[tokio::test]
async fn incident_page_draws_the_timeline_with_out_of_order_marker() {
    let app = app().await;
    let res = get(&app, &format!("/incidents/{HELM}")).await;
    let b = &res.body;
    assert!(
        b.contains("data-out-of-order=\"true\""),
        "out-of-order entry marked"
    );
    assert!(
        b.contains("data-suggestion>Suggested: a consistent hour slip"),
        "correction shown"
    );
    assert!(
        b.contains("class=\"tl-offset\">T+0m"),
        "offset from the start"
    );
    assert!(
        b.contains("back in time"),
        "backwards gap shown in narrative order"
    );
    assert!(
        b.contains("<time class=\"utc\" datetime=\"2017-03-07T"),
        "UTC alongside"
    );
    assert!(b.contains("id=\"L28\""), "source lines to link findings to");
    assert!(b.contains("href=\"#L"), "findings link to lines");
    assert!(b.contains("id=\"post-mortem-body\""), "rendered markdown");
    let chrono = get(&app, &format!("/incidents/{HELM}?order=chronological")).await;
    assert!(chrono.body.contains("data-order=\"chronological\""));
    assert!(
        !chrono.body.contains("back in time"),
        "chronological order never goes back"
    );
}

#[tokio::test]
async fn lists_filter_sort_and_page() {
    let app = app().await;
    let res = get(&app, "/incidents?year=2018").await;
    assert!(
        res.body
            .contains("data-slug=\"2018-01-26-hub-slow-startup\"")
    );
    assert!(!res.body.contains(&format!("data-slug=\"{HELM}\"")));
    let res = get(&app, "/incidents?findings=no&sort=date_asc").await;
    assert_eq!(res.status, StatusCode::OK);
    let res = get(&app, "/actions?status=done").await;
    assert!(
        !res.body.contains("data-status=\"open\""),
        "only done items"
    );
    let res = get(&app, "/search?q=zebrafish").await;
    assert!(
        res.body.contains(&format!("data-slug=\"{XSS}\"")),
        "{}",
        res.body
    );
    assert!(res.body.contains("<mark>"), "highlighted snippet");
    assert!(res.body.contains("id=\"action-results\""));
}

#[tokio::test]
async fn bad_input_is_400_and_unknown_things_404() {
    let app = app().await;
    let cases = [
        ("/incidents/no-such-incident", StatusCode::NOT_FOUND),
        ("/actions/999999", StatusCode::NOT_FOUND),
        ("/actions/abc", StatusCode::BAD_REQUEST),
        ("/incidents?year=abc", StatusCode::BAD_REQUEST),
        ("/incidents?sort=sideways", StatusCode::BAD_REQUEST),
        ("/incidents?findings=maybe", StatusCode::BAD_REQUEST),
        ("/incidents?page=0", StatusCode::BAD_REQUEST),
        ("/actions?status=finished", StatusCode::BAD_REQUEST),
        ("/actions?overdue=perhaps", StatusCode::BAD_REQUEST),
        (
            &format!("/incidents/{HELM}?order=sideways"),
            StatusCode::BAD_REQUEST,
        ),
        ("/search?q=%28helm%20AND", StatusCode::BAD_REQUEST),
        ("/search?q=helm&kind=people", StatusCode::BAD_REQUEST),
        ("/search?q=helm&page=999999999999", StatusCode::BAD_REQUEST),
        ("/findings?rule=no/such-rule", StatusCode::BAD_REQUEST),
        ("/static/nope.css", StatusCode::NOT_FOUND),
        ("/no/such/page", StatusCode::NOT_FOUND),
    ];
    for (uri, want) in cases {
        let res = get(&app, uri).await;
        assert_eq!(res.status, want, "{uri}: {}", res.body);
        assert!(
            res.header("content-type").starts_with("text/html"),
            "{uri} is a page"
        );
        assert!(
            res.body.contains("id=\"error-message\""),
            "{uri} explains: {}",
            res.body
        );
    }
    let res = get(&app, "/incidents?year=abc").await;
    assert!(
        res.body
            .contains("`year` must be a year like 2019, not `abc`"),
        "{}",
        res.body
    );
}

#[tokio::test]
async fn static_assets_are_embedded_and_cached() {
    let app = app().await;
    for (p, ty) in [
        ("/static/app.css", "text/css"),
        ("/static/app.js", "text/javascript"),
        ("/static/favicon.svg", "image/svg+xml"),
    ] {
        let res = get(&app, p).await;
        assert_eq!(res.status, StatusCode::OK, "{p}");
        assert!(res.header("content-type").starts_with(ty), "{p}");
        assert!(res.header("cache-control").contains("max-age"), "{p}");
    }
    let css = get(&app, "/static/app.css").await;
    assert!(css.body.contains("prefers-color-scheme: dark"), "dark mode");
}

#[tokio::test]
async fn health_and_metrics() {
    let app = app().await;
    let res = get(&app, "/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["status"], "ok");
    assert_eq!(res.json()["incidents"], 5);
    get(&app, "/incidents").await;
    let res = get(&app, "/metrics").await;
    assert!(res.header("content-type").starts_with("text/plain"));
    assert!(
        res.body.contains("coroner_incidents{status=\"active\"} 5"),
        "{}",
        res.body
    );
    assert!(
        res.body.contains(
            "coroner_http_requests_total{method=\"GET\",route=\"/incidents\",status=\"200\"} 1"
        ),
        "{}",
        res.body
    );
}
