//! `spec/openapi.yaml` is exactly the API reference page it was vendored from.
//!
//! The page (`spec/reference-page.md`, a copy of the published reference kept beside the
//! spec as its documented source) holds one complete OpenAPI
//! document per operation in a ```json block, each with only the components that operation
//! uses. Deep-merged they form one spec, which must equal the vendored YAML value for value.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

const OPERATION_IDS: [&str; 7] = [
    "listSandboxes",
    "createSandbox",
    "getSandbox",
    "deleteSandbox",
    "pauseSandbox",
    "resumeSandbox",
    "getSandboxMetrics",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The contents of every ```json fenced block, in page order.
fn json_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim();
        match current.as_mut() {
            None if trimmed == "```json" => current = Some(String::new()),
            None => {}
            Some(_) if trimmed == "```" => blocks.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    assert!(
        current.is_none(),
        "unterminated ```json block in the reference page"
    );
    blocks
}

/// Escapes one JSON pointer reference token (RFC 6901).
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Merges `from` into `into`: objects key by key, recursively; any other value present in
/// both must be equal.
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>, pointer: &str) {
    for (key, value) in from {
        let here = format!("{pointer}/{}", token(&key));
        match (into.get_mut(&key), value) {
            (None, value) => {
                into.insert(key, value);
            }
            (Some(Value::Object(existing)), Value::Object(value)) => merge(existing, value, &here),
            (Some(existing), value) => assert_eq!(
                *existing, value,
                "two blocks of the reference page disagree at {here}"
            ),
        }
    }
}

/// The pointer of the first place where `a` and `b` differ, with both values there.
fn first_difference(a: &Value, b: &Value, pointer: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{pointer}/{}", token(key));
                match b.get(key) {
                    Some(other) => {
                        if let Some(found) = first_difference(value, other, &here) {
                            return Some(found);
                        }
                    }
                    None => return Some(format!("{here}: only in the reference page")),
                }
            }
            b.keys()
                .find(|key| !a.contains_key(*key))
                .map(|key| format!("{pointer}/{}: only in spec/openapi.yaml", token(key)))
        }
        (Value::Array(a), Value::Array(b)) => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(found) = first_difference(x, y, &format!("{pointer}/{index}")) {
                    return Some(found);
                }
            }
            (a.len() != b.len()).then(|| {
                format!(
                    "{pointer}: {} items in the reference page, {} in spec/openapi.yaml",
                    a.len(),
                    b.len()
                )
            })
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "{pointer}: reference page has {a}, spec/openapi.yaml has {b}"
        )),
    }
}

fn merged_reference() -> Value {
    let page = workspace_root().join("spec/reference-page.md");
    let blocks = json_blocks(&read(&page));
    assert_eq!(
        blocks.len(),
        7,
        "expected one ```json block per operation in {}",
        page.display()
    );
    let mut merged = Map::new();
    for (index, block) in blocks.iter().enumerate() {
        let value: Value = serde_json::from_str(block)
            .unwrap_or_else(|error| panic!("```json block {} is not JSON: {error}", index + 1));
        let Value::Object(object) = value else {
            panic!("```json block {} is not a JSON object", index + 1);
        };
        merge(&mut merged, object, "#");
    }
    Value::Object(merged)
}

fn vendored_spec() -> Value {
    let path = workspace_root().join("spec/openapi.yaml");
    generator::load::parse_tree(&read(&path), &path)
        .unwrap_or_else(|error| panic!("{} is not valid YAML: {error}", path.display()))
}

#[test]
fn vendored_spec_equals_the_merged_reference_page() {
    let reference = merged_reference();
    let vendored = vendored_spec();
    if let Some(difference) = first_difference(&reference, &vendored, "#") {
        panic!(
            "spec/openapi.yaml is not the merged reference page; first difference at {difference}"
        );
    }
    // Belt and braces: the walk above and plain equality must agree.
    assert_eq!(reference, vendored);
}

#[test]
fn merged_spec_has_exactly_the_seven_operations() {
    let reference = merged_reference();
    let Some(paths) = reference.get("paths").and_then(Value::as_object) else {
        panic!("the merged reference page has no paths object");
    };
    let mut found: Vec<&str> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|operation| operation.get("operationId").and_then(Value::as_str))
        .collect();
    found.sort_unstable();
    let mut expected = OPERATION_IDS.to_vec();
    expected.sort_unstable();
    assert_eq!(found, expected);
}
