//! pulldown-cmark events → a flat list of blocks (headings, paragraphs, list items,
//! table rows, code, HTML, quotes), each with its line and its plain text.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::lines::LineIndex;

/// The one place the markdown parser is configured (also used to render HTML).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading {
        level: u8,
    },
    Paragraph,
    /// A list item's own text; `depth` 0 for top-level items.
    ListItem {
        depth: usize,
        task: Option<bool>,
    },
    /// A table row; `header` for the head row. `cells` hold plain text.
    TableRow {
        header: bool,
        cells: Vec<String>,
    },
    Code,
    Html,
    Rule,
}

/// One block with its 1-based first line and plain text.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub line: usize,
    pub text: String,
    /// Inside a block quote (chat logs, quoted emails): never a timeline entry.
    pub quoted: bool,
    /// Every character of the text is struck through (`~~done~~`).
    pub struck: bool,
    /// Link targets found in the block's text.
    pub links: Vec<String>,
    /// A paragraph or code block that continues a list item at this depth.
    pub within_item: Option<usize>,
}

/// Walk one markdown segment starting at byte `base` of the full text.
pub fn collect(segment: &str, base: usize, lines: &LineIndex, out: &mut Vec<Block>) {
    let mut w = Walker {
        lines: Some(lines),
        base,
        out: Some(out),
        ..Walker::default()
    };
    for (event, range) in Parser::new_ext(segment, options()).into_offset_iter() {
        w.source_len = range.len();
        w.event(event, range.start);
    }
    w.flush();
}

#[derive(Default)]
struct Walker<'a> {
    lines: Option<&'a LineIndex>,
    base: usize,
    out: Option<&'a mut Vec<Block>>,
    current: Option<Block>,
    list_depth: usize,
    quote_depth: usize,
    table_head: bool,
    cells: Vec<String>,
    in_cell: bool,
    strike_depth: usize,
    /// The block has visible (non-whitespace) text outside / inside strikethrough.
    plain_text: bool,
    struck_text: bool,
    /// Source bytes of the current event: a block's text rarely outgrows its source,
    /// so reserving that much saves growing it piece by piece.
    source_len: usize,
}

impl<'a> Walker<'a> {
    fn line(&self, offset: usize) -> usize {
        self.lines.map_or(1, |l| l.line_of(self.base + offset))
    }

    fn start(&mut self, kind: BlockKind, offset: usize) {
        self.flush();
        let kind_is_item = matches!(kind, BlockKind::ListItem { .. });
        self.current = Some(Block {
            kind,
            line: self.line(offset),
            text: String::with_capacity(self.source_len.min(4096)),
            quoted: self.quote_depth > 0,
            struck: false,
            links: Vec::new(),
            within_item: match kind_is_item {
                true => None,
                false => self.list_depth.checked_sub(1),
            },
        });
        self.plain_text = false;
        self.struck_text = false;
    }

    fn flush(&mut self) {
        if let Some(mut block) = self.current.take() {
            // Trimmed in place: most text has nothing to trim.
            block.text.truncate(block.text.trim_end().len());
            let lead = block.text.len() - block.text.trim_start().len();
            block.text.drain(..lead);
            block.struck = self.struck_text && !self.plain_text;
            let keep = !block.text.is_empty()
                || matches!(
                    block.kind,
                    BlockKind::Heading { .. } | BlockKind::Rule | BlockKind::TableRow { .. }
                );
            if let (true, Some(out)) = (keep, self.out.as_deref_mut()) {
                out.push(block);
            }
        }
    }

    fn push_text(&mut self, text: &str, offset: usize) {
        if self.in_cell {
            if let Some(cell) = self.cells.last_mut() {
                cell.push_str(text);
            }
            return;
        }
        if self.current.is_none() {
            // Loose text (e.g. a tight list item's first line) opens an implicit paragraph.
            self.start(BlockKind::Paragraph, offset);
        }
        // Only whether any visible text was seen matters, so stop looking once it was.
        let seen = match self.strike_depth > 0 {
            true => &mut self.struck_text,
            false => &mut self.plain_text,
        };
        if !*seen {
            *seen = text.chars().any(|c| !c.is_whitespace());
        }
        if let Some(b) = self.current.as_mut() {
            b.text.push_str(text);
        }
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        match event {
            Event::Start(tag) => self.start_tag(tag, offset),
            Event::End(tag) => self.end_tag(tag),
            Event::Text(t) | Event::Code(t) => self.push_text(&t, offset),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t, offset),
            Event::InlineHtml(t) => self.push_text(&t, offset),
            Event::Html(t) => {
                if !matches!(
                    self.current.as_ref().map(|b| &b.kind),
                    Some(BlockKind::Html)
                ) {
                    self.start(BlockKind::Html, offset);
                }
                self.push_text(&t, offset);
            }
            Event::FootnoteReference(t) => self.push_text(&format!("[^{t}]"), offset),
            Event::SoftBreak | Event::HardBreak => self.push_text("\n", offset),
            Event::Rule => {
                self.start(BlockKind::Rule, offset);
                self.flush();
            }
            Event::TaskListMarker(done) => {
                if let Some(Block {
                    kind: BlockKind::ListItem { task, .. },
                    ..
                }) = self.current.as_mut()
                {
                    *task = Some(done);
                }
            }
        }
    }

    fn start_tag(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Heading { level, .. } => {
                self.start(BlockKind::Heading { level: level as u8 }, offset)
            }
            Tag::Paragraph => {
                // A list item's first paragraph belongs to the item itself.
                let in_fresh_item = matches!(
                    self.current.as_ref(),
                    Some(Block { kind: BlockKind::ListItem { .. }, text, .. }) if text.trim().is_empty()
                );
                if in_fresh_item {
                    return;
                }
                self.start(BlockKind::Paragraph, offset);
            }
            Tag::Item => {
                let depth = self.list_depth.saturating_sub(1);
                self.start(BlockKind::ListItem { depth, task: None }, offset);
            }
            Tag::List(_) => {
                self.flush();
                self.list_depth += 1;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(kind) => {
                self.start(BlockKind::Code, offset);
                if let (CodeBlockKind::Fenced(_), Some(b)) = (kind, self.current.as_mut()) {
                    b.line += 1; // the content starts after the fence line
                }
            }
            Tag::TableHead => {
                self.table_head = true;
                self.start(
                    BlockKind::TableRow {
                        header: true,
                        cells: Vec::new(),
                    },
                    offset,
                );
            }
            Tag::TableRow => self.start(
                BlockKind::TableRow {
                    header: false,
                    cells: Vec::new(),
                },
                offset,
            ),
            Tag::TableCell => {
                self.cells.push(String::new());
                self.in_cell = true;
            }
            Tag::Strikethrough => self.strike_depth += 1,
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                if let Some(b) = self.current.as_mut() {
                    b.links.push(dest_url.to_string());
                }
            }
            _ => {}
        }
    }

    fn end_tag(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                self.flush()
            }
            TagEnd::Item => self.flush(),
            TagEnd::List(_) => {
                self.flush();
                self.list_depth = self.list_depth.saturating_sub(1);
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::TableCell => self.in_cell = false,
            TagEnd::TableHead | TagEnd::TableRow => {
                let cells: Vec<String> =
                    self.cells.drain(..).map(|c| c.trim().to_string()).collect();
                if let Some(Block {
                    kind: BlockKind::TableRow { cells: slot, .. },
                    text,
                    ..
                }) = self.current.as_mut()
                {
                    *text = cells.join(" | ");
                    *slot = cells;
                }
                self.table_head = false;
                self.flush();
            }
            TagEnd::Strikethrough => self.strike_depth = self.strike_depth.saturating_sub(1),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<Block> {
        let idx = LineIndex::new(md);
        let mut out = Vec::new();
        collect(md, 0, &idx, &mut out);
        out
    }

    #[test]
    fn headings_paragraphs_and_lines() {
        let b = blocks("# Title\n\n## Timeline ##\n\ntext one\ntext two\n");
        assert_eq!(b[0].kind, BlockKind::Heading { level: 1 });
        assert_eq!(b[1].text, "Timeline");
        assert_eq!((b[2].line, b[2].text.as_str()), (5, "text one\ntext two"));
    }

    #[test]
    fn list_items_with_depth_tasks_and_strike() {
        let b = blocks("- [x] done item\n- ~~struck~~\n  - nested\n1. numbered\n");
        assert_eq!(
            b[0].kind,
            BlockKind::ListItem {
                depth: 0,
                task: Some(true)
            }
        );
        assert_eq!(b[0].text, "done item");
        assert!(b[1].struck);
        assert_eq!(
            b[2].kind,
            BlockKind::ListItem {
                depth: 1,
                task: None
            }
        );
        assert_eq!((b[2].line, b[2].text.as_str()), (3, "nested"));
        assert_eq!(b[3].line, 4);
    }

    #[test]
    fn table_rows_have_cells_and_lines() {
        let b = blocks("| Time | Event |\n|---|---|\n| 2020-02-03 11:21 | upgrade |\n");
        assert!(
            matches!(&b[0].kind, BlockKind::TableRow { header: true, cells } if cells[0] == "Time")
        );
        assert!(
            matches!(&b[1].kind, BlockKind::TableRow { header: false, cells } if cells[1] == "upgrade")
        );
        assert_eq!(b[1].line, 3);
    }

    #[test]
    fn quotes_and_code_are_marked() {
        let b = blocks("> Kat [8:27 AM]\n\n```\n10:00 code\n```\n");
        assert!(b[0].quoted);
        assert_eq!((b[1].kind.clone(), b[1].line), (BlockKind::Code, 4));
    }
}
