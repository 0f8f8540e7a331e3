//! Incident durations: one horizontal bar per incident, labelled on the left,
//! on an axis in minutes or hours.

use std::fmt::Write;

use super::axis::{RIGHT, Scale, TOP, WIDTH, frame, no_data, number};
use super::escape;

/// Room for the labels left of the bars.
const LEFT: f64 = 230.0;
const ROW: f64 = 22.0;
/// Labels longer than this are cut with an ellipsis (the tooltip has them whole).
const LABEL_CHARS: usize = 34;

/// One incident's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Left of the bar (`2018-01-25 Accidental merge…`).
    pub label: String,
    pub minutes: i64,
    pub highlight: bool,
}

/// One bar per span, top to bottom in the given order.
pub fn duration_chart(title: &str, spans: &[Span]) -> String {
    let plot_w = WIDTH - RIGHT - LEFT;
    if spans.is_empty() {
        return frame(title, TOP + 60.0, &no_data(WIDTH / 2.0, TOP + 30.0));
    }
    let bottom = TOP + ROW * spans.len() as f64;
    let max = spans.iter().map(|s| s.minutes).max().unwrap_or(0) as f64;
    // Hours on the axis once the longest bar passes two hours.
    let (per_unit, unit) = if max > 120.0 { (60.0, "h") } else { (1.0, "m") };
    let scale = Scale::new(max / per_unit, per_unit == 1.0);
    let mut body = String::new();
    for tick in &scale.ticks {
        let x = LEFT + scale.at(*tick, plot_w);
        let _ = write!(
            body,
            "<line class=\"grid\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP:.1}\" y2=\"{bottom:.1}\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}{unit}</text>",
            bottom + 16.0,
            number(*tick)
        );
    }
    for (n, span) in spans.iter().enumerate() {
        let y = TOP + ROW * n as f64;
        let w = scale.at(span.minutes as f64 / per_unit, plot_w);
        let class = if span.highlight { "bar hl" } else { "bar" };
        let tip = format!("{}: {}", span.label, human(span.minutes));
        let _ = write!(
            body,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"{class}\" x=\"{LEFT:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"><title>{}</title></rect>",
            LEFT - 8.0,
            y + ROW / 2.0 + 4.0,
            escape(&shorten(&span.label)),
            y + 3.0,
            ROW - 6.0,
            escape(&tip)
        );
    }
    let _ = write!(
        body,
        "<line class=\"axis\" x1=\"{LEFT:.1}\" x2=\"{LEFT:.1}\" y1=\"{TOP:.1}\" y2=\"{bottom:.1}\"/>"
    );
    frame(title, bottom + 26.0, &body)
}

/// `45 min`, `2 h`, `1 h 30 min`.
pub fn human(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(label: &str, minutes: i64) -> Span {
        Span {
            label: label.into(),
            minutes,
            highlight: false,
        }
    }

    #[test]
    fn long_incidents_are_drawn_in_hours() {
        let svg = duration_chart("Durations", &[span("a", 125), span("b & c", 30)]);
        assert!(svg.contains(">2.5h</text>"), "{svg}");
        assert!(svg.contains("<title>a: 2 h 5 min</title>"));
        assert!(svg.contains(">b &amp; c</text>"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }

    #[test]
    fn short_incidents_in_minutes_and_long_labels_cut() {
        let long = "2018-01-26 Hub starts up very slow, causing outage for users";
        let svg = duration_chart("Durations", &[span(long, 45)]);
        assert!(svg.contains(">50m</text>"), "{svg}");
        assert!(svg.contains("…</text>"));
        assert!(svg.contains(&format!("<title>{long}: 45 min</title>")));
    }

    #[test]
    fn nothing_to_draw() {
        let svg = duration_chart("Durations", &[]);
        assert!(svg.contains("No data") && !svg.contains("<rect"));
        assert_eq!(human(0), "0 min");
        assert_eq!(human(120), "2 h");
    }
}
