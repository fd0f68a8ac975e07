//! The API's response bodies as Rust types: [`TaskUsage`] rows, the
//! [`TaskUsagePage`] that carries them, and the [`UsageSummary`].
//!
//! Optionality follows `usage.openapi.yaml` exactly: the seven required row
//! fields are plain values, optional ones are `Option` (maps and lists default
//! to empty), nullable ones accept `null`. Unknown fields are ignored, integer
//! fields accept integral floats, and the loosely documented shapes
//! (`tool_breakdown`, `by_model`) never fail a whole page.
//!
//! ```
//! use neo_usage::{TaskUsagePage, TaskStatus};
//! let body = br#"{"data":[{"agent_triggers":1,"created_at":"2026-11-01T10:00:00+02:00",
//!   "model":"gpt-4o","status":"completed","step_count":3.0,"task_id":"t1","tool_calls":2,
//!   "avg_step_latency_ms":null,"tool_breakdown":{"nuclei":{"calls":2,"duration_ms":900},"httpx":4}}],
//!   "has_more":false,"total":1}"#;
//! let page: TaskUsagePage = serde_json::from_slice(body).unwrap();
//! let row = &page.data[0];
//! assert_eq!(row.step_count, 3);
//! assert_eq!(row.status, TaskStatus::Completed);
//! assert_eq!(row.created_at.to_rfc3339(), "2026-11-01T08:00:00+00:00");
//! assert_eq!(row.tool_breakdown["httpx"].calls, Some(4));
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::assumed;
use crate::de as lenient;
use crate::sorted_map::SortedMap;
use crate::status::TaskStatus;

/// Usage of one task: the combined totals of its streams (or, in the stream
/// list, of one stream, with `stream_id` set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(into_wasm_abi, from_wasm_abi)
)]
pub struct TaskUsage {
    /// Total agent triggers.
    #[serde(deserialize_with = "lenient::unsigned")]
    pub agent_triggers: u64,
    /// When the task was created (any RFC 3339 offset on input; held in UTC).
    #[serde(deserialize_with = "crate::timestamp::utc")]
    #[cfg_attr(feature = "typescript", tsify(type = "string"))]
    pub created_at: DateTime<Utc>,
    /// LLM model used.
    pub model: String,
    /// Outcome of the task.
    #[cfg_attr(feature = "typescript", tsify(type = "TaskStatus"))]
    pub status: TaskStatus,
    /// Number of steps executed.
    #[serde(deserialize_with = "lenient::unsigned")]
    pub step_count: u64,
    /// Task identifier.
    pub task_id: String,
    /// Total tool calls made.
    #[serde(deserialize_with = "lenient::unsigned")]
    pub tool_calls: u64,
    /// Agent trigger counts by agent name.
    #[serde(
        default,
        deserialize_with = "lenient::unsigned_map",
        skip_serializing_if = "SortedMap::is_empty"
    )]
    #[cfg_attr(
        feature = "typescript",
        tsify(optional, type = "Record<string, number>")
    )]
    pub agent_breakdown: SortedMap<String, u64>,
    /// Average step latency in milliseconds (`null` when unknown).
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub avg_step_latency_ms: Option<u64>,
    /// Email of the member who created the task (team admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub email: Option<String>,
    /// Error message when the status is `error` (`null` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub error_message: Option<String>,
    /// Whether the task ran on the customer's own LLM key (BYOK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub is_byok: Option<bool>,
    /// LLM cost paid to the customer's provider (BYOK), in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub llm_cost: Option<f64>,
    /// Total LLM inference time in milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub llm_time_ms: Option<u64>,
    /// Neo platform cost for BYOK usage after the account's `neo_cost_rate`, in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_cost: Option<f64>,
    /// Neo credits used (1 credit = 10 USD equivalent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_credits: Option<f64>,
    /// Number of streams aggregated into this row (1 for a single stream).
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub stream_count: Option<u64>,
    /// Stream id (UUID); present only on stream rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub stream_id: Option<String>,
    /// Task title, when available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub task_title: Option<String>,
    /// Calls and duration by tool name. Never fails to decode: see [`ToolStat`].
    #[serde(
        default,
        deserialize_with = "tool_breakdown",
        skip_serializing_if = "SortedMap::is_empty"
    )]
    #[cfg_attr(
        feature = "typescript",
        tsify(optional, type = "Record<string, ToolStat>")
    )]
    pub tool_breakdown: SortedMap<String, ToolStat>,
    /// Every tool call, in order.
    #[serde(
        default,
        deserialize_with = "lenient::null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub tool_call_history: Vec<ToolCall>,
    /// Total tool execution time in milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub tool_time_ms: Option<u64>,
    /// Total execution time in milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_execution_ms: Option<u64>,
}

impl TaskUsage {
    /// A row with only the seven required fields set.
    ///
    /// ```
    /// use neo_usage::{TaskUsage, TaskStatus};
    /// let at = "2026-11-01T10:00:00Z".parse().unwrap();
    /// let row = TaskUsage::new("t1", at, "gpt-4o", TaskStatus::Completed);
    /// assert_eq!(row.neo_credits, None);
    /// ```
    pub fn new(
        task_id: impl Into<String>,
        created_at: DateTime<Utc>,
        model: impl Into<String>,
        status: TaskStatus,
    ) -> Self {
        TaskUsage {
            agent_triggers: 0,
            created_at,
            model: model.into(),
            status,
            step_count: 0,
            task_id: task_id.into(),
            tool_calls: 0,
            agent_breakdown: SortedMap::new(),
            avg_step_latency_ms: None,
            email: None,
            error_message: None,
            is_byok: None,
            llm_cost: None,
            llm_time_ms: None,
            neo_cost: None,
            neo_credits: None,
            stream_count: None,
            stream_id: None,
            task_title: None,
            tool_breakdown: SortedMap::new(),
            tool_call_history: Vec::new(),
            tool_time_ms: None,
            total_execution_ms: None,
        }
    }
}

/// One call in a task's `tool_call_history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(into_wasm_abi, from_wasm_abi)
)]
pub struct ToolCall {
    /// How long the call took, in milliseconds.
    #[serde(deserialize_with = "lenient::unsigned")]
    pub duration_ms: u64,
    /// Position of the call in the task (0-based).
    #[serde(deserialize_with = "lenient::unsigned")]
    pub index: u64,
    /// When the call started: Unix time in milliseconds
    /// ([`assumed::TOOL_CALL_TIMESTAMP_IS_MILLIS`]).
    #[serde(deserialize_with = "lenient::signed")]
    pub timestamp: i64,
    /// Name of the tool.
    pub tool_name: String,
}

/// One entry of `tool_breakdown`: how often a tool was called and for how
/// long.
///
/// Documented only as "tool call breakdown with calls and duration". Accepted
/// on input: an object with the fields named in [`assumed`] (or their
/// aliases), or a bare number meaning the call count. Any other shape decodes
/// as an empty stat instead of failing the page. Written as
/// `{"calls": n, "duration_ms": m}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub struct ToolStat {
    /// Number of calls, when given.
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub calls: Option<u64>,
    /// Total duration of the calls in milliseconds, when given.
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub duration_ms: Option<u64>,
}

impl Serialize for ToolStat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::from(self.calls.is_some()) + usize::from(self.duration_ms.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        if let Some(calls) = self.calls {
            map.serialize_entry(assumed::TOOL_STAT_CALLS_FIELD, &calls)?;
        }
        if let Some(duration) = self.duration_ms {
            map.serialize_entry(assumed::TOOL_STAT_DURATION_FIELD, &duration)?;
        }
        map.end()
    }
}

/// Which [`ToolStat`] field a key of a stat object names, and whether by
/// its documented name (which wins over an alias). Read without copying
/// the key: a tool stat's keys are compared, never kept.
#[derive(Clone, Copy)]
pub(crate) enum StatKey {
    Calls { documented: bool },
    Duration { documented: bool },
    Other,
}

impl StatKey {
    /// The field `key` names.
    pub(crate) fn of(key: &str) -> StatKey {
        if key == assumed::TOOL_STAT_CALLS_FIELD {
            StatKey::Calls { documented: true }
        } else if key == assumed::TOOL_STAT_DURATION_FIELD {
            StatKey::Duration { documented: true }
        } else if assumed::TOOL_STAT_CALLS_ALIASES.contains(&key) {
            StatKey::Calls { documented: false }
        } else if assumed::TOOL_STAT_DURATION_ALIASES.contains(&key) {
            StatKey::Duration { documented: false }
        } else {
            StatKey::Other
        }
    }
}

impl ToolStat {
    /// Takes the count read under `key`: a documented name wins over an
    /// alias, and an unreadable value (`None`) leaves a count read before.
    pub(crate) fn take(&mut self, key: StatKey, count: Option<u64>) {
        let (slot, documented) = match key {
            StatKey::Calls { documented } => (&mut self.calls, documented),
            StatKey::Duration { documented } => (&mut self.duration_ms, documented),
            StatKey::Other => return,
        };
        if slot.is_none() || documented {
            *slot = count.or(*slot);
        }
    }
}

impl<'de> Deserialize<'de> for StatKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = StatKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tool stat field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<StatKey, E> {
                Ok(StatKey::of(key))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for ToolStat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatVisitor;
        impl<'de> Visitor<'de> for StatVisitor {
            type Value = ToolStat;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tool stat object or a call count")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ToolStat, E> {
                Ok(ToolStat {
                    calls: Some(v),
                    duration_ms: None,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ToolStat, E> {
                Ok(ToolStat {
                    calls: u64::try_from(v).ok(),
                    duration_ms: None,
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ToolStat, E> {
                Ok(ToolStat {
                    calls: lenient::count_of_float(v),
                    duration_ms: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ToolStat, A::Error> {
                let mut stat = ToolStat::default();
                while let Some(key) = map.next_key::<StatKey>()? {
                    if let StatKey::Other = key {
                        map.next_value::<IgnoredAny>()?;
                    } else {
                        let lenient::Count(count) = map.next_value()?;
                        stat.take(key, count);
                    }
                }
                Ok(stat)
            }
            // Strings, booleans, lists, null: an empty stat, not a failed page.
            fn visit_str<E: de::Error>(self, _: &str) -> Result<ToolStat, E> {
                Ok(ToolStat::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<ToolStat, E> {
                Ok(ToolStat::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<ToolStat, E> {
                Ok(ToolStat::default())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ToolStat, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ToolStat::default())
            }
        }
        deserializer.deserialize_any(StatVisitor)
    }
}

/// Reads `tool_breakdown`: an object of tool name to [`ToolStat`]; anything
/// that is not an object (null, a list, a string) reads as empty.
fn tool_breakdown<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<SortedMap<String, ToolStat>, D::Error> {
    tool_breakdown_into::<D, String, SortedMap<String, ToolStat>>(d)
}

/// Reads `tool_breakdown` into any collection of entries `C` with names
/// `K` (a map of owned names, or the borrowed rows' list).
pub(crate) fn tool_breakdown_into<'de, D, K, C>(d: D) -> Result<C, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de>,
    C: Default + Extend<(K, ToolStat)>,
{
    struct BreakdownVisitor<K, C>(std::marker::PhantomData<(K, C)>);
    impl<'de, K, C> Visitor<'de> for BreakdownVisitor<K, C>
    where
        K: Deserialize<'de>,
        C: Default + Extend<(K, ToolStat)>,
    {
        type Value = C;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of tool stats")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = C::default();
            while let Some(entry) = map.next_entry::<K, ToolStat>()? {
                out.extend(Some(entry));
            }
            Ok(out)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(C::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(C::default())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(C::default())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(C::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(C::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(C::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(C::default())
        }
    }
    d.deserialize_any(BreakdownVisitor(std::marker::PhantomData))
}

/// One page of the task (or stream) list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(into_wasm_abi, from_wasm_abi)
)]
pub struct TaskUsagePage {
    /// The rows of this page, newest first.
    pub data: Vec<TaskUsage>,
    /// Whether more rows follow this page.
    pub has_more: bool,
    /// Number of rows matching the filters, across all pages.
    #[serde(deserialize_with = "lenient::unsigned")]
    pub total: u64,
}

/// Totals across every task in the caller's scope (`GET /api/v1/usage/summary`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify_next::Tsify),
    tsify(into_wasm_abi, from_wasm_abi)
)]
pub struct UsageSummary {
    /// Usage by model. Shape ASSUMED ([`assumed::BY_MODEL_FIELDS`]).
    #[serde(deserialize_with = "by_model")]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, ModelUsage>"))]
    pub by_model: SortedMap<String, ModelUsage>,
    /// Task counts by status.
    #[serde(deserialize_with = "status_counts")]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, number>"))]
    pub by_status: SortedMap<TaskStatus, u64>,
    /// Total Neo credits used.
    pub total_neo_credits: f64,
    /// Total number of tasks.
    #[serde(deserialize_with = "lenient::unsigned")]
    pub total_tasks: u64,
    /// By team member, most credits first (team admins only).
    #[serde(
        default,
        deserialize_with = "lenient::null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub by_email: Vec<EmailUsage>,
    /// By time period (only when `group_by` was given).
    #[serde(
        default,
        deserialize_with = "lenient::null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub by_period: Vec<PeriodUsage>,
    /// BYOK usage breakdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub byok: Option<ByokUsage>,
    /// When credits were last reset.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::option_utc"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional, type = "string"))]
    pub last_credit_reset: Option<DateTime<Utc>>,
    /// When the issued credits expire.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::timestamp::option_utc"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional, type = "string"))]
    pub neo_credits_expires_at: Option<DateTime<Utc>>,
    /// Whether the issued credits have expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_credits_is_expired: Option<bool>,
    /// Total agent triggers.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_agent_triggers: Option<u64>,
    /// Credits still available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_available_neo_credits: Option<f64>,
    /// Total execution time in milliseconds.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_execution_ms: Option<u64>,
    /// Credits issued to the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_issued_neo_credits: Option<f64>,
    /// Credits used since the last reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_neo_credits_post_reset: Option<f64>,
    /// Total steps.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_steps: Option<u64>,
    /// Total tool calls.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_tool_calls: Option<u64>,
}

/// Usage of one model in the summary. Shape ASSUMED
/// ([`assumed::BY_MODEL_FIELDS`]); an entry of another shape decodes empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub struct ModelUsage {
    /// Tasks that used the model.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub tasks: Option<u64>,
    /// Credits those tasks used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_credits: Option<f64>,
    /// BYOK LLM cost of those tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub llm_cost: Option<f64>,
    /// BYOK Neo platform cost of those tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_cost: Option<f64>,
}

/// Usage of one team member in the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub struct EmailUsage {
    /// The member's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub email: Option<String>,
    /// Credits the member's tasks used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_credits: Option<f64>,
    /// Number of the member's tasks.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub tasks: Option<u64>,
}

/// Usage in one time bucket of the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub struct PeriodUsage {
    /// The bucket's label ([`assumed::PERIOD_LABEL_FORMAT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub date: Option<String>,
    /// Credits used in the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub neo_credits: Option<f64>,
    /// Tasks created in the bucket.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub tasks: Option<u64>,
}

/// The BYOK block of the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify_next::Tsify))]
pub struct ByokUsage {
    /// LLM cost paid to the customers' own providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_llm_cost: Option<f64>,
    /// Neo platform cost of BYOK tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_neo_cost: Option<f64>,
    /// Streams run with BYOK.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_streams: Option<u64>,
    /// Tasks run with BYOK.
    #[serde(
        default,
        deserialize_with = "lenient::option_unsigned",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub total_tasks: Option<u64>,
}

/// Reads `by_model` leniently: entries that are not objects of the assumed
/// shape read as [`ModelUsage::default`].
fn by_model<'de, D: Deserializer<'de>>(d: D) -> Result<SortedMap<String, ModelUsage>, D::Error> {
    let raw: Option<SortedMap<String, serde_json::Value>> = Deserialize::deserialize(d)?;
    let usage_of = |value: serde_json::Value| match value.is_object() {
        true => ModelUsage::deserialize(value).unwrap_or_default(),
        false => ModelUsage::default(),
    };
    let raw = raw.unwrap_or_default();
    Ok(raw
        .into_iter()
        .map(|(model, value)| (model, usage_of(value)))
        .collect())
}

/// Reads `by_status` counts keyed by status (integral floats accepted).
fn status_counts<'de, D: Deserializer<'de>>(d: D) -> Result<SortedMap<TaskStatus, u64>, D::Error> {
    #[derive(Deserialize)]
    struct Count(#[serde(deserialize_with = "lenient::unsigned")] u64);
    let raw: Option<SortedMap<TaskStatus, Count>> = Deserialize::deserialize(d)?;
    let raw = raw.unwrap_or_default();
    Ok(raw
        .into_iter()
        .map(|(status, Count(count))| (status, count))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(extra: &str) -> String {
        format!(
            r#"{{"agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed",
               "step_count":2,"task_id":"t","tool_calls":3{extra}}}"#
        )
    }

    #[test]
    fn tool_breakdown_accepts_objects_counts_and_aliases() {
        let r: TaskUsage = serde_json::from_str(&row(
            r#","tool_breakdown":{"a":{"calls":2,"duration_ms":10.0},"b":5,"c":{"count":7,"duration":3},"d":"weird","e":null,"f":[1]}"#,
        ))
        .unwrap();
        assert_eq!(
            r.tool_breakdown["a"],
            ToolStat {
                calls: Some(2),
                duration_ms: Some(10)
            }
        );
        assert_eq!(
            r.tool_breakdown["b"],
            ToolStat {
                calls: Some(5),
                duration_ms: None
            }
        );
        assert_eq!(
            r.tool_breakdown["c"],
            ToolStat {
                calls: Some(7),
                duration_ms: Some(3)
            }
        );
        assert_eq!(r.tool_breakdown["d"], ToolStat::default());
        assert_eq!(r.tool_breakdown["e"], ToolStat::default());
        assert_eq!(r.tool_breakdown["f"], ToolStat::default());
    }

    #[test]
    fn tool_stat_fields_of_odd_values_read_empty_and_the_documented_name_wins() {
        let stat = |json: &str| -> ToolStat {
            let r: TaskUsage =
                serde_json::from_str(&row(&format!(r#","tool_breakdown":{{"t":{json}}}"#)))
                    .unwrap();
            r.tool_breakdown["t"]
        };
        let odd = [
            r#"{"x":[1,{"y":2}]}"#,
            "[3]",
            r#""4""#,
            "true",
            "null",
            "-1",
            "1.5",
            "1e300",
            "18446744073709551616",
        ];
        for value in odd {
            let json = format!(r#"{{"calls":{value},"duration_ms":{value}}}"#);
            assert_eq!(stat(&json), ToolStat::default(), "{value}");
            // An alias after an unreadable documented value fills the gap.
            let json = format!(r#"{{"calls":{value},"count":4}}"#);
            assert_eq!(stat(&json).calls, Some(4), "{value}");
        }
        assert_eq!(
            stat(r#"{"count":4,"calls":5,"call_count":6}"#).calls,
            Some(5)
        );
        assert_eq!(stat(r#"{"time_ms":7,"duration":8}"#).duration_ms, Some(7));
        assert_eq!(stat(r#"{"c\u0061lls":9}"#).calls, Some(9));
        assert_eq!(
            stat("9007199254740992.0").calls,
            Some(9_007_199_254_740_992)
        );
    }

    #[test]
    fn tool_breakdown_of_wrong_type_reads_empty() {
        for odd in [r#""x""#, "[1,2]", "null", "3", "true"] {
            let r: TaskUsage =
                serde_json::from_str(&row(&format!(r#","tool_breakdown":{odd}"#))).unwrap();
            assert!(r.tool_breakdown.is_empty(), "{odd}");
        }
    }

    #[test]
    fn missing_required_field_is_an_error_naming_it() {
        let body = r#"{"agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed","step_count":2,"tool_calls":3}"#;
        let e = serde_json::from_str::<TaskUsage>(body).unwrap_err();
        assert!(e.to_string().contains("task_id"), "{e}");
    }

    #[test]
    fn offsets_and_fractions_of_seconds_become_utc() {
        let r: TaskUsage = serde_json::from_str(
            &row("").replace("2026-11-01T10:00:00Z", "2026-11-01T10:00:00.123456-05:30"),
        )
        .unwrap();
        assert_eq!(
            r.created_at.to_rfc3339(),
            "2026-11-01T15:30:00.123456+00:00"
        );
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let body = row(
            r#","agent_breakdown":{"recon":2},"avg_step_latency_ms":12,"email":"a@b.c","error_message":"boom",
            "is_byok":true,"llm_cost":0.25,"llm_time_ms":40,"neo_cost":0.5,"neo_credits":1.5,"stream_count":2,
            "stream_id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","task_title":"Scan","tool_breakdown":{"nuclei":{"calls":1,"duration_ms":9}},
            "tool_call_history":[{"duration_ms":9,"index":0,"timestamp":1761991200000,"tool_name":"nuclei"}],
            "tool_time_ms":9,"total_execution_ms":100,"unknown_future_field":{"x":1}"#,
        );
        let r: TaskUsage = serde_json::from_str(&body).unwrap();
        let again: TaskUsage = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(r, again);
        assert_eq!(r.tool_call_history[0].timestamp, 1_761_991_200_000);
        assert_eq!(r.stream_count, Some(2));
    }

    #[test]
    fn summary_decodes_with_odd_by_model_and_float_counts() {
        let s: UsageSummary = serde_json::from_str(
            r#"{"by_model":{"gpt":{"tasks":2,"neo_credits":1.5},"odd":[1]},"by_status":{"completed":2.0,"paused":1},
                "total_neo_credits":1.5,"total_tasks":3,"by_period":[{"date":"2026-11-01","neo_credits":1.5,"tasks":3}],
                "byok":{"total_llm_cost":0.1,"total_tasks":1},"last_credit_reset":null,"neo_credits_is_expired":false}"#,
        )
        .unwrap();
        assert_eq!(s.by_model["gpt"].tasks, Some(2));
        assert_eq!(s.by_model["odd"], ModelUsage::default());
        assert_eq!(s.by_status[&TaskStatus::Completed], 2);
        assert_eq!(s.by_status[&TaskStatus::Unknown("paused".into())], 1);
        assert_eq!(s.last_credit_reset, None);
        assert_eq!(s.byok.unwrap().total_tasks, Some(1));
    }
}
