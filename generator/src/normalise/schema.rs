//! Schema rules: one OpenAPI schema becomes one [`TypeRef`], defining named types on the way.
//!
//! [`Normaliser::type_of`] is the entry point every schema position goes through
//! (components, properties, items, parameters, bodies, responses). It dispatches on the
//! schema's form; objects and `allOf` live in `object`, unions in `union`, enums in
//! `enums`. Each rule carries the reason for its shape.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::{NamedKind, Normaliser};
use crate::diagnostics::Diagnostic;
use crate::ir::{Bound, Constraints, Direction, IntegerWidth, NumberWidth, TypeRef};
use crate::upgrade::TUPLE_EXTENSION;

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
    /// `readOnly` / `writeOnly` of the inline schema.
    pub direction: Direction,
}

impl Shape {
    /// A shape with only a type.
    pub fn of(ty: TypeRef) -> Self {
        Self {
            ty,
            nullable: false,
            default: None,
            docs: None,
            constraints: Constraints::default(),
            direction: Direction::Both,
        }
    }
}

/// How deep inline schemas may nest before the spec is called unreasonable. Deep enough
/// for any real spec; it keeps a pathological document from exhausting the stack.
const MAX_DEPTH: usize = 64;

impl<'a> Normaliser<'a> {
    /// Normalises the schema at `pointer`. `name_hint` names an inline struct or enum
    /// defined here (already UpperCamelCase; made unique when taken).
    ///
    /// # Errors
    /// A dangling or unsupported `$ref`, or nesting deeper than any real spec.
    pub fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        self.check_budget(pointer)?;
        if self.depth >= MAX_DEPTH {
            return Err(Diagnostic::new(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        let result = self.type_of_inner(schema, pointer, name_hint);
        self.depth -= 1;
        let mut result = result;
        if let Ok(shape) = &mut result {
            self.warn_contradictions(&shape.constraints, pointer);
            if let Some(default) = shape.default.take() {
                if self.default_fits(&shape.ty, shape.nullable, &default) {
                    shape.default = Some(default);
                } else {
                    // Neither used nor shown: documenting a value the schema refuses as
                    // "the default" would mislead more than saying nothing.
                    self.warn(
                        &format!("{pointer}/default"),
                        &format!("`default: {default}` is not a value of this schema; ignored"),
                    );
                }
            }
        }
        result
    }

    /// Whether `value` is a value of the normalised type: the right JSON kind, and one
    /// of the values of an enum. Kinds the IR cannot judge (unions, JSON) accept anything.
    fn default_fits(&self, ty: &TypeRef, nullable: bool, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (ty, value) {
            (_, Value::Null) => nullable || matches!(ty, TypeRef::Json | TypeRef::Nullable(_)),
            (TypeRef::Nullable(inner), value) => self.default_fits(inner, true, value),
            (TypeRef::Boolean, value) => value.is_boolean(),
            (
                TypeRef::String
                | TypeRef::DateTime
                | TypeRef::Date
                | TypeRef::Uuid
                | TypeRef::Ipv4
                | TypeRef::Ipv6
                | TypeRef::Ip
                | TypeRef::Bytes
                | TypeRef::Base64
                | TypeRef::File,
                value,
            ) => value.is_string(),
            (TypeRef::Integer(_), Value::Number(number)) => {
                number.is_i64()
                    || number.is_u64()
                    || number.as_f64().is_some_and(|float| float.fract() == 0.0)
            }
            (TypeRef::Number(_), value) => value.is_number(),
            (TypeRef::Array(_), value) => value.is_array(),
            (TypeRef::Map(_), value) => value.is_object(),
            (TypeRef::Tuple(positions), value) => value
                .as_array()
                .is_some_and(|items| items.len() == positions.len()),
            (TypeRef::Named(name), value) => match self.named_kind(name) {
                Some(NamedKind::Enum) => self.enum_has_value(name, value),
                Some(NamedKind::Struct) => value.is_object(),
                None => true,
            },
            (TypeRef::Integer(_), _) => false,
            (TypeRef::Json, _) => true,
        }
    }

    /// Bounds no value can meet (`minLength` above `maxLength`, ...) are kept as written,
    /// since the spec may be right about one of them, but said: every request with such a
    /// value will fail validation (or the server).
    fn warn_contradictions(&mut self, constraints: &crate::ir::Constraints, pointer: &str) {
        let mut contradictions = Vec::new();
        if let (Some(min), Some(max)) = (constraints.min_length, constraints.max_length) {
            if min > max {
                contradictions.push(format!("minLength {min} is above maxLength {max}"));
            }
        }
        if let (Some(min), Some(max)) = (constraints.min_items, constraints.max_items) {
            if min > max {
                contradictions.push(format!("minItems {min} is above maxItems {max}"));
            }
        }
        if let (Some((min, min_exclusive)), Some((max, max_exclusive))) =
            (constraints.minimum, constraints.maximum)
        {
            let (min, max) = (min.as_f64(), max.as_f64());
            if min > max || (min == max && (min_exclusive || max_exclusive)) {
                contradictions.push(format!("minimum {min} leaves no value up to maximum {max}"));
            }
        }
        for contradiction in contradictions {
            self.warn(pointer, &format!("{contradiction}: no value can be valid"));
        }
    }

    fn type_of_inner(
        &mut self,
        schema: SchemaRef<'a>,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        let schema = match schema {
            SchemaRef::Reference(reference) => return self.reference(reference, pointer),
            SchemaRef::Inline(schema) => schema,
        };
        // A place some `$ref` points at (`#/components/schemas/Order/properties/status`)
        // has one type, defined once as that `$ref`'s target: the place itself uses it
        // too, instead of defining a second copy under another name. The description
        // stays the place's own.
        if self.defining_nested.as_deref() != Some(pointer)
            && self.components.contains_key(pointer)
            && defines_type(schema)
        {
            let mut shape = self.reference(pointer, pointer)?;
            shape.docs = describe(&schema.schema_data);
            return Ok(shape);
        }
        let data = &schema.schema_data;
        let mut shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => self.string(string, data, pointer, name_hint),
            SchemaKind::Type(Type::Integer(integer)) => {
                self.integer(integer, data, pointer, name_hint)
            }
            SchemaKind::Type(Type::Number(number)) => {
                // A number `enum` has no useful Rust enum (floats are not Eq); the values
                // stay in the docs.
                let width = match &number.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        NumberWidth::F32
                    }
                    _ => NumberWidth::F64,
                };
                let mut shape = Shape::of(TypeRef::Number(width));
                shape.nullable = number.enumeration.iter().any(Option::is_none);
                shape.constraints.minimum = number
                    .minimum
                    .map(|m| (Bound::Number(m), number.exclusive_minimum));
                shape.constraints.maximum = number
                    .maximum
                    .map(|m| (Bound::Number(m), number.exclusive_maximum));
                shape.constraints.multiple_of = number.multiple_of;
                shape
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                let mut shape = Shape::of(TypeRef::Boolean);
                shape.nullable = boolean.enumeration.iter().any(Option::is_none);
                shape
            }
            SchemaKind::Type(Type::Array(_)) if data.extensions.contains_key(TUPLE_EXTENSION) => {
                self.tuple(&data.extensions[TUPLE_EXTENSION], pointer, name_hint)?
            }
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
                super::object::ObjectSchema {
                    properties: &object.properties,
                    required: &object.required,
                    additional: object.additional_properties.as_ref(),
                },
                data,
                pointer,
                name_hint,
            )?),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, None, data, pointer, name_hint)?,
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, "oneOf", data, pointer, name_hint)?
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, "anyOf", data, pointer, name_hint)?
            }
            SchemaKind::Not { .. } => self.fallback(pointer, "`not` has no Rust type"),
            SchemaKind::Any(any) => self.any(any, data, pointer, name_hint)?,
        };
        shape.nullable |= data.nullable;
        if shape.default.is_none() {
            shape.default = data.default.clone();
        }
        if shape.docs.is_none() {
            shape.docs = describe(data);
        }
        shape.direction = match (data.read_only, data.write_only) {
            (true, false) => Direction::ReadOnly,
            (false, true) => Direction::WriteOnly,
            // Both (a contradiction) or neither: it travels both ways.
            _ => Direction::Both,
        };
        Ok(shape)
    }

    /// A `$ref` to a component schema is the component's named type. The component's own
    /// `nullable` carries over, so every reference to a nullable component is nullable.
    fn reference(&mut self, reference: &str, pointer: &str) -> Result<Shape, Diagnostic> {
        if self.resolver.schema_ref_dangles(reference) {
            return Ok(self.fallback(pointer, &format!("`$ref: {reference}` points at nothing")));
        }
        let component = self.resolver.schema_ref_name(reference, pointer)?;
        match self.components.get(&component) {
            Some(entry) => {
                let mut shape = Shape::of(TypeRef::Named(entry.rust_name.clone()));
                shape.nullable = entry.nullable;
                Ok(shape)
            }
            None => Err(Diagnostic::new(
                pointer,
                format!("`$ref: {reference}` points at nothing"),
            )),
        }
    }

    fn string(
        &mut self,
        string: &openapiv3::StringType,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Shape {
        let values: Vec<&str> = string
            .enumeration
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let format = match &string.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(format) => Some(string_format_name(format)),
            openapiv3::VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
            openapiv3::VariantOrUnknownOrEmpty::Empty => None,
        };
        let mut shape = if values.is_empty() && self.binary_as_bytes && format == Some("binary") {
            Shape::of(TypeRef::File)
        } else if values.is_empty() {
            Shape::of(string_format_type(format))
        } else {
            Shape::of(self.define_string_enum(&values, data, pointer, name_hint))
        };
        shape.nullable = string.enumeration.iter().any(Option::is_none);
        shape.constraints.min_length = string.min_length;
        shape.constraints.max_length = string.max_length;
        shape.constraints.pattern = self.checked_pattern(string.pattern.as_deref(), pointer);
        if shape.ty == TypeRef::String {
            shape.constraints.format = format.map(str::to_string);
        }
        shape
    }

    fn integer(
        &mut self,
        integer: &openapiv3::IntegerType,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Shape {
        let format = match &integer.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                Some("int32")
            }
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => {
                Some("int64")
            }
            openapiv3::VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
            openapiv3::VariantOrUnknownOrEmpty::Empty => None,
        };
        let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
        let mut shape = if values.is_empty() {
            Shape::of(TypeRef::Integer(IntegerWidth::from_format(format)))
        } else {
            Shape::of(self.define_integer_enum(&values, data, pointer, name_hint))
        };
        shape.nullable = integer.enumeration.iter().any(Option::is_none);
        shape.constraints.minimum = integer
            .minimum
            .map(|m| (Bound::Integer(m), integer.exclusive_minimum));
        shape.constraints.maximum = integer
            .maximum
            .map(|m| (Bound::Integer(m), integer.exclusive_maximum));
        shape.constraints.multiple_of = integer.multiple_of.map(|m| m as f64);
        shape
    }

    /// Items are normalised in the array's context, so inline item structs are named
    /// `<Array>Item`; nullable items become `Option<T>` inside the `Vec`.
    pub(super) fn array(
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

    /// A tuple (see `upgrade::TUPLE_EXTENSION`): each position's type, from the `$ref`s
    /// the upgrade stage left to where `prefixItems` put them.
    fn tuple(
        &mut self,
        positions: &'a serde_json::Value,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        let references: Option<Vec<&'a str>> = positions.as_array().and_then(|positions| {
            positions
                .iter()
                .map(|position| position.get("$ref")?.as_str())
                .collect()
        });
        let Some(references) = references else {
            return Ok(self.fallback(pointer, "a tuple the upgrade stage did not write"));
        };
        let mut types = Vec::new();
        for (index, reference) in references.into_iter().enumerate() {
            // Read in place, as an inline schema: a position is a type of its own only
            // when its schema defines one (an object, an enum), never an alias of `f64`.
            let position = match self.resolver.nested_schemas().get(reference) {
                Some(schema) => SchemaRef::Inline(schema),
                None => SchemaRef::Reference(reference),
            };
            let position = self.type_of(
                position,
                &format!("{pointer}/prefixItems/{index}"),
                &format!("{name_hint}{index}"),
            )?;
            types.push(wrap_nullable(position));
        }
        Ok(Shape::of(TypeRef::Tuple(types)))
    }

    /// openapiv3 reads a schema as untyped when its keywords do not fit one typed form:
    /// `type` beside `allOf`/`oneOf`, a bound beyond i64, `enum` without `type`, or no
    /// keywords at all. Each case goes to the rule it really is.
    fn any(
        &mut self,
        any: &'a openapiv3::AnySchema,
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Shape, Diagnostic> {
        if !any.all_of.is_empty() {
            let siblings = super::object::ObjectSchema {
                properties: &any.properties,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            };
            return self.all_of(&any.all_of, Some(siblings), data, pointer, name_hint);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, "oneOf", data, pointer, name_hint);
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, "anyOf", data, pointer, name_hint);
        }
        if !any.properties.is_empty()
            || any.typ.as_deref() == Some("object")
            || any.additional_properties.is_some()
        {
            let object = super::object::ObjectSchema {
                properties: &any.properties,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            };
            return Ok(Shape::of(self.object(object, data, pointer, name_hint)?));
        }
        if !any.enumeration.is_empty() {
            return Ok(self.untyped_enum(&any.enumeration, data, pointer, name_hint));
        }
        if let Some(shape) = self.any_with_primitive_type(any, pointer, name_hint)? {
            return Ok(shape);
        }
        if any.typ.is_none() && any.items.is_none() && any.not.is_none() {
            // `{}` or only annotations: any JSON value, by definition.
            return Ok(Shape::of(TypeRef::Json));
        }
        Ok(self.fallback(
            pointer,
            "this combination of schema keywords is not supported yet",
        ))
    }

    /// A schema that still says `type` is that type, whatever else openapiv3 could not read.
    fn any_with_primitive_type(
        &mut self,
        any: &'a openapiv3::AnySchema,
        pointer: &str,
        name_hint: &str,
    ) -> Result<Option<Shape>, Diagnostic> {
        let mut shape = match any.typ.as_deref() {
            Some("integer") => Shape::of(TypeRef::Integer(IntegerWidth::from_format(
                any.format.as_deref(),
            ))),
            Some("number") => {
                Shape::of(TypeRef::Number(if any.format.as_deref() == Some("float") {
                    NumberWidth::F32
                } else {
                    NumberWidth::F64
                }))
            }
            Some("boolean") => Shape::of(TypeRef::Boolean),
            Some("string") => Shape::of(string_format_type(any.format.as_deref())),
            Some("array") => {
                let items = any.items.as_ref().map(SchemaRef::from);
                Shape::of(self.array(items, pointer, name_hint)?)
            }
            // `items` without `type` can only describe an array.
            None if any.items.is_some() => {
                let items = any.items.as_ref().map(SchemaRef::from);
                Shape::of(self.array(items, pointer, name_hint)?)
            }
            _ => return Ok(None),
        };
        shape.constraints.minimum = any.minimum.map(|minimum| {
            (
                untyped_bound(any, minimum),
                any.exclusive_minimum.unwrap_or(false),
            )
        });
        shape.constraints.maximum = any.maximum.map(|maximum| {
            (
                untyped_bound(any, maximum),
                any.exclusive_maximum.unwrap_or(false),
            )
        });
        shape.constraints.multiple_of = any.multiple_of;
        shape.constraints.pattern = self.checked_pattern(any.pattern.as_deref(), pointer);
        shape.constraints.min_length = any.min_length;
        shape.constraints.max_length = any.max_length;
        Ok(Some(shape))
    }

    /// A default the emitter can write as a Rust value of `ty`; others are only documented.
    pub(super) fn default_is_representable(&self, ty: &TypeRef, value: &serde_json::Value) -> bool {
        match (ty, value) {
            (TypeRef::Boolean, serde_json::Value::Bool(_))
            | (TypeRef::String, serde_json::Value::String(_)) => true,
            (TypeRef::Integer(_), serde_json::Value::Number(number)) => number.is_i64(),
            (TypeRef::Number(_), serde_json::Value::Number(_)) => true,
            (TypeRef::Named(name), value) => self.enum_has_value(name, value),
            _ => false,
        }
    }

    /// `pattern` when the ECMA-262 engine the client uses (`regress`) accepts it; one it
    /// refuses is left unchecked, with a warning, rather than failing every request.
    fn checked_pattern(&mut self, pattern: Option<&str>, pointer: &str) -> Option<String> {
        let pattern = pattern?;
        if regress::Regex::new(pattern).is_ok() {
            return Some(pattern.to_string());
        }
        self.warn(
            &format!("{pointer}/pattern"),
            &format!("`{pattern}` is not an ECMA-262 regular expression; values are not checked against it"),
        );
        None
    }

    /// A construct without a faithful Rust shape yet: `serde_json::Value`, with a warning
    /// naming its place, so the crate still compiles and no data is lost.
    pub(super) fn fallback(&mut self, pointer: &str, why: &str) -> Shape {
        self.warn(pointer, &format!("{why}; generated as `serde_json::Value`"));
        Shape::of(TypeRef::Json)
    }
}

fn string_format_name(format: &openapiv3::StringFormat) -> &'static str {
    match format {
        openapiv3::StringFormat::Date => "date",
        openapiv3::StringFormat::DateTime => "date-time",
        openapiv3::StringFormat::Password => "password",
        openapiv3::StringFormat::Byte => "byte",
        openapiv3::StringFormat::Binary => "binary",
    }
}

/// String formats with a precise Rust type get it; the rest (email, uri, byte (base64
/// text), binary, password, unknown) stay `String` with the format in the docs.
fn string_format_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("uuid") => TypeRef::Uuid,
        Some("ipv4") => TypeRef::Ipv4,
        Some("ipv6") => TypeRef::Ipv6,
        Some("ip") => TypeRef::Ip,
        // Why bytes, not the text: the caller means the data, and getting the encoding
        // right is the client's job, not each caller's.
        Some("byte") => TypeRef::Base64,
        _ => TypeRef::String,
    }
}

/// Where no field can carry nullability (array items, map values), it goes in the type.
pub(super) fn wrap_nullable(shape: Shape) -> TypeRef {
    if shape.nullable {
        TypeRef::Nullable(Box::new(shape.ty))
    } else {
        shape.ty
    }
}

/// The title and description of a schema, as one doc text.
pub fn describe(data: &openapiv3::SchemaData) -> Option<String> {
    match (&data.title, &data.description) {
        (Some(title), Some(description)) => Some(format!("{title}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
}

/// Whether normalising `schema` inline defines a named type of its own (a struct, an
/// enum or a union), rather than naming a primitive, an array or a map.
pub(super) fn defines_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || !any.enumeration.is_empty()
                || !any.one_of.is_empty()
                || !any.any_of.is_empty()
                || !any.all_of.is_empty()
        }
        _ => false,
    }
}

/// A bound of an untyped schema (openapiv3 reads any schema it cannot type as one, with
/// `f64` bounds): an integer when the schema says `type: integer` and the bound is whole.
#[allow(clippy::cast_possible_truncation)]
fn untyped_bound(any: &openapiv3::AnySchema, bound: f64) -> Bound {
    let integral = bound.fract() == 0.0 && bound.abs() < 9.0e15;
    if any.typ.as_deref() == Some("integer") && integral {
        Bound::Integer(bound as i64)
    } else {
        Bound::Number(bound)
    }
}
