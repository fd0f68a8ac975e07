//! [`ChartFrame`]: what every chart shares: a title, the chart as an image
//! with a text description, a "view as table" toggle and a CSV export of
//! the chart's numbers.

use leptos::prelude::*;

use crate::components::export_buttons::download;
use crate::export::{csv_record, neutralise};

/// A chart's numbers as a table: a header and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartTable {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl ChartTable {
    fn csv(&self) -> String {
        let mut out = String::new();
        for cells in std::iter::once(&self.header).chain(&self.rows) {
            csv_record(&mut out, cells.iter().map(|c| neutralise(c)));
        }
        out
    }
}

/// The frame around a chart.
#[component]
pub fn ChartFrame(
    /// The `data-testid` of the chart.
    id: &'static str,
    /// The title.
    title: &'static str,
    /// A sentence describing what the chart shows.
    #[prop(into)]
    description: Signal<String>,
    /// The numbers behind the chart.
    #[prop(into)]
    table: Signal<ChartTable>,
    /// Controls shown beside the title.
    #[prop(optional)]
    controls: Option<AnyView>,
    /// The chart.
    children: Children,
) -> impl IntoView {
    let as_table = RwSignal::new(false);
    let export = move |_| {
        let text = wasm_bindgen::JsValue::from_str(&table.get_untracked().csv());
        download(&format!("{id}.csv"), "text/csv", &js_sys::Array::of1(&text))
    };
    view! {
        <figure class="chart" data-testid=id>
            <figcaption>
                <h3>{title}</h3>
                {controls}
                <div class="chart-actions">
                    <button class="link" aria-pressed=move || as_table.get().to_string() on:click=move |_| as_table.update(|t| *t = !*t)>
                        {move || if as_table.get() { "View as chart" } else { "View as table" }}
                    </button>
                    <button class="link" on:click=export>"CSV"</button>
                </div>
            </figcaption>
            <p class="visually-hidden">{description}</p>
            <div class="chart-body" hidden=move || as_table.get() role="group" aria-label=description>
                {children()}
            </div>
            <Show when=move || as_table.get()>
                <table class="mini">
                    <thead><tr>{move || table.get().header.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {move || table.get().rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </figure>
    }
}
