//! [`RequestSlots`]: how fetch-all keeps `concurrency` requests on the
//! network while the pages that came back are decoded.
//!
//! A page takes a slot for its request only, from sending it to the last
//! byte of its body, and gives the slot back before it is decoded. Pages
//! wait for slots in the order they asked (the semaphore is fair), so
//! offsets go out in plan order. After giving its slot back, a page waits
//! until the pages handed slots have taken them ([`RequestSlots::handed_over`]),
//! so they send their requests before this one's body is decoded: on one
//! thread, decoding a burst of six bodies would otherwise hold the sixth
//! slot's next request back by five decodes. (Yielding once is not enough:
//! a task already queued to run again, as the browser's `fetch` leaves it,
//! runs before the page it woke.)

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// At most `n` requests in flight, handed out strictly in the order asked,
/// and a flag that stops new ones. One thread only, like the scan.
#[derive(Debug)]
pub(crate) struct RequestSlots {
    state: RefCell<SlotState>,
}

#[derive(Debug)]
struct SlotState {
    /// Slots nobody holds or has been handed.
    free: usize,
    stopped: bool,
    next_ticket: u64,
    /// Waiting tickets, first asked first (a few hundred at most).
    queue: Vec<(u64, Waker)>,
    /// Tickets handed a slot, not yet polled to take it.
    granted: BTreeSet<u64>,
}

impl SlotState {
    /// Hands free slots to the first waiters; the wakers to call.
    fn hand_over(&mut self) -> Vec<Waker> {
        let mut woken = Vec::new();
        while self.free > 0 && !self.stopped && !self.queue.is_empty() {
            let (ticket, waker) = self.queue.remove(0);
            self.free -= 1;
            self.granted.insert(ticket);
            woken.push(waker);
        }
        woken
    }

    /// Forgets `ticket`: out of the queue, and a slot it was handed goes
    /// on to the next waiter.
    fn leave(&mut self, ticket: u64) -> Vec<Waker> {
        self.queue.retain(|(t, _)| *t != ticket);
        if self.granted.remove(&ticket) {
            self.free += 1;
        }
        self.hand_over()
    }
}

impl RequestSlots {
    /// `n` slots (0 is read as 1).
    pub(crate) fn new(n: usize) -> Self {
        RequestSlots {
            state: RefCell::new(SlotState {
                free: n.max(1),
                stopped: false,
                next_ticket: 0,
                queue: Vec::new(),
                granted: BTreeSet::new(),
            }),
        }
    }

    /// Waits for a slot, after everyone who asked before; `None` once
    /// [`Self::stop`] was called, so no new request starts.
    pub(crate) fn take(&self) -> TakeSlot<'_> {
        TakeSlot {
            slots: self,
            ticket: None,
            done: false,
        }
    }

    /// No slot is handed out from now on; requests holding one finish.
    pub(crate) fn stop(&self) {
        let waiting: Vec<Waker> = {
            let mut state = self.state.borrow_mut();
            state.stopped = true;
            state.queue.iter().map(|(_, w)| w.clone()).collect()
        };
        waiting.into_iter().for_each(Waker::wake);
    }

    /// Ready once every page handed a slot has taken it; until then it
    /// wakes itself, so those pages run first.
    pub(crate) fn handed_over(&self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(|cx| {
            if self.state.borrow().granted.is_empty() {
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        })
    }

    fn release(&self) {
        let woken = {
            let mut state = self.state.borrow_mut();
            state.free += 1;
            state.hand_over()
        };
        woken.into_iter().for_each(Waker::wake);
    }
}

/// A slot held: given back, to the next waiter, when dropped.
#[derive(Debug)]
pub(crate) struct Slot<'a> {
    slots: &'a RequestSlots,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.slots.release();
    }
}

/// The future of [`RequestSlots::take`].
pub(crate) struct TakeSlot<'a> {
    slots: &'a RequestSlots,
    ticket: Option<u64>,
    done: bool,
}

impl<'a> Future for TakeSlot<'a> {
    type Output = Option<Slot<'a>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let slots = self.slots;
        let mut state = slots.state.borrow_mut();
        let taken = match self.ticket {
            _ if state.stopped => false,
            None if state.free > 0 && state.queue.is_empty() => {
                state.free -= 1;
                true
            }
            None => {
                let ticket = state.next_ticket;
                state.next_ticket += 1;
                state.queue.push((ticket, cx.waker().clone()));
                self.ticket = Some(ticket);
                return Poll::Pending;
            }
            Some(ticket) if state.granted.remove(&ticket) => true,
            Some(ticket) => {
                if let Some(entry) = state.queue.iter_mut().find(|(t, _)| *t == ticket) {
                    entry.1.clone_from(cx.waker());
                }
                return Poll::Pending;
            }
        };
        drop(state);
        if !taken {
            // Stopped: out of the queue, and any slot handed over goes back.
            self.leave();
        }
        self.done = true;
        Poll::Ready(taken.then_some(Slot { slots }))
    }
}

impl TakeSlot<'_> {
    fn leave(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            let woken = self.slots.state.borrow_mut().leave(ticket);
            woken.into_iter().for_each(Waker::wake);
        }
    }
}

impl Drop for TakeSlot<'_> {
    /// A page dropped while waiting gives up its place, and a slot it was
    /// already handed goes to the next waiter.
    fn drop(&mut self) {
        if !self.done {
            self.leave();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;
    use std::task::Waker;

    fn poll<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
        Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn slots_bound_requests_and_stop_hands_out_none() {
        let slots = RequestSlots::new(2);
        let a = slots.take().now_or_never().flatten();
        let b = slots.take().now_or_never().flatten();
        assert!(a.is_some() && b.is_some());
        assert!(slots.take().now_or_never().is_none(), "a third waits");
        drop(a);
        let c = slots.take().now_or_never().flatten();
        assert!(c.is_some(), "a slot given back is free again");
        let mut waiting = slots.take();
        assert!(poll(&mut waiting).is_pending());
        slots.stop();
        assert!(matches!(poll(&mut waiting), Poll::Ready(None)));
        drop(b);
        assert_eq!(
            slots.take().now_or_never().map(|s| s.is_some()),
            Some(false)
        );
    }

    #[test]
    fn slots_go_to_waiters_in_the_order_they_asked() {
        let slots = RequestSlots::new(1);
        let held = slots.take().now_or_never().flatten();
        let mut waiters: Vec<_> = (0..4).map(|_| slots.take()).collect();
        for w in &mut waiters {
            assert!(poll(w).is_pending());
        }
        // A late asker does not jump the queue, even when polled first.
        let mut late = slots.take();
        drop(held);
        assert!(poll(&mut late).is_pending());
        assert!(poll(&mut waiters[2]).is_pending());
        // The second waiter gives up its place; the slot skips it.
        let mut waiters: Vec<_> = waiters.into_iter().collect();
        let first = poll(&mut waiters[0]);
        let Poll::Ready(Some(first)) = first else {
            panic!("the first waiter gets the slot")
        };
        drop(waiters.remove(1));
        drop(first);
        assert!(matches!(poll(&mut waiters[1]), Poll::Ready(Some(_))));
    }

    #[test]
    fn handed_over_waits_until_the_next_page_takes_its_slot() {
        let slots = RequestSlots::new(1);
        let held = slots.take().now_or_never().flatten();
        let mut next = slots.take();
        assert!(poll(&mut next).is_pending());
        drop(held);
        let mut handed_over = Box::pin(slots.handed_over());
        assert!(
            poll(&mut handed_over).is_pending(),
            "granted, not yet taken"
        );
        let taken = poll(&mut next);
        assert!(matches!(taken, Poll::Ready(Some(_))));
        assert!(poll(&mut handed_over).is_ready());
    }
}
