//! Thin wrappers over the browser APIs the viewer uses: the URL's query
//! string and history, opt-in local storage, the clock, the clipboard,
//! the colour-scheme preference, and yielding to the event loop.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Local-storage key of the remembered connection (only when the user
/// ticked "remember on this device").
pub const REMEMBERED_TOKEN_KEY: &str = "neo-usage.connection";
/// Local-storage key of the chosen theme. `index.html`'s start-up script
/// reads the same key, with the same rule as `ThemeToggle` (stored choice,
/// else the system's), to draw the loading skeleton in the theme: change
/// the key or the rule in both places.
pub const THEME_KEY: &str = "neo-usage.theme";
/// Local-storage key of the hidden table columns.
pub const COLUMNS_KEY: &str = "neo-usage.hidden-columns";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The current `?query` (with the `?`, or empty).
pub fn location_search() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Writes `query` (without `?`) into the address bar, as a new history
/// entry when `push`, else replacing the current one. The path is kept,
/// so the viewer works under any sub-path of any static host.
pub fn write_query(query: &str, push: bool) {
    let Some(w) = window() else { return };
    let path = w.location().pathname().unwrap_or_else(|_| "./".into());
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = w.history() {
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().and_then(|w| w.local_storage().ok().flatten())
}

/// Reads a local-storage entry.
pub fn stored(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Writes a local-storage entry (ignored when storage is unavailable).
pub fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a local-storage entry.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Now, from the browser's clock.
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(now_ms()).unwrap_or_default()
}

/// Whether the system asks for a dark colour scheme.
pub fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Sets `data-theme` on `<html>`.
pub fn apply_theme(dark: bool) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

/// Copies `text` to the clipboard; `false` when the browser refused.
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = window() else { return false };
    let promise = w.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// Lets the browser paint and handle input before continuing, so long work
/// in chunks never freezes the page. It resumes from a `MessageChannel`
/// message, not a `setTimeout(0)`: a timer is clamped to 4 ms once nested,
/// and to one per second (later one per minute) in a background tab, which
/// would stretch a 100k-row demo opened behind another tab from 3 s to
/// minutes. A message task is neither clamped nor throttled.
pub async fn yield_to_browser() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
        let _ = channel.port2().post_message(&JsValue::UNDEFINED);
    });
    let _ = JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}

/// Sleeps `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The bytes of a picked or dropped file, or a piece of one.
pub async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| "the browser could not read the file".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Removes the loading skeleton `index.html` paints while the wasm loads
/// (`#boot`): the mounted viewer stands in its place, in the same frame.
pub fn remove_boot_skeleton() {
    let boot = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"));
    if let Some(boot) = boot {
        boot.remove();
    }
}

/// Sets the User Timing mark `name` now: the phases of a cold load
/// (`neo-usage:main`, `neo-usage:mounted`, `neo-usage:demo`,
/// `neo-usage:store`), read by `make bench` to say where the time goes.
pub fn mark_now(name: &'static str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Sets the User Timing mark `name` in the next animation frame, that is
/// once the DOM changes made so far are about to be painted. `make bench`
/// reads these marks (`neo-usage:first-chart`, `neo-usage:dashboard`,
/// `neo-usage:table`);
/// they cost nothing when nobody reads them.
pub fn mark_before_paint(name: &'static str) {
    let Some(w) = window() else { return };
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(p) = window().and_then(|w| w.performance()) {
            let _ = p.mark(name);
        }
    });
    let _ = w.request_animation_frame(callback.unchecked_ref());
}

/// Runs `f` once the next frame has been painted (an animation frame, then
/// a task), for work that should not delay what is on its way to the
/// screen.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let Some(w) = window() else { return };
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        let task = wasm_bindgen::closure::Closure::once_into_js(f);
        if let Some(w) = window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
        }
    });
    let _ = w.request_animation_frame(callback.unchecked_ref());
}

/// Tells whether an element is on screen or within `margin` of it (a CSS
/// margin such as `"25% 0px"`), as an `IntersectionObserver` reports it;
/// stops observing when dropped.
pub struct NearViewport {
    observer: web_sys::IntersectionObserver,
    _on_change: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl NearViewport {
    /// Calls `on_change(near)` once observing starts and whenever `element`
    /// comes near the viewport or leaves it. `None` where the browser has no
    /// `IntersectionObserver` (the element then counts as near).
    pub fn observe(
        element: &web_sys::Element,
        margin: &str,
        on_change: impl Fn(bool) + 'static,
    ) -> Option<NearViewport> {
        let callback = move |entries: js_sys::Array| {
            let last = entries.iter().last();
            if let Some(entry) =
                last.and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            {
                on_change(entry.is_intersecting());
            }
        };
        let on_change = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(callback);
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(margin);
        let observer = web_sys::IntersectionObserver::new_with_options(
            on_change.as_ref().unchecked_ref(),
            &options,
        )
        .ok()?;
        observer.observe(element);
        Some(NearViewport {
            observer,
            _on_change: on_change,
        })
    }
}

impl Drop for NearViewport {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
