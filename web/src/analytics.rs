//! The dashboard's data: rows held in `neo_usage_analytics::UsageStore`
//! (generated for the demo, built from an imported file's engine, or
//! loaded page by page from the live API), the browser's time zone as a
//! `UtcOffsetAt`, and the effects that recompute every aggregate when the
//! view changes.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::pagination::ScanStop;
use neo_usage::{GroupBy, NeoUsageError, TaskUsagePage, TaskUsageQuery};
use neo_usage_analytics::recent::RecentValues;
use neo_usage_analytics::selection_cache::{DEFAULT_BUDGET_ROWS, DEFAULT_CAPACITY};
use neo_usage_analytics::{
    dashboard_cached, dashboard_for_selection, select_within, Dashboard, DashboardOptions,
    DashboardScope, Dimension, Direction, Metric, OrderedPageJoin, Selection, SelectionCache,
    SortColumn as StoreSort, StorePage, UsageStore, UtcOffsetAt,
};
use neo_usage_client::{CancelHandle, FetchAllRequest};

use crate::app::AppState;
use crate::browser;
use crate::generations::Generations;
use crate::source::{DataSource, SourceId};
use crate::url_state::{ChartChoice, SortColumn, SortSpec};
use crate::zone;

/// Live mode loads every row in range by itself up to this many rows; above
/// it, a button asks first.
pub const AUTO_LOAD_MAX_ROWS: u64 = 20_000;
/// Most rows load-all holds; past it the viewer asks for a narrower range.
pub const LOAD_ALL_CAP_ROWS: u64 = 200_000;

/// A zone by IANA name, with offsets from the browser's `Intl`.
pub struct BrowserZone(pub String);

impl UtcOffsetAt for BrowserZone {
    fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
        zone::offset_seconds(&self.0, utc_ms)
    }
}

/// What the store holds or is loading: the source's identity and, for
/// live rows, the `from`/`to` they were loaded for.
pub type StoreKey = (SourceId, Option<String>, Option<String>);

/// Rows held for the dashboard and what they cover.
pub struct HeldStore {
    /// The columns.
    pub store: UsageStore,
    /// `None`: every row of the source; `Some`: the `from`/`to` loaded.
    pub range: Option<(Option<String>, Option<String>)>,
    /// When the rows were loaded (browser clock, ms).
    pub loaded_at_ms: i64,
    /// See [`HeldStore::complete_from_ms`]: found at the first ask, once,
    /// as the rows never change (the KPI tiles ask at every key typed).
    complete_from_ms: OnceCell<Option<i64>>,
    /// Why the rows are only part of the range (a cancelled or failed load).
    pub partial: Option<String>,
    /// The last selections over `store`: the table's page and the dashboard
    /// of one view select once, and a search typed key by key narrows the
    /// previous key's rows.
    selections: RefCell<SelectionCache>,
    /// The last dashboards computed over `store`: a search erased key by
    /// key, or a filter undone, shows its dashboard again without a pass.
    dashboards: RefCell<RecentValues<DashboardKey, Rc<Dashboard>>>,
}

/// What a dashboard of held rows is a function of besides the rows: the
/// query (without paging), the zone's name and the options.
type DashboardKey = (TaskUsageQuery, String, DashboardOptions);

/// Dashboards remembered: as many as selections (a search of a few dozen
/// characters typed and erased).
const RECENT_DASHBOARDS: usize = DEFAULT_CAPACITY;

/// Rows [`HeldStore::warm_up_typing`] runs over: enough for the browser to
/// optimise the loops (4,000 left the first key measurably slower).
const WARM_UP_ROWS: usize = 20_000;

/// A search of two bytes, so the warm-up runs the task ids' pair masks.
const WARM_UP_SEARCH: &str = "a1";

impl HeldStore {
    /// Rows just loaded, for `range` (`None`: the whole source), cut short
    /// for the reason in `partial`.
    pub fn new(
        store: UsageStore,
        range: Option<(Option<String>, Option<String>)>,
        partial: Option<String>,
    ) -> Self {
        HeldStore {
            complete_from_ms: OnceCell::new(),
            store,
            range,
            loaded_at_ms: browser::now_ms(),
            partial,
            selections: RefCell::new(SelectionCache::default()),
            dashboards: RefCell::new(RecentValues::new(
                RECENT_DASHBOARDS,
                DEFAULT_BUDGET_ROWS,
                |d: &Rc<Dashboard>| d.selection.len(),
            )),
        }
    }

    /// Runs, once, the code a search typed over these rows runs at its first
    /// key and nothing before it: the headline dashboard's pass and the
    /// search's selection, over the first [`WARM_UP_ROWS`] rows (figures
    /// of no view), outside both caches and with the results dropped.
    /// Called when the page is idle after the first charts, so the first
    /// key finds that code compiled and optimised: the browser compiles
    /// each wasm function on its first call, runs it unoptimised, and
    /// optimises it in the background once it has run a while.
    ///
    /// Measured over 100k demo rows, three fresh pages each: the first key
    /// ("a") took 26.6, 28.5 and 34.4 ms from input to paint, its dashboard
    /// 14.9, 15.3 and 21.1 ms; with this, 18.2, 20.3 and 14.6 ms (dashboard
    /// 9.0, 6.2 and 7.0 ms). The same key typed again later read 5.6 to
    /// 13 ms of dashboard either way. This costs about 6 ms once.
    pub fn warm_up_typing(&self, zone: &BrowserZone, chart: ChartChoice) {
        let rows = self.store.len().min(WARM_UP_ROWS) as u32;
        let first_rows = Selection::from_indices((0..rows).collect());
        let headline = DashboardOptions {
            scope: DashboardScope::Headline,
            ..options(chart)
        };
        let everything = TaskUsageQuery::new();
        let _ = dashboard_for_selection(
            &self.store,
            &everything,
            first_rows.clone(),
            zone,
            &headline,
        );
        let _ = select_within(&self.store, &everything.search(WARM_UP_SEARCH), &first_rows);
    }

    /// The rows `query` keeps, as `neo_usage_analytics::select` gives them,
    /// from the selection cache.
    pub fn select(&self, query: &TaskUsageQuery) -> Result<Rc<Selection>, NeoUsageError> {
        self.selections.borrow_mut().select(&self.store, query)
    }

    /// The dashboard of `query` (without paging) in `zone`: remembered when
    /// it was computed before (a full one answers for the headline scope),
    /// else computed with both its selections (the query's and the previous
    /// period's) from the selection cache.
    pub fn dashboard(
        &self,
        query: &TaskUsageQuery,
        zone: &BrowserZone,
        options: &DashboardOptions,
    ) -> Result<Rc<Dashboard>, NeoUsageError> {
        let key = (query.clone(), zone.0.clone(), *options);
        // Every headline figure equals its value in the full dashboard.
        let full = DashboardOptions {
            scope: DashboardScope::Full,
            ..*options
        };
        let full_key = (query.clone(), zone.0.clone(), full);
        let mut known = self.dashboards.borrow_mut();
        if let Some(found) = known.get(&key).or_else(|| known.get(&full_key)) {
            return Ok(found);
        }
        drop(known);
        let mut cache = self.selections.borrow_mut();
        let computed = Rc::new(dashboard_cached(
            &self.store,
            query,
            &mut cache,
            zone,
            options,
        )?);
        self.dashboards
            .borrow_mut()
            .insert(key, Rc::clone(&computed));
        Ok(computed)
    }

    /// Whether these rows hold every row `query` can match: loaded in full
    /// (not cut short) for its range. Then the table and the dashboard
    /// need no request.
    pub fn answers(&self, query: &TaskUsageQuery) -> bool {
        self.partial.is_none() && self.covers(query)
    }

    /// The instant (ms) from which these rows are every row of the source:
    /// a live load's `from` (none: all history), else the oldest row held.
    /// Figures for a period before it would only look empty.
    pub fn complete_from_ms(&self) -> Option<i64> {
        *self
            .complete_from_ms
            .get_or_init(|| complete_from_ms(&self.store, &self.range))
    }

    /// Whether these rows answer `query` exactly (its range is covered).
    pub fn covers(&self, query: &TaskUsageQuery) -> bool {
        match &self.range {
            None => true,
            Some((from, to)) => *from == query.from && *to == query.to,
        }
    }
}

/// [`HeldStore::complete_from_ms`] of `store` loaded for `range`.
fn complete_from_ms(
    store: &UsageStore,
    range: &Option<(Option<String>, Option<String>)>,
) -> Option<i64> {
    match range {
        Some((Some(from), _)) => TaskUsageQuery::new()
            .from(from.clone())
            .from_instant()
            .map(|t| t.timestamp_millis()),
        Some((None, _)) => Some(i64::MIN),
        None => store
            .created_span(&Selection::all(store))
            .map(|(oldest, _)| oldest),
    }
}

/// What load-all is doing, for the progress bar.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadAll {
    /// Rows loaded / total, pages, rows per second.
    Running {
        /// Rows so far.
        rows: u64,
        /// Rows matching.
        total: u64,
        /// Pages so far.
        pages: u32,
        /// Rows per second so far.
        rate: f64,
    },
    /// More rows than load-all takes by itself: the user decides.
    Offer {
        /// Rows in range.
        total: u64,
    },
    /// More rows than the cap.
    TooMany {
        /// Rows in range.
        total: u64,
    },
}

/// The dashboard query: the view's filters and range, without paging.
pub fn analytics_query(effective: &TaskUsageQuery) -> TaskUsageQuery {
    TaskUsageQuery {
        limit: None,
        offset: None,
        ..effective.clone()
    }
}

/// The analytics crate's options for the chart choices in the URL.
pub fn options(chart: ChartChoice) -> DashboardOptions {
    DashboardOptions {
        bucket: [GroupBy::Day, GroupBy::Week, GroupBy::Month][chart.bucket],
        stack_by: [
            Dimension::Model,
            Dimension::Status,
            Dimension::Member,
            Dimension::Byok,
        ][chart.stack],
        metric: [
            Metric::Credits,
            Metric::UsdEquivalent,
            Metric::ByokLlmCost,
            Metric::ByokNeoCost,
            Metric::Tasks,
        ][chart.metric],
        ..DashboardOptions::default()
    }
}

/// Keeps `state.store` in step with the source: demo and imported rows are
/// held as columns already; live rows are loaded for the view's range.
/// `state.store_key` names what is loaded or loading, so a view change
/// that keeps the source and range starts nothing.
pub fn keep_store_loaded(state: AppState) {
    let runs = Generations::new();
    Effect::new(move |_| {
        let source = state.source.get();
        let query = analytics_query(&state.effective_query.get());
        let Some(source) = source else { return };
        let id = SourceId::of(&source);
        let key = match &*source {
            DataSource::Held(_) => (id, None, None),
            DataSource::Live(_) => (id, query.from.clone(), query.to.clone()),
        };
        if state.store_key.get_value() == Some(key.clone()) {
            return;
        }
        state.store_key.set_value(Some(key));
        let run = runs.begin();
        let still: StillWanted = Rc::new(move || run.is_current());
        state.store.set(None);
        // The dashboard was computed over the rows held so far: it goes
        // with them, so no component reads it against the new rows (its
        // selection's row numbers are the old store's). Only when there is
        // one: a set notifies every reader, and on a cold load none exists.
        if state.dashboard.with_untracked(Option::is_some) {
            state.dashboard.set(None);
        }
        state.load_all.set(None);
        state.load_error.set(None);
        if let Some(cancel) = state.load_cancel.get_value() {
            cancel.cancel();
        }
        match &*source {
            DataSource::Held(held) => state.store.set(Some(held.rows.clone())),
            DataSource::Live(_) => {
                let range = TaskUsageQuery {
                    from: query.from.clone(),
                    to: query.to.clone(),
                    ..TaskUsageQuery::new()
                };
                spawn_local(probe_and_load(state, source.clone(), range, false, still));
            }
        }
    });
}

/// Whether a load's result is still wanted: false once the source or
/// range it was started for is no longer the one to hold. Checked before
/// each change a load makes to the state.
pub type StillWanted = Rc<dyn Fn() -> bool>;

/// A [`StillWanted`] for a load started now (a click on "Load all rows"):
/// true while `state.store_key` names what was to be held when it started.
pub fn while_store_key_holds(state: AppState) -> StillWanted {
    let started_for = state.store_key.get_value();
    Rc::new(move || state.store_key.get_value() == started_for)
}

/// Asks how many rows the range holds, then loads them when that is few
/// enough (or `confirmed`), else offers a button.
pub async fn probe_and_load(
    state: AppState,
    source: Rc<DataSource>,
    range: TaskUsageQuery,
    confirmed: bool,
    still: StillWanted,
) {
    let DataSource::Live(live) = &*source else {
        return;
    };
    let probe = live.client.list_task_usages(&range.clone().limit(1)).await;
    if !still() {
        return;
    }
    let total = match probe {
        Ok(page) => page.total,
        Err(error) => {
            state.load_error.set(Some(error));
            return;
        }
    };
    if total > LOAD_ALL_CAP_ROWS {
        state.load_all.set(Some(LoadAll::TooMany { total }));
        return;
    }
    if total > AUTO_LOAD_MAX_ROWS && !confirmed {
        state.load_all.set(Some(LoadAll::Offer { total }));
        return;
    }
    load_all(state, source.clone(), range, still).await;
}

/// Fetches every row of `range` with the client's fetch-all, each page
/// decoded straight into columns ([`StorePage`]), showing progress; a
/// cancel or a failure keeps what was loaded, labelled partial.
async fn load_all(
    state: AppState,
    source: Rc<DataSource>,
    range: TaskUsageQuery,
    still: StillWanted,
) {
    let DataSource::Live(live) = &*source else {
        return;
    };
    let cancel = CancelHandle::new();
    state.load_cancel.set_value(Some(cancel.clone()));
    state.load_error.set(None);
    let started = browser::now_ms();
    state.load_all.set(Some(LoadAll::Running {
        rows: 0,
        total: 0,
        pages: 0,
        rate: 0.0,
    }));
    let request = FetchAllRequest::default()
        .concurrency(4)
        .max_rows(LOAD_ALL_CAP_ROWS)
        .cancel(cancel);
    let mut join = OrderedPageJoin::new(Some(LOAD_ALL_CAP_ROWS));
    let result = live
        .client
        .fetch_all_pages_into(&range, request, StorePage::decode, &mut join, |p| {
            if !still() {
                return;
            }
            let secs = ((browser::now_ms() - started) as f64 / 1000.0).max(0.001);
            state.load_all.set(Some(LoadAll::Running {
                rows: p.rows_loaded,
                total: p.total,
                pages: p.pages_done,
                rate: p.rows_loaded as f64 / secs,
            }));
        })
        .await;
    state.load_cancel.set_value(None);
    if !still() {
        return;
    }
    state.load_all.set(None);
    let stopped = match result {
        Ok(_) => None,
        Err(ScanStop::Stopped(stopped)) => {
            let why = match &stopped.cause {
                NeoUsageError::Aborted => "loading was cancelled".to_owned(),
                other => crate::messages::explain(other).0,
            };
            Some((why, stopped.total))
        }
        Err(ScanStop::Failed(error)) => {
            state.load_error.set(Some(error));
            return;
        }
    };
    let store = join.finish();
    let partial = stopped.map(|(why, total)| {
        format!(
            "Partial figures: {} of {total} rows loaded ({why}).",
            store.len()
        )
    });
    if still() {
        let range = Some((range.from.clone(), range.to.clone()));
        state
            .store
            .set(Some(Rc::new(HeldStore::new(store, range, partial))));
    }
}

/// The analytics crate's sort for the table's choice. The BYOK columns sort
/// by the BYOK cost, as they show it.
fn store_sort(sort: SortSpec) -> (StoreSort, Direction) {
    let column = match sort.column {
        SortColumn::Time => StoreSort::Time,
        SortColumn::Cost => StoreSort::Cost,
        SortColumn::Credits => StoreSort::Credits,
        SortColumn::LlmCost => StoreSort::ByokLlmCost,
        SortColumn::NeoCost => StoreSort::ByokNeoCost,
        SortColumn::Steps => StoreSort::Steps,
        SortColumn::ToolCalls => StoreSort::ToolCalls,
        SortColumn::Duration => StoreSort::Duration,
    };
    let direction = if sort.descending {
        Direction::Descending
    } else {
        Direction::Ascending
    };
    (column, direction)
}

/// The table's page for `query` from held rows, when they hold every row
/// the query can match (its range, loaded in full): the rows and order the
/// API would send, sorted by `sort` if asked, with no request. `None` when
/// the page must come from the source.
pub fn page_from_store(
    held: &HeldStore,
    query: &TaskUsageQuery,
    sort: Option<SortSpec>,
) -> Option<Result<TaskUsagePage, NeoUsageError>> {
    held.answers(&analytics_query(query))
        .then(|| page_of(held, query, sort))
}

/// The table's page for `query` from rows that hold every row it can
/// match (see [`page_from_store`]).
pub fn page_of(
    held: &HeldStore,
    query: &TaskUsageQuery,
    sort: Option<SortSpec>,
) -> Result<TaskUsagePage, NeoUsageError> {
    let mut rows = held.select(&analytics_query(query))?;
    if let Some(sort) = sort {
        let (column, direction) = store_sort(sort);
        Rc::make_mut(&mut rows).sort_by(&held.store, column, direction);
    }
    let offset = usize::try_from(query.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = query.limit.unwrap_or(neo_usage::params::DEFAULT_LIMIT) as usize;
    let data = held.store.rows(rows.page(offset, limit));
    let total = rows.len() as u64;
    Ok(TaskUsagePage {
        has_more: (offset as u64).saturating_add(data.len() as u64) < total,
        data,
        total,
    })
}

/// Recomputes the dashboard when the rows, the filters, the zone or the
/// chart choices change; records how long it took. While a search is typed
/// over held rows only the headline figures are computed (the KPIs and the
/// table's p99 mark follow every key); the rest once typing pauses.
pub fn keep_dashboard_current(state: AppState) {
    Effect::new(move |_| {
        let query = analytics_query(&state.effective_query.get());
        let zone = BrowserZone(state.zone_name.get());
        let chart = state.view.with(|v| v.chart);
        let scope = match state.search_typing.get() {
            true => DashboardScope::Headline,
            false => DashboardScope::Full,
        };
        let store = state.store.get();
        let Some(held) = store.filter(|s| s.covers(&query)) else {
            state.dashboard.set(None);
            return;
        };
        let started = now_precise();
        let options = DashboardOptions {
            scope,
            ..options(chart)
        };
        let result = held.dashboard(&query, &zone, &options);
        state.compute_ms.set(now_precise() - started);
        browser::mark_before_paint("neo-usage:dashboard");
        state.dashboard.set(result.ok());
    });
}

/// Keeps the charts' dashboard (`state.charts`) following the dashboard,
/// except while a search is being typed over held rows: each keystroke
/// recomputes the headline figures for the KPIs and the table, and the
/// charts draw the full dashboard computed when typing pauses
/// (`state.search_typing` turns false), so neither computing nor redrawing
/// every chart delays the next keystroke.
pub fn keep_charts_current(state: AppState) {
    Effect::new(move |_| {
        let typing = state.search_typing.get();
        let latest = state.dashboard.get();
        let full = latest
            .as_ref()
            .is_none_or(|d| d.scope == DashboardScope::Full);
        if full && !typing {
            draw_charts(state, latest);
        }
    });
}

/// Hands `dashboard` to the charts and marks the frame that paints them;
/// the first one with rows is the charts' first paint, after which what
/// lies below the cost chart is drawn
/// ([`AppState::below_first_chart_waits`]), and after that frame the local
/// zone's name is resolved and the search's code warmed up.
fn draw_charts(state: AppState, dashboard: Option<Rc<Dashboard>>) {
    thread_local! {
        static CHARTS_PAINTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let has_rows = dashboard.as_ref().is_some_and(|d| !d.selection.is_empty());
    if has_rows && !CHARTS_PAINTED.with(|done| done.replace(true)) {
        browser::mark_before_paint("neo-usage:first-chart");
        browser::after_next_paint(move || {
            state.first_chart_painted.set(true);
            browser::after_next_paint(move || {
                state.resolve_local_zone();
                warm_up_typing(state);
            });
        });
    }
    if dashboard.is_some() {
        browser::mark_before_paint("neo-usage:charts");
    }
    state.charts.set(dashboard);
}

/// [`HeldStore::warm_up_typing`] for the rows held, if any.
fn warm_up_typing(state: AppState) {
    if let Some(held) = state.store.get_untracked() {
        let zone = BrowserZone(state.zone_name.get_untracked());
        held.warm_up_typing(&zone, state.view.with_untracked(|v| v.chart));
    }
}

/// `performance.now()`, for timing the recompute.
pub fn now_precise() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The dashboard, when the held rows answer the view.
pub type DashboardSignal = RwSignal<Option<Rc<Dashboard>>, LocalStorage>;
