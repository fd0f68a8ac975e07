//! The server-query fuzz target's property as proptest cases, for
//! `cargo test` and machines without nightly: `Engine::answer` (routing,
//! query reading, the core's `from_query_pairs`, role rules) never panics
//! on any path and query, for any role, and a query the core reads back is
//! valid.

use neo_usage::{paths, StreamUsageQuery, SummaryQuery, TaskUsageQuery};
use neo_usage_mock::{Engine, Role};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| crate::common::engine(200))
}

/// Query strings from the API's names and values, good and bad.
fn query_soup() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("limit"),
        Just("offset"),
        Just("status"),
        Just("model"),
        Just("from"),
        Just("to"),
        Just("search"),
        Just("email"),
        Just("is_byok"),
        Just("task_id"),
        Just("stream_id"),
        Just("sort"),
        Just("group_by"),
        Just(""),
        Just("%FF"),
    ];
    let value = prop_oneof![
        Just("5".to_owned()),
        Just("200".to_owned()),
        Just("-1".to_owned()),
        Just("99999999999999999999999".to_owned()),
        Just("2026-11-01T00:00:00Z".to_owned()),
        Just("2026-11-01T00:00:00+14:00".to_owned()),
        Just("true".to_owned()),
        Just("completed".to_owned()),
        Just("cost".to_owned()),
        Just("week".to_owned()),
        Just("%FF%FE".to_owned()),
        Just("=".to_owned()),
        ".{0,12}",
    ];
    prop::collection::vec((name, value), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn prop_engine_answers_any_query_without_panicking(
        role in 0usize..4,
        endpoint in 0usize..5,
        query in prop_oneof![query_soup(), ".{0,60}"],
    ) {
        let role = Role::ALL[role];
        let by_id = format!("{}{query}", paths::TASK_BY_ID_PREFIX);
        let (path, query) = match endpoint {
            0 => (paths::TASKS, query.as_str()),
            1 => (paths::STREAMS, query.as_str()),
            2 => (paths::SUMMARY, query.as_str()),
            3 => (by_id.as_str(), ""),
            _ => query.split_once('?').unwrap_or((query.as_str(), "")),
        };
        match engine().answer(role, path, query) {
            Ok(json) => prop_assert!(json.starts_with('{'), "not a JSON object: {}", json),
            Err(error) => prop_assert!((400..600).contains(&error.status())),
        }
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|pair| {
                let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                (n.to_owned(), v.to_owned())
            })
            .collect();
        if let Ok(q) = TaskUsageQuery::from_query_pairs(&pairs) {
            prop_assert!(q.to_query_string().is_ok());
        }
        let _ = StreamUsageQuery::from_query_pairs(&pairs);
        let _ = SummaryQuery::from_query_pairs(&pairs);
    }
}
