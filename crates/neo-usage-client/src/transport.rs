//! [`FetchTransport`]: one `GET` over the browser's `fetch`, with a timeout,
//! cancellation, a bound on requests in flight, and decoding from bytes. It
//! is also the [`PageTransport`] the core's fetch-all driver runs on.
//!
//! Every request gets its own `AbortController`. The request (headers and
//! body) races a `setTimeout` timer and the caller's [`CancelHandle`]; when
//! either wins, the controller aborts the `fetch` so the browser drops the
//! connection, and the error is [`NeoUsageError::Timeout`] or
//! [`NeoUsageError::Aborted`]. A `fetch` that rejects (a `TypeError`: no
//! network, DNS, TLS, a refused CORS preflight, a dropped connection) is
//! [`NeoUsageError::Network`].

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::{select, Either};
use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;

use neo_usage::pagination::ScanPage;
use neo_usage::{decode, NeoUsageError, PageTransport, TaskUsagePage, TaskUsageQuery};

use crate::cancel::CancelHandle;
use crate::config::ClientConfig;
use crate::limiter::ConcurrencyLimiter;

/// Sends the client's requests with `fetch`.
#[derive(Debug, Clone)]
pub struct FetchTransport {
    config: ClientConfig,
    limiter: ConcurrencyLimiter,
    cancel: Option<CancelHandle>,
}

/// How a raced request ended, when it did not produce a result itself.
enum Interrupted {
    TimedOut,
    Cancelled,
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
        let _permit = match self.race(self.limiter.acquire(), None).await {
            Ok(permit) => permit,
            Err(_) => return Err(NeoUsageError::Aborted),
        };
        let controller = web_sys::AbortController::new().map_err(|e| NeoUsageError::Network {
            message: format!("cannot create an AbortController: {}", js_message(&e)),
        })?;
        let url = format!("{}{}", self.config.base_url, path_and_query);
        let (header, value) = self.config.credentials.header();
        let signal = controller.signal();
        let exchange = async {
            let response = Request::get(&url)
                .header("Accept", "application/json")
                .header(header, &value)
                .abort_signal(Some(&signal))
                .send()
                .await
                .map_err(network_error)?;
            let status = response.status();
            if response.ok() {
                return response.binary().await.map_err(network_error);
            }
            let retry_after = response.headers().get("retry-after");
            // The error body is only for the message: a failed read of it
            // still leaves the status to classify.
            let body = response.binary().await.unwrap_or_default();
            // "Now" reads a Retry-After given as an HTTP date.
            Err(NeoUsageError::from_response_at(
                status,
                retry_after.as_deref(),
                &body,
                browser_now(),
            ))
        };
        match self.race(exchange, self.config.timeout).await {
            Ok(result) => result,
            Err(interrupted) => {
                controller.abort();
                Err(match interrupted {
                    Interrupted::TimedOut => NeoUsageError::Timeout {
                        after: self.config.timeout.unwrap_or_default(),
                    },
                    Interrupted::Cancelled => NeoUsageError::Aborted,
                })
            }
        }
    }

    /// `GET` and decode a JSON body from its bytes; `offset` is kept in a
    /// decode error of a list page.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        offset: Option<u64>,
    ) -> Result<T, NeoUsageError> {
        let bytes = self.get_bytes(path_and_query).await?;
        decode::decode_json(&bytes, offset)
    }

    /// [`FetchTransport::get_json`], retried by the configured policy.
    pub async fn get_json_retried<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        offset: Option<u64>,
    ) -> Result<T, NeoUsageError> {
        self.get_retried(path_and_query, |bytes| decode::decode_json(bytes, offset))
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

    /// Runs `work` until it finishes, `timeout` passes, or the handle is
    /// cancelled.
    async fn race<T>(
        &self,
        work: impl Future<Output = T>,
        timeout: Option<Duration>,
    ) -> Result<T, Interrupted> {
        let timer = async {
            match timeout {
                Some(after) => gloo_timers::future::sleep(after).await,
                None => futures::future::pending().await,
            }
        };
        let cancelled = async {
            match &self.cancel {
                Some(handle) => handle.cancelled().await,
                None => futures::future::pending().await,
            }
        };
        let (timer, cancelled, work) = (pin!(timer), pin!(cancelled), pin!(work));
        match select(work, select(timer, cancelled)).await {
            Either::Left((value, _)) => Ok(value),
            Either::Right((Either::Left(_), _)) => Err(Interrupted::TimedOut),
            Either::Right((Either::Right(_), _)) => Err(Interrupted::Cancelled),
        }
    }
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
        decode::decode_json(&body, query.offset.or(Some(0)))
    }

    /// A `setTimeout` wait that ends early when the handle is cancelled.
    async fn sleep(&self, duration: Duration) {
        let _ = self.race(gloo_timers::future::sleep(duration), None).await;
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
    D: Fn(&[u8], u64) -> Result<P, NeoUsageError>,
{
    type Body = Vec<u8>;

    async fn fetch_body(&self, query: &TaskUsageQuery) -> Result<Vec<u8>, NeoUsageError> {
        self.transport.get_bytes(&task_page_path(query)?).await
    }

    fn decode_page(&self, query: &TaskUsageQuery, body: Vec<u8>) -> Result<P, NeoUsageError> {
        (self.decode)(&body, query.offset.unwrap_or(0))
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

/// The browser's clock.
fn browser_now() -> DateTime<Utc> {
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

fn network_error(error: gloo_net::Error) -> NeoUsageError {
    let message = match error {
        gloo_net::Error::JsError(js) => format!("{}: {}", js.name, js.message),
        other => other.to_string(),
    };
    NeoUsageError::Network { message }
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
