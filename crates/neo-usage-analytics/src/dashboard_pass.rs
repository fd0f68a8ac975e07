//! The dashboard's single pass: every row of a selection is read once and
//! feeds the totals, the four groupings, the stacked series, the daily
//! costs, the burn windows and the distributions' values.

use crate::aggregate::{
    groups_from, Dimension, Group, GroupTotals, Keys, Outcomes, RowValues, Totals,
};
use crate::anomaly::{anomalies_from, Anomalies};
use crate::buckets::Buckets;
use crate::dashboard::DashboardOptions;
use crate::forecast::{burn_window_start, BurnRate};
use crate::percentile::Distribution;
use crate::select::Selection;
use crate::series::{Cells, TimeSeries};
use crate::store::UsageStore;

/// What the pass produces.
pub(crate) struct PassOutput {
    pub(crate) totals: Totals,
    pub(crate) outcomes: Outcomes,
    pub(crate) groups: [Vec<Group>; 4],
    pub(crate) series: TimeSeries,
    pub(crate) duration: Distribution,
    pub(crate) step_latency: Distribution,
    pub(crate) burn: Option<[BurnRate; 2]>,
    pub(crate) anomalies: Anomalies,
}

const DIMENSIONS: [Dimension; 4] = [
    Dimension::Model,
    Dimension::Status,
    Dimension::Member,
    Dimension::Byok,
];

/// Reads every row of `rows` once. `buckets` are the series' buckets and
/// `days` the local days of the range (for anomalies); `range` bounds the
/// burn windows. Without `CHARTS` (the headline scope) the groupings, the
/// series, the step latencies and the duration's histogram stay empty.
pub(crate) fn run<const CHARTS: bool>(
    store: &UsageStore,
    rows: &Selection,
    buckets: Buckets,
    days: &Buckets,
    range: Option<(i64, i64)>,
    options: &DashboardOptions,
) -> PassOutput {
    let keys = DIMENSIONS.map(|d| Keys::new(store, d));
    // Model × status × BYOK in one small cube (one add per row instead of
    // three, summed into the three groupings at the end), members apart.
    let (models, statuses) = (keys[0].count(), keys[1].count());
    let mut cube = vec![GroupTotals::default(); models * statuses * 2];
    let mut members = vec![GroupTotals::default(); keys[2].count()];
    let stack = Keys::new(store, options.stack_by);
    let mut cells = Cells::new(&stack, &buckets);
    let mut daily = vec![0i128; days.len()];
    let n = rows.len();
    let mut task_costs = Vec::with_capacity(n);
    let mut durations = Vec::with_capacity(n);
    let mut latencies = Vec::with_capacity(if CHARTS { n } else { 0 });
    let (from, to) = range.unwrap_or((0, 0));
    let windows = [
        burn_window_start(from, to, 7),
        burn_window_start(from, to, 30),
    ];
    let mut burned = [0i128; 2];
    let mut counts = [0u128; 4];
    let (mut bucket_hint, mut day_hint) = (0, 0);
    for i in rows.iter() {
        let v = RowValues::read(store, i);
        let at = store.created_ms(i);
        counts[0] += u128::from(v.tool_calls);
        counts[1] += u128::from(v.steps);
        counts[2] += u128::from(v.triggers);
        counts[3] += u128::from(v.execution_ms);
        let cell = (store.model[i] as usize * statuses + store.status[i] as usize) * 2
            + usize::from(v.byok);
        cube[cell].add_values(&v);
        if CHARTS {
            members[keys[2].of(i)].add_values(&v);
            match buckets.index_near(at, &mut bucket_hint) {
                Some(b) => cells.add(stack.of(i), b, options.metric.of_values(&v)),
                None => cells.outside += 1,
            }
        }
        let cost = v.cost();
        task_costs.push(cost);
        if let Some(d) = days.index_near(at, &mut day_hint) {
            daily[d] += i128::from(cost);
        }
        if at < to {
            for (w, start) in windows.iter().enumerate() {
                if at >= *start {
                    burned[w] += i128::from(v.credits);
                }
            }
        }
        if let Some(ms) = store.total_execution_ms.get(i) {
            durations.push(ms);
        }
        if let (true, Some(ms)) = (CHARTS, store.avg_step_latency_ms.get(i)) {
            latencies.push(ms);
        }
    }
    let mut model = vec![GroupTotals::default(); models];
    let mut status = vec![GroupTotals::default(); statuses];
    let mut byok = vec![GroupTotals::default(); 2];
    for (cell, sums) in cube.iter().enumerate() {
        model[cell / 2 / statuses].merge(sums);
        status[cell / 2 % statuses].merge(sums);
        byok[cell % 2].merge(sums);
    }
    let mut all = GroupTotals::default();
    byok.iter().for_each(|sums| all.merge(sums));
    let totals = Totals::from_sums(&all, byok[1].tasks, counts);
    let outcomes = Outcomes::from_status_totals(store, &status);
    PassOutput {
        totals,
        outcomes,
        groups: if CHARTS {
            [
                groups_from(&keys[0], model),
                groups_from(&keys[1], status),
                groups_from(&keys[2], members),
                groups_from(&keys[3], byok),
            ]
        } else {
            Default::default()
        },
        series: cells.finish(&stack, buckets, options.stack_by, options.metric),
        duration: if CHARTS {
            Distribution::of(&durations, options.histogram_bins)
        } else {
            Distribution::summary(&durations)
        },
        step_latency: Distribution::of(&latencies, options.histogram_bins),
        burn: range.map(|_| {
            [
                BurnRate::of_window(7, windows[0], to, burned[0]),
                BurnRate::of_window(30, windows[1], to, burned[1]),
            ]
        }),
        anomalies: anomalies_from(days, &daily, task_costs, rows, options.anomaly_k),
    }
}
