//! Specs built to hurt the generator, each with its asserted outcome: it finishes with a
//! client or with a located error, in bounded memory (see
//! generator/src/normalise/budget.rs), never a panic, a hang or an abort. The inputs are
//! built here, in memory; the sizes are the issue's.

use generator::{GenerateError, Options, Output};
use serde_json::{json, Map, Value};

fn generate(spec: &Value) -> Result<Output, GenerateError> {
    let options = Options {
        crate_name: "evil-client".to_string(),
        spec_label: "evil.json".to_string(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    generator::generate_from_str(&spec.to_string(), "evil.json", &options)
}

/// A document whose one operation answers `S`, with `schemas` as its components.
fn document(schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "evil", "version": "1"},
        "paths": {"/s": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/S0"}}
        }}}}}},
        "components": {"schemas": schemas}
    })
}

fn file<'a>(output: &'a Output, path: &str) -> &'a str {
    &output.files[std::path::Path::new(path)]
}

/// 3,000 schemas, each `allOf: [$ref: next]` plus one property: 300 KB that once took
/// 22 GB. Now a located error at the chain's first link, with its depth, before any of
/// it is emitted (and before its recursion could overflow the stack).
#[test]
fn a_long_allof_chain_stops_at_its_first_link_with_its_depth() {
    let mut schemas = Map::new();
    for index in 0..3000 {
        let own =
            json!({"type": "object", "properties": {format!("p{index}"): {"type": "string"}}});
        let schema = if index + 1 < 3000 {
            json!({"allOf": [{"$ref": format!("#/components/schemas/S{}", index + 1)}, own]})
        } else {
            own
        };
        schemas.insert(format!("S{index}"), schema);
    }
    let error = generate(&document(schemas))
        .expect_err("over the budget")
        .to_string();
    assert_eq!(
        error,
        "evil.json: #/components/schemas/S0: an `allOf` chain 2999 links deep (at most 64 are merged): every struct of such a chain repeats every field it inherits"
    );
}

/// 400 links wide of the budget: over it, at the biggest struct, by the size budget.
#[test]
fn a_spec_over_the_size_budget_stops_at_its_biggest_struct() {
    // 60 chains of 60 links: each within the depth limit, together ~1.3 million lines.
    let mut schemas = Map::new();
    for chain in 0..60 {
        for index in 0..60 {
            let own = json!({"type": "object", "properties": {format!("p{chain}_{index}"): {"type": "string"}}});
            let schema = if index + 1 < 60 {
                json!({"allOf": [{"$ref": format!("#/components/schemas/C{chain}L{}", index + 1)}, own]})
            } else {
                own
            };
            schemas.insert(format!("C{chain}L{index}"), schema);
        }
    }
    schemas.insert("S0".to_string(), json!({"type": "string"}));
    let error = generate(&document(schemas))
        .expect_err("over the budget")
        .to_string();
    assert_eq!(
        error,
        "evil.json: #/components/schemas/C0L0: the generated crate would be over 500000 lines (the budget that keeps generation under 2 GB of memory); the biggest struct has 60 fields, 59 `allOf` links deep: every struct of such a chain repeats every field it inherits"
    );
}

/// A short chain is an ordinary spec: every struct holds what it inherits.
#[test]
fn a_short_allof_chain_generates() {
    let mut schemas = Map::new();
    for index in 0..30 {
        let own =
            json!({"type": "object", "properties": {format!("p{index}"): {"type": "string"}}});
        let schema = if index + 1 < 30 {
            json!({"allOf": [{"$ref": format!("#/components/schemas/S{}", index + 1)}, own]})
        } else {
            own
        };
        schemas.insert(format!("S{index}"), schema);
    }
    let output = generate(&document(schemas)).expect("generates");
    let types = file(&output, "src/types.rs");
    let s0 = types
        .split("pub struct S0 {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .unwrap();
    assert_eq!(s0.matches("    pub p").count(), 30, "{s0}");
}

#[test]
fn an_enum_of_100_000_values_generates() {
    let values: Vec<String> = (0..100_000).map(|index| format!("v{index}")).collect();
    let mut schemas = Map::new();
    schemas.insert("S0".to_string(), json!({"type": "string", "enum": values}));
    let output = generate(&document(schemas)).expect("generates");
    let types = file(&output, "src/types.rs");
    assert!(
        types.contains("    V99999,\n"),
        "the last value is a variant"
    );
    assert!(types.contains("V99999 = \"v99999\""));
}

#[test]
fn a_schema_of_20_000_properties_generates() {
    let properties: Map<String, Value> = (0..20_000)
        .map(|index| (format!("p{index}"), json!({"type": "integer"})))
        .collect();
    let mut schemas = Map::new();
    schemas.insert(
        "S0".to_string(),
        json!({"type": "object", "properties": properties}),
    );
    let output = generate(&document(schemas)).expect("generates");
    assert_eq!(
        file(&output, "src/types.rs").matches("    pub p").count(),
        20_000
    );
}

#[test]
fn ten_thousand_operations_generate() {
    let mut paths = Map::new();
    for index in 0..10_000 {
        paths.insert(
            format!("/r{index}"),
            json!({"get": {"operationId": format!("op{index}"), "responses": {"204": {"description": "ok"}}}}),
        );
    }
    let spec =
        json!({"openapi": "3.0.3", "info": {"title": "evil", "version": "1"}, "paths": paths});
    let output = generate(&spec).expect("generates");
    let operations = file(&output, "src/operations.rs");
    assert!(operations.contains("pub fn op9999(&self)"));
    assert_eq!(operations.matches("impl Operation for ").count(), 10_000);
}

/// 200 levels of inline objects: the JSON reader's recursion limit, located.
#[test]
fn deep_inline_nesting_is_a_located_error() {
    let mut schema = json!({"type": "string"});
    for _ in 0..200 {
        schema = json!({"type": "object", "properties": {"next": schema}});
    }
    let mut schemas = Map::new();
    schemas.insert("S0".to_string(), schema);
    let error = generate(&document(schemas))
        .expect_err("too deep")
        .to_string();
    assert!(error.starts_with("evil.json:1:"), "line:column: {error}");
    assert!(
        error.contains(
            "recursion limit exceeded (at #/components/schemas/S0/properties/next/properties/next/"
        ),
        "{error}"
    );
}

/// 65 levels: past the parser's limit is the generator's own, at the level too deep.
#[test]
fn nesting_past_64_schemas_is_a_located_error() {
    let mut schema = json!({"type": "string"});
    for _ in 0..40 {
        schema = json!({"type": "array", "items": {"type": "array", "items": schema}});
    }
    let mut schemas = Map::new();
    schemas.insert("S0".to_string(), schema);
    let error = generate(&document(schemas))
        .expect_err("too deep")
        .to_string();
    let nested = "/items".repeat(64);
    assert_eq!(
        error,
        format!(
            "evil.json: #/components/schemas/S0{nested}: schemas nest more than 64 levels deep"
        )
    );
}

/// The billion laughs in YAML: aliases that expand to more than the parser allows.
#[test]
fn a_yaml_alias_bomb_is_a_located_error() {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: bomb, version: '1'}\npaths: {}\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut previous = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        text.push_str(&format!("x-{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        previous = name;
    }
    let options = Options {
        crate_name: "bomb".to_string(),
        spec_label: "bomb.yaml".to_string(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    let error = generator::generate_from_str(&text, "bomb.yaml", &options)
        .expect_err("refused")
        .to_string();
    assert!(error.starts_with("bomb.yaml:"), "{error}");
    assert!(error.contains("repetition limit"), "{error}");
}

/// Property names that are all `a_b` after case conversion: each keeps its JSON name
/// and gets a distinct Rust name.
#[test]
fn names_that_collide_after_case_conversion_stay_distinct() {
    let names = ["a_b", "aB", "A-B", "a b", "A_B", "a__b", "AB", "a.b"];
    let properties: Map<String, Value> = names
        .iter()
        .map(|name| ((*name).to_string(), json!({"type": "string"})))
        .collect();
    let mut schemas = Map::new();
    schemas.insert(
        "S0".to_string(),
        json!({"type": "object", "properties": properties}),
    );
    schemas.insert("s0".to_string(), json!({"type": "string"}));
    schemas.insert("S_0".to_string(), json!({"type": "integer"}));
    let output = generate(&document(schemas)).expect("generates");
    let types = file(&output, "src/types.rs");
    for name in names {
        assert!(
            types.contains(&format!("rename = \"{name}\"")) || name == "a_b",
            "{name}: {types}"
        );
    }
    let fields: Vec<&str> = types
        .lines()
        .filter_map(|line| line.strip_prefix("    pub ")?.split(':').next())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = fields.iter().collect();
    assert_eq!(unique.len(), fields.len(), "{fields:?}");
    assert!(
        types.contains("pub struct S0 {")
            && types.contains("pub type S0_2 = String;")
            && types.contains("pub type S0_3 = i64;"),
        "schema names that collide too: {types}"
    );
}

/// Cargo hands a crate's description to every compiler run in an environment variable,
/// and Linux refuses one over 128 KiB: a 300,000-character title made a crate that could
/// not be built (found by `cargo xtask fuzz`). The manifest stays small and valid, and a
/// version Cargo cannot read (too big, a leading zero) is not taken as the crate's.
#[test]
fn a_huge_title_and_version_make_a_small_manifest_cargo_reads() {
    for version in [format!("1.0.{}", "9".repeat(30)), "2026.01.15".to_string()] {
        let mut spec = document(Map::new());
        spec["info"]["title"] = json!("名".repeat(300_000));
        spec["info"]["version"] = json!(version);
        let output = generate(&spec).expect("generates");
        let manifest = file(&output, "Cargo.toml");
        let longest = manifest.lines().map(str::len).max().unwrap_or(0);
        assert!(longest < 2_000, "a manifest line of {longest} bytes");
        let parsed: toml::Table = manifest.parse().expect("the manifest is TOML");
        assert_eq!(
            parsed["package"]["version"].as_str(),
            Some("0.0.0"),
            "{version}"
        );
        let description = parsed["package"]["description"].as_str().unwrap();
        assert!(
            description.contains(&format!("{}...", "名".repeat(200))),
            "{description}"
        );
    }
}
