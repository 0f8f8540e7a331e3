//! A value over time as a line with dots: open action items week by week.

use std::fmt::Write;

use super::axis::{RIGHT, Scale, TOP, WIDTH, frame, label_every, no_data, number, y_axis};
use super::escape;

const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 190.0;

/// One point of the line.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Under the point (`W04`).
    pub label: String,
    pub value: f64,
    /// The dot's tooltip; the label and value when `None`.
    pub tooltip: Option<String>,
}

impl Point {
    pub fn new(label: impl Into<String>, value: f64) -> Point {
        Point {
            label: label.into(),
            value,
            tooltip: None,
        }
    }
}

/// Points evenly spaced left to right, joined by a line over a shaded area.
pub fn line_chart(title: &str, points: &[Point], whole: bool) -> String {
    let plot_w = WIDTH - RIGHT - LEFT;
    let plot_h = BOTTOM - TOP;
    if points.is_empty() {
        let body = no_data(LEFT + plot_w / 2.0, TOP + plot_h / 2.0);
        return frame(title, HEIGHT, &body);
    }
    let scale = Scale::new(points.iter().map(|p| p.value).fold(0.0, f64::max), whole);
    let mut body = y_axis(&scale, LEFT, BOTTOM, plot_h, number);
    let slot = plot_w / points.len() as f64;
    let xy: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(n, p)| {
            (
                LEFT + slot * (n as f64 + 0.5),
                BOTTOM - scale.at(p.value, plot_h),
            )
        })
        .collect();
    let path: Vec<String> = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
    if let (Some(first), Some(last)) = (xy.first(), xy.last()) {
        let _ = write!(
            body,
            "<polygon class=\"area\" points=\"{:.1},{BOTTOM:.1} {} {:.1},{BOTTOM:.1}\"/>\
             <polyline class=\"line\" points=\"{}\"/>",
            first.0,
            path.join(" "),
            last.0,
            path.join(" ")
        );
    }
    let every = label_every(points.len());
    for (n, (p, (x, y))) in points.iter().zip(&xy).enumerate() {
        let tip = p
            .tooltip
            .clone()
            .unwrap_or_else(|| format!("{}: {}", p.label, number(p.value)));
        let _ = write!(
            body,
            "<circle class=\"dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\"><title>{}</title></circle>",
            escape(&tip)
        );
        if n % every == 0 || n + 1 == points.len() {
            let _ = write!(
                body,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                BOTTOM + 16.0,
                escape(&p.label)
            );
        }
    }
    frame(title, HEIGHT, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_joined_scaled_and_escaped() {
        let points = [
            Point::new("W01", 10.0),
            Point::new("W02", 5.0),
            Point::new("a<b", 0.0),
        ];
        let svg = line_chart("Open items", &points, true);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>W02: 5</title>"));
        assert!(svg.contains(">a&lt;b</text>"));
        // 10 is the top of the axis: its dot sits on the plot's top edge.
        assert!(svg.contains("cy=\"30.0\""), "{svg}");
        assert!(svg.contains("cy=\"190.0\""));
        assert!(svg.contains("<polyline class=\"line\""));
    }

    #[test]
    fn no_points_say_no_data() {
        let svg = line_chart("Open items", &[], true);
        assert!(svg.contains("No data") && !svg.contains("<circle"));
    }
}
