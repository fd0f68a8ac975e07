//! The reference server over HTTP: roles, filters, bounds, ordering,
//! paging, errors, CORS, bad input, sizes, control endpoints, static files,
//! flags.

use std::collections::BTreeSet;

use crate::common::{admin, engine, exchange, get, start};
use clap::Parser;
use neo_usage::{TaskUsage, TaskUsagePage, UsageSummary};
use neo_usage_mock::config::{Args, ServerConfig};
use neo_usage_mock::dataset::SOLO_EMAIL;

const TASKS: &str = "/api/v1/usage/tasks";

fn page(reply: &crate::common::Reply) -> TaskUsagePage {
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    serde_json::from_slice(&reply.body).unwrap()
}

#[tokio::test]
async fn roles_and_authentication() {
    let addr = start(ServerConfig::new(engine(300))).await;
    let all = page(&admin(addr, "/api/v1/usage/tasks?limit=200").await);
    assert_eq!(all.total, 300);
    assert!(all.data.iter().all(|r| r.email.is_some()));

    let solo = page(&get(addr, "/api/v1/usage/tasks?limit=200", Some("solo-token")).await);
    assert!(solo.total > 0 && solo.total < 300);
    assert!(solo.data.iter().all(|r| r.email.is_none()));

    // X-API-Key works as well.
    let key = exchange(
        addr,
        "GET /api/v1/usage/summary HTTP/1.1\r\nX-API-Key: solo-token",
    )
    .await
    .unwrap();
    assert_eq!(key.status, 200);
    let summary: UsageSummary = serde_json::from_slice(&key.body).unwrap();
    assert_eq!(summary.total_tasks, solo.total);
    assert!(summary.by_email.is_empty());

    for path in [
        "/api/v1/usage/tasks",
        "/api/v1/usage/streams",
        "/api/v1/usage/summary",
        "/api/v1/usage/tasks/anything",
    ] {
        for token in ["member-token", "viewer-token"] {
            let r = get(addr, path, Some(token)).await;
            assert_eq!(r.status, 403, "{path} {token}");
            assert!(r.json()["error"].is_string());
        }
        for token in [None, Some("wrong")] {
            let r = get(addr, path, token).await;
            assert_eq!(r.status, 401, "{path}");
            assert!(r.json()["error"].as_str().unwrap().contains("token"));
        }
    }
}

#[tokio::test]
async fn every_filter_narrows_the_rows() {
    let e = engine(600);
    let rows: Vec<TaskUsage> = e.tasks().to_vec();
    let addr = start(ServerConfig::new(e)).await;
    let count = |f: &dyn Fn(&TaskUsage) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    let total = |q: String| async move { page(&admin(addr, &format!("{TASKS}?{q}")).await).total };

    let one = &rows[42];
    assert_eq!(total(format!("task_id={}", one.task_id)).await, 1);
    assert_eq!(
        total("status=error".into()).await,
        count(&|r| r.status.as_str() == "error")
    );
    assert_eq!(
        total("model=gpt-4o".into()).await,
        count(&|r| r.model == "gpt-4o")
    );
    let at = one.created_at;
    let stamp = neo_usage::query::format_instant(at);
    assert_eq!(
        total(format!("from={stamp}")).await,
        count(&|r| r.created_at >= at)
    );
    assert_eq!(
        total(format!("to={stamp}")).await,
        count(&|r| r.created_at < at)
    );
    assert_eq!(
        total("search=ALICE".into()).await,
        count(&|r| r.email.as_deref().is_some_and(|e| e.contains("alice")))
    );
    let prefix = &one.task_id[..6];
    assert_eq!(
        total(format!("search={}", prefix.to_uppercase())).await,
        count(&|r| r.task_id.contains(prefix))
    );
    assert_eq!(
        total("email=bob%40acme-sec.example".into()).await,
        count(&|r| r.email.as_deref() == Some("bob@acme-sec.example"))
    );
    assert_eq!(
        total("is_byok=true".into()).await,
        count(&|r| r.is_byok == Some(true))
    );
    assert_eq!(
        total("is_byok=false".into()).await,
        count(&|r| r.is_byok != Some(true))
    );
    // A solo user's email filter never widens the scope.
    let solo = |q: &str| {
        let q = q.to_owned();
        async move { page(&get(addr, &format!("{TASKS}?{q}"), Some("solo-token")).await).total }
    };
    let own = solo("").await;
    assert_eq!(solo(&format!("email={SOLO_EMAIL}")).await, own);
    assert_eq!(solo("email=bob%40acme-sec.example").await, 0);
}

#[tokio::test]
async fn bounds_and_problems_are_422_listing_every_problem() {
    let addr = start(ServerConfig::new(engine(20))).await;
    for (query, params) in [
        ("limit=0", vec!["limit"]),
        ("limit=201", vec!["limit"]),
        ("limit=abc", vec!["limit"]),
        ("offset=-1", vec!["offset"]),
        (
            "limit=0&offset=x&status=paused&from=soon&is_byok=maybe",
            vec!["limit", "offset", "status", "from", "is_byok"],
        ),
    ] {
        let r = admin(addr, &format!("{TASKS}?{query}")).await;
        assert_eq!(r.status, 422, "{query}");
        let body = r.json();
        let got: BTreeSet<&str> = body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["parameter"].as_str().unwrap())
            .collect();
        assert_eq!(got, params.into_iter().collect(), "{query}");
        let sentence = body["error"].as_str().unwrap();
        for p in &got {
            assert!(sentence.contains(p), "{sentence}");
        }
    }
    // Empty text filters are no filters; an inverted range is refused.
    assert_eq!(
        page(&admin(addr, &format!("{TASKS}?model=&search=%20&email=&task_id=")).await).total,
        20
    );
    let inverted = admin(
        addr,
        &format!("{TASKS}?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z"),
    )
    .await;
    assert_eq!(inverted.status, 422);
    assert_eq!(
        inverted.json()["problems"][0]["parameter"].as_str(),
        Some("from")
    );
    assert!(inverted.json()["error"]
        .as_str()
        .is_some_and(|e| e.contains("from must not be after to")));
    let r = admin(addr, "/api/v1/usage/streams?stream_id=nope&sort=price").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["problems"].as_array().unwrap().len(), 2);
    let r = admin(addr, "/api/v1/usage/summary?group_by=year").await;
    assert_eq!(r.status, 422);
    // The edges are fine.
    assert_eq!(
        page(&admin(addr, &format!("{TASKS}?limit=1")).await)
            .data
            .len(),
        1
    );
    assert_eq!(
        page(&admin(addr, &format!("{TASKS}?limit=200&offset=0")).await)
            .data
            .len(),
        20
    );
    for offset in ["1000", "18446744073709551615", "99999999999999999999999999"] {
        let past = page(&admin(addr, &format!("{TASKS}?offset={offset}")).await);
        assert!(past.data.is_empty() && !past.has_more && past.total == 20);
    }
    assert_eq!(page(&admin(addr, TASKS).await).data.len(), 20);
}

#[tokio::test]
async fn pages_add_up_to_total_newest_first_no_row_twice() {
    let addr = start(ServerConfig::new(engine(1_234))).await;
    let default_page = page(&admin(addr, TASKS).await);
    assert_eq!(default_page.data.len(), 50);
    let mut seen = BTreeSet::new();
    let mut previous: Option<TaskUsage> = None;
    let mut offset = 0;
    loop {
        let p = page(&admin(addr, &format!("{TASKS}?limit=200&offset={offset}")).await);
        assert_eq!(p.total, 1_234);
        for row in &p.data {
            assert!(seen.insert(row.task_id.clone()), "twice: {}", row.task_id);
            if let Some(prev) = &previous {
                assert!((prev.created_at, &prev.task_id) > (row.created_at, &row.task_id));
            }
            previous = Some(row.clone());
        }
        offset += p.data.len();
        assert_eq!(p.has_more, offset < 1_234);
        if !p.has_more {
            break;
        }
    }
    assert_eq!(seen.len(), 1_234);
}

#[tokio::test]
async fn task_by_id_and_not_found() {
    let e = engine(200);
    let solo_row = e
        .tasks()
        .iter()
        .find(|r| r.email.as_deref() == Some(SOLO_EMAIL))
        .cloned()
        .unwrap();
    let other_row = e
        .tasks()
        .iter()
        .find(|r| r.email.as_deref() != Some(SOLO_EMAIL))
        .cloned()
        .unwrap();
    let addr = start(ServerConfig::new(e)).await;
    let r = admin(addr, &neo_usage::task_path(&solo_row.task_id)).await;
    assert_eq!(r.status, 200);
    let got: TaskUsage = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(got, solo_row);
    let r = get(
        addr,
        &neo_usage::task_path(&solo_row.task_id),
        Some("solo-token"),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.json().get("email").is_none());
    let r = get(
        addr,
        &neo_usage::task_path(&other_row.task_id),
        Some("solo-token"),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = admin(addr, "/api/v1/usage/tasks/no-such-task").await;
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("no-such-task"));
    let r = admin(addr, "/api/v1/usage/nothing/here").await;
    assert_eq!(r.status, 404);
    let r = admin(addr, "/elsewhere").await;
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].is_string());
}

#[tokio::test]
async fn streams_add_up_and_sort() {
    let e = engine(100);
    let addr = start(ServerConfig::new(e.clone())).await;
    let task = e
        .tasks()
        .iter()
        .find(|t| t.stream_count == Some(3))
        .unwrap();
    let streams = page(
        &admin(
            addr,
            &format!("/api/v1/usage/streams?task_id={}", task.task_id),
        )
        .await,
    );
    assert_eq!(streams.total, 3);
    assert_eq!(
        streams.data.iter().map(|s| s.step_count).sum::<u64>(),
        task.step_count
    );
    let ids: BTreeSet<_> = streams
        .data
        .iter()
        .map(|s| s.stream_id.clone().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    let one = streams.data[1].stream_id.clone().unwrap();
    let by_id = page(&admin(addr, &format!("/api/v1/usage/streams?stream_id={one}")).await);
    assert_eq!(by_id.total, 1);
    let by_cost = page(&admin(addr, "/api/v1/usage/streams?sort=cost&limit=200").await);
    let cost = |r: &TaskUsage| neo_usage_mock::streams::cost_units(r);
    assert!(by_cost.data.windows(2).all(|w| cost(&w[0]) >= cost(&w[1])));
    let solo = page(&get(addr, "/api/v1/usage/streams?limit=200", Some("solo-token")).await);
    assert!(solo.data.iter().all(|r| r.email.is_none()));
}

#[tokio::test]
async fn summary_for_admin_with_periods() {
    let e = engine(500);
    let addr = start(ServerConfig::new(e)).await;
    let r = admin(addr, "/api/v1/usage/summary?group_by=day").await;
    assert_eq!(r.status, 200);
    let s: UsageSummary = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(s.total_tasks, 500);
    assert_eq!(s.by_email.len(), 8);
    assert_eq!(s.by_period.iter().filter_map(|p| p.tasks).sum::<u64>(), 500);
    assert!(s
        .by_period
        .iter()
        .all(|p| p.date.as_deref().is_some_and(|d| d.len() == 10)));
    let json = r.json();
    for field in [
        "byok",
        "last_credit_reset",
        "neo_credits_expires_at",
        "neo_credits_is_expired",
        "total_available_neo_credits",
        "total_issued_neo_credits",
        "total_neo_credits_post_reset",
        "total_steps",
        "total_tool_calls",
        "total_execution_ms",
        "total_agent_triggers",
    ] {
        assert!(json.get(field).is_some(), "{field}");
    }
    let plain = admin(addr, "/api/v1/usage/summary").await.json();
    assert!(plain.get("by_period").is_none());
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let addr = start(ServerConfig::new(engine(5))).await;
    let r = exchange(
        addr,
        "OPTIONS /api/v1/usage/tasks HTTP/1.1\r\nOrigin: http://localhost:5173\r\n\
         Access-Control-Request-Method: GET\r\n\
         Access-Control-Request-Headers: authorization, x-api-key",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let allowed = r
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("x-api-key"));
    let r = exchange(
        addr,
        "GET /api/v1/usage/tasks HTTP/1.1\r\nOrigin: http://localhost:5173",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .to_lowercase()
        .contains("retry-after"));
}

/// The `parameter` of every problem of a 422 answer.
fn problem_names(reply: &crate::common::Reply) -> Vec<String> {
    assert_eq!(
        reply.status,
        422,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["parameter"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn bad_input_gets_clear_4xx_and_the_server_survives() {
    let addr = start(ServerConfig::new(engine(5))).await;
    // Bytes that are not UTF-8 decode as U+FFFD: not a number.
    let r = admin(addr, "/api/v1/usage/tasks?limit=%FF%FE").await;
    assert_eq!(problem_names(&r), ["limit"]);
    // Empty pairs are ignored; `limit==5` is the value "=5".
    let r = admin(addr, "/api/v1/usage/tasks?&&=&limit==5").await;
    assert_eq!(problem_names(&r), ["limit"]);
    let r = exchange(
        addr,
        "POST /api/v1/usage/tasks HTTP/1.1\r\nAuthorization: Bearer admin-token\r\nContent-Length: 0",
    )
    .await
    .unwrap();
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET"));
    // Not HTTP at all: hyper answers 400 and closes.
    let r = exchange(addr, "NONSENSE").await.expect("an answer");
    assert_eq!(r.status, 400);
    assert_eq!(admin(addr, TASKS).await.status, 200);
}

#[tokio::test]
async fn request_sizes_are_bounded() {
    use neo_usage_mock::server::{HEADER_BYTES_LIMIT, HEAD_BYTES_LIMIT, TARGET_BYTES_LIMIT};
    let addr = start(ServerConfig::new(engine(5))).await;
    let auth = "Authorization: Bearer admin-token";
    // Headers over 16 KiB: a JSON 431.
    let huge = "x".repeat(HEADER_BYTES_LIMIT + 1);
    let r = exchange(
        addr,
        &format!("GET {TASKS} HTTP/1.1\r\n{auth}\r\nX-Big: {huge}"),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 431);
    assert!(r.json()["error"].as_str().unwrap().contains("too large"));
    // Just under the limit is served.
    let fits = "x".repeat(HEADER_BYTES_LIMIT - 200);
    let r = exchange(
        addr,
        &format!("GET {TASKS} HTTP/1.1\r\n{auth}\r\nX-Big: {fits}"),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    // A target over 8 KiB: a JSON 414.
    let long = format!("{TASKS}?search={}", "a".repeat(TARGET_BYTES_LIMIT));
    let r = exchange(addr, &format!("GET {long} HTTP/1.1\r\n{auth}"))
        .await
        .unwrap();
    assert_eq!(r.status, 414);
    assert!(r.json()["error"].as_str().unwrap().contains("too long"));
    // More than 200 headers, or a head beyond hyper's buffer: hyper's 431,
    // before any handler runs.
    let many: String = (0..201).map(|i| format!("\r\nX-H{i}: v")).collect();
    let r = exchange(addr, &format!("GET {TASKS} HTTP/1.1\r\n{auth}{many}"))
        .await
        .unwrap();
    assert_eq!(r.status, 431);
    let giant = "x".repeat(HEAD_BYTES_LIMIT + 1);
    let r = exchange(addr, &format!("GET {TASKS} HTTP/1.1\r\nX-Giant: {giant}")).await;
    assert_eq!(r.map(|r| r.status), Some(431));
    // And the server is still well.
    assert_eq!(admin(addr, TASKS).await.status, 200);
}

#[tokio::test]
async fn stats_count_api_requests_and_reset() {
    let addr = start(ServerConfig::new(engine(5))).await;
    for _ in 0..3 {
        admin(addr, TASKS).await;
    }
    get(addr, TASKS, None).await;
    let stats = get(addr, "/__mock/stats", None).await.json();
    assert_eq!(stats["requests"], 4);
    assert_eq!(stats["in_flight"], 0);
    assert!(stats["peak_in_flight"].as_u64().unwrap() >= 1);
    assert_eq!(stats["rows"], 5);
    let r = exchange(addr, "POST /__mock/reset HTTP/1.1\r\nContent-Length: 0")
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let stats = get(addr, "/__mock/stats", None).await.json();
    assert_eq!(stats["requests"], 0);
    assert_eq!(stats["peak_in_flight"], 0);
}

#[tokio::test]
async fn peak_in_flight_sees_concurrent_requests() {
    let mut config = ServerConfig::new(engine(5));
    // Answers wait long enough that all four are surely in flight together;
    // the test never waits for them.
    config.faults.latency_ms = 600_000;
    let addr = start(config).await;
    let calls: Vec<_> = (0..4)
        .map(|_| tokio::spawn(async move { admin(addr, TASKS).await.status }))
        .collect();
    // Counts, not time: wait (boundedly) until the server holds all four.
    let mut in_flight = 0;
    for _ in 0..2_000 {
        in_flight = get(addr, "/__mock/stats", None).await.json()["in_flight"]
            .as_u64()
            .unwrap();
        if in_flight == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(in_flight, 4);
    let stats = get(addr, "/__mock/stats", None).await.json();
    assert_eq!(stats["peak_in_flight"], 4);
    for call in calls {
        call.abort();
    }
}

#[tokio::test]
async fn serve_dir_serves_the_site_and_404_for_a_missing_file() {
    let dir = std::env::temp_dir().join(format!("neo-usage-mock-site-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>viewer</h1>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("docs/index.html"), "<h1>docs</h1>").unwrap();
    let mut config = ServerConfig::new(engine(5));
    config.serve_dir = Some(dir.clone());
    let addr = start(config).await;
    let root = get(addr, "/", None).await;
    assert_eq!(
        (root.status, root.body.as_slice()),
        (200, &b"<h1>viewer</h1>"[..])
    );
    assert_eq!(root.header("content-type"), Some("text/html"));
    // The viewer keeps its state in the query string.
    let with_state = get(addr, "/?status=error&from=2026-11-01", None).await;
    assert_eq!(with_state.body, b"<h1>viewer</h1>");
    assert_eq!(get(addr, "/app.js", None).await.body, b"console.log(1)");
    assert_eq!(get(addr, "/docs/", None).await.body, b"<h1>docs</h1>");
    // A missing file is a 404, never index.html: a missing .wasm must not
    // arrive as an HTML page with 200.
    for missing in ["/app_bg.wasm", "/tasks/some/route", "/docs/nothing.js"] {
        let r = get(addr, missing, None).await;
        assert_eq!(r.status, 404, "{missing}");
        assert!(!r.body.starts_with(b"<h1>"), "{missing}");
        assert!(r.json()["error"].as_str().unwrap().contains("not found"));
    }
    // Outside the directory is never served.
    assert_eq!(get(addr, "/../etc/passwd", None).await.status, 404);
    // The API still answers JSON on the same origin.
    assert_eq!(admin(addr, TASKS).await.status, 200);
    assert_eq!(admin(addr, "/api/v1/usage/unknown").await.status, 404);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn flags_build_the_dataset_deterministically() {
    let args = |seed: &str| {
        Args::try_parse_from([
            "neo-usage-mock",
            "--seed",
            seed,
            "--tasks",
            "50",
            "--now",
            "2026-11-28T12:00:00Z",
        ])
        .unwrap()
        .into_config()
        .unwrap()
    };
    let a = args("7");
    assert_eq!(a.engine.tasks(), args("7").engine.tasks());
    assert_ne!(a.engine.tasks(), args("8").engine.tasks());
    let banner = a.banner("127.0.0.1:9".parse().unwrap()).join("\n");
    for expected in [
        "http://127.0.0.1:9",
        "admin-token",
        "solo-token",
        "member-token",
        "viewer-token",
        "faults: none",
    ] {
        assert!(banner.contains(expected), "{banner}");
    }
    // A token set by flag may be a real secret: never printed.
    let secret = Args::try_parse_from(["neo-usage-mock", "--admin-token", "s3cr3t-admin"])
        .unwrap()
        .into_config()
        .unwrap()
        .banner("127.0.0.1:9".parse().unwrap())
        .join("\n");
    assert!(!secret.contains("s3cr3t-admin"), "{secret}");
    assert!(
        secret.contains("token admin: (set by --admin-token, not shown)"),
        "{secret}"
    );
    assert!(secret.contains("solo-token"), "{secret}");
    assert!(Args::try_parse_from(["neo-usage-mock", "--error-rate", "1.5"]).is_err());
    let defaults = Args::try_parse_from(["neo-usage-mock"]).unwrap();
    assert_eq!(defaults.addr.to_string(), "127.0.0.1:8080");
    assert_eq!(
        (defaults.seed, defaults.tasks, defaults.retry_after),
        (42, 2000, 1)
    );
}

#[tokio::test]
async fn data_file_is_served() {
    let rows = engine(30).tasks()[..12].to_vec();
    let path =
        std::env::temp_dir().join(format!("neo-usage-mock-data-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec(&rows).unwrap()).unwrap();
    let config = Args::try_parse_from(["neo-usage-mock", "--data", path.to_str().unwrap()])
        .unwrap()
        .into_config()
        .unwrap();
    let addr = start(config).await;
    let p = page(&admin(addr, "/api/v1/usage/tasks?limit=200").await);
    assert_eq!(p.data, rows);
    std::fs::write(&path, b"{\"nope\": 1}").unwrap();
    let err = Args::try_parse_from(["neo-usage-mock", "--data", path.to_str().unwrap()])
        .unwrap()
        .into_config()
        .unwrap_err();
    assert!(err.contains("--data"), "{err}");
    std::fs::remove_file(path).ok();
}
