//! [`RetryPolicy`]: exponential backoff with full jitter, a cap, a maximum
//! number of attempts, and respect for `Retry-After` (capped). Pure: the
//! caller supplies the random number and does the waiting. What is worth
//! retrying is [`NeoUsageError::is_retryable`]: 408, 409, 429, every 5xx,
//! network failures, timeouts and bodies cut short.
//!
//! ```
//! use std::time::Duration;
//! use neo_usage::{RetryPolicy, NeoUsageError};
//! let policy = RetryPolicy::default();
//! let busy = NeoUsageError::from_response(503, None, b"");
//! // After the first failed attempt, wait up to base_delay (here: half of it).
//! assert_eq!(policy.delay_after(1, &busy, 0.5), Some(policy.base_delay / 2));
//! // Not retryable: give up at once.
//! let denied = NeoUsageError::from_response(403, None, b"");
//! assert_eq!(policy.delay_after(1, &denied, 0.5), None);
//! ```

use std::future::Future;
use std::time::Duration;

use crate::error::NeoUsageError;

/// When and how long to wait before trying a failed request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means never retry).
    pub max_attempts: u32,
    /// Upper bound of the first wait; doubles with each attempt.
    pub base_delay: Duration,
    /// Upper bound of any computed wait.
    pub max_delay: Duration,
    /// The cap on `Retry-After`: the longest wait the server may ask for.
    /// A longer one is not waited: the error (with its `retry_after`) goes
    /// back to the caller at once, who can decide.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before the next attempt after attempt number `attempt`
    /// (1-based) failed with `error`, or `None` to give up. `jitter` is a
    /// uniform random number in `[0, 1)`.
    ///
    /// Full jitter: a uniform wait between zero and
    /// `min(max_delay, base_delay * 2^(attempt-1))`. A `Retry-After` is a
    /// floor: the wait is never shorter than what the server asked for.
    pub fn delay_after(
        &self,
        attempt: u32,
        error: &NeoUsageError,
        jitter: f64,
    ) -> Option<Duration> {
        if !error.is_retryable() || attempt >= self.max_attempts {
            return None;
        }
        let exponent = attempt.saturating_sub(1).min(30);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let jittered = ceiling.mul_f64(jitter.clamp(0.0, 1.0));
        match error.retry_after() {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked.max(jittered)),
            None => Some(jittered),
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or the policy gives
    /// up, waiting with `sleep` between attempts. `jitter` yields numbers in
    /// `[0, 1)`; `cancelled` is checked before every wait.
    pub async fn run<T, Op, Fut, Sleep, SleepFut>(
        &self,
        mut attempt: Op,
        sleep: Sleep,
        mut jitter: impl FnMut() -> f64,
        cancelled: impl Fn() -> bool,
    ) -> Result<T, NeoUsageError>
    where
        Op: FnMut() -> Fut,
        Fut: Future<Output = Result<T, NeoUsageError>>,
        Sleep: Fn(Duration) -> SleepFut,
        SleepFut: Future<Output = ()>,
    {
        let mut number = 1;
        loop {
            let error = match attempt().await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let Some(wait) = self.delay_after(number, &error, jitter()) else {
                return Err(error);
            };
            if cancelled() {
                return Err(NeoUsageError::Aborted);
            }
            sleep(wait).await;
            if cancelled() {
                return Err(NeoUsageError::Aborted);
            }
            number += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    fn busy() -> NeoUsageError {
        NeoUsageError::from_response(503, None, b"")
    }

    #[test]
    fn retries_what_is_retryable_only() {
        let p = RetryPolicy::default();
        for status in [408, 409, 429, 500, 501, 502, 503, 504, 599] {
            let e = NeoUsageError::from_response(status, None, b"");
            assert!(p.delay_after(1, &e, 0.5).is_some(), "{status}");
        }
        for status in [400, 401, 403, 404, 405, 410, 422, 431] {
            let e = NeoUsageError::from_response(status, None, b"");
            assert_eq!(p.delay_after(1, &e, 0.5), None, "{status}");
        }
    }

    #[test]
    fn retry_after_of_a_503_is_a_floor_too() {
        let p = RetryPolicy::default();
        let e = NeoUsageError::from_response(503, Some("2"), b"");
        assert_eq!(p.delay_after(1, &e, 0.5), Some(Duration::from_secs(2)));
        let at_cap = NeoUsageError::from_response(429, Some("60"), b"");
        assert_eq!(
            p.delay_after(1, &at_cap, 0.5),
            Some(Duration::from_secs(60))
        );
        let over = NeoUsageError::from_response(429, Some("61"), b"");
        assert_eq!(p.delay_after(1, &over, 0.5), None);
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            ..Default::default()
        };
        let almost_one = 0.999_999;
        let waits: Vec<u128> = (1..=5)
            .map(|a| p.delay_after(a, &busy(), almost_one).unwrap().as_millis())
            .collect();
        assert_eq!(waits, vec![99, 199, 399, 499, 499]);
        assert_eq!(p.delay_after(3, &busy(), 0.0), Some(Duration::ZERO));
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let p = RetryPolicy {
            max_attempts: 3,
            ..Default::default()
        };
        assert!(p.delay_after(2, &busy(), 0.5).is_some());
        assert!(p.delay_after(3, &busy(), 0.5).is_none());
        assert!(RetryPolicy::never().delay_after(1, &busy(), 0.5).is_none());
    }

    #[test]
    fn retry_after_is_a_floor_and_too_long_gives_up() {
        let p = RetryPolicy::default();
        let limited = NeoUsageError::from_response(429, Some("3"), b"");
        assert_eq!(
            p.delay_after(1, &limited, 0.5),
            Some(Duration::from_secs(3))
        );
        let long = NeoUsageError::from_response(429, Some("3600"), b"");
        assert_eq!(p.delay_after(1, &long, 0.5), None);
    }

    #[test]
    fn run_retries_until_success_and_sleeps_between() {
        let calls = Cell::new(0);
        let slept = RefCell::new(Vec::new());
        let result = futures::executor::block_on(RetryPolicy::default().run(
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 3 {
                        Err(busy())
                    } else {
                        Ok(n)
                    }
                }
            },
            |d| {
                slept.borrow_mut().push(d);
                async {}
            },
            || 0.5,
            || false,
        ));
        assert_eq!(result, Ok(3));
        assert_eq!(
            *slept.borrow(),
            vec![Duration::from_millis(125), Duration::from_millis(250)]
        );
    }

    #[test]
    fn run_returns_the_last_error_and_stops_on_cancel() {
        let p = RetryPolicy {
            max_attempts: 2,
            ..Default::default()
        };
        let r: Result<(), _> = futures::executor::block_on(p.run(
            || async { Err(busy()) },
            |_| async {},
            || 0.1,
            || false,
        ));
        assert_eq!(r.unwrap_err().status(), Some(503));
        let r: Result<(), _> = futures::executor::block_on(p.run(
            || async { Err(busy()) },
            |_| async {},
            || 0.1,
            || true,
        ));
        assert_eq!(r.unwrap_err(), NeoUsageError::Aborted);
    }
}
