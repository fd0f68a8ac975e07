//! [`BarList`]: horizontal bars for grouped figures (by model, member,
//! status, tool). Each bar is a button: hover or focus shows the exact
//! value, click applies its value as a filter (when it has one).

use leptos::prelude::*;

use super::frame::{ChartFrame, ChartTable};
use super::{series_colour, Filter};
use crate::app::AppState;
use crate::format;
use crate::svg_markup::Coord;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar is (model, status, …).
    pub label: String,
    /// Its length.
    pub value: f64,
    /// The exact figures, as shown beside the bar and in the tooltip.
    pub shown: String,
    /// The filter a click applies.
    pub filter: Option<Filter>,
}

/// A horizontal bar chart.
#[component]
pub fn BarList(
    /// The chart's `data-testid`.
    id: &'static str,
    /// Its title.
    title: &'static str,
    /// The bars, largest first.
    #[prop(into)]
    bars: Signal<Vec<Bar>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let description = Signal::derive(move || {
        let bars = bars.get();
        let top: Vec<String> = bars
            .iter()
            .take(3)
            .map(|b| format!("{}: {}", b.label, b.shown))
            .collect();
        format!(
            "{title}: {} entries; largest {}",
            bars.len(),
            top.join("; ")
        )
    });
    let table = Signal::derive(move || ChartTable {
        header: vec!["Name".into(), "Value".into(), "Figures".into()],
        rows: bars
            .get()
            .into_iter()
            .map(|b| vec![b.label, format::shortest(b.value), b.shown])
            .collect(),
    });
    view! {
        <ChartFrame id=id title=title description=description table=table>
            <ul class="bar-list">
                {move || {
                    let bars = bars.get();
                    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
                    bars.into_iter()
                        .map(|b| {
                            let width = if max > 0.0 { 100.0 * b.value / max } else { 0.0 };
                            let filter = b.filter.clone();
                            let tip = format!("{}: {}", b.label, b.shown);
                            view! {
                                <li>
                                    <button
                                        class="bar-row"
                                        data-testid="chart-bar"
                                        data-label=b.label.clone()
                                        data-value=format::shortest(b.value)
                                        title=tip
                                        disabled=filter.is_none()
                                        on:click=move |_| {
                                            if let Some(f) = &filter {
                                                f.apply(state);
                                            }
                                        }
                                    >
                                        <span class="bar-label">{b.label.clone()}</span>
                                        <span class="bar-track">
                                            <span class="bar-fill" style=format!("width:{}%;background:{}", Coord(width), series_colour(&b.label))></span>
                                        </span>
                                        <span class="bar-value">{b.shown}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </ChartFrame>
    }
}
