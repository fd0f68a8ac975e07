//! [`AboutPage`]: the app's name, version, documentation links and the API
//! endpoints the core crate knows, proving the core runs in the browser.

use leptos::prelude::*;
use neo_usage::{paths, DEFAULT_BASE_URL};

/// Version of the viewer, from `Cargo.toml`.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Neo usage API reference, as published by ProjectDiscovery.
const API_DOCS_URL: &str =
    "https://docs.neo.projectdiscovery.io/api-reference/usage/list-all-task-usages";

/// The landing page: name, version, links to the project's and the API's
/// documentation, and the endpoints the client speaks.
#[component]
pub fn AboutPage() -> impl IntoView {
    let endpoints = [
        ("List task usages", paths::TASKS.to_owned()),
        (
            "Get task usage by id",
            format!("{}{{task_id}}", paths::TASK_BY_ID_PREFIX),
        ),
        ("List stream usages", paths::STREAMS.to_owned()),
        ("Usage summary", paths::SUMMARY.to_owned()),
    ];
    view! {
        <main class="about">
            <header>
                <h1 data-testid="app-name">"neo-usage"</h1>
                <p class="version" data-testid="app-version">"version " {VERSION}</p>
                <p class="tagline">
                    "See and use Neo usage data: credits, BYOK costs, tasks and tools, computed in your browser."
                </p>
            </header>
            <section>
                <h2>"Documentation"</h2>
                <ul>
                    <li>
                        <a data-testid="docs-link" href="README.md">"neo-usage README"</a>
                        " — how to run the viewer, the reference server and the tests"
                    </li>
                    <li>
                        <a href=API_DOCS_URL rel="noopener">"Neo usage API reference"</a>
                    </li>
                </ul>
            </section>
            <section>
                <h2>"Endpoints"</h2>
                <p>"Base URL " <code>{DEFAULT_BASE_URL}</code></p>
                <table data-testid="endpoints">
                    <tbody>
                        {endpoints
                            .into_iter()
                            .map(|(name, path)| view! {
                                <tr>
                                    <td>{name}</td>
                                    <td><code>"GET " {path}</code></td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
        </main>
    }
}
