//! `src/constraints.rs`: a `Validate` impl per named type whose values have something to
//! check (constraint keywords, enum membership, or a nested value that has), and the
//! checks a request builder runs on its parameters and body before sending.
//!
//! The runtime side (rules, errors, the regex engine) is `generator/runtime/src/validation.rs` (and `pattern.rs`).

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rust_type::ident;
use crate::ir::{
    Api, Constraints, FieldForm, Operation, ParameterLocation, TypeDef, TypeKind, TypeRef,
};

/// The named types whose values have something to check, found by a fixpoint over the
/// type graph (a struct is checked when a field is, so the answer flows up through
/// references, recursion included).
pub fn checked_types(api: &Api) -> BTreeSet<String> {
    let mut checked = BTreeSet::new();
    loop {
        let before = checked.len();
        for definition in &api.types {
            if !checked.contains(&definition.name) && type_has_checks(api, definition, &checked) {
                checked.insert(definition.name.clone());
            }
        }
        if checked.len() == before {
            return checked;
        }
    }
}

fn type_has_checks(api: &Api, definition: &TypeDef, checked: &BTreeSet<String>) -> bool {
    match &definition.kind {
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => true,
        TypeKind::Struct(structure) => structure
            .fields
            .iter()
            .any(|field| has_checks(api, &field.ty, &field.constraints, checked)),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .any(|variant| has_checks(api, &variant.ty, &Constraints::default(), checked)),
        TypeKind::Newtype(target) => has_checks(api, target, &Constraints::default(), checked),
        TypeKind::Alias(_) => false,
    }
}

/// The `constraints` module.
pub fn constraints_rs(api: &Api, areas: &super::areas::Areas) -> TokenStream {
    let checked = checked_types(api);
    let impls = api
        .types
        .iter()
        .filter(|definition| checked.contains(&definition.name))
        .map(|definition| {
            let cfg = areas.of_type(&definition.name);
            super::areas::with_attribute(validate_impl(api, definition, &checked), &cfg)
        });
    quote! {
        //! `Validate` for every type whose values the spec constrains (directly or
        //! through a value inside), generated from the schemas' keywords.

        #[allow(unused_imports)]
        use crate::validation::{self as check, FieldPath, Validate, ValidationError};

        #(#impls)*
    }
}

fn validate_impl(api: &Api, definition: &TypeDef, checked: &BTreeSet<String>) -> TokenStream {
    let name = ident(&definition.name);
    let body = match &definition.kind {
        TypeKind::Struct(structure) => {
            let fields = structure.fields.iter().map(|field| {
                if !has_checks(api, &field.ty, &field.constraints, checked) {
                    return quote!();
                }
                let member = ident(&field.rust_name);
                let json_name = &field.json_name;
                // A secret's value stays out of the error: its path says so.
                let segment = if field.secret {
                    quote!(secret_field)
                } else {
                    quote!(field)
                };
                // Only nested types to check: `Validate` on `Option`, `Vec` and maps
                // reaches them, whatever the field's form.
                if only_nested(api, &field.ty, &field.constraints, checked) {
                    return quote!(self.#member.validate_at(&field.#segment(#json_name))?;);
                }
                // Checks that look through `Option`s take the property as it is: one line
                // each.
                if direct(api, &field.ty, &field.constraints, checked) {
                    let value = quote!(&self.#member);
                    let path = quote!(&field.#segment(#json_name));
                    return value_checks(
                        api,
                        &field.ty,
                        &field.constraints,
                        checked,
                        &value,
                        &path,
                    );
                }
                let checks = local_checks(api, &field.ty, &field.constraints, checked);
                let scoped = quote! {
                    let field = field.#segment(#json_name);
                    #checks
                };
                match field.form {
                    FieldForm::Plain | FieldForm::Defaulted => {
                        quote!({ let value = &self.#member; #scoped })
                    }
                    FieldForm::Optional | FieldForm::RequiredNullable => {
                        quote!(if let Some(value) = &self.#member { #scoped })
                    }
                    FieldForm::OptionalNullable => {
                        quote!(if let Some(Some(value)) = &self.#member { #scoped })
                    }
                }
            });
            quote! { #(#fields)* Ok(()) }
        }
        // Enums get `Validate` from the runtime's `string_enum!`/`integer_enum!`, beside
        // their other impls.
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => return quote!(),
        TypeKind::Union(union) => {
            let mut complete = true;
            let arms: Vec<TokenStream> = union
                .variants
                .iter()
                .filter_map(|variant| {
                    let checks = local_checks(api, &variant.ty, &Constraints::default(), checked);
                    if checks.is_empty() {
                        complete = false;
                        return None;
                    }
                    let variant = ident(&variant.rust_name);
                    // The checks name an owned `field`, as in a struct's field checks.
                    Some(quote!(Self::#variant(value) => { let field = *field; #checks Ok(()) }))
                })
                .collect();
            let tagged_catch_all =
                matches!(union.tagging, crate::ir::Tagging::Discriminator { .. });
            let rest = (!complete || tagged_catch_all).then(|| quote!(_ => Ok(()),));
            quote! { match self { #(#arms)* #rest } }
        }
        TypeKind::Newtype(target) => {
            let checks = local_checks(api, target, &Constraints::default(), checked);
            quote! { let value = &self.0; let field = *field; #checks Ok(()) }
        }
        TypeKind::Alias(_) => return quote!(),
    };
    quote! {
        impl Validate for crate::types::#name {
            fn validate_at(&self, field: &FieldPath<'_>) -> Result<(), ValidationError> {
                #body
            }
        }
    }
}

/// Statements checking the value `value` (an expression of a `&T`, where `T` may be
/// wrapped in `Option`s when the type is [`direct`]) named `field` (an expression of a
/// `&FieldPath`) against `constraints` and its type; empty when there is nothing to check.
/// Each statement returns early with `?` on the first failure.
fn value_checks(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    checked: &BTreeSet<String>,
    value: &TokenStream,
    field: &TokenStream,
) -> TokenStream {
    let ty = api.resolve_alias(ty);
    let mut checks = Vec::new();
    match ty {
        TypeRef::String => {
            if constraints.min_length.is_some() || constraints.max_length.is_some() {
                let min = optional_usize(constraints.min_length);
                let max = optional_usize(constraints.max_length);
                checks.push(quote!(check::length(#value, #field, #min, #max)?;));
            }
            if let Some(pattern) = constraints
                .pattern
                .as_deref()
                .filter(|pattern| compiles(pattern))
            {
                checks.push(quote! {{
                    static PATTERN: std::sync::OnceLock<Option<regress::Regex>> = std::sync::OnceLock::new();
                    crate::pattern::check_pattern(#value, #field, #pattern, &PATTERN)?;
                }});
            }
        }
        TypeRef::Integer(_) | TypeRef::Number(_) => {
            if let Some((limit, exclusive)) = constraints.minimum {
                let limit = bound_literal(limit);
                checks.push(quote!(check::minimum(#value, #field, #limit, #exclusive)?;));
            }
            if let Some((limit, exclusive)) = constraints.maximum {
                let limit = bound_literal(limit);
                checks.push(quote!(check::maximum(#value, #field, #limit, #exclusive)?;));
            }
            if let Some(step) = constraints.multiple_of {
                let step = Literal::f64_suffixed(step);
                checks.push(quote!(check::multiple_of(#value, #field, #step)?;));
            }
        }
        TypeRef::Array(item) => {
            if constraints.min_items.is_some() || constraints.max_items.is_some() {
                let min = optional_usize(constraints.min_items);
                let max = optional_usize(constraints.max_items);
                checks.push(quote!(check::items(#value, #field, #min, #max)?;));
            }
            let local_value = quote!(value);
            let local_field = quote!(&field);
            let item_checks = value_checks(
                api,
                item,
                &Constraints::default(),
                checked,
                &local_value,
                &local_field,
            );
            if only_nested(api, item, &Constraints::default(), checked) {
                checks.push(quote!(Validate::validate_at(#value, #field)?;));
            } else if !item_checks.is_empty() {
                checks.push(quote! {
                    for (index, value) in #value.iter().enumerate() {
                        let field = #field.index(index);
                        #item_checks
                    }
                });
            }
        }
        TypeRef::Tuple(positions) => {
            for (index, position) in positions.iter().enumerate() {
                let position_checks = value_checks(
                    api,
                    position,
                    &Constraints::default(),
                    checked,
                    &quote!(value),
                    &quote!(&field),
                );
                if !position_checks.is_empty() {
                    let member = syn::Index::from(index);
                    checks.push(quote! {{
                        let value = &(#value).#member;
                        let field = #field.index(#index);
                        #position_checks
                    }});
                }
            }
        }
        TypeRef::Map(item) => {
            let local_value = quote!(value);
            let local_field = quote!(&field);
            let item_checks = value_checks(
                api,
                item,
                &Constraints::default(),
                checked,
                &local_value,
                &local_field,
            );
            if !item_checks.is_empty() {
                checks.push(quote! {
                    for (key, value) in #value {
                        let field = #field.key(key);
                        #item_checks
                    }
                });
            }
        }
        TypeRef::Nullable(inner) => {
            // `Option`s are looked through by the checks of a direct value; any other
            // value is unwrapped first.
            if direct(api, inner, constraints, checked) {
                checks.push(value_checks(api, inner, constraints, checked, value, field));
            } else {
                let local_value = quote!(value);
                let inner_checks =
                    value_checks(api, inner, constraints, checked, &local_value, field);
                if !inner_checks.is_empty() {
                    checks.push(quote!(if let Some(value) = #value { #inner_checks }));
                }
            }
        }
        TypeRef::Named(name) if checked.contains(name) => {
            checks.push(quote!(Validate::validate_at(#value, #field)?;));
        }
        _ => {}
    }
    quote!(#(#checks)*)
}

/// Whether a value of type `ty` has anything to check.
fn has_checks(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    checked: &BTreeSet<String>,
) -> bool {
    !local_checks(api, ty, constraints, checked).is_empty()
}

/// The checks of a value in the locals `value` (a `&T`) and `field` (a `FieldPath`).
fn local_checks(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    checked: &BTreeSet<String>,
) -> TokenStream {
    value_checks(
        api,
        ty,
        constraints,
        checked,
        &quote!(value),
        &quote!(&field),
    )
}

/// Whether every check of a value of type `ty` looks through the `Option`s around it
/// (the runtime's `Values`, and `Validate`'s blanket impls), so a property of any form
/// is checked by passing it as it is: everything but arrays of constrained items and
/// maps.
fn direct(api: &Api, ty: &TypeRef, constraints: &Constraints, checked: &BTreeSet<String>) -> bool {
    match api.resolve_alias(ty) {
        TypeRef::Array(item) => {
            only_nested(api, item, &Constraints::default(), checked)
                || unchecked(api, item, checked)
        }
        TypeRef::Map(item) => {
            only_nested(api, ty, constraints, checked) || unchecked(api, item, checked)
        }
        TypeRef::Tuple(positions) => positions
            .iter()
            .all(|position| unchecked(api, position, checked)),
        TypeRef::Nullable(inner) => direct(api, inner, constraints, checked),
        _ => true,
    }
}

/// Whether a value of type `ty`, with no constraints of its own, has nothing to check.
fn unchecked(api: &Api, ty: &TypeRef, checked: &BTreeSet<String>) -> bool {
    value_checks(
        api,
        ty,
        &Constraints::default(),
        checked,
        &quote!(value),
        &quote!(&field),
    )
    .is_empty()
}

/// Whether the only checks of a value of type `ty` are `Validate` impls of named types
/// inside it (through arrays, maps and nullables, with no constraint of their own), so
/// that the blanket impls for `Option`, `Vec` and maps can run them in one call.
fn only_nested(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    checked: &BTreeSet<String>,
) -> bool {
    if *constraints != Constraints::default() {
        return false;
    }
    match api.resolve_alias(ty) {
        TypeRef::Named(name) => checked.contains(name),
        TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => {
            only_nested(api, item, &Constraints::default(), checked)
        }
        _ => false,
    }
}

fn optional_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(value) => {
            let value = Literal::usize_unsuffixed(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

/// Whether `regress` accepts `pattern`; one it refuses is left unchecked (a runtime
/// failure to compile would otherwise reject every value).
pub fn compiles(pattern: &str) -> bool {
    regress::Regex::new(pattern).is_ok()
}

/// The checks a request builder runs in `send` before building the request: each
/// constrained parameter (named `query.limit`, `path.org_id`, ...) and the body (named
/// `body`), skipped when the client was built with `validate_requests(false)`. Empty when
/// the operation has nothing to check.
pub fn request_checks(
    api: &Api,
    checked: &BTreeSet<String>,
    operation: &Operation,
) -> Option<TokenStream> {
    let mut statements = Vec::new();
    for parameter in &operation.parameters {
        if !has_checks(api, &parameter.ty, &parameter.constraints, checked) {
            continue;
        }
        let location = match parameter.location {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        };
        let root = format!("{location}.{}", parameter.name);
        let member = ident(&parameter.rust_name);
        // A secret's value stays out of the error: its path says so.
        let root_path = if parameter.secret {
            quote!(FieldPath::secret_root(#root))
        } else {
            quote!(FieldPath::root(#root))
        };
        if only_nested(api, &parameter.ty, &parameter.constraints, checked) {
            statements.push(quote!(self.#member.validate_at(&#root_path)?;));
            continue;
        }
        if direct(api, &parameter.ty, &parameter.constraints, checked) {
            let value = quote!(&self.#member);
            let path = quote!(&#root_path);
            statements.push(value_checks(
                api,
                &parameter.ty,
                &parameter.constraints,
                checked,
                &value,
                &path,
            ));
            continue;
        }
        let checks = local_checks(api, &parameter.ty, &parameter.constraints, checked);
        let scoped = quote! {
            let field = #root_path;
            #checks
        };
        statements.push(if parameter.required {
            quote!({ let value = &self.#member; #scoped })
        } else {
            quote!(if let Some(value) = &self.#member { #scoped })
        });
    }
    if let Some((body, body_enum)) = operation
        .body
        .as_ref()
        .and_then(|body| Some((body, body.body_enum.as_ref()?)))
    {
        // Each variant is checked as its own type would be, bound to `value`.
        let enum_ident = ident(&body_enum.name);
        let arms: Vec<(TokenStream, TokenStream)> = body_enum
            .variants
            .iter()
            .filter_map(|variant| {
                let name = ident(&variant.variant);
                let checks = if only_nested(api, &variant.ty, &Constraints::default(), checked) {
                    quote!(value.validate_at(&FieldPath::root("body"))?;)
                } else {
                    let checks = local_checks(api, &variant.ty, &Constraints::default(), checked);
                    if checks.is_empty() {
                        return None;
                    }
                    quote!(let field = FieldPath::root("body"); #checks)
                };
                let pattern = if body.required {
                    quote!(#enum_ident::#name(value))
                } else {
                    quote!(Some(#enum_ident::#name(value)))
                };
                Some((pattern, checks))
            })
            .collect();
        let every_case = body.required && arms.len() == body_enum.variants.len();
        match arms.as_slice() {
            [] => {}
            // One checked variant among others: `if let` (clippy's `single_match`).
            [(pattern, checks)] if !every_case => {
                statements.push(quote!(if let #pattern = &self.body { #checks }));
            }
            _ => {
                let arms = arms
                    .iter()
                    .map(|(pattern, checks)| quote!(#pattern => { #checks }));
                let rest = (!every_case).then(|| quote!(_ => {}));
                statements.push(quote! {
                    match &self.body {
                        #(#arms)*
                        #rest
                    }
                });
            }
        }
    } else if let Some(body) = &operation.body {
        let checks = local_checks(api, &body.ty, &Constraints::default(), checked);
        if only_nested(api, &body.ty, &Constraints::default(), checked) {
            statements.push(quote!(self.body.validate_at(&FieldPath::root("body"))?;));
        } else if !checks.is_empty() {
            let scoped = quote! {
                let field = FieldPath::root("body");
                #checks
            };
            statements.push(if body.required {
                quote!({ let value = &self.body; #scoped })
            } else {
                quote!(if let Some(value) = &self.body { #scoped })
            });
        }
    }
    if statements.is_empty() {
        return None;
    }
    Some(quote! {
        #[allow(unused_imports)]
        use crate::validation::{self as check, FieldPath, Validate};
        #(#statements)*
    })
}

/// A bound as a suffixed literal: `9223372036854775807i64` exactly, or `0.5f64`.
fn bound_literal(bound: crate::ir::Bound) -> Literal {
    match bound {
        crate::ir::Bound::Integer(value) => Literal::i64_suffixed(value),
        crate::ir::Bound::Number(value) => Literal::f64_suffixed(value),
    }
}
