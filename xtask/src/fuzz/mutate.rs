//! The mutation engine of `cargo xtask fuzz`: seed specs (fixtures and real-world documents)
//! as untyped JSON trees, and structured mutations of them.
//!
//! Shared with `tests/tests/fuzz_regressions.rs` (included with `#[path]`): only `std`,
//! `serde_json` and `fastrand`.
//!
//! Input `i` of a run with seed `S` is made by an RNG seeded from `(S, i)` alone, so any
//! input is reproducible from the two numbers, whatever the number of jobs.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// A key that serialises as a duplicate of `key`: [`to_text`] strips this prefix after
/// serialisation, so the JSON text has the same key twice in one object (a `Value` map
/// cannot). U+0001 never occurs in a real spec's key.
pub const DUPLICATE_PREFIX: &str = "\u{1}dup\u{1}";
/// How [`DUPLICATE_PREFIX`] looks inside serialised JSON text.
const DUPLICATE_ESCAPED: &str = "\\u0001dup\\u0001";

/// Seeds at most this long (as compact JSON) are mutated whole; longer ones (Stripe,
/// GitHub, ...) are sliced to a few operations and the components they reach, so that one
/// input takes milliseconds, not seconds.
pub const WHOLE_LIMIT: usize = 256 * 1024;

/// One seed document.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Where it came from (for reports).
    pub name: String,
    pub value: Value,
    /// Sliced rather than mutated whole (see [`WHOLE_LIMIT`]).
    pub slice: bool,
}

/// Loads every `*.yaml`, `*.yml` and `*.json` file directly in `dir` as a seed, sorted by
/// name. Files that are not YAML or JSON objects are skipped with their reason.
///
/// # Errors
/// The directory cannot be read.
pub fn load_seeds(dir: &Path) -> Result<(Vec<Seed>, Vec<String>), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json")
        })
        .collect();
    paths.sort();
    let mut seeds = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        match load_seed(&path) {
            Ok(seed) => seeds.push(seed),
            Err(message) => skipped.push(format!("{}: {message}", path.display())),
        }
    }
    Ok((seeds, skipped))
}

/// One seed file, YAML or JSON.
///
/// # Errors
/// Unreadable, not YAML/JSON, or not an object.
pub fn load_seed(path: &Path) -> Result<Seed, String> {
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    // The generator's own reader: YAML keys that are numbers (`200:`) become text, and
    // integers beyond 64 bits (published specs have them) do not refuse the seed.
    let value = generator::load::parse_tree(&text, path).map_err(|error| error.to_string())?;
    if !value.is_object() {
        return Err("not an object".to_owned());
    }
    let slice = serde_json::to_string(&value).map_or(0, |text| text.len()) > WHOLE_LIMIT;
    let name = path
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    Ok(Seed { name, value, slice })
}

/// The JSON text fed to the generator: compact, with [`DUPLICATE_PREFIX`] keys turned into
/// real duplicate keys.
pub fn to_text(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.contains(DUPLICATE_ESCAPED) {
        text.replace(DUPLICATE_ESCAPED, "")
    } else {
        text
    }
}

/// Like [`to_text`], indented (for saved regression inputs, which people read).
pub fn to_pretty_text(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace(DUPLICATE_ESCAPED, "")
}

/// The RNG of input `index` of a run seeded with `seed` (splitmix64 of the pair, so that
/// neighbouring indices get unrelated streams).
pub fn rng_for(seed: u64, index: u64) -> fastrand::Rng {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    fastrand::Rng::with_seed(z ^ (z >> 31))
}

/// How big the "extreme" values get. The quick run of the test suite (a debug build)
/// keeps them small; `cargo xtask fuzz` goes to sizes no spec has.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Longest string a mutation writes.
    pub string: usize,
    /// Most values in an enum a mutation writes.
    pub enum_values: usize,
}

impl Scale {
    pub const FULL: Self = Self {
        string: 300_000,
        enum_values: 20_000,
    };
    // The quick run of tests/tests/fuzz_regressions.rs; the xtask goes full scale.
    #[allow(dead_code)]
    pub const QUICK: Self = Self {
        string: 2_000,
        enum_values: 300,
    };
}

/// One fuzz input: the mutated tree, and what was done to which seed.
#[derive(Debug, Clone)]
pub struct Input {
    pub value: Value,
    pub seed: String,
    pub mutations: Vec<&'static str>,
    /// Run with `Options::strict`.
    pub strict: bool,
}

/// Input `index` of the run seeded `seed`, over `seeds` (not empty).
pub fn make_input(seeds: &[Seed], seed: u64, index: u64, scale: Scale) -> Input {
    let mut rng = rng_for(seed, index);
    let source = &seeds[rng.usize(..seeds.len())];
    let mut value = if source.slice || rng.u8(..10) == 0 {
        slice(&source.value, &mut rng)
    } else {
        source.value.clone()
    };
    // Mostly one mutation (each is then seen alone), sometimes a pile-up.
    let count = match rng.u8(..10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => rng.usize(3..=6),
    };
    let mut mutations = Vec::with_capacity(count);
    for _ in 0..count {
        let (name, mutate) = MUTATIONS[rng.usize(..MUTATIONS.len())];
        if mutate(&mut value, &mut rng, scale) {
            mutations.push(name);
        }
    }
    Input {
        value,
        seed: source.name.clone(),
        mutations,
        strict: rng.u8(..10) == 0,
    }
}

type Mutation = fn(&mut Value, &mut fastrand::Rng, Scale) -> bool;

/// Every mutation, by name.
pub const MUTATIONS: &[(&str, Mutation)] = &[
    ("drop-key", drop_key),
    ("duplicate-key", duplicate_key),
    ("swap-type", swap_type),
    ("retarget-ref", retarget_ref),
    ("extreme-scalar", extreme_scalar),
    ("rename-key", rename_key),
    ("deep-nesting", deep_nesting),
    ("huge-enum", huge_enum),
    ("composition-cycle", composition_cycle),
    ("splice", splice),
    ("version", version),
];

/// One step of a path into a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The paths of every node of `value`, parents before children.
pub fn paths(value: &Value) -> Vec<Vec<Seg>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    let mut child_path = path.clone();
                    child_path.push(Seg::Key(key.clone()));
                    stack.push((child_path, child));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    let mut child_path = path.clone();
                    child_path.push(Seg::Index(index));
                    stack.push((child_path, child));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

pub fn get<'v>(value: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(value, |node, seg| match seg {
        Seg::Key(key) => node.as_object()?.get(key),
        Seg::Index(index) => node.as_array()?.get(*index),
    })
}

pub fn get_mut<'v>(value: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |node, seg| match seg {
        Seg::Key(key) => node.as_object_mut()?.get_mut(key),
        Seg::Index(index) => node.as_array_mut()?.get_mut(*index),
    })
}

/// Removes the node at `path` (not the root) from its parent; false if there is none.
pub fn remove(value: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match (get_mut(value, parent), last) {
        (Some(Value::Object(map)), Seg::Key(key)) => map.shift_remove(key).is_some(),
        (Some(Value::Array(items)), Seg::Index(index)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    }
}

/// `#/a/b~1c` for `[a, b/c]`.
pub fn pointer(path: &[Seg]) -> String {
    let mut out = String::from("#");
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Seg::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.usize(..items.len())])
}

/// A random node path whose node satisfies `keep`.
fn pick_path(
    value: &Value,
    rng: &mut fastrand::Rng,
    keep: impl Fn(&Value) -> bool,
) -> Option<Vec<Seg>> {
    let all: Vec<Vec<Seg>> = paths(value)
        .into_iter()
        .filter(|path| get(value, path).is_some_and(&keep))
        .collect();
    pick(rng, &all).cloned()
}

/// Names no spec should have but some will: empty, blank, keywords, digits first,
/// non-Latin scripts, emoji, zero-width and control characters, very long.
fn weird_name(rng: &mut fastrand::Rng) -> String {
    const NAMES: &[&str] = &[
        "",
        " ",
        "_",
        "__",
        "-",
        "1",
        "123abc",
        "self",
        "Self",
        "crate",
        "super",
        "type",
        "r#type",
        "fn",
        "async",
        "await",
        "dyn",
        "mod",
        "None",
        "Some",
        "Ok",
        "Err",
        "Result",
        "Option",
        "Vec",
        "String",
        "Box",
        "Client",
        "Error",
        "default",
        "ünïcödé",
        "名前",
        "имя",
        "اسم",
        "🦀",
        "a\u{200b}b",
        "a\u{0301}",
        "\u{0}",
        "\t\n",
        "a/b",
        "a~b",
        "{id}",
        "$ref",
        "#",
        "a.b",
        "A",
        "a",
        "a-b",
        "a_b",
        "aB",
        "AB",
        "ab",
        "xxx",
    ];
    if rng.u8(..20) == 0 {
        return "n".repeat(rng.usize(200..5000));
    }
    let base = *pick(rng, NAMES).unwrap_or(&"");
    base.to_owned()
}

fn random_scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..6) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::from(rng.i64(..)),
        3 => Value::from(rng.f64() * 1e6),
        4 => Value::String(weird_name(rng)),
        _ => Value::String("string".to_owned()),
    }
}

/// A value of another JSON type than `current`.
fn other_type(current: &Value, rng: &mut fastrand::Rng) -> Value {
    loop {
        let candidate = match rng.u8(..7) {
            0 => Value::Null,
            1 => Value::Bool(rng.bool()),
            2 => Value::from(rng.i64(-3..1000)),
            3 => Value::String(weird_name(rng)),
            4 => Value::Array(Vec::new()),
            5 => Value::Array(vec![random_scalar(rng), current.clone()]),
            _ => Value::Object(Map::new()),
        };
        let same = std::mem::discriminant(&candidate) == std::mem::discriminant(current);
        if !same {
            return candidate;
        }
    }
}

/// A random non-empty object somewhere in `value`, and one of its keys.
fn pick_member<'v>(
    value: &'v mut Value,
    rng: &mut fastrand::Rng,
) -> Option<(&'v mut serde_json::Map<String, Value>, String)> {
    let path = pick_path(value, rng, |node| {
        node.as_object().is_some_and(|map| !map.is_empty())
    })?;
    let Some(Value::Object(map)) = get_mut(value, &path) else {
        return None;
    };
    let key = map.keys().nth(rng.usize(..map.len()))?.clone();
    Some((map, key))
}

fn drop_key(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let Some((map, key)) = pick_member(value, rng) else {
        return false;
    };
    map.shift_remove(&key).is_some()
}

fn duplicate_key(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let Some((map, key)) = pick_member(value, rng) else {
        return false;
    };
    let Some(original) = map.get(&key) else {
        return false;
    };
    // The second copy either repeats the first or contradicts it.
    let copy = if rng.bool() {
        original.clone()
    } else {
        other_type(original, rng)
    };
    let key = format!("{DUPLICATE_PREFIX}{key}");
    map.insert(key, copy);
    true
}

fn swap_type(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let Some(path) = pick_path(value, rng, |_| true).filter(|path| !path.is_empty()) else {
        return false;
    };
    let Some(node) = get_mut(value, &path) else {
        return false;
    };
    *node = other_type(node, rng);
    true
}

/// The container of component schemas: `#/components/schemas`, or Swagger 2.0's
/// `#/definitions`.
fn schemas_path(value: &Value) -> Vec<Seg> {
    if value.get("swagger").is_some() && value.get("openapi").is_none() {
        vec![Seg::Key("definitions".to_owned())]
    } else {
        vec![
            Seg::Key("components".to_owned()),
            Seg::Key("schemas".to_owned()),
        ]
    }
}

fn retarget_ref(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let all = paths(value);
    let refs: Vec<&Vec<Seg>> = all
        .iter()
        .filter(|path| {
            matches!(path.last(), Some(Seg::Key(key)) if key == "$ref")
                && get(value, path).is_some_and(Value::is_string)
        })
        .collect();
    // Without a `$ref` to move, one is added to some object.
    let ref_path = match pick(rng, &refs) {
        Some(path) => (*path).clone(),
        None => {
            let objects: Vec<&Vec<Seg>> = all
                .iter()
                .filter(|path| get(value, path).is_some_and(Value::is_object))
                .collect();
            let Some(object) = pick(rng, &objects) else {
                return false;
            };
            let mut path = (*object).clone();
            path.push(Seg::Key("$ref".to_owned()));
            path
        }
    };
    let owner = &ref_path[..ref_path.len() - 1];
    let target = match rng.u8(..12) {
        // At the object that holds the `$ref`: a cycle of length 0.
        0 | 1 => pointer(owner),
        // At an ancestor: a cycle through everything between.
        2 | 3 => pointer(&owner[..rng.usize(..=owner.len())]),
        // Anywhere in the document, schema or not.
        4..=6 => pick(rng, &all).map_or_else(|| "#".to_owned(), |path| pointer(path)),
        // At a component schema that exists, or does not.
        7 => {
            let schemas = schemas_path(value);
            let names: Vec<String> = get(value, &schemas)
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default();
            let mut path = schemas;
            path.push(Seg::Key(
                pick(rng, &names)
                    .cloned()
                    .unwrap_or_else(|| "Missing".to_owned()),
            ));
            pointer(&path)
        }
        8 => "#/components/schemas/DoesNotExist".to_owned(),
        9 => (*pick(
            rng,
            &[
                "",
                "#",
                "#/",
                "/components",
                "other.json#/components/schemas/A",
                "https://example.com/spec.json#/x",
                "#/components/schemas/a~2b",
                "#/components/schemas/%7Bx%7D",
                "#/paths/~1",
                "#/definitions/",
                "#//",
                "#/components/schemas/🦀",
            ],
        )
        .unwrap_or(&""))
        .to_owned(),
        10 => format!("#/{}", weird_name(rng)),
        _ => {
            // A second `$ref` back: two objects pointing at each other.
            let Some(other) = pick(rng, &all).cloned() else {
                return false;
            };
            if let Some(Value::Object(map)) = get_mut(value, &other) {
                map.insert("$ref".to_owned(), Value::String(pointer(owner)));
            }
            pointer(&other)
        }
    };
    let Some((Seg::Key(key), parent)) = ref_path.split_last() else {
        return false;
    };
    match get_mut(value, parent) {
        Some(Value::Object(map)) => {
            map.insert(key.clone(), Value::String(target));
            true
        }
        _ => false,
    }
}

fn extreme_scalar(value: &mut Value, rng: &mut fastrand::Rng, scale: Scale) -> bool {
    let Some(path) = pick_path(value, rng, |node| node.is_string() || node.is_number()) else {
        return false;
    };
    let Some(node) = get_mut(value, &path) else {
        return false;
    };
    *node = if node.is_string() && rng.u8(..4) != 0 {
        let unit = *pick(
            rng,
            &[
                "x", "é", "名", "🦀", "{", "\\", "\"", "\u{0}", "\n", "*/", "`", "#",
            ],
        )
        .unwrap_or(&"x");
        let length = *pick(rng, &[0usize, 1, 1000, 65_536, 300_000]).unwrap_or(&0);
        let length = length.min(scale.string);
        Value::String(unit.repeat(length))
    } else {
        let numbers = [
            Value::from(i64::MAX),
            Value::from(i64::MIN),
            Value::from(u64::MAX),
            Value::from(0),
            Value::from(-1),
            Value::from(9_007_199_254_740_993_u64),
            Value::from(1e308),
            Value::from(-1e308),
            Value::from(5e-324),
            Value::from(0.5),
            Value::from(-0.0),
        ];
        pick(rng, &numbers).cloned().unwrap_or(Value::Null)
    };
    true
}

fn rename_key(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let Some(path) = pick_path(value, rng, |node| {
        node.as_object().is_some_and(|map| !map.is_empty())
    }) else {
        return false;
    };
    let name = weird_name(rng);
    let Some(Value::Object(map)) = get_mut(value, &path) else {
        return false;
    };
    let index = rng.usize(..map.len());
    // Rebuilt to keep the key's place: order matters to the generator (first tag, ...).
    let renamed: Map<String, Value> = std::mem::take(map)
        .into_iter()
        .enumerate()
        .map(|(at, (key, child))| {
            if at == index {
                (name.clone(), child)
            } else {
                (key, child)
            }
        })
        .collect();
    *map = renamed;
    true
}

fn deep_nesting(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let Some(path) = pick_path(value, rng, Value::is_object) else {
        return false;
    };
    // Around the limits that matter: the normaliser's 64 levels, serde_json's 128.
    let depth = *pick(rng, &[2usize, 10, 31, 63, 64, 65, 100, 126, 127, 200]).unwrap_or(&2);
    let Some(node) = get_mut(value, &path) else {
        return false;
    };
    let mut inner = std::mem::take(node);
    for _ in 0..depth {
        inner = match rng.u8(..8) {
            0 => serde_json::json!({"type": "array", "items": inner}),
            1 => serde_json::json!({"allOf": [inner]}),
            2 => serde_json::json!({"oneOf": [inner, {"type": "string"}]}),
            3 => serde_json::json!({"anyOf": [inner]}),
            4 => serde_json::json!({"type": "object", "properties": {"p": inner}}),
            5 => serde_json::json!({"not": inner}),
            6 => serde_json::json!({"type": "object", "additionalProperties": inner}),
            _ => {
                serde_json::json!({"type": "object", "properties": {"p": inner}, "required": ["p"]})
            }
        };
    }
    *node = inner;
    true
}

fn huge_enum(value: &mut Value, rng: &mut fastrand::Rng, scale: Scale) -> bool {
    let Some(path) = pick_path(value, rng, Value::is_object) else {
        return false;
    };
    let count = (*pick(rng, &[1usize, 2, 300, 5000, 20_000]).unwrap_or(&1)).min(scale.enum_values);
    let kind = rng.u8(..4);
    let values: Vec<Value> = (0..count)
        .map(|i| match kind {
            0 => Value::from(i as i64 - (count as i64 / 2)),
            // Names that collide once made identifiers: case, punctuation, digits.
            1 => Value::String(match i % 6 {
                0 => format!("v{i}"),
                1 => format!("V{}", i - 1),
                2 => format!("v-{}", i - 2),
                3 => format!("{}", i / 6),
                4 => String::new(),
                _ => weird_name(rng),
            }),
            2 => random_scalar(rng),
            _ => Value::String(format!("value_{i}")),
        })
        .collect();
    let Some(Value::Object(map)) = get_mut(value, &path) else {
        return false;
    };
    match kind {
        0 => {
            map.insert("type".to_owned(), Value::from("integer"));
        }
        1 | 3 => {
            map.insert("type".to_owned(), Value::from("string"));
        }
        _ => {}
    }
    map.insert("enum".to_owned(), Value::Array(values));
    true
}

fn composition_cycle(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    const KEYWORDS: &[&str] = &[
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "items",
        "properties",
        "additionalProperties",
        "prefixItems",
        "discriminator",
        "if",
        "dependentSchemas",
        "patternProperties",
        "contains",
        "propertyNames",
        "unevaluatedProperties",
    ];
    let schemas = schemas_path(value);
    // Make the container if missing (a spec without components).
    {
        let mut node = &mut *value;
        for seg in &schemas {
            let Seg::Key(key) = seg else { return false };
            let Value::Object(map) = node else {
                return false;
            };
            node = map
                .entry(key.clone())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        let Value::Object(map) = node else {
            return false;
        };
        if map.is_empty() {
            map.insert("Fuzz".to_owned(), serde_json::json!({"type": "object"}));
        }
    }
    let Some(Value::Object(map)) = get_mut(value, &schemas) else {
        return false;
    };
    let names: Vec<String> = map.keys().cloned().collect();
    let Some(first) = pick(rng, &names).cloned() else {
        return false;
    };
    // A cycle of one schema, or of two through two (possibly different) keywords.
    let second = if rng.bool() {
        pick(rng, &names).cloned().unwrap_or_else(|| first.clone())
    } else {
        first.clone()
    };
    let link = |to: &str| {
        let mut path = schemas.clone();
        path.push(Seg::Key(to.to_owned()));
        serde_json::json!({"$ref": pointer(&path)})
    };
    for (from, to) in [(&first, &second), (&second, &first)] {
        let keyword = *pick(rng, KEYWORDS).unwrap_or(&"allOf");
        let target = link(to);
        let Some(Value::Object(schema)) = map.get_mut(from.as_str()) else {
            continue;
        };
        let piece = match keyword {
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => Value::Array(vec![target]),
            "properties" | "patternProperties" | "dependentSchemas" => {
                serde_json::json!({"self": target})
            }
            "discriminator" => {
                schema.insert("oneOf".to_owned(), Value::Array(vec![target.clone()]));
                serde_json::json!({"propertyName": "kind", "mapping": {"me": target["$ref"]}})
            }
            "if" => {
                schema.insert("then".to_owned(), target.clone());
                schema.insert("else".to_owned(), target.clone());
                target
            }
            _ => target,
        };
        schema.insert(keyword.to_owned(), piece);
        if from == to {
            break;
        }
    }
    true
}

fn splice(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let all = paths(value);
    let (Some(from), Some(to)) = (pick(rng, &all), pick(rng, &all)) else {
        return false;
    };
    if to.is_empty() {
        return false;
    }
    let Some(piece) = get(value, from).cloned() else {
        return false;
    };
    let Some(node) = get_mut(value, to) else {
        return false;
    };
    *node = piece;
    true
}

fn version(value: &mut Value, rng: &mut fastrand::Rng, _: Scale) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    let versions = [
        Value::from("3.0.0"),
        Value::from("3.0.3"),
        Value::from("3.1.0"),
        Value::from("3.1.1"),
        Value::from("3.2.0"),
        Value::from("4.0"),
        Value::from("2.0"),
        Value::from(""),
        Value::from(3.0),
        Value::Null,
    ];
    let chosen = pick(rng, &versions).cloned().unwrap_or(Value::Null);
    let key = if rng.u8(..4) == 0 {
        "swagger"
    } else {
        "openapi"
    };
    if chosen.is_null() {
        map.shift_remove(key);
    } else {
        map.insert(key.to_owned(), chosen);
    }
    true
}

/// A few operations of a big document, with the components they reach (by `$ref`,
/// transitively) and everything else top-level but the other paths and components.
pub fn slice(document: &Value, rng: &mut fastrand::Rng) -> Value {
    let Value::Object(top) = document else {
        return document.clone();
    };
    let mut out = Map::new();
    for (key, child) in top {
        if !matches!(
            key.as_str(),
            "paths" | "components" | "definitions" | "parameters" | "responses" | "webhooks"
        ) {
            out.insert(key.clone(), child.clone());
        }
    }
    let mut paths_out = Map::new();
    if let Some(Value::Object(paths)) = top.get("paths") {
        let keys: Vec<&String> = paths.keys().collect();
        let take = rng.usize(1..=8).min(keys.len());
        for _ in 0..take {
            let key = keys[rng.usize(..keys.len())];
            paths_out.insert(key.clone(), paths[key].clone());
        }
    }
    out.insert("paths".to_owned(), Value::Object(paths_out));
    // Security schemes are few and referenced by name, not `$ref`: kept whole.
    if let Some(schemes) = document.pointer("/components/securitySchemes") {
        insert_at(
            &mut out,
            &["components", "securitySchemes"],
            schemes.clone(),
        );
    }
    // The closure of `$ref`s, one top-level definition at a time.
    let mut queue = vec![Value::Object(out.clone())];
    let mut copied = std::collections::HashSet::new();
    while let Some(node) = queue.pop() {
        let mut refs = Vec::new();
        collect_refs(&node, &mut refs);
        for reference in refs {
            let Some(local) = reference.strip_prefix("#/") else {
                continue;
            };
            let segs: Vec<String> = local
                .split('/')
                .map(|seg| seg.replace("~1", "/").replace("~0", "~"))
                .collect();
            // `components/<kind>/<name>` or (Swagger 2.0) `definitions/<name>`.
            let length = if segs.first().is_some_and(|seg| seg == "components") {
                3
            } else {
                2
            };
            if segs.len() < length || !copied.insert(segs[..length].to_vec()) {
                continue;
            }
            let path: Vec<&str> = segs[..length].iter().map(String::as_str).collect();
            let mut source = document;
            let mut found = true;
            for seg in &path {
                match source.get(seg) {
                    Some(next) => source = next,
                    None => {
                        found = false;
                        break;
                    }
                }
            }
            if found {
                insert_at(&mut out, &path, source.clone());
                queue.push(source.clone());
            }
        }
    }
    Value::Object(out)
}

fn insert_at(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = map;
    for seg in parents {
        let entry = node
            .entry((*seg).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = entry else { return };
        node = next;
    }
    node.insert((*last).to_owned(), value);
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(target)) => out.push(target.clone()),
                        _ => stack.push(child),
                    }
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}
