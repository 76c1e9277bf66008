//! IR types as Rust type tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{IntegerWidth, NumberWidth, TypeRef};

/// An identifier token. IR names are valid identifiers by construction (see
/// `normalise::names`).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for `ty`, with named types as `crate::types::Name` unless `local`.
pub fn type_tokens(ty: &TypeRef, local: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntegerWidth::I8) => quote!(i8),
        TypeRef::Integer(IntegerWidth::I16) => quote!(i16),
        TypeRef::Integer(IntegerWidth::I32) => quote!(i32),
        TypeRef::Integer(IntegerWidth::I64) => quote!(i64),
        TypeRef::Integer(IntegerWidth::U8) => quote!(u8),
        TypeRef::Integer(IntegerWidth::U16) => quote!(u16),
        TypeRef::Integer(IntegerWidth::U32) => quote!(u32),
        TypeRef::Integer(IntegerWidth::U64) => quote!(u64),
        TypeRef::Number(NumberWidth::F32) => quote!(f32),
        TypeRef::Number(NumberWidth::F64) => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Ipv4 => quote!(std::net::Ipv4Addr),
        TypeRef::Ipv6 => quote!(std::net::Ipv6Addr),
        TypeRef::Ip => quote!(std::net::IpAddr),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(bytes::Bytes),
        TypeRef::Base64 => quote!(crate::Base64Bytes),
        TypeRef::File => quote!(crate::FilePart),
        TypeRef::Array(item) => {
            let item = type_tokens(item, local);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, local);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Tuple(positions) => {
            let positions = positions
                .iter()
                .map(|position| type_tokens(position, local));
            quote!((#(#positions,)*))
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, local);
            quote!(Option<#inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            if local {
                quote!(#name)
            } else {
                quote!(crate::types::#name)
            }
        }
    }
}

/// Like [`type_tokens`], with the by-value named type (`T` or `Option<T>`) in a `Box`:
/// for fields and variants that close a recursive cycle.
pub fn boxed_type_tokens(ty: &TypeRef, local: bool) -> TokenStream {
    match ty {
        TypeRef::Named(_) => {
            let inner = type_tokens(ty, local);
            quote!(Box<#inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = boxed_type_tokens(inner, local);
            quote!(Option<#inner>)
        }
        other => type_tokens(other, local),
    }
}

/// How a value of `ty` is taken as an argument: `impl Into<String>` for strings (so
/// `&str` works), the type itself otherwise.
pub fn argument_tokens(ty: &TypeRef, local: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::Bytes => quote!(impl Into<bytes::Bytes>),
        TypeRef::Base64 => quote!(impl Into<crate::Base64Bytes>),
        TypeRef::File => quote!(impl Into<crate::FilePart>),
        other => type_tokens(other, local),
    }
}

/// Converts an argument taken as [`argument_tokens`] into the stored type.
pub fn argument_into(ty: &TypeRef, value: &Ident) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Bytes | TypeRef::Base64 | TypeRef::File => {
            quote!(#value.into())
        }
        _ => quote!(#value),
    }
}
