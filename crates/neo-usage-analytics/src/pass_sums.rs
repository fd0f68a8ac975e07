//! The dashboard pass's running sums, in one of two widths: `i64` when
//! every value the pass sums is held compactly (money under 2^31 units,
//! counts under 2^32: [`crate::UsageStore::sums_are_compact`]), carried
//! into `i128` long before they could overflow; `i128` all along for a
//! store with a wide value. Both give the same exact totals. In
//! WebAssembly, where the pass runs on every filter change, a 128-bit add
//! is five instructions to the 64-bit one's one.

use std::ops::AddAssign;

use crate::aggregate::{GroupTotals, RowValues};
use crate::money::Amount;
use crate::pass_blocks::BlockSums;

/// Rows added before `i64` sums are carried into `i128` ones: a compact
/// row adds under 2^35 in magnitude to any sum, so 2^26 of them stay
/// under 2^61.
pub(crate) const CARRY_ROWS: usize = 1 << 26;

// The most a compact row adds to one sum is its cost: credits × 10 plus
// two BYOK costs, each at most 2^31 units.
const _: () = assert!(12 * (1u128 << 31) * (CARRY_ROWS as u128) <= i64::MAX as u128);

/// A running sum of row values.
pub(crate) trait Sum: Copy + Default + AddAssign {
    /// A signed row value.
    fn of(value: i64) -> Self;
    /// An unsigned row value: for `i64`, one under 2^32.
    fn of_count(value: u64) -> Self;
    /// The sum, exactly.
    fn wide(self) -> i128;
}

impl Sum for i64 {
    #[inline(always)]
    fn of(value: i64) -> Self {
        value
    }
    #[inline(always)]
    fn of_count(value: u64) -> Self {
        value as i64
    }
    fn wide(self) -> i128 {
        i128::from(self)
    }
}

impl Sum for i128 {
    #[inline(always)]
    fn of(value: i64) -> Self {
        i128::from(value)
    }
    #[inline(always)]
    fn of_count(value: u64) -> Self {
        i128::from(value)
    }
    fn wide(self) -> i128 {
        self
    }
}

/// A group's rows and money ([`GroupTotals`] in width `S`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GroupSums<S> {
    tasks: u64,
    credits: S,
    byok_llm: S,
    byok_neo: S,
}

impl<S: Sum> GroupSums<S> {
    /// Adds a row's values.
    #[inline(always)]
    pub(crate) fn add(&mut self, v: &RowValues) {
        self.tasks += 1;
        self.credits += S::of(v.credits);
        self.byok_llm += S::of(v.byok_llm);
        self.byok_neo += S::of(v.byok_neo);
    }
}

impl<S: Sum> GroupSums<S> {
    /// Adds a block's sums ([`BlockSums`]).
    #[inline]
    pub(crate) fn add_block(&mut self, b: &BlockSums) {
        self.tasks += u64::from(b.tasks);
        self.credits += S::of(b.credits);
        self.byok_llm += S::of(b.byok_llm);
        self.byok_neo += S::of(b.byok_neo);
    }
}

impl GroupSums<i128> {
    /// The group's totals.
    pub(crate) fn totals(&self) -> GroupTotals {
        GroupTotals {
            tasks: self.tasks,
            credits: Amount::from_units(self.credits),
            byok_llm_cost: Amount::from_units(self.byok_llm),
            byok_neo_cost: Amount::from_units(self.byok_neo),
        }
    }
}

/// Everything the pass adds up, in width `S`.
#[derive(Debug, Clone)]
pub(crate) struct PassSums<S> {
    pub(crate) cube: Vec<GroupSums<S>>,
    pub(crate) members: Vec<GroupSums<S>>,
    /// Whole blocks' sums by model, status and BYOK (the order of
    /// [`crate::pass_blocks::MODEL`], `STATUS`, `BYOK`), merged into the
    /// cube's groupings at the end.
    pub(crate) blocks_by: [Vec<GroupSums<S>>; 3],
    /// Series cells by flat index ([`crate::series::Cells::place`]).
    pub(crate) cells: Vec<S>,
    /// Total cost per local day.
    pub(crate) daily: Vec<S>,
    /// Credits in the 7- and 30-day windows.
    pub(crate) burned: [S; 2],
    /// `tool_calls`, `step_count`, `agent_triggers`, `total_execution_ms`.
    pub(crate) counts: [S; 4],
}

impl<S: Sum> PassSums<S> {
    /// Zero sums for the cube's cells, the members, the series cells, the
    /// days, the models and the statuses.
    pub(crate) fn new([cube, members, cells, days, models, statuses]: [usize; 6]) -> Self {
        PassSums {
            cube: vec![GroupSums::default(); cube],
            members: vec![GroupSums::default(); members],
            blocks_by: [models, statuses, 2].map(|n| vec![GroupSums::default(); n]),
            cells: vec![S::default(); cells],
            daily: vec![S::default(); days],
            burned: [S::default(); 2],
            counts: [S::default(); 4],
        }
    }

    /// Adds a row's `tool_calls`, `step_count`, `agent_triggers` and
    /// `total_execution_ms`.
    #[inline(always)]
    pub(crate) fn add_counts(&mut self, v: &RowValues) {
        self.counts[0] += S::of_count(v.tool_calls);
        self.counts[1] += S::of_count(v.steps);
        self.counts[2] += S::of_count(v.triggers);
        self.counts[3] += S::of_count(v.execution_ms);
    }

    /// Adds a block's `tool_calls`, `step_count`, `agent_triggers` and
    /// `total_execution_ms`, each the sum of its compact rows' values.
    #[inline]
    pub(crate) fn add_block_counts(&mut self, counts: [u64; 4]) {
        for (sum, n) in self.counts.iter_mut().zip(counts) {
            *sum += S::of_count(n);
        }
    }

    /// Adds these sums to `wide` and zeroes them.
    pub(crate) fn carry_into(&mut self, wide: &mut PassSums<i128>) {
        fn carry<S: Sum>(from: &mut [S], to: &mut [i128]) {
            for (f, t) in from.iter_mut().zip(to) {
                *t += std::mem::take(f).wide();
            }
        }
        let [models, statuses, byok] = &mut self.blocks_by;
        let [wide_models, wide_statuses, wide_byok] = &mut wide.blocks_by;
        for (f, t) in self
            .cube
            .iter_mut()
            .chain(&mut self.members)
            .chain(models.iter_mut().chain(statuses).chain(byok))
            .zip(
                wide.cube
                    .iter_mut()
                    .chain(&mut wide.members)
                    .chain(wide_models.iter_mut().chain(wide_statuses).chain(wide_byok)),
            )
        {
            let f = std::mem::take(f);
            t.tasks += f.tasks;
            t.credits += f.credits.wide();
            t.byok_llm += f.byok_llm.wide();
            t.byok_neo += f.byok_neo.wide();
        }
        carry(&mut self.cells, &mut wide.cells);
        carry(&mut self.daily, &mut wide.daily);
        carry(&mut self.burned, &mut wide.burned);
        carry(&mut self.counts, &mut wide.counts);
    }
}
