//! Totals equal the sum of the rows as displayed, to the last digit, for
//! adversarial amounts; displayed means rounded on the exact value, half
//! away from zero, as `Intl.NumberFormat` does, checked here against the
//! exact decimal expansion of each `f64`.

mod common;

use neo_usage::{money::format_units, TaskStatus, TaskUsage};
use neo_usage_analytics::{Selection, Totals, UsageStore};
use neo_usage_mock::prng::SplitMix64;

/// The exact decimal expansion of `v` rounded to 4 decimals, half away from
/// zero, as integer ten-thousandths: an oracle independent of `to_units`.
fn displayed_units(v: f64) -> i128 {
    // 1100 decimals print every f64 exactly.
    let text = format!("{:.1100}", v.abs());
    let (whole, fraction) = text.split_once('.').unwrap();
    let mut units: i128 = format!("{whole}{}", &fraction[..4]).parse().unwrap();
    if fraction.as_bytes()[4] >= b'5' {
        units += 1;
    }
    if v < 0.0 {
        -units
    } else {
        units
    }
}

/// The sum of the displayed amounts, as 4-decimal text.
fn sum_of_displayed(values: &[f64]) -> String {
    let total: i128 = values.iter().map(|&v| displayed_units(v)).sum();
    format_units(total)
}

fn store_with_credits(values: &[f64]) -> UsageStore {
    let mut store = UsageStore::new();
    for (i, v) in values.iter().enumerate() {
        let at = "2026-11-01T00:00:00Z".parse().unwrap();
        let mut row = TaskUsage::new(format!("t{i:07}"), at, "m", TaskStatus::Completed);
        row.neo_credits = Some(*v);
        row.llm_cost = Some(*v);
        row.is_byok = Some(true);
        store.push(&row);
    }
    store
}

fn check(values: &[f64]) {
    let store = store_with_credits(values);
    let totals = Totals::of(&store, &Selection::all(&store));
    assert_eq!(totals.credits.to_string(), sum_of_displayed(values));
    assert_eq!(totals.byok_llm_cost, totals.credits);
    for (i, v) in values.iter().enumerate() {
        assert_eq!(store.row(i).neo_credits, Some(*v), "row {i} round trip");
    }
}

#[test]
fn tenths_and_fifths_add_exactly() {
    let mut values = Vec::new();
    for _ in 0..10_000 {
        values.extend([0.1, 0.2, 0.3, 0.7, 1.1, 2.675]);
    }
    check(&values);
    let store = store_with_credits(&values);
    let totals = Totals::of(&store, &Selection::all(&store));
    assert_eq!(totals.credits.to_string(), "50750.0000");
    // A float sum drifts: the integer one does not.
    assert_ne!(values.iter().sum::<f64>(), 50_750.0);
}

#[test]
fn tiny_beside_huge() {
    check(&[
        1e6,
        1e-9,
        1e-9,
        0.00005,
        1e6,
        -1e-9,
        0.00004999,
        123_456.789_06,
    ]);
    let store = store_with_credits(&[1e6, 1e-9, 1e-9, 1e-9]);
    let totals = Totals::of(&store, &Selection::all(&store));
    assert_eq!(totals.credits.to_string(), "1000000.0000");
}

#[test]
fn values_near_half_a_unit_round_as_displayed() {
    // Each is the f64 nearest a value ending in 5 at the fifth decimal; the
    // binary value lies a hair below or above it, which decides.
    let values: Vec<f64> = (0..20_000u32)
        .map(|k| f64::from(k * 10 + 5) / 100_000.0)
        .collect();
    check(&values);
}

#[test]
fn random_amounts_of_every_magnitude() {
    let mut rng = SplitMix64::new(99);
    let mut values = Vec::new();
    for _ in 0..50_000 {
        let magnitude = 10f64.powi(rng.between(0, 16) as i32 - 10);
        let sign = if rng.chance(0.1) { -1.0 } else { 1.0 };
        values.push(sign * rng.unit() * magnitude);
    }
    check(&values);
}

#[test]
fn nothing_breaks_on_nan_infinities_and_extremes() {
    let store = store_with_credits(&[f64::NAN, f64::INFINITY, f64::MIN_POSITIVE, 9.2e14]);
    let totals = Totals::of(&store, &Selection::all(&store));
    assert_eq!(
        totals.credits.units,
        i128::from(i64::MAX) + 9_200_000_000_000_000_000
    );
    assert!(store.row(0).neo_credits.unwrap().is_nan());
    assert_eq!(store.row(1).neo_credits, Some(f64::INFINITY));
}
