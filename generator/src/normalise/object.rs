//! Object rules: `properties`, `additionalProperties` and `allOf` merging.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::names::{snake, upper_camel, Scope};
use super::schema::{describe, wrap_nullable, SchemaRef, Shape};
use super::Normaliser;
use crate::diagnostics::Diagnostic;
use crate::ir::{
    AdditionalFields, Direction, Field, FieldForm, Struct, TypeDef, TypeKind, TypeRef,
};
use crate::resolve::escape_token;

/// The object keywords of one schema, however openapiv3 typed it.
#[derive(Debug, Clone, Copy)]
pub(super) struct ObjectSchema<'a> {
    pub properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
}

/// Properties gathered from one object or from every member of an `allOf`.
#[derive(Debug, Default)]
struct MergedObject<'a> {
    /// Property name -> its schema and pointer; first position kept, last schema wins
    /// (a later member restating a property refines it).
    properties: IndexMap<String, (SchemaRef<'a>, String)>,
    required: BTreeSet<String>,
    /// The value schema of extra keys, when some member allows them.
    additional: Option<(Option<SchemaRef<'a>>, String)>,
}

impl<'a> MergedObject<'a> {
    fn add(&mut self, object: ObjectSchema<'a>, pointer: &str) {
        for (name, property) in object.properties {
            let property_pointer = format!("{pointer}/properties/{}", escape_token(name));
            self.properties
                .insert(name.clone(), (SchemaRef::from(property), property_pointer));
        }
        self.required.extend(object.required.iter().cloned());
        match object.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                self.additional = Some((
                    Some(SchemaRef::from(&**schema)),
                    format!("{pointer}/additionalProperties"),
                ));
            }
            Some(AdditionalProperties::Any(true)) => {
                self.additional
                    .get_or_insert((None, format!("{pointer}/additionalProperties")));
            }
            Some(AdditionalProperties::Any(false)) | None => {}
        }
    }
}

/// The most `allOf` links merged into one struct.
const MAX_ALL_OF_DEPTH: usize = 64;

/// Where an `allOf` merge started, and how many links deep it is.
#[derive(Debug, Clone, Copy)]
struct Chain<'p> {
    start: &'p str,
    depth: usize,
}

impl<'a> Normaliser<'a> {
    /// An object with properties is a struct. One with only `additionalProperties` (or
    /// nothing at all) is a map: `BTreeMap<String, T>`, keeping key order deterministic.
    pub(super) fn object(
        &mut self,
        object: ObjectSchema<'a>,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        if object.properties.is_empty() {
            let value = match object.additional {
                Some(AdditionalProperties::Schema(schema)) => {
                    let value = self.type_of(
                        (&**schema).into(),
                        &format!("{pointer}/additionalProperties"),
                        &format!("{name_hint}Value"),
                    )?;
                    wrap_nullable(value)
                }
                _ => TypeRef::Json,
            };
            return Ok(TypeRef::Map(Box::new(value)));
        }
        let mut merged = MergedObject::default();
        merged.add(object, pointer);
        self.define_struct(merged, describe(data), pointer, name_hint)
    }

    /// An object member of a tagged union, without its tag `property` (the union's
    /// variant says it, see `union_tag`). What is left may be an empty struct: a variant
    /// that carries nothing but its tag.
    pub(super) fn object_without(
        &mut self,
        object: ObjectSchema<'a>,
        property: &str,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let mut merged = MergedObject::default();
        merged.add(object, pointer);
        merged.properties.shift_remove(property);
        merged.required.remove(property);
        self.define_struct(merged, describe(data), pointer, name_hint)
    }

    /// `allOf` with one member is that member: specs write `allOf: [$ref]` to put
    /// `nullable`, `description` or `default` beside a reference, which a bare `$ref`
    /// may not have. So `{allOf: [$ref: X], nullable: true}` is a nullable X, not a copy.
    ///
    /// With several members (or properties beside it), every member must be an object;
    /// the result is one struct whose JSON shape is their merge: all properties, each
    /// once, required when any member requires it. Members that are `$ref`s are merged by
    /// value (the struct does not contain the referenced type), nested `allOf`s flattened.
    pub(super) fn all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        siblings: Option<ObjectSchema<'a>>,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        let has_siblings = siblings
            .is_some_and(|object| !object.properties.is_empty() || object.additional.is_some());
        if let ([only], false) = (members, has_siblings) {
            let mut shape = self.type_of(only.into(), &format!("{pointer}/allOf/0"), name_hint)?;
            // The wrapper's description, not the referenced type's, describes this use.
            shape.docs = None;
            return Ok(shape);
        }
        let mut merged = MergedObject::default();
        let mut visited = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{index}");
            let chain = Chain {
                start: pointer,
                depth: 1,
            };
            if let Err(why) = self.collect_member(
                member.into(),
                &member_pointer,
                &mut merged,
                &mut visited,
                chain,
            )? {
                return Ok(self.fallback(&member_pointer, &why));
            }
        }
        if let Some(siblings) = siblings {
            merged.add(siblings, pointer);
        }
        if merged.properties.is_empty() && merged.additional.is_none() {
            // Only annotations were merged: any object.
            return Ok(Shape::of(TypeRef::Map(Box::new(TypeRef::Json))));
        }
        Ok(Shape::of(self.define_struct(
            merged,
            describe(data),
            pointer,
            name_hint,
        )?))
    }

    /// Adds one `allOf` member's object keywords to `merged`. `Ok(Err(why))` when the
    /// member is not an object and the merge has no Rust shape.
    fn collect_member(
        &mut self,
        member: SchemaRef<'a>,
        pointer: &str,
        merged: &mut MergedObject<'a>,
        visited: &mut Vec<String>,
        chain: Chain<'_>,
    ) -> Result<Result<(), String>, Diagnostic> {
        // Why a limit: each link is a level of recursion, and every struct of a chain
        // repeats what it inherits, so a chain thousands long overflows the stack and
        // the memory before it is emitted. Real inheritance is a few links deep.
        if chain.depth > MAX_ALL_OF_DEPTH {
            let depth = self.all_of_depth(chain.start);
            let depth = if depth > MAX_ALL_OF_DEPTH {
                depth.to_string()
            } else {
                format!("more than {MAX_ALL_OF_DEPTH}")
            };
            return Err(Diagnostic::new(
                chain.start,
                format!(
                    "an `allOf` chain {depth} links deep (at most {MAX_ALL_OF_DEPTH} are merged): every struct of such a chain repeats every field it inherits"
                ),
            ));
        }
        let deeper = Chain {
            start: chain.start,
            depth: chain.depth + 1,
        };
        let (schema, schema_pointer) = match member {
            SchemaRef::Reference(reference) => {
                if visited.iter().any(|seen| seen == reference) {
                    return Ok(Ok(())); // Already merged (diamond or cycle): once is enough.
                }
                visited.push(reference.to_string());
                if self.resolver.schema_ref_dangles(reference) {
                    return Ok(Err(format!(
                        "`allOf` member `$ref: {reference}` points at nothing"
                    )));
                }
                let name = self.resolver.schema_ref_name(reference, pointer)?;
                let Some(schema) = self.components.get(&name).and_then(|entry| entry.schema) else {
                    return Ok(Err(format!("`allOf` member `{reference}` is itself a `$ref`, which cannot be merged yet")));
                };
                // A nested `$ref` is keyed by itself, which is already its pointer.
                let schema_pointer = if name.starts_with('#') {
                    name.clone()
                } else {
                    format!("#/components/schemas/{}", escape_token(&name))
                };
                (schema, schema_pointer)
            }
            SchemaRef::Inline(schema) => (schema, pointer.to_string()),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                let object = ObjectSchema {
                    properties: &object.properties,
                    required: &object.required,
                    additional: object.additional_properties.as_ref(),
                };
                merged.add(object, &schema_pointer);
            }
            SchemaKind::AllOf { all_of } => {
                return self.collect_members(all_of, &schema_pointer, merged, visited, deeper);
            }
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                if let Err(why) =
                    self.collect_members(&any.all_of, &schema_pointer, merged, visited, deeper)?
                {
                    return Ok(Err(why));
                }
                let object = ObjectSchema {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                };
                merged.add(object, &schema_pointer);
            }
            _ => {
                return Ok(Err(
                    "`allOf` with a member that is not an object is not supported yet".to_string(),
                ))
            }
        }
        Ok(Ok(()))
    }

    /// [`Self::collect_member`] for each member of a nested `allOf` at `schema_pointer`.
    fn collect_members(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        schema_pointer: &str,
        merged: &mut MergedObject<'a>,
        visited: &mut Vec<String>,
        chain: Chain<'_>,
    ) -> Result<Result<(), String>, Diagnostic> {
        for (index, nested) in members.iter().enumerate() {
            let nested_pointer = format!("{schema_pointer}/allOf/{index}");
            if let Err(why) =
                self.collect_member(nested.into(), &nested_pointer, merged, visited, chain)?
            {
                return Ok(Err(why));
            }
        }
        Ok(Ok(()))
    }

    /// Defines a struct from merged properties.
    ///
    /// `additionalProperties: false` is deliberately not `deny_unknown_fields`: it says
    /// what the server accepts, and a client must keep parsing when the server adds a
    /// field later. `additionalProperties` with a schema (or `true`) beside properties
    /// becomes a flattened map of the extra keys, so none is lost.
    fn define_struct(
        &mut self,
        merged: MergedObject<'a>,
        docs: Option<String>,
        pointer: &str,
        name_hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let name = self.claim_type_name(name_hint);
        let slot = self.reserve_type_slot();
        let mut scope = Scope::with_reserved(&[]);
        let mut fields = Vec::with_capacity(merged.properties.len());
        for (json_name, (property, property_pointer)) in &merged.properties {
            let hint = format!("{name}{}", upper_camel(json_name));
            let shape: Shape = self.type_of(*property, property_pointer, &hint)?;
            let secret = is_secret(&shape);
            let default = shape
                .default
                .filter(|value| self.default_is_representable(&shape.ty, value));
            let required = merged.required.contains(json_name);
            // Why a required `readOnly` or `writeOnly` property is held as `Option`: one
            // struct serves requests and responses, and the property is missing from one
            // of them by design. A request built with `new` leaves a `readOnly` property
            // out (so it is neither demanded nor sent); `new` still demands a required
            // `writeOnly` one, which a response may lack.
            let one_way = shape.direction != Direction::Both;
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: scope.claim(snake(json_name)),
                docs: shape.docs,
                // A read-only default is the server's to fill in: a request leaves it out.
                form: FieldForm::of(
                    required && !one_way,
                    shape.nullable,
                    default.is_some() && shape.direction != Direction::ReadOnly,
                ),
                demanded: required
                    && shape.direction == Direction::WriteOnly
                    && !shape.nullable
                    && default.is_none(),
                ty: shape.ty,
                required,
                nullable: shape.nullable,
                default,
                constraints: shape.constraints,
                boxed: false,
                direction: shape.direction,
                secret,
            });
        }
        let additional = match merged.additional {
            Some((schema, additional_pointer)) => {
                let value = match schema {
                    Some(schema) => wrap_nullable(self.type_of(
                        schema,
                        &additional_pointer,
                        &format!("{name}Value"),
                    )?),
                    None => TypeRef::Json,
                };
                Some(AdditionalFields {
                    rust_name: scope.claim("additional_properties".to_string()),
                    value,
                })
            }
            None => None,
        };
        self.fill_type_slot(
            slot,
            TypeDef {
                name: name.clone(),
                origin: pointer.to_string(),
                docs,
                kind: TypeKind::Struct(Struct { fields, additional }),
            },
        );
        Ok(TypeRef::Named(name))
    }
}

/// A value to keep out of `Debug` and error messages: `format: password`, or a string
/// the server never sends back (`writeOnly`).
pub(super) fn is_secret(shape: &Shape) -> bool {
    let password = shape.constraints.format.as_deref() == Some("password");
    let string = matches!(&shape.ty, TypeRef::String)
        || matches!(&shape.ty, TypeRef::Nullable(inner) if **inner == TypeRef::String);
    password || (string && shape.direction == Direction::WriteOnly)
}
