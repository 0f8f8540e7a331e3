//! The JSON API: the same data as the pages, JSON errors with clear messages.

use super::*;

#[tokio::test]
async fn reads_return_json() {
    let app = app().await;
    let v = get(&app, "/api/v1/incidents?year=2017&limit=10")
        .await
        .json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["slug"], HELM);
    let v = get(&app, &format!("/api/v1/incidents/{HELM}")).await.json();
    assert!(
        v["document"]["timeline"]
            .as_array()
            .is_some_and(|t| t.len() > 5)
    );
    let v = get(&app, "/api/v1/search?q=zebrafish").await.json();
    assert_eq!(v["incidents"]["hits"][0]["slug"], XSS);
    assert!(v["actions"]["total"].as_u64().unwrap() >= 2);
    let v = get(&app, "/api/v1/actions?status=open,in_progress&limit=5")
        .await
        .json();
    assert!(
        v["items"]
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.len() <= 5)
    );
    let (id, _) = first_action(&app, XSS).await;
    let v = get(&app, &format!("/api/v1/actions/{id}")).await.json();
    assert_eq!(v["incident"], XSS);
    assert!(v["history"].is_array());
    let v = get(&app, "/api/v1/findings?rule=timeline/out-of-order")
        .await
        .json();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] == "timeline/out-of-order")
    );
    assert!(v.as_array().unwrap().iter().any(|f| f["incident"] == HELM));
}

#[tokio::test]
async fn openapi_document_lists_every_endpoint() {
    let app = app().await;
    let v = get(&app, "/api/v1/openapi.json").await.json();
    assert_eq!(v["openapi"], "3.1.0");
    for p in [
        "/api/v1/incidents",
        "/api/v1/incidents/{slug}",
        "/api/v1/search",
        "/api/v1/actions",
        "/api/v1/actions/{id}",
        "/api/v1/findings",
    ] {
        assert!(v["paths"][p].is_object(), "{p}");
    }
    assert!(v["paths"]["/api/v1/actions/{id}"]["patch"].is_object());
}

#[tokio::test]
async fn errors_are_json_with_a_message() {
    let app = app().await;
    let cases = [
        ("/api/v1/incidents/nope", StatusCode::NOT_FOUND),
        ("/api/v1/actions/0", StatusCode::NOT_FOUND),
        ("/api/v1/actions/x", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents?limit=0", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents?limit=ten", StatusCode::BAD_REQUEST),
        ("/api/v1/incidents?year=20x7", StatusCode::BAD_REQUEST),
        ("/api/v1/search", StatusCode::BAD_REQUEST),
        ("/api/v1/search?q=%22unclosed", StatusCode::BAD_REQUEST),
        ("/api/v1/actions?status=nah", StatusCode::BAD_REQUEST),
        ("/api/v1/findings?rule=zzz", StatusCode::BAD_REQUEST),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND),
    ];
    for (uri, want) in cases {
        let res = get(&app, uri).await;
        assert_eq!(res.status, want, "{uri}: {}", res.body);
        let v = res.json();
        assert_eq!(v["error"]["status"], want.as_u16(), "{uri}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
}
