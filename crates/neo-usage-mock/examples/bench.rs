//! Benchmark of the reference server's data path (not a timed test):
//! generator throughput for 100,000 rows, and p50/p99 latency of a
//! 200-row task page over loopback, for 2,000 and 100,000 rows.
//!
//! `cargo run -p neo-usage-mock --example bench` (add `--release` for
//! optimised figures).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use neo_usage_mock::config::ServerConfig;
use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};
use neo_usage_mock::server::serve;
use neo_usage_mock::Engine;
use tokio::net::TcpListener;

const GENERATED_ROWS: usize = 100_000;
const GENERATOR_RUNS: usize = 5;
const PAGE_REQUESTS: usize = 400;

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn spec(tasks: usize) -> DatasetSpec {
    DatasetSpec::new(42, tasks, reference_now())
}

async fn page_latencies(tasks: usize) -> Result<(Duration, Duration), Box<dyn std::error::Error>> {
    let engine = Engine::demo(spec(tasks));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(ServerConfig::new(engine), listener));
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut latencies = Vec::with_capacity(PAGE_REQUESTS);
    for i in 0..PAGE_REQUESTS + 20 {
        let offset = (i * 200) % tasks.max(1);
        let request = hyper::Request::get(format!(
            "http://{addr}/api/v1/usage/tasks?limit=200&offset={offset}"
        ))
        .header("Authorization", "Bearer admin-token")
        .body(Empty::new())?;
        let started = Instant::now();
        let response = client.request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        let took = started.elapsed();
        if !status.is_success() || body.is_empty() {
            return Err(format!("unexpected answer {status}").into());
        }
        if i >= 20 {
            latencies.push(took); // the first 20 warm up
        }
    }
    latencies.sort();
    Ok((percentile(&latencies, 0.50), percentile(&latencies, 0.99)))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: Vec<Duration> = (0..GENERATOR_RUNS)
        .map(|_| {
            let started = Instant::now();
            let rows = generate(spec(GENERATED_ROWS));
            let took = started.elapsed();
            assert_eq!(rows.len(), GENERATED_ROWS);
            took
        })
        .collect();
    let generator = median(runs);
    println!(
        "generator: {GENERATED_ROWS} rows in {:.1} ms (median of {GENERATOR_RUNS}) = {:.0} rows/s",
        generator.as_secs_f64() * 1e3,
        GENERATED_ROWS as f64 / generator.as_secs_f64()
    );
    let started = Instant::now();
    let engine = Engine::demo(spec(GENERATED_ROWS));
    println!(
        "engine load (generate + streams + sort): {} tasks, {} streams in {:.1} ms",
        engine.len(),
        engine.streams().len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    drop(engine);
    for tasks in [2_000, GENERATED_ROWS] {
        let (p50, p99) = page_latencies(tasks).await?;
        println!(
            "200-row page over loopback, {tasks} tasks: p50 {:.2} ms, p99 {:.2} ms ({PAGE_REQUESTS} requests, keep-alive)",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    Ok(())
}
