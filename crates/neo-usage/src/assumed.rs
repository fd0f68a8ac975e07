//! Every choice the public Neo reference pages leave open, in one place.
//!
//! `usage.openapi.yaml` marks these lines ASSUMED. Each is a named constant or
//! function here. Most are read by the code, so that when the real API turns
//! out to differ the fix is one edit in this file:
//!
//! | constant | read by |
//! |---|---|
//! | [`SEARCH_PARAM`] | `params::SEARCH`, so every query and the reference server |
//! | [`API_KEY_HEADER`] | the client's `Credentials`, the reference server's auth, CORS and upstream forwarding |
//! | [`TOOL_STAT_CALLS_FIELD`], [`TOOL_STAT_CALLS_ALIASES`], [`TOOL_STAT_DURATION_FIELD`], [`TOOL_STAT_DURATION_ALIASES`] | `model.rs` (de)serialisation of `tool_breakdown` |
//! | [`NEWEST_FIRST`], [`TO_IS_EXCLUSIVE`] | fetch-all's pin of `to` (`pagination.rs`) |
//! | [`ERROR_MESSAGE_FIELDS`] | `NeoUsageError::from_response` |
//! | [`PERIOD_LABEL_FORMAT`] | the reference server's summary |
//!
//! **Documentation only** (no code branches on them; changing one here
//! changes nothing else, and the places that embody them must be edited by
//! hand): [`FROM_IS_INCLUSIVE`] and [`TO_IS_EXCLUSIVE`] as filters (the
//! reference server's `engine.rs` writes `>=` and `<`),
//! [`TOTAL_COUNTS_ALL_MATCHES`] (the engine's `total`; fetch-all plans pages
//! from it but also survives a `total` that is wrong),
//! [`TOOL_CALL_TIMESTAMP_IS_MILLIS`] (the model keeps the number as sent;
//! the viewer converts), and [`BY_MODEL_FIELDS`] (the field names in
//! `model.rs`'s `ModelUsage` struct).
//!
//! ```
//! use neo_usage::assumed;
//! assert_eq!(assumed::SEARCH_PARAM, "search");
//! assert_eq!(assumed::API_KEY_HEADER, "X-API-Key");
//! ```

/// Name of the query parameter for "filter tasks by task ID or email
/// (case-insensitive partial match)". The public page documents the filter
/// but does not show its name.
pub const SEARCH_PARAM: &str = "search";

/// Header of the second authentication scheme (Neo API keys); the documented
/// scheme is `Authorization: Bearer <JWT>`.
pub const API_KEY_HEADER: &str = "X-API-Key";

/// Field of a `tool_breakdown` entry that counts the calls of one tool
/// ("tool call breakdown with calls and duration").
pub const TOOL_STAT_CALLS_FIELD: &str = "calls";

/// Other names accepted on input for [`TOOL_STAT_CALLS_FIELD`].
pub const TOOL_STAT_CALLS_ALIASES: &[&str] = &["count", "call_count"];

/// Field of a `tool_breakdown` entry that sums the duration of one tool's
/// calls, in milliseconds.
pub const TOOL_STAT_DURATION_FIELD: &str = "duration_ms";

/// Other names accepted on input for [`TOOL_STAT_DURATION_FIELD`].
pub const TOOL_STAT_DURATION_ALIASES: &[&str] = &["duration", "total_duration_ms", "time_ms"];

/// `tool_call_history[].timestamp` is Unix time in **milliseconds**.
pub const TOOL_CALL_TIMESTAMP_IS_MILLIS: bool = true;

/// Rows of the task list come newest first: `created_at` descending, ties
/// broken by `task_id` descending, so offsets are stable between requests.
/// Fetch-all reads it: only then does the first page hold the newest row,
/// from which it pins `to` on the server's clock.
pub const NEWEST_FIRST: bool = true;

/// The `from` filter includes its instant (`created_at >= from`).
pub const FROM_IS_INCLUSIVE: bool = true;

/// The `to` filter excludes its instant (`created_at < to`). Fetch-all reads
/// it when it pins `to` to the start of a scan: one millisecond after the
/// newest row when exclusive, the newest row's own instant when inclusive.
pub const TO_IS_EXCLUSIVE: bool = true;

/// `total` counts every row matching the filters, not only the rows of the
/// page.
pub const TOTAL_COUNTS_ALL_MATCHES: bool = true;

/// Fields of a JSON error body that may carry the human-readable message,
/// in order of preference. A body may also be plain text.
pub const ERROR_MESSAGE_FIELDS: &[&str] = &["message", "error", "detail"];

/// Shape of `UsageSummary.by_model` entries: per-model `tasks` count and
/// `neo_credits`, optionally `llm_cost` and `neo_cost`. The page says only
/// "usage statistics by model"; entries of any other shape decode as empty.
pub const BY_MODEL_FIELDS: &[&str] = &["tasks", "neo_credits", "llm_cost", "neo_cost"];

/// The `by_period[].date` label: `YYYY-MM-DD` of the bucket's first day in
/// UTC (weeks start on Monday, months on the 1st).
pub const PERIOD_LABEL_FORMAT: &str = "%Y-%m-%d";
