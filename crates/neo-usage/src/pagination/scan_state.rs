//! [`ScanState`]: a fetch-all's plan, pinning, bookkeeping and stop rules,
//! without any I/O. [`super::fetch_all_pages_into`] runs it over a
//! [`PageTransport`](super::PageTransport); a driver of its own (the npm
//! package's JavaScript loop) runs the same steps and gets the same scan.

use std::collections::HashSet;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};

use super::{pin_after, FetchAllOptions, FetchProgress, PagePlan, PageSink, ScanEnd, ScanPage};
use super::{ScanStop, ScanStopped};
use crate::assumed;
use crate::error::NeoUsageError;
use crate::params;
use crate::query::{format_instant, TaskUsageQuery};
use crate::sorted_map::SortedMap;

/// A fetch-all in progress, step by step:
///
/// 1. [`ScanState::new`] plans the scan; fetch [`ScanState::first_query`]
///    (retried, each answer checked by [`super::check_page`] with no
///    expected total);
/// 2. [`ScanState::start`] takes the first page and pins `to`;
/// 3. fetch every [`ScanState::planned`] query, at most `concurrency` on
///    the network, each checked against [`ScanState::expected_total`], and
///    [`ScanState::add`] each page as it arrives; after a failure or a
///    cancel, start no new request, let those in flight finish, and end
///    with [`ScanState::stop_planned`];
/// 4. while [`ScanState::next_past_plan`] gives a query, fetch it alone and
///    add it; a failure ends with [`ScanState::stop_at`];
/// 5. [`ScanState::finish`].
///
/// ```
/// use chrono::DateTime;
/// use neo_usage::pagination::{FetchAllOptions, ScanState};
/// use neo_usage::{TaskUsagePage, TaskUsageQuery};
/// use std::collections::BTreeMap;
/// let now = DateTime::from_timestamp(1_793_000_000, 0).expect("an instant");
/// let query = TaskUsageQuery::new().limit(2);
/// let mut scan = ScanState::<TaskUsagePage, _>::new(&query, &FetchAllOptions::default(), now, BTreeMap::new())?;
/// assert_eq!(scan.first_query().offset, Some(0));
/// let first = TaskUsagePage { data: vec![], total: 0, has_more: false };
/// scan.start(first, now);
/// assert!(scan.planned().is_empty() && scan.next_past_plan().is_none());
/// let (end, pages) = scan.finish();
/// assert_eq!((end.pages, pages.len()), (1, 1));
/// # Ok::<(), neo_usage::NeoUsageError>(())
/// ```
#[derive(Debug)]
pub struct ScanState<P, S> {
    options: FetchAllOptions,
    plan: PagePlan,
    /// Every page's query but `offset`: `limit` set, `to` pinned (after
    /// [`ScanState::start`] when the first page pins it).
    base: TaskUsageQuery,
    /// Whether the first page pins `to`.
    pin_from_first_page: bool,
    /// The first page's `total`.
    total: u64,
    /// Offsets after the first page, from `total`.
    planned: Vec<u64>,
    /// Where the pages go.
    sink: S,
    /// Offsets of the pages put into the sink (a sorted set).
    arrived: SortedMap<u64, ()>,
    /// Distinct `task_id`s on them.
    seen: HashSet<String>,
    /// The deepest page so far: offset, `has_more`, rows.
    last: (u64, bool, usize),
    page_type: PhantomData<P>,
}

impl<P: ScanPage, S: PageSink<P>> ScanState<P, S> {
    /// Plans a scan of `query` (refused as [`TaskUsageQuery::validate`]
    /// refuses it). A scan from the newest row with no `to` pins `to` just
    /// after the newest row of its first page: the server's own clock, so
    /// rows created during the scan cannot shift offsets whatever the
    /// client's clock says. A scan that starts deeper has not seen the
    /// newest row: it pins `to` to `now`, read before its first request.
    pub fn new(
        query: &TaskUsageQuery,
        options: &FetchAllOptions,
        now: DateTime<Utc>,
        sink: S,
    ) -> Result<Self, NeoUsageError> {
        query.validate()?;
        let mut base = query.clone();
        let limit = base
            .limit
            .unwrap_or(options.page_size)
            .clamp(params::MIN_LIMIT, params::MAX_LIMIT);
        base.limit = Some(limit);
        let plan = PagePlan::new(
            base.offset.unwrap_or(0),
            limit,
            options.max_pages,
            options.max_rows,
        );
        let pin_from_first_page = base.to.is_none() && plan.start == 0 && assumed::NEWEST_FIRST;
        if base.to.is_none() && !pin_from_first_page {
            base.to = Some(format_instant(now));
        }
        Ok(ScanState {
            options: *options,
            plan,
            base,
            pin_from_first_page,
            total: 0,
            planned: Vec::new(),
            sink,
            arrived: SortedMap::new(),
            seen: HashSet::new(),
            last: (plan.start, false, 0),
            page_type: PhantomData,
        })
    }

    /// The options the scan runs with.
    pub fn options(&self) -> &FetchAllOptions {
        &self.options
    }

    /// The first page's query.
    pub fn first_query(&self) -> TaskUsageQuery {
        self.page_query(self.plan.start)
    }

    /// Takes the first page: pins `to` from it when [`ScanState::new`] did
    /// not (`now` stands in for an empty page's newest row), and plans the
    /// offsets after it from its `total`.
    pub fn start(&mut self, first: P, now: DateTime<Utc>) {
        if self.pin_from_first_page {
            self.base.to = Some(pin_after(first.newest_created_at(), now));
        }
        self.total = first.total();
        self.planned = self.plan.offsets_after_first(self.total);
        self.sink.begin(self.plan.start, self.plan.limit);
        self.last = (self.plan.start, first.has_more(), first.row_count());
        self.keep(self.plan.start, first);
    }

    /// The queries of the pages planned after the first, in offset order.
    pub fn planned(&self) -> Vec<TaskUsageQuery> {
        self.planned.iter().map(|&o| self.page_query(o)).collect()
    }

    /// The `total` every later page is checked against
    /// ([`super::check_page`]).
    pub fn expected_total(&self) -> Option<u64> {
        Some(self.total)
    }

    /// Keeps the page that arrived at `offset` (any order); the progress
    /// to report.
    pub fn add(&mut self, offset: u64, page: P) -> FetchProgress {
        if offset > self.last.0 {
            self.last = (offset, page.has_more(), page.row_count());
        }
        self.keep(offset, page);
        self.progress()
    }

    /// Rows, pages and plan so far.
    pub fn progress(&self) -> FetchProgress {
        FetchProgress {
            rows_loaded: self.distinct_rows(),
            total: self.total,
            pages_done: self.pages(),
            pages_planned: u32::try_from(self.planned.len() + 1).unwrap_or(u32::MAX),
        }
    }

    /// The end of a scan whose planned pages did not all arrive: `cause`,
    /// with the planned offsets still missing.
    pub fn stop_planned(&self, cause: NeoUsageError) -> ScanStop {
        let missing = self
            .planned
            .iter()
            .copied()
            .filter(|o| !self.arrived.contains_key(o))
            .collect();
        self.stop(cause, missing)
    }

    /// The next page past the plan, one at a time, only while the server
    /// keeps saying there is more ([`PagePlan::wants_page_after`]).
    pub fn next_past_plan(&self) -> Option<TaskUsageQuery> {
        let (offset, has_more, len) = self.last;
        self.plan
            .wants_page_after(offset, has_more, len, self.pages(), self.distinct_rows())
            .then(|| self.page_query(offset + u64::from(self.plan.limit)))
    }

    /// The end of a scan whose page past the plan at `offset` failed.
    pub fn stop_at(&self, cause: NeoUsageError, offset: u64) -> ScanStop {
        self.stop(cause, vec![offset])
    }

    /// How the scan ended (and whether a cap cut it short), and the sink.
    pub fn finish(self) -> (ScanEnd, S) {
        let pages = self.pages();
        let distinct_rows = self.distinct_rows();
        let (_, has_more, len) = self.last;
        let server_has_more = has_more && len >= self.plan.limit as usize;
        let truncated = self
            .plan
            .capped(pages, distinct_rows, self.total, server_has_more);
        let end = ScanEnd {
            total: self.total,
            distinct_rows,
            pages,
            query: self.base,
            max_rows: self.plan.max_rows,
            truncated,
        };
        (end, self.sink)
    }

    /// The sink, with the pages put into it so far.
    pub fn into_sink(self) -> S {
        self.sink
    }

    /// Counts a page's rows and offset, and hands it to the sink.
    fn keep(&mut self, offset: u64, page: P) {
        for i in 0..page.row_count() {
            if !self.seen.contains(page.task_id(i)) {
                self.seen.insert(page.task_id(i).to_owned());
            }
        }
        self.arrived.insert(offset, ());
        self.sink.put(offset, page);
    }

    fn pages(&self) -> u32 {
        u32::try_from(self.arrived.len()).unwrap_or(u32::MAX)
    }

    fn distinct_rows(&self) -> u64 {
        self.seen.len() as u64
    }

    /// The query of the page at `offset`.
    fn page_query(&self, offset: u64) -> TaskUsageQuery {
        TaskUsageQuery {
            offset: Some(offset),
            ..self.base.clone()
        }
    }

    /// The error that ends the scan early, with what it knows.
    fn stop(&self, cause: NeoUsageError, missing_offsets: Vec<u64>) -> ScanStop {
        ScanStop::Stopped(Box::new(ScanStopped {
            cause,
            missing_offsets,
            limit: self.plan.limit,
            total: self.total,
            query: self.base.clone(),
        }))
    }
}
