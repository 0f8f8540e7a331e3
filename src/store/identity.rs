//! Which stored action item is which new one, when a post-mortem is edited and
//! re-ingested. Pure: texts and positions in, pairs out (see docs/tracking.md).
//!
//! Within one incident, in three passes:
//! 1. **same text** — equal after normalization (case, punctuation, markup,
//!    `Implemented:`/`Suggested:`/`(Done!)` markers and spacing are ignored);
//!    this survives reordering and moves between groups;
//! 2. **similar text** — character-trigram similarity of at least
//!    [`SIMILAR`], best pairs first (ties: the nearer position): a reworded item;
//! 3. **same place** — between two items already paired, the unpaired new items
//!    take the unpaired old ones in order, when both sides count the same: an
//!    item rewritten in place. Otherwise the leftovers are new and removed items.
//!
//! Items already marked removed take part in passes 1–2 only, so an item that
//! comes back is recognised; they have no place in the current order.

use std::collections::{HashMap, HashSet};

/// Minimum trigram similarity (Dice coefficient) for a reworded item.
pub const SIMILAR: f64 = 0.5;

/// A stored item: its text and, unless it is removed, its current position.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub text: &'a str,
    pub position: Option<usize>,
}

/// For each new item (in order), the index of the known item it continues.
pub fn match_items(known: &[Known<'_>], incoming: &[&str]) -> Vec<Option<usize>> {
    let known_norm: Vec<String> = known.iter().map(|k| normalize(k.text)).collect();
    let new_norm: Vec<String> = incoming.iter().map(|t| normalize(t)).collect();
    let mut pairs: Vec<Option<usize>> = vec![None; incoming.len()];
    let mut used = vec![false; known.len()];

    pass_same_text(&known_norm, &new_norm, &mut pairs, &mut used);
    pass_similar(known, &known_norm, &new_norm, &mut pairs, &mut used);
    pass_same_place(known, &mut pairs, &mut used);
    pairs
}

fn pass_same_text(
    known: &[String],
    new: &[String],
    pairs: &mut [Option<usize>],
    used: &mut [bool],
) {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, text) in known.iter().enumerate() {
        by_text.entry(text.as_str()).or_default().push(k);
    }
    for (i, text) in new.iter().enumerate() {
        if let Some(k) = by_text
            .get(text.as_str())
            .and_then(|ks| ks.iter().copied().find(|&k| !used[k]))
        {
            pairs[i] = Some(k);
            used[k] = true;
        }
    }
}

fn pass_similar(
    known: &[Known<'_>],
    known_norm: &[String],
    new_norm: &[String],
    pairs: &mut [Option<usize>],
    used: &mut [bool],
) {
    let known_grams: Vec<HashSet<[char; 3]>> = known_norm.iter().map(|t| trigrams(t)).collect();
    let mut candidates = Vec::new();
    for (i, text) in new_norm
        .iter()
        .enumerate()
        .filter(|(i, _)| pairs[*i].is_none())
    {
        let grams = trigrams(text);
        for (k, kg) in known_grams.iter().enumerate().filter(|(k, _)| !used[*k]) {
            let score = dice(&grams, kg);
            if score >= SIMILAR {
                let distance = known[k].position.map_or(usize::MAX, |p| p.abs_diff(i));
                candidates.push((score, distance, i, k));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, _, i, k) in candidates {
        if pairs[i].is_none() && !used[k] {
            pairs[i] = Some(k);
            used[k] = true;
        }
    }
}

/// Pair leftovers that sit between the same two anchors (already-paired items),
/// when the gap holds as many old items as new ones.
fn pass_same_place(known: &[Known<'_>], pairs: &mut [Option<usize>], used: &mut [bool]) {
    let anchor_pos = |p: Option<usize>| p.and_then(|k| known[k].position);
    let mut i = 0;
    while i < pairs.len() {
        if pairs[i].is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < pairs.len() && pairs[i].is_none() {
            i += 1;
        }
        // Bounds of the gap in the old order; a gap next to a removed item is skipped.
        let low = if start == 0 {
            Some(None)
        } else {
            anchor_pos(pairs[start - 1]).map(Some)
        };
        let high = if i == pairs.len() {
            Some(None)
        } else {
            anchor_pos(pairs[i]).map(Some)
        };
        let (Some(low), Some(high)) = (low, high) else {
            continue;
        };
        let mut old: Vec<usize> = (0..known.len())
            .filter(|&k| !used[k])
            .filter(|&k| {
                known[k]
                    .position
                    .is_some_and(|p| low.is_none_or(|l| p > l) && high.is_none_or(|h| p < h))
            })
            .collect();
        if old.len() != i - start {
            continue;
        }
        old.sort_by_key(|&k| known[k].position);
        for (slot, k) in (start..i).zip(old) {
            pairs[slot] = Some(k);
            used[k] = true;
        }
    }
}

/// Leading markers that say how far along an item is, not what it is.
const MARKERS: &[&str] = &[
    "implemented",
    "suggested",
    "done",
    "todo",
    "to do",
    "fixed",
    "wip",
];

/// Lowercase words separated by single spaces: punctuation, markup, status
/// markers and `(done…)` remarks dropped.
pub fn normalize(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut words = String::with_capacity(lower.len());
    let mut paren_depth = 0usize;
    let mut skip_paren = false;
    let chars: Vec<char> = lower.chars().collect();
    for (idx, &c) in chars.iter().enumerate() {
        if c == '(' {
            paren_depth += 1;
            let rest: String = chars[idx + 1..].iter().take(5).collect();
            skip_paren = paren_depth == 1 && rest.starts_with("done");
        } else if c == ')' {
            paren_depth = paren_depth.saturating_sub(1);
            if paren_depth == 0 {
                skip_paren = false;
            }
            words.push(' ');
            continue;
        }
        if skip_paren {
            continue;
        }
        words.push(if c.is_alphanumeric() { c } else { ' ' });
    }
    let mut out: Vec<&str> = words.split_whitespace().collect();
    strip_marker(&mut out);
    out.join(" ")
}

fn strip_marker(words: &mut Vec<&str>) {
    for marker in MARKERS {
        let marker_words: Vec<&str> = marker.split(' ').collect();
        if words.len() > marker_words.len() && words[..marker_words.len()] == marker_words[..] {
            words.drain(..marker_words.len());
            return;
        }
    }
}

fn trigrams(text: &str) -> HashSet<[char; 3]> {
    let padded: Vec<char> = format!("  {text} ").chars().collect();
    padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

fn dice(a: &HashSet<[char; 3]>, b: &HashSet<[char; 3]>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = a.intersection(b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// How similar two item texts are, 0.0–1.0 (exposed for tests and tuning).
pub fn similarity(a: &str, b: &str) -> f64 {
    dice(&trigrams(&normalize(a)), &trigrams(&normalize(b)))
}

#[cfg(test)]
mod tests;
