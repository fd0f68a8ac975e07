//! # neo-usage-analytics
//!
//! Exact and fast analytics over Neo usage rows, for the viewer's dashboard:
//! pure Rust (no browser, no Leptos), tested natively, run in wasm.
//!
//! - [`store`]: [`UsageStore`], rows appended page by page into columns
//!   (about a tenth of the memory of the structs), any row given back exactly;
//!   [`task_ids`]: the task ids, with the byte-pair masks a search skips
//!   rows by; [`import`]: an imported file read into a store row by row,
//!   whole or piece by piece.
//! - [`select`](mod@select): the rows a `TaskUsageQuery` keeps, in the API's order, with
//!   the reference server's semantics; [`sort`]: re-ordering by a column;
//!   [`selection_cache`]: the last selections, reused or narrowed, kept in
//!   [`recent`]'s [`RecentValues`](recent::RecentValues).
//! - [`zone`], [`buckets`], [`presets`]: local days, ISO weeks and months in
//!   any zone given as [`UtcOffsetAt`] (DST-correct), buckets with no gaps.
//! - [`aggregate`], [`series`], [`tools`], [`percentile`], [`anomaly`],
//!   [`forecast`]: totals, outcomes, groups, stacked time series, top tools,
//!   distributions, flags and burn rates; [`dashboard()`] computes them all.
//! - Money is summed as exact integer units of the core's
//!   [`neo_usage::money`] ([`Amount`]), so totals equal the rows as shown.
//!
//! ```
//! use chrono::Utc;
//! use neo_usage::{TaskStatus, TaskUsageQuery};
//! use neo_usage_analytics::{dashboard, DashboardOptions, UsageStore};
//! use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};
//!
//! let mut store = UsageStore::new();
//! for page in generate(DatasetSpec::new(42, 1_000, reference_now())).chunks(200) {
//!     store.append(page.to_vec());
//! }
//! let query = TaskUsageQuery::new().status(TaskStatus::Completed);
//! let d = dashboard(&store, &query, &Utc, &DashboardOptions::default())?;
//! assert_eq!(d.outcomes.error_rate(), 0.0);
//! assert_eq!(store.row(d.selection.indices()[0] as usize).status, TaskStatus::Completed);
//! # Ok::<(), neo_usage::NeoUsageError>(())
//! ```

#![warn(missing_docs)]

pub mod aggregate;
pub mod anomaly;
pub mod arena;
pub mod buckets;
pub mod dashboard;
mod dashboard_pass;
pub mod forecast;
pub mod import;
pub mod intern;
pub mod money;
pub mod ordered_join;
pub mod packed;
pub mod page_store;
mod pass_blocks;
mod pass_rows;
mod pass_sums;
pub mod percentile;
pub mod presets;
pub mod rank;
pub mod recent;
pub mod select;
pub mod selection_cache;
pub mod series;
pub mod sort;
pub mod store;
pub mod store_admission;
pub mod task_ids;
mod tool_blocks;
pub mod tools;
pub mod zone;

pub use aggregate::{group_by, Dimension, Group, GroupTotals, Outcomes, Totals};
pub use anomaly::{anomalies, Anomalies, AnomalyDay};
pub use buckets::{Bucket, Buckets};
pub use dashboard::{
    dashboard, dashboard_cached, dashboard_for_selection, Dashboard, DashboardOptions,
    DashboardScope,
};
pub use forecast::{burn_rate, BurnRate, Forecast};
pub use import::StoreFromPieces;
pub use money::Amount;
pub use ordered_join::OrderedPageJoin;
pub use page_store::{PageJoin, StorePage};
pub use percentile::{Distribution, Histogram};
pub use presets::DatePreset;
pub use select::{select, select_within, with_range, Selection};
pub use selection_cache::SelectionCache;
pub use series::{Metric, Series, TimeSeries};
pub use sort::{Direction, SortColumn};
pub use store::{AppendedPage, UsageStore};
pub use store_admission::StoreAdmission;
pub use tools::{top_tools, ToolUsage, TopTools};
pub use zone::{local_date, local_day_start, UtcOffsetAt};
