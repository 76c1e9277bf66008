//! A throwaway Cargo workspace of generated crates, checked with the repository's
//! `Cargo.lock` so the dependency versions are the ones the project already tests.
//!
//! Shared by `cargo xtask corpus` and `tests/tests/fixtures_compile.rs` (which includes
//! this file with `#[path]`, so neither crate depends on the other). Only `std` and
//! `serde_json`, which both crates have.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A workspace directory whose `Cargo.toml` lists generated crates, checked into its own
/// target directory.
#[derive(Debug)]
pub struct Workspace {
    /// Directory of the workspace `Cargo.toml`.
    pub root: PathBuf,
    /// `CARGO_TARGET_DIR` of every cargo run in it.
    pub target_dir: PathBuf,
    /// Whether cargo runs with `--offline`; cleared when a run fails for want of network.
    offline: bool,
}

/// One rustc diagnostic (`reason == "compiler-message"`) of a checked crate.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// `error`, `warning`, ... (`message.level`).
    pub level: String,
    /// The first line of the message, without location.
    pub message: String,
    /// The message as rustc prints it, with location and snippet.
    pub rendered: String,
    /// The crate root of the target it is about (`target.src_path`).
    pub src_path: PathBuf,
}

/// The outcome of one `cargo check`.
#[derive(Debug)]
pub struct Check {
    /// Cargo's exit status was success.
    pub success: bool,
    /// rustc's errors and warnings, for every crate cargo reported on.
    pub diagnostics: Vec<Diagnostic>,
    /// Cargo's own output (progress, and why it failed when no crate was at fault).
    pub stderr: String,
    /// What programs cargo ran printed (test results for `cargo test`): the stdout
    /// lines that are not cargo's JSON messages.
    // Read by tests/fixtures_compile.rs; the corpus sweep only checks.
    #[allow(dead_code)]
    pub program_output: String,
    /// The test programs cargo built (with `cargo test --no-run`, for instance).
    // Read by `cargo xtask conformance`, which runs them itself.
    #[allow(dead_code)]
    pub executables: Vec<Executable>,
}

/// A test program cargo built: a `compiler-artifact` message with an `executable`.
#[derive(Debug, Clone)]
pub struct Executable {
    /// The directory of the package's `Cargo.toml`.
    pub package_dir: PathBuf,
    /// The target's name (`roundtrip` for `tests/roundtrip.rs`).
    pub target: String,
    /// The program.
    pub path: PathBuf,
}

impl Check {
    /// Diagnostics about the crate whose directory is `crate_dir`, of the given level.
    pub fn of<'a>(
        &'a self,
        crate_dir: &'a Path,
        level: &'a str,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics
            .iter()
            .filter(move |d| d.level == level && d.src_path.starts_with(crate_dir))
    }

    /// Cargo's first `error` line, when cargo itself failed (e.g. a bad manifest).
    pub fn cargo_error(&self) -> Option<&str> {
        self.stderr
            .lines()
            .find(|line| line.starts_with("error"))
            .map(str::trim)
    }
}

impl Workspace {
    /// Writes `<root>/Cargo.toml` with `members` (paths relative to `root`) and copies
    /// `lock` to `<root>/Cargo.lock` (cargo drops the entries no member needs).
    ///
    /// # Errors
    /// Any I/O error, with its path.
    pub fn create(
        root: &Path,
        members: &[String],
        lock: &Path,
        target_dir: &Path,
    ) -> io::Result<Self> {
        std::fs::create_dir_all(root).map_err(|e| with_path(e, root))?;
        // Cargo reports canonical paths; so must we, to match diagnostics to crates.
        let root = &std::fs::canonicalize(root).map_err(|e| with_path(e, root))?;
        let mut manifest = String::from(
            "# Written by the generated-crates check (xtask/src/generated_workspace.rs).\n\
             [workspace]\nresolver = \"2\"\nmembers = [\n",
        );
        for member in members {
            let _ = writeln!(manifest, "    {member:?},");
        }
        // Same reason as the repository's own profile: no debug info, less disk.
        manifest.push_str("]\n\n[profile.dev]\ndebug = false\n");
        let manifest_path = root.join("Cargo.toml");
        write_if_changed(&manifest_path, &manifest)?;
        let lock_copy = root.join("Cargo.lock");
        std::fs::copy(lock, &lock_copy).map_err(|e| with_path(e, lock))?;
        Ok(Self {
            root: root.to_path_buf(),
            target_dir: target_dir.to_path_buf(),
            offline: true,
        })
    }

    /// Why cargo cannot load the workspace (e.g. a member's manifest is invalid), if so.
    ///
    /// # Errors
    /// Cargo cannot be started.
    pub fn load_error(&self) -> io::Result<Option<String>> {
        let output = Command::new(cargo())
            .args(["metadata", "--no-deps", "--format-version=1", "--offline"])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .output()?;
        Ok(
            (!output.status.success())
                .then(|| String::from_utf8_lossy(&output.stderr).into_owned()),
        )
    }

    /// `cargo clean -p package`: the next check of it starts from its sources, with its
    /// dependencies still built (what "checking the crate alone" measures).
    ///
    /// # Errors
    /// Cargo cannot be started.
    pub fn clean(&self, package: &str) -> io::Result<bool> {
        let mut command = Command::new(cargo());
        command
            .args(["clean", "-p", package])
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target_dir);
        if self.offline {
            command.arg("--offline");
        }
        Ok(command.output()?.status.success())
    }

    /// `cargo check --message-format=json` with `args` (e.g. `-p NAME` or `--workspace`).
    /// Runs with `--offline` first and, if that fails for want of a download, online.
    ///
    /// # Errors
    /// Cargo cannot be started.
    pub fn check(&mut self, args: &[&str]) -> io::Result<Check> {
        self.run("check", args)
    }

    /// `cargo <subcommand> --message-format=json` with `args`, offline first as
    /// [`Workspace::check`] does; for `clippy` and `test` as well as `check`.
    ///
    /// # Errors
    /// Cargo cannot be started.
    pub fn run(&mut self, subcommand: &str, args: &[&str]) -> io::Result<Check> {
        loop {
            let mut command = Command::new(cargo());
            command
                .arg(subcommand)
                .arg("--message-format=json")
                .args(args)
                .current_dir(&self.root)
                .env("CARGO_TARGET_DIR", &self.target_dir);
            if self.offline {
                command.arg("--offline");
            }
            let output = command.output()?;
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            if !output.status.success() && self.offline && stderr.contains("offline") {
                self.offline = false;
                continue;
            }
            let stdout = String::from_utf8_lossy(&output.stdout);
            let program_output = stdout
                .lines()
                .filter(|line| !line.starts_with('{'))
                .collect::<Vec<_>>()
                .join("\n");
            return Ok(Check {
                success: output.status.success(),
                diagnostics: parse_messages(&stdout),
                executables: test_executables(&stdout),
                stderr,
                program_output,
            });
        }
    }
}

/// The `compiler-message` lines of cargo's JSON output.
fn parse_messages(stdout: &str) -> Vec<Diagnostic> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|value| value["reason"] == "compiler-message")
        .map(|value| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            let message = &value["message"];
            Diagnostic {
                level: text(&message["level"]),
                message: text(&message["message"])
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                rendered: text(&message["rendered"]),
                src_path: PathBuf::from(text(&value["target"]["src_path"])),
            }
        })
        .collect()
}

/// The test programs among the `compiler-artifact` lines of cargo's JSON output.
pub fn test_executables(stdout: &str) -> Vec<Executable> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|value| value["reason"] == "compiler-artifact" && value["profile"]["test"] == true)
        .filter_map(|value| {
            let path = value["executable"].as_str()?;
            let manifest = Path::new(value["manifest_path"].as_str()?);
            Some(Executable {
                package_dir: manifest.parent()?.to_path_buf(),
                target: value["target"]["name"].as_str()?.to_owned(),
                path: PathBuf::from(path),
            })
        })
        .collect()
}

/// The cargo that runs us (`CARGO`), else `cargo` from `PATH`.
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// `CARGO_TARGET_DIR` (made absolute) if set, else `<workspace root>/target`.
pub fn target_dir(workspace_root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                std::env::current_dir().map_or(dir.clone(), |cwd| cwd.join(&dir))
            }
        }
        _ => workspace_root.join("target"),
    }
}

/// The features of a generated crate's manifest but `default`, `mock` (the mock kit) and
/// `cli` (its command-line tool): one per area of the API (empty when the crate is not
/// split).
pub fn area_features(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('['))
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split('=').next())
        .map(|name| name.trim().to_string())
        .filter(|name| !matches!(name.as_str(), "default" | "mock" | "cli"))
        .collect()
}

/// A file name made a crate-name part: lowercase `[a-z0-9-]`, no doubled or edge dashes.
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("spec");
    }
    slug
}

/// Writes `text` unless the file already holds it (keeps mtimes, so cargo stays fresh).
fn write_if_changed(path: &Path, text: &str) -> io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| with_path(e, path))
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
