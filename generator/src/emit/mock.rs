//! `src/mocks.rs` (feature `mock`): per operation, the typed part of the mock kit. What
//! every operation shares (the server, matching, the failure report) is the runtime's
//! `mock.rs`; here is only, per operation, a `MockServer` method starting its
//! expectation, one matcher per path, query and header parameter and for the body, and
//! `responds` with the operation's success type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::rust_type::{argument_into, argument_tokens, ident, type_tokens};
use super::send::style_tokens;
use crate::ir::{
    Api, BodyEncoding, Operation, ParameterLocation, ParameterStyle, Response, StatusMatch, Success,
};

/// The `mocks` module.
pub fn mocks_rs(api: &Api, areas: &super::areas::Areas) -> TokenStream {
    let starts = api.operations.iter().map(|operation| {
        let method = ident(&operation.method_name);
        let params = ident(&operation.type_name);
        let http_method = &operation.http_method;
        let path = &operation.path;
        let cfg = areas.of_operation(operation);
        // A link, unless the crate is split into areas (with another area alone, the
        // method is not compiled and a link to it would be broken).
        let client_method = if areas.is_split() {
            format!("`Client::{}`", operation.method_name)
        } else {
            format!("[`Client::{0}`](crate::Client::{0})", operation.method_name)
        };
        let docs = doc_attrs(&[format!(
            "Expects a {} request (`{http_method} {path}`), answered as the returned \
             builder says; see {client_method}.",
            code(&operation.operation_id),
        )]);
        quote! {
            #docs
            #cfg
            pub fn #method(&self) -> Expect<'_, crate::operations::#params> {
                mock::expect(self, #http_method, #path)
            }
        }
    });
    let matchers = api.operations.iter().filter_map(|operation| {
        let items = expect_impl(operation)?;
        Some(super::areas::with_attribute(
            items,
            &areas.of_operation(operation),
        ))
    });
    let has_styles = api.operations.iter().any(|operation| {
        operation.parameters.iter().any(|parameter| {
            matches!(
                parameter.location,
                ParameterLocation::Query | ParameterLocation::Header
            ) || matches!(
                parameter.style,
                ParameterStyle::Label { .. } | ParameterStyle::Matrix { .. }
            )
        })
    });
    let style_import = has_styles.then(|| {
        quote!(
            use crate::request::Style;
        )
    });
    quote! {
        //! The mock kit's typed expectations (feature `mock`): per operation, a
        //! [`MockServer`] method, a matcher per path, query and header parameter and for
        //! the body (cookies and multipart bodies are not matched), and `responds` with
        //! the operation's success value.

        // Not every crate (or area) has operations that use each.
        #[allow(unused_imports)]
        use crate::mock::{self, Expect, Expected, MockServer, Reply};
        #style_import

        impl MockServer {
            #(#starts)*
        }

        #(#matchers)*
    }
}

/// `impl Expect<'_, Operation>`: matchers and `responds`; `None` when there are none.
fn expect_impl(operation: &Operation) -> Option<TokenStream> {
    let mut methods = Vec::new();
    for parameter in &operation.parameters {
        let name = ident(&parameter.rust_name);
        let wire = &parameter.name;
        let argument = argument_tokens(&parameter.ty, false);
        let convert = conversion(&parameter.ty, &name);
        let style = style_tokens(parameter.style);
        let (location, call) = match (parameter.location, parameter.style) {
            (
                ParameterLocation::Path,
                ParameterStyle::Label { .. } | ParameterStyle::Matrix { .. },
            ) => (
                "path",
                quote!(mock::styled_path(self, #wire, &#name, #style)),
            ),
            (ParameterLocation::Path, _) => ("path", quote!(mock::path(self, #wire, &#name))),
            (ParameterLocation::Query, _) => {
                ("query", quote!(mock::query(self, #wire, &#name, #style)))
            }
            (ParameterLocation::Header, _) => {
                ("header", quote!(mock::header(self, #wire, &#name, #style)))
            }
            (ParameterLocation::Cookie, _) => continue,
        };
        let docs = doc_attrs(&[
            spec_text(parameter.docs.as_deref().unwrap_or("")),
            format!(
                "Matches only a request whose {location} parameter {} is this value, \
                 spelled as the client sends it.",
                code(wire)
            ),
        ]);
        methods.push(quote! {
            #docs
            pub fn #name(self, #name: #argument) -> Self {
                #convert
                #call
            }
        });
    }
    methods.extend(body_matcher(operation));
    methods.extend(responds(operation));
    if methods.is_empty() {
        return None;
    }
    let params = ident(&operation.type_name);
    Some(quote! {
        impl<'m> Expect<'m, crate::operations::#params> {
            #(#methods)*
        }
    })
}

/// `body(...)`: the body must be this value, as the client encodes it. None for
/// multipart bodies and bodies of several media types.
fn body_matcher(operation: &Operation) -> Option<TokenStream> {
    let body = operation.body.as_ref()?;
    if body.body_enum.is_some() || body.choice.is_some() {
        return None;
    }
    let name = ident("body");
    let argument = argument_tokens(&body.ty, false);
    let convert = conversion(&body.ty, &name);
    let (call, how) = match body.encoding {
        BodyEncoding::Json => (
            quote!(mock::json_body(self, &body)),
            "as JSON (compared as JSON values)",
        ),
        BodyEncoding::FormUrlEncoded => (quote!(mock::form_body(self, &body)), "as a form"),
        BodyEncoding::Text => (
            quote!(mock::bytes_body(self, body.as_bytes())),
            "byte for byte",
        ),
        BodyEncoding::Binary => (quote!(mock::bytes_body(self, &body)), "byte for byte"),
        BodyEncoding::Multipart => return None,
    };
    let docs = doc_attrs(&[format!(
        "Matches only a request whose {} body is this value, {how}.",
        code(&body.media_type)
    )]);
    Some(quote! {
        #docs
        pub fn body(self, body: #argument) -> Self {
            #convert
            #call
        }
    })
}

/// `responds(...)`: answers with a success value (none for an operation whose success
/// is its response headers).
fn responds(operation: &Operation) -> Option<TokenStream> {
    let successes: Vec<&Response> = operation
        .responses
        .iter()
        .filter(|response| response.is_success())
        .collect();
    let status_of =
        |response: &Response| Literal::u16_unsuffixed(reply_status(operation, response.status));
    let (argument, reply, status_docs) = match &operation.success {
        Success::Headers => return None,
        Success::Unit => {
            let status = successes
                .first()
                .map_or(200, |response| reply_status(operation, response.status));
            let status_literal = Literal::u16_unsuffixed(status);
            (
                quote!(),
                quote!(Reply::empty(#status_literal)),
                format!("`{status}` without a body"),
            )
        }
        Success::Body(body) => {
            let response = successes
                .iter()
                .find(|response| response.body.is_some())
                .or(successes.first())?;
            let status = reply_status(operation, response.status);
            let argument = argument_tokens(&body.ty, false);
            let convert = conversion(&body.ty, &ident("value"));
            let reply = body_reply(
                status_of(response),
                body.encoding,
                &body.media_type,
                quote!(value),
                true,
            );
            (
                quote!(value: #argument),
                match convert {
                    Some(convert) => quote!({ #convert #reply }),
                    None => reply,
                },
                format!("`{status}` with `value` as its body"),
            )
        }
        Success::Outcomes { type_name } => {
            let type_name = ident(type_name);
            let arms = successes.iter().map(|response| {
                let variant = ident(&response.variant_name);
                let status = status_of(response);
                match &response.body {
                    Some(body) => {
                        let reply = body_reply(
                            status,
                            body.encoding,
                            &body.media_type,
                            quote!(value),
                            true,
                        );
                        quote!(crate::operations::#type_name::#variant(value) => #reply,)
                    }
                    None => {
                        quote!(crate::operations::#type_name::#variant => Reply::empty(#status),)
                    }
                }
            });
            (
                quote!(value: crate::operations::#type_name),
                quote!(match value { #(#arms)* }),
                "the outcome's status with its body".to_string(),
            )
        }
    };
    let docs = doc_attrs(&[format!(
        "Answers {status_docs}: the client's call returns it. Sets the expectation."
    )]);
    Some(quote! {
        #docs
        pub fn responds(self, #argument) -> Expected<'m> {
            mock::reply(self, #reply)
        }
    })
}

/// For an argument taken as `impl Into<T>`, the statement making it a `T`.
fn conversion(ty: &crate::ir::TypeRef, name: &proc_macro2::Ident) -> Option<TokenStream> {
    let value = argument_into(ty, name);
    if *name == value.to_string() {
        return None;
    }
    let ty = type_tokens(ty, false);
    Some(quote!(let #name: #ty = #value;))
}

/// A reply of `status` with the body in `value` (a local, `owned` or a reference),
/// encoded as `media_type`.
fn body_reply(
    status: Literal,
    encoding: BodyEncoding,
    media_type: &str,
    value: TokenStream,
    owned: bool,
) -> TokenStream {
    let wildcard = media_type.contains('*');
    let reference = if owned {
        quote!(&#value)
    } else {
        value.clone()
    };
    match encoding {
        BodyEncoding::Text => {
            let media_type = if wildcard { "text/plain" } else { media_type };
            quote!(Reply::bytes(#status, #media_type, #value.as_bytes()))
        }
        BodyEncoding::Binary => {
            let media_type = super::send::binary_content_type(media_type);
            quote!(Reply::bytes(#status, #media_type, #reference))
        }
        _ => {
            let media_type = if wildcard {
                "application/json"
            } else {
                media_type
            };
            quote!(Reply::json(#status, #media_type, #reference))
        }
    }
}

/// The status a mock answers for a documented response: its code; for a range (`4XX`)
/// the first code in it the operation documents no other way; for `default` the first
/// such code of 5xx, 4xx or 3xx outside the ranges it documents. So the client decodes
/// the reply as that response.
pub fn reply_status(operation: &Operation, status: StatusMatch) -> u16 {
    let codes: Vec<u16> = operation
        .responses
        .iter()
        .filter_map(|response| match response.status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    let ranges: Vec<u16> = operation
        .responses
        .iter()
        .filter_map(|response| match response.status {
            StatusMatch::Range(digit) => Some(digit),
            _ => None,
        })
        .collect();
    let free = |code: &u16| !codes.contains(code);
    match status {
        StatusMatch::Code(code) => code,
        StatusMatch::Range(digit) => (digit * 100..digit * 100 + 100)
            .find(free)
            .unwrap_or(digit * 100),
        StatusMatch::Default => (500..600)
            .chain(400..500)
            .chain(300..400)
            .filter(|code| !ranges.contains(&(code / 100)))
            .find(free)
            .unwrap_or(500),
    }
}

/// `impl ErrorReply` for an operation's error enum: each documented error as the reply
/// that the client decodes as it.
pub fn error_reply_impl(operation: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let arms: Vec<TokenStream> = super::errors::error_responses(operation)
        .map(|response| {
            let variant = ident(&response.variant_name);
            let status = Literal::u16_unsuffixed(reply_status(operation, response.status));
            match &response.body {
                Some(body) => {
                    let reply =
                        body_reply(status, body.encoding, &body.media_type, quote!(body), false);
                    quote!(Self::#variant(body) => crate::mock::#reply,)
                }
                None => quote!(Self::#variant => crate::mock::Reply::empty(#status),),
            }
        })
        .collect();
    let body = if arms.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#arms)* })
    };
    quote! {
        #[cfg(feature = "mock")]
        impl crate::mock::ErrorReply for #name {
            fn reply(&self) -> crate::mock::Reply {
                #body
            }
        }
    }
}
