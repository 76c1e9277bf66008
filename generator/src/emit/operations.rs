//! `src/operations.rs`: per operation, a `Client` method and the request builder it returns.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::docs::{code, doc_attrs, spec_text};
use super::errors::{error_responses, error_type_name, status_label};
use super::rust_type::{argument_into, argument_tokens, ident, type_tokens};
use super::types::constraint_docs;
use crate::ir::{Api, Operation, Parameter, ParameterLocation, PathSegment, StatusMatch, TypeRef};

/// The `operations` module.
pub fn operations_rs(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(client_method);
    let builders = api.operations.iter().map(request_builder);
    if api.operations.is_empty() {
        return quote! {
            //! The spec has no operations.
        };
    }
    quote! {
        //! One request builder per operation. Get one from its [`Client`] method, set
        //! optional parameters on it, then `.await` it (or call `send`).

        use std::future::{Future, IntoFuture};
        use std::pin::Pin;

        use crate::error::Error;
        use crate::request::PathSegment;
        use crate::Client;

        impl Client {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// What a successful call returns.
enum Success {
    /// No documented success has a body: `()`.
    Unit,
    /// Every documented success has this body type.
    Body(TypeRef),
}

/// Success responses with different bodies are not modelled yet: such operations return
/// `serde_json::Value` (a bodiless success is `Value::Null`), so nothing is lost.
fn success(operation: &Operation) -> Success {
    let bodies: Vec<Option<&TypeRef>> = operation
        .responses
        .iter()
        .filter(|response| response.is_success())
        .map(|response| response.body.as_ref())
        .collect();
    match bodies.first() {
        None | Some(None) if bodies.iter().all(Option::is_none) => Success::Unit,
        Some(Some(first)) if bodies.iter().all(|body| *body == Some(*first)) => {
            Success::Body((*first).clone())
        }
        _ => Success::Body(TypeRef::Json),
    }
}

fn output_type(operation: &Operation) -> TokenStream {
    let ok = match success(operation) {
        Success::Unit => quote!(()),
        Success::Body(ty) => type_tokens(&ty, false),
    };
    let error = ident(&error_type_name(operation));
    quote!(Result<#ok, Error<crate::errors::#error>>)
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

fn client_method(operation: &Operation) -> TokenStream {
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
        if body.required {
            let ty = type_tokens(&body.ty, false);
            parameters.push(quote!(body: #ty));
            initialisers.push(quote!(body));
        } else {
            initialisers.push(quote!(body: None));
        }
    }
    let mut argument_docs: Vec<String> = arguments
        .iter()
        .map(|parameter| {
            format!(
                "- {}: {}",
                code(&parameter.rust_name),
                spec_text(parameter.docs.as_deref().unwrap_or("")).replace('\n', " ")
            )
        })
        .collect();
    if let Some(body) = operation.body.as_ref().filter(|body| body.required) {
        argument_docs.push(format!(
            "- `body`: the {} request body.{}",
            code(&body.media_type),
            body.docs
                .as_deref()
                .map(|docs| format!(" {}", spec_text(docs)))
                .unwrap_or_default()
        ));
    }
    let builder_docs = format!(
        "Returns a [`{}`] request builder; `.await` it to send the request.",
        operation.type_name
    );
    let docs = doc_attrs(&[
        &spec_text(operation.summary.as_deref().unwrap_or("")),
        &spec_text(operation.description.as_deref().unwrap_or("")),
        &operation_docs(operation),
        &argument_docs.join("\n"),
        &builder_docs,
    ]);
    let deprecated = operation
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated in the spec"]));
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#parameters),*) -> #builder<'_> {
            #builder {
                client: self,
                #(#initialisers,)*
            }
        }
    }
}

fn request_builder(operation: &Operation) -> TokenStream {
    let builder = ident(&operation.type_name);
    let method = &operation.method_name;
    let output = output_type(operation);
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
                    self.#name = Some(#value);
                    self
                }
            });
        }
    }
    if let Some(body) = &operation.body {
        let ty = type_tokens(&body.ty, false);
        if body.required {
            fields.push(quote!(body: #ty,));
        } else {
            fields.push(quote!(body: Option<#ty>,));
            let docs = doc_attrs(&[
                &spec_text(body.docs.as_deref().unwrap_or("")),
                &format!(
                    "Sets the optional {} request body; without it none is sent.",
                    code(&body.media_type)
                ),
            ]);
            setters.push(quote! {
                #docs
                pub fn body(mut self, body: #ty) -> Self {
                    self.body = Some(body);
                    self
                }
            });
        }
    }
    let send_body = send_body(operation);
    let struct_docs = doc_attrs(&[
        format!(
            "Request builder for [`Client::{method}`]: {}",
            operation_docs(operation)
        ),
        "Set optional parameters with its methods, then `.await` it or call [`send`](Self::send)."
            .to_string(),
    ]);
    let send_docs = doc_attrs(&[send_errors_docs(operation)]);
    quote! {
        #struct_docs
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until it is awaited or sent"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Sends the request and reads the response.
            ///
            #send_docs
            pub async fn send(self) -> #output {
                #send_body
            }
        }

        impl<'a> IntoFuture for #builder<'a> {
            type Output = #output;
            type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn send_errors_docs(operation: &Operation) -> String {
    let error = error_type_name(operation);
    let mut lines = vec!["# Errors".to_string()];
    let documented: Vec<String> = error_responses(operation)
        .map(|response| status_label(response.status))
        .collect();
    if !documented.is_empty() {
        lines.push(format!(
            "- [`Error::Api`] with a [`{error}`](crate::errors::{error}) for the documented statuses {}.",
            documented.join(", ")
        ));
    }
    lines.push("- [`Error::UnexpectedStatus`] for any other status, [`Error::InvalidBody`] when a body does not match the spec, [`Error::Transport`] when the request fails, [`Error::InvalidRequest`] when a path parameter is empty, `.` or `..`.".to_string());
    lines.join("\n")
}

fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
    }
}

/// The body of `send`: build the URL, add parameters and body, send, match the status.
fn send_body(operation: &Operation) -> TokenStream {
    let mut path_values = Vec::new();
    let segments: Vec<TokenStream> = operation
        .path_segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote!(PathSegment::Literal(#text)),
            PathSegment::Parameter(name) => {
                let parameter = operation.parameters.iter().find(|parameter| {
                    parameter.location == ParameterLocation::Path && parameter.name == *name
                });
                let rust_name =
                    ident(parameter.map_or("value", |parameter| parameter.rust_name.as_str()));
                let value = match parameter.map(|parameter| &parameter.ty) {
                    Some(TypeRef::String) => quote!(&self.#rust_name),
                    _ => {
                        let local = ident(&format!("{rust_name}_text"));
                        path_values.push(quote!(let #local = self.#rust_name.to_string();));
                        quote!(&#local)
                    }
                };
                quote!(PathSegment::Parameter { name: #name, value: #value })
            }
        })
        .collect();
    let http_method = ident(&operation.http_method);
    let mut parameter_statements = Vec::new();
    for parameter in &operation.parameters {
        let name = ident(&parameter.rust_name);
        let wire_name = &parameter.name;
        let apply = match parameter.location {
            ParameterLocation::Path => continue,
            ParameterLocation::Query => quote!(request = request.query(&[(#wire_name, value)]);),
            ParameterLocation::Header => {
                quote!(request = request.header(#wire_name, value.to_string());)
            }
        };
        parameter_statements.push(if parameter.required {
            quote! { let value = &self.#name; #apply }
        } else {
            quote! { if let Some(value) = &self.#name { #apply } }
        });
    }
    let body_statement = match &operation.body {
        Some(body) if body.required => quote!(request = request.json(&self.body);),
        Some(_) => quote! {
            if let Some(body) = &self.body {
                request = request.json(body);
            }
        },
        None => quote!(),
    };
    let mutability =
        (!parameter_statements.is_empty() || operation.body.is_some()).then(|| quote!(mut));
    let success = success(operation);
    let error = ident(&error_type_name(operation));
    let mut arms = Vec::new();
    for response in &operation.responses {
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
            match (&success, &response.body) {
                (Success::Unit, _) => quote!(Ok(())),
                (Success::Body(TypeRef::Json), None) => quote!(Ok(serde_json::Value::Null)),
                (Success::Body(_), _) => quote!(response.json()),
            }
        } else {
            let variant = ident(&response.variant_name);
            match &response.body {
                Some(_) => quote!(Err(response.api_error(crate::errors::#error::#variant))),
                None => {
                    quote!(Err(Error::Api { error: crate::errors::#error::#variant, response }))
                }
            }
        };
        arms.push(quote!(#pattern => #value,));
    }
    let has_default = operation
        .responses
        .iter()
        .any(|response| response.status == StatusMatch::Default);
    let fallback = (!has_default).then(|| quote!(_ => Err(Error::UnexpectedStatus(response)),));
    // Specific codes come before ranges and `default` in the IR order, so the first
    // matching arm is the most specific one, as OpenAPI says.
    quote! {
        #(#path_values)*
        let url = self.client.endpoint(&[#(#segments),*])?;
        let #mutability request = self.client.request(reqwest::Method::#http_method, url);
        #(#parameter_statements)*
        #body_statement
        let response = self.client.execute(request).await?;
        match response.status().as_u16() {
            #(#arms)*
            #fallback
        }
    }
}
