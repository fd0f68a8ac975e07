//! The page decoder on any bytes: a value or a `Decode` error whose path,
//! excerpt and message can be built, never a panic or a hang; the fast
//! page reader (`decode_page`) reads what the model's reader (`ApiBody`)
//! reads, errors included, and the model's reader what serde reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neo_usage::model_reader::ApiBody;
use neo_usage::{decode, NeoUsageError, TaskUsage, TaskUsagePage, UsageSummary};

/// The same value, or both refusing (ours also refuses a struct written
/// as an array, which serde takes).
fn assert_reads_as_serde<T>(data: &[u8])
where
    T: ApiBody + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    match (T::decode(data, None), decode::decode_json::<T>(data, None)) {
        (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs),
        (Err(_), Err(_)) => {}
        (Err(NeoUsageError::Decode { message, .. }), Ok(_)) => {
            assert!(message.ends_with("found an array"), "{message}")
        }
        (ours, theirs) => panic!("ours {ours:?}, serde {theirs:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    if let Err(e) = TaskUsagePage::decode(data, Some(200)) {
        let _ = e.to_string();
        let _ = e.is_retryable();
    }
    assert_eq!(
        decode::decode_page(data, Some(200)),
        TaskUsagePage::decode(data, Some(200))
    );
    assert_reads_as_serde::<TaskUsagePage>(data);
    assert_reads_as_serde::<UsageSummary>(data);
    assert_reads_as_serde::<TaskUsage>(data);
    if let Ok(row) = TaskUsage::decode(data, None) {
        // What decodes encodes again.
        let _ = serde_json::to_vec(&row);
    }
    // The path scan at any position.
    if let Some(first) = data.first() {
        let at = usize::from(*first) * data.len() / 256;
        let _ = decode::json_path_at(data, at);
    }
});
