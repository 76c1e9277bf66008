//! Union rules: `oneOf` and `anyOf`.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::names::{upper_camel, Scope};
use super::schema::{describe, Shape};
use super::Normaliser;
use crate::diagnostics::Diagnostic;
use crate::ir::{Tagging, TypeDef, TypeKind, TypeRef, Union, UnionVariant};

impl<'a> Normaliser<'a> {
    /// `oneOf`/`anyOf`.
    ///
    /// - Members that only say `null` (`{nullable: true}`, `{type: 'null'}`, `{enum: [null]}`)
    ///   make the union nullable instead of being variants; a union left with one member
    ///   is that member (`oneOf: [X, {nullable: true}]` is `Option<X>`).
    /// - With a `discriminator` whose members are all `$ref`s: an enum tagged by that
    ///   property, one variant per member, selected by the `mapping` values or, without a
    ///   mapping entry, the component's name (as OpenAPI defines). An object with a tag
    ///   the spec does not list is kept as raw JSON in a catch-all variant, so a new
    ///   member on the server does not break parsing.
    /// - Otherwise: serde's untagged enum, tried in spec order, with variants named after
    ///   the member's type.
    pub(super) fn union(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        keyword: &str,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        let mut nullable = false;
        let mut kept: Vec<(usize, &'a ReferenceOr<Schema>)> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            match member {
                ReferenceOr::Item(schema) if only_null(schema) => nullable = true,
                _ => kept.push((index, member)),
            }
        }
        let mut shape = match kept.as_slice() {
            [] => Shape::of(TypeRef::Json),
            [(index, only)] => {
                let mut shape = self.type_of(
                    (*only).into(),
                    &format!("{pointer}/{keyword}/{index}"),
                    name_hint,
                )?;
                shape.docs = None;
                shape
            }
            _ => {
                let name = self.claim_type_name(name_hint);
                let slot = self.reserve_type_slot();
                let tagged = match &data.discriminator {
                    Some(discriminator)
                        if kept
                            .iter()
                            .all(|(_, member)| matches!(member, ReferenceOr::Reference { .. })) =>
                    {
                        Some(discriminator)
                    }
                    _ => None,
                };
                let mut scope = Scope::with_reserved(&[]);
                let mut variants = Vec::new();
                for (index, member) in &kept {
                    let member_pointer = format!("{pointer}/{keyword}/{index}");
                    let member_shape = self.type_of(
                        (*member).into(),
                        &member_pointer,
                        &format!("{name}{}", member_name_hint(member, *index)),
                    )?;
                    let mut tag_values = Vec::new();
                    if let (Some(discriminator), ReferenceOr::Reference { reference }) =
                        (tagged, member)
                    {
                        tag_values = discriminator
                            .mapping
                            .iter()
                            .filter(|(_, target)| mapping_targets(target, reference))
                            .map(|(value, _)| value.clone())
                            .collect();
                        if tag_values.is_empty() {
                            tag_values.push(
                                reference
                                    .rsplit('/')
                                    .next()
                                    .unwrap_or(reference)
                                    .to_string(),
                            );
                        }
                    }
                    let ty = if member_shape.nullable {
                        TypeRef::Nullable(Box::new(member_shape.ty))
                    } else {
                        member_shape.ty
                    };
                    // An inline object member is named by its title (or position); a
                    // `$ref` or a primitive by its type.
                    let name = match (member, &ty) {
                        (ReferenceOr::Item(_), TypeRef::Named(_)) => {
                            member_name_hint(member, *index)
                        }
                        _ => variant_name(&ty),
                    };
                    variants.push(UnionVariant {
                        rust_name: scope.claim(name),
                        ty,
                        boxed: false,
                        tag_values,
                    });
                }
                let tagging = match tagged {
                    Some(discriminator) => Tagging::Discriminator {
                        property: discriminator.property_name.clone(),
                        catch_all: scope.claim("Other".to_string()),
                    },
                    None => Tagging::Untagged,
                };
                self.fill_type_slot(
                    slot,
                    TypeDef {
                        name: name.clone(),
                        origin: pointer.to_string(),
                        docs: describe(data),
                        kind: TypeKind::Union(Union { variants, tagging }),
                    },
                );
                Shape::of(TypeRef::Named(name))
            }
        };
        shape.nullable |= nullable;
        Ok(shape)
    }
}

/// Whether a mapping value (`#/components/schemas/Cat` or just `Cat`) names `reference`.
fn mapping_targets(target: &str, reference: &str) -> bool {
    target == reference || reference.rsplit('/').next() == Some(target)
}

/// A member that admits only `null`.
pub(super) fn only_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("null")
                || (!any.enumeration.is_empty()
                    && any.enumeration.iter().all(serde_json::Value::is_null))
                || (schema.schema_data.nullable
                    && any.typ.is_none()
                    && any.properties.is_empty()
                    && any.items.is_none()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty())
        }
        SchemaKind::Type(Type::String(string)) => {
            !string.enumeration.is_empty() && string.enumeration.iter().all(Option::is_none)
        }
        _ => false,
    }
}

/// Name hint for an inline member's own type: `Variant<n>` (1-based), refined by kind.
fn member_name_hint(member: &ReferenceOr<Schema>, index: usize) -> String {
    match member {
        ReferenceOr::Item(schema) => match &schema.schema_data.title {
            Some(title) => upper_camel(title),
            None => format!("Variant{}", index + 1),
        },
        ReferenceOr::Reference { .. } => format!("Variant{}", index + 1),
    }
}

/// A variant is named after its type: the named type itself, or the kind of value.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".to_string(),
        TypeRef::Integer(_) => "Integer".to_string(),
        TypeRef::Number(_) => "Number".to_string(),
        TypeRef::Boolean => "Boolean".to_string(),
        TypeRef::DateTime => "DateTime".to_string(),
        TypeRef::Date => "Date".to_string(),
        TypeRef::Uuid => "Uuid".to_string(),
        TypeRef::Ipv4 => "Ipv4".to_string(),
        TypeRef::Ipv6 => "Ipv6".to_string(),
        TypeRef::Ip => "Ip".to_string(),
        TypeRef::Json => "Value".to_string(),
        TypeRef::Bytes => "Bytes".to_string(),
        TypeRef::Array(item) => format!("{}List", variant_name(item)),
        TypeRef::Map(value) => format!("{}Map", variant_name(value)),
        TypeRef::Nullable(inner) => variant_name(inner),
    }
}
