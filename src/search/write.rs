//! Writing to the index: upserts keyed by slug / action id, removals, commits
//! (which reload the reader so the next search sees the change) and rebuilds.

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::delete::delete;
use super::docs::{ActionDoc, IncidentDoc};
use super::error::SearchError;
use super::index::SearchIndex;
use super::query::{Kind, day_start};
use super::schema::Fields;

/// The unique key of an incident; keys are indexed lowercased (keyword analyzer).
pub(crate) fn incident_key(slug: &str) -> String {
    format!("incident/{}", slug.to_lowercase())
}

fn action_key(id: i64) -> String {
    format!("action/{id}")
}

fn key_query(fields: &Fields, key: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(fields.key, key),
        IndexRecordOption::Basic,
    ))
}

fn year_facet(date: Option<chrono::NaiveDate>) -> Option<Facet> {
    date.map(|d| Facet::from_path(["year".to_string(), chrono::Datelike::year(&d).to_string()]))
}

pub(crate) fn incident_document(f: &Fields, d: &IncidentDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, Kind::Incident.as_str());
    doc.add_text(f.key, incident_key(&d.slug));
    doc.add_text(f.slug, &d.slug);
    doc.add_text(f.title, &d.title);
    doc.add_text(f.title_tech, &d.title);
    for (field, text) in [
        (f.summary, &d.summary),
        (f.root, &d.root_cause),
        (f.impact, &d.impact),
        (f.lessons, &d.lessons),
        (f.resolution, &d.resolution),
    ] {
        if !text.trim().is_empty() {
            doc.add_text(field, text);
        }
    }
    doc.add_text(f.body, &d.full_text);
    doc.add_text(f.body_tech, &d.full_text);
    for tag in d.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        doc.add_text(f.tags, tag);
        doc.add_facet(f.facets, Facet::from_path(["tag", &tag.to_lowercase()]));
    }
    doc.add_bool(f.has_findings, d.has_findings);
    if let Some(date) = d.date {
        doc.add_date(f.date, day_start(date));
    }
    if let Some(facet) = year_facet(d.date) {
        doc.add_facet(f.facets, facet);
    }
    doc.add_text(f.source, &d.source);
    doc
}

pub(crate) fn action_document(f: &Fields, a: &ActionDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    let status = a.status.trim().to_lowercase();
    doc.add_text(f.kind, Kind::Action.as_str());
    doc.add_text(f.key, action_key(a.id));
    doc.add_i64(f.action_id, a.id);
    doc.add_text(f.slug, &a.incident_slug);
    doc.add_text(f.incident_title, &a.incident_title);
    doc.add_text(f.incident_title_tech, &a.incident_title);
    doc.add_text(f.text, &a.text);
    doc.add_text(f.text_tech, &a.text);
    if let Some(group) = a.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        doc.add_text(f.group, group);
        doc.add_facet(f.facets, Facet::from_path(["group", group]));
    }
    doc.add_text(f.status, &status);
    doc.add_facet(f.facets, Facet::from_path(["status", &status]));
    if let Some(owner) = a.owner.as_deref().filter(|o| !o.trim().is_empty()) {
        doc.add_text(f.owner, owner);
    }
    if let Some(date) = a.incident_date {
        doc.add_date(f.date, day_start(date));
    }
    if let Some(facet) = year_facet(a.incident_date) {
        doc.add_facet(f.facets, facet);
    }
    if let Some(due) = a.due {
        doc.add_date(f.due, day_start(due));
    }
    doc
}

/// Every action item of one incident.
fn actions_of(f: &Fields, slug: &str) -> Box<dyn Query> {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, term(f.kind, Kind::Action.as_str())),
        (Occur::Must, term(f.slug, &slug.to_lowercase())),
    ]))
}

fn add(writer: &mut IndexWriter, doc: TantivyDocument) -> Result<(), SearchError> {
    writer.add_document(doc)?;
    Ok(())
}

impl SearchIndex {
    /// Add or replace an incident (by slug). Visible after [`commit`](Self::commit).
    pub fn upsert_incident(&self, doc: &IncidentDoc) -> Result<(), SearchError> {
        self.with_writer(|w, f| {
            delete(w, key_query(f, &incident_key(&doc.slug)))?;
            add(w, incident_document(f, doc))
        })
    }

    /// Replace an incident and the whole set of its action items (as after an ingest).
    pub fn replace_incident(
        &self,
        doc: &IncidentDoc,
        actions: &[ActionDoc],
    ) -> Result<(), SearchError> {
        self.write_incident(doc, actions, true)
    }

    /// Add an incident and its action items that the index does not hold (one
    /// just created in the store): [`replace_incident`](Self::replace_incident)
    /// without its deletes.
    pub fn add_incident(
        &self,
        doc: &IncidentDoc,
        actions: &[ActionDoc],
    ) -> Result<(), SearchError> {
        self.write_incident(doc, actions, false)
    }

    fn write_incident(
        &self,
        doc: &IncidentDoc,
        actions: &[ActionDoc],
        replace: bool,
    ) -> Result<(), SearchError> {
        self.with_writer(|w, f| {
            if replace {
                delete(w, key_query(f, &incident_key(&doc.slug)))?;
                delete(w, actions_of(f, &doc.slug))?;
            }
            add(w, incident_document(f, doc))?;
            actions.iter().try_for_each(|a| {
                if replace {
                    delete(w, key_query(f, &action_key(a.id)))?;
                }
                add(w, action_document(f, a))
            })
        })
    }

    /// Remove an incident and its action items.
    pub fn remove_incident(&self, slug: &str) -> Result<(), SearchError> {
        self.with_writer(|w, f| {
            delete(w, key_query(f, &incident_key(slug)))?;
            delete(w, actions_of(f, slug))?;
            Ok(())
        })
    }

    /// Add or replace an action item (by id), e.g. after a status change.
    pub fn upsert_action(&self, doc: &ActionDoc) -> Result<(), SearchError> {
        self.with_writer(|w, f| {
            delete(w, key_query(f, &action_key(doc.id)))?;
            add(w, action_document(f, doc))
        })
    }

    pub fn remove_action(&self, id: i64) -> Result<(), SearchError> {
        self.with_writer(|w, f| {
            delete(w, key_query(f, &action_key(id)))?;
            Ok(())
        })
    }

    /// Make pending changes durable and visible to the next search.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.with_writer(|w, _| {
            w.commit()?;
            Ok(())
        })?;
        self.reload()
    }

    /// Replace the whole content by these incidents and action items, in one
    /// commit (an interrupted rebuild leaves the previous content). Returns the
    /// numbers indexed.
    pub fn rebuild<I, A>(&self, incidents: I, actions: A) -> Result<(u64, u64), SearchError>
    where
        I: IntoIterator<Item = IncidentDoc>,
        A: IntoIterator<Item = ActionDoc>,
    {
        let entries = incidents
            .into_iter()
            .map(Entry::Incident)
            .chain(actions.into_iter().map(Entry::Action))
            .map(Ok);
        self.replace_all(entries)
    }

    /// [`rebuild`](Self::rebuild) from incidents each with its action items,
    /// produced as they are read: the first `Err` abandons the rebuild (nothing
    /// is committed; the previous content stays) and is returned.
    pub fn rebuild_grouped<G>(&self, groups: G) -> Result<(u64, u64), SearchError>
    where
        G: IntoIterator<Item = Result<(IncidentDoc, Vec<ActionDoc>), SearchError>>,
    {
        let entries = groups.into_iter().flat_map(|group| {
            let entries: Vec<Result<Entry, SearchError>> = match group {
                Ok((incident, actions)) => std::iter::once(Entry::Incident(incident))
                    .chain(actions.into_iter().map(Entry::Action))
                    .map(Ok)
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            entries
        });
        self.replace_all(entries)
    }

    fn replace_all(
        &self,
        entries: impl Iterator<Item = Result<Entry, SearchError>>,
    ) -> Result<(u64, u64), SearchError> {
        let counts = self.with_writer(|w, f| {
            w.delete_all_documents()?;
            let (mut n_incidents, mut n_actions) = (0u64, 0u64);
            for entry in entries {
                // An error drops the writer uncommitted (see `with_writer`).
                match entry? {
                    Entry::Incident(doc) => {
                        delete(w, key_query(f, &incident_key(&doc.slug)))?;
                        add(w, incident_document(f, &doc))?;
                        n_incidents += 1;
                    }
                    Entry::Action(doc) => {
                        delete(w, key_query(f, &action_key(doc.id)))?;
                        add(w, action_document(f, &doc))?;
                        n_actions += 1;
                    }
                }
            }
            w.commit()?;
            Ok((n_incidents, n_actions))
        })?;
        self.reload()?;
        super::health::write_version(&self.dir)?;
        self.mark_ready();
        Ok(counts)
    }
}

/// One document of a rebuild.
enum Entry {
    Incident(IncidentDoc),
    Action(ActionDoc),
}
