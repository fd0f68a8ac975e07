//! Benchmark (not a test): builds a 100k-row store from the generated demo
//! dataset, then prints the store's memory and the medians of a full
//! dashboard recompute and of its parts.
//!
//! `cargo run --release -p neo-usage-analytics --example bench [rows]`

use std::time::Instant;

use chrono::Utc;
use neo_usage::{GroupBy, TaskUsageQuery};
use neo_usage_analytics::{
    dashboard, group_by, select, top_tools, DashboardOptions, Dimension, Metric, Outcomes,
    Selection, TimeSeries, Totals, UsageStore,
};
use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};

/// Median and fastest wall time of `runs` calls of `f`, in milliseconds
/// (the fastest is the better estimate on a machine shared with others).
fn median_ms(runs: usize, mut f: impl FnMut()) -> Timing {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1_000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Timing {
        median: times[runs / 2],
        min: times[0],
    }
}

/// A named piece of work to time.
type Part<'a> = (&'static str, Box<dyn Fn() + 'a>);

/// A measurement.
struct Timing {
    median: f64,
    min: f64,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2} ms median, {:.2} ms min", self.median, self.min)
    }
}

fn main() {
    let rows_wanted: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let rows = generate(DatasetSpec::new(42, rows_wanted, reference_now()).window_days(90));
    let store = load_and_report_memory(&rows);
    let runs = 31;
    time_dashboards(&store, runs);
    time_parts(&store, runs);
}

/// Appends `rows` page by page into a store, printing the time and the
/// memory it takes against the row structs'.
fn load_and_report_memory(rows: &[neo_usage::TaskUsage]) -> UsageStore {
    let struct_bytes: usize = rows.iter().map(approx_struct_bytes).sum();
    let start = Instant::now();
    let mut store = UsageStore::new();
    let mut pages = rows.chunks(200);
    if let Some(first) = pages.next() {
        store.append(first.to_vec());
        store.reserve(rows.len() - store.len());
    }
    for page in pages {
        store.append(page.to_vec());
    }
    let load_ms = start.elapsed().as_secs_f64() * 1_000.0;
    let loaded = store.heap_bytes();
    store.shrink_to_fit();
    let mib = |b: usize| b as f64 / (1 << 20) as f64;
    println!("rows: {}", store.len());
    println!(
        "memory: {:.1} MiB loaded (reserved after page 1), {:.1} MiB shrunk; row structs ≈ {:.0} MiB",
        mib(loaded),
        mib(store.heap_bytes()),
        mib(struct_bytes)
    );
    println!("append all pages: {load_ms:.0} ms");
    store
}

/// The daily dashboard by model in credits, the one the viewer first shows.
fn daily_options() -> DashboardOptions {
    DashboardOptions {
        bucket: GroupBy::Day,
        stack_by: Dimension::Model,
        metric: Metric::Credits,
        ..DashboardOptions::default()
    }
}

/// Times the whole dashboard over every row and over a model's rows,
/// beside a plain column sum on the same machine.
fn time_dashboards(store: &UsageStore, runs: usize) {
    let all = TaskUsageQuery::new();
    let options = daily_options();
    let full = median_ms(runs, || {
        std::hint::black_box(dashboard(store, &all, &Utc, &options).unwrap());
    });
    println!("dashboard (select + every aggregate + previous period), all rows: {full} of {runs}");
    let filtered = TaskUsageQuery::new().model("claude-sonnet-4");
    let part = median_ms(runs, || {
        std::hint::black_box(dashboard(store, &filtered, &Utc, &options).unwrap());
    });
    println!("dashboard, model filter: {part}");
    // Calibration: the same machine summing one plain i64 column.
    let column: Vec<i64> = (0..store.len()).map(|i| store.created_ms(i)).collect();
    let base = median_ms(runs, || {
        std::hint::black_box(column.iter().copied().fold(0i64, i64::wrapping_add));
    });
    println!(
        "  (calibration: sum of one i64 column of {} rows: {base})",
        column.len()
    );
}

/// Times each part of the dashboard on its own over every row.
fn time_parts(store: &UsageStore, runs: usize) {
    let all = TaskUsageQuery::new();
    let options = daily_options();
    let selection = Selection::all(store);
    let days = dashboard(store, &all, &Utc, &options)
        .unwrap()
        .series
        .buckets;
    let durations: Vec<u64> = (0..store.len())
        .filter_map(|i| store.row_duration_ms(i))
        .collect();
    let range = dashboard(store, &all, &Utc, &options)
        .unwrap()
        .range
        .unwrap();
    let parts: [Part; 8] = [
        (
            "distribution of 100k durations",
            Box::new(|| {
                std::hint::black_box(neo_usage_analytics::Distribution::of(&durations, 20));
            }),
        ),
        (
            "anomalies",
            Box::new(|| {
                std::hint::black_box(neo_usage_analytics::anomalies(
                    store, &selection, range.0, range.1, &Utc, 3.5,
                ));
            }),
        ),
        (
            "select (no filter)",
            Box::new(|| {
                std::hint::black_box(select(store, &all).unwrap());
            }),
        ),
        (
            "totals",
            Box::new(|| {
                std::hint::black_box(Totals::of(store, &selection));
            }),
        ),
        (
            "outcomes",
            Box::new(|| {
                std::hint::black_box(Outcomes::of(store, &selection));
            }),
        ),
        (
            "group by member",
            Box::new(|| {
                std::hint::black_box(group_by(store, &selection, Dimension::Member));
            }),
        ),
        (
            "daily series by model",
            Box::new(|| {
                std::hint::black_box(TimeSeries::of(
                    store,
                    &selection,
                    days.clone(),
                    Dimension::Model,
                    Metric::Credits,
                ));
            }),
        ),
        (
            "top tools",
            Box::new(|| {
                std::hint::black_box(top_tools(store, &selection, 10));
            }),
        ),
    ];
    for (name, f) in parts {
        println!("  {name}: {}", median_ms(runs, &*f));
    }
}

/// Heap and inline bytes of a row struct, roughly (strings, maps, lists).
fn approx_struct_bytes(r: &neo_usage::TaskUsage) -> usize {
    let s = |t: &Option<String>| t.as_ref().map_or(0, |t| t.capacity());
    std::mem::size_of::<neo_usage::TaskUsage>()
        + r.task_id.capacity()
        + r.model.capacity()
        + s(&r.email)
        + s(&r.error_message)
        + s(&r.task_title)
        + s(&r.stream_id)
        + r.agent_breakdown
            .keys()
            .map(|k| k.capacity() + 56)
            .sum::<usize>()
        + r.tool_breakdown
            .keys()
            .map(|k| k.capacity() + 72)
            .sum::<usize>()
        + r.tool_call_history
            .iter()
            .map(|c| std::mem::size_of_val(c) + c.tool_name.capacity())
            .sum::<usize>()
}
