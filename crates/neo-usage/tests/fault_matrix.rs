//! The fault matrix of the README's "Reliability" section, natively: each
//! fault, injected by a fake transport into a fetch-all of 1,000 rows in
//! pages of 100, ends in the expected typed error or recovers with exactly
//! the rows the server held when the scan started (none lost, none
//! doubled, in API order). The same rows run in Chromium against the
//! reference server in `crates/neo-usage-client/tests/browser.rs`
//! (`matrix_*`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use futures::executor::block_on;
use neo_usage::decode::decode_json;
use neo_usage::pagination::{fetch_all_task_usages, FetchAllOptions, PageTransport};
use neo_usage::{
    ErrorKind, FetchAllOutput, NeoUsageError, RetryPolicy, TaskStatus, TaskUsage, TaskUsagePage,
    TaskUsageQuery,
};

const ROWS: u64 = 1_000;
const PAGE: u32 = 100;

/// One way a request can go wrong.
#[derive(Debug, Clone)]
enum Fault {
    /// An HTTP error answer, with an optional `Retry-After`.
    Status(u16, Option<&'static str>),
    /// The connection closed without an answer.
    Dropped,
    /// No answer within the timeout.
    TimedOut,
    /// A 200 whose body stops half way.
    Truncated,
    /// A 200 with no rows, `has_more: true` and the real `total`.
    Hollow,
    /// A 200 whose `total` is off by this much.
    Drift(i64),
    /// A new newest row is inserted before this request is served.
    Grow,
}

/// A server over `ROWS` rows, newest first. `faults[offset]` lists what the
/// 1st, 2nd, ... request for that offset meets; later ones are served.
struct Server {
    rows: RefCell<Vec<TaskUsage>>,
    now: DateTime<Utc>,
    faults: RefCell<HashMap<u64, Vec<Fault>>>,
    calls: Cell<u32>,
    slept: RefCell<Vec<Duration>>,
}

fn row(i: u64, at: DateTime<Utc>) -> TaskUsage {
    TaskUsage::new(format!("task-{i:07}"), at, "gpt-4o", TaskStatus::Completed)
}

impl Server {
    fn new() -> Self {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        Server {
            rows: RefCell::new(
                (0..ROWS)
                    .map(|i| row(i, now - chrono::Duration::seconds(60 + i as i64)))
                    .collect(),
            ),
            now,
            faults: RefCell::new(HashMap::new()),
            calls: Cell::new(0),
            slept: RefCell::new(Vec::new()),
        }
    }

    /// The first `times` requests for `offset` meet `fault`.
    fn fault(self, offset: u64, fault: Fault, times: usize) -> Self {
        self.faults
            .borrow_mut()
            .entry(offset)
            .or_default()
            .extend(std::iter::repeat_n(fault, times));
        self
    }

    fn answer(&self, query: &TaskUsageQuery) -> TaskUsagePage {
        let to = query.to_instant();
        let matching: Vec<TaskUsage> = self
            .rows
            .borrow()
            .iter()
            .filter(|r| to.is_none_or(|to| r.created_at < to))
            .cloned()
            .collect();
        let offset = query.offset.unwrap_or(0) as usize;
        let data: Vec<TaskUsage> = matching
            .iter()
            .skip(offset)
            .take(query.limit.unwrap_or(50) as usize)
            .cloned()
            .collect();
        TaskUsagePage {
            has_more: offset + data.len() < matching.len(),
            total: matching.len() as u64,
            data,
        }
    }
}

impl PageTransport for Server {
    type Body = TaskUsagePage;

    fn decode_page(
        &self,
        _: &TaskUsageQuery,
        page: TaskUsagePage,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        Ok(page)
    }

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<TaskUsagePage, NeoUsageError> {
        self.calls.set(self.calls.get() + 1);
        let offset = query.offset.unwrap_or(0);
        let fault = {
            let mut faults = self.faults.borrow_mut();
            faults
                .get_mut(&offset)
                .filter(|list| !list.is_empty())
                .map(|list| list.remove(0))
        };
        let now = self.now;
        match fault {
            None => Ok(self.answer(query)),
            Some(Fault::Status(status, retry_after)) => Err(NeoUsageError::from_response_at(
                status,
                retry_after,
                br#"{"error":"injected"}"#,
                now,
            )),
            Some(Fault::Dropped) => Err(NeoUsageError::Network {
                message: "TypeError: Failed to fetch".into(),
            }),
            Some(Fault::TimedOut) => Err(NeoUsageError::Timeout {
                after: Duration::from_secs(30),
            }),
            Some(Fault::Truncated) => {
                let body = serde_json::to_vec(&self.answer(query)).unwrap();
                decode_json(&body[..body.len() / 2], Some(offset))
            }
            Some(Fault::Hollow) => {
                let mut page = self.answer(query);
                page.data.clear();
                page.has_more = true;
                Ok(page)
            }
            Some(Fault::Drift(by)) => {
                let mut page = self.answer(query);
                page.total = page.total.saturating_add_signed(by);
                Ok(page)
            }
            Some(Fault::Grow) => {
                let newest = self.rows.borrow()[0].created_at;
                let fresh = row(
                    9_000_000 + u64::from(self.calls.get()),
                    newest + chrono::Duration::seconds(1),
                );
                self.rows.borrow_mut().insert(0, fresh);
                Ok(self.answer(query))
            }
        }
    }

    async fn sleep(&self, duration: Duration) {
        self.slept.borrow_mut().push(duration);
    }

    fn jitter(&self) -> f64 {
        0.5
    }

    fn now(&self) -> DateTime<Utc> {
        self.now
    }
}

fn options() -> FetchAllOptions {
    FetchAllOptions {
        page_size: PAGE,
        concurrency: 3,
        retry: RetryPolicy {
            max_attempts: 5,
            ..RetryPolicy::default()
        },
        ..FetchAllOptions::default()
    }
}

fn scan(server: &Server) -> Result<FetchAllOutput, NeoUsageError> {
    block_on(fetch_all_task_usages(
        server,
        &TaskUsageQuery::new(),
        options(),
        |_| {},
    ))
}

/// Recovery: exactly the rows held at the start, in API order, and `extra`
/// requests beyond the 10 pages.
fn assert_recovers(server: Server, extra: u32) -> Server {
    let at_start = server.rows.borrow().clone();
    let out = scan(&server).expect("recovers");
    assert_eq!(out.rows, at_start, "none lost, none doubled, same order");
    assert_eq!((out.duplicates_dropped, out.truncated), (0, false));
    assert_eq!(server.calls.get(), 10 + extra);
    server
}

/// A typed error at the first page, after `calls` requests.
fn assert_fails(server: Server, kind: ErrorKind, calls: u32) -> NeoUsageError {
    let e = scan(&server).unwrap_err();
    assert_eq!(e.kind(), kind, "{e:?}");
    assert!(!matches!(e, NeoUsageError::Incomplete(_)));
    assert_eq!(server.calls.get(), calls);
    e
}

#[test]
fn row_01_401_is_unauthorized_and_not_retried() {
    let e = assert_fails(
        Server::new().fault(0, Fault::Status(401, None), 9),
        ErrorKind::Unauthorized,
        1,
    );
    assert_eq!(e.status(), Some(401));
}

#[test]
fn row_02_403_is_forbidden_and_not_retried() {
    assert_fails(
        Server::new().fault(0, Fault::Status(403, None), 9),
        ErrorKind::Forbidden,
        1,
    );
    // Mid-scan (a revoked token): the rows fetched and the offsets missing
    // come back, never a silently short list.
    let server = Server::new().fault(500, Fault::Status(403, None), 9);
    let options = FetchAllOptions {
        concurrency: 1,
        ..options()
    };
    match block_on(fetch_all_task_usages(
        &server,
        &TaskUsageQuery::new(),
        options,
        |_| {},
    )) {
        Err(NeoUsageError::Incomplete(partial)) => {
            assert_eq!(partial.cause.kind(), ErrorKind::Forbidden);
            assert_eq!(partial.rows[..], server.rows.borrow()[..500]);
            assert_eq!(partial.missing_offsets, vec![500, 600, 700, 800, 900]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.calls.get(), 6, "the 403 was not retried");
}

#[test]
fn row_03_404_is_not_found_and_not_retried() {
    assert_fails(
        Server::new().fault(0, Fault::Status(404, None), 9),
        ErrorKind::NotFound,
        1,
    );
}

#[test]
fn row_04_422_is_validation_and_not_retried() {
    let e = assert_fails(
        Server::new().fault(0, Fault::Status(422, None), 9),
        ErrorKind::Validation,
        1,
    );
    assert!(e.to_string().contains("injected"), "{e}");
}

#[test]
fn row_05_429_waits_at_least_retry_after_in_both_forms() {
    let server = assert_recovers(
        Server::new()
            .fault(0, Fault::Status(429, Some("7")), 1)
            .fault(
                300,
                Fault::Status(429, Some("Sat, 28 Nov 2026 12:00:20 GMT")),
                1,
            ),
        2,
    );
    let mut slept = server.slept.borrow().clone();
    slept.sort();
    assert_eq!(slept, [Duration::from_secs(7), Duration::from_secs(20)]);
    // Longer than the policy's cap: not waited; the 429 goes back at once.
    let e = assert_fails(
        Server::new().fault(0, Fault::Status(429, Some("3600")), 1),
        ErrorKind::RateLimited,
        1,
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
}

#[test]
fn row_06_500_is_retried() {
    assert_recovers(Server::new().fault(400, Fault::Status(500, None), 2), 2);
    // Until the attempts run out: then the error, typed, after 5 requests.
    let e = assert_fails(
        Server::new().fault(0, Fault::Status(500, None), 9),
        ErrorKind::Server,
        5,
    );
    assert_eq!(e.status(), Some(500));
}

#[test]
fn row_07_a_burst_of_503s_is_waited_out_with_growing_backoff() {
    let server = assert_recovers(Server::new().fault(0, Fault::Status(503, None), 4), 4);
    // Full jitter at 0.5 of 250 ms doubling: 125, 250, 500, 1000 ms.
    assert_eq!(
        *server.slept.borrow(),
        [125, 250, 500, 1000].map(Duration::from_millis)
    );
}

#[test]
fn row_08_a_dropped_connection_is_retried() {
    assert_recovers(Server::new().fault(200, Fault::Dropped, 3), 3);
    assert_fails(
        Server::new().fault(0, Fault::Dropped, 9),
        ErrorKind::Network,
        5,
    );
}

#[test]
fn row_09_a_timeout_is_retried() {
    assert_recovers(Server::new().fault(900, Fault::TimedOut, 2), 2);
    assert_fails(
        Server::new().fault(0, Fault::TimedOut, 9),
        ErrorKind::Timeout,
        5,
    );
}

#[test]
fn row_10_a_body_cut_short_is_retried() {
    assert_recovers(Server::new().fault(100, Fault::Truncated, 2), 2);
    let e = assert_fails(
        Server::new().fault(0, Fault::Truncated, 9),
        ErrorKind::Decode,
        5,
    );
    assert!(e.to_string().contains("offset 0"), "{e}");
}

#[test]
fn row_11_has_more_with_an_empty_page_is_refused_and_retried() {
    assert_recovers(Server::new().fault(500, Fault::Hollow, 2), 2);
    // A page that stays hollow is never taken as the end: the rows stay
    // missing, by offset, in an Incomplete error.
    let server = Server::new().fault(500, Fault::Hollow, 9);
    match scan(&server) {
        Err(NeoUsageError::Incomplete(partial)) => {
            assert_eq!(partial.cause.kind(), ErrorKind::Decode);
            assert!(partial.cause.is_retryable());
            assert!(partial.missing_offsets.contains(&500));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn row_12_total_changing_between_pages_loses_and_doubles_nothing() {
    // The first page overstates by 150, later ones understate by up to 250:
    // the plan comes from the first page, has_more carries it further.
    let server = Server::new()
        .fault(0, Fault::Drift(150), 1)
        .fault(100, Fault::Drift(-250), 1)
        .fault(900, Fault::Drift(-40), 1);
    let at_start = server.rows.borrow().clone();
    let out = scan(&server).unwrap();
    assert_eq!(out.rows, at_start);
    assert_eq!(out.total, 1_150, "the first page's total is reported");
    // Understated first total: has_more leads past the plan.
    let server = Server::new().fault(0, Fault::Drift(-450), 1);
    let out = scan(&server).unwrap();
    assert_eq!(out.rows, at_start);
    assert_eq!(out.total, 550);
}

#[test]
fn row_13_rows_inserted_at_the_head_during_a_scan_shift_nothing() {
    let mut server = Server::new();
    for offset in (100..1_000).step_by(100) {
        server = server.fault(offset, Fault::Grow, 1);
    }
    let at_start = server.rows.borrow().clone();
    let out = scan(&server).unwrap();
    assert_eq!(server.rows.borrow().len(), 1_009, "the server grew");
    assert_eq!(out.rows, at_start, "exactly the rows at the start");
    assert_eq!(out.duplicates_dropped, 0);
    assert_eq!(out.query.to.as_deref(), Some("2026-11-28T11:59:00.001Z"));
}
