//! The crates generated from the fixture specs (`tests/fixtures/*.yaml`, `*.yml`,
//! `*.json`), one per spec, in `<target dir>/fixture-crates/<stem>` (package
//! `fixture-<stem>`), each with its wire tests (`tests/fixtures/roundtrip/<stem>.rs`) copied
//! in as `tests/roundtrip.rs` beside `roundtrip/support.rs`.
//!
//! Shared by `tests/tests/fixtures_compile.rs` (which includes this file with `#[path]`)
//! and `cargo xtask conformance`, so that both run the same crates from the same place
//! and the conformance run reuses what the test run built instead of building it again.
//! Uses `crate::generated_workspace`, which both crates declare at their root.

use std::path::{Path, PathBuf};

/// The fixture specs, sorted by file name.
///
/// # Errors
/// `tests/fixtures/` cannot be read.
pub fn fixture_specs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("tests").join("fixtures");
    let entries = std::fs::read_dir(&dir)
        .map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("{}: {error}", dir.display()))?
            .path();
        let is_spec = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json");
        if path.is_file() && is_spec {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// `fixture-<stem>`: lowercase, anything but `[a-z0-9]` made a `-`.
pub fn crate_name(stem: &str) -> String {
    format!("fixture-{}", crate::generated_workspace::slug(stem))
}

/// The file stem of a spec path (`auth` for `tests/fixtures/auth.yaml`).
pub fn stem(spec: &Path) -> String {
    spec.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Generates the crate of every spec in `specs` into `crates_dir/<stem>`, installs its
/// wire tests, and removes the crates of fixtures that no longer exist. Returns the
/// stems, which are the directories of the workspace members.
///
/// # Errors
/// Every spec the generator rejects, listed; or the first I/O error, with its path.
pub fn generate(root: &Path, specs: &[PathBuf], crates_dir: &Path) -> Result<Vec<String>, String> {
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for spec in specs {
        let name = spec.file_name().unwrap_or_default().to_string_lossy();
        let stem = stem(spec);
        let options = generator::Options {
            crate_name: crate_name(&stem),
            spec_label: format!("tests/fixtures/{name}"),
            settings: None,
            strict: false,
            crate_version: None,
        };
        match generator::generate(spec, &options) {
            Ok(output) => {
                let out = crates_dir.join(&stem);
                generator::write::write(&out, &output)
                    .map_err(|error| format!("cannot write {}: {error}", out.display()))?;
                install_roundtrip_tests(root, &stem, &out)?;
                members.push(stem);
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "fixtures the generator rejects:\n{}",
            failures.join("\n")
        ));
    }
    remove_stale_crates(crates_dir, &members)?;
    Ok(members)
}

/// `tests/fixtures/roundtrip/<stem>.rs`, the fixture's wire and serde tests, if it has any.
pub fn roundtrip_test(root: &Path, stem: &str) -> Option<PathBuf> {
    let path = root
        .join("tests")
        .join("fixtures")
        .join("roundtrip")
        .join(format!("{stem}.rs"));
    path.is_file().then_some(path)
}

/// Copies `tests/fixtures/roundtrip/<stem>.rs` (and its support module) into the crate as
/// `tests/roundtrip.rs`, or removes a stale copy when the fixture has none. Unchanged
/// files are not rewritten, so cargo does not rebuild them.
fn install_roundtrip_tests(root: &Path, stem: &str, crate_dir: &Path) -> Result<(), String> {
    let tests_dir = crate_dir.join("tests");
    let Some(test) = roundtrip_test(root, stem) else {
        let _ = std::fs::remove_dir_all(&tests_dir);
        return Ok(());
    };
    let support = root
        .join("tests")
        .join("fixtures")
        .join("roundtrip")
        .join("support.rs");
    let support_dir = tests_dir.join("support");
    std::fs::create_dir_all(&support_dir)
        .map_err(|error| format!("cannot create {}: {error}", support_dir.display()))?;
    for (from, to) in [
        (test, tests_dir.join("roundtrip.rs")),
        (support, support_dir.join("mod.rs")),
    ] {
        let text = std::fs::read_to_string(&from)
            .map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        let unchanged = std::fs::read_to_string(&to).is_ok_and(|existing| existing == text);
        if !unchanged {
            std::fs::write(&to, text)
                .map_err(|error| format!("cannot write {}: {error}", to.display()))?;
        }
    }
    Ok(())
}

/// Removes the crate directories of fixtures that no longer exist (they would still be
/// on disk, but not workspace members).
fn remove_stale_crates(crates_dir: &Path, members: &[String]) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(crates_dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_dir && !members.contains(&name) && entry.path().join("Cargo.toml").is_file() {
            std::fs::remove_dir_all(entry.path())
                .map_err(|error| format!("cannot remove {}: {error}", entry.path().display()))?;
        }
    }
    Ok(())
}
