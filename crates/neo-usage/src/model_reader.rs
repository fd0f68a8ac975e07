//! [`ApiBody`]: the API's response bodies read by hand from their JSON
//! text, with the model's lenient rules (`de.rs`, `ToolStat`, the
//! summary's `by_model`), the same rows or the same refusal as its serde
//! `Deserialize`: tested against it on generated bodies and on thousands
//! of mutations of them.
//!
//! One difference, on purpose: serde's derived readers also take a struct
//! written as a JSON array of its fields in order; this reader takes
//! objects only, as the API writes them.
//!
//! Why by hand: the derived readers, monomorphized for serde_json, were
//! the largest part of the npm package's wasm (some 19 kB brotli of it);
//! these readers share one small [`JsonReader`].

use chrono::{DateTime, Utc};

use crate::de::count_of_float;
use crate::decode::json_path_at;
use crate::error::{excerpt, NeoUsageError};
use crate::json_reader::{Fault, JsonReader as Reader, Kind, Number, Read};
use crate::model::{
    ByokUsage, EmailUsage, ModelUsage, PeriodUsage, StatKey, TaskUsage, TaskUsagePage, ToolCall,
    ToolStat, UsageSummary,
};
use crate::sorted_map::SortedMap;
use crate::status::TaskStatus;
use crate::timestamp;

/// A response body of the API, read from its bytes: every row checked,
/// a malformed body a [`NeoUsageError::Decode`] naming the JSON path.
///
/// ```
/// use neo_usage::{model_reader::ApiBody, NeoUsageError, TaskUsagePage};
/// let bad = br#"{"data":[{"task_id":"t","created_at":"yesterday"}],"has_more":false,"total":1}"#;
/// match TaskUsagePage::decode(bad, Some(200)).unwrap_err() {
///     NeoUsageError::Decode { path, offset, .. } => {
///         assert_eq!(path, "data[0].created_at");
///         assert_eq!(offset, Some(200));
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
pub trait ApiBody: Sized {
    /// Reads `body`; `offset` is the page offset of a list request, kept
    /// in the error.
    fn decode(body: &[u8], offset: Option<u64>) -> Result<Self, NeoUsageError>;
}

/// Reads the whole of `body` with `read`.
fn decode_with<T>(
    body: &[u8],
    offset: Option<u64>,
    read: impl FnOnce(&mut Reader<'_>) -> Read<T>,
) -> Result<T, NeoUsageError> {
    let text = crate::decode::body_text(body, offset)?;
    read_all(text, read).map_err(|fault| decode_error(body, offset, fault))
}

/// Reads the whole of `text` with `read`: only whitespace may follow.
pub(crate) fn read_all<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Reader<'a>) -> Read<T>,
) -> Read<T> {
    let mut r = Reader::new(text);
    let value = read(&mut r)?;
    r.end()?;
    Ok(value)
}

/// The `Decode` error of a fault in `body`.
fn decode_error(body: &[u8], offset: Option<u64>, fault: Fault) -> NeoUsageError {
    NeoUsageError::Decode {
        path: json_path_at(body, fault.at),
        offset,
        message: fault.message,
        excerpt: excerpt(body, fault.at),
        truncated: fault.eof,
    }
}

impl ApiBody for TaskUsagePage {
    fn decode(body: &[u8], offset: Option<u64>) -> Result<Self, NeoUsageError> {
        decode_with(body, offset, page)
    }
}

impl ApiBody for TaskUsage {
    fn decode(body: &[u8], offset: Option<u64>) -> Result<Self, NeoUsageError> {
        decode_with(body, offset, task_usage)
    }
}

impl ApiBody for UsageSummary {
    fn decode(body: &[u8], offset: Option<u64>) -> Result<Self, NeoUsageError> {
        decode_with(body, offset, summary)
    }
}

impl ApiBody for Vec<TaskUsage> {
    fn decode(body: &[u8], offset: Option<u64>) -> Result<Self, NeoUsageError> {
        decode_with(body, offset, |r| list(r, task_usage))
    }
}

/// What a repeated field means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeats {
    /// Refused, as serde's derived readers refuse it.
    Refused,
    /// The last one counts (a struct read from a JSON map, as the
    /// summary's `by_model` entries are): the object is checked whole,
    /// then each field read at its last value.
    LastWins,
}

/// Reads an object's fields named in `names`: `field(r, i)` with the
/// reader at the value of `names[i]`, unknown keys skipped; the first
/// `required` names must all be there (a missing one is refused at the
/// object's end, as serde refuses it).
fn fields(
    r: &mut Reader<'_>,
    names: &[&'static str],
    required: usize,
    repeats: Repeats,
    field: &mut dyn FnMut(&mut Reader<'_>, usize) -> Read<()>,
) -> Read<()> {
    let mut seen = 0u32;
    let mut last = [0usize; 32];
    r.object(&mut |r, key| {
        let Some(i) = names.iter().position(|name| *name == key) else {
            return r.skip();
        };
        let repeated = seen & (1 << i) != 0;
        seen |= 1 << i;
        r.peek()?;
        match repeats {
            Repeats::Refused if repeated => {
                Err(r.fault(r.at(), format!("duplicate field `{}`", names[i])))
            }
            Repeats::Refused => field(r, i),
            Repeats::LastWins => {
                last[i] = r.at();
                r.skip()
            }
        }
    })?;
    if repeats == Repeats::LastWins {
        let end = r.at();
        for i in (0..names.len()).filter(|i| seen & (1 << i) != 0) {
            r.rewind(last[i]);
            field(r, i)?;
        }
        r.rewind(end);
    }
    match (0..required).find(|i| seen & (1 << i) == 0) {
        Some(i) => Err(r.fault(r.at(), format!("missing field `{}`", names[i]))),
        None => Ok(()),
    }
}

/// A JSON array of what `read` reads.
fn list<'a, T>(
    r: &mut Reader<'a>,
    mut read: impl FnMut(&mut Reader<'a>) -> Read<T>,
) -> Read<Vec<T>> {
    let mut items = Vec::new();
    r.array(&mut |r| read(r).map(|item| items.push(item)))?;
    Ok(items)
}

/// [`list`], with `null` read as empty.
fn list_or_null<'a, T>(
    r: &mut Reader<'a>,
    read: impl FnMut(&mut Reader<'a>) -> Read<T>,
) -> Read<Vec<T>> {
    if r.null()? {
        return Ok(Vec::new());
    }
    list(r, read)
}

/// `null` as `None`, anything else read by `read`.
fn option<'a, T>(
    r: &mut Reader<'a>,
    read: impl FnOnce(&mut Reader<'a>) -> Read<T>,
) -> Read<Option<T>> {
    if r.null()? {
        Ok(None)
    } else {
        read(r).map(Some)
    }
}

/// A number, with the fault for one that is not `expected`.
fn number_of<T>(
    r: &mut Reader<'_>,
    expected: &str,
    convert: impl FnOnce(Number) -> Option<T>,
) -> Read<T> {
    if r.kind()? != Kind::Number {
        return Err(r.wrong_kind(expected));
    }
    let start = r.at();
    let (number, text) = r.number()?;
    convert(number).ok_or_else(|| r.fault(start, format!("expected {expected}, found {text}")))
}

/// A count: a non-negative integer, or an integral float (`12.0`).
fn unsigned(r: &mut Reader<'_>) -> Read<u64> {
    number_of(r, "a non-negative integer", count_of)
}

/// A count from any number, `None` if it is not one (`de::Count`).
fn count_of(number: Number) -> Option<u64> {
    match number {
        Number::Unsigned(n) => Some(n),
        Number::Negative(_) => None,
        Number::Float(v) => count_of_float(v),
    }
}

/// An integer, maybe negative, or an integral float.
fn signed(r: &mut Reader<'_>) -> Read<i64> {
    number_of(r, "an integer", |number| match number {
        Number::Unsigned(n) => i64::try_from(n).ok(),
        Number::Negative(n) => Some(n),
        Number::Float(v) => {
            let exact = v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0;
            exact.then_some(v as i64)
        }
    })
}

/// Any number, as an `f64`.
fn float(r: &mut Reader<'_>) -> Read<f64> {
    number_of(r, "a number", |number| Some(number.as_f64()))
}

fn text(r: &mut Reader<'_>) -> Read<String> {
    r.string().map(|text| text.into_owned())
}

/// An RFC 3339 instant, refused with what is wrong with it.
fn instant(r: &mut Reader<'_>) -> Read<DateTime<Utc>> {
    r.peek()?;
    let start = r.at();
    let text = r.string()?;
    timestamp::parse(text.as_bytes()).map_err(|refusal| r.fault(start, refusal.to_string()))
}

/// A count from whatever the value is: `None` for anything but a
/// non-negative integral number (`de::Count`).
fn any_count(r: &mut Reader<'_>) -> Read<Option<u64>> {
    if r.kind()? == Kind::Number {
        return r.number().map(|(number, _)| count_of(number));
    }
    r.skip().map(|()| None)
}

/// `agent_breakdown`: an object of name to count, or `null` (empty).
fn counts(r: &mut Reader<'_>) -> Read<SortedMap<String, u64>> {
    let mut out = SortedMap::new();
    if r.null()? {
        return Ok(out);
    }
    if r.kind()? != Kind::Object {
        return Err(r.wrong_kind("a map or null"));
    }
    r.object(&mut |r, name| {
        unsigned(r).map(|n| {
            out.insert(name.into_owned(), n);
        })
    })?;
    Ok(out)
}

/// `tool_breakdown`: an object of tool stats; anything else reads as empty.
fn tool_breakdown(r: &mut Reader<'_>) -> Read<SortedMap<String, ToolStat>> {
    let mut out = SortedMap::new();
    if r.kind()? != Kind::Object {
        return r.skip().map(|()| out);
    }
    r.object(&mut |r, name| {
        tool_stat(r).map(|stat| {
            out.insert(name.into_owned(), stat);
        })
    })?;
    Ok(out)
}

/// A tool stat: an object of counts, or a bare call count; anything else
/// is an empty stat.
fn tool_stat(r: &mut Reader<'_>) -> Read<ToolStat> {
    let mut stat = ToolStat::default();
    match r.kind()? {
        Kind::Number => stat.calls = any_count(r)?,
        Kind::Object => r.object(&mut |r, key| match StatKey::of(&key) {
            StatKey::Other => r.skip(),
            known => any_count(r).map(|count| stat.take(known, count)),
        })?,
        _ => r.skip()?,
    }
    Ok(stat)
}

const TOOL_CALL_FIELDS: [&str; 4] = ["duration_ms", "index", "timestamp", "tool_name"];

fn tool_call(r: &mut Reader<'_>) -> Read<ToolCall> {
    let mut call = ToolCall {
        duration_ms: 0,
        index: 0,
        timestamp: 0,
        tool_name: String::new(),
    };
    fields(r, &TOOL_CALL_FIELDS, 4, Repeats::Refused, &mut |r, i| {
        match i {
            0 => call.duration_ms = unsigned(r)?,
            1 => call.index = unsigned(r)?,
            2 => call.timestamp = signed(r)?,
            _ => call.tool_name = text(r)?,
        }
        Ok(())
    })?;
    Ok(call)
}

/// A row's fields, the seven required ones first.
const TASK_FIELDS: [&str; 23] = [
    "agent_triggers",
    "created_at",
    "model",
    "status",
    "step_count",
    "task_id",
    "tool_calls",
    "agent_breakdown",
    "avg_step_latency_ms",
    "email",
    "error_message",
    "is_byok",
    "llm_cost",
    "llm_time_ms",
    "neo_cost",
    "neo_credits",
    "stream_count",
    "stream_id",
    "task_title",
    "tool_breakdown",
    "tool_call_history",
    "tool_time_ms",
    "total_execution_ms",
];

/// A row of the task (or stream) list, or one task.
fn task_usage(r: &mut Reader<'_>) -> Read<TaskUsage> {
    let mut row = TaskUsage::new("", DateTime::UNIX_EPOCH, "", TaskStatus::Completed);
    fields(r, &TASK_FIELDS, 7, Repeats::Refused, &mut |r, i| {
        task_field(r, i, &mut row)
    })?;
    Ok(row)
}

/// Reads the value of `TASK_FIELDS[i]` into `row`.
fn task_field(r: &mut Reader<'_>, i: usize, row: &mut TaskUsage) -> Read<()> {
    match i {
        0 => row.agent_triggers = unsigned(r)?,
        1 => row.created_at = instant(r)?,
        2 => row.model = text(r)?,
        3 => row.status = TaskStatus::parse(&r.string()?),
        4 => row.step_count = unsigned(r)?,
        5 => row.task_id = text(r)?,
        6 => row.tool_calls = unsigned(r)?,
        7 => row.agent_breakdown = counts(r)?,
        8 => row.avg_step_latency_ms = option(r, unsigned)?,
        9 => row.email = option(r, text)?,
        10 => row.error_message = option(r, text)?,
        11 => row.is_byok = option(r, Reader::boolean)?,
        12 => row.llm_cost = option(r, float)?,
        13 => row.llm_time_ms = option(r, unsigned)?,
        14 => row.neo_cost = option(r, float)?,
        15 => row.neo_credits = option(r, float)?,
        16 => row.stream_count = option(r, unsigned)?,
        17 => row.stream_id = option(r, text)?,
        18 => row.task_title = option(r, text)?,
        19 => row.tool_breakdown = tool_breakdown(r)?,
        20 => row.tool_call_history = list_or_null(r, tool_call)?,
        21 => row.tool_time_ms = option(r, unsigned)?,
        _ => row.total_execution_ms = option(r, unsigned)?,
    }
    Ok(())
}

fn page(r: &mut Reader<'_>) -> Read<TaskUsagePage> {
    let mut page = TaskUsagePage {
        data: Vec::new(),
        has_more: false,
        total: 0,
    };
    fields(
        r,
        &["data", "has_more", "total"],
        3,
        Repeats::Refused,
        &mut |r, i| {
            match i {
                0 => page.data = list(r, task_usage)?,
                1 => page.has_more = r.boolean()?,
                _ => page.total = unsigned(r)?,
            }
            Ok(())
        },
    )?;
    Ok(page)
}

/// The summary's fields, the four required ones first.
const SUMMARY_FIELDS: [&str; 17] = [
    "by_model",
    "by_status",
    "total_neo_credits",
    "total_tasks",
    "by_email",
    "by_period",
    "byok",
    "last_credit_reset",
    "neo_credits_expires_at",
    "neo_credits_is_expired",
    "total_agent_triggers",
    "total_available_neo_credits",
    "total_execution_ms",
    "total_issued_neo_credits",
    "total_neo_credits_post_reset",
    "total_steps",
    "total_tool_calls",
];

fn summary(r: &mut Reader<'_>) -> Read<UsageSummary> {
    let mut summary = UsageSummary::default();
    fields(r, &SUMMARY_FIELDS, 4, Repeats::Refused, &mut |r, i| {
        summary_field(r, i, &mut summary)
    })?;
    Ok(summary)
}

/// Reads the value of `SUMMARY_FIELDS[i]` into `s`.
fn summary_field(r: &mut Reader<'_>, i: usize, s: &mut UsageSummary) -> Read<()> {
    match i {
        0 => s.by_model = by_model(r)?,
        1 => s.by_status = by_status(r)?,
        2 => s.total_neo_credits = float(r)?,
        3 => s.total_tasks = unsigned(r)?,
        4 => s.by_email = list_or_null(r, email_usage)?,
        5 => s.by_period = list_or_null(r, period_usage)?,
        6 => s.byok = option(r, byok_usage)?,
        7 => s.last_credit_reset = option(r, instant)?,
        8 => s.neo_credits_expires_at = option(r, instant)?,
        9 => s.neo_credits_is_expired = option(r, Reader::boolean)?,
        10 => s.total_agent_triggers = option(r, unsigned)?,
        11 => s.total_available_neo_credits = option(r, float)?,
        12 => s.total_execution_ms = option(r, unsigned)?,
        13 => s.total_issued_neo_credits = option(r, float)?,
        14 => s.total_neo_credits_post_reset = option(r, float)?,
        15 => s.total_steps = option(r, unsigned)?,
        _ => s.total_tool_calls = option(r, unsigned)?,
    }
    Ok(())
}

/// `by_model`, leniently: an entry that is not an object of the assumed
/// shape reads as [`ModelUsage::default`] (a syntax error still fails).
fn by_model(r: &mut Reader<'_>) -> Read<SortedMap<String, ModelUsage>> {
    let mut out = SortedMap::new();
    if r.null()? {
        return Ok(out);
    }
    r.object(&mut |r, name| {
        // Checked whole first, as serde_json reads it into a `Value`.
        r.peek()?;
        let start = r.at();
        r.check()?;
        let end = r.at();
        r.rewind(start);
        let usage = match r.kind()? {
            Kind::Object => model_usage(r).unwrap_or_default(),
            _ => ModelUsage::default(),
        };
        r.rewind(end);
        out.insert(name.into_owned(), usage);
        Ok(())
    })?;
    Ok(out)
}

fn model_usage(r: &mut Reader<'_>) -> Read<ModelUsage> {
    let mut usage = ModelUsage::default();
    let names = ["tasks", "neo_credits", "llm_cost", "neo_cost"];
    fields(r, &names, 0, Repeats::LastWins, &mut |r, i| {
        match i {
            0 => usage.tasks = option(r, unsigned)?,
            1 => usage.neo_credits = option(r, float)?,
            2 => usage.llm_cost = option(r, float)?,
            _ => usage.neo_cost = option(r, float)?,
        }
        Ok(())
    })?;
    Ok(usage)
}

/// `by_status`: counts keyed by status, or `null` (empty).
fn by_status(r: &mut Reader<'_>) -> Read<SortedMap<TaskStatus, u64>> {
    let mut out = SortedMap::new();
    if r.null()? {
        return Ok(out);
    }
    r.object(&mut |r, status| {
        unsigned(r).map(|n| {
            out.insert(TaskStatus::parse(&status), n);
        })
    })?;
    Ok(out)
}

fn email_usage(r: &mut Reader<'_>) -> Read<EmailUsage> {
    let (email, neo_credits, tasks) = named_usage(r, "email")?;
    Ok(EmailUsage {
        email,
        neo_credits,
        tasks,
    })
}

fn period_usage(r: &mut Reader<'_>) -> Read<PeriodUsage> {
    let (date, neo_credits, tasks) = named_usage(r, "date")?;
    Ok(PeriodUsage {
        date,
        neo_credits,
        tasks,
    })
}

/// An entry of `by_email` or `by_period`: its `name` field, credits and
/// tasks, each optional.
fn named_usage(
    r: &mut Reader<'_>,
    name: &'static str,
) -> Read<(Option<String>, Option<f64>, Option<u64>)> {
    let mut usage = (None, None, None);
    fields(
        r,
        &[name, "neo_credits", "tasks"],
        0,
        Repeats::Refused,
        &mut |r, i| {
            match i {
                0 => usage.0 = option(r, text)?,
                1 => usage.1 = option(r, float)?,
                _ => usage.2 = option(r, unsigned)?,
            }
            Ok(())
        },
    )?;
    Ok(usage)
}

fn byok_usage(r: &mut Reader<'_>) -> Read<ByokUsage> {
    let mut usage = ByokUsage::default();
    let names = [
        "total_llm_cost",
        "total_neo_cost",
        "total_streams",
        "total_tasks",
    ];
    fields(r, &names, 0, Repeats::Refused, &mut |r, i| {
        match i {
            0 => usage.total_llm_cost = option(r, float)?,
            1 => usage.total_neo_cost = option(r, float)?,
            2 => usage.total_streams = option(r, unsigned)?,
            _ => usage.total_tasks = option(r, unsigned)?,
        }
        Ok(())
    })?;
    Ok(usage)
}

/// The first of `names` that is a string field of the JSON object `json`
/// (an error body's message), if `json` is one.
pub(crate) fn string_field(json: &str, names: &[&str]) -> Option<String> {
    let mut found: Vec<Option<String>> = vec![None; names.len()];
    read_all(json, |r| {
        r.object(
            &mut |r, key| match names.iter().position(|name| *name == key) {
                // The last of a repeated key counts, string or not.
                Some(i) if r.kind()? == Kind::String => text(r).map(|t| found[i] = Some(t)),
                Some(i) => r.skip().map(|()| found[i] = None),
                None => r.skip(),
            },
        )
    })
    .ok()?;
    found.into_iter().flatten().next()
}

/// A string or boolean member of a flat JSON object ([`flat_object`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlatValue {
    /// A JSON string, unescaped.
    Text(String),
    /// `true` or `false`.
    Flag(bool),
}

/// The string and boolean members of the JSON object `json` (the last of a
/// repeated name counts; members of other kinds are left out), or `None`
/// when `json` is not one well-formed JSON object. For small saved
/// settings, such as the viewer's remembered connection, read without
/// serde_json.
///
/// ```
/// use neo_usage::model_reader::{flat_object, FlatValue};
/// let members = flat_object(r#"{"url":"https://x","key":true,"n":1}"#).unwrap();
/// assert_eq!(members.get("url"), Some(&FlatValue::Text("https://x".into())));
/// assert_eq!(members.get("key"), Some(&FlatValue::Flag(true)));
/// assert_eq!(members.get("n"), None);
/// assert_eq!(flat_object("[1]"), None);
/// ```
pub fn flat_object(json: &str) -> Option<SortedMap<String, FlatValue>> {
    let mut members = SortedMap::new();
    read_all(json, |r| {
        r.object(&mut |r, key| {
            let value = match r.kind()? {
                Kind::String => Some(FlatValue::Text(text(r)?)),
                Kind::Boolean => Some(FlatValue::Flag(r.boolean()?)),
                _ => r.skip().map(|()| None)?,
            };
            match value {
                Some(value) => members.insert(key.into_owned(), value),
                None => members.remove(&*key),
            };
            Ok(())
        })
    })
    .ok()?;
    Some(members)
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::test_bodies::{mutate, mutated_pages, page, row, Draw};

    /// What serde's derived reader makes of `text`, as a `Decode` error
    /// when it refuses it.
    fn serde_reads<T: DeserializeOwned>(text: &str) -> Result<T, NeoUsageError> {
        crate::decode::decode_json(text.as_bytes(), Some(0))
    }

    /// Ours against serde's: the same value, or both refusing with the
    /// same path and the same `truncated`. `None` when serde takes it and
    /// we refuse a struct written as an array (the one difference).
    fn compare<T: ApiBody + DeserializeOwned + PartialEq + std::fmt::Debug>(
        text: &str,
    ) -> Option<bool> {
        let ours = T::decode(text.as_bytes(), Some(0));
        let theirs = serde_reads::<T>(text);
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text}"),
            (Err(NeoUsageError::Decode { message, .. }), Ok(_))
                if message.ends_with("found an array") =>
            {
                return None
            }
            (Err(NeoUsageError::Decode { message, .. }), Err(_))
                if message.ends_with("found an array") =>
            {
                return None
            }
            (Err(ours), Err(theirs)) => {
                let ((ours, cut), (theirs, serde_cut)) = (where_of(&ours), where_of(&theirs));
                assert_eq!(cut, serde_cut, "{text}\nours {ours}\nserde {theirs}");
                // A value of the wrong kind or form: the same path (but
                // for how far into a broken key each read). A syntax
                // error is placed at its byte, serde_json's one byte on.
                let data = serde_json::from_str::<T>(text)
                    .is_err_and(|e| e.classify() == serde_json::error::Category::Data);
                let same = ours.starts_with(&theirs) || theirs.starts_with(&ours);
                assert!(same || !data, "{text}\nours {ours}\nserde {theirs}");
            }
            (ours, theirs) => panic!("{text}\nours {ours:?}\nserde {theirs:?}"),
        }
        Some(T::decode(text.as_bytes(), None).is_ok())
    }

    /// A decode error's path and whether the body was cut short.
    fn where_of(error: &NeoUsageError) -> (String, bool) {
        match error {
            NeoUsageError::Decode {
                path, truncated, ..
            } => (path.clone(), *truncated),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pages_rows_and_tasks_read_as_serde_reads_them() {
        let mut d = Draw(0x2545_f491_4f6c_dd1d);
        for k in 0..300 {
            let rows = d.below(6);
            let text = page(&mut d, rows);
            assert_eq!(compare::<TaskUsagePage>(&text), Some(true), "{text}");
            let one = row(&mut d, k);
            assert_eq!(compare::<TaskUsage>(&one), Some(true), "{one}");
            let list = format!("[{one},{}]", row(&mut d, k + 1));
            assert_eq!(compare::<Vec<TaskUsage>>(&list), Some(true), "{list}");
        }
    }

    #[test]
    fn mutated_pages_read_or_fail_as_serde_reads_them() {
        let (mut read, mut refused) = (0, 0);
        for mutated in mutated_pages(0x9e37_79b9_7f4a_7c15, 20_000) {
            match compare::<TaskUsagePage>(&mutated) {
                Some(true) => read += 1,
                _ => refused += 1,
            }
        }
        assert!(
            read > 1_000 && refused > 1_000,
            "read {read}, refused {refused}"
        );
    }

    /// A summary with each optional field present, `null` or absent, in
    /// one of its forms.
    fn summary_text(d: &mut Draw) -> String {
        let forms: [&[&str]; 17] = [
            &[
                r#""by_model":{"gpt":{"tasks":2,"neo_credits":1.5,"llm_cost":0.2,"neo_cost":1},"odd":[1],"x":{"tasks":"2"},"y":{"tasks":1,"tasks":3.0},"n":null}"#,
            ],
            &[r#""by_status":{"completed":2.0,"paused":1,"error":0}"#],
            &[r#""total_neo_credits":12.5"#, r#""total_neo_credits":3"#],
            &[r#""total_tasks":3"#, r#""total_tasks":3.0"#],
            &[r#""by_email":[{"email":"a@b.c","neo_credits":1.5,"tasks":1},{}]"#],
            &[r#""by_period":[{"date":"2026-11-01","neo_credits":1.5,"tasks":3}]"#],
            &[
                r#""byok":{"total_llm_cost":0.1,"total_neo_cost":0.2,"total_streams":4,"total_tasks":1}"#,
            ],
            &[r#""last_credit_reset":"2026-11-01T00:00:00Z""#],
            &[r#""neo_credits_expires_at":"2026-12-01T00:00:00.5+01:00""#],
            &[r#""neo_credits_is_expired":false"#],
            &[r#""total_agent_triggers":7"#],
            &[r#""total_available_neo_credits":100"#],
            &[r#""total_execution_ms":123456"#],
            &[r#""total_issued_neo_credits":200.25"#],
            &[r#""total_neo_credits_post_reset":1e2"#],
            &[r#""total_steps":40"#],
            &[r#""total_tool_calls":9"#],
        ];
        let mut fields = Vec::new();
        for (i, forms) in forms.iter().enumerate() {
            let field = d.pick(forms);
            let name = field.split(':').next().unwrap_or(field);
            match (i < 4, d.below(4)) {
                (false, 0) => {}
                (false, 1) => fields.push(format!("{name}:null")),
                _ => fields.push(field.to_owned()),
            }
        }
        format!("{{{},\"unknown\":[1,{{}}]}}", fields.join(","))
    }

    #[test]
    fn summaries_and_their_mutations_read_as_serde_reads_them() {
        let mut d = Draw(0x1234_5678_9abc_def1);
        let (mut read, mut refused) = (0, 0);
        for _ in 0..10_000 {
            let text = summary_text(&mut d);
            assert_eq!(compare::<UsageSummary>(&text), Some(true), "{text}");
            let Some(mutated) = mutate(&mut d, &text) else {
                continue;
            };
            match compare::<UsageSummary>(&mutated) {
                Some(true) => read += 1,
                _ => refused += 1,
            }
        }
        assert!(
            read > 1_000 && refused > 1_000,
            "read {read}, refused {refused}"
        );
    }

    #[test]
    fn refusals_say_what_is_wrong_where() {
        let base = r#""agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed","step_count":2,"tool_calls":3"#;
        let cases = [
            (format!(r#"{{{base}}}"#), ".", "missing field `task_id`"),
            (
                format!(r#"{{{base},"task_id":"t","model":"n"}}"#),
                "model",
                "duplicate field `model`",
            ),
            (
                format!(r#"{{{base},"task_id":7}}"#),
                "task_id",
                "expected a string, found a number",
            ),
            (
                format!(r#"{{{base},"task_id":"t","stream_count":-1}}"#),
                "stream_count",
                "expected a non-negative integer, found -1",
            ),
            (
                format!(r#"{{{base},"task_id":"t","llm_time_ms":1.5}}"#),
                "llm_time_ms",
                "found 1.5",
            ),
            (
                format!(r#"{{{base},"task_id":"t","is_byok":"yes"}}"#),
                "is_byok",
                "expected a boolean, found a string",
            ),
            (
                format!(r#"{{{base},"task_id":"t"}} x"#),
                ".",
                "trailing characters",
            ),
        ];
        for (text, path, message) in cases {
            match TaskUsage::decode(text.as_bytes(), None) {
                Err(NeoUsageError::Decode {
                    path: p,
                    message: m,
                    truncated,
                    ..
                }) => {
                    assert_eq!(p, path, "{text}");
                    assert!(m.contains(message), "{m} / {text}");
                    assert!(!truncated);
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let cut = format!(r#"{{{base},"task_id":"t"#);
        match TaskUsage::decode(cut.as_bytes(), None) {
            Err(NeoUsageError::Decode {
                truncated, message, ..
            }) => {
                assert!(truncated && message.contains("cut short"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_by_model_entry_is_checked_whole_as_serde_json_reads_a_value() {
        // serde_json reads `by_model` into `Value`s first: a number out of
        // range or a lone surrogate anywhere in an entry fails the summary,
        // while a mistyped known field only empties the entry.
        let summary = |entry: &str| {
            format!(
                r#"{{"by_model":{{"m":{{{entry}}}}},"by_status":{{}},"total_neo_credits":1,"total_tasks":1}}"#
            )
        };
        for refused in [r#""x":1e400"#, r#""x":"\ud800""#, r#""tasks":1e400"#] {
            assert_eq!(
                compare::<UsageSummary>(&summary(refused)),
                Some(false),
                "{refused}"
            );
        }
        for emptied in [r#""tasks":"2""#, r#""tasks":-1"#, r#""neo_cost":true"#] {
            assert_eq!(
                compare::<UsageSummary>(&summary(emptied)),
                Some(true),
                "{emptied}"
            );
        }
    }

    #[test]
    fn a_field_nested_however_deep_is_skipped_and_a_deep_row_refused_at_once() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let mut d = Draw(7);
        let one = row(&mut d, 1);
        let with_deep = format!("[{},\"x_future\":{deep}}}]", &one[..one.len() - 1]);
        assert_eq!(compare::<Vec<TaskUsage>>(&with_deep), Some(true));
        match Vec::<TaskUsage>::decode(deep.as_bytes(), None) {
            Err(NeoUsageError::Decode { path, message, .. }) => {
                assert_eq!(path, "[0]");
                assert!(
                    message.contains("expected an object, found an array"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn string_fields_of_error_bodies_read_as_serde_json_values_do() {
        let names = ["message", "error"];
        let cases = [
            (r#"{"message":"bad token"}"#, Some("bad token")),
            (r#"{"error":"e","message":"m"}"#, Some("m")),
            (r#"{"message":7,"error":"e"}"#, Some("e")),
            (r#"{"message":"a","message":3}"#, None),
            (r#"{"message":3,"message":"b"}"#, Some("b")),
            (r#"{"detail":"x"}"#, None),
            (r#"["message"]"#, None),
            (r#"{"message":"x""#, None),
            ("not json", None),
        ];
        for (json, expected) in cases {
            assert_eq!(string_field(json, &names).as_deref(), expected, "{json}");
        }
    }

    #[test]
    fn flat_objects_keep_their_strings_and_flags_and_refuse_anything_else() {
        let members = flat_object(
            r#" {"a":"x\u00e9\n","b":false,"c":null,"d":{"e":"f"},"g":"1","g":2,"h":1,"h":"y"} "#,
        )
        .unwrap();
        let got: Vec<(&str, &FlatValue)> = members.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert_eq!(
            got,
            [
                ("a", &FlatValue::Text("x\u{e9}\n".into())),
                ("b", &FlatValue::Flag(false)),
                ("h", &FlatValue::Text("y".into())),
            ]
        );
        for bad in [
            "",
            "[]",
            "\"a\"",
            "{",
            r#"{"a":"b"} x"#,
            r#"{"a":tru}"#,
            r#"{"a":"\x"}"#,
        ] {
            assert_eq!(flat_object(bad), None, "{bad}");
        }
        assert_eq!(flat_object("{}").map(|m| m.len()), Some(0));
    }
}
