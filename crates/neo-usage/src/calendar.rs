//! Calendar periods: the first day of the day, ISO week (Monday) or month
//! holding a date, and the next one. One definition for the reference
//! server's `by_period` (UTC) and the viewer's charts (any zone).

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::query::GroupBy;

/// A date written `YYYY-MM-DD` (what an `<input type="date">` holds), or
/// `None` for any other text or a date the calendar has not.
///
/// ```
/// use neo_usage::calendar::parse_date;
/// assert_eq!(parse_date("2026-11-28").map(|d| d.to_string()), Some("2026-11-28".into()));
/// assert_eq!(parse_date("2026-11-31"), None);
/// assert_eq!(parse_date("2026-1-28"), None);
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    let (year, month, day) = crate::timestamp::date_fields(text.as_bytes())?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// The first day of the period of kind `group_by` holding `day`: the day
/// itself, the Monday of its ISO week, or the 1st of its month.
///
/// ```
/// use chrono::NaiveDate;
/// use neo_usage::{calendar::period_start, GroupBy};
/// let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
/// assert_eq!(period_start(saturday, GroupBy::Week).to_string(), "2026-11-23");
/// assert_eq!(period_start(saturday, GroupBy::Month).to_string(), "2026-11-01");
/// ```
pub fn period_start(day: NaiveDate, group_by: GroupBy) -> NaiveDate {
    match group_by {
        GroupBy::Day => day,
        GroupBy::Week => day
            .checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
            .unwrap_or(day),
        GroupBy::Month => day.with_day(1).unwrap_or(day),
    }
}

/// The first day of the period after the one starting on `start` (a value
/// [`period_start`] returned); `None` past the end of the calendar.
///
/// ```
/// use chrono::NaiveDate;
/// use neo_usage::{calendar::next_period_start, GroupBy};
/// let jan = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
/// assert_eq!(next_period_start(jan, GroupBy::Month).unwrap().to_string(), "2027-02-01");
/// ```
pub fn next_period_start(start: NaiveDate, group_by: GroupBy) -> Option<NaiveDate> {
    match group_by {
        GroupBy::Day => start.checked_add_days(Days::new(1)),
        GroupBy::Week => start.checked_add_days(Days::new(7)),
        GroupBy::Month => start.checked_add_months(Months::new(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn periods_start_on_the_day_monday_and_first() {
        assert_eq!(period_start(d("2026-11-28"), GroupBy::Day), d("2026-11-28"));
        assert_eq!(
            period_start(d("2026-11-23"), GroupBy::Week),
            d("2026-11-23")
        );
        assert_eq!(
            period_start(d("2026-11-22"), GroupBy::Week),
            d("2026-11-16")
        );
        assert_eq!(
            period_start(d("2026-02-28"), GroupBy::Month),
            d("2026-02-01")
        );
        assert_eq!(
            next_period_start(d("2026-12-28"), GroupBy::Week),
            Some(d("2027-01-04"))
        );
        assert_eq!(
            next_period_start(d("2024-02-28"), GroupBy::Day),
            Some(d("2024-02-29"))
        );
    }
}
