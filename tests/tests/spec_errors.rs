//! A spec the generator cannot use gives a clear error naming the file and the place,
//! never a panic.

use generator::{GenerateError, Options};

fn generate(text: &str, file_name: &str) -> Result<generator::Output, GenerateError> {
    let options = Options {
        crate_name: "bad-client".to_string(),
        spec_label: file_name.to_string(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    generator::generate_from_str(text, file_name, &options)
}

fn error_text(text: &str, file_name: &str) -> String {
    match generate(text, file_name) {
        Ok(_) => panic!("{file_name} should not generate"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let text = "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths: {\n  bad\n";
    let message = error_text(text, "broken.yaml");
    assert!(message.starts_with("broken.yaml:"), "{message}");
    let location: Vec<&str> = message.splitn(4, ':').collect();
    assert!(
        location[1].parse::<usize>().is_ok_and(|line| line >= 5),
        "line in {message}"
    );
    assert!(location[2].parse::<usize>().is_ok(), "column in {message}");
}

#[test]
fn wrong_shape_names_the_json_pointer_and_line() {
    let text = "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: 5\n          content: []\n";
    let error = generate(text, "shape.yaml").expect_err("content must be a map");
    match &error {
        // openapiv3 alone would say "at #/paths" (its path map is flattened and each
        // item an untagged enum); the innermost place is found and located instead.
        GenerateError::Syntax { line, message, .. } => {
            assert_eq!(*line, 10, "{error}");
            assert!(
                message
                    .contains("expected a string (at #/paths/~1a/get/responses/200/description)"),
                "{error}"
            );
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// openapiv3 cannot hold an integer bound beyond i64 in its typed form; the schema still
/// says `type: integer`, so the data is an integer, and a bound no i64 can reach is
/// dropped, with a warning, rather than kept through a float.
#[test]
fn integer_bound_beyond_i64_keeps_the_integer_type() {
    let text = r#"{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},
"components":{"schemas":{"Big":{"type":"integer","maximum":9223372036854776000}}}}"#;
    let output = generate(text, "big.json").expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: #/components/schemas/Big/maximum: integer maximum 9223372036854776000 is not a 64-bit integer; dropped"]
    );
    let types = &output.files[std::path::Path::new("src/types.rs")];
    assert!(types.contains("pub type Big = i64;"), "{types}");
}

/// A `$ref` to nothing is a spec defect whose intent is unknown: JSON in its place, and a
/// warning at the `$ref` (tests/tests/lenient.rs has the other repairs).
#[test]
fn missing_ref_target_is_json_with_a_warning_at_the_ref() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n";
    let output = generate(text, "refs.yaml").expect("generates with a fallback");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: #/components/schemas/A/properties/b: `$ref: #/components/schemas/Missing` points at nothing; generated as `serde_json::Value`"]
    );
}

/// A `$ref` to a property that is itself a `$ref` to nothing is reported once, where the
/// user wrote it, and the second `$ref` reaching it is reported where it is: no warning
/// names a place the loader made up (the one-member `allOf` that stands for a `$ref` to
/// a `$ref`), and a chain that loops is reported the same way.
#[test]
fn a_ref_through_a_ref_to_nothing_is_reported_where_each_is_written() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Nope'}\n        loop: {$ref: '#/components/schemas/A/properties/loop'}\n    D:\n      type: object\n      properties:\n        x: {$ref: '#/components/schemas/A/properties/b'}\n";
    let output = generate(text, "chain.yaml").expect("generates with fallbacks");
    let mut warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "warning: #/components/schemas/A/properties/b: `$ref: #/components/schemas/Nope` points at nothing; generated as `serde_json::Value`",
            "warning: #/components/schemas/A/properties/loop: `$ref: #/components/schemas/A/properties/loop` points at nothing; generated as `serde_json::Value`",
            "warning: #/components/schemas/D/properties/x: `$ref: #/components/schemas/A/properties/b` points at nothing; generated as `serde_json::Value`",
        ]
    );
}

#[test]
fn ref_cycle_without_a_schema_is_an_error_not_a_hang() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/P'\n      responses:\n        '204': {description: ok}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n";
    let message = error_text(text, "cycle.yaml");
    assert!(
        message.contains("#/paths/~1a/get/parameters/0"),
        "{message}"
    );
    assert!(message.contains("cycle"), "{message}");
}

#[test]
fn undeclared_path_parameter_is_a_string_with_a_warning() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '204': {description: ok}\n";
    let output = generate(text, "params.yaml").expect("generates");
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert_eq!(output.warnings[0].pointer, "#/paths/~1a~1{id}/get");
    assert!(
        output.warnings[0].message.contains("`id`"),
        "{}",
        output.warnings[0]
    );
}

/// A path parameter style the client cannot send (OpenAPI 3.0 allows `simple`, `label`
/// and `matrix` in a path) is refused at the `style` itself, never sent as `simple`.
#[test]
fn a_style_a_path_parameter_cannot_have_is_an_error_at_the_style() {
    for style in ["form", "spaceDelimited", "deepObject", "labels"] {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: x, version: '1'}}\npaths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          style: {style}\n          schema: {{type: string}}\n      responses:\n        '204': {{description: ok}}\n"
        );
        assert_eq!(
            error_text(&text, "styles.yaml"),
            format!("styles.yaml:10:18: style `{style}` is not a path parameter style (OpenAPI 3.0 allows `matrix`, `label`, `simple`) (at #/paths/~1a~1{{id}}/get/parameters/0/style)")
        );
    }
    // The same for a parameter in `components`, and for a style of another location.
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      parameters: [{$ref: '#/components/parameters/Id'}]\n      responses:\n        '204': {description: ok}\ncomponents:\n  parameters:\n    Id: {name: id, in: path, required: true, style: pipeDelimited, schema: {type: string}}\n    Q: {name: q, in: query, style: matrix, schema: {type: string}}\n";
    let message = error_text(text, "components.yaml");
    assert!(
        message.contains("style `pipeDelimited` is not a path parameter style")
            && message.ends_with("(at #/components/parameters/Id/style)"),
        "{message}"
    );
    let text = text.replace("style: pipeDelimited, ", "");
    let message = error_text(&text, "components.yaml");
    assert!(
        message.contains("style `matrix` is not a query parameter style (OpenAPI 3.0 allows `form`, `spaceDelimited`, `pipeDelimited`, `deepObject`)")
            && message.ends_with("(at #/components/parameters/Q/style)"),
        "{message}"
    );
}

/// A version the generator cannot read is refused at its field, with line:column.
#[test]
fn unreadable_versions_are_refused_at_the_version_field() {
    let newer = error_text(
        "info: {title: x, version: '1'}\nopenapi: 3.2.0\npaths: {}\n",
        "new.yaml",
    );
    assert_eq!(
        newer,
        "new.yaml:2:10: #/openapi: OpenAPI 3.2.0 is not supported; Swagger 2.0, OpenAPI 3.0.x and 3.1.x are read"
    );
    let old = error_text(
        "{\n  \"swaggerVersion\": \"1.2\",\n  \"apis\": []\n}\n",
        "listing.json",
    );
    assert_eq!(
        old,
        "listing.json:2:21: #/swaggerVersion: this is a Swagger 1.2 resource listing, which is not supported; Swagger 2.0, OpenAPI 3.0.x and 3.1.x are read"
    );
    let swagger_1 = error_text("swagger: '1.2'\n", "one.yaml");
    assert!(
        swagger_1.starts_with("one.yaml:1:10: #/swagger: Swagger 1.2 is not supported"),
        "{swagger_1}"
    );
    let none = error_text(
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}",
        "schema.json",
    );
    assert!(
        none.starts_with("schema.json:1:1: #: no `openapi` or `swagger` version field"),
        "{none}"
    );
}

#[test]
fn unsupported_constructs_are_warnings_with_pointers() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    U:\n      not: {type: string}\n";
    let output = generate(text, "not.yaml").expect("generates with a fallback");
    assert_eq!(output.warnings.len(), 1);
    assert_eq!(output.warnings[0].pointer, "#/components/schemas/U");
    assert!(
        output.warnings[0].message.contains("serde_json::Value"),
        "{}",
        output.warnings[0]
    );
    let types = &output.files[std::path::Path::new("src/types.rs")];
    assert!(types.contains("pub type U = serde_json::Value;"), "{types}");
}

#[test]
fn duplicate_operation_ids_are_renamed_with_a_warning() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: fetch\n      responses:\n        '204': {description: ok}\n  /b:\n    get:\n      operationId: fetch\n      responses:\n        '204': {description: ok}\n";
    let output = generate(text, "dup.yaml").expect("generates");
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert_eq!(output.warnings[0].pointer, "#/paths/~1b/get");
    assert!(
        output.warnings[0].message.contains("it is `fetch2`"),
        "{}",
        output.warnings[0]
    );
    let operations = &output.files[std::path::Path::new("src/operations.rs")];
    assert!(operations.contains("pub fn fetch(") && operations.contains("pub fn fetch2("));
}

/// A response `$ref` to another kind of component (seen in a published spec) leaves that
/// status undocumented, with a warning, instead of refusing the whole spec.
#[test]
fn a_response_ref_to_a_request_body_is_a_located_fallback() {
    let text = "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    put:\n      operationId: put\n      responses:\n        '200': {$ref: '#/components/requestBodies/Body'}\n        '204': {description: ok}\ncomponents:\n  requestBodies:\n    Body:\n      content:\n        application/json:\n          schema: {type: string}\n";
    let output = generate(text, "kinds.yaml").expect("generates");
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert_eq!(output.warnings[0].pointer, "#/paths/~1a/put/responses/200");
    let operations = &output.files[std::path::Path::new("src/operations.rs")];
    assert!(
        !operations.contains("200 =>"),
        "the 200 is undocumented now"
    );
    assert!(operations.contains("204 =>"));
}

#[test]
fn header_parameters_that_cannot_or_must_not_be_sent_are_left_out_with_a_warning() {
    let text = r#"
openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {name: Authorization, in: header, schema: {type: string}}
        - {name: Content-Type, in: header, schema: {type: string}}
        - {name: bad header, in: header, schema: {type: string}}
        - {name: X-Fine, in: header, schema: {type: string}}
      responses:
        '204': {description: ok}
"#;
    let output = generate(text, "headers.yaml").expect("generates");
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].contains("/parameters/0") && warnings[0].contains("`Authorization` is ignored"),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`bad header` is not a valid HTTP header name")),
        "{warnings:?}"
    );
    let operations = &output.files[std::path::Path::new("src/operations.rs")];
    assert!(operations.contains("pub fn x_fine("), "{operations}");
    for absent in ["fn authorization(", "fn content_type(", "fn bad_header("] {
        assert!(!operations.contains(absent), "{absent}: {operations}");
    }
}

#[test]
fn a_pattern_the_client_cannot_run_is_a_located_warning() {
    let text = r#"
openapi: 3.0.3
info: {title: x, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        code: {type: string, pattern: '(unclosed'}
"#;
    let output = generate(text, "pattern.yaml").expect("generates");
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        warnings,
        ["#/components/schemas/Thing/properties/code/pattern: `(unclosed` is not an ECMA-262 regular expression; values are not checked against it"]
    );
}

#[test]
fn bounds_no_value_can_meet_are_a_located_warning() {
    let text = r#"
openapi: 3.0.3
info: {title: x, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        code: {type: string, minLength: 5, maxLength: 2}
        size: {type: integer, minimum: 10, maximum: -5}
        tags: {type: array, items: {type: string}, minItems: 3, maxItems: 1}
"#;
    let output = generate(text, "bounds.yaml").expect("generates");
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "#/components/schemas/Thing/properties/code: minLength 5 is above maxLength 2: no value can be valid",
            "#/components/schemas/Thing/properties/size: minimum 10 leaves no value up to maximum -5: no value can be valid",
            "#/components/schemas/Thing/properties/tags: minItems 3 is above maxItems 1: no value can be valid",
        ]
    );
}

#[test]
fn tags_that_spell_one_feature_share_it_with_a_warning() {
    let text = r#"
openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      operationId: a
      tags: [default]
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: b
      tags: [Default Area]
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: c
      tags: [other]
      responses: {'204': {description: ok}}
"#;
    let output = generate(text, "tags.yaml").expect("generates");
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        warnings,
        ["#/paths: the tags `Default Area`, `default` are one Cargo feature, `default-area`"]
    );
    let manifest = &output.files[std::path::Path::new("Cargo.toml")];
    assert!(
        manifest.contains("default = [\"default-area\", \"other\"]"),
        "{manifest}"
    );
}

/// `send_stream` has one event type: a second success stream with another schema is
/// read as the first's, and the generator says so at the second's place.
#[test]
fn event_streams_with_different_schemas_are_a_warning_at_the_second() {
    let text = r#"openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /events:
    get:
      responses:
        '200':
          description: ticks
          content:
            text/event-stream:
              schema: {type: object, properties: {tick: {type: integer}}}
        '206':
          description: texts
          content:
            text/event-stream:
              schema: {type: string}
"#;
    let output = generate(text, "streams.yaml").expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: #/paths/~1events/get/responses/206/content/text~1event-stream: this event stream's data has another schema than the first success's; `send_stream` decodes every stream's events as the first's"]
    );
}

/// A response header given as `$ref` to a header parameter is read as that header.
#[test]
fn a_header_given_as_a_header_parameter_is_read_as_the_header() {
    let text = r#"openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /t:
    get:
      responses:
        '200':
          description: ok
          headers:
            etag: {$ref: '#/components/parameters/etag'}
components:
  parameters:
    etag: {name: etag, in: header, required: true, schema: {type: string}}
"#;
    let output = generate(text, "headers.yaml").expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: #/paths/~1t/get/responses/200/headers/etag: `$ref: #/components/parameters/etag` is a parameter, not a header; read as the header it describes"]
    );
    let operations = &output.files[std::path::Path::new("src/operations.rs")];
    assert!(
        operations.contains("pub etag: String"),
        "a required string header: {operations}"
    );
}

#[test]
fn a_ref_to_something_that_is_not_a_schema_says_so_at_the_ref() {
    // `#/info` is an object, but not a schema; an external file is not read at all.
    let spec = |reference: &str| {
        format!(
            "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '{reference}'\n"
        )
    };
    let message = error_text(&spec("#/info/title"), "ref.yaml");
    assert_eq!(
        message,
        "ref.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema: `$ref: #/info/title` points at no schema: a schema `$ref` names `#/components/schemas/<name>` or a valid schema elsewhere in this document"
    );
    let message = error_text(&spec("other.yaml#/Pet"), "ref.yaml");
    assert!(
        message.ends_with("`$ref: other.yaml#/Pet` is not supported: only local references to `#/components/schemas/<name>` are"),
        "{message}"
    );
}
