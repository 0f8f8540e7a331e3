//! `coroner reindex`: rebuild the search index from the database, or with
//! `--check` only say whether it is in step (changing nothing).

use std::process::ExitCode;

use clap::Args;
use coroner::search::{IndexStatus, SearchError, SearchIndex};

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Only check the index against the database; exit 1 when it needs a rebuild.
    #[arg(long, conflicts_with = "duplicates")]
    check: bool,
    /// Also check every incident for near-duplicates (after a bulk import).
    #[arg(long)]
    duplicates: bool,
}

pub fn run(global: &GlobalArgs, args: ReindexArgs) -> ExitCode {
    let result = super::runtime().and_then(|rt| rt.block_on(reindex(global, args)));
    match result {
        Ok(code) => code,
        Err(err) => super::fail(&err),
    }
}

async fn reindex(global: &GlobalArgs, args: ReindexArgs) -> anyhow::Result<ExitCode> {
    if args.check {
        return check(global).await;
    }
    let config = global.config()?;
    let (kb, found) = coroner::kb::KnowledgeBase::open(&config).await?;
    if found.needs_rebuild() {
        // Opening rebuilt it already.
        eprintln!("note: {}", found.message());
    } else {
        kb.reindex().await?;
    }
    let (incidents, actions) = kb.index().counts()?;
    println!("indexed {incidents} incidents and {actions} action items");
    if args.duplicates {
        let flagged = kb.refresh_duplicates().await?;
        println!(
            "near-duplicate findings updated on {} incidents",
            flagged.len()
        );
    }
    kb.store().close().await;
    Ok(ExitCode::SUCCESS)
}

async fn check(global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let (config, store) = global.open_store().await?;
    let (incidents, actions) = store.index_counts().await?;
    store.close().await;
    let status = match SearchIndex::open_existing(&SearchIndex::dir_in(&config.data_dir)) {
        Ok(index) => index.verify(incidents, actions),
        Err(SearchError::NotFound { .. }) => IndexStatus::Missing,
        Err(e) => IndexStatus::Corrupt {
            reason: e.to_string(),
        },
    };
    println!(
        "{}",
        match &status {
            IndexStatus::Ready => "search index is up to date".to_string(),
            IndexStatus::Missing => "no search index; run `coroner reindex`".into(),
            IndexStatus::Corrupt { reason } | IndexStatus::Stale { reason } =>
                format!("search index needs a rebuild ({reason}); run `coroner reindex`"),
        }
    );
    Ok(if status.needs_rebuild() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
