//! Writes one task-list page holding a whole seeded dataset,
//! `{"data":[...],"has_more":false,"total":N}`, to a file, and prints its
//! size in bytes. The input of the browser decoding benchmark
//! (`scripts/bench-decode.sh`); it uses only the dataset generator.
//!
//! ```text
//! cargo run -p neo-usage-mock --example dump_rows -- OUT.json [--rows 100000] [--seed 42] [--now 2026-11-28T12:00:00Z]
//! ```
//!
//! The defaults are fixed (seed 42, the dataset's reference instant), so the
//! same arguments always give the same bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use neo_usage::TaskUsagePage;
use neo_usage_mock::dataset::{generate, reference_now, DatasetSpec};

const USAGE: &str = "usage: dump_rows OUT.json [--rows N] [--seed S] [--now RFC3339]";

struct Args {
    out: String,
    spec: DatasetSpec,
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut spec = DatasetSpec::new(42, 100_000, reference_now());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--rows" => {
                spec.tasks = value("--rows")?
                    .parse()
                    .map_err(|e| format!("--rows: {e}"))?;
            }
            "--seed" => {
                spec.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "--now" => {
                spec.now = DateTime::parse_from_rfc3339(&value("--now")?)
                    .map_err(|e| format!("--now: {e}"))?
                    .with_timezone(&Utc);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}\n{USAGE}")),
            _ if out.is_none() => out = Some(arg),
            _ => return Err(format!("unexpected argument {arg}\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| USAGE.to_owned())?;
    Ok(Args { out, spec })
}

fn dump(args: &Args) -> Result<u64, Box<dyn std::error::Error>> {
    let data = generate(args.spec);
    let page = TaskUsagePage {
        total: data.len() as u64,
        has_more: false,
        data,
    };
    let mut writer = BufWriter::new(File::create(&args.out)?);
    serde_json::to_writer(&mut writer, &page)?;
    writer.flush()?;
    drop(writer);
    Ok(std::fs::metadata(&args.out)?.len())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match dump(&args) {
        Ok(bytes) => {
            println!(
                "{bytes} bytes, {} rows (seed {}, now {}) in {}",
                args.spec.tasks,
                args.spec.seed,
                args.spec.now.to_rfc3339(),
                args.out
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dump_rows: {e}");
            ExitCode::FAILURE
        }
    }
}
