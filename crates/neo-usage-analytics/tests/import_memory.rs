//! An imported file is read into the columns without holding its rows:
//! the most memory the import takes beyond the file's own bytes is close
//! to the store it builds. Measured by this test binary's allocator, which
//! counts the bytes held and their peak.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::dataset;
use neo_usage::model_writer::ApiJson;
use neo_usage_analytics::UsageStore;

/// The system allocator, counting the bytes held and the peak since the
/// last [`peak_from_now`].
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(held, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes held now; the peak starts again from here.
fn peak_from_now() -> usize {
    let held = HELD.load(Ordering::SeqCst);
    PEAK.store(held, Ordering::SeqCst);
    held
}

/// The peak since `from` was taken, above it.
fn peak_above(from: usize) -> usize {
    PEAK.load(Ordering::SeqCst) - from
}

#[test]
fn an_import_takes_little_more_than_the_store_it_builds() {
    // One test in this binary: the counters are process-wide.
    let file = dataset(21, 5_000).to_json().into_bytes();

    let from = peak_from_now();
    let store = UsageStore::from_rows_json(&file).unwrap();
    let streamed = peak_above(from);
    let kept = store.heap_bytes();
    drop(store);

    // The rows decoded first, then copied into the columns: what an import
    // took before, for scale.
    let from = peak_from_now();
    let rows = neo_usage::decode::decode_rows(&file).unwrap();
    let mut store = UsageStore::new();
    store.push_rows(&rows);
    let decoded_first = peak_above(from);
    drop((rows, store));

    eprintln!(
        "file {} B; store {kept} B; peak read row by row {streamed} B, decoded first {decoded_first} B",
        file.len()
    );
    assert!(
        streamed < kept * 3 / 2,
        "{streamed} B at the peak, {kept} B kept"
    );
    assert!(
        decoded_first > streamed * 2,
        "{decoded_first} B vs {streamed} B"
    );
}
