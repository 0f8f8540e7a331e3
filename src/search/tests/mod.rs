//! Behaviour of the index over small hand-built incidents and action items.

mod facets;
mod fuzz;
mod lifecycle;
mod queries;

use chrono::NaiveDate;

use super::{ActionDoc, FacetCount, IncidentDoc, SearchIndex, SearchRequest};

/// Facet counts as (value, count) pairs, for comparing.
pub(super) fn pairs(counts: &[FacetCount]) -> Vec<(&str, u64)> {
    counts.iter().map(|f| (f.value.as_str(), f.count)).collect()
}

pub(super) fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub(super) fn incidents() -> Vec<IncidentDoc> {
    vec![
        IncidentDoc {
            slug: "2017-03-06-helm".into(),
            title: "Non-matching hub image tags cause downtime".into(),
            date: day(2017, 3, 6),
            summary: "The hub on prod would not come up after a helm upgrade.".into(),
            root_cause: "git submodules are hard to use; the chart and the image drifted.".into(),
            impact: "Students could not log in for 40 minutes.".into(),
            full_text: "Pods went into CrashLoopBackOff. The helm chart v0.6 config did not match \
                        the image. <script>alert(1)</script> Deployments were halted."
                .into(),
            tags: vec!["Helm".into(), "datahub".into()],
            has_findings: true,
            source: "incidents/2017-03-06-helm.md".into(),
            ..IncidentDoc::default()
        },
        IncidentDoc {
            slug: "2018-01-26-slow".into(),
            title: "Hub starts up very slow".into(),
            date: day(2018, 1, 26),
            summary: "The prepuller never finished on prod, so helm timed out.".into(),
            lessons: "Seed staging with users to expose scaling issues.".into(),
            full_text: "kube-dns was fine. The PVC for the hub db was kept. Users got 503 errors."
                .into(),
            tags: vec!["helm".into()],
            source: "incidents/2018-01-26-slow.md".into(),
            ..IncidentDoc::default()
        },
        IncidentDoc {
            slug: "2019-05-01-leak".into(),
            title: "Service account leak".into(),
            date: day(2019, 5, 1),
            summary: "A service account key was published.".into(),
            resolution: "The key was revoked and rotated.".into(),
            full_text: "We deploy keys with a script. Monitoring did not alert.".into(),
            source: "incidents/2019-05-01-leak.md".into(),
            ..IncidentDoc::default()
        },
    ]
}

pub(super) fn action(
    id: i64,
    slug: &str,
    text: &str,
    group: Option<&str>,
    status: &str,
) -> ActionDoc {
    let inc = incidents().into_iter().find(|i| i.slug == slug);
    ActionDoc {
        id,
        incident_slug: slug.into(),
        incident_title: inc.as_ref().map(|i| i.title.clone()).unwrap_or_default(),
        incident_date: inc.and_then(|i| i.date),
        text: text.into(),
        group: group.map(str::to_string),
        status: status.into(),
        owner: None,
        due: None,
    }
}

pub(super) fn actions() -> Vec<ActionDoc> {
    vec![
        action(
            1,
            "2017-03-06-helm",
            "Get a deployment checklist in place",
            Some("Process"),
            "open",
        ),
        action(
            2,
            "2017-03-06-helm",
            "Assert helm config matches the image",
            Some("Technical"),
            "done",
        ),
        action(
            3,
            "2018-01-26-slow",
            "Add monitoring for hub start-up time",
            Some("Monitoring"),
            "open",
        ),
        action(
            4,
            "2019-05-01-leak",
            "Alert on leaked keys",
            Some("Monitoring"),
            "in_progress",
        ),
    ]
}

/// A fresh index with the fixtures, and the directory keeping it alive.
pub(super) fn fixture() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(&dir.path().join("index")).expect("open");
    index.rebuild(incidents(), actions()).expect("rebuild");
    (dir, index)
}

pub(super) fn slugs(index: &SearchIndex, q: &str) -> Vec<String> {
    let res = index
        .search_incidents(&SearchRequest::new(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    res.hits.into_iter().map(|h| h.slug).collect()
}

pub(super) fn action_ids(index: &SearchIndex, q: &str) -> Vec<i64> {
    let res = index
        .search_actions(&SearchRequest::new(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    res.hits.into_iter().map(|h| h.id).collect()
}
