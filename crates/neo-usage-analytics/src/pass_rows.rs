//! The rows the dashboard's pass reads, two ways. [`StoreRows`] reads the
//! store's columns as any caller does, looking for the rare value kept
//! wide. [`CompactRows`] serves a store with no wide value (nearly every
//! store): each value is its slot, and a contiguous run of rows is read
//! through slices of one length, so the run's loop checks no bounds.

use std::ops::Range;

use neo_usage::money::USD_PER_CREDIT;

use crate::aggregate::{member_key, Dimension, Keys, RowValues};
use crate::intern::Sym;
use crate::money::CompactMoney;
use crate::packed::CompactSlots;
use crate::sort::row_cost_units;
use crate::store::{UsageStore, BYOK_TRUE};

/// What the pass reads of row `i`.
pub(crate) trait PassRows: Sized {
    /// Whether the store's block sums ([`crate::pass_blocks`]) are exact
    /// for these rows.
    const SUMS_BLOCKS: bool;
    /// The values the totals add.
    fn values(&self, i: usize) -> RowValues;
    /// `created_at` in UTC milliseconds.
    fn created_ms(&self, i: usize) -> i64;
    /// The row's key in `dimension` (as [`Keys::of`] gives it).
    fn key(&self, dimension: Dimension, i: usize) -> usize;
    /// `total_execution_ms`.
    fn duration_ms(&self, i: usize) -> Option<u64>;
    /// `avg_step_latency_ms`.
    fn latency_ms(&self, i: usize) -> Option<u64>;
    /// The row's total cost in USD units ([`crate::sort::row_cost_units`]).
    fn cost(&self, i: usize) -> i64;
    /// Keeps the cost, duration and (with `CHARTS`) step latency of rows
    /// `rows`, in order, as [`KeptValues::keep`] does row by row.
    #[inline(always)]
    fn keep_rows<const CHARTS: bool>(&self, rows: Range<usize>, kept: &mut KeptValues) {
        rows.for_each(|i| kept.keep::<CHARTS, Self>(self, i));
    }
    /// Rows `start..start + len`, counted from 0, when reading them so is
    /// cheaper than one by one.
    fn narrowed(&self, start: usize, len: usize) -> Option<Self>;
}

/// The store's columns, read with their checks.
pub(crate) struct StoreRows<'a>(pub(crate) &'a UsageStore);

impl PassRows for StoreRows<'_> {
    // A wide value may wrap a block's sums.
    const SUMS_BLOCKS: bool = false;
    #[inline(always)]
    fn values(&self, i: usize) -> RowValues {
        RowValues::read(self.0, i)
    }
    #[inline(always)]
    fn created_ms(&self, i: usize) -> i64 {
        self.0.created_ms(i)
    }
    #[inline(always)]
    fn key(&self, dimension: Dimension, i: usize) -> usize {
        Keys::new(self.0, dimension).of(i)
    }
    #[inline(always)]
    fn duration_ms(&self, i: usize) -> Option<u64> {
        self.0.total_execution_ms.get(i)
    }
    #[inline(always)]
    fn latency_ms(&self, i: usize) -> Option<u64> {
        self.0.avg_step_latency_ms.get(i)
    }
    #[inline(always)]
    fn cost(&self, i: usize) -> i64 {
        row_cost_units(self.0, i)
    }
    fn narrowed(&self, _: usize, _: usize) -> Option<Self> {
        None
    }
}

/// The per-row values the distributions and the anomalies need, in the
/// selection's order: every row's cost, the durations and step latencies
/// of the rows that have one.
pub(crate) struct KeptValues {
    pub(crate) task_costs: Vec<i64>,
    pub(crate) durations: Vec<u64>,
    pub(crate) latencies: Vec<u64>,
}

impl KeptValues {
    /// Room for `rows` rows; step latencies only with `CHARTS`.
    pub(crate) fn with_capacity<const CHARTS: bool>(rows: usize) -> Self {
        KeptValues {
            task_costs: Vec::with_capacity(rows),
            durations: Vec::with_capacity(rows),
            latencies: Vec::with_capacity(if CHARTS { rows } else { 0 }),
        }
    }

    /// Keeps row `i`'s values.
    #[inline(always)]
    pub(crate) fn keep<const CHARTS: bool, R: PassRows>(&mut self, rows: &R, i: usize) {
        self.task_costs.push(rows.cost(i));
        if let Some(ms) = rows.duration_ms(i) {
            self.durations.push(ms);
        }
        if let (true, Some(ms)) = (CHARTS, rows.latency_ms(i)) {
            self.latencies.push(ms);
        }
    }
}

/// The columns of a store with no wide value, as slices of one length.
#[derive(Clone, Copy)]
pub(crate) struct CompactRows<'a> {
    created_ms: &'a [i64],
    model: &'a [Sym],
    status: &'a [Sym],
    email: &'a [Sym],
    is_byok: &'a [u8],
    credits: CompactMoney<'a>,
    llm: CompactMoney<'a>,
    neo: CompactMoney<'a>,
    tool_calls: CompactSlots<'a>,
    steps: CompactSlots<'a>,
    triggers: CompactSlots<'a>,
    duration: CompactSlots<'a>,
    latency: CompactSlots<'a>,
    /// The member key of a row without an email.
    no_member: usize,
}

impl<'a> CompactRows<'a> {
    /// The store's rows, when none of the columns the pass reads holds a
    /// wide value.
    pub(crate) fn of(store: &'a UsageStore) -> Option<Self> {
        Some(CompactRows {
            created_ms: &store.created_ms,
            model: &store.model,
            status: &store.status,
            email: &store.email,
            is_byok: &store.is_byok,
            credits: store.neo_credits.compact()?,
            llm: store.llm_cost.compact()?,
            neo: store.neo_cost.compact()?,
            tool_calls: store.tool_calls.compact()?,
            steps: store.step_count.compact()?,
            triggers: store.agent_triggers.compact()?,
            duration: store.total_execution_ms.compact()?,
            latency: store.avg_step_latency_ms.compact()?,
            no_member: store.emails().len(),
        })
    }
}

impl PassRows for CompactRows<'_> {
    // A compact block sums far below 2^63.
    const SUMS_BLOCKS: bool = true;
    #[inline(always)]
    fn values(&self, i: usize) -> RowValues {
        let byok = self.is_byok[i] == BYOK_TRUE;
        let mask = -i64::from(byok);
        RowValues {
            credits: self.credits.units_or_zero(i),
            byok_llm: self.llm.units_or_zero(i) & mask,
            byok_neo: self.neo.units_or_zero(i) & mask,
            byok,
            tool_calls: self.tool_calls.get(i),
            steps: self.steps.get(i),
            triggers: self.triggers.get(i),
            execution_ms: self.duration.get_opt_or_zero(i),
        }
    }
    #[inline(always)]
    fn created_ms(&self, i: usize) -> i64 {
        self.created_ms[i]
    }
    #[inline(always)]
    fn key(&self, dimension: Dimension, i: usize) -> usize {
        match dimension {
            Dimension::Model => self.model[i] as usize,
            Dimension::Status => self.status[i] as usize,
            Dimension::Member => member_key(self.email[i], self.no_member),
            Dimension::Byok => usize::from(self.is_byok[i] == BYOK_TRUE),
        }
    }
    #[inline(always)]
    fn duration_ms(&self, i: usize) -> Option<u64> {
        self.duration.get_opt(i)
    }
    #[inline(always)]
    fn latency_ms(&self, i: usize) -> Option<u64> {
        self.latency.get_opt(i)
    }
    #[inline(always)]
    fn cost(&self, i: usize) -> i64 {
        let amounts = [&self.credits, &self.llm, &self.neo].map(|m| m.units_or_zero(i));
        compact_cost(amounts, self.is_byok[i])
    }
    /// Column by column, each a loop of its own.
    #[inline(always)]
    fn keep_rows<const CHARTS: bool>(&self, rows: Range<usize>, kept: &mut KeptValues) {
        let [credits, llm, neo] =
            [&self.credits, &self.llm, &self.neo].map(|m| m.units_in(rows.clone()));
        let amounts = credits.zip(llm).zip(neo).zip(&self.is_byok[rows.clone()]);
        kept.task_costs
            .extend(amounts.map(|(((c, l), n), &byok)| compact_cost([c, l, n], byok)));
        kept.durations
            .extend(self.duration.present_in(rows.clone()));
        if CHARTS {
            kept.latencies.extend(self.latency.present_in(rows));
        }
    }
    #[inline(always)]
    fn narrowed(&self, start: usize, len: usize) -> Option<Self> {
        Some(CompactRows {
            created_ms: &self.created_ms[start..][..len],
            model: &self.model[start..][..len],
            status: &self.status[start..][..len],
            email: &self.email[start..][..len],
            is_byok: &self.is_byok[start..][..len],
            credits: self.credits.narrowed(start, len),
            llm: self.llm.narrowed(start, len),
            neo: self.neo.narrowed(start, len),
            tool_calls: self.tool_calls.narrowed(start, len),
            steps: self.steps.narrowed(start, len),
            triggers: self.triggers.narrowed(start, len),
            duration: self.duration.narrowed(start, len),
            latency: self.latency.narrowed(start, len),
            no_member: self.no_member,
        })
    }
}

/// A row's total cost in USD units from its compact amounts (credits,
/// `llm_cost`, `neo_cost`) and its stored `is_byok`: as
/// [`neo_usage::money::total_cost_units`] gives it, without its saturation, which amounts
/// under 2^31 units never reach (their sum stays under 2^37).
#[inline(always)]
fn compact_cost([credits, llm, neo]: [i64; 3], byok: u8) -> i64 {
    let mask = -i64::from(byok == BYOK_TRUE);
    credits * USD_PER_CREDIT + ((llm + neo) & mask)
}

/// Rows read as one run when their indices are contiguous.
pub(crate) const RUN_ROWS: usize = 1024;

/// The first row of `chunk` when its rows are `first, first + 1, …`.
#[inline]
pub(crate) fn run_start(chunk: &[u32]) -> Option<usize> {
    let first = *chunk.first()?;
    let contiguous = chunk
        .iter()
        .zip(u64::from(first)..)
        .all(|(&row, expected)| u64::from(row) == expected);
    contiguous.then_some(first as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::money::total_cost_units;

    #[test]
    fn compact_costs_equal_the_saturating_sum_at_the_compact_bounds() {
        // Compact slots hold every i32 but the two markers at its bottom.
        let amounts = [i32::MIN + 2, -1, 0, 1, 12_345, i32::MAX].map(i64::from);
        for credits in amounts {
            for llm in amounts {
                for neo in amounts {
                    for byok in [0, 1, BYOK_TRUE] {
                        let (l, n) = if byok == BYOK_TRUE {
                            (llm, neo)
                        } else {
                            (0, 0)
                        };
                        assert_eq!(
                            compact_cost([credits, llm, neo], byok),
                            total_cost_units(credits, l, n),
                            "{credits} {llm} {neo} {byok}"
                        );
                    }
                }
            }
        }
    }
}
