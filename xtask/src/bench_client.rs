//! `cargo xtask bench client [--requests N] [--concurrency C] [--rounds R]
//! [--memory-requests M]`: the generated client under load (issue 12, "Under load").
//!
//! Builds and runs, in release (`cargo bench`'s profile, which is `release`'s), the
//! harness-less bench `tests/benches/client_load.rs`: `ai_agent_client`'s `get_sandbox`
//! against a plain `reqwest` loop on a local server (and the same loop with our default
//! per-attempt timeout), in rounds that take turns, printed as throughput ratios (the
//! goal: at least 0.95 against the plain loop), then the resident set over M requests
//! (goal: no growth). A measurement, not a gate: it exits with the bench's own code (0 whatever
//! the figures are, 1 when a request fails), or 2 when it cannot run.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitCode};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Requests per side per round.
    #[arg(long, value_name = "N", default_value_t = 2_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    requests: u64,
    /// Concurrent tasks of each side.
    #[arg(long, value_name = "C", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(1..))]
    concurrency: u64,
    /// Rounds, each timing every side, the sides taking turns to go first.
    #[arg(long, value_name = "R", default_value_t = 225,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    rounds: u64,
    /// Requests of the memory run with our client (resident set sampled every 100,000);
    /// 0 skips it.
    #[arg(long, value_name = "M", default_value_t = 1_000_000)]
    memory_requests: u64,
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from(env!("CARGO")));
    let bench_args = [
        ("--requests", args.requests),
        ("--concurrency", args.concurrency),
        ("--rounds", args.rounds),
        ("--memory-requests", args.memory_requests),
    ];
    let mut command = Command::new(&cargo);
    command
        .args([
            "bench",
            "--locked",
            "--package",
            "integration-tests",
            "--bench",
            "client_load",
            "--",
        ])
        .current_dir(root);
    for (flag, value) in bench_args {
        command.arg(flag).arg(value.to_string());
    }
    match command.status() {
        Ok(status) => {
            let code = status.code().and_then(|code| u8::try_from(code).ok());
            ExitCode::from(code.unwrap_or(2))
        }
        Err(error) => {
            eprintln!("error: cannot run {}: {error}", cargo.to_string_lossy());
            ExitCode::from(2)
        }
    }
}
