//! [`ConcurrencyLimiter`]: the bound on the requests a client has in flight,
//! an `async-lock` semaphore (no runtime, fair, fine on one thread).

use std::future::Future;
use std::sync::Arc;

use async_lock::{Semaphore, SemaphoreGuardArc};

/// At most `limit` holders of a [`Permit`] at once. Clones share the bound.
#[derive(Debug, Clone)]
pub struct ConcurrencyLimiter {
    semaphore: Arc<Semaphore>,
}

/// One slot of a [`ConcurrencyLimiter`], held while a request runs and given
/// back when dropped.
pub type Permit = SemaphoreGuardArc;

impl ConcurrencyLimiter {
    /// A limiter with `limit` permits (0 is read as 1).
    pub fn new(limit: usize) -> Self {
        ConcurrencyLimiter {
            semaphore: Arc::new(Semaphore::new(limit.max(1))),
        }
    }

    /// Waits for a permit; it is given back when dropped. Dropping the
    /// future before it completes leaves the queue cleanly.
    pub fn acquire(&self) -> impl Future<Output = Permit> + 'static {
        self.semaphore.acquire_arc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn bound_is_respected_and_released() {
        let limiter = ConcurrencyLimiter::new(2);
        let a = limiter.acquire().now_or_never();
        let b = limiter.clone().acquire().now_or_never();
        assert!(a.is_some() && b.is_some());
        assert!(limiter.acquire().now_or_never().is_none());
        drop(a);
        assert!(limiter.acquire().now_or_never().is_some());
        assert!(ConcurrencyLimiter::new(0)
            .acquire()
            .now_or_never()
            .is_some());
    }
}
