//! The `url_state` fuzz target's property (fuzz/fuzz_targets/url_state.rs)
//! as proptest cases, for `cargo test` and for machines without nightly:
//! no query string panics `ViewState::from_query_string`, and what it
//! reads writes back to a link that reads without problems and writes the
//! same link again. Inputs are raw text and soups of the viewer's and the
//! API's parameter names with good and bad values (which reach deeper than
//! random text).

use neo_usage_web::url_state::{describe_problems, ViewState};
use proptest::prelude::*;

/// One `name=value` pair from the parameters a link can hold.
fn pair() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("source"),
        Just("rows"),
        Just("range"),
        Just("tz"),
        Just("sort"),
        Just("task"),
        Just("api"),
        Just("bucket"),
        Just("stack"),
        Just("metric"),
        Just("status"),
        Just("model"),
        Just("search"),
        Just("email"),
        Just("is_byok"),
        Just("task_id"),
        Just("from"),
        Just("to"),
        Just("limit"),
        Just("offset"),
        Just("%"),
        Just(""),
    ];
    let value = prop_oneof![
        Just("live".to_owned()),
        Just("import".to_owned()),
        Just("5000".to_owned()),
        Just("custom".to_owned()),
        Just("7d".to_owned()),
        Just("America/New_York".to_owned()),
        Just("utc".to_owned()),
        Just("credits.asc".to_owned()),
        Just("https://neo.example/v1".to_owned()),
        Just("week".to_owned()),
        Just("error".to_owned()),
        Just("true".to_owned()),
        Just("2026-11-01T00:00:00Z".to_owned()),
        Just("200".to_owned()),
        Just("-1".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("%FF%FE".to_owned()),
        Just("%".to_owned()),
        Just("a+b%26c".to_owned()),
        Just("%20%20".to_owned()),
        Just("<script>".to_owned()),
        "[ -~]{0,12}",
        any::<String>(),
    ];
    (name, value).prop_map(|(n, v)| format!("{n}={v}"))
}

fn query_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(pair(), 0..12).prop_map(|pairs| pairs.join("&")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn prop_url_state_reads_any_link_and_writes_a_stable_one(text in query_string()) {
        let parsed = ViewState::from_query_string(&text);
        let _ = describe_problems(&parsed.problems);
        let written = parsed.state.to_query_string();
        let again = ViewState::from_query_string(&written);
        prop_assert!(again.problems.is_empty(), "{:?} wrote {:?}: {:?}", text, written, again.problems);
        prop_assert_eq!(again.state.to_query_string(), written);
    }
}
