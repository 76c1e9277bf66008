//! `cargo xtask semver-audit`: the change report's classes checked against the compiler.
//!
//! For each pair of `tests/fixtures/diff/cases.yaml` that the report calls `additive` or
//! `docs` (a minor or patch bump), or finds unchanged, it generates the crate of the OLD and of the NEW spec
//! and asks `cargo-semver-checks` (installed into `<target dir>/tools` when missing)
//! whether the NEW crate is a major change of the OLD one. Each disagreement is printed;
//! pairs we call breaking are not checked (a major bump is never wrong, only
//! unnecessary). A measurement, not part of `cargo xtask test`: it builds each crate's
//! rustdoc, minutes per pair on a small machine.

use std::path::Path;
use std::process::{Command, ExitCode};

use generator::compare::{self, Bump};
use generator::Options;

use crate::diff_cases;
use crate::generated_workspace::target_dir;

/// Exit code when a pair disagrees.
const EXIT_DISAGREE: u8 = 1;
/// Exit code when the audit cannot run.
const EXIT_ERROR: u8 = 2;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the cases whose name contains this.
    #[arg(long, value_name = "SUBSTRING")]
    filter: Option<String>,
}

/// What one pair came to.
struct Row {
    case: String,
    bump: String,
    verdict: String,
    disagrees: bool,
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    match audit(root, args) {
        Ok(rows) => {
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|row| vec![row.case.clone(), row.bump.clone(), row.verdict.clone()])
                .collect();
            crate::table::print(&["case", "our bump", "cargo-semver-checks"], &table);
            let checked = rows.iter().filter(|row| row.bump != "major").count();
            let disagreements = rows.iter().filter(|row| row.disagrees).count();
            println!(
                "semver-audit: {checked} additive, docs or unchanged pair(s) checked, {disagreements} disagree, {} breaking pair(s) not checked",
                rows.len() - checked
            );
            if disagreements > 0 {
                ExitCode::from(EXIT_DISAGREE)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn audit(root: &Path, args: &Args) -> Result<Vec<Row>, String> {
    let target = target_dir(root);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    ensure_semver_checks(&cargo, &target.join("tools"))?;
    let cases = diff_cases::load(&root.join("tests").join("fixtures").join("diff"))?;
    let work = target.join("semver-audit");
    // One target directory for every pair: the dependencies build once.
    let shared_target = work.join("target");
    let mut rows = Vec::new();
    for case in cases {
        if args
            .filter
            .as_deref()
            .is_some_and(|filter| !case.name.contains(filter))
        {
            continue;
        }
        let load = |text: &str, name: &str| {
            generator::load_spec_from_str(text, name)
                .map_err(|error| format!("{}: {error}", case.name))
        };
        let report = compare::compare(&load(&case.old, "old.json")?, &load(&case.new, "new.json")?);
        // The table's own test asserts these lines; an audit of a stale table would
        // check pairs for the wrong reason.
        let lines: Vec<String> = report
            .render(compare::Version::new(0, 2, 0))
            .lines()
            .map(str::to_owned)
            .collect();
        if lines != case.expected {
            return Err(format!(
                "{}: the report differs from cases.yaml; run `cargo test -p integration-tests --test spec_diff` first",
                case.name
            ));
        }
        let bump = report.bump();
        let bump_label = bump.map_or("none", Bump::label).to_owned();
        if bump == Some(Bump::Major) {
            rows.push(Row {
                case: case.name,
                bump: bump_label,
                verdict: "not checked".to_owned(),
                disagrees: false,
            });
            continue;
        }
        let dir = work.join(slug(&case.name));
        let _ = std::fs::remove_dir_all(&dir);
        write_crate(&dir.join("old"), &case.old)?;
        write_crate(&dir.join("new"), &case.new)?;
        eprintln!("semver-audit: {} ({bump_label})", case.name);
        // `--release-type minor`: the question is only whether the change is major for
        // Rust; both crates carry the same version, so nothing is read from versions.
        let output = Command::new(&cargo)
            .args(["semver-checks", "check-release", "--release-type", "minor"])
            .arg("--manifest-path")
            .arg(dir.join("new").join("Cargo.toml"))
            .arg("--baseline-root")
            .arg(dir.join("old"))
            .env("CARGO_TARGET_DIR", &shared_target)
            .env("PATH", tools_path(&target.join("tools")))
            .output()
            .map_err(|error| format!("cannot run cargo semver-checks: {error}"))?;
        let log = dir.join("semver-checks.log");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::write(&log, &text).map_err(|error| format!("{}: {error}", log.display()))?;
        let (verdict, disagrees) = if output.status.success() {
            ("not major: agrees".to_owned(), false)
        } else if text.contains("requires new major version") || text.contains("FAIL") {
            (format!("MAJOR: disagrees (see {})", log.display()), true)
        } else {
            return Err(format!(
                "{}: cargo semver-checks failed without a verdict; see {}",
                case.name,
                log.display()
            ));
        };
        rows.push(Row {
            case: case.name,
            bump: bump_label,
            verdict,
            disagrees,
        });
    }
    Ok(rows)
}

/// Generates the crate of `spec` (JSON text) into `dir`, as a workspace of its own (it
/// lives inside this repository's target directory, whose workspace it is not part of).
fn write_crate(dir: &Path, spec: &str) -> Result<(), String> {
    let options = Options {
        crate_name: "audit-client".to_owned(),
        spec_label: "spec.json".to_owned(),
        settings: None,
        strict: false,
        crate_version: Some("1.0.0".to_owned()),
    };
    let mut output = generator::generate_from_str(spec, "spec.json", &options)
        .map_err(|error| error.to_string())?;
    if let Some(manifest) = output.files.get_mut(Path::new("Cargo.toml")) {
        manifest.push_str("\n[workspace]\n");
    }
    generator::write::write(dir, &output)
        .map(|_| ())
        .map_err(|error| format!("{}: {error}", dir.display()))
}

/// A case name as a directory name.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// `PATH` with the tools directory's `bin` first, so cargo finds `cargo-semver-checks`
/// installed there.
fn tools_path(tools: &Path) -> std::ffi::OsString {
    let mut paths = vec![tools.join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

/// `cargo semver-checks` runs, or is installed with `cargo install` into `tools`.
fn ensure_semver_checks(cargo: &std::ffi::OsStr, tools: &Path) -> Result<(), String> {
    let works = || {
        Command::new(cargo)
            .args(["semver-checks", "--version"])
            .env("PATH", tools_path(tools))
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if works() {
        return Ok(());
    }
    eprintln!(
        "semver-audit: installing cargo-semver-checks into {} (once; it takes minutes)",
        tools.display()
    );
    let status = Command::new(cargo)
        .args(["install", "cargo-semver-checks", "--locked", "--root"])
        .arg(tools)
        .env("CARGO_TARGET_DIR", tools.join("build"))
        .status()
        .map_err(|error| format!("cannot run cargo install: {error}"))?;
    if !status.success() || !works() {
        return Err("cargo install cargo-semver-checks failed".to_owned());
    }
    Ok(())
}
