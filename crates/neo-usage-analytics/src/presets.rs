//! Date presets of the viewer's range picker, as UTC instants in a zone:
//! today, the last 7 / 30 / 90 days, this month, last month.

use chrono::{Datelike, Days, Months};

use crate::zone::{local_date, local_day_start, next_day, UtcOffsetAt};

/// A named date range, relative to "now" in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePreset {
    /// The local day holding now.
    Today,
    /// The last `n` local days, today included.
    LastDays(u32),
    /// The local month holding now, up to the end of today.
    ThisMonth,
    /// The whole local month before this one.
    LastMonth,
}

impl DatePreset {
    /// `[from_ms, to_ms)` of this preset at `now_ms` in `zone`: from the
    /// start of the first local day to the start of the local day after the
    /// last (so a range ending today includes all of today).
    ///
    /// ```
    /// use chrono::Utc;
    /// use neo_usage_analytics::presets::DatePreset;
    /// let ms = |t: &str| t.parse::<chrono::DateTime<Utc>>().unwrap().timestamp_millis();
    /// let now = ms("2026-11-28T12:00:00Z");
    /// assert_eq!(DatePreset::LastDays(7).range(now, &Utc), (ms("2026-11-22T00:00:00Z"), ms("2026-11-29T00:00:00Z")));
    /// assert_eq!(DatePreset::LastMonth.range(now, &Utc), (ms("2026-10-01T00:00:00Z"), ms("2026-11-01T00:00:00Z")));
    /// ```
    pub fn range(self, now_ms: i64, zone: &impl UtcOffsetAt) -> (i64, i64) {
        let today = local_date(now_ms, zone);
        let end_of_today = local_day_start(next_day(today), zone);
        let month_start = today.with_day(1).unwrap_or(today);
        match self {
            DatePreset::Today => (local_day_start(today, zone), end_of_today),
            DatePreset::LastDays(n) => {
                let first = today
                    .checked_sub_days(Days::new(u64::from(n.max(1) - 1)))
                    .unwrap_or(today);
                (local_day_start(first, zone), end_of_today)
            }
            DatePreset::ThisMonth => (local_day_start(month_start, zone), end_of_today),
            DatePreset::LastMonth => {
                let previous = month_start
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(month_start);
                (
                    local_day_start(previous, zone),
                    local_day_start(month_start, zone),
                )
            }
        }
    }
}
