//! Tool usage: calls and time per tool, from each row's `tool_breakdown`,
//! or its `tool_call_history` when the breakdown is empty.

use std::ops::Range;

use crate::select::Selection;
use crate::store::{range_of, UsageStore, WIDE_CALL};

/// One tool's calls and time over a set of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolUsage {
    /// Tool name.
    pub name: String,
    /// Calls.
    pub calls: u64,
    /// Total duration of the calls, milliseconds.
    pub duration_ms: u64,
}

/// The most used tools.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TopTools {
    /// At most N tools, most calls first (then most time, then name).
    pub by_calls: Vec<ToolUsage>,
    /// At most N tools, most time first (then most calls, then name).
    pub by_time: Vec<ToolUsage>,
    /// Distinct tools used in the rows.
    pub distinct: usize,
}

/// Calls and time per tool id: two flat arrays (the history loop is the
/// hottest of the dashboard), and whether a breakdown names the tool.
struct ToolSums {
    calls: Vec<u64>,
    time: Vec<u64>,
    named: Vec<bool>,
}

impl ToolSums {
    fn new(tools: usize) -> Self {
        ToolSums {
            calls: vec![0; tools],
            time: vec![0; tools],
            named: vec![false; tools],
        }
    }

    /// Adds the calls `calls` of the shared history (the histories of
    /// consecutive rows follow each other there: one flat loop for a run).
    fn add_history(&mut self, store: &UsageStore, calls: Range<usize>) {
        let first = calls.start;
        let (ids, durations) = store.call_columns(calls);
        for (k, (&tool, &ms)) in ids.iter().zip(durations).enumerate() {
            if ms == WIDE_CALL {
                if let Some((tool, ms)) = store.wide_call(first + k) {
                    let t = tool as usize;
                    self.calls[t] = self.calls[t].saturating_add(1);
                    self.time[t] = self.time[t].saturating_add(ms);
                }
            } else {
                // Compact calls are under 2^32 ms each and there are fewer
                // than 2^32 of them: these sums cannot overflow.
                self.calls[usize::from(tool)] += 1;
                self.time[usize::from(tool)] += u64::from(ms);
            }
        }
    }

    /// Adds row `i`'s stored breakdown.
    fn add_breakdown(&mut self, store: &UsageStore, i: usize) {
        for k in range_of(&store.breakdown_end, i) {
            let t = store.breakdown_tool[k] as usize;
            self.calls[t] = self.calls[t].saturating_add(store.breakdown_calls.get_or_zero(k));
            self.time[t] = self.time[t].saturating_add(store.breakdown_ms.get_or_zero(k));
            self.named[t] = true;
        }
    }
}

/// Whether row `i`'s tools are counted from its history: its breakdown is
/// the history's or empty.
#[inline(always)]
fn uses_history(store: &UsageStore, i: usize) -> bool {
    store.breakdown_derived[i] || range_of(&store.breakdown_end, i).is_empty()
}

/// How many rows from position `k` of `rows` are consecutive store rows
/// counted from their history (0 when row `k` is not).
fn history_run(store: &UsageStore, rows: &[u32], k: usize) -> usize {
    let first = rows[k] as usize;
    rows[k..]
        .iter()
        .enumerate()
        .take_while(|&(n, &i)| i as usize == first + n && uses_history(store, i as usize))
        .count()
}

/// Every tool's calls and time over `rows`, in tool-id order; a missing
/// `calls` or `duration_ms` in a breakdown counts as 0.
pub fn tool_usage(store: &UsageStore, rows: &Selection) -> Vec<ToolUsage> {
    let tools = store.tools();
    let mut sums = ToolSums::new(tools.len());
    let rows = rows.indices();
    let mut k = 0;
    while k < rows.len() {
        let run = history_run(store, rows, k);
        let first = rows[k] as usize;
        if run == 0 {
            sums.add_breakdown(store, first);
            k += 1;
        } else {
            sums.add_history(store, store.calls_of_rows(first..first + run));
            k += run;
        }
    }
    let ToolSums { calls, time, named } = sums;
    (0..tools.len())
        .filter(|&t| named[t] || calls[t] > 0)
        .map(|t| ToolUsage {
            name: tools.name(t as u32).to_owned(),
            calls: calls[t],
            duration_ms: time[t],
        })
        .collect()
}

/// The `n` tools with most calls and the `n` with most time over `rows`.
pub fn top_tools(store: &UsageStore, rows: &Selection, n: usize) -> TopTools {
    let all = tool_usage(store, rows);
    let mut by_calls = all.clone();
    by_calls.sort_by(|a, b| {
        (b.calls, b.duration_ms)
            .cmp(&(a.calls, a.duration_ms))
            .then_with(|| a.name.cmp(&b.name))
    });
    by_calls.truncate(n);
    let distinct = all.len();
    let mut by_time = all;
    by_time.sort_by(|a, b| {
        (b.duration_ms, b.calls)
            .cmp(&(a.duration_ms, a.calls))
            .then_with(|| a.name.cmp(&b.name))
    });
    by_time.truncate(n);
    TopTools {
        by_calls,
        by_time,
        distinct,
    }
}
