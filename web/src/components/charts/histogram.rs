//! [`DurationHistogram`]: how long tasks ran (`total_execution_ms`), in
//! round bins up to the p99, with p50 and p95 marked.

use leptos::prelude::*;
use neo_usage_analytics::Distribution;

use super::frame::{ChartFrame, ChartTable};
use super::round_ticks;
use crate::app::AppState;
use crate::format;
use crate::svg_markup::{coord, Coord};

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 26.0;
const TOP: f64 = 16.0;

fn table_of(d: &Distribution) -> ChartTable {
    let h = &d.histogram;
    let mut rows: Vec<Vec<String>> = h
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (a, b) = (
                h.edges[i],
                h.edges.get(i + 1).copied().unwrap_or(h.edges[i]),
            );
            vec![format!("{a}–{b} ms"), c.to_string()]
        })
        .collect();
    rows.push(vec!["above".into(), h.above.to_string()]);
    ChartTable {
        header: vec!["Duration".into(), "Tasks".into()],
        rows,
    }
}

/// The duration histogram.
#[component]
pub fn DurationHistogram() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dist = Signal::derive(move || {
        state
            .charts
            .with(|d| d.as_ref().map(|d| d.duration.clone()).unwrap_or_default())
    });
    let description = Signal::derive(move || {
        let d = dist.get();
        format!(
            "{} tasks with a duration; median {}, p90 {}, p95 {}, p99 {}",
            d.count,
            format::duration_ms(d.p50),
            format::duration_ms(d.p90),
            format::duration_ms(d.p95),
            format::duration_ms(d.p99)
        )
    });
    let table = Signal::derive(move || table_of(&dist.get()));
    view! {
        <ChartFrame id="chart-duration" title="Task duration" description=description table=table>
            {move || plot(&dist.get())}
        </ChartFrame>
    }
}

fn plot(d: &Distribution) -> AnyView {
    let h = &d.histogram;
    if h.counts.is_empty() {
        return view! { <p class="hint">"No durations in these rows."</p> }.into_any();
    }
    let (lo, hi) = (
        h.edges[0] as f64,
        *h.edges.last().unwrap_or(&h.edges[0]) as f64,
    );
    let span = (hi - lo).max(1.0);
    let ticks = round_ticks(h.counts.iter().copied().max().unwrap_or(0) as f64, 4);
    let top = *ticks.last().unwrap_or(&1.0);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = move |ms: f64| LEFT + plot_w * ((ms - lo) / span).clamp(0.0, 1.0);
    let y = move |n: f64| TOP + plot_h * (1.0 - n / top.max(1.0));
    let bars = h
        .counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (a, b) = (h.edges[i] as f64, h.edges.get(i + 1).map_or(hi, |e| *e as f64));
            let tip = format!("{} – {}: {} tasks", format::duration_ms(Some(a as u64)), format::duration_ms(Some(b as u64)), c);
            view! {
                <rect class="hist" x=coord(x(a) + 0.5) y=coord(y(*c as f64)) width=coord((x(b) - x(a) - 1.0).max(0.5)) height=coord(y(0.0) - y(*c as f64))>
                    <title>{tip}</title>
                </rect>
            }
        })
        .collect_view();
    let marks = [("p50", d.p50), ("p95", d.p95)]
        .into_iter()
        .filter_map(|(name, v)| v.map(|v| (name, v)))
        .map(|(name, v)| {
            let mx = x(v as f64);
            view! {
                <line class="marker" x1=coord(mx) x2=coord(mx) y1=coord(TOP) y2=coord(HEIGHT - BOTTOM)></line>
                <text class="axis" x=coord(mx + 3.0) y=coord(TOP + 10.0)>{format!("{name} {}", format::duration_ms(Some(v)))}</text>
            }
        })
        .collect_view();
    let axis = ticks
        .iter()
        .map(|t| view! { <text class="axis" x=coord(LEFT - 6.0) y=coord(y(*t) + 4.0) text-anchor="end">{format::count(*t as u64)}</text> })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 {} {}", Coord(WIDTH), Coord(HEIGHT)) class="plot" preserveAspectRatio="none">
            <title>"Task duration histogram"</title>
            {axis}
            {bars}
            {marks}
            <text class="axis" x=coord(LEFT) y=coord(HEIGHT - 8.0)>{format::duration_ms(Some(lo as u64))}</text>
            <text class="axis" x=coord(WIDTH - 8.0) y=coord(HEIGHT - 8.0) text-anchor="end">{format::duration_ms(Some(hi as u64))}</text>
        </svg>
    }
    .into_any()
}
