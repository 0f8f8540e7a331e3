//! Server-rendered SVG charts: pure functions from numbers to an `<svg>` string,
//! embeddable inline in any page. Text and axes use `currentColor` and the
//! marks use CSS classes with custom properties (`--chart-bar`,
//! `--chart-highlight`, `--chart-line`), so a chart reads in light and dark
//! themes and a host page can restyle it. Every label is XML-escaped and every
//! mark has a `<title>` tooltip.
//!
//! - [`bar_chart`]: a value per period (incidents per week, per month…);
//!   [`monthly_bars`] counts dates per month for it.
//! - [`line_chart`]: a value over time (open action items, a burn-down).
//! - [`duration_chart`]: one horizontal bar per incident, in hours and minutes.
//! - [`weekly`]: the three charts of a [`WeeklyReport`](super::WeeklyReport).

mod axis;
mod bars;
mod durations;
mod line;
mod weekly;

pub use bars::{Bar, bar_chart, monthly_bars};
pub use durations::{Span, duration_chart, human as human_duration};
pub use line::{Point, line_chart};
pub use weekly::{WeeklyCharts, weekly};

/// Escape text for SVG/XML content and attribute values (the same rules as HTML).
pub use crate::search::escape_html as escape;
