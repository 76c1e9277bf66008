//! Swagger 2.0 -> OpenAPI 3.0, one rule per construct.
//!
//! The document is rebuilt in its 3.0 places: `definitions`, `parameters`, `responses`
//! and `securityDefinitions` move under `components`; body and form parameters become
//! request bodies in the operation's `consumes` types; response schemas go under the
//! operation's `produces` types; `host`/`basePath`/`schemes` become `servers`;
//! parameter type keywords move into a `schema`, `collectionFormat` into `style` and
//! `explode`. Every `$ref` is rewritten to the new place of its target.
//!
//! Warnings carry the 2.0 pointer (the place in the file the user wrote), and are given
//! only where 3.0 (or this generator) cannot say what the 2.0 document says: a clean 2.0
//! document passes `--strict`.

use serde_json::{json, Map, Value};

use crate::diagnostics::Warning;
use crate::resolve::escape_token;

/// The HTTP methods a Swagger 2.0 path item can hold.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// What a body and a response are, when neither the document nor the operation says.
const DEFAULT_MEDIA_TYPE: &str = "application/json";

/// The keywords of a non-body parameter (and of a response header) that 2.0 writes on
/// the parameter itself and 3.0 inside its `schema`.
const SCHEMA_KEYWORDS: [&str; 18] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "readOnly",
];

/// Rewrites a Swagger 2.0 document as OpenAPI 3.0, in place.
pub fn upgrade(tree: &mut Value) -> Vec<Warning> {
    let Value::Object(document) = tree else {
        return Vec::new();
    };
    let old = std::mem::take(document);
    let mut upgrade = Upgrade::new(&old);
    *document = upgrade.document(old);
    let mut warnings = upgrade.warnings;
    rewrite_refs(tree);
    warnings.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    warnings
}

/// `$ref`s name 2.0 places; each becomes the 3.0 place its target moved to. Body
/// parameters (`#/parameters/X` that are `in: body`) were already pointed at
/// `#/components/requestBodies/X` by the operation that uses them, so every
/// `#/parameters/X` left here is a parameter.
fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref") {
                for (from, to) in [
                    ("#/definitions/", "#/components/schemas/"),
                    ("#/parameters/", "#/components/parameters/"),
                    ("#/responses/", "#/components/responses/"),
                ] {
                    if let Some(rest) = reference.strip_prefix(from) {
                        *reference = format!("{to}{rest}");
                        break;
                    }
                }
            }
            // Everywhere: a key named `default` or `example` may be a property (a
            // schema) as well as data, and a `$ref` in data is rare enough to not tell.
            for child in object.values_mut() {
                rewrite_refs(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// A list of media types (`consumes`, `produces`), if the value is one.
fn media_types(value: Option<&Value>) -> Option<Vec<String>> {
    let Value::Array(items) = value? else {
        return None;
    };
    Some(
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

/// `application/json`, `application/merge-patch+json`, `text/json`, ...
fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.ends_with("/json") || essence.ends_with("+json")
}

struct Upgrade {
    warnings: Vec<Warning>,
    /// The document's `consumes`, or `application/json`.
    consumes: Vec<String>,
    /// The document's `produces`, or `application/json`.
    produces: Vec<String>,
    /// `#/parameters` entries that are `in: body` (now `#/components/requestBodies`),
    /// raw: an operation whose `consumes` differs from the document's gets its own copy.
    body_parameters: Map<String, Value>,
    /// `#/parameters` entries that are `in: formData`, raw: 3.0 has no place for a form
    /// field of its own, so an operation using one gets a copy in its form body.
    form_parameters: Map<String, Value>,
    /// Whether the document names a `host`.
    has_host: bool,
    /// The document's `schemes` as written (`https` when none).
    schemes: Vec<String>,
    /// `#/responses`, raw: an operation whose `produces` differs from the document's
    /// gets its own copy in its own media types.
    responses: Map<String, Value>,
}

impl Upgrade {
    fn new(old: &Map<String, Value>) -> Self {
        let listed = |key: &str| {
            media_types(old.get(key))
                .filter(|types| !types.is_empty())
                .unwrap_or_else(|| vec![DEFAULT_MEDIA_TYPE.to_string()])
        };
        let mut body_parameters = Map::new();
        let mut form_parameters = Map::new();
        if let Some(Value::Object(parameters)) = old.get("parameters") {
            for (name, parameter) in parameters {
                match parameter.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        body_parameters.insert(name.clone(), parameter.clone());
                    }
                    Some("formData") => {
                        form_parameters.insert(name.clone(), parameter.clone());
                    }
                    _ => {}
                }
            }
        }
        let responses = match old.get("responses") {
            Some(Value::Object(responses)) => responses.clone(),
            _ => Map::new(),
        };
        Self {
            has_host: old.get("host").is_some_and(Value::is_string),
            schemes: media_types(old.get("schemes"))
                .filter(|schemes| !schemes.is_empty())
                .unwrap_or_else(|| vec!["https".to_string()]),
            warnings: Vec::new(),
            consumes: listed("consumes"),
            produces: listed("produces"),
            body_parameters,
            form_parameters,
            responses,
        }
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// The top level, in the order a 3.0 document is usually read.
    fn document(&mut self, mut old: Map<String, Value>) -> Map<String, Value> {
        let mut new = Map::new();
        // `swagger: "2.0"` names the version this document no longer is.
        old.shift_remove("swagger");
        new.insert("openapi".to_string(), Value::from("3.0.3"));
        // `info`, `externalDocs`, `tags` and `security` (requirements by scheme name,
        // the names kept) are spelled the same in both versions.
        for key in ["info", "externalDocs"] {
            if let Some(value) = old.shift_remove(key) {
                new.insert(key.to_string(), value);
            }
        }
        if let Some(servers) = self.servers(&mut old) {
            new.insert("servers".to_string(), servers);
        }
        for key in ["tags", "security"] {
            if let Some(value) = old.shift_remove(key) {
                new.insert(key.to_string(), value);
            }
        }
        // Read in `new()`; the operations that do not say their own use them.
        old.shift_remove("consumes");
        old.shift_remove("produces");
        let components = self.components(&mut old);
        if let Some(paths) = old.shift_remove("paths") {
            new.insert("paths".to_string(), self.paths(paths));
        }
        if !components.is_empty() {
            new.insert("components".to_string(), Value::Object(components));
        }
        for (key, value) in old {
            if key.starts_with("x-") {
                new.insert(key, value);
            } else {
                self.warn(
                    &format!("#/{}", escape_token(&key)),
                    format!("`{key}` is not a Swagger 2.0 field; left out"),
                );
            }
        }
        new
    }

    /// `schemes://host basePath` is where the API is: one server per scheme, `https`
    /// first (servers[0] is the client's default base URL, and the secure one is the one
    /// to default to). Without `schemes` 2.0 means "the scheme the document was fetched
    /// with", which a generator cannot know: `https` is assumed. Without `host` the API
    /// is on the document's own host: the server is `basePath` alone, a relative URL,
    /// which leaves the base URL to the caller. The base path's trailing `/` is dropped,
    /// since every path starts with one.
    fn servers(&mut self, old: &mut Map<String, Value>) -> Option<Value> {
        let host = old.shift_remove("host");
        let base_path = old.shift_remove("basePath");
        let schemes = old.shift_remove("schemes");
        let base_path = base_path
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        let Some(host) = host.as_ref().and_then(Value::as_str) else {
            return (!base_path.is_empty()).then(|| json!([{"url": base_path}]));
        };
        let mut schemes = media_types(schemes.as_ref()).unwrap_or_default();
        if schemes.is_empty() {
            schemes.push("https".to_string());
        }
        schemes.sort_by_key(|scheme| scheme != "https");
        let servers = schemes
            .iter()
            .map(|scheme| json!({"url": format!("{scheme}://{host}{base_path}")}))
            .collect();
        Some(Value::Array(servers))
    }

    /// `definitions` -> `components.schemas`, `parameters` -> `components.parameters`
    /// (body ones -> `components.requestBodies`, form ones inlined where used),
    /// `responses` -> `components.responses`, `securityDefinitions` ->
    /// `components.securitySchemes`.
    fn components(&mut self, old: &mut Map<String, Value>) -> Map<String, Value> {
        let mut components = Map::new();
        if let Some(Value::Object(definitions)) = old.shift_remove("definitions") {
            let mut schemas = Map::new();
            for (name, mut schema) in definitions {
                let pointer = format!("#/definitions/{}", escape_token(&name));
                self.schema(&mut schema, &pointer);
                schemas.insert(name, schema);
            }
            components.insert("schemas".to_string(), Value::Object(schemas));
        }
        if let Some(Value::Object(responses)) = old.shift_remove("responses") {
            let mut converted = Map::new();
            let produces = self.produces.clone();
            for (name, response) in responses {
                let pointer = format!("#/responses/{}", escape_token(&name));
                converted.insert(name, self.response(response, &produces, &pointer));
            }
            components.insert("responses".to_string(), Value::Object(converted));
        }
        if let Some(Value::Object(parameters)) = old.shift_remove("parameters") {
            let mut converted = Map::new();
            let mut bodies = Map::new();
            let consumes = self.consumes.clone();
            for (name, parameter) in parameters {
                let pointer = format!("#/parameters/{}", escape_token(&name));
                match parameter.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        bodies.insert(name, self.body(parameter, &consumes, &pointer));
                    }
                    // Read in `new()`: copied into each operation's form body.
                    Some("formData") => {}
                    _ => {
                        converted.insert(name, self.parameter(parameter, &pointer));
                    }
                }
            }
            if !converted.is_empty() {
                components.insert("parameters".to_string(), Value::Object(converted));
            }
            if !bodies.is_empty() {
                components.insert("requestBodies".to_string(), Value::Object(bodies));
            }
        }
        if let Some(Value::Object(definitions)) = old.shift_remove("securityDefinitions") {
            let mut schemes = Map::new();
            for (name, scheme) in definitions {
                let pointer = format!("#/securityDefinitions/{}", escape_token(&name));
                schemes.insert(name, self.security_scheme(scheme, &pointer));
            }
            components.insert("securitySchemes".to_string(), Value::Object(schemes));
        }
        components
    }

    /// `basic` is HTTP basic auth (`{type: http, scheme: basic}`); `apiKey` is spelled
    /// the same; `oauth2` names one flow with its own words, which 3.0 renames:
    /// `application` is `clientCredentials`, `accessCode` is `authorizationCode`.
    fn security_scheme(&mut self, scheme: Value, pointer: &str) -> Value {
        let Value::Object(mut scheme) = scheme else {
            return scheme;
        };
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                scheme.insert("type".to_string(), Value::from("http"));
                scheme.insert("scheme".to_string(), Value::from("basic"));
            }
            Some("oauth2") => {
                let flow = scheme
                    .shift_remove("flow")
                    .and_then(|flow| flow.as_str().map(str::to_string));
                let mut details = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(url) = scheme.shift_remove(key) {
                        details.insert(key.to_string(), url);
                    }
                }
                let scopes = scheme.shift_remove("scopes").unwrap_or_else(|| json!({}));
                details.insert("scopes".to_string(), scopes);
                let name = match flow.as_deref() {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        self.warn(
                            &format!("{pointer}/flow"),
                            format!(
                                "oauth2 flow {} is not one of implicit, password, application, accessCode; read as clientCredentials",
                                other.map_or("(none)".to_string(), |flow| format!("`{flow}`"))
                            ),
                        );
                        "clientCredentials"
                    }
                };
                scheme.insert("flows".to_string(), json!({ name: details }));
            }
            _ => {}
        }
        Value::Object(scheme)
    }

    fn paths(&mut self, paths: Value) -> Value {
        let Value::Object(paths) = paths else {
            return paths;
        };
        let mut converted = Map::new();
        for (path, item) in paths {
            let pointer = format!("#/paths/{}", escape_token(&path));
            converted.insert(path, self.path_item(item, &pointer));
        }
        Value::Object(converted)
    }

    /// Path-level parameters apply to every operation of the path. Those that are a
    /// body or form field become part of each operation's body, since 3.0 has no
    /// path-level body; the others stay where they are.
    fn path_item(&mut self, item: Value, pointer: &str) -> Value {
        let Value::Object(mut item) = item else {
            return item;
        };
        let mut shared_bodies = Vec::new();
        if let Some(Value::Array(parameters)) = item.shift_remove("parameters") {
            let mut kept = Vec::new();
            for (index, parameter) in parameters.into_iter().enumerate() {
                let parameter_pointer = format!("{pointer}/parameters/{index}");
                if self.is_body_or_form(&parameter) {
                    shared_bodies.push((parameter, parameter_pointer));
                } else {
                    kept.push(self.parameter_or_ref(parameter, &parameter_pointer));
                }
            }
            if !kept.is_empty() {
                item.insert("parameters".to_string(), Value::Array(kept));
            }
        }
        for method in METHODS {
            let Some(operation) = item.shift_remove(method) else {
                continue;
            };
            let operation_pointer = format!("{pointer}/{method}");
            let operation = self.operation(operation, &shared_bodies, &operation_pointer);
            item.insert(method.to_string(), operation);
        }
        Value::Object(item)
    }

    /// `in: body` or `in: formData`, inline or by `$ref`.
    fn is_body_or_form(&self, parameter: &Value) -> bool {
        if let Some(name) = parameter_ref(parameter) {
            return self.body_parameters.contains_key(&name)
                || self.form_parameters.contains_key(&name);
        }
        matches!(
            parameter.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        )
    }

    /// A non-body parameter: a `$ref` (rewritten later) or converted here.
    fn parameter_or_ref(&mut self, parameter: Value, pointer: &str) -> Value {
        if parameter.get("$ref").is_some() {
            parameter
        } else {
            self.parameter(parameter, pointer)
        }
    }

    fn operation(
        &mut self,
        operation: Value,
        shared_bodies: &[(Value, String)],
        pointer: &str,
    ) -> Value {
        let Value::Object(mut operation) = operation else {
            return operation;
        };
        // An operation's own `consumes`/`produces` replaces the document's, as in 2.0.
        let consumes = media_types(operation.get("consumes"))
            .filter(|types| !types.is_empty())
            .unwrap_or_else(|| self.consumes.clone());
        let produces = media_types(operation.get("produces"))
            .filter(|types| !types.is_empty())
            .unwrap_or_else(|| self.produces.clone());
        operation.shift_remove("consumes");
        operation.shift_remove("produces");
        // An operation's own `schemes` matter only where the document names a host
        // and they differ from the document's: 3.0 would need a `servers` of its own
        // for the operation, which the client (one base URL) does not read. Without a
        // host the base URL is the caller's, scheme included.
        let schemes = operation.shift_remove("schemes");
        if let Some(schemes) = schemes.filter(|schemes| {
            self.has_host && media_types(Some(schemes)).unwrap_or_default() != self.schemes
        }) {
            self.warn(
                &format!("{pointer}/schemes"),
                format!("operation-level `schemes` {schemes} are not used: the client calls every operation at its one base URL"),
            );
        }

        let mut kept = Vec::new();
        let mut body: Option<Value> = None;
        let mut form: Vec<(Value, String)> = Vec::new();
        let own = match operation.shift_remove("parameters") {
            Some(Value::Array(parameters)) => parameters,
            _ => Vec::new(),
        };
        let own: Vec<(Value, String)> = own
            .into_iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, format!("{pointer}/parameters/{index}")))
            .collect();
        // The operation's own parameters override the path's of the same name and place.
        let identity = |upgrade: &Self, parameter: &Value| -> Option<(String, String)> {
            let parameter = match parameter_ref(parameter) {
                Some(name) if upgrade.form_parameters.contains_key(&name) => {
                    &upgrade.form_parameters[&name]
                }
                Some(name) if upgrade.body_parameters.contains_key(&name) => {
                    return Some(("body".to_string(), String::new()));
                }
                _ => parameter,
            };
            let place = parameter.get("in")?.as_str()?.to_string();
            let name = if place == "body" {
                String::new()
            } else {
                parameter.get("name")?.as_str()?.to_string()
            };
            Some((place, name))
        };
        let own_identities: Vec<_> = own
            .iter()
            .filter_map(|(parameter, _)| identity(self, parameter))
            .collect();
        let inherited: Vec<(Value, String)> = shared_bodies
            .iter()
            .filter(|(parameter, _)| {
                identity(self, parameter).is_none_or(|found| !own_identities.contains(&found))
            })
            .cloned()
            .collect();
        for (parameter, parameter_pointer) in inherited.into_iter().chain(own) {
            if let Some(name) = parameter_ref(&parameter) {
                if let Some(component) = self.body_parameters.get(&name).cloned() {
                    // The component was built in the document's media types; an
                    // operation with its own `consumes` gets a copy in its own.
                    let request_body = if consumes == self.consumes {
                        json!({"$ref": format!("#/components/requestBodies/{name}")})
                    } else {
                        self.body(
                            component,
                            &consumes,
                            &format!("#/parameters/{}", escape_token(&name)),
                        )
                    };
                    self.set_body(&mut body, request_body, &parameter_pointer);
                    continue;
                }
                if let Some(field) = self.form_parameters.get(&name) {
                    form.push((
                        field.clone(),
                        format!("#/parameters/{}", escape_token(&name)),
                    ));
                    continue;
                }
                kept.push(parameter);
                continue;
            }
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let request_body = self.body(parameter, &consumes, &parameter_pointer);
                    self.set_body(&mut body, request_body, &parameter_pointer);
                }
                Some("formData") => form.push((parameter, parameter_pointer)),
                _ => kept.push(self.parameter(parameter, &parameter_pointer)),
            }
        }
        if !form.is_empty() {
            if body.is_some() {
                for (_, field_pointer) in &form {
                    self.warn(
                        field_pointer,
                        "a form field beside a body parameter (2.0 allows one or the other); left out",
                    );
                }
            } else {
                body = Some(self.form_body(form, &consumes));
            }
        }

        let mut converted = Map::new();
        for (key, value) in operation {
            if key == "responses" {
                let responses = self.responses(value, &produces, &format!("{pointer}/responses"));
                if !kept.is_empty() {
                    converted.insert(
                        "parameters".to_string(),
                        Value::Array(std::mem::take(&mut kept)),
                    );
                }
                if let Some(body) = body.take() {
                    converted.insert("requestBody".to_string(), body);
                }
                converted.insert(key, responses);
            } else {
                converted.insert(key, value);
            }
        }
        // No `responses` (repair's to mend): parameters and body still go in.
        if !kept.is_empty() {
            converted.insert("parameters".to_string(), Value::Array(kept));
        }
        if let Some(body) = body {
            converted.insert("requestBody".to_string(), body);
        }
        Value::Object(converted)
    }

    fn set_body(&mut self, body: &mut Option<Value>, request_body: Value, pointer: &str) {
        if body.is_some() {
            self.warn(
                pointer,
                "a second body parameter (2.0 allows one); left out",
            );
        } else {
            *body = Some(request_body);
        }
    }
}

/// `X` of a `$ref: '#/parameters/X'`, unescaped.
fn parameter_ref(parameter: &Value) -> Option<String> {
    let token = parameter
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/parameters/")?;
    Some(token.replace("~1", "/").replace("~0", "~"))
}

impl Upgrade {
    /// A non-body parameter: 2.0 writes its type on the parameter, 3.0 in `schema`; its
    /// `collectionFormat` is 3.0's `style` and `explode`.
    fn parameter(&mut self, parameter: Value, pointer: &str) -> Value {
        let Value::Object(mut parameter) = parameter else {
            return parameter;
        };
        let place = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let collection_format = parameter.shift_remove("collectionFormat");
        let mut schema = match parameter.shift_remove("schema") {
            // Not 2.0, but its meaning is plain: the parameter's schema.
            Some(schema) => schema,
            None => Value::Object(Map::new()),
        };
        if let Value::Object(schema) = &mut schema {
            for key in SCHEMA_KEYWORDS {
                if let Some(value) = parameter.shift_remove(key) {
                    schema.insert(key.to_string(), value);
                }
            }
        }
        self.nested_collection_formats(&mut schema, pointer);
        self.schema(&mut schema, pointer);
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        if is_array {
            let format = collection_format.as_ref().and_then(Value::as_str);
            if let Some((style, explode)) = self.style(&place, format, pointer) {
                parameter.insert("style".to_string(), Value::from(style));
                parameter.insert("explode".to_string(), Value::from(explode));
            }
        }
        // 3.0 allows `allowEmptyValue` on query parameters only; elsewhere it told the
        // server's side (an empty value is accepted), which a client has no use for.
        if place != "query" {
            parameter.shift_remove("allowEmptyValue");
        }
        parameter.insert("schema".to_string(), schema);
        Value::Object(parameter)
    }

    /// `collectionFormat` of an array parameter as 3.0's `style` and `explode`. 2.0's
    /// default is `csv` (`a,b`), 3.0's default for a query is `form` exploded (`x=a&x=b`),
    /// so a query array without `collectionFormat` needs its style said; in a path or
    /// header 3.0's default `simple` is already `a,b`, and nothing is said.
    fn style(
        &mut self,
        place: &str,
        format: Option<&str>,
        pointer: &str,
    ) -> Option<(&'static str, bool)> {
        let format_pointer = format!("{pointer}/collectionFormat");
        if place == "query" {
            return Some(match format.unwrap_or("csv") {
                "csv" => ("form", false),
                // `a b`: 3.0's `spaceDelimited`, which is not exploded.
                "ssv" => ("spaceDelimited", false),
                // `a|b`: 3.0's `pipeDelimited`.
                "pipes" => ("pipeDelimited", false),
                // `x=a&x=b`: 3.0's exploded `form`.
                "multi" => ("form", true),
                other => {
                    let what = if other == "tsv" {
                        "`collectionFormat: tsv` (tab-separated) has no OpenAPI 3.0 style"
                            .to_string()
                    } else {
                        format!("`collectionFormat: {other}` is not a Swagger 2.0 format")
                    };
                    self.warn(
                        &format_pointer,
                        format!("{what}; sent comma-separated (`csv`)"),
                    );
                    ("form", false)
                }
            });
        }
        match format {
            None | Some("csv") => None,
            Some(other) => {
                self.warn(
                    &format_pointer,
                    format!("`collectionFormat: {other}` has no OpenAPI 3.0 style in a {place} parameter; sent comma-separated (`csv`)"),
                );
                None
            }
        }
    }

    /// An array of arrays in a parameter has a `collectionFormat` per level; 3.0 styles
    /// say only how the outer array is written, the inner ones are sent as JSON text.
    fn nested_collection_formats(&mut self, schema: &mut Value, pointer: &str) {
        let mut items = schema.get_mut("items");
        let mut items_pointer = format!("{pointer}/items");
        while let Some(Value::Object(object)) = items {
            if let Some(format) = object.shift_remove("collectionFormat") {
                self.warn(
                    &format!("{items_pointer}/collectionFormat"),
                    format!("an inner array's `collectionFormat` {format} has no OpenAPI 3.0 place; the inner arrays are sent as JSON text"),
                );
            }
            items = object.get_mut("items");
            items_pointer.push_str("/items");
        }
    }

    /// `in: body`: the body, in each of the operation's `consumes` types.
    fn body(&mut self, parameter: Value, consumes: &[String], pointer: &str) -> Value {
        let Value::Object(mut parameter) = parameter else {
            return parameter;
        };
        let mut schema = parameter.shift_remove("schema").unwrap_or_else(|| {
            self.warn(pointer, "body parameter without `schema`; read as any JSON");
            json!({})
        });
        self.schema(&mut schema, &format!("{pointer}/schema"));
        let mut body = Map::new();
        if let Some(description) = parameter.shift_remove("description") {
            body.insert("description".to_string(), description);
        }
        let content: Map<String, Value> = consumes
            .iter()
            .map(|media_type| (media_type.clone(), json!({"schema": schema.clone()})))
            .collect();
        body.insert("content".to_string(), Value::Object(content));
        if parameter.get("required") == Some(&Value::Bool(true)) {
            body.insert("required".to_string(), Value::Bool(true));
        }
        for (key, value) in parameter {
            if key.starts_with("x-") {
                body.insert(key, value);
            }
        }
        Value::Object(body)
    }

    /// `in: formData` fields: one object schema, a property per field, required as the
    /// fields are. A `type: file` field can only be sent as `multipart/form-data`, and
    /// is a binary string there (a file part); otherwise the form is sent in the
    /// operation's form types (`consumes`), `application/x-www-form-urlencoded` when
    /// it names none.
    fn form_body(&mut self, fields: Vec<(Value, String)>, consumes: &[String]) -> Value {
        const URLENCODED: &str = "application/x-www-form-urlencoded";
        const MULTIPART: &str = "multipart/form-data";
        let has_file = fields
            .iter()
            .any(|(field, _)| field.get("type").and_then(Value::as_str) == Some("file"));
        let mut media_types: Vec<&str> = if has_file {
            vec![MULTIPART]
        } else {
            consumes
                .iter()
                .map(String::as_str)
                .filter(|media_type| [URLENCODED, MULTIPART].contains(media_type))
                .collect()
        };
        if media_types.is_empty() {
            media_types.push(URLENCODED);
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (field, pointer) in fields {
            let Value::Object(mut field) = field else {
                continue;
            };
            let Some(name) = field
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                self.warn(&pointer, "form field without `name`; left out");
                continue;
            };
            let mut schema = Map::new();
            for key in SCHEMA_KEYWORDS.iter().copied().chain(["description"]) {
                if let Some(value) = field.shift_remove(key) {
                    schema.insert(key.to_string(), value);
                }
            }
            for (key, value) in &field {
                if key.starts_with("x-") {
                    schema.insert(key.clone(), value.clone());
                }
            }
            let mut schema = Value::Object(schema);
            self.nested_collection_formats(&mut schema, &pointer);
            self.schema(&mut schema, &pointer);
            // The client sends a form array as one field per item (`multi`), which is
            // what 3.0's default form encoding says; another `collectionFormat` would
            // need an `encoding` style the generator does not read.
            let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
            let format = field.get("collectionFormat").and_then(Value::as_str);
            if is_array && format != Some("multi") {
                self.warn(
                    &pointer,
                    format!(
                        "form array with `collectionFormat: {}`: sent as one field per item (`multi`)",
                        format.unwrap_or("csv")
                    ),
                );
            }
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::from(name.clone()));
            }
            properties.insert(name, schema);
        }
        let mut schema = Map::new();
        schema.insert("type".to_string(), Value::from("object"));
        if !required.is_empty() {
            schema.insert("required".to_string(), Value::Array(required.clone()));
        }
        schema.insert("properties".to_string(), Value::Object(properties));
        let content: Map<String, Value> = media_types
            .into_iter()
            .map(|media_type| (media_type.to_string(), json!({"schema": schema.clone()})))
            .collect();
        let mut body = Map::new();
        body.insert("content".to_string(), Value::Object(content));
        if !required.is_empty() {
            body.insert("required".to_string(), Value::Bool(true));
        }
        Value::Object(body)
    }

    /// An operation's responses. A `$ref` to a response of the document is kept when
    /// the operation produces what the document does, else it is a copy in the
    /// operation's own media types.
    fn responses(&mut self, responses: Value, produces: &[String], pointer: &str) -> Value {
        let Value::Object(responses) = responses else {
            return responses;
        };
        let mut converted = Map::new();
        for (status, response) in responses {
            if status.starts_with("x-") {
                converted.insert(status, response);
                continue;
            }
            let response_pointer = format!("{pointer}/{}", escape_token(&status));
            let referenced = response
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix("#/responses/"))
                .map(|token| token.replace("~1", "/").replace("~0", "~"));
            let response = match referenced {
                Some(name) if produces != self.produces.as_slice() => {
                    match self.responses.get(&name).cloned() {
                        Some(component) => {
                            let component_pointer = format!("#/responses/{}", escape_token(&name));
                            self.response(component, produces, &component_pointer)
                        }
                        // Left for the resolve stage to report.
                        None => response,
                    }
                }
                _ => self.response(response, produces, &response_pointer),
            };
            converted.insert(status, response);
        }
        Value::Object(converted)
    }

    /// A response: its `schema` in each `produces` type, its headers' types in
    /// `schema`, its `examples` (keyed by media type) as those types' `example`.
    fn response(&mut self, response: Value, produces: &[String], pointer: &str) -> Value {
        let Value::Object(mut response) = response else {
            return response;
        };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        let schema = response.shift_remove("schema");
        let examples = response.shift_remove("examples");
        let headers = response.shift_remove("headers");
        let mut converted = Map::new();
        if let Some(description) = response.shift_remove("description") {
            converted.insert("description".to_string(), description);
        }
        if let Some(Value::Object(headers)) = headers {
            let mut typed = Map::new();
            for (name, header) in headers {
                let header_pointer = format!("{pointer}/headers/{}", escape_token(&name));
                typed.insert(name, self.header(header, &header_pointer));
            }
            converted.insert("headers".to_string(), Value::Object(typed));
        }
        let mut content = Map::new();
        if let Some(mut schema) = schema {
            // `type: file` is a download: bytes, in the non-JSON types the operation
            // produces, or `application/octet-stream` when it names only JSON.
            let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
            self.schema(&mut schema, &format!("{pointer}/schema"));
            let mut media_types: Vec<&str> = produces
                .iter()
                .map(String::as_str)
                .filter(|media_type| !is_file || !is_json(media_type))
                .collect();
            if media_types.is_empty() {
                media_types.push("application/octet-stream");
            }
            for media_type in media_types {
                content.insert(media_type.to_string(), json!({"schema": schema.clone()}));
            }
        }
        if let Some(Value::Object(examples)) = examples {
            for (media_type, example) in examples {
                // An example in a type the operation does not list (an error shown as
                // `application/json` where `produces` names a download) says the
                // response is sent in that type too: it is added, with the schema.
                if !content.contains_key(&media_type) {
                    if let Some(schema) = content
                        .values()
                        .next()
                        .and_then(|media| media.get("schema"))
                        .cloned()
                    {
                        content.insert(media_type.clone(), json!({"schema": schema}));
                    }
                }
                match content.get_mut(&media_type) {
                    Some(Value::Object(media)) => {
                        media.insert("example".to_string(), example);
                    }
                    _ => self.warn(
                        &format!("{pointer}/examples/{}", escape_token(&media_type)),
                        format!("an example for `{media_type}`, which the response is not sent as; left out"),
                    ),
                }
            }
        }
        if !content.is_empty() {
            converted.insert("content".to_string(), Value::Object(content));
        }
        for (key, value) in response {
            if key.starts_with("x-") {
                converted.insert(key, value);
            } else {
                self.warn(
                    &format!("{pointer}/{}", escape_token(&key)),
                    format!("`{key}` is not a Swagger 2.0 response field; left out"),
                );
            }
        }
        Value::Object(converted)
    }

    /// A response header: its type in `schema`. 3.0 headers are `simple`, which is
    /// 2.0's default `csv`.
    fn header(&mut self, header: Value, pointer: &str) -> Value {
        let Value::Object(mut header) = header else {
            return header;
        };
        let format = header.shift_remove("collectionFormat");
        let mut schema = Map::new();
        for key in SCHEMA_KEYWORDS {
            if let Some(value) = header.shift_remove(key) {
                schema.insert(key.to_string(), value);
            }
        }
        let mut schema = Value::Object(schema);
        self.nested_collection_formats(&mut schema, pointer);
        self.schema(&mut schema, pointer);
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            let _ = self.style("header", format.as_ref().and_then(Value::as_str), pointer);
        }
        header.insert("schema".to_string(), schema);
        Value::Object(header)
    }

    /// A schema and every schema inside it.
    fn schema(&mut self, value: &mut Value, pointer: &str) {
        let Value::Object(object) = value else {
            return;
        };
        // `x-nullable: true` (a widespread 2.0 extension) is 3.0's `nullable: true`. On a
        // `$ref`, whose siblings 3.0 ignores, it is `allOf: [$ref]` beside `nullable`,
        // the spelling 3.0 has for "this type, or null".
        if let Some(nullable) = object.shift_remove("x-nullable") {
            match nullable {
                Value::Bool(true) => {
                    if let Some(reference) = object.shift_remove("$ref") {
                        object.insert("allOf".to_string(), json!([{"$ref": reference}]));
                    }
                    object.insert("nullable".to_string(), Value::Bool(true));
                }
                Value::Bool(false) => {}
                other => self.warn(
                    &format!("{pointer}/x-nullable"),
                    format!("`x-nullable` is {other}, not a boolean; ignored"),
                ),
            }
        }
        // 2.0 names the discriminating property; 3.0 wraps it in an object. Done here
        // (not left to the repair stage, which warns) because in 2.0 it is correct.
        if let Some(Value::String(property)) = object.get("discriminator") {
            let property = property.clone();
            object.insert(
                "discriminator".to_string(),
                json!({"propertyName": property}),
            );
        }
        // `type: file` (a form field, a response) is bytes: 3.0's binary string.
        if object.get("type").and_then(Value::as_str) == Some("file") {
            object.insert("type".to_string(), Value::from("string"));
            object.insert("format".to_string(), Value::from("binary"));
        }
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                let property_pointer = format!("{pointer}/properties/{}", escape_token(name));
                self.schema(property, &property_pointer);
            }
        }
        for key in ["additionalProperties", "items", "not"] {
            let child_pointer = format!("{pointer}/{key}");
            match object.get_mut(key) {
                Some(Value::Array(items)) => {
                    for (index, item) in items.iter_mut().enumerate() {
                        self.schema(item, &format!("{child_pointer}/{index}"));
                    }
                }
                Some(child) => self.schema(child, &child_pointer),
                None => {}
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = object.get_mut(key) {
                for (index, member) in members.iter_mut().enumerate() {
                    self.schema(member, &format!("{pointer}/{key}/{index}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `document` upgraded; its warnings as `pointer: message` lines.
    fn upgraded(mut document: Value) -> (Value, Vec<String>) {
        let warnings = upgrade(&mut document);
        let lines = warnings
            .iter()
            .map(|warning| format!("{}: {}", warning.pointer, warning.message))
            .collect();
        (document, lines)
    }

    /// A document of `paths` only.
    fn with_paths(paths: Value) -> Value {
        json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    /// The one operation `GET /a` of `document`.
    fn get_a(document: &Value) -> &Value {
        &document["paths"]["/a"]["get"]
    }

    #[test]
    fn top_level_fields_move_to_their_3_0_places() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "Pets", "version": "1"},
            "host": "api.example.com:8443",
            "basePath": "/v1/",
            "schemes": ["http", "https"],
            "tags": [{"name": "pets"}],
            "externalDocs": {"url": "https://docs.example.com"},
            "security": [{"key": []}],
            "x-logo": "logo.png",
            "paths": {},
            "definitions": {"Pet": {"type": "object"}},
            "securityDefinitions": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
        }));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            document,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "Pets", "version": "1"},
                "externalDocs": {"url": "https://docs.example.com"},
                "servers": [
                    {"url": "https://api.example.com:8443/v1"},
                    {"url": "http://api.example.com:8443/v1"},
                ],
                "tags": [{"name": "pets"}],
                "security": [{"key": []}],
                "paths": {},
                "components": {
                    "schemas": {"Pet": {"type": "object"}},
                    "securitySchemes": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
                },
                "x-logo": "logo.png",
            })
        );
    }

    #[test]
    fn servers_without_host_or_schemes() {
        let servers = |document: Value| upgraded(document).0.get("servers").cloned();
        let base = |extra: Value| {
            let mut document = with_paths(json!({}));
            document
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            document
        };
        assert_eq!(
            servers(base(json!({"basePath": "/v2"}))),
            Some(json!([{"url": "/v2"}]))
        );
        assert_eq!(servers(base(json!({"basePath": "/"}))), None);
        assert_eq!(servers(base(json!({}))), None);
        assert_eq!(
            servers(base(json!({"host": "h.example"}))),
            Some(json!([{"url": "https://h.example"}]))
        );
    }

    #[test]
    fn refs_point_at_the_new_places() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/parameters/limit"}],
                "responses": {
                    "200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}},
                    "default": {"$ref": "#/responses/Failure"},
                },
            }}},
            "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer"}},
            "responses": {"Failure": {"description": "bad", "schema": {"$ref": "#/definitions/Error"}}},
            "definitions": {
                "Pet": {"properties": {
                    "default": {"$ref": "#/definitions/Pet/properties/name"},
                    "name": {"type": "string"},
                }},
                "Error": {"type": "object"},
            },
        }));
        assert_eq!(warnings, Vec::<String>::new());
        let operation = get_a(&document);
        assert_eq!(
            operation["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            operation["responses"]["default"],
            json!({"$ref": "#/components/responses/Failure"})
        );
        assert_eq!(
            document["components"]["schemas"]["Pet"]["properties"]["default"],
            json!({"$ref": "#/components/schemas/Pet/properties/name"}),
            "a property named `default` is a schema"
        );
        assert_eq!(
            document["components"]["responses"]["Failure"],
            json!({"description": "bad", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        );
        assert_eq!(
            document["components"]["parameters"]["limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})
        );
    }

    #[test]
    fn a_body_parameter_is_the_request_body_in_each_consumes_type() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "consumes": ["application/json", "application/xml"],
            "paths": {
                "/a": {"post": {
                    "parameters": [{"name": "pet", "in": "body", "required": true, "description": "The pet.",
                                     "schema": {"$ref": "#/definitions/Pet"}}],
                    "responses": {"204": {"description": "done"}},
                }},
                "/b": {
                    "put": {"parameters": [{"$ref": "#/parameters/Note"}], "responses": {"204": {"description": "done"}}},
                    "post": {"consumes": ["text/plain"], "parameters": [{"$ref": "#/parameters/Note"}],
                             "responses": {"204": {"description": "done"}}},
                },
            },
            "parameters": {"Note": {"name": "note", "in": "body", "schema": {"type": "string"}}},
            "definitions": {"Pet": {"type": "object"}},
        }));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            document["paths"]["/a"]["post"],
            json!({
                "requestBody": {
                    "description": "The pet.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                        "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
                    },
                    "required": true,
                },
                "responses": {"204": {"description": "done"}},
            })
        );
        assert_eq!(
            document["components"]["requestBodies"]["Note"],
            json!({"content": {
                "application/json": {"schema": {"type": "string"}},
                "application/xml": {"schema": {"type": "string"}},
            }})
        );
        assert!(document["components"].get("parameters").is_none());
        assert_eq!(
            document["paths"]["/b"]["put"]["requestBody"],
            json!({"$ref": "#/components/requestBodies/Note"})
        );
        assert_eq!(
            document["paths"]["/b"]["post"]["requestBody"],
            json!({"content": {"text/plain": {"schema": {"type": "string"}}}}),
            "an operation's own consumes: a copy in its own types"
        );
    }

    #[test]
    fn form_fields_are_one_object_body_and_files_make_it_multipart() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "type": "string"},
                        {"name": "name", "in": "formData", "required": true, "type": "string", "description": "Its name."},
                        {"$ref": "#/parameters/Age"},
                        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    ],
                    "responses": {"204": {"description": "done"}},
                }},
                "/b": {"post": {
                    "parameters": [
                        {"name": "file", "in": "formData", "required": true, "type": "file"},
                        {"name": "note", "in": "formData", "type": "string", "allowEmptyValue": true},
                    ],
                    "responses": {"204": {"description": "done"}},
                }},
            },
            "parameters": {"Age": {"name": "age", "in": "formData", "type": "integer", "minimum": 0}},
        }));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            get_a(&document),
            &json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "description": "Its name."},
                            "age": {"type": "integer", "minimum": 0},
                            "tags": {"type": "array", "items": {"type": "string"}},
                        },
                    }}},
                    "required": true,
                },
                "responses": {"204": {"description": "done"}},
            })
        );
        assert_eq!(
            document["paths"]["/b"]["post"]["requestBody"],
            json!({
                "content": {"multipart/form-data": {"schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "note": {"type": "string"},
                    },
                }}},
                "required": true,
            })
        );
        assert!(
            document.get("components").is_none(),
            "a form field has no component place"
        );
    }

    #[test]
    fn a_form_array_not_sent_one_field_per_item_is_a_warning() {
        let (_, warnings) = upgraded(with_paths(json!({"/a": {"get": {
            "parameters": [{"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}}],
            "responses": {"204": {"description": "done"}},
        }}})));
        assert_eq!(
            warnings,
            ["#/paths/~1a/get/parameters/0: form array with `collectionFormat: csv`: sent as one field per item (`multi`)"]
        );
    }

    #[test]
    fn path_level_body_fields_go_to_each_operation_unless_overridden() {
        let (document, warnings) = upgraded(with_paths(json!({"/a": {
            "parameters": [
                {"name": "id", "in": "query", "type": "string"},
                {"name": "pet", "in": "body", "schema": {"type": "object"}},
            ],
            "get": {"responses": {"204": {"description": "done"}}},
            "put": {
                "parameters": [{"name": "other", "in": "body", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "done"}},
            },
        }})));
        assert_eq!(warnings, Vec::<String>::new());
        let item = &document["paths"]["/a"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "id", "in": "query", "schema": {"type": "string"}}])
        );
        assert_eq!(
            item["get"]["requestBody"],
            json!({"content": {"application/json": {"schema": {"type": "object"}}}})
        );
        assert_eq!(
            item["put"]["requestBody"],
            json!({"content": {"application/json": {"schema": {"type": "string"}}}})
        );
    }

    #[test]
    fn parameter_types_move_into_schema_and_collection_formats_become_styles() {
        let array = |name: &str, place: &str, format: Option<&str>| {
            let mut parameter =
                json!({"name": name, "in": place, "type": "array", "items": {"type": "string"}});
            if let Some(format) = format {
                parameter["collectionFormat"] = Value::from(format);
            }
            if place == "path" {
                parameter["required"] = Value::Bool(true);
            }
            parameter
        };
        let (document, warnings) = upgraded(with_paths(json!({"/a/{p}": {"get": {
            "parameters": [
                array("csv", "query", None),
                array("ssv", "query", Some("ssv")),
                array("pipes", "query", Some("pipes")),
                array("multi", "query", Some("multi")),
                array("tsv", "query", Some("tsv")),
                array("p", "path", Some("csv")),
                array("h", "header", Some("pipes")),
                {"name": "n", "in": "query", "type": "integer", "format": "int32", "minimum": 1, "maximum": 9,
                 "default": 3, "enum": [1, 3, 9], "allowEmptyValue": true, "x-nullable": true, "description": "N."},
                {"name": "grid", "in": "query", "type": "array", "collectionFormat": "pipes",
                 "items": {"type": "array", "collectionFormat": "csv", "items": {"type": "integer"}}},
            ],
            "responses": {"204": {"description": "done"}},
        }}})));
        let parameters = &document["paths"]["/a/{p}"]["get"]["parameters"];
        let strings = json!({"type": "array", "items": {"type": "string"}});
        let styled = |name: &str, place: &str, style: &str, explode: bool| json!({"name": name, "in": place, "style": style, "explode": explode, "schema": strings});
        assert_eq!(parameters[0], styled("csv", "query", "form", false));
        assert_eq!(
            parameters[1],
            styled("ssv", "query", "spaceDelimited", false)
        );
        assert_eq!(
            parameters[2],
            styled("pipes", "query", "pipeDelimited", false)
        );
        assert_eq!(parameters[3], styled("multi", "query", "form", true));
        assert_eq!(parameters[4], styled("tsv", "query", "form", false));
        assert_eq!(
            parameters[5],
            json!({"name": "p", "in": "path", "required": true, "schema": strings})
        );
        assert_eq!(
            parameters[6],
            json!({"name": "h", "in": "header", "schema": strings})
        );
        assert_eq!(
            parameters[7],
            json!({"name": "n", "in": "query", "allowEmptyValue": true, "description": "N.", "schema": {
                "type": "integer", "format": "int32", "default": 3, "maximum": 9, "minimum": 1,
                "enum": [1, 3, 9], "nullable": true,
            }})
        );
        assert_eq!(
            parameters[8],
            json!({"name": "grid", "in": "query", "style": "pipeDelimited", "explode": false, "schema": {
                "type": "array", "items": {"type": "array", "items": {"type": "integer"}},
            }})
        );
        assert_eq!(
            warnings,
            [
                "#/paths/~1a~1{p}/get/parameters/4/collectionFormat: `collectionFormat: tsv` (tab-separated) has no OpenAPI 3.0 style; sent comma-separated (`csv`)",
                "#/paths/~1a~1{p}/get/parameters/6/collectionFormat: `collectionFormat: pipes` has no OpenAPI 3.0 style in a header parameter; sent comma-separated (`csv`)",
                "#/paths/~1a~1{p}/get/parameters/8/items/collectionFormat: an inner array's `collectionFormat` \"csv\" has no OpenAPI 3.0 place; the inner arrays are sent as JSON text",
            ]
        );
    }

    #[test]
    fn responses_by_produces_with_files_headers_and_examples() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "produces": ["application/json", "application/xml"],
            "paths": {
                "/a": {"get": {"responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "object"},
                        "headers": {"X-Rate": {"type": "integer", "format": "int32", "description": "Left."}},
                        "examples": {"application/json": {"a": 1}, "text/plain": "a=1"},
                    },
                    "204": {"description": "none"},
                }}},
                "/file": {"get": {
                    "produces": ["application/json"],
                    "responses": {"200": {"description": "a file", "schema": {"type": "file"}}},
                }},
                "/pdf": {"get": {
                    "produces": ["application/pdf", "application/json"],
                    "responses": {"200": {"description": "a file", "schema": {"type": "file"}}},
                }},
            },
        }));
        assert_eq!(
            get_a(&document)["responses"],
            json!({
                "200": {
                    "description": "ok",
                    "headers": {"X-Rate": {"description": "Left.", "schema": {"type": "integer", "format": "int32"}}},
                    "content": {
                        "application/json": {"schema": {"type": "object"}, "example": {"a": 1}},
                        "application/xml": {"schema": {"type": "object"}},
                        "text/plain": {"schema": {"type": "object"}, "example": "a=1"},
                    },
                },
                "204": {"description": "none"},
            })
        );
        let binary = json!({"type": "string", "format": "binary"});
        assert_eq!(
            document["paths"]["/file"]["get"]["responses"]["200"]["content"],
            json!({"application/octet-stream": {"schema": binary}})
        );
        assert_eq!(
            document["paths"]["/pdf"]["get"]["responses"]["200"]["content"],
            json!({"application/pdf": {"schema": binary}})
        );
        assert_eq!(warnings, Vec::<String>::new());
    }

    #[test]
    fn a_response_ref_under_other_produces_is_a_copy_in_those() {
        let (document, _) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "produces": ["text/plain"],
                "responses": {"200": {"$ref": "#/responses/Text"}},
            }}},
            "responses": {"Text": {"description": "text", "schema": {"type": "string"}}},
        }));
        assert_eq!(
            get_a(&document)["responses"]["200"],
            json!({"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}})
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "securityDefinitions": {
                "basic": {"type": "basic", "description": "Login."},
                "key": {"type": "apiKey", "name": "key", "in": "query"},
                "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"read": "Read."}},
                "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
                "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token", "scopes": {}},
                "accessCode": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth",
                               "tokenUrl": "https://a/token", "scopes": {"write": "Write."}},
            },
        }));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            document["components"]["securitySchemes"],
            json!({
                "basic": {"type": "http", "description": "Login.", "scheme": "basic"},
                "key": {"type": "apiKey", "name": "key", "in": "query"},
                "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "Read."}}}},
                "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a/token", "scopes": {}}}},
                "application": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}}},
                "accessCode": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"write": "Write."},
                }}},
            })
        );
    }

    #[test]
    fn schemas_nullable_discriminator_and_files_everywhere() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "definitions": {
                "Pet": {
                    "type": "object",
                    "discriminator": "kind",
                    "properties": {
                        "kind": {"type": "string"},
                        "name": {"type": "string", "x-nullable": true},
                        "owner": {"$ref": "#/definitions/Owner", "x-nullable": true, "description": "Who."},
                        "tags": {"type": "array", "items": {"type": "string", "x-nullable": true}},
                        "extra": {"additionalProperties": {"type": "integer", "x-nullable": false}},
                        "photo": {"type": "file"},
                    },
                },
                "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}, {"properties": {"age": {"type": "integer", "x-nullable": true}}}]},
                "Owner": {"type": "object", "x-nullable": "yes"},
                "Union": {"type": "object", "x-unions": [{"discriminator": "kind"}]},
            },
        }));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Pet"],
            json!({
                "type": "object",
                "discriminator": {"propertyName": "kind"},
                "properties": {
                    "kind": {"type": "string"},
                    "name": {"type": "string", "nullable": true},
                    "owner": {"description": "Who.", "allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true},
                    "tags": {"type": "array", "items": {"type": "string", "nullable": true}},
                    "extra": {"additionalProperties": {"type": "integer"}},
                    "photo": {"type": "string", "format": "binary"},
                },
            })
        );
        assert_eq!(
            schemas["Cat"]["allOf"][1]["properties"]["age"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            warnings,
            ["#/definitions/Owner/x-nullable: `x-nullable` is \"yes\", not a boolean; ignored"]
        );
        assert_eq!(
            schemas["Union"]["x-unions"],
            json!([{"discriminator": "kind"}]),
            "an extension's value is not a schema"
        );
        // The repair stage finds nothing left to do: no second warning for the
        // discriminator, nothing read into the extension.
        let mut repaired = document.clone();
        assert_eq!(crate::repair::repair(&mut repaired), Vec::new());
        assert_eq!(repaired, document);
    }

    #[test]
    fn what_cannot_be_placed_is_a_located_warning() {
        let (document, warnings) = upgraded(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "h.example",
            "schemes": ["https"],
            "paths": {"/a": {"get": {
                "schemes": ["http"],
                "parameters": [
                    {"name": "one", "in": "body", "schema": {"type": "string"}},
                    {"name": "two", "in": "body", "schema": {"type": "integer"}},
                    {"name": "field", "in": "formData", "type": "string"},
                ],
                "responses": {"200": {"description": "ok", "examples": {"application/json": {"a": 1}}}},
            }}},
            "openapi": "3.0.0",
        }));
        assert_eq!(
            warnings,
            [
                "#/openapi: `openapi` is not a Swagger 2.0 field; left out",
                "#/paths/~1a/get/parameters/1: a second body parameter (2.0 allows one); left out",
                "#/paths/~1a/get/parameters/2: a form field beside a body parameter (2.0 allows one or the other); left out",
                "#/paths/~1a/get/responses/200/examples/application~1json: an example for `application/json`, which the response is not sent as; left out",
                "#/paths/~1a/get/schemes: operation-level `schemes` [\"http\"] are not used: the client calls every operation at its one base URL",
            ]
        );
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(
            get_a(&document)["requestBody"],
            json!({"content": {"application/json": {"schema": {"type": "string"}}}})
        );
    }
}
