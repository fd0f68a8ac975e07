//! The dashboard's charts, drawn as SVG by small Leptos components (no
//! chart library, nothing from a CDN): cost over time (stacked, with
//! anomaly marks), bars by model, member, status and tool, and the
//! duration histogram. Every chart has a title, a text description, a
//! "view as table" toggle, tooltips with exact values, and elements that
//! are buttons: clicking one applies its value as a filter.

pub mod bar_list;
pub mod cost_over_time;
pub mod frame;
pub mod histogram;

use leptos::prelude::*;
use neo_usage::sorted_map::SortedMap;
use neo_usage::TaskStatus;
use neo_usage_analytics::aggregate::NO_MEMBER;
use neo_usage_analytics::Group;

use crate::app::AppState;
use crate::format;
use bar_list::{Bar, BarList};
use cost_over_time::CostOverTimeChart;
use histogram::DurationHistogram;

// A label's colour, for the few labels of a session: a sorted vector
// rather than one more copy of hashbrown in the wasm.
thread_local! {
    static COLOURS: std::cell::RefCell<SortedMap<String, usize>> =
        const { std::cell::RefCell::new(SortedMap::new()) };
}

/// One of eight categorical colours that read in both themes (CSS
/// variables). A label keeps its colour for the session, so a model or
/// member has one colour in every chart; see [`register_series`].
pub fn series_colour(label: &str) -> String {
    let index = COLOURS.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(&index) = c.get(label) {
            return index;
        }
        let next = c.values().max().map_or(0, |m| m + 1);
        c.insert(label.to_owned(), next);
        next
    });
    format!("var(--series-{})", index % 8)
}

/// Gives `labels` (one dimension's values, in a stable order) consecutive
/// colours starting from the first of the palette, so up to eight values
/// of one dimension never share a colour. Labels seen before keep theirs.
pub fn register_series<'a>(labels: impl IntoIterator<Item = &'a String>) {
    COLOURS.with(|c| {
        let mut c = c.borrow_mut();
        let mut next = c.values().max().map_or(0, |m| (m / 8 + 1) * 8);
        for label in labels {
            if !c.contains_key(label) {
                c.insert(label.clone(), next);
                next += 1;
            }
        }
    });
}

/// Registers the data's models, members and statuses, each as a block.
pub fn register_facets(state: AppState) {
    state.facets.with_untracked(|f| {
        register_series(&f.models);
        register_series(&f.emails);
    });
    let statuses: Vec<String> = TaskStatus::KNOWN
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    register_series(&statuses);
}

/// Round tick values from 0 to at least `max`: steps of 1, 2 or 5 × 10^k.
pub fn round_ticks(max: f64, count: usize) -> Vec<f64> {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let raw = max / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let steps = (max / step).ceil() as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// A group's credits as a bar that filters by `apply` when clicked.
fn group_bars(groups: &[Group], filter: impl Fn(&str) -> Option<Filter>) -> Vec<Bar> {
    groups
        .iter()
        .map(|g| Bar {
            label: g.label.clone(),
            value: g.totals.cost_usd().as_f64(),
            shown: format!(
                "{} · {} tasks",
                format::usd(Some(g.totals.cost_usd().as_f64())),
                format::count(g.totals.tasks)
            ),
            filter: filter(&g.label),
        })
        .collect()
}

/// Tools as bars of calls or of time (no filter: the API has none).
fn tool_bars(tools: &[neo_usage_analytics::ToolUsage], by_time: bool) -> Vec<Bar> {
    let mut names: Vec<String> = tools.iter().map(|t| t.name.clone()).collect();
    neo_usage::sorting::sort_stable_by(&mut names, Ord::cmp);
    register_series(&names);
    tools
        .iter()
        .map(|t| {
            let (calls, time) = (
                format::count(t.calls),
                format::duration_ms(Some(t.duration_ms)),
            );
            Bar {
                label: t.name.clone(),
                value: if by_time {
                    t.duration_ms as f64
                } else {
                    t.calls as f64
                },
                shown: if by_time {
                    format!("{time} · {calls} calls")
                } else {
                    format!("{calls} calls · {time}")
                },
                filter: None,
            }
        })
        .collect()
}

/// A filter a chart element applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `model=`.
    Model(String),
    /// `status=`.
    Status(String),
    /// `email=`.
    Member(String),
    /// `is_byok=`.
    Byok(bool),
}

impl Filter {
    /// Applies the filter (and returns to page 1).
    pub fn apply(&self, state: AppState) {
        let filter = self.clone();
        state.update_filters(move |q| match filter {
            Filter::Model(m) => q.model = Some(m),
            Filter::Status(s) => q.status = Some(TaskStatus::parse(&s)),
            Filter::Member(e) => q.email = Some(e),
            Filter::Byok(b) => q.is_byok = Some(b),
        });
    }

    /// The filter for a value of the chart's stack dimension.
    pub fn for_dimension(stack: usize, label: &str) -> Option<Filter> {
        match stack {
            0 => Some(Filter::Model(label.to_owned())),
            1 if TaskStatus::parse(label).is_known() => Some(Filter::Status(label.to_owned())),
            2 if label != NO_MEMBER => Some(Filter::Member(label.to_owned())),
            3 => Some(Filter::Byok(
                label == neo_usage_analytics::aggregate::BYOK_LABEL,
            )),
            _ => None,
        }
    }
}

/// Every chart, for the rows the filters keep.
#[component]
pub fn Charts() -> impl IntoView {
    let state = expect_context::<AppState>();
    Effect::new(move |_| state.facets.with(|_| register_facets(state)));
    let by_model = Signal::derive(move || {
        state.charts.with(|d| {
            d.as_ref()
                .map(|d| group_bars(&d.by_model, |l| Some(Filter::Model(l.to_owned()))))
                .unwrap_or_default()
        })
    });
    let by_member = Signal::derive(move || {
        state.charts.with(|d| {
            d.as_ref()
                .map(|d| {
                    group_bars(&d.by_member, |l| {
                        (l != NO_MEMBER).then(|| Filter::Member(l.to_owned()))
                    })
                })
                .unwrap_or_default()
        })
    });
    let by_status = Signal::derive(move || {
        state.charts.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.outcomes
                        .by_status
                        .iter()
                        .map(|(s, n)| Bar {
                            label: s.as_str().to_owned(),
                            value: *n as f64,
                            shown: format!("{} tasks", format::count(*n)),
                            filter: s.is_known().then(|| Filter::Status(s.as_str().to_owned())),
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let tools = move |by_time: bool| {
        Signal::derive(move || {
            state.charts.with(|d| {
                d.as_ref()
                    .map(|d| {
                        tool_bars(
                            if by_time {
                                &d.tools.by_time
                            } else {
                                &d.tools.by_calls
                            },
                            by_time,
                        )
                    })
                    .unwrap_or_default()
            })
        })
    };
    let (tools_by_calls, tools_by_time) = (tools(false), tools(true));
    view! {
        <Show when=move || state.charts.with(|d| d.is_some())>
            <section class="charts" aria-label="Charts">
                <CostOverTimeChart/>
                <Show when=move || !state.below_first_chart_waits()>
                    <BarList id="chart-by-model" title="Cost by model (USD)" bars=by_model/>
                    <Show when=move || state.is_admin()>
                        <BarList id="chart-by-member" title="Cost by member (USD)" bars=by_member/>
                    </Show>
                    <BarList id="chart-status" title="Tasks by status" bars=by_status/>
                    <BarList id="chart-top-tools" title="Top tools by calls" bars=tools_by_calls/>
                    <BarList id="chart-top-tools-time" title="Top tools by time" bars=tools_by_time/>
                    <DurationHistogram/>
                </Show>
            </section>
        </Show>
    }
}
