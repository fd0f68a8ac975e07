//! [`FilterBar`]: every documented filter (date range with presets,
//! status, model, member email for admins, BYOK, task id, debounced
//! search) and chips for the active ones. Each change is a new URL and
//! returns to the first page.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use leptos::prelude::*;
use neo_usage::query::{format_instant, parse_instant};
use neo_usage::TaskStatus;

use crate::app::AppState;
use crate::range::{local_date, local_midnight, RangePreset};
use crate::source;
use crate::url_state::{RangeChoice, SourceKind};

/// Milliseconds the search waits after the last keystroke.
const SEARCH_DEBOUNCE_MS: u64 = 300;

/// The filter bar.
#[component]
pub fn FilterBar() -> impl IntoView {
    let expanded = RwSignal::new(false);
    let state = expect_context::<AppState>();
    let active = move || state.view.with(|v| active_filters(&v.query).len());
    view! {
        <section class="filter-bar" class:open=move || expanded.get() aria-label="Filters">
            <button
                class="filters-toggle"
                aria-expanded=move || expanded.get().to_string()
                on:click=move |_| expanded.update(|e| *e = !*e)
            >
                {move || format!("Filters ({})", active())}
            </button>
            <div class="filters">
                <RangeFilter/>
                <StatusFilter/>
                <ModelFilter/>
                <EmailFilter/>
                <ByokFilter/>
                <TaskIdFilter/>
                <SearchFilter/>
            </div>
            <FilterChips/>
        </section>
    }
}

/// The active filters as (parameter, label) pairs, for chips and counts.
fn active_filters(query: &neo_usage::TaskUsageQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(s) = &query.status {
        out.push(("status", format!("status: {}", s.as_str())));
    }
    if let Some(m) = &query.model {
        out.push(("model", format!("model: {m}")));
    }
    if let Some(e) = &query.email {
        out.push(("email", format!("member: {e}")));
    }
    if let Some(b) = query.is_byok {
        out.push(("is_byok", format!("BYOK: {}", if b { "yes" } else { "no" })));
    }
    if let Some(t) = &query.task_id {
        out.push(("task_id", format!("task: {t}")));
    }
    if let Some(s) = &query.search {
        out.push(("search", format!("search: {s}")));
    }
    out
}

fn clear_filter(query: &mut neo_usage::TaskUsageQuery, parameter: &str) {
    match parameter {
        "status" => query.status = None,
        "model" => query.model = None,
        "email" => query.email = None,
        "is_byok" => query.is_byok = None,
        "task_id" => query.task_id = None,
        "search" => query.search = None,
        _ => {}
    }
}

/// Removes every filter but the date range.
pub fn clear_all_filters(state: AppState) {
    state.update_filters(|q| {
        for (parameter, _) in active_filters(&q.clone()) {
            clear_filter(q, parameter);
        }
    });
}

#[component]
fn FilterChips() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chips = move || state.view.with(|v| active_filters(&v.query));
    view! {
        <ul class="chips" aria-label="Active filters">
            // Unkeyed, as the table's header cells (usage_table.rs): a few
            // chips, rebuilt when a filter changes.
            {move || chips().into_iter().map(|(parameter, label)| view! {
                <li>
                    <button
                        class="chip"
                        data-testid="filter-chip"
                        aria-label=format!("Remove filter {label}")
                        on:click=move |_| state.update_filters(|q| clear_filter(q, parameter))
                    >
                        {label.clone()}
                        <span aria-hidden="true">" ×"</span>
                    </button>
                </li>
            }).collect_view()}
            <Show when=move || !chips().is_empty()>
                <li>
                    <button class="link" data-testid="filter-clear" on:click=move |_| clear_all_filters(state)>
                        "Clear filters"
                    </button>
                </li>
            </Show>
        </ul>
    }
}

/// The dates shown in the from/to inputs: the range's first day and last
/// day (inclusive) in the zone.
fn shown_dates(state: AppState) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let query = state.effective_query.get();
    let offset = |ms: i64| state.offset_at(ms);
    let from = query
        .from
        .as_deref()
        .and_then(parse_instant)
        .map(|at| local_date(at, &offset));
    let to = query
        .to
        .as_deref()
        .and_then(parse_instant)
        .map(|at| local_date(at - Duration::milliseconds(1), &offset));
    (from, to)
}

#[component]
fn RangeFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let preset_value = move || {
        state.view.with(|v| match v.range {
            RangeChoice::Preset(p) => p.as_str().to_owned(),
            RangeChoice::Custom => "custom".to_owned(),
        })
    };
    let on_preset = move |ev| {
        let value = event_target_value(&ev);
        match RangePreset::parse(&value) {
            Some(preset) => state.update(|v| {
                v.range = RangeChoice::Preset(preset);
                v.query.from = None;
                v.query.to = None;
                v.query.offset = None;
            }),
            None => set_custom(state, shown_dates(state)),
        }
    };
    let set_bound = move |which_from: bool, text: String| {
        let date = neo_usage::calendar::parse_date(&text);
        let (mut from, mut to) = shown_dates(state);
        if which_from {
            from = date;
        } else {
            to = date;
        }
        set_custom(state, (from, to));
    };
    let date_text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <label>
            "Range"
            <select data-testid="filter-preset" on:change=on_preset>
                {RangePreset::ALL
                    .into_iter()
                    .map(|p| view! { <option value=p.as_str() prop:selected=move || preset_value() == p.as_str()>{p.label()}</option> })
                    .collect_view()}
                <option value="custom" prop:selected=move || preset_value() == "custom">"Custom"</option>
            </select>
        </label>
        <label>
            "From"
            <input
                data-testid="filter-from"
                type="date"
                prop:value=move || date_text(shown_dates(state).0)
                on:change=move |ev| set_bound(true, event_target_value(&ev))
            />
        </label>
        <label>
            "To"
            <input
                data-testid="filter-to"
                type="date"
                prop:value=move || date_text(shown_dates(state).1)
                on:change=move |ev| set_bound(false, event_target_value(&ev))
            />
        </label>
    }
}

/// A custom range from local dates: from the first day's midnight to the
/// midnight after the last day, in the zone. A range whose end comes
/// before its start is swapped rather than refused.
fn set_custom(state: AppState, (from, to): (Option<NaiveDate>, Option<NaiveDate>)) {
    let (from, to) = match (from, to) {
        (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
        other => other,
    };
    let offset = |ms: i64| state.offset_at(ms);
    let instant = |d: NaiveDate| -> DateTime<Utc> { local_midnight(d, &offset) };
    state.update(|v| {
        v.range = RangeChoice::Custom;
        v.query.from = from.map(|d| format_instant(instant(d)));
        v.query.to = to.map(|d| format_instant(instant(d + Duration::days(1))));
        v.query.offset = None;
    });
}

#[component]
fn StatusFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || {
        state.view.with(|v| {
            v.query
                .status
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default()
        })
    };
    view! {
        <label>
            "Status"
            <select
                data-testid="filter-status"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    state.update_filters(|q| q.status = (!value.is_empty()).then(|| TaskStatus::parse(&value)));
                }
            >
                <option value="" prop:selected=move || current().is_empty()>"Any status"</option>
                {source::known_statuses()
                    .into_iter()
                    .map(|s| view! { <option value=s prop:selected=move || current() == s>{s}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Which text filter a [`ChoiceFilter`] sets.
#[derive(Clone, Copy)]
enum TextFilter {
    Model,
    Email,
}

impl TextFilter {
    fn get(self, query: &neo_usage::TaskUsageQuery) -> Option<&String> {
        match self {
            TextFilter::Model => query.model.as_ref(),
            TextFilter::Email => query.email.as_ref(),
        }
    }

    fn set(self, query: &mut neo_usage::TaskUsageQuery, value: Option<String>) {
        match self {
            TextFilter::Model => query.model = value,
            TextFilter::Email => query.email = value,
        }
    }
}

/// A menu of values seen in the data for one text filter; a value in the
/// URL that the data lacks is still offered, so it shows as chosen.
#[component]
fn ChoiceFilter(
    label: &'static str,
    id: &'static str,
    any: &'static str,
    filter: TextFilter,
    #[prop(into)] choices: Signal<Vec<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || {
        state
            .view
            .with(|v| filter.get(&v.query).cloned().unwrap_or_default())
    };
    let options = move || {
        let mut all = choices.get();
        let chosen = current();
        if !chosen.is_empty() && !all.contains(&chosen) {
            all.push(chosen);
        }
        all
    };
    view! {
        <label>
            {label}
            <select
                data-testid=id
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    state.update_filters(|q| filter.set(q, (!value.is_empty()).then_some(value)));
                }
            >
                <option value="" prop:selected=move || current().is_empty()>{any}</option>
                // Unkeyed, as the table's header cells (usage_table.rs): the
                // options change only with the data's facets.
                {move || options().into_iter().map(|choice| {
                    let (c, value) = (choice.clone(), choice.clone());
                    view! { <option value=value prop:selected=move || current() == c>{choice}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn ModelFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let models = Signal::derive(move || state.facets.with(|f| f.models.clone()));
    view! { <ChoiceFilter label="Model" id="filter-model" any="Any model" filter=TextFilter::Model choices=models/> }
}

#[component]
fn EmailFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let emails = Signal::derive(move || state.facets.with(|f| f.emails.clone()));
    view! {
        <Show when=move || state.is_admin()>
            <ChoiceFilter label="Member" id="filter-email" any="Any member" filter=TextFilter::Email choices=emails/>
        </Show>
    }
}

#[component]
fn ByokFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || state.view.with(|v| v.query.is_byok);
    view! {
        <label>
            "BYOK"
            <select
                data-testid="filter-byok"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    state.update_filters(|q| q.is_byok = match value.as_str() { "yes" => Some(true), "no" => Some(false), _ => None });
                }
            >
                <option value="" prop:selected=move || current().is_none()>"Any"</option>
                <option value="yes" prop:selected=move || current() == Some(true)>"BYOK only"</option>
                <option value="no" prop:selected=move || current() == Some(false)>"Credits only"</option>
            </select>
        </label>
    }
}

#[component]
fn TaskIdFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label>
            "Task id"
            <input
                data-testid="filter-task-id"
                type="text"
                placeholder="exact id"
                spellcheck="false"
                prop:value=move || state.view.with(|v| v.query.task_id.clone().unwrap_or_default())
                on:change=move |ev| {
                    let value = event_target_value(&ev).trim().to_owned();
                    state.update_filters(|q| q.task_id = (!value.is_empty()).then_some(value));
                }
            />
        </label>
    }
}

/// Search as you type. Over rows held in the browser (demo, import) each
/// keystroke filters at once: the first of a burst is a new history entry,
/// whose URL takes the burst's last search once typing pauses. In live
/// mode the URL and the request follow 300 ms after the last keystroke.
/// Back and forward update the field.
#[component]
fn SearchFilter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let in_view = Memo::new(move |_| {
        state
            .view
            .with(|v| v.query.search.clone().unwrap_or_default())
    });
    let draft = RwSignal::new(in_view.get_untracked());
    Effect::new(move |_| draft.set(in_view.get()));
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let apply = move |text: String, new_entry: bool| {
        let value = text.trim().to_owned();
        let next = state
            .view
            .get_untracked()
            .with_filters(|q| q.search = (!value.is_empty()).then_some(value));
        if new_entry {
            state.navigate(next);
        } else {
            state.show_view(next);
        }
    };
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        draft.set(text.clone());
        let burst = pending.get_value();
        if let Some(handle) = burst {
            handle.clear();
        }
        let held = matches!(
            state.source_kind(),
            Some(SourceKind::Demo | SourceKind::Import)
        );
        if held {
            state.search_typing.set(true);
            apply(text.clone(), burst.is_none());
        }
        let handle = set_timeout_with_handle(
            move || {
                pending.set_value(None);
                if held {
                    state.record_view();
                    state.search_typing.set(false);
                } else {
                    apply(text, true);
                }
            },
            std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS),
        )
        .ok();
        pending.set_value(handle);
    };
    view! {
        <label class="search">
            "Search"
            <input
                data-testid="filter-search"
                type="search"
                placeholder="task id or email"
                spellcheck="false"
                prop:value=move || draft.get()
                on:input=on_input
            />
        </label>
    }
}
