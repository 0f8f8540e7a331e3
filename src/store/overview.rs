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

    /// How many findings each rule has over the active incidents, most first
    /// (then by rule): counted by the database, not loaded.
    pub async fn finding_counts_by_rule(&self) -> Result<Vec<(String, usize)>, StoreError> {
        const SQL: &str = "SELECT f.rule, COUNT(*) FROM findings f JOIN incidents i ON i.id = f.incident_id \
            WHERE i.status = 'active' GROUP BY f.rule";
        let rows: Vec<(String, i64)> = self.pool.fetch_all(Sql::new(SQL)).await?;
        let mut counts: Vec<(String, usize)> = rows
            .into_iter()
            .map(|(rule, n)| (rule, n.max(0) as usize))
            .collect();
        // Sorted here, not by the database: byte order whatever its collation.
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(counts)
    }

    /// The dates of the active incidents that have one (for a per-month chart).
    pub async fn incident_dates(&self) -> Result<Vec<NaiveDate>, StoreError> {
        const SQL: &str = "SELECT incident_date FROM incidents \
            WHERE status = 'active' AND incident_date IS NOT NULL";
        let rows: Vec<(NaiveDate,)> = self.pool.fetch_all(Sql::new(SQL)).await?;
        Ok(rows.into_iter().map(|(d,)| d).collect())
    }

    /// Numbers for a dashboard; `today` decides what is overdue.
    pub async fn counts(&self, today: NaiveDate) -> Result<Counts, StoreError> {
        const INCIDENTS: &str = "SELECT status, COUNT(*) FROM incidents GROUP BY status";
        const ACTIONS: &str = "SELECT a.status, COUNT(*) FROM action_items a \
            JOIN incidents i ON i.id = a.incident_id WHERE i.status = 'active' GROUP BY a.status";
        const OVERDUE: &str = "SELECT COUNT(*) FROM action_items a JOIN incidents i ON i.id = a.incident_id \
            WHERE i.status = 'active' AND a.status IN ('open', 'in_progress') AND a.due_date < $1";
        const FINDINGS: &str = "SELECT f.severity, COUNT(*) FROM findings f \
            JOIN incidents i ON i.id = f.incident_id WHERE i.status = 'active' GROUP BY f.severity";
        let mut c = Counts::default();
        for (status, n) in self
            .pool
            .fetch_all::<(String, i64)>(Sql::new(INCIDENTS))
            .await?
        {
            match status.as_str() {
                "archived" => c.archived_incidents = n,
                _ => c.incidents += n,
            }
        }
        for (status, n) in self
            .pool
            .fetch_all::<(String, i64)>(Sql::new(ACTIONS))
            .await?
        {
            match status.as_str() {
                "open" => c.actions_open = n,
                "in_progress" => c.actions_in_progress = n,
                "done" => c.actions_done = n,
                "wont_do" => c.actions_wont_do = n,
                _ => {}
            }
        }
        let overdue: Option<(i64,)> = self
            .pool
            .fetch_optional(Sql::new(OVERDUE).arg(today))
            .await?;
        c.actions_overdue = overdue.map_or(0, |(n,)| n);
        for (severity, n) in self
            .pool
            .fetch_all::<(String, i64)>(Sql::new(FINDINGS))
            .await?
        {
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
