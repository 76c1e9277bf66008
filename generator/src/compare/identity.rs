//! Which old type is which new type, and what a type looks like on the wire.
//!
//! Types are matched, in this order, by:
//! 1. the schema they were made from (`TypeDef::origin`), with `allOf/<n>` steps left
//!    out, so that a property moved into an `allOf` member keeps its inline types;
//! 2. their Rust name, for inline types whose place moved but whose name did not
//!    (parameters moved from an operation to its path item);
//! 3. for component schemas left over, the same wire shape under another name: a
//!    rename, one change reported at the new name instead of a removal and an addition.
//!
//! A type's wire shape ([`shape`]) is its JSON as a string that leaves out every Rust
//! name and integer width: two types with the same shape read and write the same JSON.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Direction, IntegerWidth, NumberWidth, Tagging, TypeKind, TypeRef};

/// Old type names to new ones and back, for the types that are the same type.
#[derive(Debug, Clone, Default)]
pub struct TypeMap {
    /// Old Rust name -> new Rust name.
    pub old_to_new: BTreeMap<String, String>,
    /// New Rust name -> old Rust name.
    pub new_to_old: BTreeMap<String, String>,
}

/// Whether `origin` is a component schema's own pointer (`#/components/schemas/X`).
pub fn is_component(origin: &str) -> bool {
    origin
        .strip_prefix("#/components/schemas/")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// `origin` without its `allOf/<n>` steps: an `allOf` member's property is the merged
/// struct's property.
pub fn normalised_origin(origin: &str) -> String {
    let parts: Vec<&str> = origin.split('/').collect();
    let mut kept = Vec::with_capacity(parts.len());
    let mut index = 0;
    while index < parts.len() {
        let is_all_of = parts[index] == "allOf"
            && parts
                .get(index + 1)
                .is_some_and(|next| !next.is_empty() && next.chars().all(|c| c.is_ascii_digit()));
        if is_all_of {
            index += 2;
        } else {
            kept.push(parts[index]);
            index += 1;
        }
    }
    kept.join("/")
}

impl TypeMap {
    /// Matches the types of `old` and `new` (see the module docs).
    pub fn new(old: &Api, new: &Api) -> TypeMap {
        let mut map = TypeMap::default();
        let mut new_by_origin: BTreeMap<String, &str> = BTreeMap::new();
        for definition in &new.types {
            new_by_origin
                .entry(normalised_origin(&definition.origin))
                .or_insert(&definition.name);
        }
        for definition in &old.types {
            if let Some(name) = new_by_origin.get(&normalised_origin(&definition.origin)) {
                map.pair(&definition.name, name);
            }
        }
        for definition in &old.types {
            if map.old_to_new.contains_key(&definition.name) {
                continue;
            }
            if new.type_named(&definition.name).is_some()
                && !map.new_to_old.contains_key(&definition.name)
            {
                map.pair(&definition.name, &definition.name);
            }
        }
        // Renames: a component gone from the old spec and one new in the new spec with
        // the same JSON. The first such pair in spec order is taken.
        for definition in &old.types {
            if map.old_to_new.contains_key(&definition.name) || !is_component(&definition.origin) {
                continue;
            }
            let old_shape = shape(old, &TypeRef::Named(definition.name.clone()));
            let renamed = new.types.iter().find(|candidate| {
                is_component(&candidate.origin)
                    && !map.new_to_old.contains_key(&candidate.name)
                    && shape(new, &TypeRef::Named(candidate.name.clone())) == old_shape
            });
            if let Some(candidate) = renamed {
                map.pair(&definition.name, &candidate.name);
            }
        }
        // Inline types of a renamed component moved with it: `Old/properties/kind` is
        // `New/properties/kind`.
        let renamed_components: Vec<(String, String)> = old
            .types
            .iter()
            .filter(|definition| is_component(&definition.origin))
            .filter_map(|definition| {
                let new_name = map.old_to_new.get(&definition.name)?;
                let new_origin = &new.type_named(new_name)?.origin;
                (new_origin != &definition.origin)
                    .then(|| (format!("{}/", definition.origin), format!("{new_origin}/")))
            })
            .collect();
        for definition in &old.types {
            if map.old_to_new.contains_key(&definition.name) {
                continue;
            }
            let origin = normalised_origin(&definition.origin);
            let moved = renamed_components
                .iter()
                .find_map(|(old_prefix, new_prefix)| {
                    origin
                        .strip_prefix(old_prefix.as_str())
                        .map(|rest| format!("{new_prefix}{rest}"))
                });
            if let Some(name) = moved.and_then(|origin| new_by_origin.get(&origin)) {
                map.pair(&definition.name, name);
            }
        }
        map
    }

    fn pair(&mut self, old: &str, new: &str) {
        if self.old_to_new.contains_key(old) || self.new_to_old.contains_key(new) {
            return;
        }
        self.old_to_new.insert(old.to_owned(), new.to_owned());
        self.new_to_old.insert(new.to_owned(), old.to_owned());
    }

    /// `ty` (of the old spec) with each named type replaced by its new name, so that it
    /// equals the new spec's type when nothing but names changed.
    pub fn map(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Array(inner) => TypeRef::Array(Box::new(self.map(inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.map(inner))),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(self.map(inner))),
            TypeRef::Tuple(positions) => TypeRef::Tuple(
                positions
                    .iter()
                    .map(|position| self.map(position))
                    .collect(),
            ),
            TypeRef::Named(name) => TypeRef::Named(
                self.old_to_new
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| format!("{name} (removed)")),
            ),
            other => other.clone(),
        }
    }
}

/// The JSON `ty` reads and writes, without Rust names (see the module docs).
pub fn shape(api: &Api, ty: &TypeRef) -> String {
    let mut out = String::new();
    shape_into(api, ty, &mut Vec::new(), &mut out);
    out
}

/// How deep named types are followed; beyond it, types count as equal. Specs nest far
/// less; the bound keeps a pathological spec cheap.
const MAX_DEPTH: usize = 24;

fn shape_into(api: &Api, ty: &TypeRef, stack: &mut Vec<String>, out: &mut String) {
    match ty {
        TypeRef::String => out.push_str("string"),
        TypeRef::Integer(_) => out.push_str("integer"),
        TypeRef::Number(_) => out.push_str("number"),
        TypeRef::Boolean => out.push_str("boolean"),
        TypeRef::DateTime => out.push_str("string:date-time"),
        TypeRef::Date => out.push_str("string:date"),
        TypeRef::Uuid => out.push_str("string:uuid"),
        TypeRef::Ipv4 => out.push_str("string:ipv4"),
        TypeRef::Ipv6 => out.push_str("string:ipv6"),
        TypeRef::Ip => out.push_str("string:ip"),
        TypeRef::Json => out.push_str("any"),
        TypeRef::Bytes => out.push_str("binary"),
        TypeRef::Base64 => out.push_str("string:byte"),
        TypeRef::File => out.push_str("file"),
        TypeRef::Array(inner) => {
            out.push('[');
            shape_into(api, inner, stack, out);
            out.push(']');
        }
        TypeRef::Map(inner) => {
            out.push_str("{*:");
            shape_into(api, inner, stack, out);
            out.push('}');
        }
        TypeRef::Tuple(positions) => {
            out.push('(');
            for (index, position) in positions.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                shape_into(api, position, stack, out);
            }
            out.push(')');
        }
        TypeRef::Nullable(inner) => {
            shape_into(api, inner, stack, out);
            out.push_str("|null");
        }
        TypeRef::Named(name) => {
            // A cycle is written as how far up the stack it goes, which does not depend
            // on names either.
            if let Some(position) = stack.iter().rposition(|seen| seen == name) {
                out.push_str(&format!("@{}", stack.len() - position));
                return;
            }
            if stack.len() >= MAX_DEPTH {
                out.push('…');
                return;
            }
            let Some(definition) = api.type_named(name) else {
                out.push('?');
                return;
            };
            stack.push(name.clone());
            kind_shape(api, &definition.kind, stack, out);
            stack.pop();
        }
    }
}

fn kind_shape(api: &Api, kind: &TypeKind, stack: &mut Vec<String>, out: &mut String) {
    match kind {
        TypeKind::Struct(structure) => {
            let mut fields: Vec<_> = structure.fields.iter().collect();
            fields.sort_by(|a, b| a.json_name.cmp(&b.json_name));
            out.push('{');
            for field in fields {
                out.push_str(&format!("{:?}", field.json_name));
                if field.required {
                    out.push('!');
                }
                match field.direction {
                    Direction::Both => {}
                    Direction::ReadOnly => out.push_str("(ro)"),
                    Direction::WriteOnly => out.push_str("(wo)"),
                }
                out.push(':');
                shape_into(api, &field.ty, stack, out);
                if field.nullable {
                    out.push_str("|null");
                }
                out.push(',');
            }
            if let Some(additional) = &structure.additional {
                out.push_str("*:");
                shape_into(api, &additional.value, stack, out);
            }
            out.push('}');
        }
        TypeKind::StringEnum(enumeration) => {
            let values: BTreeSet<&str> = enumeration
                .variants
                .iter()
                .map(|variant| variant.value.as_str())
                .collect();
            out.push_str(&format!("enum{values:?}"));
        }
        TypeKind::IntegerEnum(enumeration) => {
            let values: BTreeSet<i64> = enumeration.variants.iter().map(|(_, v)| *v).collect();
            out.push_str(&format!("enum{values:?}"));
        }
        TypeKind::Union(union) => {
            match &union.tagging {
                Tagging::Discriminator { property, .. } => {
                    out.push_str(&format!("oneOf[tag={property:?}]("));
                }
                Tagging::Untagged => out.push_str("oneOf("),
            }
            for variant in &union.variants {
                out.push_str(&format!("{:?}=", variant.tag_values));
                shape_into(api, &variant.ty, stack, out);
                out.push(',');
            }
            out.push(')');
        }
        TypeKind::Alias(target) | TypeKind::Newtype(target) => {
            shape_into(api, target, stack, out);
        }
    }
}

/// `ty` as Rust spells it in the generated crate, named types by their bare name
/// (`Vec<Sandbox>`, `Option<String>`).
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer(width) => match width {
            IntegerWidth::I8 => "i8",
            IntegerWidth::I16 => "i16",
            IntegerWidth::I32 => "i32",
            IntegerWidth::I64 => "i64",
            IntegerWidth::U8 => "u8",
            IntegerWidth::U16 => "u16",
            IntegerWidth::U32 => "u32",
            IntegerWidth::U64 => "u64",
        }
        .to_owned(),
        TypeRef::Number(NumberWidth::F32) => "f32".to_owned(),
        TypeRef::Number(NumberWidth::F64) => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Ipv4 => "Ipv4Addr".to_owned(),
        TypeRef::Ipv6 => "Ipv6Addr".to_owned(),
        TypeRef::Ip => "IpAddr".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Base64 => "Base64Bytes".to_owned(),
        TypeRef::File => "FilePart".to_owned(),
        TypeRef::Array(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Tuple(positions) => format!(
            "({})",
            positions
                .iter()
                .map(rust_type)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_of_steps_are_left_out_of_origins() {
        assert_eq!(
            normalised_origin("#/components/schemas/Pet/allOf/1/properties/tag"),
            "#/components/schemas/Pet/properties/tag"
        );
        assert_eq!(
            normalised_origin("#/components/schemas/allOf/properties/x"),
            "#/components/schemas/allOf/properties/x"
        );
    }

    #[test]
    fn components_are_told_from_inline_schemas() {
        assert!(is_component("#/components/schemas/Sandbox"));
        assert!(!is_component(
            "#/components/schemas/Sandbox/properties/egress"
        ));
        assert!(!is_component("#/paths/~1x/get"));
    }
}
