//! `coroner action ID`: show an action item with its history, or change its
//! status, owner or due date (with a note). Bad values change nothing.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use coroner::store::{ActionChanges, ActionRecord, ActionStatus, HistoryEntry, StoreError};

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct ActionArgs {
    /// The action item's id (see `coroner actions`).
    id: i64,
    /// New status: open, in_progress, done or wont_do.
    #[arg(long)]
    status: Option<String>,
    /// New owner; an empty value clears it.
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// New due date, YYYY-MM-DD; `none` or an empty value clears it.
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
    /// A note for the history (alone, it records a comment).
    #[arg(long)]
    note: Option<String>,
    /// Who makes the change [default: $CORONER_USER, $USER, else `cli`].
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// Refuse the change unless the item is still at this version (see `version`).
    #[arg(long, value_name = "N")]
    if_version: Option<i64>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(global: &GlobalArgs, args: ActionArgs) -> ExitCode {
    let result = super::runtime().and_then(|rt| rt.block_on(action(global, args)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => super::fail(&err),
    }
}

async fn action(global: &GlobalArgs, args: ActionArgs) -> anyhow::Result<()> {
    // Every value is checked before the database is touched.
    let changes = changes(&args)?;
    let (config, kb) = global.open_kb().await?;
    let store = kb.store();
    let item = if changes.is_empty() && args.note.is_none() {
        store.action(args.id).await?
    } else {
        let who = args.by.clone().unwrap_or_else(default_user);
        kb.update_action(
            args.id,
            &changes,
            args.if_version,
            &who,
            args.note.as_deref(),
        )
        .await?
    };
    let history = store.action_history(args.id).await?;
    store.close().await;
    let today = super::actions::today(config.report_timezone());
    match args.format {
        Format::Text => print!("{}", render(&item, &history, today)),
        Format::Json => {
            let value = serde_json::json!({ "item": item, "history": history });
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
    }
    Ok(())
}

fn changes(args: &ActionArgs) -> Result<ActionChanges, StoreError> {
    let status = args
        .status
        .as_deref()
        .map(str::parse::<ActionStatus>)
        .transpose()?;
    let owner = args
        .owner
        .as_ref()
        .map(|o| Some(o.trim().to_string()).filter(|o| !o.is_empty()));
    let due = args.due.as_deref().map(parse_due).transpose()?;
    Ok(ActionChanges { status, owner, due })
}

/// `YYYY-MM-DD`, or `none`/empty to clear.
fn parse_due(text: &str) -> Result<Option<NaiveDate>, StoreError> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| {
            StoreError::InvalidInput(format!(
                "invalid due date `{text}`: {e}; expected YYYY-MM-DD"
            ))
        })
}

fn default_user() -> String {
    ["CORONER_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "cli".into())
}

fn render(a: &ActionRecord, history: &[HistoryEntry], today: NaiveDate) -> String {
    let mut s = format!("#{} [{}] {}\n", a.id, a.status, a.text);
    let title = a
        .incident_title
        .as_deref()
        .map(|t| format!(" — {t}"))
        .unwrap_or_default();
    s += &format!("  incident: {}{title} (line {})\n", a.incident, a.line);
    if let Some(group) = &a.group {
        s += &format!("  group:    {group}\n");
    }
    s += &format!("  owner:    {}\n", a.owner.as_deref().unwrap_or("-"));
    let overdue = if a.is_overdue(today) {
        " (overdue)"
    } else {
        ""
    };
    s += &format!(
        "  due:      {}{overdue}\n",
        a.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
    );
    if !a.refs.is_empty() {
        s += &format!("  refs:     {}\n", a.refs.join(" "));
    }
    s += &format!("  version:  {}\n  history:\n", a.version);
    for h in history {
        let change = match h.field.as_str() {
            "note" => "note".to_string(),
            field => format!(
                "{field}: {} → {}",
                h.old_value.as_deref().unwrap_or("∅"),
                h.new_value.as_deref().unwrap_or("∅")
            ),
        };
        let note = h
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        s += &format!(
            "    {} {}: {change}{note}\n",
            h.at.format("%Y-%m-%d %H:%M"),
            h.who
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_are_checked() {
        assert_eq!(
            parse_due("2024-02-29").expect("ok"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_due("none").expect("ok"), None);
        let err = parse_due("2023-02-29").expect_err("an error").to_string();
        assert!(err.starts_with("invalid due date `2023-02-29`"), "{err}");
        assert!(parse_due("next week").is_err());
    }
}
