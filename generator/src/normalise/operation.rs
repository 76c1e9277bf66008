//! Operation rules: paths and methods become client methods with typed parameters,
//! bodies and responses.

use openapiv3::{
    OpenAPI, Operation as SpecOperation, ParameterSchemaOrContent, ReferenceOr, StatusCode,
};

use super::names::{reserved, snake, upper_camel, Scope};
use super::schema::{SchemaRef, Shape};
use super::Normaliser;
use crate::diagnostics::Diagnostic;
use crate::ir::media_type_essence as essence;
use crate::ir::{
    BodyAlternative, BodyEncoding, BodyEnum, BodyVariant, Operation, OperationHeaders, Parameter,
    ParameterLocation, ParameterStyle, PathSegment, RequestBody, Response, ResponseBody,
    ResponseHeader, StatusMatch, Success, TemplatePart, TypeRef,
};
use crate::resolve::escape_token;

impl<'a> Normaliser<'a> {
    /// Every operation, in spec order: paths as listed, methods in openapiv3's fixed order.
    pub(super) fn operations(
        &mut self,
        document: &'a OpenAPI,
    ) -> Result<Vec<Operation>, Diagnostic> {
        let mut operations = Vec::new();
        let mut method_scope = Scope::with_reserved(reserved::CLIENT_METHODS);
        let mut builder_scope =
            Scope::with_reserved(&[reserved::OPERATIONS_MODULE, reserved::TYPE_NAMES].concat());
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
        for (feature, tags) in super::areas::assign(&mut operations) {
            let tags: Vec<String> = tags.iter().map(|tag| format!("`{tag}`")).collect();
            self.warn(
                "#/paths",
                &format!(
                    "the tags {} are one Cargo feature, `{feature}`",
                    tags.join(", ")
                ),
            );
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
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| format!("{method} {path}"));
        let wanted = snake(&operation_id);
        let method_name = method_scope.claim(wanted.clone());
        if method_name != wanted {
            // Two operations (or an operation and a method of `Client`) would share a
            // name: the later one is renamed, and the rename is said, not hidden.
            self.warn(
                pointer,
                &format!("`{operation_id}` would be the method `{wanted}`, which is taken; it is `{method_name}`"),
            );
        }
        let type_name = builder_scope.claim(upper_camel(&method_name));

        let path_segments = split_path(path, pointer)?;
        let mut parameters =
            self.parameters(operation, path_level_parameters, pointer, &type_name)?;
        // Path parameters first, in path order, so method arguments read like the URL.
        let path_order = |parameter: &Parameter| {
            path_segments
                .iter()
                .flat_map(PathSegment::parameters)
                .position(|name| name == parameter.name)
        };
        let template: Vec<&str> = path_segments
            .iter()
            .flat_map(PathSegment::parameters)
            .collect();
        let undeclared: Vec<&str> = template
            .iter()
            .copied()
            .filter(|name| {
                !parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Path && p.name == *name)
            })
            .collect();
        let strays: Vec<usize> = parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.location == ParameterLocation::Path && !template.contains(&p.name.as_str())
            })
            .map(|(index, _)| index)
            .collect();
        // One declared path parameter the template does not have, and one template
        // variable nobody declared: the same parameter under two spellings (`cert_id` for
        // `{certificate_id}`). The declaration is kept (type, docs, argument name) and
        // sent in the template's place.
        if let ([stray], [variable]) = (strays.as_slice(), undeclared.as_slice()) {
            let stray_name = parameters[*stray].name.clone();
            self.warn(
                pointer,
                &format!("path parameter `{stray_name}` is not in `{path}`, whose `{{{variable}}}` is not declared; `{stray_name}` is taken to be `{variable}`"),
            );
            parameters[*stray].name = (*variable).to_string();
        } else {
            // A declared path parameter the template does not have cannot be sent.
            for index in strays.iter().rev() {
                let stray = parameters.remove(*index);
                self.warn(
                    pointer,
                    &format!(
                        "path parameter `{}` is not in `{path}`; it is left out",
                        stray.name
                    ),
                );
            }
        }
        // A template variable with no declared parameter: the author evidently meant a
        // required string path parameter, so it is one, and the warning says so.
        let mut taken: Vec<String> = parameters.iter().map(|p| p.rust_name.clone()).collect();
        for segment in &path_segments {
            for name in segment.parameters() {
                let declared = parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Path && p.name == *name);
                if declared {
                    continue;
                }
                self.warn(
                    pointer,
                    &format!("path parameter `{name}` of `{path}` is not declared in `parameters`; taken as a required string"),
                );
                let taken_names: Vec<&str> = taken.iter().map(String::as_str).collect();
                let rust_name = Scope::with_reserved(&taken_names).claim(snake(name));
                taken.push(rust_name.clone());
                parameters.push(Parameter {
                    name: name.to_string(),
                    rust_name,
                    location: ParameterLocation::Path,
                    required: true,
                    style: ParameterStyle::Simple { explode: false },
                    ty: TypeRef::String,
                    docs: None,
                    default: None,
                    constraints: crate::ir::Constraints::default(),
                    secret: false,
                });
            }
        }
        parameters.sort_by_key(|parameter| match parameter.location {
            ParameterLocation::Path => (0, path_order(parameter)),
            _ => (1, None),
        });

        let body = self.request_body(operation, pointer, &type_name, builder_scope)?;
        let responses = self.responses(operation, pointer, &type_name)?;
        let mut success = success(&responses, &type_name, builder_scope);
        let mut streams = responses
            .iter()
            .filter_map(|response| Some((response.status, response.event_stream.as_ref()?)));
        let event_stream = streams.next().map(|(_, data)| data.clone());
        // `send_stream` has one event type; a second stream of another schema is read
        // as the first's, which the caller must hear of.
        for (status, data) in streams {
            if Some(data) != event_stream.as_ref() {
                let key = match status {
                    StatusMatch::Code(code) => code.to_string(),
                    StatusMatch::Range(digit) => format!("{digit}XX"),
                    StatusMatch::Default => "default".to_string(),
                };
                self.warn(
                    &format!("{pointer}/responses/{key}/content/text~1event-stream"),
                    "this event stream's data has another schema than the first success's; `send_stream` decodes every stream's events as the first's",
                );
            }
        }
        let headers = operation_headers(&responses, &type_name, builder_scope);
        if success == Success::Unit && headers.is_some() {
            success = Success::Headers;
        }
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
            tag: operation.tags.first().cloned(),
            area: None,
            parameters,
            body,
            responses,
            success,
            headers,
            event_stream,
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
            if let Some(reference) = self.resolver.dangling_parameter(item) {
                self.warn(
                    &item_pointer,
                    &format!("`$ref: {reference}` points at nothing; the parameter is left out"),
                );
                continue;
            }
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

        let mut scope = Scope::with_reserved(reserved::REQUEST_METHODS);
        let mut parameters = Vec::new();
        for (parameter, item_pointer) in resolved {
            let data = parameter.parameter_data_ref();
            let (location, mut style) = parameter_location_and_style(parameter);
            if location == ParameterLocation::Header {
                // OpenAPI: a header parameter named Accept, Content-Type or Authorization
                // "SHALL be ignored" (the media types and security say those); and a name
                // that is not an HTTP token could never be sent.
                let ignored = ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str());
                let sendable = http::header::HeaderName::from_bytes(data.name.as_bytes()).is_ok();
                if ignored || !sendable {
                    let why = if ignored {
                        format!(
                            "the header parameter `{}` is ignored, as OpenAPI says",
                            data.name
                        )
                    } else {
                        format!(
                            "`{}` is not a valid HTTP header name; the parameter is left out",
                            data.name
                        )
                    };
                    self.warn(&item_pointer, &why);
                    continue;
                }
            }
            let shape = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.type_of(
                    SchemaRef::from(schema),
                    &format!("{item_pointer}/schema"),
                    &format!("{type_name}{}", upper_camel(&data.name)),
                )?,
                // `content` instead of `schema`: the value is a document of that media
                // type; JSON is by far the common case, so it is sent as JSON text.
                ParameterSchemaOrContent::Content(content) => {
                    let schema = content
                        .iter()
                        .find(|(media_type, _)| is_json(media_type))
                        .and_then(|(_, media)| media.schema.as_ref());
                    match schema {
                        Some(schema) => {
                            style = ParameterStyle::Json;
                            self.type_of(
                                SchemaRef::from(schema),
                                &format!("{item_pointer}/content"),
                                &format!("{type_name}{}", upper_camel(&data.name)),
                            )?
                        }
                        None => {
                            self.warn(
                                &item_pointer,
                                "a parameter with non-JSON `content` is sent as a string",
                            );
                            Shape::of(TypeRef::String)
                        }
                    }
                }
            };
            let wanted = snake(&data.name);
            let rust_name = scope.claim(wanted.clone());
            if rust_name != wanted && !data.required && location != ParameterLocation::Path {
                // Its setter's name is taken (by a request builder method such as `send`,
                // or by another parameter): say so, as for operation methods.
                self.warn(
                    &item_pointer,
                    &format!("the parameter `{}` would have the setter `{wanted}`, which is taken; it is `{rust_name}`", data.name),
                );
            }
            parameters.push(Parameter {
                name: data.name.clone(),
                rust_name,
                location,
                required: data.required || location == ParameterLocation::Path,
                style,
                ty: shape.ty,
                docs: data.description.clone().or(shape.docs),
                default: shape.default,
                secret: shape.constraints.format.as_deref() == Some("password"),
                constraints: shape.constraints,
            });
        }
        Ok(parameters)
    }

    /// The request body, in the first media type the client can send, preferring JSON.
    /// Multipart and binary bodies read `format: binary` strings as bytes.
    fn request_body(
        &mut self,
        operation: &'a SpecOperation,
        pointer: &str,
        type_name: &str,
        builder_scope: &mut Scope,
    ) -> Result<Option<RequestBody>, Diagnostic> {
        let Some(item) = &operation.request_body else {
            return Ok(None);
        };
        let body_pointer = format!("{pointer}/requestBody");
        if let Some(reference) = self.resolver.dangling_request_body(item) {
            // What the body is, nobody can say; that there is one, the spec does. JSON of
            // any shape keeps the operation callable.
            self.warn(
                &body_pointer,
                &format!("`$ref: {reference}` points at nothing; the body is any JSON (`serde_json::Value`)"),
            );
            return Ok(Some(RequestBody {
                ty: TypeRef::Json,
                required: false,
                media_type: "application/json".to_string(),
                encoding: BodyEncoding::Json,
                docs: None,
                alternatives: Vec::new(),
                choice: None,
                part_types: Vec::new(),
                body_enum: None,
            }));
        }
        let body = self.resolver.request_body(item, &body_pointer)?;
        let Some((media_type, content, encoding)) = preferred_content(&body.content) else {
            return Ok(None);
        };
        let schema_pointer = format!("{body_pointer}/content/{}/schema", escape_token(media_type));
        let ty = self.body_type(
            encoding,
            content.schema.as_ref(),
            &schema_pointer,
            &format!("{type_name}Body"),
        )?;
        // Every other media type offered is a choice the caller has, or said to be left
        // out: none is dropped silently. Which media types the client can write at all:
        let mut others = Vec::new();
        for (other_type, other) in &body.content {
            if other_type == media_type {
                continue;
            }
            let other_encoding = body_encoding(other_type);
            let other_pointer = format!("{body_pointer}/content/{}", escape_token(other_type));
            // Bytes are bytes whatever the media type; but an object schema under, say,
            // `application/xml` asks for a serializer the client does not have.
            let writable = other_encoding != BodyEncoding::Binary
                || other.schema.as_ref().is_none_or(is_inline_string);
            if writable {
                others.push((other_type, other, other_encoding, other_pointer));
            } else {
                self.warn(
                    &other_pointer,
                    &format!("the client cannot write this media type; the body is sent as `{media_type}` and the other media types offered only"),
                );
            }
        }
        let structured = |encoding: BodyEncoding| {
            matches!(
                encoding,
                BodyEncoding::Json | BodyEncoding::FormUrlEncoded | BodyEncoding::Multipart
            )
        };
        // Why two designs: when every media type carries the same schema, the caller
        // builds that one type and only picks an encoding (`body_media_type`); when the
        // schemas differ, the value itself must say which it is, so the body is an enum.
        let one_schema = structured(encoding)
            && others.iter().all(|(_, other, other_encoding, _)| {
                other.schema == content.schema
                    && structured(*other_encoding)
                    && (*other_encoding != BodyEncoding::Multipart || self.is_struct(&ty))
            });
        let mut request_body = RequestBody {
            ty,
            required: body.required,
            media_type: media_type.clone(),
            encoding,
            docs: body.description.clone(),
            alternatives: Vec::new(),
            choice: None,
            part_types: part_types(content),
            body_enum: None,
        };
        if others.is_empty() {
            return Ok(Some(request_body));
        }
        let mut variant_names = Scope::with_reserved(&[]);
        let mut variant_name = |encoding: BodyEncoding, media_type: &str| {
            let plain = encoding_variant(encoding);
            if variant_names.contains(plain) {
                // A second JSON (or text, ...) media type is named after its subtype.
                let subtype = essence(media_type);
                let subtype = subtype.split('/').nth(1).unwrap_or(&subtype).to_string();
                variant_names.claim(upper_camel(&subtype))
            } else {
                variant_names.claim(plain.to_string())
            }
        };
        let primary_variant = variant_name(encoding, media_type);
        if one_schema {
            request_body.alternatives = others
                .iter()
                .map(|(other_type, _, other_encoding, _)| BodyAlternative {
                    media_type: (*other_type).clone(),
                    encoding: *other_encoding,
                    variant: variant_name(*other_encoding, other_type),
                })
                .collect();
            request_body.choice = Some((
                builder_scope.claim(format!("{type_name}MediaType")),
                primary_variant,
            ));
            return Ok(Some(request_body));
        }
        let mut variants = vec![BodyVariant {
            variant: primary_variant,
            media_type: media_type.clone(),
            encoding,
            ty: request_body.ty.clone(),
            part_types: request_body.part_types.clone(),
        }];
        for (other_type, other, other_encoding, other_pointer) in others {
            let variant = variant_name(other_encoding, other_type);
            // The same schema as the default's is the same type, not a copy.
            let same = other.schema == content.schema
                && !matches!(other_encoding, BodyEncoding::Binary | BodyEncoding::Text);
            let ty = if same {
                request_body.ty.clone()
            } else {
                self.body_type(
                    other_encoding,
                    other.schema.as_ref(),
                    &format!("{other_pointer}/schema"),
                    &format!("{type_name}{variant}Body"),
                )?
            };
            variants.push(BodyVariant {
                variant,
                media_type: other_type.clone(),
                encoding: other_encoding,
                ty,
                part_types: part_types(other),
            });
        }
        request_body.body_enum = Some(BodyEnum {
            name: builder_scope.claim(format!("{type_name}RequestBody")),
            variants,
        });
        Ok(Some(request_body))
    }

    /// The type a request body of `encoding` holds: bytes, text, or its schema's type
    /// (binary strings as bytes in multipart). A multipart body that is not an object
    /// is said to be sent as one JSON part.
    fn body_type(
        &mut self,
        encoding: BodyEncoding,
        schema: Option<&'a ReferenceOr<openapiv3::Schema>>,
        schema_pointer: &str,
        name_hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let ty = match (encoding, schema) {
            (BodyEncoding::Binary, _) => TypeRef::Bytes,
            (BodyEncoding::Text, _) => TypeRef::String,
            (_, Some(schema)) => {
                self.binary_as_bytes = encoding == BodyEncoding::Multipart;
                let shape = self.type_of(SchemaRef::from(schema), schema_pointer, name_hint);
                self.binary_as_bytes = false;
                shape?.ty
            }
            (_, None) => TypeRef::Json,
        };
        if encoding == BodyEncoding::Multipart && !self.is_struct(&ty) {
            self.warn(
                schema_pointer,
                "a multipart body that is not an object is sent as one JSON part named `body`",
            );
        }
        Ok(ty)
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
            if let Some(reference) = self.resolver.dangling_response(item) {
                self.warn(
                    &response_pointer,
                    &format!(
                        "`$ref: {reference}` points at nothing; this status is left undocumented"
                    ),
                );
                continue;
            }
            let response = match (self.resolver.response(item, &response_pointer), item) {
                (Ok(response), _) => response,
                // A `$ref` to another kind of component (a request body where a response
                // belongs) is a spec mistake seen in the wild. The status is left
                // undocumented: its responses still arrive whole, as `UnexpectedStatus`.
                (Err(_), ReferenceOr::Reference { reference })
                    if reference.starts_with("#/components/")
                        && !reference.starts_with("#/components/responses/") =>
                {
                    self.warn(
                        &response_pointer,
                        &format!("`$ref: {reference}` is not a response; this status is left undocumented"),
                    );
                    continue;
                }
                (Err(diagnostic), _) => return Err(diagnostic),
            };
            // 204, 205 and 304 never carry a body (RFC 9110, 15.3.5, 15.3.6, 15.4.5): a
            // `content` declared for them is a spec mistake, and decoding an empty body
            // by it would fail every call that succeeded.
            let bodiless = matches!(status, StatusMatch::Code(204 | 205 | 304));
            if bodiless && !response.content.is_empty() {
                self.warn(
                    &format!("{response_pointer}/content"),
                    "this status never has a body; its `content` is ignored",
                );
            }
            let content = if bodiless {
                None
            } else {
                preferred_content(&response.content)
            };
            let body = match content {
                Some((media_type, content, encoding)) => {
                    let schema_pointer = format!(
                        "{response_pointer}/content/{}/schema",
                        escape_token(media_type)
                    );
                    let ty = match (encoding, &content.schema) {
                        (BodyEncoding::Binary, _) => TypeRef::Bytes,
                        (BodyEncoding::Text, _) => TypeRef::String,
                        (_, Some(schema)) => {
                            self.type_of(
                                SchemaRef::from(schema),
                                &schema_pointer,
                                &format!("{type_name}Response{key}"),
                            )?
                            .ty
                        }
                        (_, None) => TypeRef::Json,
                    };
                    Some(ResponseBody {
                        ty,
                        encoding,
                        media_type: media_type.clone(),
                    })
                }
                None => None,
            };
            let success = match status {
                StatusMatch::Code(code) => (200..300).contains(&code),
                StatusMatch::Range(digit) => digit == 2,
                StatusMatch::Default => false,
            };
            let headers = if success {
                self.response_headers(response, &response_pointer, type_name)?
            } else {
                Vec::new()
            };
            let event_stream = match response
                .content
                .iter()
                .find(|(media_type, _)| essence(media_type) == "text/event-stream")
            {
                Some((media_type, media)) if success => {
                    Some(self.event_data_type(media, &response_pointer, media_type, type_name)?)
                }
                _ => None,
            };
            responses.push(Response {
                status,
                description: response.description.clone(),
                body,
                variant_name: variant_scope.claim(status_variant_name(status)),
                headers,
                event_stream,
            });
        }
        // A spec that documents no response at all says nothing about the body; any 2xx
        // is then a success without one, rather than every call failing.
        if responses.is_empty() {
            responses.push(Response {
                status: StatusMatch::Range(2),
                description: "Success (the spec documents no responses).".to_string(),
                body: None,
                variant_name: variant_scope.claim("Success".to_string()),
                headers: Vec::new(),
                event_stream: None,
            });
        }
        // With no 2xx documented, `default` is the only description of a success too
        // (OpenAPI: "all other statuses"), so 2xx statuses get its body as the result.
        if !responses.iter().any(Response::is_success) {
            if let Some(default) = responses
                .iter()
                .find(|response| response.status == StatusMatch::Default)
                .cloned()
            {
                responses.push(Response {
                    status: StatusMatch::Range(2),
                    variant_name: variant_scope.claim("Success".to_string()),
                    ..default
                });
                responses.sort_by_key(|response| response.status);
            }
        }
        Ok(responses)
    }
}

impl<'a> Normaliser<'a> {
    /// The headers a success response declares, each typed by its schema. `Content-Type`
    /// is left out (OpenAPI: it is described by `content`); a header whose schema is not
    /// a scalar is read as text, with a warning.
    fn response_headers(
        &mut self,
        response: &'a openapiv3::Response,
        pointer: &str,
        type_name: &str,
    ) -> Result<Vec<ResponseHeader>, Diagnostic> {
        let mut scope = Scope::with_reserved(&[]);
        let mut headers = Vec::new();
        for (name, item) in &response.headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let header_pointer = format!("{pointer}/headers/{}", escape_token(name));
            if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                self.warn(&header_pointer, "not a valid header name; left out");
                continue;
            }
            let header = self.resolver.header(item, &header_pointer)?;
            let ty = match &header.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                    let shape = self.type_of(
                        SchemaRef::from(schema),
                        &format!("{header_pointer}/schema"),
                        &format!("{type_name}Header{}", upper_camel(name)),
                    )?;
                    shape.ty
                }
                openapiv3::ParameterSchemaOrContent::Content(_) => TypeRef::String,
            };
            let ty = if self.parses_from_header(&ty) {
                ty
            } else {
                self.warn(
                    &header_pointer,
                    "a header of this schema has no typed form yet; it is read as text",
                );
                TypeRef::String
            };
            headers.push(ResponseHeader {
                name: name.clone(),
                rust_name: scope.claim(snake(name)),
                ty,
                required: header.required,
                docs: header.description.clone(),
            });
        }
        Ok(headers)
    }

    /// The type of each event's `data` in a `text/event-stream` response: the schema
    /// given for the media type (the event's data, as specs write it), text when there
    /// is none or it is a string.
    fn event_data_type(
        &mut self,
        media: &'a openapiv3::MediaType,
        response_pointer: &str,
        media_type: &str,
        type_name: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let Some(schema) = &media.schema else {
            return Ok(TypeRef::String);
        };
        let pointer = format!(
            "{response_pointer}/content/{}/schema",
            escape_token(media_type)
        );
        let shape = self.type_of(
            SchemaRef::from(schema),
            &pointer,
            &format!("{type_name}Event"),
        )?;
        Ok(shape.ty)
    }

    /// Whether a header value can be read as `ty` (its Rust type has `FromStr`).
    fn parses_from_header(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Integer(_)
            | TypeRef::Number(_)
            | TypeRef::Boolean
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Uuid
            | TypeRef::Ipv4
            | TypeRef::Ipv6
            | TypeRef::Ip => true,
            TypeRef::Named(name) => self.is_string_enum(name),
            _ => false,
        }
    }
}

/// One struct of the headers every success response declares: a header is required when
/// every success response requires it.
fn operation_headers(
    responses: &[Response],
    type_name: &str,
    builder_scope: &mut Scope,
) -> Option<OperationHeaders> {
    let successes: Vec<&Response> = responses.iter().filter(|r| r.is_success()).collect();
    let mut headers: Vec<ResponseHeader> = Vec::new();
    for response in &successes {
        for header in &response.headers {
            let every = successes.iter().all(|other| {
                other
                    .headers
                    .iter()
                    .any(|h| h.name.eq_ignore_ascii_case(&header.name) && h.required)
            });
            match headers
                .iter_mut()
                .find(|h| h.name.eq_ignore_ascii_case(&header.name))
            {
                Some(known) => known.required &= every,
                None => headers.push(ResponseHeader {
                    required: header.required && every,
                    ..header.clone()
                }),
            }
        }
    }
    if headers.is_empty() {
        return None;
    }
    Some(OperationHeaders {
        type_name: builder_scope.claim(format!("{type_name}Headers")),
        headers,
    })
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

/// What a successful call returns: nothing, the one body every success response has,
/// or (when they differ) an enum of outcomes named `<Operation>Response`.
fn success(responses: &[Response], type_name: &str, builder_scope: &mut Scope) -> Success {
    let bodies: Vec<Option<&ResponseBody>> = responses
        .iter()
        .filter(|response| response.is_success())
        .map(|response| response.body.as_ref())
        .collect();
    match bodies.first() {
        None => Success::Unit,
        Some(_) if bodies.iter().all(Option::is_none) => Success::Unit,
        Some(Some(first)) if bodies.iter().all(|body| *body == Some(*first)) => {
            Success::Body((*first).clone())
        }
        Some(_) => Success::Outcomes {
            type_name: builder_scope.claim(format!("{type_name}Response")),
        },
    }
}

/// How a body of `media_type` is encoded.
fn body_encoding(media_type: &str) -> BodyEncoding {
    let essence = essence(media_type);
    if is_json(&essence) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::FormUrlEncoded
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// A multipart part's `Content-Type`, by property, where the spec's `encoding` names one
/// (the first, when it lists several).
fn part_types(content: &openapiv3::MediaType) -> Vec<(String, String)> {
    content
        .encoding
        .iter()
        .filter_map(|(property, encoding)| {
            let content_type = encoding.content_type.as_deref()?.split(',').next()?.trim();
            (!content_type.is_empty()).then(|| (property.clone(), content_type.to_string()))
        })
        .collect()
}

/// An inline `type: string` schema (binary or not): what a raw-bytes body can carry.
fn is_inline_string(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    matches!(
        schema,
        ReferenceOr::Item(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(_)),
            ..
        })
    )
}

/// The media type enum's variant name for an encoding (numbered when two share it).
fn encoding_variant(encoding: BodyEncoding) -> &'static str {
    match encoding {
        BodyEncoding::Json => "Json",
        BodyEncoding::FormUrlEncoded => "Form",
        BodyEncoding::Multipart => "Multipart",
        BodyEncoding::Text => "Text",
        BodyEncoding::Binary => "Binary",
    }
}

/// The media type to use among `content`, in order of preference: JSON (`+json`
/// included), form, multipart, text, then anything else as bytes.
fn preferred_content(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType, BodyEncoding)> {
    let encoding_of = body_encoding;
    let rank = |encoding: BodyEncoding| match encoding {
        BodyEncoding::Json => 0,
        BodyEncoding::FormUrlEncoded => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text => 3,
        BodyEncoding::Binary => 4,
    };
    content
        .iter()
        .map(|(media_type, media)| (media_type, media, encoding_of(media_type)))
        .min_by_key(|(_, _, encoding)| rank(*encoding))
}

/// Location and style of a parameter, with OpenAPI's defaults: `form` + explode for
/// query and cookie, `simple` for path and header. A style a location does not allow
/// (`form` in a path, say) never gets here: typing the document refuses it, at its place
/// (see `load/innermost.rs`).
fn parameter_location_and_style(
    parameter: &openapiv3::Parameter,
) -> (ParameterLocation, ParameterStyle) {
    let explode = parameter.parameter_data_ref().explode;
    match parameter {
        openapiv3::Parameter::Query { style, .. } => {
            let style = match style {
                openapiv3::QueryStyle::Form => ParameterStyle::Form {
                    explode: explode.unwrap_or(true),
                },
                openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
            };
            (ParameterLocation::Query, style)
        }
        openapiv3::Parameter::Cookie { .. } => (
            ParameterLocation::Cookie,
            ParameterStyle::Form {
                explode: explode.unwrap_or(true),
            },
        ),
        openapiv3::Parameter::Path { style, .. } => {
            let explode = explode.unwrap_or(false);
            let style = match style {
                openapiv3::PathStyle::Simple => ParameterStyle::Simple { explode },
                openapiv3::PathStyle::Label => ParameterStyle::Label { explode },
                openapiv3::PathStyle::Matrix => ParameterStyle::Matrix { explode },
            };
            (ParameterLocation::Path, style)
        }
        openapiv3::Parameter::Header { .. } => (
            ParameterLocation::Header,
            ParameterStyle::Simple {
                explode: explode.unwrap_or(false),
            },
        ),
    }
}

/// `application/json` and any `+json` suffix type (`application/problem+json`).
fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
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

/// `/a/{b}/c.{d}` -> `[Literal(a), Parameter(b), Template([Literal(c.), Parameter(d)])]`.
///
/// # Errors
/// Unbalanced braces, or an empty parameter name, in a segment.
fn split_path(path: &str, pointer: &str) -> Result<Vec<PathSegment>, Diagnostic> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let parts = split_segment(segment).ok_or_else(|| {
                Diagnostic::new(
                    pointer,
                    format!("path segment `{segment}` has unbalanced `{{` `}}`"),
                )
            })?;
            Ok(match parts.as_slice() {
                [TemplatePart::Literal(text)] => PathSegment::Literal(text.clone()),
                [TemplatePart::Parameter(name)] => PathSegment::Parameter(name.clone()),
                _ => PathSegment::Template(parts),
            })
        })
        .collect()
}

/// `thumbnail.{extension}` -> `[Literal(thumbnail.), Parameter(extension)]`; `None` for
/// unbalanced braces or `{}`.
fn split_segment(segment: &str) -> Option<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                parts.push(TemplatePart::Literal(rest.to_string()));
                break;
            }
            Some(start) if rest[start..].starts_with('{') => {
                if start > 0 {
                    parts.push(TemplatePart::Literal(rest[..start].to_string()));
                }
                let end = rest[start..].find('}')? + start;
                let name = &rest[start + 1..end];
                if name.is_empty() || name.contains('{') {
                    return None;
                }
                parts.push(TemplatePart::Parameter(name.to_string()));
                rest = &rest[end + 1..];
            }
            Some(_) => return None,
        }
    }
    Some(parts)
}
