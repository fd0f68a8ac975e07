//! Order statistics without sorting or moving the values: the values at a
//! few sorted positions, found by counting the values per slice of their
//! range (a radix histogram), then looking again only at the slices that
//! hold a wanted position. A pass over the values costs a few additions per
//! value, where selecting in place moves them around several times.

/// Values that order as the `u64` keys they map to.
pub trait RankKey: Copy {
    /// The key: `a < b` exactly when `a.key() < b.key()`.
    fn key(self) -> u64;
    /// The value of a key.
    fn from_key(key: u64) -> Self;
}

impl RankKey for u64 {
    #[inline(always)]
    fn key(self) -> u64 {
        self
    }
    #[inline(always)]
    fn from_key(key: u64) -> Self {
        key
    }
}

impl RankKey for i64 {
    /// The sign bit flipped: negative values first.
    #[inline(always)]
    fn key(self) -> u64 {
        (self as u64) ^ (1 << 63)
    }
    #[inline(always)]
    fn from_key(key: u64) -> Self {
        (key ^ (1 << 63)) as i64
    }
}

/// Bits of the range split per counting pass: 2,048 counters, 8 KiB.
const BITS: u32 = 11;
/// Below this many values, sorting a copy is cheaper than counting.
const SMALL: usize = 512;

/// The smallest and largest keys of `values` (`None` when empty).
pub fn key_range<T: RankKey>(values: &[T]) -> Option<(u64, u64)> {
    let first = values.first()?.key();
    Some(values.iter().fold((first, first), |(lo, hi), v| {
        let k = v.key();
        (lo.min(k), hi.max(k))
    }))
}

/// The values at the sorted positions `ranks` of `values` (in the order of
/// `ranks`; each position below `values.len()`), as a full sort would give
/// them; `values` is left as it is.
///
/// ```
/// use neo_usage_analytics::rank::at_ranks;
/// let costs = [5i64, -3, 9, 0, 9, -3, 2];
/// assert_eq!(at_ranks(&costs, &[0, 3, 6]), [-3, 2, 9]);
/// ```
pub fn at_ranks<T: RankKey>(values: &[T], ranks: &[usize]) -> Vec<T> {
    match key_range(values) {
        Some(range) => at_ranks_in(values, range, ranks),
        None => Vec::new(),
    }
}

/// [`at_ranks`] for non-empty `values` whose keys' range `(lo, hi)` (as
/// [`key_range`] gives it) is known: one pass over the values fewer.
pub(crate) fn at_ranks_in<T: RankKey>(values: &[T], range: (u64, u64), ranks: &[usize]) -> Vec<T> {
    let mut wanted: Vec<(usize, usize)> = ranks.iter().copied().enumerate().collect();
    wanted.sort_unstable_by_key(|&(_, r)| r);
    let sorted: Vec<usize> = wanted.iter().map(|&(_, r)| r).collect();
    let mut found = Vec::with_capacity(ranks.len());
    keys_at(values, range, &sorted, &mut found);
    let mut keys = vec![0u64; ranks.len()];
    for ((slot, _), key) in wanted.iter().zip(found) {
        keys[*slot] = key;
    }
    keys.into_iter().map(T::from_key).collect()
}

/// A slice of the range that holds wanted positions.
struct Wanted {
    /// The slice's keys are `start..=last`.
    start: u64,
    last: u64,
    /// The positions, counted from the slice's first value.
    ranks: Vec<usize>,
    /// Values in the slice.
    count: usize,
}

/// Pushes onto `out` the keys at the ascending positions `ranks` of
/// `values`, whose keys lie in `lo..=hi`.
fn keys_at<T: RankKey>(values: &[T], (lo, hi): (u64, u64), ranks: &[usize], out: &mut Vec<u64>) {
    if lo == hi {
        out.extend(ranks.iter().map(|_| lo));
        return;
    }
    if values.len() <= SMALL || ranks.len() >= usize::from(u8::MAX) {
        let mut sorted: Vec<u64> = values.iter().map(|v| v.key()).collect();
        sorted.sort_unstable();
        out.extend(ranks.iter().map(|&r| sorted[r]));
        return;
    }
    let shift = (u64::BITS - (hi - lo).leading_zeros()).saturating_sub(BITS);
    let counts = count_slices(values, lo, shift);
    let wanted = wanted_slices(&counts, lo, hi, shift, ranks);
    if shift == 0 {
        // Every slice holds one value.
        for w in &wanted {
            out.extend(w.ranks.iter().map(|_| w.start));
        }
        return;
    }
    for (w, held) in wanted.iter().zip(gather(values, lo, shift, &wanted)) {
        keys_at(&held, (w.start, w.last), &w.ranks, out);
    }
}

/// Values per slice of `1 << shift` keys from `lo`.
fn count_slices<T: RankKey>(values: &[T], lo: u64, shift: u32) -> Vec<u32> {
    let mut counts = vec![0u32; (1 << BITS) + 1];
    for v in values {
        let slice = ((v.key() - lo) >> shift) as usize;
        if let Some(c) = counts.get_mut(slice) {
            *c += 1;
        }
    }
    counts
}

/// The slices holding the ascending positions `ranks`, in order.
fn wanted_slices(counts: &[u32], lo: u64, hi: u64, shift: u32, ranks: &[usize]) -> Vec<Wanted> {
    let mut wanted = Vec::new();
    let (mut below, mut next) = (0usize, 0);
    for (slice, &count) in counts.iter().enumerate() {
        let end = below + count as usize;
        let first = next;
        while next < ranks.len() && ranks[next] < end {
            next += 1;
        }
        if first < next {
            let start = lo + ((slice as u64) << shift);
            wanted.push(Wanted {
                start,
                last: start.saturating_add((1u64 << shift) - 1).min(hi),
                ranks: ranks[first..next].iter().map(|r| r - below).collect(),
                count: count as usize,
            });
        }
        below = end;
    }
    wanted
}

/// The keys of each wanted slice, in one pass over `values`.
fn gather<T: RankKey>(values: &[T], lo: u64, shift: u32, wanted: &[Wanted]) -> Vec<Vec<u64>> {
    const NOT: u8 = u8::MAX;
    let mut which = vec![NOT; (1 << BITS) + 1];
    for (k, w) in wanted.iter().enumerate() {
        which[((w.start - lo) >> shift) as usize] = k as u8;
    }
    let mut held: Vec<Vec<u64>> = wanted.iter().map(|w| Vec::with_capacity(w.count)).collect();
    for v in values {
        let key = v.key();
        let slice = ((key - lo) >> shift) as usize;
        match which.get(slice) {
            Some(&k) if k != NOT => held[k as usize].push(key),
            _ => {}
        }
    }
    held
}
