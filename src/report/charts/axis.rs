//! What every chart shares: the frame, the stylesheet, the value scale and its ticks.

use std::fmt::Write;

use super::escape;

/// The drawing's size in user units (it scales to its container's width).
pub(super) const WIDTH: f64 = 640.0;
pub(super) const TOP: f64 = 30.0;
pub(super) const RIGHT: f64 = 12.0;

/// Colours as classes: text and axes follow `currentColor`, marks a custom
/// property with a mid-tone default, lightened under a dark scheme.
const STYLE: &str = "<style>\
.cc text{fill:currentColor;font:11px system-ui,-apple-system,'Segoe UI',sans-serif}\
.cc .t{font-size:13px;font-weight:600}\
.cc .grid{stroke:currentColor;stroke-opacity:.15}\
.cc .axis{stroke:currentColor;stroke-opacity:.5}\
.cc .bar{fill:var(--chart-bar,#2f6fd0)}\
.cc .hl{fill:var(--chart-highlight,#d9641e)}\
.cc .line{fill:none;stroke:var(--chart-line,#2f6fd0);stroke-width:2}\
.cc .dot{fill:var(--chart-line,#2f6fd0)}\
.cc .area{fill:var(--chart-line,#2f6fd0);fill-opacity:.12}\
.cc .none{fill-opacity:.65;font-style:italic}\
@media (prefers-color-scheme:dark){\
.cc .bar{fill:var(--chart-bar,#6ea8ff)}.cc .hl{fill:var(--chart-highlight,#ffa65c)}\
.cc .line{stroke:var(--chart-line,#6ea8ff)}.cc .dot,.cc .area{fill:var(--chart-line,#6ea8ff)}}\
</style>";

/// An `<svg>` with its title (also its accessible name), style and `body`.
pub(super) fn frame(title: &str, height: f64, body: &str) -> String {
    let title = escape(title);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cc\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"100%\" role=\"img\" aria-label=\"{title}\" preserveAspectRatio=\"xMidYMid meet\">\
         <title>{title}</title>{STYLE}<text class=\"t\" x=\"0\" y=\"16\">{title}</text>{body}</svg>"
    )
}

/// The message drawn instead of marks when there is nothing to draw.
pub(super) fn no_data(x: f64, y: f64) -> String {
    format!("<text class=\"none\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">No data</text>")
}

/// A linear scale from 0 to a "nice" maximum, with its ticks.
pub(super) struct Scale {
    pub max: f64,
    pub ticks: Vec<f64>,
}

impl Scale {
    /// Ticks at 1, 2 or 5 × 10ⁿ, at most about five, covering `max`; whole
    /// numbers only when `whole` (counts).
    pub fn new(max: f64, whole: bool) -> Scale {
        let max = if max.is_finite() && max > 0.0 {
            max
        } else {
            1.0
        };
        let raw = max / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let mut step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(magnitude * 10.0);
        if whole {
            step = step.max(1.0).round();
        }
        // The epsilon keeps 0.3 / 0.1 = 3.0000000000000004 from adding a tick.
        let top = (max / step - 1e-9).ceil().max(1.0) * step;
        let count = (top / step).round() as usize;
        Scale {
            max: top,
            ticks: (0..=count).map(|n| n as f64 * step).collect(),
        }
    }

    /// Where `value` falls in `[0, length]`.
    pub fn at(&self, value: f64, length: f64) -> f64 {
        (value.max(0.0) / self.max * length).min(length)
    }
}

/// Horizontal grid lines and value labels on the left, for a vertical scale.
pub(super) fn y_axis(
    scale: &Scale,
    left: f64,
    bottom: f64,
    plot_h: f64,
    label: impl Fn(f64) -> String,
) -> String {
    let mut out = String::new();
    for tick in &scale.ticks {
        let y = bottom - scale.at(*tick, plot_h);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            left - 6.0,
            y + 4.0,
            escape(&label(*tick))
        );
    }
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{bottom:.1}\" y2=\"{bottom:.1}\"/>",
        WIDTH - RIGHT
    );
    out
}

/// Show one label in `every` so that at most ~16 fit under an axis.
pub(super) fn label_every(n: usize) -> usize {
    n.div_ceil(16).max(1)
}

/// Label one bar in this many so that labels of `chars` characters never
/// overlap over `width` (about 6.5 units per character at the axis' size).
pub(super) fn label_every_fitting(n: usize, chars: usize, width: f64) -> usize {
    let fit = (width / (chars as f64 * 6.5 + 8.0)).floor().max(1.0) as usize;
    n.div_ceil(fit.min(16)).max(1)
}

/// A number without a useless `.0`.
pub(super) fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(Scale::new(7.0, true).ticks, vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(Scale::new(3.0, true).ticks, vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(Scale::new(0.0, true).ticks, vec![0.0, 1.0]);
        assert_eq!(Scale::new(f64::NAN, true).max, 1.0);
        let s = Scale::new(130.0, false);
        assert_eq!(s.ticks, vec![0.0, 50.0, 100.0, 150.0]);
        assert_eq!(s.at(75.0, 300.0), 150.0);
        assert_eq!(s.at(-3.0, 300.0), 0.0);
        assert_eq!(Scale::new(0.3, false).ticks.len(), 4);
    }

    #[test]
    fn numbers_and_label_spacing() {
        assert_eq!(number(4.0), "4");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(label_every(12), 1);
        assert_eq!(label_every(40), 3);
        // 98 months labelled `2017-02` over 588 units: ten labels fit.
        assert_eq!(label_every_fitting(98, 7, 588.0), 10);
        assert_eq!(
            label_every_fitting(12, 3, 588.0),
            1,
            "short labels: all of them"
        );
    }
}
