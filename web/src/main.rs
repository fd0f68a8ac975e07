//! The neo-usage viewer: a client-side Leptos app that Trunk builds into a
//! static site (`index.html` + one wasm module), openable from any static
//! host. For now it shows what it is, its version and where its docs are;
//! the usage tables and charts come with the viewer issue.

mod about;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(about::AboutPage);
}
