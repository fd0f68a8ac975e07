//! Load-all's pages as columns: [`StorePage`] is one task-list page decoded
//! from its bytes straight into a small [`UsageStore`] (no `TaskUsage` per
//! row), and a [`PageJoin`] joins pages into one store as the core's
//! fetch-all joins typed rows: in offset order, the first row of each
//! `task_id`, at most the row cap. [`OrderedPageJoin`] does it while the
//! scan runs, so only pages that arrive ahead of a missing one are held.
//!
//! ```
//! use neo_usage::ScanPage;
//! use neo_usage_analytics::{StorePage, UsageStore};
//! let row = |id: &str| format!(r#"{{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
//!   "status":"completed","step_count":1,"task_id":"{id}","tool_calls":0}}"#);
//! let page = |ids: &[&str]| format!(r#"{{"data":[{}],"has_more":true,"total":3}}"#,
//!   ids.iter().map(|id| row(id)).collect::<Vec<_>>().join(","));
//! let first = StorePage::decode(page(&["a", "b"]).as_bytes(), 0).unwrap();
//! let second = StorePage::decode(page(&["b", "c"]).as_bytes(), 2).unwrap();
//! assert_eq!((first.row_count(), first.total()), (2, 3));
//! let mut store = UsageStore::new();
//! let dropped = store.append_pages(vec![first, second], None);
//! assert_eq!((store.len(), dropped), (3, 1));
//! assert_eq!(store.task_id(2), "c");
//! ```

use chrono::{DateTime, Utc};
use neo_usage::pagination::{PageSink, RowAdmission};
use neo_usage::{NeoUsageError, ScanPage, SortedMap};

use crate::store::UsageStore;

/// One task-list page held as columns.
#[derive(Debug, Clone)]
pub struct StorePage {
    rows: UsageStore,
    has_more: bool,
    total: u64,
}

impl StorePage {
    /// Decodes a page from its bytes ([`UsageStore::append_page_json`]);
    /// `offset` is named in a decode error.
    pub fn decode(body: &[u8], offset: u64) -> Result<Self, NeoUsageError> {
        let mut rows = UsageStore::new();
        let page = rows.append_page_json(body, Some(offset))?;
        rows.shrink_to_fit();
        Ok(StorePage {
            rows,
            has_more: page.has_more,
            total: page.total,
        })
    }

    /// The page's rows.
    pub fn rows(&self) -> &UsageStore {
        &self.rows
    }
}

impl ScanPage for StorePage {
    fn row_count(&self) -> usize {
        self.rows.len()
    }
    fn has_more(&self) -> bool {
        self.has_more
    }
    fn total(&self) -> u64 {
        self.total
    }
    fn task_id(&self, i: usize) -> &str {
        self.rows.task_id(i)
    }
    fn newest_created_at(&self) -> Option<DateTime<Utc>> {
        (0..self.rows.len()).map(|i| self.rows.created_at(i)).max()
    }
}

/// Joins pages into a store one at a time, as fetch-all joins rows: the
/// first row of each `task_id` across the pages, at most a cap of rows.
/// Between two pages the caller may yield to the browser.
#[derive(Debug, Default)]
pub struct PageJoin {
    admission: RowAdmission,
}

impl PageJoin {
    /// A join appending at most `cap` rows (all when `None`).
    pub fn new(cap: Option<u64>) -> Self {
        PageJoin {
            admission: RowAdmission::new(cap),
        }
    }

    /// Appends `page`'s rows to `store`, skipping repeats; the first page
    /// with rows sizes the columns for its `total` ([`UsageStore::reserve`]).
    pub fn append(&mut self, store: &mut UsageStore, page: &StorePage) {
        let first = store.is_empty();
        for i in 0..page.rows.len() {
            if self.admission.admit(page.rows.task_id(i)) {
                store.push_ref(&page.rows.row_ref(i));
            }
        }
        if first && !store.is_empty() {
            let cap = self.admission.cap().unwrap_or(usize::MAX);
            let total = usize::try_from(page.total).unwrap_or(usize::MAX).min(cap);
            store.reserve(total.saturating_sub(store.len()));
        }
    }

    /// Rows dropped so far because an earlier page had their `task_id`.
    pub fn dropped(&self) -> u64 {
        self.admission.dropped()
    }
}

impl UsageStore {
    /// Appends the rows of `pages` in their order with a [`PageJoin`]: the
    /// first row of each `task_id`, at most `cap` rows. Returns the number
    /// of rows dropped as repeats.
    pub fn append_pages(
        &mut self,
        pages: impl IntoIterator<Item = StorePage>,
        cap: Option<u64>,
    ) -> u64 {
        let mut join = PageJoin::new(cap);
        for page in pages {
            join.append(self, &page);
        }
        join.dropped()
    }
}

/// A [`PageJoin`] fed by a running scan ([`PageSink`]): each page is joined
/// as soon as every page before it has been, and held only until then, so
/// loading holds one store and the few pages that came early, not every
/// page until the scan ends.
///
/// ```
/// use neo_usage::pagination::PageSink;
/// use neo_usage_analytics::{OrderedPageJoin, StorePage};
/// let row = |id: &str| format!(r#"{{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
///   "status":"completed","step_count":1,"task_id":"{id}","tool_calls":0}}"#);
/// let page = |ids: &[&str]| StorePage::decode(format!(r#"{{"data":[{}],"has_more":true,"total":4}}"#,
///   ids.iter().map(|id| row(id)).collect::<Vec<_>>().join(",")).as_bytes(), 0).unwrap();
/// let mut join = OrderedPageJoin::new(None);
/// join.begin(0, 2);
/// join.put(2, page(&["c", "d"])); // early: held
/// assert_eq!((join.joined_rows(), join.waiting_pages()), (0, 1));
/// join.put(0, page(&["a", "b"])); // both join, in offset order
/// let store = join.finish();
/// assert_eq!((store.len(), store.task_id(0), store.task_id(3)), (4, "a", "d"));
/// ```
#[derive(Debug, Default)]
pub struct OrderedPageJoin {
    store: UsageStore,
    join: PageJoin,
    /// The offset of the next page to join, and the page size.
    next: u64,
    limit: u64,
    /// Pages that arrived ahead of `next`, by offset.
    waiting: SortedMap<u64, StorePage>,
}

impl OrderedPageJoin {
    /// A join into an empty store, of at most `cap` rows (all when `None`).
    pub fn new(cap: Option<u64>) -> Self {
        OrderedPageJoin {
            join: PageJoin::new(cap),
            ..OrderedPageJoin::default()
        }
    }

    /// Rows in the store so far.
    pub fn joined_rows(&self) -> usize {
        self.store.len()
    }

    /// Pages held because one before them has not arrived.
    pub fn waiting_pages(&self) -> usize {
        self.waiting.len()
    }

    /// The store, with the pages still waiting joined in offset order after
    /// the others (a stopped scan's pages past a missing one: fetch-all
    /// keeps those rows too).
    pub fn finish(mut self) -> UsageStore {
        for page in std::mem::take(&mut self.waiting).into_values() {
            self.join.append(&mut self.store, &page);
        }
        self.store
    }
}

impl PageSink<StorePage> for OrderedPageJoin {
    fn begin(&mut self, start: u64, limit: u32) {
        self.next = start;
        self.limit = u64::from(limit);
    }

    fn put(&mut self, offset: u64, page: StorePage) {
        self.waiting.insert(offset, page);
        while let Some(page) = self.waiting.remove(&self.next) {
            self.join.append(&mut self.store, &page);
            self.next += self.limit;
        }
    }
}
