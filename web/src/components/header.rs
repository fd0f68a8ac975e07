//! [`Header`]: the app's name, where the data comes from (demo and its
//! size, live, import), the time zone and the theme.

use leptos::prelude::*;

use crate::app::AppState;
use crate::browser;
use crate::format;
use crate::url_state::{SourceKind, ZoneChoice, DEMO_SIZES};

/// Common zones offered in the zone picker; any IANA name can be typed.
const ZONE_SUGGESTIONS: [&str; 10] = [
    "UTC",
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
];

/// The top bar.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="name">"neo-usage"</span>
            </div>
            <SourceTabs/>
            <div class="header-tools">
                <ZonePicker/>
                <ThemeToggle/>
            </div>
        </header>
        <SourceLine/>
    }
}

/// Demo / Live / Import, and the demo's size.
#[component]
fn SourceTabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = move |kind: SourceKind| state.view.with(|v| v.source == kind);
    let open_panel = move |kind: SourceKind| {
        state.panel.update(|p| {
            *p = if *p == Some(kind) { None } else { Some(kind) };
        })
    };
    view! {
        <nav class="source-tabs" aria-label="Data source">
            <button
                data-testid="source-demo"
                aria-pressed=move || shown(SourceKind::Demo).to_string()
                on:click=move |_| state.show_demo()
            >
                "Demo"
            </button>
            <label class="demo-size">
                <span class="visually-hidden">"Demo size"</span>
                <select
                    data-testid="demo-size"
                    aria-label="Demo dataset size"
                    on:change=move |ev| {
                        let rows = event_target_value(&ev).parse().unwrap_or(crate::url_state::DEFAULT_DEMO_ROWS);
                        state.update(|v| {
                            v.source = SourceKind::Demo;
                            v.demo_rows = rows;
                            v.query.offset = None;
                            v.task = None;
                        });
                    }
                >
                    {DEMO_SIZES
                        .into_iter()
                        .map(|n| {
                            view! {
                                <option
                                    value=n.to_string()
                                    prop:selected=move || state.view.with(|v| v.demo_rows == n)
                                >
                                    {format!("{}k tasks", n / 1000)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <button
                data-testid="source-live"
                aria-pressed=move || shown(SourceKind::Live).to_string()
                aria-expanded=move || (state.panel.get() == Some(SourceKind::Live)).to_string()
                on:click=move |_| open_panel(SourceKind::Live)
            >
                "Live"
            </button>
            <button
                data-testid="source-import"
                aria-pressed=move || shown(SourceKind::Import).to_string()
                aria-expanded=move || (state.panel.get() == Some(SourceKind::Import)).to_string()
                on:click=move |_| open_panel(SourceKind::Import)
            >
                "Import"
            </button>
        </nav>
    }
}

/// Says where the rows on screen come from, and shows source loading.
#[component]
fn SourceLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = move || {
        state.source.with(|s| {
            s.as_ref()
                .map(|s| s.label())
                .unwrap_or_else(|| "No data loaded".to_owned())
        })
    };
    let is_demo = move || state.source_kind() == Some(SourceKind::Demo);
    let demo_now = move || {
        state.source.with(|s| {
            s.as_ref()
                .and_then(|s| s.demo_anchor())
                .map(neo_usage::query::format_instant)
        })
    };
    view! {
        <div class="source-line">
            <p data-testid="source-label" class:demo=is_demo data-demo-now=demo_now>{label}</p>
            {move || {
                state.source_progress.get().map(|p| {
                    let (done, total) = p.done.unwrap_or((0, 0));
                    view! {
                        <div class="progress" data-testid="source-progress" role="status">
                            <span>{p.message.clone()}</span>
                            <progress max=total.to_string() value=done.to_string()></progress>
                            <span>{p.counts()}</span>
                        </div>
                    }
                })
            }}
        </div>
    }
}

/// Local / UTC switch and any IANA zone, with the offset always shown.
#[component]
fn ZonePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let offset_now = move || {
        let name = state.zone_label();
        let offset = state.offset_at(browser::now_ms());
        format!("{name} ({})", format::offset_label(offset))
    };
    let toggle = move |_| {
        state.update(|v| {
            v.zone = match v.zone {
                ZoneChoice::Utc => ZoneChoice::Local,
                _ => ZoneChoice::Utc,
            }
        })
    };
    let pick = move |ev| {
        let text = event_target_value(&ev);
        if let Some(zone) = ZoneChoice::parse(&text) {
            state.update(|v| v.zone = zone);
        }
    };
    view! {
        <div class="zone-picker">
            <button
                data-testid="tz-toggle"
                class="chip-button"
                aria-label=move || format!("Time zone: {}. Switch between local time and UTC", offset_now())
                on:click=toggle
            >
                {move || if state.view.with(|v| v.zone == ZoneChoice::Utc) { "UTC" } else { "Local" }}
            </button>
            <label class="zone-name">
                <span class="visually-hidden">"Time zone"</span>
                <input
                    data-testid="tz-name"
                    list="zone-suggestions"
                    size="16"
                    aria-label="Time zone name (IANA)"
                    prop:value=move || state.zone_label()
                    on:change=pick
                />
            </label>
            <datalist id="zone-suggestions">
                {ZONE_SUGGESTIONS.into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
            </datalist>
            <span class="zone-offset" data-testid="tz-label">{offset_now}</span>
        </div>
    }
}

/// Light / dark, starting from the system's preference, remembered.
#[component]
fn ThemeToggle() -> impl IntoView {
    let initial = match browser::stored(browser::THEME_KEY).as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => browser::prefers_dark(),
    };
    let dark = RwSignal::new(initial);
    Effect::new(move |_| browser::apply_theme(dark.get()));
    view! {
        <button
            data-testid="theme-toggle"
            class="icon-button"
            aria-label=move || if dark.get() { "Switch to the light theme" } else { "Switch to the dark theme" }
            on:click=move |_| {
                let next = !dark.get_untracked();
                browser::store(browser::THEME_KEY, if next { "dark" } else { "light" });
                dark.set(next);
            }
        >
            {move || if dark.get() { "☀" } else { "☾" }}
        </button>
    }
}
