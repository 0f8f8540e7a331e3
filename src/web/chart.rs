//! The dashboard's incidents-per-month bar chart, drawn as inline SVG on the
//! server (no script, no external request). To be unified with the report's
//! charts once they land.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

const HEIGHT: f64 = 140.0;
const BAR: f64 = 8.0;
const GAP: f64 = 2.0;
const LEFT: f64 = 28.0;
const BOTTOM: f64 = 22.0;

/// Bars for every month from the first incident's to the last one's (empty
/// months included, so gaps show); `None` when no incident is dated.
pub fn incidents_per_month(dates: &[NaiveDate]) -> Option<String> {
    let counts = by_month(dates);
    let (&first, _) = counts.first_key_value()?;
    let (&last, _) = counts.last_key_value()?;
    let months: Vec<(i32, u32)> = month_range(first, last);
    let max = counts.values().copied().max().unwrap_or(1).max(1);
    let width = LEFT + months.len() as f64 * (BAR + GAP) + GAP;
    let total = HEIGHT + BOTTOM;
    let mut svg = format!(
        "<svg class=\"chart\" id=\"incidents-per-month\" viewBox=\"0 0 {width} {total}\" role=\"img\" aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">Incidents per month, {} to {}</title>",
        label(first),
        label(last)
    );
    let _ = write!(
        svg,
        "<text class=\"axis\" x=\"0\" y=\"10\">{max}</text><line class=\"grid\" x1=\"{LEFT}\" y1=\"4\" x2=\"{width}\" y2=\"4\"/><line class=\"axis-line\" x1=\"{LEFT}\" y1=\"{HEIGHT}\" x2=\"{width}\" y2=\"{HEIGHT}\"/>"
    );
    for (i, &ym) in months.iter().enumerate() {
        let n = counts.get(&ym).copied().unwrap_or(0);
        let x = LEFT + GAP + i as f64 * (BAR + GAP);
        let h = (HEIGHT - 4.0) * n as f64 / max as f64;
        let plural = if n == 1 { "" } else { "s" };
        let _ = write!(
            svg,
            "<rect class=\"bar\" data-month=\"{}\" data-count=\"{n}\" x=\"{x}\" y=\"{:.1}\" width=\"{BAR}\" height=\"{h:.1}\"><title>{}: {n} incident{plural}</title></rect>",
            label(ym),
            HEIGHT - h,
            label(ym)
        );
        if ym.1 == 1 || i == 0 {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{x}\" y=\"{}\">{}</text>",
                HEIGHT + 15.0,
                ym.0
            );
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn by_month(dates: &[NaiveDate]) -> BTreeMap<(i32, u32), u64> {
    let mut counts = BTreeMap::new();
    for d in dates {
        *counts.entry((d.year(), d.month())).or_insert(0) += 1;
    }
    counts
}

fn month_range(first: (i32, u32), last: (i32, u32)) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

fn label((y, m): (i32, u32)) -> String {
    format!("{y}-{m:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_bar_per_month_including_empty_ones() {
        let svg =
            incidents_per_month(&[d("2018-11-03"), d("2019-01-20"), d("2019-01-26")]).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3, "{svg}");
        assert!(
            svg.contains("data-month=\"2018-12\" data-count=\"0\""),
            "{svg}"
        );
        assert!(svg.contains("2019-01: 2 incidents"), "{svg}");
    }

    #[test]
    fn no_dates_no_chart() {
        assert!(incidents_per_month(&[]).is_none());
    }
}
