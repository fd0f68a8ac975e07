//! Tool usage: calls and time per tool, from each row's `tool_breakdown`,
//! or its `tool_call_history` when the breakdown is empty.

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

/// Every tool's calls and time over `rows`, in tool-id order; a missing
/// `calls` or `duration_ms` in a breakdown counts as 0.
pub fn tool_usage(store: &UsageStore, rows: &Selection) -> Vec<ToolUsage> {
    let tools = store.tools();
    // Per tool: calls and time (two flat arrays: the history loop below is
    // the hottest of the dashboard), and whether a breakdown names it.
    let mut calls = vec![0u64; tools.len()];
    let mut time = vec![0u64; tools.len()];
    let mut named = vec![false; tools.len()];
    for i in rows.iter() {
        let breakdown = range_of(&store.breakdown_end, i);
        if store.breakdown_derived[i] || breakdown.is_empty() {
            let (ids, durations, first) = store.history_columns(i);
            for (k, (&tool, &ms)) in ids.iter().zip(durations).enumerate() {
                if ms == WIDE_CALL {
                    if let Some((tool, ms)) = store.wide_call(first + k) {
                        let t = tool as usize;
                        calls[t] = calls[t].saturating_add(1);
                        time[t] = time[t].saturating_add(ms);
                    }
                } else {
                    // Compact calls are under 2^32 ms each and there are
                    // fewer than 2^32 of them: these sums cannot overflow.
                    calls[usize::from(tool)] += 1;
                    time[usize::from(tool)] += u64::from(ms);
                }
            }
        } else {
            for k in breakdown {
                let t = store.breakdown_tool[k] as usize;
                calls[t] = calls[t].saturating_add(store.breakdown_calls.get_or_zero(k));
                time[t] = time[t].saturating_add(store.breakdown_ms.get_or_zero(k));
                named[t] = true;
            }
        }
    }
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
