//! What `make bench` measures on the Rust side, built for wasm32 with the
//! viewer's release profile and driven by `scripts/bench/page.mjs` in
//! headless Chromium. Not shipped.
//!
//! The benchmark page times each call from JavaScript and compares it with a
//! JavaScript peer doing the same work on the same bytes. So that a fast
//! answer cannot be a wrong one, [`fingerprint`] reduces a dashboard to the
//! figures the JavaScript implementations must reproduce exactly.

use chrono::Utc;
use neo_usage::{GroupBy, NeoUsageError, TaskUsageQuery};
use neo_usage_analytics::{dashboard, Dashboard, DashboardOptions, Group, UsageStore};
use serde_json::{json, Map, Value};

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The dashboard's options the benchmark uses: the viewer's defaults (days,
/// stacked by model, credits, top 10 tools).
pub fn bench_options() -> DashboardOptions {
    DashboardOptions {
        bucket: GroupBy::Day,
        ..DashboardOptions::default()
    }
}

/// Every aggregate of the dashboard over all rows of `store`, bucketed in UTC.
pub fn dashboard_of_all(store: &UsageStore) -> Result<Dashboard, NeoUsageError> {
    dashboard(store, &TaskUsageQuery::new(), &Utc, &bench_options())
}

/// A group list as `{name: [tasks, credit units]}`.
fn groups(list: &[Group]) -> Value {
    let map: Map<String, Value> = list
        .iter()
        .map(|g| {
            let units = i64::try_from(g.totals.credits.units).unwrap_or(i64::MAX);
            (g.label.clone(), json!([g.totals.tasks, units]))
        })
        .collect();
    Value::Object(map)
}

/// An amount's units as a JSON number (exact below 2^53, which the
/// benchmark's sums stay under).
fn units(amount: i128) -> Value {
    json!(i64::try_from(amount).unwrap_or(i64::MAX))
}

/// The figures of `d` that the JavaScript peers recompute: totals, the
/// previous period, status counts, the daily credit series, the four
/// groupings, the top tools, the percentiles, the burn windows and the
/// anomaly flags. Money is in units of 1e-4.
pub fn fingerprint(store: &UsageStore, d: &Dashboard) -> Value {
    let t = &d.totals;
    let tools = |list: &[neo_usage_analytics::ToolUsage], by_calls: bool| -> Value {
        list.iter()
            .map(|u| json!([u.name, if by_calls { u.calls } else { u.duration_ms }]))
            .collect()
    };
    let pcts = |x: &neo_usage_analytics::Distribution| json!([x.p50, x.p90, x.p95, x.p99]);
    let status: Map<String, Value> = d
        .outcomes
        .by_status
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (s.as_str().to_owned(), json!(n)))
        .collect();
    json!({
        "rows": store.len(),
        "tasks": t.tasks,
        "credits": units(t.credits.units),
        "byokLlm": units(t.byok_llm_cost.units),
        "byokNeo": units(t.byok_neo_cost.units),
        "toolCalls": t.tool_calls,
        "steps": t.steps,
        "triggers": t.agent_triggers,
        "executionMs": t.execution_ms,
        "previousTasks": d.previous.tasks,
        "status": status,
        "incompleteCost": units(d.outcomes.incomplete_cost_usd.units),
        "dayCredits": d.series.totals.iter().map(|&u| units(u)).collect::<Vec<_>>(),
        "byModel": groups(&d.by_model),
        "byStatus": groups(&d.by_status),
        "byMember": groups(&d.by_member),
        "byByok": groups(&d.by_byok),
        "topCalls": tools(&d.tools.by_calls, true),
        "topTime": tools(&d.tools.by_time, false),
        "distinctTools": d.tools.distinct,
        "duration": pcts(&d.duration),
        "stepLatency": pcts(&d.step_latency),
        "burn7": d.burn_7d.map(|b| units(b.credits.units)),
        "burn30": d.burn_30d.map(|b| units(b.credits.units)),
        "anomalyDays": d.anomalies.days.iter().map(|a| a.start_ms).collect::<Vec<_>>(),
        "p99Task": d.anomalies.p99_task_units,
        "tasksAboveP99": d.anomalies.tasks.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_usage::{TaskStatus, TaskUsage};

    fn row(id: &str, at: &str, model: &str, status: TaskStatus, credits: f64) -> TaskUsage {
        let mut r = TaskUsage::new(id, at.parse().unwrap(), model, status);
        r.neo_credits = Some(credits);
        r.total_execution_ms = Some(1_000);
        r
    }

    #[test]
    fn fingerprint_sums_the_rows_it_was_given() {
        let store = UsageStore::from_rows(vec![
            row(
                "a",
                "2026-11-01T10:00:00Z",
                "o3",
                TaskStatus::Completed,
                0.1,
            ),
            row("b", "2026-11-02T10:00:00Z", "o3", TaskStatus::Failed, 0.2),
            row(
                "c",
                "2026-11-02T11:00:00Z",
                "gpt",
                TaskStatus::Completed,
                1.5,
            ),
        ]);
        let d = dashboard_of_all(&store).unwrap();
        let f = fingerprint(&store, &d);
        assert_eq!(f["tasks"], 3);
        assert_eq!(f["credits"], 18_000);
        assert_eq!(f["dayCredits"], json!([1_000, 17_000]));
        assert_eq!(f["byModel"]["o3"], json!([2, 3_000]));
        assert_eq!(f["status"], json!({"completed": 2, "failed": 1}));
        // USD: 0.2 credits × 10.
        assert_eq!(f["incompleteCost"], 20_000);
        assert_eq!(f["duration"], json!([1_000, 1_000, 1_000, 1_000]));
    }
}
