//! [`StatusBadge`]: a task's status as a coloured badge that always carries
//! its text, so it reads in both themes and without colour.

use leptos::prelude::*;

/// The badge for one status string (unknown values get a neutral badge).
#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let class = format!("badge status-{}", crate::table_rows::status_class(&status));
    view! { <span class=class>{status}</span> }
}
