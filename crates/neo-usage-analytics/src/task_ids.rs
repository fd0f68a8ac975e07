//! The store's task ids, each with a 128-bit mask of the pairs of adjacent
//! bytes it holds, so a typed search skips most rows without reading their
//! id.
//!
//! A search (`search_matches`) finds an ASCII needle in an ASCII id byte by
//! byte, ignoring ASCII case: every pair of adjacent bytes of the needle,
//! lower-cased, is then a pair of the id too. So a row whose mask lacks one
//! of the needle's pair bits cannot match, and only the others are read.
//! An id that is not all ASCII gets every bit (it may lower-case into other
//! letters), and a needle of one byte, or not all ASCII, skips no row.
//!
//! Measured natively over the 100k bench rows (medians of 31), selecting
//! by a search no email holds, so that every row's id is tested:
//!
//! | search | rows kept | no mask | 64-bit mask | 128-bit mask |
//! |---|---|---|---|---|
//! | "a1" | 9,335 | 4.61 ms | 3.04 ms | 1.96 ms |
//! | "a1b" | 487 | 4.77 ms | 1.61 ms | 1.04 ms |
//!
//! The 128-bit mask costs 16 bytes a row: 1.5 MiB of the 100k rows' 28 MiB.
//! Over hex ids (a UUID has about 31 distinct pairs) a mask of 64 bits has
//! about 40% of its bits set, and one of 128 bits about 22%: that share of
//! the rows is read for a two-byte search.

use crate::arena::StrArena;

/// Task ids, in row order, with their pair masks.
#[derive(Debug, Clone, Default)]
pub struct TaskIds {
    text: StrArena,
    pairs: Vec<u128>,
}

/// The pairs a needle needs a row's id to hold, from [`needle_pairs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedlePairs(u128);

impl NeedlePairs {
    /// A needle that skips no row.
    pub const NONE: NeedlePairs = NeedlePairs(0);
}

impl TaskIds {
    /// Appends a row's id.
    pub fn push(&mut self, id: &str) {
        self.text.push(id);
        self.pairs.push(text_pairs(id));
    }

    /// The id of row `i` (panics when `i >= len()`).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        self.text.get(i)
    }

    /// Whether row `i`'s id may hold a needle with these pairs: `false`
    /// means it cannot; `true` means it must be searched.
    #[inline]
    pub fn may_hold(&self, i: usize, needle: NeedlePairs) -> bool {
        self.pairs[i] & needle.0 == needle.0
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there is no id.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Bytes held on the heap (capacities).
    pub fn heap_bytes(&self) -> usize {
        self.text.heap_bytes() + self.pairs.capacity() * 16
    }

    /// Reserves room for `more` ids of `bytes` bytes in all.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        self.text.reserve(more, bytes);
        self.pairs.reserve_exact(more);
    }

    /// Bytes of id text held.
    pub fn text_len(&self) -> usize {
        self.text.text_len()
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.pairs.shrink_to_fit();
    }
}

/// The pairs `needle_lower` (a trimmed, lower-cased search) needs a row's
/// id to hold; [`NeedlePairs::NONE`] when it is shorter than two bytes or
/// not all ASCII.
///
/// ```
/// use neo_usage_analytics::task_ids::{needle_pairs, NeedlePairs, TaskIds};
/// let mut ids = TaskIds::default();
/// ids.push("3fa2-b1");
/// assert!(ids.may_hold(0, needle_pairs("a2-b")));
/// assert!(!ids.may_hold(0, needle_pairs("zz")));
/// assert_eq!(needle_pairs("a"), NeedlePairs::NONE);
/// ```
pub fn needle_pairs(needle_lower: &str) -> NeedlePairs {
    if needle_lower.len() < 2 || !needle_lower.is_ascii() {
        return NeedlePairs::NONE;
    }
    NeedlePairs(text_pairs(needle_lower))
}

/// The mask of `text`: one bit per pair of adjacent bytes, lower-cased;
/// every bit when `text` is not all ASCII.
///
/// Built in two 64-bit halves, joined once: in WebAssembly a 128-bit shift
/// by a variable amount is a branchy sequence of 64-bit ones, and an id
/// has some 35 pairs.
fn text_pairs(text: &str) -> u128 {
    if !text.is_ascii() {
        return u128::MAX;
    }
    let [low, high] = text
        .as_bytes()
        .windows(2)
        .fold([0u64; 2], |[low, high], pair| {
            let bit = pair_bit(pair[0], pair[1]);
            // Branch-free: the bit goes to the half it falls in.
            let in_high = u64::from(bit >= 64);
            [
                low | (1 - in_high) << (bit & 63),
                high | in_high << (bit & 63),
            ]
        });
    u128::from(high) << 64 | u128::from(low)
}

/// The bit (0 to 127) of a pair of bytes, ignoring ASCII case: the top
/// seven bits of a multiplicative hash of the two lower-cased bytes.
#[inline]
fn pair_bit(first: u8, second: u8) -> u32 {
    let key = u32::from(first.to_ascii_lowercase()) << 8 | u32::from(second.to_ascii_lowercase());
    key.wrapping_mul(0x9E37_79B1) >> 25
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::query::search_matches;

    /// A small deterministic generator (no dependency for a test).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }

        fn text(&mut self, alphabet: &[&str], max_len: usize) -> String {
            let len = self.below(max_len + 1);
            (0..len)
                .map(|_| alphabet[self.below(alphabet.len())])
                .collect()
        }
    }

    /// The mask never skips a row the search would keep: over random ids
    /// and needles, with both cases, hex, dashes and non-ASCII text (the
    /// Kelvin sign lower-cases to "k").
    #[test]
    fn a_skipped_row_never_matches() {
        let alphabet = [
            "a", "B", "k", "K", "1", "2", "-", "f", "F", "\u{212A}", "é", "É", "@",
        ];
        let mut rng = Lcg(7);
        let mut kept = 0;
        for _ in 0..20_000 {
            let id = rng.text(&alphabet, 12);
            let needle = rng.text(&alphabet, 4).trim().to_lowercase();
            let mut ids = TaskIds::default();
            ids.push(&id);
            if search_matches(&id, &needle) {
                kept += 1;
                assert!(
                    ids.may_hold(0, needle_pairs(&needle)),
                    "{id:?} holds {needle:?} but its mask says no"
                );
            }
        }
        assert!(kept > 1_000, "the random cases match too rarely: {kept}");
    }

    /// Over hex ids the mask skips most rows for two-byte needles.
    #[test]
    fn hex_ids_are_mostly_skipped() {
        let mut rng = Lcg(11);
        let hex = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f",
        ];
        let mut ids = TaskIds::default();
        for _ in 0..10_000 {
            let id: String = (0..32).map(|_| hex[rng.below(hex.len())]).collect();
            ids.push(&id);
        }
        let (mut searched, mut matching) = (0, 0);
        for needle in ["a1", "b2", "c3", "d4", "e5", "f6", "07", "18"] {
            let pairs = needle_pairs(needle);
            searched += (0..ids.len()).filter(|&i| ids.may_hold(i, pairs)).count();
            matching += (0..ids.len())
                .filter(|&i| search_matches(ids.get(i), needle))
                .count();
        }
        assert!(searched >= matching);
        assert!(searched < 8 * ids.len() / 2, "{searched} of 80000 searched");
    }

    #[test]
    fn short_or_non_ascii_needles_skip_nothing() {
        assert_eq!(needle_pairs(""), NeedlePairs::NONE);
        assert_eq!(needle_pairs("a"), NeedlePairs::NONE);
        assert_eq!(needle_pairs("ké"), NeedlePairs::NONE);
        let mut ids = TaskIds::default();
        ids.push("\u{212A}elvin");
        assert!(ids.may_hold(0, needle_pairs("zz")));
    }
}
