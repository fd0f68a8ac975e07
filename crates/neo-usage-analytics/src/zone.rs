//! Time zones without a database: a zone is anything that tells the UTC
//! offset at an instant ([`UtcOffsetAt`]); local dates and the UTC instants
//! where local days, ISO weeks and months begin follow from it, correct
//! across DST gaps and overlaps (23- and 25-hour days).
//!
//! The browser implements [`UtcOffsetAt`] with `Intl.DateTimeFormat`; native
//! tests with `chrono-tz`. Functions here call the zone a handful of times
//! per boundary, never per row.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime};
use neo_usage::{calendar, GroupBy};

/// Milliseconds in a (24-hour) day.
pub const DAY_MS: i64 = 86_400_000;

/// A time zone as the offset from UTC it has at each instant.
///
/// ```
/// use neo_usage_analytics::zone::UtcOffsetAt;
/// /// A zone that is UTC+1 before an instant and UTC+2 from it on.
/// struct Summer { from_ms: i64 }
/// impl UtcOffsetAt for Summer {
///     fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
///         if utc_ms < self.from_ms { 3_600 } else { 7_200 }
///     }
/// }
/// assert_eq!(Summer { from_ms: 0 }.offset_seconds_at(-1), 3_600);
/// ```
pub trait UtcOffsetAt {
    /// Local time minus UTC, in seconds, at the UTC instant `utc_ms` (Unix
    /// milliseconds): `3600` for UTC+1.
    fn offset_seconds_at(&self, utc_ms: i64) -> i32;
}

impl UtcOffsetAt for chrono::Utc {
    fn offset_seconds_at(&self, _: i64) -> i32 {
        0
    }
}

impl UtcOffsetAt for chrono::FixedOffset {
    fn offset_seconds_at(&self, _: i64) -> i32 {
        self.local_minus_utc()
    }
}

impl<Z: UtcOffsetAt + ?Sized> UtcOffsetAt for &Z {
    fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
        (**self).offset_seconds_at(utc_ms)
    }
}

impl<Z: UtcOffsetAt + ?Sized> UtcOffsetAt for Box<Z> {
    fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
        (**self).offset_seconds_at(utc_ms)
    }
}

/// The local wall-clock time of the UTC instant `utc_ms` in `zone`.
pub fn local_datetime(utc_ms: i64, zone: &impl UtcOffsetAt) -> NaiveDateTime {
    let local_ms = utc_ms + i64::from(zone.offset_seconds_at(utc_ms)) * 1_000;
    DateTime::from_timestamp_millis(local_ms)
        .unwrap_or_default()
        .naive_utc()
}

/// The local date of the UTC instant `utc_ms` in `zone`.
///
/// ```
/// use chrono::FixedOffset;
/// use neo_usage_analytics::zone::local_date;
/// let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
/// let at = "2026-11-28T20:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
/// assert_eq!(local_date(at.timestamp_millis(), &tokyo).to_string(), "2026-11-29");
/// ```
pub fn local_date(utc_ms: i64, zone: &impl UtcOffsetAt) -> NaiveDate {
    local_datetime(utc_ms, zone).date()
}

/// A local wall-clock time as Unix milliseconds "as if UTC".
fn wall_ms(local: NaiveDateTime) -> i64 {
    local.and_utc().timestamp_millis()
}

/// The first UTC instant whose local time in `zone` is `local` or later.
///
/// That is the instant `local` names when it exists once; its earlier
/// occurrence when a fall-back overlap repeats it; and the end of the gap
/// (the transition instant) when a spring-forward skips it. Assumes at most
/// one offset change within 27 hours of `local`, as in every real zone.
pub fn first_instant_at_or_after(local: NaiveDateTime, zone: &impl UtcOffsetAt) -> i64 {
    const SPAN_MS: i64 = 27 * 3_600_000;
    let wall = wall_ms(local);
    let before = i64::from(zone.offset_seconds_at(wall - SPAN_MS)) * 1_000;
    let after = i64::from(zone.offset_seconds_at(wall + SPAN_MS)) * 1_000;
    let valid = |offset_ms: i64| {
        let at = wall - offset_ms;
        (i64::from(zone.offset_seconds_at(at)) * 1_000 == offset_ms).then_some(at)
    };
    match (valid(before), valid(after)) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        // In a gap: the local clock jumps over `local` at the transition,
        // which lies between the two readings; find it to the millisecond.
        (None, None) => {
            let (mut lo, mut hi) = {
                let (x, y) = (wall - before, wall - after);
                (x.min(y), x.max(y))
            };
            // Invariant: local(lo) < local, local(hi) >= local.
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if wall_ms(local_datetime(mid, zone)) >= wall {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi
        }
    }
}

/// The UTC instant (Unix milliseconds) where the local day `date` begins in
/// `zone`: local midnight, or the first instant of the day when midnight is
/// skipped. Days are 23 or 25 hours long across DST changes.
///
/// ```
/// use chrono::{FixedOffset, NaiveDate, Utc};
/// use neo_usage_analytics::zone::local_day_start;
/// let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
/// assert_eq!(local_day_start(day, &Utc), 1_795_824_000_000);
/// let berlin_winter = FixedOffset::east_opt(3600).unwrap();
/// assert_eq!(local_day_start(day, &berlin_winter), 1_795_824_000_000 - 3_600_000);
/// ```
pub fn local_day_start(date: NaiveDate, zone: &impl UtcOffsetAt) -> i64 {
    first_instant_at_or_after(date.and_time(NaiveTime::MIN), zone)
}

/// The UTC instant where the local period of kind `size` holding `date`
/// begins: the day, the ISO week (Monday) or the month.
pub fn local_period_start(date: NaiveDate, size: GroupBy, zone: &impl UtcOffsetAt) -> i64 {
    local_day_start(calendar::period_start(date, size), zone)
}

/// The UTC instant where the ISO week (starting Monday) holding `date`
/// begins in `zone`.
pub fn local_week_start(date: NaiveDate, zone: &impl UtcOffsetAt) -> i64 {
    local_period_start(date, GroupBy::Week, zone)
}

/// The UTC instant where the month holding `date` begins in `zone`.
pub fn local_month_start(date: NaiveDate, zone: &impl UtcOffsetAt) -> i64 {
    local_period_start(date, GroupBy::Month, zone)
}

/// The local day after `date` (saturating at the end of the calendar).
pub fn next_day(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1)).unwrap_or(date)
}
