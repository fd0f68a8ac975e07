//! [`CostOverTimeChart`]: the chosen metric per day, week or month in the
//! chosen zone, stacked by model, status, member or BYOK, with empty
//! buckets shown and anomaly days marked. A segment is a button: click it
//! to filter to its value and its bucket's dates. Legend items toggle
//! series.

use leptos::prelude::*;
use neo_usage::query::format_instant;
use neo_usage_analytics::{Dashboard, Metric, Series, TimeSeries};

use super::frame::{ChartFrame, ChartTable};
use super::{round_ticks, series_colour, Filter};
use crate::app::AppState;
use crate::format;
use crate::svg_markup;
use crate::url_state::{ChartChoice, RangeChoice, SortColumn, SortSpec};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 64.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 16.0;

/// A metric value (money units or a count) as a number.
fn value_of(metric: Metric, v: i128) -> f64 {
    if metric.is_money() {
        v as f64 / neo_usage::money::UNITS_PER_WHOLE as f64
    } else {
        v as f64
    }
}

fn shown(metric: Metric, v: f64) -> String {
    match metric {
        Metric::Credits => format::credits(Some(v)),
        Metric::Tasks => format::count(v as u64),
        _ => format::usd(Some(v)),
    }
}

fn table_of(d: &Dashboard) -> ChartTable {
    let ts = &d.series;
    let mut header = vec!["Bucket".to_owned()];
    header.extend(ts.series.iter().map(|s| s.label.clone()));
    header.push("Total".into());
    let rows = ts
        .buckets
        .iter()
        .enumerate()
        .map(|(b, bucket)| {
            let mut row = vec![bucket.label.to_string()];
            row.extend(
                ts.series
                    .iter()
                    .map(|s| format::shortest(value_of(ts.metric, s.values[b]))),
            );
            row.push(format::shortest(value_of(ts.metric, ts.totals[b])));
            row
        })
        .collect();
    ChartTable { header, rows }
}

/// Chart settings as three menus, kept in the URL.
fn controls(state: AppState) -> AnyView {
    let menu = move |id: &'static str,
                     label: &'static str,
                     names: &'static [&'static str],
                     get: fn(&ChartChoice) -> usize,
                     set: fn(&mut ChartChoice, usize)| {
        view! {
            <label class="chart-control">
                <span class="visually-hidden">{label}</span>
                <select
                    data-testid=id
                    aria-label=label
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(i) = names.iter().position(|n| *n == value) {
                            state.update(|v| set(&mut v.chart, i));
                        }
                    }
                >
                    {names
                        .iter()
                        .enumerate()
                        .map(|(i, n)| view! { <option value=*n prop:selected=move || state.view.with(|v| get(&v.chart) == i)>{*n}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <div class="chart-controls">
            {menu("chart-metric", "Metric", &ChartChoice::METRICS, |c| c.metric, |c, i| c.metric = i)}
            {menu("chart-bucket", "Bucket", &ChartChoice::BUCKETS, |c| c.bucket, |c, i| c.bucket = i)}
            {menu("chart-stack", "Stack by", &ChartChoice::STACKS, |c| c.stack, |c, i| c.stack = i)}
        </div>
    }
    .into_any()
}

/// Whether a key press activates a chart element made a button (Enter or
/// Space, as for a real button); the page does not scroll for Space.
fn activates(ev: &leptos::ev::KeyboardEvent) -> bool {
    let key = ev.key();
    let yes = key == "Enter" || key == " ";
    if yes {
        ev.prevent_default();
    }
    yes
}

/// The segment or anomaly mark an event happened on: its label (none on a
/// mark) and its bucket's instants.
fn hit_of(target: Option<web_sys::EventTarget>) -> Option<(Option<String>, i64, i64)> {
    use wasm_bindgen::JsCast;
    let element: web_sys::Element = target?.dyn_into().ok()?;
    let mark = element.closest("[data-start-ms]").ok().flatten()?;
    svg_markup::hit(
        mark.get_attribute("data-label"),
        mark.get_attribute("data-start-ms"),
        mark.get_attribute("data-end-ms"),
    )
}

/// Drills into the segment or mark an event happened on, if any.
fn drill_at(state: AppState, stack: usize, target: Option<web_sys::EventTarget>) {
    match hit_of(target) {
        Some((Some(label), start, end)) => drill(state, stack, &label, start, end),
        Some((None, start, end)) => drill(state, usize::MAX, "", start, end),
        None => {}
    }
}

/// Filters to a segment's value and its bucket's dates (an anomaly mark
/// passes no dimension and filters to its day only).
fn drill(state: AppState, stack: usize, label: &str, start_ms: i64, end_ms: i64) {
    let filter = Filter::for_dimension(stack, label);
    let at = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map(format_instant);
    state.update(|v| {
        if let Some(f) = &filter {
            match f {
                Filter::Model(m) => v.query.model = Some(m.clone()),
                Filter::Status(s) => v.query.status = Some(neo_usage::TaskStatus::parse(s)),
                Filter::Member(e) => v.query.email = Some(e.clone()),
                Filter::Byok(b) => v.query.is_byok = Some(*b),
            }
        }
        v.range = RangeChoice::Custom;
        v.query.from = at(start_ms);
        v.query.to = at(end_ms);
        v.query.offset = None;
    });
}

/// The stacked cost chart.
#[component]
pub fn CostOverTimeChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let hidden = RwSignal::new(Vec::<String>::new());
    let description = Signal::derive(move || {
        state.charts.with(|d| {
            d.as_ref().map_or_else(String::new, |d| {
                let ts = &d.series;
                let total: i128 = ts.totals.iter().sum();
                format!(
                    "{} buckets; total {}; {} anomaly days flagged",
                    ts.buckets.len(),
                    shown(ts.metric, value_of(ts.metric, total)),
                    d.anomalies.days.len()
                )
            })
        })
    });
    let table = Signal::derive(move || {
        state
            .charts
            .with(|d| d.as_ref().map(|d| table_of(d)).unwrap_or_default())
    });
    view! {
        <ChartFrame id="chart-cost-over-time" title="Cost over time" description=description table=table controls=controls(state)>
            {move || state.charts.get().map(|d| plot(state, &d, hidden))}
        </ChartFrame>
        <CostlyTasks/>
    }
}

/// The tasks that cost more than the range's p99 task: how many, and a
/// button that sorts the table by total cost so they come first (the
/// table marks each of them).
#[component]
fn CostlyTasks() -> impl IntoView {
    let state = expect_context::<AppState>();
    let costliest_first = move |_| {
        state.update(|v| {
            v.sort = Some(SortSpec {
                column: SortColumn::Cost,
                descending: true,
            });
            v.query.offset = None;
        })
    };
    move || {
        let (count, p99) = state.charts.with(|d| {
            let a = &d.as_ref()?.anomalies;
            Some((a.tasks.len(), a.p99_task_units?))
        })?;
        (count > 0).then(|| {
            let noun = if count == 1 { "task costs" } else { "tasks cost" };
            let p99_usd = format::usd(Some(neo_usage::money::from_units(p99)));
            view! {
                <p class="hint costly-tasks" data-testid="p99-note" data-count=count data-p99-units=p99>
                    {format!("{} {noun} more than the p99 task of this range ({p99_usd}). ", format::count(count as u64))}
                    <button class="link" data-testid="p99-tasks" on:click=costliest_first>
                        "Show the costliest first"
                    </button>
                </p>
            }
        })
    }
}

/// The chart for dashboard `d`: its bars as SVG markup, drawn at once, and
/// its legend, whose items show or hide a series.
fn plot(state: AppState, d: &Dashboard, hidden: RwSignal<Vec<String>>) -> AnyView {
    super::register_facets(state);
    let stack = state.view.with_untracked(|v| v.chart.stack);
    let hide = hidden.get();
    let markup = bars_markup(d, &hide);
    let legend = legend(&d.series, &hide, hidden);
    view! {
        <svg
            viewBox=format!("0 0 {} {}", svg_markup::Coord(WIDTH), svg_markup::Coord(HEIGHT))
            class="plot"
            preserveAspectRatio="none"
            inner_html=markup
            on:click=move |ev| drill_at(state, stack, ev.target())
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if hit_of(ev.target()).is_some() && activates(&ev) {
                    drill_at(state, stack, ev.target());
                }
            }
        ></svg>
        <ul class="legend" aria-label="Series (click to show or hide)">{legend}</ul>
    }
    .into_any()
}

/// The plot's grid, stacked bars (the series not in `hide`), anomaly marks
/// and axis labels, as one string of SVG markup.
fn bars_markup(d: &Dashboard, hide: &[String]) -> String {
    let ts = &d.series;
    let metric = ts.metric;
    let visible: Vec<&Series> = ts
        .series
        .iter()
        .filter(|s| !hide.contains(&s.label))
        .collect();
    let n = ts.buckets.len().max(1);
    let totals: Vec<f64> = (0..ts.buckets.len())
        .map(|b| visible.iter().map(|s| value_of(metric, s.values[b])).sum())
        .collect();
    let ticks = round_ticks(totals.iter().copied().fold(0.0, f64::max), 4);
    let top = *ticks.last().unwrap_or(&1.0);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT - 8.0) / n as f64;
    let y = move |v: f64| TOP + plot_h * (1.0 - v / top.max(f64::MIN_POSITIVE));
    let anomaly_days: Vec<i64> = d.anomalies.days.iter().map(|a| a.start_ms).collect();
    // One colour per series, not per segment (a 90-day stack has ~500).
    let fills: Vec<String> = visible.iter().map(|s| series_colour(&s.label)).collect();
    let label_every = (n / 8).max(1);

    let mut markup = String::from("<title>Cost over time</title>");
    for t in &ticks {
        svg_markup::push_grid_line(&mut markup, LEFT, WIDTH - 8.0, y(*t), &shown(metric, *t));
    }
    for (b, bucket) in ts.buckets.iter().enumerate() {
        let x = LEFT + slot * b as f64 + slot * 0.1;
        let w = (slot * 0.8).max(1.0);
        let span_ms = (bucket.start_ms, bucket.end_ms);
        // Written once per bucket: the tooltips of its segments and its
        // anomaly mark start with it.
        let bucket_label = bucket.label.to_string();
        let mut base = 0.0;
        for (s, fill) in visible.iter().zip(&fills) {
            let v = value_of(metric, s.values[b]);
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (y(base), y(base + v));
            base += v;
            let tip = format!("{bucket_label} {}: {}", s.label, shown(metric, v));
            let segment = svg_markup::Segment {
                label: &s.label,
                bucket: &bucket_label,
                tip: &tip,
                rect: [x, y1, w, (y0 - y1).max(0.5)],
                fill,
                span_ms,
            };
            svg_markup::push_segment(&mut markup, &segment);
        }
        if anomaly_days.contains(&bucket.start_ms) {
            let tip =
                format!("{bucket_label}: cost far above a typical day; show that day's tasks");
            svg_markup::push_anomaly(&mut markup, &tip, x + w / 2.0, y(base) - 6.0, span_ms);
        }
        if b % label_every == 0 {
            let day = crate::format::month_day(bucket.label);
            svg_markup::push_axis_label(&mut markup, x + w / 2.0, HEIGHT - 8.0, &day);
        }
    }
    markup
}

/// One legend item per series, with its total; a click shows or hides it.
fn legend(ts: &TimeSeries, hide: &[String], hidden: RwSignal<Vec<String>>) -> impl IntoView {
    let metric = ts.metric;
    ts.series
        .iter()
        .map(|s| {
            let label = s.label.clone();
            let off = hide.contains(&label);
            let toggle = label.clone();
            view! {
                <li>
                    <button
                        class="legend-item"
                        data-testid="chart-legend"
                        aria-pressed=(!off).to_string()
                        on:click=move |_| hidden.update(|h| {
                            if let Some(i) = h.iter().position(|x| *x == toggle) {
                                h.remove(i);
                            } else {
                                h.push(toggle.clone());
                            }
                        })
                    >
                        <span class="swatch" style=format!("background:{}", series_colour(&label))></span>
                        {format!("{} ({})", label, shown(metric, value_of(metric, s.total)))}
                    </button>
                </li>
            }
        })
        .collect_view()
}
