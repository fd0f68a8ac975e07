//! # neo-usage
//!
//! The typed core of a client for the Neo (ProjectDiscovery) usage API:
//! the response [`model`], the [`query`] builders and their validation, the
//! single [`NeoUsageError`] type, [`decode`]-from-bytes with precise errors,
//! the transport-agnostic [`pagination`] that fetches every page, and the
//! [`retry`] policy. Pure Rust with no browser dependency: it compiles for
//! the host and for `wasm32-unknown-unknown`, and is tested natively.
//!
//! The browser transport lives in `neo-usage-client`; the reference server
//! and demo dataset in `neo-usage-mock`.
//!
//! ```
//! use neo_usage::{TaskUsageQuery, TaskStatus, TaskUsagePage};
//!
//! // Build a query; it is checked when it becomes a URL.
//! let query = TaskUsageQuery::new().status(TaskStatus::Completed).is_byok(true).limit(200);
//! let url = format!("https://neo.api.projectdiscovery.io/api/v1/usage/tasks?{}", query.to_query_string()?);
//! assert!(url.ends_with("?status=completed&limit=200&is_byok=true"));
//!
//! // Decode what the server sent, from its bytes.
//! let body = br#"{"data":[],"has_more":false,"total":0}"#;
//! let page: TaskUsagePage = neo_usage::decode::decode_json(body, Some(0))?;
//! assert_eq!(page.total, 0);
//! # Ok::<(), neo_usage::NeoUsageError>(())
//! ```

#![warn(missing_docs)]

pub mod assumed;
pub mod borrowed;
pub mod calendar;
mod de;
pub mod decode;
pub mod error;
mod float_text;
pub mod http_date;
pub mod import;
pub mod import_pieces;
mod json_reader;
pub mod model;
pub mod model_reader;
pub mod model_writer;
pub mod money;
mod page_reader;
pub mod pagination;
pub mod params;
pub mod query;
pub mod retry;
mod slots;
pub mod sorted_map;
pub mod sorting;
pub mod status;
#[cfg(test)]
mod test_bodies;
mod timestamp;

pub use borrowed::{TaskUsagePageRef, TaskUsageRef, ToolCallRef};
pub use error::{ErrorKind, IncompleteFetch, NeoUsageError};
pub use model::{
    ByokUsage, EmailUsage, ModelUsage, PeriodUsage, TaskUsage, TaskUsagePage, ToolCall, ToolStat,
    UsageSummary,
};
pub use pagination::{
    fetch_all_pages, fetch_all_task_usages, FetchAllOptions, FetchAllOutput, FetchProgress,
    PageScan, PageScanError, PageTransport, ScanPage,
};
pub use query::{
    GroupBy, QueryProblem, StreamSort, StreamUsageQuery, SummaryQuery, TaskUsageQuery,
};
pub use retry::RetryPolicy;
pub use sorted_map::SortedMap;
pub use status::TaskStatus;

/// Base URL of the production Neo API.
pub const DEFAULT_BASE_URL: &str = "https://neo.api.projectdiscovery.io";

/// API paths, relative to the base URL.
///
/// ```
/// let url = format!("{}{}", neo_usage::DEFAULT_BASE_URL, neo_usage::paths::SUMMARY);
/// assert_eq!(url, "https://neo.api.projectdiscovery.io/api/v1/usage/summary");
/// ```
pub mod paths {
    /// `GET`: one page of task usages.
    pub const TASKS: &str = "/api/v1/usage/tasks";
    /// `GET` + `/{task_id}`: one task's usage.
    pub const TASK_BY_ID_PREFIX: &str = "/api/v1/usage/tasks/";
    /// `GET`: one page of stream usages.
    pub const STREAMS: &str = "/api/v1/usage/streams";
    /// `GET`: the usage summary.
    pub const SUMMARY: &str = "/api/v1/usage/summary";
}

/// The `{task_id}` path segment, percent-encoded so any id is safe in a URL:
/// every byte but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`)
/// becomes `%XX`.
///
/// ```
/// assert_eq!(neo_usage::task_path("a/b c"), "/api/v1/usage/tasks/a%2Fb%20c");
/// assert_eq!(neo_usage::task_path("é?#%"), "/api/v1/usage/tasks/%C3%A9%3F%23%25");
/// ```
pub fn task_path(task_id: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    /// Everything but RFC 3986's unreserved characters.
    const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    format!(
        "{}{}",
        paths::TASK_BY_ID_PREFIX,
        utf8_percent_encode(task_id, PATH_SEGMENT)
    )
}
