//! A hand-written reader for a task-list page in the form the API writes:
//! keys without escapes, text values with or without them (`\u00e9`,
//! `\"`: borrowed when plain, unescaped when not), integers as integers,
//! `created_at` as [`crate::timestamp`] reads it by hand. It gives up
//! (`None`) on anything else: an escaped key, an escape serde_json
//! refuses, an integral float, a repeated or missing field, any JSON it
//! does not check itself. The callers then read the page with the model's
//! reader (`model_reader.rs`), so a page reads to the same rows, or fails
//! with that reader's error, whichever reader took it. Tested against
//! serde's derived readers (which the model's reader agrees with) on
//! generated pages and on thousands of mutations of them; the proptest
//! and fuzz properties compare it with the model's reader.
//!
//! Measured in Chromium against `JSON.parse` of the same bytes (the bench
//! page, three runs of the decoding group on 2026-11-30): a 200-row page
//! decoded into typed rows at 1.28-1.56x its throughput, 100k rows at
//! 2.48-2.86x, load-all at 1.82-2.29x. Through serde_json alone (with the
//! UTF-8 and timestamp changes) they were 0.86-0.96x, 1.4-1.6x and
//! 1.24-1.56x in the runs before it.

use std::borrow::Cow;

use crate::borrowed::{map_order, TaskUsagePageRef, TaskUsageRef, ToolCallRef};
use crate::json_reader::{number_end, plain_run, unescape};
use crate::model::{StatKey, ToolStat};
use crate::timestamp;

/// Reads `text` as a whole task-list page, or `None` if it is not in the
/// form this reader takes (the page may still be valid: read it with the
/// model's reader).
pub(crate) fn read_page(text: &str) -> Option<TaskUsagePageRef<'_>> {
    let mut data = Vec::new();
    let (has_more, total) = read_page_each(text, |row, _| data.push(row))?;
    Some(TaskUsagePageRef {
        data,
        has_more,
        total,
    })
}

/// [`read_page`] without the list of rows: `each` is given every row as it
/// is read, with the number of bytes read so far, and the page's
/// `has_more` and `total` are returned. When it gives up (`None`), the rows
/// already given are not the page's: drop them.
pub(crate) fn read_page_each<'a>(
    text: &'a str,
    mut each: impl FnMut(TaskUsageRef<'a>, usize),
) -> Option<(bool, u64)> {
    let mut c = Cursor { text, at: 0 };
    let facts = c.page(&mut each)?;
    c.skip_ws();
    (c.at == text.len()).then_some(facts)
}

/// Reads `text` as a whole JSON array of rows (an exported file), or
/// `None` as [`read_page`] gives up (the tests' view of
/// [`read_rows_each`]).
#[cfg(test)]
pub(crate) fn read_rows(text: &str) -> Option<Vec<TaskUsageRef<'_>>> {
    let mut rows = Vec::new();
    read_rows_each(text, |row, _| rows.push(row))?;
    Some(rows)
}

/// [`read_rows`] without the list, as [`read_page_each`] reads a page.
pub(crate) fn read_rows_each<'a>(
    text: &'a str,
    mut each: impl FnMut(TaskUsageRef<'a>, usize),
) -> Option<()> {
    let mut c = Cursor { text, at: 0 };
    c.rows(&mut each)?;
    c.skip_ws();
    (c.at == text.len()).then_some(())
}

/// Reads `text` as a file of rows, a task-list page or a JSON array of
/// rows (by its first byte), as [`read_page_each`] or [`read_rows_each`]
/// read them.
pub(crate) fn read_file_each<'a>(
    text: &'a str,
    each: impl FnMut(TaskUsageRef<'a>, usize),
) -> Option<()> {
    match crate::decode::first_byte(text.as_bytes())? {
        b'{' => read_page_each(text, each).map(drop),
        _ => read_rows_each(text, each),
    }
}

/// A position in the text being read.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

/// A row's fields. The first seven are required.
#[derive(Clone, Copy)]
enum RowField {
    AgentTriggers,
    CreatedAt,
    Model,
    Status,
    StepCount,
    TaskId,
    ToolCalls,
    AgentBreakdown,
    AvgStepLatencyMs,
    Email,
    ErrorMessage,
    IsByok,
    LlmCost,
    LlmTimeMs,
    NeoCost,
    NeoCredits,
    StreamCount,
    StreamId,
    TaskTitle,
    ToolBreakdown,
    ToolCallHistory,
    ToolTimeMs,
    TotalExecutionMs,
}

/// Bits of the required fields in a set of [`RowField`]s read.
const REQUIRED: u32 = (1 << 7) - 1;

/// A row's keys in the order the reference server writes them (its
/// fields' order), the order [`Cursor::row`] expects first.
const ROW_KEYS: [(&str, RowField); 23] = [
    ("agent_triggers", RowField::AgentTriggers),
    ("created_at", RowField::CreatedAt),
    ("model", RowField::Model),
    ("status", RowField::Status),
    ("step_count", RowField::StepCount),
    ("task_id", RowField::TaskId),
    ("tool_calls", RowField::ToolCalls),
    ("agent_breakdown", RowField::AgentBreakdown),
    ("avg_step_latency_ms", RowField::AvgStepLatencyMs),
    ("email", RowField::Email),
    ("error_message", RowField::ErrorMessage),
    ("is_byok", RowField::IsByok),
    ("llm_cost", RowField::LlmCost),
    ("llm_time_ms", RowField::LlmTimeMs),
    ("neo_cost", RowField::NeoCost),
    ("neo_credits", RowField::NeoCredits),
    ("stream_count", RowField::StreamCount),
    ("stream_id", RowField::StreamId),
    ("task_title", RowField::TaskTitle),
    ("tool_breakdown", RowField::ToolBreakdown),
    ("tool_call_history", RowField::ToolCallHistory),
    ("tool_time_ms", RowField::ToolTimeMs),
    ("total_execution_ms", RowField::TotalExecutionMs),
];

/// A tool stat's keys as the reference server writes them.
const STAT_KEYS: [(&str, StatKey); 2] = [
    ("calls", StatKey::Calls { documented: true }),
    ("duration_ms", StatKey::Duration { documented: true }),
];

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor { text, at: 0 }
    }

    /// Bytes of the text read so far.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    /// Takes the rest of the text, unread.
    pub(crate) fn skip_to_end(&mut self) {
        self.at = self.text.len();
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not taken.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes().get(self.at).copied()
    }

    /// Takes `byte` after whitespace.
    pub(crate) fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Takes `null` if it comes next.
    fn null(&mut self) -> bool {
        let is_null = self.peek() == Some(b'n') && self.bytes()[self.at..].starts_with(b"null");
        if is_null {
            self.at += 4;
        }
        is_null
    }

    /// A string without escapes or control characters, borrowed.
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let b = self.bytes();
        let len = plain_run(&b[start..]);
        // The byte after the run must be the closing quote (not an escape
        // or a control character, which serde_json reads or refuses).
        (*b.get(start + len)? == b'"').then_some(())?;
        self.at = start + len + 1;
        self.text.get(start..start + len)
    }

    /// A string value: borrowed when it holds no escape, else unescaped
    /// into an owned string as serde_json does (`None`, leaving the body to
    /// serde_json, for an escape it would refuse, such as a lone
    /// surrogate, or a control character).
    fn text(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at;
        if let Some(plain) = self.string() {
            return Some(Cow::Borrowed(plain));
        }
        self.at = start;
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let b = self.bytes();
            let run = plain_run(&b[self.at..]);
            out.push_str(self.text.get(self.at..self.at + run)?);
            self.at += run;
            match *b.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    let (c, len) = unescape(&b[self.at..]).ok()?;
                    self.at += len;
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    /// The text of a JSON number, checked against the grammar.
    fn number(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let start = self.at;
        self.at = number_end(self.bytes(), start).ok()?;
        self.text.get(start..self.at)
    }

    /// A non-negative integer written as one (no sign, fraction or
    /// exponent), read as it is scanned.
    fn unsigned(&mut self) -> Option<u64> {
        self.skip_ws();
        let (n, len) = integer(&self.bytes()[self.at..])?;
        self.at += len;
        Some(n)
    }

    /// An integer written as one, maybe negative (not `-0`).
    fn signed(&mut self) -> Option<i64> {
        self.skip_ws();
        let negative = self.bytes().get(self.at) == Some(&b'-');
        let sign = usize::from(negative);
        let (n, len) = integer(&self.bytes()[self.at + sign..])?;
        let n = i64::try_from(n).ok()?;
        if negative && n == 0 {
            return None;
        }
        self.at += sign + len;
        Some(if negative { -n } else { n })
    }

    /// A number as an `f64`, correctly rounded (as the model's reader and
    /// `JSON.parse` read it); too large a one is left to the model's reader.
    fn float(&mut self) -> Option<f64> {
        let value = crate::float_text::parse_json_float(self.number()?)?;
        value.is_finite().then_some(value)
    }

    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.null() {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    fn boolean(&mut self) -> Option<bool> {
        let (value, len) = match self.peek()? {
            b't' if self.bytes()[self.at..].starts_with(b"true") => (true, 4),
            b'f' if self.bytes()[self.at..].starts_with(b"false") => (false, 5),
            _ => return None,
        };
        self.at += len;
        Some(value)
    }

    /// Calls `entry` with each key of an object, the cursor at its value.
    fn object(&mut self, mut entry: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.object_expecting::<()>(&[], |c, key, _| entry(c, key))
    }

    /// [`Cursor::object`] for an object whose keys are usually those of
    /// `keys`, in that order, some left out (as the API writes a row): each
    /// is matched in place instead of scanned and then compared, and
    /// `entry` is given its value in `keys`; any other key is read as
    /// usual, and given with `None`.
    fn object_expecting<T: Copy>(
        &mut self,
        keys: &[(&'static str, T)],
        mut entry: impl FnMut(&mut Self, &'a str, Option<T>) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let mut next = 0;
        loop {
            match self.expected_key(keys, &mut next) {
                Some((key, value)) => entry(self, key, Some(value))?,
                None => {
                    let key = self.string()?;
                    self.eat(b':')?;
                    entry(self, key, None)?;
                }
            }
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The key at the cursor, taken with its colon, if it is one of
    /// `keys[next..]` written as `"key":`; `next` moves past it.
    fn expected_key<T: Copy>(
        &mut self,
        keys: &[(&'static str, T)],
        next: &mut usize,
    ) -> Option<(&'static str, T)> {
        self.skip_ws();
        let rest = self.bytes().get(self.at..)?.strip_prefix(b"\"")?;
        let written_as = |key: &[u8]| {
            rest.starts_with(key) && rest.get(key.len()..key.len() + 2) == Some(b"\":")
        };
        let skipped = keys
            .get(*next..)?
            .iter()
            .position(|(key, _)| written_as(key.as_bytes()))?;
        let (key, value) = keys[*next + skipped];
        *next += skipped + 1;
        self.at += key.len() + 3;
        Some((key, value))
    }

    /// Calls `element` with the cursor at each element of an array.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            element(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Skips any JSON value this reader can check (strings without
    /// escapes). Past 100 levels of nesting it gives up, leaving the body
    /// to serde_json, which refuses it past 128.
    pub(crate) fn skip_value(&mut self, depth: u32) -> Option<()> {
        if depth > 100 {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(|c, _| c.skip_value(depth + 1)),
            b'[' => self.array(|c| c.skip_value(depth + 1)),
            b'"' => self.string().map(drop),
            b't' | b'f' => self.boolean().map(drop),
            b'n' => self.null().then_some(()),
            _ => self.number().map(drop),
        }
    }

    /// A page's `has_more` and `total`, its rows given to `each`.
    fn page(&mut self, each: &mut impl FnMut(TaskUsageRef<'a>, usize)) -> Option<(bool, u64)> {
        let (mut data, mut has_more, mut total) = (false, None, None);
        self.object(|c, key| match key {
            "data" if !data => {
                data = true;
                c.rows(each)
            }
            "has_more" if has_more.is_none() => c.boolean().map(|b| has_more = Some(b)),
            "total" if total.is_none() => c.unsigned().map(|n| total = Some(n)),
            "data" | "has_more" | "total" => None,
            _ => c.skip_value(0),
        })?;
        data.then_some(())?;
        Some((has_more?, total?))
    }

    /// An array of rows, each given to `each` with the bytes read so far.
    fn rows(&mut self, each: &mut impl FnMut(TaskUsageRef<'a>, usize)) -> Option<()> {
        self.array(|c| {
            let row = c.row()?;
            each(row, c.at);
            Some(())
        })
    }

    pub(crate) fn row(&mut self) -> Option<TaskUsageRef<'a>> {
        // Required fields start at placeholders, each filled in (`read`)
        // before the row is returned.
        let mut row = TaskUsageRef::default();
        let mut read = 0u32;
        self.object_expecting(&ROW_KEYS, |c, key, expected| {
            let field = expected.or_else(|| {
                let known = ROW_KEYS.iter().find(|(name, _)| *name == key);
                known.map(|(_, field)| *field)
            });
            let Some(field) = field else {
                return c.skip_value(0);
            };
            // serde refuses a repeated field: leave such a row to it.
            let bit = 1 << field as u32;
            (read & bit == 0).then_some(())?;
            read |= bit;
            c.row_field(field, &mut row)
        })?;
        (read & REQUIRED == REQUIRED).then_some(row)
    }

    /// Reads the value of `field` into `row`.
    fn row_field(&mut self, field: RowField, row: &mut TaskUsageRef<'a>) -> Option<()> {
        let text = |c: &mut Self| c.option(Self::text);
        match field {
            RowField::AgentTriggers => row.agent_triggers = self.unsigned()?,
            RowField::CreatedAt => {
                row.created_at = timestamp::parse(self.string()?.as_bytes()).ok()?
            }
            RowField::Model => row.model = self.text()?,
            RowField::Status => row.status = self.text()?,
            RowField::StepCount => row.step_count = self.unsigned()?,
            RowField::TaskId => row.task_id = self.text()?,
            RowField::ToolCalls => row.tool_calls = self.unsigned()?,
            RowField::AgentBreakdown => row.agent_breakdown = self.agent_breakdown()?,
            RowField::AvgStepLatencyMs => row.avg_step_latency_ms = self.option(Self::unsigned)?,
            RowField::Email => row.email = text(self)?,
            RowField::ErrorMessage => row.error_message = text(self)?,
            RowField::IsByok => row.is_byok = self.option(Self::boolean)?,
            RowField::LlmCost => row.llm_cost = self.option(Self::float)?,
            RowField::LlmTimeMs => row.llm_time_ms = self.option(Self::unsigned)?,
            RowField::NeoCost => row.neo_cost = self.option(Self::float)?,
            RowField::NeoCredits => row.neo_credits = self.option(Self::float)?,
            RowField::StreamCount => row.stream_count = self.option(Self::unsigned)?,
            RowField::StreamId => row.stream_id = text(self)?,
            RowField::TaskTitle => row.task_title = text(self)?,
            RowField::ToolBreakdown => row.tool_breakdown = self.tool_breakdown()?,
            RowField::ToolCallHistory => row.tool_call_history = self.tool_call_history()?,
            RowField::ToolTimeMs => row.tool_time_ms = self.option(Self::unsigned)?,
            RowField::TotalExecutionMs => row.total_execution_ms = self.option(Self::unsigned)?,
        }
        Some(())
    }

    fn agent_breakdown(&mut self) -> Option<Vec<(Cow<'a, str>, u64)>> {
        self.named_entries(Self::unsigned)
    }

    fn tool_breakdown(&mut self) -> Option<Vec<(Cow<'a, str>, ToolStat)>> {
        self.named_entries(Self::tool_stat)
    }

    /// An object of name to a value `read` reads, or `null` (empty), as a
    /// list in a map's order ([`map_order`]).
    fn named_entries<V>(
        &mut self,
        mut read: impl FnMut(&mut Self) -> Option<V>,
    ) -> Option<Vec<(Cow<'a, str>, V)>> {
        let mut entries = Vec::new();
        if !self.null() {
            self.object(|c, name| {
                entries.push((Cow::Borrowed(name), read(c)?));
                Some(())
            })?;
        }
        Some(map_order(entries))
    }

    /// A stat object whose counts are integers, or a bare call count.
    fn tool_stat(&mut self) -> Option<ToolStat> {
        let mut stat = ToolStat::default();
        if self.peek()? != b'{' {
            stat.calls = Some(self.unsigned()?);
            return Some(stat);
        }
        self.object_expecting(&STAT_KEYS, |c, key, expected| {
            match expected.unwrap_or_else(|| StatKey::of(key)) {
                StatKey::Other => c.skip_value(0),
                known => c.unsigned().map(|n| stat.take(known, Some(n))),
            }
        })?;
        Some(stat)
    }

    fn tool_call_history(&mut self) -> Option<Vec<ToolCallRef<'a>>> {
        let mut calls = Vec::new();
        if !self.null() {
            self.array(|c| c.tool_call().map(|call| calls.push(call)))?;
        }
        Some(calls)
    }

    /// A tool call, in the API's own order and spacing first (most of a
    /// row's keys are its calls' keys), else with its keys in any order.
    fn tool_call(&mut self) -> Option<ToolCallRef<'a>> {
        let start = self.at;
        if let Some(call) = self.tool_call_as_written() {
            return Some(call);
        }
        self.at = start;
        self.tool_call_any_order()
    }

    /// `{"duration_ms":…,"index":…,"timestamp":…,"tool_name":…}` exactly,
    /// each key matched in place instead of scanned and compared.
    fn tool_call_as_written(&mut self) -> Option<ToolCallRef<'a>> {
        self.skip_ws();
        self.literal(b"{\"duration_ms\":")?;
        let duration_ms = self.unsigned()?;
        self.literal(b",\"index\":")?;
        let index = self.unsigned()?;
        self.literal(b",\"timestamp\":")?;
        let timestamp = self.signed()?;
        self.literal(b",\"tool_name\":")?;
        let tool_name = self.text()?;
        self.literal(b"}")?;
        Some(ToolCallRef {
            duration_ms,
            index,
            timestamp,
            tool_name,
        })
    }

    /// Takes `bytes` if the text continues with exactly them.
    fn literal(&mut self, bytes: &[u8]) -> Option<()> {
        let found = self.bytes()[self.at..].starts_with(bytes);
        found.then(|| self.at += bytes.len())
    }

    fn tool_call_any_order(&mut self) -> Option<ToolCallRef<'a>> {
        let (mut duration_ms, mut index, mut timestamp, mut tool_name) = (None, None, None, None);
        self.object(|c, key| match key {
            "duration_ms" if duration_ms.is_none() => c.unsigned().map(|n| duration_ms = Some(n)),
            "index" if index.is_none() => c.unsigned().map(|n| index = Some(n)),
            "timestamp" if timestamp.is_none() => c.signed().map(|n| timestamp = Some(n)),
            "tool_name" if tool_name.is_none() => c.text().map(|s| tool_name = Some(s)),
            "duration_ms" | "index" | "timestamp" | "tool_name" => None,
            _ => c.skip_value(0),
        })?;
        Some(ToolCallRef {
            duration_ms: duration_ms?,
            index: index?,
            timestamp: timestamp?,
            tool_name: tool_name?,
        })
    }
}

/// The integer `b` starts with and its length, if it is written as a
/// JSON integer (no leading zero) of at most 19 digits (so it fits a `u64`
/// without an overflow check: a checked multiply is a 128-bit one in wasm)
/// that is not followed by a fraction or an exponent.
fn integer(b: &[u8]) -> Option<(u64, usize)> {
    // One pass: each digit is added as it is found. Nineteen digits fit a
    // u64 (at most 9,999,999,999,999,999,999); a twentieth gives up.
    let (mut n, mut len) = (0u64, 0);
    while let Some(digit) = b.get(len).map(|d| d.wrapping_sub(b'0')).filter(|d| *d <= 9) {
        if len == 19 {
            return None;
        }
        n = n * 10 + u64::from(digit);
        len += 1;
    }
    let leading_zero = len > 1 && b[0] == b'0';
    let more = matches!(b.get(len), Some(b'.' | b'e' | b'E'));
    if len == 0 || leading_zero || more {
        return None;
    }
    Some((n, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_bodies::{mutated_pages, page, rows_of, Draw};

    /// What serde_json's derived reader makes of `text`.
    fn serde_reads(text: &str) -> Option<TaskUsagePageRef<'_>> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn pages_in_the_api_form_read_as_serde_reads_them() {
        let mut d = Draw(0x2545_f491_4f6c_dd1d);
        for _ in 0..300 {
            let rows = 1 + d.below(8);
            let text = page(&mut d, rows);
            let ours = read_page(&text);
            assert!(
                ours.is_some(),
                "the reader gave up on a page in the API form: {text}"
            );
            assert_eq!(ours, serde_reads(&text), "{text}");
            // The same rows as an array (an exported file).
            let rows = rows_of(&text);
            let ours = read_rows(rows);
            assert!(
                ours.is_some(),
                "the reader gave up on rows in the API form: {rows}"
            );
            assert_eq!(ours, serde_json::from_str(rows).ok(), "{rows}");
        }
    }

    #[test]
    fn whatever_it_reads_of_a_mutated_page_serde_reads_the_same() {
        let (mut read, mut refused) = (0, 0);
        for mutated in mutated_pages(0x9e37_79b9_7f4a_7c15, 20_000) {
            match read_page(&mutated) {
                Some(ours) => {
                    read += 1;
                    assert_eq!(Some(ours), serde_reads(&mutated), "{mutated}");
                }
                None => refused += 1,
            }
            let rows = rows_of(&mutated);
            if let Some(ours) = read_rows(rows) {
                let serde: Option<Vec<TaskUsageRef<'_>>> = serde_json::from_str(rows).ok();
                assert_eq!(Some(ours), serde, "{rows}");
            }
        }
        // Both outcomes happen, so each side of the comparison ran.
        assert!(
            read > 1_000 && refused > 1_000,
            "read {read}, refused {refused}"
        );
    }

    #[test]
    fn integers_of_every_length_read_as_str_parse_reads_them() {
        let mut draw = Draw(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let len = 1 + (draw.next() % 19) as usize;
            let mut digits: Vec<u8> = (0..len).map(|_| b'0' + (draw.next() % 10) as u8).collect();
            if len > 1 && digits[0] == b'0' {
                digits[0] = b'1' + (draw.next() % 9) as u8;
            }
            let end = [b',', b'}', b']', b' '][(draw.next() % 4) as usize];
            let value: u64 = std::str::from_utf8(&digits).unwrap().parse().unwrap();
            digits.push(end);
            assert_eq!(integer(&digits), Some((value, len)), "{value}");
        }
    }

    #[test]
    fn integers_are_read_only_in_json_integer_form() {
        assert_eq!(integer(b"0,"), Some((0, 1)));
        assert_eq!(
            integer(b"9999999999999999999}"),
            Some((9_999_999_999_999_999_999, 19))
        );
        // Twenty digits are left to serde_json, whether they fit or not.
        for refused in [
            &b"18446744073709551615"[..],
            b"18446744073709551616",
            b"01",
            b"1.0",
            b"1e3",
            b"-1",
            b"",
            b"x",
        ] {
            assert_eq!(integer(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn escaped_text_is_read_as_serde_reads_it_and_owned() {
        let base = r#""agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed","step_count":2,"tool_calls":3"#;
        for text in [
            r#"a\"b"#,
            r#"caf\u00e9 \u00E9"#,
            r#"\ud83d\ude00!"#,
            r#"\n\t\r\b\f\/\\"#,
            r#"\u0000\u001f"#,
            r#"\u003cscript\u003e \u0026"#,
        ] {
            let body = format!(
                r#"{{"data":[{{{base},"task_id":"{text}","task_title":"{text}","tool_call_history":[{{"duration_ms":1,"index":0,"timestamp":2,"tool_name":"{text}"}}]}}],"has_more":false,"total":1}}"#
            );
            let ours = read_page(&body).unwrap_or_else(|| panic!("gave up on {text}"));
            assert_eq!(Some(&ours), serde_reads(&body).as_ref(), "{text}");
            let row = &ours.data[0];
            assert!(matches!(row.task_id, Cow::Owned(_)), "{text}");
            assert!(matches!(row.model, Cow::Borrowed("m")));
        }
    }

    #[test]
    fn it_gives_up_on_what_serde_reads_differently_or_refuses() {
        let base = r#""agent_triggers":1,"created_at":"2026-11-01T10:00:00Z","model":"m","status":"completed","step_count":2,"task_id":"t","tool_calls":3"#;
        let wrap =
            |extra: &str| format!(r#"{{"data":[{{{base}{extra}}}],"has_more":false,"total":1}}"#);
        assert!(read_page(&wrap("")).is_some());
        for extra in [
            r#","step_count":2"#,
            r#","email":"a","email":"b""#,
            r#","email":"\ud800""#,
            r#","email":"\udc00\ud800""#,
            r#","email":"\ud800\u0041""#,
            r#","email":"\x41""#,
            r#","email":"\u00g1""#,
            r#","agent_breakdown":{"\u0061":1}"#,
            r#","llm_time_ms":7.0"#,
            r#","stream_count":-1"#,
            r#","tool_breakdown":[1]"#,
            r#","tool_breakdown":{"n":null}"#,
            r#","created_at":"2026-11-01 10:00:00Z""#,
        ] {
            assert_eq!(read_page(&wrap(extra)), None, "{extra}");
        }
        assert_eq!(
            read_page(&wrap("").replace(r#""tool_calls":3"#, r#""x":3"#)),
            None
        );
        assert_eq!(read_page(&format!("{} x", wrap(""))), None);
    }
}
