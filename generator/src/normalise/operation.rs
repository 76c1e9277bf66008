//! Operation rules: paths and methods become client methods with typed parameters,
//! bodies and responses.

use openapiv3::{
    OpenAPI, Operation as SpecOperation, ParameterSchemaOrContent, ReferenceOr, StatusCode,
};

use super::names::{snake, upper_camel, Scope};
use super::schema::{SchemaRef, Shape};
use super::Normaliser;
use crate::diagnostics::Diagnostic;
use crate::ir::{
    Operation, Parameter, ParameterLocation, PathSegment, RequestBody, Response, StatusMatch,
    TypeRef,
};
use crate::resolve::escape_token;

/// Method names the generated `Client` already has.
const RESERVED_METHOD_NAMES: &[&str] = &[
    "builder", "base_url", "new", "clone", "fmt", "endpoint", "request", "execute",
];

/// Names the `operations` module already uses, which request builders must not take.
const RESERVED_BUILDER_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "PathSegment",
    "Future",
    "IntoFuture",
    "Pin",
    "Box",
    "Result",
    "Option",
    "String",
    "Vec",
    "Send",
    "Self",
];

impl<'a> Normaliser<'a> {
    /// Every operation, in spec order: paths as listed, methods in openapiv3's fixed order.
    pub(super) fn operations(
        &mut self,
        document: &'a OpenAPI,
    ) -> Result<Vec<Operation>, Diagnostic> {
        let mut operations = Vec::new();
        let mut method_scope = Scope::with_reserved(RESERVED_METHOD_NAMES);
        let mut builder_scope = Scope::with_reserved(RESERVED_BUILDER_NAMES);
        for (path, item) in &document.paths.paths {
            let path_pointer = format!("#/paths/{}", escape_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    return Err(Diagnostic::new(
                        path_pointer,
                        format!("path item `$ref: {reference}` is not supported"),
                    ));
                }
            };
            for (method, operation) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                operations.push(self.operation(
                    path,
                    method,
                    operation,
                    &item.parameters,
                    &pointer,
                    (&mut method_scope, &mut builder_scope),
                )?);
            }
        }
        Ok(operations)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        operation: &'a SpecOperation,
        path_level_parameters: &'a [ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
        (method_scope, builder_scope): (&mut Scope, &mut Scope),
    ) -> Result<Operation, Diagnostic> {
        // Without an operationId the name comes from the method and path, e.g.
        // `get /pets/{id}` -> `get_pets_id`.
        let operation_id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"));
        let method_name = method_scope.claim(snake(&operation_id));
        let type_name = builder_scope.claim(upper_camel(&method_name));

        let path_segments = split_path(path, pointer)?;
        let mut parameters =
            self.parameters(operation, path_level_parameters, pointer, &type_name)?;
        // Path parameters first, in path order, so method arguments read like the URL.
        let path_order = |parameter: &Parameter| {
            path_segments
                .iter()
                .position(|segment| matches!(segment, PathSegment::Parameter(name) if *name == parameter.name))
        };
        for segment in &path_segments {
            if let PathSegment::Parameter(name) = segment {
                if !parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Path && p.name == *name)
                {
                    return Err(Diagnostic::new(
                        pointer,
                        format!(
                            "path parameter `{name}` of `{path}` is not declared in `parameters`"
                        ),
                    ));
                }
            }
        }
        parameters.sort_by_key(|parameter| match parameter.location {
            ParameterLocation::Path => (0, path_order(parameter)),
            _ => (1, None),
        });

        let body = self.request_body(operation, pointer, &type_name)?;
        let responses = self.responses(operation, pointer, &type_name)?;
        Ok(Operation {
            operation_id,
            method_name,
            type_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            parameters,
            body,
            responses,
            origin: pointer.to_string(),
        })
    }

    /// Path-level parameters, overridden by operation-level ones with the same name and
    /// location (as OpenAPI says), in that order.
    fn parameters(
        &mut self,
        operation: &'a SpecOperation,
        path_level: &'a [ReferenceOr<openapiv3::Parameter>],
        pointer: &str,
        type_name: &str,
    ) -> Result<Vec<Parameter>, Diagnostic> {
        let mut resolved: Vec<(&'a openapiv3::Parameter, String)> = Vec::new();
        let sources = path_level
            .iter()
            .enumerate()
            .map(|(index, item)| {
                (
                    item,
                    format!("{}/parameters/{index}", parent_pointer(pointer)),
                )
            })
            .chain(
                operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (item, format!("{pointer}/parameters/{index}"))),
            );
        for (item, item_pointer) in sources {
            let parameter = self.resolver.parameter(item, &item_pointer)?;
            let data = parameter.parameter_data_ref();
            let same = |existing: &(&openapiv3::Parameter, String)| {
                existing.0.parameter_data_ref().name == data.name
                    && same_location(existing.0, parameter)
            };
            if let Some(existing) = resolved.iter_mut().find(|existing| same(existing)) {
                *existing = (parameter, item_pointer);
            } else {
                resolved.push((parameter, item_pointer));
            }
        }

        let mut scope = Scope::with_reserved(&["client", "body"]);
        let mut parameters = Vec::new();
        for (parameter, item_pointer) in resolved {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                openapiv3::Parameter::Path { .. } => ParameterLocation::Path,
                openapiv3::Parameter::Query { .. } => ParameterLocation::Query,
                openapiv3::Parameter::Header { .. } => ParameterLocation::Header,
                openapiv3::Parameter::Cookie { .. } => {
                    self.warn(
                        &item_pointer,
                        "cookie parameters are not supported yet; left out",
                    );
                    continue;
                }
            };
            let shape = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.type_of(
                    SchemaRef::from(schema),
                    &format!("{item_pointer}/schema"),
                    &format!("{type_name}{}", upper_camel(&data.name)),
                )?,
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(
                        &item_pointer,
                        "a parameter with `content` is sent as a string",
                    );
                    Shape {
                        ty: TypeRef::String,
                        nullable: false,
                        default: None,
                        docs: None,
                        constraints: Default::default(),
                    }
                }
            };
            if location == ParameterLocation::Query
                && !matches!(
                    shape.ty,
                    TypeRef::String
                        | TypeRef::Integer(_)
                        | TypeRef::Number(_)
                        | TypeRef::Boolean
                        | TypeRef::DateTime
                        | TypeRef::Date
                        | TypeRef::Uuid
                        | TypeRef::Named(_)
                )
            {
                self.warn(&item_pointer, "query parameters of this shape are serialised with `form` style, `explode: true` only");
            }
            parameters.push(Parameter {
                name: data.name.clone(),
                rust_name: scope.claim(snake(&data.name)),
                location,
                required: data.required || location == ParameterLocation::Path,
                ty: shape.ty,
                docs: data.description.clone().or(shape.docs),
                default: shape.default,
                constraints: shape.constraints,
            });
        }
        Ok(parameters)
    }

    fn request_body(
        &mut self,
        operation: &'a SpecOperation,
        pointer: &str,
        type_name: &str,
    ) -> Result<Option<RequestBody>, Diagnostic> {
        let Some(item) = &operation.request_body else {
            return Ok(None);
        };
        let body_pointer = format!("{pointer}/requestBody");
        let body = self.resolver.request_body(item, &body_pointer)?;
        let Some((media_type, content)) = body
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type))
        else {
            self.warn(&body_pointer, "only JSON request bodies are supported yet; the operation is generated without its body");
            return Ok(None);
        };
        let schema_pointer = format!("{body_pointer}/content/{}/schema", escape_token(media_type));
        let ty = match &content.schema {
            Some(schema) => {
                self.type_of(
                    SchemaRef::from(schema),
                    &schema_pointer,
                    &format!("{type_name}Body"),
                )?
                .ty
            }
            None => TypeRef::Json,
        };
        Ok(Some(RequestBody {
            ty,
            required: body.required,
            media_type: media_type.clone(),
            docs: body.description.clone(),
        }))
    }

    fn responses(
        &mut self,
        operation: &'a SpecOperation,
        pointer: &str,
        type_name: &str,
    ) -> Result<Vec<Response>, Diagnostic> {
        let mut entries: Vec<(StatusMatch, String, &'a ReferenceOr<openapiv3::Response>)> =
            Vec::new();
        for (status, item) in &operation.responses.responses {
            let (status, key) = match status {
                StatusCode::Code(code) => (StatusMatch::Code(*code), code.to_string()),
                StatusCode::Range(digit) => (StatusMatch::Range(*digit), format!("{digit}XX")),
            };
            entries.push((status, key, item));
        }
        if let Some(item) = &operation.responses.default {
            entries.push((StatusMatch::Default, "default".to_string(), item));
        }
        entries.sort_by_key(|(status, _, _)| *status);

        let mut variant_scope = Scope::with_reserved(&[]);
        let mut responses = Vec::new();
        for (status, key, item) in entries {
            let response_pointer = format!("{pointer}/responses/{key}");
            let response = self.resolver.response(item, &response_pointer)?;
            let body = match response
                .content
                .iter()
                .find(|(media_type, _)| is_json(media_type))
            {
                Some((media_type, content)) => {
                    let schema_pointer = format!(
                        "{response_pointer}/content/{}/schema",
                        escape_token(media_type)
                    );
                    match &content.schema {
                        Some(schema) => Some(
                            self.type_of(
                                SchemaRef::from(schema),
                                &schema_pointer,
                                &format!("{type_name}Response{key}"),
                            )?
                            .ty,
                        ),
                        None => Some(TypeRef::Json),
                    }
                }
                None if response.content.is_empty() => None,
                None => {
                    self.warn(&response_pointer, "only JSON response bodies are typed yet; the body stays in the raw response");
                    None
                }
            };
            responses.push(Response {
                status,
                description: response.description.clone(),
                body,
                variant_name: variant_scope.claim(status_variant_name(status)),
            });
        }
        Ok(responses)
    }
}

/// `Code(404)` -> `NotFound` (the IANA reason phrase); ranges and `default` get
/// descriptive names.
fn status_variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|status| status.canonical_reason())
            .map_or_else(|| format!("Status{code}"), upper_camel),
        StatusMatch::Range(4) => "ClientError".to_string(),
        StatusMatch::Range(5) => "ServerError".to_string(),
        StatusMatch::Range(digit) => format!("Status{digit}xx"),
        StatusMatch::Default => "Default".to_string(),
    }
}

/// `application/json` and any `+json` suffix type (`application/problem+json`).
fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn same_location(a: &openapiv3::Parameter, b: &openapiv3::Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// `#/paths/~1a/get` -> `#/paths/~1a`.
fn parent_pointer(pointer: &str) -> &str {
    pointer
        .rsplit_once('/')
        .map_or(pointer, |(parent, _)| parent)
}

/// `/a/{b}/c` -> `[Literal(a), Parameter(b), Literal(c)]`.
///
/// # Errors
/// A segment that mixes text and a parameter (`{id}.json`) is not supported yet; it is
/// refused rather than sent with the braces in it.
fn split_path(path: &str, pointer: &str) -> Result<Vec<PathSegment>, Diagnostic> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| match segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(name) if !name.contains(['{', '}']) => Ok(PathSegment::Parameter(name.to_string())),
            _ if segment.contains(['{', '}']) => Err(Diagnostic::new(
                pointer,
                format!("path segment `{segment}` mixes text and parameters, which is not supported yet"),
            )),
            _ => Ok(PathSegment::Literal(segment.to_string())),
        })
        .collect()
}
