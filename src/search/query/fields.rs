//! The field prefixes of the query language (`title:`, `status:`, `date:` …):
//! their names and aliases, and how each one's value becomes a node.

use super::dates::{self, Cmp, DATE_EXPECTED};
use super::{ACTION_STATUSES, DateField, Node, Scope};
use crate::search::error::QueryError;

pub(super) const KNOWN_FIELDS: &str = "title, summary, root, impact, lessons, resolution, text, tag, \
     date, after, before, incident, has, status, owner, group, due";

/// What a `name:` prefix means.
#[derive(Debug, Clone, Copy)]
pub(super) enum FieldKind {
    Text(Scope),
    Status,
    Tag,
    Incident,
    Has,
    Date(DateField),
    Compare(Cmp),
}

pub(super) fn field_kind(name: &str) -> Option<FieldKind> {
    use FieldKind::*;
    Some(match name {
        "title" => Text(Scope::Title),
        "summary" => Text(Scope::Summary),
        "root" | "cause" | "rootcause" | "root_cause" => Text(Scope::Root),
        "impact" => Text(Scope::Impact),
        "lessons" | "lesson" | "lessons_learned" => Text(Scope::Lessons),
        "resolution" => Text(Scope::Resolution),
        "text" | "body" => Text(Scope::Text),
        "group" => Text(Scope::Group),
        "owner" => Text(Scope::Owner),
        "status" => Status,
        "tag" | "tags" => Tag,
        "incident" | "slug" => Incident,
        "has" => Has,
        "date" | "year" => Date(DateField::Incident),
        "due" => Date(DateField::Due),
        "after" => Compare(Cmp::After),
        "before" => Compare(Cmp::Before),
        _ => return None,
    })
}

pub(super) fn example(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text(_) => "title:helm or title:\"image tag\"",
        FieldKind::Status => "status:open",
        FieldKind::Tag => "tag:kubernetes",
        FieldKind::Incident => "incident:2018-01-26-hub-slow-startup",
        FieldKind::Has => "has:findings",
        FieldKind::Date(_) => "date:2018 or date:2018-01..2018-03",
        FieldKind::Compare(_) => "after:2018-01-01",
    }
}

pub(super) fn text_node(scope: Scope, text: String, phrase: bool) -> Node {
    Node::Text {
        scope,
        text,
        phrase,
    }
}

/// `title:(a OR b)`: unscoped words inside take the field's scope.
pub(super) fn scoped(node: Node, scope: Scope) -> Node {
    match node {
        Node::And(v) => Node::And(v.into_iter().map(|n| scoped(n, scope)).collect()),
        Node::Or(v) => Node::Or(v.into_iter().map(|n| scoped(n, scope)).collect()),
        Node::Not(n) => Node::Not(Box::new(scoped(*n, scope))),
        Node::Text {
            scope: Scope::Any,
            text,
            phrase,
        } => text_node(scope, text, phrase),
        other => other,
    }
}

pub(super) fn filter_node(
    kind: FieldKind,
    field: String,
    text: String,
    phrase: bool,
    column: usize,
) -> Result<Node, QueryError> {
    let invalid = |expected: String| QueryError::InvalidValue {
        field: field.clone(),
        value: text.clone(),
        column,
        expected,
    };
    let lower = text.trim().to_lowercase();
    Ok(match kind {
        FieldKind::Text(scope) => text_node(scope, text, phrase),
        FieldKind::Status => {
            let status = lower.replace(['-', ' '], "_");
            if !ACTION_STATUSES.contains(&status.as_str()) {
                return Err(invalid(format!("one of {}", ACTION_STATUSES.join(", "))));
            }
            Node::Status(status)
        }
        FieldKind::Tag if !lower.is_empty() => Node::Tag(lower),
        FieldKind::Incident if !lower.is_empty() => Node::Incident(lower),
        FieldKind::Tag | FieldKind::Incident => return Err(invalid("a non-empty value".into())),
        FieldKind::Has if lower == "findings" => Node::HasFindings,
        FieldKind::Has => return Err(invalid("`findings` (has:findings)".into())),
        FieldKind::Date(date_field) => Node::Date {
            field: date_field,
            range: dates::parse_range(&lower).ok_or_else(|| invalid(DATE_EXPECTED.into()))?,
        },
        FieldKind::Compare(cmp) => Node::Date {
            field: DateField::Incident,
            range: dates::compare(cmp, &lower).ok_or_else(|| {
                invalid("a year, month or day (2018, 2018-01, 2018-01-26)".into())
            })?,
        },
    })
}
