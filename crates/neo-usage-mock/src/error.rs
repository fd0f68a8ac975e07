//! [`ApiError`]: every non-200 answer of the reference server, with its HTTP
//! status and JSON body in one place.
//!
//! Bodies are `{"error": "<one sentence>"}`; query problems add
//! `"problems": [{"parameter": ..., "message": ...}]` listing every bad
//! parameter at once (from `neo_usage`'s `from_query_pairs`).

use neo_usage::model_writer::ApiJson;
use neo_usage::{NeoUsageError, QueryProblem};

use crate::role::Role;

/// An answer other than 200.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: no token, or a token the server does not know.
    Unauthorized,
    /// 403: the role may not read usage.
    Forbidden {
        /// The caller's role.
        role: Role,
    },
    /// 404: no such task (or not visible to the caller), or no such path.
    NotFound {
        /// What was not found, as a sentence fragment.
        what: String,
    },
    /// 405: the API only answers `GET`.
    MethodNotAllowed {
        /// The method used.
        method: String,
    },
    /// 422: one or more parameters are invalid.
    InvalidQuery {
        /// Every problem found.
        problems: Vec<QueryProblem>,
    },
    /// 429: more requests than the rate limit allows (`Retry-After` set).
    RateLimited {
        /// Seconds to wait, sent as `Retry-After`.
        retry_after_secs: u64,
    },
    /// 414: the request target (path and query) is too long.
    TargetTooLong {
        /// Bytes of the target received.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// 431: the request's headers are too large.
    HeadersTooLarge {
        /// Bytes of headers received.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// Any status injected by `--error-rate` (the statuses of
    /// `--error-statuses`; 500 and 503 by default).
    Injected {
        /// The HTTP status.
        status: u16,
        /// `Retry-After` seconds, sent with an injected 429.
        retry_after_secs: Option<u64>,
    },
    /// 500: the answer could not be produced (a bug, never expected).
    Internal {
        /// What went wrong.
        message: String,
    },
    /// 502: the `--upstream` API could not be reached.
    Upstream {
        /// What went wrong.
        message: String,
    },
}

impl ApiError {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Unauthorized => 401,
            ApiError::Forbidden { .. } => 403,
            ApiError::NotFound { .. } => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::InvalidQuery { .. } => 422,
            ApiError::RateLimited { .. } => 429,
            ApiError::TargetTooLong { .. } => 414,
            ApiError::HeadersTooLarge { .. } => 431,
            ApiError::Injected { status, .. } => *status,
            ApiError::Internal { .. } => 500,
            ApiError::Upstream { .. } => 502,
        }
    }

    /// The human-readable sentence of the `error` field.
    pub fn message(&self) -> String {
        match self {
            ApiError::InvalidQuery { problems } => {
                format!("invalid query: {}", QueryProblem::join(problems))
            }
            ApiError::Unauthorized => {
                "missing or unknown token: send Authorization: Bearer <token> or X-API-Key: <token>"
                    .to_owned()
            }
            ApiError::Forbidden { role } => {
                format!("a {} may not read usage; ask a team admin", role.as_str())
            }
            ApiError::NotFound { what } => format!("not found: {what}"),
            ApiError::MethodNotAllowed { method } => {
                format!("method {method} not allowed: the usage API answers GET only")
            }
            ApiError::RateLimited { retry_after_secs } => {
                format!("rate limit exceeded: retry after {retry_after_secs} s")
            }
            ApiError::TargetTooLong { bytes, limit } => {
                format!("request target too long: {bytes} bytes, limit {limit}")
            }
            ApiError::HeadersTooLarge { bytes, limit } => {
                format!("request headers too large: {bytes} bytes, limit {limit}")
            }
            ApiError::Injected { status, .. } => {
                format!("HTTP {status} (injected fault)")
            }
            ApiError::Internal { message } => format!("internal error: {message}"),
            ApiError::Upstream { message } => format!("upstream API unreachable: {message}"),
        }
    }

    /// The JSON body: `{"error": ...}`, with `"problems"` for 422.
    ///
    /// ```
    /// use neo_usage_mock::ApiError;
    /// let body = ApiError::NotFound { what: "task \"t\"".into() }.body();
    /// assert_eq!(body, r#"{"error":"not found: task \"t\""}"#);
    /// ```
    pub fn body(&self) -> String {
        let mut body = String::from("{\"error\":");
        self.message().write_json(&mut body);
        if let ApiError::InvalidQuery { problems } = self {
            body.push_str(",\"problems\":");
            problems.write_json(&mut body);
        }
        body.push('}');
        body
    }

    /// `Retry-After` seconds, for 429.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Injected {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }

    /// A 422 from the core crate's query validation; other core errors
    /// cannot come out of `from_query_pairs` but read as 422 too.
    pub fn from_query_error(error: NeoUsageError) -> ApiError {
        match error {
            NeoUsageError::InvalidQuery { problems } => ApiError::InvalidQuery { problems },
            other => ApiError::InvalidQuery {
                problems: vec![QueryProblem::new("query", other.to_string())],
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status(), self.message())
    }
}

impl std::error::Error for ApiError {}
