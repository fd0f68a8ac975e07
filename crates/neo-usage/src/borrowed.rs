//! Rows read without owning their text: [`TaskUsageRef`] borrows every
//! string of a page's bytes that holds no JSON escape, and keeps the maps
//! as sorted lists instead of trees, so a 200-row page costs three small
//! lists per row instead of twenty-odd strings and tree nodes. For callers
//! that only copy rows somewhere else (the analytics store's load-all
//! path); everyone else wants [`TaskUsage`].
//!
//! Read only through [`decode_page_ref`], which falls back to the typed
//! decoder when the borrowed one refuses a page, so a page reads the same
//! and fails with the same error (the JSON path, the offset, an excerpt)
//! whichever decoder reads it.
//!
//! ```
//! use neo_usage::borrowed::decode_page_ref;
//! let body = br#"{"data":[{"agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"o3",
//!   "status":"completed","step_count":3,"task_id":"t1","tool_calls":2,
//!   "agent_breakdown":{"recon":1},"tool_breakdown":{"httpx":4}}],"has_more":false,"total":1}"#;
//! let page = decode_page_ref(body, Some(0)).unwrap();
//! assert!(matches!(page.data[0].task_id, std::borrow::Cow::Borrowed("t1")));
//! assert_eq!(page.data[0].agent_breakdown[0].1, 1);
//! let row = page.data.into_iter().next().unwrap().into_owned();
//! assert_eq!(row.tool_breakdown["httpx"].calls, Some(4));
//! ```

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::de as lenient;
use crate::error::NeoUsageError;
use crate::model::{tool_breakdown_into, TaskUsage, TaskUsagePage, ToolCall, ToolStat};
use crate::model_reader::ApiBody;
use crate::page_reader;
use crate::sorted_map::SortedMap;
use crate::status::TaskStatus;

/// A [`TaskUsage`] whose text borrows from the page's bytes where it can.
/// The maps are lists sorted by name, each name once (the last value of a
/// repeated key, as a map keeps it).
///
/// `Default` is a row of empty text at the Unix epoch, for readers that
/// fill it in field by field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TaskUsageRef<'a> {
    /// See [`TaskUsage::agent_triggers`].
    #[serde(deserialize_with = "lenient::unsigned")]
    pub agent_triggers: u64,
    /// See [`TaskUsage::created_at`].
    #[serde(deserialize_with = "crate::timestamp::utc")]
    pub created_at: DateTime<Utc>,
    /// See [`TaskUsage::model`].
    #[serde(borrow)]
    pub model: Cow<'a, str>,
    /// The wire form of [`TaskUsage::status`] (any string, as there).
    #[serde(borrow)]
    pub status: Cow<'a, str>,
    /// See [`TaskUsage::step_count`].
    #[serde(deserialize_with = "lenient::unsigned")]
    pub step_count: u64,
    /// See [`TaskUsage::task_id`].
    #[serde(borrow)]
    pub task_id: Cow<'a, str>,
    /// See [`TaskUsage::tool_calls`].
    #[serde(deserialize_with = "lenient::unsigned")]
    pub tool_calls: u64,
    /// See [`TaskUsage::agent_breakdown`]: sorted by name.
    #[serde(borrow, default, deserialize_with = "agent_breakdown")]
    pub agent_breakdown: Vec<(Cow<'a, str>, u64)>,
    /// See [`TaskUsage::avg_step_latency_ms`].
    #[serde(default, deserialize_with = "lenient::option_unsigned")]
    pub avg_step_latency_ms: Option<u64>,
    /// See [`TaskUsage::email`].
    #[serde(borrow, default, deserialize_with = "option_text")]
    pub email: Option<Cow<'a, str>>,
    /// See [`TaskUsage::error_message`].
    #[serde(borrow, default, deserialize_with = "option_text")]
    pub error_message: Option<Cow<'a, str>>,
    /// See [`TaskUsage::is_byok`].
    #[serde(default)]
    pub is_byok: Option<bool>,
    /// See [`TaskUsage::llm_cost`].
    #[serde(default)]
    pub llm_cost: Option<f64>,
    /// See [`TaskUsage::llm_time_ms`].
    #[serde(default, deserialize_with = "lenient::option_unsigned")]
    pub llm_time_ms: Option<u64>,
    /// See [`TaskUsage::neo_cost`].
    #[serde(default)]
    pub neo_cost: Option<f64>,
    /// See [`TaskUsage::neo_credits`].
    #[serde(default)]
    pub neo_credits: Option<f64>,
    /// See [`TaskUsage::stream_count`].
    #[serde(default, deserialize_with = "lenient::option_unsigned")]
    pub stream_count: Option<u64>,
    /// See [`TaskUsage::stream_id`].
    #[serde(borrow, default, deserialize_with = "option_text")]
    pub stream_id: Option<Cow<'a, str>>,
    /// See [`TaskUsage::task_title`].
    #[serde(borrow, default, deserialize_with = "option_text")]
    pub task_title: Option<Cow<'a, str>>,
    /// See [`TaskUsage::tool_breakdown`]: sorted by name.
    #[serde(borrow, default, deserialize_with = "tool_breakdown")]
    pub tool_breakdown: Vec<(Cow<'a, str>, ToolStat)>,
    /// See [`TaskUsage::tool_call_history`].
    #[serde(borrow, default, deserialize_with = "lenient::null_as_empty")]
    pub tool_call_history: Vec<ToolCallRef<'a>>,
    /// See [`TaskUsage::tool_time_ms`].
    #[serde(default, deserialize_with = "lenient::option_unsigned")]
    pub tool_time_ms: Option<u64>,
    /// See [`TaskUsage::total_execution_ms`].
    #[serde(default, deserialize_with = "lenient::option_unsigned")]
    pub total_execution_ms: Option<u64>,
}

/// A [`ToolCall`] whose tool name borrows from the page's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ToolCallRef<'a> {
    /// See [`ToolCall::duration_ms`].
    #[serde(deserialize_with = "lenient::unsigned")]
    pub duration_ms: u64,
    /// See [`ToolCall::index`].
    #[serde(deserialize_with = "lenient::unsigned")]
    pub index: u64,
    /// See [`ToolCall::timestamp`].
    #[serde(deserialize_with = "lenient::signed")]
    pub timestamp: i64,
    /// See [`ToolCall::tool_name`].
    #[serde(borrow)]
    pub tool_name: Cow<'a, str>,
}

/// A [`TaskUsagePage`] of borrowed rows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TaskUsagePageRef<'a> {
    /// See [`TaskUsagePage::data`].
    #[serde(borrow)]
    pub data: Vec<TaskUsageRef<'a>>,
    /// See [`TaskUsagePage::has_more`].
    pub has_more: bool,
    /// See [`TaskUsagePage::total`].
    #[serde(deserialize_with = "lenient::unsigned")]
    pub total: u64,
}

/// Decodes a task-list page with borrowed text: by the hand-written reader
/// (`page_reader.rs`) when the page is in the form the API writes, else by
/// the model's reader ([`ApiBody`]), whose error, with the JSON path and
/// `offset`, is the one returned, and whose rows are returned with owned
/// text. So this reads exactly the pages `TaskUsagePage::decode` reads, as
/// the same rows.
///
/// Inlined, so the decoder is compiled in the calling crate, with its
/// optimisation level: the analytics crate's opt-level 3 decodes load-all's
/// pages 1.7x faster than the core's opt-level z (measured in `make bench`).
#[inline]
pub fn decode_page_ref(
    body: &[u8],
    offset: Option<u64>,
) -> Result<TaskUsagePageRef<'_>, NeoUsageError> {
    let Ok(text) = std::str::from_utf8(body) else {
        return decode_page_typed(body, offset);
    };
    match page_reader::read_page(text) {
        Some(page) => Ok(page),
        None => decode_page_typed(body, offset),
    }
}

/// The typed decoder's reading of a page the borrowed reader refused.
#[cold]
fn decode_page_typed(
    body: &[u8],
    offset: Option<u64>,
) -> Result<TaskUsagePageRef<'static>, NeoUsageError> {
    TaskUsagePage::decode(body, offset).map(TaskUsagePageRef::from)
}

impl TaskUsagePageRef<'_> {
    /// The owned page: equal to what the typed decoder reads from the same
    /// JSON.
    pub fn into_owned(self) -> TaskUsagePage {
        TaskUsagePage {
            data: self
                .data
                .into_iter()
                .map(TaskUsageRef::into_owned)
                .collect(),
            has_more: self.has_more,
            total: self.total,
        }
    }
}

impl From<TaskUsagePage> for TaskUsagePageRef<'static> {
    fn from(page: TaskUsagePage) -> Self {
        TaskUsagePageRef {
            data: page.data.into_iter().map(TaskUsageRef::from).collect(),
            has_more: page.has_more,
            total: page.total,
        }
    }
}

impl<'a> From<&'a TaskUsage> for TaskUsageRef<'a> {
    /// Borrows every string of `row`.
    fn from(row: &'a TaskUsage) -> Self {
        let mut borrowed = TaskUsageRef::default();
        borrowed.borrow_from(row);
        borrowed
    }
}

impl<'a> TaskUsageRef<'a> {
    /// Makes this row `row`, borrowing every string of it and keeping the
    /// room its three lists already have: a reader of many rows, one at a
    /// time, allocates the lists once instead of three per row (the
    /// viewer's 10k-row demo goes into its columns this way).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use neo_usage::borrowed::TaskUsageRef;
    /// use neo_usage::{TaskStatus, TaskUsage};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap();
    /// let a = TaskUsage::new("t1", at, "o3", TaskStatus::Completed);
    /// let b = TaskUsage::new("t2", at, "gpt-4o", TaskStatus::Error);
    /// let mut row = TaskUsageRef::from(&a);
    /// row.borrow_from(&b);
    /// assert_eq!(row, TaskUsageRef::from(&b));
    /// ```
    pub fn borrow_from(&mut self, row: &'a TaskUsage) {
        let text = |s: &'a Option<String>| s.as_deref().map(Cow::Borrowed);
        let mut agent_breakdown = std::mem::take(&mut self.agent_breakdown);
        let agents = row.agent_breakdown.iter();
        refill(
            &mut agent_breakdown,
            agents.map(|(name, n)| (Cow::Borrowed(name.as_str()), *n)),
        );
        let mut tool_breakdown = std::mem::take(&mut self.tool_breakdown);
        let tools = row.tool_breakdown.iter();
        refill(
            &mut tool_breakdown,
            tools.map(|(name, stat)| (Cow::Borrowed(name.as_str()), *stat)),
        );
        let mut tool_call_history = std::mem::take(&mut self.tool_call_history);
        refill(
            &mut tool_call_history,
            row.tool_call_history.iter().map(ToolCallRef::from),
        );
        *self = TaskUsageRef {
            agent_triggers: row.agent_triggers,
            created_at: row.created_at,
            model: Cow::Borrowed(&row.model),
            status: Cow::Borrowed(row.status.as_str()),
            step_count: row.step_count,
            task_id: Cow::Borrowed(&row.task_id),
            tool_calls: row.tool_calls,
            agent_breakdown,
            avg_step_latency_ms: row.avg_step_latency_ms,
            email: text(&row.email),
            error_message: text(&row.error_message),
            is_byok: row.is_byok,
            llm_cost: row.llm_cost,
            llm_time_ms: row.llm_time_ms,
            neo_cost: row.neo_cost,
            neo_credits: row.neo_credits,
            stream_count: row.stream_count,
            stream_id: text(&row.stream_id),
            task_title: text(&row.task_title),
            tool_breakdown,
            tool_call_history,
            tool_time_ms: row.tool_time_ms,
            total_execution_ms: row.total_execution_ms,
        };
    }
}

/// Replaces the items of `list` with `items`, in the room `list` has.
fn refill<T>(list: &mut Vec<T>, items: impl IntoIterator<Item = T>) {
    list.clear();
    list.extend(items);
}

impl From<TaskUsage> for TaskUsageRef<'static> {
    /// Keeps `row`'s strings, owned.
    fn from(row: TaskUsage) -> Self {
        let text = |s: Option<String>| s.map(Cow::Owned);
        TaskUsageRef {
            agent_triggers: row.agent_triggers,
            created_at: row.created_at,
            model: Cow::Owned(row.model),
            status: Cow::Owned(row.status.as_str().to_owned()),
            step_count: row.step_count,
            task_id: Cow::Owned(row.task_id),
            tool_calls: row.tool_calls,
            agent_breakdown: row
                .agent_breakdown
                .into_iter()
                .map(|(name, n)| (Cow::Owned(name), n))
                .collect(),
            avg_step_latency_ms: row.avg_step_latency_ms,
            email: text(row.email),
            error_message: text(row.error_message),
            is_byok: row.is_byok,
            llm_cost: row.llm_cost,
            llm_time_ms: row.llm_time_ms,
            neo_cost: row.neo_cost,
            neo_credits: row.neo_credits,
            stream_count: row.stream_count,
            stream_id: text(row.stream_id),
            task_title: text(row.task_title),
            tool_breakdown: row
                .tool_breakdown
                .into_iter()
                .map(|(name, stat)| (Cow::Owned(name), stat))
                .collect(),
            tool_call_history: row
                .tool_call_history
                .into_iter()
                .map(|c| ToolCallRef {
                    duration_ms: c.duration_ms,
                    index: c.index,
                    timestamp: c.timestamp,
                    tool_name: Cow::Owned(c.tool_name),
                })
                .collect(),
            tool_time_ms: row.tool_time_ms,
            total_execution_ms: row.total_execution_ms,
        }
    }
}

impl ToolCallRef<'_> {
    /// The owned call.
    pub fn into_owned(self) -> ToolCall {
        ToolCall {
            duration_ms: self.duration_ms,
            index: self.index,
            timestamp: self.timestamp,
            tool_name: self.tool_name.into_owned(),
        }
    }
}

impl<'a> From<&'a ToolCall> for ToolCallRef<'a> {
    fn from(call: &'a ToolCall) -> Self {
        ToolCallRef {
            duration_ms: call.duration_ms,
            index: call.index,
            timestamp: call.timestamp,
            tool_name: Cow::Borrowed(&call.tool_name),
        }
    }
}

impl TaskUsageRef<'_> {
    /// The owned row: equal to what the typed decoder reads from the same
    /// JSON.
    pub fn into_owned(self) -> TaskUsage {
        let text = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        TaskUsage {
            agent_triggers: self.agent_triggers,
            created_at: self.created_at,
            model: self.model.into_owned(),
            status: TaskStatus::parse(&self.status),
            step_count: self.step_count,
            task_id: self.task_id.into_owned(),
            tool_calls: self.tool_calls,
            agent_breakdown: owned_map(self.agent_breakdown),
            avg_step_latency_ms: self.avg_step_latency_ms,
            email: text(self.email),
            error_message: text(self.error_message),
            is_byok: self.is_byok,
            llm_cost: self.llm_cost,
            llm_time_ms: self.llm_time_ms,
            neo_cost: self.neo_cost,
            neo_credits: self.neo_credits,
            stream_count: self.stream_count,
            stream_id: text(self.stream_id),
            task_title: text(self.task_title),
            tool_breakdown: owned_map(self.tool_breakdown),
            tool_call_history: self
                .tool_call_history
                .into_iter()
                .map(ToolCallRef::into_owned)
                .collect(),
            tool_time_ms: self.tool_time_ms,
            total_execution_ms: self.total_execution_ms,
        }
    }
}

/// The entries (already in map order) as an owned map.
fn owned_map<V>(entries: Vec<(Cow<'_, str>, V)>) -> SortedMap<String, V> {
    entries
        .into_iter()
        .map(|(name, value)| (name.into_owned(), value))
        .collect()
}

/// A string read from JSON: borrowed when it holds no escape.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// Reads an optional (absent or `null`) string.
fn option_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Ok(Option::<Text<'de>>::deserialize(d)?.map(|t| t.0))
}

/// A map read as a list of entries, then put in a map's order.
struct Entries<'a, V>(Vec<(Cow<'a, str>, V)>);

impl<V> Default for Entries<'_, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'a, V> Extend<(Text<'a>, V)> for Entries<'a, V> {
    fn extend<I: IntoIterator<Item = (Text<'a>, V)>>(&mut self, entries: I) {
        self.0.extend(entries.into_iter().map(|(k, v)| (k.0, v)));
    }
}

impl<'a, V> Entries<'a, V> {
    /// The entries in a map's order ([`map_order`]).
    fn in_map_order(self) -> Vec<(Cow<'a, str>, V)> {
        map_order(self.0)
    }
}

/// Sorted by name, each name once with its last value: what inserting the
/// entries into a [`SortedMap`] one by one keeps.
pub(crate) fn map_order<V>(mut entries: Vec<(Cow<'_, str>, V)>) -> Vec<(Cow<'_, str>, V)> {
    if entries.windows(2).all(|w| w[0].0 < w[1].0) {
        return entries;
    }
    crate::sorting::sort_stable_by(&mut entries, |a, b| a.0.cmp(&b.0));
    let mut out: Vec<(Cow<'_, str>, V)> = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        match out.last_mut() {
            Some(last) if last.0 == name => last.1 = value,
            _ => out.push((name, value)),
        }
    }
    out
}

/// Reads `agent_breakdown` as [`crate::de::unsigned_map`] does: an object
/// of name to count, `null` as empty.
fn agent_breakdown<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(Cow<'de, str>, u64)>, D::Error> {
    Ok(lenient::unsigned_map_into::<D, Text<'de>, Entries<'de, u64>>(d)?.in_map_order())
}

/// Reads `tool_breakdown` as the typed row does (anything but an object is
/// empty; see [`ToolStat`]).
fn tool_breakdown<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(Cow<'de, str>, ToolStat)>, D::Error> {
    Ok(tool_breakdown_into::<D, Text<'de>, Entries<'de, ToolStat>>(d)?.in_map_order())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(
        body: &str,
    ) -> (
        Result<TaskUsagePage, NeoUsageError>,
        Result<TaskUsagePage, NeoUsageError>,
    ) {
        let typed = TaskUsagePage::decode(body.as_bytes(), Some(400));
        let borrowed =
            decode_page_ref(body.as_bytes(), Some(400)).map(TaskUsagePageRef::into_owned);
        (typed, borrowed)
    }

    const ROW: &str = r#""agent_triggers":1,"created_at":"2026-11-01T10:00:00+02:00","model":"o3","status":"completed","step_count":3.0,"task_id":"t1","tool_calls":2"#;

    #[test]
    fn reads_every_field_as_the_typed_decoder_does() {
        let body = format!(
            r#"{{"data":[{{{ROW},"agent_breakdown":{{"b":2,"a":1,"b":5}},"avg_step_latency_ms":null,
            "email":"a\"b@x.io","error_message":null,"is_byok":true,"llm_cost":0.5,"llm_time_ms":7.0,
            "neo_cost":0.25,"neo_credits":1.5,"stream_count":2,"stream_id":"s","task_title":"T\u00e9",
            "tool_breakdown":{{"z":{{"calls":1,"duration_ms":9}},"nuclei":3,"y":"odd","z":{{"count":2}}}},
            "tool_call_history":[{{"duration_ms":9,"index":0,"timestamp":1761984000000,"tool_name":"z"}}],
            "tool_time_ms":9,"total_execution_ms":20,"unknown":[1,{{}}]}},{{{paused},"tool_call_history":null,
            "agent_breakdown":null,"tool_breakdown":[1]}}],"has_more":true,"total":9.0}}"#,
            paused = ROW.replace("completed", "paused")
        );
        let (typed, borrowed) = both(&body);
        assert_eq!(borrowed.unwrap(), typed.unwrap());
    }

    #[test]
    fn text_without_escapes_is_borrowed_and_with_escapes_owned() {
        // In the API's form (`3`, not `3.0`): the fast reader borrows; a
        // page it leaves to the model's reader is owned.
        let row = ROW.replace("3.0", "3");
        let body = format!(
            r#"{{"data":[{{{row},"email":"a\"b","task_title":"plain"}}],"has_more":false,"total":1}}"#
        );
        let page = decode_page_ref(body.as_bytes(), None).unwrap();
        let row = &page.data[0];
        assert!(matches!(row.task_id, Cow::Borrowed("t1")));
        assert!(matches!(row.task_title, Some(Cow::Borrowed("plain"))));
        assert!(matches!(&row.email, Some(Cow::Owned(e)) if e == "a\"b"));
    }

    #[test]
    fn a_refused_page_fails_with_the_typed_decoders_error() {
        for bad in [
            format!(
                r#"{{"data":[{{{ROW}}},{{{ROW},"step_count":-1}}],"has_more":false,"total":2}}"#
            ),
            format!(r#"{{"data":[{{{ROW},"agent_breakdown":[1]}}],"has_more":false,"total":1}}"#),
            format!(r#"{{"data":[{{{ROW},"created_at":"soon"}}],"has_more":false,"total":1}}"#),
            format!(r#"{{"data":[{{{ROW}}}],"has_more":false"#),
        ] {
            let (typed, borrowed) = both(&bad);
            let (typed, borrowed) = (typed.unwrap_err(), borrowed.unwrap_err());
            assert_eq!(borrowed.to_string(), typed.to_string(), "{bad}");
            assert!(matches!(
                borrowed,
                NeoUsageError::Decode {
                    offset: Some(400),
                    ..
                }
            ));
        }
    }

    #[test]
    fn owned_and_borrowed_conversions_keep_the_row() {
        let body = format!(
            r#"{{"data":[{{{ROW},"agent_breakdown":{{"a":1}},"tool_breakdown":{{"n":2}},"email":"e"}}],"has_more":false,"total":1}}"#
        );
        let row = TaskUsagePage::decode(body.as_bytes(), None)
            .unwrap()
            .data
            .remove(0);
        assert_eq!(TaskUsageRef::from(&row).into_owned(), row);
        assert_eq!(TaskUsageRef::from(row.clone()).into_owned(), row);
    }
}
