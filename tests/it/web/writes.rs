//! Changing action items and uploading post-mortems: authentication, CSRF,
//! the loopback rule, bad values, stale versions and size limits.

use super::*;

const TOKEN: &str = "s3cret-token";

#[tokio::test]
async fn loopback_without_token_changes_an_item_in_place() {
    let app = app().await;
    let (id, version) = first_action(&app, XSS).await;
    let body = format!(
        "csrf={CSRF}&version={version}&status=in_progress&owner=kat&due=2030-01-31&note=on+it&back=%2Factions"
    );
    let res = post_form(&app, &format!("/actions/{id}"), &body, "").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), format!("/actions#action-{id}"));
    let v = get(&app, &format!("/api/v1/actions/{id}")).await.json();
    assert_eq!(v["status"], "in_progress");
    assert_eq!(v["owner"], "kat");
    assert_eq!(v["due"], "2030-01-31");
    let fields: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"status") && fields.contains(&"owner") && fields.contains(&"due"),
        "{fields:?}"
    );
    let page = get(&app, &format!("/actions/{id}")).await;
    assert!(page.body.contains("id=\"action-history\""));
    assert!(page.body.contains("web (local)"), "who changed it");
    // Search follows the change.
    let v = get(
        &app,
        "/api/v1/search?q=zebrafish%20status:in_progress&kind=actions",
    )
    .await
    .json();
    assert_eq!(v["actions"]["total"], 1, "{v}");
}

#[tokio::test]
async fn bad_form_values_are_400_and_stale_versions_409() {
    let app = app().await;
    let (id, version) = first_action(&app, XSS).await;
    let uri = format!("/actions/{id}");
    let res = post_form(&app, &uri, &format!("csrf={CSRF}&status=finished"), "").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    assert!(
        res.body.contains("unknown status `finished`"),
        "{}",
        res.body
    );
    let res = post_form(&app, &uri, &format!("csrf={CSRF}&due=next+week"), "").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = post_form(
        &app,
        &uri,
        &format!("csrf={CSRF}&version=x&status=done"),
        "",
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = post_form(
        &app,
        &uri,
        &format!("csrf={CSRF}&version={version}&status=done"),
        "",
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = post_form(
        &app,
        &uri,
        &format!("csrf={CSRF}&version={version}&status=open"),
        "",
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("reload and try again"), "{}", res.body);
    let res = post_form(
        &app,
        "/actions/999999",
        &format!("csrf={CSRF}&status=done"),
        "",
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn csrf_is_checked() {
    let app = app().await;
    let (id, _) = first_action(&app, XSS).await;
    let uri = format!("/actions/{id}");
    let wrong = post_form(
        &app,
        &uri,
        "csrf=ffffffffffffffffffffffffffffffff&status=done",
        "",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("CSRF"), "{}", wrong.body);
    let missing = post_form(&app, &uri, "status=done", "").await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let no_cookie = send(
        &app,
        Request::post(&uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={CSRF}&status=done")))
            .unwrap(),
    )
    .await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
    // A page hands out the cookie the forms need.
    let page = get(&app, "/actions").await;
    let cookie = page.header("set-cookie");
    assert!(
        cookie.starts_with("coroner_csrf=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

#[tokio::test]
async fn without_token_remote_clients_are_read_only() {
    let app = app_with(None, "192.0.2.7:40000").await;
    let (id, version) = first_action(&app, XSS).await;
    let res = post_form(
        &app,
        &format!("/actions/{id}"),
        &format!("csrf={CSRF}&status=done"),
        "",
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        res.body.contains("only from the machine it runs on"),
        "{}",
        res.body
    );
    let body = format!("{{\"status\":\"done\",\"version\":{version}}}");
    let res = json_req(&app, "PATCH", &format!("/api/v1/actions/{id}"), &body, None).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let page = get(&app, "/actions").await;
    assert!(page.body.contains("id=\"read-only-banner\""));
    assert!(
        !page.body.contains("data-action-form"),
        "no controls for read-only viewers"
    );
}

#[tokio::test]
async fn with_token_the_browser_signs_in_once() {
    let app = app_with(Some(TOKEN), "127.0.0.1:50000").await;
    let (id, _) = first_action(&app, XSS).await;
    let uri = format!("/actions/{id}");
    let res = post_form(&app, &uri, &format!("csrf={CSRF}&status=done"), "").await;
    assert_eq!(
        res.status,
        StatusCode::UNAUTHORIZED,
        "loopback is not enough once a token is set"
    );
    let bad = post_form(
        &app,
        "/login",
        &format!("csrf={CSRF}&token=guess&next=%2Factions"),
        "",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("id=\"login-error\""));
    let no_csrf = post_form(&app, "/login", &format!("csrf=&token={TOKEN}"), "").await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let ok = post_form(
        &app,
        "/login",
        &format!("csrf={CSRF}&token={TOKEN}&next=%2Factions"),
        "",
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.header("location"), "/actions");
    let cookie = ok.header("set-cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let res = post_form(&app, &uri, &format!("csrf={CSRF}&status=done"), &session).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let out = post_form(&app, "/logout", &format!("csrf={CSRF}"), &session).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let res = post_form(&app, &uri, &format!("csrf={CSRF}&status=open"), &session).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "signed out");
    let open = post_form(
        &app,
        "/login",
        &format!("csrf={CSRF}&token={TOKEN}&next=https%3A%2F%2Fevil.example"),
        "",
    )
    .await;
    assert_eq!(open.header("location"), "/", "no open redirect");
}

#[tokio::test]
async fn api_updates_need_the_bearer_token() {
    let app = app_with(Some(TOKEN), "127.0.0.1:50000").await;
    let (id, version) = first_action(&app, XSS).await;
    let uri = format!("/api/v1/actions/{id}");
    let body = format!(
        "{{\"status\":\"done\",\"owner\":\"ana\",\"version\":{version},\"note\":\"shipped\"}}"
    );
    let res = json_req(&app, "PATCH", &uri, &body, None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error"]["status"], 401);
    let res = json_req(&app, "PATCH", &uri, &body, Some("wrong")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = json_req(&app, "PATCH", &uri, &body, Some(TOKEN)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "done");
    assert_eq!(res.json()["owner"], "ana");
    let res = json_req(&app, "PATCH", &uri, &body, Some(TOKEN)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "stale version");
    let res = json_req(&app, "PATCH", &uri, "{\"owner\":null}", Some(TOKEN)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.json()["owner"].is_null(), "null clears");
    for bad in [
        "{\"status\":\"finished\"}",
        "{\"due\":\"soon\"}",
        "{\"colour\":\"red\"}",
        "not json",
        "{}",
    ] {
        let res = json_req(&app, "PATCH", &uri, bad, Some(TOKEN)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}: {}", res.body);
        assert!(res.json()["error"]["message"].is_string());
    }
    let res = json_req(
        &app,
        "PATCH",
        "/api/v1/actions/999999",
        "{\"status\":\"done\"}",
        Some(TOKEN),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = app().await;
    let big = "x".repeat(coroner::web::MAX_BODY + 10);
    let res = post_form(&app, "/actions/1", &format!("csrf={CSRF}&note={big}"), "").await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    let res = json_req(
        &app,
        "PATCH",
        "/api/v1/actions/1",
        &format!("{{\"note\":\"{big}\"}}"),
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    let res = upload(
        &app,
        &[("csrf", CSRF), ("intent", "preview"), ("text", &big)],
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
}

/// A multipart upload form with these text fields.
pub async fn upload(app: &App, fields: &[(&str, &str)]) -> Res {
    let mut body = String::new();
    for (k, v) in fields {
        if *k == "file" {
            body += &format!(
                "--XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2026-02-03 DNS outage.md\"\r\nContent-Type: text/markdown\r\n\r\n{v}\r\n"
            );
        } else {
            body += &format!(
                "--XBOUNDARY\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            );
        }
    }
    body += "--XBOUNDARY--\r\n";
    let req = Request::post("/incidents/new")
        .header("content-type", "multipart/form-data; boundary=XBOUNDARY")
        .header("cookie", format!("coroner_csrf={CSRF}"))
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

const NEW: &str = "# 2026-02-03 DNS outage\n\nTimezone: UTC\n\n## Timeline\n\n- 10:00 quokka resolver errors\n- 09:50 deploy\n\n## Action items\n\n- [ ] Canary DNS changes\n";

#[tokio::test]
async fn upload_previews_then_saves() {
    let app = app().await;
    let res = upload(
        &app,
        &[("csrf", CSRF), ("intent", "preview"), ("text", NEW)],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("id=\"preview\""));
    assert!(
        res.body.contains("data-rule=\"timeline/out-of-order\""),
        "findings in the preview"
    );
    assert!(
        res.body.contains("<code>2026-02-03-dns-outage.md</code>"),
        "{}",
        res.body
    );
    let res = upload(&app, &[("csrf", CSRF), ("intent", "save"), ("file", NEW)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let loc = res.header("location").to_string();
    assert!(
        app.incidents_dir()
            .join("2026-02-03-dns-outage.md")
            .is_file()
    );
    let page = get(&app, &loc).await;
    assert_eq!(page.status, StatusCode::OK, "{loc}");
    assert!(page.body.contains("Canary DNS changes"));
    let v = get(&app, "/api/v1/search?q=quokka").await.json();
    assert_eq!(v["incidents"]["total"], 1, "the index follows the upload");
    let again = upload(&app, &[("csrf", CSRF), ("intent", "save"), ("file", NEW)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "never overwrites");
}

#[tokio::test]
async fn upload_rejects_bad_input() {
    let app = app().await;
    let res = upload(
        &app,
        &[("csrf", CSRF), ("intent", "preview"), ("text", "  ")],
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = upload(
        &app,
        &[("csrf", CSRF), ("intent", "publish"), ("text", NEW)],
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = upload(&app, &[("csrf", "nope"), ("intent", "save"), ("text", NEW)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = upload(
        &app,
        &[
            ("csrf", CSRF),
            ("intent", "save"),
            ("name", "../../etc/passwd"),
            ("text", NEW),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        app.incidents_dir().join("passwd.md").is_file(),
        "the name is reduced to a file in the folder"
    );
    let remote = app_with(None, "198.51.100.1:1234").await;
    let res = upload(
        &remote,
        &[("csrf", CSRF), ("intent", "save"), ("text", NEW)],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send(
        &app,
        Request::post("/incidents/new")
            .header("content-type", "text/plain")
            .body(Body::from("hi"))
            .unwrap(),
    )
    .await;
    assert_eq!(
        res.status.as_u16() / 100,
        4,
        "not multipart: {}",
        res.status
    );
}
