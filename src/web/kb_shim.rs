//! Stand-in for `coroner::kb::KnowledgeBase` (store and search index kept in
//! step) until it lands on main; same method names so the switch is one line.

use std::path::PathBuf;

use crate::config::Config;
use crate::ingest::{IngestOptions, IngestSummary, ingest_paths};
use crate::search::{ActionDoc, IncidentDoc, IndexStatus, SearchError, SearchIndex};
use crate::store::{ActionChanges, ActionFilter, ActionRecord, ActionStatus, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

pub struct KnowledgeBase {
    store: Store,
    index: SearchIndex,
}

impl KnowledgeBase {
    pub async fn open(config: &Config) -> Result<(KnowledgeBase, IndexStatus), KbError> {
        let store = Store::connect(&config.database_url()).await?;
        let index = SearchIndex::open(&SearchIndex::dir_in(&config.data_dir))?;
        let kb = KnowledgeBase { store, index };
        kb.reindex().await?;
        Ok((kb, IndexStatus::Ready))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    pub async fn ingest(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
    ) -> Result<IngestSummary, KbError> {
        let summary = ingest_paths(&self.store, paths, opts).await?;
        self.reindex().await?;
        Ok(summary)
    }

    pub async fn update_action(
        &self,
        id: i64,
        changes: &ActionChanges,
        expected_version: Option<i64>,
        who: &str,
        note: Option<&str>,
    ) -> Result<ActionRecord, KbError> {
        let rec = self
            .store
            .update_action(id, changes, expected_version, who, note)
            .await?;
        self.index.upsert_action(&action_doc(&rec))?;
        self.index.commit()?;
        Ok(rec)
    }

    pub async fn reindex(&self) -> Result<(u64, u64), KbError> {
        let mut incidents = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let batch = self.store.documents(after.as_deref(), 200).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.0.slug.clone());
            for (summary, doc) in &batch {
                incidents.push(IncidentDoc::from_document(&summary.slug, doc, ""));
            }
        }
        let filter = ActionFilter {
            statuses: ActionStatus::ALL.to_vec(),
            ..ActionFilter::default()
        };
        let actions = self.store.list_actions(&filter).await?;
        let docs: Vec<ActionDoc> = actions.items.iter().map(action_doc).collect();
        Ok(self.index.rebuild(incidents, docs)?)
    }
}

fn action_doc(rec: &ActionRecord) -> ActionDoc {
    ActionDoc {
        id: rec.id,
        incident_slug: rec.incident.clone(),
        incident_title: rec.incident_title.clone().unwrap_or_default(),
        incident_date: None,
        text: rec.text.clone(),
        group: rec.group.clone(),
        status: rec.status.as_str().to_string(),
        owner: rec.owner.clone(),
        due: rec.due,
    }
}
