//! Local days, weeks and months in zones with DST, checked against
//! chrono-tz's own conversions; buckets and presets built on them.

mod common;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use common::{ms, Tz, BERLIN, NEW_YORK};
use neo_usage::GroupBy;
use neo_usage_analytics::buckets::{bucket_label, Buckets};
use neo_usage_analytics::zone::{
    first_instant_at_or_after, local_date, local_day_start, local_month_start, local_week_start,
    UtcOffsetAt, DAY_MS,
};
use neo_usage_analytics::DatePreset;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// chrono-tz's first instant of a local day: midnight, or the earliest
/// instant after it when midnight is skipped.
fn oracle_day_start(zone: chrono_tz::Tz, day: NaiveDate) -> i64 {
    let mut local = day.and_time(NaiveTime::MIN);
    loop {
        if let Some(at) = zone.from_local_datetime(&local).earliest() {
            return at.timestamp_millis();
        }
        local += chrono::Duration::minutes(1);
    }
}

#[test]
fn dst_days_last_23_and_25_hours() {
    let len = |zone: &Tz, day: &str| {
        let d = date(day);
        local_day_start(d.succ_opt().unwrap(), zone) - local_day_start(d, zone)
    };
    let hour = 3_600_000;
    assert_eq!(len(&NEW_YORK, "2026-03-08"), 23 * hour);
    assert_eq!(len(&NEW_YORK, "2026-11-01"), 25 * hour);
    assert_eq!(len(&NEW_YORK, "2026-11-02"), 24 * hour);
    assert_eq!(len(&BERLIN, "2026-03-29"), 23 * hour);
    assert_eq!(len(&BERLIN, "2026-10-25"), 25 * hour);
    assert_eq!(
        local_day_start(date("2026-11-01"), &NEW_YORK),
        ms("2026-11-01T04:00:00Z")
    );
    assert_eq!(
        local_day_start(date("2026-11-02"), &NEW_YORK),
        ms("2026-11-02T05:00:00Z")
    );
}

#[test]
fn day_starts_match_chrono_tz_for_three_years() {
    let zones = [
        chrono_tz::America::New_York,
        chrono_tz::Europe::Berlin,
        chrono_tz::America::Santiago, // DST changes at midnight: skipped days start at 01:00
        chrono_tz::Asia::Beirut,      // changes at midnight too
        chrono_tz::Australia::Lord_Howe, // half-hour DST
        chrono_tz::Asia::Kolkata,
        chrono_tz::Pacific::Chatham,
        chrono_tz::UTC,
    ];
    for zone in zones {
        let mut day = date("2025-01-01");
        while day < date("2028-01-01") {
            assert_eq!(
                local_day_start(day, &Tz(zone)),
                oracle_day_start(zone, day),
                "{zone} {day}"
            );
            day = day.succ_opt().unwrap();
        }
    }
}

#[test]
fn local_dates_match_chrono_tz() {
    let mut at = ms("2026-01-01T00:00:00Z");
    let step = 3_600_000 / 4 + 7_919; // irregular, to hit every quarter hour
    while at < ms("2027-01-01T00:00:00Z") {
        for zone in [NEW_YORK, BERLIN] {
            let expected = DateTime::from_timestamp_millis(at)
                .unwrap()
                .with_timezone(&zone.0)
                .date_naive();
            assert_eq!(local_date(at, &zone), expected, "{at}");
        }
        at += step;
    }
}

/// A zone whose clock falls back from 00:30 to 23:30 at an instant: the
/// local midnight after it happens twice.
struct MidnightOverlap {
    at_ms: i64,
}

impl UtcOffsetAt for MidnightOverlap {
    fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
        if utc_ms < self.at_ms {
            3_600
        } else {
            0
        }
    }
}

#[test]
fn repeated_and_skipped_midnights() {
    // Local 00:30 on 2026-06-02 (UTC+1) is 23:30Z; the clock then reads
    // 23:30 on 2026-06-01 again, so 2026-06-02 00:00 occurs twice: the day
    // starts at its first occurrence.
    let zone = MidnightOverlap {
        at_ms: ms("2026-06-01T23:30:00Z"),
    };
    assert_eq!(
        local_day_start(date("2026-06-02"), &zone),
        ms("2026-06-01T23:00:00Z")
    );
    // Skipped midnight: Santiago springs from 00:00 to 01:00 on 2026-09-06.
    let santiago = Tz(chrono_tz::America::Santiago);
    let start = local_day_start(date("2026-09-06"), &santiago);
    assert_eq!(start, ms("2026-09-06T04:00:00Z"));
    assert_eq!(
        first_instant_at_or_after(date("2026-09-06").and_hms_opt(0, 30, 0).unwrap(), &santiago),
        start
    );
}

#[test]
fn weeks_start_on_monday_and_months_on_the_first() {
    let zone = &BERLIN;
    assert_eq!(
        local_week_start(date("2026-11-01"), zone),
        ms("2026-10-25T23:00:00Z"),
        "Monday 2026-10-26 00:00 CET (UTC+1, the day after the change)"
    );
    assert_eq!(
        local_month_start(date("2026-10-31"), zone),
        ms("2026-09-30T22:00:00Z"),
        "2026-10-01 00:00 CEST"
    );
}

#[test]
fn buckets_have_no_gaps_and_match_chrono_tz() {
    for zone in [Tz(chrono_tz::UTC), NEW_YORK, BERLIN] {
        for size in [GroupBy::Day, GroupBy::Week, GroupBy::Month] {
            let from = ms("2026-02-17T13:00:00Z");
            let to = ms("2026-12-03T02:00:00Z");
            let buckets = Buckets::between(from, to, size, &zone);
            let first = buckets.as_slice()[0];
            let last = *buckets.as_slice().last().unwrap();
            assert!(first.start_ms <= from && from < first.end_ms);
            assert!(last.start_ms < to && to <= last.end_ms);
            for pair in buckets.as_slice().windows(2) {
                assert_eq!(pair[0].end_ms, pair[1].start_ms, "{size:?}");
                assert!(pair[0].label < pair[1].label);
            }
            for b in buckets.iter() {
                assert_eq!(b.start_ms, oracle_day_start(zone.0, b.label), "{size:?}");
                assert_eq!(bucket_label(b.start_ms, size, &zone), b.label);
                assert_eq!(bucket_label(b.end_ms - 1, size, &zone), b.label);
            }
            // Every instant finds the bucket whose label chrono-tz gives it.
            let mut at = from;
            while at < to {
                let i = buckets.index_of(at).unwrap();
                let local = DateTime::from_timestamp_millis(at)
                    .unwrap()
                    .with_timezone(&zone.0)
                    .date_naive();
                assert_eq!(
                    buckets.as_slice()[i].label,
                    neo_usage::calendar::period_start(local, size)
                );
                at += 3 * DAY_MS / 7 + 12_345;
            }
        }
    }
    assert!(Buckets::between(5, 5, GroupBy::Day, &Utc).is_empty());
}

#[test]
fn presets_cover_whole_local_days() {
    let now = ms("2026-11-01T15:00:00Z"); // 10:00 in New York, after fall-back
    let (from, to) = DatePreset::Today.range(now, &NEW_YORK);
    assert_eq!(
        (from, to),
        (ms("2026-11-01T04:00:00Z"), ms("2026-11-02T05:00:00Z"))
    );
    let (from, to) = DatePreset::LastDays(7).range(now, &NEW_YORK);
    assert_eq!(from, ms("2026-10-26T04:00:00Z"));
    assert_eq!(to, ms("2026-11-02T05:00:00Z"));
    let (from, to) = DatePreset::ThisMonth.range(now, &BERLIN);
    assert_eq!(
        (from, to),
        (ms("2026-10-31T23:00:00Z"), ms("2026-11-01T23:00:00Z"))
    );
    let (from, to) = DatePreset::LastMonth.range(now, &BERLIN);
    assert_eq!(
        (from, to),
        (ms("2026-09-30T22:00:00Z"), ms("2026-10-31T23:00:00Z"))
    );
    let (from, _) = DatePreset::LastDays(90).range(now, &Utc);
    let expected = Utc
        .from_utc_datetime(
            &date("2026-11-01")
                .checked_sub_days(Days::new(89))
                .unwrap()
                .and_time(NaiveTime::MIN),
        )
        .timestamp_millis();
    assert_eq!(from, expected);
}
