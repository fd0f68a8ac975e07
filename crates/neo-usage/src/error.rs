//! [`NeoUsageError`]: the one error type of the client, and
//! [`NeoUsageError::from_response`], which turns a non-success HTTP answer into
//! the right variant.
//!
//! ```
//! use neo_usage::{NeoUsageError, ErrorKind};
//! let e = NeoUsageError::from_response(429, Some("7"), br#"{"error":"slow down"}"#);
//! assert_eq!(e.kind(), ErrorKind::RateLimited);
//! assert_eq!(e.status(), Some(429));
//! assert!(e.is_retryable());
//! assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(7)));
//!
//! // An HTTP date needs "now": the core has no clock, so the caller gives it.
//! let now = "2026-11-28T12:00:00Z".parse().unwrap();
//! let e = NeoUsageError::from_response_at(503, Some("Sat, 28 Nov 2026 12:00:30 GMT"), b"", now);
//! assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(30)));
//! ```

use std::fmt;
use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::assumed;
use crate::http_date::parse_http_date;
use crate::model::TaskUsage;
use crate::model_reader::string_field;
use crate::query::QueryProblem;

/// Longest excerpt of a response body kept in an error, in characters.
pub const BODY_EXCERPT_CHARS: usize = 240;

/// Every way a call to the Neo usage API can fail.
///
/// Each message says what happened and what to do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NeoUsageError {
    /// The query was refused before sending; every problem is listed.
    #[error("invalid query: {}", QueryProblem::join(problems))]
    InvalidQuery {
        /// Each parameter that is wrong, and why.
        problems: Vec<QueryProblem>,
    },
    /// 401: the token or API key is missing, wrong or expired.
    #[error("unauthorized (401): {message}. Check the API token or key: it is missing, mistyped or expired.")]
    Unauthorized {
        /// The server's message.
        message: String,
    },
    /// 403: the caller has no access to usage data.
    #[error("forbidden (403): {message}. Usage data is visible to solo users and team admins only; team members and viewers have no access. Ask a team admin.")]
    Forbidden {
        /// The server's message.
        message: String,
    },
    /// 404: no such task, or not one the caller may see.
    #[error("not found (404): {message}. Check the task id, and that the task belongs to you or your team.")]
    NotFound {
        /// The server's message.
        message: String,
    },
    /// 400 or 422: the server refused a parameter.
    #[error(
        "request refused ({status}): {message}. Correct the parameter it names and try again."
    )]
    Validation {
        /// 400 or 422.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// 429: too many requests.
    #[error("rate limited (429): {message}. {}", retry_hint(*retry_after))]
    RateLimited {
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The server's message.
        message: String,
    },
    /// A 5xx answer.
    #[error("server error ({status}): {excerpt}. The Neo API failed; try again later.")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        excerpt: String,
        /// How long the server asked to wait (`Retry-After`, as a 503 may
        /// send), when it said.
        retry_after: Option<Duration>,
    },
    /// Any other non-success status.
    #[error("unexpected HTTP status {status}: {excerpt}")]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        excerpt: String,
    },
    /// The request did not complete: no network, DNS, TLS, or a CORS refusal.
    #[error("network error: {message}. Check the base URL and your connection. A browser also reports a CORS refusal this way: if the API does not allow this page's origin, run the viewer behind `neo-usage-mock --upstream` on one origin.")]
    Network {
        /// What the transport reported.
        message: String,
    },
    /// No answer within the request timeout.
    #[error("timed out after {} ms. The server is slow or unreachable; try again or raise the timeout.", .after.as_millis())]
    Timeout {
        /// The timeout that expired.
        after: Duration,
    },
    /// The caller cancelled the request.
    #[error("aborted: the request was cancelled")]
    Aborted,
    /// The body was not the JSON the API documents.
    #[error("could not decode the response{}: {message} at `{path}`; body starts: {excerpt}", offset.map(|o| format!(" of the page at offset {o}")).unwrap_or_default())]
    Decode {
        /// JSON path of the failing value, e.g. `data[3].created_at`.
        path: String,
        /// Offset of the page, for list requests.
        offset: Option<u64>,
        /// What was wrong.
        message: String,
        /// Part of the body around the failure.
        excerpt: String,
        /// Whether the body ended early: a transport failure (a cut
        /// connection) rather than a wrong body, so worth retrying.
        truncated: bool,
    },
    /// Fetch-all stopped part way; the rows already fetched are kept.
    #[error("{} (fetched {} of {} rows; offsets still missing: {})", .0.cause, .0.rows.len(), .0.total, format_offsets(&.0.missing_offsets))]
    Incomplete(Box<IncompleteFetch>),
}

/// What a failed fetch-all had when it stopped: pass it back to resume.
#[derive(Debug, Clone, PartialEq)]
pub struct IncompleteFetch {
    /// The error that stopped the scan.
    pub cause: NeoUsageError,
    /// Rows fetched before the failure, in API order, without duplicates.
    pub rows: Vec<TaskUsage>,
    /// Offsets of pages not fetched.
    pub missing_offsets: Vec<u64>,
    /// Page size of the scan.
    pub limit: u32,
    /// The `total` the server reported.
    pub total: u64,
    /// The query the scan ran with (`to` pinned), to fetch the missing
    /// offsets consistently.
    pub query: crate::query::TaskUsageQuery,
}

fn retry_hint(after: Option<Duration>) -> String {
    match after {
        // Whole seconds, rounded up, counted as integers: printing an f64
        // would carry core's float printing into the npm package.
        Some(d) => {
            let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
            format!("Wait {secs} s before trying again.")
        }
        None => "Wait a little before trying again.".to_owned(),
    }
}

fn format_offsets(offsets: &[u64]) -> String {
    const SHOWN: usize = 8;
    let mut out = String::new();
    for (i, offset) in offsets.iter().take(SHOWN).enumerate() {
        let separator = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{separator}{offset}");
    }
    if offsets.len() > SHOWN {
        let _ = write!(out, ", and {} more", offsets.len() - SHOWN);
    }
    out
}

/// The category of a [`NeoUsageError`], for code that branches on it (and
/// the `kind` property JavaScript callers see).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// [`NeoUsageError::InvalidQuery`]
    InvalidQuery,
    /// [`NeoUsageError::Unauthorized`]
    Unauthorized,
    /// [`NeoUsageError::Forbidden`]
    Forbidden,
    /// [`NeoUsageError::NotFound`]
    NotFound,
    /// [`NeoUsageError::Validation`]
    Validation,
    /// [`NeoUsageError::RateLimited`]
    RateLimited,
    /// [`NeoUsageError::Server`]
    Server,
    /// [`NeoUsageError::UnexpectedStatus`]
    Http,
    /// [`NeoUsageError::Network`]
    Network,
    /// [`NeoUsageError::Timeout`]
    Timeout,
    /// [`NeoUsageError::Aborted`]
    Aborted,
    /// [`NeoUsageError::Decode`]
    Decode,
}

impl ErrorKind {
    /// The snake_case name (`"rate_limited"`), as JavaScript sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidQuery => "invalid_query",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Validation => "validation",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Http => "http",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Decode => "decode",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl NeoUsageError {
    /// The category of the error. For [`NeoUsageError::Incomplete`], that of
    /// its cause.
    pub fn kind(&self) -> ErrorKind {
        match self {
            NeoUsageError::InvalidQuery { .. } => ErrorKind::InvalidQuery,
            NeoUsageError::Unauthorized { .. } => ErrorKind::Unauthorized,
            NeoUsageError::Forbidden { .. } => ErrorKind::Forbidden,
            NeoUsageError::NotFound { .. } => ErrorKind::NotFound,
            NeoUsageError::Validation { .. } => ErrorKind::Validation,
            NeoUsageError::RateLimited { .. } => ErrorKind::RateLimited,
            NeoUsageError::Server { .. } => ErrorKind::Server,
            NeoUsageError::UnexpectedStatus { .. } => ErrorKind::Http,
            NeoUsageError::Network { .. } => ErrorKind::Network,
            NeoUsageError::Timeout { .. } => ErrorKind::Timeout,
            NeoUsageError::Aborted => ErrorKind::Aborted,
            NeoUsageError::Decode { .. } => ErrorKind::Decode,
            NeoUsageError::Incomplete(partial) => partial.cause.kind(),
        }
    }

    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            NeoUsageError::Unauthorized { .. } => Some(401),
            NeoUsageError::Forbidden { .. } => Some(403),
            NeoUsageError::NotFound { .. } => Some(404),
            NeoUsageError::RateLimited { .. } => Some(429),
            NeoUsageError::Validation { status, .. }
            | NeoUsageError::Server { status, .. }
            | NeoUsageError::UnexpectedStatus { status, .. } => Some(*status),
            NeoUsageError::Incomplete(partial) => partial.cause.status(),
            _ => None,
        }
    }

    /// Whether trying the same request again may succeed. Every request of
    /// this client is an idempotent `GET`, so, as well-kept API SDKs do for
    /// idempotent calls: 408, 409, 429 and every 5xx, network failures,
    /// timeouts and bodies cut short. Never another 4xx: the same request
    /// would get the same answer.
    pub fn is_retryable(&self) -> bool {
        match self {
            NeoUsageError::RateLimited { .. }
            | NeoUsageError::Server { .. }
            | NeoUsageError::Network { .. }
            | NeoUsageError::Timeout { .. }
            | NeoUsageError::Decode {
                truncated: true, ..
            } => true,
            NeoUsageError::UnexpectedStatus { status, .. } => {
                RETRYABLE_CLIENT_STATUSES.contains(status)
            }
            _ => false,
        }
    }

    /// How long the server asked to wait (`Retry-After` on a 429 or a 5xx).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            NeoUsageError::RateLimited { retry_after, .. }
            | NeoUsageError::Server { retry_after, .. } => *retry_after,
            NeoUsageError::Incomplete(partial) => partial.cause.retry_after(),
            _ => None,
        }
    }

    /// Classifies a non-success HTTP answer from its status, its
    /// `Retry-After` header and its body (JSON with a message field per
    /// [`assumed::ERROR_MESSAGE_FIELDS`], or plain text).
    ///
    /// Without a clock, `Retry-After` is read in its delta-seconds form
    /// only; [`NeoUsageError::from_response_at`] also reads an HTTP date.
    pub fn from_response(status: u16, retry_after: Option<&str>, body: &[u8]) -> NeoUsageError {
        Self::classify(
            status,
            retry_after.and_then(|v| parse_retry_after(v, None)),
            body,
        )
    }

    /// [`NeoUsageError::from_response`], reading `Retry-After` in both forms
    /// RFC 9110 allows (delta-seconds and HTTP-date) against `now`, the
    /// caller's current time (the core has no clock).
    pub fn from_response_at(
        status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> NeoUsageError {
        Self::classify(
            status,
            retry_after.and_then(|v| parse_retry_after(v, Some(now))),
            body,
        )
    }

    fn classify(status: u16, retry_after: Option<Duration>, body: &[u8]) -> NeoUsageError {
        let message = error_message(body);
        match status {
            401 => NeoUsageError::Unauthorized {
                message: message.unwrap_or_else(|| "missing or invalid credentials".into()),
            },
            403 => NeoUsageError::Forbidden {
                message: message.unwrap_or_else(|| "no access to usage data".into()),
            },
            404 => NeoUsageError::NotFound {
                message: message.unwrap_or_else(|| "not found".into()),
            },
            400 | 422 => NeoUsageError::Validation {
                status,
                message: message.unwrap_or_else(|| "invalid parameter".into()),
            },
            429 => NeoUsageError::RateLimited {
                retry_after,
                message: message.unwrap_or_else(|| "too many requests".into()),
            },
            500..=599 => NeoUsageError::Server {
                status,
                excerpt: excerpt(body, 0),
                retry_after,
            },
            _ => NeoUsageError::UnexpectedStatus {
                status,
                excerpt: excerpt(body, 0),
            },
        }
    }
}

/// 4xx statuses other than 429 that are worth retrying for an idempotent
/// request: 408 Request Timeout and 409 Conflict.
pub const RETRYABLE_CLIENT_STATUSES: [u16; 2] = [408, 409];

/// Longest `Retry-After` read; longer values are read as this. The retry
/// policy's own cap ([`crate::RetryPolicy::max_retry_after`]) is far lower.
pub const RETRY_AFTER_CEILING: Duration = Duration::from_secs(24 * 60 * 60);

/// Reads `Retry-After` in the two forms of RFC 9110 section 10.2.3:
/// delta-seconds (`120`; a fraction such as `1.5` is tolerated) or an
/// HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850 and
/// asctime forms), the latter relative to `now` and only when `now` is
/// given. A date in the past is zero. `None` when unreadable. Never more
/// than [`RETRY_AFTER_CEILING`].
///
/// ```
/// use std::time::Duration;
/// use neo_usage::error::parse_retry_after;
/// let now = "1994-11-06T08:49:00Z".parse().unwrap();
/// let secs = |s| Some(Duration::from_secs(s));
/// assert_eq!(parse_retry_after("120", None), secs(120));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", Some(now)), secs(37));
/// assert_eq!(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", Some(now)), secs(37));
/// assert_eq!(parse_retry_after("Sun Nov  6 08:49:37 1994", Some(now)), secs(37));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", None), None);
/// ```
pub fn parse_retry_after(value: &str, now: Option<DateTime<Utc>>) -> Option<Duration> {
    let value = value.trim();
    let delay = match parse_delay_seconds(value) {
        Some(delay) => delay,
        None => parse_http_date(value)?
            .signed_duration_since(now?)
            .to_std()
            .unwrap_or(Duration::ZERO),
    };
    Some(delay.min(RETRY_AFTER_CEILING))
}

/// delta-seconds (`120`), or digits with a fraction (`1.5`, read to the
/// nanosecond, the rest of the fraction dropped); more seconds than `u64`
/// holds read as [`RETRY_AFTER_CEILING`]. `None` for anything else: a
/// sign, an exponent, `inf`.
fn parse_delay_seconds(value: &str) -> Option<Duration> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let Ok(secs) = whole.parse::<u64>() else {
        return Some(RETRY_AFTER_CEILING); // only digits: very long
    };
    let nanos_digits = &fraction[..fraction.len().min(9)];
    let nanos = crate::timestamp::digits(nanos_digits.as_bytes())?
        * 10u32.pow(9 - nanos_digits.len() as u32);
    Some(Duration::new(secs, nanos))
}

/// The human message of an error body: a JSON message field, else the text
/// itself (trimmed and shortened). `None` for an empty body.
fn error_message(body: &[u8]) -> Option<String> {
    let json = std::str::from_utf8(body).ok();
    let field = json.and_then(|json| string_field(json, assumed::ERROR_MESSAGE_FIELDS));
    if field.is_some() {
        return field;
    }
    let text = excerpt(body, 0);
    (!text.is_empty()).then_some(text)
}

/// Up to [`BODY_EXCERPT_CHARS`] characters of `body` around byte `at`,
/// lossily decoded, whitespace folded.
pub fn excerpt(body: &[u8], at: usize) -> String {
    let start = at.saturating_sub(BODY_EXCERPT_CHARS / 2).min(body.len());
    let end = (start + BODY_EXCERPT_CHARS).min(body.len());
    let text = String::from_utf8_lossy(&body[start..end]);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    // Whitespace runs folded to one space (line breaks, indentation).
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if end < body.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        let cases = [
            (401, ErrorKind::Unauthorized),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (400, ErrorKind::Validation),
            (422, ErrorKind::Validation),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (503, ErrorKind::Server),
            (408, ErrorKind::Http),
            (409, ErrorKind::Http),
            (418, ErrorKind::Http),
        ];
        for (status, kind) in cases {
            let e = NeoUsageError::from_response(status, None, b"");
            assert_eq!(e.kind(), kind, "{status}");
            assert_eq!(e.status(), Some(status));
        }
    }

    #[test]
    fn retryable_set_is_exactly_the_documented_one() {
        let retryable =
            |status: u16| NeoUsageError::from_response(status, None, b"").is_retryable();
        let yes: Vec<u16> = (100..=599).filter(|s| retryable(*s)).collect();
        let expected: Vec<u16> = [408, 409, 429].into_iter().chain(500..=599).collect();
        assert_eq!(yes, expected);
        assert!(NeoUsageError::Network {
            message: "x".into()
        }
        .is_retryable());
        assert!(NeoUsageError::Timeout {
            after: Duration::from_secs(1)
        }
        .is_retryable());
        assert!(!NeoUsageError::Aborted.is_retryable());
        assert!(!NeoUsageError::InvalidQuery { problems: vec![] }.is_retryable());
    }

    #[test]
    fn message_comes_from_json_fields_or_text() {
        let e = NeoUsageError::from_response(
            422,
            None,
            br#"{"error":"limit must be between 1 and 200"}"#,
        );
        assert_eq!(
            e,
            NeoUsageError::Validation {
                status: 422,
                message: "limit must be between 1 and 200".into()
            }
        );
        let e = NeoUsageError::from_response(401, None, b"  token expired \n");
        assert!(e.to_string().contains("token expired"), "{e}");
        let e = NeoUsageError::from_response(403, None, b"");
        assert!(
            e.to_string()
                .contains("team members and viewers have no access"),
            "{e}"
        );
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(parse_retry_after("3", None), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 1.5 ", None),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("2.0000000019", None),
            Some(Duration::new(2, 1)),
            "to the nanosecond"
        );
        for unreadable in [
            "soon", "", "-3", "NaN", "-0.5", "1e300", "inf", "1.", ".5", "+3",
        ] {
            assert_eq!(parse_retry_after(unreadable, None), None, "{unreadable}");
        }
        for huge in [
            "99999999999999999999999",
            "99999999999999999999999.5",
            "86401",
        ] {
            assert_eq!(
                parse_retry_after(huge, None),
                Some(RETRY_AFTER_CEILING),
                "{huge}"
            );
        }
        let e = NeoUsageError::from_response(429, Some("2"), b"{}");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
        assert!(e.to_string().contains("Wait 2 s"), "{e}");
    }

    #[test]
    fn retry_after_reads_http_dates_against_the_given_now() {
        let now: DateTime<Utc> = "2026-11-28T12:00:00Z".parse().unwrap();
        let date = "Sat, 28 Nov 2026 12:01:00 GMT";
        assert_eq!(
            parse_retry_after(date, Some(now)),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_retry_after(date, None), None, "no clock, no date");
        let past = "Sat, 28 Nov 2026 11:00:00 GMT";
        assert_eq!(parse_retry_after(past, Some(now)), Some(Duration::ZERO));
        let impossible = "Mon, 31 Nov 2026 11:00:00 GMT";
        assert_eq!(parse_retry_after(impossible, Some(now)), None);
        let e = NeoUsageError::from_response_at(429, Some(date), b"", now);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
        let e = NeoUsageError::from_response_at(503, Some("5"), b"", now);
        assert_eq!(
            e.retry_after(),
            Some(Duration::from_secs(5)),
            "a 503 may say it too"
        );
        let e = NeoUsageError::from_response_at(404, Some("5"), b"", now);
        assert_eq!(e.retry_after(), None);
    }

    #[test]
    fn server_errors_keep_a_short_excerpt() {
        let body = "x".repeat(10_000);
        let e = NeoUsageError::from_response(500, None, body.as_bytes());
        match e {
            NeoUsageError::Server { excerpt, .. } => {
                assert!(excerpt.chars().count() <= BODY_EXCERPT_CHARS + 2)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn joined_texts_read_as_lists() {
        assert_eq!(format_offsets(&[]), "");
        assert_eq!(format_offsets(&[200]), "200");
        assert_eq!(format_offsets(&[0, 200, 400]), "0, 200, 400");
        let many: Vec<u64> = (0..11).map(|i| i * 200).collect();
        assert_eq!(
            format_offsets(&many),
            "0, 200, 400, 600, 800, 1000, 1200, 1400, and 3 more"
        );
        let body = b"{\n  \"detail\":\t\"no\r\n  way\"  }";
        assert_eq!(excerpt(body, 0), r#"{ "detail": "no way" }"#);
        let long = format!("{}tail", " x".repeat(BODY_EXCERPT_CHARS));
        let cut = excerpt(long.as_bytes(), long.len());
        assert!(cut.starts_with("…x x") && cut.ends_with("x xtail"), "{cut}");
        let problems = [
            QueryProblem::new("limit", "must be 1..=200"),
            QueryProblem::new("sort", "must be one of created_at, cost"),
        ];
        assert_eq!(
            QueryProblem::join(&problems),
            "limit must be 1..=200; sort must be one of created_at, cost"
        );
        assert_eq!(QueryProblem::join(&[]), "");
    }

    #[test]
    fn network_error_mentions_cors() {
        let e = NeoUsageError::Network {
            message: "TypeError: Failed to fetch".into(),
        };
        assert!(e.to_string().contains("CORS"));
    }
}
