//! [`CancelHandle`]: cancels requests and fetch-alls, like an `AbortSignal`.
//!
//! A handle is cheap to clone; every clone sees the same state. Cancelling
//! aborts the `fetch` calls in flight (through their per-request
//! `AbortController`) and wakes anything waiting, such as a retry's sleep.
//!
//! ```
//! use neo_usage_client::CancelHandle;
//! let handle = CancelHandle::new();
//! let same = handle.clone();
//! assert!(!same.is_cancelled());
//! handle.cancel();
//! assert!(same.is_cancelled());
//! ```

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use neo_usage::SortedMap;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

/// A linked `AbortSignal` and the `abort` listener added to it.
type LinkedSignal = (AbortSignal, Closure<dyn FnMut()>);

#[derive(Default)]
struct Inner {
    cancelled: Cell<bool>,
    next_id: Cell<u64>,
    waiters: RefCell<SortedMap<u64, Waker>>,
    /// The `abort` listener of a linked `AbortSignal`, removed on drop.
    linked: RefCell<Option<LinkedSignal>>,
}

impl Inner {
    fn cancel(&self) {
        if !self.cancelled.replace(true) {
            let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
            for waker in waiters.into_values() {
                waker.wake();
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some((signal, listener)) = self.linked.get_mut().take() {
            // Removing a listener we added cannot fail in a conforming host.
            let _ = signal
                .remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
    }
}

/// A cancellation token shared by the caller and the requests it covers.
#[derive(Clone, Default)]
pub struct CancelHandle {
    inner: Rc<Inner>,
}

impl fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelHandle")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl CancelHandle {
    /// A handle that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// A handle that follows a standard `AbortSignal`: it is cancelled when
    /// the signal aborts (or already is if the signal has).
    pub fn from_abort_signal(signal: &AbortSignal) -> Self {
        let handle = CancelHandle::new();
        if signal.aborted() {
            handle.cancel();
            return handle;
        }
        let weak = Rc::downgrade(&handle.inner);
        let listener = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.cancel();
            }
        });
        if signal
            .add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref())
            .is_ok()
        {
            *handle.inner.linked.borrow_mut() = Some((signal.clone(), listener));
        }
        handle
    }

    /// Cancels: requests in flight are aborted, later ones fail at once with
    /// `NeoUsageError::Aborted`. Calling it again does nothing.
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether [`CancelHandle::cancel`] was called (or the linked signal
    /// aborted).
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.get()
    }

    /// A future that completes when the handle is cancelled.
    pub fn cancelled(&self) -> Cancelled {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        Cancelled {
            inner: self.inner.clone(),
            id,
        }
    }
}

/// Completes when its [`CancelHandle`] is cancelled; see
/// [`CancelHandle::cancelled`].
pub struct Cancelled {
    inner: Rc<Inner>,
    id: u64,
}

impl fmt::Debug for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelled").field("id", &self.id).finish()
    }
}

impl Future for Cancelled {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.inner.cancelled.get() {
            return Poll::Ready(());
        }
        self.inner
            .waiters
            .borrow_mut()
            .insert(self.id, cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Cancelled {
    fn drop(&mut self) {
        self.inner.waiters.borrow_mut().remove(&self.id);
    }
}
