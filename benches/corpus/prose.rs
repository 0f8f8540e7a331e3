//! Sentences and paragraphs recombined from the vocabulary, with the unique
//! tokens real reports carry (pod names, commit hashes, tickets, versions) so
//! that an index sees a realistic, growing vocabulary.

use super::rng::Rng;
use super::vocab::*;

/// One sentence about the incident.
pub fn sentence(r: &mut Rng) -> String {
    let system = r.pick_skewed(SYSTEMS);
    let mut s = match r.range(0, 11) {
        0 => format!(
            "{} {} after {}.",
            cap(system),
            r.pick(SYMPTOMS),
            r.pick(CHANGES)
        ),
        1 => format!("{} {} {}.", r.pick(FILLER), system, r.pick(SYMPTOMS)),
        2 => format!("{} {} and {}.", r.pick(PEOPLE), r.pick(FIXES), verify(r)),
        3 => format!(
            "Because {} {}, {}.",
            system,
            r.pick(SYMPTOMS),
            r.pick(IMPACTS)
        ),
        4 => format!(
            "{} was caused by {}.",
            cap(&system_state(r)),
            r.pick(CHANGES)
        ),
        5 => format!(
            "The `{}` pod {} on {}.",
            pod(r),
            r.pick(SYMPTOMS),
            r.pick(ENVS)
        ),
        6 => format!(
            "Commit {} changed {} and {}.",
            hash(r),
            system,
            r.pick(IMPACTS)
        ),
        7 => format!(
            "{} {} (see #{}).",
            cap(r.pick(FILLER)),
            r.pick(IMPACTS),
            r.range(10, 19999)
        ),
        8 => format!("Version {} of {} {}.", version(r), system, r.pick(SYMPTOMS)),
        9 | 10 => r.pick(DETAILS).to_string(),
        _ => format!(
            "{} {} while {} {}.",
            r.pick(PEOPLE),
            r.pick(FIXES),
            r.pick(SYSTEMS),
            r.pick(SYMPTOMS)
        ),
    };
    if r.chance(0.004) {
        s.pop();
        s.push_str(&format!(", related to {}.", r.pick(RARE)));
    }
    s
}

/// A paragraph of `lo..=hi` sentences.
pub fn paragraph(r: &mut Rng, lo: u64, hi: u64) -> String {
    let n = r.range(lo, hi);
    (0..n).map(|_| sentence(r)).collect::<Vec<_>>().join(" ")
}

/// A short event for a timeline line.
pub fn event(r: &mut Rng) -> String {
    match r.range(0, 5) {
        0 => format!("{} {}", cap(r.pick_skewed(SYSTEMS)), r.pick(SYMPTOMS)),
        1 => format!("{} {}", r.pick(PEOPLE), r.pick(FIXES)),
        2 => format!(
            "Alert fired for {} on {}",
            r.pick_skewed(SYSTEMS),
            r.pick(ENVS)
        ),
        3 => format!("{} reports that {}", r.pick(PEOPLE), r.pick(IMPACTS)),
        4 => format!("Deployed {} to {}", r.pick(CHANGES), r.pick(ENVS)),
        _ => sentence(r),
    }
}

pub fn action_text(r: &mut Rng) -> String {
    let mut s = format!("{} {}", r.pick(ACTION_VERBS), r.pick_skewed(SYSTEMS));
    if r.chance(0.3) {
        s.push_str(&format!(
            " so that {}",
            r.pick(IMPACTS).replace("could not", "can")
        ));
    }
    if r.chance(0.2) {
        s.push_str(&format!(" (JIRA-{})", r.range(100, 9999)));
    }
    s
}

pub fn title(r: &mut Rng) -> String {
    match r.range(0, 3) {
        0 => format!("{} {}", cap(r.pick_skewed(SYSTEMS)), r.pick(SYMPTOMS)),
        1 => format!("{} brings {} down", cap(r.pick(CHANGES)), r.pick(ENVS)),
        2 => format!(
            "{} outage on {}",
            cap(r.pick_skewed(SYSTEMS)),
            r.pick(TEAMS)
        ),
        _ => format!("Post Mortem - {}", cap(r.pick(CHANGES))),
    }
}

fn verify(r: &mut Rng) -> String {
    format!("verified that {} was healthy again", r.pick_skewed(SYSTEMS))
}

fn system_state(r: &mut Rng) -> String {
    format!("the failure of {}", r.pick_skewed(SYSTEMS))
}

fn pod(r: &mut Rng) -> String {
    format!(
        "{}-deployment-{}-{:05x}",
        r.pick(TEAMS),
        r.range(1_000_000_000, 9_999_999_999),
        r.range(0, 0xfffff)
    )
}

fn hash(r: &mut Rng) -> String {
    format!("{:016x}", r.next_u64())[..10].to_string()
}

fn version(r: &mut Rng) -> String {
    format!("v{}.{}.{}", r.range(0, 3), r.range(0, 20), r.range(0, 9))
}

/// First letter upper-cased.
pub fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
