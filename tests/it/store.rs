//! The store, ingest and action-item tracking, end to end. Every test runs on
//! SQLite and on PostgreSQL (`CORONER_TEST_POSTGRES_URL`; skipped with a
//! message when unset, a failure when `CI=true`), each in a fresh database
//! dropped afterwards.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use coroner::ingest::{IngestOptions, IngestSummary, ingest_paths};
use coroner::model::{ActionItem, Document};
use coroner::store::{NewIncident, Saved, Store};

/// A fresh database and a scratch folder for one test.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_database: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!(
            "sqlite://{}",
            dir.path().join("db/coroner.sqlite").display()
        );
        let store = Store::connect(&url).await.expect("open SQLite");
        TestDb {
            store,
            url,
            dir,
            pg_database: None,
        }
    }

    /// `None` (with a message) when PostgreSQL is not configured, unless CI=true.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var("CORONER_TEST_POSTGRES_URL") else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but CORONER_TEST_POSTGRES_URL is not set");
            }
            eprintln!("skipping {test} on PostgreSQL: CORONER_TEST_POSTGRES_URL is not set");
            return None;
        };
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "coroner_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_micros() % 1_000_000
        );
        admin_sql(&admin, &format!("CREATE DATABASE {name}")).await;
        let url = with_database(&admin, &name);
        let store = Store::connect(&url).await.expect("open PostgreSQL");
        let dir = tempfile::tempdir().expect("temp dir");
        Some(TestDb {
            store,
            url,
            dir,
            pg_database: Some((admin, name)),
        })
    }

    /// A copy of the shipped `incidents/` folder (or one subfolder) to edit freely.
    pub fn corpus(&self, sub: &str) -> PathBuf {
        let to = self.dir.path().join("incidents").join(sub);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("incidents")
                .join(sub),
            &to,
        );
        to
    }

    pub async fn ingest(&self, paths: &[PathBuf]) -> IngestSummary {
        ingest_paths(&self.store, paths, &IngestOptions::default())
            .await
            .expect("ingest runs")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_database.take() {
            // Drop runs inside the test's runtime: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(admin_sql(
                        &admin,
                        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    ));
                }
            })
            .join();
        }
    }
}

async fn admin_sql(admin: &str, statement: &str) {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .expect("connect to PostgreSQL");
    conn.execute(sqlx::AssertSqlSafe(statement.to_string()))
        .await
        .expect(statement);
    let _ = conn.close().await;
}

/// `(text, number)` rows of a query, run directly on the test database.
pub async fn count_rows(url: &str, sql: &'static str) -> std::collections::HashMap<String, i64> {
    use sqlx::Connection;
    let rows: Vec<(String, i64)> = if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query_as(sql).fetch_all(&mut c).await.expect(sql)
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query_as(sql).fetch_all(&mut c).await.expect(sql)
    };
    rows.into_iter().collect()
}

/// Run one statement directly on the test database.
pub async fn execute(url: &str, sql: &str) {
    use sqlx::{Connection, Executor};
    let statement = sqlx::AssertSqlSafe(sql.to_string());
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("connect");
        c.execute(statement).await.expect(sql);
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
        c.execute(statement).await.expect(sql);
    }
}

/// The same server URL with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out = format!("{out}?{q}");
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read corpus").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy file");
        }
    }
}

/// Run `$case(db)` once per backend: `mod $case { fn sqlite(); fn postgres(); }`.
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$case(crate::store::TestDb::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = crate::store::TestDb::postgres(stringify!($case)).await {
                    super::$case(db).await;
                }
            }
        }
    )*};
}

/// An action item as the parser would produce it.
pub fn item(line: usize, text: &str) -> ActionItem {
    ActionItem {
        line,
        text: text.to_string(),
        done: false,
        group: None,
        refs: Vec::new(),
        children: Vec::new(),
        section: "Action items".into(),
        owner: None,
        due: None,
    }
}

/// A document with a title and these action items (lines 10, 11, …).
pub fn doc_with(source: &str, items: &[&str]) -> Document {
    Document {
        source: source.to_string(),
        title: Some(format!("Incident in {source}")),
        action_items: items
            .iter()
            .enumerate()
            .map(|(n, t)| item(10 + n, t))
            .collect(),
        ..Document::default()
    }
}

/// From 1970 to 9999: every timestamp the store holds.
pub fn all_time() -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let end = chrono::NaiveDate::from_ymd_opt(9999, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    (chrono::DateTime::UNIX_EPOCH, end.and_utc())
}

/// Store a hand-built document as if ingested from `path`.
pub async fn save(store: &Store, path: &str, doc: &Document) -> Saved {
    let text = serde_json::to_string(doc).expect("serialize");
    let slug = coroner::ingest::slug_for_path(Path::new(path));
    let new = NewIncident {
        source_path: path,
        slug: &slug,
        content_hash: &coroner::ingest::content_hash(&text),
        source_signature: None,
        analyzer: "test",
        raw: &text,
        document: doc,
        who: "ingest",
        force: false,
    };
    store.save_incident(&new).await.expect("save")
}

// After the macro: modules see it by textual order.
mod cli;
mod crash;
mod edits;
mod filters;
mod ingest;
mod knowledge;
mod queries;
mod tracking;
mod updates;
