//! Time series: a metric per bucket (day, ISO week, month in a zone), every
//! bucket present, stacked by a dimension.

use neo_usage::money::usd_units_of_credits;
use neo_usage::sorting::sort_stable_by;

use crate::aggregate::{Dimension, Keys, RowValues};
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

    /// The metric's value for a row's values.
    #[inline(always)]
    pub(crate) fn of_values(self, v: &RowValues) -> i64 {
        match self {
            Metric::Credits => v.credits,
            Metric::UsdEquivalent => usd_units_of_credits(v.credits),
            Metric::ByokLlmCost => v.byok_llm,
            Metric::ByokNeoCost => v.byok_neo,
            Metric::CostUsd => v.cost(),
            Metric::Tasks => 1,
        }
    }

    /// The metric's value for row `i` (money in units).
    #[inline]
    pub fn of(self, store: &UsageStore, i: usize) -> i64 {
        let byok = |units: i64| if store.is_byok(i) { units } else { 0 };
        match self {
            Metric::Credits => store.neo_credits.units_or_zero(i),
            Metric::UsdEquivalent => usd_units_of_credits(store.neo_credits.units_or_zero(i)),
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
        let mut cells = Cells::new(&keys, &buckets);
        let mut hint = 0;
        for i in rows.iter() {
            match buckets.index_near(store.created_ms(i), &mut hint) {
                Some(b) => cells.add(keys.of(i), b, metric.of(store, i)),
                None => cells.outside += 1,
            }
        }
        cells.finish(&keys, buckets, dimension, metric)
    }
}

/// Sums per (key, bucket), filled row by row.
pub(crate) struct Cells {
    width: usize,
    values: Vec<i128>,
    seen: Vec<bool>,
    pub(crate) outside: u64,
}

impl Cells {
    pub(crate) fn new(keys: &Keys, buckets: &Buckets) -> Self {
        Cells {
            width: buckets.len(),
            values: vec![0; keys.count() * buckets.len()],
            seen: vec![false; keys.count()],
            outside: 0,
        }
    }

    #[inline(always)]
    pub(crate) fn add(&mut self, key: usize, bucket: usize, value: i64) {
        let at = self.place(key, bucket);
        self.values[at] += i128::from(value);
    }

    /// Marks `key` as seen and gives the flat index of its cell in
    /// `bucket`, for sums kept elsewhere and added by [`Cells::add_sums`].
    #[inline(always)]
    pub(crate) fn place(&mut self, key: usize, bucket: usize) -> usize {
        self.seen[key] = true;
        key * self.width + bucket
    }

    /// Cells in all: the length of the sums [`Cells::add_sums`] takes.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// Adds sums kept per flat index ([`Cells::place`]).
    pub(crate) fn add_sums(&mut self, sums: &[i128]) {
        for (value, sum) in self.values.iter_mut().zip(sums) {
            *value += sum;
        }
    }

    pub(crate) fn finish(
        self,
        keys: &Keys,
        buckets: Buckets,
        dimension: Dimension,
        metric: Metric,
    ) -> TimeSeries {
        let width = self.width;
        let mut series: Vec<Series> = (0..keys.count())
            .filter(|&k| self.seen[k])
            .map(|k| {
                let values = self.values[k * width..(k + 1) * width].to_vec();
                Series {
                    label: keys.label(k),
                    total: values.iter().sum(),
                    values,
                }
            })
            .collect();
        sort_stable_by(&mut series, |a, b| {
            b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label))
        });
        let totals = (0..width)
            .map(|b| series.iter().map(|s| s.values[b]).sum())
            .collect();
        let outside = self.outside;
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
