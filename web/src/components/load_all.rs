//! [`LoadAllBar`]: live mode's load of every row in range, with a progress
//! bar (rows, pages, rows per second), a cancel button that keeps what was
//! loaded, an offer above the automatic limit, and a message past the cap.

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::TaskUsageQuery;

use crate::analytics::{
    analytics_query, probe_and_load, while_store_key_holds, LoadAll, LOAD_ALL_CAP_ROWS,
};
use crate::app::AppState;
use crate::format;
use crate::messages;

/// The load-all bar (nothing unless live mode is loading or asking).
#[component]
pub fn LoadAllBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let load_now = move |_| {
        let Some(source) = state.source.get_untracked() else {
            return;
        };
        let query = analytics_query(&state.effective_query.get_untracked());
        let range = TaskUsageQuery {
            from: query.from,
            to: query.to,
            ..TaskUsageQuery::new()
        };
        spawn_local(probe_and_load(
            state,
            source,
            range,
            true,
            while_store_key_holds(state),
        ));
    };
    move || {
        let error = state.load_error.get().map(|e| {
            let (title, body) = messages::explain(&e);
            view! { <p class="notice error" data-testid="load-error">{format!("Totals and charts need every row in range: {title}. {body}")}</p> }
        });
        let bar = state.load_all.get().map(|l| match l {
            LoadAll::Running { rows, total, pages, rate } => view! {
                <div class="progress panel" role="status" data-testid="progress">
                    <span>{format!("Loading every row in range: {} / {} rows, {} pages, {} rows/s", format::count(rows), format::count(total), pages, format::decimal(rate, 0))}</span>
                    <progress max=total.max(1).to_string() value=rows.to_string()></progress>
                    <button data-testid="cancel" on:click=move |_| {
                        if let Some(cancel) = state.load_cancel.get_value() {
                            cancel.cancel();
                        }
                    }>"Cancel"</button>
                </div>
            }.into_any(),
            LoadAll::Offer { total } => view! {
                <div class="notice warn" data-testid="load-all-offer">
                    <p>{format!("This range holds {} rows. Totals and charts need all of them in the browser.", format::count(total))}</p>
                    <button class="primary" data-testid="load-all" on:click=load_now>"Load all rows"</button>
                </div>
            }.into_any(),
            LoadAll::TooMany { total } => view! {
                <p class="notice warn" data-testid="load-all-cap">
                    {format!("This range holds {} rows, more than the {} the viewer loads. The totals below come from the server; pick a narrower date range for charts and figures that follow every filter. The table still pages through every row.", format::count(total), format::count(LOAD_ALL_CAP_ROWS))}
                </p>
            }.into_any(),
        });
        view! { {error} {bar} }
    }
}
