//! Load-all's pages: [`StorePage`] is one task-list page read on arrival,
//! its rows held with text borrowed from its own bytes (no `TaskUsage` per
//! row), and a [`PageJoin`] appends pages' rows to one store as the core's
//! fetch-all joins typed rows: in offset order, the first row of each
//! `task_id`, at most the row cap. [`OrderedPageJoin`](crate::OrderedPageJoin)
//! does it while the scan runs (`ordered_join.rs`).
//!
//! Each row is read once and stored once. Until 2026-12-03 a page was read
//! into a small store of its own and each row copied again from there,
//! which took load-all 1.6 times as long (docs/performance.md).
//!
//! ```
//! use neo_usage::ScanPage;
//! use neo_usage_analytics::{StorePage, UsageStore};
//! let row = |id: &str| format!(r#"{{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
//!   "status":"completed","step_count":1,"task_id":"{id}","tool_calls":0}}"#);
//! let page = |ids: &[&str]| format!(r#"{{"data":[{}],"has_more":true,"total":3}}"#,
//!   ids.iter().map(|id| row(id)).collect::<Vec<_>>().join(","));
//! let first = StorePage::decode(page(&["a", "b"]).into_bytes(), 0).unwrap();
//! let second = StorePage::decode(page(&["b", "c"]).into_bytes(), 2).unwrap();
//! assert_eq!((first.row_count(), first.total()), (2, 3));
//! let mut store = UsageStore::new();
//! let dropped = store.append_pages(vec![first, second], None);
//! assert_eq!((store.len(), dropped), (3, 1));
//! assert_eq!(store.task_id(2), "c");
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use neo_usage::borrowed::decode_page_ref;
use neo_usage::{NeoUsageError, ScanPage, TaskUsagePageRef, TaskUsageRef};
use yoke::{Yoke, Yokeable};

use crate::store::UsageStore;
use crate::store_admission::StoreAdmission;

/// A page's rows as read, their text borrowed from the page's bytes.
#[derive(Yokeable)]
struct PageRows<'a>(TaskUsagePageRef<'a>);

/// One task-list page, read: its bytes and its rows borrowing from them.
/// Reading checks the whole page, so a page that arrives is known good (or
/// its error is known) before any of its rows is stored.
pub struct StorePage {
    page: Yoke<PageRows<'static>, Box<[u8]>>,
}

impl StorePage {
    /// Reads a page from its bytes (the reader of
    /// [`UsageStore::append_page_json`], which it gives the error of, with
    /// the JSON path and `offset`). The page keeps the bytes its rows
    /// borrow from: taken, not copied, when `body` has no spare capacity
    /// (as a response body read by the client has none).
    pub fn decode(body: Vec<u8>, offset: u64) -> Result<Self, NeoUsageError> {
        let page = Yoke::try_attach_to_cart(body.into_boxed_slice(), |bytes: &[u8]| {
            decode_page_ref(bytes, Some(offset)).map(PageRows)
        })?;
        Ok(StorePage { page })
    }

    /// The page's rows, in its order.
    pub fn rows(&self) -> &[TaskUsageRef<'_>] {
        &self.page.get().0.data
    }
}

impl fmt::Debug for StorePage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StorePage")
            .field("rows", &self.row_count())
            .field("has_more", &self.has_more())
            .field("total", &self.total())
            .finish()
    }
}

impl ScanPage for StorePage {
    fn row_count(&self) -> usize {
        self.rows().len()
    }
    fn has_more(&self) -> bool {
        self.page.get().0.has_more
    }
    fn total(&self) -> u64 {
        self.page.get().0.total
    }
    fn task_id(&self, i: usize) -> &str {
        &self.rows()[i].task_id
    }
    fn newest_created_at(&self) -> Option<DateTime<Utc>> {
        self.rows().iter().map(|r| r.created_at).max()
    }
}

/// Joins pages into a store one at a time, as fetch-all joins rows: the
/// first row of each `task_id` across the pages, at most a cap of rows
/// ([`StoreAdmission`]). Each call is about the same store. Between two
/// pages the caller may yield to the browser.
#[derive(Debug, Default)]
pub struct PageJoin {
    admission: StoreAdmission,
}

impl PageJoin {
    /// A join appending at most `cap` rows (all when `None`).
    pub fn new(cap: Option<u64>) -> Self {
        PageJoin {
            admission: StoreAdmission::new(cap),
        }
    }

    /// Appends `page`'s rows to `store`, skipping repeats; the first page
    /// with rows sizes the columns, and the ids seen, for its `total`
    /// ([`UsageStore::reserve`], [`StoreAdmission::reserve`]).
    pub fn append(&mut self, store: &mut UsageStore, page: &StorePage) {
        let first = store.is_empty();
        for row in page.rows() {
            self.append_row(store, row);
        }
        self.size_after_first_page(first, store, page.total());
    }

    /// [`PageJoin::append`] for a page held as columns (`rows`, of a page
    /// whose `total` is given).
    pub(crate) fn append_columns(&mut self, store: &mut UsageStore, rows: &UsageStore, total: u64) {
        let first = store.is_empty();
        for i in 0..rows.len() {
            self.append_row(store, &rows.row_ref(i));
        }
        self.size_after_first_page(first, store, total);
    }

    /// Appends `row` unless an earlier row had its id or the cap is met.
    fn append_row(&mut self, store: &mut UsageStore, row: &TaskUsageRef<'_>) {
        if self.admission.admit(store, &row.task_id) {
            store.push_ref(row);
        }
    }

    /// After the first page that added rows (`first`: the store was empty
    /// before it), sizes the columns and the ids seen for the scan's
    /// `total` (at most the cap), so both grow once.
    fn size_after_first_page(&mut self, first: bool, store: &mut UsageStore, total: u64) {
        if first && !store.is_empty() {
            let cap = self.admission.cap().unwrap_or(usize::MAX);
            let total = usize::try_from(total).unwrap_or(usize::MAX).min(cap);
            store.reserve(total.saturating_sub(store.len()));
            self.admission.reserve(store, total);
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

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3","status":"completed","step_count":1,"task_id":"ID","tool_calls":0}"#;

    fn page(rows: &[String]) -> Vec<u8> {
        format!(
            r#"{{"data":[{}],"has_more":false,"total":{}}}"#,
            rows.join(","),
            rows.len()
        )
        .into_bytes()
    }

    /// A page the fast reader gives up on (an escaped key) is read by the
    /// model's reader: its rows own their text, and join as any page's.
    #[test]
    fn a_page_read_by_the_model_reader_joins_the_same() {
        let plain = page(&[ROW.replace("ID", "a"), ROW.replace("ID", "b")]);
        let escaped = page(&[
            ROW.replace("ID", "a"),
            ROW.replace("ID", "b")
                .replace("\"model\"", "\"mod\\u0065l\""),
        ]);
        let mut stores = [&plain, &escaped].map(|body| {
            let mut store = UsageStore::new();
            store.append_pages([StorePage::decode(body.clone(), 0).unwrap()], None);
            store
        });
        let [a, b] = &mut stores;
        assert_eq!(b.len(), 2);
        assert_eq!(
            (0..2).map(|i| b.row(i)).collect::<Vec<_>>(),
            (0..2).map(|i| a.row(i)).collect::<Vec<_>>()
        );
    }

    /// A page that does not read is its error, naming the page's offset,
    /// and never a page: none of its rows can reach the store.
    #[test]
    fn a_page_that_does_not_read_names_its_offset() {
        let bad = page(&[
            ROW.replace("ID", "a"),
            ROW.replace("\"step_count\":1", "\"step_count\":-1"),
        ]);
        let error = StorePage::decode(bad, 400).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("offset 400"), "{text}");
        assert!(text.contains("data[1].step_count"), "{text}");
    }
}
