//! Trends: this week's numbers against the previous weeks', and the incident
//! durations behind the duration chart.

use super::gather::Ctx;
use super::model::{DurationPoint, Trends, WeekStats};
use super::week::IsoWeek;
use super::{BASELINE_WEEKS, TREND_WEEKS, as_of};

impl Ctx<'_> {
    /// The last [`TREND_WEEKS`] weeks' numbers and this week against its baseline.
    pub(super) fn trends(&self, week: IsoWeek) -> Trends {
        let weeks = week.last_n(TREND_WEEKS);
        let mut trends = Trends::default();
        let mut baseline_durations = Vec::new();
        for (n, w) in weeks.iter().enumerate() {
            let incidents = self.incidents_in(*w);
            let mut durations: Vec<i64> = incidents
                .iter()
                .filter_map(|i| i.duration_minutes)
                .collect();
            let in_baseline = n + 1 < weeks.len() && n + 1 + BASELINE_WEEKS >= weeks.len();
            if in_baseline {
                baseline_durations.extend(&durations);
                trends.baseline_incidents += incidents.len() as f64 / BASELINE_WEEKS as f64;
            }
            trends.durations.extend(incidents.iter().filter_map(|i| {
                Some(DurationPoint {
                    slug: i.slug.clone(),
                    title: self.title(&i.slug),
                    week: *w,
                    date: i.date,
                    duration_minutes: i.duration_minutes?,
                })
            }));
            let at = as_of(w.bounds(self.tz).1, self.now);
            trends.weeks.push(WeekStats {
                week: *w,
                incidents: incidents.len(),
                median_duration_minutes: median(&mut durations),
                open_items: self.tracked.iter().filter(|t| t.pending_at(at)).count(),
            });
        }
        trends.baseline_median_duration_minutes = median(&mut baseline_durations);
        if let [.., before, this] = trends.weeks.as_slice() {
            trends.open_items_change = this.open_items as i64 - before.open_items as i64;
        }
        trends
    }
}

/// The median, rounded down to the minute; `None` for no values.
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30, 10, 20]), Some(20));
        assert_eq!(median(&mut [40, 10]), Some(25));
    }
}
