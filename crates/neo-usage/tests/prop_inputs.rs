//! The properties of the fuzz targets in `fuzz/` as proptest cases, for
//! `cargo test` and for machines without nightly: no input panics the page
//! decoder, the import parser or the `Retry-After` reader, and a wait is
//! never longer than the ceiling. Inputs are raw bytes and JSON-like token
//! soups (which reach deeper than random bytes).

use neo_usage::decode::{decode_json, decode_page, decode_rows, json_path_at};
use neo_usage::error::{parse_retry_after, RETRY_AFTER_CEILING};
use neo_usage::{NeoUsageError, TaskUsage, TaskUsagePage, UsageSummary};
use proptest::prelude::*;

/// JSON-ish text from tokens of the API's bodies, good and bad.
fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just("\"data\""),
        Just("\"has_more\""),
        Just("\"total\""),
        Just("\"task_id\""),
        Just("\"created_at\""),
        Just("\"status\""),
        Just("\"model\""),
        Just("\"step_count\""),
        Just("\"tool_breakdown\""),
        Just("\"tool_call_history\""),
        Just("\"by_model\""),
        Just("\"neo_credits\""),
        Just("\"calls\""),
        Just("\"duration_ms\""),
        Just("\"2026-11-01T10:00:00Z\""),
        Just("\"completed\""),
        Just("\"\\u0000\""),
        Just("true"),
        Just("null"),
        Just("0"),
        Just("-1"),
        Just("1e999"),
        Just("1.5"),
        Just("18446744073709551616"),
        Just("\"\\ud800\""),
        Just("\""),
        Just(" "),
    ];
    prop::collection::vec(token, 0..80).prop_map(|t| t.concat().into_bytes())
}

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..512), json_soup()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn prop_page_decoder_never_panics(body in any_body(), at in 0usize..1024) {
        if let Err(e) = decode_json::<TaskUsagePage>(&body, Some(200)) {
            let _ = (e.to_string(), e.is_retryable());
        }
        if let Err(e) = decode_json::<UsageSummary>(&body, None) {
            let _ = e.to_string();
        }
        let _ = json_path_at(&body, at);
        // The hand-written page reader and serde_json agree on every body.
        prop_assert_eq!(
            decode_page(&body, Some(200)),
            decode_json::<TaskUsagePage>(&body, Some(200))
        );
    }

    #[test]
    fn prop_import_parser_never_panics(body in any_body()) {
        // An array of rows reads as serde_json reads it.
        if body.first() == Some(&b'[') {
            prop_assert_eq!(decode_rows(&body), decode_json::<Vec<TaskUsage>>(&body, None));
        }
        match decode_rows(&body) {
            Ok(rows) => { serde_json::to_vec(&rows).unwrap(); }
            Err(e) => { let _ = e.to_string(); }
        }
    }

    #[test]
    fn prop_retry_after_never_panics_and_is_capped(
        header in prop_oneof![
            ".{0,40}",
            "[0-9]{1,30}",
            "-?[0-9]{0,5}(\\.[0-9]{0,5})?(e[0-9]{1,4})?",
            "(Mon|Sun|Sunday), [0-9]{2}[ -](Nov|Feb)[ -][0-9]{2,4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        ],
        status in 0u16..1000,
        body in any_body(),
    ) {
        let now = "2026-11-28T12:00:00Z".parse().unwrap();
        for at in [None, Some(now)] {
            if let Some(wait) = parse_retry_after(&header, at) {
                prop_assert!(wait <= RETRY_AFTER_CEILING);
            }
        }
        let e = NeoUsageError::from_response_at(status, Some(&header), &body, now);
        let _ = (e.to_string(), e.is_retryable(), e.retry_after(), e.kind());
    }
}
