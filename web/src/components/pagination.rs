//! [`Pagination`]: "1–50 of 1,234", first / previous / next / last, a
//! page-size menu and a jump to any page. The page lives in the URL as
//! `offset`, the page size as `limit`.

use leptos::prelude::*;

use crate::app::{AppState, PageState};
use crate::format;
use crate::url_state::PAGE_SIZES;

/// The pagination bar under the table.
#[component]
pub fn Pagination() -> impl IntoView {
    let state = expect_context::<AppState>();
    let loaded = Memo::new(move |_| match state.page.get() {
        PageState::Loaded { offset, page } => Some((offset, page.data.len(), page.total)),
        _ => None,
    });
    let size = move || u64::from(state.view.with(|v| v.page_size()));
    let offset = move || state.view.with(|v| v.offset());
    let total = move || state.known_total().unwrap_or(0);
    let pages = move || total().div_ceil(size()).max(1);
    let page_number = move || offset() / size() + 1;
    let go = move |page: u64| {
        let page = page.clamp(1, pages());
        state.update(|v| v.query.offset = Some((page - 1) * u64::from(v.page_size())));
    };
    let status = move || {
        loaded
            .get()
            .map(|(first, shown, total)| format::page_status(first, shown, total))
            .unwrap_or_else(|| "…".to_owned())
    };
    let at_start = move || page_number() <= 1;
    let at_end = move || page_number() >= pages();
    view! {
        <nav class="pagination" aria-label="Pages">
            <span
                data-testid="pagination-status"
                aria-live="polite"
                data-query=move || state.effective_query.get().to_query_string().unwrap_or_default()
            >
                {status}
            </span>
            <div class="pager">
                <button data-testid="page-first" aria-label="First page" disabled=at_start on:click=move |_| go(1)>"«"</button>
                <button data-testid="page-prev" aria-label="Previous page" disabled=at_start on:click=move |_| go(page_number() - 1)>"‹"</button>
                <label class="jump">
                    "Page "
                    <input
                        data-testid="page-jump"
                        type="number"
                        min="1"
                        max=move || pages().to_string()
                        prop:value=move || page_number().to_string()
                        on:change=move |ev| {
                            if let Ok(page) = event_target_value(&ev).trim().parse::<u64>() {
                                go(page);
                            }
                        }
                    />
                    {move || format!(" of {}", format::count(pages()))}
                </label>
                <button data-testid="page-next" aria-label="Next page" disabled=at_end on:click=move |_| go(page_number() + 1)>"›"</button>
                <button data-testid="page-last" aria-label="Last page" disabled=at_end on:click=move |_| go(pages())>"»"</button>
            </div>
            <label>
                "Rows per page "
                <select
                    data-testid="page-size"
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            state.update(|v| {
                                v.query.limit = Some(n);
                                v.query.offset = None;
                            });
                        }
                    }
                >
                    {PAGE_SIZES
                        .into_iter()
                        .map(|n| view! { <option value=n.to_string() prop:selected=move || size() == u64::from(n)>{n}</option> })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}
