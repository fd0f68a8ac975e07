//! The properties of the fuzz targets in `fuzz/` as proptest cases, for
//! `cargo test` and for machines without nightly: no input panics the page
//! decoder, the import parser or the `Retry-After` reader, and a wait is
//! never longer than the ceiling. Inputs are raw bytes and JSON-like token
//! soups (which reach deeper than random bytes). The model's reader
//! (`ApiBody`) reads what serde's derived readers read, and refuses what
//! they refuse, but a struct written as an array, which it refuses.

use neo_usage::decode::{decode_json, decode_page, decode_rows, json_path_at};
use neo_usage::error::{parse_retry_after, RETRY_AFTER_CEILING};
use neo_usage::import::{decode_rows_into, refuse_inexact_amounts};
use neo_usage::model_reader::ApiBody;
use neo_usage::{NeoUsageError, TaskUsage, TaskUsagePage, UsageSummary};
use proptest::prelude::*;
use serde::de::DeserializeOwned;

/// Whether the model's reader and serde read `body` alike: the same value,
/// or both refusing it (or ours refusing a struct written as an array).
fn reads_as_serde<T>(body: &[u8]) -> bool
where
    T: ApiBody + DeserializeOwned + PartialEq,
{
    match (T::decode(body, None), decode_json::<T>(body, None)) {
        (Ok(ours), Ok(theirs)) => ours == theirs,
        (Err(_), Err(_)) => true,
        (Err(NeoUsageError::Decode { message, .. }), Ok(_)) => message.ends_with("found an array"),
        _ => false,
    }
}

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
        if let Err(e) = TaskUsagePage::decode(&body, Some(200)) {
            let _ = (e.to_string(), e.is_retryable());
        }
        if let Err(e) = UsageSummary::decode(&body, None) {
            let _ = e.to_string();
        }
        let _ = json_path_at(&body, at);
        // The fast page reader and the model's reader agree on every body,
        // errors included; the model's reader and serde on what they read.
        prop_assert_eq!(
            decode_page(&body, Some(200)),
            TaskUsagePage::decode(&body, Some(200))
        );
        prop_assert!(reads_as_serde::<TaskUsagePage>(&body));
        prop_assert!(reads_as_serde::<UsageSummary>(&body));
        prop_assert!(reads_as_serde::<TaskUsage>(&body));
    }

    #[test]
    fn prop_import_parser_never_panics(body in any_body()) {
        // An array of rows reads as the model's reader reads it.
        if body.first() == Some(&b'[') {
            prop_assert_eq!(decode_rows(&body), Vec::<TaskUsage>::decode(&body, None));
            prop_assert!(reads_as_serde::<Vec<TaskUsage>>(&body));
        }
        // The viewer's row-by-row import: the same rows or error as
        // decoding them all, then checking their amounts.
        let mut imported = Vec::new();
        let imported = decode_rows_into(&body, &mut imported).map(|()| imported);
        let is_page = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let checked = decode_rows(&body)
            .and_then(|rows| refuse_inexact_amounts(&rows, if is_page { "data" } else { "" }).map(|()| rows));
        prop_assert_eq!(imported, checked);
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
