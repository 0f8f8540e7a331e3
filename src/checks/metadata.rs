//! `metadata/date-mismatch`: the document's date (front matter, title or file name)
//! against the days its timeline covers. A week's slack allows for post-mortems dated
//! when written; a date on the 1st of a month may stand for the month. The finding says
//! which side the file name agrees with, since that one is probably right.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;

use super::Rule;
use crate::model::{DateSource, Document, Finding};

/// Days a document date may sit outside its timeline before it disagrees with it.
const SLACK_DAYS: i64 = 7;

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})-(\d{2})-(\d{2})").expect("valid regex"));

/// Compare the document date with the timeline's days.
pub fn date_mismatch(doc: &Document, text: &str) -> Option<Finding> {
    let date = doc.date?;
    let source = match doc.date_source? {
        DateSource::FrontMatter => "front matter",
        DateSource::Title => "title",
        DateSource::FileName => "file name",
        DateSource::Timeline => return None,
    };
    let dated: Vec<(NaiveDate, usize)> = doc
        .timeline
        .iter()
        .filter_map(|e| Some((e.local?.date(), e.line)))
        .collect();
    let (first, first_line) = *dated.iter().min_by_key(|(d, _)| *d)?;
    let last = dated.iter().map(|(d, _)| *d).max()?;
    let (from, to) = date_span(date);
    let gap = if to < first {
        first - to
    } else if from > last {
        from - last
    } else {
        Duration::zero()
    };
    if gap.num_days() <= SLACK_DAYS {
        return None;
    }
    let file_date = file_name_date(&doc.source);
    let timeline = if first == last {
        format!("the timeline is on {first} (line {first_line})")
    } else {
        format!("the timeline runs from {first} (line {first_line}) to {last}")
    };
    let message = format!("the {source} gives {date}, but {timeline}");
    let finding = match file_date {
        Some(f) if f == date && source != "file name" => Rule::DateMismatch.finding_with(
            Some(first_line),
            format!("{message}; the file name agrees with the {source}"),
            format!("check the timeline's date: was it {date}?"),
        ),
        Some(f) if (first..=last).contains(&f) => Rule::DateMismatch.finding_with(
            date_line(text, date).or(Some(first_line)),
            format!("{message}; the file name agrees with the timeline"),
            format!("correct the date in the {source} to {first}"),
        ),
        _ => Rule::DateMismatch.finding_with(
            Some(first_line),
            message,
            format!("make the {source} and the timeline agree"),
        ),
    };
    Some(finding)
}

/// The days a document date stands for: the day, or the month when it is the 1st.
fn date_span(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    if date.day() != 1 {
        return (date, date);
    }
    let next_month = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    (date, next_month.and_then(|d| d.pred_opt()).unwrap_or(date))
}

/// `2017-10-10-hung-nodes.qmd` → 2017-10-10.
fn file_name_date(source: &str) -> Option<NaiveDate> {
    let name = source.rsplit(['/', '\\']).next()?;
    let cap = ISO_DATE.captures(name)?;
    NaiveDate::from_ymd_opt(
        cap[1].parse().ok()?,
        cap[2].parse().ok()?,
        cap[3].parse().ok()?,
    )
}

/// The first line of the text that writes `date` (where a title or front matter gives it).
fn date_line(text: &str, date: NaiveDate) -> Option<usize> {
    let written = date.to_string();
    text.lines()
        .position(|l| l.contains(&written))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntryKind, TimelineEntry};

    fn doc(source: &str, date: &str, src: DateSource, days: &[(&str, usize)]) -> Document {
        let mut d = Document {
            source: source.into(),
            date: date.parse().ok(),
            date_source: Some(src),
            ..Document::default()
        };
        for (day, line) in days {
            let mut e = TimelineEntry::new(*line, *day, "", EntryKind::Heading);
            e.local = day
                .parse::<NaiveDate>()
                .ok()
                .and_then(|d| d.and_hms_opt(10, 0, 0));
            d.timeline.push(e);
        }
        d
    }

    #[test]
    fn timeline_far_from_the_front_matter() {
        let d = doc(
            "x/2017-10-10-hung-nodes.qmd",
            "2017-10-10",
            DateSource::FrontMatter,
            &[("2017-05-09", 12)],
        );
        let f = date_mismatch(&d, "").expect("mismatch");
        assert_eq!(f.line, Some(12));
        assert!(
            f.message.contains("file name agrees with the front matter"),
            "{}",
            f.message
        );
    }

    #[test]
    fn title_wrong_when_file_name_agrees_with_timeline() {
        let d = doc(
            "2019-01-30-x.md",
            "2018-12-04",
            DateSource::Title,
            &[("2019-01-30", 13), ("2019-02-04", 75)],
        );
        let text = "---\ntitle: Post-mortem 2018-12-04\n---\n";
        let f = date_mismatch(&d, text).expect("mismatch");
        assert_eq!(f.line, Some(2));
        assert_eq!(
            f.suggestion.as_deref(),
            Some("correct the date in the title to 2019-01-30")
        );
    }

    #[test]
    fn written_up_later_or_a_month_is_not_a_mismatch() {
        let d = doc(
            "a.md",
            "2018-02-06",
            DateSource::FrontMatter,
            &[("2018-02-05", 12)],
        );
        assert!(date_mismatch(&d, "").is_none());
        let d = doc(
            "a.md",
            "2024-02-01",
            DateSource::FrontMatter,
            &[("2024-03-05", 43)],
        );
        assert!(
            date_mismatch(&d, "").is_none(),
            "the 1st of a month stands for the month"
        );
        let d = doc(
            "a.md",
            "2024-02-01",
            DateSource::Timeline,
            &[("2025-03-05", 43)],
        );
        assert!(date_mismatch(&d, "").is_none());
    }
}
