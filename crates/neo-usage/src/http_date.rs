//! Reading an HTTP-date (RFC 9110 section 5.6.7), the date form of
//! `Retry-After`, by hand: its three forms are fixed layouts of a few
//! tokens. chrono's `parse_from_str` read them before, and with it came its
//! strftime-format scanner and general parser: some 10 kB of every wasm
//! module that can read an error answer (the npm package, the viewer).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};

/// Reads `text` as an HTTP-date in any of its three forms, in UTC:
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - RFC 850 (obsolete): `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year
///   `00`–`69` is 20xx, `70`–`99` is 19xx)
/// - asctime (obsolete): `Sun Nov  6 08:49:37 1994`
///
/// Names are read in any case; tokens may be separated by any run of
/// spaces. The weekday must be the date's. `None` for anything else, an
/// impossible date (31 November) or time among them.
///
/// ```
/// use neo_usage::http_date::parse_http_date;
/// let at = "1994-11-06T08:49:37Z".parse().ok();
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), at);
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), at);
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), at);
/// assert_eq!(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), None);
/// ```
pub fn parse_http_date(text: &str) -> Option<DateTime<Utc>> {
    let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
    match tokens.as_slice() {
        [weekday, day, month, year, time, "GMT"] => {
            let weekday = short_weekday(weekday.strip_suffix(',')?)?;
            let date = date(year_of(year, 4)?, month, day)?;
            at(date, weekday, time)
        }
        [weekday, date_text, time, "GMT"] => {
            let weekday = long_weekday(weekday.strip_suffix(',')?)?;
            let mut parts = date_text.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            let yy = year_of(year, 2)?;
            let date = date(if yy < 70 { 2000 + yy } else { 1900 + yy }, month, day)?;
            at(date, weekday, time)
        }
        [weekday, month, day, time, year] => {
            let weekday = short_weekday(weekday)?;
            at(date(year_of(year, 4)?, month, day)?, weekday, time)
        }
        _ => None,
    }
}

/// The instant of `date` at `time` (`HH:MM:SS`), if `weekday` is its day.
fn at(date: NaiveDate, weekday: Weekday, time: &str) -> Option<DateTime<Utc>> {
    if chrono::Datelike::weekday(&date) != weekday {
        return None;
    }
    let mut parts = time.split(':');
    let mut field = || number(parts.next()?, 2, 2);
    let (hour, minute, second) = (field()?, field()?, field()?);
    if parts.next().is_some() {
        return None;
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    Some(date.and_time(time).and_utc())
}

/// The date of `year`, a month's three-letter name and a day of one or two
/// digits.
fn date(year: u32, month: &str, day: &str) -> Option<NaiveDate> {
    let month = MONTHS
        .iter()
        .position(|name| name.eq_ignore_ascii_case(month))?;
    NaiveDate::from_ymd_opt(year as i32, month as u32 + 1, number(day, 1, 2)?)
}

/// A year of exactly `digits` digits.
fn year_of(text: &str, digits: usize) -> Option<u32> {
    number(text, digits, digits)
}

/// `text` as a number of `min` to `max` ASCII digits.
fn number(text: &str, min: usize, max: usize) -> Option<u32> {
    if !(min..=max).contains(&text.len()) {
        return None;
    }
    crate::timestamp::digits(text.as_bytes())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Weekdays from Monday, as chrono counts them.
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A weekday's three-letter name (`Sun`).
fn short_weekday(text: &str) -> Option<Weekday> {
    weekday_where(|name| text.len() == 3 && name[..3].eq_ignore_ascii_case(text))
}

/// A weekday's full name (`Sunday`).
fn long_weekday(text: &str) -> Option<Weekday> {
    weekday_where(|name| name.eq_ignore_ascii_case(text))
}

fn weekday_where(matches: impl Fn(&str) -> bool) -> Option<Weekday> {
    let index = WEEKDAYS.iter().position(|name| matches(name))?;
    Weekday::try_from(index as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Option<DateTime<Utc>> {
        text.parse().ok()
    }

    #[test]
    fn each_form_reads_to_the_same_instant() {
        let at = utc("2026-11-28T12:01:00Z");
        for text in [
            "Sat, 28 Nov 2026 12:01:00 GMT",
            "sat, 28 nov 2026 12:01:00 GMT",
            "  Sat,  28 Nov 2026 12:01:00 GMT ",
            "Saturday, 28-Nov-26 12:01:00 GMT",
            "Sat Nov 28 12:01:00 2026",
        ] {
            assert_eq!(parse_http_date(text), at, "{text}");
        }
        assert_eq!(
            parse_http_date("Sun Nov  6 08:49:37 1994"),
            utc("1994-11-06T08:49:37Z")
        );
        assert_eq!(
            parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"),
            utc("1970-01-01T00:00:00Z"),
            "70 is 1970"
        );
        assert_eq!(
            parse_http_date("Tuesday, 01-Jan-69 00:00:00 GMT"),
            utc("2069-01-01T00:00:00Z"),
            "69 is 2069"
        );
    }

    #[test]
    fn anything_else_is_not_a_date() {
        for text in [
            "",
            "120",
            "soon",
            "Mon, 31 Nov 2026 11:00:00 GMT",      // no 31 November
            "Fri, 28 Nov 2026 12:01:00 GMT",      // a Saturday
            "Sat, 28 Nov 2026 24:00:00 GMT",      // no hour 24
            "Sat, 28 Nov 2026 12:01:60 GMT",      // no leap second
            "Sat, 28 Nov 2026 12:01 GMT",         // no seconds
            "Sat, 28 Nov 2026 12:01:00 UTC",      // GMT only
            "Sat, 28 Nov 26 12:01:00 GMT",        // a four-digit year
            "Sat 28 Nov 2026 12:01:00 GMT",       // no comma
            "Saturday, 28 Nov 2026 12:01:00 GMT", // a short name
            "Sat, 28-Nov-26 12:01:00 GMT",        // a long name
            "Saturday, 28-Nov-26-1 12:01:00 GMT",
            "Sat, 28 Nov 2026 12:01:00:00 GMT",
            "Sat, 128 Nov 2026 12:01:00 GMT",
            "Sat, 28 November 2026 12:01:00 GMT",
            "Sat, +8 Nov 2026 12:01:00 GMT",
        ] {
            assert_eq!(parse_http_date(text), None, "{text:?}");
        }
    }
}
