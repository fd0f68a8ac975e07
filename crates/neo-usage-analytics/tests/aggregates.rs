//! Every aggregate equals a brute-force computation over the plain rows the
//! reference engine selects, for random filters, every bucket size, and UTC,
//! New York and Berlin across their DST changes.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use common::{dataset, dataset_over_days, random_query, store_of, tool_sums, Tz, BERLIN, NEW_YORK};
use neo_usage::{
    calendar::period_start, money::to_units, GroupBy, SortedMap, SummaryQuery, TaskStatus,
    TaskUsage, TaskUsageQuery,
};
use neo_usage_analytics::{
    aggregate::did_not_complete, dashboard, Dashboard, DashboardOptions, DashboardScope, Dimension,
    Distribution, Metric, Selection, TimeSeries, TopTools, UsageStore,
};
use neo_usage_mock::{dataset::reference_now, prng::SplitMix64, Engine, Role};

fn units(a: Option<f64>) -> i128 {
    i128::from(a.map_or(0, to_units))
}

fn byok(r: &TaskUsage) -> bool {
    r.is_byok == Some(true)
}

fn cost(r: &TaskUsage) -> i128 {
    let extra = if byok(r) {
        units(r.llm_cost) + units(r.neo_cost)
    } else {
        0
    };
    units(r.neo_credits) * 10 + extra
}

fn metric(m: Metric, r: &TaskUsage) -> i128 {
    match m {
        Metric::Credits => units(r.neo_credits),
        Metric::UsdEquivalent => units(r.neo_credits) * 10,
        Metric::ByokLlmCost => i128::from(byok(r)) * units(r.llm_cost),
        Metric::ByokNeoCost => i128::from(byok(r)) * units(r.neo_cost),
        Metric::CostUsd => cost(r),
        Metric::Tasks => 1,
    }
}

fn key(d: Dimension, r: &TaskUsage) -> String {
    match d {
        Dimension::Model => r.model.clone(),
        Dimension::Status => r.status.to_string(),
        Dimension::Member => r.email.clone().unwrap_or_else(|| "(no email)".into()),
        Dimension::Byok => if byok(r) { "BYOK" } else { "Neo credits" }.into(),
    }
}

fn local_day(zone: &Tz, r: &TaskUsage) -> NaiveDate {
    r.created_at.with_timezone(&zone.0).date_naive()
}

/// Nearest-rank percentile of a sorted list.
fn rank(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let k = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[k.clamp(1, sorted.len()) - 1])
}

fn check_totals(d: &Dashboard, rows: &[&TaskUsage]) {
    let t = &d.totals;
    assert_eq!(t.tasks as usize, rows.len());
    assert_eq!(
        t.credits.units,
        rows.iter().map(|r| units(r.neo_credits)).sum()
    );
    assert_eq!(t.usd_equivalent().units, t.credits.units * 10);
    let byok_rows = rows.iter().filter(|r| byok(r));
    assert_eq!(
        t.byok_llm_cost.units,
        byok_rows.clone().map(|r| units(r.llm_cost)).sum()
    );
    assert_eq!(
        t.byok_neo_cost.units,
        byok_rows.map(|r| units(r.neo_cost)).sum()
    );
    assert_eq!(t.tool_calls, rows.iter().map(|r| r.tool_calls).sum::<u64>());
    assert_eq!(t.steps, rows.iter().map(|r| r.step_count).sum::<u64>());
    assert_eq!(
        t.agent_triggers,
        rows.iter().map(|r| r.agent_triggers).sum::<u64>()
    );
    assert_eq!(
        t.execution_ms,
        rows.iter()
            .map(|r| r.total_execution_ms.unwrap_or(0))
            .sum::<u64>()
    );
}

fn check_outcomes(d: &Dashboard, rows: &[&TaskUsage]) {
    let o = &d.outcomes;
    let count = |s: &TaskStatus| rows.iter().filter(|r| &r.status == s).count() as u64;
    for s in TaskStatus::KNOWN {
        assert_eq!(o.count(&s), count(&s), "{s}");
    }
    let errors = count(&TaskStatus::Error) + count(&TaskStatus::Failed);
    let expected_rate = if rows.is_empty() {
        0.0
    } else {
        errors as f64 / rows.len() as f64
    };
    assert_eq!(o.error_rate(), expected_rate);
    let total: i128 = rows.iter().map(|r| cost(r)).sum();
    let lost: i128 = rows
        .iter()
        .filter(|r| did_not_complete(&r.status))
        .map(|r| cost(r))
        .sum();
    assert_eq!(
        (o.cost_usd.units, o.incomplete_cost_usd.units),
        (total, lost)
    );
    let completed = count(&TaskStatus::Completed);
    assert_eq!(
        o.cost_per_completed(),
        (completed > 0).then(|| total as f64 / 10_000.0 / completed as f64)
    );
}

fn check_groups(d: &Dashboard, rows: &[&TaskUsage]) {
    for (dimension, groups) in [
        (Dimension::Model, &d.by_model),
        (Dimension::Status, &d.by_status),
        (Dimension::Member, &d.by_member),
        (Dimension::Byok, &d.by_byok),
    ] {
        let mut expected: BTreeMap<String, (u64, i128, i128)> = BTreeMap::new();
        for r in rows {
            let e = expected.entry(key(dimension, r)).or_default();
            e.0 += 1;
            e.1 += units(r.neo_credits);
            e.2 += cost(r);
        }
        let got: BTreeMap<String, (u64, i128, i128)> = groups
            .iter()
            .map(|g| {
                let t = g.totals;
                (
                    g.label.clone(),
                    (t.tasks, t.credits.units, t.cost_usd().units),
                )
            })
            .collect();
        assert_eq!(got, expected, "{dimension:?}");
        assert!(groups
            .windows(2)
            .all(|w| w[0].totals.cost_usd() >= w[1].totals.cost_usd()));
    }
}

fn check_series(series: &TimeSeries, rows: &[&TaskUsage], zone: &Tz, range: (i64, i64)) {
    let size = series.buckets.size();
    let mut expected: BTreeMap<(NaiveDate, String), i128> = BTreeMap::new();
    for r in rows {
        let label = period_start(local_day(zone, r), size);
        *expected
            .entry((label, key(series.dimension, r)))
            .or_default() += metric(series.metric, r);
    }
    let mut got: BTreeMap<(NaiveDate, String), i128> = BTreeMap::new();
    for s in &series.series {
        for (b, v) in series.buckets.iter().zip(&s.values) {
            if *v != 0 || expected.contains_key(&(b.label, s.label.clone())) {
                got.insert((b.label, s.label.clone()), *v);
            }
        }
    }
    assert_eq!(got, expected, "{size:?} {:?} {:?}", series.metric, zone.0);
    assert_eq!(series.outside, 0);
    // Every bucket of the range is present, empty or not, without gaps.
    let labels: Vec<NaiveDate> = series.buckets.iter().map(|b| b.label).collect();
    let first = DateTime::from_timestamp_millis(range.0)
        .unwrap()
        .with_timezone(&zone.0);
    assert_eq!(labels[0], period_start(first.date_naive(), size));
    for pair in labels.windows(2) {
        assert_eq!(
            Some(pair[1]),
            neo_usage::calendar::next_period_start(pair[0], size)
        );
    }
    let last = series.buckets.as_slice().last().unwrap();
    assert!(last.start_ms < range.1 && range.1 <= last.end_ms);
    for (b, total) in series.totals.iter().enumerate() {
        assert_eq!(
            *total,
            series.series.iter().map(|s| s.values[b]).sum::<i128>()
        );
    }
}

fn check_tools(d: &Dashboard, rows: &[&TaskUsage], n: usize) {
    let expected = tool_sums(rows.iter().copied());
    let mut by_calls: Vec<(String, (u64, u64))> = expected.clone().into_iter().collect();
    by_calls.sort_by(|a, b| (b.1 .0, b.1 .1).cmp(&(a.1 .0, a.1 .1)).then(a.0.cmp(&b.0)));
    by_calls.truncate(n);
    let got: Vec<(String, (u64, u64))> = d
        .tools
        .by_calls
        .iter()
        .map(|t| (t.name.clone(), (t.calls, t.duration_ms)))
        .collect();
    assert_eq!(got, by_calls);
    let mut by_time: Vec<(String, (u64, u64))> = expected.clone().into_iter().collect();
    by_time.sort_by(|a, b| (b.1 .1, b.1 .0).cmp(&(a.1 .1, a.1 .0)).then(a.0.cmp(&b.0)));
    by_time.truncate(n);
    let got: Vec<String> = d.tools.by_time.iter().map(|t| t.name.clone()).collect();
    assert_eq!(got, by_time.into_iter().map(|t| t.0).collect::<Vec<_>>());
    assert_eq!(d.tools.distinct, expected.len());
}

fn check_distributions(d: &Dashboard, rows: &[&TaskUsage]) {
    for (dist, values) in [
        (
            &d.duration,
            rows.iter()
                .filter_map(|r| r.total_execution_ms)
                .collect::<Vec<u64>>(),
        ),
        (
            &d.step_latency,
            rows.iter().filter_map(|r| r.avg_step_latency_ms).collect(),
        ),
    ] {
        let mut sorted = values.clone();
        sorted.sort_unstable();
        assert_eq!(dist.count, sorted.len());
        assert_eq!(
            [dist.p50, dist.p90, dist.p95, dist.p99, dist.min, dist.max],
            [
                rank(&sorted, 50.0),
                rank(&sorted, 90.0),
                rank(&sorted, 95.0),
                rank(&sorted, 99.0),
                sorted.first().copied(),
                sorted.last().copied()
            ]
        );
        let h = &dist.histogram;
        if !sorted.is_empty() {
            let in_bins: u64 = h.counts.iter().sum();
            assert_eq!(in_bins + h.above, sorted.len() as u64);
            for (k, count) in h.counts.iter().enumerate() {
                let n = sorted
                    .iter()
                    .filter(|&&v| h.edges[k] <= v && v < h.edges[k + 1])
                    .count() as u64;
                assert_eq!(*count, n);
            }
            let width = h.edges[1] - h.edges[0];
            assert!(h.edges.iter().all(|e| e % width == 0), "round edges");
            assert!(h.edges[0] <= sorted[0] && dist.p99.unwrap() < *h.edges.last().unwrap());
        }
    }
}

fn check_anomalies(
    store: &UsageStore,
    d: &Dashboard,
    rows: &[&TaskUsage],
    zone: &Tz,
    range: (i64, i64),
) {
    // Daily costs over every local day of the range, by chrono-tz.
    let days = neo_usage_analytics::Buckets::between(range.0, range.1, GroupBy::Day, zone);
    let mut daily: BTreeMap<NaiveDate, i128> = days.iter().map(|b| (b.label, 0)).collect();
    for r in rows {
        *daily.get_mut(&local_day(zone, r)).unwrap() += cost(r);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    };
    let values: Vec<f64> = daily.values().map(|&c| c as f64).collect();
    let m = median(values.clone());
    let mad = median(values.iter().map(|v| (v - m).abs()).collect());
    let threshold = m + 3.5 * 1.4826 * mad;
    let flagged: Vec<NaiveDate> = daily
        .iter()
        .filter(|(_, &c)| mad > 0.0 && c as f64 > threshold)
        .map(|(d, _)| *d)
        .collect();
    let got: Vec<NaiveDate> = d.anomalies.days.iter().map(|a| a.day).collect();
    assert_eq!(got, flagged);
    let mut costs: Vec<i128> = rows.iter().map(|r| cost(r)).collect();
    costs.sort_unstable();
    let p99 = if costs.is_empty() {
        None
    } else {
        let k = (0.99 * costs.len() as f64).ceil() as usize;
        Some(costs[k.clamp(1, costs.len()) - 1])
    };
    assert_eq!(d.anomalies.p99_task_units.map(i128::from), p99);
    let above: Vec<&str> = rows
        .iter()
        .filter(|r| p99.is_some_and(|p| cost(r) > p))
        .map(|r| r.task_id.as_str())
        .collect();
    let got: Vec<&str> = d
        .anomalies
        .tasks
        .iter()
        .map(|&i| store.task_id(i as usize))
        .collect();
    assert_eq!(got, above);
}

fn check_burn(d: &Dashboard, rows: &[&TaskUsage], range: (i64, i64)) {
    for (rate, days) in [(d.burn_7d.unwrap(), 7), (d.burn_30d.unwrap(), 30)] {
        let from = (range.1 - days * 86_400_000).max(range.0);
        let credits: i128 = rows
            .iter()
            .filter(|r| {
                let at = r.created_at.timestamp_millis();
                at >= from && at < range.1
            })
            .map(|r| units(r.neo_credits))
            .sum();
        assert_eq!((rate.from_ms, rate.credits.units), (from, credits));
        let window_days = (range.1 - from) as f64 / 86_400_000.0;
        assert_eq!(rate.per_day, credits as f64 / 10_000.0 / window_days);
    }
}

/// The functions the viewer may call one by one give what the dashboard's
/// single pass gives.
fn check_pieces_equal_the_dashboard(
    store: &UsageStore,
    d: &Dashboard,
    zone: &Tz,
    options: &DashboardOptions,
    range: (i64, i64),
) {
    use neo_usage_analytics::{anomalies, burn_rate, group_by, top_tools, Outcomes, Totals};
    let rows = &d.selection;
    assert_eq!(Totals::of(store, rows), d.totals);
    assert_eq!(Outcomes::of(store, rows), d.outcomes);
    assert_eq!(group_by(store, rows, Dimension::Model), d.by_model);
    assert_eq!(group_by(store, rows, Dimension::Status), d.by_status);
    assert_eq!(group_by(store, rows, Dimension::Member), d.by_member);
    assert_eq!(group_by(store, rows, Dimension::Byok), d.by_byok);
    let series = TimeSeries::of(
        store,
        rows,
        d.series.buckets.clone(),
        options.stack_by,
        options.metric,
    );
    assert_eq!(series, d.series);
    assert_eq!(top_tools(store, rows, options.top_tools), d.tools);
    assert_eq!(
        anomalies(store, rows, range.0, range.1, zone, options.anomaly_k),
        d.anomalies
    );
    assert_eq!(Some(burn_rate(store, rows, range.0, range.1, 7)), d.burn_7d);
    assert_eq!(
        Some(burn_rate(store, rows, range.0, range.1, 30)),
        d.burn_30d
    );
}

/// The headline scope gives every figure it computes exactly as the full
/// dashboard does, and leaves the rest empty.
fn check_headline_equals_full(
    store: &UsageStore,
    query: &TaskUsageQuery,
    zone: &Tz,
    options: &DashboardOptions,
    full: &Dashboard,
) {
    let headline_options = DashboardOptions {
        scope: DashboardScope::Headline,
        ..*options
    };
    let h = dashboard(store, query, zone, &headline_options).unwrap();
    assert_eq!(
        (h.scope, full.scope),
        (DashboardScope::Headline, DashboardScope::Full)
    );
    assert_eq!(h.selection, full.selection);
    assert_eq!(h.newest_ms, full.newest_ms);
    assert_eq!(
        (h.range, h.previous_range),
        (full.range, full.previous_range)
    );
    assert_eq!((h.totals, h.previous), (full.totals, full.previous));
    assert_eq!(h.outcomes, full.outcomes);
    assert_eq!((h.burn_7d, h.burn_30d), (full.burn_7d, full.burn_30d));
    assert_eq!(h.anomalies, full.anomalies);
    let without_bins = Distribution {
        histogram: Default::default(),
        ..full.duration.clone()
    };
    assert_eq!(h.duration, without_bins);
    assert!(h.by_model.is_empty() && h.by_status.is_empty());
    assert!(h.by_member.is_empty() && h.by_byok.is_empty());
    assert!(h.series.series.is_empty() && h.tools == TopTools::default());
    assert_eq!(h.step_latency, Distribution::default());
}

/// The whole dataset first, then random filters.
fn query_of_round(round: usize, rng: &mut SplitMix64, rows: &[TaskUsage]) -> TaskUsageQuery {
    if round == 0 {
        TaskUsageQuery::new()
    } else {
        random_query(rng, rows)
    }
}

#[test]
fn every_aggregate_matches_brute_force() {
    let checked = check_against_brute_force(&dataset(8, 8_000), 60);
    assert!(checked > 30, "{checked}");
}

/// Thousands of rows a day: the pass adds whole blocks of rows by their
/// sums (blocks within one bucket, day and burn window), the rest row by
/// row, and every figure still equals brute force.
#[test]
fn rows_dense_enough_to_sum_by_blocks_match_brute_force() {
    let checked = check_against_brute_force(&dataset_over_days(12, 12_000, 4), 36);
    assert!(checked > 18, "{checked}");
}

/// Rows with values past the compact columns (and past 32 bits, where the
/// dashboard's pass leaves its 64-bit sums for 128-bit ones) among narrow
/// rows: every figure still equals the brute-force sums.
#[test]
fn rows_with_wide_values_among_narrow_ones_sum_exactly() {
    let mut rows = dataset(9, 3_000);
    for (k, r) in rows.iter_mut().enumerate() {
        let k = k as u64;
        if k % 7 == 0 {
            // 3e9 units and more: past an i32 and, times 10, past 2^32.
            r.neo_credits = Some(300_000.0 + k as f64 * 1_234.567_8);
            if r.is_byok == Some(true) {
                r.llm_cost = Some(500_000.25);
            }
        }
        if k % 13 == 0 {
            r.neo_credits = Some(-250_000.5);
        }
        if k % 11 == 0 {
            (r.step_count, r.tool_calls) = (5_000_000_000 + k, 1 << 33);
            r.total_execution_ms = Some(6_000_000_000 + k);
        }
    }
    let checked = check_against_brute_force(&rows, 24);
    assert!(checked > 12, "{checked}");
}

/// Runs `rounds` dashboards over `rows` (the whole set, then random
/// queries, zones, bucket sizes, stacks and metrics) and checks each
/// against brute force; returns how many had a range to check in full.
fn check_against_brute_force(rows: &[TaskUsage], rounds: usize) -> usize {
    let engine = Engine::new(rows.to_vec(), None, reference_now());
    let store = &store_of(rows);
    let mut rng = SplitMix64::new(31);
    let zones = [Tz(chrono_tz::UTC), NEW_YORK, BERLIN];
    let sizes = [GroupBy::Day, GroupBy::Week, GroupBy::Month];
    let dimensions = [
        Dimension::Model,
        Dimension::Status,
        Dimension::Member,
        Dimension::Byok,
    ];
    let metrics = [
        Metric::Credits,
        Metric::UsdEquivalent,
        Metric::ByokLlmCost,
        Metric::ByokNeoCost,
        Metric::CostUsd,
        Metric::Tasks,
    ];
    let mut checked = 0;
    for round in 0..rounds {
        let query = query_of_round(round, &mut rng, rows);
        let zone = zones[round % 3];
        let options = DashboardOptions {
            bucket: sizes[(round / 3) % 3],
            stack_by: dimensions[round % 4],
            metric: metrics[round % 6],
            top_tools: 1 + round % 12,
            histogram_bins: 5 + round % 30,
            ..DashboardOptions::default()
        };
        checked += usize::from(check_dashboard(&engine, store, &query, &zone, &options));
    }
    checked
}

/// Checks the dashboard of `query` against brute force over the rows the
/// engine selects; says whether it had a range to check in full.
fn check_dashboard(
    engine: &Engine,
    store: &UsageStore,
    query: &TaskUsageQuery,
    zone: &Tz,
    options: &DashboardOptions,
) -> bool {
    let selected = engine.matching_tasks(Role::Admin, query).unwrap();
    let d = dashboard(store, query, zone, options).unwrap();
    let ids: Vec<&str> = d.selection.iter().map(|i| store.task_id(i)).collect();
    let expected_ids: Vec<&str> = selected.iter().map(|r| r.task_id.as_str()).collect();
    assert_eq!(ids, expected_ids);
    let newest = selected.first().map(|r| r.created_at.timestamp_millis());
    assert_eq!(d.newest_ms, newest, "the newest selected row's instant");
    check_totals(&d, &selected);
    check_outcomes(&d, &selected);
    check_groups(&d, &selected);
    check_tools(&d, &selected, options.top_tools);
    check_distributions(&d, &selected);
    check_headline_equals_full(store, query, zone, options, &d);
    let Some(range) = d.range else {
        assert!(selected.is_empty());
        return false;
    };
    // A bound the query leaves open is the oldest selected row, or just
    // past the newest.
    let ms = |r: &&TaskUsage| r.created_at.timestamp_millis();
    if query.from.is_none() {
        assert_eq!(Some(range.0), selected.iter().map(ms).min());
    }
    if query.to.is_none() {
        let newest = selected.iter().map(ms).max().unwrap();
        assert_eq!(range.1, (newest + 1).max(range.0));
    }
    check_series(&d.series, &selected, zone, range);
    check_pieces_equal_the_dashboard(store, &d, zone, options, range);
    check_anomalies(store, &d, &selected, zone, range);
    check_burn(&d, &selected, range);
    // The previous period: the same filters over the range just before.
    let (pf, pt) = d.previous_range.unwrap();
    assert_eq!(pt - pf, range.1 - range.0);
    let instant = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
    let before = query.clone().from_time(instant(pf)).to_time(instant(pt));
    let previous = engine.matching_tasks(Role::Admin, &before).unwrap();
    assert_eq!(d.previous.tasks as usize, previous.len());
    assert_eq!(
        d.previous.credits.units,
        previous.iter().map(|r| units(r.neo_credits)).sum::<i128>()
    );
    true
}

/// A selection's span is its oldest and newest instant, whether its rows
/// are whole blocks, runs that start and end mid-block, or scattered.
#[test]
fn created_span_is_the_oldest_and_newest_selected_instant() {
    let rows = dataset_over_days(5, 3_000, 2);
    let store = store_of(&rows);
    let n = store.len() as u32;
    let selections: [Vec<u32>; 8] = [
        (0..n).collect(),
        (100..2_900).collect(),
        (256..512).collect(),
        (255..=512).collect(),
        (0..n).step_by(3).collect(),
        (700..1_800).rev().collect(),
        vec![5],
        vec![],
    ];
    for indices in selections {
        let instants = || indices.iter().map(|&i| store.created_ms(i as usize));
        let expected = instants().min().zip(instants().max());
        let selection = Selection::from_indices(indices.clone());
        assert_eq!(
            store.created_span(&selection),
            expected,
            "{} rows",
            indices.len()
        );
    }
}

/// The pass reads contiguous stretches of a selection as runs and the rest
/// row by row: a selection of both, in stores with and without a wide
/// value, sums as brute force does.
#[test]
fn selections_of_runs_and_scattered_rows_sum_exactly() {
    // Over 3 days: whole blocks of rows lie within one day.
    let mut rows = dataset_over_days(21, 6_000, 3);
    // The newest 2,500 rows share a model, so the model's rows are one
    // stretch of whole runs, then scattered ones.
    let model = rows[0].model.clone();
    rows[..2_500]
        .iter_mut()
        .for_each(|r| r.model = model.clone());
    let query = TaskUsageQuery::new().model(model);
    for wide_latency in [false, true] {
        if wide_latency {
            // Past a u32: the pass reads this store with its checks.
            rows[4_000].avg_step_latency_ms = Some(1 << 40);
        }
        let engine = Engine::new(rows.clone(), None, reference_now());
        let store = store_of(&rows);
        for stack_by in [Dimension::Model, Dimension::Member] {
            let options = DashboardOptions {
                stack_by,
                metric: Metric::CostUsd,
                ..DashboardOptions::default()
            };
            for query in [TaskUsageQuery::new(), query.clone()] {
                assert!(check_dashboard(
                    &engine,
                    &store,
                    &query,
                    &Tz(chrono_tz::UTC),
                    &options
                ));
            }
        }
    }
}

#[test]
fn tools_of_breakdowns_and_wide_calls_among_histories() {
    // Rows counted from a breakdown of their own, and calls kept whole,
    // break the runs of rows whose histories are summed in one loop.
    let mut rows = dataset(21, 3_000);
    let mut rng = SplitMix64::new(4);
    for r in rows.iter_mut() {
        match rng.below(10) {
            0 => {
                let stat = neo_usage::ToolStat {
                    calls: Some(rng.below(9)),
                    duration_ms: rng.chance(0.8).then(|| rng.below(1 << 40)),
                };
                r.tool_breakdown = SortedMap::from([("own".to_owned(), stat)]);
            }
            1 => r.tool_call_history.push(neo_usage::ToolCall {
                duration_ms: 1 << 40,
                index: 77,
                timestamp: 0,
                tool_name: "wide".into(),
            }),
            2 => r.tool_call_history.clear(),
            _ => {}
        }
    }
    let engine = Engine::new(rows.clone(), None, reference_now());
    let store = store_of(&rows);
    for round in 0..20 {
        let query = query_of_round(round, &mut rng, &rows);
        let selected = engine.matching_tasks(Role::Admin, &query).unwrap();
        let options = DashboardOptions {
            top_tools: 30,
            ..DashboardOptions::default()
        };
        let d = dashboard(&store, &query, &chrono::Utc, &options).unwrap();
        check_tools(&d, &selected, options.top_tools);
    }
}

#[test]
fn count_totals_cap_at_the_largest_u64() {
    let mut rows = dataset(2, 50);
    for r in rows.iter_mut().step_by(10) {
        (r.step_count, r.tool_calls) = (u64::MAX, u64::MAX - 1);
    }
    let store = store_of(&rows);
    let d = dashboard(
        &store,
        &TaskUsageQuery::new(),
        &chrono::Utc,
        &Default::default(),
    )
    .unwrap();
    assert_eq!((d.totals.steps, d.totals.tool_calls), (u64::MAX, u64::MAX));
    assert_eq!(
        d.totals,
        neo_usage_analytics::Totals::of(&store, &d.selection)
    );
}

#[test]
fn every_metric_dimension_and_bucket_in_every_zone() {
    let rows = dataset(13, 3_000);
    let store = store_of(&rows);
    let all: Vec<&TaskUsage> = rows.iter().collect();
    let selection = Selection::all(&store);
    let range = (
        rows.last().unwrap().created_at.timestamp_millis(),
        rows[0].created_at.timestamp_millis() + 1,
    );
    for zone in [Tz(chrono_tz::UTC), NEW_YORK, BERLIN] {
        for size in [GroupBy::Day, GroupBy::Week, GroupBy::Month] {
            for dimension in [
                Dimension::Model,
                Dimension::Status,
                Dimension::Member,
                Dimension::Byok,
            ] {
                for metric in [Metric::Credits, Metric::CostUsd, Metric::Tasks] {
                    let buckets =
                        neo_usage_analytics::Buckets::between(range.0, range.1, size, &zone);
                    let series = TimeSeries::of(&store, &selection, buckets, dimension, metric);
                    check_series(&series, &all, &zone, range);
                }
            }
        }
    }
}

#[test]
fn utc_buckets_equal_the_servers_summary() {
    let rows = dataset(17, 5_000);
    let engine = Engine::new(rows.clone(), None, reference_now());
    let store = store_of(&rows);
    for size in [GroupBy::Day, GroupBy::Week, GroupBy::Month] {
        let summary = engine
            .summary(Role::Admin, &SummaryQuery::new().group_by(size))
            .unwrap();
        let options = DashboardOptions {
            bucket: size,
            metric: Metric::Credits,
            ..DashboardOptions::default()
        };
        let d = dashboard(&store, &TaskUsageQuery::new(), &Utc, &options).unwrap();
        let tasks = TimeSeries::of(
            &store,
            &d.selection,
            d.series.buckets.clone(),
            Dimension::Model,
            Metric::Tasks,
        );
        // The server leaves empty buckets out; the chart keeps them.
        let ours: Vec<(String, u64, i128)> = d
            .series
            .buckets
            .iter()
            .enumerate()
            .filter(|(b, _)| tasks.totals[*b] > 0)
            .map(|(b, bucket)| {
                (
                    bucket.label.format("%Y-%m-%d").to_string(),
                    tasks.totals[b] as u64,
                    d.series.totals[b],
                )
            })
            .collect();
        let theirs: Vec<(String, u64, i128)> = summary
            .by_period
            .iter()
            .map(|p| {
                (
                    p.date.clone().unwrap(),
                    p.tasks.unwrap(),
                    i128::from(to_units(p.neo_credits.unwrap())),
                )
            })
            .collect();
        assert_eq!(ours, theirs, "{size:?}");
        assert_eq!(
            d.totals.credits.units,
            i128::from(to_units(summary.total_neo_credits))
        );
    }
}
