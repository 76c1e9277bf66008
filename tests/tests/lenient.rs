//! Defects of published specs are repaired with a warning at their place, not refused;
//! `strict` refuses them all at once. The wire behaviour of the repaired crate is tested
//! in `tests/fixtures/roundtrip/lenient.rs` (run by `fixtures_compile`).

use std::path::{Path, PathBuf};

use generator::{GenerateError, Options};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lenient.yaml")
}

fn options(strict: bool) -> Options {
    Options {
        crate_name: "fixture-lenient".to_string(),
        spec_label: "lenient.yaml".to_string(),
        settings: None,
        strict,
        crate_version: None,
    }
}

const EXPECTED: [(&str, &str); 18] = [
    ("#/info", "no `version`; taken as empty"),
    ("#/paths/~1aliases~1{kind}~1{id}", "path item is a `$ref` to `#/paths/~1items~1{kind}~1{id}~1touch`; read as a copy of it"),
    ("#/paths/~1items~1{kind}~1{id}/get/responses/200", "response has no `description`; taken as empty"),
    ("#/paths/~1items~1{kind}~1{id}~1touch/post", "no `responses`: any 2xx is taken as success with no body"),
    ("#/paths/~1aliases~1{kind}~1{id}/post", "no `responses`: any 2xx is taken as success with no body"),
    ("#/components/schemas/Item/properties/id/minimum", "integer minimum -9.223372036854776e+18 is not a 64-bit integer; dropped"),
    ("#/components/schemas/Item/properties/id/maximum", "integer maximum 9223372036854776000 is not a 64-bit integer; dropped"),
    ("#/components/schemas/Item/properties/seed/maximum", "maximum 18446744073709551615 is beyond i64: the type is u64, whose own limit stands in for the bound"),
    ("#/components/schemas/Shape/discriminator", "`discriminator` is a bare string (Swagger 2.0); read as `{propertyName: kind}`"),
    ("#/components/schemas/Item/properties/extra", "`$ref: #/components/schemas/Extra` points at nothing; generated as `serde_json::Value`"),
    ("#/components/schemas/Item/properties/size/default", "`default: \"medium\"` is not a value of this schema; ignored"),
    ("#/paths/~1aliases~1{kind}~1{id}/post", "`touchItem` would be the method `touch_item`, which is taken; it is `touch_item2`"),
    ("#/paths/~1certificates~1{certificate_id}/get", "path parameter `cert_id` is not in `/certificates/{certificate_id}`, whose `{certificate_id}` is not declared; `cert_id` is taken to be `certificate_id`"),
    ("#/paths/~1items~1{kind}~1{id}/get", "path parameter `kind` of `/items/{kind}/{id}` is not declared in `parameters`; taken as a required string"),
    ("#/paths/~1items~1{kind}~1{id}/get/parameters/1", "`$ref: #/components/parameters/Missing` points at nothing; the parameter is left out"),
    ("#/paths/~1items~1{kind}~1{id}/get/responses/404", "`$ref: #/components/responses/Gone` points at nothing; this status is left undocumented"),
    ("#/paths/~1notes/post/requestBody", "`$ref: #/components/requestBodies/Note` points at nothing; the body is any JSON (`serde_json::Value`)"),
    ("#/paths/~1reports/get", "path parameter `report_id` is not in `/reports`; it is left out"),
];

#[test]
fn each_defect_is_repaired_with_a_warning_at_its_place() {
    let output = generator::generate(&fixture(), &options(false))
        .expect("the spec is repaired, not refused");
    let warnings: Vec<(&str, &str)> = output
        .warnings
        .iter()
        .map(|warning| (warning.pointer.as_str(), warning.message.as_str()))
        .collect();
    assert_eq!(warnings, EXPECTED);

    let types = &output.files[Path::new("src/types.rs")];
    assert!(types.contains("pub seed: Option<u64>,"), "{types}");
    assert!(
        types.contains("pub extra: Option<serde_json::Value>,"),
        "{types}"
    );
    assert!(
        !types.contains("medium"),
        "a default the schema refuses is not documented"
    );
    let operations = &output.files[Path::new("src/operations.rs")];
    assert!(
        operations.contains("pub fn get_item(&self, kind: impl Into<String>, id: i64)"),
        "{operations}"
    );
}

#[test]
fn strict_refuses_the_spec_and_lists_every_repair() {
    let error = generator::generate(&fixture(), &options(true)).unwrap_err();
    let GenerateError::Strict { warnings, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(warnings.len(), EXPECTED.len());
    let message = error.to_string();
    assert!(
        message.contains("--strict: the spec needs 18 repair(s) or fallback(s):"),
        "{message}"
    );
    assert!(
        message.contains("\n  #/info: no `version`; taken as empty"),
        "{message}"
    );
}

#[test]
fn a_spec_without_defects_is_not_touched_and_its_errors_name_the_innermost_place() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok, content: 5}\n";
    let error = generator::generate_from_str(spec, "broken.yaml", &options(false)).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("broken.yaml:7:"), "{message}");
    assert!(
        message.contains("(at #/paths/~1a/get/responses/200/content)"),
        "{message}"
    );
    assert!(
        message.contains("invalid type: integer `5`, expected a map"),
        "{message}"
    );
}
