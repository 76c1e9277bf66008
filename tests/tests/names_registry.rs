//! The registry of names the generated crate occupies (`normalise::names::reserved`) is
//! complete and respected: every method the runtime and the emitted code define on
//! `Client`, `ClientBuilder` and request builders is either in the registry or comes from
//! the spec, and no spec name takes a registered one (`tests/fixtures/name_registry.yaml`,
//! which `fixtures_compile.rs` also compiles).

use std::collections::BTreeSet;
use std::path::Path;

use generator::normalise::names::reserved;
use syn::{ImplItem, Item, Type};

fn workspace_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// `(self type's last path segment, its first generic type argument if any, method)` of
/// every inherent or trait impl in `source`.
fn methods(source: &str) -> Vec<(String, Option<String>, String)> {
    let file = syn::parse_file(source).expect("the code parses");
    let mut found = Vec::new();
    for item in file.items {
        let Item::Impl(block) = item else { continue };
        let Type::Path(path) = &*block.self_ty else {
            continue;
        };
        let Some(segment) = path.path.segments.last() else {
            continue;
        };
        let argument = match &segment.arguments {
            syn::PathArguments::AngleBracketed(arguments) => {
                arguments.args.iter().find_map(|argument| match argument {
                    syn::GenericArgument::Type(Type::Path(path)) => path
                        .path
                        .segments
                        .last()
                        .map(|segment| segment.ident.to_string()),
                    _ => None,
                })
            }
            _ => None,
        };
        for item in &block.items {
            if let ImplItem::Fn(function) = item {
                found.push((
                    segment.ident.to_string(),
                    argument.clone(),
                    function.sig.ident.to_string(),
                ));
            }
        }
    }
    found
}

fn generate(fixture: &str) -> generator::Output {
    let path = workspace_root().join("tests/fixtures").join(fixture);
    let options = generator::Options {
        crate_name: "registry".to_string(),
        spec_label: fixture.to_string(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    generator::generate(&path, &options).expect("the fixture generates")
}

fn file<'a>(output: &'a generator::Output, path: &str) -> &'a str {
    &output.files[Path::new(path)]
}

#[test]
fn every_request_builder_method_of_the_runtime_is_registered() {
    // `Request`'s methods live in call.rs, and `send_stream` in sse.rs.
    let runtime: Vec<String> = ["call.rs", "sse.rs"]
        .iter()
        .flat_map(|file| {
            let source =
                std::fs::read_to_string(workspace_root().join("generator/runtime/src").join(file))
                    .unwrap();
            methods(&source)
        })
        .filter(|(self_type, _, _)| self_type == "Request")
        .map(|(_, _, method)| method)
        .collect();
    assert!(runtime.contains(&"send_stream".to_string()), "{runtime:?}");
    assert!(runtime.contains(&"send".to_string()), "{runtime:?}");
    for method in &runtime {
        assert!(
            reserved::REQUEST_METHODS.contains(&method.as_str()),
            "`Request::{method}` is not in reserved::REQUEST_METHODS"
        );
    }
}

#[test]
fn every_client_and_builder_method_is_registered_or_from_the_spec() {
    for fixture in ["name_registry.yaml", "auth.yaml", "operations.yaml"] {
        let output = generate(fixture);
        let client = methods(file(&output, "src/client.rs"));
        for (_, _, method) in client
            .iter()
            .filter(|(self_type, _, _)| self_type == "Client")
        {
            assert!(
                reserved::CLIENT_METHODS.contains(&method.as_str()),
                "{fixture}: Client::{method}"
            );
        }
        // Besides the registry, the builder has one setter per security scheme; none may
        // be defined twice.
        let builder: Vec<&str> = client
            .iter()
            .filter(|(self_type, _, _)| self_type == "ClientBuilder")
            .map(|(_, _, method)| method.as_str())
            .collect();
        let unique: BTreeSet<&str> = builder.iter().copied().collect();
        assert_eq!(
            unique.len(),
            builder.len(),
            "{fixture}: a builder method is defined twice: {builder:?}"
        );
        let operations = methods(file(&output, "src/operations.rs"));
        let mut per_type: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (self_type, argument, method) in operations {
            match (self_type.as_str(), argument) {
                ("Client", _) => {
                    assert!(
                        !reserved::CLIENT_METHODS.contains(&method.as_str()),
                        "{fixture}: operation method `{method}` is reserved"
                    );
                    per_type.entry("Client".into()).or_default().push(method);
                }
                ("Request", Some(parameters)) => {
                    // A setter may not take a request builder's own method name (but the
                    // optional body's setter and a paginated list's stream are those).
                    assert!(
                        ["into_stream", "body"].contains(&method.as_str())
                            || !reserved::REQUEST_METHODS.contains(&method.as_str()),
                        "{fixture}: Request<{parameters}>::{method} takes a registered name"
                    );
                    per_type.entry(parameters).or_default().push(method);
                }
                _ => {}
            }
        }
        for (self_type, names) in per_type {
            let unique: BTreeSet<&String> = names.iter().collect();
            assert_eq!(
                unique.len(),
                names.len(),
                "{fixture}: {self_type} defines a method twice: {names:?}"
            );
        }
    }
}

#[test]
fn spec_names_never_take_registered_names() {
    let output = generate("name_registry.yaml");
    let types = syn::parse_file(file(&output, "src/types.rs")).unwrap();
    let type_names: Vec<String> = types
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            Item::Enum(item) => Some(item.ident.to_string()),
            Item::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    for name in ["Option2", "Default2", "Request2", "Send2", "E"] {
        assert!(type_names.contains(&name.to_string()), "{type_names:?}");
    }
    for name in &type_names {
        assert!(
            !reserved::TYPE_NAMES.contains(&name.as_str()),
            "type `{name}` shadows a registered name"
        );
    }
    let operations = file(&output, "src/operations.rs");
    // The operationIds `send` and `builder`, and parameters named like builder methods.
    assert!(
        operations.contains("pub fn send(&self) -> Request<'_, Send2>"),
        "{operations}"
    );
    assert!(
        operations.contains("pub fn builder2(&self, body: crate::types::Request2)"),
        "{operations}"
    );
    // Each rename is said, not hidden.
    let warnings: Vec<&str> = output.warnings.iter().map(|w| w.message.as_str()).collect();
    for (parameter, setter) in [
        ("send", "send2"),
        ("timeout", "timeout2"),
        ("body", "body2"),
    ] {
        let said = format!(
            "the parameter `{parameter}` would have the setter `{parameter}`, which is taken; it is `{setter}`"
        );
        assert!(warnings.contains(&said.as_str()), "{warnings:?}");
    }
    for setter in [
        "send2",
        "timeout2",
        "retry_policy2",
        "body2",
        "into_stream2",
        "max_response_bytes2",
    ] {
        assert!(
            operations.contains(&format!("pub fn {setter}(mut self")),
            "{setter}: {operations}"
        );
    }
}

#[test]
fn every_mock_kit_method_is_registered_or_from_the_spec() {
    // The runtime's: `MockServer` shares the operation names' scope with `Client`, and an
    // expectation (`Expect<'_, P>`) the parameter names' scope with `Request`.
    let source =
        std::fs::read_to_string(workspace_root().join("generator/runtime/src/mock.rs")).unwrap();
    let runtime = methods(&source);
    for (self_type, _, method) in &runtime {
        match self_type.as_str() {
            // `Drop::drop` is a trait method: an operation `drop` does not clash with it.
            "MockServer" if method != "drop" => assert!(
                reserved::CLIENT_METHODS.contains(&method.as_str()),
                "`MockServer::{method}` is not in reserved::CLIENT_METHODS"
            ),
            "Expect" => assert!(
                reserved::REQUEST_METHODS.contains(&method.as_str()),
                "`Expect::{method}` is not in reserved::REQUEST_METHODS"
            ),
            _ => {}
        }
    }
    assert!(runtime
        .iter()
        .any(|(_, _, method)| method == "responds_error"));
    // The emitted ones: one per operation on `MockServer`, and per operation one matcher
    // per parameter, `body` and `responds`; none registered, none twice.
    for fixture in ["name_registry.yaml", "operations.yaml", "parameters.yaml"] {
        let output = generate(fixture);
        let mut per_type: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (self_type, argument, method) in methods(file(&output, "src/mocks.rs")) {
            let key = argument.unwrap_or_else(|| self_type.clone());
            if self_type == "MockServer" {
                assert!(
                    !reserved::CLIENT_METHODS.contains(&method.as_str()),
                    "{fixture}: MockServer::{method} takes a registered name"
                );
            } else {
                assert!(
                    ["body", "responds"].contains(&method.as_str())
                        || !reserved::REQUEST_METHODS.contains(&method.as_str()),
                    "{fixture}: Expect<{key}>::{method} takes a registered name"
                );
            }
            per_type.entry(key).or_default().push(method);
        }
        assert!(
            per_type.contains_key("MockServer"),
            "{fixture}: {per_type:?}"
        );
        for (self_type, names) in per_type {
            let unique: BTreeSet<&String> = names.iter().collect();
            assert_eq!(
                unique.len(),
                names.len(),
                "{fixture}: {self_type} defines a method twice: {names:?}"
            );
        }
    }
}
