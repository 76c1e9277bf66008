//! `into_stream` on the request builder of each paginated list operation: a `Stream` of
//! every item across pages (runtime: `generator/runtime/src/pagination.rs`).
//!
//! Emitted into `src/operations.rs`, next to the operation's parameters, because it reads
//! their page and limit fields.

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::error_type_name;
use super::rust_type::{ident, type_tokens};
use crate::ir::{ClientBehaviour, IntegerWidth, Operation, Pagination, TypeRef};

/// The `impl` block with `into_stream`, when `operation` paginates.
pub fn stream_impl(behaviour: &ClientBehaviour, operation: &Operation) -> Option<TokenStream> {
    let pagination = behaviour.paginations.get(&operation.operation_id)?;
    let builder = ident(&operation.type_name);
    let error = ident(&error_type_name(operation));
    let item = type_tokens(&pagination.item_type, false);
    let page = ident(&pagination.page_parameter);
    let items = ident(&pagination.items_field);
    let first_page = to_i64(&pagination.page_type, quote!(page));
    let page_argument = from_i64(&pagination.page_type, quote!(page));
    let page_size = match &pagination.limit_parameter {
        Some(limit) => {
            let limit = ident(limit);
            quote!(self.params.#limit.and_then(|limit| u64::try_from(limit).ok()))
        }
        None => quote!(None),
    };
    let page_items = if pagination.items_optional {
        quote!(response.#items.unwrap_or_default())
    } else {
        quote!(response.#items)
    };
    let total = match &pagination.total_field {
        Some(total) => {
            let total = ident(total);
            if pagination.total_optional {
                quote!(response.#total.and_then(|total| u64::try_from(total).ok()))
            } else {
                quote!(u64::try_from(response.#total).ok())
            }
        }
        None => quote!(None),
    };
    let docs = stream_docs(pagination);
    Some(quote! {
        impl<'a> Request<'a, #builder> {
            #docs
            pub fn into_stream(
                self,
            ) -> impl futures_core::Stream<Item = Result<#item, Error<crate::errors::#error>>> + Send + 'a {
                let first_page = self.params.#page.map_or(1, |page| #first_page);
                let page_size = #page_size;
                crate::pagination::items(first_page, page_size, move |page| {
                    let request = self.clone().#page(#page_argument);
                    async move {
                        let response = request.send().await?;
                        Ok(crate::pagination::Page { total: #total, items: #page_items })
                    }
                })
            }
        }
    })
}

fn stream_docs(pagination: &Pagination) -> TokenStream {
    let total = match &pagination.total_field {
        Some(total) => format!(
            " It ends once `{total}` items (the response's count) were returned, or at an empty page."
        ),
        None => " It ends at an empty page.".to_string(),
    };
    let limit = match &pagination.limit_parameter {
        Some(limit) => format!(
            " The page size is the `{limit}` you set on this builder (the server's default otherwise)."
        ),
        None => String::new(),
    };
    let text = format!(
        "Every item of every page, as a `Stream`: requests page `{page}`, then the next, \
         each only once the previous page's items were consumed, starting at the `{page}` \
         set on this builder (default 1).{total}{limit}\n\n\
         An error (after the request's retries) is yielded and ends the stream. \
         See the crate docs for an example.",
        page = pagination.page_parameter,
    );
    let lines = text.lines().map(|line| format!(" {line}"));
    quote!(#(#[doc = #lines])*)
}

/// `value` (a page number of `ty`) as `i64`, without a panic.
fn to_i64(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Integer(IntegerWidth::I64) => value,
        TypeRef::Integer(IntegerWidth::U64) => quote!(i64::try_from(#value).unwrap_or(i64::MAX)),
        _ => quote!(i64::from(#value)),
    }
}

/// `value` (an `i64` page number) as `ty`; numbers past `ty`'s range saturate.
fn from_i64(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Integer(IntegerWidth::I64) => value,
        other => {
            let ty = type_tokens(other, false);
            quote!(#ty::try_from(#value).unwrap_or(#ty::MAX))
        }
    }
}
