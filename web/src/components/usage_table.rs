//! [`UsageTable`]: the page of task rows, with a column chooser, sorting
//! on held rows, skeleton rows while loading and an empty state. Rows are
//! reachable by keyboard: Tab to a row, arrows to move, Enter to open.

use leptos::prelude::*;
use neo_usage::money::{from_units, to_units, USD_PER_CREDIT};
use neo_usage::TaskUsage;

use crate::app::{AppState, PageState};
use crate::browser;
use crate::components::filter_bar::clear_all_filters;
use crate::components::status_badge::StatusBadge;
use crate::format;
use crate::url_state::{SortColumn, SortSpec};

/// A table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// `created_at` in the chosen zone.
    Time,
    /// `task_title`.
    Title,
    /// `status`.
    Status,
    /// `model`.
    Model,
    /// `email` (admins only).
    Member,
    /// `neo_credits`.
    Credits,
    /// Credits × 10.
    Usd,
    /// Total cost in USD: credits × 10, plus the BYOK costs of BYOK rows.
    Cost,
    /// BYOK `llm_cost`.
    LlmCost,
    /// BYOK `neo_cost`.
    NeoCost,
    /// `step_count`.
    Steps,
    /// `tool_calls`.
    ToolCalls,
    /// `total_execution_ms`.
    Duration,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 13] = [
        Column::Time,
        Column::Title,
        Column::Status,
        Column::Model,
        Column::Member,
        Column::Credits,
        Column::Usd,
        Column::Cost,
        Column::LlmCost,
        Column::NeoCost,
        Column::Steps,
        Column::ToolCalls,
        Column::Duration,
    ];

    fn id(self) -> &'static str {
        match self {
            Column::Time => "time",
            Column::Title => "title",
            Column::Status => "status",
            Column::Model => "model",
            Column::Member => "member",
            Column::Credits => "credits",
            Column::Usd => "usd",
            Column::Cost => "cost",
            Column::LlmCost => "llm_cost",
            Column::NeoCost => "neo_cost",
            Column::Steps => "steps",
            Column::ToolCalls => "tool_calls",
            Column::Duration => "duration",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Column::Time => "Time",
            Column::Title => "Title",
            Column::Status => "Status",
            Column::Model => "Model",
            Column::Member => "Member",
            Column::Credits => "Credits",
            Column::Usd => "USD eq.",
            Column::Cost => "Total USD",
            Column::LlmCost => "BYOK LLM",
            Column::NeoCost => "BYOK platform",
            Column::Steps => "Steps",
            Column::ToolCalls => "Tool calls",
            Column::Duration => "Duration",
        }
    }

    fn numeric(self) -> bool {
        !matches!(
            self,
            Column::Time | Column::Title | Column::Status | Column::Model | Column::Member
        )
    }

    fn sort_column(self) -> Option<SortColumn> {
        Some(match self {
            Column::Time => SortColumn::Time,
            Column::Credits | Column::Usd => SortColumn::Credits,
            Column::Cost => SortColumn::Cost,
            Column::LlmCost => SortColumn::LlmCost,
            Column::NeoCost => SortColumn::NeoCost,
            Column::Steps => SortColumn::Steps,
            Column::ToolCalls => SortColumn::ToolCalls,
            Column::Duration => SortColumn::Duration,
            _ => return None,
        })
    }
}

/// Characters of free text (title, model, member) a cell shows.
const CELL_CHARS: usize = 80;

/// One cell: the text shown and the exact value for its tooltip.
fn cell(column: Column, row: &TaskUsage, offset: i32) -> (String, String) {
    let usd = row.neo_credits.map(|c| c * format::USD_PER_CREDIT);
    let plain = |text: String| (text.clone(), text);
    // Free text is cut in the cell (a 100k-character value must not
    // stretch the table); the tooltip keeps the whole value.
    let clipped = |text: String| (format::clip(&text, CELL_CHARS), text);
    match column {
        Column::Time => (
            format::wall_time(row.created_at, offset),
            format::wall_time_long(row.created_at, offset),
        ),
        Column::Title => clipped(row.task_title.clone().unwrap_or_default()),
        Column::Status => plain(row.status.as_str().to_owned()),
        Column::Model => clipped(row.model.clone()),
        Column::Member => clipped(row.email.clone().unwrap_or_default()),
        Column::Credits => (
            format::credits(row.neo_credits),
            format::exact(row.neo_credits),
        ),
        Column::Usd => (format::usd(usd), format::exact(usd)),
        Column::Cost => {
            let cost = Some(from_units(row_cost_units(row)));
            (format::usd(cost), format::exact(cost))
        }
        Column::LlmCost => (format::usd(row.llm_cost), format::exact(row.llm_cost)),
        Column::NeoCost => (format::usd(row.neo_cost), format::exact(row.neo_cost)),
        Column::Steps => plain(format::count(row.step_count)),
        Column::ToolCalls => plain(format::count(row.tool_calls)),
        Column::Duration => (
            format::duration_ms(row.total_execution_ms),
            row.total_execution_ms
                .map_or_else(|| "not reported".into(), |ms| format!("{ms} ms")),
        ),
    }
}

/// A row's total cost in USD units (1e-4), summed exactly: credits × 10,
/// plus the BYOK LLM and platform costs of a BYOK row (what the cost sort
/// and the p99 flag use).
fn row_cost_units(row: &TaskUsage) -> i64 {
    let units = |v: Option<f64>| v.map_or(0, to_units);
    let total = units(row.neo_credits).saturating_mul(USD_PER_CREDIT);
    if row.is_byok == Some(true) {
        total
            .saturating_add(units(row.llm_cost))
            .saturating_add(units(row.neo_cost))
    } else {
        total
    }
}

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
            <div class="table-scroll" tabindex="-1">
                <table class="usage-table">
                    <caption class="visually-hidden">"Task usage, times in " {zone_label}</caption>
                    <thead>
                        <tr>
                            <For
                                each=move || columns.get()
                                key=|c| *c
                                children=move |c| view! { <HeaderCell column=c can_sort=Signal::derive(can_sort) zone_label=Signal::derive(zone_label)/> }
                            />
                        </tr>
                    </thead>
                    <TableBody columns=columns/>
                </table>
            </div>
        </section>
    }
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

#[component]
fn TableBody(columns: Memo<Vec<Column>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || match state.page.get() {
        PageState::Loaded { page, .. } if page.data.is_empty() => {
            view! { <EmptyRows columns=columns/> }.into_any()
        }
        PageState::Loaded { page, .. } => {
            let rows = page.data;
            view! {
                <tbody data-testid="rows">
                    {rows.into_iter().map(|row| view! { <Row row=row columns=columns/> }).collect_view()}
                </tbody>
            }
            .into_any()
        }
        PageState::Loading => view! { <SkeletonRows columns=columns/> }.into_any(),
        PageState::Idle if state.source_progress.with(|p| p.is_some()) => {
            view! { <SkeletonRows columns=columns/> }.into_any()
        }
        PageState::Idle | PageState::Failed(_) => view! { <tbody></tbody> }.into_any(),
    }
}

#[component]
fn Row(row: TaskUsage, columns: Memo<Vec<Column>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = row.task_id.clone();
    let open_id = id.clone();
    let open = move || {
        let id = open_id.clone();
        state.update(|v| v.task = Some(id));
    };
    let open_click = open.clone();
    let selected_id = id.clone();
    let offset = state.offset_at(row.created_at.timestamp_millis());
    let cost_units = row_cost_units(&row);
    let above_p99 = move || {
        state.dashboard.with(|d| {
            d.as_ref()
                .and_then(|d| d.anomalies.p99_task_units)
                .is_some_and(|p99| cost_units > p99)
        })
    };
    let row = std::sync::Arc::new(row);
    view! {
        <tr
            data-testid="row"
            data-task-id=id.clone()
            tabindex="0"
            class:selected=move || state.view.with(|v| v.task.as_deref() == Some(selected_id.as_str()))
            class:costly=above_p99
            data-above-p99=move || above_p99().to_string()
            on:click=move |_| open_click()
            on:keydown=move |ev| row_key(&ev, &open)
        >
            {move || {
                let row = row.clone();
                columns
                    .get()
                    .into_iter()
                    .map(|c| {
                        let (text, exact) = cell(c, &row, offset);
                        if c == Column::Status {
                            view! { <td><StatusBadge status=row.status.as_str().to_owned()/></td> }.into_any()
                        } else {
                            view! { <td class:num=c.numeric() title=exact>{text}</td> }.into_any()
                        }
                    })
                    .collect_view()
            }}
        </tr>
    }
}

/// Enter opens the row; the arrows move to the next or previous row.
fn row_key(ev: &leptos::ev::KeyboardEvent, open: &impl Fn()) {
    use wasm_bindgen::JsCast;
    let target: Option<web_sys::HtmlElement> = ev.target().and_then(|t| t.dyn_into().ok());
    let Some(row) = target else { return };
    let sibling = match ev.key().as_str() {
        "Enter" | " " => {
            ev.prevent_default();
            open();
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
