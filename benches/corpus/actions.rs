//! Action items in the corpus's styles: numbered lists (`1.` or `1. 2. 3.`),
//! bullets with a bold lead, task lists, `Implemented:` / `Suggested:` lines,
//! `(Done!)` markers, grouped under `### Process ###`-style sub-headings.

use super::prose::{action_text, cap};
use super::rng::Rng;
use super::vocab::ACTION_GROUPS;

/// The section's heading text for this style.
pub fn heading(r: &mut Rng, mitigations: bool) -> &'static str {
    if mitigations {
        return "Mitigations";
    }
    r.pick(&[
        "Action items",
        "Action Items",
        "Follow-ups",
        "Next steps",
        "Remediation",
    ])
}

/// The body of an action-item section; `hashes` closes headings like `### X ###`.
pub fn section(r: &mut Rng, style: u64, closing: &str) -> String {
    let groups = if r.chance(0.4) { r.range(2, 3) } else { 1 };
    let mut out = String::new();
    for g in 0..groups {
        if groups > 1 {
            let name = ACTION_GROUPS[(g as usize + r.range(0, 5) as usize) % ACTION_GROUPS.len()];
            out.push_str(&format!("### {name}{closing}\n\n"));
        }
        let same_number = r.chance(0.5);
        for i in 0..r.range(2, 5) {
            out.push_str(&item(r, style, i, same_number));
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn item(r: &mut Rng, style: u64, i: u64, same_number: bool) -> String {
    let text = action_text(r);
    match style {
        0 => format!("{}. {text}", if same_number { 1 } else { i + 1 }),
        1 if r.chance(0.5) => format!("- **{}**: {}", cap(&text), action_text(r)),
        1 => format!("- {text}{}", if r.chance(0.1) { " (Done!)" } else { "" }),
        2 => format!("- [{}] {text}", if r.chance(0.3) { "x" } else { " " }),
        _ => format!(
            "  * {}: {text}",
            if r.chance(0.5) {
                "Implemented"
            } else {
                "Suggested"
            }
        ),
    }
}

/// A plain-text report's items: one per line with a dash.
pub fn plain(r: &mut Rng) -> String {
    (0..r.range(2, 5))
        .map(|_| format!("- {}\n", action_text(r)))
        .collect()
}
