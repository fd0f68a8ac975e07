//! Money and credit amounts as exact integers.
//!
//! Every amount the dataset produces (`neo_credits`, `llm_cost`, `neo_cost`)
//! is a whole number of ten-thousandths (4 decimals: 0.0001 credit, or
//! 0.0001 USD). Rows hold them as `f64` because the API does; sums, splits
//! and comparisons go through [`to_units`] so totals are exact and the
//! streams of a task add up to the task to the last digit.

/// Ten-thousandths per whole unit: amounts carry 4 decimals.
pub const UNITS_PER_WHOLE: i64 = 10_000;

/// USD per Neo credit (documented: 1 credit = 10 USD equivalent).
pub const USD_PER_CREDIT: i64 = 10;

/// An amount as whole ten-thousandths, rounded to the nearest.
pub fn to_units(amount: f64) -> i64 {
    let scaled = amount * UNITS_PER_WHOLE as f64;
    // Round half away from zero by hand: exact IEEE operations only.
    let truncated = scaled as i64;
    let rest = scaled - truncated as f64;
    if rest >= 0.5 {
        truncated + 1
    } else if rest <= -0.5 {
        truncated - 1
    } else {
        truncated
    }
}

/// Whole ten-thousandths as an amount with 4 decimals.
pub fn from_units(units: i64) -> f64 {
    units as f64 / UNITS_PER_WHOLE as f64
}

/// Sum of optional amounts, exact to 4 decimals.
pub fn sum<'a>(amounts: impl IntoIterator<Item = &'a Option<f64>>) -> f64 {
    from_units(amounts.into_iter().flatten().map(|a| to_units(*a)).sum())
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
            (i128::from(total) * i128::from(*weight) / i128::from(weight_sum)) as i64
        };
        given += share;
        shares.push(share);
    }
    shares
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
    fn splits_add_up() {
        let shares = split(1_000_003, &[1, 2, 3]);
        assert_eq!(shares.iter().sum::<i64>(), 1_000_003);
        assert_eq!(split_count(7, &[0, 0]), vec![0, 7]);
        assert!(split(5, &[]).is_empty());
    }
}
