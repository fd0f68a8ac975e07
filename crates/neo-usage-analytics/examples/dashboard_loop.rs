//! Profiling aid (not a test): builds the bench's 100k-row store, then
//! recomputes the full dashboard many times, so a sampling profiler sees
//! the dashboard and little else.
//!
//! `cargo build --release -p neo-usage-analytics --example dashboard_loop`
//! then `perf record target/release/examples/dashboard_loop [rows] [runs]`.

use chrono::Utc;
use neo_usage::TaskUsageQuery;
use neo_usage_analytics::{dashboard, DashboardOptions, UsageStore};
use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let rows = args.next().flatten().unwrap_or(100_000);
    let runs = args.next().flatten().unwrap_or(300);
    let store = UsageStore::from_rows(generate(
        DatasetSpec::new(42, rows, reference_now()).window_days(90),
    ));
    let (all, options) = (TaskUsageQuery::new(), DashboardOptions::default());
    for _ in 0..runs {
        std::hint::black_box(dashboard(&store, &all, &Utc, &options).ok());
    }
}
