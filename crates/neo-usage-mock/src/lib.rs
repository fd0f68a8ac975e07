//! # neo-usage-mock
//!
//! The reference server for the Neo (ProjectDiscovery) usage API, and the
//! seeded demo dataset and query engine behind it.
//!
//! - [`dataset`]: the seeded generator of task rows (same seed, same rows,
//!   on every target); [`streams`]: the stream rows of each task.
//! - [`engine`]: answers the four usage endpoints from rows in memory, for a
//!   given [`Role`]; [`summary`]: the summary computation; [`error`]: every
//!   non-200 answer as [`ApiError`].
//! - With the `server` feature (default): [`server`] (axum + hyper, fault
//!   injection, CORS, static files, upstream forwarding) and [`config`]
//!   (command-line flags).
//!
//! Without `server` the crate builds for `wasm32-unknown-unknown` with no
//! server dependency and no `getrandom`, for the web viewer's demo:
//!
//! ```
//! use neo_usage_mock::{dataset::{self, DatasetSpec}, Engine, Role};
//! let engine = Engine::demo(DatasetSpec::new(42, 100, dataset::reference_now()));
//! let body = engine.answer(Role::Admin, "/api/v1/usage/tasks", "limit=2").unwrap();
//! let page: neo_usage::TaskUsagePage = serde_json::from_str(&body).unwrap();
//! assert_eq!((page.data.len(), page.total, page.has_more), (2, 100, true));
//! assert_eq!(engine.answer(Role::Viewer, "/api/v1/usage/summary", "").unwrap_err().status(), 403);
//! ```

#![warn(missing_docs)]

pub mod dataset;
pub mod engine;
pub mod error;
pub mod money;
pub mod prng;
pub mod role;
pub mod streams;
pub mod summary;

#[cfg(feature = "server")]
pub mod config;
#[cfg(feature = "server")]
pub mod faults;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
mod upstream;

pub use engine::Engine;
pub use error::ApiError;
pub use role::Role;
