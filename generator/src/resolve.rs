//! Resolve stage: `$ref`s to the definitions they name.
//!
//! Only local references into `#/components/...` exist in a self-contained 3.0 document;
//! anything else (another file, a URL, `#/paths/...`) is reported as unsupported with
//! the pointer of the `$ref`. A chain of references that loops without ever reaching a
//! definition is an error, not a hang.

use indexmap::IndexMap;
use openapiv3::{
    Components, Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
};

use crate::diagnostics::Diagnostic;

/// Looks up `$ref` targets in one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    components: Option<&'a Components>,
    /// Schemas at `$ref`s below a component's root (see `LoadedSpec::nested_schemas`).
    nested: &'a std::collections::BTreeMap<String, Schema>,
}

/// A kind of component a `$ref` can point at.
trait ComponentKind: Sized {
    /// The `components` section, e.g. `schemas`.
    const SECTION: &'static str;
    fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component_kind {
    ($ty:ty, $section:literal, $field:ident) => {
        impl ComponentKind for $ty {
            const SECTION: &'static str = $section;
            fn map(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component_kind!(Schema, "schemas", schemas);
component_kind!(Parameter, "parameters", parameters);
component_kind!(Response, "responses", responses);
component_kind!(RequestBody, "requestBodies", request_bodies);
component_kind!(Header, "headers", headers);

/// The most references one chain may follow before it is called a cycle.
const MAX_CHAIN: usize = 64;

impl<'a> Resolver<'a> {
    /// A resolver over `document`'s components.
    pub fn new(
        document: &'a OpenAPI,
        nested: &'a std::collections::BTreeMap<String, Schema>,
    ) -> Self {
        Self {
            components: document.components.as_ref(),
            nested,
        }
    }

    /// The schemas `$ref`s point at below a component's root, keyed by the `$ref`; the
    /// normaliser defines each as a type of its own, like a component.
    pub fn nested_schemas(&self) -> &'a std::collections::BTreeMap<String, Schema> {
        self.nested
    }

    /// The component name a schema `$ref` points at, without following it.
    /// `pointer` locates the `$ref` for errors.
    ///
    /// # Errors
    /// A reference that is not `#/components/schemas/<name>`, or whose target is missing.
    pub fn schema_ref_name(&self, reference: &str, pointer: &str) -> Result<String, Diagnostic> {
        if self.nested.contains_key(reference) {
            return Ok(reference.to_string());
        }
        let name = component_name(reference, Schema::SECTION, pointer)?;
        self.lookup::<Schema>(&name, reference, pointer)?;
        Ok(name)
    }

    /// Whether a local schema `$ref` points at nothing in this document: no such
    /// component, or no schema at that place below one. The normaliser puts
    /// `serde_json::Value` in its place, with a warning, rather than refusing the spec.
    pub fn schema_ref_dangles(&self, reference: &str) -> bool {
        if self.nested.contains_key(reference) {
            return false;
        }
        let Some(rest) = reference.strip_prefix("#/components/schemas/") else {
            return false;
        };
        let (name, below) = match rest.split_once('/') {
            Some((name, below)) => (name, Some(below)),
            None => (rest, None),
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let exists = self
            .components
            .is_some_and(|components| components.schemas.contains_key(&name));
        !exists || below.is_some()
    }

    /// Follows a schema `$ref` chain to its definition.
    ///
    /// # Errors
    /// As [`Resolver::schema_ref_name`], and for a chain of references that loops.
    pub fn schema(
        &self,
        item: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<&'a Schema, Diagnostic> {
        if let ReferenceOr::Reference { reference } = item {
            if let Some(schema) = self.nested.get(reference) {
                return Ok(schema);
            }
        }
        self.follow(item, pointer)
    }

    /// Follows a parameter `$ref` chain to its definition.
    ///
    /// # Errors
    /// As [`Resolver::schema`].
    pub fn parameter(
        &self,
        item: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<&'a Parameter, Diagnostic> {
        self.follow(item, pointer)
    }

    /// Follows a response `$ref` chain to its definition.
    ///
    /// # Errors
    /// As [`Resolver::schema`].
    pub fn response(
        &self,
        item: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Result<&'a Response, Diagnostic> {
        self.follow(item, pointer)
    }

    /// Follows a request body `$ref` chain to its definition.
    ///
    /// # Errors
    /// As [`Resolver::schema`].
    pub fn request_body(
        &self,
        item: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Result<&'a RequestBody, Diagnostic> {
        self.follow(item, pointer)
    }

    /// Follows a response header `$ref` chain to its definition.
    ///
    /// # Errors
    /// As [`Resolver::schema`].
    pub fn header(
        &self,
        item: &'a ReferenceOr<Header>,
        pointer: &str,
    ) -> Result<&'a Header, Diagnostic> {
        self.follow(item, pointer)
    }

    /// The `$ref` of a parameter that points at no parameter component, if it is one.
    pub fn dangling_parameter<'r>(&self, item: &'r ReferenceOr<Parameter>) -> Option<&'r str> {
        self.dangling(item)
    }

    /// The `$ref` of a request body that points at no request body component, if it is one.
    pub fn dangling_request_body<'r>(&self, item: &'r ReferenceOr<RequestBody>) -> Option<&'r str> {
        self.dangling(item)
    }

    /// The `$ref` of a response that points at no response component, if it is one.
    pub fn dangling_response<'r>(&self, item: &'r ReferenceOr<Response>) -> Option<&'r str> {
        self.dangling(item)
    }

    fn dangling<'r, T: ComponentKind>(&self, item: &'r ReferenceOr<T>) -> Option<&'r str> {
        let ReferenceOr::Reference { reference } = item else {
            return None;
        };
        let name = component_name(reference, T::SECTION, "").ok()?;
        let exists = self
            .components
            .is_some_and(|components| T::map(components).contains_key(&name));
        (!exists).then_some(reference.as_str())
    }

    fn follow<T: ComponentKind>(
        &self,
        mut item: &'a ReferenceOr<T>,
        pointer: &str,
    ) -> Result<&'a T, Diagnostic> {
        let mut seen: Vec<String> = Vec::new();
        loop {
            match item {
                ReferenceOr::Item(value) => return Ok(value),
                ReferenceOr::Reference { reference } => {
                    if seen.contains(reference) || seen.len() >= MAX_CHAIN {
                        seen.push(reference.clone());
                        return Err(Diagnostic::new(
                            pointer,
                            format!(
                                "`$ref` cycle with no definition in it: {}",
                                seen.join(" -> ")
                            ),
                        ));
                    }
                    seen.push(reference.clone());
                    let name = component_name(reference, T::SECTION, pointer)?;
                    item = self.lookup::<T>(&name, reference, pointer)?;
                }
            }
        }
    }

    fn lookup<T: ComponentKind>(
        &self,
        name: &str,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a ReferenceOr<T>, Diagnostic> {
        self.components
            .and_then(|components| T::map(components).get(name))
            .ok_or_else(|| {
                Diagnostic::new(pointer, format!("`$ref: {reference}` points at nothing"))
            })
    }
}

/// `#/components/<section>/<name>` -> `<name>`, unescaping JSON pointer `~1` and `~0`.
fn component_name(reference: &str, section: &str, pointer: &str) -> Result<String, Diagnostic> {
    let prefix = format!("#/components/{section}/");
    match reference.strip_prefix(&prefix) {
        Some(name) if !name.is_empty() && !name.contains('/') => {
            Ok(name.replace("~1", "/").replace("~0", "~"))
        }
        // A local schema `$ref` may point anywhere in the document, so one that got here
        // points at something that does not read as a schema.
        _ if section == "schemas" && reference.starts_with("#/") => Err(Diagnostic::new(
            pointer,
            format!(
                "`$ref: {reference}` points at no schema: a schema `$ref` names `{prefix}<name>` or a valid schema elsewhere in this document"
            ),
        )),
        _ => Err(Diagnostic::new(
            pointer,
            format!(
                "`$ref: {reference}` is not supported: only local references to `{prefix}<name>` are"
            ),
        )),
    }
}

/// Escapes one JSON pointer token (`/` -> `~1`, `~` -> `~0`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
