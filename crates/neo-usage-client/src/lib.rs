//! # neo-usage-client
//!
//! The browser client of the Neo (ProjectDiscovery) usage API, for Rust on
//! `wasm32-unknown-unknown` ([`NeoUsageClient`]) and, through wasm-bindgen,
//! for JavaScript and TypeScript as the npm package `neo-usage`.
//!
//! This crate is only transport and bindings. The model, queries and their
//! validation, the error type, decoding, the retry policy and the fetch-all
//! driver are the pure core crate [`neo_usage`]; here [`FetchTransport`]
//! implements the core's [`neo_usage::PageTransport`] over `fetch`
//! (gloo-net), with one `AbortController` per request for timeouts and
//! cancellation, and `setTimeout` sleeps (gloo-timers) that never block the
//! event loop.
//!
//! ```no_run
//! use neo_usage::{TaskUsageQuery, SummaryQuery, GroupBy};
//! use neo_usage_client::{ClientConfig, Credentials, NeoUsageClient, FetchAllRequest, CancelHandle};
//! # async fn demo() -> Result<(), neo_usage::NeoUsageError> {
//! let client = NeoUsageClient::new(
//!     ClientConfig::new(Credentials::ApiKey("NEO_API_KEY".into())).max_concurrency(4),
//! );
//! let summary = client.get_usage_summary(&SummaryQuery::new().group_by(GroupBy::Week)).await?;
//! let cancel = CancelHandle::new(); // cancel.cancel() from a button aborts the scan
//! let all = client
//!     .fetch_all_task_usages(&TaskUsageQuery::new(), FetchAllRequest::default().cancel(cancel), |_| {})
//!     .await?;
//! assert_eq!(all.rows.len() as u64, all.total);
//! # let _ = summary; Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every method returns [`neo_usage::NeoUsageError`]. The transport adds
//! three cases to what the server's answers map to: a `fetch` that rejects
//! (a `TypeError`) is `Network` (its message carries the CORS hint), the
//! timer winning is `Timeout`, the caller's [`CancelHandle`] is `Aborted`.
//! A non-success status is classified by
//! [`NeoUsageError::from_response`](neo_usage::NeoUsageError::from_response)
//! from the status, `Retry-After` and body; `ok` is checked before any
//! decoding.
//!
//! ## Why bodies are decoded from bytes
//!
//! A response body is read as an `ArrayBuffer`, copied once into wasm
//! memory, and decoded with `serde_json` from that slice
//! ([`neo_usage::decode::decode_json`]), never through a JS string and never
//! with `serde_wasm_bindgen` for rows. Measured in Chromium 156 on 2 cores,
//! 100,000 rows (236 MB of JSON):
//!
//! | decoding | time |
//! |---|---|
//! | `JSON.parse` (JS objects, no Rust types) | 884 ms |
//! | `serde_json` from `&str` (`response.text()`) | 1,253 ms, of which 495 ms copy the JS string |
//! | `serde_json` from bytes (`arrayBuffer`) | **913 ms** |
//! | … with borrowed strings | 778 ms |
//! | `JSON.parse` + `serde_wasm_bindgen::from_value` | 2,688 ms |
//!
//! Bytes are within 3 % of `JSON.parse` and yield typed, validated rows with
//! JSON-path errors; borrowed strings would save another 15 % but tie the
//! rows to the body's lifetime, which the public owned model does not.
//! `serde_wasm_bindgen` crosses the boundary once per value and is three
//! times slower, so it is used only for the small per-call query and option
//! objects of the JS bindings; results go out as one serde_json string and
//! `JSON.parse`.
//!
//! ## JavaScript
//!
//! ```js
//! import init, { NeoUsageClient } from "neo-usage";
//! await init();
//! const client = new NeoUsageClient({ token: "JWT", maxConcurrency: 4 });
//! const page = await client.listTaskUsages({ status: "error", limit: 20 });
//! const all = await client.fetchAllTaskUsages({}, { onProgress: p => console.log(p.rowsLoaded) });
//! ```
//!
//! The JS face is the `js` cargo feature (on by default); a Rust wasm app
//! that uses only [`NeoUsageClient`] depends on this crate with
//! `default-features = false` and ships neither the JS class nor its
//! TypeScript definitions. `build-npm.sh` builds the package and its README.
//!
//! ## Tests
//!
//! `scripts/client-tests.sh` (run by `make test`) starts reference servers
//! with fault flags, runs `cargo test -p neo-usage-client --target
//! wasm32-unknown-unknown` (headless Chromium, `tests/browser.rs`), builds
//! the package, type-checks `ts-check/` with `tsc --strict`, runs
//! `tests/node/smoke.mjs` in Node and loads `examples/vite` (built by Vite)
//! and `examples/plain` (no bundler) in Chromium through Playwright.

#![warn(missing_docs)]

pub mod cancel;
pub mod client;
pub mod config;
#[cfg(feature = "js")]
pub mod js;
pub mod limiter;
pub mod transport;

pub use cancel::CancelHandle;
pub use client::{FetchAllRequest, NeoUsageClient};
pub use config::{ClientConfig, Credentials};
pub use transport::FetchTransport;

pub use neo_usage;
