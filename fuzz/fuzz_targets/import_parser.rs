//! The import parser (`decode_rows`, also the reference server's `--data`)
//! on any bytes: rows or an error, never a panic or a hang; an array of
//! rows reads as serde_json reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'[') {
        assert_eq!(
            neo_usage::decode::decode_rows(data),
            neo_usage::decode::decode_json::<Vec<neo_usage::TaskUsage>>(data, None)
        );
    }
    match neo_usage::decode::decode_rows(data) {
        Ok(rows) => {
            let _ = serde_json::to_vec(&rows);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
