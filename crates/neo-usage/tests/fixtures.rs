//! Every response body in `tests/fixtures/api-examples/` (copied from the
//! API contract) must decode, and the documented sample must decode to the
//! values it shows.

use std::path::PathBuf;

use neo_usage::decode::{decode_json, decode_rows};
use neo_usage::{TaskStatus, TaskUsagePage};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/api-examples")
}

#[test]
fn every_example_body_decodes() {
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures directory") {
        let path = entry.expect("fixture entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let body = std::fs::read(&path).expect("fixture file");
            let page: Result<TaskUsagePage, _> = decode_json(&body, Some(0));
            assert!(page.is_ok(), "{}: {:?}", path.display(), page.err());
            assert!(decode_rows(&body).is_ok(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(
        seen >= 2,
        "expected the contract's example bodies, found {seen}"
    );
}

#[test]
fn documented_sample_decodes_to_its_values() {
    let body =
        std::fs::read(fixtures_dir().join("list-task-usages.documented.json")).expect("fixture");
    let page: TaskUsagePage = decode_json(&body, Some(0)).expect("decodes");
    assert_eq!((page.has_more, page.total, page.data.len()), (true, 123, 1));
    let row = &page.data[0];
    assert_eq!(row.status, TaskStatus::Completed);
    assert_eq!(row.created_at.to_rfc3339(), "2023-11-07T05:31:56+00:00");
    assert_eq!(row.neo_credits, Some(123.0));
    assert_eq!(row.avg_step_latency_ms, Some(123));
    assert_eq!(
        row.stream_id.as_deref(),
        Some("3c90c3cc-0d44-4b50-8888-8dd25736052a")
    );
    assert!(row.tool_breakdown.is_empty() && row.agent_breakdown.is_empty());
    assert_eq!(row.tool_call_history[0].tool_name, "<string>");
}

#[test]
fn required_only_sample_has_no_optional_values() {
    let body =
        std::fs::read(fixtures_dir().join("list-task-usages.required-only.json")).expect("fixture");
    let page: TaskUsagePage = decode_json(&body, Some(0)).expect("decodes");
    let row = &page.data[0];
    assert_eq!(row.task_id, "t_min");
    assert_eq!(row.status, TaskStatus::Aborted);
    assert!(row.email.is_none() && row.neo_credits.is_none() && row.is_byok.is_none());
    assert!(row.tool_call_history.is_empty());
    // Writing it back gives the same required-only object.
    let again: serde_json::Value = serde_json::to_value(row).expect("serializes");
    let original: serde_json::Value =
        serde_json::from_slice::<serde_json::Value>(&body).expect("json")["data"][0].clone();
    assert_eq!(again, original);
}
