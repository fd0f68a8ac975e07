use neo_usage_analytics::rank::at_ranks;
use neo_usage_analytics::{Distribution, UsageStore};
use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};
use std::time::Instant;
fn min_us(n: usize, mut f: impl FnMut()) -> f64 {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .fold(f64::MAX, f64::min)
}
fn main() {
    let rows = generate(DatasetSpec::new(42, 100_000, reference_now()).window_days(90));
    let store = UsageStore::from_rows(rows);
    let d: Vec<u64> = (0..store.len())
        .filter_map(|i| store.row_duration_ms(i))
        .collect();
    let (lo, hi) = (d.iter().min().unwrap(), d.iter().max().unwrap());
    println!("n {} lo {lo} hi {hi}", d.len());
    for _ in 0..3 {
        println!(
            "sum pass {:.0} us",
            min_us(300, || {
                std::hint::black_box(d.iter().fold((0u64, u64::MAX, 0u64), |(s, a, b), &v| {
                    (s.wrapping_add(v), a.min(v), b.max(v))
                }));
            })
        );
        println!(
            "summary {:.0} us",
            min_us(300, || {
                std::hint::black_box(Distribution::summary(&d));
            })
        );
        println!(
            "of {:.0} us",
            min_us(300, || {
                std::hint::black_box(Distribution::of(&d, 30));
            })
        );
        println!(
            "p99 {:.0} us",
            min_us(300, || {
                std::hint::black_box(at_ranks(&d, &[98_000]));
            })
        );
    }
}
