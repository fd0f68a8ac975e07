//! The HTTP server: routes, authentication, fault injection, CORS, control
//! endpoints, static files and upstream forwarding around the [`Engine`].
//!
//! [`serve`] runs the accept loop on a bound listener (tests bind
//! `127.0.0.1:0`); [`serve_until`] also stops on a signal, gracefully: it
//! stops accepting, lets requests in progress finish (up to
//! [`SHUTDOWN_GRACE`]) and returns. Each connection is served by hyper's
//! HTTP/1 server; a request picked for `--drop-rate` makes the service
//! fail, which closes the connection without an answer.
//!
//! Sizes are bounded: a request head over [`HEAD_BYTES_LIMIT`] or with
//! more than 200 headers gets 431 from hyper, headers over
//! [`HEADER_BYTES_LIMIT`] a JSON 431, a request target over
//! [`TARGET_BYTES_LIMIT`] a JSON 414. Request bodies are never read.
//!
//! Routes:
//! - `GET /api/v1/usage/{tasks,tasks/{id},streams,summary}`: the API, with
//!   `Authorization: Bearer <token>` or `X-API-Key: <token>` (401 otherwise);
//! - `GET /__mock/stats`, `POST /__mock/reset`: counters, without auth or
//!   faults;
//! - anything else: the `--serve-dir` site (`index.html` for `/` and
//!   directories, 404 for a missing file), or 404 JSON.
//!
//! Every answer carries CORS headers for any origin; preflights allow
//! `Authorization` and `X-API-Key` and `Retry-After` is exposed. Request
//! log lines go to stderr and never contain a token.

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

use crate::config::{current_time, ServerConfig, Tokens};
use crate::dataset;
use crate::engine::Engine;
use crate::error::ApiError;
use crate::faults::{truncated, FaultConfig, FaultPlan, RateLimiter, STALL};
use crate::prng::SplitMix64;
use crate::role::Role;
use crate::upstream::Upstream;

/// Largest total size of request headers answered normally; bigger gets 431.
pub const HEADER_BYTES_LIMIT: usize = 16 * 1024;

/// Largest request target (path and query) answered normally; longer gets
/// 414.
pub const TARGET_BYTES_LIMIT: usize = 8 * 1024;

/// Largest request head (request line and headers) hyper reads; a bigger
/// one is answered 431 by hyper before any handler runs.
pub const HEAD_BYTES_LIMIT: usize = 64 * 1024;

/// How long a graceful shutdown waits for requests in progress.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Most request headers hyper reads before answering 431 itself.
const HEADER_COUNT_LIMIT: usize = 200;

/// Grown rows use dataset indices from here, far above any generated row,
/// so their task ids never collide.
const GROWN_INDEX_BASE: u64 = 1 << 40;

/// Paths forwarded to `--upstream`; other `/api` paths get a local 404.
const UPSTREAM_PREFIX: &str = "/api/v1/usage/";

/// Longest request target written to the log.
const LOGGED_TARGET_CHARS: usize = 300;

/// The server's shared state.
struct AppState {
    engine: RwLock<Engine>,
    tokens: Tokens,
    faults: FaultConfig,
    limiter: RateLimiter,
    seed: u64,
    upstream: Option<Upstream>,
    requests: AtomicU64,
    in_flight: AtomicU64,
    peak_in_flight: AtomicU64,
    grown: AtomicU64,
}

/// Counts one API request as in flight until dropped.
struct InFlight(Arc<AppState>);

impl InFlight {
    fn enter(state: Arc<AppState>) -> Self {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(state)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The service error that makes hyper close a connection without answering.
#[derive(Debug)]
struct DroppedConnection;

impl std::fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by --drop-rate")
    }
}

impl std::error::Error for DroppedConnection {}

impl AppState {
    fn new(config: &ServerConfig) -> Self {
        AppState {
            engine: RwLock::new(config.engine.clone()),
            tokens: config.tokens.clone(),
            faults: config.faults.clone(),
            limiter: RateLimiter::new(
                config.faults.rate_limit,
                Duration::from_millis(config.faults.rate_window_ms.max(1)),
            ),
            seed: config.seed,
            upstream: config.upstream.as_deref().map(Upstream::new),
            requests: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            peak_in_flight: AtomicU64::new(0),
            grown: AtomicU64::new(0),
        }
    }

    fn read_engine(&self) -> std::sync::RwLockReadGuard<'_, Engine> {
        self.engine.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Inserts a new newest task, as a live team would.
    fn grow(&self) {
        let k = self.grown.fetch_add(1, Ordering::SeqCst);
        let mut engine = self.engine.write().unwrap_or_else(|p| p.into_inner());
        let head = engine
            .tasks()
            .first()
            .map_or_else(current_time, |r| r.created_at);
        let mut rng = SplitMix64::for_item(self.seed ^ 0x6120_3E11, k);
        let at = head + chrono::Duration::seconds(rng.between(1, 90) as i64);
        engine.insert(dataset::generate_row(
            self.seed,
            GROWN_INDEX_BASE + k,
            Some(at),
            at,
        ));
    }

    fn role_of(&self, headers: &HeaderMap) -> Option<Role> {
        let bearer = headers
            .get_all(header::AUTHORIZATION)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            });
        let api_key = headers
            .get_all(neo_usage::assumed::API_KEY_HEADER)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim);
        bearer
            .chain(api_key)
            .find_map(|token| self.tokens.role_of(token))
    }

    fn stats(&self) -> serde_json::Value {
        serde_json::json!({
            "requests": self.requests.load(Ordering::SeqCst),
            "in_flight": self.in_flight.load(Ordering::SeqCst),
            "peak_in_flight": self.peak_in_flight.load(Ordering::SeqCst),
            "rows": self.read_engine().len(),
        })
    }
}

/// Serves `config` on `listener` until the task is dropped. Accept errors
/// (such as running out of file descriptors) are logged and retried.
pub async fn serve(config: ServerConfig, listener: TcpListener) -> std::io::Result<()> {
    serve_until(config, listener, std::future::pending()).await
}

/// Serves `config` on `listener` until `shutdown` completes, then shuts down
/// gracefully: no new connections, idle connections closed, requests in
/// progress answered (for at most [`SHUTDOWN_GRACE`]).
pub async fn serve_until(
    config: ServerConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let state = Arc::new(AppState::new(&config));
    let router = router(state.clone(), config.serve_dir.as_deref());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    eprintln!("neo-usage-mock: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let state = state.clone();
        let router = router.clone();
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                handle(state.clone(), router.clone(), request)
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .max_headers(HEADER_COUNT_LIMIT)
                .max_buf_size(HEAD_BYTES_LIMIT);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            // A dropped or broken connection is not the server's problem.
            tokio::select! {
                _ = connection.as_mut() => {}
                () = async { drop(stop.wait_for(|stopping| *stopping).await) } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        eprintln!(
            "neo-usage-mock: {} connection(s) still busy after {} s, closed",
            connections.len(),
            SHUTDOWN_GRACE.as_secs()
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// Counts, plans faults for, and logs one request.
async fn handle(
    state: Arc<AppState>,
    router: Router,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<Response, DroppedConnection> {
    let started = Instant::now();
    let method = request.method().clone();
    let target: String = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .chars()
        .take(LOGGED_TARGET_CHARS)
        .collect();
    let is_api = request.uri().path().starts_with("/api/") && method != Method::OPTIONS;
    let mut request = request.map(Body::new);
    let mut in_flight = None;
    let mut number = String::from("-");
    if is_api {
        let n = state.requests.fetch_add(1, Ordering::SeqCst) + 1;
        number = n.to_string();
        in_flight = Some(InFlight::enter(state.clone()));
        let plan = state.faults.plan(state.seed, n);
        if plan.drop_connection {
            eprintln!("neo-usage-mock: #{n} {method} {target} -> dropped without an answer");
            return Err(DroppedConnection);
        }
        request.extensions_mut().insert(plan);
    }
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    drop(in_flight);
    eprintln!(
        "neo-usage-mock: #{number} {method} {target} -> {} in {} ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    Ok(response)
}

fn router(state: Arc<AppState>, serve_dir: Option<&Path>) -> Router {
    let api = any(api_handler);
    let router = Router::new()
        .route("/__mock/stats", get(stats_handler))
        .route("/__mock/reset", post(reset_handler))
        .route("/api", api.clone())
        .route("/api/", api.clone())
        .route("/api/{*rest}", api);
    // ServeDir answers `/` and directories with their index.html, and a
    // missing file with a 404 (never index.html: a missing .wasm must not
    // arrive as an HTML page).
    let router = match serve_dir {
        Some(dir) => router.fallback_service(
            ServeDir::new(dir).not_found_service(not_found_handler.into_service()),
        ),
        None => router.fallback(not_found_handler),
    };
    router
        .layer(middleware::from_fn(limit_header_size))
        .layer(cors_layer())
        .with_state(state)
}

fn cors_layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            api_key_header(),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// [`neo_usage::assumed::API_KEY_HEADER`] as a header name.
pub(crate) fn api_key_header() -> HeaderName {
    // `from_bytes` lower-cases; the constant is a valid header name.
    HeaderName::from_bytes(neo_usage::assumed::API_KEY_HEADER.as_bytes())
        .unwrap_or_else(|_| HeaderName::from_static("x-api-key"))
}

/// The JSON answer of an error, with `Retry-After` for 429.
pub fn error_response(error: &ApiError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    let mut response = (status, json, error.body()).into_response();
    if matches!(error, ApiError::MethodNotAllowed { .. }) {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
    }
    if let Some(secs) = error.retry_after_secs() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

fn json_response(status: StatusCode, body: Bytes) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

async fn limit_header_size(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > TARGET_BYTES_LIMIT {
        return error_response(&ApiError::TargetTooLong {
            bytes: target,
            limit: TARGET_BYTES_LIMIT,
        });
    }
    let bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if bytes > HEADER_BYTES_LIMIT {
        return error_response(&ApiError::HeadersTooLarge {
            bytes,
            limit: HEADER_BYTES_LIMIT,
        });
    }
    next.run(request).await
}

async fn not_found_handler(request: Request) -> Response {
    error_response(&ApiError::NotFound {
        what: format!("no route for {}", request.uri().path()),
    })
}

async fn stats_handler(State(state): State<Arc<AppState>>) -> Response {
    Json(state.stats()).into_response()
}

async fn reset_handler(State(state): State<Arc<AppState>>) -> Response {
    state.requests.store(0, Ordering::SeqCst);
    state
        .peak_in_flight
        .store(state.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    state.limiter.reset();
    Json(state.stats()).into_response()
}

/// An API request, in the order the steps apply: the planned faults
/// (delay, stall, rate limit, injected error, growth), the method, then the
/// answer from `--upstream` or the local engine, cut short when planned.
async fn api_handler(
    State(state): State<Arc<AppState>>,
    plan: Option<Extension<FaultPlan>>,
    method: Method,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let plan = plan.map(|Extension(p)| p).unwrap_or_default();
    if let Err(refusal) = apply_faults(&state, &plan).await {
        return refusal;
    }
    if method != Method::GET {
        return error_response(&ApiError::MethodNotAllowed {
            method: method.to_string(),
        });
    }
    let uri = request.uri();
    let upstream = state
        .upstream
        .as_ref()
        .filter(|_| uri.path().starts_with(UPSTREAM_PREFIX));
    let response = match upstream {
        Some(upstream) => forward(upstream, uri, &headers).await,
        None => answer_locally(&state, uri, &headers, &plan),
    };
    // Only a success is cut: an error answer is never worth retrying.
    if plan.truncate && response.status() == StatusCode::OK {
        truncate_body(response).await
    } else {
        response
    }
}

/// The faults planned for this request before it is answered: waits
/// (`--latency-ms`, `--stall-rate`), the rate limit, an injected error
/// status, and a new newest task (`--grow-every`). `Err` is the answer
/// that replaces the request's own.
async fn apply_faults(state: &AppState, plan: &FaultPlan) -> Result<(), Response> {
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    if plan.stall {
        tokio::time::sleep(STALL).await;
    }
    // Tokio's clock: real time in the binary, hand-advanced in tests.
    if !state.limiter.admit(tokio::time::Instant::now().into_std()) {
        return Err(error_response(&ApiError::RateLimited {
            retry_after_secs: state.faults.retry_after_secs,
        }));
    }
    if let Some(error) = &plan.error {
        return Err(error_response(error));
    }
    if plan.grow {
        state.grow();
    }
    Ok(())
}

/// The answer of `--upstream` for the same target, with the caller's
/// credentials (the proxy's own errors as JSON).
async fn forward(upstream: &Upstream, uri: &Uri, headers: &HeaderMap) -> Response {
    let target = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    match upstream.forward(target, headers).await {
        Ok(answer) => {
            let mut response = (answer.status, answer.body).into_response();
            response.headers_mut().extend(answer.headers);
            response
        }
        Err(error) => error_response(&error),
    }
}

/// The engine's answer for the caller's role (401 without a known token);
/// a task-list page distorted as the plan says.
fn answer_locally(state: &AppState, uri: &Uri, headers: &HeaderMap, plan: &FaultPlan) -> Response {
    let Some(role) = state.role_of(headers) else {
        return error_response(&ApiError::Unauthorized);
    };
    let answer = state
        .read_engine()
        .answer(role, uri.path(), uri.query().unwrap_or(""));
    match answer {
        Ok(json) if is_task_list(uri.path()) => {
            json_response(StatusCode::OK, Bytes::from(distort_page(json, plan)))
        }
        Ok(json) => json_response(StatusCode::OK, Bytes::from(json)),
        Err(error) => error_response(&error),
    }
}

/// Whether `path` is the task list (`/api/v1/usage/tasks`, `/` allowed).
fn is_task_list(path: &str) -> bool {
    path.strip_suffix('/').unwrap_or(path) == neo_usage::paths::TASKS
}

/// A task-list page as `--empty-page-rate` and `--total-drift` have it:
/// hollow (no rows, `has_more: true`) and/or with `total` shifted.
fn distort_page(json: String, plan: &FaultPlan) -> String {
    if !plan.empty_page && plan.total_shift == 0 {
        return json;
    }
    let Ok(mut page) = serde_json::from_str::<serde_json::Value>(&json) else {
        return json;
    };
    if plan.empty_page {
        page["data"] = serde_json::Value::Array(Vec::new());
        page["has_more"] = serde_json::Value::Bool(true);
    }
    if let Some(total) = page["total"].as_u64() {
        page["total"] = total.saturating_add_signed(plan.total_shift).into();
    }
    page.to_string()
}

/// The same answer with its body cut in half and `Content-Length` to match.
async fn truncate_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => Bytes::new(),
    };
    let cut = Bytes::copy_from_slice(truncated(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}
