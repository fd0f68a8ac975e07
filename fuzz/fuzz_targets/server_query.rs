//! The reference server's request handling without the network:
//! `Engine::answer` (routing, query-string reading, the core's
//! `from_query_pairs` and validation, role rules) on any path and query, for
//! every role. An answer or an `ApiError`, never a panic or a hang.
//!
//! The first byte picks the role and the endpoint; the rest is the query
//! string (or, for the last choice, the whole target, split at `?`).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use neo_usage::{paths, StreamUsageQuery, SummaryQuery, TaskUsageQuery};
use neo_usage_mock::dataset::{reference_now, DatasetSpec};
use neo_usage_mock::{Engine, Role};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::demo(DatasetSpec::new(42, 60, reference_now())))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let role = Role::ALL[usize::from(selector & 3)];
    let by_id = format!("{}{}", paths::TASK_BY_ID_PREFIX, text);
    let (path, query): (&str, &str) = match (selector >> 2) % 5 {
        0 => (paths::TASKS, &text),
        1 => (paths::STREAMS, &text),
        2 => (paths::SUMMARY, &text),
        3 => (&by_id, ""),
        _ => text.split_once('?').unwrap_or((&text, "")),
    };
    match engine().answer(role, path, query) {
        Ok(json) => assert!(json.starts_with('{'), "{json}"),
        Err(error) => {
            let _ = (error.status(), error.body());
        }
    }
    // The core's readers directly, on the raw pairs.
    let pairs: Vec<(String, String)> = text
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    if let Ok(q) = TaskUsageQuery::from_query_pairs(&pairs) {
        // What is read back is valid, and writes itself out again.
        q.to_query_string().expect("a query read back is valid");
    }
    let _ = StreamUsageQuery::from_query_pairs(&pairs);
    let _ = SummaryQuery::from_query_pairs(&pairs);
});
