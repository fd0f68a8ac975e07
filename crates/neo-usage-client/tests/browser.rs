//! The client in headless Chromium against reference servers
//! (`neo-usage-mock`) started by `scripts/client-tests.sh`, each with its own
//! fault flags. Their URLs come in at compile time:
//!
//! | variable | server flags (all `--seed 7 --tasks 2000 --now 2026-11-01T00:00:00Z`) |
//! |---|---|
//! | `NEO_MOCK_URL` | none (the fault-free twin) |
//! | `NEO_MOCK_FAULTY_URL` | `--drop-rate 0.2` (20 % of requests fail) |
//! | `NEO_MOCK_FLAKY_URL` | `--error-rate 0.2` (500 or 503) |
//! | `NEO_MOCK_GROW_URL` | `--grow-every 3` |
//! | `NEO_MOCK_TRUNCATE_URL` | `--truncate-rate 0.2` (200 bodies cut in half) |
//! | `NEO_MOCK_SLOW_URL` | `--latency-ms 300` |
//! | `NEO_MOCK_BOUND_URL` | `--latency-ms 60` |
//! | `NEO_MOCK_LIMITED_URL` | `--rate-limit 3 --rate-window-ms 1500 --retry-after 1` |
//! | `NEO_MOCK_BROKEN_URL` | `--error-rate 1` |
//! | `NEO_MOCK_DROP_URL` | `--drop-rate 1` |
//!
//! A test whose variable is missing logs that it is skipped.

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

/// The URL of a server, or `None` (and a log line) when the script did not
/// start it.
macro_rules! server {
    ($var:literal) => {
        match option_env!($var) {
            Some(url) => url,
            None => {
                log(concat!("skipped: ", $var, " not set"));
                return;
            }
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
async fn rate_limit_429_reports_retry_after_then_retries_after_it() {
    let url = server!("NEO_MOCK_LIMITED_URL");
    reset(url).await;
    let impatient = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(url)
            .retry(RetryPolicy::never()),
    );
    let mut limited = None;
    for _ in 0..5 {
        if let Err(e) = impatient
            .list_task_usages(&TaskUsageQuery::new().limit(1))
            .await
        {
            limited = Some(e);
            break;
        }
    }
    let e = limited.expect("a 429 within 5 quick requests");
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.status(), Some(429));
    assert_eq!(
        e.retry_after(),
        Some(Duration::from_secs(1)),
        "Retry-After readable (CORS-exposed)"
    );

    let patient = client(url, ADMIN);
    let started = js_sys::Date::now();
    for _ in 0..5 {
        patient
            .list_task_usages(&TaskUsageQuery::new().limit(1))
            .await
            .expect("429 waited out");
    }
    let waited = js_sys::Date::now() - started;
    assert!(
        waited >= 900.0,
        "waited {waited} ms, at least one Retry-After"
    );
}

#[wasm_bindgen_test]
async fn server_errors_503_are_retried_and_500_is_not() {
    let url = server!("NEO_MOCK_BROKEN_URL");
    // Faults are drawn per request number, which reset restarts: the
    // sequence is the same every run. 503 is retried (core policy: 502-504),
    // 500 is not, so the scan stops at the first 500 before the attempts run out.
    reset(url).await;
    let c = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(url)
            .retry(fast_retry(10)),
    );
    let e = assert_kind(
        c.list_task_usages(&TaskUsageQuery::new()).await,
        ErrorKind::Server,
    );
    let requests = stats(url).await.requests;
    log(&format!(
        "broken server: {requests} requests, last status {:?}",
        e.status()
    ));
    match e.status() {
        Some(500) => assert!(requests < 10, "500 ended the retries ({requests} requests)"),
        Some(503) => assert_eq!(requests, 10, "503 is retried until the attempts run out"),
        other => panic!("status {other:?}"),
    }
    assert!(
        requests >= 2,
        "this seed starts with a 503, which is retried"
    );
}

#[wasm_bindgen_test]
async fn dropped_connection_is_a_network_error() {
    let url = server!("NEO_MOCK_DROP_URL");
    reset(url).await;
    let e = assert_kind(
        client(url, ADMIN)
            .list_task_usages(&TaskUsageQuery::new())
            .await,
        ErrorKind::Network,
    );
    assert!(e.to_string().contains("CORS"), "{e}");
    // 4 attempts; Chromium may itself resend a request whose reused
    // connection closed without an answer, so the server can see more.
    let requests = stats(url).await.requests;
    assert!(
        (4..=8).contains(&requests),
        "network errors are retried ({requests} requests)"
    );
}

#[wasm_bindgen_test]
async fn slow_answer_times_out() {
    let url = server!("NEO_MOCK_SLOW_URL");
    let c = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(url)
            .timeout(Some(Duration::from_millis(80)))
            .retry(RetryPolicy::never()),
    );
    let started = js_sys::Date::now();
    let e = assert_kind(
        c.list_task_usages(&TaskUsageQuery::new()).await,
        ErrorKind::Timeout,
    );
    let took = js_sys::Date::now() - started;
    assert!(took < 280.0, "gave up after {took} ms");
    assert!(e.to_string().contains("80 ms"), "{e}");
}

#[wasm_bindgen_test]
async fn cancel_before_and_during_a_request() {
    let url = server!("NEO_MOCK_SLOW_URL");
    let c = client(url, ADMIN);
    let cancel = CancelHandle::new();
    cancel.cancel();
    assert_kind(
        c.list_task_usages_with(&TaskUsageQuery::new(), Some(&cancel))
            .await,
        ErrorKind::Aborted,
    );
    let cancel = CancelHandle::new();
    let later = cancel.clone();
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::sleep(Duration::from_millis(50)).await;
        later.cancel();
    });
    let started = js_sys::Date::now();
    assert_kind(
        c.get_usage_summary_with(&SummaryQuery::new(), Some(&cancel))
            .await,
        ErrorKind::Aborted,
    );
    assert!(js_sys::Date::now() - started < 250.0);
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
async fn fetch_all_under_20_percent_faults_equals_a_sequential_scan_of_the_twin() {
    let twin = server!("NEO_MOCK_URL");
    let faulty = server!("NEO_MOCK_FAULTY_URL");
    let expected = sequential_scan(&client(twin, ADMIN), TaskUsageQuery::new()).await;
    assert_eq!(expected.len(), 2000);
    reset(faulty).await;
    let c = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(faulty)
            .retry(fast_retry(8)),
    );
    let progress = Rc::new(Cell::new(0u64));
    let p = progress.clone();
    let all = c
        .fetch_all_task_usages(
            &TaskUsageQuery::new(),
            FetchAllRequest::default().concurrency(4),
            move |x| p.set(x.rows_loaded),
        )
        .await
        .unwrap();
    assert_eq!(all.rows.len(), 2000);
    assert_eq!(ids(&all.rows), ids(&expected));
    assert_eq!(all.rows, expected, "same rows, same order");
    assert_eq!(progress.get(), 2000);
    let s = stats(faulty).await;
    assert!(
        s.requests > 10,
        "faults forced retries ({} requests for 10 pages)",
        s.requests
    );
}

#[wasm_bindgen_test]
async fn fetch_all_retries_bodies_cut_short_and_equals_the_twin() {
    let twin = server!("NEO_MOCK_URL");
    let truncating = server!("NEO_MOCK_TRUNCATE_URL");
    let expected = sequential_scan(&client(twin, ADMIN), TaskUsageQuery::new()).await;
    reset(truncating).await;
    let c = NeoUsageClient::new(
        ClientConfig::new(Credentials::Bearer(ADMIN.into()))
            .base_url(truncating)
            .retry(fast_retry(8)),
    );
    let all = c
        .fetch_all_task_usages(
            &TaskUsageQuery::new(),
            FetchAllRequest::default().concurrency(4),
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(all.rows, expected, "same rows, same order");
    let s = stats(truncating).await;
    assert!(
        s.requests > 10,
        "cut bodies forced retries ({} requests for 10 pages)",
        s.requests
    );
}

#[wasm_bindgen_test]
async fn fetch_all_while_rows_are_inserted_at_the_head() {
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
    // The first page's own request may be the one that adds a row.
    let got_rows = open.rows.len() as u64;
    assert!(
        got_rows == rows_at_start || got_rows == rows_at_start + 1,
        "every row present at the start, once: {got_rows} rows, {rows_at_start} at the start"
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

#[wasm_bindgen_test]
async fn fetch_all_under_20_percent_server_errors_resumes_from_the_missing_offsets() {
    let twin = server!("NEO_MOCK_URL");
    let flaky = server!("NEO_MOCK_FLAKY_URL");
    let expected = ids(&sequential_scan(&client(twin, ADMIN), TaskUsageQuery::new()).await);
    reset(flaky).await;
    let c = client(flaky, ADMIN);
    // Half the injected errors are 500, which the core does not retry: the
    // scan may end Incomplete, keeping its rows, the missing offsets and the
    // pinned query to fetch them with.
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    let mut pinned = TaskUsageQuery::new();
    let mut limit = 200;
    match c
        .fetch_all_task_usages(&TaskUsageQuery::new(), FetchAllRequest::default(), |_| {})
        .await
    {
        Ok(all) => rows = all.rows,
        Err(NeoUsageError::Incomplete(partial)) => {
            assert_eq!(ids(&partial.rows).len(), partial.rows.len());
            rows = partial.rows;
            missing = partial.missing_offsets;
            pinned = partial.query;
            limit = partial.limit;
        }
        // The very first page is returned as is: start again.
        Err(e) if e.kind() == ErrorKind::Server => missing.push(0),
        Err(e) => panic!("{e:?}"),
    }
    log(&format!(
        "flaky: {} rows at first, {} offsets to resume",
        rows.len(),
        missing.len()
    ));
    for offset in missing {
        let mut attempts = 0;
        let page = loop {
            attempts += 1;
            match c
                .list_task_usages(&pinned.clone().offset(offset).limit(limit))
                .await
            {
                Ok(page) => break page,
                Err(e) if e.kind() == ErrorKind::Server && attempts < 20 => continue,
                Err(e) => panic!("{e:?}"),
            }
        };
        rows.extend(page.data);
    }
    let got = ids(&rows);
    assert_eq!(got.len(), rows.len(), "no duplicates");
    assert_eq!(got, expected);
}
