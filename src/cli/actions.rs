//! `coroner actions`: list tracked action items as a table, JSON or CSV.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use coroner::store::{ActionFilter, ActionRecord, ActionStatus};

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct ActionsArgs {
    /// Only these statuses (open, in_progress, done, wont_do, removed); repeat or
    /// separate with commas [default: all but removed].
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    status: Vec<String>,
    /// Only items owned by NAME (case-insensitive).
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// Only open or in-progress items whose due date has passed.
    #[arg(long)]
    overdue: bool,
    /// Only the items of this incident.
    #[arg(long, value_name = "SLUG")]
    incident: Option<String>,
    /// Include the items of archived incidents.
    #[arg(long)]
    archived: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

pub fn run(global: &GlobalArgs, args: ActionsArgs) -> ExitCode {
    let result = super::runtime().and_then(|rt| rt.block_on(list(global, args)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => super::fail(&err),
    }
}

async fn list(global: &GlobalArgs, args: ActionsArgs) -> anyhow::Result<()> {
    let statuses = args
        .status
        .iter()
        .map(|s| s.parse::<ActionStatus>())
        .collect::<Result<Vec<_>, _>>()?;
    let (config, store) = global.open_store().await?;
    let today = today(config.report_timezone());
    let filter = ActionFilter {
        statuses,
        owner: args.owner,
        overdue_on: args.overdue.then_some(today),
        incident: args.incident,
        include_archived: args.archived,
        ..ActionFilter::default()
    };
    let page = store.list_actions(&filter).await?;
    store.close().await;
    let out = match args.format {
        Format::Table => table(&page.items, today),
        Format::Json => serde_json::to_string_pretty(&page.items)? + "\n",
        Format::Csv => csv(&page.items),
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}

/// Today in the team's zone (the report zone, else the timeline default), else locally.
pub(crate) fn today(zone: Option<&str>) -> NaiveDate {
    match zone.and_then(|z| z.parse::<chrono_tz::Tz>().ok()) {
        Some(tz) => chrono::Utc::now().with_timezone(&tz).date_naive(),
        None => chrono::Local::now().date_naive(),
    }
}

fn table(items: &[ActionRecord], today: NaiveDate) -> String {
    if items.is_empty() {
        return "no action items match\n".into();
    }
    let mut out = format!(
        "{:>5}  {:<11}  {:<14}  {:<12}  {:<28}  {}\n",
        "ID", "STATUS", "OWNER", "DUE", "INCIDENT", "TEXT"
    );
    for a in items {
        let due = match a.due {
            Some(d) if a.is_overdue(today) => format!("{d}!"),
            Some(d) => d.to_string(),
            None => "-".into(),
        };
        out += &format!(
            "{:>5}  {:<11}  {:<14}  {:<12}  {:<28}  {}\n",
            a.id,
            a.status.as_str(),
            clip(a.owner.as_deref().unwrap_or("-"), 14),
            due,
            clip(&a.incident, 28),
            clip(&a.text, 70),
        );
    }
    out + &format!("{} item(s); `!` marks overdue\n", items.len())
}

fn clip(text: &str, width: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= width && !text.contains('\n') {
        return line.to_string();
    }
    let mut out: String = line.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn csv(items: &[ActionRecord]) -> String {
    let mut out = String::from(
        "id,incident,status,owner,due,group,text,refs,version,created_at,updated_at,closed_at\n",
    );
    for a in items {
        let fields = [
            a.id.to_string(),
            a.incident.clone(),
            a.status.to_string(),
            a.owner.clone().unwrap_or_default(),
            a.due.map(|d| d.to_string()).unwrap_or_default(),
            a.group.clone().unwrap_or_default(),
            a.text.clone(),
            a.refs.join(" "),
            a.version.to_string(),
            a.created_at.to_rfc3339(),
            a.updated_at.to_rfc3339(),
            a.closed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out += &row.join(",");
        out.push('\n');
    }
    out
}

/// RFC 4180: quote fields holding a comma, quote or line break; double the quotes.
/// A leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets don't run it.
fn csv_field(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }

    #[test]
    fn clip_keeps_short_text_and_marks_cuts() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("a longer line of text", 8), "a longe…");
        assert_eq!(clip("two\nlines", 10), "two…");
    }
}
