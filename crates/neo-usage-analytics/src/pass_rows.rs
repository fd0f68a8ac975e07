//! The rows the dashboard's pass reads, two ways. [`StoreRows`] reads the
//! store's columns as any caller does, looking for the rare value kept
//! wide. [`CompactRows`] serves a store with no wide value (nearly every
//! store): each value is its slot, and a contiguous run of rows is read
//! through slices of one length, so the run's loop checks no bounds.

use crate::aggregate::{member_key, Dimension, Keys, RowValues};
use crate::intern::Sym;
use crate::money::CompactMoney;
use crate::packed::CompactSlots;
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
    fn narrowed(&self, _: usize, _: usize) -> Option<Self> {
        None
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
