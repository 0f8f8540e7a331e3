//! What pages share between viewers, kept between requests: rendered
//! post-mortem bodies (exact: keyed by the content's hash), incident pages'
//! data and the dashboard's numbers (both dropped by every write through the
//! app, and after a few seconds for writes made by other processes, such as
//! the CLI: the dashboard is then refreshed in the background).
//! Per-viewer parts (CSRF token, signed-in state, write access) are never
//! cached. Both caches are bounded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::incident::IncidentData;

/// Rendered bodies kept, in bytes of HTML (a few hundred typical pages).
const BODIES_MAX_BYTES: usize = 16 * 1024 * 1024;
/// Incident pages' data kept, in (estimated) bytes.
const INCIDENTS_MAX_BYTES: usize = 32 * 1024 * 1024;
/// How long an incident page's data is reused when nothing in this process
/// wrote: the staleness bound for writes by other processes.
pub const INCIDENT_TTL: Duration = Duration::from_secs(5);
/// How long the dashboard's numbers are reused before a background refresh when
/// nothing in this process wrote: about the staleness for writes by other
/// processes (the CLI)…
pub const DASHBOARD_TTL: Duration = Duration::from_secs(5);
/// …or this many times what computing them took, so that refreshing costs at
/// most a twentieth of one core on a large knowledge base.
const REFRESH_FACTOR: u32 = 20;

/// The dashboard's data as found in the cache.
pub enum Lookup<T> {
    Fresh(Arc<T>),
    /// Still right for this process's writes and today, but old: show it and refresh.
    Stale(Arc<T>),
    Missing,
}

#[derive(Debug, Default)]
pub struct PageCache {
    /// slug → (content hash, sanitized HTML).
    bodies: Mutex<Bounded<String, (String, Arc<str>)>>,
    /// Bumped by every write through the app: drops the dashboard's numbers.
    generation: AtomicU64,
    dashboard: Mutex<Option<Cached>>,
    /// Incident pages' data by (slug, chronological order).
    incidents: Mutex<Bounded<IncidentKey, IncidentEntry>>,
    /// Held while the dashboard's data is computed: one computation at a time,
    /// not one per waiting request.
    pub refresh: Arc<tokio::sync::Mutex<()>>,
}

/// A map bounded by the (estimated) bytes of its values: when an insert would
/// go over `max`, it starts again empty — simple and bounded, no recency kept.
struct Bounded<K, V> {
    /// key → (weight, value).
    map: HashMap<K, (usize, V)>,
    bytes: usize,
}

impl<K, V> Default for Bounded<K, V> {
    fn default() -> Self {
        Bounded {
            map: HashMap::new(),
            bytes: 0,
        }
    }
}

impl<K, V> std::fmt::Debug for Bounded<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} entries, {} bytes", self.map.len(), self.bytes)
    }
}

impl<K: std::hash::Hash + Eq, V> Bounded<K, V> {
    fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.map.get(key).map(|(_, v)| v)
    }

    fn insert(&mut self, key: K, value: V, weight: usize, max: usize) {
        if self.bytes + weight > max {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += weight;
        if let Some((old, _)) = self.map.insert(key, (weight, value)) {
            self.bytes -= old;
        }
    }
}

/// (slug, chronological order).
pub type IncidentKey = (String, bool);

struct IncidentEntry {
    generation: u64,
    today: NaiveDate,
    at: Instant,
    value: Arc<IncidentData>,
}

/// The dashboard's data for one (generation, day), and when it was computed.
#[derive(Debug)]
struct Cached {
    generation: u64,
    today: NaiveDate,
    at: Instant,
    /// Reused this long before a refresh.
    ttl: Duration,
    value: Arc<dyn std::any::Any + Send + Sync>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl PageCache {
    /// The rendered body of `slug` at `hash`, rendering it with `render` when
    /// not kept (outside the lock: two first requests may both render).
    pub fn body(&self, slug: &str, hash: &str, render: impl FnOnce() -> String) -> Arc<str> {
        if let Some((h, html)) = lock(&self.bodies).get(slug) {
            if h == hash {
                return Arc::clone(html);
            }
        }
        let html: Arc<str> = render().into();
        lock(&self.bodies).insert(
            slug.to_string(),
            (hash.to_string(), Arc::clone(&html)),
            html.len(),
            BODIES_MAX_BYTES,
        );
        html
    }

    /// An incident page's data, when no write went through the app since it
    /// was computed, on the same day, less than [`INCIDENT_TTL`] ago.
    pub fn incident(&self, key: &IncidentKey, today: NaiveDate) -> Option<Arc<IncidentData>> {
        let generation = self.generation.load(Ordering::SeqCst);
        let cached = lock(&self.incidents);
        let e = cached.get(key)?;
        let fresh = e.generation == generation && e.today == today && e.at.elapsed() < INCIDENT_TTL;
        fresh.then(|| Arc::clone(&e.value))
    }

    /// Keep an incident page's data, computed from the store at `generation`.
    pub fn put_incident(
        &self,
        key: IncidentKey,
        generation: u64,
        today: NaiveDate,
        value: Arc<IncidentData>,
    ) {
        let weight = value.weight();
        let entry = IncidentEntry {
            generation,
            today,
            at: Instant::now(),
            value,
        };
        lock(&self.incidents).insert(key, entry, weight, INCIDENTS_MAX_BYTES);
    }

    /// A write went through the app: what depends on the store is out of date.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The dashboard's data for `today`; when missing, the caller computes it
    /// and hands it to [`put_dashboard`](Self::put_dashboard).
    pub fn dashboard<T: Send + Sync + 'static>(&self, today: NaiveDate) -> Lookup<T> {
        let generation = self.generation.load(Ordering::SeqCst);
        let cached = lock(&self.dashboard);
        let Some(c) = cached.as_ref() else {
            return Lookup::Missing;
        };
        if c.generation != generation || c.today != today {
            return Lookup::Missing;
        }
        match Arc::clone(&c.value).downcast::<T>() {
            Ok(v) if c.at.elapsed() < c.ttl => Lookup::Fresh(v),
            Ok(v) => Lookup::Stale(v),
            Err(_) => Lookup::Missing,
        }
    }

    /// The generation to hand to [`put_dashboard`](Self::put_dashboard):
    /// read before computing, so a write during the computation is not hidden.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn put_dashboard<T: Send + Sync + 'static>(
        &self,
        generation: u64,
        today: NaiveDate,
        value: Arc<T>,
        took: Duration,
    ) {
        *lock(&self.dashboard) = Some(Cached {
            generation,
            today,
            at: Instant::now(),
            ttl: DASHBOARD_TTL.max(took * REFRESH_FACTOR),
            value,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_rendered_once_per_content_hash() {
        let cache = PageCache::default();
        let mut renders = 0;
        for hash in ["h1", "h1", "h2", "h2"] {
            cache.body("a", hash, || {
                renders += 1;
                format!("<p>{hash}</p>")
            });
        }
        assert_eq!(renders, 2);
        assert_eq!(&*cache.body("a", "h2", || unreachable!()), "<p>h2</p>");
        assert_eq!(lock(&cache.bodies).bytes, "<p>h2</p>".len());
    }

    #[test]
    fn bodies_stay_within_their_budget() {
        let cache = PageCache::default();
        let big = "x".repeat(BODIES_MAX_BYTES / 3);
        for slug in ["a", "b", "c", "d", "e"] {
            cache.body(slug, "h", || big.clone());
        }
        assert!(lock(&cache.bodies).bytes <= BODIES_MAX_BYTES);
    }

    #[test]
    fn the_dashboard_is_dropped_by_a_write_and_by_a_new_day() {
        let cache = PageCache::default();
        let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default();
        let fresh = |c: &PageCache, d| match c.dashboard::<u32>(d) {
            Lookup::Fresh(v) => Some(*v),
            _ => None,
        };
        let missing = |c: &PageCache, d| matches!(c.dashboard::<u32>(d), Lookup::Missing);
        assert!(missing(&cache, day));
        cache.put_dashboard(cache.generation(), day, Arc::new(7u32), Duration::ZERO);
        assert_eq!(fresh(&cache, day), Some(7));
        assert!(missing(&cache, day.succ_opt().unwrap_or_default()));
        // Computed before a write landed: not reused after it.
        let before = cache.generation();
        cache.invalidate();
        cache.put_dashboard(before, day, Arc::new(8u32), Duration::ZERO);
        assert!(missing(&cache, day));
    }

    #[test]
    fn old_dashboard_numbers_are_shown_while_refreshed() {
        let cache = PageCache::default();
        let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default();
        cache.put_dashboard(cache.generation(), day, Arc::new(7u32), Duration::ZERO);
        if let Some(c) = lock(&cache.dashboard).as_mut() {
            c.at -= DASHBOARD_TTL;
        }
        assert!(matches!(cache.dashboard::<u32>(day), Lookup::Stale(v) if *v == 7));
        // A slow computation is refreshed less often.
        cache.put_dashboard(
            cache.generation(),
            day,
            Arc::new(9u32),
            Duration::from_secs(1),
        );
        if let Some(c) = lock(&cache.dashboard).as_mut() {
            c.at -= DASHBOARD_TTL;
        }
        assert!(matches!(cache.dashboard::<u32>(day), Lookup::Fresh(_)));
    }
}
