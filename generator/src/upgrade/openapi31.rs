//! OpenAPI 3.1 -> 3.0, one rule per construct.
//!
//! 3.1's schemas are JSON Schema 2020-12; 3.0's are a subset with its own spellings
//! (`nullable`, boolean `exclusiveMinimum`). Each rule below rewrites one 3.1 spelling
//! as the 3.0 one that means the same, so the normaliser reads one language. Where 3.0
//! has no spelling for a constraint (`if`/`then`/`else`, `patternProperties`'s key
//! patterns), the shape is kept and the constraint dropped, with a warning: the client
//! then accepts more than the server may, never less.

use serde_json::{Map, Value};

use super::{Upgraded, WebhookSource};
use crate::diagnostics::Warning;
use crate::resolve::escape_token;

/// Keywords whose value is one schema.
const SCHEMA_KEYWORDS: [&str; 9] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to schemas.
const SCHEMA_MAP_KEYWORDS: [&str; 4] = [
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// JSON Schema keywords that only annotate or identify; 3.0 has no place for them and
/// nothing is lost without them.
const DROPPED_QUIETLY: [&str; 6] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$vocabulary",
    "$dynamicAnchor",
];

/// Validation keywords 3.0 cannot spell. The shape stays; these checks are left to the
/// server.
const DROPPED_CHECKS: [&str; 9] = [
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// The keywords that only apply to a value of one JSON type, for splitting a schema of
/// several types (`type: [string, integer]`) into one member per type.
fn keyword_type(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        _ => return None,
    })
}

/// Rewrites a 3.1 document as 3.0, in place.
pub fn upgrade(tree: &mut Value) -> Upgraded {
    let mut upgrade = Upgrade::default();
    let Value::Object(document) = tree else {
        return Upgraded::default();
    };
    document.insert("openapi".to_string(), Value::String("3.0.3".to_string()));
    upgrade.document(document);
    upgrade.walk(tree, "#", false);
    Upgraded {
        warnings: upgrade.warnings,
        webhooks: upgrade.webhooks,
    }
}

#[derive(Default)]
struct Upgrade {
    warnings: Vec<Warning>,
    webhooks: Vec<WebhookSource>,
}

impl Upgrade {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// The document-level differences.
    fn document(&mut self, document: &mut Map<String, Value>) {
        // The dialect names the JSON Schema vocabulary of every schema. OpenAPI's own
        // (the default) is what the rules below read; another one may mean more.
        if let Some(dialect) = document.remove("jsonSchemaDialect") {
            let default = "https://spec.openapis.org/oas/3.1/dialect/base";
            if dialect.as_str() != Some(default) {
                self.warn(
                    "#/jsonSchemaDialect",
                    format!("schemas are read as OpenAPI's own dialect ({default}), not {dialect}"),
                );
            }
        }
        // `info.summary` and `license.identifier` are 3.1's; docs keep the description.
        if let Some(Value::Object(info)) = document.get_mut("info") {
            info.remove("summary");
            if let Some(Value::Object(license)) = info.get_mut("license") {
                if let Some(Value::String(identifier)) = license.remove("identifier") {
                    license.entry("url").or_insert_with(|| {
                        format!("https://spdx.org/licenses/{identifier}.html").into()
                    });
                }
            }
        }
        self.path_item_refs(document);
        self.security_schemes(document);
        self.webhooks(document);
    }

    /// `webhooks` are requests the API makes, not ones the client sends: no methods.
    /// Their JSON payloads still deserve types, so an inline payload schema moves to
    /// `#/components/schemas/<name>Payload`; the list goes to the crate docs.
    fn webhooks(&mut self, document: &mut Map<String, Value>) {
        let Some(Value::Object(webhooks)) = document.remove("webhooks") else {
            return;
        };
        const METHODS: [&str; 8] = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        for (name, item) in webhooks {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let mut body = operation.get("requestBody").cloned();
                // A body by `$ref` is the one in `#/components/requestBodies`.
                if let Some(reference) = body
                    .as_ref()
                    .and_then(|body| body.get("$ref"))
                    .and_then(Value::as_str)
                {
                    body = reference
                        .strip_prefix("#/components/requestBodies/")
                        .and_then(|key| document.get("components")?.get("requestBodies")?.get(key))
                        .cloned();
                }
                let schema = body.as_ref().and_then(|body| {
                    let content = body.get("content")?.as_object()?;
                    content
                        .iter()
                        .find(|(media_type, _)| {
                            let essence = crate::ir::media_type_essence(media_type);
                            essence == "application/json" || essence.ends_with("+json")
                        })
                        .or_else(|| content.iter().next())
                        .and_then(|(_, media)| media.get("schema"))
                        .cloned()
                });
                let payload = match schema {
                    Some(Value::Object(schema)) => match schema.get("$ref").and_then(Value::as_str)
                    {
                        Some(reference) if schema.len() == 1 => Some(reference.to_string()),
                        _ => Some(self.component_schema(
                            document,
                            &name,
                            method,
                            Value::Object(schema),
                        )),
                    },
                    _ => None,
                };
                self.webhooks.push(WebhookSource {
                    name: name.clone(),
                    method: method.to_ascii_uppercase(),
                    summary: operation
                        .get("summary")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    payload,
                });
            }
        }
    }

    /// Puts `schema` into `#/components/schemas` under a free key made from the
    /// webhook's name; returns its `$ref`.
    fn component_schema(
        &mut self,
        document: &mut Map<String, Value>,
        name: &str,
        method: &str,
        schema: Value,
    ) -> String {
        let components = document
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            return String::new();
        };
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else {
            return String::new();
        };
        let mut key = format!("{name}Payload");
        if schemas.contains_key(&key) {
            key = format!("{name}{}Payload", method.to_ascii_uppercase());
        }
        let mut counter = 2;
        let base = key.clone();
        while schemas.contains_key(&key) {
            key = format!("{base}{counter}");
            counter += 1;
        }
        schemas.insert(key.clone(), schema);
        format!("#/components/schemas/{}", escape_token(&key))
    }

    /// A path item given as `$ref` to `#/components/pathItems/X` (3.1) is that path
    /// item, in place; `components.pathItems` itself has no 3.0 home.
    fn path_item_refs(&mut self, document: &mut Map<String, Value>) {
        let path_items = document
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|components| components.remove("pathItems"));
        let Some(Value::Object(path_items)) = path_items else {
            return;
        };
        for (section, pointer) in [("paths", "#/paths"), ("webhooks", "#/webhooks")] {
            let Some(Value::Object(items)) = document.get_mut(section) else {
                continue;
            };
            for (path, item) in items.iter_mut() {
                let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let Some(name) = reference.strip_prefix("#/components/pathItems/") else {
                    continue;
                };
                let name = name.replace("~1", "/").replace("~0", "~");
                match path_items.get(&name) {
                    Some(Value::Object(target)) => {
                        let mut target = target.clone();
                        // The `$ref`'s own `summary`/`description` override the target's.
                        if let Value::Object(siblings) = item {
                            for key in ["summary", "description"] {
                                if let Some(value) = siblings.get(key) {
                                    target.insert(key.to_string(), value.clone());
                                }
                            }
                        }
                        *item = Value::Object(target);
                    }
                    _ => {
                        let at = format!("{pointer}/{}", escape_token(path));
                        self.warn(
                            &at,
                            format!("`$ref: {reference}` points at nothing; the path is left out"),
                        );
                        *item = Value::Object(Map::new());
                    }
                }
            }
        }
    }

    /// `mutualTLS` (3.1) is a TLS client certificate, which the client is built with
    /// (`ClientBuilder`'s reqwest options), not a credential it sends per request.
    fn security_schemes(&mut self, document: &mut Map<String, Value>) {
        let Some(Value::Object(schemes)) = document
            .get_mut("components")
            .and_then(|components| components.get_mut("securitySchemes"))
        else {
            return;
        };
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in mutual {
            schemes.remove(&name);
            self.warn(
                &format!("#/components/securitySchemes/{}", escape_token(&name)),
                "a `mutualTLS` scheme is a TLS client certificate: configure it on the HTTP client; the generated client sends no credential for it",
            );
        }
    }

    /// Visits every schema in `value`: `in_schema` says whether `value` is one.
    fn walk(&mut self, value: &mut Value, pointer: &str, in_schema: bool) {
        if in_schema {
            self.schema(value, pointer);
        }
        let Value::Object(map) = value else {
            if let Value::Array(items) = value {
                if !in_schema {
                    for (index, item) in items.iter_mut().enumerate() {
                        self.walk(item, &format!("{pointer}/{index}"), false);
                    }
                }
            }
            return;
        };
        for (key, child) in map.iter_mut() {
            let at = format!("{pointer}/{}", escape_token(key));
            if in_schema {
                // 3.0 has boolean `additionalProperties` too: nothing to rewrite.
                if key == "additionalProperties" && child.is_boolean() {
                    continue;
                }
                if SCHEMA_KEYWORDS.contains(&key.as_str()) {
                    self.walk(child, &at, true);
                } else if SCHEMA_LIST_KEYWORDS.contains(&key.as_str()) {
                    if let Value::Array(items) = child {
                        for (index, item) in items.iter_mut().enumerate() {
                            self.walk(item, &format!("{at}/{index}"), true);
                        }
                    }
                } else if SCHEMA_MAP_KEYWORDS.contains(&key.as_str()) {
                    if let Value::Object(entries) = child {
                        for (name, item) in entries.iter_mut() {
                            self.walk(item, &format!("{at}/{}", escape_token(name)), true);
                        }
                    }
                }
                continue;
            }
            match key.as_str() {
                // Values, not documents: never read as OpenAPI.
                "example" | "examples" | "default" | "enum" | "const" => {}
                "schema" => self.walk(child, &at, true),
                "schemas" if pointer == "#/components" => {
                    if let Value::Object(entries) = child {
                        for (name, item) in entries.iter_mut() {
                            self.walk(item, &format!("{at}/{}", escape_token(name)), true);
                        }
                    }
                }
                _ => self.walk(child, &at, false),
            }
        }
    }

    /// The rules for one schema, before its subschemas are visited.
    fn schema(&mut self, value: &mut Value, pointer: &str) {
        // A boolean schema: `true` accepts anything (an empty schema); `false` nothing,
        // which a client type cannot say: it is taken as anything, with a warning.
        if let Value::Bool(accepts) = value {
            if !*accepts {
                self.warn(
                    pointer,
                    "the schema `false` accepts no value; it is read as any JSON",
                );
            }
            *value = Value::Object(Map::new());
            return;
        }
        let Value::Object(schema) = value else {
            return;
        };
        for keyword in DROPPED_QUIETLY {
            schema.remove(keyword);
        }
        self.reference_siblings(schema);
        self.types(schema, pointer);
        constant(schema);
        examples(schema);
        exclusive_bounds(schema);
        content_encoding(schema);
        self.tuple(schema, pointer);
        unevaluated_properties(schema);
        self.pattern_properties(schema, pointer);
        // `items: false` after `prefixItems` has been read says "no more items".
        if schema.get("items") == Some(&Value::Bool(false)) {
            schema.remove("items");
        }
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            // A property whose schema is `false` must be absent: no field at all.
            properties.retain(|_, property| *property != Value::Bool(false));
        }
        let dropped: Vec<&str> = DROPPED_CHECKS
            .into_iter()
            .filter(|keyword| schema.remove(*keyword).is_some())
            .collect();
        if !dropped.is_empty() {
            let names: Vec<String> = dropped
                .iter()
                .map(|keyword| format!("`{keyword}`"))
                .collect();
            self.warn(
                pointer,
                format!("{} cannot be said in OpenAPI 3.0: the shape is kept, the check is left to the server", names.join(", ")),
            );
        }
        if schema.contains_key("$dynamicRef") {
            schema.remove("$dynamicRef");
            self.warn(
                pointer,
                "`$dynamicRef` is not followed; the schema is read without it",
            );
        }
    }

    /// 3.1 lets a `$ref` have siblings (`description`, `nullable`, ...) that 3.0 drops.
    /// `allOf: [{$ref}]` beside them says the same in 3.0, and the normaliser reads a
    /// lone `allOf` member as that type, so nothing is lost.
    fn reference_siblings(&mut self, schema: &mut Map<String, Value>) {
        if !schema.contains_key("$ref") || schema.len() == 1 {
            return;
        }
        let Some(reference) = schema.remove("$ref") else {
            return;
        };
        let mut member = Map::new();
        member.insert("$ref".to_string(), reference);
        match schema.get_mut("allOf") {
            Some(Value::Array(members)) => members.insert(0, Value::Object(member)),
            _ => {
                schema.insert(
                    "allOf".to_string(),
                    Value::Array(vec![Value::Object(member)]),
                );
            }
        }
    }

    /// `type: [T, "null"]` is `type: T, nullable: true`; `type: "null"` alone is a
    /// nullable schema of no type; several other types are a union, each member with
    /// the keywords that apply to its type.
    fn types(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        let types: Vec<String> = match schema.get("type") {
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(single)) if single == "null" => vec!["null".to_string()],
            _ => return,
        };
        let nullable = types.iter().any(|name| name == "null");
        let mut others: Vec<String> = types.into_iter().filter(|name| name != "null").collect();
        // `[integer, number]` is a number.
        if others.contains(&"integer".to_string()) && others.contains(&"number".to_string()) {
            others.retain(|name| name != "integer");
        }
        if nullable {
            schema.insert("nullable".to_string(), Value::Bool(true));
            // `null` in an `enum` is spelled by `nullable` now.
            if let Some(Value::Array(values)) = schema.get_mut("enum") {
                values.retain(|value| !value.is_null());
            }
        }
        match others.as_slice() {
            [] => {
                schema.remove("type");
            }
            [single] => {
                schema.insert("type".to_string(), Value::String(single.clone()));
            }
            several => {
                schema.remove("type");
                let mut members = Vec::new();
                for name in several {
                    let mut member = Map::new();
                    member.insert("type".to_string(), Value::String(name.clone()));
                    for (keyword, value) in schema.iter() {
                        let applies = match keyword_type(keyword) {
                            Some("number") => name == "number" || name == "integer",
                            Some(owner) => owner == name,
                            None => keyword == "format" && name != "object" && name != "array",
                        };
                        if applies {
                            member.insert(keyword.clone(), value.clone());
                        }
                    }
                    members.push(Value::Object(member));
                }
                schema.retain(|keyword, _| keyword_type(keyword).is_none() && keyword != "format");
                if schema.contains_key("anyOf") || schema.contains_key("oneOf") {
                    // Both a type list and a union: the union wins; say so.
                    self.warn(
                        pointer,
                        "a list of types beside `anyOf`/`oneOf`: the types are left out",
                    );
                } else {
                    schema.insert("anyOf".to_string(), Value::Array(members));
                }
            }
        }
    }

    /// `prefixItems` fixes the schema of each position. When nothing may follow them
    /// (`items: false`, or as many `maxItems` as positions), the array is a tuple: the
    /// positions stay in place and the schema points at each (`TUPLE_EXTENSION`), since
    /// 3.0 has no tuple. An open tuple of one schema is an array of it; any other open
    /// tuple is an array of any JSON, with a warning.
    fn tuple(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(positions)) = schema.get("prefixItems") else {
            return;
        };
        let count = positions.len();
        let rest = schema.get("items").cloned();
        let closed = rest == Some(Value::Bool(false))
            || schema.get("maxItems").and_then(Value::as_u64) == Some(count as u64);
        let first = positions.first().cloned();
        let all_same = positions
            .iter()
            .all(|position| Some(position) == first.as_ref())
            && rest
                .as_ref()
                .is_none_or(|rest| Some(rest) == first.as_ref());
        schema.insert("type".to_string(), Value::String("array".to_string()));
        if closed && count > 0 {
            let references: Vec<Value> = (0..count)
                .map(|index| serde_json::json!({"$ref": format!("{pointer}/prefixItems/{index}")}))
                .collect();
            schema.insert(super::TUPLE_EXTENSION.to_string(), Value::Array(references));
            schema.insert("items".to_string(), Value::Object(Map::new()));
            schema.insert("minItems".to_string(), Value::from(count));
            schema.insert("maxItems".to_string(), Value::from(count));
            return;
        }
        schema.remove("prefixItems");
        match first {
            Some(item) if all_same => {
                schema.insert("items".to_string(), item);
            }
            _ => {
                schema.insert("items".to_string(), Value::Object(Map::new()));
                self.warn(
                    pointer,
                    "a tuple (`prefixItems`) of different schemas that more items may follow is an array of any JSON (`serde_json::Value`)",
                );
            }
        }
    }

    /// `patternProperties` maps names matching a pattern to a schema. Without
    /// `properties` it is a map (`additionalProperties`) of that schema; the pattern
    /// itself is not checked. Beside `properties`, its keys land in the extra keys.
    fn pattern_properties(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Object(patterns)) = schema.remove("patternProperties") else {
            return;
        };
        let mut values = patterns.values();
        let single = match (values.next(), values.next()) {
            (Some(only), None) => only.clone(),
            _ => Value::Object(Map::new()),
        };
        if !schema.contains_key("additionalProperties") {
            schema.insert("additionalProperties".to_string(), single);
        }
        self.warn(
            pointer,
            "`patternProperties` is read as a map of its values (`additionalProperties`); key patterns are not checked",
        );
    }
}

/// `const: v` is a one-value `enum`; a discriminator's fixed tag is written this way.
/// A `const` implies its value's type, which 3.0's typed enums need spelled out.
fn constant(schema: &mut Map<String, Value>) {
    let Some(value) = schema.remove("const") else {
        return;
    };
    let implied = match &value {
        Value::Null => {
            schema.insert("nullable".to_string(), Value::Bool(true));
            None
        }
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    };
    if let Some(implied) = implied {
        schema
            .entry("type")
            .or_insert_with(|| Value::String(implied.to_string()));
    }
    schema
        .entry("enum")
        .or_insert_with(|| Value::Array(vec![value]));
}

/// A schema's `examples` (a list) is 3.0's `example` (one): the first is kept.
fn examples(schema: &mut Map<String, Value>) {
    if let Some(Value::Array(mut list)) = schema.remove("examples") {
        if !list.is_empty() && !schema.contains_key("example") {
            schema.insert("example".to_string(), list.swap_remove(0));
        }
    }
}

/// `exclusiveMinimum: 5` (a number, 3.1) is `minimum: 5, exclusiveMinimum: true` (3.0);
/// beside a stricter `minimum` it adds nothing.
fn exclusive_bounds(schema: &mut Map<String, Value>) {
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(bound) = schema
            .get(exclusive)
            .filter(|value| value.is_number())
            .cloned()
        else {
            continue;
        };
        schema.remove(exclusive);
        let bound_value = bound.as_f64().unwrap_or_default();
        let existing = schema.get(inclusive).and_then(Value::as_f64);
        match existing {
            Some(current) if current.partial_cmp(&bound_value) == Some(stricter) => {}
            _ => {
                schema.insert(inclusive.to_string(), bound);
                schema.insert(exclusive.to_string(), Value::Bool(true));
            }
        }
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a string with a
/// `contentMediaType` and no encoding is raw bytes, 3.0's `format: binary`.
fn content_encoding(schema: &mut Map<String, Value>) {
    let encoding = schema.remove("contentEncoding");
    let media_type = schema.remove("contentMediaType");
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(_)) => "binary",
        _ => return,
    };
    schema
        .entry("format")
        .or_insert_with(|| Value::String(format.to_string()));
    schema
        .entry("type")
        .or_insert_with(|| Value::String("string".to_string()));
}

/// `unevaluatedProperties` is, for the shapes a client reads, `additionalProperties`.
fn unevaluated_properties(schema: &mut Map<String, Value>) {
    if let Some(value) = schema.remove("unevaluatedProperties") {
        schema.entry("additionalProperties").or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The 3.0 form of one component schema, and the warnings.
    fn schema(input: Value) -> (Value, Vec<String>) {
        let mut tree = json!({"openapi": "3.1.0", "components": {"schemas": {"S": input}}});
        let warnings = upgrade(&mut tree).warnings;
        let output = tree["components"]["schemas"]["S"].clone();
        (output, warnings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn type_lists_become_nullable_or_unions() {
        assert_eq!(
            schema(json!({"type": ["string", "null"]})).0,
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(schema(json!({"type": "null"})).0, json!({"nullable": true}));
        assert_eq!(
            schema(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1})).0,
            json!({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]})
        );
        assert_eq!(
            schema(json!({"type": ["string", "null"], "enum": ["a", null]})).0,
            json!({"type": "string", "nullable": true, "enum": ["a"]})
        );
    }

    #[test]
    fn constants_examples_and_exclusive_bounds() {
        assert_eq!(
            schema(json!({"const": "cat"})).0,
            json!({"type": "string", "enum": ["cat"]})
        );
        assert_eq!(schema(json!({"examples": [1, 2]})).0, json!({"example": 1}));
        assert_eq!(
            schema(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})).0,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        // A stricter inclusive bound stands.
        assert_eq!(
            schema(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 1})).0,
            json!({"type": "number", "minimum": 5})
        );
    }

    #[test]
    fn references_keep_their_siblings() {
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T", "description": "d", "nullable": true}))
                .0,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T"})).0,
            json!({"$ref": "#/components/schemas/T"})
        );
    }

    #[test]
    fn bytes_tuples_and_maps() {
        assert_eq!(
            schema(json!({"type": "string", "contentEncoding": "base64"})).0,
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            schema(json!({"type": "string", "contentMediaType": "image/png"})).0,
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            schema(json!({"prefixItems": [{"type": "number"}, {"type": ["string", "null"]}], "items": false})).0,
            json!({
                "prefixItems": [{"type": "number"}, {"type": "string", "nullable": true}],
                "type": "array", "items": {}, "minItems": 2, "maxItems": 2,
                "x-openapi-rust-generator-tuple": [
                    {"$ref": "#/components/schemas/S/prefixItems/0"},
                    {"$ref": "#/components/schemas/S/prefixItems/1"}
                ]
            }),
            "a closed tuple; its positions are upgraded too"
        );
        assert_eq!(
            schema(json!({"prefixItems": [{"type": "number"}, {"type": "number"}]})).0,
            json!({"type": "array", "items": {"type": "number"}})
        );
        let (tuple, warnings) =
            schema(json!({"prefixItems": [{"type": "string"}, {"type": "number"}]}));
        assert_eq!(tuple, json!({"type": "array", "items": {}}));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (map, warnings) =
            schema(json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}));
        assert_eq!(
            map,
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            schema(json!({"type": "object", "unevaluatedProperties": false})).0,
            json!({"type": "object", "additionalProperties": false})
        );
    }

    #[test]
    fn boolean_schemas_and_conditionals() {
        let (output, warnings) = schema(json!({
            "type": "object",
            "properties": {"any": true, "never": false, "n": {"type": "integer"}},
            "if": {"required": ["n"]}, "then": {"required": ["any"]}
        }));
        assert_eq!(
            output,
            json!({"type": "object", "properties": {"any": {}, "n": {"type": "integer"}}})
        );
        assert_eq!(
            warnings,
            ["warning: #/components/schemas/S: `if`, `then` cannot be said in OpenAPI 3.0: the shape is kept, the check is left to the server"]
        );
    }

    #[test]
    fn schemas_are_found_wherever_they_are() {
        let mut tree = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"const": 1}},
                    "examples": {"one": {"value": {"type": ["not", "a", "schema"]}}}
                }}}}
            }}}
        });
        assert!(upgrade(&mut tree).warnings.is_empty());
        let get = &tree["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"][0]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        let media = &get["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"]["items"],
            json!({"type": "integer", "enum": [1]})
        );
        assert_eq!(
            media["examples"]["one"]["value"]["type"],
            json!(["not", "a", "schema"]),
            "examples are values"
        );
        assert_eq!(tree["openapi"], "3.0.3");
    }

    #[test]
    fn path_items_by_reference_and_mutual_tls() {
        let mut tree = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "mine"}},
            "components": {
                "pathItems": {"A": {"summary": "theirs", "get": {"responses": {"204": {"description": "ok"}}}}},
                "securitySchemes": {"mtls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "in": "header", "name": "k"}}
            }
        });
        let warnings = upgrade(&mut tree).warnings;
        assert_eq!(tree["paths"]["/a"]["summary"], "mine");
        assert!(tree["paths"]["/a"]["get"].is_object());
        assert!(tree["components"].get("pathItems").is_none());
        assert_eq!(
            tree["components"]["securitySchemes"]
                .as_object()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].pointer.ends_with("/mtls"));
    }
}
