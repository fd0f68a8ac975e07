//! Date-range presets (today, last 7/30/90 days, this and last month, all
//! time) turned into `from`/`to` instants in the chosen time zone.
//!
//! Days are calendar days of the zone: "last 7 days" is today and the six
//! days before it, from local midnight to the next local midnight, correct
//! across DST changes (a day may last 23 or 25 hours).

use chrono::{DateTime, NaiveDate, Utc};
use neo_usage_analytics::presets::DatePreset;
use neo_usage_analytics::zone::{self, UtcOffsetAt};

/// A date range relative to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RangePreset {
    /// Since local midnight.
    Today,
    /// Today and the 6 days before.
    Last7Days,
    /// Today and the 29 days before (the default).
    #[default]
    Last30Days,
    /// Today and the 89 days before.
    Last90Days,
    /// Since the 1st of this month.
    ThisMonth,
    /// The previous calendar month.
    LastMonth,
    /// No bounds.
    AllTime,
}

impl RangePreset {
    /// Every preset, in menu order.
    pub const ALL: [RangePreset; 7] = [
        RangePreset::Today,
        RangePreset::Last7Days,
        RangePreset::Last30Days,
        RangePreset::Last90Days,
        RangePreset::ThisMonth,
        RangePreset::LastMonth,
        RangePreset::AllTime,
    ];

    /// The URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            RangePreset::Today => "today",
            RangePreset::Last7Days => "7d",
            RangePreset::Last30Days => "30d",
            RangePreset::Last90Days => "90d",
            RangePreset::ThisMonth => "this_month",
            RangePreset::LastMonth => "last_month",
            RangePreset::AllTime => "all",
        }
    }

    /// What the menu shows.
    pub fn label(self) -> &'static str {
        match self {
            RangePreset::Today => "Today",
            RangePreset::Last7Days => "Last 7 days",
            RangePreset::Last30Days => "Last 30 days",
            RangePreset::Last90Days => "Last 90 days",
            RangePreset::ThisMonth => "This month",
            RangePreset::LastMonth => "Last month",
            RangePreset::AllTime => "All time",
        }
    }

    /// Reads a URL value.
    pub fn parse(text: &str) -> Option<Self> {
        RangePreset::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The `[from, to)` instants of this preset at `now` in the zone whose
    /// UTC offset at an instant (in milliseconds since the epoch) is
    /// `offset_seconds`; `None` for a bound that is open. The calendar
    /// itself is the analytics crate's (`DatePreset`), so the range picker
    /// and the charts' buckets agree on every day boundary.
    pub fn bounds(
        self,
        now: DateTime<Utc>,
        offset_seconds: &dyn Fn(i64) -> i32,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let preset = match self {
            RangePreset::AllTime => return (None, None),
            RangePreset::Today => DatePreset::Today,
            RangePreset::Last7Days => DatePreset::LastDays(7),
            RangePreset::Last30Days => DatePreset::LastDays(30),
            RangePreset::Last90Days => DatePreset::LastDays(90),
            RangePreset::ThisMonth => DatePreset::ThisMonth,
            RangePreset::LastMonth => DatePreset::LastMonth,
        };
        let (from, to) = preset.range(now.timestamp_millis(), &FnZone(offset_seconds));
        (
            DateTime::from_timestamp_millis(from),
            DateTime::from_timestamp_millis(to),
        )
    }
}

/// A zone given as a function from an instant to its UTC offset.
struct FnZone<'a>(&'a dyn Fn(i64) -> i32);

impl UtcOffsetAt for FnZone<'_> {
    fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
        (self.0)(utc_ms)
    }
}

/// The calendar date of `at` in the zone.
pub fn local_date(at: DateTime<Utc>, offset_seconds: &dyn Fn(i64) -> i32) -> NaiveDate {
    zone::local_date(at.timestamp_millis(), &FnZone(offset_seconds))
}

/// The first instant of `date` in the zone: local midnight, or the end of
/// the DST gap when midnight does not exist that day.
pub fn local_midnight(date: NaiveDate, offset_seconds: &dyn Fn(i64) -> i32) -> DateTime<Utc> {
    let ms = zone::local_day_start(date, &FnZone(offset_seconds));
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(_: i64) -> i32 {
        0
    }

    /// America/New_York in 2026: EDT (-4 h) from 2026-03-08T07:00Z to
    /// 2026-11-01T06:00Z, EST (-5 h) otherwise.
    fn new_york(ms: i64) -> i32 {
        let dst_start = DateTime::parse_from_rfc3339("2026-03-08T07:00:00Z").unwrap();
        let dst_end = DateTime::parse_from_rfc3339("2026-11-01T06:00:00Z").unwrap();
        if ms >= dst_start.timestamp_millis() && ms < dst_end.timestamp_millis() {
            -4 * 3600
        } else {
            -5 * 3600
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn last_7_days_in_utc_are_seven_calendar_days() {
        let (from, to) = RangePreset::Last7Days.bounds(at("2026-11-28T12:00:00Z"), &utc);
        assert_eq!(from, Some(at("2026-11-22T00:00:00Z")));
        assert_eq!(to, Some(at("2026-11-29T00:00:00Z")));
    }

    #[test]
    fn days_follow_the_zone_across_the_dst_change() {
        // 2026-11-02 03:00 UTC is still Nov 1 in New York (EST, -5).
        let now = at("2026-11-02T03:00:00Z");
        let (from, to) = RangePreset::Today.bounds(now, &new_york);
        // Nov 1 lasted 25 hours: midnight EDT to midnight EST.
        assert_eq!(from, Some(at("2026-11-01T04:00:00Z")));
        assert_eq!(to, Some(at("2026-11-02T05:00:00Z")));
        let (from, _) = RangePreset::Last7Days.bounds(now, &new_york);
        assert_eq!(from, Some(at("2026-10-26T04:00:00Z")));
    }

    #[test]
    fn months_and_all_time() {
        let now = at("2026-03-15T10:00:00Z");
        assert_eq!(
            RangePreset::LastMonth.bounds(now, &new_york),
            (
                Some(at("2026-02-01T05:00:00Z")),
                Some(at("2026-03-01T05:00:00Z"))
            )
        );
        assert_eq!(
            RangePreset::ThisMonth.bounds(now, &new_york),
            (
                Some(at("2026-03-01T05:00:00Z")),
                Some(at("2026-03-16T04:00:00Z"))
            )
        );
        assert_eq!(RangePreset::AllTime.bounds(now, &utc), (None, None));
    }

    #[test]
    fn presets_round_trip_their_names() {
        for preset in RangePreset::ALL {
            assert_eq!(RangePreset::parse(preset.as_str()), Some(preset));
        }
    }
}
