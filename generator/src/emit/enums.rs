//! String and integer enums with a catch-all variant.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::rust_type::ident;
use crate::ir::{IntegerEnum, StringEnum};

/// A string enum with a catch-all variant: its definition, and one call of the runtime's
/// `string_enum!` for `as_str`, serde (every value, known or not, round-trips byte for
/// byte), `Display`, `FromStr` and `Validate`.
pub fn string_enum_def(
    type_name: &str,
    docs: TokenStream,
    string_enum: &StringEnum,
) -> TokenStream {
    let name = ident(type_name);
    let catch_all = ident(&string_enum.catch_all);
    let variant_idents: Vec<_> = string_enum
        .variants
        .iter()
        .map(|variant| ident(&variant.rust_name))
        .collect();
    let values: Vec<&str> = string_enum
        .variants
        .iter()
        .map(|variant| variant.value.as_str())
        .collect();
    let variant_docs: Vec<TokenStream> = string_enum
        .variants
        .iter()
        .map(|variant| match &variant.docs {
            Some(docs) => doc_attrs(&[spec_text(docs), code(&variant.value)]),
            None => doc_attrs(&[code(&variant.value)]),
        })
        .collect();
    let catch_all_docs = " A value this version of the crate does not know; kept as sent, so it serialises back unchanged.";
    let default_impl = string_enum.default.as_ref().and_then(|default| {
        let variant = string_enum
            .variants
            .iter()
            .find(|variant| variant.value == *default)?;
        let variant = ident(&variant.rust_name);
        let docs = format!(" The spec's default, {}.", code(default));
        Some(quote! {
            impl Default for #name {
                #[doc = #docs]
                fn default() -> Self {
                    Self::#variant
                }
            }
        })
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variant_idents,
            )*
            #[doc = #catch_all_docs]
            #catch_all(String),
        }

        crate::enum_impls::string_enum!(#name, #catch_all, [#(#variant_idents = #values),*]);

        #default_impl
    }
}

/// An integer enum with a catch-all variant, serialised as the bare integer: its
/// definition and one call of the runtime's `integer_enum!`.
pub fn integer_enum_def(
    type_name: &str,
    docs: TokenStream,
    integer_enum: &IntegerEnum,
) -> TokenStream {
    let name = ident(type_name);
    let catch_all = ident(&integer_enum.catch_all);
    let variant_idents: Vec<_> = integer_enum
        .variants
        .iter()
        .map(|(rust_name, _)| ident(rust_name))
        .collect();
    let values: Vec<Literal> = integer_enum
        .variants
        .iter()
        .map(|(_, value)| Literal::i64_unsuffixed(*value))
        .collect();
    let variant_docs: Vec<String> = integer_enum
        .variants
        .iter()
        .map(|(_, value)| format!(" `{value}`"))
        .collect();
    let catch_all_docs = " A value this version of the crate does not know; kept as sent, so it serialises back unchanged.";
    let default_impl = integer_enum.default.and_then(|default| {
        let (variant, _) = integer_enum
            .variants
            .iter()
            .find(|(_, value)| *value == default)?;
        let variant = ident(variant);
        let docs = format!(" The spec's default, `{default}`.");
        Some(quote! {
            impl Default for #name {
                #[doc = #docs]
                fn default() -> Self {
                    Self::#variant
                }
            }
        })
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variant_idents,
            )*
            #[doc = #catch_all_docs]
            #catch_all(i64),
        }

        crate::enum_impls::integer_enum!(#name, #catch_all, [#(#variant_idents = #values),*]);

        #default_impl
    }
}
