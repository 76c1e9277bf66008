//! Every spec in `tests/fixtures/` (`*.yaml`, `*.yml`, `*.json`; new ones are picked up
//! automatically) generates a crate that `cargo clippy -D warnings` accepts, and whose
//! behaviour tests pass: `tests/fixtures/roundtrip/<stem>.rs`, when present, is copied
//! into the crate as an integration test (with `roundtrip/support.rs`, a one-shot HTTP
//! server) and run there, against the generated code itself.
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
    format!("fixture-{}", generated_workspace::slug(stem))
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
            strict: false,
        };
        match generator::generate(spec, &options) {
            Ok(output) => {
                let out = crates_dir.join(&*stem);
                generator::write::write(&out, &output)
                    .unwrap_or_else(|error| panic!("cannot write {}: {error}", out.display()));
                install_roundtrip_tests(&root, &stem, &out);
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
        .run(
            "clippy",
            &[
                "--workspace",
                "--all-targets",
                "--keep-going",
                "--",
                "-D",
                "warnings",
            ],
        )
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
        "`cargo clippy -D warnings` of the crates generated from tests/fixtures/ (in {}) {}:\n{}\n\n{}\n{}",
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

    // A crate split into areas (Cargo features) must build clean with each area alone,
    // and with none: every `cfg` the generator writes is exercised.
    for member in &members {
        let manifest = std::fs::read_to_string(workspace.root.join(member).join("Cargo.toml"))
            .unwrap_or_default();
        for features in area_feature_sets(&manifest) {
            let name = crate_name(member);
            let mut args = vec!["-p", name.as_str(), "--no-default-features"];
            if !features.is_empty() {
                args.extend(["--features", features.as_str()]);
            }
            args.extend(["--", "-D", "warnings"]);
            let check = workspace
                .run("clippy", &args)
                .unwrap_or_else(|error| panic!("cannot run cargo: {error}"));
            let crate_dir = workspace.root.join(member);
            let problems: Vec<String> = check
                .of(&crate_dir, "error")
                .chain(check.of(&crate_dir, "warning"))
                .map(|d| d.rendered.clone())
                .collect();
            assert!(
                check.success && problems.is_empty(),
                "`cargo clippy -p {name} --no-default-features --features {features:?}` failed:\n{}\n{}",
                problems.join("\n"),
                check.stderr
            );
        }
    }

    let tests = workspace
        // Integration tests and doctests: the crate docs' examples must compile for every
        // spec (they name the auth setters the spec really has, for instance).
        .run("test", &["--workspace", "--no-fail-fast"])
        .unwrap_or_else(|error| panic!("cannot run cargo: {error}"));
    assert!(
        tests.success,
        "the round-trip tests or doctests of the fixture crates failed:\n{}\n{}",
        tests.program_output, tests.stderr,
    );
}

/// For a manifest with `[features]`: no feature, then each feature but `default` alone.
fn area_feature_sets(manifest: &str) -> Vec<String> {
    let features = generated_workspace::area_features(manifest);
    if features.is_empty() {
        return Vec::new();
    }
    std::iter::once(String::new()).chain(features).collect()
}

/// Copies `tests/fixtures/roundtrip/<stem>.rs` (and its support module) into the crate as
/// `tests/roundtrip.rs`, or removes a stale copy when the fixture has none.
fn install_roundtrip_tests(root: &Path, stem: &str, crate_dir: &Path) {
    let sources = root.join("tests").join("fixtures").join("roundtrip");
    let tests_dir = crate_dir.join("tests");
    let test = sources.join(format!("{stem}.rs"));
    if !test.is_file() {
        let _ = std::fs::remove_dir_all(&tests_dir);
        return;
    }
    let support_dir = tests_dir.join("support");
    std::fs::create_dir_all(&support_dir)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", support_dir.display()));
    for (from, to) in [
        (test, tests_dir.join("roundtrip.rs")),
        (sources.join("support.rs"), support_dir.join("mod.rs")),
    ] {
        let text = std::fs::read_to_string(&from)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", from.display()));
        let unchanged = std::fs::read_to_string(&to).is_ok_and(|existing| existing == text);
        if !unchanged {
            std::fs::write(&to, text)
                .unwrap_or_else(|error| panic!("cannot write {}: {error}", to.display()));
        }
    }
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
