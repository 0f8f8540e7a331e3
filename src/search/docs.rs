//! What the index is fed: incidents and action items as plain values, built by
//! the caller (store, ingest, tests) and independent of how they are stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{ActionItem, Document, SectionKind, Severity};

/// One incident, as indexed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentDoc {
    /// Stable identifier derived from the file name.
    pub slug: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub summary: String,
    /// Root cause(s) and contributing factors (else the conclusion).
    pub root_cause: String,
    pub impact: String,
    /// Lessons learned, what went well / wrong, conclusion.
    pub lessons: String,
    pub resolution: String,
    /// The whole post-mortem text.
    pub full_text: String,
    pub tags: Vec<String>,
    /// Whether the checks found warnings or errors in it.
    pub has_findings: bool,
    /// The path it came from.
    pub source: String,
}

/// One action item, as indexed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDoc {
    /// The store's id of the item.
    pub id: i64,
    pub incident_slug: String,
    pub incident_title: String,
    pub incident_date: Option<NaiveDate>,
    /// The item's text, with its nested items.
    pub text: String,
    pub group: Option<String>,
    /// `open`, `in_progress`, `done`, `wont_do`, `removed`.
    pub status: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

impl IncidentDoc {
    /// Build from a parsed (and checked) document: sections are picked by kind.
    /// `raw_text` is the post-mortem as written, indexed as the full text.
    pub fn from_document(slug: &str, doc: &Document, raw_text: &str) -> IncidentDoc {
        let sections = |kinds: &[SectionKind]| -> String {
            let parts: Vec<&str> = doc
                .sections
                .iter()
                .filter(|s| kinds.contains(&s.kind))
                .map(|s| s.text.trim())
                .filter(|t| !t.is_empty())
                .collect();
            parts.join("\n\n")
        };
        use SectionKind as K;
        IncidentDoc {
            slug: slug.to_string(),
            title: doc.title.clone().unwrap_or_else(|| slug.to_string()),
            date: doc.date,
            summary: sections(&[K::Summary]),
            root_cause: root_cause(sections),
            impact: sections(&[K::Impact]),
            lessons: sections(&[
                K::LessonsLearned,
                K::WhatWentWell,
                K::WhatWentWrong,
                K::Conclusion,
            ]),
            resolution: sections(&[K::Resolution]),
            full_text: crate::parse::front_matter::without_front_matter(
                raw_text,
                doc.front_matter.end_line,
            )
            .to_string(),
            tags: doc.front_matter.tags.clone(),
            has_findings: doc.findings.iter().any(|f| f.severity >= Severity::Warning),
            source: doc.source.clone(),
        }
    }

    /// The year of the incident, when dated.
    pub fn year(&self) -> Option<i32> {
        chrono::Datelike::year(&self.date?).into()
    }
}

impl ActionDoc {
    /// An item as first seen in the markdown: `done` when marked so, else `open`;
    /// owner and due date as named in the markdown (the store tracks them later).
    pub fn from_item(id: i64, incident: &IncidentDoc, item: &ActionItem) -> ActionDoc {
        let text = item_text(&item.text, &item.children);
        ActionDoc {
            id,
            incident_slug: incident.slug.clone(),
            incident_title: incident.title.clone(),
            incident_date: incident.date,
            text,
            group: item.group.clone(),
            status: if item.done { "done" } else { "open" }.to_string(),
            owner: item.owner.clone().filter(|o| !o.trim().is_empty()),
            due: item.due.as_deref().and_then(|d| d.trim().parse().ok()),
        }
    }
}

/// An action item's text as indexed: the item, then its nested items, a line each.
pub(crate) fn item_text(text: &str, children: &[String]) -> String {
    let mut out = text.trim().to_string();
    for child in children {
        out.push('\n');
        out.push_str(child.trim());
    }
    out
}

/// Root cause(s) and contributing factors; a post-mortem without them (common in
/// templates that end with a `Conclusion`) states its causes in the conclusion.
fn root_cause(sections: impl Fn(&[SectionKind]) -> String) -> String {
    let explicit = sections(&[SectionKind::RootCause, SectionKind::ContributingFactors]);
    if explicit.is_empty() {
        sections(&[SectionKind::Conclusion])
    } else {
        explicit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Finding, FrontMatter, Section};

    fn section(kind: SectionKind, text: &str) -> Section {
        Section {
            kind,
            heading: kind.as_str().into(),
            level: 2,
            line: 1,
            end_line: 2,
            text: text.into(),
        }
    }

    #[test]
    fn picks_sections_by_kind() {
        let doc = Document {
            source: "x/2018-01-26-hub.md".into(),
            title: Some("Hub slow".into()),
            date: NaiveDate::from_ymd_opt(2018, 1, 26),
            sections: vec![
                section(SectionKind::Summary, "The hub was slow."),
                section(SectionKind::RootCause, "Prepuller never finished."),
                section(SectionKind::ContributingFactors, "Master node tainted."),
                section(SectionKind::Conclusion, "Seed staging with users."),
                section(SectionKind::Timeline, "15:00 upgrade"),
            ],
            front_matter: FrontMatter {
                tags: vec!["helm".into()],
                end_line: 3,
                ..FrontMatter::default()
            },
            findings: vec![Finding {
                rule: "timezone/missing".into(),
                severity: Severity::Info,
                line: None,
                message: "m".into(),
                suggestion: None,
            }],
            ..Document::default()
        };
        let raw = "---\ntitle: x\n---\n# Hub slow\nbody\n";
        let inc = IncidentDoc::from_document("2018-01-26-hub", &doc, raw);
        assert_eq!(inc.summary, "The hub was slow.");
        assert_eq!(
            inc.root_cause,
            "Prepuller never finished.\n\nMaster node tainted."
        );
        assert_eq!(inc.lessons, "Seed staging with users.");
        let without_causes = Document {
            sections: vec![section(SectionKind::Conclusion, "Submodules drifted.")],
            ..doc.clone()
        };
        let inc2 = IncidentDoc::from_document("s", &without_causes, raw);
        assert_eq!(
            inc2.root_cause, "Submodules drifted.",
            "the conclusion states the causes"
        );
        assert_eq!(inc.full_text, "# Hub slow\nbody\n");
        assert_eq!(inc.tags, ["helm"]);
        assert_eq!(inc.year(), Some(2018));
        assert!(!inc.has_findings, "info findings do not count");
    }

    #[test]
    fn action_from_item_reads_done_marker() {
        let inc = IncidentDoc {
            slug: "s".into(),
            title: "T".into(),
            ..IncidentDoc::default()
        };
        let item = ActionItem {
            line: 3,
            text: "Add monitoring".into(),
            done: true,
            group: Some("Monitoring".into()),
            refs: vec![],
            children: vec!["for the hub".into()],
            section: "Action items".into(),
            owner: Some("@kat".into()),
            due: Some("2024-06-30".into()),
        };
        let a = ActionDoc::from_item(7, &inc, &item);
        assert_eq!(
            (a.status.as_str(), a.text.as_str()),
            ("done", "Add monitoring\nfor the hub")
        );
        assert_eq!(a.incident_title, "T");
        assert_eq!(
            (a.owner.as_deref(), a.due),
            (Some("@kat"), NaiveDate::from_ymd_opt(2024, 6, 30))
        );
    }
}
