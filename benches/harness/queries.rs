//! The fixed query set, as coroner, SQLite FTS5 and ripgrep each spell it.

/// One query in the three tools' languages.
pub struct Query {
    pub name: &'static str,
    /// coroner's query language.
    pub coroner: &'static str,
    /// FTS5 MATCH expression (text only: fields and statuses do not exist there).
    pub fts5: &'static str,
    /// ripgrep fixed string, case-insensitive, files listed.
    pub rg: &'static str,
}

pub const QUERIES: &[Query] = &[
    Query {
        name: "rare word `inotify`",
        coroner: "inotify",
        fts5: "inotify",
        rg: "inotify",
    },
    Query {
        name: "common word `cluster`",
        coroner: "cluster",
        fts5: "cluster",
        rg: "cluster",
    },
    Query {
        name: "phrase `\"image puller\"`",
        coroner: "\"image puller\"",
        fts5: "\"image puller\"",
        rg: "image puller",
    },
    Query {
        name: "`helm chart upgrade`",
        coroner: "helm chart upgrade",
        fts5: "helm chart upgrade",
        rg: "helm chart upgrade",
    },
    Query {
        name: "field `root:CoreDNS`",
        coroner: "root:CoreDNS",
        fts5: "CoreDNS",
        rg: "CoreDNS",
    },
    Query {
        name: "actions `status:open monitoring`",
        coroner: "status:open monitoring",
        fts5: "monitoring",
        rg: "monitoring",
    },
];

/// (p50, p99) of the samples, sorted in place.
pub fn percentiles(
    samples: &mut [std::time::Duration],
) -> (std::time::Duration, std::time::Duration) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 * q).ceil() as usize).saturating_sub(1);
        samples.get(i).copied().unwrap_or_default()
    };
    (at(0.50), at(0.99))
}
