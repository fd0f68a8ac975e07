//! Stable sorting that costs a WebAssembly module a few hundred bytes per
//! caller instead of several kilobytes.
//!
//! The standard library's `sort_by` is compiled anew for every element type
//! and comparison: about 7 kB of wasm each (driftsort with its merges,
//! small sorts and pivots), and the viewer held 18 of them, some 9 % of its
//! code. [`sort_stable_by`] sorts a few items in place by insertion, and
//! more by sorting their positions through one routine that every caller
//! shares ([`stable_order`], compiled once), then moving each item into
//! place. Use it where a sort is not the hot loop: groups, series, a day's
//! figures, the map entries of a row. A sort of every row of a table keeps
//! the standard sort.

use std::cmp::Ordering;

/// At most this many items are sorted by insertion (no allocation); more
/// go through [`stable_order`].
const INSERTION_MAX: usize = 16;

/// Sorts `items` by `compare`, keeping equal items in their order, like
/// `slice::sort_by`.
///
/// ```
/// use neo_usage::sorting::sort_stable_by;
/// let mut pairs = [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')];
/// sort_stable_by(&mut pairs, |x, y| x.0.cmp(&y.0));
/// assert_eq!(pairs, [(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
/// ```
pub fn sort_stable_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() <= INSERTION_MAX {
        insertion_sort(items, compare);
        return;
    }
    let order = stable_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` by the key `key` gives, keeping equal keys in their
/// order, like `slice::sort_by_key`.
///
/// ```
/// use neo_usage::sorting::sort_stable_by_key;
/// let mut words = ["ccc", "a", "bb", "d"];
/// sort_stable_by_key(&mut words, |w| w.len());
/// assert_eq!(words, ["a", "d", "bb", "ccc"]);
/// ```
pub fn sort_stable_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_stable_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Each item moves left past every greater one: stable, no allocation.
fn insertion_sort<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && compare(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The positions `0..len` in the stable order `compare` (of two
/// positions) gives: the one sort routine every caller shares.
#[inline(never)]
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that position `i` holds what was at `order[i]`,
/// moving each item along its cycle of the permutation.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key, original position) pairs from a xorshift stream, keys in
    /// `0..keys` so that many tie.
    fn pairs(len: usize, keys: u64, mut state: u64) -> Vec<(u64, usize)> {
        (0..len)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % keys, i)
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_stable_sort_does_at_every_length() {
        for len in (0..=40).chain([100, 1_000, 10_007]) {
            for keys in [1, 3, 50, u64::MAX] {
                let mut ours = pairs(len, keys, 0x9e37_79b9 + len as u64);
                let mut std = ours.clone();
                sort_stable_by(&mut ours, |a, b| a.0.cmp(&b.0));
                std.sort_by_key(|a| a.0);
                assert_eq!(ours, std, "{len} items, {keys} keys");
            }
        }
    }

    #[test]
    fn a_descending_key_keeps_ties_in_order() {
        let mut items = pairs(500, 7, 42);
        sort_stable_by_key(&mut items, |p| std::cmp::Reverse(p.0));
        assert!(items
            .windows(2)
            .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
    }

    #[test]
    fn items_that_own_memory_are_moved_not_lost() {
        let mut names: Vec<String> = (0..300).map(|i| format!("n{}", (i * 37) % 101)).collect();
        let mut expected = names.clone();
        expected.sort();
        sort_stable_by(&mut names, Ord::cmp);
        assert_eq!(names, expected);
    }
}
