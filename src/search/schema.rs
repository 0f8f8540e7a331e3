//! The index schema: one tantivy index holds incidents and action items, told
//! apart by `kind`. Bump [`SCHEMA_VERSION`] whenever fields or analyzers change:
//! an index built with another version is detected as stale and rebuilt.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, INDEXED, IndexRecordOption,
    NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};

use super::analysis::{EN, KEYWORD, NAME, TECH};

/// Version of the schema and analyzers; stored beside the index.
pub const SCHEMA_VERSION: u32 = 2;

/// Handles to every field.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub kind: Field,
    /// Unique key: `incident/<slug>` or `action/<id>`.
    pub key: Field,
    /// The incident's slug (for action items: their incident's).
    pub slug: Field,
    /// The incident's title (incidents only).
    pub title: Field,
    pub title_tech: Field,
    pub summary: Field,
    pub root: Field,
    pub impact: Field,
    pub lessons: Field,
    pub resolution: Field,
    pub body: Field,
    pub body_tech: Field,
    pub tags: Field,
    pub has_findings: Field,
    /// The incident date (for action items: their incident's).
    pub date: Field,
    pub source: Field,
    /// `/year/2018`, `/tag/…`, `/status/open`, `/group/…`.
    pub facets: Field,
    pub action_id: Field,
    /// An action item's incident title, apart from `title`: no text field is
    /// shared by both kinds, so a search by words needs no `kind` filter.
    pub incident_title: Field,
    pub incident_title_tech: Field,
    pub text: Field,
    pub text_tech: Field,
    pub group: Field,
    pub status: Field,
    pub owner: Field,
    pub due: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored { opts.set_stored() } else { opts }
}

fn keyword(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(KEYWORD)
        .set_index_option(IndexRecordOption::Basic);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored { opts.set_stored() } else { opts }
}

fn date() -> DateOptions {
    DateOptions::from(INDEXED)
        .set_stored()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds)
}

/// Build the schema and its field handles.
pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        kind: b.add_text_field("kind", keyword(false)),
        key: b.add_text_field("key", keyword(true)),
        slug: b.add_text_field("slug", keyword(true)),
        title: b.add_text_field("title", text(EN, true)),
        title_tech: b.add_text_field("title_tech", text(TECH, false)),
        summary: b.add_text_field("summary", text(EN, true)),
        root: b.add_text_field("root", text(EN, true)),
        impact: b.add_text_field("impact", text(EN, true)),
        lessons: b.add_text_field("lessons", text(EN, true)),
        resolution: b.add_text_field("resolution", text(EN, true)),
        body: b.add_text_field("body", text(EN, true)),
        body_tech: b.add_text_field("body_tech", text(TECH, false)),
        tags: b.add_text_field("tags", keyword(true)),
        has_findings: b.add_bool_field("has_findings", NumericOptions::from(INDEXED | STORED)),
        date: b.add_date_field("date", date()),
        source: b.add_text_field("source", STORED),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        action_id: b.add_i64_field("action_id", INDEXED | STORED | FAST),
        incident_title: b.add_text_field("incident_title", text(EN, true)),
        incident_title_tech: b.add_text_field("incident_title_tech", text(TECH, false)),
        text: b.add_text_field("text", text(EN, true)),
        text_tech: b.add_text_field("text_tech", text(TECH, false)),
        group: b.add_text_field("group", text(EN, true)),
        status: b.add_text_field("status", keyword(true)),
        owner: b.add_text_field("owner", text(NAME, true)),
        due: b.add_date_field("due", date()),
    };
    (b.build(), fields)
}

impl Fields {
    /// Look the handles up in an existing index's schema (same names as `build`).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            kind: f("kind")?,
            key: f("key")?,
            slug: f("slug")?,
            title: f("title")?,
            title_tech: f("title_tech")?,
            summary: f("summary")?,
            root: f("root")?,
            impact: f("impact")?,
            lessons: f("lessons")?,
            resolution: f("resolution")?,
            body: f("body")?,
            body_tech: f("body_tech")?,
            tags: f("tags")?,
            has_findings: f("has_findings")?,
            date: f("date")?,
            source: f("source")?,
            facets: f("facets")?,
            action_id: f("action_id")?,
            incident_title: f("incident_title")?,
            incident_title_tech: f("incident_title_tech")?,
            text: f("text")?,
            text_tech: f("text_tech")?,
            group: f("group")?,
            status: f("status")?,
            owner: f("owner")?,
            due: f("due")?,
        })
    }
}
