//! Snapshots of the emitted code: one fixture spec per normalisation rule, and our spec.
//!
//! Each snapshot is a claim about the Rust shape a rule produces; review every change
//! with `cargo insta review` (or read the `.snap.new` file) before accepting it.

use std::path::{Path, PathBuf};

use generator::{Options, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn generate(path: &Path, label: &str) -> Output {
    generate_with(path, label, None)
}

/// Like [`generate`], with a settings file (`codegen.toml`).
fn generate_with(path: &Path, label: &str, settings: Option<PathBuf>) -> Output {
    let options = Options {
        crate_name: "fixture-client".to_string(),
        spec_label: label.to_string(),
        settings,
        strict: false,
        crate_version: None,
    };
    generator::generate(path, &options).unwrap_or_else(|error| panic!("{label}: {error}"))
}

/// One generated file, without the two header lines (they carry the spec's hash, which
/// would make every fixture edit a snapshot change twice over).
fn file(output: &Output, path: &str) -> String {
    let text = output
        .files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} was not generated; files: {:?}", output.files.keys()));
    text.lines().skip(3).collect::<Vec<_>>().join("\n")
}

fn types_of(name: &str) -> String {
    let output = generate(&fixture(name), name);
    assert!(
        output.warnings.is_empty(),
        "{name}: unexpected warnings {:?}",
        output.warnings
    );
    file(&output, "src/types.rs")
}

#[test]
fn rule_string_enums_with_catch_all() {
    insta::assert_snapshot!("enums_types", types_of("enums.yaml"));
}

#[test]
fn rule_required_and_nullable_are_independent() {
    insta::assert_snapshot!("nullable_types", types_of("nullable.yaml"));
}

#[test]
fn rule_all_of_ref_with_nullable_is_an_optional_reference() {
    insta::assert_snapshot!(
        "all_of_nullable_ref_types",
        types_of("all_of_nullable_ref.yaml")
    );
}

#[test]
fn rule_defaults_formats_and_nested_arrays() {
    insta::assert_snapshot!(
        "defaults_and_formats_types",
        types_of("defaults_and_formats.yaml")
    );
}

#[test]
fn rule_all_of_members_merge_into_one_struct() {
    insta::assert_snapshot!("all_of_merge_types", types_of("all_of_merge.yaml"));
}

#[test]
fn rule_one_of_any_of_tagged_untagged_and_collapsed() {
    insta::assert_snapshot!("unions_types", types_of("unions.yaml"));
}

#[test]
fn rule_one_of_tagged_by_a_property_each_member_fixes() {
    insta::assert_snapshot!("inferred_tags_types", types_of("inferred_tags.yaml"));
}

#[test]
fn rule_read_only_write_only_and_secrets() {
    let output = generate(&fixture("directions.yaml"), "directions.yaml");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    insta::assert_snapshot!("directions_types", file(&output, "src/types.rs"));
    insta::assert_snapshot!("directions_operations", file(&output, "src/operations.rs"));
}

#[test]
fn rule_declared_response_headers_are_typed() {
    let output = generate(&fixture("response_headers.yaml"), "response_headers.yaml");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    insta::assert_snapshot!(
        "response_headers_operations",
        file(&output, "src/operations.rs")
    );
}

#[test]
fn rule_event_streams_are_typed_streams() {
    let output = generate(&fixture("event_streams.yaml"), "event_streams.yaml");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    insta::assert_snapshot!(
        "event_streams_operations",
        file(&output, "src/operations.rs")
    );
}

#[test]
fn rule_every_writable_request_media_type_is_a_choice() {
    let output = generate(&fixture("media_types.yaml"), "media_types.yaml");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: #/paths/~1pets/post/requestBody/content/application~1xml: the client cannot write this media type; the body is sent as `application/json` and the other media types offered only",
        ]
    );
    insta::assert_snapshot!("media_types_operations", file(&output, "src/operations.rs"));
}

#[test]
fn rule_media_types_with_different_schemas_are_a_body_enum() {
    let output = generate(&fixture("mixed_media_types.yaml"), "mixed_media_types.yaml");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: #/paths/~1notes/post/requestBody/content/application~1xml: the client cannot write this media type; the body is sent as `application/json` and the other media types offered only",
        ]
    );
    insta::assert_snapshot!(
        "mixed_media_types_operations",
        file(&output, "src/operations.rs")
    );
}

#[test]
fn rule_openapi_3_1_is_read_as_the_3_0_that_means_the_same() {
    let output = generate(&fixture("openapi31.yaml"), "openapi31.yaml");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "warning: #/components/securitySchemes/mtls: a `mutualTLS` scheme is a TLS client certificate: configure it on the HTTP client; the generated client sends no credential for it",
            "warning: #/components/schemas/Styles: `patternProperties` is read as a map of its values (`additionalProperties`); key patterns are not checked",
            "warning: #/components/schemas/Mixed: a tuple (`prefixItems`) of different schemas that more items may follow is an array of any JSON (`serde_json::Value`)",
            "warning: #/components/schemas/Conditional: `if`, `then` cannot be said in OpenAPI 3.0: the shape is kept, the check is left to the server",
        ]
    );
    insta::assert_snapshot!("openapi31_types", file(&output, "src/types.rs"));
    let docs = file(&output, "src/lib.rs");
    let webhooks = docs
        .lines()
        .skip_while(|line| !line.starts_with("//! ## Webhooks"))
        .take_while(|line| line.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("openapi31_webhooks_docs", webhooks);
}

#[test]
fn rule_refs_below_a_component_root_are_types_of_their_own() {
    insta::assert_snapshot!("nested_refs_types", types_of("nested_refs.yaml"));
}

#[test]
fn rule_additional_properties_maps_and_flattened_extras() {
    insta::assert_snapshot!(
        "additional_properties_types",
        types_of("additional_properties.yaml")
    );
}

#[test]
fn rule_recursive_types_are_boxed_or_newtyped() {
    insta::assert_snapshot!("recursive_types", types_of("recursive.yaml"));
}

#[test]
fn rule_enum_values_that_are_not_identifiers() {
    insta::assert_snapshot!("enum_values_types", types_of("enum_values.yaml"));
}

#[test]
fn rule_formats_pick_rust_types() {
    insta::assert_snapshot!("formats_types", types_of("formats.yaml"));
}

#[test]
fn rule_docs_are_rustdoc_safe() {
    let output = generate(&fixture("docs.yaml"), "docs.yaml");
    insta::assert_snapshot!("docs_types", file(&output, "src/types.rs"));
    insta::assert_snapshot!("docs_lib", file(&output, "src/lib.rs"));
}

#[test]
fn rule_names_are_valid_unique_and_deterministic() {
    let output = generate(&fixture("names.yaml"), "names.yaml");
    assert!(
        output.warnings.is_empty(),
        "unexpected warnings {:?}",
        output.warnings
    );
    insta::assert_snapshot!("names_types", file(&output, "src/types.rs"));
    insta::assert_snapshot!("names_operations", file(&output, "src/operations.rs"));
}

#[test]
fn rule_parameter_locations_styles_and_overrides() {
    let output = generate(&fixture("parameters.yaml"), "parameters.yaml");
    assert!(
        output.warnings.is_empty(),
        "unexpected warnings {:?}",
        output.warnings
    );
    insta::assert_snapshot!("parameters_operations", file(&output, "src/operations.rs"));
}

#[test]
fn rule_label_and_matrix_path_parameters() {
    let output = generate(&fixture("path_styles.yaml"), "path_styles.yaml");
    assert!(
        output.warnings.is_empty(),
        "unexpected warnings {:?}",
        output.warnings
    );
    insta::assert_snapshot!("path_styles_operations", file(&output, "src/operations.rs"));
}

#[test]
fn rule_request_body_media_types() {
    let output = generate(&fixture("bodies.yaml"), "bodies.yaml");
    assert!(
        output.warnings.is_empty(),
        "unexpected warnings {:?}",
        output.warnings
    );
    insta::assert_snapshot!("bodies_operations", file(&output, "src/operations.rs"));
    insta::assert_snapshot!("bodies_types", file(&output, "src/types.rs"));
}

#[test]
fn rule_responses_outcomes_ranges_text_and_binary() {
    let output = generate(&fixture("responses.yaml"), "responses.yaml");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: #/paths/~1jobs~1{id}/delete/responses/204/content: this status never has a body; its `content` is ignored"]
    );
    insta::assert_snapshot!("responses_operations", file(&output, "src/operations.rs"));
    insta::assert_snapshot!("responses_errors", file(&output, "src/errors.rs"));
}

#[test]
fn rule_areas_split_operations_and_types_into_features() {
    let output = generate(&fixture("areas.yaml"), "areas.yaml");
    let manifest = file(&output, "Cargo.toml");
    assert!(
        manifest.contains("[features]\ndefault = [\"pets\", \"stores\", \"untagged\"]\npets = []\nstores = []\nuntagged = []\n"),
        "{manifest}"
    );
    let types = file(&output, "src/types.rs");
    // `Pet` is reached from both tagged areas, `Address` only through `Store`, `Failure`
    // from all three and `Unused` from none: those two are unconditional.
    let cfg_of = |item: &str| -> Option<String> {
        let lines: Vec<&str> = types.lines().collect();
        let at = lines.iter().position(|line| line.starts_with(item))?;
        lines[..at]
            .iter()
            .rev()
            .take_while(|line| line.starts_with("#[") || line.starts_with("///"))
            .find(|line| line.starts_with("#[cfg("))
            .map(|line| line.to_string())
    };
    assert_eq!(
        cfg_of("pub struct Pet ").as_deref(),
        Some("#[cfg(any(feature = \"pets\", feature = \"stores\"))]")
    );
    assert_eq!(
        cfg_of("pub struct Address ").as_deref(),
        Some("#[cfg(feature = \"stores\")]")
    );
    assert_eq!(cfg_of("pub struct Failure "), None);
    assert_eq!(cfg_of("pub struct Unused "), None);
    insta::assert_snapshot!("areas_types", types);
    insta::assert_snapshot!("areas_operations", file(&output, "src/operations.rs"));
}

#[test]
fn rule_security_schemes_become_builder_methods() {
    let output = generate(&fixture("auth.yaml"), "auth.yaml");
    insta::assert_snapshot!("auth_client", file(&output, "src/client.rs"));
    insta::assert_snapshot!("auth_lib", file(&output, "src/lib.rs"));
}

#[test]
fn rule_operations_parameters_bodies_and_responses() {
    let output = generate(&fixture("operations.yaml"), "operations.yaml");
    assert!(
        output.warnings.is_empty(),
        "unexpected warnings {:?}",
        output.warnings
    );
    insta::assert_snapshot!("operations_operations", file(&output, "src/operations.rs"));
    insta::assert_snapshot!("operations_errors", file(&output, "src/errors.rs"));
    insta::assert_snapshot!("operations_client", file(&output, "src/client.rs"));
    insta::assert_snapshot!("operations_types", file(&output, "src/types.rs"));
}

/// A Swagger 2.0 document is upgraded to 3.0 before it is read. This one says nothing
/// 3.0 cannot, so it upgrades without a warning and passes `--strict`.
#[test]
fn rule_swagger_2_is_upgraded_to_openapi_3() {
    let path = fixture("swagger2.yaml");
    let output = generate(&path, "swagger2.yaml");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings, Vec::<String>::new());
    let strict = Options {
        crate_name: "fixture-client".to_string(),
        spec_label: "swagger2.yaml".to_string(),
        settings: None,
        strict: true,
        crate_version: None,
    };
    assert_eq!(generator::generate(&path, &strict).unwrap(), output);
    insta::assert_snapshot!("swagger2_operations", file(&output, "src/operations.rs"));
    insta::assert_snapshot!("swagger2_types", file(&output, "src/types.rs"));
    insta::assert_snapshot!("swagger2_client", file(&output, "src/client.rs"));
}

/// Our spec with its settings: no warnings, the files a user gets, README headings.
#[test]
fn sandboxes_api_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = generate_with(
        &root.join("spec/openapi.yaml"),
        "spec/openapi.yaml",
        Some(root.join("spec/codegen.toml")),
    );
    assert!(
        output.warnings.is_empty(),
        "unexpected warnings {:?}",
        output.warnings
    );
    // The crate README is the crate docs without the lines rustdoc hides in examples;
    // its headings stay.
    let readme = &output.files[Path::new("README.md")];
    assert!(readme.contains("\n# AI Agent Service API\n"), "{readme}");
    assert!(readme.contains("\n## Retries and timeouts\n"), "{readme}");
    assert!(
        readme.contains("\n## Testing your application: the mock kit\n"),
        "{readme}"
    );
    assert!(!readme.contains("# async fn run()"), "{readme}");
    let names: Vec<String> = output
        .files
        .keys()
        .map(|path| path.display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "Cargo.toml",
            "README.md",
            "src/call.rs",
            "src/cli.rs",
            "src/cli_wait.rs",
            "src/client.rs",
            "src/commands.rs",
            "src/constraints.rs",
            "src/enum_impls.rs",
            "src/error.rs",
            "src/errors.rs",
            "src/lib.rs",
            "src/main.rs",
            "src/mock.rs",
            "src/mocks.rs",
            "src/observe.rs",
            "src/operations.rs",
            "src/pagination.rs",
            "src/pattern.rs",
            "src/redact.rs",
            "src/request.rs",
            "src/response.rs",
            "src/retry.rs",
            "src/transport.rs",
            "src/types.rs",
            "src/validation.rs",
            "src/wait.rs",
            "src/waiters.rs"
        ]
    );
    // The files' content is pinned by the drift test (`generated-client/` must equal the
    // output), so no snapshot repeats it here.
}

/// Same spec, same bytes.
#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let first = generate(&root.join("spec/openapi.yaml"), "spec/openapi.yaml");
    let second = generate(&root.join("spec/openapi.yaml"), "spec/openapi.yaml");
    assert_eq!(first, second);
}
