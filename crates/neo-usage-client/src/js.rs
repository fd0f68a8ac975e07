//! The JavaScript face of the client: the `NeoUsageClient` class of the npm
//! package `neo-usage`, its option objects, and its `Error`s.
//!
//! Values cross the boundary as plain JS objects: queries and options are
//! read property by property (`js_read.rs`: API parameter names, unknown
//! names refused), results are
//! written as JSON by the core's `ApiJson` and read by `JSON.parse` (maps
//! as objects, API field names). Response bodies are decoded from bytes in Rust (see
//! the crate docs for why).
//!
//! The methods run on JavaScript loops (`js/client.js`): each is a
//! [`Call`] (one request, retried) or a [`FetchAllScan`] that Rust decides
//! and the loop waits for. Rust futures, and the promise machinery they
//! need, were most of the package's wasm.

use std::time::Duration;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use neo_usage::model_writer::ApiJson;
use neo_usage::pagination::{FetchAllOptions, PageScan};
use neo_usage::{
    paths, task_path, NeoUsageError, QueryProblem, RetryPolicy, StreamUsageQuery, SummaryQuery,
    TaskUsageQuery,
};

use crate::config::{ClientConfig, Credentials};
use crate::js_call::{Call, Decode};
use crate::js_read::{client_options, each_property, JsQuery, RetryOptions};
use crate::js_rows::{join_js_rows, JsRowsPage};
use crate::js_scan::FetchAllScan;
use crate::transport::{js_message, with_query};

#[wasm_bindgen(module = "/js/client.js")]
extern "C" {
    /// A client's bound on its requests in flight.
    type Limiter;

    #[wasm_bindgen(constructor)]
    fn new(max_in_flight: usize) -> Limiter;

    /// Runs `call` to its value or its error.
    #[wasm_bindgen(js_name = request)]
    fn run_call(limiter: &Limiter, call: Call) -> Promise;

    /// Runs `scan` to its result or its error.
    #[wasm_bindgen(js_name = fetchAll)]
    fn fetch_all(
        limiter: &Limiter,
        scan: FetchAllScan,
        signal: &JsValue,
        concurrency: usize,
        on_progress: &JsValue,
    ) -> Promise;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Status of a task: the documented values, or any newer one the API sends. */
export type TaskStatus = "completed" | "error" | "failed" | "aborted" | "blocked" | (string & {});

/** The `kind` of a {@link NeoUsageError}. */
export type ErrorKind =
  | "invalid_query" | "unauthorized" | "forbidden" | "not_found" | "validation"
  | "rate_limited" | "server" | "http" | "network" | "timeout" | "aborted" | "decode";

/** What every rejected promise of this package rejects with. */
export interface NeoUsageError extends Error {
  name: "NeoUsageError";
  kind: ErrorKind;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** Seconds the server asked to wait (429 with Retry-After). */
  retryAfter?: number;
  /** For `invalid_query`: every parameter that is wrong, and why. */
  problems?: QueryProblem[];
  /** For a fetch-all that stopped after its first page: the rows already
   * fetched, in API order. Absent when it stopped before (an abort before
   * the first answer, a first page that failed): nothing was fetched. */
  rows?: TaskUsage[];
  /** For a fetch-all that stopped after its first page: offsets of the
   * pages not fetched. */
  missingOffsets?: number[];
  /** For a fetch-all that stopped after its first page: the `total` the
   * server reported. */
  total?: number;
}

/** Options of `new NeoUsageClient(...)`: give `token` or `apiKey`. */
export interface ClientOptions {
  /** Default: https://neo.api.projectdiscovery.io */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as `X-API-Key: <apiKey>`. */
  apiKey?: string;
  /** Per-request timeout in ms (default 30000; 0 = none). */
  timeoutMs?: number;
  /** Most requests in flight at once for this client (default 4). */
  maxConcurrency?: number;
  /** Attempts per request, the first included (default 4; 1 = no retry).
   * Shorthand for `retry.maxAttempts`; give one or the other. */
  maxAttempts?: number;
  /** The retry policy of every request and every page of a fetch-all.
   * Retried: 408, 409, 429, every 5xx, network failures, timeouts, bodies
   * cut short; never another 4xx. */
  retry?: RetryOptions;
}

/** How failed requests are retried: exponential backoff with full jitter,
 * and `Retry-After` (seconds or an HTTP date) as a floor. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 = no retry). */
  maxAttempts?: number;
  /** Upper bound of the first wait in ms, doubled each attempt (default 250). */
  baseDelayMs?: number;
  /** Upper bound of any computed wait in ms (default 8000). */
  maxDelayMs?: number;
  /** Longest `Retry-After` waited, in ms (default 60000); a longer one
   * rejects at once with `retryAfter` set. */
  maxRetryAfterMs?: number;
}

/** Progress of `fetchAllTaskUsages`, reported after every page. */
export interface FetchProgress {
  rowsLoaded: number;
  total: number;
  pagesDone: number;
  pagesPlanned: number;
}

/** Options of `fetchAllTaskUsages`. */
export interface FetchAllOptions {
  /** Requests in flight at once (default 4; also bounded by maxConcurrency); a page is decoded after its slot has gone to the next request. */
  concurrency?: number;
  onProgress?: (progress: FetchProgress) => void;
  /** Aborts the scan: the promise rejects with kind "aborted" (with the
   * rows fetched, once the first page has arrived). */
  signal?: AbortSignal;
  /** Stop after this many rows. */
  maxRows?: number;
}

/** Result of `fetchAllTaskUsages`. */
export interface FetchAllResult {
  /** Every row, in API order, each task_id once. */
  rows: TaskUsage[];
  /** The `total` the first page reported. */
  total: number;
  pages: number;
  duplicatesDropped: number;
  /** Whether maxRows cut the scan short. */
  truncated: boolean;
  /** The query the scan ran with (`to` pinned to its start). */
  query: TaskUsageQuery;
}
"#;

/// A policy from `retry` and the `maxAttempts` shorthand, defaults for the
/// rest.
fn retry_policy(
    retry: RetryOptions,
    max_attempts: Option<u32>,
) -> Result<RetryPolicy, NeoUsageError> {
    if max_attempts.is_some() && retry.max_attempts.is_some() {
        return Err(problem(
            "maxAttempts",
            "and retry.maxAttempts must not both be given",
        ));
    }
    let millis = |name: &str, value: Option<f64>, default: Duration| match value {
        None => Ok(default),
        Some(ms) if ms.is_finite() && ms >= 0.0 => Ok(duration_of_ms(ms)),
        Some(_) => Err(problem(name, "must be a number of milliseconds, 0 or more")),
    };
    let defaults = RetryPolicy::default();
    Ok(RetryPolicy {
        max_attempts: max_attempts
            .or(retry.max_attempts)
            .unwrap_or(defaults.max_attempts)
            .max(1),
        base_delay: millis(
            "retry.baseDelayMs",
            retry.base_delay_ms,
            defaults.base_delay,
        )?,
        max_delay: millis("retry.maxDelayMs", retry.max_delay_ms, defaults.max_delay)?,
        max_retry_after: millis(
            "retry.maxRetryAfterMs",
            retry.max_retry_after_ms,
            defaults.max_retry_after,
        )?,
    })
}

/// The `NeoUsageClient` class of the npm package.
#[wasm_bindgen(js_name = NeoUsageClient)]
pub struct JsNeoUsageClient {
    config: ClientConfig,
    limiter: Limiter,
}

#[wasm_bindgen(js_class = NeoUsageClient)]
impl JsNeoUsageClient {
    /// `new NeoUsageClient({ baseUrl, token | apiKey, timeoutMs, maxConcurrency, maxAttempts, retry })`.
    /// Throws a `NeoUsageError` of kind `invalid_query` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<JsNeoUsageClient, JsValue> {
        let config = client_config(options).map_err(|e| to_js_error(&e))?;
        Ok(JsNeoUsageClient {
            limiter: Limiter::new(config.max_concurrency),
            config,
        })
    }

    /// One page of task usages: `GET /api/v1/usage/tasks`.
    #[wasm_bindgen(js_name = listTaskUsages, unchecked_return_type = "Promise<TaskUsagePage>")]
    pub fn list_task_usages(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskUsageQuery")] query: Option<JsValue>,
    ) -> js_sys::Promise {
        let request = read_query::<TaskUsageQuery>(query).and_then(|query| {
            let path = with_query(paths::TASKS, &query.to_query_string()?);
            let offset = query.offset.unwrap_or(0);
            Ok((path, Decode::Page { offset }))
        });
        self.send(request)
    }

    /// One task's usage: `GET /api/v1/usage/tasks/{taskId}`.
    #[wasm_bindgen(js_name = getTaskUsage, unchecked_return_type = "Promise<TaskUsage>")]
    pub fn get_task_usage(
        &self,
        #[wasm_bindgen(js_name = taskId)] task_id: String,
    ) -> js_sys::Promise {
        let request = if task_id.trim().is_empty() {
            Err(problem(neo_usage::params::TASK_ID, "must not be blank"))
        } else {
            Ok((task_path(&task_id), Decode::Task))
        };
        self.send(request)
    }

    /// One page of stream usages: `GET /api/v1/usage/streams`.
    #[wasm_bindgen(js_name = listStreamUsages, unchecked_return_type = "Promise<TaskUsagePage>")]
    pub fn list_stream_usages(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "StreamUsageQuery")] query: Option<JsValue>,
    ) -> js_sys::Promise {
        let request = read_query::<StreamUsageQuery>(query).and_then(|query| {
            let path = with_query(paths::STREAMS, &query.to_query_string()?);
            let offset = query.offset.unwrap_or(0);
            Ok((path, Decode::Page { offset }))
        });
        self.send(request)
    }

    /// The usage summary: `GET /api/v1/usage/summary`.
    #[wasm_bindgen(js_name = getUsageSummary, unchecked_return_type = "Promise<UsageSummary>")]
    pub fn get_usage_summary(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SummaryQuery")] query: Option<JsValue>,
    ) -> js_sys::Promise {
        let request = read_query::<SummaryQuery>(query).and_then(|query| {
            let path = with_query(paths::SUMMARY, &query.to_query_string()?);
            Ok((path, Decode::Summary))
        });
        self.send(request)
    }

    /// Every row matching the query, fetched page by page with bounded
    /// concurrency. Rejects with `rows` and `missingOffsets` when, after
    /// the first page, a page fails for good or the signal aborts; before
    /// it, with the error alone.
    #[wasm_bindgen(js_name = fetchAllTaskUsages, unchecked_return_type = "Promise<FetchAllResult>")]
    pub fn fetch_all_task_usages(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskUsageQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "FetchAllOptions")] options: Option<JsValue>,
    ) -> js_sys::Promise {
        let started = read_query::<TaskUsageQuery>(query).and_then(|query| {
            let request = fetch_all_request(options)?;
            let scan = FetchAllScan::new(&self.config, &query, request.options)?;
            Ok((scan, request))
        });
        match started {
            Ok((scan, request)) => fetch_all(
                &self.limiter,
                scan,
                &request.signal,
                request.options.concurrency,
                &request.on_progress,
            ),
            Err(error) => Promise::reject(&to_js_error(&error)),
        }
    }
}

/// A JS fetch-all's result object (`FetchAllResult`): the rows of `scan`
/// joined (each `task_id` once, at most `max_rows`), and what it knows.
pub(crate) fn fetch_all_result(scan: PageScan<JsRowsPage>) -> Result<JsValue, JsValue> {
    let truncated = scan.rows_truncated();
    let pages = u32::try_from(scan.pages.len()).unwrap_or(u32::MAX);
    let (rows, duplicates_dropped) = join_js_rows(scan.pages, scan.max_rows);
    let query = to_js(&scan.query).map_err(|e| to_js_error(&e))?;
    Ok(plain_object(&[
        ("total", JsValue::from(scan.total as f64)),
        ("pages", JsValue::from(pages)),
        (
            "duplicatesDropped",
            JsValue::from(duplicates_dropped as f64),
        ),
        ("truncated", JsValue::from(truncated)),
        ("query", query),
        ("rows", rows),
    ]))
}

impl JsNeoUsageClient {
    /// The one request path of the four one-request methods: `GET` the
    /// path (or reject with the error that made it), retried by the
    /// client's policy, decoded as the method says and handed to JS.
    fn send(&self, request: Result<(String, Decode), NeoUsageError>) -> Promise {
        match request {
            Ok((path, decode)) => run_call(&self.limiter, Call::new(&self.config, &path, decode)),
            Err(error) => Promise::reject(&to_js_error(&error)),
        }
    }
}

/// An `invalid_query` error of one problem.
pub(crate) fn problem(parameter: &str, message: impl Into<String>) -> NeoUsageError {
    NeoUsageError::InvalidQuery {
        problems: vec![QueryProblem::new(parameter, message)],
    }
}

fn client_config(options: JsValue) -> Result<ClientConfig, NeoUsageError> {
    let options = client_options(&options)?;
    let credentials = match (options.token, options.api_key) {
        (Some(token), None) => Credentials::Bearer(token),
        (None, Some(key)) => Credentials::ApiKey(key),
        (Some(_), Some(_)) => return Err(problem("token", "and apiKey must not both be given")),
        (None, None) => return Err(problem("token", "or apiKey is required")),
    };
    if credentials.is_blank() {
        return Err(problem("token", "must not be blank"));
    }
    let mut config = ClientConfig::new(credentials);
    if let Some(base_url) = options.base_url {
        let scheme_ok = ["http://", "https://"]
            .iter()
            .any(|scheme| base_url.trim().to_ascii_lowercase().starts_with(scheme));
        if !scheme_ok {
            return Err(problem(
                "baseUrl",
                format!("must be an http:// or https:// URL, got {base_url:?}"),
            ));
        }
        config = config.base_url(base_url);
    }
    if let Some(ms) = options.timeout_ms {
        if !ms.is_finite() || ms < 0.0 {
            return Err(problem("timeoutMs", "must be a number of 0 or more"));
        }
        config = config.timeout((ms > 0.0).then(|| duration_of_ms(ms)));
    }
    if let Some(n) = options.max_concurrency {
        config = config.max_concurrency(n);
    }
    Ok(config.retry(retry_policy(options.retry, options.max_attempts)?))
}

/// Reads a query object (API parameter names); none, `undefined` or
/// `null` is the empty query.
fn read_query<T: JsQuery + Default>(value: Option<JsValue>) -> Result<T, NeoUsageError> {
    value.map_or_else(|| Ok(T::default()), |value| T::read(&value))
}

/// `fetchAllTaskUsages`' options, read.
struct FetchAllRequest {
    options: FetchAllOptions,
    /// An `AbortSignal`, or `undefined`.
    signal: JsValue,
    /// A function, or `undefined`.
    on_progress: JsValue,
}

fn fetch_all_request(options: Option<JsValue>) -> Result<FetchAllRequest, NeoUsageError> {
    let mut request = FetchAllRequest {
        options: FetchAllOptions::default(),
        signal: JsValue::UNDEFINED,
        on_progress: JsValue::UNDEFINED,
    };
    if let Some(options) = options {
        each_property(&options, "options", &mut |name, value| {
            read_fetch_all_option(&mut request, name, value)
        })?;
    }
    Ok(request)
}

/// Reads one option of `fetchAllTaskUsages` into `request`.
fn read_fetch_all_option(
    request: &mut FetchAllRequest,
    name: &str,
    value: JsValue,
) -> Result<(), NeoUsageError> {
    let whole = |min: f64| value.as_f64().filter(|n| *n >= min && n.fract() == 0.0);
    match name {
        "concurrency" => match whole(1.0) {
            Some(n) => request.options.concurrency = n as usize,
            None => {
                return Err(problem(
                    "concurrency",
                    "must be a whole number of 1 or more",
                ))
            }
        },
        "maxRows" => match whole(0.0) {
            Some(n) => request.options.max_rows = Some(n as u64),
            None => return Err(problem("maxRows", "must be a whole number of 0 or more")),
        },
        "onProgress" => {
            if !value.is_instance_of::<Function>() {
                return Err(problem("onProgress", "must be a function"));
            }
            request.on_progress = value;
        }
        "signal" => {
            let has = |key: &str| Reflect::has(&value, &JsValue::from_str(key)).unwrap_or(false);
            if !(has("aborted") && has("addEventListener")) {
                return Err(problem("signal", "must be an AbortSignal"));
            }
            request.signal = value;
        }
        other => {
            return Err(problem(
                other,
                "is not an option (concurrency, onProgress, signal, maxRows)",
            ))
        }
    }
    Ok(())
}

/// `ms` milliseconds (finite, 0 or more) as a `Duration`, rounded up to
/// the microsecond so a positive value stays positive (a `timeoutMs` of
/// `0.0001` is a timeout, not "none"); a value past `u64::MAX`
/// microseconds (some 584,000 years) is that many, where
/// `Duration::from_secs_f64` would panic: a `timeoutMs` of `1e300` means
/// "no practical limit", not a crash.
fn duration_of_ms(ms: f64) -> Duration {
    // `as` saturates a float too large for the integer.
    Duration::from_micros((ms * 1000.0).ceil() as u64)
}

/// Writes a value as a plain JS object with the API's field names: written
/// as JSON by the core's [`ApiJson`] and read back by `JSON.parse`, so big
/// results cross the boundary as one string, and the package carries no
/// serializer (serde_json's writer and the model's `Serialize` were some
/// 9 kB brotli of it; serde_wasm_bindgen's would add some 20 kB).
pub(crate) fn to_js<T: ApiJson + ?Sized>(value: &T) -> Result<JsValue, NeoUsageError> {
    let fail = |message: String| NeoUsageError::Decode {
        path: ".".into(),
        offset: None,
        message: format!("cannot hand the value to JavaScript: {message}"),
        excerpt: String::new(),
        truncated: false,
    };
    js_sys::JSON::parse(&value.to_json()).map_err(|e| fail(js_message(&e)))
}

/// A plain object with these properties, in this order: the few small
/// objects the package builds itself (progress, query problems) need no
/// `Serialize` code and no JSON round trip.
pub(crate) fn plain_object(properties: &[(&str, JsValue)]) -> JsValue {
    let object: JsValue = Object::new().into();
    for (key, value) in properties {
        set(&object, key, value);
    }
    object
}

pub(crate) fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A real `Error` with `name` "NeoUsageError", the core error's message, and
/// `kind`, `status`, `retryAfter`, `problems`, `rows`, `missingOffsets`.
pub fn to_js_error(error: &NeoUsageError) -> JsValue {
    let js_error = js_sys::Error::new(&error.to_string());
    js_error.set_name("NeoUsageError");
    let target: JsValue = js_error.into();
    set(&target, "kind", &JsValue::from_str(error.kind().as_str()));
    if let Some(status) = error.status() {
        set(&target, "status", &JsValue::from(status));
    }
    if let Some(after) = error.retry_after() {
        set(&target, "retryAfter", &JsValue::from(after.as_secs_f64()));
    }
    let cause = match error {
        NeoUsageError::Incomplete(partial) => {
            if let Ok(rows) = to_js(&partial.rows) {
                set(&target, "rows", &rows);
            }
            let missing: Array = partial
                .missing_offsets
                .iter()
                .map(|o| JsValue::from(*o as f64))
                .collect();
            set(&target, "missingOffsets", &missing);
            set(&target, "total", &JsValue::from(partial.total as f64));
            &partial.cause
        }
        other => other,
    };
    if let NeoUsageError::InvalidQuery { problems } = cause {
        let list: Array = problems
            .iter()
            .map(|p| {
                plain_object(&[
                    ("parameter", JsValue::from_str(&p.parameter)),
                    ("message", JsValue::from_str(&p.message)),
                ])
            })
            .collect();
        set(&target, "problems", &list);
    }
    target
}
