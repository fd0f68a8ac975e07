//! [`ClientConfig`] and [`Credentials`]: where the API is, how to
//! authenticate, and how patient to be.
//!
//! `Debug` never shows a token or key:
//!
//! ```
//! use neo_usage_client::{ClientConfig, Credentials};
//! let config = ClientConfig::new(Credentials::Bearer("secret-jwt".into()));
//! assert!(!format!("{config:?}").contains("secret-jwt"));
//! ```

use std::fmt;
use std::time::Duration;

use neo_usage::{assumed, RetryPolicy, DEFAULT_BASE_URL};

/// How requests authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <token>` (a Neo JWT; the documented scheme).
    Bearer(String),
    /// `X-API-Key: <key>` ([`assumed::API_KEY_HEADER`]).
    ApiKey(String),
}

impl Credentials {
    /// The header name and value that carry these credentials.
    pub fn header(&self) -> (&'static str, String) {
        match self {
            Credentials::Bearer(token) => ("Authorization", format!("Bearer {token}")),
            Credentials::ApiKey(key) => (assumed::API_KEY_HEADER, key.clone()),
        }
    }

    /// Whether the token or key is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Credentials::Bearer(secret) | Credentials::ApiKey(secret) => secret.trim().is_empty(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
        }
    }
}

/// Everything a [`crate::NeoUsageClient`] needs.
///
/// ```
/// use std::time::Duration;
/// use neo_usage_client::{ClientConfig, Credentials};
/// use neo_usage::RetryPolicy;
/// let config = ClientConfig::new(Credentials::ApiKey("k".into()))
///     .base_url("http://127.0.0.1:8080/")
///     .timeout(Some(Duration::from_secs(5)))
///     .retry(RetryPolicy::never())
///     .max_concurrency(2);
/// assert_eq!(config.base_url, "http://127.0.0.1:8080");
/// ```
#[derive(Clone, PartialEq)]
pub struct ClientConfig {
    /// Origin (and optional path prefix) of the API, without a trailing `/`.
    /// Default: [`DEFAULT_BASE_URL`].
    pub base_url: String,
    /// The token or API key.
    pub credentials: Credentials,
    /// Longest wait for one request, body included (`None`: no limit).
    /// Default: 30 s.
    pub timeout: Option<Duration>,
    /// Retries of failed requests: 408, 409, 429, every 5xx, network
    /// errors, timeouts and bodies cut short
    /// ([`neo_usage::NeoUsageError::is_retryable`]).
    pub retry: RetryPolicy,
    /// Most requests of this client in flight at once, whatever the caller
    /// does (at least 1). Default: 4.
    pub max_concurrency: usize,
}

/// Default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default bound on requests in flight.
pub const DEFAULT_MAX_CONCURRENCY: usize = 4;

impl ClientConfig {
    /// A configuration for the production API with default timeout, retry
    /// policy and concurrency.
    pub fn new(credentials: Credentials) -> Self {
        ClientConfig {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials,
            timeout: Some(DEFAULT_TIMEOUT),
            retry: RetryPolicy::default(),
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
        }
    }

    /// Sets the base URL (trailing `/` removed).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim().trim_end_matches('/').to_owned();
        self
    }

    /// Sets the request timeout (`None`: no limit).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the bound on requests in flight (0 is read as 1).
    pub fn max_concurrency(mut self, max_concurrency: usize) -> Self {
        self.max_concurrency = max_concurrency.max(1);
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_concurrency", &self.max_concurrency)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn debug_redacts_secrets() {
        for creds in [
            Credentials::Bearer("tok-123".into()),
            Credentials::ApiKey("key-456".into()),
        ] {
            let shown = format!("{:?}", ClientConfig::new(creds));
            assert!(
                !shown.contains("tok-123") && !shown.contains("key-456"),
                "{shown}"
            );
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn headers_follow_the_scheme() {
        assert_eq!(
            Credentials::Bearer("t".into()).header(),
            ("Authorization", "Bearer t".into())
        );
        assert_eq!(
            Credentials::ApiKey("k".into()).header(),
            ("X-API-Key", "k".into())
        );
    }
}
