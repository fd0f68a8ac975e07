//! [`StoreAdmission`]: fetch-all's rule for joining pages (the first row of
//! each `task_id`, at most a cap of rows; the core's
//! [`RowAdmission`](neo_usage::pagination::RowAdmission)) for rows appended
//! to a [`UsageStore`], remembering each id by its row number in the store
//! instead of a copy of its text.
//!
//! The ids are a `hashbrown` table of row numbers (4 bytes and a control
//! byte a bucket, up to 7/8 full): 640 KiB for 100,000 rows. The
//! `HashSet<String>` of `RowAdmission` took some 6 MB more of the viewer's
//! wasm memory for the same load, past the 32 MB goal (docs/performance.md).
//! Ids of rows past the cap are not in the store and are kept as text; a
//! capped scan stops soon after the cap.

use std::collections::HashSet;
use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::store::UsageStore;

/// Which rows to append to one store, by fetch-all's rule: not a row whose
/// `task_id` an earlier row had (counted as dropped), nor one past the cap.
/// Every call must be about the same store, and a row admitted must be
/// appended before the next call.
///
/// ```
/// use neo_usage::TaskUsage;
/// use neo_usage_analytics::{StoreAdmission, UsageStore};
/// let mut store = UsageStore::new();
/// let mut admission = StoreAdmission::new(Some(2));
/// for id in ["a", "b", "a", "c", "c"] {
///     if admission.admit(&store, id) {
///         let at = "2026-11-01T10:00:00Z".parse().unwrap();
///         store.push(&TaskUsage::new(id, at, "o3", neo_usage::TaskStatus::Completed));
///     }
/// }
/// assert_eq!((store.len(), admission.dropped()), (2, 2));
/// ```
#[derive(Debug, Default)]
pub struct StoreAdmission {
    /// Rows of the store this admission let in, by their id's hash.
    rows: HashTable<u32>,
    /// Ids seen past the cap (not in the store).
    beyond_cap: HashSet<Box<str>>,
    cap: Option<usize>,
    dropped: u64,
}

impl StoreAdmission {
    /// Admits at most `cap` rows (every first row when `None`).
    pub fn new(cap: Option<u64>) -> Self {
        StoreAdmission {
            cap: cap.map(|c| usize::try_from(c).unwrap_or(usize::MAX)),
            ..StoreAdmission::default()
        }
    }

    /// Whether to append the next row, of `task_id`, to `store` (as row
    /// `store.len()`): not when an earlier row had it (counted in
    /// [`StoreAdmission::dropped`]), nor past the cap.
    pub fn admit(&mut self, store: &UsageStore, task_id: &str) -> bool {
        let hash = hash_of(task_id);
        let seen = self
            .rows
            .find(hash, |&row| store.task_id(row as usize) == task_id)
            .is_some();
        if seen || self.beyond_cap.contains(task_id) {
            self.dropped += 1;
            return false;
        }
        if self.cap.is_some_and(|cap| self.rows.len() >= cap) {
            self.beyond_cap.insert(task_id.into());
            return false;
        }
        let row = u32::try_from(store.len()).expect("fewer than 2^32 rows");
        self.rows
            .insert_unique(hash, row, |&r| hash_of(store.task_id(r as usize)));
        true
    }

    /// Makes room for `rows` ids in all (load-all calls it with the
    /// scan's `total` after the first page), so the table grows once.
    pub fn reserve(&mut self, store: &UsageStore, rows: usize) {
        let rows = rows.min(self.cap.unwrap_or(usize::MAX));
        let more = rows.saturating_sub(self.rows.len());
        self.rows
            .reserve(more, |&r| hash_of(store.task_id(r as usize)));
    }

    /// Rows refused so far because an earlier row had their `task_id`.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The cap on rows kept, if any.
    pub fn cap(&self) -> Option<usize> {
        self.cap
    }
}

/// An id's hash (FxHash): task ids come from the user's own API, so a fast
/// hash beats SipHash's protection against chosen collisions here.
fn hash_of(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::pagination::RowAdmission;
    use neo_usage::{TaskStatus, TaskUsage};
    use neo_usage_mock::prng::SplitMix64;

    /// The same rows, drops and cap as the core's rule, on ids repeated at
    /// random (some past the cap), with and without a reserve.
    #[test]
    fn admits_what_the_core_rule_admits() {
        let mut lcg = SplitMix64::new(7);
        let at = "2026-11-01T10:00:00Z".parse().unwrap();
        for case in 0..60 {
            let distinct = 1 + lcg.below(3_000);
            let cap = (case % 3 != 0).then(|| lcg.below(distinct + 10));
            let mut core = RowAdmission::new(cap);
            let mut ours = StoreAdmission::new(cap);
            let mut store = UsageStore::new();
            if case % 2 == 0 {
                ours.reserve(&store, lcg.below(4_000) as usize);
            }
            let mut kept = Vec::new();
            for _ in 0..lcg.below(5_000) {
                let id = format!("task-{}", lcg.below(distinct));
                let admitted = ours.admit(&store, &id);
                assert_eq!(admitted, core.admit(&id), "case {case}, id {id}");
                if admitted {
                    store.push(&TaskUsage::new(&id, at, "o3", TaskStatus::Completed));
                    kept.push(id);
                }
            }
            assert_eq!(ours.dropped(), core.dropped(), "case {case}");
            let ids: Vec<&str> = (0..store.len()).map(|i| store.task_id(i)).collect();
            assert_eq!(ids, kept, "case {case}");
        }
    }

    /// The table is sized once by a reserve: 100,000 rows in 640 KiB; a
    /// cap bounds it.
    #[test]
    fn a_reserve_sizes_the_table_once() {
        let store = UsageStore::new();
        let mut admission = StoreAdmission::new(None);
        admission.reserve(&store, 100_000);
        assert!(admission.rows.capacity() >= 100_000);
        assert!(
            admission.rows.allocation_size() <= 640 * 1024 + 64,
            "{}",
            admission.rows.allocation_size()
        );
        let mut admission = StoreAdmission::new(Some(10));
        admission.reserve(&store, 100_000);
        assert!(admission.rows.allocation_size() < 1024);
    }
}
