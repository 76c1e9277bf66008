//! Upgrade stage: an OpenAPI 3.1 or Swagger 2.0 document becomes the OpenAPI 3.0 shape
//! that the rest of the pipeline reads, on the untyped tree, before it is typed.
//!
//! Why one model: `openapiv3`'s 3.0 model is what the normaliser knows; every rule
//! here says how one construct of another version is spelled in 3.0, so that the
//! normaliser never learns a second spelling. Where 3.0 cannot say the same thing, the
//! rule keeps what it can and leaves a located warning; where it can, nothing is said
//! (a 3.1 document must not fail `--strict` for being 3.1).

mod openapi31;
mod swagger2;

use serde_json::Value;

use crate::diagnostics::Warning;

/// The schema extension by which a 3.1 tuple (`prefixItems` with no further items)
/// reaches the normaliser: 3.0 has no tuple, so the array schema carries `$ref`s to its
/// positions, which stay where `prefixItems` put them.
pub const TUPLE_EXTENSION: &str = "x-openapi-rust-generator-tuple";

/// The version a document declares, as far as this stage is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceVersion {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.0.x`: nothing to do.
    OpenApi30,
    /// `openapi: 3.1.x`.
    OpenApi31,
}

/// Why a document's version cannot be read: the pointer of the version field (or of
/// the document, when it has none) and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError {
    /// `#/openapi`, `#/swagger` or `#` (no version field).
    pub pointer: String,
    /// What was found and what is read.
    pub message: String,
}

/// The version `tree` declares.
///
/// # Errors
/// A version this generator cannot read: Swagger other than 2.0 (1.x resource
/// listings included), OpenAPI other than 3.0.x and 3.1.x, or no version at all.
pub fn source_version(tree: &Value) -> Result<SourceVersion, VersionError> {
    const READ: &str = "Swagger 2.0, OpenAPI 3.0.x and 3.1.x are read";
    if let Some(swagger) = tree.get("swagger") {
        return match swagger.as_str() {
            Some("2.0") => Ok(SourceVersion::Swagger2),
            _ => Err(VersionError {
                pointer: "#/swagger".to_string(),
                message: format!("Swagger {} is not supported; {READ}", shown(swagger)),
            }),
        };
    }
    if let Some(version) = tree.get("swaggerVersion") {
        return Err(VersionError {
            pointer: "#/swaggerVersion".to_string(),
            message: format!(
                "this is a Swagger {} resource listing, which is not supported; {READ}",
                shown(version)
            ),
        });
    }
    match tree.get("openapi") {
        Some(Value::String(version)) if is_minor(version, "3.0") => Ok(SourceVersion::OpenApi30),
        Some(Value::String(version)) if is_minor(version, "3.1") => Ok(SourceVersion::OpenApi31),
        Some(version) => Err(VersionError {
            pointer: "#/openapi".to_string(),
            message: format!("OpenAPI {} is not supported; {READ}", shown(version)),
        }),
        None => Err(VersionError {
            pointer: "#".to_string(),
            message: format!(
                "no `openapi` or `swagger` version field: this does not look like an OpenAPI document; {READ}"
            ),
        }),
    }
}

/// A webhook of a 3.1 document, which 3.0 has no place for: kept aside for the crate
/// docs, its payload schema moved to `#/components/schemas` so that it gets a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSource {
    /// The key in `webhooks`.
    pub name: String,
    /// The HTTP method, uppercase.
    pub method: String,
    /// The operation's summary.
    pub summary: Option<String>,
    /// `#/components/schemas/<name>` of its JSON request body, when it has one.
    pub payload: Option<String>,
}

/// What upgrading found besides the 3.0 document itself.
#[derive(Debug, Default)]
pub struct Upgraded {
    /// One per place where meaning is lost.
    pub warnings: Vec<Warning>,
    /// The document's webhooks (3.1).
    pub webhooks: Vec<WebhookSource>,
}

/// Brings `tree` (of `version`) to the OpenAPI 3.0 shape, in place.
pub fn upgrade(tree: &mut Value, version: SourceVersion) -> Upgraded {
    match version {
        SourceVersion::OpenApi30 => Upgraded::default(),
        SourceVersion::OpenApi31 => openapi31::upgrade(tree),
        SourceVersion::Swagger2 => Upgraded {
            warnings: swagger2::upgrade(tree),
            webhooks: Vec::new(),
        },
    }
}

/// `3.1`, `3.1.0`, `3.1.1`, ... for `minor` = `3.1`.
fn is_minor(version: &str, minor: &str) -> bool {
    version == minor
        || version
            .strip_prefix(minor)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// A version value as the user wrote it.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_are_read_or_refused_at_their_field() {
        let version = |tree: Value| source_version(&tree);
        assert_eq!(
            version(json!({"openapi": "3.0.3"})),
            Ok(SourceVersion::OpenApi30)
        );
        assert_eq!(
            version(json!({"openapi": "3.1.1"})),
            Ok(SourceVersion::OpenApi31)
        );
        assert_eq!(
            version(json!({"swagger": "2.0"})),
            Ok(SourceVersion::Swagger2)
        );
        let refused = |tree: Value| version(tree).unwrap_err().pointer;
        assert_eq!(refused(json!({"openapi": "3.2.0"})), "#/openapi");
        assert_eq!(refused(json!({"openapi": "3.10.0"})), "#/openapi");
        assert_eq!(refused(json!({"openapi": 3.1})), "#/openapi");
        assert_eq!(refused(json!({"swagger": "1.2"})), "#/swagger");
        assert_eq!(
            refused(json!({"swaggerVersion": "1.2", "apis": []})),
            "#/swaggerVersion"
        );
        assert_eq!(
            refused(json!({"$schema": "https://json-schema.org/draft/2020-12/schema"})),
            "#"
        );
    }
}
