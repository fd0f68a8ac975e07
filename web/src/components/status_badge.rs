//! [`StatusBadge`]: a task's status as a coloured badge that always carries
//! its text, so it reads in both themes and without colour.

use leptos::prelude::*;

/// The badge for one status string (unknown values get a neutral badge).
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let class = match status.as_str() {
        "completed" | "error" | "failed" | "aborted" | "blocked" => status.clone(),
        _ => "unknown".to_owned(),
    };
    view! { <span class=format!("badge status-{class}")>{status}</span> }
}
