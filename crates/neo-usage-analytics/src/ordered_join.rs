//! [`OrderedPageJoin`]: load-all's pages joined into one store while the
//! scan runs, each as soon as every page before it has been ([`PageJoin`]'s
//! rule), so loading holds one store and the few pages that came early.
//!
//! An early page waits as it was read, its bytes and rows (551 kB for one
//! of the bench's 200-row pages: 251 kB of bytes, 300 kB of rows), while
//! few wait. Past [`WAITING_AS_READ`] pages it waits as columns (59 kB for
//! that page) and is copied into the store from them when its turn comes:
//! when one page waits long to retry while the pages after it keep
//! arriving, they pile up at the columns' size, not the bytes'.

use neo_usage::pagination::PageSink;
use neo_usage::{ScanPage, SortedMap};

use crate::page_store::{PageJoin, StorePage};
use crate::store::UsageStore;

/// Early pages held as read; later ones wait as columns.
pub const WAITING_AS_READ: usize = 8;

/// A page waiting for the pages before it.
#[derive(Debug)]
enum WaitingPage {
    /// As it was read.
    Read(StorePage),
    /// Its rows as columns, and the page's `total`.
    Columns(Box<UsageStore>, u64),
}

impl WaitingPage {
    /// `page` to wait as columns.
    fn columns(page: &StorePage) -> Self {
        let mut rows = UsageStore::new();
        for row in page.rows() {
            rows.push_ref(row);
        }
        rows.shrink_to_fit();
        WaitingPage::Columns(Box::new(rows), page.total())
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
///   ids.iter().map(|id| row(id)).collect::<Vec<_>>().join(",")).into_bytes(), 0).unwrap();
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
    waiting: SortedMap<u64, WaitingPage>,
    /// How many of them wait as read.
    waiting_as_read: usize,
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
            self.join_page(&page);
        }
        self.store
    }

    /// Pages waiting as columns (see [`WAITING_AS_READ`]).
    pub fn waiting_as_columns(&self) -> usize {
        self.waiting.len() - self.waiting_as_read
    }

    fn join_page(&mut self, page: &WaitingPage) {
        match page {
            WaitingPage::Read(page) => self.join.append(&mut self.store, page),
            WaitingPage::Columns(rows, total) => {
                self.join.append_columns(&mut self.store, rows, *total)
            }
        }
    }

    /// Holds `page` until the pages before it arrive.
    fn hold(&mut self, offset: u64, page: StorePage) {
        let page = if self.waiting_as_read < WAITING_AS_READ {
            self.waiting_as_read += 1;
            WaitingPage::Read(page)
        } else {
            WaitingPage::columns(&page)
        };
        self.waiting.insert(offset, page);
    }
}

impl PageSink<StorePage> for OrderedPageJoin {
    fn begin(&mut self, start: u64, limit: u32) {
        self.next = start;
        self.limit = u64::from(limit);
    }

    fn put(&mut self, offset: u64, page: StorePage) {
        if offset != self.next {
            self.hold(offset, page);
            return;
        }
        self.join.append(&mut self.store, &page);
        self.next += self.limit;
        while let Some(page) = self.waiting.remove(&self.next) {
            if matches!(page, WaitingPage::Read(_)) {
                self.waiting_as_read -= 1;
            }
            self.join_page(&page);
            self.next += self.limit;
        }
    }
}
