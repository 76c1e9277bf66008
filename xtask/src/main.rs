//! Project tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! - `cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--crate-name NAME]`
//! - `cargo xtask test`
//! - `cargo xtask corpus [DIR] [--filter SUBSTRING]`
//! - `cargo xtask bench [--filter SUBSTRING] [--runs N] [--save]`

mod bench;
mod codegen;
mod corpus;
mod generated_workspace;
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
    /// Run the project's tests: cargo test, clippy and rustdoc, all with warnings denied.
    Test,
    /// Generate and `cargo check` a client for every spec in a directory of real-world
    /// OpenAPI documents; print a table. A measurement: exits 0 whatever the specs do.
    Corpus(corpus::Args),
    /// Time the generator on a fixed set of real-world specs and print each one's ratio to
    /// the committed baseline. A measurement: exits 0 whatever the times are.
    Bench(bench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    match cli.task {
        Task::Codegen(args) => codegen::run(&root, &args),
        Task::Test => test::run(&root),
        Task::Corpus(args) => corpus::run(&root, &args),
        Task::Bench(args) => bench::run(&root, &args),
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
