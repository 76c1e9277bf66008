//! Swagger 2.0 -> OpenAPI 3.0, one rule per construct.

use serde_json::Value;

use crate::diagnostics::Warning;

/// Rewrites a Swagger 2.0 document as OpenAPI 3.0, in place.
pub fn upgrade(_tree: &mut Value) -> Vec<Warning> {
    Vec::new()
}
