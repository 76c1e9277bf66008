//! The body of each request builder's `send`: URL, parameters, request body, then the
//! response decoded by status. Also the enum of outcomes for operations whose success
//! responses differ.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::docs::{doc_attrs, spec_text};
use super::errors::error_type_name;
use super::errors::status_label;
use super::rust_type::{ident, type_tokens};
use crate::ir::{
    Api, BodyEncoding, FieldForm, Operation, ParameterLocation, ParameterStyle, PathSegment,
    RequestBody, Response, ResponseBody, StatusMatch, Success, TemplatePart, TypeKind, TypeRef,
};

/// The body of an operation's `Operation::build`: method and path, then its parameters
/// and body, as one chain of `Call` methods.
pub fn build_body(api: &Api, operation: &Operation) -> TokenStream {
    let (path_values, template, values) = path_parts(operation);
    let http_method = ident(&operation.http_method);
    let mut chain = vec![quote!(method(reqwest::Method::#http_method, #template, &[#(#values),*]))];
    chain.extend(parameter_calls(operation));
    let mut before = path_values;
    if let Some(body) = &operation.body {
        if let Some(body_enum) = &body.body_enum {
            // The caller's value says which media type it is: one arm per variant.
            let enum_ident = ident(&body_enum.name);
            let mut arms: Vec<TokenStream> = body_enum
                .variants
                .iter()
                .map(|variant| {
                    let name = ident(&variant.variant);
                    let (statement, call) = body_call(
                        api,
                        &variant.ty,
                        &variant.part_types,
                        variant.encoding,
                        &variant.media_type,
                        BodyValue::Bound,
                    );
                    let pattern = if body.required {
                        quote!(#enum_ident::#name(body))
                    } else {
                        quote!(Some(#enum_ident::#name(body)))
                    };
                    quote!(#pattern => { #statement call.#call })
                })
                .collect();
            if !body.required {
                arms.push(quote!(None => Ok(call),));
            }
            return quote! {
                #(#before)*
                let call = call #(.#chain?)*;
                match &self.body {
                    #(#arms)*
                }
            };
        }
    }
    let field = |body: &RequestBody, encoding, media_type: &str| {
        body_call(
            api,
            &body.ty,
            &body.part_types,
            encoding,
            media_type,
            BodyValue::Field {
                required: body.required,
            },
        )
    };
    if let Some((body, (enum_name, primary_variant))) = operation
        .body
        .as_ref()
        .and_then(|body| Some((body, body.choice.as_ref()?)))
    {
        // The caller chose the media type: one arm per offered one.
        let enum_ident = ident(enum_name);
        let primary_variant = ident(primary_variant);
        let mut arms = vec![{
            let (statement, call) = field(body, body.encoding, &body.media_type);
            quote!(#enum_ident::#primary_variant => { #statement call.#call })
        }];
        for alternative in &body.alternatives {
            let variant = ident(&alternative.variant);
            let (statement, call) = field(body, alternative.encoding, &alternative.media_type);
            arms.push(quote!(#enum_ident::#variant => { #statement call.#call }));
        }
        return quote! {
            #(#before)*
            let call = call #(.#chain?)*;
            match self.body_media_type {
                #(#arms)*
            }
        };
    }
    if let Some(body) = &operation.body {
        let (statement, call) = field(body, body.encoding, &body.media_type);
        before.extend(statement);
        chain.push(call);
    }
    let last = chain.pop().unwrap_or_default();
    quote! {
        #(#before)*
        call #(.#chain?)* .#last
    }
}

/// The body of an operation's `Operation::decode`: the response by status. Specific
/// codes sort before ranges and `default` in the IR, so the first matching arm is the
/// most specific response, as OpenAPI says.
pub fn decode_body(operation: &Operation) -> TokenStream {
    let mut arms = response_arms(operation);
    let covers_2xx = operation
        .responses
        .iter()
        .any(|response| response.status == StatusMatch::Range(2));
    let default_position = operation
        .responses
        .iter()
        .position(|response| response.status == StatusMatch::Default);
    let otherwise = otherwise(operation);
    match default_position {
        // An undocumented 2xx goes before `default` (sorted last), which it takes
        // precedence over: a 2xx is never an error.
        Some(position) if !covers_2xx => arms.insert(
            position,
            quote!(_ if response.status().is_success() => #otherwise,),
        ),
        Some(_) => {}
        None if covers_2xx => arms.push(quote!(_ => Err(Error::UnexpectedStatus(response)),)),
        None => arms.push(quote!(_ => #otherwise,)),
    }
    let error = ident(&error_type_name(operation));
    let has_errors = operation
        .responses
        .iter()
        .any(|response| !response.is_success());
    let error_import = has_errors.then(|| quote!(use crate::errors::#error as E;));
    quote! {
        #error_import
        match response.status().as_u16() {
            #(#arms)*
        }
    }
}

/// What a status the operation does not document becomes: a 2xx is a success when its
/// body is what the operation documents for success (or success has no body), else
/// `Error::UndocumentedSuccess`, never a failure to retry; anything else
/// `Error::UnexpectedStatus`.
fn otherwise(operation: &Operation) -> TokenStream {
    match &operation.success {
        Success::Unit => quote!(response.otherwise_unit()),
        Success::Headers => quote!(response.otherwise_headers()),
        Success::Body(body) => match body.encoding {
            BodyEncoding::Text => quote!(response.otherwise_text()),
            BodyEncoding::Binary => quote!(response.otherwise_bytes()),
            _ => quote!(response.otherwise_json()),
        },
        Success::Outcomes { .. } => quote!(response.otherwise_unknown()),
    }
}

/// The path template as the spec writes it and, in template order, a `&str` for each
/// `{name}` in it; and the locals holding non-string values as text.
fn path_parts(operation: &Operation) -> (Vec<TokenStream>, TokenStream, Vec<TokenStream>) {
    let mut path_values = Vec::new();
    let mut values = Vec::new();
    let mut template = String::new();
    for segment in &operation.path_segments {
        template.push('/');
        let pieces = match segment {
            PathSegment::Literal(literal) => vec![TemplatePart::Literal(literal.clone())],
            PathSegment::Parameter(name) => vec![TemplatePart::Parameter(name.clone())],
            PathSegment::Template(pieces) => pieces.clone(),
        };
        for piece in pieces {
            match piece {
                TemplatePart::Literal(literal) => template.push_str(&literal),
                TemplatePart::Parameter(name) => {
                    template.push('{');
                    template.push_str(&name);
                    template.push('}');
                    values.push(path_value(operation, &name, &mut path_values));
                }
            }
        }
    }
    if template.is_empty() {
        template.push('/');
    }
    (path_values, quote!(#template), values)
}

/// The value of path parameter `name` for `Call::method`: the field itself for strings
/// in `simple` style, the field `Displayed` for integers, booleans and UUIDs, else a local (declared in `path_values`) holding its text, or for
/// `label` and `matrix` its value with its style.
fn path_value(
    operation: &Operation,
    name: &str,
    path_values: &mut Vec<TokenStream>,
) -> TokenStream {
    let name = name.to_string();
    let parameter = operation
        .parameters
        .iter()
        .find(|parameter| parameter.location == ParameterLocation::Path && parameter.name == name);
    let rust_name = ident(parameter.map_or("value", |parameter| parameter.rust_name.as_str()));
    let style = parameter.map_or(ParameterStyle::Simple { explode: false }, |parameter| {
        parameter.style
    });
    let local = |suffix: &str| {
        ident(&format!(
            "{}_{suffix}",
            rust_name.to_string().trim_end_matches('_')
        ))
    };
    let (local, declaration) = match (style, parameter.map(|parameter| &parameter.ty)) {
        (ParameterStyle::Label { .. } | ParameterStyle::Matrix { .. }, _) => {
            let (local, style) = (local("value"), style_tokens(style));
            let declaration =
                quote!(let #local = crate::request::path_value(#name, &self.#rust_name, #style)?;);
            (local, declaration)
        }
        (_, Some(TypeRef::String)) => return quote!(&self.#rust_name),
        // Why not `path_text` for these: their `Display` is their JSON spelling, written
        // straight into the path, with no JSON value and no string of their own per call
        // (`cargo xtask bench client`).
        (_, Some(TypeRef::Integer(_) | TypeRef::Boolean | TypeRef::Uuid)) => {
            return quote!(&crate::request::Displayed(&self.#rust_name))
        }
        // Anything else (numbers, UUIDs, dates, enums, unions) is spelled as its JSON
        // value, in `simple` style.
        _ => {
            let local = local("text");
            let declaration =
                quote!(let #local = crate::request::path_text(#name, &self.#rust_name)?;);
            (local, declaration)
        }
    };
    if !path_values
        .iter()
        .any(|existing| existing.to_string() == declaration.to_string())
    {
        path_values.push(declaration);
    }
    quote!(&#local)
}

/// A parameter's `Style` in the runtime's terms.
pub fn style_tokens(style: ParameterStyle) -> TokenStream {
    match style {
        ParameterStyle::Form { explode: true } => quote!(Style::FORM),
        ParameterStyle::Simple { explode: false } => quote!(Style::SIMPLE),
        ParameterStyle::Form { explode } => {
            quote!(Style::Form { explode: #explode })
        }
        ParameterStyle::Simple { explode } => {
            quote!(Style::Simple { explode: #explode })
        }
        ParameterStyle::Label { explode: false } => quote!(Style::LABEL),
        ParameterStyle::Matrix { explode: false } => quote!(Style::MATRIX),
        ParameterStyle::Label { explode } => quote!(Style::Label { explode: #explode }),
        ParameterStyle::Matrix { explode } => quote!(Style::Matrix { explode: #explode }),
        ParameterStyle::SpaceDelimited => quote!(Style::SpaceDelimited),
        ParameterStyle::PipeDelimited => quote!(Style::PipeDelimited),
        ParameterStyle::DeepObject => quote!(Style::DeepObject),
        ParameterStyle::Json => quote!(Style::Json),
    }
}

/// Query, header and cookie parameters, each laid out by its style (`None` adds
/// nothing).
fn parameter_calls(operation: &Operation) -> Vec<TokenStream> {
    operation
        .parameters
        .iter()
        .filter_map(|parameter| {
            let name = ident(&parameter.rust_name);
            let wire_name = &parameter.name;
            let style = style_tokens(parameter.style);
            let method = match parameter.location {
                ParameterLocation::Path => return None,
                ParameterLocation::Query => quote!(query),
                ParameterLocation::Header => quote!(header),
                ParameterLocation::Cookie => quote!(cookie),
            };
            Some(quote!(#method(#wire_name, &self.#name, #style)))
        })
        .collect()
}

/// Where the body's value is, for [`body_call`].
#[derive(Clone, Copy)]
enum BodyValue {
    /// `self.body`, an `Option` unless `required`.
    Field { required: bool },
    /// A local `body: &T`, bound by a match on the body enum.
    Bound,
}

/// The request body's call, encoded as its media type says, and for multipart the
/// statement that builds the form first.
fn body_call(
    api: &Api,
    ty: &TypeRef,
    part_types: &[(String, String)],
    encoding: BodyEncoding,
    media_type: &str,
    source: BodyValue,
) -> (Option<TokenStream>, TokenStream) {
    let value = match source {
        BodyValue::Field { required: true } => quote!(Some(&self.body)),
        BodyValue::Field { required: false } => quote!(self.body.as_ref()),
        BodyValue::Bound => quote!(Some(body)),
    };
    match encoding {
        // `application/merge-patch+json` and the like go out under their own name.
        BodyEncoding::Json if crate::ir::media_type_essence(media_type) != "application/json" => {
            (None, quote!(json_as(#media_type, #value)))
        }
        BodyEncoding::Json => (None, quote!(json(#value))),
        BodyEncoding::FormUrlEncoded => (None, quote!(form(#value))),
        BodyEncoding::Text => (None, quote!(bytes(#media_type, #value))),
        // The caller may name the body's type (`body_content_type`); without it, the
        // spec's media type, unless that is a range (`*/*`, `image/*`), which is not a
        // type a body can have.
        BodyEncoding::Binary => {
            let fallback = binary_content_type(media_type);
            (
                None,
                quote!(bytes(self.body_content_type.as_deref().unwrap_or(#fallback), #value)),
            )
        }
        BodyEncoding::Multipart => {
            let form = multipart_form(api, ty, part_types);
            match source {
                BodyValue::Field { required: true } => (
                    Some(quote!(let form = { let body = &self.body; #form };)),
                    quote!(multipart(Some(form))),
                ),
                BodyValue::Field { required: false } => (
                    Some(quote! {
                        let form = match &self.body {
                            Some(body) => Some({ #form }),
                            None => None,
                        };
                    }),
                    quote!(multipart(form)),
                ),
                BodyValue::Bound => (
                    Some(quote!(let form = { #form };)),
                    quote!(multipart(Some(form))),
                ),
            }
        }
    }
}

/// A `multipart/form-data` form from `body`: one part per property of the body's struct,
/// bytes parts for `format: binary` properties, text (or JSON text) for the rest.
fn multipart_form(api: &Api, ty: &TypeRef, part_types: &[(String, String)]) -> TokenStream {
    let structure = match ty {
        TypeRef::Named(name) => {
            api.type_named(name)
                .and_then(|definition| match &definition.kind {
                    TypeKind::Struct(structure) => Some(structure),
                    _ => None,
                })
        }
        _ => None,
    };
    let Some(structure) = structure else {
        return quote! {
            reqwest::multipart::Form::new().part("body", crate::request::text_part("body", body)?)
        };
    };
    let parts = structure.fields.iter().map(|field| {
        let name = ident(&field.rust_name);
        let wire = &field.json_name;
        // The spec's `encoding` for this part, if it names a `Content-Type`.
        let part_type = part_types
            .iter()
            .find(|(property, _)| property == wire)
            .map(|(_, content_type)| content_type.as_str());
        let file_type = part_type.unwrap_or("application/octet-stream");
        // `owner` is where the value lives (for `.to_vec()`), `reference` a `&T` to it.
        let add = |owner: TokenStream, reference: TokenStream, ty: &TypeRef| match ty {
            TypeRef::File => quote! {
                form = form.part(#wire, #owner.part(#wire, #file_type)?);
            },
            TypeRef::Array(item) if **item == TypeRef::File => quote! {
                for file in #reference {
                    form = form.part(#wire, file.part(#wire, #file_type)?);
                }
            },
            TypeRef::Bytes => quote! {
                form = form.part(#wire, crate::request::file_part(#wire, &#owner)?);
            },
            // An array is one part per item, each typed as its item is (OpenAPI: an
            // array's default `contentType` is its items'), as browsers send a
            // multi-valued field.
            TypeRef::Array(_) => {
                let item_part = match part_type {
                    Some(content_type) => {
                        quote!(crate::request::typed_part(#wire, item, #content_type)?)
                    }
                    None => quote!(crate::request::text_part(#wire, item)?),
                };
                quote! {
                    for item in #reference {
                        form = form.part(#wire, #item_part);
                    }
                }
            }
            _ => match part_type {
                Some(content_type) => quote! {
                    form = form.part(#wire, crate::request::typed_part(#wire, #reference, #content_type)?);
                },
                None => quote! {
                    form = form.part(#wire, crate::request::text_part(#wire, #reference)?);
                },
            },
        };
        match field.form {
            // `Option<T>` (or `Option<Option<T>>`): absent or null parts are left out.
            FieldForm::OptionalNullable => {
                let inner = add(quote!(value), quote!(value), &field.ty);
                quote!(if let Some(Some(value)) = &body.#name { #inner })
            }
            FieldForm::Optional | FieldForm::RequiredNullable => {
                let inner = add(quote!(value), quote!(value), &field.ty);
                quote!(if let Some(value) = &body.#name { #inner })
            }
            FieldForm::Plain | FieldForm::Defaulted => {
                add(quote!(body.#name), quote!(&body.#name), &field.ty)
            }
        }
    });
    quote! {
        let mut form = reqwest::multipart::Form::new();
        #(#parts)*
        form
    }
}

/// One `match` arm per documented response.
fn response_arms(operation: &Operation) -> Vec<TokenStream> {
    operation
        .responses
        .iter()
        .map(|response| {
            let pattern = match response.status {
                StatusMatch::Code(code) => Literal::u16_unsuffixed(code).into_token_stream(),
                StatusMatch::Range(digit) => {
                    let low = Literal::u16_unsuffixed(digit * 100);
                    let high = Literal::u16_unsuffixed(digit * 100 + 99);
                    quote!(#low..=#high)
                }
                StatusMatch::Default => quote!(_),
            };
            let value = if response.is_success() {
                success_value(operation, response)
            } else {
                let variant = ident(&response.variant_name);
                let constructor = quote!(E::#variant);
                match &response.body {
                    None => quote!(Err(Error::Api { error: #constructor, response })),
                    Some(body) => match body.encoding {
                        BodyEncoding::Text => quote!(Err(response.api_error_text(#constructor))),
                        BodyEncoding::Binary => quote!(Err(response.api_error_bytes(#constructor))),
                        _ => quote!(Err(response.api_error(#constructor))),
                    },
                }
            };
            quote!(#pattern => #value,)
        })
        .collect()
}

/// Decodes one success response into the operation's success type.
fn success_value(operation: &Operation, response: &Response) -> TokenStream {
    match &operation.success {
        Success::Unit => quote!(Ok(())),
        Success::Headers => quote!(response.declared_headers()),
        Success::Body(body) => decode(body),
        Success::Outcomes { type_name } => {
            let type_name = ident(type_name);
            let variant = ident(&response.variant_name);
            match &response.body {
                None => quote!(Ok(#type_name::#variant)),
                Some(body) => {
                    let decoded = decode(body);
                    quote!(#decoded.map(#type_name::#variant))
                }
            }
        }
    }
}

/// `Result<T, Error<E>>` from the response body, by its encoding.
fn decode(body: &ResponseBody) -> TokenStream {
    match body.encoding {
        BodyEncoding::Text => quote!(response.text_body()),
        BodyEncoding::Binary => quote!(Ok(response.body().clone())),
        _ => quote!(response.json()),
    }
}

/// For an operation whose success responses differ, the enum of its outcomes.
pub fn outcome_enum(operation: &Operation) -> Option<TokenStream> {
    let Success::Outcomes { type_name } = &operation.success else {
        return None;
    };
    let name = ident(type_name);
    let variants = operation
        .responses
        .iter()
        .filter(|response| response.is_success())
        .map(|response| {
            let variant = ident(&response.variant_name);
            let docs = doc_attrs(&[
                format!("Status `{}`.", status_label(response.status)),
                spec_text(&response.description),
            ]);
            match &response.body {
                Some(body) => {
                    let ty = type_tokens(&body.ty, false);
                    quote!(#docs #variant(#ty),)
                }
                None => quote!(#docs #variant,),
            }
        });
    let docs = doc_attrs(&[format!(
        "The success responses of [`Client::{}`], which differ by status.",
        operation.method_name
    )]);
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    })
}

/// The `Content-Type` a binary body is sent with when the caller names none: the spec's
/// media type, or `application/octet-stream` for a range such as `*/*`.
pub fn binary_content_type(media_type: &str) -> String {
    if media_type.contains('*') {
        "application/octet-stream".to_string()
    } else {
        media_type.to_string()
    }
}
