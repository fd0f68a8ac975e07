//! [`ToolTimeline`]: a task's tool calls on a time axis, one lane per tool,
//! each bar placed by its start and sized by its duration; every bar has
//! its exact figures in a tooltip, and the list is also given as text.

use leptos::prelude::*;
use neo_usage::{SortedMap, ToolCall};

use crate::format;
use crate::svg_markup::{coord, Coord};

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 120.0;
const LANE_HEIGHT: f64 = 20.0;

/// The timeline of `calls` (empty: a sentence saying so).
#[component]
pub fn ToolTimeline(calls: Vec<ToolCall>) -> impl IntoView {
    if calls.is_empty() {
        return view! { <p class="hint">"No tool calls were recorded for this task."</p> }
            .into_any();
    }
    let start = calls.iter().map(|c| c.timestamp).min().unwrap_or(0);
    let end = calls
        .iter()
        .map(|c| c.timestamp.saturating_add(c.duration_ms as i64))
        .max()
        .unwrap_or(start)
        .max(start + 1);
    let span = (end - start) as f64;
    let mut lanes: SortedMap<&str, usize> = SortedMap::new();
    for call in &calls {
        let next = lanes.len();
        lanes.entry(call.tool_name.as_str()).or_insert(next);
    }
    let height = LANE_HEIGHT * lanes.len() as f64 + 24.0;
    let plot = WIDTH - LABEL_WIDTH - 8.0;
    let x = move |t: i64| LABEL_WIDTH + plot * ((t - start) as f64 / span);
    let summary = format!(
        "{} tool calls over {} across {} tools",
        calls.len(),
        format::duration_ms(Some((end - start) as u64)),
        lanes.len()
    );
    let labels = lanes
        .iter()
        .map(|(name, lane)| {
            let y = LANE_HEIGHT * *lane as f64 + 14.0;
            view! { <text x="0" y=coord(y) class="lane-label">{format::clip(name, 18)}</text> }
        })
        .collect_view();
    let bars = calls
        .iter()
        .map(|call| {
            let lane = lanes.get(call.tool_name.as_str()).copied().unwrap_or(0);
            let x0 = x(call.timestamp);
            let w = (x(call.timestamp + call.duration_ms as i64) - x0).max(2.0);
            let tip = format!(
                "#{} {}: {} (starts +{})",
                call.index,
                call.tool_name,
                format::duration_ms(Some(call.duration_ms)),
                format::duration_ms(Some((call.timestamp - start) as u64))
            );
            view! {
                <rect class="bar" x=coord(x0) y=coord(LANE_HEIGHT * lane as f64 + 4.0)
                    width=coord(w) height=coord(LANE_HEIGHT - 8.0)>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let rows = calls
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <td class="num">{c.index}</td>
                    <td>{c.tool_name.clone()}</td>
                    <td class="num">{format!("+{}", format::duration_ms(Some((c.timestamp - start) as u64)))}</td>
                    <td class="num">{format::duration_ms(Some(c.duration_ms))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="timeline" data-testid="tool-timeline">
            <svg viewBox=format!("0 0 {} {}", Coord(WIDTH), Coord(height)) role="img" aria-label=summary.clone() preserveAspectRatio="xMinYMin meet">
                <title>{summary.clone()}</title>
                {labels}
                {bars}
                <text x=coord(LABEL_WIDTH) y=coord(height - 4.0) class="axis">"0"</text>
                <text x=coord(WIDTH - 8.0) y=coord(height - 4.0) class="axis" text-anchor="end">
                    {format::duration_ms(Some((end - start) as u64))}
                </text>
            </svg>
            <details>
                <summary>"Tool calls as a table"</summary>
                <table class="mini">
                    <thead><tr><th scope="col">"#"</th><th scope="col">"Tool"</th><th scope="col">"Start"</th><th scope="col">"Duration"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
