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
        TypeRef::Integer(IntegerWidth::I32) => quote!(i32),
        TypeRef::Integer(IntegerWidth::I64) => quote!(i64),
        TypeRef::Number(NumberWidth::F32) => quote!(f32),
        TypeRef::Number(NumberWidth::F64) => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Array(item) => {
            let item = type_tokens(item, local);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, local);
            quote!(std::collections::BTreeMap<String, #value>)
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

/// How a value of `ty` is taken as an argument: `impl Into<String>` for strings (so
/// `&str` works), the type itself otherwise.
pub fn argument_tokens(ty: &TypeRef, local: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        other => type_tokens(other, local),
    }
}

/// Converts an argument taken as [`argument_tokens`] into the stored type.
pub fn argument_into(ty: &TypeRef, value: &Ident) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.into()),
        _ => quote!(#value),
    }
}
