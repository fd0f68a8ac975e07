//! [`ErrorBanner`]: the one visible error message (`data-testid="error"`):
//! a failed import or connection, or a failed page load, with what to do
//! and a retry button. A 429 with `Retry-After` retries by itself after
//! the wait, counting down.

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::NeoUsageError;

use crate::app::{AppState, PageState};
use crate::browser;
use crate::generations::Generations;
use crate::messages;

/// The error banner.
#[component]
pub fn ErrorBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let countdown = RwSignal::new(None::<u64>);
    // Derived, not memoised: a memo compares each new error with the last
    // (2.7 kB of wasm for `NeoUsageError: PartialEq`, which may hold a
    // whole partial fetch), and redrawing this banner is cheap.
    let page_error = Signal::derive(move || {
        state.page.with(|page| match page {
            PageState::Failed(error) => Some(error.clone()),
            _ => None,
        })
    });
    retry_after_waiting(state, page_error, countdown);
    let retry = move |_| state.reload.update(|n| *n += 1);

    move || {
        if let Some(message) = state.source_error.get() {
            return view! {
                <div class="notice error" role="alert" data-testid="error">
                    <p>{message}</p>
                    <button class="link" on:click=move |_| state.source_error.set(None)>"Dismiss"</button>
                </div>
            }
            .into_any();
        }
        match page_error.get() {
            Some(error) => {
                let (title, body) = messages::explain(&error);
                view! {
                    <div class="notice error" role="alert" data-testid="error" data-kind=error.kind().as_str()>
                        <p><strong>{title}</strong>" "{body}</p>
                        {move || countdown.get().map(|s| view! { <p data-testid="retry-countdown">{format!("Retrying in {s} s…")}</p> })}
                        <button data-testid="retry" class="primary" on:click=retry>"Retry"</button>
                    </div>
                }
                .into_any()
            }
            None => ().into_any(),
        }
    }
}

/// After a 429 that said how long to wait, counts down and loads again.
/// A countdown stops when its error is no longer the one shown (a new
/// view, source or answer), so two never run at once.
fn retry_after_waiting(
    state: AppState,
    page_error: Signal<Option<NeoUsageError>>,
    countdown: RwSignal<Option<u64>>,
) {
    let runs = Generations::new();
    Effect::new(move |_| {
        let run = runs.begin();
        let wait = page_error.get().and_then(|e| match e {
            NeoUsageError::RateLimited { retry_after, .. } => retry_after,
            _ => None,
        });
        let Some(wait) = wait else {
            countdown.set(None);
            return;
        };
        let reload_at = state.reload.get_untracked();
        spawn_local(async move {
            let mut left = wait.as_secs().max(1);
            while left > 0 {
                countdown.set(Some(left));
                browser::sleep_ms(1000).await;
                if state.reload.get_untracked() != reload_at || !run.is_current() {
                    return;
                }
                left -= 1;
            }
            countdown.set(None);
            state.reload.update(|n| *n += 1);
        });
    });
}
