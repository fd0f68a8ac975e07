//! [`FetchTransport`]: one `GET` over the browser's `fetch`, with a timeout,
//! cancellation, a bound on requests in flight, and decoding from bytes. It
//! is also the [`PageTransport`] the core's fetch-all driver runs on.
//!
//! The exchange itself (the request, its timeout, the body's bytes) is a
//! few lines of JavaScript, `js/exchange.js`; every decision stays here.
//! Every request gets its own `AbortController`: the exchange aborts it when
//! the timeout passes ([`NeoUsageError::Timeout`]), and this transport when
//! the caller's [`CancelHandle`] is cancelled ([`NeoUsageError::Aborted`]),
//! so the browser drops the connection either way. A `fetch` that rejects
//! (a `TypeError`: no network, DNS, TLS, a refused CORS preflight, a
//! dropped connection) is [`NeoUsageError::Network`].

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::{select, Either};
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use neo_usage::model_reader::ApiBody;
use neo_usage::pagination::ScanPage;
use neo_usage::{NeoUsageError, PageTransport, TaskUsagePage, TaskUsageQuery};

use crate::cancel::CancelHandle;
use crate::config::ClientConfig;
use crate::limiter::ConcurrencyLimiter;

#[wasm_bindgen(module = "/js/exchange.js")]
extern "C" {
    /// `GET url` with the credentials' header: `[status, retryAfter, body]`,
    /// or a rejection (`{ timedOut: true }` after `timeout_ms`, 0 = none).
    fn exchange(
        url: &str,
        header_name: &str,
        header_value: &str,
        timeout_ms: f64,
        controller: &web_sys::AbortController,
    ) -> Promise;

    /// Resolves after `ms` milliseconds.
    fn delay(ms: f64) -> Promise;
}

/// The longest wait `setTimeout` honours (2^31 - 1 ms, about 24.8 days): a
/// longer one would fire at once.
const LONGEST_TIMER_MS: f64 = 2_147_483_647.0;

/// `duration` in milliseconds for `setTimeout`.
pub(crate) fn timer_ms(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).min(LONGEST_TIMER_MS)
}

/// Sends the client's requests with `fetch`.
#[derive(Debug, Clone)]
pub struct FetchTransport {
    config: ClientConfig,
    limiter: ConcurrencyLimiter,
    cancel: Option<CancelHandle>,
}

impl FetchTransport {
    /// A transport for `config`, sharing `limiter` with the other requests
    /// of its client.
    pub fn new(config: ClientConfig, limiter: ConcurrencyLimiter) -> Self {
        FetchTransport {
            config,
            limiter,
            cancel: None,
        }
    }

    /// The same transport, with every request covered by `cancel`.
    pub fn with_cancel(&self, cancel: Option<CancelHandle>) -> Self {
        FetchTransport {
            cancel,
            ..self.clone()
        }
    }

    /// The configuration requests are sent with.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    fn is_cancelled_now(&self) -> bool {
        self.cancel.as_ref().is_some_and(CancelHandle::is_cancelled)
    }

    /// `GET base_url + path_and_query` once (no retry): the body of a 2xx
    /// answer, else the error the answer or the transport stands for.
    pub async fn get_bytes(&self, path_and_query: &str) -> Result<Vec<u8>, NeoUsageError> {
        if self.is_cancelled_now() {
            return Err(NeoUsageError::Aborted);
        }
        let Ok(_permit) = self.until_cancelled(self.limiter.acquire()).await else {
            return Err(NeoUsageError::Aborted);
        };
        let controller = web_sys::AbortController::new().map_err(|e| NeoUsageError::Network {
            message: format!("cannot create an AbortController: {}", js_message(&e)),
        })?;
        let url = format!("{}{}", self.config.base_url, path_and_query);
        let (header, value) = self.config.credentials.header();
        let timeout_ms = self.config.timeout.map_or(0.0, timer_ms);
        let answer = exchange(&url, header, &value, timeout_ms, &controller);
        let Ok(answer) = self.until_cancelled(JsFuture::from(answer)).await else {
            controller.abort();
            return Err(NeoUsageError::Aborted);
        };
        let (status, retry_after, body) = match answer {
            Ok(answer) => read_answer(answer),
            Err(failure) => return Err(exchange_error(&failure, self.config.timeout)),
        };
        match status_error(status, retry_after.as_deref(), &body) {
            None => Ok(body),
            Some(error) => Err(error),
        }
    }

    /// `GET` and decode one of the API's bodies from its bytes (every row
    /// checked, by [`ApiBody::decode`]); `offset` is kept in a decode error
    /// of a list page.
    pub async fn get_json<T: ApiBody>(
        &self,
        path_and_query: &str,
        offset: Option<u64>,
    ) -> Result<T, NeoUsageError> {
        let bytes = self.get_bytes(path_and_query).await?;
        T::decode(&bytes, offset)
    }

    /// [`FetchTransport::get_json`], retried by the configured policy.
    pub async fn get_json_retried<T: ApiBody>(
        &self,
        path_and_query: &str,
        offset: Option<u64>,
    ) -> Result<T, NeoUsageError> {
        self.get_retried(path_and_query, |bytes| T::decode(bytes, offset))
            .await
    }

    /// `GET` and `decode` the body of a 2xx answer, the whole retried by the
    /// configured policy (a decode error is retried when the body was cut
    /// short). One body for every result type when `decode` is one
    /// function: the JS face's four one-request methods share it.
    pub async fn get_retried<T>(
        &self,
        path_and_query: &str,
        decode: impl Fn(&[u8]) -> Result<T, NeoUsageError>,
    ) -> Result<T, NeoUsageError> {
        self.config
            .retry
            .run(
                || async { decode(&self.get_bytes(path_and_query).await?) },
                |d| self.sleep(d),
                || self.jitter(),
                || self.is_cancelled_now(),
            )
            .await
    }

    /// Runs `work` until it finishes (`Ok`) or the handle is cancelled
    /// (`Err`).
    async fn until_cancelled<T>(&self, work: impl Future<Output = T>) -> Result<T, ()> {
        let Some(handle) = &self.cancel else {
            return Ok(work.await);
        };
        let (cancelled, work) = (pin!(handle.cancelled()), pin!(work));
        match select(work, cancelled).await {
            Either::Left((value, _)) => Ok(value),
            Either::Right(_) => Err(()),
        }
    }
}

/// The `[status, retryAfter, body]` an exchange resolves with.
fn read_answer(answer: JsValue) -> (u16, Option<String>, Vec<u8>) {
    let answer: Array = answer.unchecked_into();
    // An HTTP status is a whole number from 200 to 599.
    let status = answer.get(0).as_f64().unwrap_or_default() as u16;
    let body: Uint8Array = answer.get(2).unchecked_into();
    (status, answer.get(1).as_string(), body.to_vec())
}

impl PageTransport for FetchTransport {
    type Body = Vec<u8>;

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<Vec<u8>, NeoUsageError> {
        self.get_bytes(&task_page_path(query)?).await
    }

    fn decode_page(
        &self,
        query: &TaskUsageQuery,
        body: Vec<u8>,
    ) -> Result<TaskUsagePage, NeoUsageError> {
        TaskUsagePage::decode(&body, query.offset.or(Some(0)))
    }

    /// A `setTimeout` wait that ends early when the handle is cancelled.
    async fn sleep(&self, duration: Duration) {
        let _ = self
            .until_cancelled(JsFuture::from(delay(timer_ms(duration))))
            .await;
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now(&self) -> DateTime<Utc> {
        browser_now()
    }

    fn is_cancelled(&self) -> bool {
        self.is_cancelled_now()
    }
}

/// A [`FetchTransport`] whose task pages are decoded from their bytes by
/// `decode` (given the bytes and the page's offset) into any
/// [`ScanPage`]: the transport of [`crate::NeoUsageClient::fetch_all_pages`].
#[derive(Debug, Clone)]
pub struct DecodingTransport<D> {
    transport: FetchTransport,
    decode: D,
}

impl<D> DecodingTransport<D> {
    /// `transport`'s requests, with pages decoded by `decode`.
    pub fn new(transport: FetchTransport, decode: D) -> Self {
        DecodingTransport { transport, decode }
    }
}

impl<P, D> PageTransport<P> for DecodingTransport<D>
where
    P: ScanPage,
    D: Fn(Vec<u8>, u64) -> Result<P, NeoUsageError>,
{
    type Body = Vec<u8>;

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<Vec<u8>, NeoUsageError> {
        self.transport.get_bytes(&task_page_path(query)?).await
    }

    fn decode_page(&self, query: &TaskUsageQuery, body: Vec<u8>) -> Result<P, NeoUsageError> {
        (self.decode)(body, query.offset.unwrap_or(0))
    }

    async fn sleep(&self, duration: Duration) {
        PageTransport::<TaskUsagePage>::sleep(&self.transport, duration).await;
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }

    fn now(&self) -> DateTime<Utc> {
        browser_now()
    }

    fn is_cancelled(&self) -> bool {
        self.transport.is_cancelled_now()
    }
}

/// The error an answer's status stands for (`None` for a 2xx), from its
/// `Retry-After` (seconds, or an HTTP date read against the browser's
/// clock) and its body.
pub(crate) fn status_error(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
) -> Option<NeoUsageError> {
    (!(200..300).contains(&status))
        .then(|| NeoUsageError::from_response_at(status, retry_after, body, browser_now()))
}

/// The error a rejected exchange stands for: its timeout (`timeout`), or
/// the network.
pub(crate) fn exchange_error(failure: &JsValue, timeout: Option<Duration>) -> NeoUsageError {
    let timed_out = js_sys::Reflect::get(failure, &JsValue::from_str("timedOut"))
        .is_ok_and(|flag| flag.is_truthy());
    if timed_out {
        return NeoUsageError::Timeout {
            after: timeout.unwrap_or_default(),
        };
    }
    let message = match failure.dyn_ref::<js_sys::Error>() {
        Some(error) => format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        ),
        None => js_message(failure),
    };
    NeoUsageError::Network { message }
}

/// The browser's clock.
pub(crate) fn browser_now() -> DateTime<Utc> {
    // Date.now() is whole milliseconds since the epoch, well inside i64.
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The path and query of one page of the task list.
fn task_page_path(query: &TaskUsageQuery) -> Result<String, NeoUsageError> {
    Ok(with_query(
        neo_usage::paths::TASKS,
        &query.to_query_string()?,
    ))
}

/// `path?query`, or `path` when the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The message of a thrown JS value: a string itself, an `Error`'s
/// message, else the value as JSON. (Not `{value:?}`: `JsValue`'s `Debug`
/// brings a 2 kB `debugString` function into the package's JS.)
pub(crate) fn js_message(value: &wasm_bindgen::JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .or_else(|| {
            js_sys::JSON::stringify(value)
                .ok()
                .and_then(|text| text.as_string())
        })
        .unwrap_or_default()
}
