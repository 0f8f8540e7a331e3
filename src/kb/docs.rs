//! Stored incidents as the search index takes them: the analysis' sections and
//! text from the markdown, the tracking state (status, owner, due) from the database.

use crate::ingest::StoredDoc;
use crate::search::{ActionDoc, IncidentDoc};
use crate::store::{ActionRecord, IndexSource};

/// The incident and its live action items, ready to index.
pub(crate) fn index_docs(source: &IndexSource) -> (IncidentDoc, Vec<ActionDoc>) {
    let incident =
        IncidentDoc::from_document(&source.summary.slug, &source.document, &source.raw_markdown);
    let actions = source
        .actions
        .iter()
        .map(|a| action_doc(a, &incident))
        .collect();
    (incident, actions)
}

fn action_doc(record: &ActionRecord, incident: &IncidentDoc) -> ActionDoc {
    let text = crate::search::item_text(&record.text, &record.children);
    ActionDoc {
        id: record.id,
        incident_slug: incident.slug.clone(),
        incident_title: incident.title.clone(),
        incident_date: incident.date,
        text,
        group: record.group.clone(),
        status: record.status.as_str().to_string(),
        owner: record.owner.clone(),
        due: record.due,
    }
}

/// A document ingest just stored, ready to index: the same documents as
/// [`index_docs`] makes from the database, without reading it back.
pub(crate) fn stored_docs(stored: &StoredDoc) -> (IncidentDoc, Vec<ActionDoc>) {
    let incident = IncidentDoc::from_document(&stored.slug, &stored.document, &stored.raw);
    let actions = stored
        .document
        .action_items
        .iter()
        .zip(&stored.tracked)
        .map(|(item, tracked)| ActionDoc {
            id: tracked.id,
            incident_slug: incident.slug.clone(),
            incident_title: incident.title.clone(),
            incident_date: incident.date,
            text: crate::search::item_text(&item.text, &item.children),
            group: item.group.clone(),
            status: tracked.status.as_str().to_string(),
            owner: tracked.owner.clone(),
            due: tracked.due,
        })
        .collect();
    (incident, actions)
}
