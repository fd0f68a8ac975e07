//! Percentiles by selection and by counting equal those of a full sort, for
//! every size and duplicates; histograms count every value once.

use neo_usage_analytics::percentile::{percentiles, rank_index, Distribution, Histogram};
use neo_usage_analytics::rank::at_ranks;
use neo_usage_mock::prng::SplitMix64;

#[test]
fn selection_equals_sorting() {
    let mut rng = SplitMix64::new(5);
    let ps = [0.0, 1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0, 50.0];
    for n in (0..300).chain([1_000, 4_099, 10_000]) {
        let spread = [3, 100, u64::MAX][n % 3];
        let values: Vec<u64> = (0..n).map(|_| rng.below(spread)).collect();
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let expected: Vec<Option<u64>> = ps
            .iter()
            .map(|&p| (!sorted.is_empty()).then(|| sorted[rank_index(p, n)]))
            .collect();
        let mut scratch = values.clone();
        assert_eq!(percentiles(&mut scratch, &ps), expected, "n = {n}");
    }
}

/// Values with few distinct ones, a narrow or the widest spread, or a
/// long tail (most values small, a few huge).
fn spread_values(rng: &mut SplitMix64, n: usize) -> Vec<u64> {
    let shape = n % 5;
    (0..n)
        .map(|_| match shape {
            0 => rng.below(3),
            1 => 1_000 + rng.below(100),
            2 => rng.next_u64(),
            3 if rng.chance(0.01) => u64::MAX - rng.below(10),
            _ => {
                let bits = rng.below(40) + 1;
                rng.below(1 << bits)
            }
        })
        .collect()
}

#[test]
fn counting_equals_sorting() {
    let mut rng = SplitMix64::new(17);
    let ps = [0.0, 1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0, 50.0];
    for n in (1..200).chain([511, 512, 513, 2_049, 10_000, 100_003]) {
        let values = spread_values(&mut rng, n);
        let ranks: Vec<usize> = ps.iter().map(|&p| rank_index(p, n)).collect();
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let expected: Vec<u64> = ranks.iter().map(|&r| sorted[r]).collect();
        assert_eq!(at_ranks(&values, &ranks), expected, "n = {n}");
        // The same values as signed, half of them negative.
        let signed: Vec<i64> = values.iter().map(|&v| v as i64).collect();
        let mut sorted = signed.clone();
        sorted.sort_unstable();
        let expected: Vec<i64> = ranks.iter().map(|&r| sorted[r]).collect();
        assert_eq!(at_ranks(&signed, &ranks), expected, "signed, n = {n}");
    }
    assert!(at_ranks::<u64>(&[], &[]).is_empty());
}

#[test]
fn nearest_rank_definition() {
    // p50 of 1..=10 is 5, p90 is 9, p91 is 10.
    let mut v: Vec<u64> = (1..=10).rev().collect();
    assert_eq!(
        percentiles(&mut v, &[50.0, 90.0, 91.0]),
        [Some(5), Some(9), Some(10)]
    );
}

#[test]
fn histograms_count_every_value_once() {
    let mut rng = SplitMix64::new(8);
    // Spans under 2^32 (binned by 32-bit division) and past it (by the
    // reciprocal, corrected at the edges).
    for (bins, scale) in [
        (1, 1),
        (7, 1),
        (20, 1),
        (64, 1),
        (7, 10_000_000),
        (20, 3_000_001),
    ] {
        let values: Vec<u64> = (0..5_000)
            .map(|_| (1.0 / (0.001 + rng.unit()) * 1_000.0) as u64 * scale)
            .collect();
        let d = Distribution::of(&values, bins);
        let h = &d.histogram;
        assert_eq!(h.counts.iter().sum::<u64>() + h.above, values.len() as u64);
        for (k, count) in h.counts.iter().enumerate() {
            let (lo, hi) = (h.edges[k], h.edges[k + 1]);
            let n = values.iter().filter(|&&v| lo <= v && v < hi).count();
            assert_eq!(*count, n as u64, "bin {k} of {bins}, scale {scale}");
        }
        assert!(
            h.counts.len() <= bins + 1,
            "{} bins for {bins}",
            h.counts.len()
        );
        let above = values
            .iter()
            .filter(|&&v| v >= *h.edges.last().unwrap())
            .count();
        assert_eq!(h.above, above as u64);
    }
    assert_eq!(Histogram::of(&[], 10, 0), Histogram::default());
    let one = Histogram::of(&[7, 7, 7], 10, 7);
    assert_eq!(
        (one.edges.clone(), one.counts.clone()),
        (vec![7, 8], vec![3])
    );
}

#[test]
fn summaries_equal_those_of_a_sort_even_past_u64_sums() {
    let mut rng = SplitMix64::new(23);
    for n in (1..60).chain([511, 513, 5_000]) {
        // Shape 2 (any u64) and 3 (a few near u64::MAX) overflow a u64 sum.
        let values = spread_values(&mut rng, n);
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let sum: u128 = values.iter().map(|&v| u128::from(v)).sum();
        let at = |p: f64| Some(sorted[rank_index(p, n)]);
        let d = Distribution::summary(&values);
        assert_eq!(
            (d.count, d.min, d.max, d.mean),
            (
                n,
                sorted.first().copied(),
                sorted.last().copied(),
                Some(sum as f64 / n as f64)
            ),
            "n = {n}"
        );
        assert_eq!(
            [d.p50, d.p90, d.p95, d.p99],
            [at(50.0), at(90.0), at(95.0), at(99.0)],
            "n = {n}"
        );
    }
    assert_eq!(Distribution::summary(&[]), Distribution::default());
}
