//! Project tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! - `cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--crate-name NAME] [--date YYYY-MM-DD]`
//! - `cargo xtask diff OLD NEW [--fail-on breaking] [--crate-version X.Y.Z]`
//! - `cargo xtask test`
//! - `cargo xtask corpus [DIR] [--filter SUBSTRING]`
//! - `cargo xtask bench [--filter SUBSTRING] [--runs N] [--save]`
//! - `cargo xtask bench client [--requests N] [--concurrency C] [--rounds R] [--memory-requests M]`
//! - `cargo xtask conformance`
//! - `cargo xtask semver-audit [--filter SUBSTRING]`
//! - `cargo xtask fuzz [--iterations N] [--seed S] [--time SECS] [--jobs N]`
//! - `cargo xtask deps`

mod bench;
mod bench_client;
mod codegen;
mod conformance;
mod corpus;
mod deps;
mod diff;
mod diff_cases;
mod fixture_crates;
mod fuzz;
mod generated_workspace;
mod semver_audit;
mod table;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Tasks of the OpenAPI -> Rust client generator workspace"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Generate the client crate from the spec (or, with --check, verify it is up to date).
    Codegen(codegen::Args),
    /// Compare two specs: one line per change (breaking-wire, breaking-rust, additive,
    /// docs) with the Rust items it touches, then the semver bump of the generated crate.
    Diff(diff::Args),
    /// Run the project's tests: cargo test, clippy and rustdoc, all with warnings denied.
    Test,
    /// Generate and `cargo check` a client for every spec in a directory of real-world
    /// OpenAPI documents; print a table. A measurement: exits 0 whatever the specs do.
    Corpus(corpus::Args),
    /// Time the generator on a fixed set of real-world specs and print each one's ratio to
    /// the committed baseline. A measurement: exits 0 whatever the times are.
    Bench(bench::Args),
    /// Check the requests of the generated clients (spec/openapi.yaml's and the fixture
    /// specs') with Prism, an independent validating mock server, and that its answers
    /// decode. Needs Node and npm; installs Prism itself.
    Conformance,
    /// Check with cargo-semver-checks (installed when missing) that each pair of specs
    /// in tests/fixtures/diff/ the change report calls additive or docs is not a major
    /// change of the generated crate. Long-running; not part of `cargo xtask test`.
    SemverAudit(semver_audit::Args),
    /// Structured mutations of the fixture specs and ../shared/corpus through the
    /// generator: every input must end in Ok (Rust that parses) or a located error.
    /// Failures are minimised and saved to tests/fixtures/fuzz/. Exits 1 on a failure.
    Fuzz(fuzz::Args),
    /// Ask crates.io for the newest release of every dependency of the generated crate and
    /// the workspace; exits 1 when one of the generated crate's is behind its newest major.
    /// Needs the network; not part of `cargo xtask test`.
    Deps,
    /// The fuzzer's worker process: one input per stdin line, one outcome per stdout line.
    #[command(hide = true)]
    FuzzWorker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Before the workspace lookup: a worker is restarted often and needs no workspace.
    if matches!(cli.task, Task::FuzzWorker) {
        return fuzz::worker::serve();
    }
    let root = match workspace_root() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("error: cannot find the workspace root: {message}");
            return ExitCode::from(2);
        }
    };
    match cli.task {
        Task::Codegen(args) => codegen::run(&root, &args),
        Task::Diff(args) => diff::run(&root, &args),
        Task::Test => test::run(&root),
        Task::Corpus(args) => corpus::run(&root, &args),
        Task::Bench(args) => bench::run(&root, &args),
        Task::Conformance => conformance::run(&root),
        Task::SemverAudit(args) => semver_audit::run(&root, &args),
        Task::Fuzz(args) => fuzz::run_optimised(&root, &args),
        Task::Deps => deps::run(&root),
        Task::FuzzWorker => fuzz::worker::serve(),
    }
}

/// The workspace root of the current directory, found at run time by
/// `cargo locate-project --workspace`: the checkout the command was run in, never the one
/// this binary happened to be compiled from (two checkouts may share a target
/// directory, and so one `xtask` binary).
fn workspace_root() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .map_err(|error| format!("cannot run `cargo locate-project`: {error}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    let manifest = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let root = manifest
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("`{}` has no parent directory", manifest.display()))?;
    if !root.join("xtask").join("Cargo.toml").is_file() {
        return Err(format!(
            "{} is not this project's workspace (it has no xtask/)",
            root.display()
        ));
    }
    Ok(root)
}
