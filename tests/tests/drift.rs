//! `generated-client/` is exactly what the generator makes of `spec/openapi.yaml`.
//!
//! The same check as `cargo xtask codegen --check`, run by `cargo test` so that a spec or
//! generator change without regenerating fails the test suite. Like the command, it
//! generates the crate as the successor of the committed one (`generator::release`): with
//! the spec unchanged, the recorded spec, version and changelog stay as they are.

use std::path::{Path, PathBuf};

use generator::Options;

/// Any date: with the spec unchanged, no changelog entry is written.
const DATE: &str = "2000-01-01";

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
    let out = root.join("generated-client");
    let release = generator::release::generate(&root.join(SPEC_LABEL), &out, &options(), DATE)
        .unwrap_or_else(|error| panic!("generation failed: {error}"));
    assert_eq!(
        release.report.map(|report| report.summary()).as_deref(),
        Some("no changes"),
        "generated-client/openapi.yaml is the spec"
    );
    let drifts = generator::write::check(&out, &release.output)
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

    let out = root.join("generated-client");
    let release =
        generator::release::generate_from_str(&edited, "openapi.yaml", &out, &options(), DATE)
            .unwrap_or_else(|error| panic!("generation of the edited spec failed: {error}"));
    let report = release
        .report
        .expect("the committed crate records its spec");
    assert_eq!(report.summary(), "1 docs");
    assert_eq!(
        release.version.to_string(),
        "0.2.1",
        "a docs change is a patch"
    );
    let drifts = generator::write::check(&out, &release.output)
        .unwrap_or_else(|error| panic!("cannot compare with generated-client/: {error}"));
    let all = diffs(&drifts);
    assert!(
        all.lines().any(|line| line.starts_with('+')
            && line.contains("Region the drift test moved the sandbox to")),
        "the drift should add the edited description; diffs were:\n{all}"
    );
    // The description is in types.rs (and the recorded spec); the version in Cargo.toml,
    // with a changelog entry; elsewhere only the header's spec hash changed.
    let with_content: Vec<String> = drifts
        .iter()
        .filter(|drift| !drift.header_only)
        .map(|drift| drift.path.display().to_string())
        .collect();
    assert_eq!(
        with_content,
        ["CHANGELOG.md", "Cargo.toml", "openapi.yaml", "src/types.rs"]
    );
    assert!(all.contains("+## 0.2.1 (2000-01-01)"), "{all}");
    assert!(drifts
        .iter()
        .any(|drift| drift.path.ends_with("request.rs") && drift.header_only));
}
