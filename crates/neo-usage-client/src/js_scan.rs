//! [`FetchAllScan`]: the npm package's `fetchAllTaskUsages`, as its
//! JavaScript loop (`js/client.js`, `fetchAll`) runs it: the core's
//! [`ScanState`] (the Rust client's fetch-all runs the same one) makes
//! every decision, each page is a [`Call`], and the pages' rows are joined
//! as JS objects ([`join_js_rows`]).

use js_sys::Array;
use wasm_bindgen::prelude::*;

use neo_usage::pagination::{FetchAllOptions, ScanState, ScanStop};
use neo_usage::{paths, FetchProgress, IncompleteFetch, NeoUsageError, SortedMap, TaskUsageQuery};

use crate::config::ClientConfig;
use crate::js::{fetch_all_result, plain_object, set, to_js_error};
use crate::js_call::{Call, Decode};
use crate::js_rows::{join_js_rows, JsRowsPage};
use crate::transport::{browser_now, with_query};

type Pages = SortedMap<u64, JsRowsPage>;

/// One fetch-all of the JS face (internal to the package: its JavaScript
/// loop drives it).
#[wasm_bindgen(skip_typescript)]
pub struct FetchAllScan {
    config: ClientConfig,
    /// `None` once finished.
    state: Option<ScanState<JsRowsPage, Pages>>,
}

impl FetchAllScan {
    /// Plans a scan of `query` (refused as the core refuses it), its pages
    /// retried by the client's policy.
    pub(crate) fn new(
        config: &ClientConfig,
        query: &TaskUsageQuery,
        options: FetchAllOptions,
    ) -> Result<Self, NeoUsageError> {
        let options = FetchAllOptions {
            retry: config.retry,
            ..options
        };
        let state = ScanState::new(query, &options, browser_now(), Pages::new())?;
        Ok(FetchAllScan {
            config: config.clone(),
            state: Some(state),
        })
    }

    fn state(&mut self) -> Result<&mut ScanState<JsRowsPage, Pages>, JsValue> {
        self.state
            .as_mut()
            .ok_or_else(|| JsValue::from_str("the fetch-all has ended"))
    }

    /// A call for the page of `query`, checked against `expected_total`.
    fn call(&self, query: TaskUsageQuery, expected_total: Option<u64>) -> Result<Call, JsValue> {
        let path = with_query(
            paths::TASKS,
            &query.to_query_string().map_err(|e| to_js_error(&e))?,
        );
        let decode = Decode::ScanPage {
            query,
            expected_total,
        };
        Ok(Call::new(&self.config, &path, decode))
    }

    /// The `NeoUsageError` a stopped scan rejects with: for a scan stopped
    /// after its first page, kind of its cause, with the rows fetched and
    /// the offsets missing.
    fn stopped(&mut self, stop: ScanStop) -> JsValue {
        let pages = self.state.take().map(ScanState::into_sink);
        let stopped = match stop {
            ScanStop::Failed(cause) => return to_js_error(&cause),
            ScanStop::Stopped(stopped) => stopped,
        };
        let error = to_js_error(&NeoUsageError::Incomplete(Box::new(IncompleteFetch {
            cause: stopped.cause,
            rows: Vec::new(),
            missing_offsets: stopped.missing_offsets,
            limit: stopped.limit,
            total: stopped.total,
            query: stopped.query,
        })));
        let pages = pages.unwrap_or_default().into_values().collect();
        set(&error, "rows", &join_js_rows(pages, None).0);
        error
    }
}

/// Progress as the JS face reports it (`FetchProgress`).
fn progress(p: FetchProgress) -> JsValue {
    plain_object(&[
        ("rowsLoaded", JsValue::from(p.rows_loaded as f64)),
        ("total", JsValue::from(p.total as f64)),
        ("pagesDone", JsValue::from(p.pages_done)),
        ("pagesPlanned", JsValue::from(p.pages_planned)),
    ])
}

#[wasm_bindgen]
impl FetchAllScan {
    /// The error of a scan aborted before its first request.
    #[wasm_bindgen(js_name = abortedBeforeStart)]
    pub fn aborted_before_start(&mut self) -> JsValue {
        self.stopped(ScanStop::Failed(NeoUsageError::Aborted))
    }

    /// The first page's call.
    #[wasm_bindgen(js_name = firstCall)]
    pub fn first_call(&mut self) -> Result<Call, JsValue> {
        let query = self.state()?.first_query();
        self.call(query, None)
    }

    /// Takes the first page (its call done); the progress to report.
    pub fn start(&mut self, first: &mut Call) -> Result<JsValue, JsValue> {
        let page = first
            .take_page()
            .ok_or_else(|| JsValue::from_str("the first page has not arrived"))?;
        let state = self.state()?;
        state.start(page, browser_now());
        Ok(progress(state.progress()))
    }

    /// The calls of the pages planned after the first, in offset order.
    #[wasm_bindgen(js_name = plannedCalls)]
    pub fn planned_calls(&mut self) -> Result<Array, JsValue> {
        let state = self.state()?;
        let (queries, total) = (state.planned(), state.expected_total());
        let calls = Array::new();
        for query in queries {
            calls.push(&self.call(query, total)?.into());
        }
        Ok(calls)
    }

    /// Takes a page (its call done); the progress to report.
    pub fn add(&mut self, call: &mut Call) -> Result<JsValue, JsValue> {
        let offset = call.offset();
        let page = call
            .take_page()
            .ok_or_else(|| JsValue::from_str("the page has not arrived"))?;
        Ok(progress(self.state()?.add(offset, page)))
    }

    /// The error of a scan whose planned pages did not all arrive: the
    /// first `failed` call's error, or an abort.
    #[wasm_bindgen(js_name = stopPlanned)]
    pub fn stop_planned(&mut self, failed: Option<Call>) -> Result<JsValue, JsValue> {
        let cause = failed.map_or(NeoUsageError::Aborted, |mut call| call.take_error());
        let stop = self.state()?.stop_planned(cause);
        Ok(self.stopped(stop))
    }

    /// The call of the next page past the plan, if the server says there
    /// is more.
    #[wasm_bindgen(js_name = nextCall)]
    pub fn next_call(&mut self) -> Result<Option<Call>, JsValue> {
        let state = self.state()?;
        let total = state.expected_total();
        match state.next_past_plan() {
            Some(query) => self.call(query, total).map(Some),
            None => Ok(None),
        }
    }

    /// The error of a scan whose page past the plan (`failed`) failed.
    #[wasm_bindgen(js_name = stopAt)]
    pub fn stop_at(&mut self, failed: &mut Call) -> Result<JsValue, JsValue> {
        let offset = failed.offset();
        let stop = self.state()?.stop_at(failed.take_error(), offset);
        Ok(self.stopped(stop))
    }

    /// The result object of a scan that ended.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let state = self
            .state
            .take()
            .ok_or_else(|| JsValue::from_str("the fetch-all has ended"))?;
        let (end, pages) = state.finish();
        fetch_all_result(end.with_pages(pages.into_values().collect()))
    }
}
