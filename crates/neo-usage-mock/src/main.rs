//! `neo-usage-mock`: the reference Neo usage API server. See the crate's
//! README for the flags, tokens and examples.

use std::process::ExitCode;

use clap::Parser;
use neo_usage_mock::config::Args;
use neo_usage_mock::server::serve_until;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let addr = args.addr;
    let config = match args.into_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("neo-usage-mock: {message}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("neo-usage-mock: cannot listen on {addr}: {e}");
            return ExitCode::from(2);
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    for line in config.banner(local) {
        println!("{line}");
    }
    println!("listening on http://{local}");
    match serve_until(config, listener, shutdown_signal()).await {
        Ok(()) => {
            eprintln!("neo-usage-mock: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("neo-usage-mock: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM, saying which.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let name = tokio::select! {
        () = interrupt => "Ctrl-C",
        () = terminate => "SIGTERM",
    };
    eprintln!("neo-usage-mock: {name}: shutting down gracefully");
}
