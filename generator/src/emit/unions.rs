//! `oneOf`/`anyOf` unions.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::rust_type::{boxed_type_tokens, ident, type_tokens};
use crate::ir::{Tagging, Union};

/// A union: serde's `untagged` enum, or a discriminator-tagged enum with a catch-all.
///
/// Members can differ a lot in size; clippy's `large_enum_variant` is allowed because
/// boxing them would make every member harder to build and match for a saving on values
/// that live only while a response is handled.
pub fn union_def(type_name: &str, docs: TokenStream, union: &Union) -> TokenStream {
    let name = ident(type_name);
    let variant_idents: Vec<_> = union
        .variants
        .iter()
        .map(|variant| ident(&variant.rust_name))
        .collect();
    let variant_types: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|variant| {
            if variant.boxed {
                boxed_type_tokens(&variant.ty, true)
            } else {
                type_tokens(&variant.ty, true)
            }
        })
        .collect();
    match &union.tagging {
        Tagging::Untagged => {
            let variant_docs: Vec<TokenStream> = union
                .variants
                .iter()
                .map(|variant| doc_attrs(&[format!("The {} form.", code(&variant.rust_name))]))
                .collect();
            quote! {
                #docs
                ///
                /// Deserialised by trying each form in the spec's order; the first that fits wins.
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #variant_docs #variant_idents(#variant_types), )*
                }
            }
        }
        Tagging::Discriminator {
            property,
            catch_all,
        } => {
            let catch_all = ident(catch_all);
            let variant_docs: Vec<TokenStream> = union
                .variants
                .iter()
                .map(|variant| {
                    let values: Vec<String> =
                        variant.tag_values.iter().map(|value| code(value)).collect();
                    doc_attrs(&[format!("{} is {}.", code(property), values.join(" or "))])
                })
                .collect();
            let first_tags: Vec<&str> = union
                .variants
                .iter()
                .map(|variant| variant.tag_values.first().map_or("", String::as_str))
                .collect();
            let tag_patterns: Vec<TokenStream> = union
                .variants
                .iter()
                .map(|variant| {
                    let values = &variant.tag_values;
                    quote!(#(#values)|*)
                })
                .collect();
            let constructors: Vec<TokenStream> = union
                .variants
                .iter()
                .zip(&variant_idents)
                .map(|(variant, variant_ident)| {
                    if variant.boxed {
                        quote!(|value| Self::#variant_ident(Box::new(value)))
                    } else {
                        quote!(Self::#variant_ident)
                    }
                })
                .collect();
            let tagged_docs = format!(" Tagged by the {} property.", code(property));
            let catch_all_docs = format!(
                " An object whose {} this version of the crate does not know, kept as JSON so it serialises back unchanged.",
                code(property)
            );
            // Serde's internally tagged enums remove the tag before the member sees the
            // object, but member types often declare the tag property themselves (and
            // require it). So the whole object, tag included, is handed to the member; the
            // runtime's `enum_impls` does the JSON work once for every union.
            quote! {
                #docs
                ///
                #[doc = #tagged_docs]
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #variant_docs #variant_idents(#variant_types), )*
                    #[doc = #catch_all_docs]
                    #catch_all(serde_json::Value),
                }

                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        use crate::enum_impls::serialize_tagged as tagged;
                        match self {
                            #( Self::#variant_idents(value) => tagged(serializer, #property, #first_tags, value), )*
                            Self::#catch_all(value) => serde::Serialize::serialize(value, serializer),
                        }
                    }
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        use crate::enum_impls::tagged_member as member;
                        let (tag, value) = crate::enum_impls::read_tagged(deserializer, #property)?;
                        match tag.as_deref() {
                            #( Some(#tag_patterns) => member(value).map(#constructors), )*
                            _ => Ok(Self::#catch_all(value)),
                        }
                    }
                }
            }
        }
    }
}
