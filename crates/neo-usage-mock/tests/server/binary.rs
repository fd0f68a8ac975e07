//! The `neo-usage-mock` binary as scripts use it: the start-up lines, the
//! `listening on` line on a free port, request logs without tokens, and a
//! graceful exit on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

#[tokio::test]
async fn binary_announces_itself_and_never_logs_tokens() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_neo-usage-mock"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--tasks",
            "30",
            "--now",
            "2026-11-28T12:00:00Z",
            "--admin-token",
            "s3cret-admin",
            "--error-rate",
            "0.5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = Vec::new();
    let addr = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "exited: {banner:?}"
        );
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse::<std::net::SocketAddr>().unwrap();
        }
        banner.push(line.trim().to_owned());
    };
    let banner = banner.join("\n");
    assert!(!banner.contains("s3cret"), "{banner}");
    for expected in [
        "token admin: (set by --admin-token, not shown)",
        "token solo: solo-token",
        "fault errors: 50.0%",
        "/api/v1/usage/tasks",
    ] {
        assert!(banner.contains(expected), "{banner}");
    }
    for _ in 0..4 {
        crate::common::get(addr, "/api/v1/usage/tasks?limit=1", Some("s3cret-admin")).await;
        crate::common::exchange(
            addr,
            "GET /api/v1/usage/summary HTTP/1.1\r\nX-API-Key: s3cret-admin",
        )
        .await;
    }
    child.kill().unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    child.wait().unwrap();
    assert!(log.contains("GET /api/v1/usage/tasks?limit=1 -> "), "{log}");
    assert!(!log.contains("s3cret"), "{log}");
}

#[test]
fn bad_flags_exit_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_neo-usage-mock"))
        .args(["--upstream", "neo.example", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://neo.api.projectdiscovery.io"));
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_finishes_requests_in_progress_then_exits_0() {
    // Answers take a while, so one is surely in progress at the signal.
    let mut child = Command::new(env!("CARGO_BIN_EXE_neo-usage-mock"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--tasks",
            "30",
            "--latency-ms",
            "1500",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr: std::net::SocketAddr = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "exited early");
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse().unwrap();
        }
    };
    let slow = tokio::spawn(async move {
        crate::common::get(addr, "/api/v1/usage/tasks?limit=1", Some("admin-token")).await
    });
    // Counts, not time: wait (boundedly) until the server holds the request.
    let mut in_flight = 0;
    for _ in 0..2_000 {
        in_flight = crate::common::get(addr, "/__mock/stats", None).await.json()["in_flight"]
            .as_u64()
            .unwrap();
        if in_flight == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(in_flight, 1);
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    // The request in progress is still answered, in full.
    let reply = slow.await.unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"].as_array().map(Vec::len), Some(1));
    let status = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(status.status.success(), "{:?}", status.status);
    let log = String::from_utf8_lossy(&status.stderr);
    assert!(log.contains("SIGTERM: shutting down gracefully"), "{log}");
    assert!(log.contains("neo-usage-mock: stopped"), "{log}");
    // Nothing listens any more.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
