//! [`SelectionCache`]: the last few selections of one store, so a view
//! asked for again (the table and the dashboard of one query, a search
//! erased key by key) costs nothing, and a search typed further tests only
//! the rows the shorter search kept.

use std::rc::Rc;

use neo_usage::{NeoUsageError, TaskUsageQuery};

use crate::recent::RecentValues;
use crate::select::{narrows, select, select_within, Selection};
use crate::store::UsageStore;

/// Selections remembered by default: a search typed and erased over a few
/// dozen keys.
pub const DEFAULT_CAPACITY: usize = 64;
/// Row indices the remembered selections may hold in all, besides the
/// newest (4 bytes each: 4 MB).
pub const DEFAULT_BUDGET_ROWS: usize = 1_000_000;

/// The last selections made over one [`UsageStore`], newest first. It must
/// be dropped or [cleared](SelectionCache::clear) when the store changes.
///
/// ```
/// use neo_usage::TaskUsageQuery;
/// use neo_usage_analytics::{select, SelectionCache, UsageStore};
/// use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};
/// let store = UsageStore::from_rows(generate(DatasetSpec::new(7, 500, reference_now())));
/// let mut cache = SelectionCache::default();
/// for search in ["a", "a1", "a1b", "a1", "a"] {
///     let query = TaskUsageQuery::new().search(search);
///     assert_eq!(*cache.select(&store, &query)?, select(&store, &query)?);
/// }
/// # Ok::<(), neo_usage::NeoUsageError>(())
/// ```
#[derive(Debug)]
pub struct SelectionCache {
    entries: RecentValues<TaskUsageQuery, Rc<Selection>>,
}

impl Default for SelectionCache {
    fn default() -> Self {
        SelectionCache::with_capacity(DEFAULT_CAPACITY)
    }
}

impl SelectionCache {
    /// A cache remembering at most `capacity` selections (at least one),
    /// of [`DEFAULT_BUDGET_ROWS`] rows in all besides the newest.
    pub fn with_capacity(capacity: usize) -> Self {
        SelectionCache {
            entries: RecentValues::new(capacity, DEFAULT_BUDGET_ROWS, |s| s.len()),
        }
    }

    /// The rows `query` keeps, as [`select`] gives them: remembered when the
    /// same filters were asked before, else tested within the smallest
    /// remembered selection `query` [narrows], else selected afresh.
    pub fn select(
        &mut self,
        store: &UsageStore,
        query: &TaskUsageQuery,
    ) -> Result<Rc<Selection>, NeoUsageError> {
        let key = TaskUsageQuery {
            offset: None,
            limit: None,
            ..query.clone()
        };
        if let Some(found) = self.entries.get(&key) {
            return Ok(found);
        }
        let within = self
            .entries
            .iter()
            .filter(|(q, _)| narrows(q, &key))
            .min_by_key(|(_, s)| s.len());
        let selection = Rc::new(match within {
            Some((_, rows)) => select_within(store, &key, rows)?,
            None => select(store, &key)?,
        });
        self.entries.insert(key, Rc::clone(&selection));
        Ok(selection)
    }

    /// Forgets every selection (for a store that changed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
