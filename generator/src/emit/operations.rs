//! `src/operations.rs`: per operation, a `Client` method and the request builder it returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::errors::{error_responses, error_type_name, status_label};
use super::rust_type::{argument_into, argument_tokens, ident, type_tokens};
use super::types::constraint_docs;
use crate::ir::{
    Api, BodyEnum, ClientBehaviour, Operation, Parameter, ParameterLocation, ParameterStyle,
    Success, TypeRef,
};

/// The `operations` module.
pub fn operations_rs(
    api: &Api,
    behaviour: &ClientBehaviour,
    areas: &super::areas::Areas,
) -> TokenStream {
    // Which types have something to validate: a fixpoint over the whole type graph,
    // computed once here rather than per operation.
    let checked = super::validation::checked_types(api);
    let methods = api
        .operations
        .iter()
        .map(|operation| client_method(operation, &areas.of_operation(operation)));
    let builders = api.operations.iter().map(|operation| {
        let cfg = areas.of_operation(operation);
        super::areas::with_attribute(request_builder(api, behaviour, &checked, operation), &cfg)
    });
    // Pagination streams read the builders' private page and limit fields, so they live here.
    let streams = api.operations.iter().filter_map(|operation| {
        let cfg = areas.of_operation(operation);
        super::pagination::stream_impl(behaviour, operation)
            .map(|items| super::areas::with_attribute(items, &cfg))
    });
    let outcomes = api.operations.iter().filter_map(|operation| {
        let cfg = areas.of_operation(operation);
        super::send::outcome_enum(operation).map(|items| super::areas::with_attribute(items, &cfg))
    });
    let header_structs = api.operations.iter().filter_map(|operation| {
        let cfg = areas.of_operation(operation);
        headers_struct(operation).map(|items| super::areas::with_attribute(items, &cfg))
    });
    // With areas, the enabled ones may not use every import.
    let allow_unused = areas.is_split().then(|| quote!(#[allow(unused_imports)]));
    if api.operations.is_empty() {
        return quote! {
            //! The spec has no operations.
        };
    }
    let has_styles = api.operations.iter().any(|operation| {
        operation.parameters.iter().any(|parameter| {
            parameter.location != ParameterLocation::Path
                || matches!(
                    parameter.style,
                    ParameterStyle::Label { .. } | ParameterStyle::Matrix { .. }
                )
        })
    });
    let request_imports = has_styles.then(|| {
        quote!(
            use crate::request::Style;
        )
    });
    quote! {
        //! Per operation: a [`Client`] method returning a [`Request`] builder over the
        //! operation's parameters, and what is particular to the operation (its path,
        //! parameters, body and status table) as an [`Operation`] impl. Set optional
        //! parameters on the builder, then `.await` it (or call `send`).

        #allow_unused
        use crate::call::{Call, Operation, Request};
        #allow_unused
        use crate::error::{Error, InvalidRequest, RawResponse};
        #allow_unused
        #request_imports
        #allow_unused
        use crate::Client;

        impl Client {
            #(#methods)*
        }

        #(#builders)*

        #(#streams)*

        #(#outcomes)*

        #(#header_structs)*
    }
}

/// `<Operation>Headers`: the headers the operation's success responses declare, typed,
/// with `ResponseHeaders` to read them from a response.
fn headers_struct(operation: &Operation) -> Option<TokenStream> {
    let declared = operation.headers.as_ref()?;
    let name = ident(&declared.type_name);
    let method = &operation.method_name;
    let how = if operation.success == Success::Headers {
        format!("the value [`Client::{method}`] returns")
    } else {
        "read them from [`Request::send_with_response`]'s result with [`Response::typed_headers`](crate::Response::typed_headers)".to_string()
    };
    let docs = format!(
        " Headers the spec declares for the success responses of [`Client::{method}`]: {how}."
    );
    let fields = declared.headers.iter().map(|header| {
        let field = ident(&header.rust_name);
        let ty = type_tokens(&header.ty, false);
        let ty = if header.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        let summary = header.docs.as_deref().map(spec_text).unwrap_or_default();
        let docs = doc_attrs(&[
            summary,
            format!(
                "The {} header{}.",
                code(&header.name),
                if header.required {
                    ""
                } else {
                    ", when the response has it"
                }
            ),
        ]);
        quote!(#docs pub #field: #ty,)
    });
    let reads = declared.headers.iter().map(|header| {
        let field = ident(&header.rust_name);
        let wire = &header.name;
        let date = header.ty == TypeRef::DateTime;
        match (header.required, date) {
            (true, false) => quote!(#field: crate::response::required_header(headers, #wire)?,),
            (false, false) => quote!(#field: crate::response::optional_header(headers, #wire)?,),
            (true, true) => {
                quote!(#field: crate::date_header::required_date_header(headers, #wire)?,)
            }
            (false, true) => {
                quote!(#field: crate::date_header::optional_date_header(headers, #wire)?,)
            }
        }
    });
    Some(quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl crate::ResponseHeaders for #name {
            fn from_headers(headers: &reqwest::header::HeaderMap) -> Result<Self, crate::HeaderError> {
                Ok(Self {
                    #(#reads)*
                })
            }
        }
    })
}

/// `Result<T, Error<OperationError>>` of an operation.
pub fn output_type(operation: &Operation) -> TokenStream {
    let ok = success_type(operation);
    let error = ident(&error_type_name(operation));
    quote!(Result<#ok, Error<crate::errors::#error>>)
}

/// `T`, what a successful call of an operation returns.
pub fn success_type(operation: &Operation) -> TokenStream {
    match &operation.success {
        Success::Unit => quote!(()),
        Success::Headers => {
            let type_name = operation
                .headers
                .as_ref()
                .map_or("", |headers| &headers.type_name);
            let type_name = ident(type_name);
            quote!(#type_name)
        }
        Success::Body(body) => type_tokens(&body.ty, false),
        Success::Outcomes { type_name } => {
            let type_name = ident(type_name);
            quote!(#type_name)
        }
    }
}

/// Arguments of the client method: path parameters, required query/header parameters,
/// then a required body.
fn method_arguments(operation: &Operation) -> Vec<&Parameter> {
    operation
        .parameters
        .iter()
        .filter(|parameter| parameter.required)
        .collect()
}

fn operation_docs(operation: &Operation) -> String {
    let mut text = format!(
        "{} `{} {}`",
        code(&operation.operation_id),
        operation.http_method,
        operation.path
    );
    text.push_str(&format!(" (generated from {}).", code(&operation.origin)));
    text
}

fn client_method(operation: &Operation, cfg: &TokenStream) -> TokenStream {
    let method = ident(&operation.method_name);
    let builder = ident(&operation.type_name);
    let arguments = method_arguments(operation);
    let mut parameters = Vec::new();
    let mut initialisers = Vec::new();
    for parameter in &arguments {
        let name = ident(&parameter.rust_name);
        let ty = argument_tokens(&parameter.ty, false);
        parameters.push(quote!(#name: #ty));
        initialisers.push(if parameter.ty == TypeRef::String {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
    }
    for parameter in operation
        .parameters
        .iter()
        .filter(|parameter| !parameter.required)
    {
        let name = ident(&parameter.rust_name);
        initialisers.push(quote!(#name: None));
    }
    if let Some(body) = &operation.body {
        if let (true, Some(body_enum)) = (body.required, &body.body_enum) {
            let enum_ident = ident(&body_enum.name);
            parameters.push(quote!(body: impl Into<#enum_ident>));
            initialisers.push(quote!(body: body.into()));
        } else if body.required {
            let ty = argument_tokens(&body.ty, false);
            parameters.push(quote!(body: #ty));
            initialisers.push(match body.ty {
                TypeRef::String | TypeRef::Bytes | TypeRef::Base64 | TypeRef::File => {
                    quote!(body: body.into())
                }
                _ => quote!(body),
            });
        } else {
            initialisers.push(quote!(body: None));
        }
        if body.sends_bytes() {
            initialisers.push(quote!(body_content_type: None));
        }
        if let Some((enum_name, primary)) = &body.choice {
            let enum_ident = ident(enum_name);
            let primary = ident(primary);
            initialisers.push(quote!(body_media_type: #enum_ident::#primary));
        }
    }
    // Say nothing where the spec says nothing: only described arguments are listed.
    let mut argument_docs: Vec<String> = arguments
        .iter()
        .filter_map(|parameter| {
            let docs = spec_text(parameter.docs.as_deref()?).replace('\n', " ");
            Some(format!("- {}: {docs}", code(&parameter.rust_name)))
        })
        .collect();
    if let Some(body) = operation.body.as_ref().filter(|body| body.required) {
        let media_types = match &body.body_enum {
            Some(body_enum) => format!(
                "[`{0}`](crate::operations::{0}), sent as {1}",
                body_enum.name,
                {
                    let mut media_types: Vec<String> = body_enum
                        .variants
                        .iter()
                        .map(|variant| code(&variant.media_type))
                        .collect();
                    let last = media_types.pop().unwrap_or_default();
                    format!("{} or {last}", media_types.join(", "))
                }
            ),
            None => code(&body.media_type),
        };
        argument_docs.push(format!(
            "- `body`: {media_types}{}",
            body.docs
                .as_deref()
                .map(|docs| format!(". {}", spec_text(docs).replace('\n', " ")))
                .unwrap_or_default()
        ));
    }
    let docs = doc_attrs(&[
        &spec_text(operation.summary.as_deref().unwrap_or("")),
        &spec_text(operation.description.as_deref().unwrap_or("")),
        &operation_docs(operation),
        &argument_docs.join("\n"),
        &errors_docs(operation),
        &(if operation.event_stream.is_some() {
            "Also answers as a `text/event-stream`: [`send_stream`](Request::send_stream) gives its events as they arrive."
        } else {
            ""
        })
        .to_string(),
    ]);
    let deprecated = operation
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated in the spec"]));
    quote! {
        #docs
        #cfg
        #deprecated
        pub fn #method(&self, #(#parameters),*) -> Request<'_, #builder> {
            self.core.request(#builder { #(#initialisers,)* })
        }
    }
}

fn request_builder(
    api: &Api,
    behaviour: &ClientBehaviour,
    checked: &std::collections::BTreeSet<String>,
    operation: &Operation,
) -> TokenStream {
    let params = ident(&operation.type_name);
    let method = &operation.method_name;
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for parameter in &operation.parameters {
        let name = ident(&parameter.rust_name);
        let ty = type_tokens(&parameter.ty, false);
        if parameter.required {
            fields.push(quote!(#name: #ty,));
        } else {
            fields.push(quote!(#name: Option<#ty>,));
            let docs = doc_attrs(&[
                &spec_text(parameter.docs.as_deref().unwrap_or("")),
                &format!(
                    "Sent as the {} parameter {}.",
                    location_name(parameter.location),
                    code(&parameter.name)
                ),
                &constraint_docs(&parameter.constraints, parameter.default.as_ref()),
            ]);
            let argument = argument_tokens(&parameter.ty, false);
            let value = argument_into(&parameter.ty, &name);
            setters.push(quote! {
                #docs
                pub fn #name(mut self, #name: #argument) -> Self {
                    self.params.#name = Some(#value);
                    self
                }
            });
        }
    }
    let mut media_type_enum = None;
    if let Some((body, (enum_name, primary))) = operation
        .body
        .as_ref()
        .and_then(|body| Some((body, body.choice.as_ref()?)))
    {
        let enum_ident = ident(enum_name);
        fields.push(quote!(body_media_type: #enum_ident,));
        let docs = format!(
            " Sends the body as another media type the spec offers for it; without it, {}.",
            code(&body.media_type)
        );
        setters.push(quote! {
            #[doc = #docs]
            pub fn body_media_type(mut self, media_type: #enum_ident) -> Self {
                self.params.body_media_type = media_type;
                self
            }
        });
        let primary_ident = ident(primary);
        let primary_docs = format!(" {} (the default).", code(&body.media_type));
        let variants = body.alternatives.iter().map(|alternative| {
            let variant = ident(&alternative.variant);
            let docs = format!(" {}.", code(&alternative.media_type));
            quote!(#[doc = #docs] #variant,)
        });
        let enum_docs = format!(
            " The media types the body of [`Client::{method}`] can be sent as, each with its own `Content-Type`."
        );
        media_type_enum = Some(quote! {
            #[doc = #enum_docs]
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum #enum_ident {
                #[doc = #primary_docs]
                #primary_ident,
                #(#variants)*
            }
        });
    }
    if let Some(body_enum) = operation
        .body
        .as_ref()
        .and_then(|body| body.body_enum.as_ref())
    {
        media_type_enum = Some(body_enum_tokens(body_enum, method));
    }
    if let Some(body) = &operation.body {
        if body.sends_bytes() {
            fields.push(quote!(body_content_type: Option<String>,));
            // The media type of the raw-bytes body: the body's own, or its enum's
            // bytes variant's.
            let bytes_media_type = body
                .body_enum
                .iter()
                .flat_map(|body_enum| &body_enum.variants)
                .find(|variant| variant.encoding == crate::ir::BodyEncoding::Binary)
                .map_or(&body.media_type, |variant| &variant.media_type);
            let when = if body.body_enum.is_some() {
                " when it is raw bytes"
            } else {
                ""
            };
            let docs = format!(
                " The `Content-Type` the body is sent with{when}; without it, {}.",
                code(&super::send::binary_content_type(bytes_media_type))
            );
            setters.push(quote! {
                #[doc = #docs]
                pub fn body_content_type(mut self, content_type: impl Into<String>) -> Self {
                    self.params.body_content_type = Some(content_type.into());
                    self
                }
            });
        }
        let (ty, argument, value, media_types) = match &body.body_enum {
            Some(body_enum) => {
                let enum_ident = ident(&body_enum.name);
                (
                    quote!(#enum_ident),
                    quote!(impl Into<#enum_ident>),
                    quote!(body.into()),
                    format!("[`{}`]", body_enum.name),
                )
            }
            None => (
                type_tokens(&body.ty, false),
                argument_tokens(&body.ty, false),
                argument_into(&body.ty, &ident("body")),
                code(&body.media_type),
            ),
        };
        if body.required {
            fields.push(quote!(body: #ty,));
        } else {
            fields.push(quote!(body: Option<#ty>,));
            let docs = doc_attrs(&[
                &spec_text(body.docs.as_deref().unwrap_or("")),
                &format!("Sets the optional {media_types} request body; without it none is sent."),
            ]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, body: #argument) -> Self {
                    self.params.body = Some(#value);
                    self
                }
            });
        }
    }
    let setters = (!setters.is_empty()).then(|| {
        quote! {
            impl Request<'_, #params> {
                #(#setters)*
            }
        }
    });
    let ok_type = success_type(operation);
    let error_type = ident(&error_type_name(operation));
    let operation_id = &operation.operation_id;
    let idempotent = behaviour.is_idempotent(operation);
    let validate = super::validation::request_checks(api, checked, operation).map(|checks| {
        quote! {
            fn validate(&self) -> Result<(), crate::ValidationError> {
                #checks
                Ok(())
            }
        }
    });
    let build = super::send::build_body(api, operation);
    let decode = super::send::decode_body(operation);
    let struct_docs = doc_attrs(&[format!(
        "Parameters of [`Client::{method}`]: {}",
        operation_docs(operation)
    )]);
    // A `format: password` parameter is sent but never shown: `Debug` is written out.
    let has_secrets = operation
        .parameters
        .iter()
        .any(|parameter| parameter.secret);
    let derived_debug = (!has_secrets).then(|| quote!(Debug,));
    let secret_debug = has_secrets.then(|| {
        let type_name = &operation.type_name;
        let entries = operation.parameters.iter().map(|parameter| {
            let name = ident(&parameter.rust_name);
            let label = &parameter.rust_name;
            match (parameter.secret, parameter.required) {
                (false, _) => quote!(.field(#label, &self.#name)),
                (true, true) => quote!(.field(#label, &crate::redact::Redacted)),
                (true, false) => {
                    quote!(.field(#label, &self.#name.as_ref().map(|_| crate::redact::Redacted)))
                }
            }
        });
        let body = operation.body.as_ref().map(|body| {
            let content_type = body
                .sends_bytes()
                .then(|| quote!(.field("body_content_type", &self.body_content_type)));
            let media_type = body
                .choice
                .as_ref()
                .map(|_| quote!(.field("body_media_type", &self.body_media_type)));
            quote!(.field("body", &self.body) #content_type #media_type)
        });
        quote! {
            impl std::fmt::Debug for #params {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#type_name)
                        #(#entries)*
                        #body
                        .finish()
                }
            }
        }
    });
    // An event stream success: `send_stream` reads it as it arrives.
    let streaming = operation.event_stream.as_ref().map(|event| {
        let event_ty = type_tokens(event, false);
        let constructor = if *event == TypeRef::String {
            quote!(text)
        } else {
            quote!(json)
        };
        quote! {
            impl crate::sse::StreamingOperation for #params {
                type Event = #event_ty;
                fn events(response: reqwest::Response) -> crate::sse::EventStream<#event_ty> {
                    crate::sse::EventStream::#constructor(response)
                }
            }
        }
    });
    quote! {
        #struct_docs
        #[derive(#derived_debug Clone)]
        pub struct #params {
            #(#fields)*
        }

        #secret_debug

        #streaming

        #media_type_enum

        #setters

        impl Operation for #params {
            type Output = #ok_type;
            type Error = crate::errors::#error_type;
            const OPERATION_ID: &'static str = #operation_id;
            const IDEMPOTENT: bool = #idempotent;

            #validate

            fn build<'c>(&self, call: Call<'c>) -> Result<Call<'c>, InvalidRequest> {
                #build
            }

            fn decode(response: RawResponse) -> Result<Self::Output, Error<Self::Error>> {
                #decode
            }
        }
    }
}

/// The enum of a body offered in media types with different schemas: one variant per
/// media type, and `From` the default's type, so the common call reads as if there
/// were one.
fn body_enum_tokens(body_enum: &BodyEnum, method: &str) -> TokenStream {
    let enum_ident = ident(&body_enum.name);
    let docs = format!(
        " The request body of [`Client::{method}`]: one of the media types the spec offers, each with its own schema and sent with its own `Content-Type`."
    );
    let variants = body_enum
        .variants
        .iter()
        .enumerate()
        .map(|(position, variant)| {
            let name = ident(&variant.variant);
            let ty = type_tokens(&variant.ty, false);
            let docs = if position == 0 {
                format!(
                    " {} (the default: the value converts into this).",
                    code(&variant.media_type)
                )
            } else {
                format!(" {}.", code(&variant.media_type))
            };
            quote!(#[doc = #docs] #name(#ty),)
        });
    let default = body_enum.variants.first().map(|variant| {
        let name = ident(&variant.variant);
        let ty = type_tokens(&variant.ty, false);
        quote! {
            impl From<#ty> for #enum_ident {
                fn from(body: #ty) -> Self {
                    Self::#name(body)
                }
            }
        }
    });
    quote! {
        #[doc = #docs]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #enum_ident {
            #(#variants)*
        }
        #default
    }
}

/// The client method's `# Errors` line: the documented statuses; the rest is on
/// [`Request::send`].
fn errors_docs(operation: &Operation) -> String {
    let error = error_type_name(operation);
    let documented: Vec<String> = error_responses(operation)
        .map(|response| status_label(response.status))
        .collect();
    if documented.is_empty() {
        return String::new();
    }
    format!(
        "Errors: [`{error}`](crate::errors::{error}) for {}; see [`Request::send`].",
        documented.join(", ")
    )
}

fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}
