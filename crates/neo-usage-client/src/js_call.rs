//! [`Call`]: one request of the npm package's `NeoUsageClient`, as its
//! JavaScript loop (`js/client.js`, `send`) runs it. The loop does the
//! waiting; every decision is made here: the URL and credentials, what an
//! answer means (decoded, every row validated, or the error its status
//! stands for), and whether and when to try again (the client's
//! [`RetryPolicy`], the same rule as the Rust client's
//! [`RetryPolicy::run`]).

use std::time::Duration;

use wasm_bindgen::prelude::*;

use neo_usage::model_reader::ApiBody;
use neo_usage::pagination::check_page;
use neo_usage::{
    NeoUsageError, RetryPolicy, TaskUsage, TaskUsagePage, TaskUsageQuery, UsageSummary,
};

use crate::config::ClientConfig;
use crate::js::{to_js, to_js_error};
use crate::js_rows::{decode_js_rows_page, JsRowsPage};
use crate::transport::{exchange_error, status_error, timer_ms};

/// What a call's body decodes into.
pub(crate) enum Decode {
    /// A page of a list (`offset` kept in a decode error).
    Page { offset: u64 },
    /// One task.
    Task,
    /// The summary.
    Summary,
    /// A fetch-all's page, its rows written as JS objects, checked against
    /// the scan's `total` ([`check_page`]).
    ScanPage {
        query: TaskUsageQuery,
        expected_total: Option<u64>,
    },
}

/// A decoded body.
pub(crate) enum Decoded {
    /// A one-request method's result, as a plain JS object.
    Value(JsValue),
    /// A fetch-all's page.
    Page(JsRowsPage),
}

/// One request, retried by the client's policy (internal to the package:
/// its JavaScript loop drives it).
#[wasm_bindgen(skip_typescript)]
pub struct Call {
    url: String,
    header: (&'static str, String),
    timeout: Option<Duration>,
    retry: RetryPolicy,
    /// Attempts answered so far.
    attempts: u32,
    decode: Decode,
    decoded: Option<Decoded>,
    /// The error the call failed with for good.
    error: Option<NeoUsageError>,
}

impl Call {
    /// `GET config.base_url + path_and_query`, its body decoded as `decode`
    /// says, retried by the client's policy.
    pub(crate) fn new(config: &ClientConfig, path_and_query: &str, decode: Decode) -> Self {
        Call {
            url: format!("{}{}", config.base_url, path_and_query),
            header: config.credentials.header(),
            timeout: config.timeout,
            retry: config.retry,
            attempts: 0,
            decode,
            decoded: None,
            error: None,
        }
    }

    /// The offset of the page this call asks for (0 for one that is not a
    /// fetch-all's page).
    pub(crate) fn offset(&self) -> u64 {
        match &self.decode {
            Decode::ScanPage { query, .. } => query.offset.unwrap_or(0),
            _ => 0,
        }
    }

    /// The fetch-all page this call decoded, taken.
    pub(crate) fn take_page(&mut self) -> Option<JsRowsPage> {
        match self.decoded.take() {
            Some(Decoded::Page(page)) => Some(page),
            other => {
                self.decoded = other;
                None
            }
        }
    }

    /// The error the call failed with for good (`Aborted` if none was
    /// recorded).
    pub(crate) fn take_error(&mut self) -> NeoUsageError {
        self.error.take().unwrap_or(NeoUsageError::Aborted)
    }

    /// Decodes a 2xx body.
    fn decode_body(&self, body: &[u8]) -> Result<Decoded, NeoUsageError> {
        Ok(match &self.decode {
            Decode::Page { offset } => {
                Decoded::Value(to_js(&TaskUsagePage::decode(body, Some(*offset))?)?)
            }
            Decode::Task => Decoded::Value(to_js(&TaskUsage::decode(body, None)?)?),
            Decode::Summary => Decoded::Value(to_js(&UsageSummary::decode(body, None)?)?),
            Decode::ScanPage {
                query,
                expected_total,
            } => {
                let page = decode_js_rows_page(body, query.offset.unwrap_or(0))?;
                check_page(query, &page, *expected_total)?;
                Decoded::Page(page)
            }
        })
    }

    /// Records an attempt's result: `-1` when done, the milliseconds to
    /// wait before the next attempt, or the `NeoUsageError` to reject with.
    fn settle(&mut self, result: Result<Decoded, NeoUsageError>) -> Result<f64, JsValue> {
        self.attempts += 1;
        let error = match result {
            Ok(decoded) => {
                self.decoded = Some(decoded);
                return Ok(-1.0);
            }
            Err(error) => error,
        };
        match self
            .retry
            .delay_after(self.attempts, &error, js_sys::Math::random())
        {
            Some(wait) => Ok(timer_ms(wait)),
            None => {
                let js = to_js_error(&error);
                self.error = Some(error);
                Err(js)
            }
        }
    }
}

#[wasm_bindgen]
impl Call {
    /// The URL to `GET`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The credentials' header name.
    #[wasm_bindgen(js_name = headerName)]
    pub fn header_name(&self) -> String {
        self.header.0.to_owned()
    }

    /// The credentials' header value.
    #[wasm_bindgen(js_name = headerValue)]
    pub fn header_value(&self) -> String {
        self.header.1.clone()
    }

    /// The per-request timeout in milliseconds (0: none).
    #[wasm_bindgen(js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.timeout.map_or(0.0, timer_ms)
    }

    /// An answer: `status`, its `Retry-After` (non-2xx only) and body.
    /// `-1` when done ([`Call::value`]), else the milliseconds to wait
    /// before trying again; throws the `NeoUsageError` to reject with.
    pub fn answer(
        &mut self,
        status: u16,
        #[wasm_bindgen(js_name = retryAfter)] retry_after: Option<String>,
        body: &[u8],
    ) -> Result<f64, JsValue> {
        let result = match status_error(status, retry_after.as_deref(), body) {
            None => self.decode_body(body),
            Some(error) => Err(error),
        };
        self.settle(result)
    }

    /// An exchange that rejected (its timeout, or the network), read as
    /// [`Call::answer`] reads an answer.
    pub fn failure(&mut self, failure: JsValue) -> Result<f64, JsValue> {
        let error = exchange_error(&failure, self.timeout);
        self.settle(Err(error))
    }

    /// The result of a one-request call that is done (`undefined` for a
    /// fetch-all's page, which the scan takes).
    pub fn value(&mut self) -> JsValue {
        match self.decoded.take() {
            Some(Decoded::Value(value)) => value,
            other => {
                self.decoded = other;
                JsValue::UNDEFINED
            }
        }
    }

    /// The call stopped by an abort (or a fetch-all's failure elsewhere):
    /// the `NeoUsageError` of kind "aborted" to reject with.
    pub fn aborted(&mut self) -> JsValue {
        self.error = Some(NeoUsageError::Aborted);
        to_js_error(&NeoUsageError::Aborted)
    }
}
