//! What pages keep between requests (rendered bodies, the dashboard's numbers)
//! follows writes through the app at once and never leaks one viewer's CSRF
//! token or signed-in state to another.

use super::*;

const OTHER_CSRF: &str = "fedcba9876543210fedcba9876543210";

fn count(body: &str, name: &str) -> i64 {
    let marker = format!("data-count=\"{name}\"><strong>");
    let at = body.find(&marker).unwrap() + marker.len();
    body[at..].split('<').next().unwrap().parse().unwrap()
}

async fn get_with_cookie(app: &App, uri: &str, cookie: &str) -> Res {
    let req = Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn the_dashboard_follows_writes_through_the_app_at_once() {
    let app = app().await;
    let before = get(&app, "/").await.body;
    let open = count(&before, "open-actions");
    let (id, version) = first_action(&app, XSS).await;
    let body = format!("csrf={CSRF}&version={version}&status=done");
    let res = post_form(&app, &format!("/actions/{id}"), &body, "").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = get(&app, "/").await.body;
    assert_eq!(count(&after, "open-actions"), open - 1);

    let incidents = count(&after, "incidents");
    let new =
        "# 2026-02-03 Wombat outage\n\nTimezone: UTC\n\n## Timeline\n\n- 10:00 wombat alarms\n";
    let res =
        super::writes::upload(&app, &[("csrf", CSRF), ("intent", "save"), ("file", new)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = get(&app, "/").await.body;
    assert_eq!(count(&after, "incidents"), incidents + 1);
    assert!(after.contains("Wombat outage"), "in the recent incidents");
}

#[tokio::test]
async fn the_incident_page_follows_writes_through_the_app_at_once() {
    let app = app().await;
    let uri = format!("/incidents/{XSS}");
    let (id, version) = first_action(&app, XSS).await;
    let row = format!("id=\"action-{id}\"");
    let before = get(&app, &uri).await.body;
    let chrono_uri = format!("{uri}?order=chronological");
    assert!(!get(&app, &chrono_uri).await.body.contains("quokka"));
    assert!(before.contains(&row), "{before}");
    let done = format!("id=\"action-{id}\" data-action-id=\"{id}\" data-status=\"done\"");
    assert!(!before.contains(&done), "{before}");
    let body = format!("csrf={CSRF}&version={version}&status=done&owner=quokka");
    let res = post_form(&app, &format!("/actions/{id}"), &body, "").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = get(&app, &uri).await.body;
    assert!(after.contains(&done), "{after}");
    assert!(after.contains("quokka"), "{after}");
    // The other order is kept apart and follows too.
    let chrono = get(&app, &chrono_uri).await.body;
    assert!(chrono.contains(&done) && chrono.contains("quokka"));
}

#[tokio::test]
async fn cached_pages_carry_each_viewer_own_csrf_token() {
    let app = app().await;
    for uri in ["/", &format!("/incidents/{XSS}")] {
        let a = get_with_cookie(&app, uri, &format!("coroner_csrf={CSRF}")).await;
        let b = get_with_cookie(&app, uri, &format!("coroner_csrf={OTHER_CSRF}")).await;
        assert!(a.body.contains(&format!("value=\"{CSRF}\"")), "{uri}");
        assert!(!a.body.contains(OTHER_CSRF), "{uri}");
        assert!(b.body.contains(&format!("value=\"{OTHER_CSRF}\"")), "{uri}");
        assert!(!b.body.contains(CSRF), "{uri}");
        // A first visit: a fresh token, in the cookie and in the page's forms.
        let fresh = get(&app, uri).await;
        let cookie = fresh.header("set-cookie");
        let token = cookie
            .strip_prefix("coroner_csrf=")
            .and_then(|c| c.split(';').next())
            .unwrap();
        assert!(fresh.body.contains(&format!("value=\"{token}\"")), "{uri}");
        assert!(!fresh.body.contains(CSRF) && !fresh.body.contains(OTHER_CSRF));
    }
}

#[tokio::test]
async fn cached_pages_show_each_viewer_own_signed_in_state() {
    let app = app_with(Some("s3cret"), "127.0.0.1:50000").await;
    let ok = post_form(
        &app,
        "/login",
        &format!("csrf={CSRF}&token=s3cret&next=%2F"),
        "",
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let session = ok
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    for uri in ["/", &format!("/incidents/{XSS}")] {
        let signed_in =
            get_with_cookie(&app, uri, &format!("coroner_csrf={CSRF}; {session}")).await;
        assert!(signed_in.body.contains("id=\"logout\""), "{uri}");
        assert!(!signed_in.body.contains("id=\"read-only-banner\""), "{uri}");
        let anonymous = get_with_cookie(&app, uri, &format!("coroner_csrf={CSRF}")).await;
        assert!(anonymous.body.contains("id=\"login-link\""), "{uri}");
        assert!(anonymous.body.contains("id=\"read-only-banner\""), "{uri}");
    }
}
