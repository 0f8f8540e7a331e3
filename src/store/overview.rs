//! Knowledge-base-wide views: dashboard counts and every finding.

use chrono::NaiveDate;

use super::sql::Sql;
use super::{Counts, FindingRecord, Store, StoreError};
use crate::model::Severity;

#[derive(sqlx::FromRow)]
struct FindingRow {
    slug: String,
    title: Option<String>,
    source_path: String,
    rule: String,
    severity: String,
    line: Option<i64>,
    message: String,
    suggestion: Option<String>,
}

impl Store {
    /// Every finding of the active incidents, by rule then incident; one rule only when given.
    pub async fn findings(&self, rule: Option<&str>) -> Result<Vec<FindingRecord>, StoreError> {
        let mut sql = Sql::build(
            "SELECT i.slug, i.title, i.source_path, f.rule, f.severity, f.line, f.message, f.suggestion \
             FROM findings f JOIN incidents i ON i.id = f.incident_id WHERE i.status = 'active'",
        );
        if let Some(rule) = rule {
            sql.push(" AND f.rule = ").bind(rule);
        }
        sql.push(" ORDER BY f.rule, i.slug, f.position");
        let rows: Vec<FindingRow> = self.pool.fetch_all(sql).await?;
        Ok(rows
            .into_iter()
            .map(|r| FindingRecord {
                incident: r.slug,
                incident_title: r.title,
                source_path: r.source_path,
                rule: r.rule,
                severity: Severity::parse(&r.severity).unwrap_or(Severity::Info),
                line: r.line,
                message: r.message,
                suggestion: r.suggestion,
            })
            .collect())
    }

    /// Numbers for a dashboard; `today` decides what is overdue.
    pub async fn counts(&self, today: NaiveDate) -> Result<Counts, StoreError> {
        let mut c = Counts::default();
        let incidents: Vec<(String, i64)> = self
            .pool
            .fetch_all(Sql::new(
                "SELECT status, COUNT(*) FROM incidents GROUP BY status",
            ))
            .await?;
        for (status, n) in incidents {
            match status.as_str() {
                "archived" => c.archived_incidents = n,
                _ => c.incidents += n,
            }
        }
        let actions: Vec<(String, i64)> = self
            .pool
            .fetch_all(Sql::new(
                "SELECT a.status, COUNT(*) FROM action_items a JOIN incidents i ON i.id = a.incident_id \
                 WHERE i.status = 'active' GROUP BY a.status",
            ))
            .await?;
        for (status, n) in actions {
            match status.as_str() {
                "open" => c.actions_open = n,
                "in_progress" => c.actions_in_progress = n,
                "done" => c.actions_done = n,
                "wont_do" => c.actions_wont_do = n,
                _ => {}
            }
        }
        let (overdue,): (i64,) = self
            .pool
            .fetch_optional(
                Sql::new(
                    "SELECT COUNT(*) FROM action_items a JOIN incidents i ON i.id = a.incident_id \
                     WHERE i.status = 'active' AND a.status IN ('open', 'in_progress') AND a.due_date < $1",
                )
                .arg(today),
            )
            .await?
            .unwrap_or((0,));
        c.actions_overdue = overdue;
        let findings: Vec<(String, i64)> = self
            .pool
            .fetch_all(Sql::new(
                "SELECT f.severity, COUNT(*) FROM findings f JOIN incidents i ON i.id = f.incident_id \
                 WHERE i.status = 'active' GROUP BY f.severity",
            ))
            .await?;
        for (severity, n) in findings {
            c.findings += n;
            match severity.as_str() {
                "error" => c.findings_error = n,
                "warning" => c.findings_warning = n,
                _ => c.findings_info += n,
            }
        }
        Ok(c)
    }
}
