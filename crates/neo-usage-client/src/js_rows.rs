//! Fetch-all for JavaScript: each page's rows are written as JS objects as
//! the page arrives, while the next requests are on the network, and the
//! pages are joined in offset order at the end (the first row of each
//! `task_id`, at most `maxRows`), by the core's [`RowAdmission`] rule.
//!
//! Writing all rows at the end instead (10,000 rows: one 11 MB JSON string
//! and its `JSON.parse`) was one task of some 400 ms after the last
//! response, with the main thread idle while the pages were in flight.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use neo_usage::model_reader::ApiBody;
use neo_usage::pagination::{HeldPage, RowAdmission};
use neo_usage::{NeoUsageError, TaskUsagePage};

use crate::js::to_js;

/// One page of a JS fetch-all: its rows as JS objects, and their ids.
pub(crate) type JsRowsPage = HeldPage<Array>;

/// Decodes a page from its bytes (every row validated, errors naming the
/// JSON path) and writes its rows as JS objects.
pub(crate) fn decode_js_rows_page(bytes: &[u8], offset: u64) -> Result<JsRowsPage, NeoUsageError> {
    let page = TaskUsagePage::decode(bytes, Some(offset))?;
    let rows = to_js(&page.data)?.unchecked_into::<Array>();
    Ok(HeldPage::new(page, rows))
}

/// The rows of `pages` (in offset order) as one JS array, each `task_id`
/// once and at most `cap` rows, with the number of duplicates dropped.
pub(crate) fn join_js_rows(pages: Vec<JsRowsPage>, cap: Option<u64>) -> (JsValue, u64) {
    let mut admission = RowAdmission::new(cap);
    let joined = Array::new();
    for page in &pages {
        for (i, id) in page.task_ids.iter().enumerate() {
            if admission.admit(id) {
                joined.push(&page.rows.get(i as u32));
            }
        }
    }
    (joined.into(), admission.dropped())
}
