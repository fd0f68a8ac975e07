//! Shared by the integration tests: the generated dataset, chrono-tz zones
//! as [`UtcOffsetAt`], and the brute-force oracles over plain rows.
#![allow(dead_code)]

use chrono::{DateTime, Offset, TimeZone, Utc};
use neo_usage::{TaskStatus, TaskUsage, TaskUsageQuery};
use neo_usage_analytics::{zone::UtcOffsetAt, UsageStore};
use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};
use neo_usage_mock::prng::SplitMix64;

/// A chrono-tz zone as the analytics crate sees a zone.
#[derive(Debug, Clone, Copy)]
pub struct Tz(pub chrono_tz::Tz);

impl UtcOffsetAt for Tz {
    fn offset_seconds_at(&self, utc_ms: i64) -> i32 {
        let at = DateTime::from_timestamp_millis(utc_ms).unwrap();
        self.0
            .offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
    }
}

pub const NEW_YORK: Tz = Tz(chrono_tz::America::New_York);
pub const BERLIN: Tz = Tz(chrono_tz::Europe::Berlin);

/// The viewer's demo dataset: `n` rows over 90 days before the reference
/// instant (2026-11-28), which spans both DST changes of the autumn.
pub fn dataset(seed: u64, n: usize) -> Vec<TaskUsage> {
    generate(DatasetSpec::new(seed, n, reference_now()).window_days(90))
}

/// `n` seeded rows over the last `days` days: with hundreds of rows a day,
/// whole blocks of rows lie within one day (the dashboard's pass adds such
/// a block by its sums).
pub fn dataset_over_days(seed: u64, n: usize, days: u32) -> Vec<TaskUsage> {
    generate(DatasetSpec::new(seed, n, reference_now()).window_days(days))
}

/// A store filled page by page, as fetch-all fills it.
pub fn store_of(rows: &[TaskUsage]) -> UsageStore {
    let mut store = UsageStore::new();
    for page in rows.chunks(200) {
        store.append(page.to_vec());
    }
    store
}

pub fn ms(at: &str) -> i64 {
    at.parse::<DateTime<Utc>>().unwrap().timestamp_millis()
}

/// A random query over `rows`: each filter present with some chance, with
/// values drawn from the rows (so they match something) or made up.
pub fn random_query(rng: &mut SplitMix64, rows: &[TaskUsage]) -> TaskUsageQuery {
    let pick = |rng: &mut SplitMix64| &rows[rng.below(rows.len() as u64) as usize];
    let mut q = TaskUsageQuery::new();
    if rng.chance(0.05) {
        q = q.task_id(pick(rng).task_id.clone());
    }
    if rng.chance(0.3) {
        q = q.status(TaskStatus::KNOWN[rng.below(5) as usize].clone());
    }
    if rng.chance(0.3) {
        q = q.model(if rng.chance(0.9) {
            pick(rng).model.clone()
        } else {
            "no-such-model".into()
        });
    }
    if rng.chance(0.5) {
        let a = pick(rng).created_at;
        let b = pick(rng).created_at;
        let (from, to) = if a <= b { (a, b) } else { (b, a) };
        if rng.chance(0.8) {
            q = q.from_time(from);
        }
        if rng.chance(0.8) {
            q = q.to_time(to);
        }
    }
    if rng.chance(0.25) {
        let row = pick(rng);
        let source = if rng.chance(0.5) {
            row.task_id.clone()
        } else {
            row.email.clone().unwrap_or_default()
        };
        let len = source.len();
        if len > 0 {
            let start = rng.below(len as u64) as usize;
            let end = (start + 1 + rng.below(6) as usize).min(len);
            let needle = &source[start..end];
            let needle = if rng.chance(0.5) {
                needle.to_uppercase()
            } else {
                needle.to_owned()
            };
            if !needle.trim().is_empty() {
                q = q.search(needle);
            }
        }
    }
    if rng.chance(0.3) {
        q = q.email(if rng.chance(0.9) {
            pick(rng).email.clone().unwrap_or_else(|| "x@y".into())
        } else {
            "nobody@acme-sec.example".into()
        });
    }
    if rng.chance(0.3) {
        q = q.is_byok(rng.chance(0.5));
    }
    q
}

/// `(calls, time_ms)` per tool counted from the rows as the API defines
/// them: a row's breakdown, or its history when the breakdown is empty.
pub fn tool_sums<'a>(
    rows: impl IntoIterator<Item = &'a TaskUsage>,
) -> std::collections::BTreeMap<String, (u64, u64)> {
    let mut tools: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for row in rows {
        if row.tool_breakdown.is_empty() {
            for call in &row.tool_call_history {
                let e = tools.entry(call.tool_name.clone()).or_default();
                e.0 += 1;
                e.1 += call.duration_ms;
            }
        } else {
            for (name, stat) in &row.tool_breakdown {
                let e = tools.entry(name.clone()).or_default();
                e.0 += stat.calls.unwrap_or(0);
                e.1 += stat.duration_ms.unwrap_or(0);
            }
        }
    }
    tools
}
