//! Normalise stage: an `openapiv3::OpenAPI` becomes the [`ir::Api`](crate::ir::Api).
//!
//! `schema` holds the schema rules, `operation` the operation rules, `names` the naming
//! rules. This module holds the state they share: the type registry and the warnings.

pub(crate) mod areas;
pub mod budget;
mod enums;
pub mod names;
mod object;
mod operation;
mod recursion;
mod schema;
mod servers;
mod union;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use crate::diagnostics::{Diagnostic, Warning};
use crate::ir::{Api, AuthScheme, TypeDef, TypeKind, TypeRef};
use crate::resolve::{escape_token, Resolver};
use names::{reserved, Scope};
pub use names::{snake, upper_camel};
use schema::SchemaRef;

/// The IR and the warnings produced on the way.
#[derive(Debug)]
pub struct Normalised {
    /// The API.
    pub api: Api,
    /// Constructs generated as fallbacks, sorted by pointer.
    pub warnings: Vec<Warning>,
}

/// Normalises `document`.
///
/// # Errors
/// The first [`Diagnostic`] that makes a faithful client impossible (a dangling `$ref`,
/// a path parameter that is not declared, ...).
pub fn normalise(document: &OpenAPI, resolver: &Resolver<'_>) -> Result<Normalised, Diagnostic> {
    let mut normaliser = Normaliser::new(document, *resolver);
    normaliser.define_components(document)?;
    let operations = normaliser.operations(document)?;
    for operation in &operations {
        normaliser.budget.add_operation(operation.parameters.len());
    }
    normaliser.check_budget("#/paths")?;
    let auth = normaliser.auth(document);
    let default_server = normaliser.default_server(&document.servers);
    let mut types: Vec<TypeDef> = normaliser.types.into_iter().flatten().collect();
    let mut warnings = normaliser.warnings;
    for pointer in recursion::break_cycles(&mut types) {
        warnings.push(Warning {
            pointer,
            message:
                "a schema that is only itself describes no data; generated as `serde_json::Value`"
                    .to_string(),
        });
    }
    warnings.sort();
    warnings.dedup();
    Ok(Normalised {
        api: Api {
            type_index: types
                .iter()
                .enumerate()
                .map(|(position, definition)| (definition.name.clone(), position))
                .collect(),
            title: document.info.title.clone(),
            version: document.info.version.clone(),
            description: document.info.description.clone(),
            default_server,
            auth,
            types,
            operations,
            // Filled from the upgrade stage's list, once types have their names.
            webhooks: Vec::new(),
        },
        warnings,
    })
}

/// Whether a component schema admits `null`, however it says so, so that references
/// to it are nullable even when they are normalised before the component itself.
fn admits_null(schema: &Schema) -> bool {
    if schema.schema_data.nullable {
        return true;
    }
    let null_member = |members: &[ReferenceOr<Schema>]| {
        members
            .iter()
            .any(|member| matches!(member, ReferenceOr::Item(schema) if union::only_null(schema)))
    };
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => null_member(one_of),
        SchemaKind::AnyOf { any_of } => null_member(any_of),
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Number(number)) => number.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Boolean(boolean)) => boolean.enumeration.iter().any(Option::is_none),
        SchemaKind::Any(any) => {
            any.enumeration.iter().any(serde_json::Value::is_null)
                || null_member(&any.one_of)
                || null_member(&any.any_of)
        }
        _ => false,
    }
}

/// A component schema, known before its definition is normalised so references to it
/// (including from itself) resolve.
#[derive(Debug, Clone)]
struct ComponentEntry<'a> {
    rust_name: String,
    nullable: bool,
    schema: Option<&'a Schema>,
}

/// A named type's kind, for judging a `default`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NamedKind {
    Enum,
    Struct,
}

/// State shared by the rules.
pub(crate) struct Normaliser<'a> {
    resolver: Resolver<'a>,
    /// Component schema name -> its entry.
    components: BTreeMap<String, ComponentEntry<'a>>,
    /// Named types; a slot is reserved before a struct's fields are normalised so a
    /// parent is listed before the types defined inside it.
    types: Vec<Option<TypeDef>>,
    type_scope: Scope,
    /// The name the component being defined must get, claimed in advance.
    exact_name: Option<String>,
    /// How deep `type_of` is nested, to refuse pathological documents.
    depth: usize,
    /// How big the generated crate is getting (see `budget`).
    budget: budget::Budget,
    /// The nested `$ref` target being defined (see `type_of`), which must not refer to
    /// itself.
    defining_nested: Option<String>,
    /// Set while normalising a multipart body, where `format: binary` means file bytes.
    binary_as_bytes: bool,
    warnings: Vec<Warning>,
}

impl<'a> Normaliser<'a> {
    fn new(document: &'a OpenAPI, resolver: Resolver<'a>) -> Self {
        let mut type_scope = Scope::with_reserved(reserved::TYPE_NAMES);
        let mut components = BTreeMap::new();
        if let Some(section) = &document.components {
            for (name, item) in &section.schemas {
                let rust_name = type_scope.claim(upper_camel(name));
                let schema = match item {
                    ReferenceOr::Item(schema) => Some(schema),
                    ReferenceOr::Reference { .. } => None,
                };
                let nullable = schema.is_some_and(admits_null);
                components.insert(
                    name.clone(),
                    ComponentEntry {
                        rust_name,
                        nullable,
                        schema,
                    },
                );
            }
        }
        // Schemas a `$ref` reaches below a component's root are types of their own,
        // named after their place (`#/components/schemas/Tag/allOf/0` -> `TagAllOf0`).
        for (reference, schema) in resolver.nested_schemas() {
            // A tuple position (3.1 `prefixItems`, see `upgrade::TUPLE_EXTENSION`) is
            // reached by `$ref` only to be read in place: no alias for a `f64`.
            if reference.contains("/prefixItems/") && !schema::defines_type(schema) {
                continue;
            }
            let rust_name = type_scope.claim(upper_camel(&nested_type_words(reference)));
            components.insert(
                reference.clone(),
                ComponentEntry {
                    rust_name,
                    nullable: admits_null(schema),
                    schema: Some(schema),
                },
            );
        }
        Self {
            resolver,
            components,
            types: Vec::new(),
            type_scope,
            exact_name: None,
            depth: 0,
            budget: budget::Budget::default(),
            defining_nested: None,
            binary_as_bytes: false,
            warnings: Vec::new(),
        }
    }

    fn define_components(&mut self, document: &'a OpenAPI) -> Result<(), Diagnostic> {
        // Nested schemas below come after, with or without a `components` section: a
        // `$ref` may reach a schema inside `paths` (found by `cargo xtask fuzz`, whose
        // sampled `cargo check` met a type named but never defined).
        let schemas = document
            .components
            .iter()
            .flat_map(|section| &section.schemas);
        for (name, item) in schemas {
            let Some(entry) = self.components.get(name).cloned() else {
                continue;
            };
            let pointer = format!("#/components/schemas/{}", escape_token(name));
            // A component that is only a `$ref` must reach a schema: `A: $ref B` with
            // `B: $ref A` describes no data at all.
            self.resolver.schema(item, &pointer)?;
            self.exact_name = Some(entry.rust_name.to_string());
            let slot = self.reserve_type_slot();
            let shape = self.type_of(SchemaRef::from(item), &pointer, &entry.rust_name)?;
            if self.exact_name.take().is_some() {
                // Not a struct or enum: the component is another name for `shape.ty`.
                self.fill_type_slot(
                    slot,
                    TypeDef {
                        name: entry.rust_name,
                        origin: pointer,
                        docs: shape.docs,
                        kind: TypeKind::Alias(shape.ty),
                    },
                );
            }
        }
        for (reference, schema) in self.resolver.nested_schemas() {
            let Some(entry) = self.components.get(reference).cloned() else {
                continue;
            };
            self.exact_name = Some(entry.rust_name.clone());
            let slot = self.reserve_type_slot();
            self.defining_nested = Some(reference.clone());
            let shape = self.type_of(SchemaRef::Inline(schema), reference, &entry.rust_name);
            self.defining_nested = None;
            let shape = shape?;
            if self.exact_name.take().is_some() {
                self.fill_type_slot(
                    slot,
                    TypeDef {
                        name: entry.rust_name,
                        origin: reference.clone(),
                        docs: shape.docs,
                        kind: TypeKind::Alias(shape.ty),
                    },
                );
            }
        }
        Ok(())
    }

    fn auth(&mut self, document: &OpenAPI) -> Vec<AuthScheme> {
        use crate::ir::ApiKeyLocation;
        use openapiv3::{APIKeyLocation, SecurityScheme};
        // The builder's other methods and fields, which a key's setter must not take.
        let mut setters = Scope::with_reserved(reserved::CLIENT_BUILDER_METHODS);
        let mut schemes = Vec::new();
        let Some(section) = &document.components else {
            return schemes;
        };
        for (name, item) in &section.security_schemes {
            let pointer = format!("#/components/securitySchemes/{}", escape_token(name));
            match item {
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, bearer_format, description, .. })
                    if scheme.eq_ignore_ascii_case("bearer") =>
                {
                    schemes.push(AuthScheme::Bearer {
                        name: name.clone(),
                        format: bearer_format.clone(),
                        description: description.clone(),
                    });
                }
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, description, .. })
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    schemes.push(AuthScheme::Basic { name: name.clone(), description: description.clone() });
                }
                ReferenceOr::Item(SecurityScheme::APIKey { location, name: parameter, description, .. }) => {
                    let location = match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    };
                    // Header and cookie names are RFC 9110 tokens.
                    let token = !parameter.is_empty()
                        && parameter.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                    if location != ApiKeyLocation::Query && !token {
                        self.warn(&pointer, "the key's `name` is not a valid header or cookie name; send the key with ClientBuilder::default_header(name, value, sensitive)");
                        continue;
                    }
                    // `ApiKeyAuth` -> `api_key`: a trailing `_auth` says nothing on a builder.
                    let snake_name = snake(name);
                    let stem = ["_auth", "_scheme", "_security"]
                        .iter()
                        .find_map(|suffix| snake_name.strip_suffix(suffix).filter(|stem| !stem.is_empty()))
                        .map_or(snake_name.clone(), snake);
                    schemes.push(AuthScheme::ApiKey {
                        name: name.clone(),
                        setter: setters.claim(stem),
                        location,
                        parameter: parameter.clone(),
                        description: description.clone(),
                    });
                }
                _ => self.warn(&pointer, "this security scheme is not supported; send its credentials with ClientBuilder::default_header(name, value, sensitive)"),
            }
        }
        schemes
    }

    /// Claims a type name for an inline struct or enum: the component's own name when
    /// `hint` is the component being defined, else `hint` made unique.
    fn claim_type_name(&mut self, hint: &str) -> String {
        if self.exact_name.as_deref() == Some(hint) {
            if let Some(name) = self.exact_name.take() {
                return name;
            }
        }
        self.type_scope.claim(hint.to_string())
    }

    fn reserve_type_slot(&mut self) -> usize {
        self.types.push(None);
        self.types.len() - 1
    }

    fn fill_type_slot(&mut self, slot: usize, definition: TypeDef) {
        self.budget.add_type(&definition);
        if let Some(entry) = self.types.get_mut(slot) {
            *entry = Some(definition);
        }
    }

    fn push_type(&mut self, definition: TypeDef) {
        self.budget.add_type(&definition);
        self.types.push(Some(definition));
    }

    /// `Err` once the crate is estimated over the size budget (see `budget`).
    fn check_budget(&self, at: &str) -> Result<(), Diagnostic> {
        self.budget.check(at, |origin| self.all_of_depth(origin))
    }

    /// How many `allOf` links a component's inheritance goes through, following each
    /// schema's first `$ref` member (a loop, not recursion: chains can be thousands
    /// long).
    pub(super) fn all_of_depth(&self, origin: &str) -> usize {
        let mut seen = std::collections::BTreeSet::new();
        let mut name = origin
            .strip_prefix("#/components/schemas/")
            .map(|name| name.replace("~1", "/").replace("~0", "~"));
        let mut depth = 0;
        while let Some(current) = name.take() {
            if !seen.insert(current.clone()) {
                break;
            }
            let Some(schema) = self.components.get(&current).and_then(|entry| entry.schema) else {
                break;
            };
            let members = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(any) => &any.all_of,
                _ => break,
            };
            depth += 1;
            name = members.iter().find_map(|member| match member {
                ReferenceOr::Reference { reference } => {
                    self.resolver.schema_ref_name(reference, origin).ok()
                }
                ReferenceOr::Item(_) => None,
            });
        }
        depth
    }

    /// Whether the named type is an enum listing `value`: defined already, or a
    /// component whose definition comes later.
    /// Whether `name` is a string enum defined so far.
    fn is_string_enum(&self, name: &str) -> bool {
        self.types.iter().flatten().any(|definition| {
            definition.name == name && matches!(definition.kind, TypeKind::StringEnum(_))
        })
    }

    /// What a named type defined so far is, as far as judging a `default` goes.
    fn named_kind(&self, name: &str) -> Option<NamedKind> {
        let defined = self
            .types
            .iter()
            .flatten()
            .find(|definition| definition.name == name)?;
        match &defined.kind {
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Some(NamedKind::Enum),
            TypeKind::Struct(_) => Some(NamedKind::Struct),
            _ => None,
        }
    }

    fn enum_has_value(&self, name: &str, value: &serde_json::Value) -> bool {
        let defined = self
            .types
            .iter()
            .flatten()
            .find(|definition| definition.name == name);
        match (defined.map(|definition| &definition.kind), value) {
            (Some(TypeKind::StringEnum(string_enum)), serde_json::Value::String(text)) => {
                return string_enum
                    .variants
                    .iter()
                    .any(|variant| variant.value == *text);
            }
            (Some(TypeKind::IntegerEnum(integer_enum)), serde_json::Value::Number(number)) => {
                return integer_enum
                    .variants
                    .iter()
                    .any(|(_, known)| Some(*known) == number.as_i64());
            }
            (Some(_), _) => return false,
            (None, _) => {}
        }
        self.components.values().any(|entry| {
            entry.rust_name == name
                && match (entry.schema.map(|schema| &schema.schema_kind), value) {
                    (
                        Some(SchemaKind::Type(Type::String(string))),
                        serde_json::Value::String(text),
                    ) => string
                        .enumeration
                        .iter()
                        .flatten()
                        .any(|known| known == text),
                    (
                        Some(SchemaKind::Type(Type::Integer(integer))),
                        serde_json::Value::Number(number),
                    ) => integer
                        .enumeration
                        .iter()
                        .flatten()
                        .any(|known| Some(*known) == number.as_i64()),
                    _ => false,
                }
        })
    }

    /// Whether `ty` names a struct.
    fn is_struct(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        self.types.iter().flatten().any(|definition| {
            definition.name == *name && matches!(definition.kind, TypeKind::Struct(_))
        })
    }

    fn warn(&mut self, pointer: &str, message: &str) {
        self.warnings.push(Warning {
            pointer: pointer.to_string(),
            message: message.to_string(),
        });
    }
}

/// The words a nested `$ref` target's type is named with: its place without the
/// pointer's structural keywords, so the name matches what the place would be called
/// inline (`#/components/schemas/Order/properties/lines/items` -> `Order lines Item`,
/// `#/components/schemas/Tag/allOf/0` -> `Tag allOf 0`).
fn nested_type_words(reference: &str) -> String {
    let place = reference.strip_prefix("#/").unwrap_or(reference);
    let place = place.strip_prefix("components/schemas/").unwrap_or(place);
    let mut words = Vec::new();
    for token in place.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        match token.as_str() {
            "paths" | "properties" | "content" | "schema" | "responses" | "requestBody"
            | "parameters" => {}
            "items" => words.push("Item".to_string()),
            "additionalProperties" => words.push("Value".to_string()),
            // A media type says nothing the name needs.
            media
                if media.contains('/')
                    && media.contains(|c: char| c.is_ascii_alphabetic())
                    && !media.starts_with('/') => {}
            path => words.push(path.replace(['/', '{', '}'], " ")),
        }
    }
    words.join(" ")
}
