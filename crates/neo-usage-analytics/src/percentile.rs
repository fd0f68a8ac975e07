//! Percentiles (nearest rank, by `select_nth_unstable`, no full sort; the
//! distributions count instead, with [`crate::rank`]) and histograms with
//! round bin edges.

use crate::rank::at_ranks_in;

/// The nearest-rank percentile's index in `n` sorted values: the smallest
/// value with at least `p`% of the values at or below it.
///
/// ```
/// use neo_usage_analytics::percentile::rank_index;
/// assert_eq!(rank_index(50.0, 4), 1);
/// assert_eq!(rank_index(99.0, 1000), 989);
/// assert_eq!(rank_index(100.0, 7), 6);
/// assert_eq!(rank_index(0.0, 7), 0);
/// ```
pub fn rank_index(p: f64, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let rank = (p.clamp(0.0, 100.0) / 100.0 * n as f64).ceil() as usize;
    rank.clamp(1, n) - 1
}

/// The nearest-rank percentiles `ps` of `values` (any order; re-ordered in
/// place), in the order of `ps`; `None` each when `values` is empty.
///
/// ```
/// use neo_usage_analytics::percentile::percentiles;
/// let mut ms = vec![5, 1, 4, 2, 3];
/// assert_eq!(percentiles(&mut ms, &[50.0, 100.0]), [Some(3), Some(5)]);
/// assert_eq!(percentiles::<u64>(&mut [], &[50.0]), [None]);
/// ```
pub fn percentiles<T: Ord + Copy>(values: &mut [T], ps: &[f64]) -> Vec<Option<T>> {
    let n = values.len();
    if n == 0 {
        return vec![None; ps.len()];
    }
    let mut ranks: Vec<usize> = ps.iter().map(|p| rank_index(*p, n)).collect();
    ranks.sort_unstable();
    ranks.dedup();
    select_ranks(values, 0, &ranks);
    ps.iter().map(|p| Some(values[rank_index(*p, n)])).collect()
}

/// Puts the value of each rank (absolute positions, ascending, all within
/// `offset..offset + values.len()`) in its sorted place. The rank nearest
/// the middle of the slice goes first, then each side within its own part,
/// so the work halves at each level instead of rescanning the whole slice
/// per rank; a rank at either end of its part is a linear scan.
fn select_ranks<T: Ord + Copy>(values: &mut [T], offset: usize, ranks: &[usize]) {
    if ranks.is_empty() || values.is_empty() {
        return;
    }
    let centre = offset + values.len() / 2;
    let mid = ranks
        .iter()
        .enumerate()
        .min_by_key(|(_, &r)| r.abs_diff(centre))
        .map_or(0, |(k, _)| k);
    let at = ranks[mid] - offset;
    if at == 0 {
        let smallest = (0..values.len()).min_by_key(|&k| values[k]).unwrap_or(0);
        values.swap(0, smallest);
    } else if at + 1 == values.len() {
        let largest = (0..values.len()).max_by_key(|&k| values[k]).unwrap_or(0);
        values.swap(at, largest);
    } else {
        values.select_nth_unstable(at);
    }
    let (left, right) = values.split_at_mut(at);
    select_ranks(left, offset, &ranks[..mid]);
    select_ranks(&mut right[1..], ranks[mid] + 1, &ranks[mid + 1..]);
}

/// A histogram of whole numbers with round edges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Histogram {
    /// Bin edges: bin `k` holds `edges[k] <= v < edges[k + 1]`; one more
    /// edge than bins, every edge a multiple of the bin width.
    pub edges: Vec<u64>,
    /// Values per bin.
    pub counts: Vec<u64>,
    /// Values at or beyond the last edge (the long tail past the cut).
    pub above: u64,
}

/// The smallest "round" width (1, 2 or 5 times a power of ten) at least
/// `raw`.
///
/// ```
/// use neo_usage_analytics::percentile::round_width;
/// assert_eq!([round_width(0), round_width(3), round_width(7), round_width(1_234)], [1, 5, 10, 2_000]);
/// ```
pub fn round_width(raw: u64) -> u64 {
    let mut power = 1u64;
    loop {
        for step in [1, 2, 5] {
            let width = power.saturating_mul(step);
            if width >= raw || width == u64::MAX {
                return width.max(1);
            }
        }
        power = power.saturating_mul(10);
    }
}

impl Histogram {
    /// About `bins` round-width bins covering `values` from the minimum up
    /// to `cut` (e.g. the p99, so a long tail does not squash the chart);
    /// values at or past the last edge count in [`Histogram::above`].
    ///
    /// ```
    /// use neo_usage_analytics::percentile::Histogram;
    /// let h = Histogram::of(&[3, 14, 15, 92, 65, 35, 1_000], 5, 92);
    /// assert_eq!(h.edges, [0, 20, 40, 60, 80, 100]);
    /// assert_eq!(h.counts, [3, 1, 0, 1, 1]);
    /// assert_eq!(h.above, 1);
    /// ```
    pub fn of(values: &[u64], bins: usize, cut: u64) -> Self {
        match values.iter().min() {
            Some(&min) => Histogram::from_min(values, min, bins, cut),
            None => Histogram::default(),
        }
    }

    /// [`Histogram::of`] for non-empty `values` whose minimum is `min`.
    fn from_min(values: &[u64], min: u64, bins: usize, cut: u64) -> Self {
        let bins = bins.max(1) as u64;
        let hi = cut.max(min);
        let width = round_width((hi - min) / bins + u64::from((hi - min) % bins != 0));
        let start = min - min % width;
        let count = ((hi - start) / width + 1).max(1);
        let edges: Vec<u64> = (0..=count)
            .map(|k| start.saturating_add(k.saturating_mul(width)))
            .collect();
        let mut counts = vec![0u64; count as usize];
        let end = *edges.last().unwrap_or(&u64::MAX);
        let above = match (u32::try_from(end - start), u32::try_from(width)) {
            (Ok(_), Ok(width)) => count_narrow(values, start, end, width, &mut counts),
            _ => count_wide(values, &edges, &mut counts),
        };
        Histogram {
            edges,
            counts,
            above,
        }
    }
}

/// Counts `values` into bins of `width` from `start`, for a span
/// `start..end` under 2^32: exact, with one multiplication per value for
/// the division ([`DivideBy`]); returns the values at or past `end`.
fn count_narrow(values: &[u64], start: u64, end: u64, width: u32, counts: &mut [u64]) -> u64 {
    match DivideBy::new(width) {
        Some(divide) => count_into(values, start, end, counts, |offset| divide.of(offset)),
        None => count_into(values, start, end, counts, |offset| offset),
    }
}

/// [`count_narrow`] with the bin of an offset from `start` given by `bin`.
#[inline(always)]
fn count_into(
    values: &[u64],
    start: u64,
    end: u64,
    counts: &mut [u64],
    bin: impl Fn(u32) -> u32,
) -> u64 {
    let mut above = 0;
    for &v in values {
        if v >= end {
            above += 1;
            continue;
        }
        // `start <= v < end`: the offset is under 2^32, its bin under
        // `counts.len()`.
        counts[bin((v - start) as u32) as usize] += 1;
    }
    above
}

/// Division of 32-bit numbers by one divisor of 2 or more, by a
/// multiplication: `n / d` is the high 64 bits of `n × ⌈2^64 / d⌉`, exact
/// for every `n` and `d` under 2^32 (Lemire, Kaser and Kurz, "Faster
/// Remainder by Direct Computation", 2019). The product is taken in two
/// 64-bit multiplications, as WebAssembly has no wider one. A division
/// per value was half of a 100k-value histogram's time.
#[derive(Debug, Clone, Copy)]
struct DivideBy {
    /// `⌈2^64 / d⌉`.
    inverse: u64,
}

impl DivideBy {
    /// The division by `d`, or `None` for 0 and 1 (whose inverse does not
    /// fit).
    fn new(d: u32) -> Option<Self> {
        (d >= 2).then(|| DivideBy {
            inverse: u64::MAX / u64::from(d) + 1,
        })
    }

    /// `n / d`.
    #[inline(always)]
    fn of(self, n: u32) -> u32 {
        let n = u64::from(n);
        // Each product is under 2^64, and so is their sum.
        let low = (self.inverse & 0xFFFF_FFFF) * n;
        let high = (self.inverse >> 32) * n;
        ((high + (low >> 32)) >> 32) as u32
    }
}

/// [`count_narrow`] for any span: a multiplication by the reciprocal of
/// the width, corrected by one comparison each way, instead of a 64-bit
/// division per value.
fn count_wide(values: &[u64], edges: &[u64], counts: &mut [u64]) -> u64 {
    let (start, end) = (edges[0], edges[edges.len() - 1]);
    let inverse = 1.0 / (edges[1] - edges[0]) as f64;
    let mut above = 0;
    for &v in values {
        if v >= end {
            above += 1;
            continue;
        }
        let mut k = (((v - start) as f64 * inverse) as usize).min(counts.len() - 1);
        if v < edges[k] {
            k -= 1;
        } else if v >= edges[k + 1] {
            k += 1;
        }
        counts[k] += 1;
    }
    above
}

/// The smallest and largest of some values, and their sum.
struct RangeAndSum {
    min: u64,
    max: u64,
    sum: u128,
}

/// [`RangeAndSum`] of `values` (`None` when empty) in one pass, the sum in
/// `u64` (one add per value, where a `u128` add is several in
/// WebAssembly) and again in `u128` only when it overflowed.
fn range_and_sum(values: &[u64]) -> Option<RangeAndSum> {
    let first = *values.first()?;
    let (mut min, mut max, mut sum, mut overflowed) = (first, first, 0u64, false);
    for &v in values {
        min = min.min(v);
        max = max.max(v);
        let (next, over) = sum.overflowing_add(v);
        sum = next;
        overflowed |= over;
    }
    let sum = if overflowed {
        values.iter().map(|&v| u128::from(v)).sum()
    } else {
        u128::from(sum)
    };
    Some(RangeAndSum { min, max, sum })
}

/// The spread of a quantity over rows that have it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Distribution {
    /// Rows with a value (rows without one are left out, not counted as 0).
    pub count: usize,
    /// Smallest value.
    pub min: Option<u64>,
    /// Largest value.
    pub max: Option<u64>,
    /// Mean of the values.
    pub mean: Option<f64>,
    /// Median (nearest rank).
    pub p50: Option<u64>,
    /// 90th percentile.
    pub p90: Option<u64>,
    /// 95th percentile.
    pub p95: Option<u64>,
    /// 99th percentile.
    pub p99: Option<u64>,
    /// Bins from the minimum to the p99 ([`Histogram::of`]).
    pub histogram: Histogram,
}

impl Distribution {
    /// The distribution of `values` with about `bins` histogram bins. The
    /// percentiles are found by counting ([`crate::rank`]), with no copy
    /// and no reordering.
    pub fn of(values: &[u64], bins: usize) -> Self {
        let summary = Distribution::summary(values);
        let histogram = match (summary.min, summary.p99) {
            (Some(min), Some(p99)) => Histogram::from_min(values, min, bins, p99),
            _ => Histogram::default(),
        };
        Distribution {
            histogram,
            ..summary
        }
    }

    /// [`Distribution::of`] without the histogram (left empty).
    ///
    /// ```
    /// use neo_usage_analytics::Distribution;
    /// let ms = [30, 10, 20, 40];
    /// let summary = Distribution::summary(&ms);
    /// assert_eq!((summary.p50, summary.max, summary.mean), (Some(20), Some(40), Some(25.0)));
    /// assert_eq!(Distribution { histogram: Default::default(), ..Distribution::of(&ms, 4) }, summary);
    /// ```
    pub fn summary(values: &[u64]) -> Self {
        let Some(RangeAndSum { min, max, sum }) = range_and_sum(values) else {
            return Distribution::default();
        };
        let count = values.len();
        let ranks = [50.0, 90.0, 95.0, 99.0].map(|p| rank_index(p, count));
        let ps = at_ranks_in(values, (min, max), &ranks);
        let p = |k: usize| ps.get(k).copied();
        Distribution {
            count,
            min: Some(min),
            max: Some(max),
            mean: Some(sum as f64 / count as f64),
            p50: p(0),
            p90: p(1),
            p95: p(2),
            p99: p(3),
            histogram: Histogram::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_multiplication_equals_division() {
        let edges = [
            0,
            1,
            2,
            3,
            7,
            10,
            1 << 16,
            (1 << 31) - 1,
            1 << 31,
            (1 << 31) + 1,
        ];
        let mut numbers: Vec<u32> = edges.to_vec();
        numbers.extend(edges.iter().map(|e| u32::MAX - e));
        let mut divisors: Vec<u32> = numbers.iter().copied().filter(|&d| d >= 2).collect();
        // A fixed sequence of odd-looking numbers (an LCG) besides the edges.
        let mut x = 0x2545_f491u32;
        for _ in 0..2_000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            numbers.push(x);
            divisors.push((x >> (x % 31)).max(2));
        }
        for &d in &divisors {
            let divide = DivideBy::new(d).unwrap();
            for &n in &numbers {
                assert_eq!(divide.of(n), n / d, "{n} / {d}");
            }
        }
        assert!(DivideBy::new(1).is_none() && DivideBy::new(0).is_none());
    }
}
