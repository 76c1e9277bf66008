//! Union rules: `oneOf` and `anyOf`.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::names::{upper_camel, Scope};
use super::object::ObjectSchema;
use super::schema::{describe, SchemaRef, Shape};
use super::Normaliser;
use crate::diagnostics::Diagnostic;
use crate::ir::{Tagging, TypeDef, TypeKind, TypeRef, Union, UnionVariant};

impl<'a> Normaliser<'a> {
    /// `oneOf`/`anyOf`.
    ///
    /// - Members that only say `null` (`{nullable: true}`, `{type: 'null'}`, `{enum: [null]}`)
    ///   make the union nullable instead of being variants; a union left with one member
    ///   is that member (`oneOf: [X, {nullable: true}]` is `Option<X>`).
    /// - With a tag property (see [`Normaliser::union_tag`]: a declared `discriminator`,
    ///   or one inferred from members that each fix a property to one value): an enum
    ///   tagged by that property, one variant per member. An object with a tag the spec
    ///   does not list is kept as raw JSON in a catch-all variant, so a new member on the
    ///   server does not break parsing.
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
            _ if string_values(&kept).is_some() => {
                let values = string_values(&kept).unwrap_or_default();
                let ty = self.define_documented_string_enum(&values, data, pointer, name_hint);
                Shape::of(ty)
            }
            _ => {
                let name = self.claim_type_name(name_hint);
                let slot = self.reserve_type_slot();
                let tag = self.union_tag(&kept, data.discriminator.as_ref(), pointer);
                let mut scope = Scope::with_reserved(&[]);
                let mut variants = Vec::new();
                for (position, (index, member)) in kept.iter().enumerate() {
                    let member_pointer = format!("{pointer}/{keyword}/{index}");
                    let tag_values = match &tag {
                        Some(tag) => tag.values[position].clone(),
                        None => Vec::new(),
                    };
                    // A member named by its one tag value reads better than by position.
                    let inferred_name = match (&tag, member) {
                        (Some(tag), ReferenceOr::Item(schema))
                            if tag.inferred && schema.schema_data.title.is_none() =>
                        {
                            tag_values.first().map(|value| upper_camel(value))
                        }
                        _ => None,
                    };
                    let member_hint = inferred_name
                        .clone()
                        .unwrap_or_else(|| member_name_hint(member, *index));
                    let member_shape = match (&tag, member) {
                        // Why the tag property is left out of an inline member: its one
                        // value is the variant itself, so as a field it would only be a
                        // one-value enum the caller must fill in with the only value there is.
                        // The enum writes it back when serialising.
                        (Some(tag), ReferenceOr::Item(schema)) if tag.inferred => {
                            match self.object_view(SchemaRef::Inline(schema), &member_pointer) {
                                Some(object) if !schema.schema_data.nullable => {
                                    Shape::of(self.object_without(
                                        object,
                                        &tag.property,
                                        &schema.schema_data,
                                        &member_pointer,
                                        &format!("{name}{member_hint}"),
                                    )?)
                                }
                                _ => self.type_of(
                                    (*member).into(),
                                    &member_pointer,
                                    &format!("{name}{member_hint}"),
                                )?,
                            }
                        }
                        _ => self.type_of(
                            (*member).into(),
                            &member_pointer,
                            &format!("{name}{member_hint}"),
                        )?,
                    };
                    let ty = if member_shape.nullable {
                        TypeRef::Nullable(Box::new(member_shape.ty))
                    } else {
                        member_shape.ty
                    };
                    // An inline object member is named by its title, its tag value or its
                    // position; a `$ref` or a primitive by its type.
                    let name = match (member, &ty) {
                        (ReferenceOr::Item(_), TypeRef::Named(_)) => member_hint,
                        _ => variant_name(&ty),
                    };
                    variants.push(UnionVariant {
                        rust_name: scope.claim(name),
                        ty,
                        boxed: false,
                        tag_values,
                    });
                }
                let tagging = match tag {
                    Some(tag) => Tagging::Discriminator {
                        property: tag.property,
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

/// How a union's members are told apart by one property.
struct UnionTag {
    /// The tag property.
    property: String,
    /// Per kept member, the values that select it.
    values: Vec<Vec<String>>,
    /// Read off the members (each fixes the property to one value), not declared.
    inferred: bool,
}

impl<'a> Normaliser<'a> {
    /// The property that tells the members apart, if any.
    ///
    /// - A declared `discriminator` over `$ref` members: the `mapping` values or, without
    ///   a mapping entry, the value the member fixes the property to, else the
    ///   component's name (as OpenAPI defines).
    /// - Otherwise, inferred: a property every member requires and fixes to one string
    ///   (`enum: [value]`), a different one per member. This is how many specs write a
    ///   tagged union without a `discriminator` (Oxide's `type`/`kind` properties, for
    ///   instance). Telling members apart by the tag instead of by trying each shape keeps
    ///   an unknown tag from the server parseable (as the catch-all) and keeps a member
    ///   whose shape happens to fit another's from being taken for it.
    fn union_tag(
        &mut self,
        kept: &[(usize, &'a ReferenceOr<Schema>)],
        discriminator: Option<&openapiv3::Discriminator>,
        pointer: &str,
    ) -> Option<UnionTag> {
        if let Some(discriminator) = discriminator {
            let references: Option<Vec<&str>> = kept
                .iter()
                .map(|(_, member)| match member {
                    ReferenceOr::Reference { reference } => Some(reference.as_str()),
                    ReferenceOr::Item(_) => None,
                })
                .collect();
            if let Some(references) = references {
                let values = references
                    .iter()
                    .map(|reference| {
                        let mut values: Vec<String> = discriminator
                            .mapping
                            .iter()
                            .filter(|(_, target)| mapping_targets(target, reference))
                            .map(|(value, _)| value.clone())
                            .collect();
                        if values.is_empty() {
                            // Without a mapping entry OpenAPI takes the component's
                            // name; but a member that fixes the property itself
                            // (`kind: {const: circle}`) could never carry that name, so
                            // its own value is what the server sends.
                            let own = self
                                .object_view(SchemaRef::Reference(reference), pointer)
                                .and_then(|object| {
                                    self.fixed_string(&object, &discriminator.property_name)
                                });
                            values.push(own.unwrap_or_else(|| {
                                reference
                                    .rsplit('/')
                                    .next()
                                    .unwrap_or(reference)
                                    .to_string()
                            }));
                        }
                        values
                    })
                    .collect();
                return Some(UnionTag {
                    property: discriminator.property_name.clone(),
                    values,
                    inferred: false,
                });
            }
        }
        let objects: Vec<ObjectSchema<'a>> = kept
            .iter()
            .map(|(index, member)| {
                self.object_view((*member).into(), &format!("{pointer}/{index}"))
            })
            .collect::<Option<_>>()?;
        let candidates: Vec<&str> = match discriminator {
            Some(discriminator) => vec![discriminator.property_name.as_str()],
            None => objects
                .first()?
                .required
                .iter()
                .map(String::as_str)
                .collect(),
        };
        candidates.into_iter().find_map(|property| {
            let values: Vec<String> = objects
                .iter()
                .map(|object| self.fixed_string(object, property))
                .collect::<Option<_>>()?;
            let distinct: std::collections::BTreeSet<&String> = values.iter().collect();
            (distinct.len() == values.len()).then(|| UnionTag {
                property: property.to_string(),
                values: values.into_iter().map(|value| vec![value]).collect(),
                inferred: true,
            })
        })
    }

    /// The object keywords of a plain object schema (inline or by `$ref`), or `None` for
    /// anything else (compositions included).
    pub(super) fn object_view(
        &self,
        schema: SchemaRef<'a>,
        pointer: &str,
    ) -> Option<ObjectSchema<'a>> {
        let schema = match schema {
            SchemaRef::Inline(schema) => schema,
            SchemaRef::Reference(reference) => {
                let name = self.resolver.schema_ref_name(reference, pointer).ok()?;
                self.components.get(&name)?.schema?
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => Some(ObjectSchema {
                properties: &object.properties,
                required: &object.required,
                additional: object.additional_properties.as_ref(),
            }),
            SchemaKind::Any(any)
                if any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.all_of.is_empty()
                    && !any.properties.is_empty() =>
            {
                Some(ObjectSchema {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                })
            }
            _ => None,
        }
    }

    /// The one string `property` of `object` can be, when it is required and its schema
    /// (inline or by `$ref`) is a one-value string `enum`.
    fn fixed_string(&self, object: &ObjectSchema<'a>, property: &str) -> Option<String> {
        if !object.required.iter().any(|name| name == property) {
            return None;
        }
        let schema: &Schema = match object.properties.get(property)? {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                let name = self.resolver.schema_ref_name(reference, "").ok()?;
                self.components.get(&name)?.schema?
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if !schema.schema_data.nullable => {
                match string.enumeration.as_slice() {
                    [Some(value)] => Some(value.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// The values, each with its member's description, of a union whose members are all
/// inline string enums: `oneOf: [{enum: [a], description: ..}, {enum: [b], ..}]` is how
/// many specs (schemars' output among them) document each value of one string enum, so
/// it becomes that enum, not a union of one-value enums.
fn string_values<'a>(
    kept: &[(usize, &'a ReferenceOr<Schema>)],
) -> Option<Vec<(&'a str, Option<String>)>> {
    let mut values = Vec::new();
    for (_, member) in kept {
        let ReferenceOr::Item(schema) = member else {
            return None;
        };
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            return None;
        };
        if string.enumeration.is_empty() || schema.schema_data.nullable {
            return None;
        }
        for value in &string.enumeration {
            values.push((value.as_deref()?, schema.schema_data.description.clone()));
        }
    }
    Some(values)
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
        TypeRef::Bytes | TypeRef::Base64 | TypeRef::File => "Bytes".to_string(),
        TypeRef::Array(item) => format!("{}List", variant_name(item)),
        TypeRef::Map(value) => format!("{}Map", variant_name(value)),
        TypeRef::Tuple(_) => "Tuple".to_string(),
        TypeRef::Nullable(inner) => variant_name(inner),
    }
}
