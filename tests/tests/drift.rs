//! `generated-client/` is exactly what the generator makes of `spec/openapi.yaml`.
//!
//! The same check as `cargo xtask codegen --check`, run by `cargo test` so that a spec or
//! generator change without regenerating fails the test suite.

use std::path::{Path, PathBuf};

use generator::Options;

const SPEC_LABEL: &str = "spec/openapi.yaml";
const SETTINGS: &str = "spec/codegen.toml";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn options() -> Options {
    Options {
        crate_name: "ai-agent-client".to_owned(),
        spec_label: SPEC_LABEL.to_owned(),
        settings: Some(workspace_root().join(SETTINGS)),
        strict: false,
        crate_version: None,
    }
}

/// Every drift's unified diff, one after the other.
fn diffs(drifts: &[generator::write::Drift]) -> String {
    drifts
        .iter()
        .map(|drift| drift.unified_diff.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn generated_client_matches_the_spec() {
    let root = workspace_root();
    let output = generator::generate(&root.join(SPEC_LABEL), &options())
        .unwrap_or_else(|error| panic!("generation failed: {error}"));
    let drifts = generator::write::check(&root.join("generated-client"), &output)
        .unwrap_or_else(|error| panic!("cannot compare with generated-client/: {error}"));
    assert!(
        drifts.is_empty(),
        "{}\ngenerated-client/ is stale: {} file(s) differ from {SPEC_LABEL}; run `cargo xtask codegen`",
        diffs(&drifts),
        drifts.len(),
    );
}

/// The check above can fail: a one-line edit of the spec shows up in the diff.
#[test]
fn an_edited_spec_is_reported_as_drift() {
    const OLD: &str = "description: Region where the sandbox runs.";
    const NEW: &str = "description: Region the drift test moved the sandbox to.";
    let root = workspace_root();
    let path = root.join(SPEC_LABEL);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    assert_eq!(
        text.matches(OLD).count(),
        1,
        "the test edits `{OLD}`, which must occur once"
    );
    let edited = text.replace(OLD, NEW);

    let output = generator::generate_from_str(&edited, "openapi.yaml", &options())
        .unwrap_or_else(|error| panic!("generation of the edited spec failed: {error}"));
    let drifts = generator::write::check(&root.join("generated-client"), &output)
        .unwrap_or_else(|error| panic!("cannot compare with generated-client/: {error}"));
    let all = diffs(&drifts);
    assert!(
        all.lines().any(|line| line.starts_with('+')
            && line.contains("Region the drift test moved the sandbox to")),
        "the drift should add the edited description; diffs were:\n{all}"
    );
    // The description is in types.rs; elsewhere only the header's spec hash changed.
    let with_content: Vec<String> = drifts
        .iter()
        .filter(|drift| !drift.header_only)
        .map(|drift| drift.path.display().to_string())
        .collect();
    assert_eq!(with_content, ["src/types.rs"]);
    assert!(drifts
        .iter()
        .any(|drift| drift.path.ends_with("request.rs") && drift.header_only));
}
