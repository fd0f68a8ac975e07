//! Fetching every page of the task list, independent of any network:
//! [`PagePlan`] decides which offsets to ask for and when to stop,
//! [`RowMerger`] joins pages without doubling a row, and
//! [`fetch_all_task_usages`] drives both over any [`PageTransport`].
//! [`fetch_all_pages`] is the same scan for pages of any representation,
//! and [`fetch_all_pages_into`] hands them to a [`PageSink`] as they
//! arrive.
//!
//! Offset paging over a live table is fragile: a row created during the scan
//! shifts every later row by one. So, when the caller gave no `to`, the scan
//! pins `to` to its start, read on the server's clock: one millisecond after
//! the newest row of the first page (rows come newest first and `to` is
//! exclusive, [`crate::assumed::NEWEST_FIRST`],
//! [`crate::assumed::TO_IS_EXCLUSIVE`]). A client clock ahead of or behind
//! the server's cannot let new rows in. Any row seen twice anyway is kept
//! once. Every loop has a bound: the reported `total`, `has_more`, the first
//! empty or short page, and [`FetchAllOptions::max_pages`].
//!
//! ```
//! use neo_usage::pagination::PagePlan;
//! let plan = PagePlan::new(0, 200, 10_000, None);
//! assert_eq!(plan.offsets_after_first(450), vec![200, 400]);
//! ```

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::{FuturesUnordered, StreamExt};

use crate::assumed;
use crate::error::{IncompleteFetch, NeoUsageError};
use crate::model::{TaskUsage, TaskUsagePage};
use crate::params;
use crate::query::{format_instant, TaskUsageQuery};
use crate::retry::RetryPolicy;
use crate::slots::RequestSlots;

mod scan_state;
pub use scan_state::ScanState;

/// What fetch-all needs from a network: one page's body and its decoding,
/// a timer, randomness for jitter, the current time, and whether the caller
/// has cancelled.
///
/// The browser client implements it over `fetch`; tests implement it over a
/// vector of rows. Pages are [`TaskUsagePage`]s unless the transport
/// decodes them into another [`ScanPage`] (the viewer decodes them straight
/// into its column store), for [`fetch_all_pages`].
///
/// Fetching and decoding are two steps so that a page holds one of the
/// scan's `concurrency` slots only while its request is on the network:
/// the next request goes out before this page's body is decoded.
pub trait PageTransport<P: ScanPage = TaskUsagePage> {
    /// A page's body as it came off the network (bytes, for the client).
    type Body;
    /// Fetches the body of one page for `query` (its `offset` and `limit`
    /// are set).
    fn fetch_body(
        &self,
        query: &TaskUsageQuery,
    ) -> impl Future<Output = Result<Self::Body, NeoUsageError>>;
    /// Decodes a body fetched for `query` into a page.
    fn decode_page(&self, query: &TaskUsageQuery, body: Self::Body) -> Result<P, NeoUsageError>;
    /// Waits without blocking the event loop.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
    /// A uniform random number in `[0, 1)`.
    fn jitter(&self) -> f64;
    /// The current time, used to pin `to`.
    fn now(&self) -> DateTime<Utc>;
    /// Whether the caller has cancelled the scan.
    fn is_cancelled(&self) -> bool {
        false
    }
}

/// What fetch-all reads of a page, whatever holds its rows.
pub trait ScanPage {
    /// Rows on the page.
    fn row_count(&self) -> usize;
    /// The page's `has_more`.
    fn has_more(&self) -> bool;
    /// The page's `total`.
    fn total(&self) -> u64;
    /// The `task_id` of row `i` (`i < row_count()`).
    fn task_id(&self, i: usize) -> &str;
    /// The newest `created_at` on the page (`None` when it is empty).
    fn newest_created_at(&self) -> Option<DateTime<Utc>>;
}

impl ScanPage for TaskUsagePage {
    fn row_count(&self) -> usize {
        self.data.len()
    }
    fn has_more(&self) -> bool {
        self.has_more
    }
    fn total(&self) -> u64 {
        self.total
    }
    fn task_id(&self, i: usize) -> &str {
        &self.data[i].task_id
    }
    fn newest_created_at(&self) -> Option<DateTime<Utc>> {
        self.data.iter().map(|r| r.created_at).max()
    }
}

/// A page whose rows are held in another form `R` (JS objects, columns,
/// nothing at all), with what the scan reads of it: its rows' `task_id`s,
/// `has_more`, `total` and newest `created_at`.
///
/// ```
/// use neo_usage::pagination::{HeldPage, ScanPage};
/// use neo_usage::{TaskStatus, TaskUsage, TaskUsagePage};
/// let at = "2026-11-28T10:00:00Z".parse().unwrap();
/// let data = vec![TaskUsage::new("t-1", at, "m", TaskStatus::Completed)];
/// let page = TaskUsagePage { data, has_more: false, total: 1 };
/// let held = HeldPage::new(page, "rows elsewhere");
/// assert_eq!((held.row_count(), held.task_id(0), held.rows), (1, "t-1", "rows elsewhere"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HeldPage<R> {
    /// The rows, in their other form.
    pub rows: R,
    /// The rows' `task_id`s, in page order.
    pub task_ids: Vec<String>,
    /// The page's `has_more`.
    pub has_more: bool,
    /// The page's `total`.
    pub total: u64,
    /// The newest `created_at` on the page.
    pub newest: Option<DateTime<Utc>>,
}

impl<R> HeldPage<R> {
    /// `page`'s facts, with its rows held as `rows`.
    pub fn new(page: TaskUsagePage, rows: R) -> Self {
        HeldPage {
            newest: page.newest_created_at(),
            has_more: page.has_more,
            total: page.total,
            task_ids: page.data.into_iter().map(|row| row.task_id).collect(),
            rows,
        }
    }
}

impl<R> ScanPage for HeldPage<R> {
    fn row_count(&self) -> usize {
        self.task_ids.len()
    }
    fn has_more(&self) -> bool {
        self.has_more
    }
    fn total(&self) -> u64 {
        self.total
    }
    fn task_id(&self, i: usize) -> &str {
        &self.task_ids[i]
    }
    fn newest_created_at(&self) -> Option<DateTime<Utc>> {
        self.newest
    }
}

/// How a fetch-all runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchAllOptions {
    /// Page size when the query sets no `limit` (default 200, the maximum).
    pub page_size: u32,
    /// Requests on the network at once (at least 1; default 4): a page
    /// holds a slot from sending its request to its body's last byte, not
    /// while it is decoded or waits to retry.
    pub concurrency: usize,
    /// Stop after this many rows (all rows when `None`).
    pub max_rows: Option<u64>,
    /// Hard cap on pages, whatever the server says (default 10,000).
    pub max_pages: u32,
    /// Retries of each page.
    pub retry: RetryPolicy,
}

impl Default for FetchAllOptions {
    fn default() -> Self {
        FetchAllOptions {
            page_size: params::MAX_LIMIT,
            concurrency: 4,
            max_rows: None,
            max_pages: 10_000,
            retry: RetryPolicy::default(),
        }
    }
}

/// Progress of a fetch-all, reported after every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchProgress {
    /// Distinct rows received so far.
    pub rows_loaded: u64,
    /// Rows the server reported matching (the first page's `total`).
    pub total: u64,
    /// Pages received so far.
    pub pages_done: u32,
    /// Pages planned from `total` (more may follow if the server's
    /// `has_more` says so).
    pub pages_planned: u32,
}

/// The result of a complete fetch-all.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchAllOutput {
    /// Every row, in API order, each `task_id` once.
    pub rows: Vec<TaskUsage>,
    /// The `total` the first page reported.
    pub total: u64,
    /// Pages fetched.
    pub pages: u32,
    /// Rows dropped because an earlier page already had their `task_id`.
    pub duplicates_dropped: u64,
    /// The query the scan ran with (`to` pinned when the caller gave none).
    pub query: TaskUsageQuery,
    /// Whether [`FetchAllOptions::max_rows`] or `max_pages` cut the scan short.
    pub truncated: bool,
}

/// Which offsets to fetch, and when to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePlan {
    /// Offset of the first page.
    pub start: u64,
    /// Page size.
    pub limit: u32,
    /// Most pages to fetch.
    pub max_pages: u32,
    /// Most rows to fetch.
    pub max_rows: Option<u64>,
}

impl PagePlan {
    /// A plan from `start`, `limit` rows a page (a `limit` of 0 is read as 1).
    pub fn new(start: u64, limit: u32, max_pages: u32, max_rows: Option<u64>) -> Self {
        PagePlan {
            start,
            limit: limit.max(1),
            max_pages: max_pages.max(1),
            max_rows,
        }
    }

    /// Offsets after the first page, from the first page's `total`, within
    /// the page and row caps.
    pub fn offsets_after_first(&self, total: u64) -> Vec<u64> {
        let end = match self.max_rows {
            Some(cap) => total.min(self.start.saturating_add(cap)),
            None => total,
        };
        let step = u64::from(self.limit);
        (1..u64::from(self.max_pages))
            .map(|i| self.start + i * step)
            .take_while(|offset| *offset < end)
            .collect()
    }

    /// Whether to ask for the page after the one at `offset` (which said
    /// `has_more` and held `page_len` rows) when
    /// the planned offsets are exhausted: only if the server says more rows
    /// follow, the page was full, and no cap is reached. Empty or short
    /// pages always stop, so a lying `has_more` cannot loop forever.
    pub fn wants_page_after(
        &self,
        offset: u64,
        has_more: bool,
        page_len: usize,
        pages_done: u32,
        rows: u64,
    ) -> bool {
        has_more
            && page_len as u64 >= u64::from(self.limit)
            && pages_done < self.max_pages
            && self.max_rows.is_none_or(|cap| rows < cap)
            && offset.checked_add(u64::from(self.limit)).is_some()
    }

    /// Whether a cap stopped the scan before the server ran out of rows:
    /// by the reported `total`, or because the last page was full and said
    /// `has_more` (a `total` can be wrong).
    fn capped(&self, pages_done: u32, rows: u64, total: u64, server_has_more: bool) -> bool {
        let row_cap = self
            .max_rows
            .is_some_and(|cap| rows >= cap && (total > cap || server_has_more));
        let page_cap = pages_done >= self.max_pages
            && (self.start + u64::from(pages_done) * u64::from(self.limit) < total
                || server_has_more);
        row_cap || page_cap
    }
}

/// The `to` that freezes a scan at its first page: one millisecond after the
/// newest `created_at` of that page (`to` is exclusive), or `fallback` when
/// the page is empty.
///
/// ```
/// use neo_usage::{TaskUsage, TaskStatus};
/// let at = "2026-11-28T10:00:00Z".parse().unwrap();
/// let rows = [TaskUsage::new("t", at, "m", TaskStatus::Completed)];
/// assert_eq!(neo_usage::pagination::pin_after_newest(&rows, at), "2026-11-28T10:00:00.001Z");
/// ```
pub fn pin_after_newest(first_page: &[TaskUsage], fallback: DateTime<Utc>) -> String {
    pin_after(first_page.iter().map(|r| r.created_at).max(), fallback)
}

/// The pinned `to` after the first page's newest instant, if any.
fn pin_after(newest: Option<DateTime<Utc>>, fallback: DateTime<Utc>) -> String {
    // An inclusive `to` would keep the newest row at its own instant.
    let step = chrono::Duration::milliseconds(i64::from(assumed::TO_IS_EXCLUSIVE));
    format_instant(newest.map_or(fallback, |at| at + step))
}

/// Joins pages in offset order, keeping the first row of each `task_id`.
#[derive(Debug, Default)]
pub struct RowMerger {
    pages: BTreeMap<u64, Vec<TaskUsage>>,
    seen: HashSet<String>,
}

impl RowMerger {
    /// An empty merger.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the rows of the page at `offset` (arrival order does not matter).
    pub fn add_page(&mut self, offset: u64, rows: Vec<TaskUsage>) {
        for row in &rows {
            self.seen.insert(row.task_id.clone());
        }
        self.pages.insert(offset, rows);
    }

    /// Distinct `task_id`s received so far.
    pub fn distinct_rows(&self) -> u64 {
        self.seen.len() as u64
    }

    /// Whether the page at `offset` has arrived.
    pub fn has_page(&self, offset: u64) -> bool {
        self.pages.contains_key(&offset)
    }

    /// Pages received.
    pub fn pages(&self) -> u32 {
        u32::try_from(self.pages.len()).unwrap_or(u32::MAX)
    }

    /// All rows in offset order, each `task_id` once, with the number of
    /// duplicates dropped.
    pub fn finish(self) -> (Vec<TaskUsage>, u64) {
        merge_rows(self.pages.into_values(), None)
    }
}

/// The rows of `pages` in order, each `task_id` once and at most `cap` of
/// them, with the number of duplicates dropped.
fn merge_rows(
    pages: impl IntoIterator<Item = Vec<TaskUsage>>,
    cap: Option<u64>,
) -> (Vec<TaskUsage>, u64) {
    let mut admission = RowAdmission::new(cap);
    let rows = pages
        .into_iter()
        .flatten()
        .filter(|row| admission.admit(&row.task_id))
        .collect();
    (rows, admission.dropped())
}

/// The rule by which fetch-all joins pages, whatever holds their rows: the
/// first row of each `task_id`, at most `cap` rows kept.
///
/// ```
/// use neo_usage::pagination::RowAdmission;
/// let mut admission = RowAdmission::new(Some(2));
/// let kept: Vec<bool> = ["a", "b", "a", "c"].iter().map(|id| admission.admit(id)).collect();
/// assert_eq!(kept, [true, true, false, false]);
/// assert_eq!(admission.dropped(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct RowAdmission {
    seen: HashSet<String>,
    kept: usize,
    cap: Option<usize>,
    dropped: u64,
}

impl RowAdmission {
    /// Admits at most `cap` rows (every first row when `None`).
    pub fn new(cap: Option<u64>) -> Self {
        RowAdmission {
            cap: cap.map(|c| usize::try_from(c).unwrap_or(usize::MAX)),
            ..RowAdmission::default()
        }
    }

    /// Whether to keep the next row, of `task_id`: not when an earlier row
    /// had it (counted in [`RowAdmission::dropped`]), nor past the cap.
    pub fn admit(&mut self, task_id: &str) -> bool {
        if self.seen.contains(task_id) {
            self.dropped += 1;
            return false;
        }
        self.seen.insert(task_id.to_owned());
        let keep = self.cap.is_none_or(|cap| self.kept < cap);
        self.kept += usize::from(keep);
        keep
    }

    /// Rows refused so far because an earlier row had their `task_id`.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The cap on rows kept, if any.
    pub fn cap(&self) -> Option<usize> {
        self.cap
    }
}

/// A finished scan of [`fetch_all_pages`]: every page, in offset order.
/// A row may be on two pages (rows moved during the scan): keep the first,
/// and at most `max_rows` rows, as [`fetch_all_task_usages`] does.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScan<P> {
    /// The pages, in offset order.
    pub pages: Vec<P>,
    /// The `total` the first page reported.
    pub total: u64,
    /// Distinct `task_id`s on the pages.
    pub distinct_rows: u64,
    /// The query the scan ran with (`to` pinned when the caller gave none).
    pub query: TaskUsageQuery,
    /// The row cap the scan ran with ([`FetchAllOptions::max_rows`]).
    pub max_rows: Option<u64>,
    /// Whether `max_rows` or `max_pages` cut the scan short.
    pub truncated: bool,
}

impl<P> PageScan<P> {
    /// Whether the joined rows miss some of the data: a cap cut the scan
    /// short, or the pages hold more distinct rows than `max_rows` keeps.
    pub fn rows_truncated(&self) -> bool {
        self.truncated || self.max_rows.is_some_and(|cap| self.distinct_rows > cap)
    }
}

/// Where [`fetch_all_pages_into`] puts each page as it arrives. Pages come
/// in any offset order; the offsets of one scan are `start + k × limit`,
/// told to [`PageSink::begin`] before the first page.
pub trait PageSink<P> {
    /// The scan's first offset and page size, before any page.
    fn begin(&mut self, start: u64, limit: u32) {
        let _ = (start, limit);
    }

    /// Takes the page at `offset`.
    fn put(&mut self, offset: u64, page: P);
}

/// A sink borrowed: [`fetch_all_pages_into`] fills the caller's.
impl<P, S: PageSink<P> + ?Sized> PageSink<P> for &mut S {
    fn begin(&mut self, start: u64, limit: u32) {
        (**self).begin(start, limit);
    }

    fn put(&mut self, offset: u64, page: P) {
        (**self).put(offset, page);
    }
}

/// Pages by offset: the sink of [`fetch_all_pages`].
impl<P> PageSink<P> for BTreeMap<u64, P> {
    fn put(&mut self, offset: u64, page: P) {
        self.insert(offset, page);
    }
}

/// Pages by offset, kept as a sorted list (the npm package's sink).
impl<P> PageSink<P> for crate::SortedMap<u64, P> {
    fn put(&mut self, offset: u64, page: P) {
        self.insert(offset, page);
    }
}

/// How a scan of [`fetch_all_pages_into`] ended, its pages being in the
/// sink: [`PageScan`] without the pages.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanEnd {
    /// The `total` the first page reported.
    pub total: u64,
    /// Distinct `task_id`s on the pages.
    pub distinct_rows: u64,
    /// Pages put into the sink.
    pub pages: u32,
    /// The query the scan ran with (`to` pinned when the caller gave none).
    pub query: TaskUsageQuery,
    /// The row cap the scan ran with ([`FetchAllOptions::max_rows`]).
    pub max_rows: Option<u64>,
    /// Whether `max_rows` or `max_pages` cut the scan short.
    pub truncated: bool,
}

impl ScanEnd {
    /// The [`PageScan`] of this end and its sink's `pages` (in offset
    /// order).
    pub fn with_pages<P>(self, pages: Vec<P>) -> PageScan<P> {
        PageScan {
            pages,
            total: self.total,
            distinct_rows: self.distinct_rows,
            query: self.query,
            max_rows: self.max_rows,
            truncated: self.truncated,
        }
    }
}

/// Why [`fetch_all_pages_into`] ended without every page: as
/// [`PageScanError`], the pages fetched being in the sink.
#[derive(Debug)]
pub enum ScanStop {
    /// Nothing was fetched: an invalid query, a cancel before the first
    /// request, or a first page that failed.
    Failed(NeoUsageError),
    /// The scan stopped on a failure or a cancel after the first page.
    Stopped(Box<ScanStopped>),
}

/// What is known of a scan that stopped, beside the pages in its sink.
#[derive(Debug)]
pub struct ScanStopped {
    /// The error that stopped the scan.
    pub cause: NeoUsageError,
    /// Offsets of pages not fetched.
    pub missing_offsets: Vec<u64>,
    /// Page size of the scan.
    pub limit: u32,
    /// The `total` the server reported.
    pub total: u64,
    /// The query the scan ran with (`to` pinned).
    pub query: TaskUsageQuery,
}

/// Why [`fetch_all_pages`] ended without every page.
#[derive(Debug)]
pub enum PageScanError<P> {
    /// Nothing was fetched: an invalid query, a cancel before the first
    /// request, or a first page that failed.
    Failed(NeoUsageError),
    /// The scan stopped on a failure or a cancel after the first page,
    /// with the pages it has ([`IncompleteFetch`] holds the same, as rows).
    Stopped(Box<StoppedScan<P>>),
}

/// What a scan had when it stopped.
#[derive(Debug)]
pub struct StoppedScan<P> {
    /// The error that stopped the scan.
    pub cause: NeoUsageError,
    /// The pages fetched, in offset order.
    pub pages: Vec<P>,
    /// Offsets of pages not fetched.
    pub missing_offsets: Vec<u64>,
    /// Page size of the scan.
    pub limit: u32,
    /// The `total` the server reported.
    pub total: u64,
    /// The query the scan ran with (`to` pinned).
    pub query: TaskUsageQuery,
}

impl<P> StoppedScan<P> {
    /// The scan's error as [`NeoUsageError::Incomplete`], holding the rows
    /// `join` makes of the pages (each `task_id` once, in offset order).
    pub fn into_incomplete(self, join: impl FnOnce(Vec<P>) -> Vec<TaskUsage>) -> NeoUsageError {
        NeoUsageError::Incomplete(Box::new(IncompleteFetch {
            rows: join(self.pages),
            cause: self.cause,
            missing_offsets: self.missing_offsets,
            limit: self.limit,
            total: self.total,
            query: self.query,
        }))
    }
}

impl From<PageScanError<TaskUsagePage>> for NeoUsageError {
    /// A stopped scan as [`NeoUsageError::Incomplete`], its rows merged.
    fn from(error: PageScanError<TaskUsagePage>) -> Self {
        match error {
            PageScanError::Failed(cause) => cause,
            PageScanError::Stopped(stopped) => stopped
                .into_incomplete(|pages| merge_rows(pages.into_iter().map(|p| p.data), None).0),
        }
    }
}

/// One page, retried by `retry`, checked by [`check_page`] (a page that
/// contradicts itself is retried like a body cut short). Each attempt
/// holds one of `slots` for its request only; once the slots are stopped,
/// no new attempt starts and the page ends as [`NeoUsageError::Aborted`].
async fn fetch_page_retried<P: ScanPage, T: PageTransport<P>>(
    transport: &T,
    query: &TaskUsageQuery,
    retry: RetryPolicy,
    expected_total: Option<u64>,
    slots: &RequestSlots,
) -> Result<P, NeoUsageError> {
    retry
        .run(
            || async {
                let body = {
                    let slot = slots.take().await;
                    if slot.is_none() || transport.is_cancelled() {
                        return Err(NeoUsageError::Aborted);
                    }
                    transport.fetch_body(query).await?
                };
                slots.handed_over().await;
                let page = transport.decode_page(query, body)?;
                check_page(query, &page, expected_total)?;
                Ok(page)
            },
            |d| transport.sleep(d),
            || transport.jitter(),
            || transport.is_cancelled(),
        )
        .await
}

/// Refuses a page that says `has_more` yet holds fewer rows than asked for
/// while rows are still expected after it (by `expected_total`, else the
/// page's own `total`): an empty or short page in the middle of the data,
/// which, taken at its word, would lose rows silently. The error is a
/// retryable [`NeoUsageError::Decode`] with `truncated` set, like a body cut
/// short. A short or empty page past the `total` is the end of the data,
/// whatever `has_more` says.
///
/// ```
/// use neo_usage::{pagination::check_page, TaskUsagePage, TaskUsageQuery};
/// let q = TaskUsageQuery::new().offset(200).limit(200);
/// let hollow = TaskUsagePage { data: vec![], has_more: true, total: 1_000 };
/// assert!(check_page(&q, &hollow, None).unwrap_err().is_retryable());
/// let past_the_end = TaskUsagePage { data: vec![], has_more: true, total: 200 };
/// assert!(check_page(&q, &past_the_end, None).is_ok());
/// ```
pub fn check_page<P: ScanPage>(
    query: &TaskUsageQuery,
    page: &P,
    expected_total: Option<u64>,
) -> Result<(), NeoUsageError> {
    let offset = query.offset.unwrap_or(0);
    let limit = u64::from(query.limit.unwrap_or(params::DEFAULT_LIMIT));
    let len = page.row_count() as u64;
    let total = expected_total.unwrap_or(page.total());
    if page.has_more() && len < limit && offset.saturating_add(len) < total {
        return Err(NeoUsageError::Decode {
            path: "data".into(),
            offset: Some(offset),
            message: format!(
                "the page holds {len} of {limit} rows yet says has_more, with {total} rows in all: a page cut short"
            ),
            excerpt: String::new(),
            truncated: true,
        });
    }
    Ok(())
}

/// Fetches every row matching `query`: the first page, then the remaining
/// offsets with at most `options.concurrency` in flight, each retried by
/// `options.retry`. `on_progress` is called after every page.
///
/// If a page still fails, or the caller cancels, the error is
/// [`NeoUsageError::Incomplete`] holding the rows already fetched and the
/// offsets still missing. A failure of the very first page is returned as is.
pub async fn fetch_all_task_usages<T: PageTransport>(
    transport: &T,
    query: &TaskUsageQuery,
    options: FetchAllOptions,
    on_progress: impl FnMut(FetchProgress),
) -> Result<FetchAllOutput, NeoUsageError> {
    let scan = fetch_all_pages(transport, query, options, on_progress).await?;
    let pages = u32::try_from(scan.pages.len()).unwrap_or(u32::MAX);
    let truncated = scan.rows_truncated();
    let (rows, duplicates_dropped) =
        merge_rows(scan.pages.into_iter().map(|p| p.data), scan.max_rows);
    Ok(FetchAllOutput {
        truncated,
        rows,
        total: scan.total,
        pages,
        duplicates_dropped,
        query: scan.query,
    })
}

/// [`fetch_all_task_usages`] for pages of any representation `P`: the same
/// plan, pinning, concurrency, retries and stop rules, but the pages are
/// handed back as they were decoded, in offset order, for the caller to
/// merge (the first row of each `task_id`, at most `max_rows`). The viewer
/// decodes each page straight into a column store this way.
pub async fn fetch_all_pages<P: ScanPage, T: PageTransport<P>>(
    transport: &T,
    query: &TaskUsageQuery,
    options: FetchAllOptions,
    on_progress: impl FnMut(FetchProgress),
) -> Result<PageScan<P>, PageScanError<P>> {
    let mut pages = BTreeMap::new();
    let result = fetch_all_pages_into(transport, query, options, &mut pages, on_progress).await;
    let pages = || pages.into_values().collect();
    match result {
        Ok(end) => Ok(end.with_pages(pages())),
        Err(ScanStop::Failed(cause)) => Err(PageScanError::Failed(cause)),
        Err(ScanStop::Stopped(stopped)) => Err(PageScanError::Stopped(Box::new(StoppedScan {
            cause: stopped.cause,
            pages: pages(),
            missing_offsets: stopped.missing_offsets,
            limit: stopped.limit,
            total: stopped.total,
            query: stopped.query,
        }))),
    }
}

/// [`fetch_all_pages`] handing each page to `sink` as it arrives, in any
/// offset order, instead of holding every page until the end: the same
/// plan, pinning, concurrency, retries and stop rules. A caller that joins
/// pages as they come holds only the pages still out of order (the
/// viewer's Load all joins them into its column store this way).
pub async fn fetch_all_pages_into<P: ScanPage, T: PageTransport<P>, S: PageSink<P>>(
    transport: &T,
    query: &TaskUsageQuery,
    options: FetchAllOptions,
    sink: &mut S,
    mut on_progress: impl FnMut(FetchProgress),
) -> Result<ScanEnd, ScanStop> {
    let mut scan =
        ScanState::new(query, &options, transport.now(), sink).map_err(ScanStop::Failed)?;
    if transport.is_cancelled() {
        return Err(ScanStop::Failed(NeoUsageError::Aborted));
    }
    let (_, first) = fetch_alone(transport, scan.first_query(), options.retry, None).await;
    scan.start(first.map_err(ScanStop::Failed)?, transport.now());
    on_progress(scan.progress());
    fetch_planned(transport, &mut scan, &mut on_progress).await?;
    fetch_past_plan(transport, &mut scan, &mut on_progress).await?;
    Ok(scan.finish().0)
}

/// One page, retried, with its offset (pages arrive in any order).
async fn fetch_at<P: ScanPage, T: PageTransport<P>>(
    transport: &T,
    query: TaskUsageQuery,
    retry: RetryPolicy,
    expected_total: Option<u64>,
    slots: &RequestSlots,
) -> (u64, Result<P, NeoUsageError>) {
    let offset = query.offset.unwrap_or(0);
    let page = fetch_page_retried(transport, &query, retry, expected_total, slots).await;
    (offset, page)
}

/// [`fetch_at`] for a page fetched on its own (the first page, and those
/// past the plan): one slot, nobody waiting for it.
async fn fetch_alone<P: ScanPage, T: PageTransport<P>>(
    transport: &T,
    query: TaskUsageQuery,
    retry: RetryPolicy,
    expected_total: Option<u64>,
) -> (u64, Result<P, NeoUsageError>) {
    fetch_at(
        transport,
        query,
        retry,
        expected_total,
        &RequestSlots::new(1),
    )
    .await
}

/// The planned pages, at most `concurrency` requests in flight (a page
/// waits for a slot in plan order and gives it back before it is decoded);
/// after a failure or a cancel, no new request starts and those in flight
/// finish.
async fn fetch_planned<P: ScanPage, T: PageTransport<P>, S: PageSink<P>>(
    transport: &T,
    scan: &mut ScanState<P, S>,
    on_progress: &mut impl FnMut(FetchProgress),
) -> Result<(), ScanStop> {
    let slots = RequestSlots::new(scan.options().concurrency);
    let (retry, total) = (scan.options().retry, scan.expected_total());
    let mut pages: FuturesUnordered<_> = scan
        .planned()
        .into_iter()
        .map(|query| fetch_at(transport, query, retry, total, &slots))
        .collect();
    let mut failure: Option<NeoUsageError> = None;
    while let Some((offset, result)) = pages.next().await {
        match result {
            Ok(page) => on_progress(scan.add(offset, page)),
            Err(error) => {
                failure.get_or_insert(error);
            }
        }
        if transport.is_cancelled() {
            failure.get_or_insert(NeoUsageError::Aborted);
        }
        if failure.is_some() {
            slots.stop();
        }
    }
    match failure.or_else(|| transport.is_cancelled().then_some(NeoUsageError::Aborted)) {
        Some(cause) => Err(scan.stop_planned(cause)),
        None => Ok(()),
    }
}

/// Past the plan, one page at a time, while [`ScanState::next_past_plan`]
/// says so.
async fn fetch_past_plan<P: ScanPage, T: PageTransport<P>, S: PageSink<P>>(
    transport: &T,
    scan: &mut ScanState<P, S>,
    on_progress: &mut impl FnMut(FetchProgress),
) -> Result<(), ScanStop> {
    while let Some(query) = scan.next_past_plan() {
        let next = query.offset.unwrap_or(0);
        if transport.is_cancelled() {
            return Err(scan.stop_at(NeoUsageError::Aborted, next));
        }
        let retry = scan.options().retry;
        match fetch_alone(transport, query, retry, scan.expected_total()).await {
            (_, Ok(page)) => on_progress(scan.add(next, page)),
            (_, Err(cause)) => return Err(scan.stop_at(cause, next)),
        }
    }
    Ok(())
}
