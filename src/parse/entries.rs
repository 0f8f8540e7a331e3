//! Timeline entries: headings carrying a time or date, table rows whose first cell is
//! a time, list items with a time prefix, and lines that start with one. Timestamps
//! in code, quotes (chat logs) and prose are not entries.

use super::blocks::{Block, BlockKind};
use super::label::{self, Label};
use super::outline::Outline;
use crate::model::{EntryKind, SectionKind, TimelineEntry};

/// Extract entries in narrative order.
pub fn extract(blocks: &[Block], outline: &Outline) -> Vec<TimelineEntry> {
    let timed_lists = timed_list_items(blocks, outline);
    let mut x = Extractor::default();
    for (i, (block, place)) in blocks.iter().zip(&outline.places).enumerate() {
        let in_timeline = place.kind == Some(SectionKind::Timeline);
        if let Some(l) = &place.entry_label {
            x.open(
                block.line,
                l.text.clone(),
                &block.text[l.consumed.min(block.text.len())..],
                EntryKind::Heading,
            );
            continue;
        }
        match &block.kind {
            BlockKind::Heading { .. } => x.close(),
            BlockKind::TableRow {
                header: true,
                cells,
            } => {
                let timed_header = cells.first().is_some_and(|c| names_time(c));
                if x.under_heading() && !timed_header {
                    // A table quoted inside an entry's body is part of its text.
                    x.table_is_timeline = false;
                    x.append(&block.text);
                } else {
                    x.close();
                    x.time_col = cells.iter().position(|c| names_time(c)).unwrap_or(0);
                    x.table_is_timeline = in_timeline || cells.iter().any(|c| names_time(c));
                }
            }
            BlockKind::TableRow {
                header: false,
                cells,
            } if x.table_is_timeline => x.table_row(block.line, cells),
            BlockKind::ListItem { .. } if !block.quoted && (in_timeline || timed_lists[i]) => {
                x.list_item(block)
            }
            BlockKind::Paragraph if in_timeline && !block.quoted && !x.under_heading() => {
                x.paragraph(block)
            }
            // Quotes (chat logs, emails) belong to a heading entry's body, not to a line.
            _ if in_timeline && (!block.quoted || x.under_heading()) => x.append(&block.text),
            _ => x.close(),
        }
    }
    x.close();
    x.entries
}

#[derive(Default)]
struct Extractor {
    entries: Vec<TimelineEntry>,
    open: Option<usize>,
    context: Option<String>,
    table_is_timeline: bool,
    /// The column of a timeline table that holds the time (named by its header).
    time_col: usize,
}

impl Extractor {
    fn open(&mut self, line: usize, label: String, rest: &str, kind: EntryKind) {
        let mut entry = TimelineEntry::new(line, label, clean(rest), kind);
        if kind != EntryKind::Heading {
            entry.context = self.context.clone();
        } else {
            self.context = None;
        }
        self.entries.push(entry);
        self.open = Some(self.entries.len() - 1);
    }

    fn close(&mut self) {
        self.open = None;
    }

    fn under_heading(&self) -> bool {
        self.open
            .is_some_and(|i| self.entries[i].kind == EntryKind::Heading)
    }

    fn append(&mut self, text: &str) {
        if let Some(entry) = self.open.and_then(|i| self.entries.get_mut(i)) {
            let text = text.trim();
            if !text.is_empty() {
                if !entry.text.is_empty() {
                    entry.text.push('\n');
                }
                entry.text.push_str(text);
            }
        }
    }

    /// A row of a timeline table is an entry when its time cell holds a label, or at
    /// least digits (`20202-01-16 12:00`, `2022-05-?? HH:mm`: kept for the resolver to judge).
    fn table_row(&mut self, line: usize, cells: &[String]) {
        let cell = cells
            .get(self.time_col)
            .map(String::as_str)
            .unwrap_or("")
            .trim();
        let label = match label::scan(cell) {
            Some(l) if l.consumed >= cell.len() => Some(l.text),
            _ if cell.chars().any(|c| c.is_ascii_digit()) && cell.len() <= 40 => {
                Some(cell.to_string())
            }
            _ => None,
        };
        match label {
            Some(label) => {
                let rest: Vec<&str> = cells
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| *i != self.time_col && !c.is_empty())
                    .map(|(_, c)| c.as_str())
                    .collect();
                self.open(line, label, &rest.join(" | "), EntryKind::TableRow);
                self.close();
            }
            None => self.close(),
        }
    }

    fn list_item(&mut self, block: &Block) {
        match entry_label(&block.text) {
            Some(l) => self.open(
                block.line,
                l.text,
                &block.text[l.consumed..],
                EntryKind::ListItem,
            ),
            None => self.append(&block.text),
        }
    }

    /// Each line of a paragraph may start an entry; a date alone on a line dates the
    /// timed entries that follow it.
    fn paragraph(&mut self, block: &Block) {
        for (k, line) in block.text.lines().enumerate() {
            let t = line.trim();
            match entry_label(t) {
                Some(l) if l.consumed >= t.len() && l.has_date && !l.has_time => {
                    self.close();
                    self.context = Some(l.text);
                }
                Some(l) => self.open(block.line + k, l.text, &t[l.consumed..], EntryKind::Line),
                None => self.append(t),
            }
        }
    }
}

/// A label that starts an entry: followed by a separator or the end, or a clock time.
fn entry_label(text: &str) -> Option<Label> {
    label::scan(text).filter(|l| l.has_time || (l.has_date && l.separated))
}

/// A table header cell that says the column holds times (`Time`, `Date and Time in CET`).
fn names_time(cell: &str) -> bool {
    let c = cell.to_lowercase();
    c.contains("time") || c.contains("date") || c.contains("when")
}

fn clean(text: &str) -> String {
    text.trim()
        .trim_start_matches([':', '-', '–', '—', '|'])
        .trim()
        .to_string()
}

/// Outside timeline sections, a list is a timeline when at least three of its items,
/// and at least half, start with a clock time.
fn timed_list_items(blocks: &[Block], outline: &Outline) -> Vec<bool> {
    let mut marks = vec![false; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        if !matches!(blocks[i].kind, BlockKind::ListItem { depth: 0, .. }) {
            i += 1;
            continue;
        }
        let section = outline.places[i].section;
        let top = |b: &Block| matches!(b.kind, BlockKind::ListItem { depth: 0, .. });
        let mut j = i;
        while j < blocks.len()
            && outline.places[j].section == section
            && matches!(blocks[j].kind, BlockKind::ListItem { .. })
        {
            j += 1;
        }
        // At least three timed items and at least half: stop reading labels once the
        // count is reached or can no longer be.
        let mut left = blocks[i..j].iter().filter(|b| top(b)).count();
        let needed = left.div_ceil(2).max(3);
        let mut timed = 0;
        for block in blocks[i..j].iter().filter(|b| top(b)) {
            if timed >= needed || timed + left < needed {
                break;
            }
            left -= 1;
            timed += usize::from(label::scan(&block.text).is_some_and(|l| l.has_time));
        }
        if timed >= needed {
            marks[i..j].iter_mut().for_each(|m| *m = true);
        }
        i = j.max(i + 1);
    }
    marks
}
