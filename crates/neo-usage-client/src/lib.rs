//! # neo-usage-client
//!
//! The browser client of the Neo (ProjectDiscovery) usage API, for Rust on
//! `wasm32-unknown-unknown` ([`NeoUsageClient`]) and, through wasm-bindgen,
//! for JavaScript and TypeScript as the npm package `neo-usage`.
//!
//! This crate is only transport and bindings. The model, queries and their
//! validation, the error type, decoding, the retry policy and the fetch-all
//! driver are the pure core crate [`neo_usage`]; here [`FetchTransport`]
//! implements the core's [`neo_usage::PageTransport`] over `fetch` (a few
//! lines of JavaScript, `js/exchange.js`, do the exchange), with one
//! `AbortController` per request for timeouts and cancellation, and
//! `setTimeout` sleeps that never block the event loop.
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
//! [`NeoUsageError::from_response_at`](neo_usage::NeoUsageError::from_response_at)
//! from the status, `Retry-After` (seconds or an HTTP date, read against
//! the browser's clock) and body; `ok` is checked before any decoding.
//!
//! ## Why bodies are decoded from bytes
//!
//! A response body is read as an `ArrayBuffer`, copied once into wasm
//! memory, and decoded from that slice (by the core's hand-written
//! [`ApiBody`](neo_usage::model_reader::ApiBody) reader since the npm
//! package's size work; by `serde_json` when the figures below were
//! taken), never through a JS string and never with `serde_wasm_bindgen`
//! for rows.
//!
//! The issue's figures (Chromium 156, 2 cores, 100,000 rows, 236 MB of
//! JSON):
//!
//! | decoding | time |
//! |---|---|
//! | `JSON.parse` (JS objects, no Rust types) | 884 ms |
//! | `serde_json` from `&str` (`response.text()`) | 1,253 ms, of which 495 ms copy the JS string |
//! | `serde_json` from bytes (`arrayBuffer`) | **913 ms** |
//! | … with borrowed strings | 778 ms |
//! | `JSON.parse` + `serde_wasm_bindgen::from_value` | 2,688 ms |
//!
//! Measured here on 2026-11-28 by `scripts/bench-decode.sh` (Chromium
//! 156.0.8078.108 headless, 2 cores, with another CI build sharing the
//! CPU): the mock's dataset, 100,000 rows (seed 42) = 118.7 MB of JSON
//! (its rows are half the issue's size), the same `arrayBuffer` bytes for
//! every method, medians of 7 runs after a warm-up (min–max):
//!
//! | decoding | shipped module (opt-level `z`, `wasm-opt -Oz`) | opt-level 3, `wasm-opt -O3` |
//! |---|---|---|
//! | `JSON.parse(new TextDecoder().decode(bytes))` | 786 ms (643–859) | 662 ms (610–772) |
//! | bytes: `&[u8]` copy + `decode_json` (this crate) | **981 ms** (926–1,043), 1.25× | **498 ms** (459–553), 0.75× |
//! | … of which the copy into wasm memory | 11 ms | 11 ms |
//! | `&str`: `TextDecoder` + string copy + `serde_json::from_str` | 1,247 ms (1,145–1,328), 1.59× | 835 ms (762–996), 1.26× |
//! | … of which `TextDecoder` / string copy | 150 ms / 262 ms | 118 ms / 268 ms |
//!
//! At the issue's size, 200,000 rows = 237.2 MB (`ROWS=200000`), the
//! ratios hold: `JSON.parse` 1,523 ms, bytes 2,026 ms (1.33×), `&str`
//! 2,742 ms (1.80×) shipped; at opt-level 3 1,351 / 1,040 (0.77×) /
//! 1,984 ms (1.47×).
//!
//! (Dropping the decoded rows, 50 ms, is left out like `JSON.parse`'s
//! garbage. The JS heap holds 270 MB more while `JSON.parse`'s result is
//! alive; the wasm memory grows to 302 MB and stays there.)
//!
//! The choice stands: bytes beat the `&str` path at every optimisation
//! level (the string costs a `TextDecoder` pass and a 260 ms copy, more
//! than `from_str` saves by skipping UTF-8 validation), and yield typed,
//! validated rows with JSON-path errors that `JSON.parse` does not. The
//! release profile optimises the shipped module for size, which makes
//! decoding twice as slow as at opt-level 3: 1.25× `JSON.parse` instead
//! of 0.75×. Borrowed strings (the issue's 778 ms) would tie the rows to
//! the body's lifetime, which the public owned model does not.
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
//! `tests/node/smoke.mjs` and `tests/node/faults.mjs` (the JS face's
//! retries, timeouts, bounds and aborts against the fault servers) in Node
//! and loads `examples/vite` (built by Vite) and `examples/plain` (no
//! bundler) in Chromium through Playwright.

#![warn(missing_docs)]

pub mod cancel;
pub mod client;
pub mod config;
#[cfg(feature = "js")]
pub mod js;
#[cfg(feature = "js")]
mod js_call;
#[cfg(feature = "js")]
mod js_read;
#[cfg(feature = "js")]
mod js_rows;
#[cfg(feature = "js")]
mod js_scan;
pub mod limiter;
pub mod transport;

pub use cancel::CancelHandle;
pub use client::{FetchAllRequest, NeoUsageClient};
pub use config::{ClientConfig, Credentials};
pub use transport::{DecodingTransport, FetchTransport};

pub use neo_usage;

#[cfg(feature = "bench")]
#[doc(hidden)]
pub mod bench {
    //! Decoding benchmark exports, only with the `bench` feature (never in
    //! the npm package): `bench/run.mjs` builds its own module with them.
    //! Each returns the number of rows decoded (`u32::MAX` on a decode
    //! error) and records the time spent inside wasm, so the page can split
    //! the binding's copy from the decoding.

    use std::cell::Cell;

    use neo_usage::TaskUsagePage;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }

    thread_local! {
        /// (decode ms, drop ms) of the last call.
        static LAST: Cell<(f64, f64)> = const { Cell::new((0.0, 0.0)) };
    }

    fn timed<E>(decode: impl FnOnce() -> Result<TaskUsagePage, E>) -> u32 {
        let started = performance_now();
        let page = decode();
        let decoded = performance_now();
        let rows = match &page {
            Ok(page) => u32::try_from(page.data.len()).unwrap_or(u32::MAX),
            Err(_) => u32::MAX,
        };
        drop(page);
        let dropped = performance_now();
        LAST.with(|last| last.set((decoded - started, dropped - decoded)));
        rows
    }

    /// The client's path: the body's bytes (copied once into wasm memory by
    /// the binding) decoded by [`neo_usage::decode::decode_json`].
    #[wasm_bindgen]
    pub fn bench_decode_bytes(bytes: &[u8]) -> u32 {
        timed(|| neo_usage::decode::decode_json::<TaskUsagePage>(bytes, Some(0)))
    }

    /// The `&str` path: a JS string (transcoded to UTF-8 into wasm memory by
    /// the binding) decoded by `serde_json::from_str`.
    #[wasm_bindgen]
    pub fn bench_decode_str(text: &str) -> u32 {
        timed(|| serde_json::from_str::<TaskUsagePage>(text))
    }

    /// Milliseconds the last call spent decoding, inside wasm.
    #[wasm_bindgen]
    pub fn bench_last_decode_ms() -> f64 {
        LAST.with(|last| last.get().0)
    }

    /// Milliseconds the last call spent dropping the decoded rows.
    #[wasm_bindgen]
    pub fn bench_last_drop_ms() -> f64 {
        LAST.with(|last| last.get().1)
    }
}

/// The npm package's allocator (feature `talc`): Talc's dynamic WebAssembly
/// allocator, which grows the memory as dlmalloc does, in less code.
#[cfg(all(feature = "talc", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
