//! Sums per block of rows for the dashboard's pass, kept as the store
//! grows: for each complete block of
//! [`BLOCK_ROWS`](crate::tool_blocks::BLOCK_ROWS) consecutive rows, the rows
//! and money per model, status, member and BYOK, the four counts, and the
//! block's first and last instants: some 20 entries of 32 bytes a block.
//!
//! A selection that holds a whole block (every row of an unfiltered or
//! date-ranged view, in the API's order) adds the block's few sums in
//! place of its rows' whenever the block lies in one bucket of the series,
//! one day, and wholly inside or outside each burn window; only the
//! per-row values the percentiles need are still read row by row.
//!
//! The sums wrap rather than overflow: the pass uses them only for a store
//! with no wide value ([`crate::pass_rows::CompactRows`]), whose blocks sum
//! far below 2^63.

use std::ops::Range;

use neo_usage::money::{total_cost_units, usd_units_of_credits};

use crate::pass_rows::{PassRows, StoreRows};
use crate::series::Metric;
use crate::store::UsageStore;

/// Rows and money of a block's rows in one cell or member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BlockSums {
    pub(crate) tasks: u32,
    pub(crate) credits: i64,
    pub(crate) byok_llm: i64,
    pub(crate) byok_neo: i64,
}

impl BlockSums {
    /// Total cost in USD units, as [`crate::aggregate::RowValues::cost`]
    /// gives it per row: exact for a compact block's sums.
    #[inline]
    pub(crate) fn cost(&self) -> i64 {
        total_cost_units(self.credits, self.byok_llm, self.byok_neo)
    }

    /// The sum of `metric` over the block's rows, as
    /// [`Metric::of_values`] adds it row by row.
    #[inline]
    pub(crate) fn metric(&self, metric: Metric) -> i64 {
        match metric {
            Metric::Credits => self.credits,
            Metric::UsdEquivalent => usd_units_of_credits(self.credits),
            Metric::ByokLlmCost => self.byok_llm,
            Metric::ByokNeoCost => self.byok_neo,
            Metric::CostUsd => self.cost(),
            Metric::Tasks => i64::from(self.tasks),
        }
    }
}

/// The four groupings a block is summed by, in the order of the pass's
/// keys: model, status, member, BYOK.
pub(crate) const MODEL: usize = 0;
/// See [`MODEL`].
pub(crate) const STATUS: usize = 1;
/// See [`MODEL`].
pub(crate) const MEMBER: usize = 2;
/// See [`MODEL`].
pub(crate) const BYOK: usize = 3;

/// A grouping's entries in a block: `[key, rows]` and `[credits,
/// byok_llm, byok_neo]` of each key.
type Entries<'a> = (&'a [[u32; 2]], &'a [[i64; 3]]);

/// One block's sums, as [`PassBlocks::block`] gives them.
pub(crate) struct PassBlock<'a> {
    /// The smallest and largest `created_at`, in UTC milliseconds.
    pub(crate) span: [i64; 2],
    /// `tool_calls`, `step_count`, `agent_triggers`, `total_execution_ms`.
    pub(crate) counts: [u64; 4],
    /// Per grouping ([`MODEL`], [`STATUS`], [`MEMBER`], [`BYOK`]): `[key,
    /// rows]` and `[credits, byok_llm, byok_neo]` of each key present. A
    /// model or status key is its symbol, a member key its email symbol
    /// ([`crate::store::NO_EMAIL`] for rows without one), a BYOK key 0 or 1.
    entries: [Entries<'a>; 4],
}

impl PassBlock<'_> {
    /// The keys and sums of grouping `g` ([`MODEL`], [`STATUS`],
    /// [`MEMBER`] or [`BYOK`]).
    #[inline]
    pub(crate) fn by(&self, g: usize) -> impl Iterator<Item = (u32, BlockSums)> + '_ {
        let (keys, money) = self.entries[g];
        keys.iter()
            .zip(money)
            .map(|(&[key, tasks], &[credits, byok_llm, byok_neo])| {
                let sums = BlockSums {
                    tasks,
                    credits,
                    byok_llm,
                    byok_neo,
                };
                (key, sums)
            })
    }
}

/// The per-block sums of a store's rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct PassBlocks {
    spans: Vec<[i64; 2]>,
    counts: Vec<[u64; 4]>,
    /// Per block: the end of each grouping's entries.
    ends: Vec<[u32; 4]>,
    /// `[key, rows]` of the entries.
    keys: Vec<[u32; 2]>,
    /// `[credits, byok_llm, byok_neo]` of the entries.
    money: Vec<[i64; 3]>,
}

impl PassBlocks {
    /// Records the sums of `rows` of `store`, the next complete block.
    pub(crate) fn close(&mut self, store: &UsageStore, rows: Range<usize>) {
        let source = StoreRows(store);
        let mut span = [i64::MAX, i64::MIN];
        let mut counts = [0u64; 4];
        let mut row_sums = Vec::with_capacity(rows.len());
        // Per grouping: each row's key, shifted past its place in the block.
        let mut keyed: [Vec<u64>; 4] = Default::default();
        for (place, i) in rows.enumerate() {
            let v = source.values(i);
            let at = source.created_ms(i);
            span = [span[0].min(at), span[1].max(at)];
            let row_counts = [v.tool_calls, v.steps, v.triggers, v.execution_ms];
            for (sum, n) in counts.iter_mut().zip(row_counts) {
                *sum = sum.wrapping_add(n);
            }
            row_sums.push(BlockSums {
                tasks: 1,
                credits: v.credits,
                byok_llm: v.byok_llm,
                byok_neo: v.byok_neo,
            });
            let keys = [
                store.model[i],
                store.status[i],
                store.email[i],
                u32::from(v.byok),
            ];
            for (list, key) in keyed.iter_mut().zip(keys) {
                list.push(u64::from(key) << 32 | place as u64);
            }
        }
        self.spans.push(span);
        self.counts.push(counts);
        let mut ends = [0u32; 4];
        for (end, mut list) in ends.iter_mut().zip(keyed) {
            // Sorted as plain integers: rows of one key side by side.
            list.sort_unstable();
            for (key, s) in merged(&list, &row_sums) {
                self.keys.push([key, s.tasks]);
                self.money.push([s.credits, s.byok_llm, s.byok_neo]);
            }
            // Fewer entries than rows, which the store keeps under 2^32.
            *end = self.keys.len() as u32;
        }
        self.ends.push(ends);
    }

    /// Block `b` (rows `b * BLOCK_ROWS` on), when it is complete.
    pub(crate) fn block(&self, b: usize) -> Option<PassBlock<'_>> {
        let ends = self.ends.get(b)?.map(|e| e as usize);
        let mut start = match b {
            0 => 0,
            _ => self.ends[b - 1][3] as usize,
        };
        let entries = ends.map(|end| {
            let range = start..end;
            start = end;
            (&self.keys[range.clone()], &self.money[range])
        });
        Some(PassBlock {
            span: self.spans[b],
            counts: self.counts[b],
            entries,
        })
    }

    /// Bytes held on the heap, with capacity.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.spans.capacity() * 16
            + self.counts.capacity() * 32
            + self.ends.capacity() * 16
            + self.keys.capacity() * 8
            + self.money.capacity() * 24
    }

    /// Frees spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.spans.shrink_to_fit();
        self.counts.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.money.shrink_to_fit();
    }
}

/// One entry per key of `keyed` (keys in the high 32 bits, ascending; the
/// row's place in the block in the low ones), its rows' sums added
/// (wrapping).
fn merged(keyed: &[u64], row_sums: &[BlockSums]) -> Vec<(u32, BlockSums)> {
    let mut out: Vec<(u32, BlockSums)> = Vec::new();
    for &k in keyed {
        let (key, s) = ((k >> 32) as u32, row_sums[k as u32 as usize]);
        match out.last_mut() {
            Some((last, sums)) if *last == key => {
                sums.tasks += s.tasks;
                sums.credits = sums.credits.wrapping_add(s.credits);
                sums.byok_llm = sums.byok_llm.wrapping_add(s.byok_llm);
                sums.byok_neo = sums.byok_neo.wrapping_add(s.byok_neo);
            }
            _ => out.push((key, s)),
        }
    }
    out
}
