//! `src/operations.rs`: per operation, a `Client` method and the request builder it returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::errors::{error_responses, error_type_name, status_label};
use super::rust_type::{argument_into, argument_tokens, ident, type_tokens};
use super::types::constraint_docs;
use crate::ir::{Api, ClientBehaviour, Operation, Parameter, ParameterLocation, Success, TypeRef};

/// The `operations` module.
pub fn operations_rs(api: &Api, behaviour: &ClientBehaviour) -> TokenStream {
    // Which types have something to validate: a fixpoint over the whole type graph,
    // computed once here rather than per operation.
    let checked = super::validation::checked_types(api);
    let methods = api.operations.iter().map(client_method);
    let builders = api
        .operations
        .iter()
        .map(|operation| request_builder(api, behaviour, &checked, operation));
    // Pagination streams read the builders' private page and limit fields, so they live here.
    let streams = api
        .operations
        .iter()
        .filter_map(|operation| super::pagination::stream_impl(behaviour, operation));
    let outcomes = api.operations.iter().filter_map(super::send::outcome_enum);
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
        use crate::request::PathPart;
        use crate::Client;

        impl Client {
            #(#methods)*
        }

        #(#builders)*

        #(#streams)*

        #(#outcomes)*
    }
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
            let ty = argument_tokens(&body.ty, false);
            parameters.push(quote!(body: #ty));
            initialisers.push(match body.ty {
                TypeRef::String | TypeRef::Bytes => quote!(body: body.into()),
                _ => quote!(body),
            });
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
                options: crate::transport::RequestOptions::default(),
            }
        }
    }
}

fn request_builder(
    api: &Api,
    behaviour: &ClientBehaviour,
    checked: &std::collections::BTreeSet<String>,
    operation: &Operation,
) -> TokenStream {
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
            let argument = argument_tokens(&body.ty, false);
            let value = argument_into(&body.ty, &ident("body"));
            setters.push(quote! {
                #docs
                pub fn body(mut self, body: #argument) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
        }
    }
    let send_body = super::send::send_body(api, behaviour, checked, operation);
    let option_setters = super::client::request_option_setters(operation);
    let ok_type = success_type(operation);
    let error_type = ident(&error_type_name(operation));
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
            options: crate::transport::RequestOptions,
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            #option_setters

            /// Sends the request and reads the response.
            ///
            #send_docs
            pub async fn send(self) -> #output {
                self.send_with_response().await.map(crate::Response::into_inner)
            }

            /// Like [`send`](Self::send), keeping the response's status and headers
            /// (and so its request id) beside the value.
            ///
            /// # Errors
            /// As [`send`](Self::send).
            pub async fn send_with_response(
                self,
            ) -> Result<crate::Response<#ok_type>, Error<crate::errors::#error_type>> {
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
    lines.push("- [`Error::UndocumentedSuccess`] for an undocumented 2xx whose body is not the success shape (the request was accepted), [`Error::UnexpectedStatus`] for any other status, [`Error::InvalidBody`] when a body does not match the spec, [`Error::ResponseTooLarge`] when a body is over the size limit, [`Error::Timeout`] when an attempt outlives its timeout, [`Error::Transport`] when the request fails (both after any retries), [`Error::Validation`] when a value breaks the spec's constraints, [`Error::InvalidRequest`] when a path parameter would be empty, `.` or `..` as sent.".to_string());
    lines.join("\n")
}

fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}
