//! The seeded demo dataset: a team of eight running security tasks on six
//! models over the days before an anchor instant (30 unless the spec says).
//!
//! [`generate`] is a pure function of [`DatasetSpec`]: the same seed, size and
//! anchor give identical rows on every target (host and `wasm32`), because
//! each row draws from its own [`SplitMix64`] and only integer arithmetic and
//! exact IEEE operations are used. Row `i` does not depend on the row count,
//! so a bigger dataset contains the smaller one.
//!
//! Shape of the data:
//! - statuses: ~80% completed, error, failed, aborted, ~3% blocked; error rows
//!   carry `error_message`;
//! - ~25% BYOK rows carrying `llm_cost` and `neo_cost` (neo_cost_rate 0.2);
//!   the others carry `neo_credits` (1 credit = 10 USD); all amounts have 4
//!   decimals (see [`crate::money`]);
//! - heavy-tailed steps, with costs, tool calls and times that grow with them;
//! - `tool_call_history` of 0..=60 calls from a catalogue of security tools, with `tool_calls`,
//!   `tool_breakdown` and `tool_time_ms` computed from it;
//! - `created_at` with fewer tasks on weekends and at night (UTC);
//! - ~5% sparse rows without the optional detail fields, ~10% with a `null`
//!   `avg_step_latency_ms`.

use std::borrow::Cow;

use chrono::{DateTime, Duration, TimeZone, Utc};
use neo_usage::borrowed::{TaskUsageRef, ToolCallRef};
use neo_usage::{SortedMap, TaskStatus, TaskUsage, ToolCall, ToolStat};

use crate::money;
use crate::prng::{mix, SplitMix64};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatasetSpec {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of task rows.
    pub tasks: usize,
    /// End of the window the rows are spread over (exclusive).
    pub now: DateTime<Utc>,
    /// Days before `now` the rows are spread over (the server's default is
    /// [`DEFAULT_WINDOW_DAYS`]; the viewer's demo uses 90, so week and month
    /// views mean something).
    pub window_days: u32,
}

impl DatasetSpec {
    /// `tasks` rows seeded by `seed` over the [`DEFAULT_WINDOW_DAYS`] days
    /// before `now`.
    ///
    /// ```
    /// use neo_usage_mock::dataset::{self, DatasetSpec};
    /// let spec = DatasetSpec::new(42, 1_000, dataset::reference_now()).window_days(90);
    /// assert_eq!((spec.tasks, spec.window_days), (1_000, 90));
    /// ```
    pub fn new(seed: u64, tasks: usize, now: DateTime<Utc>) -> Self {
        DatasetSpec {
            seed,
            tasks,
            now,
            window_days: DEFAULT_WINDOW_DAYS,
        }
    }

    /// The same spec over `days` days before `now` (at least 1).
    pub fn window_days(self, days: u32) -> Self {
        DatasetSpec {
            window_days: days.max(1),
            ..self
        }
    }
}

/// Days before `now` the rows are spread over unless a spec says otherwise.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

/// The team: eight members; the admin sees all of them.
pub const TEAM: [&str; 8] = [
    "alice@acme-sec.example",
    "bob@acme-sec.example",
    "carol@acme-sec.example",
    "dave@acme-sec.example",
    "erin@acme-sec.example",
    "frank@acme-sec.example",
    "grace@acme-sec.example",
    "heidi@acme-sec.example",
];

/// How many tasks each member runs, relative to the others.
const TEAM_WEIGHTS: [u32; 8] = [30, 22, 14, 10, 9, 7, 5, 3];

/// The member the server's solo user is: a solo user sees only these rows.
pub const SOLO_EMAIL: &str = TEAM[2];

/// A model: name, how often it is used, and its price per step in
/// ten-thousandths of a USD.
struct Model {
    name: &'static str,
    weight: u32,
    price_units_per_step: u64,
    step_latency_ms: u64,
}

const MODELS: [Model; 6] = [
    Model {
        name: "claude-sonnet-4",
        weight: 34,
        price_units_per_step: 310,
        step_latency_ms: 2_400,
    },
    Model {
        name: "claude-opus-4",
        weight: 9,
        price_units_per_step: 1_550,
        step_latency_ms: 4_800,
    },
    Model {
        name: "gpt-4o",
        weight: 18,
        price_units_per_step: 260,
        step_latency_ms: 1_900,
    },
    Model {
        name: "gpt-4.1-mini",
        weight: 17,
        price_units_per_step: 45,
        step_latency_ms: 900,
    },
    Model {
        name: "gemini-2.5-pro",
        weight: 13,
        price_units_per_step: 220,
        step_latency_ms: 2_700,
    },
    Model {
        name: "o3",
        weight: 9,
        price_units_per_step: 640,
        step_latency_ms: 6_500,
    },
];

/// A security tool: name, how often it is called, typical duration.
struct Tool {
    name: &'static str,
    weight: u32,
    typical_ms: u64,
}

/// The tool catalogue, with call weights and typical durations.
const TOOL_CATALOGUE: [Tool; 14] = [
    Tool {
        name: "httpx",
        weight: 22,
        typical_ms: 2_500,
    },
    Tool {
        name: "nuclei",
        weight: 18,
        typical_ms: 45_000,
    },
    Tool {
        name: "subfinder",
        weight: 12,
        typical_ms: 9_000,
    },
    Tool {
        name: "dnsx",
        weight: 9,
        typical_ms: 3_000,
    },
    Tool {
        name: "naabu",
        weight: 8,
        typical_ms: 20_000,
    },
    Tool {
        name: "katana",
        weight: 8,
        typical_ms: 30_000,
    },
    Tool {
        name: "ffuf",
        weight: 5,
        typical_ms: 60_000,
    },
    Tool {
        name: "nmap",
        weight: 5,
        typical_ms: 40_000,
    },
    Tool {
        name: "sqlmap",
        weight: 2,
        typical_ms: 90_000,
    },
    Tool {
        name: "tlsx",
        weight: 4,
        typical_ms: 1_500,
    },
    Tool {
        name: "uncover",
        weight: 3,
        typical_ms: 4_000,
    },
    Tool {
        name: "cvemap",
        weight: 3,
        typical_ms: 1_200,
    },
    Tool {
        name: "interactsh",
        weight: 2,
        typical_ms: 15_000,
    },
    Tool {
        name: "curl",
        weight: 10,
        typical_ms: 700,
    },
];

/// Agents that trigger within a task.
pub const AGENTS: [&str; 5] = ["recon", "scanner", "exploit", "triage", "reporter"];

/// Task titles: the text before and after the target.
const TITLE_TEMPLATES: [(&str, &str); 8] = [
    ("Recon of ", ""),
    ("Scan ", " for exposed panels"),
    ("Check ", " for recent CVEs"),
    ("Subdomain takeover sweep on ", ""),
    ("Verify fix of finding on ", ""),
    ("Port and service map of ", ""),
    ("Fuzz API endpoints of ", ""),
    ("TLS and header review of ", ""),
];

const TARGETS: [&str; 10] = [
    "acme.example",
    "api.acme.example",
    "shop.acme.example",
    "staging.acme.example",
    "vpn.acme.example",
    "login.acme.example",
    "cdn.acme.example",
    "partners.acme.example",
    "10.20.0.0/24",
    "grafana.internal.acme.example",
];

const ERROR_MESSAGES: [&str; 6] = [
    "LLM provider returned 529: overloaded",
    "tool nuclei timed out after 600s",
    "context length exceeded for model",
    "target unreachable: connection refused",
    "rate limited by LLM provider (429)",
    "sandbox terminated: memory limit exceeded",
];

/// Status draw weights: completed, error, failed, aborted, blocked.
const STATUS_WEIGHTS: [u32; 5] = [800, 70, 50, 50, 30];

/// Share of BYOK rows, in percent.
const BYOK_PERCENT: u64 = 25;

/// Neo platform cost of BYOK usage as a share of the LLM cost, in percent
/// (the account's `neo_cost_rate`).
pub const NEO_COST_RATE_PERCENT: i64 = 20;

/// Largest `tool_call_history` the generator writes.
pub const MAX_TOOL_CALLS: u64 = 60;

/// Generates `spec.tasks` rows, newest first (`created_at` desc, then
/// `task_id` desc). Rows carry `email` (the admin view).
pub fn generate(spec: DatasetSpec) -> Vec<TaskUsage> {
    newest_first_indices(spec)
        .into_iter()
        .map(|index| generate_row_in(spec, index))
        .collect()
}

/// The row numbers of `spec`'s dataset in the order [`generate`] returns
/// the rows: newest first, then by task id descending.
///
/// Only each row's task id and instant are drawn (the first two draws of
/// its own stream), so a reader can produce the rows one at a time already
/// in the API's order, without holding them all to sort them (the viewer
/// builds its demo's columns this way).
///
/// ```
/// use neo_usage_mock::dataset::{self, DatasetSpec};
/// let spec = DatasetSpec::new(42, 300, dataset::reference_now());
/// let rows: Vec<_> = dataset::newest_first_indices(spec)
///     .into_iter()
///     .map(|i| dataset::generate_row_in(spec, i))
///     .collect();
/// assert!(rows.windows(2).all(|w| w[0].created_at >= w[1].created_at));
/// ```
pub fn newest_first_indices(spec: DatasetSpec) -> Vec<u64> {
    let mut keys: Vec<(i64, u32, u64, u64)> = (0..spec.tasks as u64)
        .map(|index| {
            let (_, noise, at) = head_in(spec, index);
            (at.timestamp(), at.timestamp_subsec_nanos(), noise, index)
        })
        .collect();
    // Distinct indices have distinct task ids, so the order is total (and
    // stable or not makes no difference). The shared sort: the standard
    // one was some 5 kB of the viewer's wasm for this one comparison.
    neo_usage::sorting::sort_stable_by(&mut keys, |a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then_with(|| task_id_for(spec.seed, b.3, b.2).cmp(&task_id_for(spec.seed, a.3, a.2)))
    });
    keys.into_iter().map(|(_, _, _, index)| index).collect()
}

/// Sorts rows newest first: `created_at` descending, then `task_id`
/// descending (`neo_usage::assumed::NEWEST_FIRST`).
///
/// The instants are sorted side by side with their row numbers, so each
/// comparison reads a few contiguous bytes instead of two rows scattered
/// over memory; task ids are read only to break a tie. Rows with equal
/// instants and ids keep their order.
pub fn sort_newest_first(rows: &mut Vec<TaskUsage>) {
    let mut keys: Vec<(i64, u32, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let at = r.created_at;
            (at.timestamp(), at.timestamp_subsec_nanos(), i)
        })
        .collect();
    neo_usage::sorting::sort_stable_by(&mut keys, |a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then_with(|| rows[b.2].task_id.cmp(&rows[a.2].task_id))
    });
    put_in_order(rows, keys.into_iter().map(|(_, _, i)| i));
}

/// Sorts large rows by sorting their indices and moving each row once:
/// sorting the rows themselves would copy them many times over.
pub fn sort_by_permutation(
    rows: &mut Vec<TaskUsage>,
    order: impl Fn(&TaskUsage, &TaskUsage) -> std::cmp::Ordering,
) {
    let mut indices: Vec<usize> = (0..rows.len()).collect();
    neo_usage::sorting::sort_stable_by(&mut indices, |&a, &b| order(&rows[a], &rows[b]));
    put_in_order(rows, indices);
}

/// Moves each row once, to where `order` (a permutation of the row
/// numbers) says.
fn put_in_order(rows: &mut Vec<TaskUsage>, order: impl IntoIterator<Item = usize>) {
    let mut slots: Vec<Option<TaskUsage>> = rows.drain(..).map(Some).collect();
    rows.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Row number `index` of the dataset `spec` describes: the same row
/// [`generate`] makes, so a caller can generate a big dataset in chunks
/// (the viewer does, yielding to the browser between them).
pub fn generate_row_in(spec: DatasetSpec, index: u64) -> TaskUsage {
    let mut row = TaskUsageRef::default();
    generate_row_ref_in(spec, index, &mut row);
    row.into_owned()
}

/// [`generate_row_in`]'s row written into `row` as borrowed text: every
/// name is one of the dataset's constants, so only the task id and title
/// are allocated, and `row`'s lists keep their room from row to row.
/// A reader that only copies each row (the viewer's column store) makes
/// the dataset this way with a few allocations a row instead of dozens.
///
/// ```
/// use neo_usage::borrowed::TaskUsageRef;
/// use neo_usage_mock::dataset::{self, DatasetSpec};
/// let spec = DatasetSpec::new(42, 10, dataset::reference_now());
/// let mut row = TaskUsageRef::default();
/// dataset::generate_row_ref_in(spec, 3, &mut row);
/// assert_eq!(row.clone().into_owned(), dataset::generate_row_in(spec, 3));
/// ```
pub fn generate_row_ref_in(spec: DatasetSpec, index: u64, row: &mut TaskUsageRef<'static>) {
    let (rng, noise, created_at) = head_in(spec, index);
    fill_row(spec.seed, index, rng, noise, created_at, row);
}

/// Row number `index` of the dataset seeded by `seed`. Its `created_at` is
/// `at` when given, else drawn from the [`DEFAULT_WINDOW_DAYS`] days before
/// `now`. Task ids of distinct indices never collide (see [`task_id_for`]).
pub fn generate_row(
    seed: u64,
    index: u64,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> TaskUsage {
    let (mut rng, noise) = stream_of(seed, index);
    let created_at = at.unwrap_or_else(|| created_at_in_window(&mut rng, now, DEFAULT_WINDOW_DAYS));
    let mut row = TaskUsageRef::default();
    fill_row(seed, index, rng, noise, created_at, &mut row);
    row.into_owned()
}

/// Row `index`'s own random stream, after its first draw: the noise of its
/// task id.
fn stream_of(seed: u64, index: u64) -> (SplitMix64, u64) {
    let mut rng = SplitMix64::for_item(seed, index);
    let noise = rng.next_u64();
    (rng, noise)
}

/// The first draws of `spec`'s row `index`: its stream after them, its task
/// id's noise and its instant.
fn head_in(spec: DatasetSpec, index: u64) -> (SplitMix64, u64, DateTime<Utc>) {
    let (mut rng, noise) = stream_of(spec.seed, index);
    let created_at = created_at_in_window(&mut rng, spec.now, spec.window_days);
    (rng, noise, created_at)
}

/// Writes row `index` into `row` from the rest of its stream `rng`, past
/// its task id's `noise` and its instant.
fn fill_row(
    seed: u64,
    index: u64,
    mut rng: SplitMix64,
    noise: u64,
    created_at: DateTime<Utc>,
    row: &mut TaskUsageRef<'static>,
) {
    let model = &MODELS[rng.weighted(&MODELS.map(|m| m.weight))];
    let email = TEAM[rng.weighted(&TEAM_WEIGHTS)];
    let status = &TaskStatus::KNOWN[rng.weighted(&STATUS_WEIGHTS)];
    let is_byok = rng.below(100) < BYOK_PERCENT;
    let sparse = rng.below(100) < 5;

    // Heavy tail: 1 / u for u in (0.02, 1] gives sizes 1..50 with a long tail.
    let size = 1.0 / (0.02 + 0.98 * rng.unit());
    let mut step_count = ((3.0 * size) * (0.5 + rng.unit())) as u64 + 1;
    step_count = match status {
        TaskStatus::Blocked => rng.below(3),
        TaskStatus::Aborted => step_count / 2 + 1,
        _ => step_count,
    }
    .min(300);

    let stream_count = stream_count(&mut rng);

    // Tool calls: roughly half a call per step, capped.
    let wanted_calls = (step_count * rng.between(20, 120) / 100).min(MAX_TOOL_CALLS);
    let mut history = std::mem::take(&mut row.tool_call_history);
    let tally = tool_history(
        &mut rng,
        wanted_calls,
        created_at,
        model.step_latency_ms,
        &mut history,
    );
    let tool_time_ms: u64 = history.iter().map(|c| c.duration_ms).sum();
    let tool_calls = history.len() as u64;

    let llm_time_ms = step_count * model.step_latency_ms * rng.between(60, 140) / 100;
    let overhead_ms = step_count * rng.between(40, 200) + rng.between(500, 4_000);

    // Agents: one trigger per few steps, spread over one to four agents.
    let triggers = if step_count > 0 {
        1 + step_count / 6
    } else {
        0
    };

    // Cost grows with steps and tool calls; integers only.
    let usd_units = (step_count.max(1) * model.price_units_per_step * rng.between(50, 150) / 100
        * (100 + tool_calls * 3)
        / 100) as i64;
    let (llm_cost, neo_cost, neo_credits) = amounts(is_byok, usd_units);

    let error_message = (*status == TaskStatus::Error)
        .then(|| Cow::Borrowed(ERROR_MESSAGES[rng.below(ERROR_MESSAGES.len() as u64) as usize]));

    let mut agent_breakdown = emptied(&mut row.agent_breakdown);
    let mut tool_breakdown = emptied(&mut row.tool_breakdown);
    let (avg_step_latency_ms, task_title) = if sparse {
        history.clear();
        (None, None)
    } else {
        agents_into(&mut rng, triggers, &mut agent_breakdown);
        breakdown_into(&tally, &mut tool_breakdown);
        let (latency, title) = latency_and_title(&mut rng, step_count, llm_time_ms + tool_time_ms);
        (latency, Some(Cow::Owned(title)))
    };
    *row = TaskUsageRef {
        agent_triggers: triggers,
        created_at,
        model: Cow::Borrowed(model.name),
        status: Cow::Borrowed(status.as_str()),
        step_count,
        task_id: Cow::Owned(task_id_for(seed, index, noise)),
        tool_calls,
        agent_breakdown,
        avg_step_latency_ms,
        email: Some(Cow::Borrowed(email)),
        error_message,
        is_byok: Some(is_byok),
        llm_cost,
        llm_time_ms: (!sparse).then_some(llm_time_ms),
        neo_cost,
        neo_credits,
        stream_count: Some(stream_count),
        stream_id: None,
        task_title,
        tool_breakdown,
        tool_call_history: history,
        tool_time_ms: (!sparse).then_some(tool_time_ms),
        total_execution_ms: Some(llm_time_ms + tool_time_ms + overhead_ms),
    };
}

/// How many streams a task ran: mostly one, up to four.
fn stream_count(rng: &mut SplitMix64) -> u64 {
    match rng.below(100) {
        0..=69 => 1,
        70..=87 => 2,
        88..=95 => 3,
        _ => 4,
    }
}

/// A BYOK row's LLM and platform costs, or the credits of a row on Neo's
/// key, from its cost in USD units: `(llm_cost, neo_cost, neo_credits)`.
fn amounts(is_byok: bool, usd_units: i64) -> (Option<f64>, Option<f64>, Option<f64>) {
    if is_byok {
        let neo = usd_units * NEO_COST_RATE_PERCENT / 100;
        let llm = Some(money::from_units(usd_units));
        (llm, Some(money::from_units(neo)), None)
    } else {
        (
            None,
            None,
            Some(money::from_units(usd_units / money::USD_PER_CREDIT)),
        )
    }
}

/// A detailed row's average step latency (unknown for one row in ten and
/// for rows with no step), from the time its steps were busy, and its title.
fn latency_and_title(rng: &mut SplitMix64, step_count: u64, busy_ms: u64) -> (Option<u64>, String) {
    let latency = (step_count > 0 && rng.below(100) >= 10).then(|| busy_ms / step_count);
    let (before, after) = TITLE_TEMPLATES[rng.below(TITLE_TEMPLATES.len() as u64) as usize];
    let target = TARGETS[rng.below(TARGETS.len() as u64) as usize];
    (latency, [before, target, after].concat())
}

/// `list` taken out of its row and cleared, keeping its room.
fn emptied<T>(list: &mut Vec<T>) -> Vec<T> {
    let mut list = std::mem::take(list);
    list.clear();
    list
}

/// `triggers` spread over one to four agents in `out`, sorted by name as
/// `TaskUsage::agent_breakdown` is; agents whose share is zero are left out.
fn agents_into(rng: &mut SplitMix64, triggers: u64, out: &mut Vec<(Cow<'static, str>, u64)>) {
    let agents = rng.between(1, 4) as usize;
    let first = rng.below(AGENTS.len() as u64) as usize;
    let mut weights = [0; AGENTS.len()];
    weights[..agents].fill_with(|| rng.between(1, 5));
    let shares = money::split_count(triggers, &weights[..agents]);
    for (k, share) in shares.into_iter().enumerate() {
        if share > 0 {
            out.push((Cow::Borrowed(AGENTS[(first + k) % AGENTS.len()]), share));
        }
    }
    neo_usage::sorting::sort_stable_by(out, |a, b| a.0.cmp(&b.0));
}

/// A UUID-shaped task id holding all 64 bits of `mix(mix(seed) ^ index)`
/// (a bijection of `index`, so ids of distinct indices differ) plus
/// `noise` for the remaining hex digits: `{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}`
/// of the groups below, written digit by digit (the formatting machinery
/// was about 10 ms of the viewer's 10k-row demo in a profile of a cold load).
pub fn task_id_for(seed: u64, index: u64, noise: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let id = mix(mix(seed) ^ index);
    // (value, hex digits); the third group's leading 4 is the UUID version.
    let groups = [
        (id >> 32, 8),
        ((id >> 16) & 0xffff, 4),
        (0x4000 | ((id >> 4) & 0x0fff), 4),
        (0x8000 | ((id & 0xf) << 8) | (noise & 0xff), 4),
        ((noise >> 16) & 0xffff_ffff_ffff, 12),
    ];
    let mut text = String::with_capacity(36);
    for (k, (value, digits)) in groups.into_iter().enumerate() {
        if k > 0 {
            text.push('-');
        }
        for shift in (0..digits).rev() {
            text.push(char::from(HEX[(value >> (4 * shift)) as usize & 0xf]));
        }
    }
    text
}

/// A creation time in the `days` days before `now`, by rejection sampling
/// against a weekly and daily rhythm (UTC): weekends and nights are quiet.
fn created_at_in_window(rng: &mut SplitMix64, now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    const DAY_MS: i64 = 86_400_000;
    let window_ms = (i64::from(days) * DAY_MS) as u64;
    let start_ms = (now - Duration::days(i64::from(days))).timestamp_millis();
    loop {
        let at_ms = start_ms + rng.below(window_ms) as i64;
        // Plain arithmetic instead of calendar conversions: this loop runs
        // a few times per row. 1970-01-01 was a Thursday (Monday = 0 → 3).
        let day = at_ms.div_euclid(DAY_MS);
        let weekday = (day + 3).rem_euclid(7);
        let hour = at_ms.rem_euclid(DAY_MS) / 3_600_000;
        let day_weight = match weekday {
            5 | 6 => 30, // Saturday, Sunday
            4 => 85,     // Friday
            _ => 100,
        };
        let hour_weight = match hour {
            0..=5 => 12,
            6..=7 => 40,
            8..=17 => 100,
            18..=21 => 55,
            _ => 25,
        };
        if rng.below(10_000) < day_weight * hour_weight {
            return DateTime::from_timestamp_millis(at_ms).unwrap_or(now);
        }
    }
}

/// Calls and their total duration, per entry of [`TOOL_CATALOGUE`].
type Tally = [(u64, u64); TOOL_CATALOGUE.len()];

/// `tool_breakdown` from the calls' tally, sorted by name: the same entries
/// [`breakdown_of`] makes. Looking each call's name up in a map (comparing
/// names down the tree) was a sixth of generating the viewer's demo, in a
/// profile of the viewer built with names.
fn breakdown_into(tally: &Tally, out: &mut Vec<(Cow<'static, str>, ToolStat)>) {
    let used = tally.iter().zip(&TOOL_CATALOGUE);
    out.extend(
        used.filter(|((calls, _), _)| *calls > 0)
            .map(|(&(calls, duration_ms), tool)| {
                let stat = ToolStat {
                    calls: Some(calls),
                    duration_ms: Some(duration_ms),
                };
                (Cow::Borrowed(tool.name), stat)
            }),
    );
    neo_usage::sorting::sort_stable_by(out, |a, b| a.0.cmp(&b.0));
}

/// `calls` tool calls in order, starting after the first model step,
/// written into `out` (cleared first); returns their tally.
fn tool_history(
    rng: &mut SplitMix64,
    calls: u64,
    created_at: DateTime<Utc>,
    step_latency_ms: u64,
    out: &mut Vec<ToolCallRef<'static>>,
) -> Tally {
    let weights = TOOL_CATALOGUE.map(|t| t.weight);
    let mut clock = created_at.timestamp_millis() + step_latency_ms as i64;
    let mut tally = [(0, 0); TOOL_CATALOGUE.len()];
    out.clear();
    out.extend((0..calls).map(|index| {
        let entry = rng.weighted(&weights);
        let tool = &TOOL_CATALOGUE[entry];
        let mut duration_ms = tool.typical_ms * rng.between(20, 200) / 100;
        if rng.below(100) < 4 {
            duration_ms *= 5; // the odd very slow call
        }
        let call = ToolCallRef {
            duration_ms,
            index,
            timestamp: clock,
            tool_name: Cow::Borrowed(tool.name),
        };
        clock += (duration_ms + step_latency_ms * rng.between(50, 150) / 100) as i64;
        tally[entry].0 += 1;
        tally[entry].1 += duration_ms;
        call
    }));
    tally
}

/// `tool_breakdown` computed from a history: calls and total duration by
/// tool name.
pub fn breakdown_of(history: &[ToolCall]) -> SortedMap<String, ToolStat> {
    let mut out: SortedMap<String, ToolStat> = SortedMap::new();
    for call in history {
        // Look up before inserting: the name is cloned once per tool, not
        // once per call.
        match out.get_mut(&call.tool_name) {
            Some(stat) => {
                stat.calls = Some(stat.calls.unwrap_or(0) + 1);
                stat.duration_ms = Some(stat.duration_ms.unwrap_or(0) + call.duration_ms);
            }
            None => {
                out.insert(
                    call.tool_name.clone(),
                    ToolStat {
                        calls: Some(1),
                        duration_ms: Some(call.duration_ms),
                    },
                );
            }
        }
    }
    out
}

/// A default anchor for tests and docs: 2026-11-28T12:00:00Z.
pub fn reference_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};
    use std::collections::BTreeSet;

    fn spec(seed: u64, tasks: usize) -> DatasetSpec {
        DatasetSpec::new(seed, tasks, reference_now())
    }

    #[test]
    fn same_seed_same_rows_other_seed_other_rows() {
        let a = generate(spec(42, 500));
        assert_eq!(a, generate(spec(42, 500)));
        assert_ne!(a, generate(spec(43, 500)));
    }

    #[test]
    fn rows_are_pinned_across_targets() {
        // The same fingerprint must come out natively and in wasm32.
        let rows = generate(spec(42, 200));
        let json = serde_json::to_string(&rows).unwrap();
        let fingerprint = crate::prng::fnv1a(json.as_bytes());
        assert_eq!(
            fingerprint,
            DATASET_FINGERPRINT_SEED42_200,
            "{}",
            &json[..400]
        );
    }

    /// FNV-1a of the JSON of `generate(seed 42, 200 rows, reference_now())`.
    const DATASET_FINGERPRINT_SEED42_200: u64 = 12_883_269_992_219_219_662;

    #[test]
    fn one_reused_borrowed_row_makes_the_same_rows_in_the_same_order() {
        // Sparse rows, error rows and long histories follow each other, so
        // an item left over from the row before would show.
        let spec = spec(42, 3_000).window_days(90);
        let mut row = TaskUsageRef::default();
        let reused: Vec<TaskUsage> = newest_first_indices(spec)
            .into_iter()
            .map(|i| {
                generate_row_ref_in(spec, i, &mut row);
                row.clone().into_owned()
            })
            .collect();
        let mut sorted: Vec<TaskUsage> = (0..3_000).map(|i| generate_row_in(spec, i)).collect();
        sort_newest_first(&mut sorted);
        assert_eq!(reused, sorted);
        assert_eq!(reused, generate(spec));
        assert!(reused.iter().any(|r| r.task_title.is_none()));
        assert!(reused.iter().any(|r| r.error_message.is_some()));
    }

    #[test]
    fn task_ids_are_unique_and_rows_sorted() {
        let rows = generate(spec(7, 20_000));
        let ids: BTreeSet<&str> = rows.iter().map(|r| r.task_id.as_str()).collect();
        assert_eq!(ids.len(), rows.len());
        assert!(rows.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    }

    #[test]
    fn newest_first_orders_by_instant_then_id_and_keeps_equal_rows_in_order() {
        let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap();
        let row = |id: &str, ms: i64, title: &str| {
            let mut r = TaskUsage::new(id, at(ms), "gpt-4o", TaskStatus::Completed);
            r.task_title = Some(title.to_owned());
            r
        };
        let mut rows = vec![
            row("a", 1_000, "a first"),
            row("b", 1_000, ""),
            row("c", 999, ""),
            row("a", 1_000, "a second"),
            row("d", 1_001, ""),
            row("e", -5, ""),
        ];
        let mut expected = rows.clone();
        expected.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| b.task_id.cmp(&a.task_id))
        });
        sort_newest_first(&mut rows);
        assert_eq!(rows, expected);
        let titles: Vec<_> = rows
            .iter()
            .filter_map(|r| r.task_title.as_deref())
            .collect();
        assert_eq!(titles, ["", "", "a first", "a second", "", ""]);
    }

    #[test]
    fn rows_are_consistent_and_realistic() {
        let rows = generate(spec(1, 5_000));
        let now = reference_now();
        let mut byok = 0;
        let mut weekend = 0;
        let mut statuses = BTreeSet::new();
        for r in &rows {
            assert!(
                r.created_at < now
                    && r.created_at >= now - Duration::days(i64::from(DEFAULT_WINDOW_DAYS))
            );
            if !r.tool_call_history.is_empty() || r.tool_time_ms.is_some() {
                assert_eq!(r.tool_calls, r.tool_call_history.len() as u64);
                assert_eq!(r.tool_breakdown, breakdown_of(&r.tool_call_history));
                let sum: u64 = r.tool_call_history.iter().map(|c| c.duration_ms).sum();
                assert_eq!(r.tool_time_ms, Some(sum));
            }
            if !r.agent_breakdown.is_empty() {
                assert_eq!(r.agent_breakdown.values().sum::<u64>(), r.agent_triggers);
            }
            if r.is_byok == Some(true) {
                byok += 1;
                assert!(r.llm_cost.is_some() && r.neo_cost.is_some() && r.neo_credits.is_none());
            } else {
                assert!(r.neo_credits.is_some() && r.llm_cost.is_none());
            }
            assert_eq!(r.error_message.is_some(), r.status == TaskStatus::Error);
            assert!(r.tool_calls <= MAX_TOOL_CALLS);
            assert!((1..=4).contains(&r.stream_count.unwrap_or(0)));
            if matches!(r.created_at.weekday(), Weekday::Sat | Weekday::Sun) {
                weekend += 1;
            }
            statuses.insert(r.status.as_str().to_owned());
        }
        assert!((1_000..1_500).contains(&byok), "byok {byok}");
        // Two days of seven would be 28%; the rhythm makes weekends quiet.
        assert!(weekend * 100 / rows.len() < 15, "weekend {weekend}");
        assert_eq!(statuses.len(), 5);
        assert!(rows.iter().any(|r| r.avg_step_latency_ms.is_none()));
        assert!(rows.iter().any(|r| r.task_title.is_none()));
    }
}
