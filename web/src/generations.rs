//! Answers that may arrive late. An effect that starts async work (a page
//! request, a task's detail, a summary, a load of every row, a retry
//! countdown) numbers each of its runs; an answer is shown only while its
//! run is still the latest one, so a slow answer to an older view never
//! replaces the answer to a newer one.

use leptos::prelude::*;

/// The runs of one effect, or the requests of one kind, counted in the
/// order they started.
///
/// ```ignore
/// let runs = Generations::new();
/// Effect::new(move |_| {
///     let run = runs.begin();
///     spawn_local(async move {
///         let answer = fetch().await;
///         if run.is_current() {
///             shown.set(answer);
///         }
///     });
/// });
/// ```
#[derive(Clone, Copy)]
pub struct Generations(StoredValue<u64>);

impl Generations {
    /// A counter with no run started.
    pub fn new() -> Self {
        Self(StoredValue::new(0))
    }

    /// Starts a run: every [`Generation`] handed out before is stale from
    /// now on.
    pub fn begin(self) -> Generation {
        self.0.update_value(|n| *n += 1);
        Generation {
            of: self,
            number: self.0.get_value(),
        }
    }
}

impl Default for Generations {
    fn default() -> Self {
        Self::new()
    }
}

/// One run of a [`Generations`] counter.
#[derive(Clone, Copy)]
pub struct Generation {
    of: Generations,
    number: u64,
}

impl Generation {
    /// Whether no run has started since this one: only then may its
    /// answer, failure or progress be shown.
    pub fn is_current(self) -> bool {
        self.of.0.get_value() == self.number
    }
}
