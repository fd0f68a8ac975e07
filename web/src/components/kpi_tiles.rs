//! [`KpiTiles`]: the headline figures of the rows the filters keep, each
//! with its unformatted number in `data-value` and its change against the
//! period of equal length just before (when the rows held cover that
//! period; else a line says why no change is shown); in live mode also the
//! credit balance and how long it lasts at the current burn rate.

use std::borrow::Cow;

use leptos::prelude::*;
use neo_usage_analytics::{BurnRate, Dashboard, Forecast, Totals};

use crate::analytics::LoadAll;
use crate::app::AppState;
use crate::format;
use crate::source::DataSource;

/// One tile's content.
struct Tile {
    id: &'static str,
    label: Cow<'static, str>,
    shown: String,
    value: String,
    exact: String,
    change: Option<f64>,
}

fn change(now: f64, before: f64) -> Option<f64> {
    (before != 0.0).then(|| (now - before) / before)
}

fn money_tile(
    id: &'static str,
    label: &'static str,
    now: neo_usage_analytics::Amount,
    before: neo_usage_analytics::Amount,
    credits: bool,
) -> Tile {
    let value = now.as_f64();
    Tile {
        id,
        label: label.into(),
        shown: if credits {
            format::credits(Some(value))
        } else {
            format::usd(Some(value))
        },
        value: now.to_string(),
        exact: now.to_string(),
        change: change(value, before.as_f64()),
    }
}

fn tiles(d: &Dashboard) -> Vec<Tile> {
    let (t, p): (&Totals, &Totals) = (&d.totals, &d.previous);
    let o = &d.outcomes;
    let ms = |v: Option<u64>| {
        (
            format::duration_ms(v),
            v.map_or_else(String::new, |v| v.to_string()),
        )
    };
    let (p50, p50_raw) = ms(d.duration.p50);
    let (p95, p95_raw) = ms(d.duration.p95);
    let per_completed = o.cost_per_completed();
    vec![
        Tile {
            id: "kpi-tasks",
            label: "Tasks".into(),
            shown: format::count(t.tasks),
            value: t.tasks.to_string(),
            exact: t.tasks.to_string(),
            change: change(t.tasks as f64, p.tasks as f64),
        },
        money_tile("kpi-credits", "Credits", t.credits, p.credits, true),
        money_tile(
            "kpi-usd",
            "USD equivalent",
            t.usd_equivalent(),
            p.usd_equivalent(),
            false,
        ),
        money_tile(
            "kpi-byok-llm-cost",
            "BYOK LLM cost",
            t.byok_llm_cost,
            p.byok_llm_cost,
            false,
        ),
        money_tile(
            "kpi-byok-neo-cost",
            "BYOK platform cost",
            t.byok_neo_cost,
            p.byok_neo_cost,
            false,
        ),
        Tile {
            id: "kpi-error-rate",
            label: "Error rate".into(),
            shown: format!("{}%", format::decimal(o.error_rate() * 100.0, 1)),
            value: format::shortest(o.error_rate()),
            exact: format!("{} error or failed of {}", o.errors, o.tasks),
            change: None,
        },
        Tile {
            id: "kpi-cost-per-completed",
            label: "Cost per completed task".into(),
            shown: format::usd(per_completed),
            value: per_completed.map_or_else(String::new, format::shortest),
            exact: format!("{} USD over {} completed tasks", o.cost_usd, o.completed),
            change: None,
        },
        Tile {
            id: "kpi-failed-spend",
            label: "Spent on tasks that did not complete".into(),
            shown: format!(
                "{} ({}%)",
                format::usd(Some(o.incomplete_cost_usd.as_f64())),
                format::decimal(o.incomplete_share() * 100.0, 1)
            ),
            value: o.incomplete_cost_usd.to_string(),
            exact: format!("{} USD of {} USD", o.incomplete_cost_usd, o.cost_usd),
            change: None,
        },
        Tile {
            id: "kpi-p50-duration",
            label: "Median duration".into(),
            shown: p50,
            value: p50_raw.clone(),
            exact: format!("{p50_raw} ms"),
            change: None,
        },
        Tile {
            id: "kpi-p95-duration",
            label: "p95 duration".into(),
            shown: p95,
            value: p95_raw.clone(),
            exact: format!("{p95_raw} ms"),
            change: None,
        },
    ]
}

/// A burn rate's window in days as the runway's label says it: whole days
/// as such (a 7-day range's window), else to a tenth.
fn window_days(rate: &BurnRate) -> String {
    let days = rate.window_days();
    let places = if (days - days.round()).abs() < 0.05 {
        0
    } else {
        1
    };
    format::decimal(days, places)
}

fn live_tiles(state: AppState, d: &Dashboard) -> Vec<Tile> {
    let summary = state.source.with(|s| match s.as_deref() {
        Some(DataSource::Live(live)) => Some(live.summary.clone()),
        _ => None,
    });
    let Some(summary) = summary else {
        return Vec::new();
    };
    let Some(balance) = summary.total_available_neo_credits else {
        return Vec::new();
    };
    let mut out = vec![Tile {
        id: "kpi-credit-balance",
        label: "Credit balance".into(),
        shown: format::credits(Some(balance)),
        value: format::shortest(balance),
        exact: format::shortest(balance),
        change: None,
    }];
    if let (Some(rate), Some(expires)) = (
        d.burn_30d.as_ref().or(d.burn_7d.as_ref()),
        summary.neo_credits_expires_at,
    ) {
        let units = neo_usage::money::to_units(balance);
        let forecast = Forecast::at_rate(
            neo_usage_analytics::Amount::from_units(units),
            rate.per_day,
            crate::browser::now_ms(),
            expires.timestamp_millis(),
        );
        let (shown, value) = match forecast.runs_out_at() {
            // The date alone, so the tile never breaks it at a hyphen.
            Some(at) => (at.date_naive().to_string(), at.to_rfc3339()),
            None => ("after they expire".to_owned(), String::new()),
        };
        out.push(Tile {
            id: "kpi-runway",
            label: format!(
                "Credits run out, at the {}-day burn rate",
                window_days(rate)
            )
            .into(),
            shown,
            value,
            exact: format!(
                "{} credits/day; {} credits expire unused on {}",
                format::decimal(rate.per_day, 2),
                forecast.expiring_unused,
                expires.date_naive()
            ),
            change: None,
        });
    }
    out
}

/// Why the tiles show no change against the previous period, for a range
/// with a start (without one, as for all time, none is expected), given
/// the instant from which the rows held are complete.
fn no_comparison_note(
    state: AppState,
    d: &Dashboard,
    complete_from: Option<i64>,
) -> Option<String> {
    state
        .effective_query
        .with(|q| q.from.is_some())
        .then_some(())?;
    let (from, to) = d.previous_range.filter(|(f, t)| t > f)?;
    let day = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| format::wall_date(t, state.offset_at(ms)))
            .unwrap_or_default()
    };
    let period = format!("{} to {}", day(from), day(to - 1));
    let live = state
        .store
        .with(|s| s.as_ref().map(|s| s.range.is_some()))?;
    Some(if live {
        format!("No change against the previous period ({period}) is shown: only this range's rows are loaded.")
    } else {
        format!(
            "No change against the previous period ({period}) is shown: the data starts on {}, after that period began.",
            day(complete_from?)
        )
    })
}

/// The KPI tiles (skeletons until the rows are held).
#[component]
pub fn KpiTiles() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        if matches!(state.load_all.get(), Some(LoadAll::TooMany { .. })) {
            // Past the cap the server's totals stand here (ServerSummary).
            return ().into_any();
        }
        let Some(d) = state.dashboard.get() else {
            return view! {
                <section class="kpis" aria-label="Totals" aria-busy="true">
                    {(0..10).map(|_| view! { <div class="tile"><span class="bone"></span></div> }).collect_view()}
                </section>
            }
            .into_any();
        };
        let mut all = tiles(&d);
        let complete_from = state
            .store
            .with(|s| s.as_ref().and_then(|s| s.complete_from_ms()));
        let mut comparison = None;
        if !d.previous_is_held(complete_from) {
            all.iter_mut().for_each(|t| t.change = None);
            comparison = no_comparison_note(state, &d, complete_from);
        }
        all.extend(live_tiles(state, &d));
        let partial = state
            .store
            .with(|s| s.as_ref().and_then(|s| s.partial.clone()));
        let as_of = state
            .store
            .with(|s| s.as_ref().map(|s| s.loaded_at_ms))
            .unwrap_or(0);
        let newest = d.newest_ms;
        let offset = |ms: i64| state.offset_at(ms);
        let at = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| format::wall_time(t, offset(ms)))
                .unwrap_or_default()
        };
        view! {
            <section class="kpis" aria-label="Totals" data-testid="kpis">
                {all.into_iter().map(|t| {
                    let arrow = t.change.map(|c| format!("{} {}% vs previous period", if c >= 0.0 { "▲" } else { "▼" }, format::decimal(c.abs() * 100.0, 1)));
                    view! {
                        <div class="tile" data-testid=t.id data-value=t.value title=t.exact>
                            <span class="tile-label">{t.label}</span>
                            <span class="tile-value">{t.shown}</span>
                            {arrow.map(|a| view! { <span class="tile-change">{a}</span> })}
                        </div>
                    }
                }).collect_view()}
            </section>
            <p class="hint" data-testid="data-as-of">
                {format!("Data as of {}; newest row {}. Computed in the browser in {} ms.", at(as_of), newest.map(at).unwrap_or_else(|| "—".into()), format::decimal(state.compute_ms.get_untracked(), 1))}
            </p>
            {comparison.map(|why| view! { <p class="hint" data-testid="no-comparison">{why}</p> })}
            {partial.map(|p| view! { <p class="notice warn" data-testid="partial">{p}</p> })}
        }
        .into_any()
    }
}
