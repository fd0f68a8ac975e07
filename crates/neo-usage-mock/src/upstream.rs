//! Forwarding `/api/v1/usage/*` to a real Neo API (`--upstream`): the
//! caller's `Authorization` / `X-API-Key` headers and query string go
//! through unchanged; the answer's status, `Content-Type`, `Retry-After` and
//! body come back. `https://` upstreams (the real API) are verified against
//! the bundled Mozilla roots (webpki-roots); `http://` works too, for local
//! tests.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderName, Method, Request, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

use crate::error::ApiError;

/// An upstream answer, fully read.
pub(crate) struct UpstreamAnswer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A client for one upstream base URL.
pub(crate) struct Upstream {
    base: String,
    client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
}

/// Request headers passed on to the upstream.
const FORWARDED_REQUEST_HEADERS: [HeaderName; 2] = [header::AUTHORIZATION, header::ACCEPT];

/// Response headers passed back to the caller.
const FORWARDED_RESPONSE_HEADERS: [HeaderName; 2] = [header::CONTENT_TYPE, header::RETRY_AFTER];

impl Upstream {
    /// A client for `base` (`https://host` or `http://host:port`, no
    /// trailing slash).
    pub(crate) fn new(base: &str) -> Self {
        let connector = HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        Upstream {
            base: base.trim_end_matches('/').to_owned(),
            client: Client::builder(TokioExecutor::new()).build(connector),
        }
    }

    /// Forwards `GET path_and_query` with the caller's credentials.
    pub(crate) async fn forward(
        &self,
        path_and_query: &str,
        headers: &HeaderMap,
    ) -> Result<UpstreamAnswer, ApiError> {
        let unreachable = |message: String| ApiError::Upstream { message };
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(format!("{}{path_and_query}", self.base));
        let api_key = crate::server::api_key_header();
        for name in FORWARDED_REQUEST_HEADERS
            .iter()
            .chain(std::iter::once(&api_key))
        {
            for value in headers.get_all(name) {
                request = request.header(name, value);
            }
        }
        let request = request
            .body(Empty::new())
            .map_err(|e| unreachable(format!("bad upstream request: {e}")))?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| unreachable(format!("{}: {e}", self.base)))?;
        let status = response.status();
        let mut kept = HeaderMap::new();
        for name in FORWARDED_RESPONSE_HEADERS {
            if let Some(value) = response.headers().get(&name) {
                kept.insert(name, value.clone());
            }
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| unreachable(format!("reading the answer: {e}")))?
            .to_bytes();
        Ok(UpstreamAnswer {
            status,
            headers: kept,
            body,
        })
    }
}
