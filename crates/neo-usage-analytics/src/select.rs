//! Selection: the rows a [`TaskUsageQuery`]'s filters keep, in the API's
//! order, with the reference server's semantics (its `RowFilter`): `task_id`,
//! `model` and `email` exact (trimmed), `status` equal, `from` inclusive,
//! `to` exclusive, `search` a case-insensitive substring of `task_id` or
//! `email`, `is_byok` with a missing value counting as `false`. `offset` and
//! `limit` are ignored: a [`Selection`] is every match; [`Selection::page`]
//! cuts a page from it.

use chrono::{DateTime, Utc};
use neo_usage::query::{parse_instant, search_matches};
use neo_usage::{NeoUsageError, TaskUsageQuery};

use crate::intern::Sym;
use crate::store::{is_whole_ms, UsageStore, NO_EMAIL};
use crate::task_ids::{needle_pairs, NeedlePairs};

/// Row indices into a [`UsageStore`], in a defined order (the API's, unless
/// re-sorted with [`Selection::sort_by`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    rows: Vec<u32>,
}

impl Selection {
    /// A selection of the given row indices, in that order.
    pub fn from_indices(rows: Vec<u32>) -> Self {
        Selection { rows }
    }

    /// Every row of `store`, in the API's order.
    pub fn all(store: &UsageStore) -> Self {
        Selection {
            rows: store.api_order().into_owned(),
        }
    }

    /// The row indices.
    pub fn indices(&self) -> &[u32] {
        &self.rows
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row is selected.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Iterates the row indices as `usize`.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.rows.iter().map(|&i| i as usize)
    }

    /// The page at `offset` of at most `limit` rows, as the API pages.
    pub fn page(&self, offset: usize, limit: usize) -> &[u32] {
        let start = offset.min(self.rows.len());
        let end = start.saturating_add(limit).min(self.rows.len());
        &self.rows[start..end]
    }

    /// The row indices, mutably (for the sort in [`crate::sort`]).
    pub(crate) fn rows_mut(&mut self) -> &mut Vec<u32> {
        &mut self.rows
    }
}

/// The query's filters resolved against a store's interned names: names the
/// store has never seen match nothing without comparing a string.
struct Filter {
    task_id: Option<String>,
    status: Option<Option<Sym>>,
    model: Option<Option<Sym>>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    email: Option<Option<Sym>>,
    is_byok: Option<bool>,
    search: Option<SearchFilter>,
}

/// The `search` filter, resolved against a store.
struct SearchFilter {
    /// Trimmed and lower-cased.
    needle: String,
    /// Per email id: whether the needle matches it.
    emails: Vec<bool>,
    /// The pairs of bytes a task id needs to hold the needle.
    pairs: NeedlePairs,
}

impl SearchFilter {
    fn new(store: &UsageStore, needle: String) -> Self {
        SearchFilter {
            emails: store
                .emails()
                .names()
                .map(|e| search_matches(e, &needle))
                .collect(),
            pairs: needle_pairs(&needle),
            needle,
        }
    }

    /// Whether row `i`'s email or task id holds the needle. The email's
    /// answer is one lookup, known per email id: a search most emails match
    /// ("a" of "acme") reads no task id; and a task id is read only when
    /// its pair mask says it may hold the needle.
    #[inline]
    fn matches(&self, store: &UsageStore, i: usize) -> bool {
        let email = store.email[i];
        (email != NO_EMAIL && self.emails[email as usize])
            || (store.task_id_may_hold(i, self.pairs)
                && search_matches(store.task_id(i), &self.needle))
    }
}

impl Filter {
    fn new(store: &UsageStore, query: &TaskUsageQuery) -> Self {
        let search = query.search.as_deref().map(|s| s.trim().to_lowercase());
        Filter {
            task_id: query.task_id.as_deref().map(|t| t.trim().to_owned()),
            status: query
                .status
                .as_ref()
                .map(|s| store.statuses().lookup(s.as_str())),
            model: query
                .model
                .as_deref()
                .map(|m| store.models().lookup(m.trim())),
            from: query.from.as_deref().and_then(parse_instant),
            to: query.to.as_deref().and_then(parse_instant),
            email: query
                .email
                .as_deref()
                .map(|e| store.emails().lookup(e.trim())),
            is_byok: query.is_byok,
            search: search.map(|needle| SearchFilter::new(store, needle)),
        }
    }

    /// Whether every row of the time window passes: no filter but `from`
    /// and `to` on whole milliseconds, which the window's bounds already
    /// apply (no exact instant to compare on a tie).
    fn keeps_window(&self) -> bool {
        self.task_id.is_none()
            && self.status.is_none()
            && self.model.is_none()
            && self.email.is_none()
            && self.is_byok.is_none()
            && self.search.is_none()
            && self.from.is_none_or(|t| is_whole_ms(&t))
            && self.to.is_none_or(|t| is_whole_ms(&t))
    }

    /// Whether row `i` passes; the cheap integer tests come first.
    #[inline]
    fn matches(&self, store: &UsageStore, i: usize) -> bool {
        self.status.is_none_or(|s| Some(store.status[i]) == s)
            && self.model.is_none_or(|m| Some(store.model[i]) == m)
            && self
                .email
                .is_none_or(|e| store.email[i] != NO_EMAIL && Some(store.email[i]) == e)
            && self.is_byok.is_none_or(|b| store.is_byok(i) == b)
            && self.in_range(store, i)
            && self
                .task_id
                .as_deref()
                .is_none_or(|id| store.task_id(i) == id)
            && self.search.as_ref().is_none_or(|s| s.matches(store, i))
    }

    /// `from <= created_at < to`, on milliseconds first and on the exact
    /// instant only when the milliseconds tie.
    #[inline]
    fn in_range(&self, store: &UsageStore, i: usize) -> bool {
        let ms = store.created_ms[i];
        let after_from = self.from.is_none_or(|from| {
            let f = from.timestamp_millis();
            ms > f || (ms == f && store.created_at(i) >= from)
        });
        after_from
            && self.to.is_none_or(|to| {
                let t = to.timestamp_millis();
                ms < t || (ms == t && store.created_at(i) < to)
            })
    }
}

/// The rows of `store` that `query`'s filters keep, in the API's order
/// (`created_at` desc, then `task_id` desc). A query the API would refuse
/// (blank text filters, `from` after `to`, …) is the same error here.
///
/// ```
/// use neo_usage::{TaskStatus, TaskUsage, TaskUsageQuery};
/// use neo_usage_analytics::{select, UsageStore};
/// let at = |t: &str| t.parse().unwrap();
/// let mut store = UsageStore::new();
/// store.push(&TaskUsage::new("b", at("2026-11-02T00:00:00Z"), "o3", TaskStatus::Error));
/// store.push(&TaskUsage::new("a", at("2026-11-01T00:00:00Z"), "o3", TaskStatus::Completed));
/// let errors = select(&store, &TaskUsageQuery::new().status(TaskStatus::Error))?;
/// assert_eq!(errors.indices(), [0]);
/// let since = select(&store, &TaskUsageQuery::new().from("2026-11-01T00:00:00Z"))?;
/// assert_eq!(since.indices(), [0, 1]);
/// # Ok::<(), neo_usage::NeoUsageError>(())
/// ```
pub fn select(store: &UsageStore, query: &TaskUsageQuery) -> Result<Selection, NeoUsageError> {
    query.validate()?;
    let filter = Filter::new(store, query);
    let rows = if store.is_in_api_order() {
        let (lo, hi) = filter.time_window(|k| store.created_ms(k), store.len());
        kept(lo as u32..hi as u32, store, &filter)
    } else {
        let order = store.api_order();
        let (lo, hi) = filter.time_window(|k| store.created_ms(order[k] as usize), order.len());
        kept(order[lo..hi].iter().copied(), store, &filter)
    };
    Ok(Selection { rows })
}

/// The rows of `within` that `query`'s filters keep, in `within`'s order:
/// [`select`] over a subset, for a query known to keep no row outside it
/// (see [`narrows`]). Only `within`'s rows are tested.
///
/// ```
/// use neo_usage::{TaskStatus, TaskUsage, TaskUsageQuery};
/// use neo_usage_analytics::{select, select_within, UsageStore};
/// let at = |t: &str| t.parse().unwrap();
/// let mut store = UsageStore::new();
/// store.push(&TaskUsage::new("ab-1", at("2026-11-02T00:00:00Z"), "o3", TaskStatus::Error));
/// store.push(&TaskUsage::new("ac-2", at("2026-11-01T00:00:00Z"), "o3", TaskStatus::Completed));
/// let a = select(&store, &TaskUsageQuery::new().search("a"))?;
/// let ab = select_within(&store, &TaskUsageQuery::new().search("ab"), &a)?;
/// assert_eq!(ab, select(&store, &TaskUsageQuery::new().search("ab"))?);
/// # Ok::<(), neo_usage::NeoUsageError>(())
/// ```
pub fn select_within(
    store: &UsageStore,
    query: &TaskUsageQuery,
    within: &Selection,
) -> Result<Selection, NeoUsageError> {
    query.validate()?;
    let filter = Filter::new(store, query);
    let rows = within
        .indices()
        .iter()
        .copied()
        .filter(|&i| filter.matches(store, i as usize))
        .collect();
    Ok(Selection { rows })
}

/// Whether every row `next` keeps is one `previous` keeps, judged from the
/// queries alone: the same filters but for `search`, where `next`'s
/// contains `previous`'s (a search typed further) or `previous` has none.
/// `offset` and `limit` do not count.
///
/// ```
/// use neo_usage::TaskUsageQuery;
/// use neo_usage_analytics::select::narrows;
/// let q = TaskUsageQuery::new().model("o3");
/// assert!(narrows(&q.clone().search("ab"), &q.clone().search("xAbc")));
/// assert!(narrows(&q, &q.clone().search("ab")));
/// assert!(!narrows(&q.clone().search("abc"), &q.clone().search("ab")));
/// assert!(!narrows(&q, &TaskUsageQuery::new().search("ab")));
/// ```
pub fn narrows(previous: &TaskUsageQuery, next: &TaskUsageQuery) -> bool {
    let rest = |q: &TaskUsageQuery| TaskUsageQuery {
        search: None,
        offset: None,
        limit: None,
        ..q.clone()
    };
    let needle = |q: &TaskUsageQuery| q.search.as_deref().map(|s| s.trim().to_lowercase());
    rest(previous) == rest(next)
        && match (needle(previous), needle(next)) {
            (None, _) => true,
            (Some(before), Some(now)) => now.contains(&before),
            (Some(_), None) => false,
        }
}

/// The rows of a time window that `filter` keeps: every one without a test
/// when it keeps the whole window, else into room for all of them (no
/// regrowth as the list fills).
fn kept(
    window: impl ExactSizeIterator<Item = u32>,
    store: &UsageStore,
    filter: &Filter,
) -> Vec<u32> {
    if filter.keeps_window() {
        return window.collect();
    }
    let mut rows = Vec::with_capacity(window.len());
    rows.extend(window.filter(|&i| filter.matches(store, i as usize)));
    rows
}

impl Filter {
    /// The positions `[lo, hi)` of a newest-first list (`ms_at(k)` is the
    /// milliseconds of position `k`) that can be within `from`/`to`: found
    /// by binary search, so a narrow range scans only its rows. Rows on the
    /// boundary milliseconds are kept for the exact test, but for a `to` on
    /// a whole millisecond, which they cannot be before.
    fn time_window(&self, ms_at: impl Fn(usize) -> i64, len: usize) -> (usize, usize) {
        let lo = self.to.map_or(0, |to| {
            let limit = to.timestamp_millis();
            if is_whole_ms(&to) {
                partition(len, |k| ms_at(k) >= limit)
            } else {
                partition(len, |k| ms_at(k) > limit)
            }
        });
        let hi = self.from.map_or(len, |from| {
            partition(len, |k| ms_at(k) >= from.timestamp_millis())
        });
        (lo, hi.max(lo))
    }
}

/// The first position in `0..len` where `before` turns false (it must be
/// true, then false).
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The same query with `from`/`to` replaced by `[from_ms, to_ms)`: the
/// previous period of a range, or the range of a clicked bucket.
pub fn with_range(query: &TaskUsageQuery, from_ms: i64, to_ms: i64) -> TaskUsageQuery {
    let instant = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
    query
        .clone()
        .from_time(instant(from_ms))
        .to_time(instant(to_ms))
}
