//! Schema rules: one OpenAPI schema becomes one [`TypeRef`], defining named types on the way.
//!
//! Each rule is a small function with the reason for its shape next to it. The entry point
//! is [`Normaliser::type_of`], which every place a schema can appear (components,
//! properties, items, parameters, bodies, responses) goes through.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::names::{snake, upper_camel, Scope};
use super::Normaliser;
use crate::diagnostics::Diagnostic;
use crate::ir::{
    Constraints, EnumVariant, Field, IntegerWidth, NumberWidth, StringEnum, Struct, TypeDef,
    TypeKind, TypeRef,
};
use crate::resolve::escape_token;

/// A schema position: a `$ref` or an inline schema, however openapiv3 boxed it.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    /// `$ref: ...`.
    Reference(&'a str),
    /// An inline schema.
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Schema>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Box<Schema>>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// What a schema position normalises to.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The type, without nullability.
    pub ty: TypeRef,
    /// Whether `null` is allowed, however the spec said so.
    pub nullable: bool,
    /// The schema's `default`.
    pub default: Option<serde_json::Value>,
    /// The schema's description (of the inline schema, or the `allOf` wrapper).
    pub docs: Option<String>,
    /// Validation keywords.
    pub constraints: Constraints,
}

impl Shape {
    fn of(ty: TypeRef) -> Self {
        Self {
            ty,
            nullable: false,
            default: None,
            docs: None,
            constraints: Constraints::default(),
        }
    }
}

impl<'a> Normaliser<'a> {
    /// Normalises the schema at `pointer`. `name_hint` names an inline struct or enum
    /// defined here (already UpperCamelCase; made unique when taken).
    pub fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        let schema = match schema {
            SchemaRef::Reference(reference) => return self.reference(reference, pointer),
            SchemaRef::Inline(schema) => schema,
        };
        let data = &schema.schema_data;
        let mut shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let nullable_in_enum = string.enumeration.iter().any(Option::is_none);
                let values: Vec<&str> = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                let mut shape = if values.is_empty() {
                    Shape::of(string_format_type(&string.format))
                } else {
                    Shape::of(self.define_string_enum(
                        &values,
                        data.default.as_ref(),
                        data,
                        pointer,
                        name_hint,
                    ))
                };
                shape.nullable = nullable_in_enum;
                shape.constraints.min_length = string.min_length;
                shape.constraints.max_length = string.max_length;
                shape.constraints.pattern = string.pattern.clone();
                if let VariantOrUnknownOrEmpty::Unknown(format) = &string.format {
                    if shape.ty == TypeRef::String {
                        shape.constraints.format = Some(format.clone());
                    }
                }
                shape
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                // int32 fits i32; int64, no format and unknown formats get i64, the widest
                // type that JSON integers in practice use.
                let width = match &integer.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        IntegerWidth::I32
                    }
                    _ => IntegerWidth::I64,
                };
                let mut shape = Shape::of(TypeRef::Integer(width));
                shape.constraints.minimum = integer
                    .minimum
                    .map(|m| (m as f64, integer.exclusive_minimum));
                shape.constraints.maximum = integer
                    .maximum
                    .map(|m| (m as f64, integer.exclusive_maximum));
                shape.constraints.multiple_of = integer.multiple_of.map(|m| m as f64);
                shape
            }
            SchemaKind::Type(Type::Number(number)) => {
                let width = match &number.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        NumberWidth::F32
                    }
                    _ => NumberWidth::F64,
                };
                let mut shape = Shape::of(TypeRef::Number(width));
                shape.constraints.minimum = number.minimum.map(|m| (m, number.exclusive_minimum));
                shape.constraints.maximum = number.maximum.map(|m| (m, number.exclusive_maximum));
                shape.constraints.multiple_of = number.multiple_of;
                shape
            }
            SchemaKind::Type(Type::Boolean(_)) => Shape::of(TypeRef::Boolean),
            SchemaKind::Type(Type::Array(array)) => {
                let mut shape = Shape::of(self.array(
                    array.items.as_ref().map(SchemaRef::from),
                    pointer,
                    name_hint,
                )?);
                shape.constraints.min_items = array.min_items;
                shape.constraints.max_items = array.max_items;
                shape
            }
            SchemaKind::Type(Type::Object(object)) => Shape::of(self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                data,
                pointer,
                name_hint,
            )?),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, pointer, name_hint)?,
            SchemaKind::Any(any) => {
                if let Some(shape) = self.any_as_all_of(any, pointer, name_hint)? {
                    shape
                } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    Shape::of(self.object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        data,
                        pointer,
                        name_hint,
                    )?)
                } else if let Some(shape) = self.any_with_primitive_type(any, pointer, name_hint)? {
                    shape
                } else if is_empty_any(any) {
                    // `{}`: any JSON value, by definition.
                    Shape::of(TypeRef::Json)
                } else {
                    self.fallback(
                        pointer,
                        "this combination of schema keywords is not supported yet",
                    )
                }
            }
            SchemaKind::OneOf { .. } => self.fallback(pointer, "`oneOf` is not supported yet"),
            SchemaKind::AnyOf { .. } => self.fallback(pointer, "`anyOf` is not supported yet"),
            SchemaKind::Not { .. } => self.fallback(pointer, "`not` has no Rust type"),
        };
        shape.nullable |= data.nullable;
        if shape.default.is_none() {
            shape.default = data.default.clone();
        }
        if shape.docs.is_none() {
            shape.docs = describe(data);
        }
        Ok(shape)
    }

    /// A `$ref` to a component schema is the component's named type. The component's own
    /// `nullable` carries over, so every reference to a nullable component is nullable.
    fn reference(&mut self, reference: &str, pointer: &str) -> Result<Shape, Diagnostic> {
        let component = self.resolver.schema_ref_name(reference, pointer)?;
        let target = self.components.get(&component).cloned();
        let (name, nullable) = match target {
            Some(entry) => (entry.rust_name, entry.nullable),
            None => {
                return Err(Diagnostic::new(
                    pointer,
                    format!("`$ref: {reference}` points at nothing"),
                ))
            }
        };
        Ok(Shape {
            nullable,
            ..Shape::of(TypeRef::Named(name))
        })
    }

    /// openapiv3 reads a schema whose keywords do not fit its typed form (an integer
    /// bound beyond i64, a `format` on the wrong type, ...) as an untyped schema. When it
    /// still says `type`, that type is what the data is.
    fn any_with_primitive_type(
        &mut self,
        any: &'a openapiv3::AnySchema,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Option<Shape>, Diagnostic> {
        let mut shape = match any.typ.as_deref() {
            Some("integer") => Shape::of(TypeRef::Integer(
                if any.format.as_deref() == Some("int32") {
                    IntegerWidth::I32
                } else {
                    IntegerWidth::I64
                },
            )),
            Some("number") => {
                Shape::of(TypeRef::Number(if any.format.as_deref() == Some("float") {
                    NumberWidth::F32
                } else {
                    NumberWidth::F64
                }))
            }
            Some("boolean") => Shape::of(TypeRef::Boolean),
            Some("string") => Shape::of(match any.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("uuid") => TypeRef::Uuid,
                _ => TypeRef::String,
            }),
            Some("array") => {
                let items = any.items.as_ref().map(SchemaRef::from);
                Shape::of(self.array(items, pointer, name_hint)?)
            }
            _ => return Ok(None),
        };
        shape.constraints.minimum = any
            .minimum
            .map(|minimum| (minimum, any.exclusive_minimum.unwrap_or(false)));
        shape.constraints.maximum = any
            .maximum
            .map(|maximum| (maximum, any.exclusive_maximum.unwrap_or(false)));
        shape.constraints.multiple_of = any.multiple_of;
        shape.constraints.pattern = any.pattern.clone();
        Ok(Some(shape))
    }

    /// `allOf` with one member is that member: specs write `allOf: [$ref]` to put
    /// `nullable`, `description` or `default` beside a reference, which a bare `$ref` may
    /// not have. So `{allOf: [$ref: X], nullable: true}` is a nullable X, not a new type.
    fn all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        match members {
            [only] => {
                let mut shape =
                    self.type_of(only.into(), &format!("{pointer}/allOf/0"), name_hint)?;
                // The wrapper's description, not the referenced type's, describes this use.
                shape.docs = None;
                Ok(shape)
            }
            _ => Ok(self.fallback(pointer, "`allOf` with several members is not supported yet")),
        }
    }

    /// openapiv3 reads `{type: object, allOf: [...]}` as an untyped schema; the one-member
    /// `allOf` rule applies to it too when nothing else is said.
    fn any_as_all_of(
        &mut self,
        any: &'a openapiv3::AnySchema,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Option<Shape>, Diagnostic> {
        if any.all_of.len() == 1
            && any.properties.is_empty()
            && any.one_of.is_empty()
            && any.any_of.is_empty()
        {
            return self.all_of(&any.all_of, pointer, name_hint).map(Some);
        }
        Ok(None)
    }

    /// Items are normalised in the array's context, so inline item structs are named
    /// `<Array>Item`; nullable items become `Option<T>` inside the `Vec`.
    fn array(
        &mut self,
        items: Option<SchemaRef<'a>>,
        pointer: &str,
        name_hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let Some(items) = items else {
            return Ok(TypeRef::Array(Box::new(TypeRef::Json)));
        };
        let item = self.type_of(
            items,
            &format!("{pointer}/items"),
            &format!("{name_hint}Item"),
        )?;
        Ok(TypeRef::Array(Box::new(wrap_nullable(item))))
    }

    /// An object with properties is a struct; one with only `additionalProperties` is a
    /// map; one with neither is a free-form map of JSON values.
    fn object(
        &mut self,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Result<TypeRef, Diagnostic> {
        if properties.is_empty() {
            let value = match additional {
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
        if matches!(
            additional,
            Some(AdditionalProperties::Schema(_)) | Some(AdditionalProperties::Any(true))
        ) {
            self.warn(pointer, "`additionalProperties` beside `properties` is not supported yet; extra keys are ignored");
        }
        // `additionalProperties: false` is deliberately not `deny_unknown_fields`: it says
        // what the server accepts, and a client must keep parsing when the server adds a
        // field later.
        let name = self.claim_type_name(name_hint);
        let slot = self.reserve_type_slot();
        let mut scope = Scope::with_reserved(&[]);
        let mut fields = Vec::with_capacity(properties.len());
        for (json_name, property) in properties {
            let property_pointer = format!("{pointer}/properties/{}", escape_token(json_name));
            let hint = format!("{name}{}", upper_camel(json_name));
            let shape = self.type_of(property.into(), &property_pointer, &hint)?;
            let default = shape
                .default
                .filter(|value| self.default_is_representable(&shape.ty, value));
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: scope.claim(snake(json_name)),
                docs: shape.docs,
                ty: shape.ty,
                required: required.contains(json_name),
                nullable: shape.nullable,
                default,
                constraints: shape.constraints,
                origin: property_pointer,
            });
        }
        self.fill_type_slot(
            slot,
            TypeDef {
                name: name.clone(),
                origin: pointer.to_string(),
                docs: describe(data),
                kind: TypeKind::Struct(Struct { fields }),
            },
        );
        Ok(TypeRef::Named(name))
    }

    /// A string enum becomes a Rust enum with one variant per value plus a catch-all that
    /// keeps unknown values, so a value the server adds later still parses and serialises
    /// back unchanged. The catch-all is `Other` unless the spec already has a value that
    /// converts to `Other` (or `Unknown`, as many specs do).
    fn define_string_enum(
        &mut self,
        values: &[&str],
        default: Option<&serde_json::Value>,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> TypeRef {
        let name = self.claim_type_name(name_hint);
        let mut scope = Scope::with_reserved(&[]);
        let mut variants = Vec::new();
        for value in values {
            if variants
                .iter()
                .any(|variant: &EnumVariant| variant.value == *value)
            {
                continue; // A repeated value is one variant.
            }
            variants.push(EnumVariant {
                rust_name: scope.claim(upper_camel(value)),
                value: (*value).to_string(),
            });
        }
        let catch_all = ["Other", "UnknownValue", "Unrecognized"]
            .into_iter()
            .find(|candidate| !scope.contains(candidate))
            .map_or_else(|| scope.claim("Other".to_string()), str::to_string);
        let default = default
            .and_then(serde_json::Value::as_str)
            .filter(|value| values.contains(value))
            .map(str::to_string);
        self.push_type(TypeDef {
            name: name.clone(),
            origin: pointer.to_string(),
            docs: describe(data),
            kind: TypeKind::StringEnum(StringEnum {
                variants,
                catch_all,
                default,
            }),
        });
        TypeRef::Named(name)
    }

    /// A default the emitter can write as a Rust value of `ty`; others are dropped with a
    /// warning rather than written wrong.
    fn default_is_representable(&self, ty: &TypeRef, value: &serde_json::Value) -> bool {
        match (ty, value) {
            (TypeRef::Boolean, serde_json::Value::Bool(_))
            | (TypeRef::String, serde_json::Value::String(_)) => true,
            (TypeRef::Integer(_), serde_json::Value::Number(number)) => number.is_i64(),
            (TypeRef::Number(_), serde_json::Value::Number(_)) => true,
            (TypeRef::Named(name), serde_json::Value::String(text)) => {
                self.enum_has_value(name, text)
            }
            _ => false,
        }
    }

    fn fallback(&mut self, pointer: &str, why: &str) -> Shape {
        self.warn(pointer, &format!("{why}; generated as `serde_json::Value`"));
        Shape::of(TypeRef::Json)
    }
}

/// Non-enum string formats: the ones with a precise Rust type get it, the rest (email,
/// uri, byte, binary, password, unknown) stay `String` with the format in the docs.
fn string_format_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}

/// Where no field can carry nullability (array items, map values), it goes in the type.
fn wrap_nullable(shape: Shape) -> TypeRef {
    if shape.nullable {
        TypeRef::Nullable(Box::new(shape.ty))
    } else {
        shape.ty
    }
}

fn is_empty_any(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
        && any.enumeration.is_empty()
}

/// The title and description of a schema, as one doc text.
pub fn describe(data: &openapiv3::SchemaData) -> Option<String> {
    match (&data.title, &data.description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
}
