//! `src/errors.rs`: per operation, an enum of the error statuses the spec documents.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::rust_type::{ident, type_tokens};
use crate::ir::{Api, Operation, Response, StatusMatch};

/// Name of the error enum of `operation`.
pub fn error_type_name(operation: &Operation) -> String {
    format!("{}Error", operation.type_name)
}

/// The documented error responses of `operation`: everything that is not 2xx.
pub fn error_responses(operation: &Operation) -> impl Iterator<Item = &Response> {
    operation
        .responses
        .iter()
        .filter(|response| !response.is_success())
}

/// The `errors` module.
///
/// Operations whose documented errors are the same (statuses, bodies, descriptions),
/// which is most of them in a large API, share one enum: the first such operation's
/// names it, and the others' names are aliases of it. Every operation keeps its own
/// name (`errors::InstanceListError`), and a crate compiles each shape once.
pub fn errors_rs(api: &Api, areas: &super::areas::Areas) -> TokenStream {
    // Shape (the variants' tokens) -> the operations that have it, in spec order.
    let mut shapes: indexmap::IndexMap<String, Vec<&Operation>> = indexmap::IndexMap::new();
    for operation in &api.operations {
        let key = error_variants(operation).0.to_string();
        shapes.entry(key).or_default().push(operation);
    }
    let enums = shapes.values().flat_map(|operations| {
        let (first, others) = operations
            .split_first()
            .map_or((None, &[][..]), |(first, others)| (Some(first), others));
        let first_name = first.map(|first| error_type_name(first));
        let cfg = areas.of_operations(operations.iter().copied());
        let shared = first.map(|first| {
            super::areas::with_attribute(error_enum(first, others.len(), areas.is_split()), &cfg)
        });
        let aliases = others.iter().map(move |operation| {
            let name = ident(&error_type_name(operation));
            let target = first_name.as_deref().unwrap_or_default();
            let target_ident = ident(target);
            let method = &operation.method_name;
            let docs = doc_attrs(&[format!(
                "Error statuses documented for {} ({} `{} {}`): the same as [`{target}`]'s.",
                method_reference(method, areas.is_split()),
                code(&operation.operation_id),
                operation.http_method,
                operation.path
            )]);
            let cfg = areas.of_operation(operation);
            quote! {
                #docs
                #cfg
                pub type #name = #target_ident;
            }
        });
        shared.into_iter().chain(aliases)
    });
    quote! {
        //! Per operation, the error statuses its spec documents, each with its parsed body.
        //!
        //! They come wrapped in [`Error::Api`](crate::Error::Api), next to the raw response.
        #(#enums)*
    }
}

/// The client method an error belongs to, in docs: a link, but plain code when the crate
/// is split into areas (with another area alone, the method is not compiled and a link
/// to it would be broken).
fn method_reference(method: &str, split: bool) -> String {
    if split {
        format!("`Client::{method}`")
    } else {
        format!("[`Client::{method}`](crate::Client::{method})")
    }
}

/// How a status is shown in docs and `Display`: `404`, `4XX`, `default`.
pub fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}

/// The first line of a description that reads as a sentence (not a code fence or a
/// blank), for `Display`; `HTTP status` when there is none.
fn summary_line(description: &str) -> String {
    description
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("```") && !line.starts_with("~~~"))
        .map_or_else(|| "HTTP status".to_string(), str::to_string)
}

/// The enum's variants, `Display` arms and `status` arms.
fn error_variants(operation: &Operation) -> (TokenStream, Vec<TokenStream>, Vec<TokenStream>) {
    let mut variants = Vec::new();
    let mut display_arms = Vec::new();
    let mut status_arms = Vec::new();
    for response in error_responses(operation) {
        let variant = ident(&response.variant_name);
        let label = status_label(response.status);
        let variant_docs = doc_attrs(&[
            format!("Status `{label}`."),
            spec_text(&response.description),
        ]);
        let message = format!("{} ({label})", summary_line(&response.description));
        let status = match response.status {
            crate::ir::StatusMatch::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(Some(#code))
            }
            _ => quote!(None),
        };
        let pattern = if response.body.is_some() {
            quote!(Self::#variant(_))
        } else {
            quote!(Self::#variant)
        };
        status_arms.push(quote! { #pattern => #status, });
        match &response.body {
            Some(body) => {
                let body = type_tokens(&body.ty, false);
                variants.push(quote! { #variant_docs #variant(#body), });
                display_arms.push(quote! { Self::#variant(_) => f.write_str(#message), });
            }
            None => {
                variants.push(quote! { #variant_docs #variant, });
                display_arms.push(quote! { Self::#variant => f.write_str(#message), });
            }
        }
    }
    (quote!(#(#variants)*), display_arms, status_arms)
}

/// The error enum of `operation`, shared by `others` operations with the same errors.
fn error_enum(operation: &Operation, others: usize, split: bool) -> TokenStream {
    let name = ident(&error_type_name(operation));
    let method = &operation.method_name;
    let shared = match others {
        0 => String::new(),
        1 => " Another operation documents the same errors and names this enum too.".to_string(),
        _ => format!(" {others} other operations document the same errors and name this enum too."),
    };
    let docs = doc_attrs(&[format!(
        "Error statuses documented for {} ({} `{} {}`).{shared}",
        method_reference(method, split),
        code(&operation.operation_id),
        operation.http_method,
        operation.path
    )]);
    let (variants, display_arms, status_arms) = error_variants(operation);
    let mock_reply = super::mock::error_reply_impl(operation, &name);
    let (formatter, display_body) = if display_arms.is_empty() {
        (quote!(_), quote!(match *self {}))
    } else {
        (quote!(f), quote!(match self { #(#display_arms)* }))
    };
    let status_body = if status_arms.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#status_arms)* })
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #variants
        }

        impl #name {
            /// The status code the spec documents for this error; `None` for a range
            /// (`4XX`) or `default`, where [`Error::status`](crate::Error::status) has the
            /// one received.
            pub fn status(&self) -> Option<u16> {
                #status_body
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        impl std::error::Error for #name {}

        #mock_reply
    }
}
