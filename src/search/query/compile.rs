//! Syntax tree → tantivy query, for one kind (incidents or action items).
//! A word is looked up in the stemmed fields (as a phrase when it splits into
//! several terms, like `kube-dns`) and, when technical, whole in the `_tech` fields.

use std::ops::Bound;
use std::sync::Arc;

use chrono::NaiveDate;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Term};

use super::excluded::Excluded;
use super::{DateField, DayRange, Kind, Node, Scope};
use crate::search::analysis;
use crate::search::noted::{NotedQuery, SectionNotes};
use crate::search::results::SearchSection;
use crate::search::schema::Fields;

/// A field a word is searched in, with its weight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextTarget {
    pub field: Field,
    pub boost: f32,
    /// The `_tech` companion searched for technical words.
    pub tech: Option<Field>,
}

fn target(field: Field, boost: f32, tech: Option<Field>) -> TextTarget {
    TextTarget { field, boost, tech }
}

/// A compiled node, and whether only documents of the compiler's kind can match it.
struct Compiled {
    query: Box<dyn Query>,
    own_kind: bool,
}

impl Compiled {
    fn any_kind(query: impl Query) -> Compiled {
        Compiled {
            query: Box::new(query),
            own_kind: false,
        }
    }

    fn own_kind(mut self, own_kind: bool) -> Compiled {
        self.own_kind = own_kind;
        self
    }
}

/// Compiles queries for one kind. Cheap to build per request.
pub(crate) struct Compiler<'a> {
    pub fields: &'a Fields,
    pub kind: Kind,
    english: TextAnalyzer,
    technical: TextAnalyzer,
    name: TextAnalyzer,
}

impl<'a> Compiler<'a> {
    pub fn new(fields: &'a Fields, kind: Kind) -> Self {
        Compiler {
            fields,
            kind,
            english: analysis::english(),
            technical: analysis::technical(),
            name: analysis::name(),
        }
    }

    /// The fields a scope searches for this kind (empty: the scope does not apply).
    pub fn targets(&self, scope: Scope) -> Vec<TextTarget> {
        let f = self.fields;
        match (self.kind, scope) {
            (Kind::Incident, Scope::Any) => vec![
                target(f.title, 2.0, Some(f.title_tech)),
                target(f.summary, 1.0, None),
                target(f.root, 1.5, None),
                target(f.impact, 0.5, None),
                target(f.lessons, 0.5, None),
                target(f.resolution, 0.5, None),
                target(f.body, 1.0, Some(f.body_tech)),
            ],
            (Kind::Action, Scope::Any) => {
                vec![
                    target(f.text, 1.0, Some(f.text_tech)),
                    target(f.group, 0.5, None),
                ]
            }
            (Kind::Incident, Scope::Title) => vec![target(f.title, 1.0, Some(f.title_tech))],
            (Kind::Action, Scope::Title) => {
                vec![target(f.incident_title, 1.0, Some(f.incident_title_tech))]
            }
            (Kind::Incident, Scope::Text) => vec![target(f.body, 1.0, Some(f.body_tech))],
            (Kind::Action, Scope::Text) => vec![target(f.text, 1.0, Some(f.text_tech))],
            (Kind::Incident, Scope::Summary) => vec![target(f.summary, 1.0, None)],
            (Kind::Incident, Scope::Root) => vec![target(f.root, 1.0, None)],
            (Kind::Incident, Scope::Impact) => vec![target(f.impact, 1.0, None)],
            (Kind::Incident, Scope::Lessons) => vec![target(f.lessons, 1.0, None)],
            (Kind::Incident, Scope::Resolution) => vec![target(f.resolution, 1.0, None)],
            (Kind::Action, Scope::Group) => vec![target(f.group, 1.0, None)],
            (Kind::Action, Scope::Owner) => vec![target(f.owner, 1.0, None)],
            _ => vec![],
        }
    }

    /// The whole query for this kind, filtered to documents of this kind. The
    /// filter is left out when the query cannot match the other kind anyway (it
    /// needs words, and no text field is shared by both kinds): intersecting with
    /// every document of the kind costs as much as the words, and a pure
    /// disjunction of words is what tantivy scores fastest.
    /// `None` when nothing in the query is searchable (only stop words).
    /// With `notes`, the phrase clauses of incident sections note the
    /// documents they match, for the section counts.
    pub fn compile(
        &self,
        node: &Node,
        notes: Option<&Arc<SectionNotes>>,
    ) -> Option<Box<dyn Query>> {
        let Compiled { query, own_kind } = self.node(node, notes)?;
        if own_kind {
            return Some(query);
        }
        let kind = self.keyword(self.fields.kind, self.kind.as_str());
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, kind),
            (Occur::Must, query),
        ])))
    }

    fn node(&self, node: &Node, notes: Option<&Arc<SectionNotes>>) -> Option<Compiled> {
        match node {
            Node::And(items) => self.and(items, notes),
            Node::Or(items) => {
                let compiled: Vec<Compiled> =
                    items.iter().filter_map(|n| self.node(n, notes)).collect();
                if compiled.is_empty() {
                    return None;
                }
                let own_kind = compiled.iter().all(|c| c.own_kind);
                let clauses = compiled.into_iter().map(|c| (Occur::Should, c.query));
                Some(Compiled::any_kind(BooleanQuery::new(clauses.collect())).own_kind(own_kind))
            }
            // Words under NOT count for no section.
            Node::Not(inner) => {
                let q: Box<dyn Query> = Box::new(Excluded(self.node(inner, None)?.query));
                Some(Compiled::any_kind(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, q),
                ])))
            }
            // Words are only looked up in this kind's fields.
            Node::Text {
                scope,
                text,
                phrase,
            } => self
                .text(&self.targets(*scope), text, *phrase, notes)
                .map(|query| Compiled {
                    query,
                    own_kind: true,
                }),
            leaf => Some(Compiled {
                query: self.filter(leaf),
                own_kind: false,
            }),
        }
    }

    fn and(&self, items: &[Node], notes: Option<&Arc<SectionNotes>>) -> Option<Compiled> {
        let mut clauses = Vec::new();
        let mut own_kind = false;
        for item in items {
            match item {
                Node::Not(inner) => {
                    if let Some(c) = self.node(inner, None) {
                        let excluded: Box<dyn Query> = Box::new(Excluded(c.query));
                        clauses.push((Occur::MustNot, excluded));
                    }
                }
                other => {
                    if let Some(c) = self.node(other, notes) {
                        own_kind |= c.own_kind;
                        clauses.push((Occur::Must, c.query));
                    }
                }
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Some(Compiled::any_kind(BooleanQuery::new(clauses)).own_kind(own_kind))
    }

    /// A word or phrase over `targets`. `None` when it has no terms (stop words);
    /// an empty query when the scope does not apply to this kind.
    pub fn text(
        &self,
        targets: &[TextTarget],
        text: &str,
        phrase: bool,
        notes: Option<&Arc<SectionNotes>>,
    ) -> Option<Box<dyn Query>> {
        if targets.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in targets {
            let analyzer = if t.field == self.fields.owner {
                &self.name
            } else {
                &self.english
            };
            let tokens = analysis::tokens(analyzer, text);
            let positions = tokens.len() > 1;
            if let Some(q) = terms_query(t.field, tokens) {
                // A phrase is costly to match again per section; its clause notes
                // its documents instead (see `sections`).
                let q = match (notes, self.section(t.field)) {
                    (Some(notes), Some(section)) if positions => {
                        Box::new(NotedQuery::new(q, section, Arc::clone(notes)))
                    }
                    _ => q,
                };
                clauses.push((Occur::Should, boost(q, t.boost)));
            }
            if let Some(tech) = t.tech.filter(|_| !phrase) {
                let tokens = analysis::tokens(&self.technical, text);
                if let [(_, term)] = tokens.as_slice() {
                    let q = TermQuery::new(
                        Term::from_field_text(tech, term),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((Occur::Should, boost(Box::new(q), t.boost)));
                }
            }
        }
        match clauses.len() {
            0 => None,
            1 => clauses.pop().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(clauses))),
        }
    }

    /// Whether a word is looked up in the sections as a phrase (it has several
    /// terms, like `kube-dns`, or is one).
    pub fn is_phrase(&self, text: &str) -> bool {
        analysis::tokens(&self.english, text).len() > 1
    }

    /// The incident section a field's words count for (the `_tech` companions
    /// count for none: a section is where the words are written).
    fn section(&self, field: Field) -> Option<SearchSection> {
        if self.kind != Kind::Incident {
            return None;
        }
        SearchSection::ALL.iter().copied().find(|&section| {
            self.targets(section_scope(section))
                .iter()
                .any(|t| t.field == field)
        })
    }

    fn filter(&self, leaf: &Node) -> Box<dyn Query> {
        let f = self.fields;
        let applies = leaf.leaf_kinds().is_some_and(|k| k.contains(&self.kind));
        if !applies {
            return Box::new(EmptyQuery);
        }
        let q: Box<dyn Query> = match leaf {
            Node::Status(s) => self.keyword(f.status, s),
            Node::Tag(t) => self.keyword(f.tags, t),
            Node::Incident(s) => self.keyword(f.slug, s),
            Node::HasFindings => Box::new(TermQuery::new(
                Term::from_field_bool(f.has_findings, true),
                IndexRecordOption::Basic,
            )),
            Node::Date { field, range } => {
                let field = match field {
                    DateField::Incident => f.date,
                    DateField::Due => f.due,
                };
                date_range(field, range)
            }
            _ => Box::new(EmptyQuery),
        };
        // Filters select; they do not rank.
        Box::new(ConstScoreQuery::new(q, 0.0))
    }

    fn keyword(&self, field: Field, value: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(field, &value.to_lowercase());
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    }
}

fn boost(q: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    if (by - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, by))
    }
}

/// One term → term query; several → phrase query keeping their positions.
fn terms_query(field: Field, tokens: Vec<(usize, String)>) -> Option<Box<dyn Query>> {
    let first = tokens.first()?.0;
    if tokens.len() == 1 {
        let term = Term::from_field_text(field, &tokens[0].1);
        return Some(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)));
    }
    let terms = tokens
        .into_iter()
        .map(|(pos, text)| (pos - first, Term::from_field_text(field, &text)))
        .collect();
    Some(Box::new(PhraseQuery::new_with_offset(terms)))
}

/// The scope that searches one incident section.
pub(crate) fn section_scope(section: SearchSection) -> Scope {
    match section {
        SearchSection::Title => Scope::Title,
        SearchSection::Summary => Scope::Summary,
        SearchSection::RootCause => Scope::Root,
        SearchSection::Impact => Scope::Impact,
        SearchSection::Lessons => Scope::Lessons,
        SearchSection::Resolution => Scope::Resolution,
        SearchSection::FullText => Scope::Text,
    }
}

/// Midnight UTC of a day, as tantivy stores dates.
pub(crate) fn day_start(day: NaiveDate) -> DateTime {
    let secs = day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    // Saturate: tantivy keeps nanoseconds in an i64 (years ~1678..2262).
    DateTime::from_timestamp_nanos(secs.saturating_mul(1_000_000_000))
}

fn date_range(field: Field, range: &DayRange) -> Box<dyn Query> {
    let lower = match range.from {
        Some(d) => Bound::Included(Term::from_field_date_for_search(field, day_start(d))),
        None => Bound::Unbounded,
    };
    let upper = match range.to.and_then(|d| d.succ_opt()) {
        Some(d) => Bound::Excluded(Term::from_field_date_for_search(field, day_start(d))),
        None => Bound::Unbounded,
    };
    let lower = match (lower, &upper) {
        // The parser never builds a range open on both sides; keep RangeQuery's invariant.
        (Bound::Unbounded, Bound::Unbounded) => {
            Bound::Included(Term::from_field_date_for_search(field, DateTime::MIN))
        }
        (lower, _) => lower,
    };
    Box::new(RangeQuery::new(lower, upper))
}
