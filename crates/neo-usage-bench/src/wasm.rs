//! The benchmark page's entry points (wasm-bindgen). Each does one piece of
//! work the viewer does, so JavaScript can time it beside its peer.

use neo_usage::decode::{decode_json, decode_rows};
use neo_usage::pagination::PageSink;
use neo_usage::TaskUsagePage;
use neo_usage_analytics::{OrderedPageJoin, StorePage, UsageStore};
use wasm_bindgen::prelude::*;

use crate::{dashboard_of_all, fingerprint};

/// Decodes a task page (or an array of rows) from its bytes into typed rows,
/// as the client does with a response body; returns the row count.
#[wasm_bindgen(js_name = decodeRows)]
pub fn decode_rows_count(body: &[u8]) -> Result<u32, String> {
    let rows = decode_rows(body).map_err(|e| e.to_string())?;
    Ok(rows.len() as u32)
}

/// The viewer's held rows: a column store filled page by page.
#[wasm_bindgen]
pub struct BenchStore {
    store: UsageStore,
}

#[wasm_bindgen]
impl BenchStore {
    /// An empty store.
    #[wasm_bindgen(constructor)]
    pub fn new() -> BenchStore {
        BenchStore {
            store: UsageStore::new(),
        }
    }

    /// Load-all's path for one task page: its bytes decoded straight
    /// into the columns, text borrowed from the bytes and interned (no
    /// `TaskUsage` per row). After the first page the store reserves room
    /// for the page's `total`, as load-all knows it then, so the columns
    /// grow once. Returns the rows held.
    #[wasm_bindgen(js_name = appendPage)]
    pub fn append_page(&mut self, body: &[u8]) -> Result<u32, String> {
        let first = self.store.is_empty();
        let page = self
            .store
            .append_page_json(body, None)
            .map_err(|e| e.to_string())?;
        self.reserve_after_first(first, page.total);
        Ok(self.store.len() as u32)
    }

    /// The path before it, for comparison in the same run: the page decoded
    /// into `TaskUsage` rows, then appended.
    #[wasm_bindgen(js_name = appendPageTyped)]
    pub fn append_page_typed(&mut self, body: &[u8]) -> Result<u32, String> {
        let page: TaskUsagePage = decode_json(body, None).map_err(|e| e.to_string())?;
        let first = self.store.is_empty();
        self.store.append(page.data);
        self.reserve_after_first(first, page.total);
        Ok(self.store.len() as u32)
    }

    fn reserve_after_first(&mut self, first: bool, total: u64) {
        if first {
            let total = usize::try_from(total).unwrap_or(usize::MAX);
            self.store.reserve(total.saturating_sub(self.store.len()));
        }
    }

    /// Rows held.
    pub fn len(&self) -> u32 {
        self.store.len() as u32
    }

    /// Bytes the store's columns take on the heap.
    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes(&self) -> f64 {
        self.store.heap_bytes() as f64
    }

    /// Recomputes every dashboard aggregate over all rows (what a filter
    /// change costs); returns the selected row count.
    pub fn dashboard(&self) -> Result<u32, String> {
        let d = dashboard_of_all(&self.store).map_err(|e| e.to_string())?;
        Ok(d.selection.len() as u32)
    }

    /// The dashboard's checked figures as JSON ([`fingerprint`]).
    pub fn fingerprint(&self) -> Result<String, String> {
        let d = dashboard_of_all(&self.store).map_err(|e| e.to_string())?;
        Ok(fingerprint(&self.store, &d).to_string())
    }
}

/// Load-all as the viewer runs it: each page decoded on arrival into a
/// [`StorePage`], then joined in offset order by an [`OrderedPageJoin`]
/// (repeats across pages dropped, as fetch-all drops them).
#[wasm_bindgen]
pub struct BenchLoadAll {
    join: OrderedPageJoin,
    next: u64,
    limit: u64,
}

#[wasm_bindgen]
impl BenchLoadAll {
    /// A load of pages of `limit` rows from offset 0.
    #[wasm_bindgen(constructor)]
    pub fn new(limit: u32) -> BenchLoadAll {
        let mut join = OrderedPageJoin::new(None);
        join.begin(0, limit);
        BenchLoadAll {
            join,
            next: 0,
            limit: u64::from(limit),
        }
    }

    /// The next page's bytes, decoded and joined; returns the rows joined.
    /// The page takes the bytes, copied once from JS, as the viewer's page
    /// takes the response body its fetch copied.
    pub fn put(&mut self, body: Vec<u8>) -> Result<u32, String> {
        let page = StorePage::decode(body, self.next).map_err(|e| e.to_string())?;
        self.join.put(self.next, page);
        self.next += self.limit;
        Ok(self.join.joined_rows() as u32)
    }

    /// The joined store.
    pub fn finish(self) -> BenchStore {
        BenchStore {
            store: self.join.finish(),
        }
    }
}

impl Default for BenchStore {
    fn default() -> Self {
        BenchStore::new()
    }
}
