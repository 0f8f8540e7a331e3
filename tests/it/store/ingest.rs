//! `ingest_paths` over real files: idempotence, failures, archiving, moves.

use std::path::Path;

use coroner::ingest::{IngestOptions, ingest_paths};
use coroner::store::{IncidentFilter, IncidentStatus, Store};

use super::{TestDb, all_time};

async fn corpus_twice_is_a_no_op(db: TestDb) {
    let corpus = db.corpus("");
    let files = coroner::input::collect_files(std::slice::from_ref(&corpus)).expect("walk");
    let first = db.ingest(std::slice::from_ref(&corpus)).await;
    assert!(first.failed.is_empty(), "{first}");
    assert_eq!(
        (first.created.len(), first.files()),
        (files.len(), files.len())
    );
    let (from, to) = all_time();
    let history = db.store.history_between(from, to).await.expect("history");
    let events = db.store.incident_events(from, to).await.expect("events");
    let actions = db
        .store
        .list_actions(&Default::default())
        .await
        .expect("actions");

    let second = db.ingest(&[corpus]).await;
    assert_eq!(second.unchanged, files.len(), "{second}");
    assert!(
        second.changed().next().is_none() && second.archived.is_empty() && second.failed.is_empty()
    );
    assert_eq!(
        db.store.history_between(from, to).await.expect("history"),
        history
    );
    assert_eq!(
        db.store.incident_events(from, to).await.expect("events"),
        events
    );
    assert_eq!(
        db.store
            .list_actions(&Default::default())
            .await
            .expect("actions"),
        actions
    );
}

async fn failing_files_are_reported_and_the_others_stored(db: TestDb) {
    let dir = db.dir.path().join("kb");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("2020-01-01-good.md"),
        "# Good\n\n## Action items\n\n- fix it\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("2020-01-02-latin1.md"),
        b"# Bad\n\nok\ncaf\xe9\n".as_slice(),
    )
    .expect("write");
    std::fs::write(dir.join("2020-01-03-binary.md"), b"\x00\x01\x02".as_slice()).expect("write");
    let summary = db.ingest(std::slice::from_ref(&dir)).await;
    assert_eq!(summary.created, ["2020-01-01-good"]);
    let failed: Vec<String> = summary.failed.iter().map(|f| f.to_string()).collect();
    assert_eq!(failed.len(), 2, "{summary}");
    assert!(
        failed[0].ends_with(
            "2020-01-02-latin1.md:4: not valid UTF-8 (byte offset 13); save the file as UTF-8"
        ),
        "{}",
        failed[0]
    );
    assert!(
        failed[1].contains("2020-01-03-binary.md: looks like a binary file"),
        "{}",
        failed[1]
    );
    assert!(
        summary
            .to_string()
            .starts_with("1 new, 0 updated, 0 unchanged, 2 failed"),
        "{summary}"
    );

    // Fixed, the file goes in; nothing was half-written before.
    std::fs::write(dir.join("2020-01-02-latin1.md"), "# Bad\n\nok\ncafé\n").expect("write");
    std::fs::remove_file(dir.join("2020-01-03-binary.md")).expect("rm");
    let summary = db.ingest(&[dir]).await;
    assert_eq!(
        (
            summary.created.clone(),
            summary.unchanged,
            summary.failed.len()
        ),
        (vec!["2020-01-02-latin1".to_string()], 1, 0)
    );
}

async fn deleted_file_is_archived_and_comes_back(db: TestDb) {
    let seeds = db.corpus("seeds");
    let gone = seeds.join("003_844c2ec2064c4421.txt");
    let text = std::fs::read(&gone).expect("read");
    db.ingest(std::slice::from_ref(&seeds)).await;

    // Ingesting a single file or another folder never archives the rest.
    let other = db.dir.path().join("other");
    std::fs::create_dir_all(&other).expect("dir");
    std::fs::remove_file(&gone).expect("rm");
    assert!(
        db.ingest(&[other, seeds.join("000_954bac17e647708a.txt")])
            .await
            .archived
            .is_empty()
    );

    let summary = db.ingest(std::slice::from_ref(&seeds)).await;
    assert_eq!(
        (summary.archived.clone(), summary.unchanged),
        (vec!["003-844c2ec2064c4421".to_string()], 4)
    );
    let archived = db
        .store
        .incident("003-844c2ec2064c4421")
        .await
        .expect("kept");
    assert_eq!(archived.summary.status, IncidentStatus::Archived);
    assert!(archived.summary.archived_at.is_some());
    assert!(
        db.ingest(std::slice::from_ref(&seeds))
            .await
            .archived
            .is_empty(),
        "archived once"
    );

    std::fs::write(&gone, text).expect("restore file");
    let summary = db.ingest(&[seeds]).await;
    assert_eq!(summary.restored, ["003-844c2ec2064c4421"]);
    let back = db
        .store
        .incident("003-844c2ec2064c4421")
        .await
        .expect("back");
    assert_eq!(
        (back.summary.status, back.summary.archived_at),
        (IncidentStatus::Active, None)
    );
}

async fn moved_file_keeps_its_incident(db: TestDb) {
    let seeds = db.corpus("seeds");
    db.ingest(std::slice::from_ref(&seeds)).await;
    let before = db
        .store
        .incident("000-954bac17e647708a")
        .await
        .expect("incident");
    std::fs::create_dir_all(seeds.join("2017")).expect("dir");
    std::fs::rename(
        seeds.join("000_954bac17e647708a.txt"),
        seeds.join("2017/000_954bac17e647708a.txt"),
    )
    .expect("mv");
    let summary = db.ingest(&[seeds]).await;
    assert!(
        summary.created.is_empty() && summary.archived.is_empty(),
        "{summary:?}"
    );
    let after = db
        .store
        .incident("000-954bac17e647708a")
        .await
        .expect("incident");
    assert!(
        after
            .summary
            .source_path
            .ends_with("2017/000_954bac17e647708a.txt"),
        "{}",
        after.summary.source_path
    );
    assert_eq!(
        (after.summary.created_at, after.summary.status),
        (before.summary.created_at, IncidentStatus::Active)
    );
    let (from, to) = all_time();
    let kinds: Vec<String> = db
        .store
        .incident_events(from, to)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(kinds.contains(&"moved".to_string()), "{kinds:?}");
}

async fn same_file_name_in_two_folders(db: TestDb) {
    let root = db.dir.path().join("kb");
    for team in ["web", "db"] {
        let dir = root.join(team);
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(
            dir.join("2021-06-01-outage.md"),
            format!("# {team} outage\n"),
        )
        .expect("write");
    }
    let summary = db.ingest(std::slice::from_ref(&root)).await;
    let mut slugs = summary.created.clone();
    slugs.sort();
    assert_eq!(slugs, ["2021-06-01-outage", "2021-06-01-outage-2"]);
    let again = db.ingest(&[root]).await;
    assert_eq!(again.unchanged, 2);
    for slug in slugs {
        let incident = db.store.incident(&slug).await.expect("incident");
        assert!(Path::new(&incident.summary.source_path).exists());
    }
}

/// Timeline rows carry only their key (deleted by incident): an index on their
/// time served no query and made every insert touch a random page of it.
async fn timeline_rows_carry_only_their_key(db: TestDb) {
    let sql = if db.url.starts_with("sqlite:") {
        "SELECT name, 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'timeline_entries'"
    } else {
        "SELECT indexname::TEXT, 1::BIGINT FROM pg_indexes WHERE tablename = 'timeline_entries'"
    };
    let indexes = super::count_rows(&db.url, sql).await;
    let mut names: Vec<&String> = indexes.keys().collect();
    names.sort();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].contains("timeline_entries_1") || names[0] == "timeline_entries_pkey",
        "{names:?}"
    );
}

on_both_backends!(
    timeline_rows_carry_only_their_key,
    corpus_twice_is_a_no_op,
    failing_files_are_reported_and_the_others_stored,
    deleted_file_is_archived_and_comes_back,
    moved_file_keeps_its_incident,
    same_file_name_in_two_folders,
);

/// Two instances ingesting the same folder at once (a shared PostgreSQL, or
/// two processes on one SQLite file): no failure, no duplicate.
async fn two_ingests_at_once(db: TestDb) {
    let corpus = db.corpus("berkeley-dsep-infra__datahub");
    let other = Store::connect(&db.url).await.expect("second client");
    let opts = IngestOptions::default();
    let (a, b) = tokio::join!(
        ingest_paths(&db.store, std::slice::from_ref(&corpus), &opts),
        ingest_paths(&other, std::slice::from_ref(&corpus), &opts),
    );
    let (a, b) = (a.expect("first"), b.expect("second"));
    assert!(a.failed.is_empty() && b.failed.is_empty(), "{a}\n{b}");
    let files = coroner::input::collect_files(std::slice::from_ref(&corpus))
        .expect("walk")
        .len();
    assert_eq!(
        a.created.len() + b.created.len(),
        files,
        "each file created once:\n{a}\n{b}"
    );
    let (from, to) = all_time();
    let events = db.store.incident_events(from, to).await.expect("events");
    assert_eq!(events.iter().filter(|e| e.kind == "created").count(), files);
    let filter = IncidentFilter {
        status: None,
        ..Default::default()
    };
    assert_eq!(
        db.store.list_incidents(&filter).await.expect("list").total as usize,
        files
    );
}

on_both_backends!(two_ingests_at_once);

/// A file named twice (alone and inside its folder) is ingested once; a path
/// that does not exist is a failure that stops nothing.
async fn overlapping_and_missing_paths(db: TestDb) {
    let seeds = db.corpus("seeds");
    let file = seeds.join("002_ac7656323abe273b.txt");
    let missing = db.dir.path().join("nope.md");
    let summary = db.ingest(&[file, seeds.clone(), missing]).await;
    assert_eq!(
        (summary.created.len(), summary.files()),
        (5, 6),
        "{summary}"
    );
    assert_eq!(summary.created[0], "002-ac7656323abe273b");
    assert!(
        summary.failed[0]
            .to_string()
            .contains("nope.md: cannot read:"),
        "{summary}"
    );
}

on_both_backends!(overlapping_and_missing_paths);

/// A file the database refuses (here: a trigger rejecting one title), in the
/// middle of a batch stored in one transaction, fails alone.
async fn a_file_failing_in_the_database_fails_alone(db: TestDb) {
    let refuse: &[&str] = if db.url.starts_with("sqlite:") {
        &[
            "CREATE TRIGGER refuse BEFORE INSERT ON incidents WHEN NEW.title = 'Refused' \
           BEGIN SELECT RAISE(ABORT, 'refused by test'); END",
        ]
    } else {
        &[
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN \
             IF NEW.title = 'Refused' THEN RAISE EXCEPTION 'refused by test'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse BEFORE INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION refuse()",
        ]
    };
    for sql in refuse {
        super::execute(&db.url, sql).await;
    }
    let dir = db.dir.path().join("kb");
    std::fs::create_dir_all(&dir).expect("dir");
    for n in 0..40 {
        let title = if n == 17 {
            "Refused".to_string()
        } else {
            format!("Outage {n}")
        };
        std::fs::write(
            dir.join(format!("2020-01-{:02}-outage-{n:02}.md", n % 28 + 1)),
            format!("# {title}\n\n## Action items\n\n- fix {n}\n- check {n}\n"),
        )
        .expect("write");
    }
    let summary = db.ingest(std::slice::from_ref(&dir)).await;
    assert_eq!(
        (summary.created.len(), summary.failed.len()),
        (39, 1),
        "{summary}"
    );
    assert!(
        summary.failed[0].to_string().contains("outage-17.md")
            && summary.failed[0].to_string().contains("refused by test"),
        "{summary}"
    );
    assert_eq!(summary.items.added, 78);
    // In file order, each with its items; the refused one is not half-stored.
    let mut expected: Vec<String> = (0..40)
        .filter(|n| *n != 17)
        .map(|n| format!("2020-01-{:02}-outage-{n:02}", n % 28 + 1))
        .collect();
    expected.sort();
    assert_eq!(summary.created, expected);
    let items = db
        .store
        .list_actions(&Default::default())
        .await
        .expect("actions");
    assert_eq!(items.total, 78);

    let again = db.ingest(&[dir]).await;
    assert_eq!((again.unchanged, again.failed.len()), (39, 1), "{again}");
}

/// Same-named files get `-2`, `-3`… in file order, whatever the batch size.
async fn slug_clashes_follow_file_order(db: TestDb) {
    let root = db.dir.path().join("kb");
    for team in ["a", "b", "c"] {
        let dir = root.join(team);
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("outage.md"), format!("# {team} outage\n")).expect("write");
    }
    let summary = db.ingest(std::slice::from_ref(&root)).await;
    assert_eq!(summary.created, ["outage", "outage-2", "outage-3"]);
    for (slug, team) in [("outage", "a"), ("outage-2", "b"), ("outage-3", "c")] {
        let incident = db.store.incident(slug).await.expect("incident");
        assert!(
            incident
                .summary
                .source_path
                .ends_with(&format!("{team}/outage.md")),
            "{slug}: {}",
            incident.summary.source_path
        );
    }
}

on_both_backends!(
    a_file_failing_in_the_database_fails_alone,
    slug_clashes_follow_file_order,
);

/// A bulk ingest into PostgreSQL refreshes the planner's statistics as the
/// incidents table grows (without them every batch's lookup by path scanned
/// the whole table); autovacuum is not relied on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_saves_refresh_postgres_statistics() {
    let Some(db) = TestDb::postgres("bulk_saves_refresh_postgres_statistics").await else {
        return;
    };
    let analyzed = "SELECT 'incidents', COUNT(*) FROM pg_stats \
                    WHERE tablename = 'incidents' AND attname = 'source_path'";
    let docs: Vec<(String, String, String, coroner::model::Document)> = (0..1_200)
        .map(|n| {
            let path = format!("/kb/2020-01-01-incident-{n}.md");
            let doc = super::doc_with(&path, &["fix it"]);
            let raw = format!("# Incident {n}\n");
            let slug = coroner::ingest::slug_for_path(Path::new(&path));
            (path, slug, raw, doc)
        })
        .collect();
    let mut created = 0;
    for (batch, chunk) in docs.chunks(250).enumerate() {
        let news: Vec<_> = chunk
            .iter()
            .map(|(path, slug, raw, doc)| coroner::store::NewIncident {
                source_path: path,
                slug,
                content_hash: raw,
                source_signature: None,
                analyzer: "test",
                raw,
                document: doc,
                who: "ingest",
                force: false,
            })
            .collect();
        for saved in db.store.save_incidents(&news).await {
            assert!(saved.is_ok(), "{saved:?}");
            created += 1;
        }
        let stats = super::count_rows(&db.url, analyzed).await["incidents"];
        // Statistics appear with the batch that brings the count to 1,000.
        assert_eq!(stats > 0, created >= 1_000, "after batch {batch}");
    }
}

/// A settled file whose size and times match the stored signature is not read
/// again; a rewrite that keeps size and modification time still shows (the
/// change time moves), and a file just written is always read.
async fn unchanged_files_are_known_by_their_signature(db: TestDb) {
    let dir = db.dir.path().join("kb");
    std::fs::create_dir_all(&dir).expect("dir");
    let (a, b) = (dir.join("2020-01-01-a.md"), dir.join("2020-01-02-b.md"));
    std::fs::write(&a, "# A\n\nThe proxy fell over.\n").expect("write");
    std::fs::write(&b, "# B\n\nThe hub fell over.\n").expect("write");
    let paths = [dir.clone()];

    let first = db.ingest(&paths).await;
    assert_eq!((first.created.len(), first.unchanged_unread), (2, 0));
    // Just written: read and hashed again, not trusted by their times.
    let again = db.ingest(&paths).await;
    assert_eq!((again.unchanged, again.unchanged_unread), (2, 0), "{again}");

    std::thread::sleep(std::time::Duration::from_millis(2_100));
    // Settled: read once more, and their signatures recorded.
    let settled = db.ingest(&paths).await;
    assert_eq!((settled.unchanged, settled.unchanged_unread), (2, 0));
    let known = db.ingest(&paths).await;
    assert_eq!((known.unchanged, known.unchanged_unread), (2, 2), "{known}");

    // Same size, modification time set back: the change time gives it away.
    let modified = std::fs::metadata(&a)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&a, "# A\n\nThe proxy fell down.\n").expect("write");
    let file = std::fs::File::options().write(true).open(&a).expect("open");
    file.set_modified(modified).expect("set mtime");
    drop(file);
    let edited = db.ingest(&paths).await;
    assert_eq!(edited.updated, vec!["2020-01-01-a".to_string()], "{edited}");
    assert_eq!((edited.unchanged, edited.unchanged_unread), (1, 1));
    let incident = db.store.incident("2020-01-01-a").await.expect("incident");
    assert!(incident.raw_markdown.contains("fell down"));

    let forced = ingest_paths(
        &db.store,
        &paths,
        &IngestOptions {
            force: true,
            ..IngestOptions::default()
        },
    )
    .await
    .expect("ingest");
    assert_eq!(forced.unchanged_unread, 0, "{forced}");
}

on_both_backends!(unchanged_files_are_known_by_their_signature);
