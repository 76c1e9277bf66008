//! Load stage: a file becomes an `openapiv3::OpenAPI`, or an error with line:column.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

mod innermost;

use crate::diagnostics::{Diagnostic, GenerateError};

/// A parsed spec and what later stages need to know about its file.
#[derive(Debug)]
pub struct LoadedSpec {
    /// The file it came from.
    pub path: PathBuf,
    /// The typed document.
    pub document: openapiv3::OpenAPI,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Schemas that a `$ref` points at below a component's root (for example
    /// `#/components/schemas/Tag/allOf/0`), keyed by that `$ref`. openapiv3 only types
    /// whole components, so these are read from the untyped tree here.
    pub nested_schemas: std::collections::BTreeMap<String, openapiv3::Schema>,
    /// What the upgrade and repair stages changed on the way, each at its pointer.
    pub warnings: Vec<crate::diagnostics::Warning>,
    /// A 3.1 document's webhooks, which have no place in the 3.0 document.
    pub webhooks: Vec<crate::upgrade::WebhookSource>,
    /// The untyped document after repair: what the typed one was read from. Kept for
    /// what the IR drops (examples, every server) when two specs are compared, and
    /// recorded in the generated crate as the spec it came from (`openapi.yaml`).
    pub tree: serde_json::Value,
}

impl LoadedSpec {
    /// Ties a normaliser diagnostic to this file.
    pub fn locate(&self, diagnostic: Diagnostic) -> GenerateError {
        GenerateError::Spec {
            file: self.path.display().to_string(),
            pointer: diagnostic.pointer,
            message: diagnostic.message,
        }
    }
}

/// Reads and parses the spec at `path`.
///
/// # Errors
/// [`GenerateError::Io`] when the file cannot be read; otherwise as [`load_str`].
pub fn load_file(path: &Path) -> Result<LoadedSpec, GenerateError> {
    let text = std::fs::read_to_string(path).map_err(|source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_str(&text, path)
}

/// Parses spec text. JSON is chosen by a `.json` extension or a leading `{`; anything
/// else is read as YAML.
///
/// # Errors
/// [`GenerateError::Syntax`] for invalid YAML/JSON or a document that does not have the
/// shape of OpenAPI 3.0 once upgraded (with line:column and the JSON pointer of the
/// element), and [`GenerateError::UnsupportedVersion`] for a version other than Swagger
/// 2.0, OpenAPI 3.0.x and 3.1.x, or none.
pub fn load_str(text: &str, path: &Path) -> Result<LoadedSpec, GenerateError> {
    let file = path.display().to_string();
    let format = Format::of(text, path);
    let is_json = matches!(format, Format::Json);

    // First as an untyped tree, to give a version error before a shape error: a Swagger
    // 2.0 file fails openapiv3's parse with a confusing message otherwise.
    let Tree(mut tree) = parse(text, format).map_err(|e| e.into_error(&file))?;
    let version = crate::upgrade::source_version(&tree).map_err(|error| {
        let (line, column) = innermost::locate(text, is_json, &error.pointer).unwrap_or((1, 1));
        GenerateError::UnsupportedVersion {
            file: file.clone(),
            pointer: error.pointer,
            line,
            column,
            message: error.message,
        }
    })?;
    let upgraded = crate::upgrade::upgrade(&mut tree, version);
    let mut warnings = upgraded.warnings;
    warnings.extend(crate::repair::repair(&mut tree));
    // Why: openapiv3 reads schemas as untagged enums, and serde retries every variant of
    // each level when a level below fails: typing a document whose defect sits under many
    // nested inline schemas takes time exponential in the nesting (some 25 levels: minutes;
    // found by `cargo xtask fuzz`). A deeply nested document is typed a position at a
    // time first, deepest first, which finds such a defect in linear time.
    if innermost::schema_nesting(&tree) > innermost::CHEAP_NESTING {
        if let Some((pointer, message)) = innermost::innermost_failure(&tree) {
            let (line, column) = innermost::locate(text, is_json, &pointer).unwrap_or((0, 0));
            let failure = ParseFailure {
                line,
                column,
                pointer,
                message,
            };
            return Err(failure.into_error(&file));
        }
    }
    // Typed from the text when nothing was upgraded or repaired, so that errors keep
    // line:column; from the tree otherwise, with the error's place looked up in the text.
    let typed = if warnings.is_empty() && version == crate::upgrade::SourceVersion::OpenApi30 {
        parse(text, format)
    } else {
        serde_path_to_error::deserialize(&tree).map_err(|error| ParseFailure {
            line: 0,
            column: 0,
            pointer: pointer_of(error.path()),
            message: error.into_inner().to_string(),
        })
    };
    let document: openapiv3::OpenAPI = match typed {
        Ok(document) => document,
        Err(mut failure) => {
            if let Some((pointer, message)) = innermost::innermost_failure(&tree) {
                if pointer.len() > failure.pointer.len() {
                    failure.pointer = pointer;
                    failure.message = message;
                    failure.line = 0;
                }
            }
            if failure.line == 0 {
                if let Some((line, column)) = innermost::locate(text, is_json, &failure.pointer) {
                    failure.line = line;
                    failure.column = column;
                }
            }
            return Err(failure.into_error(&file));
        }
    };

    let sha256 = Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let nested_schemas = nested_schema_refs(&tree);
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        document,
        sha256,
        nested_schemas,
        warnings,
        webhooks: upgraded.webhooks,
        tree,
    })
}

/// Spec text as the untyped tree the load stage reads it into, before any upgrade or
/// repair: JSON chosen as by [`load_str`], integers beyond 64 bits kept as floats, a
/// JSON object with a key twice refused. For tools that work on documents as trees
/// (`cargo xtask fuzz` mutates them), so YAML is read in this module only.
///
/// # Errors
/// [`GenerateError::Syntax`] for text that is not YAML or JSON, with line:column.
pub fn parse_tree(text: &str, path: &Path) -> Result<serde_json::Value, GenerateError> {
    let format = Format::of(text, path);
    let Tree(tree) = parse(text, format).map_err(|e| e.into_error(&path.display().to_string()))?;
    Ok(tree)
}

/// The untyped document. Unlike `serde_json::Value` it takes integers beyond 64 bits
/// (YAML has them; published specs write `minimum: -9223372036854776000`), as floats,
/// so the repair stage can see them and say what it does with them.
struct Tree(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E>(self, value: i128) -> Result<Self::Value, E> {
        Ok(i64::try_from(value).map_or_else(|_| (value as f64).into(), Into::into))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E>(self, value: u128) -> Result<Self::Value, E> {
        Ok(u64::try_from(value).map_or_else(|_| (value as f64).into(), Into::into))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(value.into())
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, Tree(value))) = map.next_entry::<String, Tree>()? {
            // Why: a JSON object with a key twice is read "last one wins" here but not
            // by openapiv3's typed parse of the same text, which panics on some
            // (`$ref` twice; found by `cargo xtask fuzz`). YAML already refuses them;
            // JSON now does too, at the key's line:column.
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key `{key}` in one object"
                )));
            }
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Json,
    Yaml,
}

impl Format {
    /// JSON by a `.json` extension or a leading `{`; anything else is read as YAML.
    fn of(text: &str, path: &Path) -> Self {
        let is_json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        if is_json {
            Self::Json
        } else {
            Self::Yaml
        }
    }
}

/// A parse failure before it is tied to a file.
struct ParseFailure {
    line: usize,
    column: usize,
    pointer: String,
    message: String,
}

impl ParseFailure {
    /// With no line (the place could not be found in the text): the pointer alone.
    fn into_error(self, file: &str) -> GenerateError {
        if self.line == 0 {
            return GenerateError::Spec {
                file: file.to_string(),
                pointer: self.pointer,
                message: strip_location(&self.message),
            };
        }
        let message = if self.pointer.is_empty() || self.pointer == "#" {
            self.message
        } else {
            format!("{} (at {})", self.message, self.pointer)
        };
        GenerateError::Syntax {
            file: file.to_string(),
            line: self.line,
            column: self.column,
            message,
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, format: Format) -> Result<T, ParseFailure> {
    match format {
        Format::Json => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                let pointer = pointer_of(error.path());
                let inner = error.into_inner();
                ParseFailure {
                    line: inner.line(),
                    column: inner.column(),
                    pointer,
                    message: strip_location(&inner.to_string()),
                }
            })
        }
        Format::Yaml => parse_yaml(text),
    }
}

/// The one place YAML is read. `serde_yaml` is deprecated upstream; a maintained fork
/// with the same API replaces it by changing this function's two `serde_yaml` paths.
fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ParseFailure> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let pointer = pointer_of(error.path());
        let inner = error.into_inner();
        let (line, column) = inner
            .location()
            .map_or((0, 0), |at| (at.line(), at.column()));
        ParseFailure {
            line,
            column,
            pointer,
            message: strip_location(&inner.to_string()),
        }
    })
}

/// serde_path_to_error's path as a JSON pointer (`#/paths/~1pets/get`).
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

/// serde_json and serde_yaml append " at line L column C"; the error already carries it.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Every local `$ref` in `tree` that points below a component's root, with the schema
/// found there. A target that is missing or is not a schema is left out: the resolve
/// stage then reports the `$ref` as it would any unsupported one.
fn nested_schema_refs(
    tree: &serde_json::Value,
) -> std::collections::BTreeMap<String, openapiv3::Schema> {
    let mut found = std::collections::BTreeMap::new();
    let mut pending = vec![tree];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::String(reference)) = object.get("$ref") {
                    let is_component_root = reference
                        .strip_prefix("#/components/")
                        .is_some_and(|rest| rest.split('/').count() == 2);
                    if let (Some(pointer), false) = (reference.strip_prefix('#'), is_component_root)
                    {
                        if !found.contains_key(reference) {
                            let schema = tree
                                .pointer(pointer)
                                .and_then(|target| nested_target_schema(tree, reference, target));
                            if let Some(schema) = schema {
                                found.insert(reference.clone(), schema);
                            }
                        }
                    }
                }
                pending.extend(object.values());
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// The schema at a nested `$ref`'s target (`reference`, found at `target`).
///
/// A target that is itself a Reference Object (a string `$ref`) is the schema it refers
/// to: OpenAPI 3.0 ignores a `$ref`'s other keywords, as the normaliser does for a `$ref`
/// read in place, so they must not be what the target is read as when it is reached by
/// another `$ref` (they were: `{$ref: D, type: string}` made a `String`). It is written
/// as a one-member `allOf` of that `$ref`, which the normaliser makes an alias of the
/// type it names. A chain of such targets that comes back to itself or ends at nothing
/// is left out, like a target that is no schema, and the `$ref` is then reported where
/// it is used.
fn nested_target_schema(
    tree: &serde_json::Value,
    reference: &str,
    target: &serde_json::Value,
) -> Option<openapiv3::Schema> {
    let Some(serde_json::Value::String(inner)) = target.get("$ref") else {
        return innermost::type_schema(target, reference);
    };
    // Follow the chain of targets that are only `$ref`s, to see that it ends, and ends at
    // something: a chain to nothing is left out too, so that it is reported once, where
    // it is used, and not again at the `allOf` made here, which the user never wrote.
    let mut seen = vec![reference];
    let mut next = inner.as_str();
    loop {
        if seen.contains(&next) || seen.len() > 64 {
            return None;
        }
        seen.push(next);
        let target = next
            .strip_prefix('#')
            .and_then(|pointer| tree.pointer(pointer))?;
        match target.get("$ref") {
            Some(serde_json::Value::String(further)) => next = further,
            _ => break,
        }
    }
    serde_json::from_value(serde_json::json!({ "allOf": [{ "$ref": inner }] })).ok()
}
