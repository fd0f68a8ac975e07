//! Sorting a selection by a column, as the viewer's table offers on held
//! rows: stable, so rows that tie keep the API's order (newest first).

use neo_usage::money::total_cost_units;

use crate::select::Selection;
use crate::store::UsageStore;

/// A sortable column. A missing number sorts as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// `created_at`.
    Time,
    /// `neo_credits`.
    Credits,
    /// USD equivalent of the credits (credits × 10): the same order as
    /// [`SortColumn::Credits`], offered as its own column.
    UsdEquivalent,
    /// Total cost in USD: credits × 10, plus the BYOK LLM and platform cost
    /// of BYOK rows ([`row_cost_units`]).
    Cost,
    /// BYOK LLM cost (`llm_cost` of BYOK rows).
    ByokLlmCost,
    /// BYOK platform cost (`neo_cost` of BYOK rows).
    ByokNeoCost,
    /// `step_count`.
    Steps,
    /// `tool_calls`.
    ToolCalls,
    /// `total_execution_ms`.
    Duration,
    /// `avg_step_latency_ms`.
    StepLatency,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// A row's total cost in USD units: credits ×
/// [`USD_PER_CREDIT`](neo_usage::money::USD_PER_CREDIT), plus `llm_cost`
/// and `neo_cost` when the row is BYOK.
#[inline]
pub fn row_cost_units(store: &UsageStore, i: usize) -> i64 {
    let credits = store.neo_credits.units_or_zero(i);
    if store.is_byok(i) {
        let (llm, neo) = (
            store.llm_cost.units_or_zero(i),
            store.neo_cost.units_or_zero(i),
        );
        total_cost_units(credits, llm, neo)
    } else {
        total_cost_units(credits, 0, 0)
    }
}

/// The sort key of row `i` for `column`.
fn key(store: &UsageStore, column: SortColumn, i: usize) -> i128 {
    let byok = |units: i64| if store.is_byok(i) { units } else { 0 };
    i128::from(match column {
        SortColumn::Time => return i128::from(store.created_ms(i)),
        SortColumn::Credits | SortColumn::UsdEquivalent => store.neo_credits.units_or_zero(i),
        SortColumn::Cost => row_cost_units(store, i),
        SortColumn::ByokLlmCost => byok(store.llm_cost.units_or_zero(i)),
        SortColumn::ByokNeoCost => byok(store.neo_cost.units_or_zero(i)),
        SortColumn::Steps => return i128::from(store.step_count.get(i)),
        SortColumn::ToolCalls => return i128::from(store.tool_calls.get(i)),
        SortColumn::Duration => return i128::from(store.total_execution_ms.get_or_zero(i)),
        SortColumn::StepLatency => return i128::from(store.avg_step_latency_ms.get_or_zero(i)),
    })
}

impl Selection {
    /// Re-orders the rows by `column` in `direction`, stably: rows that tie
    /// keep their current order (newest first for a fresh selection),
    /// whatever the direction. Time sorts by the exact instant.
    ///
    /// ```
    /// use neo_usage::{TaskStatus, TaskUsage};
    /// use neo_usage_analytics::{Direction, Selection, SortColumn, UsageStore};
    /// let at = |t: &str| t.parse().unwrap();
    /// let mut store = UsageStore::new();
    /// for (id, steps) in [("c", 2), ("b", 5), ("a", 2)] {
    ///     let mut row = TaskUsage::new(id, at("2026-11-01T00:00:00Z"), "o3", TaskStatus::Completed);
    ///     row.step_count = steps;
    ///     store.push(&row);
    /// }
    /// let mut rows = Selection::all(&store);
    /// rows.sort_by(&store, SortColumn::Steps, Direction::Ascending);
    /// assert_eq!(rows.indices(), [0, 2, 1]);
    /// ```
    pub fn sort_by(&mut self, store: &UsageStore, column: SortColumn, direction: Direction) {
        let mut keyed: Vec<(i128, u32)> = self
            .indices()
            .iter()
            .map(|&i| {
                let k = if column == SortColumn::Time {
                    // Exact instants: sub-millisecond digits break ms ties.
                    let at = store.created_at(i as usize);
                    i128::from(at.timestamp()) * 1_000_000_000
                        + i128::from(at.timestamp_subsec_nanos())
                } else {
                    key(store, column, i as usize)
                };
                // `!k` orders i128s in reverse, so both directions are one
                // ascending sort (one copy of the sort in the wasm, not two);
                // equal keys keep the selection's order either way.
                let k = match direction {
                    Direction::Ascending => k,
                    Direction::Descending => !k,
                };
                (k, i)
            })
            .collect();
        keyed.sort_by_key(|k| k.0);
        let rows = self.rows_mut();
        rows.clear();
        rows.extend(keyed.into_iter().map(|(_, i)| i));
    }
}
