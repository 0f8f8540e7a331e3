//! Action items: the top-level items of action sections (numbered or bullet lists,
//! task lists, table rows, or lone paragraphs under a sub-heading), with their group,
//! nested items, ticket refs and explicit done markers.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::{Block, BlockKind};
use super::outline::Outline;
use crate::model::{ActionItem, SectionKind};

static DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\[x\]\s*)?(?:done|implemented|completed|complete|fixed|resolved|finished)\s*[:!\-–—]|\((?:\s*done|\s*completed|\s*implemented|\s*fixed|\s*resolved)\b[^)]*\)|✅|✔|☑")
        .expect("static regex")
});
static NOT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:suggested|proposed|todo|to do|planned|open|pending|in progress|not done)\s*[:\-–—]").expect("static regex")
});
static REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://[^\s)>\]]+|(?:^|[\s(\[])(#\d{1,7})\b|\b([A-Z][A-Z0-9]{1,9}-\d{1,6})\b")
        .expect("static regex")
});
static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:owner|assignee|assigned to|who)\s*[:=]\s*([^)]+)\)|(?:owner|assignee)\s*:\s*(@[\w-]+)").expect("static regex")
});
/// Upper-case tokens that look like ticket keys but are standards or algorithms.
const NOT_TICKETS: &[&str] = &[
    "UTF", "ISO", "SHA", "RFC", "CVE", "MD", "TLS", "SSL", "HTTP", "IPV", "X", "PM", "AES", "RSA",
    "EC",
];
/// Paragraph text meaning "no items here".
const NONE_LIKE: &[&str] = &[
    "none", "none.", "n/a", "na", "tbd", "tbd.", "-", "nothing", "nothing.", "nil", "todo",
];
/// Words that mark a checklist about the post-mortem itself, not about the system.
const META: &[&str] = &[
    "above",
    "this document",
    "post-mortem",
    "postmortem",
    "after-action",
    "incident has been",
    "sections",
    "report is",
];

/// Extract action items in narrative order.
pub fn extract(blocks: &[Block], outline: &Outline) -> Vec<ActionItem> {
    let checklists = process_checklists(blocks, outline);
    let list_roots: Vec<usize> = roots_with(blocks, outline, |b| {
        matches!(
            b.kind,
            BlockKind::ListItem { .. } | BlockKind::TableRow { .. }
        )
    });
    let mut items: Vec<ActionItem> = Vec::new();
    let mut groups_with_lists: Vec<Option<usize>> = Vec::new();
    for (block, place) in blocks.iter().zip(&outline.places) {
        if place.kind == Some(SectionKind::ActionItems)
            && matches!(
                block.kind,
                BlockKind::ListItem { .. } | BlockKind::TableRow { .. }
            )
        {
            groups_with_lists.push(place.section);
        }
    }
    let mut table: Option<Vec<String>> = None;
    for (block, place) in blocks.iter().zip(&outline.places) {
        let Some(root) = place.action_root else {
            continue;
        };
        if place.kind != Some(SectionKind::ActionItems)
            || checklists.contains(&root)
            || block.quoted
        {
            continue;
        }
        let heading = &outline.sections[root].heading;
        match &block.kind {
            BlockKind::ListItem { depth: 0, task } => {
                let mut item = new_item(block, heading, place.group.clone());
                item.done |= *task == Some(true);
                items.push(item);
            }
            BlockKind::ListItem { .. } => {
                if let Some(parent) = items.last_mut() {
                    parent.children.push(block.text.clone());
                    parent.refs.extend(refs(block));
                }
            }
            BlockKind::Paragraph if block.within_item == Some(0) => {
                if let Some(item) = items.last_mut() {
                    item.text.push('\n');
                    item.text.push_str(&block.text);
                    item.refs.extend(refs(block));
                }
            }
            BlockKind::Paragraph => {
                let group_has_list = groups_with_lists.contains(&place.section);
                let region_has_list = list_roots.contains(&root);
                let lone = if place.group.is_some() {
                    !group_has_list
                } else {
                    !region_has_list
                };
                if lone && !is_none_like(&block.text) && !block.text.trim_end().ends_with(':') {
                    items.push(new_item(block, heading, place.group.clone()));
                }
            }
            BlockKind::TableRow {
                header: true,
                cells,
            } => table = Some(cells.iter().map(|c| c.to_lowercase()).collect()),
            BlockKind::TableRow {
                header: false,
                cells,
            } => {
                if let Some(item) =
                    table_item(block, cells, table.as_deref(), heading, place.group.clone())
                {
                    items.push(item);
                }
            }
            _ => {}
        }
    }
    for item in &mut items {
        item.refs.sort();
        item.refs.dedup();
    }
    items
}

fn new_item(block: &Block, section: &str, group: Option<String>) -> ActionItem {
    let text = block.text.trim().to_string();
    let done =
        block.struck || (may_be_done(&text) && DONE.is_match(&text) && !NOT_DONE.is_match(&text));
    // Both owner shapes need a `:` or `=`.
    let owner = text
        .contains([':', '='])
        .then(|| OWNER.captures(&text))
        .flatten()
        .and_then(|c| c.get(1).or(c.get(2)))
        .map(|m| m.as_str().trim().to_string());
    ActionItem {
        line: block.line,
        refs: refs(block),
        text,
        done,
        group,
        children: Vec::new(),
        section: section.to_string(),
        owner,
        due: None,
    }
}

/// Whether [`DONE`] can match: its first shape starts the text with a done word (after
/// spaces and `[x]`), the second needs a `(`, the third a non-ASCII mark; text with any
/// non-ASCII character is left to the regex. Most items start with none of these.
fn may_be_done(text: &str) -> bool {
    if !text.is_ascii() || text.contains('(') {
        return true;
    }
    let t = text.trim_start();
    let t = match t.get(..3) {
        Some(mark) if mark.eq_ignore_ascii_case("[x]") => t[3..].trim_start(),
        _ => t,
    };
    const WORDS: [&str; 6] = [
        "done",
        "implemented",
        "complete",
        "fixed",
        "resolved",
        "finished",
    ];
    WORDS
        .iter()
        .any(|w| t.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))
}

/// A row of an action table: text from the action/description column (else the
/// first), owner, due date and status from their columns when the header names them.
fn table_item(
    block: &Block,
    cells: &[String],
    header: Option<&[String]>,
    section: &str,
    group: Option<String>,
) -> Option<ActionItem> {
    let col = |names: &[&str]| {
        header.and_then(|h| h.iter().position(|c| names.iter().any(|n| c.contains(n))))
    };
    let text_col = col(&[
        "action",
        "item",
        "task",
        "description",
        "what",
        "remediation",
    ])
    .unwrap_or(0);
    let text = cells.get(text_col)?.trim();
    if text.is_empty() {
        return None;
    }
    let cell = |names: &[&str]| {
        col(names)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
    };
    let mut item = new_item(
        &Block {
            text: text.to_string(),
            ..block.clone()
        },
        section,
        group,
    );
    item.owner = cell(&["owner", "assignee", "who", "responsible"]).or(item.owner);
    item.due = cell(&["due", "deadline", "target", "eta", "when"]);
    if let Some(status) = cell(&["status", "state", "done"]) {
        let s = status.to_lowercase();
        item.done |= [
            "done",
            "complete",
            "completed",
            "fixed",
            "resolved",
            "closed",
            "yes",
            "✅",
            "x",
        ]
        .iter()
        .any(|d| s == *d || s.starts_with(&format!("{d} ")));
    }
    item.refs.extend(cells.iter().flat_map(|c| ref_strings(c)));
    Some(item)
}

fn refs(block: &Block) -> Vec<String> {
    let mut out: Vec<String> = block
        .links
        .iter()
        .filter(|l| is_ticket_url(l))
        .cloned()
        .collect();
    out.extend(ref_strings(&block.text));
    out
}

fn ref_strings(text: &str) -> Vec<String> {
    if !may_have_refs(text) {
        return Vec::new();
    }
    REF.captures_iter(text)
        .filter_map(|c| {
            if let Some(url) = c.get(0).filter(|m| m.as_str().starts_with("http")) {
                return is_ticket_url(url.as_str())
                    .then(|| url.as_str().trim_end_matches(['.', ',']).to_string());
            }
            if let Some(num) = c.get(1) {
                return Some(num.as_str().to_string());
            }
            let key = c.get(2)?.as_str();
            let prefix = key.split('-').next().unwrap_or("");
            (!NOT_TICKETS.contains(&prefix)).then(|| key.to_string())
        })
        .collect()
}

/// Whether [`REF`] can match: a URL has `://`, an issue number `#` and a digit, a
/// ticket key `-` and a digit (`\d` is Unicode: in other than ASCII text, any `:`,
/// `#` or `-` will do).
fn may_have_refs(text: &str) -> bool {
    if !text.is_ascii() {
        return text.contains([':', '#', '-']);
    }
    let digit_after = |w: &[u8]| matches!(w[0], b'#' | b'-') && w[1].is_ascii_digit();
    text.as_bytes().windows(2).any(digit_after) || text.contains("://")
}

/// Links to issues, pull requests and tickets (GitHub, GitLab, Jira, Linear, …).
fn is_ticket_url(url: &str) -> bool {
    [
        "/issues/",
        "/pull/",
        "/merge_requests/",
        "/browse/",
        "/tickets/",
        "/ticket/",
        "linear.app/",
        "/-/issues",
    ]
    .iter()
    .any(|p| url.contains(p))
}

fn is_none_like(text: &str) -> bool {
    NONE_LIKE.contains(&text.trim().to_lowercase().as_str())
}

/// Action sections that are a checklist about the post-mortem process (datahub's
/// `## Actions`: `- [ ] Incident has been dealt with`): every item is a task-list item
/// and either another action section came first or most items talk about the document.
fn process_checklists(blocks: &[Block], outline: &Outline) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen_items_before = false;
    let mut roots: Vec<usize> = outline
        .places
        .iter()
        .filter_map(|p| p.action_root)
        .collect();
    roots.dedup();
    for root in roots {
        let items: Vec<&Block> = blocks
            .iter()
            .zip(&outline.places)
            .filter(|(b, p)| {
                p.action_root == Some(root)
                    && matches!(b.kind, BlockKind::ListItem { depth: 0, .. })
            })
            .map(|(b, _)| b)
            .collect();
        let all_tasks = !items.is_empty()
            && items
                .iter()
                .all(|b| matches!(b.kind, BlockKind::ListItem { task: Some(_), .. }));
        // Only a task list can be a checklist: the words are read for those alone.
        let meta = || {
            items
                .iter()
                .filter(|b| {
                    let lower = b.text.to_lowercase();
                    META.iter().any(|m| lower.contains(m))
                })
                .count()
        };
        if all_tasks && (seen_items_before || meta() * 2 >= items.len()) {
            out.push(root);
        }
        seen_items_before |= !items.is_empty();
    }
    out
}

fn roots_with(blocks: &[Block], outline: &Outline, pred: impl Fn(&Block) -> bool) -> Vec<usize> {
    let mut out: Vec<usize> = blocks
        .iter()
        .zip(&outline.places)
        .filter(|(b, p)| p.kind == Some(SectionKind::ActionItems) && pred(b))
        .filter_map(|(_, p)| p.action_root)
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_done_guard_passes_done_items() {
        for text in [
            "Done: add a probe",
            "  [x] fixed - alert routing",
            "[X]DONE!",
            "Add a probe (done in #12)",
            "Add a probe ✅",
            "Completed: runbook",
            "finished—yes",
        ] {
            assert!(DONE.is_match(text), "{text:?}");
            assert!(may_be_done(text), "{text:?}");
        }
        assert!(!may_be_done("Add a runbook for the proxy"));
        assert!(!may_be_done("Not done: x"));
    }

    proptest::proptest! {
        #[test]
        fn the_ref_guard_lets_every_match_through(text in "[A-Z#\\-0-9 :/htpsé()\\[]{0,12}") {
            if REF.is_match(&text) {
                proptest::prop_assert!(may_have_refs(&text));
            }
        }

        #[test]
        fn the_done_guard_lets_every_match_through(
            text in "[ \\t]{0,2}(\\[[xX ]\\] ?)?(done|Done|DONE|fixed|complete|Completed|finished|resolved|implemented|nope)?[ :!\\-–—(a-z✅)]{0,6}"
        ) {
            if DONE.is_match(&text) {
                proptest::prop_assert!(may_be_done(&text));
            }
        }
    }
}
