//! The objects a JavaScript caller passes (client options, the three
//! queries), read property by property: each known name as its type, `null`
//! or `undefined` as not given, any other name refused naming it and the
//! names there are. An invalid object is an `invalid_query` error whose
//! problem names the property (`retry.baseDelayMs`).
//!
//! Read with `Reflect`, not by serde: `JSON.stringify` and serde_json's
//! derived readers for these few objects were some 12 kB brotli of the npm
//! package.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use neo_usage::query::{GroupBy, StreamSort};
use neo_usage::{NeoUsageError, StreamUsageQuery, SummaryQuery, TaskStatus, TaskUsageQuery};

use crate::js::problem;

/// Client options as JavaScript passes them (`NeoUsageClientOptions`).
#[derive(Default)]
pub(crate) struct ClientOptions {
    pub(crate) base_url: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) api_key: Option<String>,
    pub(crate) timeout_ms: Option<f64>,
    pub(crate) max_concurrency: Option<usize>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) retry: RetryOptions,
}

/// The retry policy as JavaScript passes it (`RetryOptions`).
#[derive(Default)]
pub(crate) struct RetryOptions {
    pub(crate) max_attempts: Option<u32>,
    pub(crate) base_delay_ms: Option<f64>,
    pub(crate) max_delay_ms: Option<f64>,
    pub(crate) max_retry_after_ms: Option<f64>,
}

/// Largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// Calls `read` with each own property of `value` that is not `undefined`
/// (nothing for `undefined` or `null`); `what` names a value that is not
/// an object. Also reads `fetchAllTaskUsages`' options (`js.rs`).
pub(crate) fn each_property(
    value: &JsValue,
    what: &str,
    read: &mut dyn FnMut(&str, JsValue) -> Result<(), NeoUsageError>,
) -> Result<(), NeoUsageError> {
    if value.is_undefined() || value.is_null() {
        return Ok(());
    }
    let Some(object) = value.dyn_ref::<Object>().filter(|_| !value.is_function()) else {
        return Err(problem(what, "must be an object"));
    };
    for key in Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        if !value.is_undefined() {
            read(&name, value)?;
        }
    }
    Ok(())
}

/// The refusal of a property `name` that is not one of `names`.
fn unknown(name: &str, kind: &str, names: &[&str]) -> NeoUsageError {
    problem(name, format!("is not {kind} ({})", names.join(", ")))
}

/// A string, or `None` for `null`.
fn text(name: &str, value: &JsValue) -> Result<Option<String>, NeoUsageError> {
    match value.as_string() {
        Some(text) => Ok(Some(text)),
        None if value.is_null() => Ok(None),
        None => Err(problem(name, "must be a string")),
    }
}

/// A number, or `None` for `null`.
fn number(name: &str, value: &JsValue) -> Result<Option<f64>, NeoUsageError> {
    match value.as_f64() {
        Some(n) => Ok(Some(n)),
        None if value.is_null() => Ok(None),
        None => Err(problem(name, "must be a number")),
    }
}

/// A whole number from 0 to `max`, or `None` for `null`.
fn whole(name: &str, value: &JsValue, max: f64) -> Result<Option<u64>, NeoUsageError> {
    match number(name, value)? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (0.0..=max).contains(&n) => Ok(Some(n as u64)),
        // The bound written as an integer: formatting an f64 would carry
        // core's float printing into the package.
        Some(_) => Err(problem(
            name,
            format!("must be a whole number from 0 to {}", max as u64),
        )),
    }
}

/// A boolean, or `None` for `null`.
fn boolean(name: &str, value: &JsValue) -> Result<Option<bool>, NeoUsageError> {
    match value.as_bool() {
        Some(b) => Ok(Some(b)),
        None if value.is_null() => Ok(None),
        None => Err(problem(name, "must be true or false")),
    }
}

/// A string read by `parse`, refused with `expected` when it reads as
/// nothing.
fn word<T>(
    name: &str,
    value: &JsValue,
    parse: fn(&str) -> Option<T>,
    expected: &str,
) -> Result<Option<T>, NeoUsageError> {
    match text(name, value)? {
        None => Ok(None),
        Some(word) => match parse(&word) {
            Some(parsed) => Ok(Some(parsed)),
            None => Err(problem(name, format!("must be {expected}, got {word:?}"))),
        },
    }
}

fn status(name: &str, value: &JsValue) -> Result<Option<TaskStatus>, NeoUsageError> {
    Ok(text(name, value)?.map(|s| TaskStatus::parse(&s)))
}

const CLIENT_OPTIONS: [&str; 7] = [
    "baseUrl",
    "token",
    "apiKey",
    "timeoutMs",
    "maxConcurrency",
    "maxAttempts",
    "retry",
];

/// Reads the client's options.
pub(crate) fn client_options(value: &JsValue) -> Result<ClientOptions, NeoUsageError> {
    let mut o = ClientOptions::default();
    each_property(value, "options", &mut |name, v| {
        match name {
            "baseUrl" => o.base_url = text(name, &v)?,
            "token" => o.token = text(name, &v)?,
            "apiKey" => o.api_key = text(name, &v)?,
            "timeoutMs" => o.timeout_ms = number(name, &v)?,
            "maxConcurrency" => o.max_concurrency = whole(name, &v, MAX_SAFE)?.map(|n| n as usize),
            "maxAttempts" => o.max_attempts = whole(name, &v, u32::MAX.into())?.map(|n| n as u32),
            "retry" => o.retry = retry_options(&v)?,
            _ => return Err(unknown(name, "an option", &CLIENT_OPTIONS)),
        }
        Ok(())
    })?;
    Ok(o)
}

const RETRY_OPTIONS: [&str; 4] = [
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "maxRetryAfterMs",
];

fn retry_options(value: &JsValue) -> Result<RetryOptions, NeoUsageError> {
    let mut o = RetryOptions::default();
    each_property(value, "retry", &mut |name, v| {
        let path = format!("retry.{name}");
        let p = path.as_str();
        match name {
            "maxAttempts" => o.max_attempts = whole(p, &v, u32::MAX.into())?.map(|n| n as u32),
            "baseDelayMs" => o.base_delay_ms = number(p, &v)?,
            "maxDelayMs" => o.max_delay_ms = number(p, &v)?,
            "maxRetryAfterMs" => o.max_retry_after_ms = number(p, &v)?,
            _ => return Err(unknown(p, "a retry option", &RETRY_OPTIONS)),
        }
        Ok(())
    })?;
    Ok(o)
}

/// A query object of the JS face: one of the core's three queries, read
/// by its API parameter names.
pub(crate) trait JsQuery: Sized {
    /// Reads `value` (`undefined` or `null`: the empty query).
    fn read(value: &JsValue) -> Result<Self, NeoUsageError>;
}

const TASK_QUERY: [&str; 10] = [
    "task_id", "status", "model", "from", "to", "limit", "offset", "search", "email", "is_byok",
];

impl JsQuery for TaskUsageQuery {
    fn read(value: &JsValue) -> Result<Self, NeoUsageError> {
        let mut q = TaskUsageQuery::default();
        each_property(value, "query", &mut |name, v| {
            match name {
                "task_id" => q.task_id = text(name, &v)?,
                "status" => q.status = status(name, &v)?,
                "model" => q.model = text(name, &v)?,
                "from" => q.from = text(name, &v)?,
                "to" => q.to = text(name, &v)?,
                "limit" => q.limit = whole(name, &v, u32::MAX.into())?.map(|n| n as u32),
                "offset" => q.offset = whole(name, &v, MAX_SAFE)?,
                "search" => q.search = text(name, &v)?,
                "email" => q.email = text(name, &v)?,
                "is_byok" => q.is_byok = boolean(name, &v)?,
                _ => return Err(unknown(name, "a query parameter", &TASK_QUERY)),
            }
            Ok(())
        })?;
        Ok(q)
    }
}

const STREAM_QUERY: [&str; 10] = [
    "task_id",
    "stream_id",
    "status",
    "model",
    "from",
    "to",
    "limit",
    "offset",
    "sort",
    "email",
];

impl JsQuery for StreamUsageQuery {
    fn read(value: &JsValue) -> Result<Self, NeoUsageError> {
        let mut q = StreamUsageQuery::default();
        each_property(value, "query", &mut |name, v| {
            match name {
                "task_id" => q.task_id = text(name, &v)?,
                "stream_id" => q.stream_id = text(name, &v)?,
                "status" => q.status = status(name, &v)?,
                "model" => q.model = text(name, &v)?,
                "from" => q.from = text(name, &v)?,
                "to" => q.to = text(name, &v)?,
                "limit" => q.limit = whole(name, &v, u32::MAX.into())?.map(|n| n as u32),
                "offset" => q.offset = whole(name, &v, MAX_SAFE)?,
                "sort" => q.sort = word(name, &v, StreamSort::parse, "\"created_at\" or \"cost\"")?,
                "email" => q.email = text(name, &v)?,
                _ => return Err(unknown(name, "a query parameter", &STREAM_QUERY)),
            }
            Ok(())
        })?;
        Ok(q)
    }
}

const SUMMARY_QUERY: [&str; 3] = ["from", "to", "group_by"];

impl JsQuery for SummaryQuery {
    fn read(value: &JsValue) -> Result<Self, NeoUsageError> {
        let mut q = SummaryQuery::default();
        each_property(value, "query", &mut |name, v| {
            match name {
                "from" => q.from = text(name, &v)?,
                "to" => q.to = text(name, &v)?,
                "group_by" => {
                    q.group_by = word(name, &v, GroupBy::parse, "\"day\", \"week\" or \"month\"")?
                }
                _ => return Err(unknown(name, "a query parameter", &SUMMARY_QUERY)),
            }
            Ok(())
        })?;
        Ok(q)
    }
}
