//! Tool usage: calls and time per tool, from each row's `tool_breakdown`,
//! or its `tool_call_history` when the breakdown is empty.

use neo_usage::sorting::sort_stable_by;
use std::ops::Range;

use crate::select::Selection;
use crate::store::{range_of, UsageStore, WIDE_CALL};
use crate::tool_blocks::BLOCK_ROWS;

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

/// Calls and time per tool id, and whether a breakdown names the tool.
///
/// The history loop is the hottest of the dashboard, and consecutive calls
/// are often of one tool: each add would wait for the one before it. So
/// calls alternate between two sets of sums (`[calls, time_ms]` side by
/// side: one bounds check per call), added together at the end. Those two
/// hold compact calls only, so they never pass u64 and add plainly; what
/// may (a breakdown's or a whole call's time) is added, saturating, to a
/// third set.
struct ToolSums {
    even: Vec<[u64; 2]>,
    odd: Vec<[u64; 2]>,
    saturating: Vec<[u64; 2]>,
    named: Vec<bool>,
}

impl ToolSums {
    fn new(tools: usize) -> Self {
        ToolSums {
            even: vec![[0; 2]; tools],
            odd: vec![[0; 2]; tools],
            saturating: vec![[0; 2]; tools],
            named: vec![false; tools],
        }
    }

    /// Adds the histories of the consecutive rows `rows`: each complete,
    /// summed block of them by its sums ([`UsageStore::tool_block`]), the
    /// rest call by call.
    fn add_history_rows(&mut self, store: &UsageStore, rows: Range<usize>) {
        let mut pending = rows.start;
        let mut block_start = rows.start.next_multiple_of(BLOCK_ROWS);
        while block_start + BLOCK_ROWS <= rows.end {
            if let Some((tools, sums)) = store.tool_block(block_start / BLOCK_ROWS) {
                self.add_history(store, store.calls_of_rows(pending..block_start));
                self.add_block(tools, sums);
                pending = block_start + BLOCK_ROWS;
            }
            block_start += BLOCK_ROWS;
        }
        self.add_history(store, store.calls_of_rows(pending..rows.end));
    }

    /// Adds a block's sums.
    fn add_block(&mut self, tools: &[u16], block: &[[u64; 2]]) {
        for (&tool, &[calls, ms]) in tools.iter().zip(block) {
            add_saturating(&mut self.saturating[usize::from(tool)], calls, ms);
        }
    }

    /// Adds the calls `calls` of the shared history (the histories of
    /// consecutive rows follow each other there: one flat loop for a run).
    fn add_history(&mut self, store: &UsageStore, calls: Range<usize>) {
        let first = calls.start;
        let (ids, durations) = store.call_columns(calls);
        let (even, odd, saturating) = (&mut self.even, &mut self.odd, &mut self.saturating);
        let mut pairs = ids.chunks_exact(2).zip(durations.chunks_exact(2));
        for (k, (tools, ms)) in pairs.by_ref().enumerate() {
            if ms[0] == WIDE_CALL || ms[1] == WIDE_CALL {
                add_call(saturating, store, first + 2 * k, tools[0], ms[0]);
                add_call(saturating, store, first + 2 * k + 1, tools[1], ms[1]);
            } else {
                // Compact calls are under 2^32 ms each and there are fewer
                // than 2^32 of them: these sums cannot overflow.
                let a = &mut even[usize::from(tools[0])];
                a[0] += 1;
                a[1] += u64::from(ms[0]);
                let b = &mut odd[usize::from(tools[1])];
                b[0] += 1;
                b[1] += u64::from(ms[1]);
            }
        }
        if ids.len() % 2 == 1 {
            let last = ids.len() - 1;
            add_call(saturating, store, first + last, ids[last], durations[last]);
        }
    }

    /// Adds row `i`'s stored breakdown.
    fn add_breakdown(&mut self, store: &UsageStore, i: usize) {
        for k in range_of(&store.breakdown_end, i) {
            let t = store.breakdown_tool[k] as usize;
            let calls = store.breakdown_calls.get_or_zero(k);
            add_saturating(
                &mut self.saturating[t],
                calls,
                store.breakdown_ms.get_or_zero(k),
            );
            self.named[t] = true;
        }
    }

    /// `[calls, time_ms]` per tool id, and whether a breakdown names it.
    fn finish(self) -> (Vec<[u64; 2]>, Vec<bool>) {
        let mut sums = self.saturating;
        for ((s, e), o) in sums.iter_mut().zip(&self.even).zip(&self.odd) {
            add_saturating(s, e[0], e[1]);
            add_saturating(s, o[0], o[1]);
        }
        (sums, self.named)
    }
}

/// Adds history call `k` (tool `tool`, `ms` or [`WIDE_CALL`]) to `sums`.
#[inline(always)]
fn add_call(sums: &mut [[u64; 2]], store: &UsageStore, k: usize, tool: u16, ms: u32) {
    let (tool, ms) = match ms {
        WIDE_CALL => match store.wide_call(k) {
            Some((tool, ms)) => (tool as usize, ms),
            None => return,
        },
        ms => (usize::from(tool), u64::from(ms)),
    };
    add_saturating(&mut sums[tool], 1, ms);
}

/// Adds `calls` and `ms` to `[calls, time_ms]`, each capped at u64's
/// largest value.
#[inline(always)]
fn add_saturating(sums: &mut [u64; 2], calls: u64, ms: u64) {
    sums[0] = sums[0].saturating_add(calls);
    sums[1] = sums[1].saturating_add(ms);
}

/// How many rows from position `k` of `rows` are consecutive store rows
/// counted from their history (0 when row `k` is not).
fn history_run(store: &UsageStore, rows: &[u32], k: usize) -> usize {
    let first = rows[k] as usize;
    rows[k..]
        .iter()
        .enumerate()
        .take_while(|&(n, &i)| {
            i as usize == first + n && store.counts_tools_from_history(i as usize)
        })
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
            sums.add_history_rows(store, first..first + run);
            k += run;
        }
    }
    let (sums, named) = sums.finish();
    (0..tools.len())
        .filter(|&t| named[t] || sums[t][0] > 0)
        .map(|t| ToolUsage {
            name: tools.name(t as u32).to_owned(),
            calls: sums[t][0],
            duration_ms: sums[t][1],
        })
        .collect()
}

/// The `n` tools with most calls and the `n` with most time over `rows`.
pub fn top_tools(store: &UsageStore, rows: &Selection, n: usize) -> TopTools {
    let all = tool_usage(store, rows);
    let mut by_calls = all.clone();
    sort_stable_by(&mut by_calls, |a, b| {
        (b.calls, b.duration_ms)
            .cmp(&(a.calls, a.duration_ms))
            .then_with(|| a.name.cmp(&b.name))
    });
    by_calls.truncate(n);
    let distinct = all.len();
    let mut by_time = all;
    sort_stable_by(&mut by_time, |a, b| {
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
