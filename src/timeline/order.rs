//! Out-of-order entries, reported once per real error with a likely fix. Walking the
//! timeline, a step back in time is explained, in order of preference, as: a PM that
//! should be AM on the entry before; a single entry before it that is too late (a spike);
//! one entry written in the wrong place; or a run of entries with a consistent hour slip
//! (22:59, 23:11, 23:21, 21:31 … 21:50 → 23:31 … 23:50), a midnight crossing whose date
//! was not advanced, or a date that goes back. Equal times, approximate entries a few
//! minutes off, overlapping ranges and explicit later dates are not errors.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::grammar::Meridiem;
use super::resolve::{Resolved, hhmm};
use crate::checks::Rule;
use crate::model::{Finding, TimelineEntry};

/// How far an approximate entry may sit before the one it follows.
const APPROXIMATE_SLACK: i64 = 15;

/// One resolved entry, as the ordering check sees it.
#[derive(Debug, Clone)]
pub(super) struct Item<'a> {
    pub entry: &'a TimelineEntry,
    pub res: &'a Resolved,
    pub key: DateTime<Utc>,
    pub local: NaiveDateTime,
}

impl Item<'_> {
    fn label(&self) -> String {
        format!("`{}`", self.entry.label.trim())
    }
}

/// Does `b`, written after `a`, go back in time?
fn backward(b: &Item, a: &Item) -> bool {
    if a.res.date_only || b.res.date_only {
        return b.local.date() < a.local.date();
    }
    let slack = if a.res.approximate || b.res.approximate {
        Duration::minutes(APPROXIMATE_SLACK)
    } else {
        Duration::zero()
    };
    b.key < a.key - slack
}

/// What the check concluded about an entry's time: `Some(instant)` it probably
/// meant (an hour slip, a missed midnight, PM for AM), `None` when it is wrong in
/// a way that cannot be guessed. Keyed by the entry's line.
pub(super) type Corrections = Vec<(usize, Option<DateTime<Utc>>)>;

/// Report out-of-order entries. `items` are the resolved entries in narrative order.
/// Returns what the entries judged wrong probably meant, so the incident's start,
/// end and duration are not taken from a typo.
pub(super) fn check(items: &[Item], findings: &mut Vec<Finding>) -> Corrections {
    let mut corrections = Corrections::new();
    if let Some(f) = reversed(items) {
        findings.push(f);
        return corrections;
    }
    let mut accepted: Vec<usize> = Vec::new();
    let mut p = 0;
    while p < items.len() {
        let Some(&high) = accepted.last() else {
            accepted.push(p);
            p += 1;
            continue;
        };
        if !backward(&items[p], &items[high]) {
            accepted.push(p);
            p += 1;
            continue;
        }
        let run_end = (p..items.len())
            .take_while(|&q| backward(&items[q], &items[high]))
            .last()
            .unwrap_or(p);
        let before = accepted.len().checked_sub(2).map(|i| &items[accepted[i]]);
        let place = accepted
            .iter()
            .map(|&i| &items[i])
            .find(|a| backward(&items[p], a));
        let break_at = Break {
            before,
            high: &items[high],
            run: &items[p..=run_end],
            after: items.get(run_end + 1),
            place,
        };
        match break_at.explain() {
            Explained::High(f, meant) => {
                findings.push(f);
                corrections.push((items[high].entry.line, meant));
                accepted.pop();
            }
            Explained::Run(f, meant) => {
                findings.push(f);
                corrections.extend(meant);
                p = run_end + 1;
            }
        }
    }
    corrections
}

/// Three or more entries, every one earlier than the one before: newest first.
fn reversed(items: &[Item]) -> Option<Finding> {
    let steps: Vec<bool> = items.windows(2).map(|w| backward(&w[1], &w[0])).collect();
    if items.len() < 3 || !steps.iter().all(|b| *b) {
        return None;
    }
    let first = items.first()?;
    Some(Rule::OutOfOrder.finding_with(
        Some(first.entry.line),
        format!(
            "the timeline runs backwards: each of its {} entries is earlier than the one before it",
            items.len()
        ),
        "list the entries oldest first",
    ))
}

/// A step back in time: `high` is the latest entry so far, `run` the entries after it
/// that are all earlier, `before` the entry before `high`, `after` the entry after `run`,
/// `place` the first ordered entry the run's first entry should precede.
struct Break<'a, 'b> {
    before: Option<&'b Item<'a>>,
    high: &'b Item<'a>,
    run: &'b [Item<'a>],
    after: Option<&'b Item<'a>>,
    place: Option<&'b Item<'a>>,
}

enum Explained {
    /// The entry before the run is the error; it leaves the accepted chain. With
    /// the instant it probably meant, when that can be told.
    High(Finding, Option<DateTime<Utc>>),
    /// The run is the error; it is skipped. What its entries probably meant (none
    /// for an entry whose time is right but written in the wrong place).
    Run(Finding, Corrections),
}

impl Break<'_, '_> {
    fn first(&self) -> &Item<'_> {
        &self.run[0]
    }

    fn explain(&self) -> Explained {
        if let Some(f) = self.pm_for_am() {
            return Explained::High(f, Some(self.high.key - Duration::hours(12)));
        }
        if self.run.len() > 1 {
            if let Some(f) = self.spike() {
                return Explained::High(f, None);
            }
        }
        let f = if self.run.len() == 1 {
            self.single()
        } else {
            self.run_finding()
        };
        Explained::Run(f, self.meant())
    }

    /// What the run's entries probably meant: shifted by the hour slip, moved past
    /// midnight, or unknown. A single entry that fits elsewhere (swapped or moved)
    /// keeps its time: its place is the likelier error.
    fn meant(&self) -> Corrections {
        if self.run.len() == 1 && (self.place.is_some() || self.swap_ok()) {
            return Corrections::new();
        }
        let shift = if let Some((k, _)) = self.shifted_run() {
            Some(k)
        } else if self.missed_midnight("").is_some() {
            Some(Duration::days(1))
        } else {
            None
        };
        self.run
            .iter()
            .map(|i| (i.entry.line, shift.map(|k| i.key + k)))
            .collect()
    }

    /// Swapping the entry with the one before it puts both in order.
    fn swap_ok(&self) -> bool {
        let it = self.first();
        self.before.is_none_or(|b| !backward(it, b))
            && self.after.is_none_or(|a| !backward(a, self.high))
    }

    /// `Between 02:00 and 02.30 PM` then `06:10`: the PM was meant as AM.
    fn pm_for_am(&self) -> Option<Finding> {
        let clock = self.high.res.clock?;
        if clock.meridiem != Some(Meridiem::Pm) || clock.hour >= 12 || self.high.res.date_only {
            return None;
        }
        let flipped = self.high.key - Duration::hours(12);
        let fits_before = self.before.is_none_or(|b| b.key <= flipped);
        if !fits_before || flipped > self.first().key {
            return None;
        }
        let am = hhmm(self.high.local - Duration::hours(12));
        Some(Rule::OutOfOrder.finding_with(
            Some(self.high.entry.line),
            format!(
                "{} is later than the entries after it ({} on line {} …); the timeline is in order if it is AM ({am})",
                self.high.label(),
                self.first().label(),
                self.first().entry.line
            ),
            "write AM instead of PM",
        ))
    }

    /// `10:05`, `19:10`, `10:15`, `10:20`: one entry too late between ordered ones.
    fn spike(&self) -> Option<Finding> {
        let before = self.before;
        if before.is_some_and(|b| backward(self.first(), b)) {
            return None;
        }
        let low = before.map(|b| b.key);
        let guess = (1..=23).map(Duration::hours).find_map(|k| {
            let moved = self.high.key - k;
            let ok = low.is_none_or(|l| moved >= l) && moved <= self.first().key;
            ok.then(|| hhmm(self.high.local - k))
        });
        let between = match before {
            Some(b) => format!(
                "{} on line {} and {}",
                b.label(),
                b.entry.line,
                self.first().label()
            ),
            None => format!("the start and {}", self.first().label()),
        };
        let message = format!(
            "{} is later than the {} entries after it (from {} on line {}); it belongs between {between}",
            self.high.label(),
            self.run.len(),
            self.first().label(),
            self.first().entry.line,
        );
        let suggestion = match guess {
            Some(t) => format!("did you mean {t}?"),
            None => "correct this time or move the entry".to_string(),
        };
        Some(Rule::OutOfOrder.finding_with(Some(self.high.entry.line), message, suggestion))
    }

    /// One entry earlier than the one before it, with ordered entries around.
    fn single(&self) -> Finding {
        let it = self.first();
        let message = format!(
            "{} is earlier than {} on line {}, the entry before it",
            it.label(),
            self.high.label(),
            self.high.entry.line
        );
        let swap_ok = self.swap_ok();
        let mut options = Vec::new();
        match self.place {
            _ if swap_ok => options.push(format!("swap it with line {}", self.high.entry.line)),
            Some(p) => options.push(format!(
                "move it before line {} ({}), where it belongs in time",
                p.entry.line,
                p.label()
            )),
            None => {}
        }
        match self.shifted_run().map(|(_, t)| t) {
            Some(t) => options.push(format!(
                "if its hour is wrong, {} would fit here",
                t.join(", ")
            )),
            None if swap_ok => options.push("correct one of the two times".to_string()),
            None => options.push("correct its time".to_string()),
        }
        let suggestion = options.join(", or ");
        Rule::OutOfOrder.finding_with(Some(it.entry.line), message, suggestion)
    }

    /// Several entries earlier than the entry before them.
    fn run_finding(&self) -> Finding {
        let (first, last) = (self.first(), &self.run[self.run.len() - 1]);
        let lines = format!("lines {}–{}", first.entry.line, last.entry.line);
        let others = match self.run.len() - 1 {
            1 => "so is the entry after it".to_string(),
            n => format!("so are the {n} entries after it"),
        };
        let message = format!(
            "{} is earlier than {} on line {}, the entry before it, and {others} ({lines})",
            first.label(),
            self.high.label(),
            self.high.entry.line,
        );
        let suggestion = if let Some((_, times)) = self.shifted_run() {
            format!(
                "a consistent hour slip: {lines} probably read {}",
                times.join(", ")
            )
        } else if let Some(s) = self.missed_midnight(&lines) {
            s
        } else if first.local.date() < self.high.local.date() {
            format!(
                "the date goes back from {} to {}: check the dates of {lines}",
                self.high.local.date(),
                first.local.date()
            )
        } else {
            format!(
                "if {lines} belong to another day, give them a date; otherwise correct their times"
            )
        };
        Rule::OutOfOrder.finding_with(Some(first.entry.line), message, suggestion)
    }

    /// The smallest whole-hour shift (same day) that puts the run between `high` and
    /// `after`, and the shifted times.
    fn shifted_run(&self) -> Option<(Duration, Vec<String>)> {
        if self.run.iter().any(|i| i.res.date_only) {
            return None;
        }
        let (first, last) = (self.first(), &self.run[self.run.len() - 1]);
        (1..=12).map(Duration::hours).find_map(|k| {
            let same_day = self
                .run
                .iter()
                .all(|i| (i.local + k).date() == i.local.date());
            let fits = first.key + k >= self.high.key
                && self.after.is_none_or(|a| {
                    last.key + k <= a.key
                        || a.res.date_only && (last.local + k).date() <= a.local.date()
                });
            (same_day && fits).then(|| (k, self.run.iter().map(|i| hhmm(i.local + k)).collect()))
        })
    }

    /// `03-26 23:04` then `03-26 02:50`: the clock passed midnight, the date did not.
    fn missed_midnight(&self, lines: &str) -> Option<String> {
        let first = self.first();
        let same_date = self
            .run
            .iter()
            .all(|i| i.res.explicit_date && i.local.date() == self.high.local.date());
        if !same_date || self.high.local - first.local <= Duration::hours(12) {
            return None;
        }
        let next = first.local.date().succ_opt()?;
        let prev = self.high.local.date().pred_opt()?;
        Some(format!(
            "the clock passed midnight after line {} but the date did not change: {lines} are probably on {next} (or the entries before them on {prev})",
            self.high.entry.line
        ))
    }
}
