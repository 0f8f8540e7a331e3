//! The heading structure: which section (and effective kind) each block belongs to,
//! which headings are timeline entries rather than sections, and action groups.
//! A timeline does not end at a heading that is itself a time label (`## 23:27 ##`).

use super::blocks::{Block, BlockKind};
use super::label::{self, Label};
use super::sections;
use crate::model::{Section, SectionKind};

/// Where a block sits.
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// Index into `Outline::sections`.
    pub section: Option<usize>,
    pub kind: Option<SectionKind>,
    /// For headings that are a timeline entry, not a section: the label that makes
    /// them one (read once, here, for the entry).
    pub entry_label: Option<Label>,
    /// Inside an action section: the sub-heading naming the group.
    pub group: Option<String>,
    /// Inside an action section: index of the section with the action heading itself.
    pub action_root: Option<usize>,
}

pub struct Outline {
    pub sections: Vec<Section>,
    pub places: Vec<Place>,
}

struct Open {
    level: u8,
    kind: SectionKind,
    section: usize,
}

pub fn build(blocks: &[Block], last_line: usize) -> Outline {
    let mut sections: Vec<Section> = Vec::new();
    let mut places = Vec::with_capacity(blocks.len());
    let mut stack: Vec<Open> = Vec::new();
    for block in blocks {
        let BlockKind::Heading { level } = block.kind else {
            places.push(place_in(&stack, &sections));
            continue;
        };
        let in_timeline = stack.iter().any(|o| o.kind == SectionKind::Timeline);
        if let Some(label) = entry_label(&block.text, in_timeline) {
            let mut place = place_in(&stack, &sections);
            place.entry_label = Some(label);
            places.push(place);
            continue;
        }
        while stack.last().is_some_and(|o| o.level >= level) {
            stack.pop();
        }
        let own = sections::classify(&block.text);
        let parent = stack.last().map(|o| o.kind);
        let kind = match parent {
            Some(p @ (SectionKind::ActionItems | SectionKind::Timeline)) => p,
            Some(p) if own == SectionKind::Other => p,
            _ => own,
        };
        if let Some(prev) = sections.last_mut() {
            prev.end_line = block.line.saturating_sub(1).max(prev.line);
        }
        sections.push(Section {
            kind,
            heading: block.text.clone(),
            level,
            line: block.line,
            end_line: last_line,
            text: String::new(),
        });
        stack.push(Open {
            level,
            kind,
            section: sections.len() - 1,
        });
        places.push(place_in(&stack, &sections));
    }
    // Each section's text is its blocks joined: reserve it once.
    let mut sizes = vec![0; sections.len()];
    for (block, place) in blocks.iter().zip(&places) {
        let is_body =
            !matches!(block.kind, BlockKind::Heading { .. }) || place.entry_label.is_some();
        if let (true, Some(size)) = (is_body, place.section.and_then(|i| sizes.get_mut(i))) {
            *size += block.text.len() + 1;
        }
    }
    for (section, size) in sections.iter_mut().zip(sizes) {
        section.text.reserve(size);
    }
    for (block, place) in blocks.iter().zip(&places) {
        let is_body =
            !matches!(block.kind, BlockKind::Heading { .. }) || place.entry_label.is_some();
        if let (true, Some(i)) = (is_body, place.section) {
            let text = &mut sections[i].text;
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&block.text);
        }
    }
    Outline { sections, places }
}

/// A heading is a timeline entry when it is entirely a time/date label, or, inside a
/// timeline section, when it starts with one (`2024-03-05 Data8 outage`).
fn entry_label(text: &str, in_timeline: bool) -> Option<Label> {
    let l = label::scan(text)?;
    let whole = l.consumed >= text.trim_end().len();
    (whole || (in_timeline && (l.has_time || l.has_date))).then_some(l)
}

fn place_in(stack: &[Open], sections: &[Section]) -> Place {
    let Some(top) = stack.last() else {
        return Place::default();
    };
    let mut place = Place {
        section: Some(top.section),
        kind: Some(top.kind),
        ..Place::default()
    };
    if top.kind == SectionKind::ActionItems {
        let root = stack.iter().find(|o| o.kind == SectionKind::ActionItems);
        place.action_root = root.map(|o| o.section);
        if root.is_some_and(|r| r.section != top.section) {
            place.group = Some(sections[top.section].heading.clone());
        }
    }
    place
}
