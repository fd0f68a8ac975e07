//! Fetch-all against a fake transport: every row once, in order, whatever the
//! server does between pages, and no loop that cannot end.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use futures::executor::block_on;
use neo_usage::pagination::{
    fetch_all_pages, fetch_all_pages_into, fetch_all_task_usages, FetchAllOptions, FetchProgress,
    HeldPage, PageScanError, PageSink, PageTransport, ScanPage, ScanStop,
};
use neo_usage::{NeoUsageError, RetryPolicy, TaskStatus, TaskUsage, TaskUsagePage, TaskUsageQuery};

/// A server over a vector of rows, newest first, with knobs for misbehaving.
struct FakeServer {
    rows: RefCell<Vec<TaskUsage>>,
    now: DateTime<Utc>,
    calls: Cell<usize>,
    offsets: RefCell<Vec<u64>>,
    /// Insert a new newest row before every n-th call.
    grow_every: Option<usize>,
    /// Stamp new rows just after the newest row instead of at the client's
    /// `now` plus a little: a server whose clock is behind the client's.
    server_clock_behind: bool,
    /// Ignore the `to` filter (a server that does not honour it).
    ignore_to: bool,
    /// Always answer `has_more: true`.
    has_more_lies: bool,
    /// Report this total instead of the real one.
    total_override: Option<u64>,
    /// Offsets that fail with 503 this many times before succeeding.
    flaky: RefCell<Vec<(u64, u32)>>,
    /// Offsets that always fail with 500.
    broken: Vec<u64>,
    /// Cancel after this many calls.
    cancel_after: Option<usize>,
    in_flight: Cell<usize>,
    peak: Cell<usize>,
}

fn row(i: u64, at: DateTime<Utc>) -> TaskUsage {
    let mut r = TaskUsage::new(format!("task-{i:06}"), at, "gpt-4o", TaskStatus::Completed);
    r.neo_credits = Some(i as f64 / 100.0);
    r
}

impl FakeServer {
    fn new(n: u64) -> Self {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        // Newest first: row 0 is the newest, one minute apart.
        let rows = (0..n)
            .map(|i| row(i, now - chrono::Duration::minutes(1 + i as i64)))
            .collect();
        FakeServer {
            rows: RefCell::new(rows),
            now,
            calls: Cell::new(0),
            offsets: RefCell::new(Vec::new()),
            grow_every: None,
            server_clock_behind: false,
            ignore_to: false,
            has_more_lies: false,
            total_override: None,
            flaky: RefCell::new(Vec::new()),
            broken: Vec::new(),
            cancel_after: None,
            in_flight: Cell::new(0),
            peak: Cell::new(0),
        }
    }

    /// Every `task_id` the server holds now.
    fn ids(&self) -> BTreeSet<String> {
        self.rows
            .borrow()
            .iter()
            .map(|r| r.task_id.clone())
            .collect()
    }

    /// Rows inserted during the scan that a `to` pinned on the client's
    /// clock would have let in.
    fn grown_before_client_now(&self) -> usize {
        self.rows
            .borrow()
            .iter()
            .filter(|r| r.task_id.starts_with("task-1") && r.created_at < self.now)
            .count()
    }
}

/// Yields once, so concurrent page futures really interleave.
async fn yield_now() {
    let mut yielded = false;
    futures::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await
}

impl PageTransport for FakeServer {
    type Body = TaskUsagePage;

    fn decode_page(
        &self,
        _: &TaskUsageQuery,
        page: TaskUsagePage,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        Ok(page)
    }

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<TaskUsagePage, NeoUsageError> {
        let call = self.calls.get() + 1;
        self.calls.set(call);
        self.in_flight.set(self.in_flight.get() + 1);
        self.peak.set(self.peak.get().max(self.in_flight.get()));
        yield_now().await;
        self.in_flight.set(self.in_flight.get() - 1);
        if let Some(n) = self.grow_every {
            if call % n == 0 {
                let newest = self.rows.borrow()[0].created_at;
                let at = if self.server_clock_behind {
                    // Still before the client's `now`.
                    newest + chrono::Duration::seconds(1)
                } else {
                    self.now + chrono::Duration::seconds(call as i64)
                };
                self.rows
                    .borrow_mut()
                    .insert(0, row(1_000_000 + call as u64, at));
            }
        }
        let offset = query.offset.unwrap_or(0);
        self.offsets.borrow_mut().push(offset);
        if self.broken.contains(&offset) {
            return Err(NeoUsageError::from_response(500, None, b"boom"));
        }
        if let Some(entry) = self
            .flaky
            .borrow_mut()
            .iter_mut()
            .find(|(o, left)| *o == offset && *left > 0)
        {
            entry.1 -= 1;
            return Err(NeoUsageError::from_response(503, None, b"busy"));
        }
        let to = query.to_instant();
        let matching: Vec<TaskUsage> = self
            .rows
            .borrow()
            .iter()
            .filter(|r| self.ignore_to || to.is_none_or(|to| r.created_at < to))
            .cloned()
            .collect();
        let limit = query.limit.unwrap_or(50) as usize;
        let data: Vec<TaskUsage> = matching
            .iter()
            .skip(offset as usize)
            .take(limit)
            .cloned()
            .collect();
        let total = self.total_override.unwrap_or(matching.len() as u64);
        let has_more = self.has_more_lies || (offset as usize + data.len()) < matching.len();
        Ok(TaskUsagePage {
            data,
            has_more,
            total,
        })
    }

    async fn sleep(&self, _duration: Duration) {}

    fn jitter(&self) -> f64 {
        0.5
    }

    fn now(&self) -> DateTime<Utc> {
        self.now
    }

    fn is_cancelled(&self) -> bool {
        self.cancel_after.is_some_and(|n| self.calls.get() >= n)
    }
}

fn options(page: u32) -> FetchAllOptions {
    FetchAllOptions {
        page_size: page,
        concurrency: 3,
        ..FetchAllOptions::default()
    }
}

fn run(
    server: &FakeServer,
    opts: FetchAllOptions,
) -> Result<neo_usage::FetchAllOutput, NeoUsageError> {
    block_on(fetch_all_task_usages(
        server,
        &TaskUsageQuery::new(),
        opts,
        |_| {},
    ))
}

fn assert_unique_in_order(rows: &[TaskUsage]) {
    let ids: HashSet<&str> = rows.iter().map(|r| r.task_id.as_str()).collect();
    assert_eq!(ids.len(), rows.len(), "a row appears twice");
    assert!(
        rows.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "rows out of API order"
    );
}

#[test]
fn fetches_every_row_once_with_bounded_concurrency() {
    let server = FakeServer::new(1_001);
    let out = run(&server, options(100)).unwrap();
    assert_eq!(out.rows.len(), 1_001);
    assert_eq!(
        (out.total, out.pages, out.duplicates_dropped, out.truncated),
        (1_001, 11, 0, false)
    );
    assert_unique_in_order(&out.rows);
    assert_eq!(
        server
            .offsets
            .borrow()
            .iter()
            .copied()
            .collect::<BTreeSet<_>>(),
        (0..=1000).step_by(100).collect()
    );
    assert!(
        server.peak.get() <= 3 && server.peak.get() >= 2,
        "peak {}",
        server.peak.get()
    );
}

#[test]
fn pins_to_at_scan_start_so_rows_created_during_the_scan_shift_nothing() {
    for server_clock_behind in [false, true] {
        let mut server = FakeServer::new(500);
        server.grow_every = Some(2);
        server.server_clock_behind = server_clock_behind;
        let expected = server.ids();
        let out = run(&server, options(50)).unwrap();
        let got: BTreeSet<String> = out.rows.iter().map(|r| r.task_id.clone()).collect();
        assert_eq!(got, expected, "server clock behind: {server_clock_behind}");
        assert_unique_in_order(&out.rows);
        assert!(!out.truncated);
        // One millisecond after the newest row (11:59), on the server's clock.
        assert_eq!(out.query.to.as_deref(), Some("2026-11-28T11:59:00.001Z"));
        assert!(server.rows.borrow().len() > 500, "the fake did grow");
        // Behind, the inserted rows predate the client's clock: a pin on
        // that clock would have let them in. Only then is this the hard case.
        assert_eq!(
            server.grown_before_client_now() > 0,
            server_clock_behind,
            "the two runs must differ"
        );
    }
}

#[test]
fn a_scan_that_starts_deeper_pins_to_the_local_clock() {
    let mut server = FakeServer::new(300);
    server.grow_every = Some(2);
    let q = TaskUsageQuery::new().offset(100);
    let out = block_on(fetch_all_task_usages(&server, &q, options(50), |_| {})).unwrap();
    assert_eq!(out.query.to.as_deref(), Some("2026-11-28T12:00:00Z"));
    let expected: BTreeSet<String> = (100..300).map(|i| format!("task-{i:06}")).collect();
    assert_eq!(
        out.rows
            .iter()
            .map(|r| r.task_id.clone())
            .collect::<BTreeSet<_>>(),
        expected
    );
}

#[test]
fn caller_given_to_is_kept() {
    let server = FakeServer::new(50);
    let q = TaskUsageQuery::new().to("2026-11-28T11:30:00Z");
    let out = block_on(fetch_all_task_usages(&server, &q, options(10), |_| {})).unwrap();
    assert_eq!(out.query.to.as_deref(), Some("2026-11-28T11:30:00Z"));
    assert_eq!(out.rows.len(), 20); // minutes 31..=50 before 12:00 are older than 11:30
}

#[test]
fn rows_shifting_between_pages_are_not_doubled() {
    // A server that ignores `to`: new rows at the head push old rows onto
    // the next page, so they come twice; each is kept once.
    let mut server = FakeServer::new(300);
    server.grow_every = Some(1);
    server.ignore_to = true;
    let out = run(
        &server,
        FetchAllOptions {
            concurrency: 1,
            ..options(50)
        },
    )
    .unwrap();
    assert_unique_in_order(&out.rows);
    assert!(
        out.duplicates_dropped > 0,
        "the shift must have produced duplicates"
    );
    let original: BTreeSet<String> = (0..300).map(|i| format!("task-{i:06}")).collect();
    let got: BTreeSet<String> = out.rows.iter().map(|r| r.task_id.clone()).collect();
    // Rows only move later, so every original row still arrives.
    assert!(
        original.is_subset(&got),
        "missing: {:?}",
        original.difference(&got).collect::<Vec<_>>()
    );
}

#[test]
fn lying_has_more_cannot_loop_forever() {
    let mut server = FakeServer::new(120);
    server.has_more_lies = true;
    let out = run(&server, options(50)).unwrap();
    assert_eq!(out.rows.len(), 120);
    assert!(!out.truncated);
    // 0, 50, 100 planned; the short page at 100 stops it despite has_more.
    assert_eq!(server.calls.get(), 3);

    let mut exact = FakeServer::new(100);
    exact.has_more_lies = true;
    let out = run(&exact, options(50)).unwrap();
    assert_eq!(out.rows.len(), 100);
    assert!(!out.truncated);
    // Full last page says more: one probe at 100 comes back empty and stops.
    assert_eq!(exact.calls.get(), 3);
}

#[test]
fn understated_total_is_followed_by_has_more() {
    let mut server = FakeServer::new(230);
    server.total_override = Some(60);
    let out = run(&server, options(50)).unwrap();
    assert_eq!(out.rows.len(), 230);
    assert!(!out.truncated);
    assert_unique_in_order(&out.rows);
}

#[test]
fn overstated_total_ends_on_empty_pages() {
    let mut server = FakeServer::new(70);
    server.total_override = Some(1_000);
    let out = run(&server, options(50)).unwrap();
    assert_eq!(out.rows.len(), 70);
    assert!(!out.truncated);
}

#[test]
fn page_cap_bounds_a_server_that_never_ends() {
    let mut server = FakeServer::new(10_000);
    server.total_override = Some(0);
    server.has_more_lies = true;
    let out = run(
        &server,
        FetchAllOptions {
            max_pages: 5,
            ..options(10)
        },
    )
    .unwrap();
    assert_eq!(out.rows.len(), 50);
    // The server still says more: the cap, not the data, ended the scan.
    assert!(out.truncated);
    assert_eq!(server.calls.get(), 5);
}

#[test]
fn row_cap_truncates() {
    let server = FakeServer::new(1_000);
    let out = run(
        &server,
        FetchAllOptions {
            max_rows: Some(230),
            ..options(100)
        },
    )
    .unwrap();
    assert_eq!(out.rows.len(), 230);
    assert!(out.truncated);
    assert_eq!(server.calls.get(), 3);
}

#[test]
fn flaky_pages_are_retried() {
    let server = FakeServer::new(400);
    server.flaky.borrow_mut().extend([(100, 2), (300, 1)]);
    let out = run(&server, options(100)).unwrap();
    assert_eq!(out.rows.len(), 400);
    assert_eq!(server.calls.get(), 4 + 3);
}

/// 500 rows in pages of 100, the page at offset 200 always failing, no
/// retries, one page at a time.
fn broken_at_200() -> (FakeServer, FetchAllOptions) {
    let mut server = FakeServer::new(500);
    server.broken = vec![200];
    let opts = FetchAllOptions {
        retry: RetryPolicy::never(),
        concurrency: 1,
        ..options(100)
    };
    (server, opts)
}

#[test]
fn a_page_that_keeps_failing_returns_the_rows_and_names_the_missing_offsets() {
    let (server, opts) = broken_at_200();
    match run(&server, opts).unwrap_err() {
        NeoUsageError::Incomplete(partial) => {
            assert_eq!(partial.cause.status(), Some(500));
            assert_eq!(partial.missing_offsets, vec![200, 300, 400]);
            assert_eq!(partial.rows.len(), 200);
            assert_unique_in_order(&partial.rows);
            assert_eq!(partial.total, 500);
            assert!(partial.query.to.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn first_page_failure_is_returned_as_is() {
    let mut server = FakeServer::new(10);
    server.broken = vec![0];
    let e = run(
        &server,
        FetchAllOptions {
            retry: RetryPolicy::never(),
            ..options(5)
        },
    )
    .unwrap_err();
    assert_eq!(e.status(), Some(500));
    assert!(!matches!(e, NeoUsageError::Incomplete(_)));
}

#[test]
fn cancelling_stops_and_keeps_what_arrived() {
    let mut server = FakeServer::new(1_000);
    server.cancel_after = Some(3);
    match run(
        &server,
        FetchAllOptions {
            concurrency: 1,
            ..options(100)
        },
    )
    .unwrap_err()
    {
        NeoUsageError::Incomplete(partial) => {
            assert_eq!(partial.cause, NeoUsageError::Aborted);
            assert_eq!(partial.rows.len(), 300);
            assert_eq!(
                partial.missing_offsets,
                (300..1000).step_by(100).collect::<Vec<_>>()
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.calls.get(), 3);
}

#[test]
fn invalid_query_is_refused_before_any_request() {
    let server = FakeServer::new(10);
    let q = TaskUsageQuery::new().limit(0);
    let e = block_on(fetch_all_task_usages(&server, &q, options(5), |_| {})).unwrap_err();
    assert_eq!(e.kind(), neo_usage::ErrorKind::InvalidQuery);
    assert_eq!(server.calls.get(), 0);
}

#[test]
fn progress_reports_every_page_and_ends_at_total() {
    let server = FakeServer::new(250);
    let mut seen: Vec<FetchProgress> = Vec::new();
    block_on(fetch_all_task_usages(
        &server,
        &TaskUsageQuery::new(),
        options(100),
        |p| seen.push(p),
    ))
    .unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|p| p.total == 250 && p.pages_planned == 3));
    assert_eq!(
        seen.last().map(|p| (p.rows_loaded, p.pages_done)),
        Some((250, 3))
    );
    assert!(seen.windows(2).all(|w| w[0].rows_loaded < w[1].rows_loaded));
}

/// A page held in another representation than `TaskUsagePage`: here only
/// its ids and times, as a store would hold them.
type IdsPage = HeldPage<()>;

/// The fake server's pages, decoded into [`IdsPage`]s.
struct IdsTransport<'a>(&'a FakeServer);

impl PageTransport<IdsPage> for IdsTransport<'_> {
    type Body = TaskUsagePage;

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<TaskUsagePage, NeoUsageError> {
        PageTransport::fetch_body(self.0, query).await
    }

    fn decode_page(
        &self,
        _: &TaskUsageQuery,
        page: TaskUsagePage,
    ) -> Result<IdsPage, NeoUsageError> {
        Ok(HeldPage::new(page, ()))
    }
    async fn sleep(&self, duration: Duration) {
        PageTransport::sleep(self.0, duration).await
    }
    fn jitter(&self) -> f64 {
        PageTransport::jitter(self.0)
    }
    fn now(&self) -> DateTime<Utc> {
        PageTransport::now(self.0)
    }
    fn is_cancelled(&self) -> bool {
        PageTransport::is_cancelled(self.0)
    }
}

#[test]
fn pages_of_any_representation_come_back_in_offset_order_as_the_rows_would() {
    let mut server = FakeServer::new(1_050);
    server.grow_every = Some(3);
    let scan = block_on(fetch_all_pages(
        &IdsTransport(&server),
        &TaskUsageQuery::new(),
        options(100),
        |_| {},
    ))
    .unwrap();
    assert_eq!(scan.pages.len(), 11);
    assert_eq!(scan.total, 1_050);
    assert_eq!(scan.distinct_rows, 1_050);
    assert!(!scan.truncated);
    let ids: Vec<&str> = scan
        .pages
        .iter()
        .flat_map(|p| p.task_ids.iter().map(String::as_str))
        .collect();
    let expected: Vec<String> = (0..1_050).map(|i| format!("task-{i:06}")).collect();
    assert_eq!(
        ids, expected,
        "offset order, no row created during the scan"
    );
}

#[test]
fn a_stopped_scan_of_any_representation_keeps_its_pages() {
    let (server, opts) = broken_at_200();
    let stopped = match block_on(fetch_all_pages(
        &IdsTransport(&server),
        &TaskUsageQuery::new(),
        opts,
        |_| {},
    )) {
        Err(PageScanError::Stopped(stopped)) => stopped,
        other => panic!("{other:?}"),
    };
    assert_eq!(stopped.cause.status(), Some(500));
    assert_eq!(stopped.missing_offsets, vec![200, 300, 400]);
    assert_eq!(
        stopped.pages.iter().map(ScanPage::row_count).sum::<usize>(),
        200
    );
    assert_eq!(stopped.pages[1].task_ids[0], "task-000100");
    let first_fails = FakeServer {
        broken: vec![0],
        ..FakeServer::new(10)
    };
    let failed = block_on(fetch_all_pages(
        &IdsTransport(&first_fails),
        &TaskUsageQuery::new(),
        options(100),
        |_| {},
    ));
    assert!(matches!(failed, Err(PageScanError::Failed(e)) if e.status() == Some(500)));
}

/// The fake server's pages, each body held back until the test lets it
/// arrive (as a network does, one at a time), with every request and
/// decode logged in order.
struct GatedTransport<'a> {
    server: &'a FakeServer,
    /// Offsets whose body may arrive, and the waker of each request.
    arrived: RefCell<HashSet<u64>>,
    wakers: RefCell<Vec<(u64, std::task::Waker)>>,
    log: RefCell<Vec<(&'static str, u64)>>,
}

impl GatedTransport<'_> {
    /// Lets the body of `offset` arrive.
    fn arrive(&self, offset: u64) {
        self.arrived.borrow_mut().insert(offset);
        let wakers = self.wakers.borrow();
        wakers
            .iter()
            .filter(|(o, _)| *o == offset)
            .for_each(|(_, w)| w.wake_by_ref());
    }

    /// The requests sent so far whose body has not arrived.
    fn waiting(&self) -> Vec<u64> {
        let log = self.log.borrow();
        let arrived = self.arrived.borrow();
        log.iter()
            .filter(|(event, o)| *event == "request" && !arrived.contains(o))
            .map(|(_, o)| *o)
            .collect()
    }
}

impl PageTransport for GatedTransport<'_> {
    type Body = TaskUsagePage;

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<TaskUsagePage, NeoUsageError> {
        let offset = query.offset.unwrap_or(0);
        self.log.borrow_mut().push(("request", offset));
        futures::future::poll_fn(|cx| {
            if self.arrived.borrow().contains(&offset) {
                return std::task::Poll::Ready(());
            }
            self.wakers.borrow_mut().push((offset, cx.waker().clone()));
            std::task::Poll::Pending
        })
        .await;
        let body = PageTransport::fetch_body(self.server, query).await;
        // A wake on the way out, as the browser's fetch gives: the page is
        // queued to run again before anything it wakes afterwards.
        futures::future::poll_fn(|cx| {
            cx.waker().wake_by_ref();
            std::task::Poll::Ready(())
        })
        .await;
        body
    }

    fn decode_page(
        &self,
        query: &TaskUsageQuery,
        page: TaskUsagePage,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        self.log
            .borrow_mut()
            .push(("decode", query.offset.unwrap_or(0)));
        Ok(page)
    }

    async fn sleep(&self, duration: Duration) {
        PageTransport::sleep(self.server, duration).await
    }
    fn jitter(&self) -> f64 {
        PageTransport::jitter(self.server)
    }
    fn now(&self) -> DateTime<Utc> {
        PageTransport::now(self.server)
    }
}

#[test]
fn the_next_request_goes_out_before_a_page_is_decoded() {
    // One thread: while a page is decoded nothing else runs, so the
    // request waiting for its slot must be sent first.
    let server = FakeServer::new(1_000);
    let transport = GatedTransport {
        server: &server,
        arrived: RefCell::new(HashSet::new()),
        wakers: RefCell::new(Vec::new()),
        log: RefCell::new(Vec::new()),
    };
    let opts = FetchAllOptions {
        concurrency: 3,
        ..options(100)
    };
    let query = TaskUsageQuery::new();
    let scan = fetch_all_task_usages(&transport, &query, opts, |_| {});
    let mut scan = Box::pin(scan);
    // One executor turn: the scan polled once, as a woken task is.
    let mut turn = || {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        std::future::Future::poll(scan.as_mut(), &mut cx)
    };
    let mut result = turn();
    while result.is_pending() {
        // The body of the oldest request still out arrives.
        let waiting = transport.waiting();
        assert!(
            !waiting.is_empty() && waiting.len() <= 3,
            "in flight: {waiting:?}"
        );
        transport.arrive(waiting[0]);
        for _ in 0..4 {
            result = turn();
            if result.is_ready() {
                break;
            }
        }
    }
    let std::task::Poll::Ready(out) = result else {
        unreachable!()
    };
    assert_eq!(out.unwrap().rows.len(), 1_000);
    drop(scan);
    let log = transport.log.into_inner();
    let at = |event: (&'static str, u64)| log.iter().position(|e| *e == event).unwrap();
    let requests: Vec<u64> = log
        .iter()
        .filter(|e| e.0 == "request")
        .map(|e| e.1)
        .collect();
    assert_eq!(
        requests,
        (0..10).map(|p| p * 100).collect::<Vec<_>>(),
        "in plan order"
    );
    for offset in (100..=600).step_by(100) {
        assert!(
            at(("request", offset + 300)) < at(("decode", offset)),
            "the request for {} waited for the decode of {offset}: {log:?}",
            offset + 300
        );
    }
}

/// A sink that records what a scan hands it, in arrival order.
#[derive(Default)]
struct RecordingSink {
    began: Option<(u64, u32)>,
    arrivals: Vec<(u64, IdsPage)>,
}

impl PageSink<IdsPage> for RecordingSink {
    fn begin(&mut self, start: u64, limit: u32) {
        assert!(
            self.began.is_none() && self.arrivals.is_empty(),
            "begin comes once, first"
        );
        self.began = Some((start, limit));
    }
    fn put(&mut self, offset: u64, page: IdsPage) {
        self.arrivals.push((offset, page));
    }
}

#[test]
fn a_sink_is_handed_every_page_once_as_it_arrives() {
    let mut server = FakeServer::new(1_050);
    server.grow_every = Some(3);
    let mut sink = RecordingSink::default();
    let end = block_on(fetch_all_pages_into(
        &IdsTransport(&server),
        &TaskUsageQuery::new().offset(0),
        options(100),
        &mut sink,
        |_| {},
    ))
    .unwrap();
    assert_eq!(sink.began, Some((0, 100)));
    assert_eq!(
        (end.pages, end.total, end.distinct_rows),
        (11, 1_050, 1_050)
    );
    let mut offsets: Vec<u64> = sink.arrivals.iter().map(|(o, _)| *o).collect();
    offsets.sort_unstable();
    assert_eq!(offsets, (0..11).map(|k| k * 100).collect::<Vec<_>>());
    // The same pages fetch_all_pages returns, once offsets put them in order.
    sink.arrivals.sort_by_key(|(o, _)| *o);
    let ids: Vec<&str> = sink
        .arrivals
        .iter()
        .flat_map(|(_, p)| p.task_ids.iter().map(String::as_str))
        .collect();
    let expected: Vec<String> = (0..1_050).map(|i| format!("task-{i:06}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn a_stopped_scan_leaves_its_pages_in_the_sink() {
    let (server, opts) = broken_at_200();
    let mut sink = RecordingSink::default();
    let stopped = match block_on(fetch_all_pages_into(
        &IdsTransport(&server),
        &TaskUsageQuery::new(),
        opts,
        &mut sink,
        |_| {},
    )) {
        Err(ScanStop::Stopped(stopped)) => stopped,
        other => panic!("{other:?}"),
    };
    assert_eq!(stopped.cause.status(), Some(500));
    assert_eq!(stopped.missing_offsets, vec![200, 300, 400]);
    let mut offsets: Vec<u64> = sink.arrivals.iter().map(|(o, _)| *o).collect();
    offsets.sort_unstable();
    assert_eq!(offsets, vec![0, 100]);
}
