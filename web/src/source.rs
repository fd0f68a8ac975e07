//! One data source over demo, imported and live rows, so components never
//! branch on where rows come from.
//!
//! Held rows (the demo, generated straight into them, and an imported
//! file) are the analytics columns, which answer the table's pages with
//! the reference server's rows and order (the e2e suite compares them with
//! the reference server); a task's detail and streams come from the
//! reference server's `neo_usage_mock::Engine` over that one row. Live rows
//! come from the API through `NeoUsageClient`. Every failure is a
//! `NeoUsageError`, whichever source it came from.

use std::rc::{Rc, Weak};

use chrono::{DateTime, TimeZone, Utc};
use neo_usage::borrowed::TaskUsageRef;
use neo_usage::{
    NeoUsageError, StreamUsageQuery, SummaryQuery, TaskStatus, TaskUsage, TaskUsagePage,
    TaskUsageQuery, UsageSummary,
};
use neo_usage_analytics::UsageStore;
use neo_usage_client::{ClientConfig, Credentials, NeoUsageClient};
use neo_usage_mock::dataset::{self, DatasetSpec};
use neo_usage_mock::{ApiError, Engine, Role};

use crate::analytics::HeldStore;
use crate::browser;
use crate::url_state::SourceKind;

/// Seed of the demo dataset.
pub const DEMO_SEED: u64 = 42;
/// Days the demo dataset spans.
pub const DEMO_WINDOW_DAYS: u32 = 90;
/// Largest file the import accepts, in bytes.
pub const IMPORT_CAP_BYTES: f64 = 256.0 * 1024.0 * 1024.0;
/// How long the demo generator works before it yields to the browser:
/// few enough yields that little time goes to painting progress (each one
/// cost a frame of style, layout and paint), and a click or a key waits at
/// most about this long.
const DEMO_SLICE_MS: i64 = 40;
/// How long the demo generator works before its first yield. A demo made
/// in less (10k rows take about 100 ms on a 2-core machine) is drawn
/// complete in the first frame, with no progress bar flashing past: on a
/// cold load the frames painted between slices (the page's first style and
/// layout, then each progress step) took about 100 ms of the 10k demo's
/// 200, measured. A bigger demo shows its progress from then on.
const DEMO_FIRST_SLICE_MS: i64 = 250;
/// Rows generated between two looks at the clock.
const DEMO_CLOCK_ROWS: usize = 250;

/// Where rows come from, with what it takes to read them.
pub enum DataSource {
    /// Rows in memory: the seeded demo or an imported file.
    Held(HeldRows),
    /// The API, over `fetch`.
    Live(Box<LiveApi>),
}

/// A source's identity, for the keys of what was loaded or answered for
/// it: equal only to the same source. It holds a `Weak`, so the source's
/// address stays taken while a key names it: a source made after that one
/// was dropped never compares equal to it, as its bare address could.
#[derive(Clone)]
pub struct SourceId(Weak<DataSource>);

impl SourceId {
    /// The identity of `source`.
    pub fn of(source: &Rc<DataSource>) -> Self {
        SourceId(Rc::downgrade(source))
    }
}

impl PartialEq for SourceId {
    fn eq(&self, other: &Self) -> bool {
        self.0.ptr_eq(&other.0)
    }
}

/// Rows held in the browser and how they got there.
pub struct HeldRows {
    /// The rows, as columns: the table, KPIs and charts draw together from
    /// them, and a task's detail is answered by an engine over its one row.
    pub rows: Rc<HeldStore>,
    /// The demo or a file.
    pub origin: HeldOrigin,
}

/// The origin of held rows.
pub enum HeldOrigin {
    /// The seeded demo: size and the anchor its window ends at.
    Demo {
        /// Number of tasks.
        tasks: usize,
        /// End of the 90-day window.
        now: DateTime<Utc>,
    },
    /// A file the user imported.
    Import {
        /// Its name.
        file_name: String,
        /// When it was imported (the engine's clock).
        now: DateTime<Utc>,
    },
}

impl HeldOrigin {
    /// The instant the rows' engine counts from: the demo's anchor, or when
    /// the file was imported.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            HeldOrigin::Demo { now, .. } | HeldOrigin::Import { now, .. } => *now,
        }
    }
}

/// A connection to the API.
pub struct LiveApi {
    /// The client (holds the token in memory only).
    pub client: NeoUsageClient,
    /// Base URL, for labels and messages.
    pub base_url: String,
    /// What the summary told about the account, fetched on connect.
    pub summary: UsageSummary,
}

/// What the filter menus offer: values seen in the data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    /// Models, sorted.
    pub models: Vec<String>,
    /// Statuses beyond the five known ones.
    pub unknown_statuses: Vec<String>,
    /// Member emails (admin scope only), sorted.
    pub emails: Vec<String>,
}

impl DataSource {
    /// Which kind of source this is.
    pub fn kind(&self) -> SourceKind {
        match self {
            DataSource::Held(HeldRows {
                origin: HeldOrigin::Demo { .. },
                ..
            }) => SourceKind::Demo,
            DataSource::Held(_) => SourceKind::Import,
            DataSource::Live(_) => SourceKind::Live,
        }
    }

    /// The instant the demo's window ends at (tests start a reference
    /// server with the same `--now` to compare answers).
    pub fn demo_anchor(&self) -> Option<DateTime<Utc>> {
        match self {
            DataSource::Held(HeldRows {
                origin: HeldOrigin::Demo { now, .. },
                ..
            }) => Some(*now),
            _ => None,
        }
    }

    /// What the header says about the data.
    pub fn label(&self) -> String {
        match self {
            DataSource::Held(HeldRows {
                rows,
                origin: HeldOrigin::Demo { .. },
            }) => format!(
                "Demo data: {} seeded tasks over {DEMO_WINDOW_DAYS} days (not your account)",
                crate::format::count(rows.store.len() as u64)
            ),
            DataSource::Held(HeldRows {
                rows,
                origin: HeldOrigin::Import { file_name, .. },
            }) => format!(
                "Imported: {file_name}, {} rows",
                crate::format::count(rows.store.len() as u64)
            ),
            DataSource::Live(live) => {
                let scope = if live.summary.by_email.is_empty() {
                    "your own usage"
                } else {
                    "team admin"
                };
                format!("Live: {} ({scope})", host_of(&live.base_url))
            }
        }
    }

    /// Filter choices from the data.
    pub fn facets(&self) -> Facets {
        match self {
            DataSource::Held(held) => stored_facets(&held.rows.store),
            DataSource::Live(live) => Facets {
                models: live.summary.by_model.keys().cloned().collect(),
                unknown_statuses: live
                    .summary
                    .by_status
                    .keys()
                    .filter(|s| !s.is_known())
                    .map(|s| s.as_str().to_owned())
                    .collect(),
                emails: live
                    .summary
                    .by_email
                    .iter()
                    .filter_map(|e| e.email.clone())
                    .collect(),
            },
        }
    }

    /// One page of rows for `query`, in the API's order (sorting needs the
    /// column store: `analytics::page_from_store`).
    pub async fn list(&self, query: &TaskUsageQuery) -> Result<TaskUsagePage, NeoUsageError> {
        match self {
            DataSource::Held(held) => crate::analytics::page_of(&held.rows, query, None),
            DataSource::Live(live) => live.client.list_task_usages(query).await,
        }
    }

    /// One task, and its streams.
    pub async fn task(&self, task_id: &str) -> Result<(TaskUsage, Vec<TaskUsage>), NeoUsageError> {
        let streams_query = StreamUsageQuery::new().task_id(task_id).limit(200);
        match self {
            DataSource::Held(held) => {
                let engine = engine_of_task(&held.rows.store, task_id, held.origin.now());
                let task = engine.task(Role::Admin, task_id).map_err(as_error)?;
                let streams = engine
                    .list_streams(Role::Admin, &streams_query)
                    .map_err(as_error)?;
                Ok((task, streams.data))
            }
            DataSource::Live(live) => {
                let task = live.client.get_task_usage(task_id).await?;
                let streams = live.client.list_stream_usages(&streams_query).await?;
                Ok((task, streams.data))
            }
        }
    }
}

/// The distinct models, unknown statuses and emails of held rows, each
/// sorted, from the columns' name lists.
fn stored_facets(store: &UsageStore) -> Facets {
    let statuses = store.statuses().names();
    Facets {
        models: sorted(store.models().names()),
        unknown_statuses: sorted(statuses.filter(|s| !TaskStatus::parse(s).is_known())),
        emails: sorted(store.emails().names()),
    }
}

/// An engine over the row of `store` whose id is `task_id` (none when no
/// row has it): it answers that task and its streams exactly as an engine
/// over every row would, since a task's streams come from its own row.
fn engine_of_task(store: &UsageStore, task_id: &str, now: DateTime<Utc>) -> Engine {
    let row = store.task_index(task_id).map(|i| store.row(i));
    Engine::new(row.into_iter().collect(), None, now)
}

/// Distinct names, owned and sorted.
fn sorted<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut sorted: Vec<String> = values.into_iter().map(str::to_owned).collect();
    neo_usage::sorting::sort_stable_by(&mut sorted, Ord::cmp);
    sorted
}

/// The engine's answer as the client would have reported it.
fn as_error(error: ApiError) -> NeoUsageError {
    let body = error.body();
    let retry_after = error.retry_after_secs().map(|s| s.to_string());
    NeoUsageError::from_response(error.status(), retry_after.as_deref(), body.as_bytes())
}

/// The demo's anchor: now, to the hour (UTC), so a reload within the hour
/// shows the same rows.
pub fn demo_anchor() -> DateTime<Utc> {
    let hour_ms = 3_600_000;
    let ms = browser::now_ms().div_euclid(hour_ms) * hour_ms;
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(dataset::reference_now)
}

/// The largest demo generated before the app is first mounted (see
/// [`generate_demo_now`]): about 150 ms here, inside the first slice's
/// budget ([`DEMO_FIRST_SLICE_MS`]) the generator would block for anyway.
pub const DEMO_ROWS_BEFORE_MOUNT: usize = 20_000;

/// Generates the demo at once, with no yield: for a demo of at most
/// [`DEMO_ROWS_BEFORE_MOUNT`] rows asked for by the URL the page opens
/// with, made before the app is first mounted, so the app is built once
/// with its rows instead of empty and then again. Measured on a cold load
/// of the 10k demo (alternating loads against the build before, 24 each,
/// three times): −14, +2 and −12 ms from `main` to the first chart.
pub fn generate_demo_now(tasks: usize, now: DateTime<Utc>) -> DataSource {
    let mut demo = DemoInProgress::new(tasks, now);
    while !demo.is_done() {
        demo.generate_next_rows();
    }
    demo.finish()
}

/// Generates the demo straight into columns, in the API's order: a first
/// slice of up to [`DEMO_FIRST_SLICE_MS`], then slices of about
/// [`DEMO_SLICE_MS`], yielding to the browser between them and reporting
/// rows made so far, so 100k rows never freeze the page.
///
/// `still_wanted` is asked after each yield: once another source or size
/// has been asked for, the generation stops there (setting the performance
/// mark `neo-usage:demo-abandoned`) and gives `None`, so a superseded 100k
/// demo does not keep the CPU busy for the rest of its second.
pub async fn generate_demo(
    tasks: usize,
    now: DateTime<Utc>,
    progress: impl Fn(usize),
    still_wanted: impl Fn() -> bool,
) -> Option<DataSource> {
    let mut demo = DemoInProgress::new(tasks, now);
    let mut slice_ms = DEMO_FIRST_SLICE_MS;
    loop {
        let slice_started = browser::now_ms();
        while !demo.is_done() && browser::now_ms() - slice_started < slice_ms {
            demo.generate_next_rows();
        }
        if demo.is_done() {
            break;
        }
        progress(demo.store.len());
        browser::yield_to_browser().await;
        if !still_wanted() {
            browser::mark_now("neo-usage:demo-abandoned");
            return None;
        }
        slice_ms = DEMO_SLICE_MS;
    }
    Some(demo.finish())
}

/// A demo being generated: its rows' indices in the API's order, and the
/// columns made so far. Each row is written into one reused borrowed row
/// and copied into the columns: no row is held twice, and only its id and
/// title are allocated.
struct DemoInProgress {
    spec: DatasetSpec,
    order: Vec<u64>,
    store: UsageStore,
    row: TaskUsageRef<'static>,
}

impl DemoInProgress {
    fn new(tasks: usize, now: DateTime<Utc>) -> Self {
        let spec = DatasetSpec::new(DEMO_SEED, tasks, now).window_days(DEMO_WINDOW_DAYS);
        DemoInProgress {
            spec,
            order: dataset::newest_first_indices(spec),
            store: UsageStore::default(),
            row: TaskUsageRef::default(),
        }
    }

    fn is_done(&self) -> bool {
        self.store.len() == self.order.len()
    }

    /// Generates the next [`DEMO_CLOCK_ROWS`] rows (fewer at the end).
    fn generate_next_rows(&mut self) {
        let start = self.store.len();
        let end = (start + DEMO_CLOCK_ROWS).min(self.order.len());
        for &index in &self.order[start..end] {
            dataset::generate_row_ref_in(self.spec, index, &mut self.row);
            self.store.push_ref(&self.row);
        }
        if start == 0 {
            // Room for the rest, text by the first rows' average: the
            // columns grow once instead of doubling.
            self.store.reserve(self.order.len() - end);
        }
    }

    /// The finished demo as a source (with the cold load's marks).
    fn finish(self) -> DataSource {
        browser::mark_now("neo-usage:demo");
        let columns = HeldStore::new(self.store, None, None);
        browser::mark_now("neo-usage:store");
        DataSource::Held(HeldRows {
            rows: Rc::new(columns),
            origin: HeldOrigin::Demo {
                tasks: self.order.len(),
                now: self.spec.now,
            },
        })
    }
}

/// Connects: checks the token by asking for the summary (which also gives
/// the models, members and credit balance the viewer shows).
pub async fn connect(
    base_url: &str,
    credentials: Credentials,
) -> Result<DataSource, NeoUsageError> {
    let client = NeoUsageClient::new(ClientConfig::new(credentials).base_url(base_url));
    let summary = client.get_usage_summary(&SummaryQuery::new()).await?;
    Ok(DataSource::Live(Box::new(LiveApi {
        client,
        base_url: base_url.to_owned(),
        summary,
    })))
}

fn host_of(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// The five known statuses, as the status menu lists them.
pub fn known_statuses() -> Vec<&'static str> {
    TaskStatus::KNOWN.iter().map(|s| s.as_str()).collect()
}
