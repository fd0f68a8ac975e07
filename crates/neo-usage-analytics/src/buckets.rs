//! Time buckets: the local days, ISO weeks or months between two instants,
//! every one present (empty or not), each with its UTC bounds, so a chart
//! has no gaps and a row finds its bucket by binary search, with no time
//! zone call per row.

use chrono::NaiveDate;
use neo_usage::{calendar, GroupBy};

use crate::zone::{local_date, local_day_start, UtcOffsetAt};

/// One bucket: a local period and its UTC bounds `[start_ms, end_ms)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    /// The period's first local day (its label, `YYYY-MM-DD` in the API's
    /// `by_period`).
    pub label: NaiveDate,
    /// First instant, Unix milliseconds.
    pub start_ms: i64,
    /// First instant of the next bucket (exclusive end).
    pub end_ms: i64,
}

/// Consecutive buckets of one size in one zone.
///
/// ```
/// use chrono::Utc;
/// use neo_usage::GroupBy;
/// use neo_usage_analytics::buckets::Buckets;
/// let ms = |t: &str| t.parse::<chrono::DateTime<Utc>>().unwrap().timestamp_millis();
/// let weeks = Buckets::between(ms("2026-11-01T00:00:00Z"), ms("2026-11-28T12:00:00Z"), GroupBy::Week, &Utc);
/// let labels: Vec<String> = weeks.iter().map(|b| b.label.to_string()).collect();
/// assert_eq!(labels, ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]);
/// assert_eq!(weeks.index_of(ms("2026-11-03T00:00:00Z")), Some(1));
/// assert_eq!(weeks.index_of(ms("2026-12-01T00:00:00Z")), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buckets {
    size: GroupBy,
    buckets: Vec<Bucket>,
}

/// Most buckets [`Buckets::between`] makes (a day per 27 years): a guard
/// against a range that is mistakenly huge.
pub const MAX_BUCKETS: usize = 10_000;

impl Buckets {
    /// Every bucket of kind `size` in `zone` that overlaps `[from_ms, to_ms)`,
    /// oldest first: the first one starts at or before `from_ms`, the last
    /// one ends after `to_ms - 1`. Empty when `to_ms <= from_ms`; at most
    /// [`MAX_BUCKETS`].
    pub fn between(from_ms: i64, to_ms: i64, size: GroupBy, zone: &impl UtcOffsetAt) -> Self {
        let mut buckets = Vec::new();
        if to_ms > from_ms {
            let mut label = calendar::period_start(local_date(from_ms, zone), size);
            let mut start = local_day_start(label, zone);
            while start < to_ms && buckets.len() < MAX_BUCKETS {
                let Some(next) = calendar::next_period_start(label, size) else {
                    break;
                };
                let end = local_day_start(next, zone);
                buckets.push(Bucket {
                    label,
                    start_ms: start,
                    end_ms: end,
                });
                (label, start) = (next, end);
            }
        }
        Buckets { size, buckets }
    }

    /// The bucket size.
    pub fn size(&self) -> GroupBy {
        self.size
    }

    /// The buckets, oldest first.
    pub fn as_slice(&self) -> &[Bucket] {
        &self.buckets
    }

    /// Iterates the buckets, oldest first.
    pub fn iter(&self) -> std::slice::Iter<'_, Bucket> {
        self.buckets.iter()
    }

    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether there is no bucket.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The index of the bucket holding the instant `utc_ms`, if any.
    #[inline]
    pub fn index_of(&self, utc_ms: i64) -> Option<usize> {
        let after = self.buckets.partition_point(|b| b.start_ms <= utc_ms);
        let i = after.checked_sub(1)?;
        (utc_ms < self.buckets[i].end_ms).then_some(i)
    }

    /// [`Buckets::index_of`], trying bucket `*hint` first and leaving the
    /// found index there: rows in time order find theirs without a search.
    #[inline(always)]
    pub fn index_near(&self, utc_ms: i64, hint: &mut usize) -> Option<usize> {
        if let Some(b) = self.buckets.get(*hint) {
            if b.start_ms <= utc_ms && utc_ms < b.end_ms {
                return Some(*hint);
            }
        }
        let found = self.index_of(utc_ms)?;
        *hint = found;
        Some(found)
    }

    /// The UTC bounds `[first start, last end)` covered.
    pub fn span(&self) -> Option<(i64, i64)> {
        Some((self.buckets.first()?.start_ms, self.buckets.last()?.end_ms))
    }
}

/// The label of the bucket of kind `size` holding `utc_ms` in `zone`; in
/// UTC, the reference server's `by_period` label for a row at that instant.
pub fn bucket_label(utc_ms: i64, size: GroupBy, zone: &impl UtcOffsetAt) -> NaiveDate {
    calendar::period_start(local_date(utc_ms, zone), size)
}
