//! Fault flags over HTTP: latency, jitter, injected statuses, rate limit with
//! Retry-After, dropped connections, stalls, truncated bodies, hollow pages,
//! a drifting total, growth, and forwarding to an upstream API.
//!
//! Time-dependent faults run on tokio's paused clock (`start_paused`): the
//! server's sleeps and its rate limiter read that clock, so the tests
//! advance it by hand and never measure the machine's speed.

use std::time::Duration;

use tokio::time::Instant;

use crate::common::{admin, engine, exchange, get, start};
use neo_usage::TaskUsagePage;
use neo_usage_mock::config::ServerConfig;
use neo_usage_mock::faults::FaultConfig;

const TASKS: &str = "/api/v1/usage/tasks";

fn with_faults(tasks: usize, faults: FaultConfig) -> ServerConfig {
    let mut config = ServerConfig::new(engine(tasks));
    config.faults = FaultConfig {
        rate_window_ms: faults.rate_window_ms.max(1),
        ..faults
    };
    config
}

/// The status of each of `n` admin requests, `None` for a dropped one.
async fn statuses(addr: std::net::SocketAddr, n: usize) -> Vec<Option<u16>> {
    let mut out = Vec::new();
    for _ in 0..n {
        let reply = exchange(
            addr,
            "GET /api/v1/usage/tasks?limit=5 HTTP/1.1\r\nAuthorization: Bearer admin-token",
        )
        .await;
        out.push(reply.map(|r| r.status));
    }
    out
}

#[tokio::test(start_paused = true)]
async fn latency_and_jitter_delay_api_answers_only() {
    let addr = start(with_faults(
        5,
        FaultConfig {
            latency_ms: 150,
            jitter_ms: 50,
            ..FaultConfig::default()
        },
    ))
    .await;
    // On the paused clock, time moves only when every task waits on a
    // timer: the elapsed time is exactly the server's planned delay.
    let t = Instant::now();
    assert_eq!(admin(addr, TASKS).await.status, 200);
    let took = t.elapsed();
    assert!(
        (Duration::from_millis(150)..=Duration::from_millis(200)).contains(&took),
        "{took:?}"
    );
    let t = Instant::now();
    get(addr, "/__mock/stats", None).await;
    assert_eq!(t.elapsed(), Duration::ZERO, "control endpoints never wait");
}

#[tokio::test]
async fn error_rate_answers_500_or_503_deterministically() {
    let all = FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    };
    let addr = start(with_faults(5, all)).await;
    let seen = statuses(addr, 20).await;
    assert!(seen.iter().all(|s| matches!(s, Some(500) | Some(503))));
    assert!(seen.contains(&Some(500)) && seen.contains(&Some(503)));
    let r = admin(addr, TASKS).await;
    assert!(r.json()["error"].as_str().unwrap().contains("injected"));
    assert_eq!(r.header("retry-after"), None);
    assert_eq!(get(addr, "/__mock/stats", None).await.status, 200);

    let half = FaultConfig {
        error_rate: 0.5,
        ..FaultConfig::default()
    };
    let first = statuses(start(with_faults(5, half.clone())).await, 30).await;
    let second = statuses(start(with_faults(5, half)).await, 30).await;
    assert_eq!(first, second, "same seed, same faults");
    assert!(first.contains(&Some(200)) && first.iter().any(|s| *s != Some(200)));
}

#[tokio::test]
async fn error_statuses_choose_what_is_injected() {
    let only = |statuses: Vec<u16>| FaultConfig {
        error_rate: 1.0,
        error_statuses: statuses,
        retry_after_secs: 4,
        ..FaultConfig::default()
    };
    let addr = start(with_faults(5, only(vec![429]))).await;
    for _ in 0..3 {
        let r = admin(addr, TASKS).await;
        assert_eq!(r.status, 429);
        assert_eq!(r.header("retry-after"), Some("4"));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    let addr = start(with_faults(5, only(vec![408, 502]))).await;
    let seen = statuses(addr, 30).await;
    assert!(
        seen.contains(&Some(408)) && seen.contains(&Some(502)),
        "{seen:?}"
    );
    assert!(seen.iter().all(|s| matches!(s, Some(408) | Some(502))));
}

#[tokio::test(start_paused = true)]
async fn rate_limit_answers_429_with_retry_after_until_the_window_passes() {
    let addr = start(with_faults(
        5,
        FaultConfig {
            rate_limit: Some(3),
            rate_window_ms: 300,
            retry_after_secs: 2,
            ..FaultConfig::default()
        },
    ))
    .await;
    // The clock stands still while nothing sleeps: all four arrive at once.
    for _ in 0..3 {
        assert_eq!(admin(addr, TASKS).await.status, 200);
    }
    let r = admin(addr, TASKS).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert!(r.json()["error"].as_str().unwrap().contains("rate limit"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    tokio::time::advance(Duration::from_millis(299)).await;
    assert_eq!(admin(addr, TASKS).await.status, 429, "window not over");
    tokio::time::advance(Duration::from_millis(1)).await;
    assert_eq!(admin(addr, TASKS).await.status, 200, "window over");
    // A reset forgets the window at once.
    assert_eq!(admin(addr, TASKS).await.status, 200);
    assert_eq!(admin(addr, TASKS).await.status, 200);
    assert_eq!(admin(addr, TASKS).await.status, 429);
    crate::common::reset(addr).await;
    assert_eq!(admin(addr, TASKS).await.status, 200);
}

#[tokio::test(start_paused = true)]
async fn stall_rate_holds_answers_far_beyond_any_timeout() {
    let addr = start(with_faults(
        5,
        FaultConfig {
            stall_rate: 1.0,
            ..FaultConfig::default()
        },
    ))
    .await;
    let t = Instant::now();
    assert_eq!(admin(addr, TASKS).await.status, 200);
    assert_eq!(t.elapsed(), neo_usage_mock::faults::STALL);
}

#[tokio::test]
async fn empty_page_rate_answers_hollow_pages_with_has_more() {
    let addr = start(with_faults(
        30,
        FaultConfig {
            empty_page_rate: 1.0,
            ..FaultConfig::default()
        },
    ))
    .await;
    let p: TaskUsagePage = serde_json::from_slice(&admin(addr, TASKS).await.body).unwrap();
    assert!(p.data.is_empty());
    assert!(p.has_more);
    assert_eq!(p.total, 30);
    // Only the task list: the summary is whole.
    let summary = admin(addr, "/api/v1/usage/summary").await.json();
    assert_eq!(summary["total_tasks"], 30);
}

#[tokio::test]
async fn total_drift_shifts_only_the_total() {
    let drift = FaultConfig {
        total_drift: 5,
        ..FaultConfig::default()
    };
    let addr = start(with_faults(40, drift.clone())).await;
    let mut totals = std::collections::BTreeSet::new();
    let mut first_rows = None;
    for _ in 0..40 {
        let p: TaskUsagePage =
            serde_json::from_slice(&admin(addr, &format!("{TASKS}?limit=200")).await.body).unwrap();
        assert_eq!(p.data.len(), 40, "rows unchanged");
        assert!((35..=45).contains(&p.total), "{}", p.total);
        first_rows.get_or_insert(p.data);
        totals.insert(p.total);
    }
    assert!(totals.len() > 3, "the total did drift: {totals:?}");
}

#[tokio::test]
async fn drop_rate_closes_connections_without_an_answer() {
    let addr = start(with_faults(
        5,
        FaultConfig {
            drop_rate: 1.0,
            ..FaultConfig::default()
        },
    ))
    .await;
    assert_eq!(statuses(addr, 3).await, vec![None, None, None]);
    // Control endpoints are never faulted.
    let stats = get(addr, "/__mock/stats", None).await.json();
    assert_eq!(stats["requests"], 3);
    assert_eq!(stats["in_flight"], 0);

    let some = FaultConfig {
        drop_rate: 0.4,
        ..FaultConfig::default()
    };
    let first = statuses(start(with_faults(5, some.clone())).await, 25).await;
    assert_eq!(first, statuses(start(with_faults(5, some)).await, 25).await);
    assert!(first.contains(&None) && first.contains(&Some(200)));
}

#[tokio::test]
async fn truncate_rate_cuts_200_bodies_keeping_the_status() {
    let addr = start(with_faults(
        20,
        FaultConfig {
            truncate_rate: 1.0,
            ..FaultConfig::default()
        },
    ))
    .await;
    let r = admin(addr, TASKS).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert_eq!(
        r.header("content-length")
            .map(|l| l.parse::<usize>().unwrap()),
        Some(r.body.len())
    );
    assert!(r.body.starts_with(b"{\"data\":["));
    // Errors are not truncated.
    assert!(get(addr, TASKS, None).await.json()["error"].is_string());
}

#[tokio::test]
async fn grow_every_inserts_new_newest_rows() {
    let addr = start(with_faults(
        10,
        FaultConfig {
            grow_every: Some(2),
            ..FaultConfig::default()
        },
    ))
    .await;
    let page = |r: crate::common::Reply| serde_json::from_slice::<TaskUsagePage>(&r.body).unwrap();
    let first = page(admin(addr, TASKS).await); // request 1
    assert_eq!(first.total, 10);
    let second = page(admin(addr, TASKS).await); // request 2 grows first
    assert_eq!(second.total, 11);
    assert!(second.data[0].created_at > first.data[0].created_at);
    assert_eq!(second.data[1], first.data[0]);
    admin(addr, TASKS).await;
    let fourth = page(admin(addr, TASKS).await);
    assert_eq!(fourth.total, 12);
    assert_ne!(fourth.data[0].task_id, second.data[0].task_id);
    assert_eq!(get(addr, "/__mock/stats", None).await.json()["rows"], 12);
}

#[tokio::test]
async fn upstream_forwards_credentials_and_query() {
    let origin = start(ServerConfig::new(engine(40))).await;
    let mut proxy_config = ServerConfig::new(engine(1));
    proxy_config.upstream = Some(format!("http://{origin}"));
    let proxy = start(proxy_config).await;

    for token in [
        Some("admin-token"),
        Some("solo-token"),
        Some("viewer-token"),
        None,
    ] {
        for target in [
            "/api/v1/usage/tasks?limit=3&status=completed",
            "/api/v1/usage/summary?group_by=week",
            "/api/v1/usage/tasks?limit=0",
        ] {
            let direct = get(origin, target, token).await;
            let forwarded = get(proxy, target, token).await;
            assert_eq!(forwarded.status, direct.status, "{target} {token:?}");
            assert_eq!(forwarded.body, direct.body, "{target} {token:?}");
        }
    }
    let key = exchange(
        proxy,
        "GET /api/v1/usage/tasks?limit=1 HTTP/1.1\r\nX-API-Key: admin-token",
    )
    .await
    .unwrap();
    assert_eq!(key.status, 200);
    assert_eq!(key.header("content-type"), Some("application/json"));

    // Only the usage API is forwarded.
    assert_eq!(admin(proxy, "/api/v2/elsewhere").await.status, 404);

    let mut dead = ServerConfig::new(engine(1));
    let unused = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    dead.upstream = Some(format!("http://{}", unused.local_addr().unwrap()));
    drop(unused);
    let r = admin(start(dead).await, TASKS).await;
    assert_eq!(r.status, 502);
    assert!(r.json()["error"].as_str().unwrap().contains("upstream"));

    // An https:// upstream speaks TLS: a plain-HTTP server on the other end
    // fails the handshake, reported as a 502 naming the upstream.
    let mut tls = ServerConfig::new(engine(1));
    tls.upstream = Some(format!("https://{origin}"));
    let r = admin(start(tls).await, TASKS).await;
    assert_eq!(r.status, 502);
    let error = r.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains(&format!("https://{origin}")), "{error}");
}
