//! A minimal HTTP/1.1 client over raw TCP for the server tests: it shows
//! exactly what came over the wire (closed connections, cut bodies).

use std::net::SocketAddr;

use neo_usage_mock::config::ServerConfig;
use neo_usage_mock::dataset::{reference_now, DatasetSpec};
use neo_usage_mock::server::serve;
use neo_usage_mock::Engine;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One answer as read off the socket.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// The demo engine over `tasks` rows, seed 42, anchored at the reference now.
pub fn engine(tasks: usize) -> Engine {
    Engine::demo(DatasetSpec::new(42, tasks, reference_now()))
}

/// Starts a server on 127.0.0.1:0 and returns its address.
pub async fn start(config: ServerConfig) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(config, listener));
    addr
}

/// Sends `head` (request line and headers, without the blank line) and
/// reads the whole answer. `None` when the connection closed without one.
pub async fn exchange(addr: SocketAddr, head: &str) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    parse(&raw)
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Some(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]).to_string();
        let Ok(size) = usize::from_str_radix(size_text.trim(), 16) else {
            break;
        };
        if size == 0 || data.len() < line_end + 2 + size {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[(line_end + 4 + size).min(data.len())..];
    }
    out
}

/// `GET target` with `Authorization: Bearer token` when given.
pub async fn get(addr: SocketAddr, target: &str, token: Option<&str>) -> Reply {
    let auth = token
        .map(|t| format!("\r\nAuthorization: Bearer {t}"))
        .unwrap_or_default();
    exchange(addr, &format!("GET {target} HTTP/1.1{auth}"))
        .await
        .unwrap_or_else(|| panic!("no answer to GET {target}"))
}

/// `POST /__mock/reset`: request numbers (and so fault plans), the peak
/// and the rate-limit window start again.
pub async fn reset(addr: SocketAddr) {
    let r = exchange(addr, "POST /__mock/reset HTTP/1.1\r\nContent-Length: 0")
        .await
        .expect("reset answered");
    assert_eq!(r.status, 200);
}

/// `GET target` as the admin.
pub async fn admin(addr: SocketAddr, target: &str) -> Reply {
    get(addr, target, Some("admin-token")).await
}
