//! The change report (`generator::compare`, `cargo xtask diff`) as a table: each case of
//! `tests/fixtures/diff/cases.yaml` edits `tests/fixtures/diff/base.yaml` into a NEW spec
//! (and sometimes the OLD one first), and gives the exact report lines and semver line
//! for a crate at `0.2.0` (the table is read by `xtask/src/diff_cases.rs`, which
//! `cargo xtask semver-audit` shares). Then the two examples of the issue on our own spec, and the
//! codegen flow (recorded spec, version bump, changelog) in a temporary directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::compare::{self, Class, Version};

#[path = "../../xtask/src/diff_cases.rs"]
mod diff_cases;

use diff_cases::Case;

const CRATE_VERSION: Version = Version::new(0, 2, 0);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("diff")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn cases() -> Vec<Case> {
    diff_cases::load(&fixtures()).unwrap_or_else(|error| panic!("{error}"))
}

fn yaml_to_json(text: &str, case: &str) -> String {
    diff_cases::edited(text, None, case).unwrap_or_else(|error| panic!("{error}"))
}

fn report_lines(old: &str, new: &str, case: &str) -> Vec<String> {
    let load = |text: &str| {
        generator::load_spec_from_str(text, "spec.yaml")
            .unwrap_or_else(|error| panic!("{case}: {error}"))
    };
    compare::compare(&load(old), &load(new))
        .render(CRATE_VERSION)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_case_of_the_table_reports_its_lines_and_semver() {
    let mut failures = Vec::new();
    for case in cases() {
        let actual = report_lines(&case.old, &case.new, &case.name);
        if actual != case.expected {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  actual:\n    {}",
                case.name,
                case.expected.join("\n    "),
                actual.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The table is big enough and covers every class, both "no change" and each semver
/// kind, so that a rule that stops firing shows.
#[test]
fn the_table_covers_every_class_and_bump() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let lines: Vec<&String> = cases.iter().flat_map(|case| &case.expected).collect();
    for class in Class::ALL {
        let prefix = format!("{}: ", class.label());
        assert!(
            lines.iter().any(|line| line.starts_with(&prefix)),
            "no case expects a {class} change"
        );
    }
    let bumps: BTreeSet<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("semver: "))
        .filter_map(|line| {
            line.rsplit_once('(')
                .map(|(_, kind)| kind.trim_end_matches(')'))
        })
        .collect();
    assert_eq!(
        bumps,
        BTreeSet::from(["major", "minor", "none", "patch"]),
        "bumps covered"
    );
    let names: BTreeSet<&str> = cases.iter().map(|case| case.name.as_str()).collect();
    assert_eq!(names.len(), cases.len(), "case names are unique");
}

/// A spec compared with itself (and with itself as JSON) reports nothing.
#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    let yaml = read(&fixtures().join("base.yaml"));
    let json = yaml_to_json(&yaml, "base as JSON");
    let load = |text: &str, name: &str| {
        generator::load_spec_from_str(text, name).unwrap_or_else(|error| panic!("{error}"))
    };
    let report = compare::compare(&load(&yaml, "base.yaml"), &load(&json, "base.json"));
    assert_eq!(report.changes, []);
    assert_eq!(report.bump(), None);
    assert_eq!(report.summary(), "no changes");
}

// --- The examples, on our own spec -------------------------------------------

fn our_spec() -> String {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
}

fn replaced_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the test edits `{from}`, which must occur once in spec/openapi.yaml"
    );
    text.replace(from, to)
}

#[test]
fn a_new_optional_query_parameter_in_our_spec_is_additive_and_minor() {
    let old = our_spec();
    let new = replaced_once(
        &old,
        "      - $ref: '#/components/parameters/Limit'\n      responses:\n        '200':\n          description: Paginated list of sandboxes",
        "      - $ref: '#/components/parameters/Limit'\n      - name: phase\n        in: query\n        schema:\n          type: string\n      responses:\n        '200':\n          description: Paginated list of sandboxes",
    );
    let lines = report_lines(&old, &new, "new query parameter");
    assert_eq!(
        lines,
        [
            "additive: #/paths/~1api~1v1beta1~1orgs~1{org_id}~1projects~1{project_id}~1sandboxes/get/parameters/4: optional query parameter `phase` added; rust: Request<ListSandboxes>::phase",
            "semver: 0.2.0 -> 0.2.1 (minor)",
        ]
    );
}

#[test]
fn removing_sandbox_region_from_our_spec_is_breaking_wire_and_major() {
    let old = our_spec();
    // `Sandbox.region` is in our spec: required, and described.
    let new = replaced_once(
        &old,
        "      - name\n      - region\n      - image\n      - phase",
        "      - name\n      - image\n      - phase",
    );
    let new = replaced_once(
        &new,
        "        region:\n          type: string\n          description: Region where the sandbox runs.\n",
        "",
    );
    let lines = report_lines(&old, &new, "Sandbox.region removed");
    assert_eq!(
        lines,
        [
            "breaking-wire: #/components/schemas/Sandbox/properties/region: required property removed from a type read from responses; rust: types::Sandbox::region",
            "semver: 0.2.0 -> 0.3.0 (major)",
        ]
    );
}

// --- The codegen flow ------------------------------------------------------------------

/// A directory under the target dir, emptied first (not `std::env::temp_dir`, which
/// may be small; and inside the build tree, so nothing outside the repository).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn options() -> generator::Options {
    generator::Options {
        crate_name: "pet-client".to_owned(),
        spec_label: "pets.yaml".to_owned(),
        settings: None,
        strict: false,
        crate_version: None,
    }
}

fn release(spec: &Path, out: &Path, date: &str) -> generator::release::Release {
    let release = generator::release::generate(spec, out, &options(), date)
        .unwrap_or_else(|error| panic!("{error}"));
    generator::write::write(out, &release.output).expect("write");
    release
}

#[test]
fn codegen_records_the_spec_bumps_the_version_and_writes_the_changelog() {
    let dir = scratch("spec-diff-codegen");
    let spec = dir.join("pets.yaml");
    let out = dir.join("crate");
    let base = read(&fixtures().join("base.yaml"));
    std::fs::write(&spec, &base).expect("spec");

    // A new crate: the first version, the spec recorded, a first changelog entry.
    let first = release(&spec, &out, "2025-01-01");
    assert_eq!(first.version, Version::new(0, 1, 0));
    assert!(first.report.is_none());
    let recorded = read(&out.join("openapi.yaml"));
    assert!(recorded.starts_with("# @generated by openapi-rust-generator"));
    assert!(recorded.contains("operationId: listPets"));
    assert!(read(&out.join("Cargo.toml")).contains("\nversion = \"0.1.0\"\n"));
    let changelog = read(&out.join("CHANGELOG.md"));
    assert!(
        changelog.contains("## 0.1.0\n\nThe first version, generated from API version `1.0.0`.")
    );

    // The same spec again: nothing changes, whatever the date.
    let again = generator::release::generate(&spec, &out, &options(), "2030-12-31")
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(again
        .report
        .as_ref()
        .is_some_and(|report| report.is_empty()));
    assert_eq!(
        generator::write::check(&out, &again.output).expect("check"),
        []
    );

    // A breaking change: 0.1.0 -> 0.2.0, one dated entry on top, the old one kept.
    let changed = base.replace("        tag:\n          type: string\n", "");
    std::fs::write(&spec, changed).expect("spec");
    let second = release(&spec, &out, "2025-02-03");
    assert_eq!(second.previous_version, Some(Version::new(0, 1, 0)));
    assert_eq!(second.version, Version::new(0, 2, 0));
    assert_eq!(
        second.report.as_ref().map(|report| report.summary()),
        Some("1 breaking-wire".to_owned())
    );
    assert!(read(&out.join("Cargo.toml")).contains("\nversion = \"0.2.0\"\n"));
    let changelog = read(&out.join("CHANGELOG.md"));
    let entries: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(entries, ["## 0.2.0 (2025-02-03)", "## 0.1.0"]);
    assert!(changelog.contains(
        "- `#/components/schemas/Pet/properties/tag`: optional property removed from a type read from responses (`types::Pet::tag`)"
    ));
    assert!(read(&out.join("openapi.yaml")).contains("operationId: listPets"));
    assert!(!read(&out.join("openapi.yaml")).contains("tag:"));

    // A docs-only change: a patch, 0.2.0 -> 0.2.1.
    let docs = read(&spec).replace("summary: List pets", "summary: List the pets");
    std::fs::write(&spec, docs).expect("spec");
    let third = release(&spec, &out, "2025-03-04");
    assert_eq!(third.version, Version::new(0, 2, 1));
    let changelog = read(&out.join("CHANGELOG.md"));
    assert!(changelog.contains("## 0.2.1 (2025-03-04)\n\n### Documentation\n\n- `#/paths/~1pets/get`: summary changed (`Client::list_pets`)\n"));
}

#[test]
fn a_crate_from_before_specs_were_recorded_keeps_its_version() {
    let dir = scratch("spec-diff-unrecorded");
    let spec = dir.join("pets.yaml");
    let out = dir.join("crate");
    std::fs::write(&spec, read(&fixtures().join("base.yaml"))).expect("spec");
    release(&spec, &out, "2025-01-01");
    // As the committed crate was before: a version, no recorded spec, no changelog.
    std::fs::remove_file(out.join("openapi.yaml")).expect("remove");
    std::fs::remove_file(out.join("CHANGELOG.md")).expect("remove");
    let manifest =
        read(&out.join("Cargo.toml")).replace("version = \"0.1.0\"", "version = \"0.7.3\"");
    std::fs::write(out.join("Cargo.toml"), manifest).expect("manifest");

    let next = release(&spec, &out, "2025-01-02");
    assert!(next.report.is_none());
    assert_eq!(next.version, Version::new(0, 7, 3));
    assert!(read(&out.join("CHANGELOG.md")).contains(
        "## 0.7.3\n\nThe first version whose spec is recorded (`openapi.yaml`, API version `1.0.0`); earlier changes are not listed."
    ));
}

#[test]
fn an_unreadable_recorded_spec_is_a_clear_error() {
    let dir = scratch("spec-diff-bad-record");
    let spec = dir.join("pets.yaml");
    let out = dir.join("crate");
    std::fs::write(&spec, read(&fixtures().join("base.yaml"))).expect("spec");
    release(&spec, &out, "2025-01-01");
    std::fs::write(
        out.join("openapi.yaml"),
        "# @generated by test\nopenapi: 4.0.0\n",
    )
    .expect("write");
    let error = generator::release::generate(&spec, &out, &options(), "2025-01-02")
        .expect_err("a record of a version the generator cannot read is refused");
    let message = error.to_string();
    assert!(message.contains("openapi.yaml"), "{message}");
    assert!(
        message.contains("delete it to generate without a change report"),
        "{message}"
    );
}
