//! The query engine: the usage API's answers computed from rows in memory.
//!
//! Used by the HTTP server and, compiled to `wasm32`, by the web viewer's
//! no-account demo. [`Engine::answer`] takes a role, a path and a raw query
//! string and returns the JSON body or an [`ApiError`], so both callers
//! behave the same. Rows are sorted once (newest first) when loaded; every
//! request is a plain linear scan, simple and fast enough for 100k rows.
//!
//! Rules:
//! - [`Role::Admin`] sees every row with `email` and may filter by `email`;
//!   [`Role::Solo`] sees only [`Engine::solo_email`]'s rows, without `email`;
//!   an `email` filter from a solo user matches all their rows when it is
//!   their own address and nothing otherwise (the scope is never widened);
//!   members and viewers get 403 on every endpoint.
//! - `from` is inclusive, `to` exclusive; `search` is a case-insensitive
//!   substring of `task_id` or `email`; `model`, `task_id`, `email` are exact.
//!   Rows without `is_byok` count as non-BYOK. Empty free-text filters are
//!   ignored (see `lenient_pairs`), as the contract allows them; `from`
//!   after `to` is a 422, as for every invalid parameter.
//! - Task and stream lists are newest first (`created_at` desc, then
//!   `task_id` desc; streams then `stream_id` desc); `sort=cost` orders
//!   streams by [`streams::cost_units`] desc, then newest first.
//! - `offset` defaults to 0, `limit` to 50 (1..=200); `total` counts every
//!   match; `has_more = offset + len < total`.

use neo_usage::sorting::sort_stable_by_key;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use neo_usage::{
    params, paths,
    query::{parse_instant, parse_query_string, search_matches},
    StreamSort, StreamUsageQuery, SummaryQuery, TaskUsage, TaskUsagePage, TaskUsageQuery,
    UsageSummary,
};

use crate::dataset::{self, DatasetSpec};
use crate::error::ApiError;
use crate::money;
use crate::role::Role;
use crate::streams::{self, streams_of};
use crate::summary::{summarise, AccountFacts};

/// Rows in memory and the rules to answer queries over them.
#[derive(Debug, Clone)]
pub struct Engine {
    tasks: Vec<TaskUsage>,
    /// Built on first use: the viewer's demo rarely lists streams across
    /// all tasks, and 100k tasks make about 250k stream rows.
    streams: OnceLock<Vec<TaskUsage>>,
    solo_email: Option<String>,
    account: AccountFacts,
}

/// The filters the task and stream lists share, with `from`/`to` parsed.
#[derive(Debug, Default)]
struct RowFilter<'q> {
    task_id: Option<&'q str>,
    stream_id: Option<&'q str>,
    status: Option<&'q neo_usage::TaskStatus>,
    model: Option<&'q str>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    search_lower: Option<String>,
    email: Option<&'q str>,
    is_byok: Option<bool>,
}

impl RowFilter<'_> {
    fn matches(&self, row: &TaskUsage) -> bool {
        self.task_id.is_none_or(|id| row.task_id == id.trim())
            && self.stream_id.is_none_or(|id| {
                row.stream_id
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(id.trim()))
            })
            && self.status.is_none_or(|s| &row.status == s)
            && self.model.is_none_or(|m| row.model == m.trim())
            && self.from.is_none_or(|from| row.created_at >= from)
            && self.to.is_none_or(|to| row.created_at < to)
            && self
                .email
                .is_none_or(|e| row.email.as_deref() == Some(e.trim()))
            && self
                .is_byok
                .is_none_or(|b| row.is_byok.unwrap_or(false) == b)
            && self.search_lower.as_deref().is_none_or(|needle| {
                search_matches(&row.task_id, needle)
                    || row
                        .email
                        .as_deref()
                        .is_some_and(|e| search_matches(e, needle))
            })
    }
}

impl Engine {
    /// An engine over `rows` (any order; they are sorted newest first here).
    /// `solo_email` is the solo user's address: `None` lets the solo user
    /// see every row (an export of one person's account has no emails).
    /// `now` anchors the account facts of the summary.
    pub fn new(mut rows: Vec<TaskUsage>, solo_email: Option<String>, now: DateTime<Utc>) -> Self {
        dataset::sort_newest_first(&mut rows);
        Engine {
            tasks: rows,
            streams: OnceLock::new(),
            solo_email,
            account: AccountFacts::monthly(now),
        }
    }

    /// The seeded demo dataset, with [`dataset::SOLO_EMAIL`] as the solo user.
    pub fn demo(spec: DatasetSpec) -> Self {
        Engine::new(
            dataset::generate(spec),
            Some(dataset::SOLO_EMAIL.to_owned()),
            spec.now,
        )
    }

    /// Rows loaded from a file: the solo user is [`dataset::SOLO_EMAIL`] when
    /// some row has it, else the email of the newest row that has one, else
    /// nobody in particular (the solo user sees every row).
    pub fn from_rows(rows: Vec<TaskUsage>, now: DateTime<Utc>) -> Self {
        let solo = if rows
            .iter()
            .any(|r| r.email.as_deref() == Some(dataset::SOLO_EMAIL))
        {
            Some(dataset::SOLO_EMAIL.to_owned())
        } else {
            let mut sorted: Vec<&TaskUsage> = rows.iter().collect();
            sort_stable_by_key(&mut sorted, |r| std::cmp::Reverse(r.created_at));
            sorted.iter().find_map(|r| r.email.clone())
        };
        Engine::new(rows, solo, now)
    }

    /// The solo user's email, if the solo user is one team member.
    pub fn solo_email(&self) -> Option<&str> {
        self.solo_email.as_deref()
    }

    /// Every task row, newest first (admin view).
    pub fn tasks(&self) -> &[TaskUsage] {
        &self.tasks
    }

    /// Every stream row, newest first (admin view); built on first call.
    pub fn streams(&self) -> &[TaskUsage] {
        self.streams.get_or_init(|| {
            let mut rows: Vec<TaskUsage> = self.tasks.iter().flat_map(streams_of).collect();
            sort_streams(&mut rows);
            rows
        })
    }

    /// Number of task rows.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether there are no task rows.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Adds a task (and its streams) in its sorted place: a live team's new
    /// task lands at the head of the list.
    pub fn insert(&mut self, row: TaskUsage) {
        let at = self
            .tasks
            .partition_point(|r| (r.created_at, &r.task_id) > (row.created_at, &row.task_id));
        if let Some(streams) = self.streams.get_mut() {
            for stream in streams_of(&row) {
                let at = streams.partition_point(|s| stream_key(s) > stream_key(&stream));
                streams.insert(at, stream);
            }
        }
        self.tasks.insert(at, row);
    }

    fn visible(&self, role: Role, row: &TaskUsage) -> bool {
        match role {
            Role::Admin => true,
            Role::Solo => match &self.solo_email {
                Some(me) => row.email.as_deref() == Some(me.as_str()),
                None => true,
            },
            Role::Member | Role::Viewer => false,
        }
    }

    /// A row as `role` sees it: without `email` for a solo user.
    pub fn present(role: Role, row: &TaskUsage) -> TaskUsage {
        let mut out = row.clone();
        if role != Role::Admin {
            out.email = None;
        }
        out
    }

    /// The `email` filter as applied for `role`: a solo user's own address
    /// keeps their rows, another one matches nothing.
    fn email_filter<'q>(&self, role: Role, email: Option<&'q str>) -> Result<Option<&'q str>, ()> {
        match (role, email) {
            (_, None) | (Role::Admin, _) => Ok(email),
            (_, Some(e)) => match &self.solo_email {
                Some(me) if me == e.trim() => Ok(None),
                None => Ok(None),
                Some(_) => Err(()),
            },
        }
    }

    /// The rows of `rows` that `role` may see and `filter` keeps, in order.
    fn select<'a>(
        &self,
        role: Role,
        rows: &'a [TaskUsage],
        filter: &RowFilter,
    ) -> Vec<&'a TaskUsage> {
        rows.iter()
            .filter(|r| self.visible(role, r) && filter.matches(r))
            .collect()
    }

    fn check_role(role: Role) -> Result<(), ApiError> {
        if role.may_read_usage() {
            Ok(())
        } else {
            Err(ApiError::Forbidden { role })
        }
    }

    fn page(
        role: Role,
        matches: Vec<&TaskUsage>,
        offset: Option<u64>,
        limit: Option<u32>,
    ) -> TaskUsagePage {
        let total = matches.len() as u64;
        let offset = offset.unwrap_or(0);
        let limit = u64::from(limit.unwrap_or(neo_usage::params::DEFAULT_LIMIT));
        let data: Vec<TaskUsage> = matches
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(limit as usize)
            .map(|r| Engine::present(role, r))
            .collect();
        TaskUsagePage {
            has_more: offset.saturating_add(data.len() as u64) < total,
            data,
            total,
        }
    }

    /// `GET /api/v1/usage/tasks`.
    pub fn list_tasks(
        &self,
        role: Role,
        query: &TaskUsageQuery,
    ) -> Result<TaskUsagePage, ApiError> {
        let matches = self.matching_tasks(role, query)?;
        Ok(Engine::page(role, matches, query.offset, query.limit))
    }

    /// Every task row `role` may see that `query`'s filters keep, newest
    /// first, ignoring `offset` and `limit`: what the list would page
    /// through. The viewer sorts and aggregates these rows in memory. Rows
    /// carry `email` whatever the role (see [`Engine::present`] for what an
    /// answer shows).
    pub fn matching_tasks(
        &self,
        role: Role,
        query: &TaskUsageQuery,
    ) -> Result<Vec<&TaskUsage>, ApiError> {
        Engine::check_role(role)?;
        query.validate().map_err(ApiError::from_query_error)?;
        let Ok(email) = self.email_filter(role, query.email.as_deref()) else {
            return Ok(Vec::new());
        };
        let filter = RowFilter {
            task_id: query.task_id.as_deref(),
            status: query.status.as_ref(),
            model: query.model.as_deref(),
            from: instant(&query.from),
            to: instant(&query.to),
            search_lower: query.search.as_deref().map(|s| s.trim().to_lowercase()),
            email,
            is_byok: query.is_byok,
            ..RowFilter::default()
        };
        Ok(self.select(role, &self.tasks, &filter))
    }

    /// `GET /api/v1/usage/tasks/{task_id}`: 404 when absent or not visible.
    pub fn task(&self, role: Role, task_id: &str) -> Result<TaskUsage, ApiError> {
        Engine::check_role(role)?;
        self.tasks
            .iter()
            .find(|r| r.task_id == task_id && self.visible(role, r))
            .map(|r| Engine::present(role, r))
            .ok_or_else(|| ApiError::NotFound {
                what: format!("no task {task_id:?} in your usage"),
            })
    }

    /// `GET /api/v1/usage/streams`.
    pub fn list_streams(
        &self,
        role: Role,
        query: &StreamUsageQuery,
    ) -> Result<TaskUsagePage, ApiError> {
        Engine::check_role(role)?;
        query.validate().map_err(ApiError::from_query_error)?;
        let Ok(email) = self.email_filter(role, query.email.as_deref()) else {
            return Ok(Engine::page(role, Vec::new(), query.offset, query.limit));
        };
        let filter = RowFilter {
            task_id: query.task_id.as_deref(),
            stream_id: query.stream_id.as_deref(),
            status: query.status.as_ref(),
            model: query.model.as_deref(),
            from: instant(&query.from),
            to: instant(&query.to),
            email,
            ..RowFilter::default()
        };
        let mut matches = self.select(role, self.streams(), &filter);
        if query.sort == Some(StreamSort::Cost) {
            // Stable: equal costs stay newest first.
            sort_stable_by_key(&mut matches, |r| std::cmp::Reverse(streams::cost_units(r)));
        }
        Ok(Engine::page(role, matches, query.offset, query.limit))
    }

    /// `GET /api/v1/usage/summary`.
    pub fn summary(&self, role: Role, query: &SummaryQuery) -> Result<UsageSummary, ApiError> {
        Engine::check_role(role)?;
        query.validate().map_err(ApiError::from_query_error)?;
        let from = instant(&query.from);
        let to = instant(&query.to);
        let mine = || self.tasks.iter().filter(|r| self.visible(role, r));
        let post_reset = money::sum(
            mine()
                .filter(|r| r.created_at >= self.account.last_credit_reset)
                .map(|r| &r.neo_credits),
        );
        let in_range = mine().filter(|r| {
            from.is_none_or(|f| r.created_at >= f) && to.is_none_or(|t| r.created_at < t)
        });
        Ok(summarise(
            in_range,
            query.group_by,
            role == Role::Admin,
            post_reset,
            &self.account,
        ))
    }

    /// Answers `GET path?raw_query` for `role` with the JSON body, exactly as
    /// the server does (routing, query validation, role rules). `path` is
    /// the URL path as sent (percent-encoded).
    pub fn answer(&self, role: Role, path: &str, raw_query: &str) -> Result<String, ApiError> {
        let pairs = || lenient_pairs(parse_query_string(raw_query));
        let json = |value: Result<String, serde_json::Error>| {
            value.map_err(|e| ApiError::Internal {
                message: format!("cannot encode the answer: {e}"),
            })
        };
        let path = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        if path == paths::TASKS {
            Engine::check_role(role)?;
            let query =
                TaskUsageQuery::from_query_pairs(&pairs()).map_err(ApiError::from_query_error)?;
            json(serde_json::to_string(&self.list_tasks(role, &query)?))
        } else if path == paths::STREAMS {
            Engine::check_role(role)?;
            let query =
                StreamUsageQuery::from_query_pairs(&pairs()).map_err(ApiError::from_query_error)?;
            json(serde_json::to_string(&self.list_streams(role, &query)?))
        } else if path == paths::SUMMARY {
            Engine::check_role(role)?;
            let query =
                SummaryQuery::from_query_pairs(&pairs()).map_err(ApiError::from_query_error)?;
            json(serde_json::to_string(&self.summary(role, &query)?))
        } else if let Some(encoded) = path
            .strip_prefix(paths::TASK_BY_ID_PREFIX)
            .filter(|id| !id.is_empty() && !id.contains('/'))
        {
            Engine::check_role(role)?;
            let task_id = percent_decode(encoded).ok_or_else(|| ApiError::NotFound {
                what: format!("task id {encoded:?} is not valid percent-encoded UTF-8"),
            })?;
            json(serde_json::to_string(&self.task(role, &task_id)?))
        } else {
            Err(ApiError::NotFound {
                what: format!("no endpoint at {path}"),
            })
        }
    }
}

/// Free-text filters that read as absent when empty.
const TEXT_FILTERS: [&str; 4] = [
    params::TASK_ID,
    params::MODEL,
    params::SEARCH,
    params::EMAIL,
];

/// What the server accepts beyond the core's client-side rules, because the
/// contract allows it: an empty free-text filter (`model=`) is no filter,
/// and an `offset` beyond 64 bits is past the end. Everything else,
/// including the 422 for `from` after `to`, is left to the core's
/// `from_query_pairs`.
fn lenient_pairs(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.retain(|(name, value)| {
        !(TEXT_FILTERS.contains(&name.as_str()) && value.trim().is_empty())
    });
    // The contract puts no upper bound on `offset`: a whole number too big
    // for 64 bits is simply past the end.
    for (name, value) in pairs.iter_mut() {
        let digits = value.trim();
        if name == params::OFFSET
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.parse::<u64>().is_err()
        {
            *value = u64::MAX.to_string();
        }
    }
    pairs
}

/// An RFC 3339 parameter as a UTC instant (already validated by the query).
fn instant(text: &Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref().and_then(parse_instant)
}

fn stream_key(s: &TaskUsage) -> (DateTime<Utc>, &str, &str) {
    (
        s.created_at,
        s.task_id.as_str(),
        s.stream_id.as_deref().unwrap_or(""),
    )
}

fn sort_streams(rows: &mut Vec<TaskUsage>) {
    dataset::sort_by_permutation(rows, |a, b| stream_key(b).cmp(&stream_key(a)));
}

/// Decodes `%XX` escapes (the `percent-encoding` crate); `None` when the
/// result is not UTF-8. A malformed escape stays as it is written, as
/// browsers and the WHATWG URL rules leave it.
pub fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::reference_now;
    use neo_usage::TaskStatus;
    use std::collections::BTreeSet;

    fn engine(tasks: usize) -> Engine {
        Engine::demo(DatasetSpec::new(42, tasks, reference_now()))
    }

    fn page(e: &Engine, role: Role, query: &str) -> TaskUsagePage {
        serde_json::from_str(&e.answer(role, paths::TASKS, query).unwrap()).unwrap()
    }

    #[test]
    fn roles_scope_rows_and_emails() {
        let e = engine(500);
        let admin = page(&e, Role::Admin, "limit=200");
        assert_eq!(admin.total, 500);
        assert!(admin.data.iter().all(|r| r.email.is_some()));
        let solo = page(&e, Role::Solo, "limit=200");
        let expected = e
            .tasks()
            .iter()
            .filter(|r| r.email.as_deref() == Some(dataset::SOLO_EMAIL))
            .count() as u64;
        assert_eq!(solo.total, expected);
        assert!(solo.total > 0 && solo.total < 500);
        assert!(solo.data.iter().all(|r| r.email.is_none()));
        for role in [Role::Member, Role::Viewer] {
            for path in [
                paths::TASKS,
                paths::STREAMS,
                paths::SUMMARY,
                "/api/v1/usage/tasks/x",
            ] {
                assert_eq!(e.answer(role, path, "").unwrap_err().status(), 403);
            }
        }
    }

    #[test]
    fn solo_email_filter_never_widens_the_scope() {
        let e = engine(300);
        let own = page(&e, Role::Solo, &format!("email={}", dataset::SOLO_EMAIL));
        assert_eq!(own.total, page(&e, Role::Solo, "").total);
        assert_eq!(
            page(&e, Role::Solo, "email=alice%40acme-sec.example").total,
            0
        );
    }

    #[test]
    fn pages_cover_every_match_once_newest_first() {
        let e = engine(1_000);
        let mut seen = BTreeSet::new();
        let mut offset = 0;
        let mut last: Option<TaskUsage> = None;
        loop {
            let p = page(
                &e,
                Role::Admin,
                &format!("status=completed&limit=37&offset={offset}"),
            );
            for r in &p.data {
                assert!(seen.insert(r.task_id.clone()));
                if let Some(prev) = &last {
                    assert!((prev.created_at, &prev.task_id) > (r.created_at, &r.task_id));
                }
                last = Some(r.clone());
            }
            offset += p.data.len();
            assert_eq!(p.has_more, (offset as u64) < p.total);
            if !p.has_more {
                assert_eq!(seen.len() as u64, p.total);
                break;
            }
        }
    }

    #[test]
    fn filters_apply() {
        let e = engine(800);
        let t = &e.tasks()[10];
        let by_id = page(&e, Role::Admin, &format!("task_id={}", t.task_id));
        assert_eq!(by_id.total, 1);
        for r in page(&e, Role::Admin, "model=o3&limit=200").data {
            assert_eq!(r.model, "o3");
        }
        for r in page(&e, Role::Admin, "is_byok=true&limit=200").data {
            assert_eq!(r.is_byok, Some(true));
        }
        for r in page(&e, Role::Admin, "status=blocked&limit=200").data {
            assert_eq!(r.status, TaskStatus::Blocked);
        }
        for r in page(&e, Role::Admin, "search=BOB%40&limit=200").data {
            assert_eq!(r.email.as_deref(), Some("bob@acme-sec.example"));
        }
        let at = t.created_at.to_rfc3339();
        let from = page(
            &e,
            Role::Admin,
            &format!("from={}&limit=200", at.replace('+', "%2B")),
        );
        assert_eq!(from.total, 11, "from is inclusive");
        let to = page(&e, Role::Admin, &format!("to={}", at.replace('+', "%2B")));
        assert_eq!(to.total, 800 - 11, "to is exclusive");
    }

    #[test]
    fn invalid_queries_list_every_problem() {
        let e = engine(10);
        let err = e
            .answer(
                Role::Admin,
                paths::TASKS,
                "limit=0&offset=-1&status=paused&from=yesterday",
            )
            .unwrap_err();
        assert_eq!(err.status(), 422);
        let body: serde_json::Value = serde_json::from_str(&err.body()).unwrap();
        let params: Vec<&str> = body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["parameter"].as_str().unwrap())
            .collect();
        for p in ["limit", "offset", "status", "from"] {
            assert!(params.contains(&p), "{params:?}");
        }
        assert!(body["error"].as_str().unwrap().contains("limit"));
    }

    #[test]
    fn task_by_id_respects_scope() {
        let e = engine(200);
        let other = e
            .tasks()
            .iter()
            .find(|r| r.email.as_deref() != Some(dataset::SOLO_EMAIL))
            .unwrap();
        let path = neo_usage::task_path(&other.task_id);
        assert!(e.answer(Role::Admin, &path, "").is_ok());
        assert_eq!(e.answer(Role::Solo, &path, "").unwrap_err().status(), 404);
        assert_eq!(
            e.answer(Role::Admin, "/api/v1/usage/tasks/nope", "")
                .unwrap_err()
                .status(),
            404
        );
        assert_eq!(
            e.answer(Role::Admin, "/api/v1/other", "")
                .unwrap_err()
                .status(),
            404
        );
    }

    #[test]
    fn streams_filter_and_sort_by_cost() {
        let e = engine(300);
        let all: TaskUsagePage =
            serde_json::from_str(&e.answer(Role::Admin, paths::STREAMS, "limit=200").unwrap())
                .unwrap();
        assert_eq!(all.total as usize, e.streams().len());
        let by_cost: TaskUsagePage = serde_json::from_str(
            &e.answer(Role::Admin, paths::STREAMS, "sort=cost&limit=200")
                .unwrap(),
        )
        .unwrap();
        assert!(by_cost
            .data
            .windows(2)
            .all(|w| streams::cost_units(&w[0]) >= streams::cost_units(&w[1])));
        let one = &e.streams()[5];
        let q = format!("stream_id={}", one.stream_id.clone().unwrap());
        let found: TaskUsagePage =
            serde_json::from_str(&e.answer(Role::Admin, paths::STREAMS, &q).unwrap()).unwrap();
        assert_eq!(found.total, 1);
    }

    #[test]
    fn summary_totals_match_rows() {
        let e = engine(2_000);
        let s = e.summary(Role::Admin, &SummaryQuery::new()).unwrap();
        assert_eq!(s.total_tasks, 2_000);
        assert_eq!(
            money::to_units(s.total_neo_credits),
            e.tasks()
                .iter()
                .map(|r| r.neo_credits.map_or(0, money::to_units))
                .sum::<i64>()
        );
        assert_eq!(s.by_status.values().sum::<u64>(), 2_000);
        assert_eq!(
            s.by_model.values().filter_map(|m| m.tasks).sum::<u64>(),
            2_000
        );
        assert_eq!(s.by_email.len(), 8);
        assert!(s
            .by_email
            .windows(2)
            .all(|w| w[0].neo_credits >= w[1].neo_credits));
        assert!(s.by_period.is_empty());
        let week = e
            .summary(
                Role::Admin,
                &SummaryQuery::new().group_by(neo_usage::GroupBy::Week),
            )
            .unwrap();
        assert_eq!(
            week.by_period.iter().filter_map(|p| p.tasks).sum::<u64>(),
            2_000
        );
        let solo = e.summary(Role::Solo, &SummaryQuery::new()).unwrap();
        assert!(solo.by_email.is_empty() && solo.total_tasks < 2_000);
    }

    #[test]
    fn inserted_rows_land_at_the_head() {
        let mut e = engine(50);
        let head = e.tasks()[0].created_at;
        let row = dataset::generate_row(42, 50, Some(head + chrono::Duration::seconds(5)), head);
        let id = row.task_id.clone();
        e.insert(row);
        assert_eq!(e.tasks()[0].task_id, id);
        assert_eq!(e.len(), 51);
    }
}
