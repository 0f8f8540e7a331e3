//! Keeping PostgreSQL's planner statistics in step with a bulk ingest.
//!
//! A batch looks its files up by path and slug (`IN` lists of 250 each).
//! PostgreSQL plans that from the table's statistics, and a table that grew
//! from nothing within one ingest has none: autovacuum analyzes on its own
//! schedule, or not at all. Without them the planner guesses that each value
//! matches 0.5% of the rows and scans the whole table for every batch: a 100k
//! ingest spent most of its 205 s in those scans, more per batch as the table
//! grew. Statistics taken once the table is large enough stay right as it grows
//! (a unique column's distinct count is kept as a share of the rows), so they
//! are refreshed when the incidents created since the last refresh reach the
//! count at that refresh: a handful of times per ingest, whatever its size.

use std::sync::Mutex;

/// Incidents created before the first refresh.
const FIRST_REFRESH: u64 = 1_000;

/// Incidents created by this process, since and at the last refresh.
#[derive(Debug, Default)]
pub(crate) struct Growth {
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    since: u64,
    at_last: u64,
}

impl Growth {
    /// Count `created` new incidents; true when the statistics should be
    /// refreshed now.
    pub(crate) fn grew(&self, created: u64) -> bool {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.since += created;
        if c.since < FIRST_REFRESH.max(c.at_last) {
            return false;
        }
        c.at_last += c.since;
        c.since = 0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_when_the_created_incidents_double() {
        let growth = Growth::default();
        let refreshed_at: Vec<u64> = (1..=64u64)
            .filter(|_| growth.grew(250))
            .map(|batch| batch * 250)
            .collect();
        assert_eq!(refreshed_at, [1_000, 2_000, 4_000, 8_000, 16_000]);
        // One large batch counts as much as many small ones.
        let growth = Growth::default();
        assert!(!growth.grew(999));
        assert!(growth.grew(5_000));
        assert!(!growth.grew(5_000));
        assert!(growth.grew(999));
    }
}
