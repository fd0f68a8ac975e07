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
    // Per tool: calls, time, and whether some row names it.
    let mut sums = vec![(0u64, 0u64, false); tools.len()];
    let mut add = |tool: usize, calls: u64, ms: u64| {
        let s = &mut sums[tool];
        s.0 = s.0.saturating_add(calls);
        s.1 = s.1.saturating_add(ms);
        s.2 = true;
    };
    for i in rows.iter() {
        let breakdown = range_of(&store.breakdown_end, i);
        if store.breakdown_derived[i] || breakdown.is_empty() {
            let (ids, durations, first) = store.history_columns(i);
            for (k, (&tool, &ms)) in ids.iter().zip(durations).enumerate() {
                if ms == WIDE_CALL {
                    if let Some((tool, ms)) = store.wide_call(first + k) {
                        add(tool as usize, 1, ms);
                    }
                } else {
                    add(usize::from(tool), 1, u64::from(ms));
                }
            }
        } else {
            for k in breakdown {
                add(
                    store.breakdown_tool[k] as usize,
                    store.breakdown_calls.get_or_zero(k),
                    store.breakdown_ms.get_or_zero(k),
                );
            }
        }
    }
    sums.into_iter()
        .enumerate()
        .filter(|(_, s)| s.2)
        .map(|(t, (calls, duration_ms, _))| ToolUsage {
            name: tools.name(t as u32).to_owned(),
            calls,
            duration_ms,
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
