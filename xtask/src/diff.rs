//! `cargo xtask diff OLD NEW`: what changed between two specs, for HTTP clients of the
//! API and for code using the generated crate, and the semver bump it calls for.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::compare::{Class, Version};

use crate::codegen::from_cwd;

/// Exit code with `--fail-on breaking` and a breaking change.
const EXIT_BREAKING: u8 = 1;
/// Exit code when a spec or the crate's version cannot be read.
const EXIT_ERROR: u8 = 2;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec before the change (YAML or JSON; `generated-client/openapi.yaml` is the
    /// one the committed crate was generated from).
    old: PathBuf,
    /// The spec after the change.
    new: PathBuf,
    /// Exit 1 when the report has a change of this kind.
    #[arg(long, value_name = "KIND", value_enum)]
    fail_on: Option<FailOn>,
    /// The crate version the bump applies to [default: the version in
    /// generated-client/Cargo.toml].
    #[arg(long, value_name = "MAJOR.MINOR.PATCH", value_parser = parse_version)]
    crate_version: Option<Version>,
}

/// What `--fail-on` fails on.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FailOn {
    /// `breaking-wire` or `breaking-rust`.
    Breaking,
}

pub(crate) fn parse_version(text: &str) -> Result<Version, String> {
    text.parse()
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    let current = match args.crate_version {
        Some(version) => version,
        None => match committed_version(root) {
            Ok(version) => version,
            Err(message) => {
                eprintln!("error: {message}; pass --crate-version");
                return ExitCode::from(EXIT_ERROR);
            }
        },
    };
    let load = |path: &Path| generator::load_spec(&from_cwd(path));
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let report = generator::compare::compare(&old, &new);
    print!("{}", report.render(current));
    let breaking = report
        .changes
        .iter()
        .any(|change| matches!(change.class, Class::BreakingWire | Class::BreakingRust));
    match args.fail_on {
        Some(FailOn::Breaking) if breaking => ExitCode::from(EXIT_BREAKING),
        _ => ExitCode::SUCCESS,
    }
}

/// The version of the committed `generated-client/`, or the first version when there
/// is none.
fn committed_version(root: &Path) -> Result<Version, String> {
    let manifest = root.join("generated-client").join("Cargo.toml");
    match std::fs::read_to_string(&manifest) {
        Ok(text) => generator::release::manifest_version(&text)
            .map_err(|message| format!("{}: {message}", manifest.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Ok(generator::release::FIRST_VERSION)
        }
        Err(error) => Err(format!("{}: {error}", manifest.display())),
    }
}
