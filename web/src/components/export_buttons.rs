//! [`ExportButtons`]: the rows the filters keep, as CSV or JSON files.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::AppState;
use crate::export;
use crate::zone;

/// Offers `text` to the user as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(a) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The export buttons (disabled until the rows are held).
#[component]
pub fn ExportButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        let dashboard = state.dashboard.get_untracked()?;
        state.store.with_untracked(|s| {
            s.as_ref().map(|held| {
                dashboard
                    .selection
                    .iter()
                    .map(|i| held.store.row(i))
                    .collect::<Vec<_>>()
            })
        })
    };
    let zone_key = move || state.zone_name.get_untracked();
    let zone_name = move || zone::display_name(&zone_key());
    let offset = move |ms: i64| zone::offset_seconds(&zone_key(), ms);
    let csv = move |_| {
        let Some(rows) = rows() else { return };
        let text = export::rows_to_csv(&rows, &zone_name(), &offset);
        download("neo-usage.csv", "text/csv", &text);
    };
    let json = move |_| {
        let Some(rows) = rows() else { return };
        let query = state
            .effective_query
            .get_untracked()
            .to_query_string()
            .unwrap_or_default();
        download(
            "neo-usage.json",
            "application/json",
            &export::rows_to_json(&rows, &zone_name(), &offset, &query),
        );
    };
    let ready = move || state.dashboard.with(|d| d.is_some());
    view! {
        <div class="exports">
            <span class="hint">{move || state.dashboard.with(|d| d.as_ref().map(|d| format!("{} rows match", crate::format::count(d.selection.len() as u64))).unwrap_or_default())}</span>
            <button data-testid="export-csv" disabled=move || !ready() on:click=csv>"Export CSV"</button>
            <button data-testid="export-json" disabled=move || !ready() on:click=json>"Export JSON"</button>
        </div>
    }
}
