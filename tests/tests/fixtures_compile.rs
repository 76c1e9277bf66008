//! Every spec in `tests/fixtures/` (`*.yaml`, `*.yml`, `*.json`; new ones are picked up
//! automatically) generates a crate that `cargo check` accepts without an error or warning.
//!
//! The crates go to `<target dir>/fixture-crates/<stem>` (package `fixture-<stem>`), in one
//! workspace with the repository's `Cargo.lock`, checked by ONE `cargo check --workspace`
//! into `<target dir>/fixture-check`: the dependencies (reqwest, tokio, ...) are checked once
//! there, and later runs only re-check the generated crates.

use std::path::{Path, PathBuf};

use generator::Options;

// Shared with `cargo xtask corpus`; this test uses only part of it.
#[allow(dead_code)]
#[path = "../../xtask/src/generated_workspace.rs"]
mod generated_workspace;

use generated_workspace::Workspace;

fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The fixture specs, sorted by file name.
fn fixture_specs(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("tests").join("fixtures");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    let mut specs: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|error| panic!("{}: {error}", dir.display())))
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
        })
        .collect();
    specs.sort();
    specs
}

/// `fixture-<stem>`: lowercase, anything but `[a-z0-9]` made a `-`.
fn crate_name(stem: &str) -> String {
    let part: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("fixture-{part}")
}

#[test]
fn every_fixture_generates_a_crate_that_checks_without_warnings() {
    let root = workspace_root();
    let specs = fixture_specs(&root);
    assert!(!specs.is_empty(), "no specs in tests/fixtures/");
    let target_dir = generated_workspace::target_dir(&root);
    let crates_dir = target_dir.join("fixture-crates");

    let mut members = Vec::new();
    let mut generate_failures = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy();
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
        let options = Options {
            crate_name: crate_name(&stem),
            spec_label: format!("tests/fixtures/{name}"),
            settings: None,
        };
        match generator::generate(spec, &options) {
            Ok(output) => {
                let out = crates_dir.join(&*stem);
                generator::write::write(&out, &output)
                    .unwrap_or_else(|error| panic!("cannot write {}: {error}", out.display()));
                members.push(stem.into_owned());
            }
            Err(error) => generate_failures.push(format!("{name}: {error}")),
        }
    }
    assert!(
        generate_failures.is_empty(),
        "fixtures the generator rejects:\n{}",
        generate_failures.join("\n")
    );
    remove_stale_crates(&crates_dir, &members);

    let mut workspace = Workspace::create(
        &crates_dir,
        &members,
        &root.join("Cargo.lock"),
        &target_dir.join("fixture-check"),
    )
    .unwrap_or_else(|error| panic!("cannot write the fixture workspace: {error}"));
    let check = workspace
        .check(&["--workspace", "--keep-going"])
        .unwrap_or_else(|error| panic!("cannot run cargo: {error}"));

    let mut summary = Vec::new();
    let mut problems = Vec::new();
    for member in &members {
        let crate_dir = workspace.root.join(member);
        let errors = check.of(&crate_dir, "error").count();
        let warnings = check.of(&crate_dir, "warning").count();
        if errors + warnings > 0 {
            summary.push(format!(
                "  {}: {errors} error(s), {warnings} warning(s)",
                crate_name(member)
            ));
        }
        for level in ["error", "warning"] {
            problems.extend(check.of(&crate_dir, level).map(|d| d.rendered.clone()));
        }
    }
    assert!(
        check.success && problems.is_empty(),
        "`cargo check` of the crates generated from tests/fixtures/ (in {}) {}:\n{}\n\n{}\n{}",
        workspace.root.display(),
        if check.success {
            "has warnings"
        } else {
            "failed"
        },
        summary.join("\n"),
        problems.join("\n"),
        check.stderr,
    );
}

/// Crate directories of fixtures that no longer exist (they would still be on disk, but
/// not workspace members).
fn remove_stale_crates(crates_dir: &Path, members: &[String]) {
    let Ok(entries) = std::fs::read_dir(crates_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_dir && !members.contains(&name) && entry.path().join("Cargo.toml").is_file() {
            std::fs::remove_dir_all(entry.path()).unwrap_or_else(|error| {
                panic!("cannot remove {}: {error}", entry.path().display())
            });
        }
    }
}
