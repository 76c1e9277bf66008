//! Named types: structs and their properties, enums, unions, aliases.
//!
//! Each rule says why it has its class. Two facts of the generated crate decide many:
//! structs, enums and unions are `#[non_exhaustive]` (so a new optional property or a
//! new enum value compiles in code written against the old crate), and a struct's
//! `new` takes its required properties in order (so a new required property, or a
//! reordering, does not).

use crate::ir::{
    Api, Bound, Constraints, Field, FieldForm, IntegerEnum, StringEnum, Struct, Tagging, TypeDef,
    TypeKind, TypeRef, Union,
};

use super::identity::{is_component, rust_type, shape};
use super::usage::Travel;
use super::{escape, quoted, Class, Context};

/// How two types compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeVerdict {
    /// The same type (changes inside a named type are reported at the type).
    Same,
    /// Another Rust type for the same JSON.
    RustOnly {
        /// Old Rust type.
        old: String,
        /// New Rust type.
        new: String,
    },
    /// Other JSON.
    Wire {
        /// Old Rust type.
        old: String,
        /// New Rust type.
        new: String,
    },
}

/// Compares a type of the old spec with one of the new.
pub(crate) fn compare_type_refs(
    context: &Context<'_>,
    old: &TypeRef,
    new: &TypeRef,
) -> TypeVerdict {
    if context.types.map(old) == *new {
        return TypeVerdict::Same;
    }
    let (old_rust, new_rust) = (rust_type(old), rust_type(new));
    if shape(&context.old.api, old) == shape(&context.new.api, new) {
        TypeVerdict::RustOnly {
            old: old_rust,
            new: new_rust,
        }
    } else {
        TypeVerdict::Wire {
            old: old_rust,
            new: new_rust,
        }
    }
}

/// Reports a [`TypeVerdict`] for the thing at `pointer` (`subject` names it in words).
/// Returns whether it reported anything.
pub(crate) fn report_type_change(
    context: &mut Context<'_>,
    verdict: TypeVerdict,
    pointer: &str,
    subject: &str,
    items: Vec<String>,
) -> bool {
    match verdict {
        TypeVerdict::Same => false,
        // Why breaking-rust: the JSON is the same, so no HTTP client notices, but the
        // crate's type changes under the code that names it.
        TypeVerdict::RustOnly { old, new } => {
            context.push(
                Class::BreakingRust,
                pointer,
                format!(
                    "{subject} changes Rust type from `{old}` to `{new}`; the JSON is the same"
                ),
                items,
            );
            true
        }
        // Why breaking-wire: the JSON differs; whichever way it travels, one side
        // sends what the other does not read.
        TypeVerdict::Wire { old, new } => {
            context.push(
                Class::BreakingWire,
                pointer,
                format!("{subject} changes type from `{old}` to `{new}`"),
                items,
            );
            true
        }
    }
}

/// Compares every named type.
pub(crate) fn compare(context: &mut Context<'_>) {
    let new_api: &Api = &context.new.api;
    let old_api: &Api = &context.old.api;
    for new_definition in &new_api.types {
        match context.types.new_to_old.get(&new_definition.name) {
            Some(old_name) => {
                if let Some(old_definition) = old_api.type_named(old_name) {
                    compare_definitions(context, old_definition, new_definition);
                }
            }
            // Why additive: a new type is a new item; nothing that compiled uses it.
            // Inline types are reported with their owner (a property or operation added).
            None if is_component(&new_definition.origin) => context.push(
                Class::Additive,
                &new_definition.origin,
                "schema added".to_owned(),
                vec![format!("types::{}", new_definition.name)],
            ),
            None => {}
        }
    }
    for old_definition in &old_api.types {
        // Why breaking-rust: the Rust type is gone; where the wire used it, its users
        // (properties, bodies) report their own change.
        if !context.types.old_to_new.contains_key(&old_definition.name)
            && is_component(&old_definition.origin)
        {
            context.push(
                Class::BreakingRust,
                &old_definition.origin,
                "schema removed".to_owned(),
                vec![format!("types::{}", old_definition.name)],
            );
        }
    }
}

fn kind_words(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::StringEnum(_) => "a string enum",
        TypeKind::IntegerEnum(_) => "an integer enum",
        TypeKind::Union(_) => "an enum of schemas (oneOf/anyOf)",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::Newtype(_) => "a newtype",
    }
}

fn compare_definitions(context: &mut Context<'_>, old: &TypeDef, new: &TypeDef) {
    let pointer = new.origin.clone();
    let item = format!("types::{}", new.name);
    let travel = context.travel(Some(&old.name), Some(&new.name));
    let before = context.changes.len();
    if old.name != new.name {
        // Why breaking-rust: the JSON is the same (the types were matched by their place
        // or their shape), but code names the type.
        let what = if is_component(&new.origin) && old.origin != new.origin {
            format!("schema renamed from `{}`", last_token(&old.origin))
        } else {
            format!("Rust type renamed from `{}` to `{}`", old.name, new.name)
        };
        context.push(
            Class::BreakingRust,
            &pointer,
            what,
            vec![format!("types::{} -> {item}", old.name)],
        );
    }
    if old.docs != new.docs {
        context.push(
            Class::Docs,
            &pointer,
            docs_words("description", old.docs.as_deref(), new.docs.as_deref()),
            vec![item.clone()],
        );
    }
    let after_names = context.changes.len();
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            compare_structs(context, a, (new, b), travel);
        }
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
            compare_string_enums(context, a, b, &pointer, &new.name, travel);
        }
        (TypeKind::IntegerEnum(a), TypeKind::IntegerEnum(b)) => {
            compare_integer_enums(context, a, b, &pointer, &new.name, travel);
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            compare_unions(context, a, b, &pointer, &new.name, travel);
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) | (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
            let verdict = compare_type_refs(context, a, b);
            report_type_change(context, verdict, &pointer, "the schema", vec![item.clone()]);
        }
        (a, b) => {
            // Why breaking-rust: code matching, building or reading the type does not
            // compile against another kind of item, whatever the JSON does.
            let wire = shape(&context.old.api, &TypeRef::Named(old.name.clone()))
                != shape(&context.new.api, &TypeRef::Named(new.name.clone()));
            let class = if wire {
                Class::BreakingWire
            } else {
                Class::BreakingRust
            };
            context.push(
                class,
                &pointer,
                format!(
                    "changes from {} to {}{}",
                    kind_words(a),
                    kind_words(b),
                    if wire { "" } else { "; the JSON is the same" }
                ),
                vec![item.clone()],
            );
        }
    }
    if context.changes.len() == after_names && context.changes.len() == before {
        residual(context, old, new, &pointer, &item);
    }
}

/// The catch-all: the definitions differ in a way no rule above saw.
fn residual(context: &mut Context<'_>, old: &TypeDef, new: &TypeDef, pointer: &str, item: &str) {
    // Declaration order is not part of the crate's API (struct fields are named, enums
    // derive no `Ord`), nor of the JSON: it is left out.
    if sorted_kind(map_kind(context, &old.kind)) != sorted_kind(new.kind.clone()) {
        context.push(
            Class::BreakingRust,
            pointer,
            "unclassified: the schema's generated type changed in a way no rule describes"
                .to_owned(),
            vec![item.to_owned()],
        );
    }
}

/// `kind` with fields and enum values in a fixed order.
fn sorted_kind(kind: TypeKind) -> TypeKind {
    match kind {
        TypeKind::Struct(mut structure) => {
            structure
                .fields
                .sort_by(|a, b| a.json_name.cmp(&b.json_name));
            TypeKind::Struct(structure)
        }
        TypeKind::StringEnum(mut enumeration) => {
            enumeration.variants.sort_by(|a, b| a.value.cmp(&b.value));
            TypeKind::StringEnum(enumeration)
        }
        TypeKind::IntegerEnum(mut enumeration) => {
            enumeration.variants.sort_by_key(|(_, value)| *value);
            TypeKind::IntegerEnum(enumeration)
        }
        other => other,
    }
}

/// `kind` of the old spec with names mapped into the new spec's, for the catch-all.
fn map_kind(context: &Context<'_>, kind: &TypeKind) -> TypeKind {
    let map = |ty: &TypeRef| context.types.map(ty);
    match kind {
        TypeKind::Struct(structure) => {
            let mut structure = structure.clone();
            for field in &mut structure.fields {
                field.ty = map(&field.ty);
            }
            if let Some(additional) = &mut structure.additional {
                additional.value = map(&additional.value);
            }
            TypeKind::Struct(structure)
        }
        TypeKind::Union(union) => {
            let mut union = union.clone();
            for variant in &mut union.variants {
                variant.ty = map(&variant.ty);
            }
            TypeKind::Union(union)
        }
        TypeKind::Alias(target) => TypeKind::Alias(map(target)),
        TypeKind::Newtype(target) => TypeKind::Newtype(map(target)),
        other => other.clone(),
    }
}

/// The last token of a pointer, unescaped: a component's name.
fn last_token(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace("~1", "/")
        .replace("~0", "~")
}

/// "description added/removed/changed".
pub(crate) fn docs_words(subject: &str, old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (None, Some(_)) => format!("{subject} added"),
        (Some(_), None) => format!("{subject} removed"),
        _ => format!("{subject} changed"),
    }
}

/// Whether `new` takes the field as an argument.
fn is_new_argument(field: &Field) -> bool {
    matches!(field.form, FieldForm::Plain | FieldForm::RequiredNullable)
        || (field.form == FieldForm::Optional && field.demanded)
}

/// The field's Rust type in its struct, as written there.
fn field_rust_type(field: &Field) -> String {
    let inner = rust_type(&field.ty);
    let inner = if field.boxed {
        format!("Box<{inner}>")
    } else {
        inner
    };
    match field.form {
        FieldForm::Plain | FieldForm::Defaulted => inner,
        FieldForm::RequiredNullable | FieldForm::Optional => format!("Option<{inner}>"),
        FieldForm::OptionalNullable => format!("Option<Option<{inner}>>"),
    }
}

fn compare_structs(
    context: &mut Context<'_>,
    old: &Struct,
    (new_definition, new): (&TypeDef, &Struct),
    travel: Travel,
) {
    let type_name = &new_definition.name;
    let origin = &new_definition.origin;
    // Indexes, not scans: a schema of 20,000 properties must compare in linear time.
    let old_fields: std::collections::HashMap<&str, &crate::ir::Field> = old
        .fields
        .iter()
        .map(|field| (field.json_name.as_str(), field))
        .collect();
    let new_names: std::collections::HashSet<&str> = new
        .fields
        .iter()
        .map(|field| field.json_name.as_str())
        .collect();
    for new_field in &new.fields {
        let pointer = format!("{origin}/properties/{}", escape(&new_field.json_name));
        let item = format!("types::{type_name}::{}", new_field.rust_name);
        match old_fields.get(new_field.json_name.as_str()).copied() {
            Some(old_field) => {
                let travel = travel.of_field(old_field.direction, new_field.direction);
                compare_fields(context, old_field, new_field, &pointer, &item, travel);
            }
            None => {
                let travel = travel.of_field(new_field.direction, new_field.direction);
                let (class, what) = if is_new_argument(new_field) && travel.request {
                    // Why breaking-wire: requests built by existing clients lack it.
                    (
                        Class::BreakingWire,
                        "required property added to a type sent in requests".to_owned(),
                    )
                } else if is_new_argument(new_field) {
                    // Why breaking-rust: no HTTP client breaks on a property it does not
                    // read, but `new` takes one more argument.
                    (
                        Class::BreakingRust,
                        format!("required property added; `{type_name}::new` takes it"),
                    )
                } else {
                    // Why additive: the struct is `#[non_exhaustive]`; old code compiles.
                    (Class::Additive, "optional property added".to_owned())
                };
                context.push(class, &pointer, what, vec![item]);
            }
        }
    }
    for old_field in &old.fields {
        if new_names.contains(old_field.json_name.as_str()) {
            continue;
        }
        let pointer = format!("{origin}/properties/{}", escape(&old_field.json_name));
        let item = format!("types::{type_name}::{}", old_field.rust_name);
        let travel = travel.of_field(old_field.direction, old_field.direction);
        let (class, what) = if travel.response {
            // Why breaking-wire: clients that read it no longer get it (and a required
            // one no longer decodes).
            (
                Class::BreakingWire,
                format!(
                    "{} property removed from a type read from responses",
                    if old_field.required {
                        "required"
                    } else {
                        "optional"
                    }
                ),
            )
        } else {
            // Why breaking-rust: the server no longer reads it, so sending it does no
            // harm on the wire, but the field is gone from the struct.
            (
                Class::BreakingRust,
                "property removed from a type only sent in requests".to_owned(),
            )
        };
        context.push(class, &pointer, what, vec![item]);
    }
    // `new` takes the required properties in struct order: the same ones in another
    // order compile only when their types happen to agree, and then mean something else.
    let old_arguments: Vec<&str> = old
        .fields
        .iter()
        .filter(|field| is_new_argument(field))
        .map(|field| field.json_name.as_str())
        .collect();
    let new_arguments: Vec<&str> = new
        .fields
        .iter()
        .filter(|field| is_new_argument(field))
        .map(|field| field.json_name.as_str())
        .collect();
    let mut old_sorted = old_arguments.clone();
    old_sorted.sort_unstable();
    let mut new_sorted = new_arguments.clone();
    new_sorted.sort_unstable();
    if old_arguments != new_arguments && old_sorted == new_sorted {
        context.push(
            Class::BreakingRust,
            origin,
            format!(
                "required properties reordered: `new({})` becomes `new({})`",
                old_arguments.join(", "),
                new_arguments.join(", ")
            ),
            vec![format!("types::{type_name}::new")],
        );
    }
    let item = format!("types::{type_name}");
    match (&old.additional, &new.additional) {
        (None, Some(_)) => context.push(
            Class::Additive,
            origin,
            "additionalProperties allowed: other keys are kept in a map".to_owned(),
            vec![item],
        ),
        (Some(additional), None) => context.push(
            // Why breaking-rust: the map field is gone; extra keys are still ignored
            // when reading, so no HTTP client breaks.
            Class::BreakingRust,
            origin,
            "additionalProperties no longer allowed: the map of other keys is gone".to_owned(),
            vec![format!("{item}::{}", additional.rust_name)],
        ),
        (Some(a), Some(b)) => {
            let verdict = compare_type_refs(context, &a.value, &b.value);
            report_type_change(
                context,
                verdict,
                origin,
                "additionalProperties",
                vec![format!("{item}::{}", b.rust_name)],
            );
        }
        (None, None) => {}
    }
}

fn compare_fields(
    context: &mut Context<'_>,
    old: &Field,
    new: &Field,
    pointer: &str,
    item: &str,
    travel: Travel,
) {
    let before = context.changes.len();
    let items = || vec![item.to_owned()];
    let verdict = compare_type_refs(context, &old.ty, &new.ty);
    report_type_change(context, verdict, pointer, "property", items());
    let rust_changed = field_rust_type(old) != field_rust_type(new)
        || is_new_argument(old) != is_new_argument(new);
    let rust_words = format!(
        "Rust type `{}` becomes `{}`",
        field_rust_type(old),
        field_rust_type(new)
    );
    let mut explained = false;
    if old.required != new.required {
        explained = true;
        let (class, what) = match (new.required, travel.request, travel.response) {
            // Why breaking-wire: requests built without it are now refused.
            (true, true, _) => (
                Class::BreakingWire,
                "becomes required in requests".to_owned(),
            ),
            (true, false, _) if rust_changed => (
                Class::BreakingRust,
                format!("becomes required; {rust_words}"),
            ),
            // Responses that always carry it break no reader.
            (true, false, _) => (Class::Docs, "becomes required in responses".to_owned()),
            // Why breaking-wire: old clients require it in responses, which may now
            // leave it out.
            (false, _, true) => (
                Class::BreakingWire,
                "no longer required: responses may leave it out".to_owned(),
            ),
            (false, _, false) if rust_changed => (
                Class::BreakingRust,
                format!("no longer required; {rust_words}"),
            ),
            (false, _, false) => (Class::Additive, "no longer required".to_owned()),
        };
        context.push(class, pointer, what, items());
    }
    if old.nullable != new.nullable {
        explained = true;
        let (class, what) = match (new.nullable, travel.request, travel.response) {
            // Why breaking-wire: a `null` in a response does not decode into the old
            // crate's type.
            (true, _, true) => (
                Class::BreakingWire,
                "becomes nullable: responses may hold null, which old clients cannot read"
                    .to_owned(),
            ),
            // Why breaking-rust: requests are compatible (null is one more value), but
            // the Rust type gains an `Option`.
            (true, _, false) if rust_changed => (
                Class::BreakingRust,
                format!("becomes nullable; {rust_words}"),
            ),
            (true, _, false) => (Class::Additive, "becomes nullable".to_owned()),
            // Why breaking-wire: requests that send null are now refused.
            (false, true, _) => (
                Class::BreakingWire,
                "no longer nullable: requests with null are refused".to_owned(),
            ),
            (false, false, _) if rust_changed => (
                Class::BreakingRust,
                format!("no longer nullable; {rust_words}"),
            ),
            (false, false, _) => (Class::Docs, "no longer nullable".to_owned()),
        };
        context.push(class, pointer, what, items());
    }
    if old.direction != new.direction {
        explained = true;
        // Why breaking-rust: which way a property travels decides its Rust form and
        // whether `new` takes it; the JSON of each value is the same.
        context.push(
            Class::BreakingRust,
            pointer,
            format!(
                "{}; {rust_words}",
                match new.direction {
                    crate::ir::Direction::ReadOnly => "becomes read-only",
                    crate::ir::Direction::WriteOnly => "becomes write-only",
                    crate::ir::Direction::Both => "no longer read-only or write-only",
                }
            ),
            items(),
        );
    }
    if old.default != new.default {
        // A default is what the server assumes when a request leaves the property out,
        // and what the crate fills in when a response does: either way, the same
        // message comes to mean something else.
        let class = if travel.request {
            Class::BreakingWire
        } else {
            Class::BreakingRust
        };
        let mut what = format!(
            "default changes from {} to {}",
            quoted(old.default.as_ref()),
            quoted(new.default.as_ref())
        );
        if rust_changed && !explained {
            what.push_str(&format!("; {rust_words}"));
            explained = true;
        }
        context.push(class, pointer, what, items());
    }
    if rust_changed && !explained && old.ty == new.ty {
        context.push(Class::BreakingRust, pointer, rust_words, items());
    }
    if old.boxed != new.boxed && !rust_changed {
        context.push(
            Class::BreakingRust,
            pointer,
            "unclassified: the field's boxing changed".to_owned(),
            items(),
        );
    }
    compare_constraints(
        context,
        &old.constraints,
        &new.constraints,
        pointer,
        items(),
        travel.request,
    );
    if old.rust_name != new.rust_name {
        // Why breaking-rust: the JSON name is the same; code names the field.
        let old_item = item.rsplit_once("::").map_or(String::new(), |(owner, _)| {
            format!("{owner}::{}", old.rust_name)
        });
        context.push(
            Class::BreakingRust,
            pointer,
            format!(
                "Rust field renamed from `{}` to `{}`",
                old.rust_name, new.rust_name
            ),
            vec![format!("{old_item} -> {item}")],
        );
    }
    if old.docs != new.docs {
        context.push(
            Class::Docs,
            pointer,
            docs_words("description", old.docs.as_deref(), new.docs.as_deref()),
            items(),
        );
    }
    if old.secret != new.secret {
        // Only `Debug` output and validation messages change.
        context.push(
            Class::Docs,
            pointer,
            if new.secret {
                "now kept out of Debug output".to_owned()
            } else {
                "now shown in Debug output".to_owned()
            },
            items(),
        );
    }
    if context.changes.len() == before {
        let mut mapped = old.clone();
        mapped.ty = context.types.map(&old.ty);
        if mapped != *new {
            context.push(
                Class::BreakingRust,
                pointer,
                "unclassified: the property changed in a way no rule describes".to_owned(),
                items(),
            );
        }
    }
}

fn bound_text((bound, exclusive): (Bound, bool)) -> String {
    let value = match bound {
        Bound::Integer(value) => value.to_string(),
        Bound::Number(value) => value.to_string(),
    };
    if exclusive {
        format!("{value} (exclusive)")
    } else {
        value
    }
}

/// One keyword's change: whether the new value admits fewer values than the old.
struct KeywordChange {
    keyword: &'static str,
    old: Option<String>,
    new: Option<String>,
    tighter: bool,
}

/// Compares validation keywords. For what the client sends, a tighter constraint
/// refuses values the old spec allowed (and the crate checks requests before sending):
/// breaking-wire; a looser one admits more: additive. For what the client only reads,
/// the crate checks nothing: docs.
pub(crate) fn compare_constraints(
    context: &mut Context<'_>,
    old: &Constraints,
    new: &Constraints,
    pointer: &str,
    items: Vec<String>,
    in_requests: bool,
) {
    let mut keyword_changes = Vec::new();
    let lower = |old: Option<(Bound, bool)>, new: Option<(Bound, bool)>| match (old, new) {
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some((a, ax)), Some((b, bx))) => {
            b.as_f64() > a.as_f64() || (b.as_f64() == a.as_f64() && bx && !ax)
        }
        (None, None) => false,
    };
    if old.minimum != new.minimum {
        keyword_changes.push(KeywordChange {
            keyword: "minimum",
            old: old.minimum.map(bound_text),
            new: new.minimum.map(bound_text),
            tighter: lower(old.minimum, new.minimum),
        });
    }
    if old.maximum != new.maximum {
        let tighter = match (old.maximum, new.maximum) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some((a, ax)), Some((b, bx))) => {
                b.as_f64() < a.as_f64() || (b.as_f64() == a.as_f64() && bx && !ax)
            }
            (None, None) => false,
        };
        keyword_changes.push(KeywordChange {
            keyword: "maximum",
            old: old.maximum.map(bound_text),
            new: new.maximum.map(bound_text),
            tighter,
        });
    }
    let at_least = |keyword, old: Option<usize>, new: Option<usize>| KeywordChange {
        keyword,
        old: old.map(|v| v.to_string()),
        new: new.map(|v| v.to_string()),
        tighter: match (old, new) {
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b > a,
            _ => false,
        },
    };
    let at_most = |keyword, old: Option<usize>, new: Option<usize>| KeywordChange {
        keyword,
        old: old.map(|v| v.to_string()),
        new: new.map(|v| v.to_string()),
        tighter: match (old, new) {
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b < a,
            _ => false,
        },
    };
    if old.min_length != new.min_length {
        keyword_changes.push(at_least("minLength", old.min_length, new.min_length));
    }
    if old.max_length != new.max_length {
        keyword_changes.push(at_most("maxLength", old.max_length, new.max_length));
    }
    if old.min_items != new.min_items {
        keyword_changes.push(at_least("minItems", old.min_items, new.min_items));
    }
    if old.max_items != new.max_items {
        keyword_changes.push(at_most("maxItems", old.max_items, new.max_items));
    }
    // A changed pattern, multipleOf or format admits other values: unless it was
    // removed, some value the old one allowed may now be refused.
    if old.pattern != new.pattern {
        keyword_changes.push(KeywordChange {
            keyword: "pattern",
            old: old.pattern.clone(),
            new: new.pattern.clone(),
            tighter: new.pattern.is_some(),
        });
    }
    if old.multiple_of != new.multiple_of {
        keyword_changes.push(KeywordChange {
            keyword: "multipleOf",
            old: old.multiple_of.map(|v| v.to_string()),
            new: new.multiple_of.map(|v| v.to_string()),
            tighter: new.multiple_of.is_some(),
        });
    }
    if old.format != new.format {
        keyword_changes.push(KeywordChange {
            keyword: "format",
            old: old.format.clone(),
            new: new.format.clone(),
            tighter: new.format.is_some(),
        });
    }
    for change in keyword_changes {
        let from_to = match (&change.old, &change.new) {
            (None, Some(new)) => format!("{} `{new}` added", change.keyword),
            (Some(old), None) => format!("{} `{old}` removed", change.keyword),
            (Some(old), Some(new)) => format!("{} changes from `{old}` to `{new}`", change.keyword),
            (None, None) => continue,
        };
        let (class, what) = match (in_requests, change.tighter) {
            (true, true) => (
                Class::BreakingWire,
                format!("{from_to}: requests the old spec allowed may be refused"),
            ),
            (true, false) => (
                Class::Additive,
                format!("{from_to}: requests may send more"),
            ),
            (false, _) => (
                Class::Docs,
                format!("{from_to} (in responses only, which the client does not check)"),
            ),
        };
        context.push(class, pointer, what, items.clone());
    }
}

fn compare_string_enums(
    context: &mut Context<'_>,
    old: &StringEnum,
    new: &StringEnum,
    pointer: &str,
    type_name: &str,
    travel: Travel,
) {
    let old_values: Vec<(&str, &str)> = old
        .variants
        .iter()
        .map(|v| (v.value.as_str(), v.rust_name.as_str()))
        .collect();
    let new_values: Vec<(&str, &str)> = new
        .variants
        .iter()
        .map(|v| (v.value.as_str(), v.rust_name.as_str()))
        .collect();
    compare_values(
        context,
        &old_values,
        &new_values,
        pointer,
        type_name,
        travel,
    );
    let old_variants: std::collections::HashMap<&str, &crate::ir::EnumVariant> = old
        .variants
        .iter()
        .map(|variant| (variant.value.as_str(), variant))
        .collect();
    for variant in &new.variants {
        if let Some(old_variant) = old_variants.get(variant.value.as_str()) {
            if old_variant.docs != variant.docs {
                context.push(
                    Class::Docs,
                    pointer,
                    docs_words(
                        &format!("description of value `{}`", variant.value),
                        old_variant.docs.as_deref(),
                        variant.docs.as_deref(),
                    ),
                    vec![format!("types::{type_name}::{}", variant.rust_name)],
                );
            }
        }
    }
    compare_enum_rest(
        context,
        (&old.catch_all, &new.catch_all),
        (
            old.default
                .as_ref()
                .map(|v| serde_json::Value::from(v.as_str())),
            new.default
                .as_ref()
                .map(|v| serde_json::Value::from(v.as_str())),
        ),
        pointer,
        type_name,
        travel,
    );
}

fn compare_integer_enums(
    context: &mut Context<'_>,
    old: &IntegerEnum,
    new: &IntegerEnum,
    pointer: &str,
    type_name: &str,
    travel: Travel,
) {
    let old_text: Vec<(String, &str)> = old
        .variants
        .iter()
        .map(|(name, value)| (value.to_string(), name.as_str()))
        .collect();
    let new_text: Vec<(String, &str)> = new
        .variants
        .iter()
        .map(|(name, value)| (value.to_string(), name.as_str()))
        .collect();
    let old_values: Vec<(&str, &str)> = old_text.iter().map(|(v, n)| (v.as_str(), *n)).collect();
    let new_values: Vec<(&str, &str)> = new_text.iter().map(|(v, n)| (v.as_str(), *n)).collect();
    compare_values(
        context,
        &old_values,
        &new_values,
        pointer,
        type_name,
        travel,
    );
    compare_enum_rest(
        context,
        (&old.catch_all, &new.catch_all),
        (
            old.default.map(serde_json::Value::from),
            new.default.map(serde_json::Value::from),
        ),
        pointer,
        type_name,
        travel,
    );
}

/// Enum values (value, Rust variant) added, removed or renamed in Rust.
fn compare_values(
    context: &mut Context<'_>,
    old: &[(&str, &str)],
    new: &[(&str, &str)],
    pointer: &str,
    type_name: &str,
    travel: Travel,
) {
    // Indexes, not scans: an enum of 100,000 values must compare in linear time.
    let old_index: std::collections::HashMap<&str, &str> = old.iter().copied().collect();
    let new_values: std::collections::HashSet<&str> = new.iter().map(|(value, _)| *value).collect();
    for (value, variant) in new {
        match old_index.get(value).map(|old_variant| (*value, *old_variant)) {
            // Why additive, whichever way the enum travels: in a request it is a new
            // option nobody must use; in a response old clients keep it in the
            // catch-all variant; and the enum is `#[non_exhaustive]`, so matches compile.
            None => context.push(
                Class::Additive,
                pointer,
                format!("enum value `{value}` added"),
                vec![format!("types::{type_name}::{variant}")],
            ),
            Some((_, old_variant)) if old_variant != *variant => context.push(
                Class::BreakingRust,
                pointer,
                format!("the variant of enum value `{value}` is renamed from `{old_variant}` to `{variant}`"),
                vec![format!("types::{type_name}::{old_variant} -> types::{type_name}::{variant}")],
            ),
            Some(_) => {}
        }
    }
    for (value, variant) in old {
        if new_values.contains(value) {
            continue;
        }
        let item = vec![format!("types::{type_name}::{variant}")];
        if travel.request {
            // Why breaking-wire: clients that send the value are refused.
            context.push(
                Class::BreakingWire,
                pointer,
                format!("enum value `{value}` removed from an enum sent in requests"),
                item,
            );
        } else {
            // Why breaking-rust: an old client still reads the value (the server no
            // longer sends it); the variant is gone from the crate.
            context.push(
                Class::BreakingRust,
                pointer,
                format!("enum value `{value}` removed; its variant is gone"),
                item,
            );
        }
    }
}

fn compare_enum_rest(
    context: &mut Context<'_>,
    (old_catch_all, new_catch_all): (&String, &String),
    (old_default, new_default): (Option<serde_json::Value>, Option<serde_json::Value>),
    pointer: &str,
    type_name: &str,
    travel: Travel,
) {
    if old_catch_all != new_catch_all {
        context.push(
            Class::BreakingRust,
            pointer,
            format!("the catch-all variant is renamed from `{old_catch_all}` to `{new_catch_all}`"),
            vec![format!("types::{type_name}::{new_catch_all}")],
        );
    }
    if old_default != new_default {
        // As for a property's default (see `compare_fields`).
        let class = if travel.request {
            Class::BreakingWire
        } else {
            Class::BreakingRust
        };
        context.push(
            class,
            pointer,
            format!(
                "default changes from {} to {}",
                quoted(old_default.as_ref()),
                quoted(new_default.as_ref())
            ),
            vec![format!("types::{type_name}")],
        );
    }
}

fn compare_unions(
    context: &mut Context<'_>,
    old: &Union,
    new: &Union,
    pointer: &str,
    type_name: &str,
    travel: Travel,
) {
    let item = format!("types::{type_name}");
    if old.tagging != new.tagging {
        let words = |tagging: &Tagging| match tagging {
            Tagging::Discriminator { property, .. } => format!("tagged by `{property}`"),
            Tagging::Untagged => "untagged".to_owned(),
        };
        let same_tag = matches!(
            (&old.tagging, &new.tagging),
            (Tagging::Discriminator { property: a, .. }, Tagging::Discriminator { property: b, .. }) if a == b
        );
        if same_tag {
            context.push(
                Class::BreakingRust,
                pointer,
                "the catch-all variant is renamed".to_owned(),
                vec![item.clone()],
            );
        } else {
            context.push(
                Class::BreakingWire,
                pointer,
                format!(
                    "changes from {} to {}",
                    words(&old.tagging),
                    words(&new.tagging)
                ),
                vec![item.clone()],
            );
        }
    }
    let tagged = matches!(new.tagging, Tagging::Discriminator { .. });
    // Members are matched by their tag values when tagged, else by variant name.
    let key = |variant: &crate::ir::UnionVariant| {
        if tagged && !variant.tag_values.is_empty() {
            variant.tag_values.join("|")
        } else {
            variant.rust_name.clone()
        }
    };
    for variant in &new.variants {
        let variant_item = format!("{item}::{}", variant.rust_name);
        match old.variants.iter().find(|old| key(old) == key(variant)) {
            None => {
                // Why: a tagged union keeps unknown tags in its catch-all, and the enum
                // is `#[non_exhaustive]`: additive. An untagged one read from responses
                // has no catch-all: old clients cannot read the new member.
                let class = if !tagged && travel.response {
                    Class::BreakingWire
                } else {
                    Class::Additive
                };
                context.push(
                    class,
                    pointer,
                    format!("member `{}` added", variant.rust_name),
                    vec![variant_item],
                );
            }
            Some(old_variant) => {
                let verdict = compare_type_refs(context, &old_variant.ty, &variant.ty);
                report_type_change(
                    context,
                    verdict,
                    pointer,
                    &format!("member `{}`", variant.rust_name),
                    vec![variant_item.clone()],
                );
                if old_variant.rust_name != variant.rust_name {
                    context.push(
                        Class::BreakingRust,
                        pointer,
                        format!(
                            "variant renamed from `{}` to `{}`",
                            old_variant.rust_name, variant.rust_name
                        ),
                        vec![format!(
                            "{item}::{} -> {variant_item}",
                            old_variant.rust_name
                        )],
                    );
                }
            }
        }
    }
    for old_variant in &old.variants {
        if new
            .variants
            .iter()
            .any(|variant| key(variant) == key(old_variant))
        {
            continue;
        }
        let class = if travel.request {
            Class::BreakingWire
        } else {
            Class::BreakingRust
        };
        context.push(
            class,
            pointer,
            format!("member `{}` removed", old_variant.rust_name),
            vec![format!("{item}::{}", old_variant.rust_name)],
        );
    }
}
