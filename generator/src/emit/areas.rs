//! Areas as Cargo features: which `#[cfg(feature = ...)]` each emitted item gets.
//!
//! An operation is behind its area's feature (set by `normalise/areas.rs`). A type is
//! behind the features of the areas whose operations reach it (through parameters,
//! bodies and responses, transitively through fields and variants); a type every area
//! reaches, or none does, or that an unconditional type refers to, is unconditional. So
//! a user who enables one area compiles that area's operations and the types only they
//! use, and `default` enables every area.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Operation, TypeKind, TypeRef};

/// The features of the crate and the `cfg` of each item.
pub struct Areas {
    /// Every area, sorted; empty when the API is not split.
    pub all: Vec<String>,
    /// Per named type, the areas that need it; absent: unconditional.
    types: BTreeMap<String, BTreeSet<String>>,
}

impl Areas {
    /// The areas of `api` and what each reaches.
    pub fn new(api: &Api) -> Self {
        let all: BTreeSet<String> = api
            .operations
            .iter()
            .filter_map(|operation| operation.area.clone())
            .collect();
        if all.is_empty() {
            return Areas {
                all: Vec::new(),
                types: BTreeMap::new(),
            };
        }
        let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for operation in &api.operations {
            let Some(area) = &operation.area else {
                continue;
            };
            for name in reachable(api, operation_roots(operation)) {
                reached.entry(name).or_default().insert(area.clone());
            }
        }
        // Unconditional: what no area reaches (kept whole, as public API), what every area
        // reaches, and everything such a type refers to.
        let unconditional_roots = api
            .types
            .iter()
            .map(|definition| &definition.name)
            .filter(|name| reached.get(*name).is_none_or(|areas| *areas == all))
            .cloned()
            .collect::<Vec<_>>();
        for name in reachable(api, unconditional_roots) {
            reached.remove(&name);
        }
        Areas {
            all: all.into_iter().collect(),
            types: reached,
        }
    }

    /// Whether the crate is split into features at all.
    pub fn is_split(&self) -> bool {
        !self.all.is_empty()
    }

    /// `#[cfg(...)]` of an operation's items, or nothing.
    pub fn of_operation(&self, operation: &Operation) -> TokenStream {
        match &operation.area {
            Some(area) if self.is_split() => quote!(#[cfg(feature = #area)]),
            _ => quote!(),
        }
    }

    /// `#[cfg(...)]` of the items of named type `name`, or nothing.
    pub fn of_type(&self, name: &str) -> TokenStream {
        match self.types.get(name) {
            Some(areas) => Self::any(areas.iter()),
            None => quote!(),
        }
    }

    /// `#[cfg(...)]` of something the operations `operations` need (a shared error enum).
    pub fn of_operations<'a>(
        &self,
        operations: impl IntoIterator<Item = &'a Operation>,
    ) -> TokenStream {
        if !self.is_split() {
            return quote!();
        }
        let areas: BTreeSet<&String> = operations
            .into_iter()
            .filter_map(|operation| operation.area.as_ref())
            .collect();
        if areas.len() == self.all.len() {
            return quote!();
        }
        Self::any(areas.into_iter())
    }

    fn any<'a>(areas: impl Iterator<Item = &'a String>) -> TokenStream {
        let areas: Vec<&String> = areas.collect();
        match areas.as_slice() {
            [] => quote!(),
            [area] => quote!(#[cfg(feature = #area)]),
            areas => quote!(#[cfg(any(#(feature = #areas),*))]),
        }
    }
}

/// `#[attribute]` added to every item in `items` (a struct, its impls, a macro call...),
/// after the item's doc comments, where a reader looks for it. Items that do not parse
/// are returned unchanged.
pub fn with_attribute(items: TokenStream, attribute: &TokenStream) -> TokenStream {
    if attribute.is_empty() {
        return items;
    }
    let (Ok(mut file), Ok(extra)) = (
        syn::parse2::<syn::File>(items.clone()),
        syn::parse::Parser::parse2(syn::Attribute::parse_outer, attribute.clone()),
    ) else {
        return items;
    };
    for item in &mut file.items {
        let Some(attributes) = attributes_of(item) else {
            continue;
        };
        let after_docs = attributes
            .iter()
            .take_while(|existing| existing.path().is_ident("doc"))
            .count();
        for (offset, attribute) in extra.iter().enumerate() {
            attributes.insert(after_docs + offset, attribute.clone());
        }
    }
    let items = file.items;
    quote!(#(#items)*)
}

fn attributes_of(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Struct(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Const(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        _ => return None,
    })
}

/// The named types an operation names directly.
fn operation_roots(operation: &Operation) -> Vec<String> {
    let mut roots = Vec::new();
    for parameter in &operation.parameters {
        names_in(&parameter.ty, &mut roots);
    }
    if let Some(body) = &operation.body {
        for ty in body.types() {
            names_in(ty, &mut roots);
        }
    }
    for response in &operation.responses {
        if let Some(body) = &response.body {
            names_in(&body.ty, &mut roots);
        }
    }
    roots
}

/// Every named type reachable from `roots`, roots included.
fn reachable(api: &Api, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = roots.into();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(definition) = api.type_named(&name) else {
            continue;
        };
        let mut next = Vec::new();
        match &definition.kind {
            TypeKind::Struct(structure) => {
                for field in &structure.fields {
                    names_in(&field.ty, &mut next);
                }
                if let Some(additional) = &structure.additional {
                    names_in(&additional.value, &mut next);
                }
            }
            TypeKind::Union(union) => {
                for variant in &union.variants {
                    names_in(&variant.ty, &mut next);
                }
            }
            TypeKind::Newtype(target) | TypeKind::Alias(target) => names_in(target, &mut next),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
        }
        queue.extend(next.into_iter().filter(|name| !seen.contains(name)));
    }
    seen
}

/// The named types inside `ty`.
fn names_in(ty: &TypeRef, names: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => names.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            names_in(inner, names)
        }
        TypeRef::Tuple(positions) => {
            for position in positions {
                names_in(position, names);
            }
        }
        _ => {}
    }
}
