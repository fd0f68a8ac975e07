//! The command-line flags of `neo-usage-mock` and the [`ServerConfig`] they
//! build: the rows to serve, the tokens of the four roles, the faults, the
//! static site and the upstream API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use clap::Parser;

use crate::dataset::{DatasetSpec, SOLO_EMAIL};
use crate::engine::Engine;
use crate::faults::FaultConfig;
use crate::role::Role;

/// Reference server for the Neo usage API: a seeded demo team, four roles,
/// fault injection, CORS, static files, or forwarding to a real API.
#[derive(Debug, Clone, Parser)]
#[command(name = "neo-usage-mock", version)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Seed of the dataset and of the fault decisions.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of generated tasks.
    #[arg(long, default_value_t = 2000)]
    pub tasks: usize,
    /// End of the generated window (RFC 3339); default: now.
    #[arg(long, value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
    /// Days before `--now` the generated tasks are spread over (the
    /// viewer's demo uses 90).
    #[arg(long, default_value_t = crate::dataset::DEFAULT_WINDOW_DAYS, value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub window_days: u32,
    /// Serve rows from this file (a task-list page or a JSON array of rows)
    /// instead of generating them.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Token of the team admin.
    #[arg(long, default_value = "admin-token")]
    pub admin_token: String,
    /// Token of the solo user.
    #[arg(long, default_value = "solo-token")]
    pub solo_token: String,
    /// Token of a team member (403).
    #[arg(long, default_value = "member-token")]
    pub member_token: String,
    /// Token of a team viewer (403).
    #[arg(long, default_value = "viewer-token")]
    pub viewer_token: String,
    /// Serve this directory at `/` (`index.html` for `/` and directories,
    /// 404 for a missing file).
    #[arg(long)]
    pub serve_dir: Option<PathBuf>,
    /// Delay every API answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Add up to this many milliseconds of random delay.
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Fraction (0..1) of API requests answered with one of
    /// `--error-statuses`.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    pub error_rate: f64,
    /// The statuses `--error-rate` injects, drawn evenly (an injected 429
    /// carries `--retry-after`).
    #[arg(long, value_delimiter = ',', default_values_t = crate::faults::DEFAULT_ERROR_STATUSES, value_parser = clap::value_parser!(u16).range(400..=599))]
    pub error_statuses: Vec<u16>,
    /// Answer 429 once more than N API requests arrive within the window.
    #[arg(long)]
    pub rate_limit: Option<u64>,
    /// The rate-limit window in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub rate_window_ms: u64,
    /// `Retry-After` seconds sent with 429.
    #[arg(long, default_value_t = 1)]
    pub retry_after: u64,
    /// Fraction (0..1) of API connections closed without an answer.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    pub drop_rate: f64,
    /// Fraction (0..1) of 200 bodies cut short (status kept).
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    pub truncate_rate: f64,
    /// Fraction (0..1) of API requests held 10 minutes before answering
    /// (clients time out first).
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    pub stall_rate: f64,
    /// Fraction (0..1) of task-list answers sent hollow: no rows,
    /// `has_more: true`, the real `total`.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    pub empty_page_rate: f64,
    /// Task-list answers report `total` off by up to this many rows, drawn
    /// per request (rows unchanged).
    #[arg(long, default_value_t = 0)]
    pub total_drift: u64,
    /// Every N-th API request inserts a new newest task.
    #[arg(long)]
    pub grow_every: Option<u64>,
    /// Forward /api/v1/usage/* to this API (https://host or http://host:port)
    /// instead of serving data.
    #[arg(long)]
    pub upstream: Option<String>,
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    neo_usage::query::parse_instant(text).ok_or_else(|| {
        format!("expected an RFC 3339 date-time such as 2026-11-28T12:00:00Z, got {text:?}")
    })
}

fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("expected a fraction between 0 and 1, got {text:?}")),
    }
}

/// The current time (chrono's `clock` feature is off in this workspace).
pub fn current_time() -> DateTime<Utc> {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// The tokens of the four roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    /// Team admin.
    pub admin: String,
    /// Solo user.
    pub solo: String,
    /// Team member.
    pub member: String,
    /// Team viewer.
    pub viewer: String,
}

impl Default for Tokens {
    fn default() -> Self {
        Tokens {
            admin: "admin-token".into(),
            solo: "solo-token".into(),
            member: "member-token".into(),
            viewer: "viewer-token".into(),
        }
    }
}

impl Tokens {
    /// The role a token stands for, if any.
    pub fn role_of(&self, token: &str) -> Option<Role> {
        [
            (&self.admin, Role::Admin),
            (&self.solo, Role::Solo),
            (&self.member, Role::Member),
            (&self.viewer, Role::Viewer),
        ]
        .into_iter()
        .find(|(t, _)| !t.is_empty() && t.as_str() == token)
        .map(|(_, role)| role)
    }
}

/// Everything the server needs, built from [`Args`] or by hand in tests.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The rows and query rules.
    pub engine: Engine,
    /// What the rows are, for the start-up banner.
    pub data_description: String,
    /// Tokens of the four roles.
    pub tokens: Tokens,
    /// The faults to inject.
    pub faults: FaultConfig,
    /// Seed of the fault decisions and of grown rows.
    pub seed: u64,
    /// Static site served at `/`.
    pub serve_dir: Option<PathBuf>,
    /// API to forward `/api/v1/usage/*` to (`http://host:port`).
    pub upstream: Option<String>,
}

impl ServerConfig {
    /// A server over `engine` with the default tokens and no faults.
    pub fn new(engine: Engine) -> Self {
        ServerConfig {
            data_description: format!("{} tasks", engine.len()),
            engine,
            tokens: Tokens::default(),
            faults: FaultConfig::default(),
            seed: 42,
            serve_dir: None,
            upstream: None,
        }
    }

    /// The start-up banner for a server bound to `addr`: the URL, the
    /// tokens and the active faults, one line each.
    /// Built-in sandbox tokens are printed so users can copy them; a token
    /// set by flag is never printed (it may be a real secret).
    pub fn banner(&self, addr: SocketAddr) -> Vec<String> {
        let defaults = Tokens::default();
        let shown = |token: &str, default: &str, flag: &str| {
            if token == default {
                token.to_owned()
            } else {
                format!("(set by {flag}, not shown)")
            }
        };
        let mut lines = vec![
            format!("neo-usage-mock API: http://{addr}/api/v1/usage/tasks"),
            format!("data: {}", self.data_description),
            format!(
                "token admin: {}",
                shown(&self.tokens.admin, &defaults.admin, "--admin-token")
            ),
            format!(
                "token solo: {} (sees {})",
                shown(&self.tokens.solo, &defaults.solo, "--solo-token"),
                self.engine.solo_email().unwrap_or("every row")
            ),
            format!(
                "token member: {} (403)",
                shown(&self.tokens.member, &defaults.member, "--member-token")
            ),
            format!(
                "token viewer: {} (403)",
                shown(&self.tokens.viewer, &defaults.viewer, "--viewer-token")
            ),
        ];
        lines.extend(self.faults.describe());
        if let Some(dir) = &self.serve_dir {
            lines.push(format!("static site: {} at http://{addr}/", dir.display()));
        }
        if let Some(upstream) = &self.upstream {
            lines.push(format!(
                "upstream: forwarding /api/v1/usage/* to {upstream}"
            ));
        }
        lines
    }
}

impl Args {
    /// Builds the configuration: loads `--data` or generates the dataset.
    pub fn into_config(self) -> Result<ServerConfig, String> {
        if let Some(upstream) = &self.upstream {
            if !(upstream.starts_with("https://") || upstream.starts_with("http://")) {
                return Err(format!(
                    "--upstream {upstream:?}: give the API's base URL with its scheme, e.g. https://neo.api.projectdiscovery.io"
                ));
            }
        }
        let now = self.now.unwrap_or_else(current_time);
        let (engine, data_description) = match &self.data {
            Some(path) => {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("--data {}: cannot read: {e}", path.display()))?;
                let rows = neo_usage::decode::decode_rows(&bytes)
                    .map_err(|e| format!("--data {}: {e}", path.display()))?;
                let engine = Engine::from_rows(rows, now);
                let description = format!("{} tasks from {}", engine.len(), path.display());
                (engine, description)
            }
            None => {
                let spec =
                    DatasetSpec::new(self.seed, self.tasks, now).window_days(self.window_days);
                (
                    Engine::demo(spec),
                    format!(
                        "{} generated tasks (seed {}, {} days before {}; solo user {SOLO_EMAIL})",
                        self.tasks,
                        self.seed,
                        self.window_days,
                        neo_usage::query::format_instant(now)
                    ),
                )
            }
        };
        Ok(ServerConfig {
            engine,
            data_description,
            tokens: Tokens {
                admin: self.admin_token,
                solo: self.solo_token,
                member: self.member_token,
                viewer: self.viewer_token,
            },
            faults: FaultConfig {
                latency_ms: self.latency_ms,
                jitter_ms: self.jitter_ms,
                error_rate: self.error_rate,
                error_statuses: self.error_statuses,
                rate_limit: self.rate_limit,
                rate_window_ms: self.rate_window_ms,
                retry_after_secs: self.retry_after,
                drop_rate: self.drop_rate,
                truncate_rate: self.truncate_rate,
                stall_rate: self.stall_rate,
                empty_page_rate: self.empty_page_rate,
                total_drift: self.total_drift,
                grow_every: self.grow_every,
            },
            seed: self.seed,
            serve_dir: self.serve_dir,
            upstream: self.upstream.map(|u| u.trim_end_matches('/').to_owned()),
        })
    }
}
