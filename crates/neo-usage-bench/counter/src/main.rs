//! A counter: the smallest useful Leptos app, built the way the viewer is,
//! so `make bench` can show what the framework alone costs in bytes.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    mount_to_body(|| {
        let count = RwSignal::new(0);
        view! {
            <button on:click=move |_| *count.write() += 1>"Clicked " {move || count.get()} " times"</button>
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
