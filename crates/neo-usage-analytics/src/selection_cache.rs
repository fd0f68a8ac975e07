//! [`SelectionCache`]: the last few selections of one store, so a view
//! asked for again (the table and the dashboard of one query, a search
//! erased key by key) costs nothing, and a search typed further tests only
//! the rows the shorter search kept.

use std::collections::VecDeque;
use std::rc::Rc;

use neo_usage::{NeoUsageError, TaskUsageQuery};

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
    entries: VecDeque<(TaskUsageQuery, Rc<Selection>)>,
    capacity: usize,
    budget_rows: usize,
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
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            budget_rows: DEFAULT_BUDGET_ROWS,
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
        let hit = self.entries.iter().position(|(q, _)| *q == key);
        if let Some(entry) = hit.and_then(|at| self.entries.remove(at)) {
            let found = Rc::clone(&entry.1);
            self.entries.push_front(entry);
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
        self.entries.push_front((key, Rc::clone(&selection)));
        self.forget_beyond_budget();
        Ok(selection)
    }

    /// Drops the oldest selections past the capacity or the row budget.
    fn forget_beyond_budget(&mut self) {
        let mut rows = 0;
        let keep = self
            .entries
            .iter()
            .enumerate()
            .take_while(|(at, (_, s))| {
                rows += if *at == 0 { 0 } else { s.len() };
                *at < self.capacity && rows <= self.budget_rows
            })
            .count();
        self.entries.truncate(keep.max(1));
    }

    /// Forgets every selection (for a store that changed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
