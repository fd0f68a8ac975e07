//! Forecast: the credit burn rate over the last days of a range, and from a
//! balance and its expiry, when the balance runs out and what expires
//! unused. Days here are 24 hours.

use chrono::DateTime;

use crate::money::Amount;
use crate::select::Selection;
use crate::store::UsageStore;
use crate::zone::DAY_MS;

/// Credits used per day over a window at the end of a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnRate {
    /// Days asked for (7, 30).
    pub days: u32,
    /// The window `[from_ms, to_ms)`: the last `days` days of the range, or
    /// the whole range when it is shorter.
    pub from_ms: i64,
    /// Exclusive end of the window (the range's end).
    pub to_ms: i64,
    /// Credits used in the window.
    pub credits: Amount,
    /// Credits per day: `credits` / the window's length in days.
    pub per_day: f64,
}

/// Credits per day over the last `days` days of `[range_from_ms, range_to_ms)`.
///
/// ```
/// use neo_usage::{TaskStatus, TaskUsage};
/// use neo_usage_analytics::{forecast::burn_rate, Selection, UsageStore};
/// let mut row = TaskUsage::new("t", "2026-11-27T12:00:00Z".parse().unwrap(), "o3", TaskStatus::Completed);
/// row.neo_credits = Some(14.0);
/// let store = UsageStore::from_rows(vec![row]);
/// let day = 86_400_000;
/// let end = 1_795_910_400_000; // 2026-11-29T00:00:00Z
/// let rate = burn_rate(&store, &Selection::all(&store), end - 30 * day, end, 7);
/// assert_eq!(rate.per_day, 2.0);
/// ```
pub fn burn_rate(
    store: &UsageStore,
    rows: &Selection,
    range_from_ms: i64,
    range_to_ms: i64,
    days: u32,
) -> BurnRate {
    let from_ms = burn_window_start(range_from_ms, range_to_ms, days);
    let mut units = 0i128;
    for i in rows.iter() {
        let at = store.created_ms(i);
        if at >= from_ms && at < range_to_ms {
            units += i128::from(store.neo_credits.units_or_zero(i));
        }
    }
    BurnRate::of_window(days, from_ms, range_to_ms, units)
}

/// Where the window of the last `days` days of a range starts.
pub(crate) fn burn_window_start(range_from_ms: i64, range_to_ms: i64, days: u32) -> i64 {
    range_to_ms
        .saturating_sub(i64::from(days) * DAY_MS)
        .max(range_from_ms)
}

impl BurnRate {
    /// The window's length in days: `days`, or less when the range is
    /// shorter (a 7-day range's "30-day" rate is a 7-day rate).
    ///
    /// ```
    /// use neo_usage_analytics::{forecast::burn_rate, Selection, UsageStore};
    /// let store = UsageStore::from_rows(vec![]);
    /// let (day, end) = (86_400_000, 1_795_910_400_000);
    /// let rate = burn_rate(&store, &Selection::all(&store), end - 7 * day, end, 30);
    /// assert_eq!((rate.days, rate.window_days()), (30, 7.0));
    /// ```
    pub fn window_days(&self) -> f64 {
        (self.to_ms - self.from_ms).max(0) as f64 / DAY_MS as f64
    }

    /// The rate of `units` credits used in `[from_ms, to_ms)`.
    pub(crate) fn of_window(days: u32, from_ms: i64, to_ms: i64, units: i128) -> Self {
        let credits = Amount::from_units(units);
        let mut rate = BurnRate {
            days,
            from_ms,
            to_ms,
            credits,
            per_day: 0.0,
        };
        rate.per_day = credits.per(rate.window_days());
        rate
    }
}

/// When a balance runs out and what expires unused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// When the balance reaches 0 at the rate, Unix milliseconds; `None`
    /// when the rate is 0 (it never does).
    pub runs_out_ms: Option<i64>,
    /// Whether it runs out before the expiry.
    pub runs_out_before_expiry: bool,
    /// Credits left unused at the expiry at that rate (0 when the balance
    /// runs out first), rounded to the unit.
    pub expiring_unused: Amount,
}

impl Forecast {
    /// The forecast for `balance` credits at `per_day` credits a day from
    /// `now_ms`, with the balance expiring at `expires_ms`.
    ///
    /// ```
    /// use neo_usage_analytics::{forecast::Forecast, Amount};
    /// let day = 86_400_000;
    /// let f = Forecast::at_rate(Amount::from_units(100_000), 2.0, 0, 10 * day);
    /// assert_eq!(f.runs_out_ms, Some(5 * day));
    /// assert_eq!(f.expiring_unused, Amount::ZERO);
    /// let slow = Forecast::at_rate(Amount::from_units(100_000), 0.5, 0, 10 * day);
    /// assert_eq!(slow.expiring_unused.to_string(), "5.0000");
    /// ```
    pub fn at_rate(balance: Amount, per_day: f64, now_ms: i64, expires_ms: i64) -> Self {
        let balance_units = balance.units.max(0) as f64;
        let rate_units_per_ms = per_day * neo_usage::money::UNITS_PER_WHOLE as f64 / DAY_MS as f64;
        let runs_out_ms = (rate_units_per_ms > 0.0)
            .then(|| now_ms.saturating_add((balance_units / rate_units_per_ms).round() as i64));
        let runs_out_before_expiry = runs_out_ms.is_some_and(|t| t < expires_ms);
        let left = if runs_out_before_expiry {
            0.0
        } else {
            let used = rate_units_per_ms.max(0.0) * (expires_ms - now_ms).max(0) as f64;
            (balance_units - used).max(0.0)
        };
        Forecast {
            runs_out_ms,
            runs_out_before_expiry,
            expiring_unused: Amount::from_units(left.round() as i128),
        }
    }

    /// [`Forecast::runs_out_ms`] as a date-time.
    pub fn runs_out_at(&self) -> Option<DateTime<chrono::Utc>> {
        self.runs_out_ms.and_then(DateTime::from_timestamp_millis)
    }
}
