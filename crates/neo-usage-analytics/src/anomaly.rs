//! Anomalies: days whose cost is far above the typical day, and tasks above
//! the range's 99th percentile of cost, returned so the viewer can jump to
//! them.
//!
//! A day is flagged when its total cost in USD ([`crate::sort::row_cost_units`])
//! exceeds `median + k × 1.4826 × MAD` over every day of the range (empty days
//! count as 0), MAD being the median absolute deviation from the median.
//! The factor 1.4826 makes MAD estimate a standard deviation for normal
//! data; [`DEFAULT_K`] = 3.5 is the usual "modified z-score" cut (Iglewicz
//! and Hoaglin). When more than half the days cost the same, MAD is 0 and
//! no day is flagged (there is no spread to be far from).

use chrono::NaiveDate;
use neo_usage::sorting::sort_stable_by;
use neo_usage::GroupBy;

use crate::buckets::Buckets;
use crate::percentile::rank_index;
use crate::rank::at_ranks;
use crate::select::Selection;
use crate::sort::row_cost_units;
use crate::store::UsageStore;
use crate::zone::UtcOffsetAt;

/// How many scaled MADs above the median a day must be to be flagged.
pub const DEFAULT_K: f64 = 3.5;

/// Scale that turns a MAD into a standard-deviation estimate.
pub const MAD_SCALE: f64 = 1.4826;

/// A day that cost far more than usual.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnomalyDay {
    /// The local day.
    pub day: NaiveDate,
    /// Its UTC bounds `[start_ms, end_ms)` (to filter the table to it).
    pub start_ms: i64,
    /// Exclusive end.
    pub end_ms: i64,
    /// The day's cost, USD units.
    pub cost_units: i128,
}

/// The flags of a range.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Anomalies {
    /// Median daily cost, USD units.
    pub median_day_units: f64,
    /// Median absolute deviation of daily costs, USD units.
    pub mad_units: f64,
    /// Cost a day must exceed to be flagged, USD units.
    pub threshold_units: f64,
    /// Flagged days, oldest first.
    pub days: Vec<AnomalyDay>,
    /// The 99th percentile (nearest rank) of task cost, USD units.
    pub p99_task_units: Option<i64>,
    /// Rows costing more than the p99, in selection order.
    pub tasks: Vec<u32>,
}

/// The median of `values` (mean of the two middle ones for an even count).
fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    sort_stable_by(values, f64::total_cmp);
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Days of `[from_ms, to_ms)` (local days in `zone`) whose cost exceeds
/// `median + k × MAD_SCALE × MAD`, and rows above the p99 task cost.
pub fn anomalies(
    store: &UsageStore,
    rows: &Selection,
    from_ms: i64,
    to_ms: i64,
    zone: &impl UtcOffsetAt,
    k: f64,
) -> Anomalies {
    let days = Buckets::between(from_ms, to_ms, GroupBy::Day, zone);
    let mut cost = vec![0i128; days.len()];
    let mut task_costs = Vec::with_capacity(rows.len());
    let mut hint = 0;
    for i in rows.iter() {
        let c = row_cost_units(store, i);
        task_costs.push(c);
        if let Some(d) = days.index_near(store.created_ms(i), &mut hint) {
            cost[d] += i128::from(c);
        }
    }
    anomalies_from(&days, &cost, task_costs, rows, k)
}

/// The flags from the cost of each day of `days` and of each row of `rows`
/// (in selection order).
pub(crate) fn anomalies_from(
    days: &Buckets,
    cost: &[i128],
    task_costs: Vec<i64>,
    rows: &Selection,
    k: f64,
) -> Anomalies {
    let mut daily: Vec<f64> = cost.iter().map(|&c| c as f64).collect();
    let median_day = median(&mut daily);
    let mut deviations: Vec<f64> = daily.iter().map(|c| (c - median_day).abs()).collect();
    let mad = median(&mut deviations);
    let threshold = median_day + k * MAD_SCALE * mad;
    let flagged = days
        .iter()
        .zip(cost)
        .filter(|(_, &c)| mad > 0.0 && c as f64 > threshold)
        .map(|(b, &c)| AnomalyDay {
            day: b.label,
            start_ms: b.start_ms,
            end_ms: b.end_ms,
            cost_units: c,
        })
        .collect();
    let p99 = at_ranks(&task_costs, &[rank_index(99.0, task_costs.len())])
        .first()
        .copied();
    let tasks = p99.map_or_else(Vec::new, |p| {
        rows.indices()
            .iter()
            .zip(&task_costs)
            .filter(|(_, &c)| c > p)
            .map(|(&i, _)| i)
            .collect()
    });
    Anomalies {
        median_day_units: median_day,
        mad_units: mad,
        threshold_units: threshold,
        days: flagged,
        p99_task_units: p99,
        tasks,
    }
}
