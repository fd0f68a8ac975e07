//! The reference server over HTTP, in one test binary (one link of axum,
//! hyper and tokio instead of one per file):
//!
//! - `api`: roles, filters, bounds, ordering, paging, errors, CORS, bad
//!   input, sizes, control endpoints, static files, flags;
//! - `faults`: every fault flag;
//! - `binary`: the `neo-usage-mock` executable as scripts use it.

mod api;
mod binary;
mod common;
mod faults;
mod prop;
