//! What derived data is built from: the active incidents with their text,
//! document and live action items, in pages or by slug (the search index), and
//! findings computed outside the analysis (near-duplicates) written back.

use std::collections::HashMap;

use serde_json::value::RawValue;
use sqlx::types::Json;

use super::content::insert_rows;
use super::rows::{self, ActionRow, SummaryRow, action_columns, summary_columns};
use super::sql::{Sql, Value};
use super::{ActionRecord, IncidentSummary, Store, StoreError};
use crate::model::{Document, Finding};

/// Slugs per `IN (…)` list: under both backends' limits on bound parameters.
const SLUGS_PER_QUERY: usize = 500;

/// One active incident as derived data needs it.
#[derive(Debug, Clone)]
pub struct IndexSource {
    pub summary: IncidentSummary,
    pub raw_markdown: String,
    pub document: Document,
    /// Its action items, except those removed from the markdown.
    pub actions: Vec<ActionRecord>,
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    raw_markdown: String,
    document: Json<Box<RawValue>>,
}

impl Store {
    /// Active incidents after the slug `after`, `limit` of them, by slug: a
    /// caller walks the whole knowledge base without loading it at once.
    pub async fn index_sources(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<IndexSource>, StoreError> {
        let sql = Sql::new(concat!(
            "SELECT ",
            summary_columns!(),
            ", i.raw_markdown, i.document FROM incidents i",
            " WHERE i.status = 'active' AND i.slug > $1 ORDER BY i.slug LIMIT $2"
        ))
        .arg(after.unwrap_or(""))
        .arg(limit.max(1));
        let rows: Vec<SourceRow> = self.pool.fetch_all(sql).await?;
        self.with_actions(rows).await
    }

    /// Slugs of active incidents after `after`, `limit` of them, in order.
    pub async fn index_slugs(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let sql = Sql::new(
            "SELECT slug FROM incidents WHERE status = 'active' AND slug > $1 ORDER BY slug LIMIT $2",
        )
        .arg(after.unwrap_or(""))
        .arg(limit.max(1));
        let rows: Vec<(String,)> = self.pool.fetch_all(sql).await?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }

    /// These incidents, when active (others are left out), by slug.
    pub async fn index_sources_for(&self, slugs: &[&str]) -> Result<Vec<IndexSource>, StoreError> {
        let mut out = Vec::with_capacity(slugs.len());
        for chunk in slugs.chunks(SLUGS_PER_QUERY) {
            let mut sql = Sql::build(concat!(
                "SELECT ",
                summary_columns!(),
                ", i.raw_markdown, i.document FROM incidents i WHERE i.status = 'active'"
            ));
            push_in(&mut sql, " AND i.slug IN (", chunk);
            sql.push(" ORDER BY i.slug");
            let rows: Vec<SourceRow> = self.pool.fetch_all(sql).await?;
            out.extend(self.with_actions(rows).await?);
        }
        Ok(out)
    }

    /// What a complete index holds: active incidents, and their items not removed.
    pub async fn index_counts(&self) -> Result<(u64, u64), StoreError> {
        let (incidents,): (i64,) = self
            .pool
            .fetch_optional(Sql::new(
                "SELECT COUNT(*) FROM incidents WHERE status = 'active'",
            ))
            .await?
            .unwrap_or((0,));
        let (actions,): (i64,) = self
            .pool
            .fetch_optional(Sql::new(
                "SELECT COUNT(*) FROM action_items a JOIN incidents i ON i.id = a.incident_id \
                 WHERE i.status = 'active' AND a.status <> 'removed'",
            ))
            .await?
            .unwrap_or((0,));
        Ok((incidents.max(0) as u64, actions.max(0) as u64))
    }

    /// Replace an incident's findings of rule `rule` by `findings` (computed
    /// outside the analysis, e.g. near-duplicates), in its document and its
    /// finding rows. Returns whether anything changed; unknown slugs change nothing.
    pub async fn set_derived_findings(
        &self,
        slug: &str,
        rule: &str,
        findings: &[Finding],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_write().await?;
        let mut conn = tx.conn();
        let row: Option<(i64, Json<serde_json::Value>)> = conn
            .fetch_optional(
                Sql::new("SELECT id, document FROM incidents WHERE slug = $1").arg(slug),
            )
            .await?;
        let Some((id, Json(mut document))) = row else {
            return Ok(false);
        };
        let Some(list) = document
            .get_mut("findings")
            .and_then(serde_json::Value::as_array_mut)
        else {
            return Ok(false);
        };
        let before = list.clone();
        list.retain(|f| f.get("rule").and_then(|r| r.as_str()) != Some(rule));
        let kept = list.len();
        list.extend(findings.iter().filter_map(|f| serde_json::to_value(f).ok()));
        if *list == before {
            return Ok(false);
        }
        let total = list.len();
        conn.execute(
            Sql::new("UPDATE incidents SET document = $1, finding_count = $2 WHERE id = $3")
                .arg(document)
                .arg(total)
                .arg(id),
        )
        .await?;
        conn.execute(
            Sql::new("DELETE FROM findings WHERE incident_id = $1 AND position >= $2")
                .arg(id)
                .arg(kept),
        )
        .await?;
        let rows = findings
            .iter()
            .enumerate()
            .map(|(n, f)| super::content::finding_row(id, kept + n, f));
        insert_rows(
            &mut conn,
            "INSERT INTO findings (incident_id, position, rule, severity, line, message, suggestion) VALUES ",
            rows,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Attach each incident's live action items (one query per batch).
    async fn with_actions(&self, rows: Vec<SourceRow>) -> Result<Vec<IndexSource>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.summary.id).collect();
        let mut sql = Sql::build(concat!(
            "SELECT ",
            action_columns!(),
            " FROM action_items a JOIN incidents i ON i.id = a.incident_id",
            " WHERE a.status <> 'removed'"
        ));
        push_in(&mut sql, " AND a.incident_id IN (", &ids);
        sql.push(" ORDER BY a.incident_id, a.position, a.id");
        let actions: Vec<ActionRow> = self.pool.fetch_all(sql).await?;
        let mut by_incident: HashMap<String, Vec<ActionRecord>> = HashMap::new();
        for action in rows::actions(actions)? {
            by_incident
                .entry(action.incident.clone())
                .or_default()
                .push(action);
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let document =
                    super::incidents::decode_document(&r.document, &r.raw_markdown, &r.summary);
                let actions = by_incident.remove(&r.summary.slug).unwrap_or_default();
                IndexSource {
                    summary: r.summary.into(),
                    raw_markdown: r.raw_markdown,
                    document,
                    actions,
                }
            })
            .collect())
    }
}

/// `head $1, $2, …)`: an `IN` list of bound values.
fn push_in<T: Clone + Into<Value>>(sql: &mut Sql, head: &'static str, values: &[T]) {
    sql.push(head);
    for (n, v) in values.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.bind(v.clone());
    }
    if values.is_empty() {
        sql.push("NULL");
    }
    sql.push(")");
}
