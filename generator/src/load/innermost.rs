//! The innermost place a document fails to be typed, and that place's line:column.
//!
//! openapiv3 reads every `$ref`-able position as an untagged enum, and serde reports a
//! failure inside one as "did not match any variant" at the enum's own place (often
//! `#/paths`), which hides the real defect five levels down. So after a failed parse,
//! each position of the tree is typed again on its own, as the type that belongs there,
//! deepest first; the first failure is the innermost defect. Its line and column come
//! from the parser itself: the text is read again with a seed that walks down to that
//! pointer and stops there with an error, which the parser locates.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// What each kind of position is typed as.
#[derive(Debug, Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    /// An operation's callback: runtime expressions to path items.
    Callback,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Schema,
    SecurityScheme,
}

/// The innermost `(pointer, message)` at which a part of `tree` fails to be typed, or
/// `None` when every part types on its own.
pub fn innermost_failure(tree: &Value) -> Option<(String, String)> {
    let mut found = None;
    if let Some(Value::Object(paths)) = tree.get("paths") {
        for (path, item) in paths {
            let pointer = format!("#/paths/{}", crate::resolve::escape_token(path));
            found = found.or_else(|| visit(item, Kind::PathItem, &pointer));
        }
    }
    if let Some(Value::Object(components)) = tree.get("components") {
        let sections = [
            ("schemas", Kind::Schema),
            ("parameters", Kind::Parameter),
            ("requestBodies", Kind::RequestBody),
            ("responses", Kind::Response),
            ("headers", Kind::Header),
            ("securitySchemes", Kind::SecurityScheme),
            ("callbacks", Kind::Callback),
        ];
        for (section, kind) in sections {
            if let Some(Value::Object(entries)) = components.get(section) {
                for (name, entry) in entries {
                    let pointer = format!(
                        "#/components/{section}/{}",
                        crate::resolve::escape_token(name)
                    );
                    found = found.or_else(|| visit(entry, kind, &pointer));
                }
            }
        }
    }
    found
}

/// `value` typed as a schema, or `None` when it is not one.
///
/// Why not `serde_json::from_value` alone: a `$ref` may point anywhere in the document
/// (`#/info/...`), at a subtree `innermost_failure` never walks, and typing a deeply
/// nested subtree with a defect far down takes time exponential in the nesting (found by
/// `cargo xtask fuzz`: minutes). Deep ones are typed a position at a time first, deepest
/// first, so a defect costs linear time.
pub fn type_schema(value: &Value, pointer: &str) -> Option<openapiv3::Schema> {
    if schema_nesting(value) > CHEAP_NESTING {
        // The target is typed as a schema even when it holds a `$ref` beside other
        // keywords (those are what it is read as), but `visit` stops at a `$ref`: so it
        // visits the target without one, or it would skip the very keywords that nest.
        let without_ref;
        let visited = match value {
            Value::Object(map) if map.contains_key("$ref") => {
                let mut map = map.clone();
                map.remove("$ref");
                without_ref = Value::Object(map);
                &without_ref
            }
            _ => value,
        };
        if visit(visited, Kind::Schema, pointer).is_some() {
            return None;
        }
    }
    serde_json::from_value(value.clone()).ok()
}

/// Schema nesting up to which typing a whole document stays cheap even when it fails
/// deep down (openapiv3's retries double the time per level: 8 levels, milliseconds).
pub const CHEAP_NESTING: usize = 8;

/// The most schema keywords (`properties`, `items`, `allOf`, ...) on one path from the
/// root: how deeply inline schemas nest.
pub fn schema_nesting(tree: &Value) -> usize {
    const NESTING: &[&str] = &[
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
    ];
    let mut deepest = 0;
    let mut stack = vec![(tree, 0)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match node {
            Value::Object(map) => {
                stack.extend(map.iter().map(|(key, child)| {
                    (child, depth + usize::from(NESTING.contains(&key.as_str())))
                }))
            }
            Value::Array(items) => stack.extend(items.iter().map(|child| (child, depth))),
            _ => {}
        }
    }
    deepest
}

/// Children first, so the deepest failure wins; then `value` itself as `kind`.
fn visit(value: &Value, kind: Kind, pointer: &str) -> Option<(String, String)> {
    if value.get("$ref").is_some() {
        return None;
    }
    let child = |key: &str, kind: Kind| {
        value
            .get(key)
            .and_then(|child| visit(child, kind, &format!("{pointer}/{key}")))
    };
    let each = |key: &str, kind: Kind| -> Option<(String, String)> {
        match value.get(key)? {
            Value::Object(entries) => entries.iter().find_map(|(name, entry)| {
                let escaped = crate::resolve::escape_token(name);
                visit(entry, kind, &format!("{pointer}/{key}/{escaped}"))
            }),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(index, item)| visit(item, kind, &format!("{pointer}/{key}/{index}"))),
            _ => None,
        }
    };
    let deeper = match kind {
        Kind::PathItem => [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ]
        .iter()
        .find_map(|method| child(method, Kind::Operation))
        .or_else(|| each("parameters", Kind::Parameter)),
        Kind::Operation => each("parameters", Kind::Parameter)
            .or_else(|| child("requestBody", Kind::RequestBody))
            .or_else(|| each("responses", Kind::Response))
            .or_else(|| each("callbacks", Kind::Callback)),
        // Callbacks nest whole operations, schemas and all (a defect under one was a hang).
        Kind::Callback => value.as_object().and_then(|expressions| {
            expressions.iter().find_map(|(expression, item)| {
                let escaped = crate::resolve::escape_token(expression);
                visit(item, Kind::PathItem, &format!("{pointer}/{escaped}"))
            })
        }),
        Kind::Parameter | Kind::Header => {
            child("schema", Kind::Schema).or_else(|| each("content", Kind::MediaType))
        }
        Kind::RequestBody => each("content", Kind::MediaType),
        Kind::Response => {
            each("content", Kind::MediaType).or_else(|| each("headers", Kind::Header))
        }
        Kind::MediaType => child("schema", Kind::Schema),
        Kind::Schema => each("properties", Kind::Schema)
            .or_else(|| child("items", Kind::Schema))
            .or_else(|| each("allOf", Kind::Schema))
            .or_else(|| each("oneOf", Kind::Schema))
            .or_else(|| each("anyOf", Kind::Schema))
            .or_else(|| child("not", Kind::Schema))
            .or_else(|| {
                value
                    .get("additionalProperties")
                    .filter(|additional| additional.is_object())
                    .and_then(|additional| {
                        visit(
                            additional,
                            Kind::Schema,
                            &format!("{pointer}/additionalProperties"),
                        )
                    })
            }),
        Kind::SecurityScheme => None,
    };
    deeper.or_else(|| type_as(value, kind, pointer))
}

fn type_as(value: &Value, kind: Kind, pointer: &str) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(
        value: &Value,
        pointer: &str,
    ) -> Option<(String, String)> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let below = super::pointer_of(error.path());
        let below = below.strip_prefix('#').unwrap_or(&below);
        Some((format!("{pointer}{below}"), error.into_inner().to_string()))
    }
    match kind {
        Kind::PathItem => check::<openapiv3::PathItem>(value, pointer),
        Kind::Operation => check::<openapiv3::Operation>(value, pointer),
        Kind::Callback => check::<openapiv3::Callback>(value, pointer),
        Kind::Parameter => misplaced_style(value, pointer)
            .or_else(|| check::<openapiv3::Parameter>(value, pointer)),
        Kind::RequestBody => check::<openapiv3::RequestBody>(value, pointer),
        Kind::Response => check::<openapiv3::Response>(value, pointer),
        Kind::Header => check::<openapiv3::Header>(value, pointer),
        Kind::MediaType => check::<openapiv3::MediaType>(value, pointer),
        Kind::Schema => check::<openapiv3::Schema>(value, pointer),
        Kind::SecurityScheme => check::<openapiv3::SecurityScheme>(value, pointer),
    }
}

/// A parameter `style` its location does not allow (`form` or `deepObject` in a path,
/// `label` in a query, a misspelling), at the `style` itself: openapiv3 reads `in` as an
/// enum tag, and serde's error for a style under it names only the parameter. No such
/// style is sent as another: the client cannot honour it, so the spec is refused.
fn misplaced_style(value: &Value, pointer: &str) -> Option<(String, String)> {
    let location = value.get("in")?.as_str()?;
    let style = value.get("style")?;
    let allowed: &[&str] = match location {
        "path" => &["matrix", "label", "simple"],
        "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        "header" => &["simple"],
        "cookie" => &["form"],
        _ => return None,
    };
    if style.as_str().is_some_and(|style| allowed.contains(&style)) {
        return None;
    }
    let style = match style.as_str() {
        Some(style) => format!("`{style}`"),
        None => style.to_string(),
    };
    let allowed: Vec<String> = allowed.iter().map(|style| format!("`{style}`")).collect();
    Some((
        format!("{pointer}/style"),
        format!(
            "style {style} is not a {location} parameter style (OpenAPI 3.0 allows {})",
            allowed.join(", ")
        ),
    ))
}

/// The line and column (1-based) where the node at `pointer` starts in `text`, as the
/// parser reports it, or `None` when the pointer is not in the text.
pub fn locate(text: &str, json: bool, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> = pointer
        .strip_prefix('#')?
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect();
    let seed = Seek { path: &tokens };
    if json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let error = seed.deserialize(&mut deserializer).err()?;
        (error.to_string().contains(FOUND))
            .then(|| json_scalar_start(text, error.line(), error.column()))
    } else {
        let error = seed
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .err()?;
        let location = error.location()?;
        (error.to_string().contains(FOUND)).then(|| (location.line(), location.column()))
    }
}

/// serde_json reports a scalar's place after its last character; a reader wants where
/// it starts. `(line, column)` of the character that ends a string (its closing quote)
/// or a number or literal, moved back to its first character; any other place as is.
fn json_scalar_start(text: &str, line: usize, column: usize) -> (usize, usize) {
    let Some(line_text) = text.lines().nth(line.saturating_sub(1)) else {
        return (line, column);
    };
    let chars: Vec<char> = line_text.chars().collect();
    // `column` is 1-based and names the scalar's last character.
    let Some(end) = column.checked_sub(1).filter(|&end| end < chars.len()) else {
        return (line, column);
    };
    let mut start = end;
    if chars[end] == '"' {
        // Back to the opening quote, past escaped ones (`\"`).
        start = end.saturating_sub(1);
        while start > 0 {
            // Why: the backslashes are counted only at a quote; counted at every
            // character, a long string of backslashes took quadratic time (a 300 kB
            // one, minutes; found by `cargo xtask fuzz`).
            if chars[start] == '"' {
                let escaped = chars[..start]
                    .iter()
                    .rev()
                    .take_while(|&&c| c == '\\')
                    .count()
                    % 2
                    == 1;
                if !escaped {
                    break;
                }
            }
            start -= 1;
        }
    } else {
        while start > 0
            && (chars[start - 1].is_ascii_alphanumeric()
                || matches!(chars[start - 1], '-' | '+' | '.'))
        {
            start -= 1;
        }
    }
    (line, start + 1)
}

const FOUND: &str = "the node sought is here";

/// Walks down `path`, skipping everything else, and fails at its end.
struct Seek<'p> {
    path: &'p [String],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(serde::de::Error::custom(FOUND));
        };
        while let Some(key) = map.next_key::<String>()? {
            if key == *first {
                map.next_value_seed(Seek { path: rest })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(serde::de::Error::custom(FOUND));
        };
        let wanted: Option<usize> = first.parse().ok();
        let mut index = 0;
        loop {
            let found = if Some(index) == wanted {
                seq.next_element_seed(Seek { path: rest })?
            } else {
                seq.next_element::<IgnoredAny>()?.map(|_| ())
            };
            if found.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.leaf()
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.leaf()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.leaf()
    }

    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.leaf()
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.leaf()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.leaf()
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.leaf()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.leaf()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.leaf()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seek<'_> {
    /// A scalar: the end of the path if nothing is left of it, a dead end otherwise.
    fn leaf<E: serde::de::Error>(&self) -> Result<(), E> {
        if self.path.is_empty() {
            Err(E::custom(FOUND))
        } else {
            Ok(())
        }
    }
}
