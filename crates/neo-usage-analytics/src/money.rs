//! Money in the store and in results: amounts as exact integer units of the
//! core's [`neo_usage::money`] (4 decimals), summed without rounding.
//!
//! Each row's amount is rounded once to the unit, as its 4-decimal display
//! is; totals add those units, so a total equals the sum of the rows as
//! displayed, to the last digit, whatever the row values (`0.1 + 0.2`,
//! `1e-9` beside `1e6`). The row's original `f64`, when it has more decimals
//! than a unit holds, is kept aside so [`crate::UsageStore::row`] gives it
//! back exactly.

use std::ops::Range;

use neo_usage::money::{format_units, from_units, from_units_wide, to_units, USD_PER_CREDIT};

use crate::packed::Escapes;

/// Marks an absent amount.
const NONE: i32 = i32::MIN;
/// Marks units kept in the wide escapes (beyond ±214,748.3647).
const WIDE: i32 = i32::MIN + 1;

/// An exact amount: a sum of units of [`neo_usage::money::UNITS_PER_WHOLE`]
/// per whole credit or USD.
///
/// ```
/// use neo_usage_analytics::Amount;
/// let credits = Amount::from_units(12_345);
/// assert_eq!(credits.to_string(), "1.2345");
/// assert_eq!(credits.usd_from_credits().units, 123_450);
/// assert_eq!(credits.as_f64(), 1.2345);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    /// The amount in units (ten-thousandths).
    pub units: i128,
}

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount { units: 0 };

    /// An amount of `units` units.
    pub fn from_units(units: impl Into<i128>) -> Self {
        Amount {
            units: units.into(),
        }
    }

    /// The amount as a number (nearest `f64`), for charts and `data-value`.
    pub fn as_f64(self) -> f64 {
        from_units_wide(self.units)
    }

    /// This many credits in USD equivalent (× [`USD_PER_CREDIT`]).
    pub fn usd_from_credits(self) -> Amount {
        Amount {
            units: self.units * i128::from(USD_PER_CREDIT),
        }
    }

    /// `self / other` as a fraction (0 when `other` is zero).
    pub fn ratio(self, other: Amount) -> f64 {
        if other.units == 0 {
            0.0
        } else {
            self.units as f64 / other.units as f64
        }
    }

    /// The amount divided by `count` (an average per task, per day), as a
    /// number; 0 when `count` is zero.
    pub fn per(self, count: f64) -> f64 {
        if count == 0.0 {
            0.0
        } else {
            self.as_f64() / count
        }
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, other: Amount) -> Amount {
        Amount {
            units: self.units + other.units,
        }
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, other: Amount) {
        self.units += other.units;
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, other: Amount) -> Amount {
        Amount {
            units: self.units - other.units,
        }
    }
}

impl std::fmt::Display for Amount {
    /// The amount with 4 decimals ([`format_units`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_units(self.units))
    }
}

/// A column of optional amounts: units per row in 32 bits (±214,748.3647,
/// far above any task's cost), wider units and the exact `f64` of rows
/// whose value is not exactly its units kept aside.
#[derive(Debug, Clone, Default)]
pub struct MoneyColumn {
    units: Vec<i32>,
    wide: Escapes<i64>,
    exact: Escapes<f64>,
}

impl MoneyColumn {
    /// Whether every amount is held in its `i32` slot (under 2^31 units in
    /// magnitude), none escaped as wide.
    pub fn is_compact(&self) -> bool {
        self.wide.is_empty()
    }

    /// Appends an amount.
    pub fn push(&mut self, value: Option<f64>) {
        let at = self.units.len();
        match value {
            None => self.units.push(NONE),
            Some(v) => {
                let units = to_units(v);
                if from_units(units).to_bits() != v.to_bits() {
                    self.exact.push(at, v);
                }
                match i32::try_from(units) {
                    Ok(small) if small > WIDE => self.units.push(small),
                    _ => {
                        self.wide.push(at, units);
                        self.units.push(WIDE);
                    }
                }
            }
        }
    }

    /// Units of row `i`, 0 when absent. Branch-free but for the rare wide
    /// value: rows with and without an amount mix at random (BYOK or not).
    #[inline(always)]
    pub fn units_or_zero(&self, i: usize) -> i64 {
        let u = self.units[i];
        if u == WIDE {
            return self.wide_units(i);
        }
        units_of_slot(u)
    }

    /// The column's slots, when no amount is escaped as wide: read with no
    /// look for escapes ([`CompactMoney`]).
    pub(crate) fn compact(&self) -> Option<CompactMoney<'_>> {
        self.is_compact().then_some(CompactMoney(&self.units))
    }

    #[cold]
    #[inline(never)]
    fn wide_units(&self, i: usize) -> i64 {
        self.wide.get(i).copied().unwrap_or(0)
    }

    /// Units of row `i`, `None` when absent.
    #[inline]
    pub fn units(&self, i: usize) -> Option<i64> {
        match self.units[i] {
            NONE => None,
            WIDE => self.wide.get(i).copied(),
            u => Some(i64::from(u)),
        }
    }

    /// The row's value exactly as appended.
    pub fn value(&self, i: usize) -> Option<f64> {
        let units = self.units(i)?;
        Some(
            self.exact
                .get(i)
                .copied()
                .unwrap_or_else(|| from_units(units)),
        )
    }

    /// Number of rows whose value has more precision than a unit.
    pub fn inexact_rows(&self) -> usize {
        self.exact.len()
    }

    /// Bytes held on the heap, with capacity.
    pub fn heap_bytes(&self) -> usize {
        self.units.capacity() * 4 + self.wide.heap_bytes() + self.exact.heap_bytes()
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.units.reserve_exact(rows);
    }

    /// Frees spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.units.shrink_to_fit();
        self.wide.shrink_to_fit();
        self.exact.shrink_to_fit();
    }
}

/// The units a slot that is not [`WIDE`] holds, 0 for [`NONE`]: branch
/// free, as rows with and without an amount mix at random.
#[inline(always)]
fn units_of_slot(u: i32) -> i64 {
    i64::from(u) & -i64::from(u != NONE)
}

/// The slots of a [`MoneyColumn`] with no wide amount: each value is its
/// slot, so reading one is a load and a mask.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompactMoney<'a>(&'a [i32]);

impl CompactMoney<'_> {
    /// Units of row `i`, 0 when absent.
    #[inline(always)]
    pub(crate) fn units_or_zero(&self, i: usize) -> i64 {
        units_of_slot(self.0[i])
    }

    /// Rows `start..start + len`, counted from 0.
    #[inline(always)]
    pub(crate) fn narrowed(&self, start: usize, len: usize) -> Self {
        CompactMoney(&self.0[start..][..len])
    }

    /// Units of rows `rows`, 0 when absent, in order.
    #[inline(always)]
    pub(crate) fn units_in(&self, rows: Range<usize>) -> impl Iterator<Item = i64> + '_ {
        self.0[rows].iter().map(|&u| units_of_slot(u))
    }
}
