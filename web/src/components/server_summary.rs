//! [`ServerSummary`]: past the load-all cap, the range's totals and daily
//! credits come from `GET /usage/summary` (aggregated by the server) and are
//! labelled as such, while the table keeps paging through every row. That
//! is how the viewer scales to accounts of any size.

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::{GroupBy, NeoUsageError, SummaryQuery, TaskStatus, UsageSummary};

use crate::analytics::LoadAll;
use crate::app::AppState;
use crate::format;
use crate::generations::Generations;
use crate::messages;
use crate::source::DataSource;

/// What the server's summary says for the range, once asked.
type Answer = Option<Result<UsageSummary, NeoUsageError>>;

/// Asks the live API for the range's summary whenever the range holds more
/// rows than load-all takes.
fn keep_summary_current(state: AppState, answer: RwSignal<Answer>) {
    let runs = Generations::new();
    Effect::new(move |_| {
        let too_many = matches!(state.load_all.get(), Some(LoadAll::TooMany { .. }));
        let query = state.effective_query.get();
        answer.set(None);
        let run = runs.begin();
        let Some(source) = state.source.get().filter(|_| too_many) else {
            return;
        };
        let range = SummaryQuery {
            from: query.from,
            to: query.to,
            group_by: Some(GroupBy::Day),
        };
        spawn_local(async move {
            let DataSource::Live(live) = &*source else {
                return;
            };
            let result = live.client.get_usage_summary(&range).await;
            if run.is_current() {
                answer.set(Some(result));
            }
        });
    });
}

/// One server-side figure, with its unformatted value in `data-value`.
#[component]
fn Figure(id: &'static str, label: &'static str, value: f64, shown: String) -> impl IntoView {
    view! {
        <div class="tile" data-testid=id data-value=format::shortest(value)>
            <span class="tile-label">{label}</span>
            <span class="tile-value">{shown}</span>
        </div>
    }
}

/// The summary's headline figures and its credits per day.
fn figures(summary: &UsageSummary) -> impl IntoView {
    let tasks = summary.total_tasks;
    let errors: u64 = [TaskStatus::Error, TaskStatus::Failed]
        .iter()
        .filter_map(|s| summary.by_status.get(s))
        .sum();
    let error_rate = if tasks == 0 {
        0.0
    } else {
        errors as f64 / tasks as f64
    };
    let credits = summary.total_neo_credits;
    let usd = format::usd_of_credits(credits);
    let days: Vec<(String, f64, u64)> = summary
        .by_period
        .iter()
        .map(|p| {
            let day = p.date.clone().unwrap_or_default();
            (day, p.neo_credits.unwrap_or(0.0), p.tasks.unwrap_or(0))
        })
        .collect();
    view! {
        <div class="kpis">
            <Figure id="summary-tasks" label="Tasks" value=tasks as f64 shown=format::count(tasks)/>
            <Figure id="summary-credits" label="Credits" value=credits shown=format::credits(Some(credits))/>
            <Figure id="summary-usd" label="USD equivalent" value=usd shown=format::usd(Some(usd))/>
            <Figure id="summary-error-rate" label="Error rate" value=error_rate shown=format!("{}%", format::decimal(error_rate * 100.0, 1))/>
        </div>
        <details class="summary-days">
            <summary>"Credits per day (server-side)"</summary>
            <table data-testid="summary-by-period">
                <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Credits"</th><th scope="col" class="num">"Tasks"</th></tr></thead>
                <tbody>
                    {days.into_iter().map(|(day, credits, tasks)| view! {
                        <tr><td>{day}</td><td class="num">{format::credits(Some(credits))}</td><td class="num">{format::count(tasks)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// Server-side figures for a range too large to load, labelled as such.
#[component]
pub fn ServerSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let answer = RwSignal::new(None);
    keep_summary_current(state, answer);
    move || {
        answer.with(|a| {
            a.as_ref().map(|result| match result {
                Ok(summary) => view! {
                    <section class="server-summary" data-testid="server-summary" aria-label="Server-side totals">
                        <p class="hint" data-testid="summary-source">
                            "Server-side totals from GET /usage/summary for this date range. The server aggregates these, so filters other than the range (model, status, member, search) do not apply to them."
                        </p>
                        {figures(summary)}
                    </section>
                }
                .into_any(),
                Err(error) => view! {
                    <p class="notice error" data-testid="summary-error">
                        {format!("The server-side totals could not be loaded: {}", messages::explain(error).0)}
                    </p>
                }
                .into_any(),
            })
        })
    }
}
