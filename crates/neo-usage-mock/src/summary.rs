//! The usage summary (`GET /api/v1/usage/summary`) computed from the rows a
//! caller may see.
//!
//! Amounts are summed as whole ten-thousandths ([`neo_usage::money`]) so totals
//! are exact. `by_period` buckets are UTC days, weeks starting on Monday, or
//! calendar months, labelled with the bucket's first day
//! ([`neo_usage::assumed::PERIOD_LABEL_FORMAT`]), oldest first, empty buckets
//! left out. The account facts (`last_credit_reset`, issued and available
//! credits, expiry) come from [`AccountFacts`].

use neo_usage::sorting::sort_stable_by;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use neo_usage::{
    assumed, calendar, ByokUsage, EmailUsage, GroupBy, ModelUsage, PeriodUsage, SortedMap,
    TaskStatus, TaskUsage, UsageSummary,
};

use crate::money::{from_units, to_units};

/// Credits the demo account is issued per reset.
pub const ISSUED_NEO_CREDITS: f64 = 2_500.0;

/// Days after a reset that issued credits expire.
pub const CREDIT_VALIDITY_DAYS: i64 = 90;

/// Facts about the account that rows do not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountFacts {
    /// Credits issued at the last reset.
    pub issued_neo_credits: f64,
    /// When credits were last reset.
    pub last_credit_reset: DateTime<Utc>,
    /// When the issued credits expire.
    pub neo_credits_expires_at: DateTime<Utc>,
    /// The instant "now" for `neo_credits_is_expired`.
    pub now: DateTime<Utc>,
}

impl AccountFacts {
    /// Credits reset on the 1st of `now`'s month (UTC), issued
    /// [`ISSUED_NEO_CREDITS`], valid [`CREDIT_VALIDITY_DAYS`].
    pub fn monthly(now: DateTime<Utc>) -> Self {
        let reset = Utc
            .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
            .single()
            .unwrap_or(now);
        AccountFacts {
            issued_neo_credits: ISSUED_NEO_CREDITS,
            last_credit_reset: reset,
            neo_credits_expires_at: reset + Duration::days(CREDIT_VALIDITY_DAYS),
            now,
        }
    }
}

#[derive(Default)]
struct Totals {
    tasks: u64,
    credits: i64,
    llm_cost: i64,
    neo_cost: i64,
}

impl Totals {
    fn add(&mut self, row: &TaskUsage) {
        self.tasks += 1;
        self.credits += row.neo_credits.map_or(0, to_units);
        self.llm_cost += row.llm_cost.map_or(0, to_units);
        self.neo_cost += row.neo_cost.map_or(0, to_units);
    }
}

/// The first day of the UTC bucket holding `at`: the core's
/// [`calendar::period_start`] of its UTC date, the same definition the
/// viewer's analytics use in any zone.
pub fn bucket_start(at: DateTime<Utc>, group_by: GroupBy) -> NaiveDate {
    calendar::period_start(at.date_naive(), group_by)
}

/// Summarises `in_range` (the caller's rows within `from`/`to`).
/// `post_reset_credits` is the credits the caller's rows used since the last
/// reset, whatever the range. `with_emails` adds `by_email` (admins).
pub fn summarise<'a>(
    in_range: impl Iterator<Item = &'a TaskUsage>,
    group_by: Option<GroupBy>,
    with_emails: bool,
    post_reset_credits: f64,
    account: &AccountFacts,
) -> UsageSummary {
    let mut all = Totals::default();
    let mut by_model: SortedMap<String, Totals> = SortedMap::new();
    let mut by_status: SortedMap<TaskStatus, u64> = SortedMap::new();
    let mut by_email: SortedMap<String, Totals> = SortedMap::new();
    let mut by_period: SortedMap<NaiveDate, Totals> = SortedMap::new();
    let mut byok = Totals::default();
    let mut byok_streams = 0u64;
    let (mut triggers, mut execution_ms, mut steps, mut tool_calls) = (0u64, 0u64, 0u64, 0u64);

    for row in in_range {
        all.add(row);
        by_model.entry(row.model.clone()).or_default().add(row);
        *by_status.entry(row.status.clone()).or_default() += 1;
        if with_emails {
            if let Some(email) = &row.email {
                by_email.entry(email.clone()).or_default().add(row);
            }
        }
        if let Some(group_by) = group_by {
            by_period
                .entry(bucket_start(row.created_at, group_by))
                .or_default()
                .add(row);
        }
        if row.is_byok == Some(true) {
            byok.add(row);
            byok_streams += row.stream_count.unwrap_or(1);
        }
        triggers += row.agent_triggers;
        execution_ms += row.total_execution_ms.unwrap_or(0);
        steps += row.step_count;
        tool_calls += row.tool_calls;
    }

    let mut emails: Vec<(String, Totals)> = by_email.into_iter().collect();
    sort_stable_by(&mut emails, |a, b| {
        b.1.credits.cmp(&a.1.credits).then_with(|| a.0.cmp(&b.0))
    });

    UsageSummary {
        by_model: by_model
            .into_iter()
            .map(|(model, t)| {
                let usage = ModelUsage {
                    tasks: Some(t.tasks),
                    neo_credits: Some(from_units(t.credits)),
                    llm_cost: Some(from_units(t.llm_cost)),
                    neo_cost: Some(from_units(t.neo_cost)),
                };
                (model, usage)
            })
            .collect(),
        by_status,
        total_neo_credits: from_units(all.credits),
        total_tasks: all.tasks,
        by_email: emails
            .into_iter()
            .map(|(email, t)| EmailUsage {
                email: Some(email),
                neo_credits: Some(from_units(t.credits)),
                tasks: Some(t.tasks),
            })
            .collect(),
        by_period: by_period
            .into_iter()
            .map(|(start, t)| PeriodUsage {
                date: Some(start.format(assumed::PERIOD_LABEL_FORMAT).to_string()),
                neo_credits: Some(from_units(t.credits)),
                tasks: Some(t.tasks),
            })
            .collect(),
        byok: Some(ByokUsage {
            total_llm_cost: Some(from_units(byok.llm_cost)),
            total_neo_cost: Some(from_units(byok.neo_cost)),
            total_streams: Some(byok_streams),
            total_tasks: Some(byok.tasks),
        }),
        last_credit_reset: Some(account.last_credit_reset),
        neo_credits_expires_at: Some(account.neo_credits_expires_at),
        neo_credits_is_expired: Some(account.neo_credits_expires_at <= account.now),
        total_agent_triggers: Some(triggers),
        total_available_neo_credits: Some(from_units(
            (to_units(account.issued_neo_credits) - to_units(post_reset_credits)).max(0),
        )),
        total_execution_ms: Some(execution_ms),
        total_issued_neo_credits: Some(account.issued_neo_credits),
        total_neo_credits_post_reset: Some(post_reset_credits),
        total_steps: Some(steps),
        total_tool_calls: Some(tool_calls),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn buckets_start_on_day_monday_and_first() {
        let t = at("2026-11-28T23:59:59Z"); // a Saturday
        assert_eq!(bucket_start(t, GroupBy::Day).to_string(), "2026-11-28");
        assert_eq!(bucket_start(t, GroupBy::Week).to_string(), "2026-11-23");
        assert_eq!(bucket_start(t, GroupBy::Month).to_string(), "2026-11-01");
        let monday = at("2026-11-23T00:00:00Z");
        assert_eq!(
            bucket_start(monday, GroupBy::Week).to_string(),
            "2026-11-23"
        );
    }

    #[test]
    fn monthly_account_resets_on_the_first() {
        let facts = AccountFacts::monthly(at("2026-11-28T12:00:00Z"));
        assert_eq!(facts.last_credit_reset, at("2026-11-01T00:00:00Z"));
        assert!(facts.neo_credits_expires_at > facts.now);
    }
}
