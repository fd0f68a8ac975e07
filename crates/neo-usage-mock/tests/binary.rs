//! The `neo-usage-mock` binary as scripts use it: the start-up lines, the
//! `listening on` line on a free port, and request logs without tokens.

mod common;

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
        common::get(addr, "/api/v1/usage/tasks?limit=1", Some("s3cret-admin")).await;
        common::exchange(
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
