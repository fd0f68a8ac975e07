//! [`UsageStore`]: task rows held as columns, appended page by page, any row
//! given back exactly.
//!
//! One vector per numeric field, `created_at` as Unix milliseconds, model /
//! status / email / tool / agent names interned, free text in arenas, and
//! the per-row maps and lists flattened into shared vectors with per-row
//! ranges: no heap pointer per row. 100,000 demo rows take about a tenth of
//! the memory of the `TaskUsage` structs they come from.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use neo_usage::borrowed::decode_page_ref;
use neo_usage::sorting::sort_stable_by;
use neo_usage::{
    NeoUsageError, SortedMap, TaskStatus, TaskUsage, TaskUsageRef, ToolCall, ToolCallRef, ToolStat,
};

use crate::aggregate::RowValues;
use crate::arena::OptStrArena;
use crate::intern::{Interner, Sym};
use crate::money::MoneyColumn;
use crate::packed::{Escapes, PackedOptU64, PackedU64};
use crate::pass_blocks::{PassBlock, PassBlocks};
use crate::pass_rows::{run_start, RUN_ROWS};
use crate::select::Selection;
use crate::task_ids::{NeedlePairs, TaskIds};
use crate::tool_blocks::{ToolBlocks, BLOCK_ROWS};

/// The id of an absent email.
pub const NO_EMAIL: Sym = Sym::MAX;

/// Rows [`UsageStore::push_rows`] and [`UsageStore::from_rows_json`]
/// append before they reserve room for the rest by their average.
pub const RESERVE_AFTER_ROWS: usize = 1_000;

/// `is_byok` as stored: absent, `false`, `true`.
const BYOK_ABSENT: u8 = 0;
const BYOK_FALSE: u8 = 1;
pub(crate) const BYOK_TRUE: u8 = 2;

/// Marks a tool call whose fields do not fit the compact columns.
pub(crate) const WIDE_CALL: u32 = u32::MAX;

/// A tool call kept whole because a field does not fit the compact columns
/// (an index out of sequence, a duration past 49 days, a timestamp more than
/// 24 days from the task's creation, or a tool id past 65,534).
#[derive(Debug, Clone, Copy)]
struct WideCall {
    tool: Sym,
    duration_ms: u64,
    index: u64,
    timestamp: i64,
}

/// What a page appended by [`UsageStore::append_page_json`] held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendedPage {
    /// Rows appended.
    pub rows: usize,
    /// The page's `has_more`.
    pub has_more: bool,
    /// The page's `total`.
    pub total: u64,
}

/// Task rows as columns.
///
/// ```
/// use neo_usage::{TaskStatus, TaskUsage};
/// use neo_usage_analytics::UsageStore;
/// let mut row = TaskUsage::new("t1", "2026-11-01T10:00:00Z".parse().unwrap(), "o3", TaskStatus::Completed);
/// row.neo_credits = Some(0.1234);
/// let mut store = UsageStore::new();
/// store.append(vec![row.clone()]);
/// assert_eq!(store.len(), 1);
/// assert_eq!(store.row(0), row);
/// assert!(store.contains_task("t1"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct UsageStore {
    pub(crate) created_ms: Vec<i64>,
    created_exact: Escapes<DateTime<Utc>>,
    task_id: TaskIds,
    pub(crate) model: Vec<Sym>,
    pub(crate) status: Vec<Sym>,
    pub(crate) email: Vec<Sym>,
    pub(crate) agent_triggers: PackedU64,
    pub(crate) step_count: PackedU64,
    pub(crate) tool_calls: PackedU64,
    pub(crate) avg_step_latency_ms: PackedOptU64,
    llm_time_ms: PackedOptU64,
    stream_count: PackedOptU64,
    tool_time_ms: PackedOptU64,
    pub(crate) total_execution_ms: PackedOptU64,
    pub(crate) is_byok: Vec<u8>,
    pub(crate) neo_credits: MoneyColumn,
    pub(crate) llm_cost: MoneyColumn,
    pub(crate) neo_cost: MoneyColumn,
    error_message: OptStrArena,
    stream_id: OptStrArena,
    task_title: OptStrArena,
    agents_end: Vec<u32>,
    agent_name: Vec<Sym>,
    agent_count: PackedU64,
    pub(crate) breakdown_end: Vec<u32>,
    /// Per row: the breakdown is exactly the one its history adds up to, so
    /// only the history is stored (as in every generated row).
    pub(crate) breakdown_derived: Vec<bool>,
    pub(crate) breakdown_tool: Vec<Sym>,
    pub(crate) breakdown_calls: PackedOptU64,
    pub(crate) breakdown_ms: PackedOptU64,
    pub(crate) history_end: Vec<u32>,
    call_tool: Vec<u16>,
    call_ms: Vec<u32>,
    call_offset_ms: Vec<i32>,
    call_wide: Escapes<WideCall>,
    /// Tool sums of each complete block of rows, for tool usage.
    tool_blocks: ToolBlocks,
    /// The dashboard pass's sums of each complete block of rows.
    pass_blocks: PassBlocks,
    models: Interner,
    statuses: Interner,
    emails: Interner,
    tools: Interner,
    agents: Interner,
    /// Whether some row was appended out of the API's order (newest first).
    out_of_order: bool,
    /// The API's order when rows were not appended in it; built on demand.
    order: OnceLock<Vec<u32>>,
}

impl UsageStore {
    /// An empty store.
    pub fn new() -> Self {
        UsageStore::default()
    }

    /// A store holding `rows`.
    pub fn from_rows(rows: Vec<TaskUsage>) -> Self {
        let mut store = UsageStore::new();
        store.append(rows);
        store
    }

    /// Appends a page of rows; the structs are dropped as they are stored.
    pub fn append(&mut self, rows: Vec<TaskUsage>) {
        for row in rows {
            self.push(&row);
        }
    }

    /// Appends one row.
    pub fn push(&mut self, row: &TaskUsage) {
        self.push_ref(&TaskUsageRef::from(row));
    }

    /// Appends rows held elsewhere (the viewer's imported files), as
    /// [`UsageStore::push`] would one by one, but borrowing each through one
    /// reused [`TaskUsageRef`]: no list is allocated per row. After the
    /// first [`RESERVE_AFTER_ROWS`] it reserves room for the rest
    /// ([`UsageStore::reserve`]), so the columns grow once instead of
    /// doubling.
    pub fn push_rows(&mut self, rows: &[TaskUsage]) {
        let mut borrowed = TaskUsageRef::default();
        for (i, row) in rows.iter().enumerate() {
            if i == RESERVE_AFTER_ROWS {
                self.reserve(rows.len() - i);
            }
            borrowed.borrow_from(row);
            self.push_ref(&borrowed);
        }
    }

    /// Appends rows read with borrowed text (load-all's path: a page's
    /// bytes to columns with no `TaskUsage` per row; see
    /// [`UsageStore::append_page_json`]).
    pub fn append_refs(&mut self, rows: &[TaskUsageRef<'_>]) {
        for row in rows {
            self.push_ref(row);
        }
    }

    /// Decodes a task-list page from its bytes straight into the columns,
    /// its text interned or copied from the bytes as it is read (no
    /// `TaskUsage` per row), and says what the page held. All or nothing: a
    /// page that fails to decode appends no row and gives the typed
    /// decoder's error, with its JSON path and `offset`. Rows are appended
    /// as they come: dropping a row repeated across pages is the caller's
    /// (fetch-all's) work.
    ///
    /// ```
    /// use neo_usage_analytics::UsageStore;
    /// let page = br#"{"data":[{"agent_triggers":0,"created_at":"2026-11-01T10:00:00Z","model":"o3",
    ///   "status":"completed","step_count":1,"task_id":"t1","tool_calls":0}],"has_more":false,"total":1}"#;
    /// let mut store = UsageStore::new();
    /// let facts = store.append_page_json(page, Some(0)).unwrap();
    /// assert_eq!((store.len(), facts.total), (1, 1));
    /// assert!(store.append_page_json(b"{\"data\":[{}]}", Some(200)).is_err());
    /// assert_eq!(store.len(), 1);
    /// ```
    pub fn append_page_json(
        &mut self,
        body: &[u8],
        offset: Option<u64>,
    ) -> Result<AppendedPage, NeoUsageError> {
        let page = decode_page_ref(body, offset)?;
        self.append_refs(&page.data);
        Ok(AppendedPage {
            rows: page.data.len(),
            has_more: page.has_more,
            total: page.total,
        })
    }

    /// Appends one row read with borrowed text.
    pub fn push_ref(&mut self, row: &TaskUsageRef<'_>) {
        let at = self.created_ms.len();
        u32::try_from(at + 1).expect("fewer than 2^32 rows");
        let ms = row.created_at.timestamp_millis();
        if !self.out_of_order && at > 0 {
            self.out_of_order = !self.follows_in_api_order(at - 1, ms, row);
        }
        self.order = OnceLock::new();
        if !is_whole_ms(&row.created_at) {
            self.created_exact.push(at, row.created_at);
        }
        self.created_ms.push(ms);
        self.task_id.push(&row.task_id);
        self.model.push(self.models.intern(&row.model));
        self.status.push(self.statuses.intern(&row.status));
        let email = row
            .email
            .as_deref()
            .map_or(NO_EMAIL, |e| self.emails.intern(e));
        self.email.push(email);
        self.push_counts(row);
        self.error_message.push(row.error_message.as_deref());
        self.stream_id.push(row.stream_id.as_deref());
        self.task_title.push(row.task_title.as_deref());
        self.push_agents(&row.agent_breakdown);
        // The history first: the breakdown is checked against its
        // interned tools.
        self.push_history(ms, &row.tool_call_history);
        self.push_breakdown(at, &row.tool_breakdown);
        let v = RowValues::read(self, at);
        let keys = [self.model[at], self.status[at], email, u32::from(v.byok)];
        self.pass_blocks.add_row(ms, keys, &v);
        if self.len() % BLOCK_ROWS == 0 {
            self.close_tool_block();
            self.pass_blocks.close();
        }
    }

    /// Records the tool sums of the block of rows the last row completed
    /// ([`ToolBlocks`]): summed when every row of it counts its tools from
    /// its history and every call is compact.
    fn close_tool_block(&mut self) {
        let rows = self.len() - BLOCK_ROWS..self.len();
        let from_history = rows.clone().all(|i| self.counts_tools_from_history(i));
        let (tools, durations) = self.call_columns(self.calls_of_rows(rows));
        let per_tool = (from_history && !durations.contains(&WIDE_CALL)).then(|| {
            let mut per_tool = vec![[0u64; 2]; self.tools.len()];
            for (&tool, &ms) in tools.iter().zip(durations) {
                // Compact: fewer than 2^32 calls of under 2^32 ms each.
                let sums = &mut per_tool[usize::from(tool)];
                sums[0] += 1;
                sums[1] += u64::from(ms);
            }
            per_tool
        });
        self.tool_blocks.push(per_tool.as_deref());
    }

    /// Whether `row`, created at `ms`, comes after row `prev` in the API's
    /// order (newest first, then task id descending). Judged on the
    /// milliseconds when they differ and neither row is held exactly: no
    /// instant is rebuilt for the row before. A leap second (held exactly)
    /// has the milliseconds of the half second after it, so its order is
    /// judged on the instants.
    fn follows_in_api_order(&self, prev: usize, ms: i64, row: &TaskUsageRef<'_>) -> bool {
        let prev_ms = self.created_ms[prev];
        let by_ms = prev_ms != ms
            && is_whole_ms(&row.created_at)
            && self.created_exact.last_position() != Some(prev);
        if by_ms {
            prev_ms > ms
        } else {
            (self.created_at(prev), self.task_id(prev)) > (row.created_at, &*row.task_id)
        }
    }

    /// The row's numbers, flag and amounts.
    fn push_counts(&mut self, row: &TaskUsageRef<'_>) {
        self.agent_triggers.push(row.agent_triggers);
        self.step_count.push(row.step_count);
        self.tool_calls.push(row.tool_calls);
        self.avg_step_latency_ms.push(row.avg_step_latency_ms);
        self.llm_time_ms.push(row.llm_time_ms);
        self.stream_count.push(row.stream_count);
        self.tool_time_ms.push(row.tool_time_ms);
        self.total_execution_ms.push(row.total_execution_ms);
        self.is_byok.push(match row.is_byok {
            None => BYOK_ABSENT,
            Some(false) => BYOK_FALSE,
            Some(true) => BYOK_TRUE,
        });
        self.neo_credits.push(row.neo_credits);
        self.llm_cost.push(row.llm_cost);
        self.neo_cost.push(row.neo_cost);
    }

    fn push_agents(&mut self, agents: &[(Cow<'_, str>, u64)]) {
        for (name, count) in agents {
            self.agent_name.push(self.agents.intern(name));
            self.agent_count.push(*count);
        }
        self.agents_end.push(end_of(self.agent_name.len()));
    }

    /// Row `i`'s breakdown, after its history ([`UsageStore::push_history`]).
    fn push_breakdown(&mut self, i: usize, breakdown: &[(Cow<'_, str>, ToolStat)]) {
        let derived = self.is_breakdown_of_history(i, breakdown);
        self.breakdown_derived.push(derived);
        if derived {
            self.breakdown_end.push(end_of(self.breakdown_tool.len()));
            return;
        }
        for (name, stat) in breakdown {
            self.breakdown_tool.push(self.tools.intern(name));
            self.breakdown_calls.push(stat.calls);
            self.breakdown_ms.push(stat.duration_ms);
        }
        self.breakdown_end.push(end_of(self.breakdown_tool.len()));
    }

    fn push_history(&mut self, created_ms: i64, history: &[ToolCallRef<'_>]) {
        for (position, call) in history.iter().enumerate() {
            let tool = self.tools.intern(&call.tool_name);
            let offset = call
                .timestamp
                .checked_sub(created_ms)
                .and_then(|d| i32::try_from(d).ok());
            let compact = (
                u16::try_from(tool).ok().filter(|t| *t < u16::MAX),
                u32::try_from(call.duration_ms)
                    .ok()
                    .filter(|d| *d < WIDE_CALL),
                offset,
            );
            match compact {
                (Some(t), Some(d), Some(o)) if call.index == position as u64 => {
                    self.call_tool.push(t);
                    self.call_ms.push(d);
                    self.call_offset_ms.push(o);
                }
                _ => {
                    let wide = WideCall {
                        tool,
                        duration_ms: call.duration_ms,
                        index: call.index,
                        timestamp: call.timestamp,
                    };
                    self.call_wide.push(self.call_ms.len(), wide);
                    self.call_tool.push(u16::MAX);
                    self.call_ms.push(WIDE_CALL);
                    self.call_offset_ms.push(0);
                }
            }
        }
        self.history_end.push(end_of(self.call_ms.len()));
    }

    /// Reserves room for `rows` more rows, so the columns grow once instead
    /// of doubling (wasm memory never shrinks): per-row columns exactly, text
    /// and flattened lists by the average of the rows held so far (call it
    /// after the first page, with the query's `total`).
    pub fn reserve(&mut self, rows: usize) {
        let held = self.len().max(1);
        let scaled = |len: usize| len.div_ceil(held).saturating_mul(rows) / 20 * 21;
        self.created_ms.reserve_exact(rows);
        self.task_id.reserve(rows, scaled(self.task_id.text_len()));
        for ids in [
            &mut self.model,
            &mut self.status,
            &mut self.email,
            &mut self.agents_end,
            &mut self.breakdown_end,
            &mut self.history_end,
        ] {
            ids.reserve_exact(rows);
        }
        for packed in [
            &mut self.agent_triggers,
            &mut self.step_count,
            &mut self.tool_calls,
        ] {
            packed.reserve(rows);
        }
        for packed in [
            &mut self.avg_step_latency_ms,
            &mut self.llm_time_ms,
            &mut self.stream_count,
            &mut self.tool_time_ms,
            &mut self.total_execution_ms,
        ] {
            packed.reserve(rows);
        }
        self.is_byok.reserve_exact(rows);
        self.breakdown_derived.reserve_exact(rows);
        for money in [
            &mut self.neo_credits,
            &mut self.llm_cost,
            &mut self.neo_cost,
        ] {
            money.reserve(rows);
        }
        for text in [
            &mut self.error_message,
            &mut self.stream_id,
            &mut self.task_title,
        ] {
            let bytes = scaled(text.text_len());
            text.reserve(rows, bytes);
        }
        let agents = scaled(self.agent_name.len());
        self.agent_name.reserve_exact(agents);
        self.agent_count.reserve(agents);
        let tools = scaled(self.breakdown_tool.len());
        self.breakdown_tool.reserve_exact(tools);
        self.breakdown_calls.reserve(tools);
        self.breakdown_ms.reserve(tools);
        let calls = scaled(self.call_ms.len());
        self.call_ms.reserve_exact(calls);
        self.call_tool.reserve_exact(calls);
        self.call_offset_ms.reserve_exact(calls);
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.created_ms.len()
    }

    /// Whether the store holds no row.
    pub fn is_empty(&self) -> bool {
        self.created_ms.is_empty()
    }

    /// Row `i` exactly as it was appended (panics when `i >= len()`).
    pub fn row(&self, i: usize) -> TaskUsage {
        self.row_ref(i).into_owned()
    }

    /// Row `i` with its text borrowed from the store (panics when
    /// `i >= len()`): what [`UsageStore::push_ref`] takes, so rows move
    /// from store to store without owning a string.
    pub fn row_ref(&self, i: usize) -> TaskUsageRef<'_> {
        fn text(t: Option<&str>) -> Option<Cow<'_, str>> {
            t.map(Cow::Borrowed)
        }
        TaskUsageRef {
            agent_triggers: self.agent_triggers.get(i),
            created_at: self.created_at(i),
            model: Cow::Borrowed(self.model(i)),
            status: Cow::Borrowed(self.statuses.name(self.status[i])),
            step_count: self.step_count.get(i),
            task_id: Cow::Borrowed(self.task_id(i)),
            tool_calls: self.tool_calls.get(i),
            agent_breakdown: self.agent_entries(i),
            avg_step_latency_ms: self.avg_step_latency_ms.get(i),
            email: text(self.email(i)),
            error_message: text(self.error_message.get(i)),
            is_byok: match self.is_byok[i] {
                BYOK_ABSENT => None,
                b => Some(b == BYOK_TRUE),
            },
            llm_cost: self.llm_cost.value(i),
            llm_time_ms: self.llm_time_ms.get(i),
            neo_cost: self.neo_cost.value(i),
            neo_credits: self.neo_credits.value(i),
            stream_count: self.stream_count.get(i),
            stream_id: text(self.stream_id.get(i)),
            task_title: text(self.task_title.get(i)),
            tool_breakdown: self.breakdown_entries(i),
            tool_call_history: self.history_refs(i),
            tool_time_ms: self.tool_time_ms.get(i),
            total_execution_ms: self.total_execution_ms.get(i),
        }
    }

    /// Rows `indices`, in that order (a table page, an export).
    pub fn rows(&self, indices: &[u32]) -> Vec<TaskUsage> {
        indices.iter().map(|&i| self.row(i as usize)).collect()
    }

    /// When row `i` was created, exactly.
    pub fn created_at(&self, i: usize) -> DateTime<Utc> {
        match self.created_exact.get(i) {
            Some(exact) => *exact,
            None => DateTime::from_timestamp_millis(self.created_ms[i]).unwrap_or_default(),
        }
    }

    /// When row `i` was created, in Unix milliseconds (sub-millisecond
    /// digits dropped).
    #[inline(always)]
    pub fn created_ms(&self, i: usize) -> i64 {
        self.created_ms[i]
    }

    /// Whether every value the dashboard sums is held compactly: money
    /// under 2^31 units and counts under 2^32 in magnitude, so that a row
    /// adds under 2^35 to any of its sums.
    pub fn sums_are_compact(&self) -> bool {
        self.neo_credits.is_compact()
            && self.llm_cost.is_compact()
            && self.neo_cost.is_compact()
            && self.tool_calls.is_compact()
            && self.step_count.is_compact()
            && self.agent_triggers.is_compact()
            && self.total_execution_ms.is_compact()
    }

    /// `total_execution_ms` of row `i`.
    pub fn row_duration_ms(&self, i: usize) -> Option<u64> {
        self.total_execution_ms.get(i)
    }

    /// The task id of row `i`.
    pub fn task_id(&self, i: usize) -> &str {
        self.task_id.get(i)
    }

    /// Whether row `i`'s task id may hold a search with these pairs
    /// (`false`: it cannot; see [`crate::task_ids`]).
    #[inline]
    pub fn task_id_may_hold(&self, i: usize, needle: NeedlePairs) -> bool {
        self.task_id.may_hold(i, needle)
    }

    /// The model of row `i`.
    pub fn model(&self, i: usize) -> &str {
        self.models.name(self.model[i])
    }

    /// The status of row `i`.
    pub fn status(&self, i: usize) -> TaskStatus {
        TaskStatus::parse(self.statuses.name(self.status[i]))
    }

    /// The email of row `i`, when present.
    pub fn email(&self, i: usize) -> Option<&str> {
        match self.email[i] {
            NO_EMAIL => None,
            id => Some(self.emails.name(id)),
        }
    }

    /// Whether row `i` ran on the customer's own key (absent counts as not).
    #[inline(always)]
    pub fn is_byok(&self, i: usize) -> bool {
        self.is_byok[i] == BYOK_TRUE
    }

    /// The agent breakdown of row `i`.
    pub fn agent_breakdown(&self, i: usize) -> SortedMap<String, u64> {
        self.agent_entries(i)
            .into_iter()
            .map(|(name, n)| (name.into_owned(), n))
            .collect()
    }

    fn agent_entries(&self, i: usize) -> Vec<(Cow<'_, str>, u64)> {
        range_of(&self.agents_end, i)
            .map(|k| {
                let name = self.agents.name(self.agent_name[k]);
                (Cow::Borrowed(name), self.agent_count.get(k))
            })
            .collect()
    }

    /// The tool breakdown of row `i`.
    pub fn tool_breakdown(&self, i: usize) -> SortedMap<String, ToolStat> {
        self.breakdown_entries(i)
            .into_iter()
            .map(|(name, stat)| (name.into_owned(), stat))
            .collect()
    }

    /// The tool breakdown of row `i`, sorted by name; a derived one added
    /// up from the history.
    fn breakdown_entries(&self, i: usize) -> Vec<(Cow<'_, str>, ToolStat)> {
        if self.breakdown_derived[i] {
            let mut out: SortedMap<&str, ToolStat> = SortedMap::new();
            self.for_each_call(i, |tool, ms| {
                let stat = out.entry(self.tools.name(tool)).or_default();
                stat.calls = Some(stat.calls.unwrap_or(0) + 1);
                stat.duration_ms = Some(stat.duration_ms.unwrap_or(0) + ms);
            });
            return out
                .into_iter()
                .map(|(n, s)| (Cow::Borrowed(n), s))
                .collect();
        }
        range_of(&self.breakdown_end, i)
            .map(|k| {
                let stat = ToolStat {
                    calls: self.breakdown_calls.get(k),
                    duration_ms: self.breakdown_ms.get(k),
                };
                (Cow::Borrowed(self.tools.name(self.breakdown_tool[k])), stat)
            })
            .collect()
    }

    /// The tool call history of row `i`.
    pub fn tool_call_history(&self, i: usize) -> Vec<ToolCall> {
        self.history_refs(i)
            .into_iter()
            .map(ToolCallRef::into_owned)
            .collect()
    }

    fn history_refs(&self, i: usize) -> Vec<ToolCallRef<'_>> {
        let created = self.created_ms[i];
        let range = range_of(&self.history_end, i);
        let first = range.start;
        range
            .map(|k| {
                let (tool, duration_ms, index, timestamp) = self.call(k, first, created);
                ToolCallRef {
                    duration_ms,
                    index,
                    timestamp,
                    tool_name: Cow::Borrowed(self.tools.name(tool)),
                }
            })
            .collect()
    }

    /// Call `k` of the shared history: tool, duration, index, timestamp.
    fn call(&self, k: usize, first: usize, created_ms: i64) -> (Sym, u64, u64, i64) {
        match self.call_ms[k] {
            WIDE_CALL => {
                let w = self.call_wide.get(k).copied().unwrap_or(WideCall {
                    tool: 0,
                    duration_ms: 0,
                    index: 0,
                    timestamp: 0,
                });
                (w.tool, w.duration_ms, w.index, w.timestamp)
            }
            ms => (
                Sym::from(self.call_tool[k]),
                u64::from(ms),
                (k - first) as u64,
                created_ms + i64::from(self.call_offset_ms[k]),
            ),
        }
    }

    /// The calls of the histories of the consecutive rows `rows` (empty
    /// for no row): they follow each other in the shared history.
    pub(crate) fn calls_of_rows(&self, rows: std::ops::Range<usize>) -> std::ops::Range<usize> {
        match rows.end.checked_sub(1) {
            Some(last) if !rows.is_empty() => {
                range_of(&self.history_end, rows.start).start..self.history_end[last] as usize
            }
            _ => 0..0,
        }
    }

    /// Whether row `i`'s tools are counted from its history: its breakdown
    /// is the history's or empty.
    #[inline(always)]
    pub(crate) fn counts_tools_from_history(&self, i: usize) -> bool {
        self.breakdown_derived[i] || range_of(&self.breakdown_end, i).is_empty()
    }

    /// The tool ids and `[calls, time_ms]` of block `b` (rows `b *`
    /// [`BLOCK_ROWS`] on) when it is complete and summed: the sums of its
    /// rows' history calls, each tool once.
    pub(crate) fn tool_block(&self, b: usize) -> Option<(&[u16], &[[u64; 2]])> {
        self.tool_blocks.block(b)
    }

    /// The dashboard pass's sums of block `b` (rows `b *` [`BLOCK_ROWS`]
    /// on) when it is complete.
    pub(crate) fn pass_block(&self, b: usize) -> Option<PassBlock<'_>> {
        self.pass_blocks.block(b)
    }

    /// The oldest and newest `created_at` (UTC ms) of `rows`, `None` when
    /// empty. A whole block of a contiguous run is taken by its span.
    ///
    /// ```
    /// use neo_usage::{TaskStatus, TaskUsage};
    /// use neo_usage_analytics::{Selection, UsageStore};
    /// let at = |s: &str| s.parse().unwrap();
    /// let store = UsageStore::from_rows(vec![
    ///     TaskUsage::new("b", at("2026-11-02T00:00:00Z"), "o3", TaskStatus::Completed),
    ///     TaskUsage::new("a", at("2026-11-01T00:00:00Z"), "o3", TaskStatus::Completed),
    /// ]);
    /// let (oldest, newest) = store.created_span(&Selection::all(&store)).unwrap();
    /// assert_eq!(newest - oldest, 86_400_000);
    /// assert_eq!(store.created_span(&Selection::from_indices(vec![])), None);
    /// ```
    pub fn created_span(&self, rows: &Selection) -> Option<(i64, i64)> {
        let mut span = (i64::MAX, i64::MIN);
        let mut take = |[oldest, newest]: [i64; 2]| {
            span = (span.0.min(oldest), span.1.max(newest));
        };
        for chunk in rows.indices().chunks(RUN_ROWS) {
            match run_start(chunk) {
                Some(start) => self.run_span(start..start + chunk.len(), &mut take),
                None => chunk.iter().for_each(|&i| {
                    let ms = self.created_ms[i as usize];
                    take([ms, ms]);
                }),
            }
        }
        (!rows.is_empty()).then_some(span)
    }

    /// Gives `take` the spans of the rows `run`: each complete block's,
    /// and each other row's instant.
    fn run_span(&self, run: std::ops::Range<usize>, take: &mut impl FnMut([i64; 2])) {
        let mut i = run.start;
        while i < run.end {
            let block = (i % BLOCK_ROWS == 0 && i + BLOCK_ROWS <= run.end)
                .then(|| self.pass_blocks.span(i / BLOCK_ROWS))
                .flatten();
            match block {
                Some(span) => {
                    take(span);
                    i += BLOCK_ROWS;
                }
                None => {
                    take([self.created_ms[i]; 2]);
                    i += 1;
                }
            }
        }
    }

    /// Tool ids and durations (with [`WIDE_CALL`] marking a call kept
    /// whole) of the calls `calls` of the shared history.
    #[inline(always)]
    pub(crate) fn call_columns(&self, calls: std::ops::Range<usize>) -> (&[u16], &[u32]) {
        (&self.call_tool[calls.clone()], &self.call_ms[calls])
    }

    /// The tool and duration of call `k`, when it is kept whole.
    pub(crate) fn wide_call(&self, k: usize) -> Option<(Sym, u64)> {
        self.call_wide.get(k).map(|w| (w.tool, w.duration_ms))
    }

    /// Calls `f(tool, duration_ms)` for every call in row `i`'s history.
    #[inline(always)]
    pub(crate) fn for_each_call(&self, i: usize, mut f: impl FnMut(Sym, u64)) {
        let range = range_of(&self.history_end, i);
        let start = range.start;
        let tools = &self.call_tool[range.clone()];
        let durations = &self.call_ms[range];
        for (k, (&tool, &ms)) in tools.iter().zip(durations).enumerate() {
            if ms == WIDE_CALL {
                if let Some(w) = self.call_wide.get(start + k) {
                    f(w.tool, w.duration_ms);
                }
            } else {
                f(Sym::from(tool), u64::from(ms));
            }
        }
    }

    /// Whether `breakdown` is exactly what row `i`'s stored history adds
    /// up to: each tool's calls and total duration, every field present.
    /// Tools are compared by interned id, without allocating: a name the
    /// history never used is not interned, so it cannot match.
    fn is_breakdown_of_history(&self, i: usize, breakdown: &[(Cow<'_, str>, ToolStat)]) -> bool {
        let calls = range_of(&self.history_end, i).len();
        if calls == 0 {
            return false;
        }
        let mut counted = 0;
        for (name, stat) in breakdown {
            let (Some(want_calls), Some(want_ms), Some(tool)) =
                (stat.calls, stat.duration_ms, self.tools.lookup(name))
            else {
                return false;
            };
            let (mut n, mut total) = (0u64, Some(0u64));
            self.for_each_call(i, |t, ms| {
                if t == tool {
                    n += 1;
                    total = total.and_then(|sum| sum.checked_add(ms));
                }
            });
            if n == 0 || n != want_calls || total != Some(want_ms) {
                return false;
            }
            counted += n;
        }
        counted == calls as u64
    }

    /// Whether some row has task id `task_id` (a linear scan).
    pub fn contains_task(&self, task_id: &str) -> bool {
        self.task_index(task_id).is_some()
    }

    /// The first row whose task id is `task_id` (a linear scan).
    pub fn task_index(&self, task_id: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.task_id.get(i) == task_id)
    }

    /// The distinct models, in first-seen order (ids index this list).
    pub fn models(&self) -> &Interner {
        &self.models
    }

    /// The distinct statuses (wire form), in first-seen order.
    pub fn statuses(&self) -> &Interner {
        &self.statuses
    }

    /// The distinct member emails, in first-seen order.
    pub fn emails(&self) -> &Interner {
        &self.emails
    }

    /// The distinct tool names (breakdowns and histories), first-seen order.
    pub fn tools(&self) -> &Interner {
        &self.tools
    }

    /// Every row index in the API's order: `created_at` descending, then
    /// `task_id` descending (byte order, as the reference server sorts).
    /// Free when rows were appended in that order, as fetch-all delivers
    /// them; otherwise sorted once and kept until the next append.
    pub fn api_order(&self) -> std::borrow::Cow<'_, [u32]> {
        if !self.out_of_order {
            return (0..self.len() as u32).collect::<Vec<u32>>().into();
        }
        self.order
            .get_or_init(|| {
                // Imported rows only (fetch-all appends in order): the
                // shared sort, not a copy of the standard one (15.8 kB of
                // wasm with this comparison inlined at opt-level 3).
                let mut order: Vec<u32> = (0..self.len() as u32).collect();
                sort_stable_by(&mut order, |&a, &b| {
                    let key = |i: u32| (self.created_at(i as usize), self.task_id(i as usize));
                    key(b).cmp(&key(a))
                });
                order
            })
            .as_slice()
            .into()
    }

    /// Whether rows were appended in the API's order.
    pub fn is_in_api_order(&self) -> bool {
        !self.out_of_order
    }

    /// Frees spare capacity (call once the last page is in).
    pub fn shrink_to_fit(&mut self) {
        self.created_ms.shrink_to_fit();
        self.created_exact.shrink_to_fit();
        self.task_id.shrink_to_fit();
        for ids in [
            &mut self.model,
            &mut self.status,
            &mut self.email,
            &mut self.agents_end,
            &mut self.agent_name,
            &mut self.breakdown_end,
            &mut self.breakdown_tool,
            &mut self.history_end,
            &mut self.call_ms,
        ] {
            ids.shrink_to_fit();
        }
        for packed in [
            &mut self.agent_triggers,
            &mut self.step_count,
            &mut self.tool_calls,
            &mut self.agent_count,
        ] {
            packed.shrink_to_fit();
        }
        for packed in [
            &mut self.avg_step_latency_ms,
            &mut self.llm_time_ms,
            &mut self.stream_count,
            &mut self.tool_time_ms,
            &mut self.total_execution_ms,
            &mut self.breakdown_calls,
            &mut self.breakdown_ms,
        ] {
            packed.shrink_to_fit();
        }
        self.is_byok.shrink_to_fit();
        self.breakdown_derived.shrink_to_fit();
        for money in [
            &mut self.neo_credits,
            &mut self.llm_cost,
            &mut self.neo_cost,
        ] {
            money.shrink_to_fit();
        }
        for text in [
            &mut self.error_message,
            &mut self.stream_id,
            &mut self.task_title,
        ] {
            text.shrink_to_fit();
        }
        self.call_tool.shrink_to_fit();
        self.call_offset_ms.shrink_to_fit();
        self.call_wide.shrink_to_fit();
        self.tool_blocks.shrink_to_fit();
        self.pass_blocks.shrink_to_fit();
    }

    /// Bytes the store holds on the heap, counting every vector's capacity
    /// (what it costs in wasm memory, allocator overhead aside).
    pub fn heap_bytes(&self) -> usize {
        let ids = [
            &self.model,
            &self.status,
            &self.email,
            &self.agents_end,
            &self.agent_name,
            &self.breakdown_end,
            &self.breakdown_tool,
            &self.history_end,
            &self.call_ms,
        ]
        .iter()
        .map(|v| v.capacity() * 4)
        .sum::<usize>();
        let packed = [
            &self.agent_triggers,
            &self.step_count,
            &self.tool_calls,
            &self.agent_count,
        ]
        .iter()
        .map(|p| p.heap_bytes())
        .sum::<usize>()
            + [
                &self.avg_step_latency_ms,
                &self.llm_time_ms,
                &self.stream_count,
                &self.tool_time_ms,
                &self.total_execution_ms,
                &self.breakdown_calls,
                &self.breakdown_ms,
            ]
            .iter()
            .map(|p| p.heap_bytes())
            .sum::<usize>();
        let money = [&self.neo_credits, &self.llm_cost, &self.neo_cost]
            .iter()
            .map(|m| m.heap_bytes())
            .sum::<usize>();
        let text = self.task_id.heap_bytes()
            + [&self.error_message, &self.stream_id, &self.task_title]
                .iter()
                .map(|t| t.heap_bytes())
                .sum::<usize>();
        let names = [
            &self.models,
            &self.statuses,
            &self.emails,
            &self.tools,
            &self.agents,
        ]
        .iter()
        .map(|n| n.heap_bytes())
        .sum::<usize>();
        let calls = self.call_tool.capacity() * 2
            + self.call_offset_ms.capacity() * 4
            + self.call_wide.heap_bytes()
            + self.tool_blocks.heap_bytes()
            + self.pass_blocks.heap_bytes();
        let order = self.order.get().map_or(0, |o| o.capacity() * 4);
        self.created_ms.capacity() * 8
            + self.created_exact.heap_bytes()
            + self.is_byok.capacity()
            + self.breakdown_derived.capacity()
            + ids
            + packed
            + money
            + text
            + names
            + calls
            + order
    }

    /// Sum of the row indices' range lengths of the flattened lists, for
    /// reports: (agent entries, tool breakdown entries, tool calls).
    pub fn flattened_lens(&self) -> (usize, usize, usize) {
        (
            self.agent_name.len(),
            self.breakdown_tool.len(),
            self.call_ms.len(),
        )
    }
}

/// An end offset for the per-row range vectors.
fn end_of(len: usize) -> u32 {
    u32::try_from(len).expect("fewer than 2^32 flattened entries")
}

/// The range of row `i` in a flattened list with per-row end offsets.
#[inline(always)]
pub(crate) fn range_of(ends: &[u32], i: usize) -> std::ops::Range<usize> {
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    start..ends[i] as usize
}

/// Whether `at` is exactly its Unix milliseconds: no digit below the
/// millisecond, and not a leap second (whose milliseconds are those of the
/// second after it).
pub(crate) fn is_whole_ms(at: &DateTime<Utc>) -> bool {
    let nanos = at.timestamp_subsec_nanos();
    nanos < 1_000_000_000 && nanos % 1_000_000 == 0
}
