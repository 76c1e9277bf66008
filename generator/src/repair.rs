//! Repair stage: small defects that real, published specs carry, fixed on the untyped
//! tree before it is typed, each with a located warning.
//!
//! The rule for what is repaired here: the OpenAPI 3.0 schema requires something that
//! carries no meaning for a client (a response's `description`, `info.title`), or the
//! spec's intent is clear although its spelling is not 3.0 (`discriminator: petType`).
//! Anything whose meaning is in doubt is left for the typed parse to refuse, with its
//! place. A spec without defects passes through untouched, and is then typed from its
//! text, so that its errors keep their line:column.

use serde_json::{Map, Value};

use crate::diagnostics::Warning;
use crate::resolve::escape_token;

/// The HTTP methods a path item can hold (OpenAPI 3.0's fixed fields).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Repairs `tree` in place and says what was done, one warning per repair.
pub fn repair(tree: &mut Value) -> Vec<Warning> {
    let mut repairs = Repairs::default();
    let Value::Object(document) = tree else {
        return repairs.warnings;
    };
    // Response headers by `$ref` into `#/components/parameters` read header parameters.
    repairs.parameters = document
        .get("components")
        .and_then(|components| components.get("parameters"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    repairs.info(document);
    repairs.paths(document);
    if let Some(Value::Object(responses)) = document
        .get_mut("components")
        .and_then(|components| components.get_mut("responses"))
    {
        for (name, response) in responses.iter_mut() {
            let pointer = format!("#/components/responses/{}", escape_token(name));
            repairs.response(response, &pointer);
        }
    }
    repairs.schemas_everywhere(tree, "#");
    repairs.warnings
}

#[derive(Default)]
struct Repairs {
    warnings: Vec<Warning>,
    /// `#/components/parameters`, for headers that point there.
    parameters: Map<String, Value>,
}

impl Repairs {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// `info.title` and `info.version` name the API in docs and `Cargo.toml`; without
    /// them the crate is still a client, so they become empty and the crate says so.
    fn info(&mut self, document: &mut Map<String, Value>) {
        let info = document
            .entry("info")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(info) = info else {
            return;
        };
        for field in ["title", "version"] {
            if !info.contains_key(field) {
                info.insert(field.to_string(), Value::String(String::new()));
                self.warn("#/info", format!("no `{field}`; taken as empty"));
            }
        }
    }

    /// A document without `paths` describes types only.
    fn paths(&mut self, document: &mut Map<String, Value>) {
        if !document.contains_key("paths") {
            document.insert("paths".to_string(), Value::Object(Map::new()));
            self.warn(
                "#",
                "no `paths`: the crate has the schemas' types and no operations",
            );
            return;
        }
        // A path item that is a `$ref` to another path of this document is read as a
        // copy of it: what the author evidently meant (3.0 allows only external refs).
        let targets: Vec<(String, String)> = match document.get("paths") {
            Some(Value::Object(paths)) => paths
                .iter()
                .filter_map(|(path, item)| {
                    let reference = item.get("$ref")?.as_str()?;
                    Some((path.clone(), reference.to_string()))
                })
                .collect(),
            _ => Vec::new(),
        };
        for (path, reference) in targets {
            let pointer = format!("#/paths/{}", escape_token(&path));
            let target = reference
                .strip_prefix('#')
                .and_then(|inner| Value::Object(document.clone()).pointer(inner).cloned());
            match target {
                Some(Value::Object(target)) if !target.contains_key("$ref") => {
                    if let Some(Value::Object(paths)) = document.get_mut("paths") {
                        paths.insert(path, Value::Object(target));
                    }
                    self.warn(
                        &pointer,
                        format!("path item is a `$ref` to `{reference}`; read as a copy of it"),
                    );
                }
                _ => {
                    if let Some(Value::Object(paths)) = document.get_mut("paths") {
                        paths.shift_remove(&path);
                    }
                    self.warn(
                        &pointer,
                        format!("path item `$ref` `{reference}` points at no path item; its operations are left out"),
                    );
                }
            }
        }
        let Some(Value::Object(paths)) = document.get_mut("paths") else {
            return;
        };
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else {
                continue;
            };
            for method in METHODS {
                let Some(Value::Object(operation)) = item.get_mut(method) else {
                    continue;
                };
                let pointer = format!("#/paths/{}/{method}", escape_token(path));
                self.operation(operation, &pointer);
            }
        }
    }

    /// An operation without `responses` documents no success: any 2xx is taken as
    /// success with no body, which is all a client can assume.
    fn operation(&mut self, operation: &mut Map<String, Value>, pointer: &str) {
        if !operation.contains_key("responses") {
            let mut any_success = Map::new();
            any_success.insert(
                "2XX".to_string(),
                serde_json::json!({"description": "Any success (the spec documents none)."}),
            );
            operation.insert("responses".to_string(), Value::Object(any_success));
            self.warn(
                pointer,
                "no `responses`: any 2xx is taken as success with no body",
            );
            return;
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                let response_pointer = format!("{pointer}/responses/{}", escape_token(status));
                self.response(response, &response_pointer);
            }
        }
    }

    /// A response's `description` is documentation only.
    fn response(&mut self, response: &mut Value, pointer: &str) {
        if let Value::Object(response) = response {
            if !response.contains_key("description") && !response.contains_key("$ref") {
                response.insert("description".to_string(), Value::String(String::new()));
                self.warn(pointer, "response has no `description`; taken as empty");
            }
            if let Some(Value::Object(headers)) = response.get_mut("headers") {
                for (name, header) in headers.iter_mut() {
                    let at = format!("{pointer}/headers/{}", escape_token(name));
                    self.header_from_parameter(header, &at);
                }
            }
        }
    }

    /// A response header written as `$ref` to a header *parameter* (Iceberg's REST
    /// catalog does this): a header object is a parameter without `name` and `in`, so the
    /// parameter says what the header is.
    fn header_from_parameter(&mut self, header: &mut Value, pointer: &str) {
        let Some(reference) = header.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let Some(key) = reference.strip_prefix("#/components/parameters/") else {
            return;
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        let Some(Value::Object(parameter)) = self.parameters.get(&key) else {
            return;
        };
        if parameter.get("in").and_then(Value::as_str) != Some("header") {
            return;
        }
        let mut object = parameter.clone();
        object.remove("name");
        object.remove("in");
        let reference = reference.to_string();
        *header = Value::Object(object);
        self.warn(
            pointer,
            format!(
                "`$ref: {reference}` is a parameter, not a header; read as the header it describes"
            ),
        );
    }

    /// Repairs inside schemas, wherever they are: the walk visits every object, and
    /// each rule checks that what it repairs is spelled as a schema would spell it.
    fn schemas_everywhere(&mut self, value: &mut Value, pointer: &str) {
        match value {
            Value::Object(object) => {
                self.discriminator(object, pointer);
                self.integer_bounds(object, pointer);
                for (key, child) in object.iter_mut() {
                    // A vendor extension's value is the vendor's, not a schema
                    // (`x-kubernetes-unions: [{discriminator: type}]`): left as written.
                    // (A property named `x-...` is under `properties`, not here.)
                    if key.starts_with("x-") {
                        continue;
                    }
                    let child_pointer = format!("{pointer}/{}", escape_token(key));
                    self.schemas_everywhere(child, &child_pointer);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    self.schemas_everywhere(child, &format!("{pointer}/{index}"));
                }
            }
            _ => {}
        }
    }

    /// Swagger 2.0 wrote `discriminator: petType`; 3.0 writes `{propertyName: petType}`.
    fn discriminator(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::String(property)) = object.get("discriminator") else {
            return;
        };
        let property = property.clone();
        object.insert(
            "discriminator".to_string(),
            serde_json::json!({"propertyName": property}),
        );
        self.warn(
            &format!("{pointer}/discriminator"),
            format!("`discriminator` is a bare string (Swagger 2.0); read as `{{propertyName: {property}}}`"),
        );
    }

    /// Integer keywords must be 64-bit integers to be typed. Written as a float with no
    /// fraction (`1.0`, `1e3`) they are that integer. A `maximum` between `i64::MAX` and
    /// `u64::MAX` over a non-negative `minimum` makes the type `u64` (`format: uint64`),
    /// whose own limit then serves. Anything else beyond 64 bits (often
    /// `±9223372036854776000`: i64's limit rounded through a float by the spec's
    /// tooling) says nothing a 64-bit integer does not, so it is dropped, not refused.
    fn integer_bounds(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        if object.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for keyword in ["minimum", "maximum", "multipleOf"] {
            let Some(Value::Number(bound)) = object.get(keyword) else {
                continue;
            };
            if bound.is_i64() {
                continue;
            }
            let shown = bound.to_string();
            let keyword_pointer = format!("{pointer}/{keyword}");
            if let Some(float) = bound.as_f64().filter(|float| float.fract() == 0.0) {
                // Exactly representable as i64 (|x| < 2^63, and a float that size is whole).
                if float.abs() < 9.223_372_036_854_775e18 {
                    #[allow(clippy::cast_possible_truncation)]
                    let integer = float as i64;
                    object.insert(keyword.to_string(), Value::from(integer));
                    continue;
                }
            }
            let non_negative = object
                .get("minimum")
                .and_then(Value::as_f64)
                .is_some_and(|minimum| minimum >= 0.0);
            if keyword == "maximum"
                && bound.is_u64()
                && non_negative
                && !object.contains_key("format")
            {
                object.insert("format".to_string(), Value::from("uint64"));
                object.shift_remove(keyword);
                self.warn(
                    &keyword_pointer,
                    format!("maximum {shown} is beyond i64: the type is u64, whose own limit stands in for the bound"),
                );
                continue;
            }
            object.shift_remove(keyword);
            self.warn(
                &keyword_pointer,
                format!("integer {keyword} {shown} is not a 64-bit integer; dropped"),
            );
        }
    }
}
