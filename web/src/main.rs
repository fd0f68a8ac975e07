//! The neo-usage viewer: a client-side Leptos app that Trunk builds into a
//! static site (`index.html` + one wasm module), openable from any static
//! host, with demo, live and imported data, filters and state in the URL.
//!
//! The pure modules (`url_state`, `range`, `format`, `export`) are the
//! library in `lib.rs`, built natively and tested with
//! `cargo test -p neo-usage-web`; the rest is browser-only.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

// The pure modules live in the library (src/lib.rs), so they are fuzzed
// and tested as one copy; `crate::url_state` and the like still resolve.
#[cfg(target_arch = "wasm32")]
use neo_usage_web::{export, format, range, svg_markup, table_rows, url_state};

#[cfg(target_arch = "wasm32")]
mod analytics;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod generations;
#[cfg(target_arch = "wasm32")]
mod import;
#[cfg(target_arch = "wasm32")]
mod messages;
#[cfg(target_arch = "wasm32")]
mod source;
#[cfg(target_arch = "wasm32")]
mod zone;

#[cfg(target_arch = "wasm32")]
fn main() {
    // The wasm is fetched, compiled and instantiated: what follows is ours.
    browser::mark_now("neo-usage:main");
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    browser::remove_boot_skeleton();
    browser::mark_now("neo-usage:mounted");
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "neo-usage-web runs in a browser: build it with `make build-web` (Trunk) and open dist/"
    );
}
