//! `spec/codegen.toml`-style settings: errors name the file and the key, and settings
//! change what is generated.

use std::path::{Path, PathBuf};

use generator::{Options, Output};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml")
}

/// Generates the sandboxes client with `settings` written to a temporary file.
fn generate(name: &str, settings: &str) -> Result<Output, String> {
    let path = std::env::temp_dir().join(format!("codegen-{}-{name}.toml", std::process::id()));
    std::fs::write(&path, settings).unwrap();
    let options = Options {
        crate_name: "ai-agent-client".to_string(),
        spec_label: "spec/openapi.yaml".to_string(),
        settings: Some(path.clone()),
        strict: false,
        crate_version: None,
    };
    let result = generator::generate(&spec(), &options).map_err(|error| {
        error
            .to_string()
            .replace(&path.display().to_string(), "codegen.toml")
    });
    let _ = std::fs::remove_file(&path);
    result
}

fn file<'a>(output: &'a Output, path: &str) -> &'a str {
    &output.files[Path::new(path)]
}

#[test]
fn an_unknown_operation_is_named() {
    let error = generate("op", "[operations.listThings]\nidempotent = true\n").unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: operations.listThings: the spec has no operation with this operationId"
    );
}

#[test]
fn an_unknown_state_is_named_with_the_allowed_ones() {
    let error = generate(
        "state",
        "[waiters.ready]\noperation = \"getSandbox\"\nfield = \"phase\"\nsuccess = [\"Running\"]\n",
    )
    .unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: waiters.ready.success: \"Running\" is not one of the values of \"phase\": \
         Pending, Ready, NotReady, Unknown, Paused"
    );
}

#[test]
fn an_unknown_key_is_located() {
    let error = generate("key", "[client]\nrequest_id = \"x\"\n").unwrap_err();
    assert!(
        error.starts_with("codegen.toml: 2:1: unknown field `request_id`"),
        "{error}"
    );
}

#[test]
fn pagination_can_be_switched_off_and_idempotency_declared() {
    let output = generate(
        "off",
        "[operations.listSandboxes]\npagination = false\n[operations.createSandbox]\nidempotent = true\n",
    )
    .unwrap();
    let operations = file(&output, "src/operations.rs");
    assert!(!operations.contains("fn into_stream"));
    assert!(!output.files.contains_key(Path::new("src/pagination.rs")));
    let compact: String = operations.split_whitespace().collect();
    assert!(compact
        .contains(r#"constOPERATION_ID:&'staticstr="createSandbox";constIDEMPOTENT:bool=true;"#));
    // No waiters declared: no waiter runtime in the crate.
    assert!(!output.files.contains_key(Path::new("src/wait.rs")));
}

#[test]
fn without_settings_create_is_not_idempotent_and_list_paginates_by_convention() {
    let output = generate("empty", "").unwrap();
    let compact: String = file(&output, "src/operations.rs")
        .split_whitespace()
        .collect();
    assert!(compact
        .contains(r#"constOPERATION_ID:&'staticstr="createSandbox";constIDEMPOTENT:bool=false;"#));
    assert!(compact
        .contains(r#"constOPERATION_ID:&'staticstr="pauseSandbox";constIDEMPOTENT:bool=false;"#));
    assert!(compact
        .contains(r#"constOPERATION_ID:&'staticstr="getSandbox";constIDEMPOTENT:bool=true;"#));
    assert!(compact.contains("pubfninto_stream("));
}

#[test]
fn a_waiter_trigger_without_the_polled_arguments_is_located() {
    // createSandbox has no `sandbox_id` parameter, and nothing says where it comes from.
    let error = generate(
        "after",
        "[waiters.ready]\noperation = \"getSandbox\"\nfield = \"phase\"\nsuccess = [\"Ready\"]\nafter = [\"createSandbox\"]\n",
    )
    .unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: waiters.ready.after: createSandbox has no required parameter \"sandbox_id\" \
         of the same type for getSandbox, and `from_response` names no property for it"
    );
    let error = generate(
        "after-name",
        "[waiters.ready]\noperation = \"getSandbox\"\nfield = \"phase\"\nsuccess = [\"Ready\"]\nafter = [\"makeSandbox\"]\n",
    )
    .unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: waiters.ready.after: the spec has no operation \"makeSandbox\""
    );
}

#[test]
fn a_waiter_argument_from_the_response_must_fit_the_parameter() {
    // `name` is a string; getSandbox's `sandbox_id` is a UUID.
    let error = generate(
        "from",
        "[waiters.ready]\noperation = \"getSandbox\"\nfield = \"phase\"\nsuccess = [\"Ready\"]\nafter = [\"createSandbox\"]\nfrom_response = { sandbox_id = \"name\" }\n",
    )
    .unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: waiters.ready.from_response.sandbox_id: the success body of createSandbox \
         has no required, non-null property \"name\" of the type of getSandbox's \"sandbox_id\""
    );
    let error = generate(
        "from-unknown",
        "[waiters.ready]\noperation = \"getSandbox\"\nfield = \"phase\"\nsuccess = [\"Ready\"]\nfrom_response = { id = \"id\" }\n",
    )
    .unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: waiters.ready.from_response.id: getSandbox has no required parameter \"id\""
    );
}

#[test]
fn an_operation_waits_for_one_waiter_at_most() {
    let error = generate(
        "twice",
        "[waiters.gone]\noperation = \"getSandbox\"\nsuccess_status = [404]\nafter = [\"deleteSandbox\"]\n\
         [waiters.deleted]\noperation = \"getSandbox\"\nsuccess_status = [404]\nafter = [\"deleteSandbox\"]\n",
    )
    .unwrap_err();
    assert_eq!(
        error,
        "codegen.toml: waiters.gone.after: deleteSandbox already waits for waiter \"deleted\": one waiter per operation"
    );
}
