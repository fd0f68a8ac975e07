//! Stream rows derived from task rows.
//!
//! A task runs as one to four streams (executions). The stream list shows one
//! row per stream: `stream_count` 1, a deterministic UUID `stream_id`, and
//! counts, times and amounts split so that the streams of a task add up
//! exactly to the task (amounts in whole ten-thousandths, see
//! [`crate::money`]). The tool-call history is cut into consecutive pieces.
//! Earlier streams are `completed`; the last one carries the task's status
//! and `error_message`. Stream `k` starts when stream `k - 1` ended.

use chrono::Duration;
use neo_usage::{TaskStatus, TaskUsage};

use crate::dataset::breakdown_of;
use crate::money;
use crate::prng::{fnv1a, mix, SplitMix64};

/// Most streams a single task is split into.
pub const MAX_STREAMS_PER_TASK: u64 = 16;

/// The streams of `task`, in execution order. Always at least one.
pub fn streams_of(task: &TaskUsage) -> Vec<TaskUsage> {
    let count = task
        .stream_count
        .unwrap_or(1)
        .clamp(1, MAX_STREAMS_PER_TASK) as usize;
    let task_hash = fnv1a(task.task_id.as_bytes());
    let shares = Shares::of(task, task_hash, count);
    let mut streams = Vec::with_capacity(count);
    let mut history_start = 0usize;
    let mut started = task.created_at;
    for k in 0..count {
        let history_end = history_start + shares.history_sizes[k] as usize;
        let mut s = shares.stream(task, task_hash, k, started);
        s.tool_call_history = task.tool_call_history[history_start..history_end].to_vec();
        history_start = history_end;
        shares.set_tools(task, k, &mut s);
        let ran_ms = s.total_execution_ms.unwrap_or(60_000);
        started += Duration::milliseconds(ran_ms.min(i64::MAX as u64) as i64);
        streams.push(s);
    }
    streams
}

/// A task's counts, times and amounts split among its streams by seeded
/// weights: entry `k` of each list is stream `k`'s share, and the shares
/// add up exactly to the task's figure.
struct Shares {
    weights: Vec<u64>,
    history_sizes: Vec<u64>,
    steps: Vec<u64>,
    triggers: Vec<u64>,
    tool_calls: Vec<u64>,
    llm_time: Option<Vec<u64>>,
    tool_time: Option<Vec<u64>>,
    execution: Option<Vec<u64>>,
    credits: Option<Vec<f64>>,
    llm_cost: Option<Vec<f64>>,
    neo_cost: Option<Vec<f64>>,
    agents: Vec<(String, Vec<u64>)>,
    /// Whether the task's agent breakdown sums to its triggers, so each
    /// stream's triggers are its own breakdown's sum.
    agents_add_up: bool,
    /// Whether the task's tool calls are its history's, so each stream's
    /// tool figures come from its piece of the history.
    tools_from_history: bool,
}

impl Shares {
    fn of(task: &TaskUsage, task_hash: u64, count: usize) -> Self {
        let mut rng = SplitMix64::new(task_hash);
        let weights: Vec<u64> = (0..count).map(|_| rng.between(1, 10)).collect();
        let split = |total: u64| money::split_count(total, &weights);
        let split_amount = |amount: Option<f64>| {
            amount.map(|a| {
                money::split(money::to_units(a), &weights)
                    .into_iter()
                    .map(money::from_units)
                    .collect::<Vec<_>>()
            })
        };
        Shares {
            history_sizes: split(task.tool_call_history.len() as u64),
            steps: split(task.step_count),
            triggers: split(task.agent_triggers),
            tool_calls: split(task.tool_calls),
            llm_time: task.llm_time_ms.map(split),
            tool_time: task.tool_time_ms.map(split),
            execution: task.total_execution_ms.map(split),
            credits: split_amount(task.neo_credits),
            llm_cost: split_amount(task.llm_cost),
            neo_cost: split_amount(task.neo_cost),
            agents: task
                .agent_breakdown
                .iter()
                .map(|(name, n)| (name.clone(), split(*n)))
                .collect(),
            agents_add_up: task.agent_breakdown.values().sum::<u64>() == task.agent_triggers,
            tools_from_history: !task.tool_call_history.is_empty()
                && task.tool_calls == task.tool_call_history.len() as u64,
            weights,
        }
    }

    /// Stream `k` of `task`, started at `started`, without its tool calls:
    /// earlier streams are `completed`, the last carries the task's status
    /// and error message.
    fn stream(
        &self,
        task: &TaskUsage,
        task_hash: u64,
        k: usize,
        started: chrono::DateTime<chrono::Utc>,
    ) -> TaskUsage {
        let last = k + 1 == self.weights.len();
        let status = if last {
            task.status.clone()
        } else {
            TaskStatus::Completed
        };
        let mut s = TaskUsage::new(task.task_id.clone(), started, task.model.clone(), status);
        s.stream_id = Some(stream_id_for(task_hash, k as u64));
        s.stream_count = Some(1);
        s.email = task.email.clone();
        s.is_byok = task.is_byok;
        s.task_title = task.task_title.clone();
        s.avg_step_latency_ms = task.avg_step_latency_ms;
        s.error_message = task.error_message.clone().filter(|_| last);
        s.step_count = self.steps[k];
        s.llm_time_ms = self.llm_time.as_ref().map(|v| v[k]);
        s.total_execution_ms = self.execution.as_ref().map(|v| v[k]);
        s.neo_credits = self.credits.as_ref().map(|v| v[k]);
        s.llm_cost = self.llm_cost.as_ref().map(|v| v[k]);
        s.neo_cost = self.neo_cost.as_ref().map(|v| v[k]);
        for (name, shares) in &self.agents {
            if shares[k] > 0 {
                s.agent_breakdown.insert(name.clone(), shares[k]);
            }
        }
        s.agent_triggers = if self.agents_add_up && !self.agents.is_empty() {
            s.agent_breakdown.values().sum()
        } else {
            self.triggers[k]
        };
        s
    }

    /// Stream `k`'s tool calls, tool time and tool breakdown: from its piece
    /// of the history (already in `s`) when the task's figures come from
    /// its history, else its share of the task's.
    fn set_tools(&self, task: &TaskUsage, k: usize, s: &mut TaskUsage) {
        if self.tools_from_history {
            s.tool_calls = s.tool_call_history.len() as u64;
            s.tool_breakdown = breakdown_of(&s.tool_call_history);
            s.tool_time_ms = task
                .tool_time_ms
                .map(|_| s.tool_call_history.iter().map(|c| c.duration_ms).sum());
            return;
        }
        s.tool_calls = self.tool_calls[k];
        s.tool_time_ms = self.tool_time.as_ref().map(|v| v[k]);
        let split = |total: u64| money::split_count(total, &self.weights)[k];
        for (name, stat) in &task.tool_breakdown {
            let part = neo_usage::ToolStat {
                calls: stat.calls.map(split),
                duration_ms: stat.duration_ms.map(split),
            };
            if part.calls.unwrap_or(0) > 0 || part.duration_ms.unwrap_or(0) > 0 {
                s.tool_breakdown.insert(name.clone(), part);
            }
        }
    }
}

/// The UUID (version 4 layout) of stream `k` of the task whose id hashes to
/// `task_hash`.
pub fn stream_id_for(task_hash: u64, k: u64) -> String {
    let high = mix(task_hash ^ mix(k + 1));
    let low = mix(high ^ 0x5EED_0F57_4EA4_1D00);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        0x8000 | (low >> 52),
        low & 0xffff_ffff_ffff
    )
}

/// A stream's cost in ten-thousandths of a USD: credits at 10 USD each plus
/// the BYOK LLM and platform costs. Orders `sort=cost`.
pub fn cost_units(row: &TaskUsage) -> i64 {
    row.neo_credits.map_or(0, money::to_units) * money::USD_PER_CREDIT
        + row.llm_cost.map_or(0, money::to_units)
        + row.neo_cost.map_or(0, money::to_units)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{generate, reference_now, DatasetSpec};

    fn sum_amount(streams: &[TaskUsage], f: impl Fn(&TaskUsage) -> Option<f64>) -> Option<i64> {
        let parts: Vec<f64> = streams.iter().filter_map(&f).collect();
        (!parts.is_empty()).then(|| parts.iter().map(|a| money::to_units(*a)).sum())
    }

    #[test]
    fn streams_add_up_to_their_task() {
        let rows = generate(DatasetSpec::new(3, 3_000, reference_now()));
        for task in &rows {
            let streams = streams_of(task);
            assert_eq!(streams.len() as u64, task.stream_count.unwrap_or(1));
            assert_eq!(
                streams.iter().map(|s| s.step_count).sum::<u64>(),
                task.step_count
            );
            assert_eq!(
                streams.iter().map(|s| s.tool_calls).sum::<u64>(),
                task.tool_calls
            );
            assert_eq!(
                streams.iter().map(|s| s.agent_triggers).sum::<u64>(),
                task.agent_triggers
            );
            assert_eq!(
                sum_amount(&streams, |s| s.neo_credits),
                task.neo_credits.map(money::to_units)
            );
            assert_eq!(
                sum_amount(&streams, |s| s.llm_cost),
                task.llm_cost.map(money::to_units)
            );
            assert_eq!(
                streams
                    .iter()
                    .map(|s| s.tool_time_ms.unwrap_or(0))
                    .sum::<u64>(),
                task.tool_time_ms.unwrap_or(0)
            );
            assert_eq!(
                streams
                    .iter()
                    .map(|s| s.total_execution_ms.unwrap_or(0))
                    .sum::<u64>(),
                task.total_execution_ms.unwrap_or(0)
            );
            let history: Vec<_> = streams
                .iter()
                .flat_map(|s| s.tool_call_history.clone())
                .collect();
            assert_eq!(history, task.tool_call_history);
            assert!(streams.iter().all(|s| s.stream_count == Some(1)));
            assert_eq!(streams.last().map(|s| &s.status), Some(&task.status));
        }
    }

    #[test]
    fn stream_ids_are_stable_uuids() {
        let a = stream_id_for(fnv1a(b"task"), 0);
        assert_eq!(a, stream_id_for(fnv1a(b"task"), 0));
        assert_ne!(a, stream_id_for(fnv1a(b"task"), 1));
        let q = neo_usage::StreamUsageQuery::new().stream_id(a.clone());
        assert!(q.validate().is_ok(), "{a}");
    }
}
