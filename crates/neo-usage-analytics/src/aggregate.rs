//! Totals, status counts and outcomes, and grouping by a dimension, over a
//! selection. Money is summed as exact units ([`Amount`]); a missing number
//! counts as 0.

use neo_usage::sorting::sort_stable_by;
use neo_usage::TaskStatus;

use crate::intern::Sym;
use crate::money::Amount;
use crate::select::Selection;
use crate::store::{UsageStore, NO_EMAIL};

/// The figures of one row that the totals add, read once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowValues {
    pub(crate) credits: i64,
    /// `llm_cost`, 0 unless BYOK.
    pub(crate) byok_llm: i64,
    /// `neo_cost`, 0 unless BYOK.
    pub(crate) byok_neo: i64,
    pub(crate) byok: bool,
    pub(crate) tool_calls: u64,
    pub(crate) steps: u64,
    pub(crate) triggers: u64,
    pub(crate) execution_ms: u64,
}

impl RowValues {
    /// Reads row `i`.
    #[inline(always)]
    pub(crate) fn read(store: &UsageStore, i: usize) -> Self {
        let byok = store.is_byok(i);
        RowValues {
            credits: store.neo_credits.units_or_zero(i),
            byok_llm: if byok {
                store.llm_cost.units_or_zero(i)
            } else {
                0
            },
            byok_neo: if byok {
                store.neo_cost.units_or_zero(i)
            } else {
                0
            },
            byok,
            tool_calls: store.tool_calls.get(i),
            steps: store.step_count.get(i),
            triggers: store.agent_triggers.get(i),
            execution_ms: store.total_execution_ms.get_or_zero(i),
        }
    }

    /// Total cost in USD units ([`crate::sort::row_cost_units`]).
    #[inline(always)]
    pub(crate) fn cost(&self) -> i64 {
        neo_usage::money::total_cost_units(self.credits, self.byok_llm, self.byok_neo)
    }
}

/// The dashboard's sums over a set of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Rows.
    pub tasks: u64,
    /// Sum of `neo_credits`.
    pub credits: Amount,
    /// Sum of `llm_cost` over BYOK rows.
    pub byok_llm_cost: Amount,
    /// Sum of `neo_cost` over BYOK rows.
    pub byok_neo_cost: Amount,
    /// BYOK rows.
    pub byok_tasks: u64,
    /// Sum of `tool_calls`.
    pub tool_calls: u64,
    /// Sum of `step_count`.
    pub steps: u64,
    /// Sum of `agent_triggers`.
    pub agent_triggers: u64,
    /// Sum of `total_execution_ms`.
    pub execution_ms: u64,
}

impl Totals {
    /// Adds row `i`.
    #[inline]
    pub fn add(&mut self, store: &UsageStore, i: usize) {
        self.add_values(&RowValues::read(store, i));
    }

    /// Adds a row's values.
    #[inline(always)]
    pub(crate) fn add_values(&mut self, v: &RowValues) {
        self.tasks += 1;
        self.credits.units += i128::from(v.credits);
        self.byok_tasks += u64::from(v.byok);
        self.byok_llm_cost.units += i128::from(v.byok_llm);
        self.byok_neo_cost.units += i128::from(v.byok_neo);
        self.tool_calls = self.tool_calls.saturating_add(v.tool_calls);
        self.steps = self.steps.saturating_add(v.steps);
        self.agent_triggers = self.agent_triggers.saturating_add(v.triggers);
        self.execution_ms = self.execution_ms.saturating_add(v.execution_ms);
    }

    /// The totals from the sums of a grouping that holds every row once
    /// (`all`), the rows that are BYOK, and the sums of `tool_calls`,
    /// `step_count`, `agent_triggers` and `total_execution_ms` (wide, capped
    /// here as row-by-row saturating sums of non-negative values are).
    pub(crate) fn from_sums(all: &GroupTotals, byok_tasks: u64, counts: [u128; 4]) -> Self {
        let cap = |sum: u128| u64::try_from(sum).unwrap_or(u64::MAX);
        Totals {
            tasks: all.tasks,
            credits: all.credits,
            byok_llm_cost: all.byok_llm_cost,
            byok_neo_cost: all.byok_neo_cost,
            byok_tasks,
            tool_calls: cap(counts[0]),
            steps: cap(counts[1]),
            agent_triggers: cap(counts[2]),
            execution_ms: cap(counts[3]),
        }
    }

    /// The totals of `rows`.
    ///
    /// ```
    /// use neo_usage::{TaskStatus, TaskUsage};
    /// use neo_usage_analytics::{Selection, Totals, UsageStore};
    /// let mut rows = Vec::new();
    /// for (id, credits) in [("a", 0.1), ("b", 0.2)] {
    ///     let mut r = TaskUsage::new(id, "2026-11-01T00:00:00Z".parse().unwrap(), "o3", TaskStatus::Completed);
    ///     r.neo_credits = Some(credits);
    ///     rows.push(r);
    /// }
    /// let store = UsageStore::from_rows(rows);
    /// let t = Totals::of(&store, &Selection::all(&store));
    /// assert_eq!((t.tasks, t.credits.to_string(), t.usd_equivalent().to_string()), (2, "0.3000".into(), "3.0000".into()));
    /// ```
    pub fn of(store: &UsageStore, rows: &Selection) -> Self {
        let mut totals = Totals::default();
        for i in rows.iter() {
            totals.add(store, i);
        }
        totals
    }

    /// USD equivalent of the credits (credits × 10).
    pub fn usd_equivalent(&self) -> Amount {
        self.credits.usd_from_credits()
    }

    /// Total cost in USD: the credits' USD equivalent plus the BYOK LLM and
    /// platform costs.
    pub fn cost_usd(&self) -> Amount {
        self.usd_equivalent() + self.byok_llm_cost + self.byok_neo_cost
    }
}

/// Whether a status counts as "did not complete" for spend lost: error,
/// failed, aborted or blocked.
pub fn did_not_complete(status: &TaskStatus) -> bool {
    matches!(
        status,
        TaskStatus::Error | TaskStatus::Failed | TaskStatus::Aborted | TaskStatus::Blocked
    )
}

/// Rows per status and what the outcomes cost.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcomes {
    /// Rows per status: the known statuses in [`TaskStatus::KNOWN`] order
    /// (zero counts included), then any other status by name.
    pub by_status: Vec<(TaskStatus, u64)>,
    /// All rows.
    pub tasks: u64,
    /// `completed` rows.
    pub completed: u64,
    /// `error` + `failed` rows.
    pub errors: u64,
    /// Total cost in USD of every row ([`Totals::cost_usd`]).
    pub cost_usd: Amount,
    /// Total cost in USD of the rows that did not complete
    /// ([`did_not_complete`]).
    pub incomplete_cost_usd: Amount,
}

impl Outcomes {
    /// Status counts and costs of `rows`.
    pub fn of(store: &UsageStore, rows: &Selection) -> Self {
        let mut by_status = vec![GroupTotals::default(); store.statuses().len()];
        for i in rows.iter() {
            by_status[store.status[i] as usize].add_values(&RowValues::read(store, i));
        }
        Outcomes::from_status_totals(store, &by_status)
    }

    /// The outcomes from totals per status id (the store's status interner).
    pub(crate) fn from_status_totals(store: &UsageStore, totals: &[GroupTotals]) -> Self {
        let statuses: Vec<TaskStatus> = store.statuses().names().map(TaskStatus::parse).collect();
        let counts: Vec<u64> = totals.iter().map(|t| t.tasks).collect();
        let cost_by_status: Vec<i128> = totals.iter().map(|t| t.cost_usd().units).collect();
        let mut by_status: Vec<(TaskStatus, u64)> = TaskStatus::KNOWN
            .iter()
            .map(|known| {
                let n = statuses
                    .iter()
                    .zip(&counts)
                    .filter(|(s, _)| *s == known)
                    .map(|(_, n)| *n)
                    .sum();
                (known.clone(), n)
            })
            .collect();
        let mut unknown: Vec<(TaskStatus, u64)> = statuses
            .iter()
            .zip(&counts)
            .filter(|(s, n)| !s.is_known() && **n > 0)
            .map(|(s, n)| (s.clone(), *n))
            .collect();
        sort_stable_by(&mut unknown, |a, b| a.0.as_str().cmp(b.0.as_str()));
        by_status.extend(unknown);
        let count_of = |wanted: &[TaskStatus]| -> u64 {
            by_status
                .iter()
                .filter(|(s, _)| wanted.contains(s))
                .map(|(_, n)| n)
                .sum()
        };
        let incomplete: i128 = statuses
            .iter()
            .zip(&cost_by_status)
            .filter(|(s, _)| did_not_complete(s))
            .map(|(_, c)| c)
            .sum();
        Outcomes {
            tasks: counts.iter().sum(),
            completed: count_of(&[TaskStatus::Completed]),
            errors: count_of(&[TaskStatus::Error, TaskStatus::Failed]),
            cost_usd: Amount::from_units(cost_by_status.iter().sum::<i128>()),
            incomplete_cost_usd: Amount::from_units(incomplete),
            by_status,
        }
    }

    /// (error + failed) / all rows; 0 with no rows.
    pub fn error_rate(&self) -> f64 {
        ratio(self.errors, self.tasks)
    }

    /// Total cost in USD of every row (failed runs included) per completed
    /// task: what one success costs. `None` with no completed task.
    pub fn cost_per_completed(&self) -> Option<f64> {
        (self.completed > 0).then(|| self.cost_usd.per(self.completed as f64))
    }

    /// Share of the total cost spent on rows that did not complete (0 with
    /// no cost).
    pub fn incomplete_share(&self) -> f64 {
        self.incomplete_cost_usd.ratio(self.cost_usd)
    }

    /// Rows with `status`.
    pub fn count(&self, status: &TaskStatus) -> u64 {
        self.by_status
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// What rows are grouped or stacked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// `model`.
    Model,
    /// `status`.
    Status,
    /// The member's `email` (rows without one group under [`NO_MEMBER`]).
    Member,
    /// BYOK or not (labels [`BYOK_LABEL`] and [`NOT_BYOK_LABEL`]).
    Byok,
}

/// Label of the rows without an email.
pub const NO_MEMBER: &str = "(no email)";
/// Label of BYOK rows.
pub const BYOK_LABEL: &str = "BYOK";
/// Label of the other rows.
pub const NOT_BYOK_LABEL: &str = "Neo credits";

/// Keys of a dimension: a small integer per row, and its label.
pub(crate) struct Keys<'s> {
    store: &'s UsageStore,
    dimension: Dimension,
}

/// The member key of a row with email symbol `email`: the symbol, or
/// `no_member` (the store's number of emails) for a row without one.
#[inline(always)]
pub(crate) fn member_key(email: Sym, no_member: usize) -> usize {
    match email {
        NO_EMAIL => no_member,
        e => e as usize,
    }
}

impl<'s> Keys<'s> {
    pub(crate) fn new(store: &'s UsageStore, dimension: Dimension) -> Self {
        Keys { store, dimension }
    }

    /// Number of distinct keys.
    pub(crate) fn count(&self) -> usize {
        match self.dimension {
            Dimension::Model => self.store.models().len(),
            Dimension::Status => self.store.statuses().len(),
            Dimension::Member => self.store.emails().len() + 1,
            Dimension::Byok => 2,
        }
    }

    /// The key of row `i`.
    #[inline(always)]
    pub(crate) fn of(&self, i: usize) -> usize {
        match self.dimension {
            Dimension::Model => self.store.model[i] as usize,
            Dimension::Status => self.store.status[i] as usize,
            Dimension::Member => member_key(self.store.email[i], self.store.emails().len()),
            Dimension::Byok => usize::from(self.store.is_byok(i)),
        }
    }

    /// The label of key `k`.
    pub(crate) fn label(&self, k: usize) -> String {
        match self.dimension {
            Dimension::Model => self.store.models().name(k as u32).to_owned(),
            Dimension::Status => self.store.statuses().name(k as u32).to_owned(),
            Dimension::Member if k == self.store.emails().len() => NO_MEMBER.to_owned(),
            Dimension::Member => self.store.emails().name(k as u32).to_owned(),
            Dimension::Byok if k == 1 => BYOK_LABEL.to_owned(),
            Dimension::Byok => NOT_BYOK_LABEL.to_owned(),
        }
    }
}

/// The sums a group or a bar needs: rows and money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupTotals {
    /// Rows.
    pub tasks: u64,
    /// Sum of `neo_credits`.
    pub credits: Amount,
    /// Sum of `llm_cost` over BYOK rows.
    pub byok_llm_cost: Amount,
    /// Sum of `neo_cost` over BYOK rows.
    pub byok_neo_cost: Amount,
}

impl GroupTotals {
    /// Adds a row's values.
    #[inline(always)]
    pub(crate) fn add_values(&mut self, v: &RowValues) {
        self.tasks += 1;
        self.credits.units += i128::from(v.credits);
        self.byok_llm_cost.units += i128::from(v.byok_llm);
        self.byok_neo_cost.units += i128::from(v.byok_neo);
    }

    /// Adds another group's sums.
    pub(crate) fn merge(&mut self, other: &GroupTotals) {
        self.tasks += other.tasks;
        self.credits += other.credits;
        self.byok_llm_cost += other.byok_llm_cost;
        self.byok_neo_cost += other.byok_neo_cost;
    }

    /// USD equivalent of the credits (credits × 10).
    pub fn usd_equivalent(&self) -> Amount {
        self.credits.usd_from_credits()
    }

    /// Total cost in USD ([`Totals::cost_usd`]).
    pub fn cost_usd(&self) -> Amount {
        self.usd_equivalent() + self.byok_llm_cost + self.byok_neo_cost
    }
}

/// One group's label and sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The model, status, email or BYOK label.
    pub label: String,
    /// Sums of the group's rows.
    pub totals: GroupTotals,
}

/// The rows of `rows` grouped by `dimension`, groups without rows left out,
/// most costly first (then most tasks, then label).
pub fn group_by(store: &UsageStore, rows: &Selection, dimension: Dimension) -> Vec<Group> {
    let keys = Keys::new(store, dimension);
    let mut totals = vec![GroupTotals::default(); keys.count()];
    for i in rows.iter() {
        totals[keys.of(i)].add_values(&RowValues::read(store, i));
    }
    groups_from(&keys, totals)
}

/// Groups from totals per key, without empty ones, most costly first.
pub(crate) fn groups_from(keys: &Keys, totals: Vec<GroupTotals>) -> Vec<Group> {
    let mut groups: Vec<Group> = totals
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.tasks > 0)
        .map(|(k, totals)| Group {
            label: keys.label(k),
            totals,
        })
        .collect();
    sort_stable_by(&mut groups, |a, b| {
        b.totals
            .cost_usd()
            .cmp(&a.totals.cost_usd())
            .then(b.totals.tasks.cmp(&a.totals.tasks))
            .then_with(|| a.label.cmp(&b.label))
    });
    groups
}
