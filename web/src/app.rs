//! The app shell: the shared state (view state mirrored in the URL, the
//! data source, the current page), the effects that load data when either
//! changes, and the page layout. Components get this state from context.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::query::format_instant;
use neo_usage::{NeoUsageError, QueryProblem, TaskUsagePage, TaskUsageQuery};
use neo_usage_client::CancelHandle;

use crate::analytics::{self, DashboardSignal, HeldStore, LoadAll};
use crate::browser;
use crate::components::{
    charts::Charts, connect_form::ConnectForm, detail_panel::DetailPanel,
    error_banner::ErrorBanner, export_buttons::ExportButtons, filter_bar::FilterBar,
    header::Header, import_panel::ImportPanel, kpi_tiles::KpiTiles, load_all::LoadAllBar,
    pagination::Pagination, server_summary::ServerSummary, usage_table::UsageTable,
};
use crate::generations::{Generation, Generations};
use crate::source::{self, DataSource, Facets, SourceId};
use crate::url_state::{RangeChoice, SourceKind, ViewState, DEFAULT_PAGE_SIZE};
use crate::zone;

/// The rows on screen, or why there are none.
#[derive(Debug, Clone, PartialEq)]
pub enum PageState {
    /// No source yet (e.g. live mode before connecting).
    Idle,
    /// A request is under way.
    Loading,
    /// The page for the current view, and the offset it starts at (the
    /// view's own offset moves first, when the user pages on).
    Loaded {
        /// Rows before this page's first row.
        offset: u64,
        /// The page itself.
        page: TaskUsagePage,
    },
    /// The request failed; the view (and what the user typed) is kept.
    Failed(NeoUsageError),
}

impl PageState {
    /// The state for the answer to `query`: its page, or why it failed.
    fn answer(query: &TaskUsageQuery, answer: Result<TaskUsagePage, NeoUsageError>) -> Self {
        match answer {
            Ok(page) => PageState::Loaded {
                offset: query.offset.unwrap_or(0),
                page,
            },
            Err(error) => PageState::Failed(error),
        }
    }
}

/// Progress of loading a data source (generating the demo, reading a file,
/// connecting).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceProgress {
    /// What is happening, for people.
    pub message: String,
    /// Done and total units, for a progress bar.
    pub done: Option<(u64, u64)>,
    /// Whether the units are bytes (a file read), not rows.
    pub in_bytes: bool,
}

impl SourceProgress {
    /// Done and total, as people read them: `4,000 / 10,000`, or
    /// `4.0 / 23.8 MB` for bytes.
    pub fn counts(&self) -> String {
        let (done, total) = self.done.unwrap_or((0, 0));
        if self.in_bytes {
            let mb = |n: u64| crate::format::decimal(n as f64 / 1_048_576.0, 1);
            format!("{} / {} MB", mb(done), mb(total))
        } else {
            format!(
                "{} / {}",
                crate::format::count(done),
                crate::format::count(total)
            )
        }
    }
}

/// What a page's total depends on: the source (by identity) and the query
/// apart from its offset. Pages of one key share their total.
pub type PagingKey = (SourceId, TaskUsageQuery);

/// The paging key of `query` over `source`.
fn paging_key(source: &Rc<DataSource>, query: &TaskUsageQuery) -> PagingKey {
    let query = TaskUsageQuery {
        offset: None,
        ..query.clone()
    };
    (SourceId::of(source), query)
}

/// State shared by every component, all of it `Copy` signals.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The view; the URL's query string mirrors it.
    pub view: RwSignal<ViewState>,
    /// What was wrong with the URL the page was opened with.
    pub url_problems: RwSignal<Vec<QueryProblem>>,
    /// Where rows come from, once loaded.
    pub source: RwSignal<Option<Rc<DataSource>>, LocalStorage>,
    /// Loading a source, when under way.
    pub source_progress: RwSignal<Option<SourceProgress>>,
    /// Why the last import or connection failed (the previous data stays).
    pub source_error: RwSignal<Option<String>>,
    /// The requests for a new source: see
    /// [`AppState::begin_source_request`].
    pub source_requests: Generations,
    /// The page of rows for the view.
    pub page: RwSignal<PageState>,
    /// The total of the last page answered, and the source and query
    /// (apart from its offset) it answered: see [`AppState::known_total`].
    pub answered_total: StoredValue<Option<(PagingKey, u64)>, LocalStorage>,
    /// Bumped to load the page again (retry).
    pub reload: RwSignal<u32>,
    /// The source panel that is open (connect form or import).
    pub panel: RwSignal<Option<SourceKind>>,
    /// Filter choices from the data.
    pub facets: Memo<Facets>,
    /// The query sent for the current view (range resolved to instants).
    pub effective_query: Memo<TaskUsageQuery>,
    /// The IANA name of the zone in use.
    pub zone_name: Memo<String>,
    /// The browser's own zone name once resolved (labels only: offsets of
    /// [`zone::LOCAL`] need no name).
    pub local_zone: RwSignal<Option<String>>,
    /// Rows held in columns for the dashboard.
    pub store: RwSignal<Option<Rc<HeldStore>>, LocalStorage>,
    /// What the store holds or is loading: source identity and range.
    pub store_key: StoredValue<Option<analytics::StoreKey>, LocalStorage>,
    /// Live load-all under way, offered, or refused.
    pub load_all: RwSignal<Option<LoadAll>>,
    /// Cancels the running load-all.
    pub load_cancel: StoredValue<Option<CancelHandle>, LocalStorage>,
    /// Why load-all failed.
    pub load_error: RwSignal<Option<NeoUsageError>>,
    /// Every aggregate for the view, when the held rows answer it.
    pub dashboard: DashboardSignal,
    /// The dashboard the charts draw: `dashboard` itself, except while the
    /// search is typed, when it follows once typing pauses
    /// ([`analytics::keep_charts_current`]).
    pub charts: DashboardSignal,
    /// Whether a search is being typed over held rows (keys less than the
    /// search debounce apart).
    pub search_typing: RwSignal<bool>,
    /// How long the last recompute of the dashboard took, in ms.
    pub compute_ms: RwSignal<f64>,
    /// Whether the first charts drawn from rows have been painted (see
    /// [`AppState::below_first_chart_waits`]).
    pub first_chart_painted: RwSignal<bool>,
}

impl AppState {
    /// Starts a request for a new source. It supersedes any still under
    /// way: what they answer later, data or failure, is dropped, so the
    /// last source the user asked for is the one shown. Their progress line
    /// is cleared; the new request shows its own. Only while
    /// [`Generation::is_current`] may it show its progress, its source or
    /// its failure.
    pub fn begin_source_request(&self) -> Generation {
        self.source_progress.set(None);
        self.source_requests.begin()
    }

    /// The row total of the view's query over the current source: the
    /// shown page's, else the last one answered for the same source and
    /// query apart from its offset. While the next page loads, or fails
    /// and waits for a retry, the pager still counts its pages ("Page 2 of
    /// 500", not "Page 2 of 1"); a new filter or source counts from none.
    pub fn known_total(&self) -> Option<u64> {
        let shown = self.page.with(|p| match p {
            PageState::Loaded { page, .. } => Some(page.total),
            _ => None,
        });
        if shown.is_some() {
            return shown;
        }
        let source = self.source.get()?;
        let key = self.effective_query.with(|q| paging_key(&source, q));
        self.answered_total
            .with_value(|a| a.as_ref().filter(|(k, _)| *k == key).map(|(_, t)| *t))
    }

    /// Shows `next` and records it as a new history entry (back and forward
    /// step through views).
    pub fn navigate(&self, next: ViewState) {
        if next != self.view.get_untracked() {
            browser::write_query(&next.to_query_string(), true);
            self.view.set(next);
        }
    }

    /// Shows `next` without writing the address bar: a search typed one
    /// keystroke after another, whose URL [`AppState::record_view`] writes
    /// once typing pauses (a history write costs about a millisecond).
    pub fn show_view(&self, next: ViewState) {
        if next != self.view.get_untracked() {
            self.view.set(next);
        }
    }

    /// Writes the view shown into the current history entry's URL.
    pub fn record_view(&self) {
        browser::write_query(&self.view.get_untracked().to_query_string(), false);
    }

    /// Applies `change` to a copy of the view and navigates to it.
    pub fn update(&self, change: impl FnOnce(&mut ViewState)) {
        let mut next = self.view.get_untracked();
        change(&mut next);
        self.navigate(next);
    }

    /// Changes filters and returns to the first page.
    pub fn update_filters(&self, change: impl FnOnce(&mut TaskUsageQuery)) {
        let next = self.view.get_untracked().with_filters(change);
        self.navigate(next);
    }

    /// The zone in use as people read it: its IANA name; the browser's own
    /// zone reads "Local time" until its name is resolved
    /// ([`AppState::resolve_local_zone`]).
    pub fn zone_label(&self) -> String {
        let key = self.zone_name.get();
        if key == zone::LOCAL {
            self.local_zone
                .get()
                .unwrap_or_else(|| "Local time".to_owned())
        } else {
            key
        }
    }

    /// Resolves the browser's zone name through `Intl` (once), for labels.
    pub fn resolve_local_zone(&self) {
        if self.local_zone.with_untracked(Option::is_none) {
            self.local_zone.set(Some(zone::browser_zone()));
        }
    }

    /// Whether every row the view can match is held in the browser, so the
    /// table pages, filters and sorts without a request.
    pub fn holds_view_rows(&self) -> bool {
        let query = analytics::analytics_query(&self.effective_query.get());
        self.store
            .with(|held| held.as_ref().is_some_and(|h| h.answers(&query)))
    }

    /// The UTC offset of the zone in use at `utc_ms`, in seconds.
    pub fn offset_at(&self, utc_ms: i64) -> i32 {
        self.zone_name
            .with_untracked(|z| zone::offset_seconds(z, utc_ms))
    }

    /// Whether what lies below the cost chart (the other charts, the
    /// table's rows) waits for a frame: only from when the first dashboard
    /// with rows reaches the charts until that frame is painted. The first
    /// frame then carries the KPIs and the cost chart alone, and the rest
    /// follows in the next one; the rows are the same, and nothing waits
    /// when there are no charts.
    pub fn below_first_chart_waits(&self) -> bool {
        !self.first_chart_painted.get()
            && self
                .charts
                .with(|d| d.as_ref().is_some_and(|d| !d.selection.is_empty()))
    }

    /// Whether rows carry member emails (admin scope).
    pub fn is_admin(&self) -> bool {
        self.facets.with(|f| !f.emails.is_empty())
    }

    /// The source's kind, when one is loaded.
    pub fn source_kind(&self) -> Option<SourceKind> {
        self.source.with(|s| s.as_ref().map(|s| s.kind()))
    }

    /// Shows the demo: the view's source becomes the demo, generated when
    /// it is not held ([`load_source_for_view`] starts that as a new source
    /// request). When it is held, a connection or import still under way
    /// is superseded, so it no longer replaces the demo when it ends.
    pub fn show_demo(&self) {
        let held = self
            .source
            .with_untracked(|s| s.as_ref().and_then(|s| demo_size(s)));
        if held == self.view.with_untracked(|v| Some(v.demo_rows)) {
            self.begin_source_request();
        }
        self.panel.set(None);
        self.update(|v| {
            v.source = SourceKind::Demo;
            v.base_url = None;
            v.query.offset = None;
            v.task = None;
        });
    }

    /// Replaces the data source and shows its first page.
    pub fn set_source(&self, next: DataSource, base_url: Option<String>) {
        let kind = next.kind();
        self.source.set(Some(Rc::new(next)));
        self.source_error.set(None);
        self.panel.set(None);
        self.update(|v| {
            v.source = kind;
            v.base_url = base_url;
            v.query.offset = None;
            v.task = None;
        });
    }
}

/// The query the view stands for: a preset range resolved to instants in
/// the view's zone, now.
pub fn effective_query(view: &ViewState, zone_name: &str) -> TaskUsageQuery {
    let mut query = view.query.clone();
    if let RangeChoice::Preset(preset) = view.range {
        let now = browser::now_utc();
        let offset = zone::offset_fn(zone_name.to_owned());
        let (from, to) = preset.bounds(now, &offset);
        query.from = from.map(format_instant);
        query.to = to.map(format_instant);
    }
    query.limit = Some(query.limit.unwrap_or(DEFAULT_PAGE_SIZE));
    query
}

/// The whole viewer.
#[component]
pub fn App() -> impl IntoView {
    let parsed = ViewState::from_query_string(&browser::location_search());
    let source: RwSignal<Option<Rc<DataSource>>, LocalStorage> =
        RwSignal::new_local(demo_before_mount(&parsed.state));
    let view = RwSignal::new(parsed.state);
    let zone_name = Memo::new(move |_| view.with(|v| zone::zone_name(&v.zone)));
    let state = AppState {
        view,
        url_problems: RwSignal::new(parsed.problems),
        source,
        source_progress: RwSignal::new(None),
        source_error: RwSignal::new(None),
        source_requests: Generations::new(),
        page: RwSignal::new(PageState::Idle),
        answered_total: StoredValue::new_local(None),
        reload: RwSignal::new(0),
        panel: RwSignal::new(None),
        facets: Memo::new(move |_| {
            source.with(|s| s.as_ref().map(|s| s.facets()).unwrap_or_default())
        }),
        effective_query: Memo::new(move |_| view.with(|v| effective_query(v, &zone_name.get()))),
        zone_name,
        local_zone: RwSignal::new(None),
        store: RwSignal::new_local(None),
        store_key: StoredValue::new_local(None),
        load_all: RwSignal::new(None),
        load_cancel: StoredValue::new_local(None),
        load_error: RwSignal::new(None),
        dashboard: RwSignal::new_local(None),
        charts: RwSignal::new_local(None),
        search_typing: RwSignal::new(false),
        compute_ms: RwSignal::new(0.0),
        first_chart_painted: RwSignal::new(false),
    };
    provide_context(state);
    // The local zone's name costs the `Intl` start-up: resolve it after the
    // first dashboard is painted, or after two seconds without one.
    set_timeout(
        move || state.resolve_local_zone(),
        std::time::Duration::from_secs(2),
    );
    check_zone(state);
    follow_history(state);
    load_source_for_view(state);
    load_page_for_view(state);
    analytics::keep_store_loaded(state);
    analytics::keep_dashboard_current(state);
    analytics::keep_charts_current(state);

    view! {
        <Header/>
        <main class="layout">
            <ConnectForm/>
            <ImportPanel/>
            <UrlProblems/>
            <FilterBar/>
            <ErrorBanner/>
            <LoadAllBar/>
            <ServerSummary/>
            <KpiTiles/>
            <Charts/>
            <ExportButtons/>
            <UsageTable/>
            <Pagination/>
        </main>
        <DetailPanel/>
    }
}

/// Back and forward restore the view the URL holds.
fn follow_history(state: AppState) {
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let parsed = ViewState::from_query_string(&browser::location_search());
        state.url_problems.set(parsed.problems);
        state.view.set(parsed.state);
    });
    on_cleanup(move || handle.remove());
}

/// A zone name the browser does not know is reported and replaced by the
/// browser's own zone.
fn check_zone(state: AppState) {
    Effect::new(move |_| {
        let zone = state.view.with(|v| v.zone.clone());
        if let crate::url_state::ZoneChoice::Named(name) = &zone {
            if !zone::is_known_zone(name) {
                state.url_problems.update(|p| {
                    p.push(QueryProblem::new(
                        crate::url_state::names::ZONE,
                        format!("is not a time zone this browser knows, got {name:?}"),
                    ))
                });
                state
                    .view
                    .update(|v| v.zone = crate::url_state::ZoneChoice::Local);
                browser::write_query(&state.view.get_untracked().to_query_string(), false);
            }
        }
    });
}

/// Loads the source the URL asks for when it is not the one held: the
/// demo (generated in chunks), a remembered live connection, or nothing
/// (an imported file is not kept across reloads).
fn load_source_for_view(state: AppState) {
    // Only a change of source or demo size: a filter changed while a demo
    // is generated or a connection is made starts neither again.
    let wanted = Memo::new(move |_| state.view.with(|v| (v.source, v.demo_rows)));
    Effect::new(move |_| {
        let (kind, demo_rows) = wanted.get();
        let held = state
            .source
            .with_untracked(|s| s.as_ref().map(|s| (s.kind(), demo_size(s))));
        match kind {
            SourceKind::Demo if held != Some((SourceKind::Demo, Some(demo_rows))) => {
                let request = state.begin_source_request();
                spawn_local(generate_demo(state, demo_rows, request));
            }
            SourceKind::Live if held.map(|h| h.0) != Some(SourceKind::Live) => {
                crate::components::connect_form::reconnect_remembered(state);
            }
            SourceKind::Import if held.map(|h| h.0) != Some(SourceKind::Import) => {
                state.panel.set(Some(SourceKind::Import));
                state.source_error.set(Some(
                    "Imported files are not kept when the page reloads: pick or drop the file again.".into(),
                ));
            }
            _ => {}
        }
    });
}

/// The demo the view asks for, generated now when it is small enough
/// ([`source::DEMO_ROWS_BEFORE_MOUNT`]): called before the app is first
/// mounted, so the app is built once, with its rows. A bigger demo, and any
/// other source, is loaded after the mount ([`load_source_for_view`]).
fn demo_before_mount(view: &ViewState) -> Option<Rc<DataSource>> {
    (view.source == SourceKind::Demo && view.demo_rows <= source::DEMO_ROWS_BEFORE_MOUNT).then(
        || {
            Rc::new(source::generate_demo_now(
                view.demo_rows,
                source::demo_anchor(),
            ))
        },
    )
}

fn demo_size(source: &DataSource) -> Option<usize> {
    match source {
        DataSource::Held(source::HeldRows {
            origin: source::HeldOrigin::Demo { tasks, .. },
            ..
        }) => Some(*tasks),
        _ => None,
    }
}

async fn generate_demo(state: AppState, rows: usize, request: Generation) {
    let total = rows as u64;
    let show_progress = move |done: u64| {
        if request.is_current() {
            state.source_progress.set(Some(SourceProgress {
                message: format!("Generating {} demo tasks…", crate::format::count(total)),
                done: Some((done, total)),
                in_bytes: false,
            }));
        }
    };
    show_progress(0);
    let demo = source::generate_demo(
        rows,
        source::demo_anchor(),
        |done| show_progress(done as u64),
        || request.is_current(),
    )
    .await;
    if let Some(demo) = demo.filter(|_| request.is_current()) {
        state.source_progress.set(None);
        state.source.set(Some(Rc::new(demo)));
    }
}

/// Loads the page for the current view whenever the view, the source, the
/// held rows or the retry counter changes: from the held rows when they
/// answer the view (no request; sorting works), else from the source. An
/// answer that arrives after a newer view is dropped.
fn load_page_for_view(state: AppState) {
    let runs = Generations::new();
    Effect::new(move |_| {
        let query = state.effective_query.get();
        let sort = state.view.with(|v| v.sort);
        state.reload.track();
        let Some(source) = state.source.get() else {
            state.page.set(PageState::Idle);
            return;
        };
        let run = runs.begin();
        let held = state.store.get();
        let key = paging_key(&source, &query);
        if let Some(page) = held.and_then(|h| analytics::page_from_store(&h, &query, sort)) {
            show_answer(state, key, &query, page);
            return;
        }
        state.page.set(PageState::Loading);
        spawn_local(async move {
            let result = source.list(&query).await;
            if run.is_current() {
                show_answer(state, key, &query, result);
            }
        });
    });
}

/// Shows the answer to `query` (of paging key `key`) in the table, and
/// remembers its total for the pages after it.
fn show_answer(
    state: AppState,
    key: PagingKey,
    query: &TaskUsageQuery,
    answer: Result<TaskUsagePage, NeoUsageError>,
) {
    if let Ok(page) = &answer {
        state.answered_total.set_value(Some((key, page.total)));
    }
    browser::mark_before_paint("neo-usage:table");
    state.page.set(PageState::answer(query, answer));
}

/// What was wrong with the URL, with a way to dismiss it.
#[component]
fn UrlProblems() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let problems = state.url_problems.get();
        (!problems.is_empty()).then(|| {
            view! {
                <div class="notice warn" role="status" data-testid="url-problems">
                    <p>{crate::url_state::describe_problems(&problems)}</p>
                    <button class="link" on:click=move |_| state.url_problems.set(Vec::new())>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
