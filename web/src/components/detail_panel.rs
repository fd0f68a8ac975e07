//! [`DetailPanel`]: every field of one task, its tool-call timeline, tool
//! and agent breakdowns, error message and streams. Opened by the `task`
//! URL parameter (so a link opens it directly); Esc or the close button
//! closes it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use neo_usage::{NeoUsageError, TaskUsage};

use crate::app::AppState;
use crate::browser;
use crate::components::status_badge::StatusBadge;
use crate::components::tool_timeline::ToolTimeline;
use crate::format;
use crate::generations::Generations;
use crate::messages;

/// The loaded task, or why not.
#[derive(Clone, PartialEq)]
enum Detail {
    Loading,
    Loaded(Box<TaskUsage>, Vec<TaskUsage>),
    Failed(NeoUsageError),
}

/// The detail panel (nothing when no task is open).
#[component]
pub fn DetailPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let task_id = Memo::new(move |_| state.view.with(|v| v.task.clone()));
    let detail = RwSignal::new(Detail::Loading);
    let runs = Generations::new();
    Effect::new(move |_| {
        let Some(id) = task_id.get() else { return };
        let Some(source) = state.source.get() else {
            return;
        };
        let run = runs.begin();
        detail.set(Detail::Loading);
        spawn_local(async move {
            let result = source.task(&id).await;
            if run.is_current() {
                detail.set(match result {
                    Ok((task, streams)) => Detail::Loaded(Box::new(task), streams),
                    Err(error) => Detail::Failed(error),
                });
            }
        });
    });
    let close = move || state.update(|v| v.task = None);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && task_id.get_untracked().is_some() {
            close();
        }
    });
    on_cleanup(move || handle.remove());

    move || {
        task_id.get().map(|id| {
            view! {
                <aside class="detail-panel" data-testid="task-detail" role="dialog" aria-modal="false" aria-labelledby="detail-title">
                    <header>
                        <h2 id="detail-title">"Task"</h2>
                        <button class="icon-button" data-testid="detail-close" aria-label="Close the task details (Esc)" on:click=move |_| close()>"×"</button>
                    </header>
                    <CopyId id=id.clone()/>
                    {move || match detail.get() {
                        Detail::Loading => view! { <p class="hint" aria-busy="true">"Loading the task…"</p> }.into_any(),
                        Detail::Failed(error) => {
                            let (title, body) = messages::explain(&error);
                            view! { <p class="notice error" role="alert"><strong>{title}</strong>" "{body}</p> }.into_any()
                        }
                        Detail::Loaded(task, streams) => view! { <TaskFields task=*task streams=streams/> }.into_any(),
                    }}
                </aside>
            }
        })
    }
}

#[component]
fn CopyId(id: String) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let text = id.clone();
    view! {
        <p class="task-id">
            <code data-testid="detail-task-id">{id}</code>
            <button
                data-testid="copy-task-id"
                on:click=move |_| {
                    let text = text.clone();
                    spawn_local(async move { copied.set(Some(browser::copy_text(&text).await)) });
                }
            >
                "Copy id"
            </button>
            <span role="status">{move || match copied.get() {
                Some(true) => "Copied",
                Some(false) => "The browser refused the clipboard: select the id and copy it",
                None => "",
            }}</span>
        </p>
    }
}

/// One definition-list entry.
fn field(name: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="field">
            <dt>{name}</dt>
            <dd>{value}</dd>
        </div>
    }
}

#[component]
fn TaskFields(task: TaskUsage, streams: Vec<TaskUsage>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let offset = state.offset_at(task.created_at.timestamp_millis());
    let usd = task.neo_credits.map(format::usd_of_credits);
    let money = |v: Option<f64>| format!("{} (exact {})", format::usd(v), format::exact(v));
    let opt_ms = |v: Option<u64>| {
        v.map_or_else(
            || "not reported".to_owned(),
            |ms| format!("{} ({ms} ms)", format::duration_ms(Some(ms))),
        )
    };
    let title = task
        .task_title
        .clone()
        .unwrap_or_else(|| "(untitled)".to_owned());
    view! {
        <h3 class="task-title" data-testid="detail-title">{title}</h3>
        <p><StatusBadge status=task.status.as_str().to_owned()/></p>
        {task.error_message.clone().map(|m| view! {
            <div class="notice error"><strong>"Error message"</strong><pre class="error-text" data-testid="detail-error">{m}</pre></div>
        })}
        <dl class="fields">
            {field("Created", format::wall_time_long(task.created_at, offset))}
            {field("Created (UTC)", format::wall_time_long(task.created_at, 0))}
            {field("Model", task.model.clone())}
            {field("Member", task.email.clone().unwrap_or_else(|| "not shown (admins only)".into()))}
            {field("BYOK", match task.is_byok { Some(true) => "yes".into(), Some(false) => "no".into(), None => "not reported".into() })}
            {field("Credits", format!("{} (exact {})", format::credits(task.neo_credits), format::exact(task.neo_credits)))}
            {field("USD equivalent", money(usd))}
            {field("BYOK LLM cost", money(task.llm_cost))}
            {field("BYOK platform cost", money(task.neo_cost))}
            {field("Steps", format::count(task.step_count))}
            {field("Tool calls", format::count(task.tool_calls))}
            {field("Agent triggers", format::count(task.agent_triggers))}
            {field("Total execution", opt_ms(task.total_execution_ms))}
            {field("LLM time", opt_ms(task.llm_time_ms))}
            {field("Tool time", opt_ms(task.tool_time_ms))}
            {field("Avg step latency", opt_ms(task.avg_step_latency_ms))}
            {field("Streams", task.stream_count.map_or_else(|| format!("{} (listed)", streams.len()), |n| n.to_string()))}
        </dl>
        <h4>"Tool calls"</h4>
        <ToolTimeline calls=task.tool_call_history.clone()/>
        <h4>"Tool breakdown"</h4>
        <table class="mini" data-testid="tool-breakdown">
            <thead><tr><th scope="col">"Tool"</th><th scope="col" class="num">"Calls"</th><th scope="col" class="num">"Time"</th></tr></thead>
            <tbody>
                {task.tool_breakdown.iter().map(|(name, stat)| view! {
                    <tr>
                        <td>{name.clone()}</td>
                        <td class="num">{stat.calls.map_or_else(|| "—".into(), format::count)}</td>
                        <td class="num">{format::duration_ms(stat.duration_ms)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h4>"Agent breakdown"</h4>
        <table class="mini" data-testid="agent-breakdown">
            <thead><tr><th scope="col">"Agent"</th><th scope="col" class="num">"Triggers"</th></tr></thead>
            <tbody>
                {task.agent_breakdown.iter().map(|(name, n)| view! {
                    <tr><td>{name.clone()}</td><td class="num">{format::count(*n)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <h4>{format!("Streams ({})", streams.len())}</h4>
        <table class="mini" data-testid="streams">
            <thead><tr><th scope="col">"Stream"</th><th scope="col" class="num">"Credits"</th><th scope="col" class="num">"Steps"</th><th scope="col" class="num">"Duration"</th></tr></thead>
            <tbody>
                {streams.into_iter().map(|s| view! {
                    <tr>
                        <td><code>{format::clip(s.stream_id.as_deref().unwrap_or("—"), 13)}</code></td>
                        <td class="num">{format::credits(s.neo_credits)}</td>
                        <td class="num">{format::count(s.step_count)}</td>
                        <td class="num">{format::duration_ms(s.total_execution_ms)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
