//! The selection equals the reference server's `Engine::matching_tasks`, in
//! the same order, for many random queries; sorting is a stable sort.

mod common;

use common::{dataset, random_query, store_of};
use neo_usage::{money::to_units, TaskUsage, TaskUsageQuery};
use neo_usage_analytics::{select, Direction, SortColumn, UsageStore};
use neo_usage_mock::{dataset::reference_now, prng::SplitMix64, Engine, Role};

/// The task ids `select` keeps, in order.
fn selected_ids<'s>(store: &'s UsageStore, query: &TaskUsageQuery) -> Vec<&'s str> {
    select(store, query)
        .unwrap()
        .iter()
        .map(|i| store.task_id(i))
        .collect()
}

/// Asserts that `select` keeps the task ids the reference engine matches
/// for `query`, in its order; returns them.
fn assert_selects_as_the_engine<'s>(
    store: &'s UsageStore,
    engine: &Engine,
    query: &TaskUsageQuery,
    round: usize,
) -> Vec<&'s str> {
    let expected: Vec<String> = engine
        .matching_tasks(Role::Admin, query)
        .unwrap()
        .iter()
        .map(|r| r.task_id.clone())
        .collect();
    let got = selected_ids(store, query);
    assert_eq!(got, expected, "round {round}: {query:?}");
    got
}

#[test]
fn selection_equals_the_reference_engine() {
    let rows = dataset(11, 6_000);
    let engine = Engine::new(rows.clone(), None, reference_now());
    let store = store_of(&rows);
    let mut rng = SplitMix64::new(2026);
    let mut non_empty = 0;
    for round in 0..400 {
        let query = random_query(&mut rng, &rows);
        let got = assert_selects_as_the_engine(&store, &engine, &query, round);
        non_empty += usize::from(!got.is_empty());
    }
    assert!(non_empty > 150, "only {non_empty} queries matched rows");
}

/// The search over task ids, lower-case ASCII as the API's and mixed with
/// upper-case and non-ASCII ids, equals the reference engine's, for
/// needles cut from ids and across two ids (text that runs from one id
/// into the next must not match).
#[test]
fn searches_equal_the_engine_over_lower_case_and_mixed_ids() {
    let lower = dataset(23, 3_000);
    let mut mixed = lower.clone();
    for (i, row) in mixed.iter_mut().enumerate() {
        match i % 7 {
            0 => row.task_id = row.task_id.to_uppercase(),
            3 => row.task_id = format!("{}-Ω", row.task_id),
            _ => {}
        }
    }
    let mut rng = SplitMix64::new(9);
    for rows in [lower, mixed] {
        let engine = Engine::new(rows.clone(), None, reference_now());
        let store = store_of(&rows);
        let mut matched = 0;
        for round in 0..300 {
            let (a, b) = (
                rng.below(rows.len() as u64) as usize,
                rng.below(rows.len() as u64) as usize,
            );
            let across = format!("{}{}", rows[a].task_id, rows[b].task_id);
            let start = rng.below(across.len() as u64) as usize;
            let end = (start + 1 + rng.below(8) as usize).min(across.len());
            let Some(needle) = across.get(start..end).filter(|n| !n.trim().is_empty()) else {
                continue;
            };
            let mut query = random_query(&mut rng, &rows).search(needle.to_owned());
            if round % 2 == 0 {
                query = TaskUsageQuery::new().search(needle.to_owned());
            }
            let got = assert_selects_as_the_engine(&store, &engine, &query, round);
            matched += usize::from(!got.is_empty());
        }
        assert!(matched > 100, "only {matched} searches matched rows");
    }
}

#[test]
fn time_bounds_on_and_between_milliseconds() {
    // Rows within the same milliseconds, some with sub-millisecond digits,
    // and bounds on and between them: whole-millisecond bounds take the
    // window alone, others the exact test on the boundary.
    let mut rows = Vec::new();
    for (k, at) in [
        "2026-11-01T00:00:00.002Z",
        "2026-11-01T00:00:00.001500Z",
        "2026-11-01T00:00:00.001Z",
        "2026-11-01T00:00:00.000900Z",
        "2026-11-01T00:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        rows.push(TaskUsage::new(
            format!("t{k}"),
            at.parse().unwrap(),
            "o3",
            neo_usage::TaskStatus::Completed,
        ));
    }
    let engine = Engine::new(rows.clone(), None, reference_now());
    let store = store_of(&rows);
    let bounds = [
        None,
        Some("2026-11-01T00:00:00Z"),
        Some("2026-11-01T00:00:00.000900Z"),
        Some("2026-11-01T00:00:00.001Z"),
        Some("2026-11-01T00:00:00.001500Z"),
        Some("2026-11-01T00:00:00.002Z"),
    ];
    for from in bounds {
        for to in bounds {
            let mut query = TaskUsageQuery::new();
            if let Some(from) = from {
                query = query.from(from);
            }
            if let Some(to) = to {
                query = query.to(to);
            }
            let Ok(expected) = engine.matching_tasks(Role::Admin, &query) else {
                assert!(select(&store, &query).is_err());
                continue;
            };
            let expected: Vec<&str> = expected.iter().map(|r| r.task_id.as_str()).collect();
            let got = selected_ids(&store, &query);
            assert_eq!(got, expected, "{from:?} {to:?}");
        }
    }
}

#[test]
fn invalid_queries_are_refused_as_the_server_refuses_them() {
    let store = store_of(&dataset(1, 10));
    for query in [
        TaskUsageQuery::new().model("  "),
        TaskUsageQuery::new()
            .from("2026-11-02T00:00:00Z")
            .to("2026-11-01T00:00:00Z"),
        TaskUsageQuery::new().from("yesterday"),
    ] {
        assert!(select(&store, &query).is_err(), "{query:?}");
    }
}

#[test]
fn unordered_rows_select_in_api_order() {
    let rows = dataset(3, 2_000);
    let engine = Engine::new(rows.clone(), None, reference_now());
    let mut shuffled = rows.clone();
    let mut rng = SplitMix64::new(9);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let store = store_of(&shuffled);
    for _ in 0..50 {
        let query = random_query(&mut rng, &rows);
        let expected: Vec<&str> = engine
            .matching_tasks(Role::Admin, &query)
            .unwrap()
            .iter()
            .map(|r| r.task_id.as_str())
            .collect();
        let got = selected_ids(&store, &query);
        assert_eq!(got, expected, "{query:?}");
    }
}

/// The sort key of a plain row, as the oracle reads it.
fn oracle_key(column: SortColumn, r: &TaskUsage) -> i128 {
    let units = |a: Option<f64>| i128::from(a.map_or(0, to_units));
    let byok = |a: Option<f64>| {
        if r.is_byok == Some(true) {
            units(a)
        } else {
            0
        }
    };
    match column {
        SortColumn::Time => r.created_at.timestamp_nanos_opt().unwrap().into(),
        SortColumn::Credits | SortColumn::UsdEquivalent => units(r.neo_credits),
        SortColumn::Cost => units(r.neo_credits) * 10 + byok(r.llm_cost) + byok(r.neo_cost),
        SortColumn::ByokLlmCost => byok(r.llm_cost),
        SortColumn::ByokNeoCost => byok(r.neo_cost),
        SortColumn::Steps => r.step_count.into(),
        SortColumn::ToolCalls => r.tool_calls.into(),
        SortColumn::Duration => r.total_execution_ms.unwrap_or(0).into(),
        SortColumn::StepLatency => r.avg_step_latency_ms.unwrap_or(0).into(),
    }
}

#[test]
fn sorting_is_stable_with_ties_newest_first() {
    let rows = dataset(21, 3_000);
    let engine = Engine::new(rows.clone(), None, reference_now());
    let store = store_of(&rows);
    let mut rng = SplitMix64::new(77);
    let columns = [
        SortColumn::Time,
        SortColumn::Credits,
        SortColumn::UsdEquivalent,
        SortColumn::Cost,
        SortColumn::ByokLlmCost,
        SortColumn::ByokNeoCost,
        SortColumn::Steps,
        SortColumn::ToolCalls,
        SortColumn::Duration,
        SortColumn::StepLatency,
    ];
    for round in 0..40 {
        let query = random_query(&mut rng, &rows);
        for column in columns {
            for direction in [Direction::Ascending, Direction::Descending] {
                let mut expected: Vec<&TaskUsage> =
                    engine.matching_tasks(Role::Admin, &query).unwrap();
                // Vec::sort_by is stable: ties keep the API order.
                expected.sort_by(|a, b| {
                    let (ka, kb) = (oracle_key(column, a), oracle_key(column, b));
                    match direction {
                        Direction::Ascending => ka.cmp(&kb),
                        Direction::Descending => kb.cmp(&ka),
                    }
                });
                let mut got = select(&store, &query).unwrap();
                got.sort_by(&store, column, direction);
                let got: Vec<&str> = got.iter().map(|i| store.task_id(i)).collect();
                let expected: Vec<&str> = expected.iter().map(|r| r.task_id.as_str()).collect();
                assert_eq!(got, expected, "round {round} {column:?} {direction:?}");
            }
        }
    }
}

#[test]
fn pages_cut_the_selection_as_the_api_pages() {
    let rows = dataset(4, 500);
    let engine = Engine::new(rows.clone(), None, reference_now());
    let store = store_of(&rows);
    let selection = select(&store, &TaskUsageQuery::new()).unwrap();
    let query = TaskUsageQuery::new().offset(450).limit(200);
    let page = engine.list_tasks(Role::Admin, &query).unwrap();
    assert_eq!(store.rows(selection.page(450, 200)), page.data);
    assert!(selection.page(600, 10).is_empty());
}

/// Searches typed key by key, erased, and mixed with other filters: the
/// cache (reusing and narrowing earlier selections) gives what a fresh
/// `select` gives, every time.
#[test]
fn cached_and_narrowed_selections_equal_fresh_ones() {
    let rows = dataset(5, 6_000);
    let store = store_of(&rows);
    let mut cache = neo_usage_analytics::SelectionCache::with_capacity(6);
    let mut rng = SplitMix64::new(77);
    let mut narrowed_to_fewer = 0;
    for round in 0..300 {
        let base = random_query(&mut rng, &rows);
        let typed = "A1b2C3d4e5".chars().take(1 + rng.below(9) as usize);
        let mut search = String::new();
        for key in typed {
            search.push(key);
            let query = base.clone().search(search.clone());
            let cached = cache.select(&store, &query).unwrap();
            assert_eq!(
                *cached,
                select(&store, &query).unwrap(),
                "round {round}: {query:?}"
            );
            narrowed_to_fewer += usize::from(cached.len() < store.len());
        }
        while search.pop().is_some() {
            let query = if search.is_empty() {
                base.clone()
            } else {
                base.clone().search(search.clone())
            };
            let cached = cache.select(&store, &query).unwrap();
            assert_eq!(
                *cached,
                select(&store, &query).unwrap(),
                "round {round}: {query:?}"
            );
        }
    }
    assert!(
        narrowed_to_fewer > 500,
        "only {narrowed_to_fewer} searches kept fewer rows"
    );
}

#[test]
fn cached_dashboards_equal_fresh_ones_key_by_key() {
    use chrono::Utc;
    use neo_usage_analytics::{dashboard, dashboard_cached, DashboardOptions, SelectionCache};
    let rows = dataset(6, 4_000);
    let store = store_of(&rows);
    let mut cache = SelectionCache::default();
    let mut rng = SplitMix64::new(78);
    let options = DashboardOptions::default();
    for round in 0..40 {
        let base = random_query(&mut rng, &rows);
        let mut searches: Vec<String> = (1..=4).map(|n| "a1b2".chars().take(n).collect()).collect();
        searches.extend(["a1b", "a1", "a"].map(String::from));
        for search in searches {
            let query = base.clone().search(search);
            let fresh = dashboard(&store, &query, &Utc, &options);
            let cached = dashboard_cached(&store, &query, &mut cache, &Utc, &options);
            assert_eq!(cached.ok(), fresh.ok(), "round {round}: {query:?}");
        }
    }
}
