//! `coroner search`: query the search index in `<data_dir>/index` from the
//! terminal (incidents, or action items with `--actions`), or list incidents
//! similar to one with `--similar SLUG`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use coroner::search::{
    ActionHit, Facets, Highlighted, IncidentHit, Kind, MAX_LIMIT, ParsedQuery, SearchError,
    SearchIndex, SearchRequest, SearchResults, SimilarIncident,
};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", field:value (title: root: summary: impact:
    /// tag: status: owner: group: incident: date: after: before: due:), AND / OR /
    /// NOT, -word, parentheses.
    #[arg(required_unless_present = "similar", value_name = "QUERY")]
    query: Vec<String>,
    /// Search action items instead of incidents.
    #[arg(long)]
    actions: bool,
    /// List the incidents most similar to this one (by slug) instead of searching.
    #[arg(long, value_name = "SLUG", conflicts_with_all = ["query", "actions"])]
    similar: Option<String>,
    /// Number of results to show.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=MAX_LIMIT as i64))]
    limit: u16,
    /// Skip this many results (next pages).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit status when the index is missing or unusable.
const EXIT_NO_INDEX: u8 = 1;

pub fn run(global: &super::GlobalArgs, args: SearchArgs) -> ExitCode {
    let Err(err) = execute(global, &args) else {
        return ExitCode::SUCCESS;
    };
    match err.downcast_ref::<SearchError>() {
        Some(SearchError::Query(q)) => {
            eprintln!("error: invalid query: {q}");
            if let Some(column) = q.column() {
                eprintln!("  {}\n  {}^", args.query.join(" "), " ".repeat(column - 1));
            }
            ExitCode::from(super::EXIT_USAGE)
        }
        Some(e) if e.is_user_error() => {
            eprintln!("error: {e}");
            ExitCode::from(super::EXIT_USAGE)
        }
        Some(_) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_NO_INDEX)
        }
        None => super::fail(&err),
    }
}

fn execute(global: &super::GlobalArgs, args: &SearchArgs) -> anyhow::Result<()> {
    let config = global.config()?;
    let dir = SearchIndex::dir_in(&config.data_dir);
    if let Some(slug) = &args.similar {
        let index = SearchIndex::open_existing(&dir)?;
        let similar = index.similar(slug, usize::from(args.limit))?;
        return print(args.format, &similar, || render_similar(slug, &similar));
    }
    let query = args.query.join(" ");
    // Check the query before touching the index: a typo is reported as such.
    let parsed = ParsedQuery::parse(&query).map_err(SearchError::from)?;
    let index = SearchIndex::open_existing(&dir)?;
    let req = SearchRequest::new(&query).page(args.offset, usize::from(args.limit));
    let kind = if args.actions {
        Kind::Action
    } else {
        parsed.preferred_kind().unwrap_or(Kind::Incident)
    };
    if kind == Kind::Action && !args.actions && args.format == Format::Text {
        eprintln!(
            "note: status:, owner:, group: and due: apply to action items; searching action items"
        );
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match kind {
        Kind::Incident => {
            let res = index.search_incidents(&req)?;
            print(args.format, &res, || render_incidents(&res, color))
        }
        Kind::Action => {
            let res = index.search_actions(&req)?;
            print(args.format, &res, || render_actions(&res, color))
        }
    }
}

fn print<T: serde::Serialize>(
    format: Format,
    value: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    let out = match format {
        Format::Json => serde_json::to_string_pretty(value)? + "\n",
        Format::Text => text(),
    };
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .context("cannot write output")
}

/// Highlighted text for the terminal: bold when colour is on, plain otherwise.
fn term(h: &Highlighted, color: bool) -> String {
    if !color {
        return h.text.clone();
    }
    let mut out = String::new();
    let mut at = 0;
    for r in &h.highlights {
        out += &h.text[at..r.start];
        out += &format!("\x1b[1;33m{}\x1b[0m", &h.text[r.clone()]);
        at = r.end;
    }
    out + &h.text[at..]
}

fn header<H>(res: &SearchResults<H>, noun: &str) -> String {
    let relaxed = if res.relaxed {
        " (no result had every word; showing those with any)"
    } else {
        ""
    };
    let plural = if res.total == 1 { "" } else { "s" };
    format!(
        "{} {noun}{plural} match `{}`{relaxed}\n",
        res.total, res.query
    )
}

fn footer<H>(res: &SearchResults<H>) -> String {
    let shown = res.hits.len();
    if shown == 0 || res.offset + shown >= res.total {
        return String::new();
    }
    format!(
        "showing {}-{} of {}; next page: --offset {}\n",
        res.offset + 1,
        res.offset + shown,
        res.total,
        res.offset + shown
    )
}

fn facets_line(f: &Facets) -> String {
    let list = |name: &str, v: &[coroner::search::FacetCount]| -> Option<String> {
        (!v.is_empty()).then(|| {
            let items: Vec<String> = v
                .iter()
                .take(8)
                .map(|c| format!("{} ({})", c.value, c.count))
                .collect();
            format!("{name}: {}", items.join(", "))
        })
    };
    let parts: Vec<String> = [
        list("years", &f.years),
        list("sections", &f.sections),
        list("status", &f.statuses),
        list("groups", &f.groups),
        list("tags", &f.tags),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}\n", parts.join(" · "))
    }
}

fn render_incidents(res: &SearchResults<IncidentHit>, color: bool) -> String {
    let mut s = header(res, "incident");
    for (i, h) in res.hits.iter().enumerate() {
        let date = h
            .date
            .map_or_else(|| "----------".to_string(), |d| d.to_string());
        s += &format!(
            "{:>3}. {date}  {}\n",
            res.offset + i + 1,
            term(&h.title, color)
        );
        let sections: Vec<&str> = h.matched_sections.iter().map(|m| m.label()).collect();
        let matched = if sections.is_empty() {
            String::new()
        } else {
            format!(" · matched in {}", sections.join(", "))
        };
        s += &format!("     {}{matched}\n", h.slug);
        if let Some(sn) = &h.snippet {
            let (pre, post) = (
                if sn.cut_before { "…" } else { "" },
                if sn.cut_after { "…" } else { "" },
            );
            s += &format!(
                "     {}: {pre}{}{post}\n",
                sn.section.label(),
                term(&sn.fragment, color)
            );
        }
    }
    s + &footer(res) + &facets_line(&res.facets)
}

fn render_actions(res: &SearchResults<ActionHit>, color: bool) -> String {
    let mut s = header(res, "action item");
    for (i, h) in res.hits.iter().enumerate() {
        s += &format!(
            "{:>3}. [{}] {}  (#{})\n",
            res.offset + i + 1,
            h.status,
            term(&h.text, color),
            h.id
        );
        let mut meta = vec![h.incident_slug.clone()];
        meta.extend(h.group.clone());
        meta.extend(h.owner.as_ref().map(|o| format!("owner {o}")));
        meta.extend(h.due.map(|d| format!("due {d}")));
        s += &format!("     {}\n", meta.join(" · "));
    }
    s + &footer(res) + &facets_line(&res.facets)
}

fn render_similar(slug: &str, similar: &[SimilarIncident]) -> String {
    let mut s = format!("incidents similar to `{slug}`\n");
    if similar.is_empty() {
        s += "  (none)\n";
    }
    for (i, sim) in similar.iter().enumerate() {
        let date = sim
            .date
            .map_or_else(|| "----------".to_string(), |d| d.to_string());
        s += &format!(
            "{:>3}. {:>3.0}%  {date}  {}\n     {}\n",
            i + 1,
            sim.score * 100.0,
            sim.title,
            sim.slug
        );
    }
    s
}
