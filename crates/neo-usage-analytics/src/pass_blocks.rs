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

use neo_usage::money::{total_cost_units, usd_units_of_credits};

use crate::aggregate::RowValues;
use crate::series::Metric;

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
    /// The rows added since the last complete block.
    open: OpenBlock,
}

/// The sums of the block being filled, by slot (a key plus one, wrapping:
/// rows without an email, [`crate::store::NO_EMAIL`], take slot 0).
#[derive(Debug, Clone)]
struct OpenBlock {
    span: [i64; 2],
    counts: [u64; 4],
    sums: [Vec<BlockSums>; 4],
    /// Per grouping, the slots the block's rows use, in first use order.
    used: [Vec<u32>; 4],
}

impl Default for OpenBlock {
    fn default() -> Self {
        OpenBlock {
            span: [i64::MAX, i64::MIN],
            counts: [0; 4],
            sums: Default::default(),
            used: Default::default(),
        }
    }
}

impl PassBlocks {
    /// Adds a row, created at `at` (UTC milliseconds), with its model,
    /// status, email and BYOK keys and its values, to the open block.
    #[inline]
    pub(crate) fn add_row(&mut self, at: i64, keys: [u32; 4], v: &RowValues) {
        let open = &mut self.open;
        open.span = [open.span[0].min(at), open.span[1].max(at)];
        let row_counts = [v.tool_calls, v.steps, v.triggers, v.execution_ms];
        for (sum, n) in open.counts.iter_mut().zip(row_counts) {
            *sum = sum.wrapping_add(n);
        }
        for ((sums, used), key) in open.sums.iter_mut().zip(&mut open.used).zip(keys) {
            let slot = key.wrapping_add(1);
            if sums.len() <= slot as usize {
                sums.resize(slot as usize + 1, BlockSums::default());
            }
            let s = &mut sums[slot as usize];
            if s.tasks == 0 {
                used.push(slot);
            }
            s.tasks += 1;
            s.credits = s.credits.wrapping_add(v.credits);
            s.byok_llm = s.byok_llm.wrapping_add(v.byok_llm);
            s.byok_neo = s.byok_neo.wrapping_add(v.byok_neo);
        }
    }

    /// Records the open block's sums as the next complete block and
    /// starts an empty one.
    pub(crate) fn close(&mut self) {
        let open = &mut self.open;
        self.spans.push(open.span);
        self.counts.push(open.counts);
        let mut ends = [0u32; 4];
        for ((end, sums), used) in ends.iter_mut().zip(&mut open.sums).zip(&mut open.used) {
            for slot in used.drain(..) {
                let s = std::mem::take(&mut sums[slot as usize]);
                self.keys.push([slot.wrapping_sub(1), s.tasks]);
                self.money.push([s.credits, s.byok_llm, s.byok_neo]);
            }
            // Fewer entries than rows, which the store keeps under 2^32.
            *end = self.keys.len() as u32;
        }
        self.ends.push(ends);
        (open.span, open.counts) = ([i64::MAX, i64::MIN], [0; 4]);
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

    /// The oldest and newest `created_at` (UTC ms) of block `b`, when it
    /// is complete.
    pub(crate) fn span(&self, b: usize) -> Option<[i64; 2]> {
        self.spans.get(b).copied()
    }

    /// Bytes held on the heap, with capacity.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.spans.capacity() * 16
            + self.counts.capacity() * 32
            + self.ends.capacity() * 16
            + self.keys.capacity() * 8
            + self.money.capacity() * 24
            + self.open.sums.iter().map(Vec::capacity).sum::<usize>() * 32
            + self.open.used.iter().map(Vec::capacity).sum::<usize>() * 4
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
