//! A vertical bar per period: incidents per week, per month, …

use std::fmt::Write;

use chrono::{Datelike, Months, NaiveDate};

use super::axis::{RIGHT, Scale, TOP, WIDTH, frame, label_every_fitting, no_data, number, y_axis};
use super::escape;

const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 190.0;

/// One period's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Under the bar (`W04`, `2018-01`).
    pub label: String,
    pub value: f64,
    /// The bar's tooltip; the label and value when `None`.
    pub tooltip: Option<String>,
    /// Drawn in the highlight colour (the report's own week).
    pub highlight: bool,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            tooltip: None,
            highlight: false,
        }
    }
}

/// Bars in the given order, with a value axis starting at 0. `whole` keeps
/// ticks on whole numbers (for counts).
pub fn bar_chart(title: &str, bars: &[Bar], whole: bool) -> String {
    let plot_w = WIDTH - RIGHT - LEFT;
    let plot_h = BOTTOM - TOP;
    if bars.is_empty() {
        let body = no_data(LEFT + plot_w / 2.0, TOP + plot_h / 2.0);
        return frame(title, HEIGHT, &body);
    }
    let scale = Scale::new(bars.iter().map(|b| b.value).fold(0.0, f64::max), whole);
    let mut body = y_axis(&scale, LEFT, BOTTOM, plot_h, number);
    let slot = plot_w / bars.len() as f64;
    let width = (slot * 0.7).max(1.0);
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(1);
    let every = label_every_fitting(bars.len(), longest, plot_w);
    for (n, bar) in bars.iter().enumerate() {
        let x = LEFT + slot * n as f64 + (slot - width) / 2.0;
        let h = scale.at(bar.value, plot_h);
        let class = if bar.highlight { "bar hl" } else { "bar" };
        let tip = bar
            .tooltip
            .clone()
            .unwrap_or_else(|| format!("{}: {}", bar.label, number(bar.value)));
        let _ = write!(
            body,
            "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{h:.1}\"><title>{}</title></rect>",
            BOTTOM - h,
            escape(&tip)
        );
        if n % every == 0 {
            let _ = write!(
                body,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + width / 2.0,
                BOTTOM + 16.0,
                escape(&bar.label)
            );
        }
    }
    frame(title, HEIGHT, &body)
}

/// One bar per calendar month, the `months` months up to and including
/// `last`'s, counting the given dates (for a dashboard's incidents per month).
/// Dates outside those months are ignored.
pub fn monthly_bars(dates: &[NaiveDate], last: NaiveDate, months: u32) -> Vec<Bar> {
    let first = last
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(months.saturating_sub(1))));
    let Some(first) = first else {
        return Vec::new();
    };
    (0..months)
        .filter_map(|n| first.checked_add_months(Months::new(n)))
        .map(|month| {
            let n = dates
                .iter()
                .filter(|d| d.year() == month.year() && d.month() == month.month())
                .count();
            Bar {
                label: month.format("%Y-%m").to_string(),
                value: n as f64,
                tooltip: Some(format!("{}: {n} incident(s)", month.format("%B %Y"))),
                highlight: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_bars_count_dates_per_month_across_a_year_end() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let dates = [
            d(2017, 12, 31),
            d(2018, 1, 25),
            d(2018, 1, 26),
            d(2016, 1, 1),
        ];
        let bars = monthly_bars(&dates, d(2018, 2, 14), 3);
        let got: Vec<(&str, f64)> = bars.iter().map(|b| (b.label.as_str(), b.value)).collect();
        assert_eq!(
            got,
            vec![("2017-12", 1.0), ("2018-01", 2.0), ("2018-02", 0.0)]
        );
        assert!(
            bar_chart("Incidents per month", &bars, true)
                .contains("<title>January 2018: 2 incident(s)</title>")
        );
    }

    #[test]
    fn bars_are_scaled_labelled_and_escaped() {
        let mut bars = vec![
            Bar::new("W01", 1.0),
            Bar::new("W02", 4.0),
            Bar::new("<W03>", 0.0),
        ];
        bars[1].highlight = true;
        bars[0].tooltip = Some("2018-W01 & more: 1 incident".into());
        let svg = bar_chart("Incidents \"per\" week", &bars, true);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title>Incidents &quot;per&quot; week</title>"));
        assert!(svg.contains("&lt;W03&gt;") && !svg.contains("<W03>"));
        assert!(svg.contains("<title>2018-W01 &amp; more: 1 incident</title>"));
        assert!(svg.contains("<title>W02: 4</title>"));
        assert_eq!(svg.matches("class=\"bar hl\"").count(), 1);
        // The tallest bar fills the plot (max 4 → axis to 4), the zero bar is flat.
        assert!(
            svg.contains("y=\"30.0\" width=\"137.2\" height=\"160.0\""),
            "{svg}"
        );
        assert!(svg.contains("height=\"0.0\""));
        assert!(svg.contains(">4</text>"));
    }

    #[test]
    fn no_bars_say_no_data() {
        let svg = bar_chart("Empty", &[], true);
        assert!(svg.contains(">No data</text>"));
        assert!(!svg.contains("<rect"));
        assert!(svg.ends_with("</svg>"));
    }
}
