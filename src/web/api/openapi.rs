//! `/api/v1/openapi.json`: the API described as OpenAPI 3.1.

use axum::Json;
use serde_json::{Value, json};

fn param(name: &str, location: &str, ty: &str, description: &str) -> Value {
    json!({ "name": name, "in": location, "required": location == "path",
            "schema": { "type": ty }, "description": description })
}

fn paging() -> [Value; 2] {
    [
        param("limit", "query", "integer", "1 to 100 (default 25)"),
        param("offset", "query", "integer", "results to skip"),
    ]
}

fn ok(description: &str) -> Value {
    json!({
        "200": { "description": description, "content": { "application/json": {} } },
        "400": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" }
    })
}

pub async fn document() -> Json<Value> {
    let [limit, offset] = paging();
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "coroner", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Post-mortem knowledge base. Reads are open; writes need `Authorization: Bearer TOKEN` (or, with no token configured, a loopback client)." },
        "paths": {
            "/api/v1/incidents": { "get": { "summary": "List incidents", "parameters": [
                param("year", "query", "integer", "incident year"),
                param("tag", "query", "string", "front-matter tag"),
                param("findings", "query", "string", "yes, no or any"),
                param("q", "query", "string", "substring of title or slug"),
                param("sort", "query", "string", "date_desc, date_asc, title, updated, findings"),
                limit.clone(), offset.clone()], "responses": ok("a page of incident summaries") } },
            "/api/v1/incidents/{slug}": { "get": { "summary": "One incident with its document, timeline, findings and action items",
                "parameters": [param("slug", "path", "string", "incident slug")], "responses": ok("the incident") } },
            "/api/v1/search": { "get": { "summary": "Search incidents and action items", "parameters": [
                param("q", "query", "string", "query: words, \"phrases\", field:value, AND/OR/NOT"),
                param("kind", "query", "string", "incidents (default: both lists) or actions"),
                limit.clone(), offset.clone()], "responses": ok("hits with highlighted snippets and facets") } },
            "/api/v1/actions": { "get": { "summary": "List action items", "parameters": [
                param("status", "query", "string", "open, in_progress, done, wont_do, removed; repeat or comma-separate"),
                param("owner", "query", "string", "owner (case-insensitive)"),
                param("incident", "query", "string", "incident slug"),
                param("overdue", "query", "string", "1: pending items past their due date"),
                limit, offset], "responses": ok("a page of action items") } },
            "/api/v1/actions/{id}": {
                "get": { "summary": "One action item and its history",
                         "parameters": [param("id", "path", "integer", "action item id")], "responses": ok("the item") },
                "patch": { "summary": "Change status, owner or due date", "security": [{ "bearer": [] }],
                    "parameters": [param("id", "path", "integer", "action item id")],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "additionalProperties": false, "properties": {
                            "status": { "enum": ["open", "in_progress", "done", "wont_do"] },
                            "owner": { "type": ["string", "null"], "description": "null clears" },
                            "due": { "type": ["string", "null"], "format": "date", "description": "null clears" },
                            "version": { "type": "integer", "description": "the version you read; stale gets 409" },
                            "note": { "type": "string" } } } } } },
                    "responses": {
                        "200": { "description": "the updated item", "content": { "application/json": {} } },
                        "400": { "$ref": "#/components/responses/Error" },
                        "401": { "$ref": "#/components/responses/Error" },
                        "403": { "$ref": "#/components/responses/Error" },
                        "404": { "$ref": "#/components/responses/Error" },
                        "409": { "$ref": "#/components/responses/Error" } } } },
            "/api/v1/findings": { "get": { "summary": "Every finding of active incidents",
                "parameters": [param("rule", "query", "string", "a rule code such as timeline/out-of-order")],
                "responses": ok("findings") } },
            "/healthz": { "get": { "summary": "Database and search index health", "responses": { "200": { "description": "ok" }, "503": { "description": "unavailable" } } } },
            "/metrics": { "get": { "summary": "Prometheus metrics (text format)", "responses": { "200": { "description": "metrics" } } } }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "responses": { "Error": { "description": "an error", "content": { "application/json": { "schema": {
                "type": "object", "properties": { "error": { "type": "object", "properties": {
                    "status": { "type": "integer" }, "reason": { "type": "string" }, "message": { "type": "string" } } } } } } } } }
        }
    }))
}
