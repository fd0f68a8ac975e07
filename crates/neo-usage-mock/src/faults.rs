//! Fault injection: latency, injected error statuses (500/503 by default),
//! rate limiting with 429 and `Retry-After`, dropped connections, stalled
//! answers, truncated bodies, hollow pages (`has_more` with no rows), a
//! drifting `total` and a growing dataset, all decided per API request.
//!
//! Decisions are deterministic under `--seed`: request number `n` (counted
//! from 1 since start or the last `POST /__mock/reset`) draws from its own
//! [`SplitMix64`], so the same sequence of requests meets the same faults.
//! The rate limit is the exception: it depends on arrival times by nature
//! (its clock is a parameter, so its tests control time).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;
use crate::prng::SplitMix64;

/// Statuses `--error-rate` injects when `--error-statuses` is not given.
pub const DEFAULT_ERROR_STATUSES: [u16; 2] = [500, 503];

/// How long a stalled request (`--stall-rate`) is held before it is
/// answered after all: far beyond any client timeout.
pub const STALL: Duration = Duration::from_secs(600);

/// The fault flags, as given on the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Fixed delay before answering, in milliseconds.
    pub latency_ms: u64,
    /// Extra random delay up to this many milliseconds.
    pub jitter_ms: u64,
    /// Fraction (0..=1) of API requests answered with one of
    /// `error_statuses`.
    pub error_rate: f64,
    /// The statuses `error_rate` draws from, evenly (default 500, 503). An
    /// injected 429 carries `Retry-After: retry_after_secs`.
    pub error_statuses: Vec<u16>,
    /// At most this many API requests per window; more get 429.
    pub rate_limit: Option<u64>,
    /// The rate-limit window, in milliseconds.
    pub rate_window_ms: u64,
    /// `Retry-After` seconds sent with 429.
    pub retry_after_secs: u64,
    /// Fraction (0..=1) of API requests whose connection is closed without
    /// an answer.
    pub drop_rate: f64,
    /// Fraction (0..=1) of API requests held for [`STALL`] before answering
    /// (a client's timeout fires first).
    pub stall_rate: f64,
    /// Fraction (0..=1) of 200 answers whose body is cut short (status and
    /// a matching `Content-Length` are kept, so the client reads broken
    /// JSON).
    pub truncate_rate: f64,
    /// Fraction (0..=1) of task-list answers replaced by a hollow page: no
    /// rows, `has_more: true`, the real `total`.
    pub empty_page_rate: f64,
    /// Task-list answers report `total` shifted by a drawn amount in
    /// `-total_drift..=total_drift` (the rows themselves are unchanged).
    pub total_drift: u64,
    /// Every N-th API request first inserts a new newest task.
    pub grow_every: Option<u64>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            latency_ms: 0,
            jitter_ms: 0,
            error_rate: 0.0,
            error_statuses: DEFAULT_ERROR_STATUSES.to_vec(),
            rate_limit: None,
            rate_window_ms: 1000,
            retry_after_secs: 1,
            drop_rate: 0.0,
            stall_rate: 0.0,
            truncate_rate: 0.0,
            empty_page_rate: 0.0,
            total_drift: 0,
            grow_every: None,
        }
    }
}

/// What happens to one API request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    /// Delay before answering.
    pub delay: Duration,
    /// Answer with this error instead of serving.
    pub error: Option<ApiError>,
    /// Close the connection without answering.
    pub drop_connection: bool,
    /// Hold the request for [`STALL`] first.
    pub stall: bool,
    /// Cut a 200 body short.
    pub truncate: bool,
    /// Answer a task list with a hollow page.
    pub empty_page: bool,
    /// Shift a task list's `total` by this much.
    pub total_shift: i64,
    /// Insert a new newest task before serving.
    pub grow: bool,
}

impl FaultConfig {
    /// The plan for API request number `n` under `seed`.
    pub fn plan(&self, seed: u64, n: u64) -> FaultPlan {
        let mut rng = SplitMix64::for_item(seed ^ 0xFA01_7FA0_17FA_017F, n);
        // Always draw in the same order so one flag does not shift another;
        // new draws go at the end.
        let jitter = rng.below(self.jitter_ms.saturating_add(1));
        let error_roll = rng.unit();
        let error_pick = rng.below(self.error_statuses.len().max(1) as u64) as usize;
        let drop_roll = rng.unit();
        let truncate_roll = rng.unit();
        let stall_roll = rng.unit();
        let empty_roll = rng.unit();
        let span = self.total_drift.min(u64::MAX / 4);
        let drift = rng.below(span * 2 + 1) as i64 - span as i64;
        let error = (error_roll < self.error_rate).then(|| {
            let status = self
                .error_statuses
                .get(error_pick)
                .copied()
                .unwrap_or(DEFAULT_ERROR_STATUSES[0]);
            ApiError::Injected {
                status,
                retry_after_secs: (status == 429).then_some(self.retry_after_secs),
            }
        });
        FaultPlan {
            delay: Duration::from_millis(self.latency_ms.saturating_add(jitter)),
            error,
            drop_connection: drop_roll < self.drop_rate,
            stall: stall_roll < self.stall_rate,
            truncate: truncate_roll < self.truncate_rate,
            empty_page: empty_roll < self.empty_page_rate,
            total_shift: drift,
            grow: self
                .grow_every
                .is_some_and(|every| every > 0 && n % every == 0),
        }
    }

    /// One line per active fault, for the start-up banner.
    pub fn describe(&self) -> Vec<String> {
        let percent = |rate: f64| format!("{:.1}%", rate * 100.0);
        let mut lines = Vec::new();
        if self.latency_ms > 0 || self.jitter_ms > 0 {
            lines.push(format!(
                "fault latency: {} ms + up to {} ms jitter",
                self.latency_ms, self.jitter_ms
            ));
        }
        if self.error_rate > 0.0 {
            let statuses: Vec<String> = self.error_statuses.iter().map(u16::to_string).collect();
            lines.push(format!(
                "fault errors: {} of API requests answer {}",
                percent(self.error_rate),
                statuses.join(" or ")
            ));
        }
        if let Some(limit) = self.rate_limit {
            lines.push(format!(
                "fault rate limit: {limit} API requests per {} ms, then 429 with Retry-After: {}",
                self.rate_window_ms, self.retry_after_secs
            ));
        }
        if self.drop_rate > 0.0 {
            lines.push(format!(
                "fault drops: {} of API requests closed without an answer",
                percent(self.drop_rate)
            ));
        }
        if self.stall_rate > 0.0 {
            lines.push(format!(
                "fault stalls: {} of API requests held {} s before answering",
                percent(self.stall_rate),
                STALL.as_secs()
            ));
        }
        if self.truncate_rate > 0.0 {
            lines.push(format!(
                "fault truncation: {} of 200 bodies cut short",
                percent(self.truncate_rate)
            ));
        }
        if self.empty_page_rate > 0.0 {
            lines.push(format!(
                "fault hollow pages: {} of task lists answer no rows with has_more: true",
                percent(self.empty_page_rate)
            ));
        }
        if self.total_drift > 0 {
            lines.push(format!(
                "fault total drift: task lists report total off by up to {}",
                self.total_drift
            ));
        }
        if let Some(every) = self.grow_every {
            lines.push(format!(
                "fault growth: every {every}th API request adds a new newest task"
            ));
        }
        if lines.is_empty() {
            lines.push("faults: none".to_owned());
        }
        lines
    }
}

/// A sliding-window rate limiter: admits at most `limit` requests in any
/// `window`.
#[derive(Debug)]
pub struct RateLimiter {
    limit: Option<u64>,
    window: Duration,
    admitted: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// A limiter for `limit` requests per `window` (`None`: no limit).
    pub fn new(limit: Option<u64>, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            admitted: Mutex::new(VecDeque::new()),
        }
    }

    /// Whether a request arriving `now` is admitted (and counts it if so).
    pub fn admit(&self, now: Instant) -> bool {
        let Some(limit) = self.limit else {
            return true;
        };
        let mut admitted = match self.admitted.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        while admitted
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            admitted.pop_front();
        }
        if (admitted.len() as u64) < limit {
            admitted.push_back(now);
            true
        } else {
            false
        }
    }

    /// Forgets every admitted request.
    pub fn reset(&self) {
        match self.admitted.lock() {
            Ok(mut guard) => guard.clear(),
            Err(poisoned) => poisoned.into_inner().clear(),
        }
    }
}

/// The first half of a body (at least one byte shorter than the body).
pub fn truncated(body: &[u8]) -> &[u8] {
    &body[..body.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_deterministic_and_rates_roughly_hold() {
        let config = FaultConfig {
            error_rate: 0.3,
            drop_rate: 0.1,
            jitter_ms: 50,
            ..FaultConfig::default()
        };
        assert_eq!(config.plan(1, 17), config.plan(1, 17));
        let errors = (1..=10_000)
            .filter(|n| config.plan(1, *n).error.is_some())
            .count();
        assert!((2_700..3_300).contains(&errors), "{errors}");
        assert!((1..=100).all(|n| config.plan(1, n).delay <= Duration::from_millis(50)));
    }

    #[test]
    fn limiter_admits_limit_per_window() {
        let limiter = RateLimiter::new(Some(2), Duration::from_millis(100));
        let t0 = Instant::now();
        assert!(limiter.admit(t0));
        assert!(limiter.admit(t0));
        assert!(!limiter.admit(t0 + Duration::from_millis(50)));
        assert!(limiter.admit(t0 + Duration::from_millis(100)));
    }

    #[test]
    fn no_faults_describes_as_none_and_plans_nothing() {
        let none = FaultConfig::default();
        assert_eq!(none.describe(), vec!["faults: none"]);
        assert!((1..=1000).all(|n| none.plan(7, n) == FaultPlan::default()));
    }

    #[test]
    fn error_statuses_are_drawn_evenly_and_429_says_retry_after() {
        let config = FaultConfig {
            error_rate: 1.0,
            error_statuses: vec![429, 502, 504],
            retry_after_secs: 3,
            ..FaultConfig::default()
        };
        let mut counts = std::collections::BTreeMap::new();
        for n in 1..=3000 {
            let error = config.plan(1, n).error.unwrap();
            *counts.entry(error.status()).or_insert(0) += 1;
            let expected = (error.status() == 429).then_some(3);
            assert_eq!(error.retry_after_secs(), expected);
        }
        assert_eq!(
            counts.keys().copied().collect::<Vec<_>>(),
            vec![429, 502, 504]
        );
        assert!(
            counts.values().all(|c| (900..1100).contains(c)),
            "{counts:?}"
        );
    }

    #[test]
    fn total_drift_stays_within_its_span_and_uses_all_of_it() {
        let config = FaultConfig {
            total_drift: 3,
            ..FaultConfig::default()
        };
        let shifts: std::collections::BTreeSet<i64> =
            (1..=500).map(|n| config.plan(1, n).total_shift).collect();
        assert_eq!(shifts, (-3..=3).collect());
    }
}
