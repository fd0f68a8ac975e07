//! Time series: a metric per bucket (day, ISO week, month in a zone), every
//! bucket present, stacked by a dimension.

use neo_usage::money::USD_PER_CREDIT;

use crate::aggregate::{Dimension, Keys};
use crate::buckets::Buckets;
use crate::select::Selection;
use crate::sort::row_cost_units;
use crate::store::UsageStore;

/// What a series adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// `neo_credits`, in money units.
    Credits,
    /// Credits × 10, in USD units.
    UsdEquivalent,
    /// `llm_cost` of BYOK rows, in USD units.
    ByokLlmCost,
    /// `neo_cost` of BYOK rows, in USD units.
    ByokNeoCost,
    /// Total cost in USD units ([`crate::sort::row_cost_units`]).
    CostUsd,
    /// Rows (a count, not money).
    Tasks,
}

impl Metric {
    /// Whether values are money units (else counts).
    pub fn is_money(self) -> bool {
        self != Metric::Tasks
    }

    /// The metric's value for row `i` (money in units).
    #[inline]
    pub fn of(self, store: &UsageStore, i: usize) -> i64 {
        let byok = |units: i64| if store.is_byok(i) { units } else { 0 };
        match self {
            Metric::Credits => store.neo_credits.units_or_zero(i),
            Metric::UsdEquivalent => store
                .neo_credits
                .units_or_zero(i)
                .saturating_mul(USD_PER_CREDIT),
            Metric::ByokLlmCost => byok(store.llm_cost.units_or_zero(i)),
            Metric::ByokNeoCost => byok(store.neo_cost.units_or_zero(i)),
            Metric::CostUsd => row_cost_units(store, i),
            Metric::Tasks => 1,
        }
    }
}

/// One stacked series: a key of the dimension and its value per bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The model, status, email or BYOK label.
    pub label: String,
    /// Value per bucket (money in units), aligned with the buckets.
    pub values: Vec<i128>,
    /// Sum of `values`.
    pub total: i128,
}

/// A metric per bucket, stacked by a dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSeries {
    /// The buckets, oldest first, empty ones included.
    pub buckets: Buckets,
    /// What the values add up.
    pub metric: Metric,
    /// What the series are.
    pub dimension: Dimension,
    /// One series per key with rows in the buckets, largest total first
    /// (then label).
    pub series: Vec<Series>,
    /// Value per bucket over every series.
    pub totals: Vec<i128>,
    /// Rows in `rows` outside every bucket (0 when the buckets cover the
    /// selection's range).
    pub outside: u64,
}

impl TimeSeries {
    /// `metric` of `rows` per bucket of `buckets`, stacked by `dimension`.
    /// Each row finds its bucket by binary search on the bucket bounds: no
    /// time zone call per row.
    pub fn of(
        store: &UsageStore,
        rows: &Selection,
        buckets: Buckets,
        dimension: Dimension,
        metric: Metric,
    ) -> Self {
        let keys = Keys::new(store, dimension);
        let width = buckets.len();
        let mut cells = vec![0i128; keys.count() * width];
        let mut seen = vec![false; keys.count()];
        let mut outside = 0;
        for i in rows.iter() {
            match buckets.index_of(store.created_ms(i)) {
                Some(b) => {
                    let k = keys.of(i);
                    seen[k] = true;
                    cells[k * width + b] += i128::from(metric.of(store, i));
                }
                None => outside += 1,
            }
        }
        let mut series: Vec<Series> = (0..keys.count())
            .filter(|&k| seen[k])
            .map(|k| {
                let values = cells[k * width..(k + 1) * width].to_vec();
                Series {
                    label: keys.label(k),
                    total: values.iter().sum(),
                    values,
                }
            })
            .collect();
        series.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));
        let totals = (0..width)
            .map(|b| series.iter().map(|s| s.values[b]).sum())
            .collect();
        TimeSeries {
            buckets,
            metric,
            dimension,
            series,
            totals,
            outside,
        }
    }
}
