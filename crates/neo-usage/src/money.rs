//! Money and credit amounts as exact integers: the one definition the
//! reference server's summary and the viewer's analytics both use.
//!
//! Every amount (`neo_credits`, `llm_cost`, `neo_cost`) is counted in whole
//! ten-thousandths ([`UNITS_PER_WHOLE`]: 4 decimals, 0.0001 credit or
//! 0.0001 USD), the precision the API sends and the viewer displays. Rows
//! hold them as `f64` because the API does; sums, splits and comparisons go
//! through [`to_units`] so a total is exact and equals the sum of the rows as
//! displayed to the last digit. An amount with more decimals (a real API may
//! send `1e-9`) rounds to the nearest unit, half away from zero, on its exact
//! value, as a 4-decimal display of it does; whoever must give the original
//! `f64` back keeps it beside the units.
//!
//! ```
//! use neo_usage::money::{format_units, sum, to_units};
//! assert_eq!(to_units(0.1) + to_units(0.2), to_units(0.3));
//! assert_eq!(sum(&[Some(0.1), None, Some(0.2)]), 0.3);
//! assert_eq!(format_units(to_units(1e6) + to_units(1e-9)), "1000000.0000");
//! ```

/// Ten-thousandths per whole unit: amounts carry 4 decimals.
pub const UNITS_PER_WHOLE: i64 = 10_000;

/// Decimals of a unit amount ([`UNITS_PER_WHOLE`] = 10^`DECIMALS`).
pub const DECIMALS: usize = 4;

/// USD per Neo credit (documented: 1 credit = 10 USD equivalent).
pub const USD_PER_CREDIT: i64 = 10;

/// `credit_units` × [`USD_PER_CREDIT`], saturating at the bounds of `i64`
/// as `saturating_mul` does. Compared with the bounds first, so the
/// product is one 64-bit multiplication: wasm32 computes an
/// overflow-checked one with a 128-bit routine, which the dashboard's row
/// loop called for every row (3.9% of its time in a profile).
///
/// ```
/// use neo_usage::money::usd_units_of_credits;
/// assert_eq!(usd_units_of_credits(12_345), 123_450);
/// assert_eq!(usd_units_of_credits(-7), -70);
/// assert_eq!(usd_units_of_credits(i64::MAX / 9), i64::MAX);
/// assert_eq!(usd_units_of_credits(i64::MIN / 9), i64::MIN);
/// ```
#[inline]
pub const fn usd_units_of_credits(credit_units: i64) -> i64 {
    const HIGHEST: i64 = i64::MAX / USD_PER_CREDIT;
    const LOWEST: i64 = i64::MIN / USD_PER_CREDIT;
    if credit_units > HIGHEST {
        i64::MAX
    } else if credit_units < LOWEST {
        i64::MIN
    } else {
        credit_units * USD_PER_CREDIT
    }
}

/// A row's total cost in USD units: its credits' USD equivalent
/// ([`usd_units_of_credits`]) plus its BYOK LLM and platform costs (zero
/// for a row on Neo's key), saturating. The one formula behind the
/// dashboard's cost, the cost sort and the table's cost column.
///
/// ```
/// use neo_usage::money::total_cost_units;
/// assert_eq!(total_cost_units(1_000, 0, 0), 10_000);
/// assert_eq!(total_cost_units(0, 2_500, 500), 3_000);
/// assert_eq!(total_cost_units(i64::MAX / 5, 1, 1), i64::MAX);
/// ```
#[inline]
pub const fn total_cost_units(credit_units: i64, byok_llm_units: i64, byok_neo_units: i64) -> i64 {
    usd_units_of_credits(credit_units)
        .saturating_add(byok_llm_units)
        .saturating_add(byok_neo_units)
}

/// The largest magnitude of an amount (credits or USD) the viewer accepts
/// in an imported file: 900 billion, just under 2^53 units, so every amount
/// and the USD equivalent of its credits stay exact integers of units and
/// a sum of a few such amounts still shows to the last digit. No task
/// costs anything near it; a value past it is a broken file.
pub const MAX_EXACT_AMOUNT: f64 = 900_000_000_000.0;

/// An amount as whole ten-thousandths: the exact binary value of `amount`
/// rounded to the nearest unit, half away from zero, as a 4-decimal display
/// of it rounds (`Intl.NumberFormat`'s default, `toFixed(4)` for positive
/// amounts). Computed on the exact value, not on `amount * 10000` (which
/// rounds `0.00035`, really 0.000349999…, up to 4). `NaN` reads as 0;
/// amounts beyond ±9.2e14 saturate.
///
/// ```
/// use neo_usage::money::to_units;
/// assert_eq!(to_units(0.00035), 3);
/// assert_eq!(to_units(1.00005), 10_001);
/// assert_eq!(to_units(0.03125), 313);
/// assert_eq!(to_units(-0.03125), -313);
/// ```
pub fn to_units(amount: f64) -> i64 {
    if amount.is_nan() {
        return 0;
    }
    let bits = amount.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0x7ff {
        return if negative { i64::MIN } else { i64::MAX };
    }
    // |amount| = mantissa × 2^exponent, exactly.
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    let scaled = u128::from(mantissa) * UNITS_PER_WHOLE as u128; // < 2^67
    let magnitude: u128 = if exponent >= 0 {
        if exponent > 60 {
            u128::MAX
        } else {
            scaled << exponent
        }
    } else {
        let shift = exponent.unsigned_abs();
        if shift >= 69 {
            0 // below half a unit
        } else {
            let whole = scaled >> shift;
            let rest = scaled - (whole << shift);
            whole + u128::from(rest >= 1 << (shift - 1))
        }
    };
    match (negative, i64::try_from(magnitude)) {
        (false, Ok(units)) => units,
        (false, Err(_)) => i64::MAX,
        (true, Ok(units)) => -units,
        (true, Err(_)) => i64::MIN,
    }
}

/// Whole ten-thousandths as an amount with 4 decimals (the nearest `f64`).
pub fn from_units(units: i64) -> f64 {
    units as f64 / UNITS_PER_WHOLE as f64
}

/// A sum of units (any width) as an amount; sums of many rows are kept in
/// `i128` so they cannot overflow.
pub fn from_units_wide(units: i128) -> f64 {
    units as f64 / UNITS_PER_WHOLE as f64
}

/// Sum of optional amounts, exact to 4 decimals.
pub fn sum<'a>(amounts: impl IntoIterator<Item = &'a Option<f64>>) -> f64 {
    from_units_wide(
        amounts
            .into_iter()
            .flatten()
            .map(|a| i128::from(to_units(*a)))
            .sum(),
    )
}

/// Units as the decimal text the viewer shows: always [`DECIMALS`]
/// decimals, a `-` for negatives, no grouping, exact for any width.
///
/// ```
/// use neo_usage::money::format_units;
/// assert_eq!(format_units(12_345), "1.2345");
/// assert_eq!(format_units(-5), "-0.0005");
/// assert_eq!(format_units(i128::from(i64::MAX) * 3), "2767011611056432.7421");
/// ```
pub fn format_units(units: impl Into<i128>) -> String {
    let units: i128 = units.into();
    let sign = if units < 0 { "-" } else { "" };
    let magnitude = units.unsigned_abs();
    let per = UNITS_PER_WHOLE as u128;
    format!(
        "{sign}{}.{:0width$}",
        magnitude / per,
        magnitude % per,
        width = DECIMALS
    )
}

/// Splits `total` into `parts` whole shares proportional to `weights`; the
/// shares always add up to `total` (the last share takes the remainder).
pub fn split(total: i64, weights: &[u64]) -> Vec<i64> {
    let weight_sum: u64 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut given = 0i64;
    for (index, weight) in weights.iter().enumerate() {
        let share = if index + 1 == weights.len() {
            total - given
        } else if weight_sum == 0 {
            0
        } else {
            share_of(total, *weight, weight_sum)
        };
        given += share;
        shares.push(share);
    }
    shares
}

/// `total * weight / weight_sum`, truncated toward zero: in 64 bits when
/// `total` and `weight` are under 2^31 (their product then fits), else in
/// 128. wasm32 calls a routine for each 128-bit division, and for an
/// overflow-checked 64-bit multiplication too, and the demo splits every
/// row's counts.
fn share_of(total: i64, weight: u64, weight_sum: u64) -> i64 {
    const NARROW: u64 = 1 << 31;
    match i64::try_from(weight_sum) {
        Ok(sum) if total.unsigned_abs() < NARROW && weight < NARROW => total * weight as i64 / sum,
        _ => (i128::from(total) * i128::from(weight) / i128::from(weight_sum)) as i64,
    }
}

/// [`split`] for unsigned counts.
pub fn split_count(total: u64, weights: &[u64]) -> Vec<u64> {
    split(total as i64, weights)
        .into_iter()
        .map(|s| s.max(0) as u64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_round_trip() {
        for units in [0, 1, 9_999, 10_000, 123_456_789] {
            assert_eq!(to_units(from_units(units)), units);
        }
        assert_eq!(to_units(0.30000000000000004), 3_000);
        assert_eq!(from_units(1_2345), 1.2345);
    }

    #[test]
    fn usd_units_of_credits_saturates_as_saturating_mul_does() {
        let highest = i64::MAX / USD_PER_CREDIT;
        let lowest = i64::MIN / USD_PER_CREDIT;
        let edges = [
            i64::MIN,
            lowest - 1,
            lowest,
            lowest + 1,
            -1,
            0,
            1,
            highest - 1,
            highest,
            highest + 1,
            i64::MAX,
        ];
        for units in edges {
            assert_eq!(
                usd_units_of_credits(units),
                units.saturating_mul(USD_PER_CREDIT),
                "{units}"
            );
        }
    }

    #[test]
    fn splits_add_up() {
        let shares = split(1_000_003, &[1, 2, 3]);
        assert_eq!(shares.iter().sum::<i64>(), 1_000_003);
        assert_eq!(split_count(7, &[0, 0]), vec![0, 7]);
        assert!(split(5, &[]).is_empty());
        // Products past 64 bits take the wide path; both truncate toward 0.
        let wide = (i128::from(i64::MAX) * 3 / 4) as i64;
        assert_eq!(split(i64::MAX, &[3, 1]), vec![wide, i64::MAX - wide]);
        assert_eq!(split(i64::MAX, &[u64::MAX / 2, 1]), vec![i64::MAX - 1, 1]);
        assert_eq!(split(1_001, &[u64::MAX / 4, u64::MAX / 4]), vec![500, 501]);
        assert_eq!(split(-(1 << 40), &[1, 3]), vec![-(1 << 38), -(3 << 38)]);
        assert_eq!(split(-7, &[1, 1]), vec![-3, -4]);
    }

    #[test]
    fn tiny_huge_and_odd_amounts_never_break() {
        assert_eq!(to_units(1e-9), 0);
        assert_eq!(to_units(-1e-9), 0);
        assert_eq!(to_units(0.00005), 1, "half rounds away from zero");
        assert_eq!(to_units(-0.00005), -1);
        assert_eq!(to_units(f64::NAN), 0);
        assert_eq!(to_units(f64::INFINITY), i64::MAX);
        assert_eq!(to_units(f64::NEG_INFINITY), i64::MIN);
        assert_eq!(to_units(1e6), 10_000_000_000);
    }

    #[test]
    fn formats_every_width_exactly() {
        assert_eq!(format_units(0), "0.0000");
        assert_eq!(format_units(10_000), "1.0000");
        assert_eq!(format_units(-10_001), "-1.0001");
        assert_eq!(format_units(i64::MIN), "-922337203685477.5808");
    }
}
