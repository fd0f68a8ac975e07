//! Fault injection: latency, injected 500/503, rate limiting with 429 and
//! `Retry-After`, dropped connections, truncated bodies and a growing
//! dataset, all decided per API request.
//!
//! Decisions are deterministic under `--seed`: request number `n` (counted
//! from 1 since start or the last `POST /__mock/reset`) draws from its own
//! [`SplitMix64`], so the same sequence of requests meets the same faults.
//! The rate limit is the exception: it depends on arrival times by nature.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;
use crate::prng::SplitMix64;

/// The fault flags, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    /// Fixed delay before answering, in milliseconds.
    pub latency_ms: u64,
    /// Extra random delay up to this many milliseconds.
    pub jitter_ms: u64,
    /// Fraction (0..=1) of API requests answered 500 or 503.
    pub error_rate: f64,
    /// At most this many API requests per window; more get 429.
    pub rate_limit: Option<u64>,
    /// The rate-limit window, in milliseconds.
    pub rate_window_ms: u64,
    /// `Retry-After` seconds sent with 429.
    pub retry_after_secs: u64,
    /// Fraction (0..=1) of API requests whose connection is closed without
    /// an answer.
    pub drop_rate: f64,
    /// Fraction (0..=1) of 200 answers whose body is cut short (status and
    /// a matching `Content-Length` are kept, so the client reads broken
    /// JSON).
    pub truncate_rate: f64,
    /// Every N-th API request first inserts a new newest task.
    pub grow_every: Option<u64>,
}

/// What happens to one API request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    /// The request's number, from 1.
    pub request_number: u64,
    /// Delay before answering.
    pub delay: Duration,
    /// Answer with this error instead of serving.
    pub error: Option<ApiError>,
    /// Close the connection without answering.
    pub drop_connection: bool,
    /// Cut a 200 body short.
    pub truncate: bool,
    /// Insert a new newest task before serving.
    pub grow: bool,
}

impl FaultConfig {
    /// Whether any fault is configured.
    pub fn is_active(&self) -> bool {
        *self
            != FaultConfig {
                rate_window_ms: self.rate_window_ms,
                retry_after_secs: self.retry_after_secs,
                ..FaultConfig::default()
            }
    }

    /// The plan for API request number `n` under `seed`.
    pub fn plan(&self, seed: u64, n: u64) -> FaultPlan {
        let mut rng = SplitMix64::for_item(seed ^ 0xFA01_7FA0_17FA_017F, n);
        // Always draw in the same order so one flag does not shift another.
        let jitter = rng.below(self.jitter_ms.saturating_add(1));
        let error_roll = rng.unit();
        let error_kind = rng.below(2);
        let drop_roll = rng.unit();
        let truncate_roll = rng.unit();
        FaultPlan {
            request_number: n,
            delay: Duration::from_millis(self.latency_ms.saturating_add(jitter)),
            error: (error_roll < self.error_rate).then_some(if error_kind == 0 {
                ApiError::InjectedServerError
            } else {
                ApiError::InjectedUnavailable
            }),
            drop_connection: drop_roll < self.drop_rate,
            truncate: truncate_roll < self.truncate_rate,
            grow: self
                .grow_every
                .is_some_and(|every| every > 0 && n % every == 0),
        }
    }

    /// One line per active fault, for the start-up banner.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.latency_ms > 0 || self.jitter_ms > 0 {
            lines.push(format!(
                "fault latency: {} ms + up to {} ms jitter",
                self.latency_ms, self.jitter_ms
            ));
        }
        if self.error_rate > 0.0 {
            lines.push(format!(
                "fault errors: {:.1}% of API requests answer 500 or 503",
                self.error_rate * 100.0
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
                "fault drops: {:.1}% of API requests closed without an answer",
                self.drop_rate * 100.0
            ));
        }
        if self.truncate_rate > 0.0 {
            lines.push(format!(
                "fault truncation: {:.1}% of 200 bodies cut short",
                self.truncate_rate * 100.0
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
    fn no_faults_describes_as_none() {
        assert!(!FaultConfig::default().is_active());
        assert_eq!(FaultConfig::default().describe(), vec!["faults: none"]);
    }
}
