//! The view state that lives in the URL's query string: filters, date
//! range, page, page size, time zone, sort, open task and data source.
//!
//! Filters are read and written by the core's own query reader and writer
//! (`TaskUsageQuery::from_query_pairs` / `to_query_string`), so the viewer,
//! the client and the reference server share one definition of a valid
//! query. A hand-edited bad value is reported and falls back to the
//! default for that one field; the rest of the URL still applies.

use neo_usage::query::parse_query_string;
use neo_usage::{QueryProblem, TaskUsageQuery};

use crate::range::RangePreset;

/// URL parameter names the viewer adds to the API's own.
pub mod names {
    /// Where rows come from: `demo` (default), `live` or `import`.
    pub const SOURCE: &str = "source";
    /// Size of the demo dataset.
    pub const DEMO_ROWS: &str = "rows";
    /// A date-range preset (`30d` by default) or `custom` (then `from`/`to`).
    pub const RANGE: &str = "range";
    /// Time zone: `local` (default), `utc` or an IANA name.
    pub const ZONE: &str = "tz";
    /// Sort of held rows: `<column>.<asc|desc>`.
    pub const SORT: &str = "sort";
    /// The task whose detail panel is open.
    pub const TASK: &str = "task";
    /// Live mode's API base URL (never the token).
    pub const BASE_URL: &str = "api";
    /// The cost chart's bucket: `day` (default), `week` or `month`.
    pub const BUCKET: &str = "bucket";
    /// What the cost chart is stacked by: `model` (default), `status`,
    /// `member` or `byok`.
    pub const STACK: &str = "stack";
    /// What the cost chart adds up: `credits` (default), `usd`, `byok_llm`,
    /// `byok_neo` or `tasks`.
    pub const METRIC: &str = "metric";
}

/// The cost chart's settings, kept in the URL like the filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChartChoice {
    /// Bucket index into [`ChartChoice::BUCKETS`].
    pub bucket: usize,
    /// Stack index into [`ChartChoice::STACKS`].
    pub stack: usize,
    /// Metric index into [`ChartChoice::METRICS`].
    pub metric: usize,
}

impl ChartChoice {
    /// Bucket names, default first.
    pub const BUCKETS: [&'static str; 3] = ["day", "week", "month"];
    /// Stack names, default first.
    pub const STACKS: [&'static str; 4] = ["model", "status", "member", "byok"];
    /// Metric names, default first.
    pub const METRICS: [&'static str; 5] = ["credits", "usd", "byok_llm", "byok_neo", "tasks"];

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (name, index, names) in [
            (names::BUCKET, self.bucket, &Self::BUCKETS[..]),
            (names::STACK, self.stack, &Self::STACKS[..]),
            (names::METRIC, self.metric, &Self::METRICS[..]),
        ] {
            if index != 0 {
                out.push((name, names[index].to_owned()));
            }
        }
        out
    }

    /// Reads one URL value into its field; `false` when the value is unknown.
    fn read(&mut self, name: &str, value: &str) -> bool {
        let (slot, names) = match name {
            names::BUCKET => (&mut self.bucket, &Self::BUCKETS[..]),
            names::STACK => (&mut self.stack, &Self::STACKS[..]),
            _ => (&mut self.metric, &Self::METRICS[..]),
        };
        match names.iter().position(|n| *n == value) {
            Some(i) => {
                *slot = i;
                true
            }
            None => false,
        }
    }
}

/// The page sizes the table offers.
pub const PAGE_SIZES: [u32; 4] = [25, 50, 100, 200];
/// Page size when the URL names none.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The demo dataset sizes offered.
pub const DEMO_SIZES: [usize; 5] = [1_000, 5_000, 10_000, 20_000, 100_000];
/// Demo size when the URL names none.
pub const DEFAULT_DEMO_ROWS: usize = 5_000;

/// Where the rows on screen come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceKind {
    /// The seeded dataset, generated in the browser.
    #[default]
    Demo,
    /// The Neo API (or a reference server), with a token.
    Live,
    /// A JSON file the user picked or dropped.
    Import,
}

impl SourceKind {
    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Demo => "demo",
            SourceKind::Live => "live",
            SourceKind::Import => "import",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [SourceKind::Demo, SourceKind::Live, SourceKind::Import]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// The time zone times and days are shown in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ZoneChoice {
    /// The browser's zone.
    #[default]
    Local,
    /// UTC.
    Utc,
    /// An IANA zone name such as `America/New_York` (checked by the browser).
    Named(String),
}

impl ZoneChoice {
    /// The URL value.
    pub fn as_param(&self) -> &str {
        match self {
            ZoneChoice::Local => "local",
            ZoneChoice::Utc => "utc",
            ZoneChoice::Named(name) => name,
        }
    }

    /// Reads a URL value; `None` when it cannot be a zone name at all.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        match text.to_ascii_lowercase().as_str() {
            "local" | "" => Some(ZoneChoice::Local),
            "utc" | "z" | "etc/utc" => Some(ZoneChoice::Utc),
            _ if text.len() <= 64
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b)) =>
            {
                Some(ZoneChoice::Named(text.to_owned()))
            }
            _ => None,
        }
    }
}

/// Columns the table can sort held rows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// `created_at`.
    Time,
    /// `neo_credits`.
    Credits,
    /// BYOK `llm_cost`.
    LlmCost,
    /// BYOK `neo_cost`.
    NeoCost,
    /// `step_count`.
    Steps,
    /// `tool_calls`.
    ToolCalls,
    /// `total_execution_ms`.
    Duration,
    /// Total cost in USD: credits × 10, plus the BYOK costs of BYOK rows.
    Cost,
}

impl SortColumn {
    /// Every sortable column.
    pub const ALL: [SortColumn; 8] = [
        SortColumn::Time,
        SortColumn::Cost,
        SortColumn::Credits,
        SortColumn::LlmCost,
        SortColumn::NeoCost,
        SortColumn::Steps,
        SortColumn::ToolCalls,
        SortColumn::Duration,
    ];

    /// The URL name.
    pub fn as_str(self) -> &'static str {
        match self {
            SortColumn::Time => "time",
            SortColumn::Credits => "credits",
            SortColumn::LlmCost => "llm_cost",
            SortColumn::NeoCost => "neo_cost",
            SortColumn::Steps => "steps",
            SortColumn::ToolCalls => "tool_calls",
            SortColumn::Duration => "duration",
            SortColumn::Cost => "cost",
        }
    }
}

/// A sort of held rows: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortSpec {
    /// What to sort by.
    pub column: SortColumn,
    /// Largest first.
    pub descending: bool,
}

impl SortSpec {
    /// The URL value, e.g. `credits.desc`.
    pub fn as_param(&self) -> String {
        let dir = if self.descending { "desc" } else { "asc" };
        format!("{}.{dir}", self.column.as_str())
    }

    fn parse(text: &str) -> Option<Self> {
        let (column, dir) = text.split_once('.').unwrap_or((text, "desc"));
        let column = SortColumn::ALL.into_iter().find(|c| c.as_str() == column)?;
        let descending = match dir {
            "desc" => true,
            "asc" => false,
            _ => return None,
        };
        Some(SortSpec { column, descending })
    }
}

/// The date range: a preset relative to now, or custom `from`/`to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeChoice {
    /// Relative to now, in the chosen zone; reload recomputes it.
    Preset(RangePreset),
    /// The `from`/`to` of the filters, as given.
    Custom,
}

impl Default for RangeChoice {
    fn default() -> Self {
        RangeChoice::Preset(RangePreset::Last30Days)
    }
}

/// Everything on screen that a link can share (never the token).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    /// The API filters, page size (`limit`) and page (`offset`). `from` and
    /// `to` are set only for a custom range.
    pub query: TaskUsageQuery,
    /// The date range.
    pub range: RangeChoice,
    /// The time zone.
    pub zone: ZoneChoice,
    /// Sort of held rows; `None` is the API's order (newest first).
    pub sort: Option<SortSpec>,
    /// The task whose detail panel is open.
    pub task: Option<String>,
    /// Where rows come from.
    pub source: SourceKind,
    /// Demo dataset size.
    pub demo_rows: usize,
    /// Live mode's base URL, when not the default.
    pub base_url: Option<String>,
    /// The cost chart's bucket, stack and metric.
    pub chart: ChartChoice,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            query: TaskUsageQuery::new(),
            range: RangeChoice::default(),
            zone: ZoneChoice::default(),
            sort: None,
            task: None,
            source: SourceKind::default(),
            demo_rows: DEFAULT_DEMO_ROWS,
            base_url: None,
            chart: ChartChoice::default(),
        }
    }
}

/// A URL read back: the state, and what was wrong with it (each wrong
/// field fell back to its default).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedView {
    /// The state to show.
    pub state: ViewState,
    /// One entry per value that was ignored.
    pub problems: Vec<QueryProblem>,
}

impl ViewState {
    /// The page size in effect.
    pub fn page_size(&self) -> u32 {
        self.query.limit.unwrap_or(DEFAULT_PAGE_SIZE)
    }

    /// The offset of the first row of the page.
    pub fn offset(&self) -> u64 {
        self.query.offset.unwrap_or(0)
    }

    /// The state with `change` applied to the filters and the page reset
    /// to the first (any filter change returns to page 1).
    pub fn with_filters(&self, change: impl FnOnce(&mut TaskUsageQuery)) -> ViewState {
        let mut next = self.clone();
        change(&mut next.query);
        next.query.offset = None;
        next
    }

    /// Reads a URL query string (with or without `?`).
    pub fn from_query_string(search: &str) -> ParsedView {
        let search = search.strip_prefix('?').unwrap_or(search);
        let mut problems = Vec::new();
        let (viewer, api): (Vec<_>, Vec<_>) = parse_query_string(search)
            .into_iter()
            .partition(|(name, _)| is_viewer_param(name));
        let mut state = ViewState {
            query: read_api_query(api, &mut problems),
            ..ViewState::default()
        };
        for (name, value) in &viewer {
            read_viewer_param(&mut state, name, value, &mut problems);
        }
        settle_range(&mut state, &viewer);
        ParsedView { state, problems }
    }

    /// The query string for this state (without `?`), defaults left out.
    pub fn to_query_string(&self) -> String {
        let mut viewer: Vec<(&str, String)> = Vec::new();
        if self.source != SourceKind::Demo {
            viewer.push((names::SOURCE, self.source.as_str().to_owned()));
        }
        if let Some(base) = &self.base_url {
            viewer.push((names::BASE_URL, base.clone()));
        }
        if self.source == SourceKind::Demo && self.demo_rows != DEFAULT_DEMO_ROWS {
            viewer.push((names::DEMO_ROWS, self.demo_rows.to_string()));
        }
        match self.range {
            RangeChoice::Preset(p) if p == RangePreset::default() => {}
            RangeChoice::Preset(p) => viewer.push((names::RANGE, p.as_str().to_owned())),
            RangeChoice::Custom => viewer.push((names::RANGE, "custom".to_owned())),
        }
        let mut query = self.query.clone();
        if query.limit == Some(DEFAULT_PAGE_SIZE) {
            query.limit = None;
        }
        if query.offset == Some(0) {
            query.offset = None;
        }
        if self.range != RangeChoice::Custom {
            query.from = None;
            query.to = None;
        }
        // A state built from a parsed URL is valid; anything else that is
        // not is written without the API part rather than not at all.
        let api = query.to_query_string().unwrap_or_default();
        if self.zone != ZoneChoice::Local {
            viewer.push((names::ZONE, self.zone.as_param().to_owned()));
        }
        if let Some(sort) = self.sort {
            viewer.push((names::SORT, sort.as_param()));
        }
        viewer.extend(self.chart.pairs());
        if let Some(task) = &self.task {
            viewer.push((names::TASK, task.clone()));
        }
        let viewer = encode_pairs(&viewer);
        match (viewer.is_empty(), api.is_empty()) {
            (true, _) => api,
            (false, true) => viewer,
            (false, false) => format!("{viewer}&{api}"),
        }
    }
}

fn is_viewer_param(name: &str) -> bool {
    [
        names::SOURCE,
        names::DEMO_ROWS,
        names::RANGE,
        names::ZONE,
        names::SORT,
        names::TASK,
        names::BASE_URL,
        names::BUCKET,
        names::STACK,
        names::METRIC,
    ]
    .contains(&name)
}

fn query_problems(error: neo_usage::NeoUsageError) -> Vec<QueryProblem> {
    match error {
        neo_usage::NeoUsageError::InvalidQuery { problems } => problems,
        other => vec![QueryProblem::new("query", other.to_string())],
    }
}

/// The API part through the core's reader; a parameter it names as wrong
/// is dropped and the rest read again, so one bad value costs one field.
fn read_api_query(
    mut pairs: Vec<(String, String)>,
    problems: &mut Vec<QueryProblem>,
) -> TaskUsageQuery {
    for _ in 0..=pairs.len() {
        match TaskUsageQuery::from_query_pairs(&pairs) {
            Ok(query) => return query,
            Err(error) => {
                let found = query_problems(error);
                let before = pairs.len();
                pairs.retain(|(name, _)| !found.iter().any(|p| &p.parameter == name));
                problems.extend(found);
                if pairs.len() == before {
                    break;
                }
            }
        }
    }
    TaskUsageQuery::new()
}

fn read_viewer_param(
    state: &mut ViewState,
    name: &str,
    value: &str,
    problems: &mut Vec<QueryProblem>,
) {
    let mut bad =
        |what: &str| problems.push(QueryProblem::new(name, format!("{what}, got {value:?}")));
    match name {
        names::SOURCE => match SourceKind::parse(value) {
            Some(kind) => state.source = kind,
            None => bad("must be demo, live or import"),
        },
        names::DEMO_ROWS => match value.parse::<usize>() {
            Ok(n) if DEMO_SIZES.contains(&n) => state.demo_rows = n,
            _ => bad("must be one of 1000, 5000, 10000, 20000, 100000"),
        },
        names::ZONE => match ZoneChoice::parse(value) {
            Some(zone) => state.zone = zone,
            None => bad("must be local, utc or an IANA time zone name"),
        },
        names::SORT => match SortSpec::parse(value) {
            Some(sort) => state.sort = Some(sort),
            None => bad("must be a column (time, credits, llm_cost, neo_cost, steps, tool_calls, duration) and .asc or .desc"),
        },
        names::TASK if !value.trim().is_empty() => state.task = Some(value.trim().to_owned()),
        names::BASE_URL if value.starts_with("http://") || value.starts_with("https://") => {
            state.base_url = Some(value.to_owned())
        }
        names::BASE_URL => bad("must start with http:// or https://"),
        names::BUCKET | names::STACK | names::METRIC if !state.chart.read(name, value) => {
            bad("is not one of the chart's choices")
        }
        _ => {}
    }
}

/// `range` wins when it names a preset; `custom` or a bare `from`/`to`
/// means the given bounds; nothing means the default, the last 30 days.
fn settle_range(state: &mut ViewState, viewer: &[(String, String)]) {
    let has_bounds = state.query.from.is_some() || state.query.to.is_some();
    let named = viewer
        .iter()
        .find(|(n, _)| n == names::RANGE)
        .map(|(_, v)| v.as_str());
    state.range = match named.and_then(RangePreset::parse) {
        Some(preset) => RangeChoice::Preset(preset),
        None if has_bounds => RangeChoice::Custom,
        None => RangeChoice::default(),
    };
    if let RangeChoice::Preset(_) = state.range {
        state.query.from = None;
        state.query.to = None;
    }
}

fn encode_pairs(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a value as `application/x-www-form-urlencoded` does
/// for the characters that matter in a query string.
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The parameter of the first problem, for messages.
pub fn describe_problems(problems: &[QueryProblem]) -> String {
    let list: Vec<String> = problems
        .iter()
        .map(|p| format!("`{}` {}", p.parameter, p.message))
        .collect();
    format!(
        "This link has values the viewer cannot use, so it shows the default for each instead: {}.",
        list.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::TaskStatus;

    #[test]
    fn empty_url_is_the_default_view() {
        let parsed = ViewState::from_query_string("");
        assert_eq!(parsed.state, ViewState::default());
        assert!(parsed.problems.is_empty());
        assert_eq!(ViewState::default().to_query_string(), "");
    }

    #[test]
    fn every_field_round_trips() {
        let state = ViewState {
            query: TaskUsageQuery::new()
                .status(TaskStatus::Error)
                .model("gpt-4o")
                .search("a&b c")
                .email("alice@acme-sec.example")
                .is_byok(true)
                .task_id("t-1")
                .from("2026-11-01T00:00:00Z")
                .to("2026-11-08T00:00:00Z")
                .limit(100)
                .offset(200),
            range: RangeChoice::Custom,
            zone: ZoneChoice::Named("America/New_York".into()),
            sort: Some(SortSpec {
                column: SortColumn::Credits,
                descending: false,
            }),
            task: Some("t-9".into()),
            source: SourceKind::Import,
            demo_rows: DEFAULT_DEMO_ROWS,
            base_url: None,
            chart: ChartChoice {
                bucket: 1,
                stack: 2,
                metric: 4,
            },
        };
        let text = state.to_query_string();
        let parsed = ViewState::from_query_string(&format!("?{text}"));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.state, state, "{text}");
    }

    #[test]
    fn a_bad_value_falls_back_for_that_field_only() {
        let parsed = ViewState::from_query_string(
            "status=nope&model=o3&limit=999&tz=%3Cscript%3E&rows=7&bucket=year",
        );
        assert_eq!(parsed.state.query.model.as_deref(), Some("o3"));
        assert_eq!(parsed.state.query.status, None);
        assert_eq!(parsed.state.query.limit, None);
        assert_eq!(parsed.state.zone, ZoneChoice::Local);
        assert_eq!(parsed.state.demo_rows, DEFAULT_DEMO_ROWS);
        let named: Vec<&str> = parsed
            .problems
            .iter()
            .map(|p| p.parameter.as_str())
            .collect();
        assert_eq!(named, ["status", "limit", "tz", "rows", "bucket"]);
        assert_eq!(parsed.state.chart, ChartChoice::default());
        assert!(describe_problems(&parsed.problems).contains("`status` must be one of"));
    }

    #[test]
    fn a_preset_ignores_stale_bounds_and_custom_keeps_them() {
        let parsed = ViewState::from_query_string("range=7d&from=2026-11-01T00:00:00Z");
        assert_eq!(
            parsed.state.range,
            RangeChoice::Preset(RangePreset::Last7Days)
        );
        assert_eq!(parsed.state.query.from, None);
        let parsed = ViewState::from_query_string("from=2026-11-01T00:00:00Z");
        assert_eq!(parsed.state.range, RangeChoice::Custom);
        let parsed =
            ViewState::from_query_string("from=2026-11-09T00:00:00Z&to=2026-11-01T00:00:00Z");
        assert_eq!(parsed.state.query.from, None, "from after to drops from");
        assert_eq!(
            parsed.state.query.to.as_deref(),
            Some("2026-11-01T00:00:00Z")
        );
    }

    #[test]
    fn filter_change_returns_to_first_page() {
        let state = ViewState {
            query: TaskUsageQuery::new().offset(150).limit(50),
            ..ViewState::default()
        };
        let next = state.with_filters(|q| q.model = Some("o3".into()));
        assert_eq!(next.offset(), 0);
        assert_eq!(next.page_size(), 50);
    }

    #[test]
    fn invalid_utf8_escapes_are_read_lossily_not_a_crash() {
        let parsed = ViewState::from_query_string("model=%FF%FE&tz=utc");
        assert_eq!(
            parsed.state.query.model.as_deref(),
            Some("\u{FFFD}\u{FFFD}")
        );
        assert_eq!(parsed.state.zone, ZoneChoice::Utc);
    }
}
