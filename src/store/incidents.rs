//! Reading incidents: lists with filters, one incident with its document,
//! findings across the knowledge base, dashboard counts, and what changed when.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::value::RawValue;
use sqlx::types::Json;

use super::rows::{self, ActionRow, SummaryRow, action_columns, summary_columns};
use super::sql::Sql;
use super::{Incident, IncidentEvent, IncidentFilter, IncidentSort, IncidentSummary, Page};
use super::{Store, StoreError};
use crate::model::Document;

#[derive(sqlx::FromRow)]
struct IncidentRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    content_hash: String,
    raw_markdown: String,
    document: Json<Box<RawValue>>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    slug: String,
    title: Option<String>,
    at: DateTime<Utc>,
    kind: String,
    source_path: Option<String>,
}

impl Store {
    /// Incidents matching `filter`, one page of them, and how many matched in all.
    pub async fn list_incidents(
        &self,
        filter: &IncidentFilter,
    ) -> Result<Page<IncidentSummary>, StoreError> {
        let mut count = Sql::build("SELECT COUNT(*) FROM incidents i WHERE 1 = 1");
        push_filters(&mut count, filter);
        let (total,): (i64,) = self.pool.fetch_optional(count).await?.unwrap_or((0,));

        let mut list = Sql::build(concat!(
            "SELECT ",
            summary_columns!(),
            " FROM incidents i WHERE 1 = 1"
        ));
        push_filters(&mut list, filter);
        list.push(match filter.sort {
            IncidentSort::DateDesc => {
                " ORDER BY i.incident_date IS NULL, i.incident_date DESC, i.slug"
            }
            IncidentSort::DateAsc => " ORDER BY i.incident_date IS NULL, i.incident_date, i.slug",
            IncidentSort::Title => " ORDER BY LOWER(COALESCE(i.title, i.slug)), i.slug",
            IncidentSort::UpdatedDesc => " ORDER BY i.updated_at DESC, i.slug",
            IncidentSort::Findings => " ORDER BY i.finding_count DESC, i.slug",
        });
        push_page(&mut list, filter.limit, filter.offset);
        let rows: Vec<SummaryRow> = self.pool.fetch_all(list).await?;
        Ok(Page {
            items: rows.into_iter().map(IncidentSummary::from).collect(),
            total,
        })
    }

    /// One incident (active or archived) with its text, document and action items.
    pub async fn incident(&self, slug: &str) -> Result<Incident, StoreError> {
        let sql = Sql::new(concat!(
            "SELECT ",
            summary_columns!(),
            ", i.content_hash, i.raw_markdown, i.document FROM incidents i WHERE i.slug = $1"
        ))
        .arg(slug);
        let row: IncidentRow = self
            .pool
            .fetch_optional(sql)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("incident `{slug}`")))?;
        let actions = Sql::new(concat!(
            "SELECT ",
            action_columns!(),
            " FROM action_items a JOIN incidents i ON i.id = a.incident_id",
            " WHERE a.incident_id = $1 ORDER BY a.status = 'removed', a.position, a.id"
        ))
        .arg(row.summary.id);
        let actions: Vec<ActionRow> = self.pool.fetch_all(actions).await?;
        let document = decode_document(&row.document, &row.raw_markdown, &row.summary);
        Ok(Incident {
            summary: row.summary.into(),
            content_hash: row.content_hash,
            raw_markdown: row.raw_markdown,
            document,
            actions: rows::actions(actions)?,
        })
    }

    /// Incidents created, updated, archived, restored or moved in `[from, to)`, oldest first.
    pub async fn incident_events(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<IncidentEvent>, StoreError> {
        let sql = Sql::new(
            "SELECT i.slug, i.title, e.at, e.kind, e.source_path FROM incident_events e \
             JOIN incidents i ON i.id = e.incident_id WHERE e.at >= $1 AND e.at < $2 ORDER BY e.at, e.id",
        )
        .arg(from)
        .arg(to);
        let rows: Vec<EventRow> = self.pool.fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|r| IncidentEvent {
                slug: r.slug,
                title: r.title,
                at: r.at,
                kind: r.kind,
                source_path: r.source_path,
            })
            .collect())
    }
}

/// The stored document; if it no longer deserializes (the model changed since
/// it was written), analyze the stored markdown again rather than fail.
pub(crate) fn decode_document(json: &RawValue, raw: &str, row: &SummaryRow) -> Document {
    match serde_json::from_str(json.get()) {
        Ok(doc) => doc,
        Err(err) => {
            tracing::warn!(
                slug = row.slug,
                "stored document is outdated ({err}); re-analyzing"
            );
            crate::analyze(&row.source_path, raw, &crate::AnalyzeOptions::default())
        }
    }
}

fn push_filters(sql: &mut Sql, f: &IncidentFilter) {
    if let Some(status) = f.status {
        sql.push(" AND i.status = ").bind(status.as_str());
    }
    if let Some(year) = f.year {
        if let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year + 1, 1, 1),
        ) {
            sql.push(" AND i.incident_date >= ").bind(start);
            sql.push(" AND i.incident_date < ").bind(end);
        }
    }
    if let Some(since) = f.since {
        sql.push(" AND i.incident_date >= ").bind(since);
    }
    if let Some(until) = f.until {
        sql.push(" AND i.incident_date < ").bind(until);
    }
    if let Some(tag) = &f.tag {
        sql.push(
            " AND EXISTS (SELECT 1 FROM incident_tags t WHERE t.incident_id = i.id AND t.tag = ",
        )
        .bind(tag.as_str())
        .push(")");
    }
    match f.has_findings {
        Some(true) => {
            sql.push(" AND i.finding_count > 0");
        }
        Some(false) => {
            sql.push(" AND i.finding_count = 0");
        }
        None => {}
    }
    if let Some(text) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = like_pattern(text);
        sql.push(" AND (LOWER(COALESCE(i.title, '')) LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\' OR i.slug LIKE ")
            .bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

/// `LIMIT`/`OFFSET`; SQLite needs a `LIMIT` for an `OFFSET`, so "no limit" is the largest one.
pub(crate) fn push_page(sql: &mut Sql, limit: Option<i64>, offset: i64) {
    if limit.is_some() || offset > 0 {
        sql.push(" LIMIT ").bind(limit.unwrap_or(i64::MAX).max(0));
        sql.push(" OFFSET ").bind(offset.max(0));
    }
}

/// A case-insensitive `LIKE` pattern for a substring, with `%`, `_` and `\` escaped.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}
