//! [`ApiJson`]: the model written as the API's JSON by hand, field for
//! field as its serde `Serialize` writes it (the same names, order and
//! left-out empties), so the npm package hands results to JavaScript
//! without serde_json's derived writers (floats alone are written by
//! serde_json's float printer). Tested against serde_json's output.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::model::{
    ByokUsage, EmailUsage, ModelUsage, PeriodUsage, TaskUsage, TaskUsagePage, ToolCall, ToolStat,
    UsageSummary,
};
use crate::query::{QueryProblem, TaskUsageQuery};
use crate::sorted_map::SortedMap;
use crate::status::TaskStatus;

/// A value written as the API's JSON.
///
/// ```
/// use neo_usage::model_writer::ApiJson;
/// use neo_usage::{TaskStatus, TaskUsage};
/// let at = "2026-11-01T10:00:00Z".parse().unwrap();
/// let mut row = TaskUsage::new("t1", at, "o3", TaskStatus::Completed);
/// row.neo_credits = Some(1.5);
/// assert_eq!(
///     row.to_json(),
///     r#"{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3","status":"completed","step_count":0,"task_id":"t1","tool_calls":0,"neo_credits":1.5}"#
/// );
/// ```
pub trait ApiJson {
    /// Appends the JSON of `self` to `out`.
    fn write_json(&self, out: &mut String);

    /// The JSON of `self`.
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// An object being written: `{`, then each member after a comma.
struct Members<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Members<'a> {
    fn open(out: &'a mut String) -> Self {
        out.push('{');
        Members { out, first: true }
    }

    /// Writes `"name":` and `value`.
    fn put(&mut self, name: &str, value: &dyn ApiJson) -> &mut Self {
        self.key(name);
        value.write_json(self.out);
        self
    }

    /// Writes `name` with its value when there is one.
    fn some<T: ApiJson>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.put(name, value);
        }
        self
    }

    /// Writes `"name":`, with a comma before it when needed.
    fn key(&mut self, name: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        name.write_json(self.out);
        self.out.push(':');
    }

    fn close(&mut self) {
        self.out.push('}');
    }
}

impl ApiJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if c < ' ' => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ApiJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ApiJson for u64 {
    fn write_json(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl ApiJson for u32 {
    fn write_json(&self, out: &mut String) {
        u64::from(*self).write_json(out);
    }
}

impl ApiJson for i64 {
    fn write_json(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl ApiJson for f64 {
    /// As serde_json writes a float (shortest round-trip digits, `null`
    /// for what JSON cannot hold), with its small float printer: Rust's
    /// own `Display` of floats would add some 16 kB to the npm package.
    fn write_json(&self, out: &mut String) {
        match serde_json::to_string(self) {
            Ok(text) => out.push_str(&text),
            Err(_) => out.push_str("null"),
        }
    }
}

impl ApiJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ApiJson for DateTime<Utc> {
    /// As chrono's `Serialize` writes it: `Z`, and a fraction only when
    /// there is one.
    fn write_json(&self, out: &mut String) {
        out.push('"');
        out.push_str(&self.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        out.push('"');
    }
}

impl<T: ApiJson> ApiJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ApiJson> ApiJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

/// An object of `entries`, in their order.
fn write_entries<'v>(out: &mut String, entries: impl Iterator<Item = (&'v str, &'v dyn ApiJson)>) {
    let mut members = Members::open(out);
    for (name, value) in entries {
        members.put(name, value);
    }
    members.close();
}

impl<V: ApiJson> ApiJson for SortedMap<String, V> {
    fn write_json(&self, out: &mut String) {
        write_entries(
            out,
            self.iter().map(|(k, v)| (k.as_str(), v as &dyn ApiJson)),
        );
    }
}

impl ApiJson for TaskStatus {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// `by_status`: counts keyed by status, in the statuses' order.
struct StatusCounts<'a>(&'a SortedMap<TaskStatus, u64>);

impl ApiJson for StatusCounts<'_> {
    fn write_json(&self, out: &mut String) {
        write_entries(
            out,
            self.0.iter().map(|(s, n)| (s.as_str(), n as &dyn ApiJson)),
        );
    }
}

impl ApiJson for ToolStat {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .some(crate::assumed::TOOL_STAT_CALLS_FIELD, &self.calls)
            .some(crate::assumed::TOOL_STAT_DURATION_FIELD, &self.duration_ms)
            .close();
    }
}

impl ApiJson for ToolCall {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .put("duration_ms", &self.duration_ms)
            .put("index", &self.index)
            .put("timestamp", &self.timestamp)
            .put("tool_name", &self.tool_name)
            .close();
    }
}

impl ApiJson for TaskUsage {
    fn write_json(&self, out: &mut String) {
        let mut m = Members::open(out);
        m.put("agent_triggers", &self.agent_triggers)
            .put("created_at", &self.created_at)
            .put("model", &self.model)
            .put("status", &self.status)
            .put("step_count", &self.step_count)
            .put("task_id", &self.task_id)
            .put("tool_calls", &self.tool_calls);
        if !self.agent_breakdown.is_empty() {
            m.put("agent_breakdown", &self.agent_breakdown);
        }
        m.some("avg_step_latency_ms", &self.avg_step_latency_ms)
            .some("email", &self.email)
            .some("error_message", &self.error_message)
            .some("is_byok", &self.is_byok)
            .some("llm_cost", &self.llm_cost)
            .some("llm_time_ms", &self.llm_time_ms)
            .some("neo_cost", &self.neo_cost)
            .some("neo_credits", &self.neo_credits)
            .some("stream_count", &self.stream_count)
            .some("stream_id", &self.stream_id)
            .some("task_title", &self.task_title);
        if !self.tool_breakdown.is_empty() {
            m.put("tool_breakdown", &self.tool_breakdown);
        }
        if !self.tool_call_history.is_empty() {
            m.put("tool_call_history", &self.tool_call_history);
        }
        m.some("tool_time_ms", &self.tool_time_ms)
            .some("total_execution_ms", &self.total_execution_ms)
            .close();
    }
}

impl ApiJson for TaskUsagePage {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .put("data", &self.data)
            .put("has_more", &self.has_more)
            .put("total", &self.total)
            .close();
    }
}

impl ApiJson for ModelUsage {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .some("tasks", &self.tasks)
            .some("neo_credits", &self.neo_credits)
            .some("llm_cost", &self.llm_cost)
            .some("neo_cost", &self.neo_cost)
            .close();
    }
}

impl ApiJson for EmailUsage {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .some("email", &self.email)
            .some("neo_credits", &self.neo_credits)
            .some("tasks", &self.tasks)
            .close();
    }
}

impl ApiJson for PeriodUsage {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .some("date", &self.date)
            .some("neo_credits", &self.neo_credits)
            .some("tasks", &self.tasks)
            .close();
    }
}

impl ApiJson for ByokUsage {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .some("total_llm_cost", &self.total_llm_cost)
            .some("total_neo_cost", &self.total_neo_cost)
            .some("total_streams", &self.total_streams)
            .some("total_tasks", &self.total_tasks)
            .close();
    }
}

impl ApiJson for UsageSummary {
    fn write_json(&self, out: &mut String) {
        let mut m = Members::open(out);
        m.put("by_model", &self.by_model)
            .put("by_status", &StatusCounts(&self.by_status))
            .put("total_neo_credits", &self.total_neo_credits)
            .put("total_tasks", &self.total_tasks);
        if !self.by_email.is_empty() {
            m.put("by_email", &self.by_email);
        }
        if !self.by_period.is_empty() {
            m.put("by_period", &self.by_period);
        }
        m.some("byok", &self.byok)
            .some("last_credit_reset", &self.last_credit_reset)
            .some("neo_credits_expires_at", &self.neo_credits_expires_at)
            .some("neo_credits_is_expired", &self.neo_credits_is_expired)
            .some("total_agent_triggers", &self.total_agent_triggers)
            .some(
                "total_available_neo_credits",
                &self.total_available_neo_credits,
            )
            .some("total_execution_ms", &self.total_execution_ms)
            .some("total_issued_neo_credits", &self.total_issued_neo_credits)
            .some(
                "total_neo_credits_post_reset",
                &self.total_neo_credits_post_reset,
            )
            .some("total_steps", &self.total_steps)
            .some("total_tool_calls", &self.total_tool_calls)
            .close();
    }
}

impl ApiJson for TaskUsageQuery {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .some("task_id", &self.task_id)
            .some("status", &self.status)
            .some("model", &self.model)
            .some("from", &self.from)
            .some("to", &self.to)
            .some("limit", &self.limit)
            .some("offset", &self.offset)
            .some("search", &self.search)
            .some("email", &self.email)
            .some("is_byok", &self.is_byok)
            .close();
    }
}

impl ApiJson for QueryProblem {
    fn write_json(&self, out: &mut String) {
        Members::open(out)
            .put("parameter", &self.parameter)
            .put("message", &self.message)
            .close();
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;
    use crate::model_reader::ApiBody;
    use crate::test_bodies::{page, Draw};

    /// Ours is serde_json's JSON of `value`, character for character.
    fn assert_writes_as_serde<T: ApiJson + Serialize>(value: &T) {
        assert_eq!(value.to_json(), serde_json::to_string(value).unwrap());
    }

    #[test]
    fn generated_pages_are_written_as_serde_json_writes_them() {
        let mut d = Draw(0x0bad_cafe_f00d_d00d);
        for _ in 0..300 {
            let rows = d.below(6);
            let text = page(&mut d, rows);
            let page = TaskUsagePage::decode(text.as_bytes(), None).unwrap();
            assert_writes_as_serde(&page);
            assert_writes_as_serde(&page.data);
        }
    }

    #[test]
    fn summaries_queries_and_odd_text_are_written_as_serde_json_writes_them() {
        let summary = UsageSummary::decode(
            br#"{"by_model":{"gpt":{"tasks":2,"neo_credits":1.5},"odd":[1]},"by_status":{"paused":1,"completed":2.0,"error":0},
                "total_neo_credits":1e-7,"total_tasks":3,"by_period":[{"date":"2026-11-01","neo_credits":1e21,"tasks":3}],
                "by_email":[{}],"byok":{"total_llm_cost":0.1,"total_tasks":1},"last_credit_reset":"2026-11-01T00:00:00.120Z",
                "neo_credits_is_expired":false,"total_steps":4}"#,
            None,
        )
        .unwrap();
        assert_writes_as_serde(&summary);
        assert_writes_as_serde(&UsageSummary::default());
        let query = TaskUsageQuery::new()
            .status(TaskStatus::parse("paused"))
            .limit(5)
            .search("a \"b\" \\ \u{1}\u{7f} é 😀");
        assert_writes_as_serde(&query);
        assert_writes_as_serde(&TaskUsageQuery::default());
        let at = "2026-11-01T10:00:00.5Z".parse().unwrap();
        let mut row = TaskUsage::new("t\n\t\r\u{8}\u{c}", at, "m", TaskStatus::Blocked);
        row.neo_cost = Some(-0.0);
        row.llm_cost = Some(123_456_789.125);
        assert_writes_as_serde(&row);
        let problems = vec![
            QueryProblem::new("limit", "must be 1..=200, got \"0\""),
            QueryProblem::new("from", "not RFC 3339: \u{1}"),
        ];
        assert_writes_as_serde(&problems);
    }
}
