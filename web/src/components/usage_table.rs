//! [`UsageTable`]: the page of task rows, with a column chooser, sorting
//! on held rows, skeleton rows while loading and an empty state. Rows are
//! reachable by keyboard: Tab to a row, arrows to move, Enter to open.

use leptos::prelude::*;

use crate::app::{AppState, PageState};
use crate::browser;
use crate::components::filter_bar::clear_all_filters;
use crate::format;
use crate::table_rows::{rows_html, Column, RowsLook};
use crate::url_state::{SortColumn, SortSpec};

fn stored_hidden_columns() -> Vec<Column> {
    let text = browser::stored(browser::COLUMNS_KEY).unwrap_or_default();
    Column::ALL
        .into_iter()
        .filter(|c| text.split(',').any(|id| id == c.id()))
        .collect()
}

/// The usage table.
#[component]
pub fn UsageTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let hidden = RwSignal::new(stored_hidden_columns());
    Effect::new(move |_| {
        let ids: Vec<&str> = hidden.get().iter().map(|c| c.id()).collect();
        browser::store(browser::COLUMNS_KEY, &ids.join(","));
    });
    let columns = Memo::new(move |_| {
        let admin = state.is_admin();
        let hidden = hidden.get();
        Column::ALL
            .into_iter()
            .filter(|c| !hidden.contains(c) && (admin || *c != Column::Member))
            .collect::<Vec<_>>()
    });
    let can_sort = move || state.holds_view_rows();
    let zone_label = move || {
        let name = state.zone_label();
        let offset = format::offset_label(state.offset_at(browser::now_ms()));
        if offset == name {
            name
        } else {
            format!("{name}, {offset}")
        }
    };

    let scroll = NodeRef::<leptos::html::Div>::new();
    let deferred = defer_while_typing_off_screen(scroll);

    view! {
        <section class="table-section" aria-label="Task usage">
            <div class="table-tools">
                <p class="hint" data-testid="sort-note">
                    {move || if can_sort() {
                        "Click a column header to sort the rows held in this browser.".to_owned()
                    } else {
                        "Rows in the API's order (newest first): the tasks endpoint has no sort, so sorting is offered once every row of the range is held in this browser (load all).".to_owned()
                    }}
                </p>
                <ColumnChooser hidden=hidden/>
            </div>
            <div class="table-scroll" class:deferred=deferred tabindex="-1" node_ref=scroll>
                <table class="usage-table">
                    <caption class="visually-hidden">"Task usage, times in " {zone_label}</caption>
                    <thead>
                        <tr>
                            // Not a keyed `<For>`: each use of it compiles its own copy
                            // of the keyed diff (some 6 kB of wasm), for a list of at most
                            // a dozen cells that changes when a column is toggled.
                            {move || columns.get().into_iter().map(|c| view! {
                                <HeaderCell column=c can_sort=Signal::derive(can_sort) zone_label=Signal::derive(zone_label)/>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <TableBody columns=columns/>
                </table>
            </div>
        </section>
    }
}

/// Whether the table's rendering waits: while a search is typed over held
/// rows and the table is not within a quarter screen of the viewport. Its
/// rows are still written into the DOM on every key, but the browser skips
/// their style and layout (class `deferred`: `content-visibility: hidden`)
/// until typing pauses or the table scrolls near. A new page of 50 rows
/// costs this machine's Chromium 20-30 ms of style and layout, more than a
/// frame; `content-visibility: auto` alone does not skip it: Chromium 156
/// lays out a table 1,048 px below the fold of a 720 px view.
fn defer_while_typing_off_screen(scroll: NodeRef<leptos::html::Div>) -> Signal<bool> {
    let state = expect_context::<AppState>();
    let near = RwSignal::new(true);
    let watcher = StoredValue::new_local(None::<browser::NearViewport>);
    Effect::new(move |_| {
        if let Some(element) = scroll.get() {
            let seen = browser::NearViewport::observe(&element, "25% 0px", move |n| near.set(n));
            watcher.set_value(seen);
        }
    });
    on_cleanup(move || watcher.set_value(None));
    Signal::derive(move || state.search_typing.get() && !near.get())
}

#[component]
fn HeaderCell(column: Column, can_sort: Signal<bool>, zone_label: Signal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sort_column = column.sort_column();
    let current = move || state.view.with(|v| v.sort);
    let aria_sort = move || match (current(), sort_column) {
        (Some(s), Some(c)) if s.column == c => {
            if s.descending {
                "descending"
            } else {
                "ascending"
            }
        }
        (None, Some(SortColumn::Time)) => "descending",
        _ => "none",
    };
    let click = move |_| {
        let Some(c) = sort_column else { return };
        state.update(|v| {
            v.sort = match v.sort {
                Some(s) if s.column == c && s.descending => Some(SortSpec {
                    column: c,
                    descending: false,
                }),
                Some(s) if s.column == c => None,
                _ => Some(SortSpec {
                    column: c,
                    descending: true,
                }),
            };
            v.query.offset = None;
        });
    };
    let label = move || {
        if column == Column::Time {
            format!("Time ({})", zone_label.get())
        } else {
            column.label().to_owned()
        }
    };
    view! {
        <th scope="col" class:num=column.numeric() aria-sort=aria_sort>
            {move || if sort_column.is_some() && can_sort.get() {
                view! {
                    <button class="sort" data-testid=format!("sort-{}", column.id()) on:click=click>
                        {label}
                        <span aria-hidden="true">{move || match aria_sort() { "descending" => " ▼", "ascending" => " ▲", _ => "" }}</span>
                    </button>
                }.into_any()
            } else {
                view! { <span>{label}</span> }.into_any()
            }}
        </th>
    }
}

/// What the table's body shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Rows,
    Empty,
    Skeleton,
    Blank,
}

#[component]
fn TableBody(columns: Memo<Vec<Column>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // The kind alone decides which body is mounted: a new page of rows is
    // written into the body already there.
    let kind = Memo::new(move |_| {
        state.page.with(|page| match page {
            PageState::Loaded { page, .. } if page.data.is_empty() => BodyKind::Empty,
            PageState::Loaded { .. } if state.below_first_chart_waits() => BodyKind::Skeleton,
            PageState::Loaded { .. } => BodyKind::Rows,
            PageState::Loading => BodyKind::Skeleton,
            PageState::Idle if state.source_progress.with(|p| p.is_some()) => BodyKind::Skeleton,
            PageState::Idle | PageState::Failed(_) => BodyKind::Blank,
        })
    });
    move || match kind.get() {
        BodyKind::Rows => view! { <LoadedRows columns=columns/> }.into_any(),
        BodyKind::Empty => view! { <EmptyRows columns=columns/> }.into_any(),
        BodyKind::Skeleton => view! { <SkeletonRows columns=columns/> }.into_any(),
        BodyKind::Blank => view! { <tbody></tbody> }.into_any(),
    }
}

/// The page's rows, written at once as HTML ([`rows_html`]) into a body
/// that stays mounted while pages of rows follow one another, with one
/// click and one key listener for all of them. The open task's row is
/// marked in place, so opening a row keeps the focus on it.
#[component]
fn LoadedRows(columns: Memo<Vec<Column>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = NodeRef::<leptos::html::Tbody>::new();
    // The rows are written again only when the page, the p99 mark, the
    // zone or the columns change, not whenever the dashboard is recomputed
    // (a chart's metric, a finished load-all), which would also drop the
    // open row's mark and the focus.
    let p99_units = Memo::new(move |_| {
        state
            .dashboard
            .with(|d| d.as_ref().and_then(|d| d.anomalies.p99_task_units))
    });
    let open_task = Memo::new(move |_| state.view.with(|v| v.task.clone()));
    let html = Memo::new(move |_| {
        let offset_at = |ms| state.offset_at(ms);
        let p99_units = p99_units.get();
        state.page.with(|page| match page {
            PageState::Loaded { page, .. } => columns.with(|columns| {
                let look = RowsLook {
                    columns,
                    offset_at,
                    p99_units,
                };
                rows_html(&page.data, &look)
            }),
            _ => String::new(),
        })
    });
    // Opening a task marks its row and leaves the rows (and the focus) be:
    // the rows are written only when their HTML differs from the last one.
    Effect::new(move |written: Option<Option<String>>| {
        let html = html.get();
        let body = body.get()?;
        if !html.is_empty() && written.flatten().as_ref() != Some(&html) {
            body.set_inner_html(&html);
        }
        open_task.with(|open| mark_open_row(&body, open.as_deref()));
        Some(html)
    });
    let open = move |row: web_sys::Element| {
        if let Some(id) = row.get_attribute("data-task-id") {
            state.update(|v| v.task = Some(id));
        }
    };
    view! {
        <tbody
            data-testid="rows"
            node_ref=body
            on:click=move |ev| {
                if let Some(row) = row_of(ev.target()) {
                    open(row);
                }
            }
            on:keydown=move |ev| row_key(&ev, open)
        ></tbody>
    }
}

/// The row an event happened in.
fn row_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let element: web_sys::Element = target?.dyn_into().ok()?;
    element.closest("tr[data-task-id]").ok().flatten()
}

/// Marks the row of the task open in the detail panel (class `selected`).
fn mark_open_row(body: &web_sys::HtmlElement, open: Option<&str>) {
    let rows = body.children();
    for i in 0..rows.length() {
        if let Some(row) = rows.item(i) {
            let is_open = open.is_some() && row.get_attribute("data-task-id").as_deref() == open;
            let _ = row.class_list().toggle_with_force("selected", is_open);
        }
    }
}

/// Enter opens the focused row; the arrows move to the next or previous row.
fn row_key(ev: &leptos::ev::KeyboardEvent, open: impl Fn(web_sys::Element)) {
    use wasm_bindgen::JsCast;
    let Some(row) = row_of(ev.target()) else {
        return;
    };
    let sibling = match ev.key().as_str() {
        "Enter" | " " => {
            ev.prevent_default();
            open(row);
            return;
        }
        "ArrowDown" => row.next_element_sibling(),
        "ArrowUp" => row.previous_element_sibling(),
        _ => return,
    };
    if let Some(next) = sibling.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = next.focus();
    }
}

#[component]
fn SkeletonRows(columns: Memo<Vec<Column>>) -> impl IntoView {
    let count = columns.get_untracked().len().max(1);
    view! {
        <tbody class="skeleton" data-testid="loading" aria-busy="true">
            {(0..8)
                .map(|_| view! { <tr>{(0..count).map(|_| view! { <td><span class="bone"></span></td> }).collect_view()}</tr> })
                .collect_view()}
        </tbody>
    }
}

#[component]
fn EmptyRows(columns: Memo<Vec<Column>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let span = columns.get_untracked().len().max(1).to_string();
    view! {
        <tbody>
            <tr>
                <td colspan=span class="empty" data-testid="empty">
                    <p>"No tasks match these filters in this date range."</p>
                    <button class="primary" data-testid="empty-clear" on:click=move |_| {
                        clear_all_filters(state);
                    }>"Clear filters"</button>
                </td>
            </tr>
        </tbody>
    }
}

/// Checkboxes for the columns to show; the choice is kept on this device.
#[component]
fn ColumnChooser(hidden: RwSignal<Vec<Column>>) -> impl IntoView {
    view! {
        <details class="column-chooser">
            <summary data-testid="columns">"Columns"</summary>
            <fieldset>
                <legend class="visually-hidden">"Columns to show"</legend>
                {Column::ALL
                    .into_iter()
                    .map(|c| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    data-testid=format!("column-{}", c.id())
                                    prop:checked=move || !hidden.get().contains(&c)
                                    on:change=move |ev| {
                                        let show = event_target_checked(&ev);
                                        hidden.update(|h| {
                                            h.retain(|x| *x != c);
                                            if !show {
                                                h.push(c);
                                            }
                                        });
                                    }
                                />
                                {c.label()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </details>
    }
}
