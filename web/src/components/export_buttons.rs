//! [`ExportButtons`]: the rows the filters keep, as CSV or JSON files.

use leptos::prelude::*;
use neo_usage::TaskUsage;
use wasm_bindgen::JsCast;

use crate::app::AppState;
use crate::export;
use crate::zone;

/// Offers the text `parts` (JS strings, in order) to the user as one file
/// download.
pub fn download(file_name: &str, mime: &str, parts: &js_sys::Array) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(parts, &options) else {
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

/// The text `write` writes of the rows the filters keep, one row at a
/// time from the columns, as JS strings of about
/// [`export::PART_BYTES`] each: no list of rows and no whole text is held
/// in wasm memory (which never shrinks). `None` until the rows are held.
fn exported_parts(
    state: AppState,
    write: impl FnOnce(&mut dyn Iterator<Item = TaskUsage>, &mut dyn FnMut(&str)),
) -> Option<js_sys::Array> {
    let dashboard = state.dashboard.get_untracked()?;
    state.store.with_untracked(|s| {
        let held = s.as_ref()?;
        let parts = js_sys::Array::new();
        let mut rows = dashboard.selection.iter().map(|i| held.store.row(i));
        write(&mut rows, &mut |part| {
            parts.push(&wasm_bindgen::JsValue::from_str(part));
        });
        Some(parts)
    })
}

/// The export buttons (disabled until the rows are held).
#[component]
pub fn ExportButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let zone_key = move || state.zone_name.get_untracked();
    let zone_name = move || zone::display_name(&zone_key());
    let offset = move |ms: i64| zone::offset_seconds(&zone_key(), ms);
    let csv = move |_| {
        let zone = zone_name();
        let parts = exported_parts(state, |rows, part| {
            export::write_csv(rows, &zone, &offset, part)
        });
        if let Some(parts) = parts {
            download("neo-usage.csv", "text/csv", &parts);
        }
    };
    let json = move |_| {
        let zone = zone_name();
        let query = state
            .effective_query
            .get_untracked()
            .to_query_string()
            .unwrap_or_default();
        let parts = exported_parts(state, |rows, part| {
            export::write_json(rows, &zone, &offset, &query, part)
        });
        if let Some(parts) = parts {
            download("neo-usage.json", "application/json", &parts);
        }
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
