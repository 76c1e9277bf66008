//! Enum rules: string and integer enums with a catch-all for values the spec does not list.

use super::names::{upper_camel, Scope};
use super::schema::{describe, Shape};
use super::Normaliser;
use crate::ir::{EnumVariant, IntegerEnum, StringEnum, TypeDef, TypeKind, TypeRef};

/// Names tried, in order, for the catch-all variant; the first the spec's own values do
/// not already use wins (`Unknown` is a common real value, so it is not a candidate).
const CATCH_ALL_NAMES: [&str; 3] = ["Other", "UnknownValue", "Unrecognized"];

impl<'a> Normaliser<'a> {
    /// A string enum: one variant per value plus a catch-all that keeps unknown values,
    /// so a value the server adds later still parses and serialises back unchanged.
    /// Values that are not identifiers get converted names (`1x` -> `V1x`, `a.b` -> `AB`,
    /// `""` -> `Empty`); values that collide after conversion (`active`/`ACTIVE`) get
    /// numbered names. The JSON value is always kept exactly.
    pub(super) fn define_string_enum(
        &mut self,
        values: &[&str],
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> TypeRef {
        let values: Vec<(&str, Option<String>)> =
            values.iter().map(|value| (*value, None)).collect();
        self.define_documented_string_enum(&values, data, pointer, name_hint)
    }

    /// [`Self::define_string_enum`] with each value's own description.
    pub(super) fn define_documented_string_enum(
        &mut self,
        values: &[(&str, Option<String>)],
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> TypeRef {
        let name = self.claim_type_name(name_hint);
        let mut scope = Scope::with_reserved(&[]);
        let mut variants: Vec<EnumVariant> = Vec::new();
        // A set, not a scan of `variants`: an enum of 100,000 values must stay linear.
        let mut seen = std::collections::HashSet::new();
        for (value, docs) in values {
            if !seen.insert(*value) {
                continue; // A repeated value is one variant.
            }
            variants.push(EnumVariant {
                rust_name: scope.claim(upper_camel(value)),
                value: (*value).to_string(),
                docs: docs.clone(),
            });
        }
        let catch_all = claim_catch_all(&mut scope);
        let default = data
            .default
            .as_ref()
            .and_then(serde_json::Value::as_str)
            .filter(|default| values.iter().any(|(value, _)| value == default))
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

    /// An integer enum, with variants named `V<value>` (`VMinus1` for -1).
    pub(super) fn define_integer_enum(
        &mut self,
        values: &[i64],
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> TypeRef {
        let name = self.claim_type_name(name_hint);
        let mut scope = Scope::with_reserved(&[]);
        let mut variants: Vec<(String, i64)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for value in values {
            if !seen.insert(*value) {
                continue;
            }
            let rust_name = if *value < 0 {
                format!("VMinus{}", value.unsigned_abs())
            } else {
                format!("V{value}")
            };
            variants.push((scope.claim(rust_name), *value));
        }
        let catch_all = claim_catch_all(&mut scope);
        let default = data
            .default
            .as_ref()
            .and_then(serde_json::Value::as_i64)
            .filter(|value| values.contains(value));
        self.push_type(TypeDef {
            name: name.clone(),
            origin: pointer.to_string(),
            docs: describe(data),
            kind: TypeKind::IntegerEnum(IntegerEnum {
                variants,
                catch_all,
                default,
            }),
        });
        TypeRef::Named(name)
    }

    /// `enum` without `type`: the values decide. All strings (and nulls) make a string
    /// enum, all integers an integer enum; a mix has no Rust enum and stays JSON.
    pub(super) fn untyped_enum(
        &mut self,
        values: &[serde_json::Value],
        data: &openapiv3::SchemaData,
        pointer: &str,
        name_hint: &str,
    ) -> Shape {
        let nullable = values.iter().any(serde_json::Value::is_null);
        let present: Vec<&serde_json::Value> =
            values.iter().filter(|value| !value.is_null()).collect();
        let mut shape = if present.is_empty() {
            Shape::of(TypeRef::Json)
        } else if let Some(strings) = present
            .iter()
            .map(|value| value.as_str())
            .collect::<Option<Vec<&str>>>()
        {
            Shape::of(self.define_string_enum(&strings, data, pointer, name_hint))
        } else if let Some(integers) = present
            .iter()
            .map(|value| value.as_i64())
            .collect::<Option<Vec<i64>>>()
        {
            Shape::of(self.define_integer_enum(&integers, data, pointer, name_hint))
        } else if present.iter().all(|value| value.is_boolean()) {
            Shape::of(TypeRef::Boolean)
        } else if present.iter().all(|value| value.is_number()) {
            Shape::of(TypeRef::Number(crate::ir::NumberWidth::F64))
        } else {
            self.fallback(pointer, "an `enum` mixing kinds of values has no Rust enum")
        };
        shape.nullable = nullable;
        shape
    }
}

fn claim_catch_all(scope: &mut Scope) -> String {
    let name = CATCH_ALL_NAMES
        .into_iter()
        .find(|candidate| !scope.contains(candidate))
        .unwrap_or("Other");
    scope.claim(name.to_string())
}
