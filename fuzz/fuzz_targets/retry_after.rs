//! `Retry-After` in any form, and error classification of any status and
//! body: never a panic, and never a wait beyond the ceiling.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neo_usage::error::{parse_retry_after, RETRY_AFTER_CEILING};
use neo_usage::NeoUsageError;

fuzz_target!(|data: &[u8]| {
    let Some((status, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = u16::from_le_bytes(*status) % 1000;
    let text = String::from_utf8_lossy(rest);
    let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
    let now = "2026-11-28T12:00:00Z".parse().unwrap();
    for at in [None, Some(now)] {
        if let Some(wait) = parse_retry_after(header, at) {
            assert!(wait <= RETRY_AFTER_CEILING, "{header:?}: {wait:?}");
        }
    }
    let e = NeoUsageError::from_response_at(status, Some(header), body.as_bytes(), now);
    let _ = (e.to_string(), e.is_retryable(), e.retry_after(), e.kind());
});
