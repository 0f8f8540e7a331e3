//! The report as Markdown that pastes cleanly into a chat message or a GitHub
//! issue: headings, bullet lists and bold only (no tables, no HTML), with
//! text from post-mortems escaped.

use std::fmt::Write;

use super::model::{ItemChange, ItemRef, WeeklyReport};
use super::wording::{self, count};

/// Longest lists printed in full; the rest is counted (the JSON has everything).
const MAX_LIST: usize = 25;

/// The whole report.
pub fn render(r: &WeeklyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Weekly incident report {}\n", r.week);
    let _ = writeln!(out, "{}\n", wording::span(r));
    if r.empty {
        let _ = writeln!(out, "**{}**\n", wording::nothing_happened(r));
    }
    let _ = writeln!(out, "**{}**\n", wording::headline(r));
    incidents(&mut out, r);
    postmortems(&mut out, r);
    activity(&mut out, r);
    open_items(&mut out, r);
    themes(&mut out, r);
    let _ = writeln!(out, "### Trends\n");
    for line in wording::trend_lines(&r.trends) {
        let _ = writeln!(out, "- {line}");
    }
    let next = r
        .next_week
        .map_or(String::new(), |w| format!(" · next: {w}"));
    let _ = writeln!(out, "\nPrevious week: {}{next}", r.previous_week);
    out
}

fn incidents(out: &mut String, r: &WeeklyReport) {
    let _ = writeln!(out, "### Incidents\n");
    if r.incidents.is_empty() {
        let _ = writeln!(out, "No incidents this week.\n");
        return;
    }
    for i in &r.incidents {
        let start = i.start_local.as_deref().unwrap_or("unknown start");
        let _ = writeln!(
            out,
            "- **{}** (`{}`): started {start}, lasted {}",
            escape(&i.title),
            i.slug,
            wording::duration(i.duration_minutes)
        );
        match i.findings.as_slice() {
            [] => {
                let _ = writeln!(out, "  - Findings: none");
            }
            findings => {
                let _ = writeln!(out, "  - Findings:");
                for f in findings {
                    let _ = writeln!(
                        out,
                        "    - {} `{}`: {}",
                        f.severity,
                        f.rule,
                        escape(&f.message)
                    );
                }
            }
        }
        let _ = writeln!(out, "  - Action items: {}", i.action_items.len());
        for item in &i.action_items {
            let mark = if item.status.is_closed() { "x" } else { " " };
            let _ = writeln!(
                out,
                "    - [{mark}] {} ({})",
                escape(&item.text),
                wording::owner_due(item)
            );
        }
    }
    out.push('\n');
}

fn postmortems(out: &mut String, r: &WeeklyReport) {
    let _ = writeln!(out, "### Post-mortems added or changed\n");
    if r.postmortems.is_empty() {
        let _ = writeln!(out, "None this week.\n");
        return;
    }
    for p in &r.postmortems {
        let _ = writeln!(
            out,
            "- **{}** (`{}`): {}",
            escape(&p.title),
            p.slug,
            p.kinds.join(", ")
        );
    }
    out.push('\n');
}

fn activity(out: &mut String, r: &WeeklyReport) {
    let a = &r.actions;
    let _ = writeln!(out, "### Action items this week\n");
    let _ = writeln!(out, "**Opened ({})**\n", a.opened.len());
    items(out, &a.opened, "None opened.");
    let _ = writeln!(out, "**Closed ({})**\n", a.closed.len());
    changes(out, &a.closed, "None closed.");
    let _ = writeln!(out, "**Reassigned ({})**\n", a.reassigned.len());
    changes(out, &a.reassigned, "None reassigned.");
}

fn open_items(out: &mut String, r: &WeeklyReport) {
    let o = &r.open_items;
    let _ = writeln!(out, "### Still open: {}\n", count(o.total, "item", "items"));
    for (label, n) in o.by_age.rows() {
        let _ = writeln!(out, "- {label}: {n}");
    }
    let _ = writeln!(out, "\n**Overdue ({})**\n", o.overdue.len());
    items(out, &o.overdue, "None overdue.");
}

fn themes(out: &mut String, r: &WeeklyReport) {
    let t = &r.themes;
    let _ = writeln!(out, "### Recurring themes\n");
    if !t.available {
        let note = t.note.as_deref().unwrap_or("unavailable");
        let _ = writeln!(out, "Recurring themes are {}.\n", escape(note));
        return;
    }
    if t.recurring.is_empty() {
        let _ = writeln!(out, "No incident this week resembles an earlier one.\n");
    }
    for theme in &t.recurring {
        let _ = writeln!(out, "- **{}** resembles:", escape(&theme.title));
        for s in &theme.similar {
            let date = s.date.map_or(String::new(), |d| format!("{d} "));
            let _ = writeln!(
                out,
                "  - {date}{} (`{}`, similarity {:.2})",
                escape(&s.title),
                s.slug,
                s.score
            );
        }
    }
    if let Some(note) = &t.note {
        let _ = writeln!(out, "\nNote: {}", escape(note));
    }
    out.push('\n');
}

fn item_line(item: &ItemRef) -> String {
    format!(
        "{} ({}; {}) in _{}_",
        escape(&item.text),
        wording::owner_due(item),
        wording::status_age(item),
        escape(&item.incident_title)
    )
}

fn items(out: &mut String, list: &[ItemRef], none: &str) {
    if list.is_empty() {
        let _ = writeln!(out, "{none}\n");
        return;
    }
    for item in list.iter().take(MAX_LIST) {
        let _ = writeln!(out, "- {}", item_line(item));
    }
    more(out, list.len());
}

fn changes(out: &mut String, list: &[ItemChange], none: &str) {
    if list.is_empty() {
        let _ = writeln!(out, "{none}\n");
        return;
    }
    for c in list.iter().take(MAX_LIST) {
        let from = c.from.as_deref().unwrap_or("nobody");
        let to = c.to.as_deref().unwrap_or("nobody");
        let _ = writeln!(
            out,
            "- {}: {} → {} by {} on {}",
            item_line(&c.item),
            escape(from),
            escape(to),
            escape(&c.who),
            c.at.format("%Y-%m-%d")
        );
    }
    more(out, list.len());
}

fn more(out: &mut String, n: usize) {
    if n > MAX_LIST {
        let _ = writeln!(out, "- … and {} more", n - MAX_LIST);
    }
    out.push('\n');
}

/// Backslash-escape what Markdown would read as emphasis, links or HTML.
/// Backticks are kept: post-mortem text and coroner's messages use them for
/// code, as Markdown means them. `#` and `|` are harmless mid-line (no tables).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            escape("a_b *c* <d> [e](f)"),
            "a\\_b \\*c\\* \\<d\\> \\[e\\](f)"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
