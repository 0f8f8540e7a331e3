//! One generated post-mortem: front matter or a `#` title or a plain-text first
//! line, sections in varying order and spelling, one timeline shape, one
//! action-item style, and now and then a trap (unclosed fence, missing zone,
//! out-of-order entry).

use chrono::{Duration, NaiveDate};

use super::actions;
use super::prose::{cap, paragraph, sentence, title};
use super::rng::Rng;
use super::timeline::{self, Frame};
use super::vocab::{RARE, TEAMS};

/// A generated file: where it goes (relative) and its text.
pub struct Generated {
    pub path: String,
    pub text: String,
}

/// Document `index` of the corpus seeded with `seed`.
pub fn generate(seed: u64, index: u64) -> Generated {
    let mut r = Rng::for_document(seed, index);
    let date = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default()
        + Duration::days(r.range(0, 3650) as i64);
    let title = title(&mut r);
    let frame = Frame {
        date,
        zone: timeline::zone(&mut r),
        out_of_order: r.chance(0.08),
    };
    let plain = r.chance(0.08);
    let text = if plain {
        plain_text(&mut r, &title, &frame)
    } else {
        markdown(&mut r, &title, &frame)
    };
    Generated {
        path: file_name(&mut r, index, date, &title, plain),
        text,
    }
}

fn markdown(r: &mut Rng, title: &str, frame: &Frame) -> String {
    let closing = if r.chance(0.3) { " ##" } else { "" };
    let h = |name: &str| format!("## {name}{closing}\n\n");
    let mut out = if r.chance(0.4) {
        let tags = if r.chance(0.5) {
            format!("tags: [{}, {}]\n", r.pick(TEAMS), r.pick(RARE))
        } else {
            String::new()
        };
        format!("---\ntitle: {title}\ndate: {}\n{tags}---\n\n", frame.date)
    } else {
        format!("# {title}\n\n")
    };
    out += &h("Summary");
    out += &format!("{}\n\n{}\n\n", paragraph(r, 5, 9), paragraph(r, 3, 7));
    let timeline_first = r.chance(0.7);
    let body = timeline_section(r, frame, &h);
    if timeline_first {
        out += &body;
    }
    out += &h(r.pick(&["Impact", "Customer impact"]));
    out += &format!("{}\n\n", paragraph(r, 2, 5));
    if r.chance(0.4) {
        out += &h(r.pick(&["Detection", "Resolution"]));
        out += &format!("{}\n\n", paragraph(r, 2, 5));
    }
    out += &h(r.pick(&[
        "Root cause",
        "Root Cause",
        "Root causes",
        "Contributing Factors",
    ]));
    out += &root_cause(r);
    if !timeline_first {
        out += &body;
    }
    out += &h(r.pick(&[
        "Lessons Learned",
        "Lessons learnt",
        "Conclusion",
        "What went wrong",
    ]));
    out += &bullets(r, 4, 8);
    let style = r.range(0, 3);
    out += &h(actions::heading(r, style == 3));
    out += &actions::section(r, style, &closing.replace("##", "###"));
    if r.chance(0.5) {
        out += &format!(
            "## Stats\n\n- Category: Kubernetes\n- Time to detection: {} minutes\n- Time to recovery: {} minutes\n",
            r.range(1, 60),
            r.range(5, 300)
        );
    }
    out
}

fn timeline_section(r: &mut Rng, frame: &Frame, h: &dyn Fn(&str) -> String) -> String {
    let shape = match r.range(0, 9) {
        0..=3 => timeline::headings(r, frame),
        4..=6 => timeline::table(r, frame),
        _ => timeline::bullets(r, frame),
    };
    format!(
        "{}{shape}",
        h(r.pick(&["Timeline", "Timeline (if relevant)"]))
    )
}

fn root_cause(r: &mut Rng) -> String {
    let mut out = format!("{}\n\n{}\n\n", paragraph(r, 2, 6), paragraph(r, 1, 4));
    if r.chance(0.5) {
        out += &bullets(r, 2, 4);
    }
    if r.chance(0.05) {
        // An unclosed fence: the parser must resume at the next heading.
        out += "```\nError syncing pod, skipping: failed to \"StartContainer\" with CrashLoopBackOff\n";
        out += &format!("{}\n\n", sentence(r));
    } else if r.chance(0.2) {
        out += "```\nkubectl get pods -n kube-system\nNAME  READY  STATUS  RESTARTS\ncoredns-5d4dd4b4db-xk2x9  0/1  CrashLoopBackOff  12\n```\n\n";
    }
    out
}

fn bullets(r: &mut Rng, lo: u64, hi: u64) -> String {
    let mut out = String::new();
    for _ in 0..r.range(lo, hi) {
        out += &format!("- {}\n", sentence(r));
    }
    out.push('\n');
    out
}

/// A report with no markdown at all (the seeds' shape): section names alone on a line.
fn plain_text(r: &mut Rng, title: &str, frame: &Frame) -> String {
    let mut out = format!(
        "{title}\nSummary\n{}\n{}\n",
        paragraph(r, 5, 9),
        paragraph(r, 3, 7)
    );
    out += &format!("Timeline\n{}", timeline::plain(r, frame));
    out += &format!("Conclusion\n{}\n", paragraph(r, 2, 4));
    out += &format!("Action items\n{}", actions::plain(r));
    out
}

fn file_name(r: &mut Rng, index: u64, date: NaiveDate, title: &str, plain: bool) -> String {
    let team = TEAMS[(index % TEAMS.len() as u64) as usize];
    let words: String = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase();
    let name = if plain {
        format!("{index:06}_{:016x}.txt", r.next_u64())
    } else {
        match r.range(0, 2) {
            0 => format!("{date}-{words}-{index}.md"),
            1 => format!("PM{}-{index:06} - {}.md", date.format("%Y"), cap(title)),
            _ => format!("{date}-{words}-{index}.qmd"),
        }
    };
    format!("{team}/{name}")
}
