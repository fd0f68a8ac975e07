//! The names of the API's query parameters, in one place.
//!
//! Queries are written and read through these constants only (see
//! [`crate::query`]), so a renamed parameter is one edit.
//!
//! ```
//! assert_eq!(neo_usage::params::LIMIT, "limit");
//! ```

use crate::assumed;

/// `task_id`: filter by one task (exact match).
pub const TASK_ID: &str = "task_id";
/// `stream_id`: filter by one stream (stream list only).
pub const STREAM_ID: &str = "stream_id";
/// `status`: filter by task status.
pub const STATUS: &str = "status";
/// `model`: filter by model (exact match).
pub const MODEL: &str = "model";
/// `from`: rows created at or after this instant.
pub const FROM: &str = "from";
/// `to`: rows created before this instant.
pub const TO: &str = "to";
/// `limit`: page size, 1 to 200 (default 50).
pub const LIMIT: &str = "limit";
/// `offset`: rows to skip (default 0).
pub const OFFSET: &str = "offset";
/// Task id or email, case-insensitive partial match. ASSUMED name.
pub const SEARCH: &str = assumed::SEARCH_PARAM;
/// `email`: filter by team member (exact match, team admins only).
pub const EMAIL: &str = "email";
/// `is_byok`: only BYOK (`true`) or only non-BYOK (`false`) tasks.
pub const IS_BYOK: &str = "is_byok";
/// `sort`: stream list order, `created_at` or `cost`.
pub const SORT: &str = "sort";
/// `group_by`: summary time buckets, `day`, `week` or `month`.
pub const GROUP_BY: &str = "group_by";

/// Smallest `limit` the API accepts.
pub const MIN_LIMIT: u32 = 1;
/// Largest `limit` the API accepts.
pub const MAX_LIMIT: u32 = 200;
/// `limit` the API uses when none is given.
pub const DEFAULT_LIMIT: u32 = 50;
