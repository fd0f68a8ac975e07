//! Numbers, money, durations and times formatted for people: thousands
//! separators, money to the cent with "< $0.01" for tiny non-zero amounts
//! (the exact value goes in a tooltip), "1 h 02 m" durations, and times in
//! the chosen zone with its offset.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};

/// USD equivalent of one Neo credit (documented: 1 credit = 10 USD).
pub const USD_PER_CREDIT: f64 = neo_usage::money::USD_PER_CREDIT as f64;

/// `1234567` as `1,234,567`.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A non-negative or negative amount with `decimals` decimals and grouped
/// thousands, rounded half away from zero.
pub fn decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        "-"
    } else {
        ""
    };
    let whole = group_thousands(whole);
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// USD to the cent: `$1,234.50`; `< $0.01` for a non-zero amount that
/// would show as zero; `—` when absent.
pub fn usd(amount: Option<f64>) -> String {
    match amount {
        None => "—".to_owned(),
        Some(a) if a != 0.0 && a.abs() < 0.005 => {
            if a < 0.0 {
                "> -$0.01".to_owned()
            } else {
                "< $0.01".to_owned()
            }
        }
        Some(a) if a < 0.0 => format!("-${}", decimal(-a, 2)),
        Some(a) => format!("${}", decimal(a, 2)),
    }
}

/// Credits to two decimals with the unit: `12.35 cr`; `< 0.01 cr` for a
/// tiny non-zero amount; `—` when absent.
pub fn credits(amount: Option<f64>) -> String {
    match amount {
        None => "—".to_owned(),
        Some(a) if a != 0.0 && a.abs() < 0.005 => "< 0.01 cr".to_owned(),
        Some(a) => format!("{} cr", decimal(a, 2)),
    }
}

/// The exact amount as the API sent it, for a tooltip.
pub fn exact(amount: Option<f64>) -> String {
    amount.map_or_else(|| "not reported".to_owned(), |a| a.to_string())
}

/// A duration in milliseconds for people: `850 ms`, `12.4 s`, `3 m 05 s`,
/// `1 h 02 m`; `—` when absent.
pub fn duration_ms(ms: Option<u64>) -> String {
    let Some(ms) = ms else {
        return "—".to_owned();
    };
    let secs = ms / 1000;
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=59_999 => format!("{:.1} s", ms as f64 / 1000.0),
        60_000..=3_599_999 => format!("{} m {:02} s", secs / 60, secs % 60),
        _ => format!("{} h {:02} m", secs / 3600, (secs / 60) % 60),
    }
}

/// A UTC offset as `UTC`, `UTC+01:00`, `UTC-04:30`.
pub fn offset_label(offset_seconds: i32) -> String {
    if offset_seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let minutes = offset_seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `at` as wall time in a zone `offset_seconds` from UTC: `2026-11-28 14:05`.
pub fn wall_time(at: DateTime<Utc>, offset_seconds: i32) -> String {
    let local = local_time(at, offset_seconds);
    format!("{} {:02}:{:02}", local.date(), local.hour(), local.minute())
}

/// `at` as wall time with seconds and the offset, for tooltips and the
/// detail panel: `2026-11-28 14:05:09 UTC+01:00`.
pub fn wall_time_long(at: DateTime<Utc>, offset_seconds: i32) -> String {
    let local = local_time(at, offset_seconds);
    format!(
        "{} {:02}:{:02}:{:02} {}",
        local.date(),
        local.hour(),
        local.minute(),
        local.second(),
        offset_label(offset_seconds)
    )
}

/// A date as `11-28`, the cost chart's axis labels. Written from its
/// fields, as the wall times are: chrono's `format("%m-%d")` parses its
/// pattern on every call, and the table's and the charts' hundreds of dates
/// made that some 20 ms of the first dashboard in a profile of the viewer
/// built with names. (A `NaiveDate` displays as `2026-11-28` without one.)
pub fn month_day(date: NaiveDate) -> String {
    format!("{:02}-{:02}", date.month(), date.day())
}

fn local_time(at: DateTime<Utc>, offset_seconds: i32) -> NaiveDateTime {
    (at + Duration::seconds(i64::from(offset_seconds))).naive_utc()
}

/// "1–50 of 1,234" for a page starting at `offset` with `shown` rows.
pub fn page_status(offset: u64, shown: usize, total: u64) -> String {
    if shown == 0 {
        return format!("0 of {}", count(total));
    }
    let first = offset + 1;
    let last = offset + shown as u64;
    format!("{}–{} of {}", count(first), count(last), count(total))
}

/// Cuts text to `max` characters with an ellipsis (the cell's tooltip keeps
/// the whole value).
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_to_the_cent_and_tiny_amounts() {
        assert_eq!(usd(Some(1234.5)), "$1,234.50");
        assert_eq!(usd(Some(0.004)), "< $0.01");
        assert_eq!(usd(Some(0.005)), "$0.01");
        assert_eq!(usd(Some(0.0)), "$0.00");
        assert_eq!(usd(None), "—");
        assert_eq!(usd(Some(-2.5)), "-$2.50");
        assert_eq!(credits(Some(1_000_000.126)), "1,000,000.13 cr");
        assert_eq!(credits(Some(0.0001)), "< 0.01 cr");
        assert_eq!(exact(Some(0.0001)), "0.0001");
        assert_eq!(decimal(f64::NAN, 2), "—");
        assert_eq!(decimal(-0.001, 2), "0.00");
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(duration_ms(Some(850)), "850 ms");
        assert_eq!(duration_ms(Some(12_400)), "12.4 s");
        assert_eq!(duration_ms(Some(185_000)), "3 m 05 s");
        assert_eq!(duration_ms(Some(3_720_000)), "1 h 02 m");
        assert_eq!(duration_ms(None), "—");
    }

    #[test]
    fn counts_and_pages() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234), "1,234");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(page_status(0, 50, 1234), "1–50 of 1,234");
        assert_eq!(page_status(1200, 34, 1234), "1,201–1,234 of 1,234");
        assert_eq!(page_status(0, 0, 0), "0 of 0");
    }

    #[test]
    fn times_in_a_zone() {
        let at: DateTime<Utc> = "2026-11-28T23:30:05Z".parse().unwrap();
        assert_eq!(wall_time(at, 0), "2026-11-28 23:30");
        assert_eq!(month_day(at.date_naive()), "11-28");
        assert_eq!(wall_time(at, 3600), "2026-11-29 00:30");
        assert_eq!(wall_time_long(at, -16_200), "2026-11-28 19:00:05 UTC-04:30");
        assert_eq!(offset_label(0), "UTC");
    }

    #[test]
    fn wall_times_read_as_chronos_own_formatting() {
        let mut at: DateTime<Utc> = "1999-12-31T23:59:59Z".parse().unwrap();
        let offsets = [0, 3600, -16_200, 19_800, 50_400, -43_200];
        for step in 0..2_000 {
            let offset = offsets[step % offsets.len()];
            let local = at + Duration::seconds(i64::from(offset));
            assert_eq!(
                wall_time(at, offset),
                local.format("%Y-%m-%d %H:%M").to_string()
            );
            assert_eq!(
                wall_time_long(at, offset),
                format!(
                    "{} {}",
                    local.format("%Y-%m-%d %H:%M:%S"),
                    offset_label(offset)
                )
            );
            assert_eq!(
                month_day(local.date_naive()),
                local.format("%m-%d").to_string()
            );
            // About 3.4 days and 11 s apart: every hour, day and month.
            at += Duration::seconds(294_011);
        }
    }

    #[test]
    fn clipping_keeps_short_text() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
