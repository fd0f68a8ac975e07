//! [`ConcurrencyLimiter`]: an async semaphore for one thread, bounding the
//! requests a client has in flight.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

#[derive(Debug)]
struct State {
    available: Cell<usize>,
    next_id: Cell<u64>,
    waiters: RefCell<BTreeMap<u64, Waker>>,
}

/// At most `limit` holders of a [`Permit`] at once.
#[derive(Debug, Clone)]
pub struct ConcurrencyLimiter {
    state: Rc<State>,
}

impl ConcurrencyLimiter {
    /// A limiter with `limit` permits (0 is read as 1).
    pub fn new(limit: usize) -> Self {
        ConcurrencyLimiter {
            state: Rc::new(State {
                available: Cell::new(limit.max(1)),
                next_id: Cell::new(0),
                waiters: RefCell::new(BTreeMap::new()),
            }),
        }
    }

    /// Waits for a permit; it is given back when dropped.
    pub fn acquire(&self) -> Acquire {
        let id = self.state.next_id.get();
        self.state.next_id.set(id + 1);
        Acquire {
            state: self.state.clone(),
            id,
        }
    }
}

/// The future of [`ConcurrencyLimiter::acquire`].
#[derive(Debug)]
pub struct Acquire {
    state: Rc<State>,
    id: u64,
}

impl Future for Acquire {
    type Output = Permit;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let available = self.state.available.get();
        if available > 0 {
            self.state.available.set(available - 1);
            self.state.waiters.borrow_mut().remove(&self.id);
            return Poll::Ready(Permit {
                state: self.state.clone(),
            });
        }
        self.state
            .waiters
            .borrow_mut()
            .insert(self.id, cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        self.state.waiters.borrow_mut().remove(&self.id);
    }
}

/// One slot of a [`ConcurrencyLimiter`], held while a request runs.
#[derive(Debug)]
pub struct Permit {
    state: Rc<State>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.state.available.set(self.state.available.get() + 1);
        // Wake every waiter: one takes the slot, the others wait again. The
        // waiters are few (bounded by the caller's own concurrency).
        let waiters: Vec<Waker> = self.state.waiters.borrow().values().cloned().collect();
        for waker in waiters {
            waker.wake();
        }
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
        let b = limiter.acquire().now_or_never();
        assert!(a.is_some() && b.is_some());
        assert!(limiter.acquire().now_or_never().is_none());
        drop(a);
        assert!(limiter.acquire().now_or_never().is_some());
    }
}
