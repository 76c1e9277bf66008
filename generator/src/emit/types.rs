//! `src/types.rs`: one Rust type per named schema.

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::docs::{code, doc_attrs, spec_text};
use super::rust_type::{argument_tokens, boxed_type_tokens, ident, type_tokens};
use crate::ir::{
    Api, Constraints, Direction, Field, FieldForm, Struct, TypeDef, TypeKind, TypeRef,
};

/// Above this many constructor arguments clippy asks for a builder; a schema with that
/// many required properties gets a constructor anyway, since every one is needed.
const CLIPPY_TOO_MANY_ARGUMENTS: usize = 7;

/// The `types` module.
pub fn types_rs(api: &Api, areas: &super::areas::Areas) -> TokenStream {
    let mut defaults = Vec::new();
    let items: Vec<TokenStream> = api
        .types
        .iter()
        .map(|definition| {
            let cfg = areas.of_type(&definition.name);
            let mut own_defaults = Vec::new();
            let items = type_def(api, definition, &mut own_defaults);
            defaults.extend(
                own_defaults
                    .into_iter()
                    .map(|function| super::areas::with_attribute(function, &cfg)),
            );
            super::areas::with_attribute(items, &cfg)
        })
        .collect();
    let defaults_module = if defaults.is_empty() {
        quote!()
    } else {
        quote! {
            /// Default values from the spec, for `#[serde(default = ...)]`.
            mod defaults {
                #(#defaults)*
            }
        }
    };
    let uses_double_option = items
        .iter()
        .any(|item| item.to_string().contains("\"double_option\""));
    // With areas, an area's types may be all that use it.
    let allow_unused = areas.is_split().then(|| quote!(#[allow(unused_imports)]));
    let double_option =
        uses_double_option.then(|| quote!(#allow_unused use serde_with::rust::double_option;));
    quote! {
        //! Data types: one per schema in the spec's `components/schemas`, plus one per
        //! inline object or enum, named after where it appears.
        //!
        //! Structs are `#[non_exhaustive]`: build them with `new` (required properties) and
        //! the `with_*` setters (optional ones), so a property added to the spec later does
        //! not break your code. Optional properties are `Option<T>` (`None`: absent);
        //! optional properties that may also be `null` are `Option<Option<T>>` (outer:
        //! present, inner: not null); required ones that may be `null` are `Option<T>`
        //! (`None`: `null`); optional ones with a spec default are `T`, filled in with the
        //! default (which their docs give) when absent.
        #double_option
        #(#items)*
        #defaults_module
    }
}

fn type_def(api: &Api, definition: &TypeDef, defaults: &mut Vec<TokenStream>) -> TokenStream {
    let origin = format!("Generated from {}.", code(&definition.origin));
    let docs = doc_attrs(&[spec_text(definition.docs.as_deref().unwrap_or("")), origin]);
    let name = ident(&definition.name);
    match &definition.kind {
        TypeKind::Struct(structure) => struct_def(api, &definition.name, docs, structure, defaults),
        TypeKind::StringEnum(string_enum) => {
            super::enums::string_enum_def(&definition.name, docs, string_enum)
        }
        TypeKind::IntegerEnum(integer_enum) => {
            super::enums::integer_enum_def(&definition.name, docs, integer_enum)
        }
        TypeKind::Union(union) => super::unions::union_def(&definition.name, docs, union),
        TypeKind::Alias(target) => {
            let target = type_tokens(target, true);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Newtype(target) => {
            let target = type_tokens(target, true);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}

fn struct_def(
    api: &Api,
    type_name: &str,
    docs: TokenStream,
    structure: &Struct,
    defaults: &mut Vec<TokenStream>,
) -> TokenStream {
    let name = ident(type_name);
    let mut fields = Vec::new();
    let mut parameters = Vec::new();
    let mut initialisers = Vec::new();
    let mut setters = Vec::new();
    for field in &structure.fields {
        let field_name = ident(&field.rust_name);
        let ty = if field.boxed {
            boxed_type_tokens(&field.ty, true)
        } else {
            type_tokens(&field.ty, true)
        };
        let default = field
            .default
            .as_ref()
            .and_then(|value| default_value(api, &field.ty, value));
        let form = field.form;
        // Say nothing where the spec says nothing: no "The `x` property.", and no
        // "Required."/"Optional." that the field's type already says (the module docs
        // explain the forms once).
        let summary = field.docs.as_deref().map(spec_text).unwrap_or_default();
        let direction_docs = match field.direction {
            Direction::Both => String::new(),
            Direction::ReadOnly => {
                "Read-only: the server sets it; `new` leaves it out, so requests do not send it."
                    .to_string()
            }
            Direction::WriteOnly => {
                "Write-only: sent in requests; responses do not carry it.".to_string()
            }
        };
        let field_docs = doc_attrs(&[
            summary,
            direction_docs,
            constraint_docs(&field.constraints, field.default.as_ref()),
        ]);
        let rename = (field.json_name != field.rust_name).then(|| {
            let json_name = &field.json_name;
            quote!(#[serde(rename = #json_name)])
        });
        let (field_ty, serde_attr) = match form {
            FieldForm::Plain => (ty.clone(), quote!()),
            FieldForm::RequiredNullable => (quote!(Option<#ty>), quote!()),
            FieldForm::Optional => (
                quote!(Option<#ty>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            ),
            FieldForm::OptionalNullable => (
                quote!(Option<Option<#ty>>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]),
            ),
            FieldForm::Defaulted => {
                let function = format!(
                    "{}_{}",
                    type_name.to_snake_case(),
                    field.rust_name.trim_end_matches('_')
                );
                let function_ident = ident(&function);
                let crate_ty = type_tokens(&field.ty, false);
                defaults.push(quote! {
                    pub(super) fn #function_ident() -> #crate_ty {
                        #default
                    }
                });
                let path = format!("defaults::{function}");
                (ty.clone(), quote!(#[serde(default = #path)]))
            }
        };
        fields.push(quote! {
            #field_docs
            #rename
            #serde_attr
            pub #field_name: #field_ty,
        });
        initialisers.push(match form {
            FieldForm::Plain => {
                let argument_ty = if field.boxed {
                    ty.clone()
                } else {
                    argument_tokens(&field.ty, true)
                };
                parameters.push(quote!(#field_name: #argument_ty));
                if matches!(
                    field.ty,
                    TypeRef::String | TypeRef::Bytes | TypeRef::Base64 | TypeRef::File
                ) {
                    quote!(#field_name: #field_name.into())
                } else {
                    quote!(#field_name)
                }
            }
            FieldForm::RequiredNullable => {
                parameters.push(quote!(#field_name: Option<#ty>));
                quote!(#field_name)
            }
            FieldForm::Optional if field.demanded => {
                let argument_ty = argument_tokens(&field.ty, true);
                parameters.push(quote!(#field_name: #argument_ty));
                quote!(#field_name: Some(#field_name.into()))
            }
            FieldForm::Optional | FieldForm::OptionalNullable => quote!(#field_name: None),
            FieldForm::Defaulted => {
                let function = ident(&format!(
                    "{}_{}",
                    type_name.to_snake_case(),
                    field.rust_name.trim_end_matches('_')
                ));
                quote!(#field_name: defaults::#function())
            }
        });
        if let Some(setter) = setter(field, form, &ty).filter(|_| !field.demanded) {
            setters.push(setter);
        }
    }
    if let Some(additional) = &structure.additional {
        let field_name = ident(&additional.rust_name);
        let value = type_tokens(&additional.value, true);
        fields.push(quote! {
            /// Keys that are not declared properties (`additionalProperties`), with their values.
            #[serde(flatten)]
            pub #field_name: std::collections::BTreeMap<String, #value>,
        });
        initialisers.push(quote!(#field_name: std::collections::BTreeMap::new()));
    }
    let allow_many = (parameters.len() > CLIPPY_TOO_MANY_ARGUMENTS)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_docs = if parameters.is_empty() {
        " Creates a value with every optional property absent or at its spec default."
    } else {
        " Creates a value from the required properties; optional ones start absent or at their spec default."
    };
    let default_impl = parameters.is_empty().then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let has_secrets = structure.fields.iter().any(|field| field.secret);
    let derived_debug = (!has_secrets).then(|| quote!(Debug,));
    let secret_debug = has_secrets.then(|| redacting_debug(type_name, structure));
    quote! {
        #docs
        #[derive(#derived_debug Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #secret_debug

        impl #name {
            #[doc = #new_docs]
            #allow_many
            pub fn new(#(#parameters),*) -> Self {
                Self {
                    #(#initialisers,)*
                }
            }

            #(#setters)*
        }

        #default_impl
    }
}

/// `with_<field>` for properties that `new` does not take.
/// `with_<field>` for properties that `new` does not take. Its name says what it does;
/// only the nullable form, whose `None` is not "absent", says more.
fn setter(field: &Field, form: FieldForm, ty: &TokenStream) -> Option<TokenStream> {
    let field_name = ident(&field.rust_name);
    let setter_name = ident(&format!("with_{}", field.rust_name.trim_end_matches('_')));
    let (docs, argument, value) = match form {
        FieldForm::Plain | FieldForm::RequiredNullable => return None,
        FieldForm::Optional => (
            quote!(),
            quote!(impl Into<#ty>),
            quote!(Some(#field_name.into())),
        ),
        FieldForm::Defaulted => (quote!(), quote!(impl Into<#ty>), quote!(#field_name.into())),
        FieldForm::OptionalNullable => {
            let docs = format!(
                " `None` sends an explicit `null` for {}.",
                code(&field.json_name)
            );
            (
                quote!(#[doc = #docs]),
                quote!(Option<#ty>),
                quote!(Some(#field_name)),
            )
        }
    };
    Some(quote! {
        #docs
        pub fn #setter_name(mut self, #field_name: #argument) -> Self {
            self.#field_name = #value;
            self
        }
    })
}

/// A spec default as a Rust expression of `ty`, or `None` when it cannot be written
/// faithfully (the field then stays `Option` and the default is only documented).
fn default_value(api: &Api, ty: &TypeRef, value: &serde_json::Value) -> Option<TokenStream> {
    match (ty, value) {
        (TypeRef::Boolean, serde_json::Value::Bool(flag)) => Some(quote!(#flag)),
        (TypeRef::Integer(_), serde_json::Value::Number(number)) => number
            .as_i64()
            .map(|number| Literal::i64_unsuffixed(number).into_token_stream()),
        (TypeRef::Number(_), serde_json::Value::Number(number)) => number
            .as_f64()
            .map(|number| Literal::f64_unsuffixed(number).into_token_stream()),
        (TypeRef::String, serde_json::Value::String(text)) => Some(quote!(String::from(#text))),
        (TypeRef::Named(name), serde_json::Value::Number(number)) => {
            let value = number.as_i64()?;
            let (variant, _) =
                api.type_named(name)
                    .and_then(|definition| match &definition.kind {
                        TypeKind::IntegerEnum(integer_enum) => integer_enum
                            .variants
                            .iter()
                            .find(|(_, known)| *known == value),
                        _ => None,
                    })?;
            let type_ident = ident(name);
            let variant_ident = ident(variant);
            Some(quote!(crate::types::#type_ident::#variant_ident))
        }
        (TypeRef::Named(name), serde_json::Value::String(text)) => {
            let variant = api
                .type_named(name)
                .and_then(|definition| match &definition.kind {
                    TypeKind::StringEnum(string_enum) => string_enum
                        .variants
                        .iter()
                        .find(|variant| variant.value == *text),
                    _ => None,
                })?;
            let type_ident = ident(name);
            let variant_ident = ident(&variant.rust_name);
            Some(quote!(crate::types::#type_ident::#variant_ident))
        }
        _ => None,
    }
}

/// "Default: `x`. Minimum: 1. ..." from a schema's keywords.
pub fn constraint_docs(constraints: &Constraints, default: Option<&serde_json::Value>) -> String {
    let mut parts = Vec::new();
    if let Some(default) = default {
        let shown = match default {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        parts.push(format!("Default: {}.", code(&shown)));
    }
    if let Some(format) = &constraints.format {
        parts.push(format!("Format: {}.", code(format)));
    }
    if let Some((minimum, exclusive)) = constraints.minimum {
        parts.push(format!(
            "Minimum: {}{}.",
            bound_text(minimum),
            if exclusive { " (exclusive)" } else { "" }
        ));
    }
    if let Some((maximum, exclusive)) = constraints.maximum {
        parts.push(format!(
            "Maximum: {}{}.",
            bound_text(maximum),
            if exclusive { " (exclusive)" } else { "" }
        ));
    }
    if let Some(step) = constraints.multiple_of {
        parts.push(format!("Multiple of {}.", number_text(step)));
    }
    match (constraints.min_length, constraints.max_length) {
        (Some(min), Some(max)) => parts.push(format!("Length: {min} to {max} characters.")),
        (Some(min), None) => parts.push(format!("Length: at least {min} characters.")),
        (None, Some(max)) => parts.push(format!("Length: at most {max} characters.")),
        (None, None) => {}
    }
    if let Some(pattern) = &constraints.pattern {
        parts.push(format!("Pattern: {}.", code(pattern)));
    }
    match (constraints.min_items, constraints.max_items) {
        (Some(min), Some(max)) => parts.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => parts.push(format!("Items: at least {min}.")),
        (None, Some(max)) => parts.push(format!("Items: at most {max}.")),
        (None, None) => {}
    }
    parts.join(" ")
}

/// `8.0` -> `8`, `0.5` -> `0.5`.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A bound as the spec wrote it: an integer in full, a number as [`number_text`] does.
fn bound_text(bound: crate::ir::Bound) -> String {
    match bound {
        crate::ir::Bound::Integer(value) => value.to_string(),
        crate::ir::Bound::Number(value) => number_text(value),
    }
}

/// `Debug` of a struct with secret fields (`format: password`, `writeOnly` strings):
/// every field as derived `Debug` shows it, but a secret's value is `[redacted]`; whether
/// it is present still shows (`Some([redacted])`, `None`).
fn redacting_debug(type_name: &str, structure: &Struct) -> TokenStream {
    let name = ident(type_name);
    let entries = structure.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let label = &field.rust_name;
        let value = if !field.secret {
            quote!(&self.#field_name)
        } else {
            match field.form {
                FieldForm::Plain | FieldForm::Defaulted => quote!(&crate::redact::Redacted),
                FieldForm::Optional | FieldForm::RequiredNullable => {
                    quote!(&self.#field_name.as_ref().map(|_| crate::redact::Redacted))
                }
                FieldForm::OptionalNullable => quote!(&self
                    .#field_name
                    .as_ref()
                    .map(|value| value.as_ref().map(|_| crate::redact::Redacted))),
            }
        };
        quote!(.field(#label, #value))
    });
    let additional = structure.additional.as_ref().map(|additional| {
        let field_name = ident(&additional.rust_name);
        let label = &additional.rust_name;
        quote!(.field(#label, &self.#field_name))
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#entries)*
                    #additional
                    .finish()
            }
        }
    }
}
