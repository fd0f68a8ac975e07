//! The import parser (`decode_rows`, also the reference server's `--data`)
//! on any bytes: rows or an error, never a panic or a hang; an array of
//! rows reads as the model's reader (`ApiBody`) reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'[') {
        assert_eq!(
            neo_usage::decode::decode_rows(data),
            <Vec<neo_usage::TaskUsage> as neo_usage::model_reader::ApiBody>::decode(data, None)
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
