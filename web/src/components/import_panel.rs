//! [`ImportPanel`]: pick or drop a JSON file (a page response, an array of
//! rows, or this viewer's export). Files over the cap are refused before
//! they are read; a bad file gets a message naming the row and field, and
//! the data on screen stays.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::app::{AppState, SourceProgress};
use crate::format;
use crate::import;
use crate::source::IMPORT_CAP_BYTES;
use crate::url_state::SourceKind;

/// Reads and imports one file.
fn import_file(state: AppState, file: web_sys::File) {
    let name = file.name();
    let size = file.size();
    if size > IMPORT_CAP_BYTES {
        state.source_error.set(Some(format!(
            "{name} is {} MB; the viewer imports files of up to {} MB. Export a narrower date range and import that.",
            format::decimal(size / 1_048_576.0, 1),
            format::decimal(IMPORT_CAP_BYTES / 1_048_576.0, 0)
        )));
        return;
    }
    state.source_error.set(None);
    let request = state.begin_source_request();
    let reading = move |done: Option<(u64, u64)>| {
        state.source_progress.set(Some(SourceProgress {
            message: format!("Reading {name}…"),
            done,
            in_bytes: true,
        }));
    };
    reading(None);
    spawn_local(async move {
        let still_wanted = || request.is_current();
        let progress = |read, size| reading(Some((read, size)));
        let Some(result) = import::import_file(&file, still_wanted, progress).await else {
            return;
        };
        state.source_progress.set(None);
        match result {
            Ok(imported) => state.set_source(imported, None),
            Err(message) => state.source_error.set(Some(message)),
        }
    });
}

/// The import panel.
#[component]
pub fn ImportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);
    let open = move || state.panel.get() == Some(SourceKind::Import);
    let on_pick = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(input) = input {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                import_file(state, file);
            }
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            import_file(state, file);
        }
    };
    view! {
        <section class="panel" data-testid="import-panel" hidden=move || !open() aria-label="Import a file">
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p>
                    "Drop a JSON file here, or "
                    <label class="file-label">
                        "choose one"
                        <input data-testid="import-file" type="file" accept=".json,application/json" on:change=on_pick/>
                    </label>
                    "."
                </p>
                <p class="hint">
                    "A page from GET /api/v1/usage/tasks, a JSON array of rows, or a file this viewer exported. Up to 256 MB; it stays in this browser."
                </p>
            </div>
        </section>
    }
}
