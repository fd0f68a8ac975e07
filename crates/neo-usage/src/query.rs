//! Queries of the four usage endpoints: [`TaskUsageQuery`],
//! [`StreamUsageQuery`] and [`SummaryQuery`].
//!
//! A query is plain data (`Default`, public `Option` fields, setters that
//! never fail). It is checked when it is turned into a query string, and every
//! problem is reported at once as [`NeoUsageError::InvalidQuery`]. The string
//! is encoded by `form_urlencoded` (the encoder `serde_urlencoded` wraps)
//! with the names in [`crate::params`]; the reference server reads it back
//! with [`TaskUsageQuery::from_query_pairs`].
//!
//! ```
//! use neo_usage::{TaskUsageQuery, TaskStatus};
//! let q = TaskUsageQuery::new()
//!     .status(TaskStatus::Error)
//!     .from("2026-11-01T00:00:00+01:00")
//!     .search("alice@")
//!     .limit(100);
//! assert_eq!(
//!     q.to_query_string().unwrap(),
//!     "status=error&from=2026-11-01T00%3A00%3A00%2B01%3A00&limit=100&search=alice%40"
//! );
//! let bad = TaskUsageQuery::new().limit(500).model(" ");
//! let err = bad.to_query_string().unwrap_err();
//! assert_eq!(err.to_string(), "invalid query: model must not be blank; limit must be between 1 and 200, got 500");
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::NeoUsageError;
use crate::params;
use crate::status::TaskStatus;

/// One thing wrong with a query: the parameter and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub struct QueryProblem {
    /// The parameter's wire name, e.g. `limit`.
    pub parameter: String,
    /// What is wrong with it, as a sentence fragment.
    pub message: String,
}

impl QueryProblem {
    /// A problem with `parameter`.
    pub fn new(parameter: &str, message: impl Into<String>) -> Self {
        QueryProblem {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }

    /// All problems as one sentence, `; `-separated.
    pub fn join(problems: &[QueryProblem]) -> String {
        let mut joined = String::new();
        for (i, problem) in problems.iter().enumerate() {
            let separator = if i == 0 { "" } else { "; " };
            let _ = write!(joined, "{separator}{problem}");
        }
        joined
    }
}

impl fmt::Display for QueryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.parameter, self.message)
    }
}

/// Order of the stream list (`sort`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub enum StreamSort {
    /// Newest first (the default).
    #[default]
    CreatedAt,
    /// Most expensive first.
    Cost,
}

impl StreamSort {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamSort::CreatedAt => "created_at",
            StreamSort::Cost => "cost",
        }
    }

    /// The sort a wire value names, if any.
    ///
    /// ```
    /// use neo_usage::query::StreamSort;
    /// assert_eq!(StreamSort::parse("cost"), Some(StreamSort::Cost));
    /// assert_eq!(StreamSort::parse("price"), None);
    /// ```
    pub fn parse(value: &str) -> Option<StreamSort> {
        [StreamSort::CreatedAt, StreamSort::Cost]
            .into_iter()
            .find(|sort| sort.as_str() == value)
    }
}

/// Time buckets of the summary's `by_period` (`group_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub enum GroupBy {
    /// Calendar days (UTC).
    Day,
    /// ISO weeks starting on Monday (UTC).
    Week,
    /// Calendar months (UTC).
    Month,
}

impl GroupBy {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Day => "day",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
        }
    }

    /// The grouping a wire value names, if any.
    ///
    /// ```
    /// use neo_usage::query::GroupBy;
    /// assert_eq!(GroupBy::parse("week"), Some(GroupBy::Week));
    /// assert_eq!(GroupBy::parse("year"), None);
    /// ```
    pub fn parse(value: &str) -> Option<GroupBy> {
        [GroupBy::Day, GroupBy::Week, GroupBy::Month]
            .into_iter()
            .find(|group| group.as_str() == value)
    }
}

/// Filters and page of `GET /api/v1/usage/tasks`: all ten documented
/// parameters. Every field is optional; `None` leaves it to the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(from_wasm_abi, into_wasm_abi)
)]
pub struct TaskUsageQuery {
    /// One task, exact match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub task_id: Option<String>,
    /// Only tasks with this status (one of the known values).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional, type = "TaskStatus"))]
    pub status: Option<TaskStatus>,
    /// Only tasks on this model, exact match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub model: Option<String>,
    /// Created at or after this RFC 3339 instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub from: Option<String>,
    /// Created before this RFC 3339 instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub to: Option<String>,
    /// Page size, 1 to 200 (server default 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub limit: Option<u32>,
    /// Rows to skip (server default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub offset: Option<u64>,
    /// Task id or email, case-insensitive partial match. Wire name ASSUMED
    /// ([`params::SEARCH`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub search: Option<String>,
    /// One team member, exact match (team admins only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub email: Option<String>,
    /// Only BYOK (`true`) or only non-BYOK (`false`) tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub is_byok: Option<bool>,
}

/// Filters and page of `GET /api/v1/usage/streams`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(from_wasm_abi, into_wasm_abi)
)]
pub struct StreamUsageQuery {
    /// Streams of one task.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub task_id: Option<String>,
    /// One stream (a UUID).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub stream_id: Option<String>,
    /// Only streams with this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional, type = "TaskStatus"))]
    pub status: Option<TaskStatus>,
    /// Only streams on this model.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub model: Option<String>,
    /// Created at or after this RFC 3339 instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub from: Option<String>,
    /// Created before this RFC 3339 instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub to: Option<String>,
    /// Page size, 1 to 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub offset: Option<u64>,
    /// Order: `created_at` (default) or `cost`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub sort: Option<StreamSort>,
    /// One team member (team admins only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub email: Option<String>,
}

/// Range and grouping of `GET /api/v1/usage/summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(from_wasm_abi, into_wasm_abi)
)]
pub struct SummaryQuery {
    /// Created at or after this RFC 3339 instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub from: Option<String>,
    /// Created before this RFC 3339 instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub to: Option<String>,
    /// Add `by_period` with these buckets.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub group_by: Option<GroupBy>,
}

/// Collects the problems of a query while checking it field by field.
#[derive(Default)]
struct Checker {
    problems: Vec<QueryProblem>,
}

impl Checker {
    fn problem(&mut self, parameter: &str, message: impl Into<String>) {
        self.problems.push(QueryProblem::new(parameter, message));
    }

    fn not_blank(&mut self, parameter: &str, value: &Option<String>) {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            self.problem(parameter, "must not be blank");
        }
    }

    fn status(&mut self, parameter: &str, value: &Option<TaskStatus>) {
        if let Some(status) = value {
            if !status.is_known() {
                let known: Vec<&str> = TaskStatus::KNOWN.iter().map(TaskStatus::as_str).collect();
                self.problem(
                    parameter,
                    format!(
                        "must be one of {}, got {:?}",
                        known.join(", "),
                        status.as_str()
                    ),
                );
            }
        }
    }

    fn limit(&mut self, value: Option<u32>) {
        if let Some(limit) = value {
            if !(params::MIN_LIMIT..=params::MAX_LIMIT).contains(&limit) {
                self.problem(
                    params::LIMIT,
                    format!(
                        "must be between {} and {}, got {limit}",
                        params::MIN_LIMIT,
                        params::MAX_LIMIT
                    ),
                );
            }
        }
    }

    fn instant(&mut self, parameter: &str, value: &Option<String>) -> Option<DateTime<Utc>> {
        let text = value.as_deref()?;
        if text.trim().is_empty() {
            self.problem(parameter, "must not be blank");
            return None;
        }
        match parse_instant(text) {
            Some(at) => Some(at),
            None => {
                self.problem(
                    parameter,
                    format!(
                        "must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z, got {text:?}"
                    ),
                );
                None
            }
        }
    }

    fn range(&mut self, from: &Option<String>, to: &Option<String>) {
        let from_at = self.instant(params::FROM, from);
        let to_at = self.instant(params::TO, to);
        if let (Some(from_at), Some(to_at)) = (from_at, to_at) {
            if from_at > to_at {
                self.problem(
                    params::FROM,
                    format!(
                        "must not be after to ({} > {})",
                        from_at.to_rfc3339(),
                        to_at.to_rfc3339()
                    ),
                );
            }
        }
    }

    fn uuid(&mut self, parameter: &str, value: &Option<String>) {
        if let Some(text) = value {
            if !is_uuid(text) {
                self.problem(
                    parameter,
                    format!(
                        "must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a, got {text:?}"
                    ),
                );
            }
        }
    }

    fn finish(self) -> Result<(), NeoUsageError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(NeoUsageError::InvalidQuery {
                problems: self.problems,
            })
        }
    }
}

/// Parses an RFC 3339 instant (any offset, optional fraction) into UTC;
/// `None` when it is not one.
///
/// ```
/// let at = neo_usage::query::parse_instant("2026-11-01T01:00:00+01:00").unwrap();
/// assert_eq!(neo_usage::query::format_instant(at), "2026-11-01T00:00:00Z");
/// assert!(neo_usage::query::parse_instant("2026-11-01").is_none());
/// ```
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    crate::timestamp::parse(text.trim().as_bytes()).ok()
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Name-value pairs in the order they are sent.
#[derive(Default)]
struct Pairs(Vec<(&'static str, String)>);

impl Pairs {
    fn text(&mut self, name: &'static str, value: &Option<String>) {
        if let Some(v) = value {
            self.0.push((name, v.trim().to_owned()));
        }
    }
    fn show(&mut self, name: &'static str, value: Option<impl ToString>) {
        if let Some(v) = value {
            self.0.push((name, v.to_string()));
        }
    }
    fn encode(self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0)
            .finish()
    }
}

/// Reads a server's query pairs, collecting every problem.
struct Reader {
    values: BTreeMap<String, String>,
    checker: Checker,
}

impl Reader {
    fn new(pairs: &[(String, String)]) -> Self {
        let mut values = BTreeMap::new();
        let mut checker = Checker::default();
        for (name, value) in pairs {
            if values.insert(name.clone(), value.clone()).is_some() {
                checker.problem(name, "is given more than once");
            }
        }
        Reader { values, checker }
    }

    fn text(&mut self, name: &str) -> Option<String> {
        self.values.get(name).cloned()
    }

    fn number<T: std::str::FromStr>(&mut self, name: &str, what: &str) -> Option<T> {
        let text = self.values.get(name)?;
        match text.trim().parse::<T>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.checker
                    .problem(name, format!("must be {what}, got {text:?}"));
                None
            }
        }
    }

    fn boolean(&mut self, name: &str) -> Option<bool> {
        let text = self.values.get(name)?;
        match text.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.checker
                    .problem(name, format!("must be true or false, got {text:?}"));
                None
            }
        }
    }

    fn choice<T>(&mut self, name: &str, choices: &[(&str, T)]) -> Option<T>
    where
        T: Copy,
    {
        let text = self.values.get(name)?;
        match choices.iter().find(|(wire, _)| *wire == text.trim()) {
            Some((_, value)) => Some(*value),
            None => {
                let names: Vec<&str> = choices.iter().map(|(w, _)| *w).collect();
                self.checker.problem(
                    name,
                    format!("must be one of {}, got {text:?}", names.join(", ")),
                );
                None
            }
        }
    }
}

/// Whether `haystack` contains `needle_lower` (already lower-cased),
/// ignoring case: what the `search` filter means for `task_id` and `email`
/// (ASSUMED, [`params::SEARCH`]). The reference server and the viewer's
/// held rows both filter with it.
///
/// ```
/// assert!(neo_usage::query::search_matches("Alice@ACME.example", "alice@acme"));
/// assert!(!neo_usage::query::search_matches("bob", "alice"));
/// ```
///
/// Inlined, so it is compiled in the crate that filters rows with it, at
/// that crate's optimisation level (the analytics crate's opt-level 3 in
/// the viewer, where it runs over every held row per keystroke).
#[inline]
pub fn search_matches(haystack: &str, needle_lower: &str) -> bool {
    if !needle_lower.is_ascii() {
        return lowercase_contains(haystack, needle_lower);
    }
    // An ASCII needle found byte-wise, ignoring ASCII case, is found in the
    // lower-cased text too (lower-casing keeps ASCII runs whole). Only a
    // miss in non-ASCII text needs the full lower-casing: non-ASCII text
    // can lower-case into ASCII (the Kelvin sign is 'k').
    ascii_contains_ignoring_case(haystack.as_bytes(), needle_lower.as_bytes())
        || (!haystack.is_ascii() && lowercase_contains(haystack, needle_lower))
}

/// The search on lower-cased text, for text that is not all ASCII.
#[cold]
#[inline(never)]
fn lowercase_contains(haystack: &str, needle_lower: &str) -> bool {
    haystack.to_lowercase().contains(needle_lower)
}

/// Whether `hay` contains the lower-case ASCII `needle`, ignoring ASCII
/// case; the rest of the needle is compared only where its first letter
/// matches (this runs over every held row per keystroke), and those places
/// are found eight bytes at a time ([`first_byte_at`]).
#[inline]
fn ascii_contains_ignoring_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let starts = &hay[..=last_start];
    let mut from = 0;
    while let Some(at) = first_byte_at(starts, from, first) {
        if hay[at + 1..at + needle.len()].eq_ignore_ascii_case(rest) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The first position at or after `from` in `hay` of the lower-case ASCII
/// byte `first`, in either case.
///
/// A letter is found as `b | 0x20 == first` (only its two cases give it);
/// any other byte exactly. Eight bytes are tested at once: a zero byte of
/// `word ^ first`, found by the borrow trick, whose lowest flag is always
/// a true zero.
#[inline]
fn first_byte_at(hay: &[u8], from: usize, first: u8) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let fold: u8 = if first.is_ascii_lowercase() { 0x20 } else { 0 };
    let (fold_word, first_word) = (ONES * u64::from(fold), ONES * u64::from(first));
    let mut at = from;
    while let Some(chunk) = hay.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = (u64::from_le_bytes(word) | fold_word) ^ first_word;
        let zeros = x.wrapping_sub(ONES) & !x & HIGHS;
        if zeros != 0 {
            return Some(at + (zeros.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = hay.get(at..)?;
    tail.iter().position(|&b| b | fold == first).map(|k| at + k)
}

/// Parses `a=1&b=2` into pairs (percent-decoded, `+` as a space), for
/// servers and for reading a URL. Every string is readable: an escape that
/// is not UTF-8 is read lossily (as U+FFFD), as browsers and servers do.
///
/// ```
/// use neo_usage::query::parse_query_string;
/// let pairs = parse_query_string("status=failed&search=a+b%21");
/// assert_eq!(pairs, [("status".into(), "failed".into()), ("search".into(), "a b!".into())]);
/// ```
pub fn parse_query_string(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// Setters storing `Some(text)`; like every setter here, they never fail:
/// values are checked when the query is sent.
macro_rules! text_setters {
    ($($name:ident),*) => {$(
        #[doc = concat!("Sets `", stringify!($name), "` (checked when the query is sent).")]
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$name = Some(value.into());
            self
        }
    )*};
}

/// Setters storing `Some(value)` of a typed parameter.
macro_rules! value_setters {
    ($($name:ident: $ty:ty),*) => {$(
        #[doc = concat!("Sets `", stringify!($name), "` (checked when the query is sent).")]
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value);
            self
        }
    )*};
}

const OFFSET_WHAT: &str = "a whole number of 0 or more";
const LIMIT_WHAT: &str = "a whole number between 1 and 200";

impl TaskUsageQuery {
    /// An empty query: the first page of everything, server defaults.
    pub fn new() -> Self {
        Self::default()
    }
    text_setters!(task_id, model, from, to, search, email);
    value_setters!(status: TaskStatus, limit: u32, offset: u64, is_byok: bool);

    /// Sets `from` from an instant.
    pub fn from_time(self, from: DateTime<Utc>) -> Self {
        self.from(format_instant(from))
    }
    /// Sets `to` from an instant.
    pub fn to_time(self, to: DateTime<Utc>) -> Self {
        self.to(format_instant(to))
    }

    /// Checks every field; lists all problems.
    pub fn validate(&self) -> Result<(), NeoUsageError> {
        let mut c = Checker::default();
        c.not_blank(params::TASK_ID, &self.task_id);
        c.status(params::STATUS, &self.status);
        c.not_blank(params::MODEL, &self.model);
        c.range(&self.from, &self.to);
        c.limit(self.limit);
        c.not_blank(params::SEARCH, &self.search);
        c.not_blank(params::EMAIL, &self.email);
        c.finish()
    }

    /// The validated, percent-encoded query string (without `?`).
    pub fn to_query_string(&self) -> Result<String, NeoUsageError> {
        self.validate()?;
        let mut p = Pairs::default();
        p.text(params::TASK_ID, &self.task_id);
        p.show(params::STATUS, self.status.as_ref());
        p.text(params::MODEL, &self.model);
        p.text(params::FROM, &self.from);
        p.text(params::TO, &self.to);
        p.show(params::LIMIT, self.limit);
        p.show(params::OFFSET, self.offset);
        p.text(params::SEARCH, &self.search);
        p.text(params::EMAIL, &self.email);
        p.show(params::IS_BYOK, self.is_byok);
        Ok(p.encode())
    }

    /// Reads a query from decoded pairs as a server receives them, then
    /// validates it; every problem (unreadable numbers, unknown status,
    /// bad dates, bounds) is reported at once. Unknown names are ignored.
    pub fn from_query_pairs(pairs: &[(String, String)]) -> Result<Self, NeoUsageError> {
        let mut r = Reader::new(pairs);
        let query = TaskUsageQuery {
            task_id: r.text(params::TASK_ID),
            status: r.text(params::STATUS).map(|s| TaskStatus::parse(s.trim())),
            model: r.text(params::MODEL),
            from: r.text(params::FROM),
            to: r.text(params::TO),
            limit: r.number(params::LIMIT, LIMIT_WHAT),
            offset: r.number(params::OFFSET, OFFSET_WHAT),
            search: r.text(params::SEARCH),
            email: r.text(params::EMAIL),
            is_byok: r.boolean(params::IS_BYOK),
        };
        merge_problems(r.checker, query.validate()).map(|()| query)
    }

    /// `from` as an instant, when it parses.
    pub fn from_instant(&self) -> Option<DateTime<Utc>> {
        self.from.as_deref().and_then(parse_instant)
    }

    /// `to` as an instant, when it parses.
    pub fn to_instant(&self) -> Option<DateTime<Utc>> {
        self.to.as_deref().and_then(parse_instant)
    }
}

impl StreamUsageQuery {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }
    text_setters!(task_id, stream_id, model, from, to, email);
    value_setters!(status: TaskStatus, limit: u32, offset: u64, sort: StreamSort);

    /// Checks every field; lists all problems.
    pub fn validate(&self) -> Result<(), NeoUsageError> {
        let mut c = Checker::default();
        c.not_blank(params::TASK_ID, &self.task_id);
        c.uuid(params::STREAM_ID, &self.stream_id);
        c.status(params::STATUS, &self.status);
        c.not_blank(params::MODEL, &self.model);
        c.range(&self.from, &self.to);
        c.limit(self.limit);
        c.not_blank(params::EMAIL, &self.email);
        c.finish()
    }

    /// The validated, percent-encoded query string.
    pub fn to_query_string(&self) -> Result<String, NeoUsageError> {
        self.validate()?;
        let mut p = Pairs::default();
        p.text(params::TASK_ID, &self.task_id);
        p.text(params::STREAM_ID, &self.stream_id);
        p.show(params::STATUS, self.status.as_ref());
        p.text(params::MODEL, &self.model);
        p.text(params::FROM, &self.from);
        p.text(params::TO, &self.to);
        p.show(params::LIMIT, self.limit);
        p.show(params::OFFSET, self.offset);
        p.show(params::SORT, self.sort.map(StreamSort::as_str));
        p.text(params::EMAIL, &self.email);
        Ok(p.encode())
    }

    /// Reads and validates a query from a server's decoded pairs.
    pub fn from_query_pairs(pairs: &[(String, String)]) -> Result<Self, NeoUsageError> {
        let mut r = Reader::new(pairs);
        let query = StreamUsageQuery {
            task_id: r.text(params::TASK_ID),
            stream_id: r.text(params::STREAM_ID),
            status: r.text(params::STATUS).map(|s| TaskStatus::parse(s.trim())),
            model: r.text(params::MODEL),
            from: r.text(params::FROM),
            to: r.text(params::TO),
            limit: r.number(params::LIMIT, LIMIT_WHAT),
            offset: r.number(params::OFFSET, OFFSET_WHAT),
            sort: r.choice(
                params::SORT,
                &[
                    ("created_at", StreamSort::CreatedAt),
                    ("cost", StreamSort::Cost),
                ],
            ),
            email: r.text(params::EMAIL),
        };
        merge_problems(r.checker, query.validate()).map(|()| query)
    }
}

impl SummaryQuery {
    /// An empty query: totals over everything.
    pub fn new() -> Self {
        Self::default()
    }
    text_setters!(from, to);
    value_setters!(group_by: GroupBy);

    /// Checks every field; lists all problems.
    pub fn validate(&self) -> Result<(), NeoUsageError> {
        let mut c = Checker::default();
        c.range(&self.from, &self.to);
        c.finish()
    }

    /// The validated, percent-encoded query string.
    pub fn to_query_string(&self) -> Result<String, NeoUsageError> {
        self.validate()?;
        let mut p = Pairs::default();
        p.text(params::FROM, &self.from);
        p.text(params::TO, &self.to);
        p.show(params::GROUP_BY, self.group_by.map(GroupBy::as_str));
        Ok(p.encode())
    }

    /// Reads and validates a query from a server's decoded pairs.
    pub fn from_query_pairs(pairs: &[(String, String)]) -> Result<Self, NeoUsageError> {
        let mut r = Reader::new(pairs);
        let query = SummaryQuery {
            from: r.text(params::FROM),
            to: r.text(params::TO),
            group_by: r.choice(
                params::GROUP_BY,
                &[
                    ("day", GroupBy::Day),
                    ("week", GroupBy::Week),
                    ("month", GroupBy::Month),
                ],
            ),
        };
        merge_problems(r.checker, query.validate()).map(|()| query)
    }
}

/// Formats an instant the way queries send it: RFC 3339 in UTC with `Z`.
pub fn format_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Problems found while reading, then those found by validation, without
/// repeating a parameter already reported.
fn merge_problems(
    reader: Checker,
    validated: Result<(), NeoUsageError>,
) -> Result<(), NeoUsageError> {
    let mut problems = reader.problems;
    if let Err(NeoUsageError::InvalidQuery { problems: more }) = validated {
        for p in more {
            if !problems.iter().any(|q| q.parameter == p.parameter) {
                problems.push(p);
            }
        }
    }
    Checker { problems }.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-wise search agrees with lower-casing the whole text, on
    /// ASCII, mixed case, non-ASCII text and needles at either end.
    #[test]
    fn search_matches_means_case_insensitive_contains() {
        let texts = [
            "",
            "a",
            "A",
            "ab",
            "Alice@ACME.example",
            "task-0f3A9c",
            "xxxxab",
            "abxxxx",
            "\u{212A}elvin",
            "İstanbul",
            "ÀÉÎ",
            "mañana@Example.COM",
        ];
        let needles = [
            "", "a", "ab", "b", "acme", "0f3a", "9c", "kelvin", "k", "i", "é", "ñana@e", "xab",
            "zz",
        ];
        for text in texts {
            for needle in needles {
                let needle = needle.to_lowercase();
                assert_eq!(
                    search_matches(text, &needle),
                    text.to_lowercase().contains(&needle),
                    "{text:?} / {needle:?}"
                );
            }
        }
    }

    /// The same on 20,000 random texts (up to 40 characters) and needles
    /// over an alphabet of ASCII of both cases, bytes one case bit away
    /// from a needle's, and characters that lower-case into ASCII or into
    /// more than one character.
    #[test]
    fn search_matches_agrees_on_random_text() {
        // '!' and '\u{11}' are '1' and 'A' with the case bit set or cleared.
        let alphabet: Vec<char> = "aAbBkK1-@!`\u{11}\u{212A}\u{130}\u{C0}\u{E0}ß"
            .chars()
            .collect();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        for round in 0..20_000 {
            // Short texts, and texts long enough to be read eight bytes at
            // a time.
            let length = if round % 2 == 0 { 9 } else { 41 };
            let text: String = (0..next(length))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let needle: String = (0..next(4))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let needle = needle.to_lowercase();
            assert_eq!(
                search_matches(&text, &needle),
                text.to_lowercase().contains(&needle),
                "{text:?} / {needle:?}"
            );
        }
    }

    fn pairs(q: &str) -> Vec<(String, String)> {
        parse_query_string(q)
    }

    fn problems(e: NeoUsageError) -> Vec<String> {
        match e {
            NeoUsageError::InvalidQuery { problems } => {
                problems.into_iter().map(|p| p.to_string()).collect()
            }
            other => panic!("expected InvalidQuery, got {other:?}"),
        }
    }

    #[test]
    fn empty_query_is_empty_string() {
        assert_eq!(TaskUsageQuery::new().to_query_string().unwrap(), "");
    }

    #[test]
    fn every_task_filter_serializes_with_its_documented_name() {
        let q = TaskUsageQuery::new()
            .task_id("t 1&x")
            .status(TaskStatus::Completed)
            .model("claude-sonnet-4")
            .from("2026-11-01T00:00:00Z")
            .to("2026-11-02T00:00:00.5+02:00")
            .limit(200)
            .offset(400)
            .search("Ann")
            .email("ann+ops@example.com")
            .is_byok(false);
        assert_eq!(
            q.to_query_string().unwrap(),
            "task_id=t+1%26x&status=completed&model=claude-sonnet-4&from=2026-11-01T00%3A00%3A00Z\
             &to=2026-11-02T00%3A00%3A00.5%2B02%3A00&limit=200&offset=400&search=Ann\
             &email=ann%2Bops%40example.com&is_byok=false"
        );
    }

    #[test]
    fn stream_and_summary_queries_serialize() {
        let q = StreamUsageQuery::new()
            .task_id("t1")
            .stream_id("3c90c3cc-0d44-4b50-8888-8dd25736052a")
            .sort(StreamSort::Cost)
            .limit(10);
        assert_eq!(
            q.to_query_string().unwrap(),
            "task_id=t1&stream_id=3c90c3cc-0d44-4b50-8888-8dd25736052a&limit=10&sort=cost"
        );
        let s = SummaryQuery::new()
            .from("2026-11-01T00:00:00Z")
            .group_by(GroupBy::Week);
        assert_eq!(
            s.to_query_string().unwrap(),
            "from=2026-11-01T00%3A00%3A00Z&group_by=week"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let q = TaskUsageQuery::new()
            .limit(0)
            .from("yesterday")
            .to("2026-11-01T00:00:00Z")
            .model("")
            .email("  ")
            .status(TaskStatus::parse("done"));
        let got = problems(q.to_query_string().unwrap_err());
        assert_eq!(
            got,
            vec![
                "status must be one of completed, error, failed, aborted, blocked, got \"done\"",
                "model must not be blank",
                "from must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z, got \"yesterday\"",
                "limit must be between 1 and 200, got 0",
                "email must not be blank",
            ]
        );
    }

    #[test]
    fn from_after_to_is_refused_and_equal_is_allowed() {
        let q = TaskUsageQuery::new()
            .from("2026-11-02T00:00:00Z")
            .to("2026-11-01T00:00:00Z");
        assert_eq!(
            problems(q.validate().unwrap_err()),
            vec![
                "from must not be after to (2026-11-02T00:00:00+00:00 > 2026-11-01T00:00:00+00:00)"
            ]
        );
        let same = TaskUsageQuery::new()
            .from("2026-11-01T00:00:00Z")
            .to("2026-11-01T01:00:00+01:00");
        assert!(same.validate().is_ok());
    }

    #[test]
    fn limit_bounds_are_inclusive() {
        assert!(TaskUsageQuery::new().limit(1).validate().is_ok());
        assert!(TaskUsageQuery::new().limit(200).validate().is_ok());
        assert!(TaskUsageQuery::new().limit(201).validate().is_err());
    }

    #[test]
    fn stream_id_must_be_a_uuid() {
        let got = problems(
            StreamUsageQuery::new()
                .stream_id("abc")
                .validate()
                .unwrap_err(),
        );
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("stream_id must be a UUID"), "{got:?}");
    }

    #[test]
    fn server_side_reading_round_trips_and_reports_everything() {
        let q = TaskUsageQuery::new()
            .status(TaskStatus::Blocked)
            .search("a b")
            .limit(7)
            .offset(14)
            .is_byok(true);
        let back = TaskUsageQuery::from_query_pairs(&pairs(&q.to_query_string().unwrap())).unwrap();
        assert_eq!(back, q);

        let e = TaskUsageQuery::from_query_pairs(&pairs(
            "limit=abc&offset=-1&is_byok=yes&status=nope&from=x&limit=3",
        ))
        .unwrap_err();
        assert_eq!(
            problems(e),
            vec![
                "limit is given more than once",
                "offset must be a whole number of 0 or more, got \"-1\"",
                "is_byok must be true or false, got \"yes\"",
                "status must be one of completed, error, failed, aborted, blocked, got \"nope\"",
                "from must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z, got \"x\"",
            ]
        );
    }

    #[test]
    fn summary_and_stream_choices_are_checked_on_read() {
        let e = SummaryQuery::from_query_pairs(&pairs("group_by=year")).unwrap_err();
        assert_eq!(
            problems(e),
            vec!["group_by must be one of day, week, month, got \"year\""]
        );
        let e = StreamUsageQuery::from_query_pairs(&pairs("sort=price")).unwrap_err();
        assert_eq!(
            problems(e),
            vec!["sort must be one of created_at, cost, got \"price\""]
        );
        let ok = SummaryQuery::from_query_pairs(&pairs("group_by=month")).unwrap();
        assert_eq!(ok.group_by, Some(GroupBy::Month));
    }

    #[test]
    fn json_query_objects_use_the_parameter_names_and_refuse_typos() {
        let q: TaskUsageQuery =
            serde_json::from_str(r#"{"status":"error","is_byok":true,"limit":5}"#).unwrap();
        assert_eq!(
            q,
            TaskUsageQuery::new()
                .status(TaskStatus::Error)
                .is_byok(true)
                .limit(5)
        );
        let e = serde_json::from_str::<TaskUsageQuery>(r#"{"stauts":"error"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `stauts`"), "{e}");
    }
}
