//! The client in headless Chromium against reference servers
//! (`neo-usage-mock`) started by `scripts/client-tests.sh`, each with its own
//! fault flags. Their URLs come in at compile time:
//!
//! | variable | server flags (all `--seed 7 --tasks 2000 --now 2026-11-01T00:00:00Z`) |
//! |---|---|
//! | `NEO_MOCK_URL` | none (the fault-free twin) |
//! | `NEO_MOCK_FAULTY_URL` | `--drop-rate 0.2` (20 % of connections dropped) |
//! | `NEO_MOCK_FLAKY_URL` | `--error-rate 0.2` (500 or 503) |
//! | `NEO_MOCK_GROW_URL` | `--grow-every 3` |
//! | `NEO_MOCK_TRUNCATE_URL` | `--truncate-rate 0.2` (200 bodies cut in half) |
//! | `NEO_MOCK_SLOW_URL` | `--latency-ms 300` |
//! | `NEO_MOCK_BOUND_URL` | `--latency-ms 200` |
//! | `NEO_MOCK_LIMITED_URL` | `--rate-limit 3 --rate-window-ms 3600000 --retry-after 1` (the 4th request after a reset is a 429, whatever the machine's speed) |
//! | `NEO_MOCK_BUSY_URL` | `--error-rate 0.25 --error-statuses 429 --retry-after 1` |
//! | `NEO_MOCK_BROKEN_URL` | `--error-rate 1 --error-statuses 500` |
//! | `NEO_MOCK_BURST_URL` | `--error-rate 0.6 --error-statuses 503` (runs of 503s) |
//! | `NEO_MOCK_DROP_URL` | `--drop-rate 1` |
//! | `NEO_MOCK_STALL_URL` | `--stall-rate 0.2` (answers held 10 min) |
//! | `NEO_MOCK_HANG_URL` | `--stall-rate 1` |
//! | `NEO_MOCK_HOLLOW_URL` | `--empty-page-rate 0.2` (no rows, `has_more: true`) |
//! | `NEO_MOCK_DRIFT_URL` | `--total-drift 150` |
//!
//! A test whose variable is missing fails: run them through the script.
//! Faults are drawn per request number, which `POST /__mock/reset`
//! restarts: a test that resets and sends its requests one at a time meets
//! the same faults every run. Assertions are on rows, kinds and request
//! counts, never on how fast the machine is.
//!
//! The `matrix_*` tests are the rows of the README's fault matrix.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use neo_usage::{
    ErrorKind, GroupBy, NeoUsageError, RetryPolicy, StreamUsageQuery, SummaryQuery, TaskStatus,
    TaskUsage, TaskUsageQuery,
};
use neo_usage_client::{CancelHandle, ClientConfig, Credentials, FetchAllRequest, NeoUsageClient};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SOLO: &str = "solo-token";
const ADMIN: &str = "admin-token";

fn log(text: &str) {
    web_sys::console::log_1(&text.into());
}

/// The URL of a server. A missing variable fails the test: a test that
/// did not run must not pass.
macro_rules! server {
    ($var:literal) => {
        match option_env!($var) {
            Some(url) => url,
            None => panic!(concat!(
                $var,
                " was not set when this test was compiled: run scripts/client-tests.sh"
            )),
        }
    };
}

/// Quick retries, so fault tests do not wait on production backoff.
fn fast_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        ..RetryPolicy::default()
    }
}

fn client(url: &str, token: &str) -> NeoUsageClient {
    NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(token.into()))
            .base_url(url)
            .retry(fast_retry(4)),
    )
}

#[derive(Debug, serde::Deserialize)]
struct Stats {
    requests: u64,
    peak_in_flight: u64,
    rows: u64,
}

async fn stats(url: &str) -> Stats {
    let response = gloo_net::http::Request::get(&format!("{url}/__mock/stats"))
        .send()
        .await
        .expect("stats reachable");
    let bytes = response.binary().await.expect("stats body");
    serde_json::from_slice(&bytes).expect("stats JSON")
}

async fn reset(url: &str) {
    let response = gloo_net::http::Request::post(&format!("{url}/__mock/reset"))
        .send()
        .await
        .expect("reset reachable");
    assert!(response.ok(), "reset answered {}", response.status());
}

/// Every row, by a plain sequential offset scan with the typed method.
async fn sequential_scan(client: &NeoUsageClient, base: TaskUsageQuery) -> Vec<TaskUsage> {
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let page = client
            .list_task_usages(&base.clone().limit(200).offset(offset))
            .await
            .expect("page of the twin");
        let n = page.data.len() as u64;
        rows.extend(page.data);
        offset += 200;
        if !page.has_more || n == 0 {
            return rows;
        }
    }
}

/// The twin's rows, in API order: what every faulty server holds at the
/// start of a scan.
async fn twin_rows() -> Vec<TaskUsage> {
    let rows = sequential_scan(
        &client(server!("NEO_MOCK_URL"), ADMIN),
        TaskUsageQuery::new(),
    )
    .await;
    assert_eq!(rows.len(), 2000);
    rows
}

/// A client with `retry` and no other change.
fn client_with(url: &str, retry: RetryPolicy) -> NeoUsageClient {
    NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(url)
            .retry(retry),
    )
}

/// Fetch-all of the default query (pages of 200) with `concurrency`.
async fn fetch_all(
    c: &NeoUsageClient,
    concurrency: usize,
) -> Result<neo_usage::FetchAllOutput, NeoUsageError> {
    c.fetch_all_task_usages(
        &TaskUsageQuery::new(),
        FetchAllRequest::default().concurrency(concurrency),
        |_| {},
    )
    .await
}

/// The 10 pages of a full scan: rows equal to the twin's (none lost, none
/// doubled, same order), and more requests than pages (faults were met).
async fn assert_scan_equals_twin(url: &str, all: &neo_usage::FetchAllOutput) -> u64 {
    let expected = twin_rows().await;
    assert_eq!(all.rows.len(), expected.len(), "none lost, none doubled");
    assert_eq!(all.rows, expected, "same rows, same order");
    assert!(!all.truncated);
    let requests = stats(url).await.requests;
    assert!(
        requests > 10,
        "faults were met: {requests} requests for 10 pages"
    );
    requests
}

fn ids(rows: &[TaskUsage]) -> HashSet<String> {
    rows.iter().map(|r| r.task_id.clone()).collect()
}

fn assert_kind<T: std::fmt::Debug>(
    result: Result<T, NeoUsageError>,
    kind: ErrorKind,
) -> NeoUsageError {
    match result {
        Err(e) if e.kind() == kind => e,
        other => panic!("expected {kind}, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn lists_task_usages_page_by_page_with_filters() {
    let url = server!("NEO_MOCK_URL");
    let c = client(url, ADMIN);
    let first = c
        .list_task_usages(&TaskUsageQuery::new().limit(50))
        .await
        .unwrap();
    assert_eq!(first.data.len(), 50);
    assert_eq!(first.total, 2000);
    assert!(first.has_more);
    let second = c
        .list_task_usages(&TaskUsageQuery::new().limit(50).offset(50))
        .await
        .unwrap();
    assert!(ids(&first.data).is_disjoint(&ids(&second.data)));
    assert!(first.data.last().unwrap().created_at >= second.data[0].created_at);

    let errors = c
        .list_task_usages(&TaskUsageQuery::new().status(TaskStatus::Error).limit(200))
        .await
        .unwrap();
    assert!(errors.total > 0 && errors.total < 2000);
    assert!(errors.data.iter().all(|r| r.status == TaskStatus::Error));
}

#[wasm_bindgen_test]
async fn gets_one_task_and_404_for_an_unknown_one() {
    let url = server!("NEO_MOCK_URL");
    let c = client(url, ADMIN);
    let page = c
        .list_task_usages(&TaskUsageQuery::new().limit(3))
        .await
        .unwrap();
    let wanted = &page.data[2];
    let got = c.get_task_usage(&wanted.task_id).await.unwrap();
    assert_eq!(&got, wanted);
    let e = assert_kind(
        c.get_task_usage("no-such-task/../x").await,
        ErrorKind::NotFound,
    );
    assert_eq!(e.status(), Some(404));
    assert_kind(c.get_task_usage("  ").await, ErrorKind::InvalidQuery);
}

#[wasm_bindgen_test]
async fn lists_streams_of_a_task() {
    let url = server!("NEO_MOCK_URL");
    let c = client(url, ADMIN);
    let page = c
        .list_task_usages(&TaskUsageQuery::new().limit(1))
        .await
        .unwrap();
    let task = &page.data[0];
    let streams = c
        .list_stream_usages(&StreamUsageQuery::new().task_id(task.task_id.clone()))
        .await
        .unwrap();
    assert!(!streams.data.is_empty());
    assert!(streams
        .data
        .iter()
        .all(|s| s.task_id == task.task_id && s.stream_id.is_some()));
}

#[wasm_bindgen_test]
async fn gets_the_summary_grouped_by_day() {
    let url = server!("NEO_MOCK_URL");
    let c = client(url, ADMIN);
    let summary = c
        .get_usage_summary(&SummaryQuery::new().group_by(GroupBy::Day))
        .await
        .unwrap();
    assert_eq!(summary.total_tasks, 2000);
    assert!(!summary.by_period.is_empty());
    assert!(!summary.by_model.is_empty());
    assert_eq!(summary.by_status.values().sum::<u64>(), 2000);
}

#[wasm_bindgen_test]
async fn api_key_credentials_work() {
    let url = server!("NEO_MOCK_URL");
    let c = NeoUsageClient::new(ClientConfig::new(Credentials::ApiKey(SOLO.into())).base_url(url));
    let page = c
        .list_task_usages(&TaskUsageQuery::new().limit(1))
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
}

#[wasm_bindgen_test]
async fn unknown_token_is_401_and_members_viewers_are_403() {
    let url = server!("NEO_MOCK_URL");
    let e = assert_kind(
        client(url, "wrong-token")
            .list_task_usages(&TaskUsageQuery::new())
            .await,
        ErrorKind::Unauthorized,
    );
    assert_eq!(e.status(), Some(401));
    assert!(!e.to_string().contains("wrong-token"), "{e}");
    for token in ["member-token", "viewer-token"] {
        let e = assert_kind(
            client(url, token)
                .get_usage_summary(&SummaryQuery::new())
                .await,
            ErrorKind::Forbidden,
        );
        assert_eq!(e.status(), Some(403));
    }
}

#[wasm_bindgen_test]
async fn bad_queries_are_refused_locally_and_by_the_server() {
    let url = server!("NEO_MOCK_URL");
    let c = client(url, ADMIN);
    let before = stats(url).await.requests;
    let e = assert_kind(
        c.list_task_usages(&TaskUsageQuery::new().limit(500).from("yesterday"))
            .await,
        ErrorKind::InvalidQuery,
    );
    match e {
        NeoUsageError::InvalidQuery { problems } => assert_eq!(problems.len(), 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(stats(url).await.requests, before, "nothing was sent");
    // The server's own check: a value the typed query cannot even express.
    let e = assert_kind(
        c.transport()
            .get_bytes("/api/v1/usage/tasks?limit=abc")
            .await,
        ErrorKind::Validation,
    );
    assert_eq!(e.status(), Some(422));
    assert!(e.to_string().contains("limit"), "{e}");
}

#[wasm_bindgen_test]
async fn abort_in_the_middle_of_fetch_all_keeps_the_rows() {
    let url = server!("NEO_MOCK_SLOW_URL");
    let c = client(url, ADMIN);
    let cancel = CancelHandle::new();
    let trigger = cancel.clone();
    let pages = Rc::new(Cell::new(0));
    let seen = pages.clone();
    let result = c
        .fetch_all_task_usages(
            &TaskUsageQuery::new().limit(100),
            FetchAllRequest::default().concurrency(2).cancel(cancel),
            move |p| {
                seen.set(p.pages_done);
                if p.pages_done == 3 {
                    trigger.cancel();
                }
            },
        )
        .await;
    let e = assert_kind(result, ErrorKind::Aborted);
    match e {
        NeoUsageError::Incomplete(partial) => {
            assert!(partial.rows.len() >= 300, "{} rows", partial.rows.len());
            assert!(partial.rows.len() < 2000);
            assert_eq!(ids(&partial.rows).len(), partial.rows.len());
            assert!(!partial.missing_offsets.is_empty());
            assert_eq!(partial.total, 2000);
        }
        other => panic!("{other:?}"),
    }
    assert!(pages.get() <= 4, "stopped after {} pages", pages.get());
}

#[wasm_bindgen_test]
async fn requests_in_flight_never_exceed_the_bound() {
    let url = server!("NEO_MOCK_BOUND_URL");
    for (max_concurrency, concurrency, bound) in [(3, 8, 3), (8, 2, 2)] {
        reset(url).await;
        let c = NeoUsageClient::new(
            ClientConfig::new(Credentials::Bearer(ADMIN.into()))
                .base_url(url)
                .max_concurrency(max_concurrency),
        );
        let all = c
            .fetch_all_task_usages(
                &TaskUsageQuery::new().limit(100),
                FetchAllRequest::default().concurrency(concurrency),
                |_| {},
            )
            .await
            .unwrap();
        assert_eq!(all.rows.len(), 2000);
        let peak = stats(url).await.peak_in_flight;
        log(&format!(
            "max_concurrency {max_concurrency}, concurrency {concurrency}: peak {peak}"
        ));
        assert!(peak <= bound, "peak {peak} > {bound}");
        assert!(peak >= 2, "requests did overlap (peak {peak})");
    }
}

#[wasm_bindgen_test]
async fn matrix_401_unauthorized_is_not_retried() {
    let url = server!("NEO_MOCK_URL");
    reset(url).await;
    let e = assert_kind(
        fetch_all(&client(url, "wrong-token"), 4).await,
        ErrorKind::Unauthorized,
    );
    assert_eq!(e.status(), Some(401));
    assert!(!e.to_string().contains("wrong-token"), "{e}");
    assert_eq!(stats(url).await.requests, 1, "one request, no retry");
}

#[wasm_bindgen_test]
async fn matrix_403_forbidden_is_not_retried() {
    let url = server!("NEO_MOCK_URL");
    reset(url).await;
    let e = assert_kind(
        fetch_all(&client(url, "member-token"), 4).await,
        ErrorKind::Forbidden,
    );
    assert_eq!(e.status(), Some(403));
    assert_eq!(stats(url).await.requests, 1, "one request, no retry");
}

#[wasm_bindgen_test]
async fn matrix_404_not_found_is_not_retried() {
    let url = server!("NEO_MOCK_URL");
    reset(url).await;
    let e = assert_kind(
        client(url, ADMIN).get_task_usage("no-such-task").await,
        ErrorKind::NotFound,
    );
    assert_eq!(e.status(), Some(404));
    assert_eq!(stats(url).await.requests, 1, "one request, no retry");
}

#[wasm_bindgen_test]
async fn matrix_422_validation_is_not_retried() {
    let url = server!("NEO_MOCK_URL");
    reset(url).await;
    // The server's own check, on a value the typed query cannot express,
    // through the retrying path.
    let e = assert_kind(
        client(url, ADMIN)
            .transport()
            .get_json_retried::<neo_usage::TaskUsagePage>("/api/v1/usage/tasks?limit=abc", Some(0))
            .await,
        ErrorKind::Validation,
    );
    assert_eq!(e.status(), Some(422));
    assert!(e.to_string().contains("limit"), "{e}");
    assert_eq!(stats(url).await.requests, 1, "one request, no retry");
}

#[wasm_bindgen_test]
async fn matrix_429_reports_retry_after_and_is_waited_out() {
    // A window of an hour: after a reset the 4th request is a 429 however
    // slow the machine is.
    let url = server!("NEO_MOCK_LIMITED_URL");
    reset(url).await;
    let impatient = client_with(url, RetryPolicy::never());
    for _ in 0..3 {
        impatient
            .list_task_usages(&TaskUsageQuery::new().limit(1))
            .await
            .expect("within the limit");
    }
    let e = assert_kind(
        impatient
            .list_task_usages(&TaskUsageQuery::new().limit(1))
            .await,
        ErrorKind::RateLimited,
    );
    assert_eq!(e.status(), Some(429));
    assert_eq!(
        e.retry_after(),
        Some(Duration::from_secs(1)),
        "Retry-After readable (CORS-exposed)"
    );

    // 429s drawn per request number, each with Retry-After: 1. One page at
    // a time, so the sequence is the same every run. Retry-After is a floor
    // on each wait, so the scan cannot take less than one second per 429
    // (a lower bound: a busy machine only makes it longer).
    let busy = server!("NEO_MOCK_BUSY_URL");
    reset(busy).await;
    let started = js_sys::Date::now();
    let all = fetch_all(&client_with(busy, fast_retry(8)), 1)
        .await
        .expect("every 429 waited out");
    let took = js_sys::Date::now() - started;
    let requests = assert_scan_equals_twin(busy, &all).await;
    let limited = requests - 10;
    assert!(
        took >= limited as f64 * 1000.0 - 5.0,
        "{limited} 429s waited {took} ms in all: Retry-After not honoured"
    );
}

#[wasm_bindgen_test]
async fn matrix_500_is_retried_until_the_attempts_run_out() {
    let url = server!("NEO_MOCK_BROKEN_URL");
    reset(url).await;
    let e = assert_kind(
        client_with(url, fast_retry(5))
            .list_task_usages(&TaskUsageQuery::new())
            .await,
        ErrorKind::Server,
    );
    assert_eq!(e.status(), Some(500));
    assert_eq!(stats(url).await.requests, 5, "5 attempts, then the 500");
}

#[wasm_bindgen_test]
async fn matrix_500_and_503_at_20_percent_fetch_all_equals_the_twin() {
    let url = server!("NEO_MOCK_FLAKY_URL");
    reset(url).await;
    let all = fetch_all(&client_with(url, fast_retry(8)), 4)
        .await
        .unwrap();
    assert_scan_equals_twin(url, &all).await;
}

#[wasm_bindgen_test]
async fn matrix_503_bursts_are_waited_out() {
    let url = server!("NEO_MOCK_BURST_URL");
    reset(url).await;
    let all = fetch_all(&client_with(url, fast_retry(12)), 1)
        .await
        .unwrap();
    let requests = assert_scan_equals_twin(url, &all).await;
    log(&format!("503 bursts: {requests} requests for 10 pages"));
}

#[wasm_bindgen_test]
async fn matrix_dropped_connections() {
    let url = server!("NEO_MOCK_DROP_URL");
    reset(url).await;
    let e = assert_kind(
        client(url, ADMIN)
            .list_task_usages(&TaskUsageQuery::new())
            .await,
        ErrorKind::Network,
    );
    assert!(e.to_string().contains("CORS"), "{e}");
    // 4 attempts; Chromium itself resends a request whose reused
    // connection closed without an answer, so the server can see up to
    // twice as many.
    let requests = stats(url).await.requests;
    assert!(
        (4..=8).contains(&requests),
        "network errors are retried ({requests} requests)"
    );

    let faulty = server!("NEO_MOCK_FAULTY_URL");
    reset(faulty).await;
    let all = fetch_all(&client_with(faulty, fast_retry(8)), 4)
        .await
        .unwrap();
    assert_scan_equals_twin(faulty, &all).await;
}

#[wasm_bindgen_test]
async fn matrix_timeouts() {
    // Every answer held 10 minutes: each attempt times out.
    let url = server!("NEO_MOCK_HANG_URL");
    reset(url).await;
    let c = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(url)
            .timeout(Some(Duration::from_millis(1500)))
            .retry(fast_retry(3)),
    );
    let e = assert_kind(
        c.list_task_usages(&TaskUsageQuery::new()).await,
        ErrorKind::Timeout,
    );
    assert!(e.to_string().contains("1500 ms"), "{e}");
    assert_eq!(stats(url).await.requests, 3, "3 attempts, each timed out");

    // One answer in five held: those attempts time out and are retried.
    let stall = server!("NEO_MOCK_STALL_URL");
    reset(stall).await;
    let c = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(stall)
            .timeout(Some(Duration::from_secs(3)))
            .retry(fast_retry(8)),
    );
    let all = fetch_all(&c, 4).await.unwrap();
    assert_scan_equals_twin(stall, &all).await;
}

#[wasm_bindgen_test]
async fn matrix_bodies_cut_short() {
    let url = server!("NEO_MOCK_TRUNCATE_URL");
    reset(url).await;
    let all = fetch_all(&client_with(url, fast_retry(8)), 4)
        .await
        .unwrap();
    assert_scan_equals_twin(url, &all).await;
}

#[wasm_bindgen_test]
async fn matrix_has_more_with_an_empty_page() {
    let url = server!("NEO_MOCK_HOLLOW_URL");
    reset(url).await;
    // A hollow page taken at its word would lose its 200 rows: it is
    // refused and retried.
    let all = fetch_all(&client_with(url, fast_retry(8)), 4)
        .await
        .unwrap();
    assert_scan_equals_twin(url, &all).await;
}

#[wasm_bindgen_test]
async fn matrix_total_changing_between_pages() {
    let url = server!("NEO_MOCK_DRIFT_URL");
    reset(url).await;
    let all = fetch_all(&client_with(url, fast_retry(8)), 4)
        .await
        .unwrap();
    let expected = twin_rows().await;
    assert!((1850..=2150).contains(&all.total), "{}", all.total);
    assert_eq!(all.rows, expected, "none lost, none doubled, same order");
    assert_eq!(all.duplicates_dropped, 0);
}

#[wasm_bindgen_test]
async fn a_fetch_all_cut_short_resumes_from_its_missing_offsets() {
    let url = server!("NEO_MOCK_FLAKY_URL");
    let expected = twin_rows().await;
    // Seed 7 at 20 %: request 1 is a 503, request 3 a 500. One page at a
    // time without retries, after one request that meets the 503: page 0
    // arrives, page 200 fails, the scan stops with the rest missing.
    reset(url).await;
    let never = client_with(url, RetryPolicy::never());
    let e = assert_kind(
        never
            .list_task_usages(&TaskUsageQuery::new().limit(1))
            .await,
        ErrorKind::Server,
    );
    assert_eq!(e.status(), Some(503));
    let partial = match fetch_all(&never, 1).await {
        Err(NeoUsageError::Incomplete(partial)) => partial,
        other => panic!("expected an incomplete scan, got {other:?}"),
    };
    assert_eq!(partial.cause.status(), Some(500));
    assert_eq!(partial.rows, expected[..200]);
    assert_eq!(
        partial.missing_offsets,
        (200..2000).step_by(200).collect::<Vec<u64>>()
    );
    // Resume with the pinned query, retrying this time.
    let patient = client_with(url, fast_retry(8));
    let mut rows = partial.rows;
    for offset in &partial.missing_offsets {
        let page = patient
            .list_task_usages(&partial.query.clone().offset(*offset).limit(partial.limit))
            .await
            .unwrap();
        rows.extend(page.data);
    }
    assert_eq!(rows, expected);
}

#[wasm_bindgen_test]
async fn cancel_before_and_during_a_request() {
    let url = server!("NEO_MOCK_HANG_URL");
    let c = client(url, ADMIN);
    let cancel = CancelHandle::new();
    cancel.cancel();
    reset(url).await;
    assert_kind(
        c.list_task_usages_with(&TaskUsageQuery::new(), Some(&cancel))
            .await,
        ErrorKind::Aborted,
    );
    assert_eq!(stats(url).await.requests, 0, "nothing sent");
    // The answer would take 10 minutes; the handle fires once the request
    // has reached the server.
    reset(url).await;
    let cancel = CancelHandle::new();
    let later = cancel.clone();
    let watched = url.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        for _ in 0..1_000 {
            if stats(&watched).await.requests > 0 {
                break;
            }
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
        }
        later.cancel();
    });
    assert_kind(
        c.get_usage_summary_with(&SummaryQuery::new(), Some(&cancel))
            .await,
        ErrorKind::Aborted,
    );
}

#[wasm_bindgen_test]
async fn matrix_rows_inserted_at_the_head_during_a_scan() {
    let twin = server!("NEO_MOCK_URL");
    let growing = server!("NEO_MOCK_GROW_URL");
    let expected = sequential_scan(&client(twin, ADMIN), TaskUsageQuery::new()).await;
    let newest = expected[0].created_at;
    let c = client(growing, ADMIN);

    // With `to` just after the newest row, inserted rows are outside the
    // scan and offsets stay stable: exactly the twin's rows.
    reset(growing).await;
    let to = neo_usage::query::format_instant(newest + chrono::Duration::milliseconds(1));
    let pinned = c
        .fetch_all_task_usages(
            &TaskUsageQuery::new().limit(100).to(to),
            FetchAllRequest::default().concurrency(3),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(pinned.rows.len(), 2000);
    assert_eq!(ids(&pinned.rows), ids(&expected));
    assert!(stats(growing).await.rows > 2000, "the server did grow");

    // Without `to`, fetch-all pins `to` just after the newest row of its
    // first page, on the server's clock. The reference server stamps inserted
    // rows just after its newest row (in its dataset's past, long before the
    // browser's clock), so a pin on the browser's clock would let them in and
    // shift offsets; this pin keeps them out. Exactly the rows the server had
    // when the scan started: the twin's 2000 plus those the scan above added.
    // After a reset, request 1 (the first page) does not grow (every 3rd
    // does), so the first page sees exactly the rows at the start.
    reset(growing).await;
    let rows_at_start = stats(growing).await.rows;
    let open = c
        .fetch_all_task_usages(
            &TaskUsageQuery::new().limit(100),
            FetchAllRequest::default().concurrency(3),
            |_| {},
        )
        .await
        .unwrap();
    let got = ids(&open.rows);
    let known = ids(&expected);
    assert_eq!(got.len(), open.rows.len(), "no duplicates");
    assert_eq!(
        open.rows.len() as u64,
        rows_at_start,
        "every row present at the start, once"
    );
    assert!(known.is_subset(&got), "no existing row missed");
    assert!(open
        .rows
        .iter()
        .filter(|r| !known.contains(&r.task_id))
        .all(|r| r.created_at > newest));
    assert!(
        stats(growing).await.rows > rows_at_start,
        "the server grew during the scan"
    );
    let pinned_to = open
        .query
        .to
        .as_deref()
        .and_then(neo_usage::query::parse_instant);
    assert_eq!(
        pinned_to,
        open.rows
            .iter()
            .map(|r| r.created_at)
            .max()
            .map(|t| t + chrono::Duration::milliseconds(1))
    );
}

#[wasm_bindgen_test]
async fn row_cap_stops_fetch_all_early() {
    let url = server!("NEO_MOCK_URL");
    let all = client(url, ADMIN)
        .fetch_all_task_usages(
            &TaskUsageQuery::new().limit(100),
            FetchAllRequest::default().max_rows(250),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(all.rows.len(), 250);
    assert!(all.truncated);
    assert!(all.pages <= 4, "{} pages", all.pages);
}

#[cfg(feature = "js")]
fn prop(target: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

#[cfg(feature = "js")]
#[wasm_bindgen_test]
fn js_errors_are_real_errors_with_kind_status_and_retry_after() {
    let e = neo_usage_client::js::to_js_error(&NeoUsageError::from_response(
        429,
        Some("7"),
        br#"{"error":"slow down"}"#,
    ));
    assert!(wasm_bindgen::JsCast::is_instance_of::<js_sys::Error>(&e));
    assert_eq!(
        prop(&e, "name").as_string().as_deref(),
        Some("NeoUsageError")
    );
    assert_eq!(
        prop(&e, "kind").as_string().as_deref(),
        Some("rate_limited")
    );
    assert_eq!(prop(&e, "status").as_f64(), Some(429.0));
    assert_eq!(prop(&e, "retryAfter").as_f64(), Some(7.0));
    assert!(prop(&e, "message")
        .as_string()
        .unwrap()
        .contains("slow down"));
}

#[cfg(feature = "js")]
#[wasm_bindgen_test]
async fn js_face_returns_plain_objects_in_the_browser() {
    use wasm_bindgen::JsCast;
    let url = server!("NEO_MOCK_URL");
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"baseUrl".into(), &url.into()).unwrap();
    js_sys::Reflect::set(&options, &"apiKey".into(), &ADMIN.into()).unwrap();
    let client = neo_usage_client::js::JsNeoUsageClient::new(options.into()).unwrap();
    let query = js_sys::JSON::parse(r#"{"limit": 5, "status": "completed"}"#).unwrap();
    let page = wasm_bindgen_futures::JsFuture::from(client.list_task_usages(Some(query)))
        .await
        .unwrap();
    let data: js_sys::Array = prop(&page, "data").dyn_into().unwrap();
    assert_eq!(data.length(), 5);
    let row = data.get(0);
    assert_eq!(
        js_sys::Object::get_prototype_of(&row),
        js_sys::Object::get_prototype_of(&js_sys::Object::new())
    );
    assert_eq!(
        prop(&row, "status").as_string().as_deref(),
        Some("completed")
    );
    assert!(prop(&row, "task_id").is_string());
    assert!(prop(&page, "has_more").as_bool().unwrap());

    let typo = js_sys::JSON::parse(r#"{"stauts": "completed"}"#).unwrap();
    let e = wasm_bindgen_futures::JsFuture::from(client.list_task_usages(Some(typo)))
        .await
        .unwrap_err();
    assert_eq!(
        prop(&e, "kind").as_string().as_deref(),
        Some("invalid_query")
    );
    let problems: js_sys::Array = prop(&e, "problems").dyn_into().unwrap();
    assert_eq!(
        prop(&problems.get(0), "parameter").as_string().as_deref(),
        Some("stauts")
    );
}
