//! `/reports/weekly`: the index of weeks, one week in HTML, Markdown and JSON,
//! and bad or unknown weeks.

use super::*;

#[tokio::test]
async fn weekly_reports_in_three_formats() {
    let app = app().await;
    let index = get(&app, "/reports/weekly").await;
    assert_eq!(index.status, StatusCode::OK, "{}", index.body);
    assert!(
        index.body.contains("data-week=\"2018-W04\""),
        "{}",
        index.body
    );
    assert!(index.body.contains("id=\"last-complete-week\""));

    let page = get(&app, "/reports/weekly/2018-W04").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Hub starts up very slow"),
        "the 2018-01-26 incident"
    );
    assert!(
        page.body.contains("href=\"/reports/weekly/2018-W03\""),
        "previous week"
    );
    assert!(page.body.contains("<svg"), "charts are embedded");
    let csp = page.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );

    let md = get(&app, "/reports/weekly/2018-W04.md").await;
    assert_eq!(md.status, StatusCode::OK);
    assert!(md.header("content-type").starts_with("text/markdown"));
    assert!(md.body.contains("Hub starts up very slow"), "{}", md.body);

    let json = get(&app, "/reports/weekly/2018-W04.json").await;
    assert_eq!(json.status, StatusCode::OK);
    let value = json.json();
    assert_eq!(value["week"], "2018-W04");
    assert!(value["schema_version"].is_number());

    let empty = get(&app, "/reports/weekly/2019-W30.json").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json()["incidents"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn bad_weeks_are_400_and_unknown_variants_404() {
    let app = app().await;
    for bad in ["2018-W99", "2018-04", "week", "2018-W04x.json"] {
        let res = get(&app, &format!("/reports/weekly/{bad}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}: {}", res.body);
        assert!(
            res.body.contains("week"),
            "{bad}: the message says what is wrong"
        );
    }
    let res = get(&app, "/reports/weekly/2018-W04.pdf").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
