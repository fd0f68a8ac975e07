//! The page decoder on any bytes: a value or a `Decode` error whose path,
//! excerpt and message can be built, never a panic or a hang; the
//! hand-written page reader (`decode_page`) reads what serde_json reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neo_usage::{decode, TaskUsage, TaskUsagePage, UsageSummary};

fuzz_target!(|data: &[u8]| {
    if let Err(e) = decode::decode_json::<TaskUsagePage>(data, Some(200)) {
        let _ = e.to_string();
        let _ = e.is_retryable();
    }
    // The hand-written page reader and serde_json agree on every input.
    assert_eq!(
        decode::decode_page(data, Some(200)),
        decode::decode_json::<TaskUsagePage>(data, Some(200))
    );
    if let Err(e) = decode::decode_json::<UsageSummary>(data, None) {
        let _ = e.to_string();
    }
    if let Ok(row) = decode::decode_json::<TaskUsage>(data, None) {
        // What decodes encodes again.
        let _ = serde_json::to_vec(&row);
    }
    // The path scan at any position.
    if let Some(first) = data.first() {
        let at = usize::from(*first) * data.len() / 256;
        let _ = decode::json_path_at(data, at);
    }
});
