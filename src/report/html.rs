//! The report as one self-contained HTML page (inline CSS and SVG charts, no
//! scripts, light and dark themes by `prefers-color-scheme`), from the askama
//! template `templates/report/weekly.html`.

use askama::Template;

use super::ReportError;
use super::charts::{self, WeeklyCharts, escape};
use super::model::{ItemRef, WeeklyReport};
use super::week::IsoWeek;
use super::wording;

/// Where the page links to; `None` leaves the names as plain text (a page
/// saved to a file has nothing to link to).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// Prefix of week pages, such as `/reports/weekly/`: links to the previous
    /// and next weeks (`…/2018-W03`), the `.md` and `.json` variants and the index.
    pub weeks: Option<String>,
    /// Prefix of incident pages, such as `/incidents/`.
    pub incidents: Option<String>,
}

#[derive(Template)]
#[template(path = "report/weekly.html")]
struct Page<'a> {
    r: &'a WeeklyReport,
    charts: WeeklyCharts,
    links: &'a Links,
    headline: String,
    span: String,
    nothing: String,
    trends: [String; 3],
}

/// The page, without links.
pub fn render(report: &WeeklyReport) -> Result<String, ReportError> {
    render_linked(report, &Links::default())
}

/// The page, linking weeks and incidents under the given prefixes.
pub fn render_linked(report: &WeeklyReport, links: &Links) -> Result<String, ReportError> {
    let page = Page {
        r: report,
        charts: charts::weekly(report),
        links,
        headline: wording::headline(report),
        span: wording::span(report),
        nothing: wording::nothing_happened(report),
        trends: wording::trend_lines(&report.trends),
    };
    page.render()
        .map_err(|e| ReportError::Render(e.to_string()))
}

impl Page<'_> {
    fn week_href(&self, week: &IsoWeek) -> Option<String> {
        self.links.weeks.as_ref().map(|p| format!("{p}{week}"))
    }

    fn incident_href(&self, slug: &str) -> Option<String> {
        self.links.incidents.as_ref().map(|p| format!("{p}{slug}"))
    }

    fn duration(&self, minutes: &Option<i64>) -> String {
        wording::duration(*minutes)
    }

    fn owner_due(&self, item: &ItemRef) -> String {
        wording::owner_due(item)
    }

    fn status_age(&self, item: &ItemRef) -> String {
        wording::status_age(item)
    }

    /// Escaped text with its `backtick` spans as `<code>` (coroner's messages quote that way).
    fn code(&self, text: &str) -> String {
        code_spans(text)
    }

    fn status_class(&self, item: &ItemRef) -> &'static str {
        if item.status.is_closed() {
            "closed"
        } else {
            "open"
        }
    }
}

/// HTML-escape `text`, then turn balanced backtick spans into `<code>`.
fn code_spans(text: &str) -> String {
    let escaped = escape(text);
    if escaped.matches('`').count() % 2 != 0 {
        return escaped;
    }
    escaped
        .split('`')
        .enumerate()
        .map(|(n, part)| match n % 2 {
            1 => format!("<code>{part}</code>"),
            _ => part.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn backtick_spans_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            code_spans("no `title:` <b>"),
            "no <code>title:</code> &lt;b&gt;"
        );
        assert_eq!(code_spans("odd ` tick"), "odd ` tick");
    }
}
