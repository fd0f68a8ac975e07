//! Proof that the dataset is the same in wasm32 as natively: a cdylib with
//! one export, `fingerprint(seed, tasks, now_ms)`, the FNV-1a hash of the
//! generated rows' JSON. Build it and compare with the native value:
//!
//! ```sh
//! cargo build -p neo-usage-mock --no-default-features --example wasm_fingerprint --target wasm32-unknown-unknown
//! node -e 'const b=require("fs").readFileSync(process.argv[1]);WebAssembly.instantiate(b,{}).then(({instance})=>console.log(BigInt.asUintN(64,instance.exports.fingerprint(42n,200,1795867200000n)).toString()))' \
//!   target/wasm32-unknown-unknown/debug/examples/wasm_fingerprint.wasm
//! # prints the value pinned in dataset.rs's tests: 12883269992219219662
//! ```

use neo_usage_mock::dataset::{generate, DatasetSpec};
use neo_usage_mock::prng::fnv1a;

/// FNV-1a of the JSON of `generate(seed, tasks, now_ms)`; 0 when `now_ms`
/// is out of range or the rows cannot be encoded.
#[no_mangle]
pub extern "C" fn fingerprint(seed: u64, tasks: u32, now_ms: i64) -> u64 {
    let Some(now) = chrono::DateTime::from_timestamp_millis(now_ms) else {
        return 0;
    };
    let rows = generate(DatasetSpec::new(seed, tasks as usize, now));
    serde_json::to_vec(&rows).map_or(0, |json| fnv1a(&json))
}
