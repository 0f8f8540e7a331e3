//! Markdown or plain text → [`Document`]: front matter, sections, timeline entries
//! and action items, each with its 1-based line. Pure: text in, value out; problems
//! become findings, never failures.

mod actions;
pub mod blocks;
mod entries;
mod flat_yaml;
pub mod front_matter;
pub mod label;
mod label_marks;
mod label_words;
pub mod lines;
pub mod metadata;
mod outline;
mod plaintext;
pub mod sections;
mod structure;
mod traps;

use crate::checks::Rule;
use crate::model::{DateSource, Document, SourceFormat};
use blocks::{Block, BlockKind};
use lines::LineIndex;

/// The text a document was parsed from, front matter blanked (its lines are the
/// text's), with its line index and lines: the timeline stage reads the same lines.
pub struct Body<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub lines: &'a [&'a str],
}

/// Parse one post-mortem. `source` names it (a path: its file name may carry the date).
pub fn parse_document(source: &str, text: &str) -> Document {
    parse_then(source, text, |doc, _| doc)
}

/// [`parse_document`], then `then` with the document and the body it parsed (which
/// lives only as long as the parse).
pub fn parse_then<R>(source: &str, text: &str, then: impl FnOnce(Document, &Body) -> R) -> R {
    let split = front_matter::split(text);
    let body_index = LineIndex::new(&split.body);
    let body_lines = body_index.lines(&split.body);
    let bytes = split.body.as_bytes();
    // memchr's SIMD search, not `<[u8]>::contains`: these scans cover the whole body.
    let scan = structure::scan(&body_lines, memchr::memchr(b'<', bytes).is_some());
    let plain = !scan.has_headings && plaintext::looks_plain(&body_lines);
    // The markdown is the body itself, unless a plain-text report was rewritten.
    let blocks = match plain {
        true => {
            let markdown = plaintext::to_markdown(&body_lines);
            collect_blocks(&markdown, &LineIndex::new(&markdown), &scan.restarts)
        }
        false => collect_blocks(&split.body, &body_index, &scan.restarts),
    };
    let outline = outline::build(&blocks, body_lines.len().max(1));

    let mut doc = Document {
        source: source.to_string(),
        format: if plain {
            SourceFormat::PlainText
        } else {
            SourceFormat::Markdown
        },
        timeline: entries::extract(&blocks, &outline),
        action_items: actions::extract(&blocks, &outline),
        ..Document::default()
    };
    doc.findings.extend(split.findings);
    doc.findings.extend(scan.findings);
    // Both traps need a `{` or the UTF-8 lead byte C3: one search over the body spares
    // most documents the line-by-line scan.
    if memchr::memchr2(b'{', 0xC3, bytes).is_some() {
        doc.findings.extend(traps::scan(&body_lines, &scan.in_code));
    }
    let first_h1 = blocks
        .iter()
        .find(|b| b.kind == BlockKind::Heading { level: 1 } && is_title_like(&b.text))
        .map(|b| b.text.as_str());
    let first_line = body_lines.iter().map(|l| l.trim()).find(|l| !l.is_empty());
    doc.title = metadata::title(
        &split.front_matter,
        first_h1,
        if plain { first_line } else { None },
    )
    .or_else(|| first_heading(&blocks));
    // The header: lines before the first section heading (`**Date:** 2021-06-01`).
    let header_end = outline
        .sections
        .iter()
        .find(|s| s.level > 1)
        .map_or(body_lines.len(), |s| s.line - 1);
    let header = &body_lines[..header_end.min(body_lines.len()).min(30)];
    let dated = metadata::date(&split.front_matter, header, doc.title.as_deref(), source);
    let from_timeline = || {
        doc.timeline
            .iter()
            .find_map(|e| {
                metadata::find_date(&e.label)
                    .or_else(|| e.context.as_deref().and_then(metadata::find_date))
            })
            .map(|d| (d, DateSource::Timeline))
    };
    if let Some((date, how)) = dated.or_else(from_timeline) {
        doc.date = Some(date);
        doc.date_source = Some(how);
    }
    doc.front_matter = split.front_matter;
    doc.sections = outline.sections;
    report_missing(&mut doc);
    doc.findings.sort_by_key(|f| f.line.unwrap_or(0));
    let body = Body {
        text: &split.body,
        index: &body_index,
        lines: &body_lines,
    };
    then(doc, &body)
}

/// Parse the markdown in segments split at recovery lines (after an unclosed fence),
/// so one broken fence cannot swallow the rest of the file.
fn collect_blocks(markdown: &str, index: &LineIndex, restarts: &[usize]) -> Vec<Block> {
    let mut cuts: Vec<usize> = restarts
        .iter()
        .map(|&l| index.start_of(l).min(markdown.len()))
        .collect();
    cuts.push(markdown.len());
    let mut blocks = Vec::new();
    let mut start = 0;
    for end in cuts {
        if end > start {
            blocks::collect(&markdown[start..end], start, index, &mut blocks);
        }
        start = end;
    }
    blocks
}

/// A title of last resort: a document that opens with a heading (of any level) that
/// is not a section name.
fn first_heading(blocks: &[Block]) -> Option<String> {
    blocks
        .first()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }) && is_title_like(&b.text))
        .map(|b| b.text.clone())
}

/// "Summary" or "22:59" is a section or an entry, not a title.
fn is_title_like(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && sections::classify(text) == crate::model::SectionKind::Other
        && label::scan(text).is_none_or(|l| l.consumed < text.len())
}

fn report_missing(doc: &mut Document) {
    if doc.title.is_none() {
        doc.findings.push(Rule::MissingTitle.finding_with(
            None,
            "no title: no `title:` in front matter, no `# heading`, no first line",
            "start the file with a `# Title` line",
        ));
    }
    if doc.date.is_none() {
        doc.findings.push(Rule::MissingDate.finding_with(
            None,
            "no incident date in front matter, title, file name or timeline",
            "add `date: YYYY-MM-DD` to the front matter or date the first timeline entry",
        ));
    }
}
