//! Running a query: ranking, pagination, facet counts; hits are assembled in `hits`.

use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, Order, Searcher};

use super::error::{QueryError, SearchError};
use super::facets::{FacetCounter, FacetTally};
use super::hits::{self, HitBuilder};
use super::index::SearchIndex;
use super::noted::SectionNotes;
use super::query::{Compiler, Kind, Node, ParsedQuery, Scope};
use super::results::{ActionHit, FacetCount, Facets, IncidentHit, SearchResults};
use super::sections::SectionCounter;
use super::statistics::KindStatistics;

/// Most hits on one page.
pub const MAX_LIMIT: usize = 100;
/// Deepest page reachable (offset + limit).
pub const MAX_WINDOW: usize = 10_000;

/// A query and the page wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    pub offset: usize,
    pub limit: usize,
    /// Incidents: count the matches with the words in each section
    /// (`facets.sections`); a search for a page that does not show them skips
    /// the work (up to a sixth of a search of several words).
    pub sections: bool,
}

impl SearchRequest {
    /// The first page of 20 results, with section counts.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            offset: 0,
            limit: 20,
            sections: true,
        }
    }

    pub fn page(mut self, offset: usize, limit: usize) -> SearchRequest {
        self.offset = offset;
        self.limit = limit;
        self
    }

    /// Leave `facets.sections` empty.
    pub fn without_sections(mut self) -> SearchRequest {
        self.sections = false;
        self
    }

    fn validate(&self) -> Result<(), SearchError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(SearchError::Page(format!(
                "limit must be 1 to {MAX_LIMIT}, not {}",
                self.limit
            )));
        }
        if self.offset.saturating_add(self.limit) > MAX_WINDOW {
            return Err(SearchError::Page(format!(
                "results beyond the first {MAX_WINDOW} are not available; refine the query"
            )));
        }
        Ok(())
    }
}

/// Ranked document addresses with their scores, and the total.
struct Ranked {
    docs: Vec<(f32, DocAddress)>,
    total: usize,
    facets: FacetTally,
    /// Incidents: matching documents with the words in each section.
    sections: Vec<FacetCount>,
}

/// The query that was run (relaxed or not) and what it found.
struct Found {
    query: Box<dyn Query>,
    ranked: Ranked,
    relaxed: bool,
}

impl SearchIndex {
    /// Search incidents.
    pub fn search_incidents(
        &self,
        req: &SearchRequest,
    ) -> Result<SearchResults<IncidentHit>, SearchError> {
        self.search(req, Kind::Incident, |b, s, a| b.incident(s, a))
    }

    /// Search action items.
    pub fn search_actions(
        &self,
        req: &SearchRequest,
    ) -> Result<SearchResults<ActionHit>, SearchError> {
        self.search(req, Kind::Action, |b, s, a| b.action(s, a))
    }

    /// Incidents and action items for one query, searched at the same time (a
    /// search page shows both): each search spends part of its time on one
    /// core, building its hits, which the other search can use.
    pub fn search_both(
        &self,
        incidents: &SearchRequest,
        actions: &SearchRequest,
    ) -> Result<(SearchResults<IncidentHit>, SearchResults<ActionHit>), SearchError> {
        std::thread::scope(|scope| {
            let found_actions = scope.spawn(|| self.search_actions(actions));
            let found_incidents = self.search_incidents(incidents);
            let found_actions = found_actions
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok((found_incidents?, found_actions?))
        })
    }

    fn search<H>(
        &self,
        req: &SearchRequest,
        kind: Kind,
        build: impl Fn(&HitBuilder, f32, DocAddress) -> Result<H, SearchError> + Sync,
    ) -> Result<SearchResults<H>, SearchError>
    where
        H: Send,
    {
        req.validate()?;
        let parsed = ParsedQuery::parse(&req.query)?;
        let compiler = Compiler::new(&self.fields, kind);
        let searcher = self.searcher();
        let found = self.run(&searcher, &compiler, &parsed, req)?;
        let (query, ranked) = (&*found.query, &found.ranked);
        let hits = hits::build_all(self, &searcher, query, kind, &ranked.docs, &build)?;
        let mut facets = facet_lists(&ranked.facets, kind);
        facets.sections = ranked.sections.clone();
        Ok(SearchResults {
            query: req.query.clone(),
            kind,
            total: ranked.total,
            offset: req.offset,
            limit: req.limit,
            hits,
            facets,
            relaxed: found.relaxed,
        })
    }

    /// Rank the query's matches; a plain query that matches nothing is retried
    /// with any of its words.
    fn run(
        &self,
        searcher: &Searcher,
        compiler: &Compiler,
        parsed: &ParsedQuery,
        req: &SearchRequest,
    ) -> Result<Found, SearchError> {
        let plan =
            Plan::new(compiler, &parsed.root, req.sections).ok_or(QueryError::NothingToSearch)?;
        let ranked = self.rank(searcher, compiler, &plan, req, parsed.has_text())?;
        if ranked.total == 0 && parsed.plain {
            if let Some(root) = relax(&parsed.root) {
                if let Some(plan) = Plan::new(compiler, &root, req.sections) {
                    let ranked = self.rank(searcher, compiler, &plan, req, true)?;
                    let relaxed = ranked.total > 0;
                    return Ok(Found {
                        query: plan.query,
                        ranked,
                        relaxed,
                    });
                }
            }
        }
        Ok(Found {
            query: plan.query,
            ranked,
            relaxed: false,
        })
    }

    /// One pass over the matches: the page, the total, facet and section counts.
    fn rank(
        &self,
        searcher: &Searcher,
        compiler: &Compiler,
        plan: &Plan,
        req: &SearchRequest,
        by_score: bool,
    ) -> Result<Ranked, SearchError> {
        let roots: &[&str] = match compiler.kind {
            Kind::Incident => &["year", "tag"],
            Kind::Action => &["year", "status", "group"],
        };
        let facet_collector = FacetCounter::new(&self.facet_tables, roots);
        let sections = plan
            .notes
            .as_ref()
            .map(|notes| SectionCounter::new(compiler, plan.root, Arc::clone(notes)))
            .transpose()?;
        let query = &*plan.query;
        let top = TopDocs::with_limit(req.limit).and_offset(req.offset);
        let (docs, total, facets, section_counts) = if by_score {
            searcher.search_with_statistics_provider(
                query,
                &(top.order_by_score(), Count, facet_collector, sections),
                &KindStatistics::new(searcher, compiler.fields, compiler.kind)?,
            )?
        } else {
            // Filters only: nothing to rank by, newest incidents first.
            let newest = top.order_by_fast_field::<DateTime>("date", Order::Desc);
            let (docs, total, facets, counts) =
                searcher.search(query, &(newest, Count, facet_collector, sections))?;
            (
                docs.into_iter().map(|(_, a)| (0.0, a)).collect(),
                total,
                facets,
                counts,
            )
        };
        let sections = section_counts.unwrap_or_default();
        Ok(Ranked {
            docs,
            total,
            facets,
            sections,
        })
    }
}

/// A compiled query and what its section counts need.
struct Plan<'n> {
    query: Box<dyn Query>,
    /// The syntax tree compiled (its single words are walked per section).
    root: &'n Node,
    /// Incidents: what its phrase clauses note for the section counts.
    notes: Option<Arc<SectionNotes>>,
}

impl<'n> Plan<'n> {
    /// `None` when nothing in the query is searchable.
    fn new(compiler: &Compiler, root: &'n Node, sections: bool) -> Option<Plan<'n>> {
        let notes = (sections && compiler.kind == Kind::Incident).then(Arc::default);
        let query = compiler.compile(root, notes.as_ref())?;
        Some(Plan { query, root, notes })
    }
}

/// When every word of a plain query was required and nothing matched: accept
/// any of the words (filters still apply).
fn relax(node: &Node) -> Option<Node> {
    let Node::And(items) = node else { return None };
    let (words, rest): (Vec<Node>, Vec<Node>) = items.iter().cloned().partition(|n| {
        matches!(
            n,
            Node::Text {
                scope: Scope::Any,
                ..
            }
        )
    });
    if words.len() < 2 {
        return None;
    }
    let mut items = rest;
    items.push(Node::Or(words));
    Some(Node::And(items))
}

fn facet_lists(counts: &FacetTally, kind: Kind) -> Facets {
    let list = |root: &str, max: usize| -> Vec<FacetCount> {
        let mut v: Vec<FacetCount> = counts
            .get(root)
            .map(|(value, count)| FacetCount {
                value: value.to_string(),
                count,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v.truncate(max);
        v
    };
    let mut years = list("year", usize::MAX);
    years.sort_by(|a, b| b.value.cmp(&a.value));
    match kind {
        Kind::Incident => Facets {
            years,
            tags: list("tag", 30),
            ..Facets::default()
        },
        Kind::Action => Facets {
            years,
            statuses: list("status", usize::MAX),
            groups: list("group", 30),
            ..Facets::default()
        },
    }
}
