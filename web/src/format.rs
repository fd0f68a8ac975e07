//! Numbers, money, durations and times formatted for people: thousands
//! separators, money to the cent with "< $0.01" for tiny non-zero amounts
//! (the exact value goes in a tooltip), "1 h 02 m" durations, and times in
//! the chosen zone with its offset.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use neo_usage::model_writer::ApiJson;

/// The USD equivalent of `credits` (documented: 1 credit = 10 USD), in
/// whole money units as the dashboard's totals add it, so a row shows the
/// amount those totals count (`0.1265` credits is `1.265` USD, where the
/// float product says `1.2650000000000001`).
pub fn usd_of_credits(credits: f64) -> f64 {
    use neo_usage::money::{from_units, to_units, usd_units_of_credits};
    from_units(usd_units_of_credits(to_units(credits)))
}

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
///
/// The amount's shortest digits ([`shortest`]) are rounded as written, so
/// `1.005` shows as `1.01`, as a person reading the API's JSON would round
/// it (`{:.2}` rounds the binary value just below it, to `1.00`); and the
/// viewer carries no float formatting of its own.
pub fn decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let scaled = rounded_digits(&shortest(value.abs()), decimals);
    let text = format!("{scaled:0>width$}", width = decimals + 1);
    let (whole, frac) = text.split_at(text.len() - decimals);
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

/// The digits of the non-negative number `text` (as [`shortest`] writes
/// it: `1234.5`, `0.0001`, `1e-7`, `1.5e21`) times `10^decimals`, rounded
/// half up to a whole number: `("1.005", 2)` gives `"101"`.
fn rounded_digits(text: &str, decimals: usize) -> String {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = whole
        .bytes()
        .chain(frac.bytes())
        .map(|b| b - b'0')
        .collect();
    // The digits kept: those before the point, moved `decimals` right.
    let keep = whole.len() as i64 + exponent + decimals as i64;
    let mut kept: Vec<u8> = (0..keep.max(0))
        .map(|i| digits.get(i as usize).copied().unwrap_or(0))
        .collect();
    let next = usize::try_from(keep)
        .ok()
        .and_then(|k| digits.get(k))
        .copied();
    if next.is_some_and(|d| d >= 5) {
        round_up(&mut kept);
    }
    let text: String = kept.iter().map(|d| char::from(b'0' + d)).collect();
    match text.trim_start_matches('0') {
        "" => "0".to_owned(),
        significant => significant.to_owned(),
    }
}

/// Adds one to the decimal digits `digits`, carrying.
fn round_up(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d < 9 {
            *d += 1;
            return;
        }
        *d = 0;
    }
    digits.insert(0, 1);
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

/// The exact amount as the API sent it, for a tooltip ([`shortest`]).
pub fn exact(amount: Option<f64>) -> String {
    amount.map_or_else(|| "not reported".to_owned(), shortest)
}

/// The shortest digits that read back as `value` (`0.1234`, `2`, `1e-7`):
/// the float printer the API's JSON is written with, a whole number
/// without its `.0`. Rust's own `Display` of floats would add some 15 kB
/// to the viewer's wasm for the same digits.
pub fn shortest(value: f64) -> String {
    let mut text = value.to_json();
    if text.ends_with(".0") {
        text.truncate(text.len() - 2);
    }
    text
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
        1_000..=59_999 => {
            // Tenths of a second, half up, in integers: no float formatting.
            let tenths = (ms + 50) / 100;
            format!("{}.{} s", tenths / 10, tenths % 10)
        }
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

/// The wall-clock date of `at` at `offset_seconds`: `2026-11-28`.
pub fn wall_date(at: DateTime<Utc>, offset_seconds: i32) -> String {
    local_time(at, offset_seconds).date().to_string()
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
        assert_eq!(exact(Some(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(exact(Some(2.0)), "2");
        assert_eq!(exact(Some(-0.5)), "-0.5");
        assert_eq!(shortest(1e-7), "1e-7");
        assert_eq!(exact(None), "not reported");
        assert_eq!(exact(Some(usd_of_credits(0.1265))), "1.265");
        assert_eq!(0.1265 * 10.0, 1.2650000000000001);
        assert_eq!(usd_of_credits(-0.00005), -0.001);
        assert_eq!(usd_of_credits(f64::MAX), i64::MAX as f64 / 1e4);
        assert_eq!(decimal(f64::NAN, 2), "—");
        assert_eq!(decimal(-0.001, 2), "0.00");
        assert_eq!(decimal(1.005, 2), "1.01");
        assert_eq!(decimal(0.995, 2), "1.00");
        assert_eq!(decimal(999.9996, 3), "1,000.000");
        assert_eq!(decimal(0.5, 0), "1");
        assert_eq!(decimal(0.4999, 0), "0");
        assert_eq!(decimal(1e-7, 2), "0.00");
        assert_eq!(decimal(0.005, 2), "0.01");
        assert_eq!(decimal(-0.005, 2), "-0.01");
        assert_eq!(decimal(1.5e21, 1), "1,500,000,000,000,000,000,000.0");
        assert_eq!(decimal(12.0, 0), "12");
        assert_eq!(decimal(0.0, 2), "0.00");
    }

    /// Whether `text`'s digits end with a 5 at the `decimals + 1`-th
    /// decimal: a tie, where `decimal` and `{:.N}` may differ on purpose.
    fn is_tie(text: &str, decimals: usize) -> bool {
        let exact = rounded_digits(text, decimals + 40);
        let significant = exact.trim_end_matches('0');
        exact.len() - significant.len() == 39 && significant.ends_with('5')
    }

    /// Away from ties in its shortest digits, an amount rounds as Rust's
    /// `{:.N}` rounds it (the formatting `decimal` replaces).
    #[test]
    fn decimals_round_as_std_formatting_away_from_ties() {
        let mut ties = 0;
        for k in 0..100_000u32 {
            let values = [
                f64::from(k) / 1e4,
                f64::from(k) * 0.01,
                f64::from(k.wrapping_mul(7919)) / 1e6 + f64::from(k) * 1e-9,
                f64::from(k).sqrt() * 123.456,
            ];
            for (i, value) in values.into_iter().enumerate() {
                let decimals = (k as usize + i) % 5;
                if is_tie(&shortest(value), decimals) {
                    ties += 1;
                    continue;
                }
                let std = format!("{value:.decimals$}");
                let (w, f) = std.split_once('.').unwrap_or((&std, ""));
                let grouped = if f.is_empty() {
                    group_thousands(w)
                } else {
                    format!("{}.{f}", group_thousands(w))
                };
                assert_eq!(decimal(value, decimals), grouped, "{value} to {decimals}");
            }
        }
        assert!(ties > 0 && ties < 40_000, "{ties} ties");
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(duration_ms(Some(850)), "850 ms");
        assert_eq!(duration_ms(Some(12_400)), "12.4 s");
        assert_eq!(duration_ms(Some(1_000)), "1.0 s");
        assert_eq!(duration_ms(Some(1_249)), "1.2 s");
        assert_eq!(duration_ms(Some(1_250)), "1.3 s");
        assert_eq!(duration_ms(Some(59_949)), "59.9 s");
        assert_eq!(duration_ms(Some(59_950)), "60.0 s");
        assert_eq!(duration_ms(Some(59_999)), "60.0 s");
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
        assert_eq!(
            (wall_date(at, 0), wall_date(at, 3600)),
            ("2026-11-28".into(), "2026-11-29".into())
        );
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
