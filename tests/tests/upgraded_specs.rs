//! Our own API written in another OpenAPI version generates the same client: the upgrade
//! stage (generator/src/upgrade/) must make the version invisible to the user of the
//! crate. The public API of each generated crate (types, fields, variants, methods and
//! their signatures, trait impls) is compared item by item.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use quote::ToTokens;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(path: &Path) -> generator::Output {
    let options = generator::Options {
        crate_name: "ai-agent-client".to_string(),
        spec_label: "spec/openapi.yaml".to_string(),
        settings: Some(workspace_root().join("spec/codegen.toml")),
        strict: false,
    };
    generator::generate(path, &options)
        .unwrap_or_else(|error| panic!("{} does not generate: {error}", path.display()))
}

/// One line per public item of the generated crate: `struct types::Sandbox`,
/// `field types::Sandbox::region: Option<String>`, `fn Client::list_sandboxes(...)`, ...
fn public_api(output: &generator::Output) -> BTreeSet<String> {
    let mut api = BTreeSet::new();
    for (path, contents) in &output.files {
        let path = path.to_string_lossy().replace('\\', "/");
        let Some(module) = path
            .strip_prefix("src/")
            .and_then(|name| name.strip_suffix(".rs"))
        else {
            continue;
        };
        let parsed = syn::parse_file(contents)
            .unwrap_or_else(|error| panic!("{path} does not parse: {error}"));
        for item in &parsed.items {
            items_of(module, item, &mut api);
        }
    }
    api
}

fn text(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

fn is_pub(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

fn items_of(module: &str, item: &syn::Item, api: &mut BTreeSet<String>) {
    match item {
        syn::Item::Struct(item) if is_pub(&item.vis) => {
            let name = format!("{module}::{}", item.ident);
            api.insert(format!("struct {name}"));
            for field in item.fields.iter().filter(|field| is_pub(&field.vis)) {
                let field_name = field
                    .ident
                    .as_ref()
                    .map_or_else(String::new, ToString::to_string);
                api.insert(format!("field {name}::{field_name}: {}", text(&field.ty)));
            }
        }
        syn::Item::Enum(item) if is_pub(&item.vis) => {
            let name = format!("{module}::{}", item.ident);
            api.insert(format!("enum {name}"));
            for variant in &item.variants {
                api.insert(format!(
                    "variant {name}::{}{}",
                    variant.ident,
                    text(&variant.fields)
                ));
            }
        }
        syn::Item::Impl(item) => {
            let self_type = text(&item.self_ty);
            if let Some((_, path, _)) = &item.trait_ {
                api.insert(format!("impl {} for {self_type}", text(path)));
            }
            for member in &item.items {
                if let syn::ImplItem::Fn(function) = member {
                    if is_pub(&function.vis) {
                        api.insert(format!("fn {self_type}::{}", text(&function.sig)));
                    }
                }
            }
        }
        syn::Item::Type(item) if is_pub(&item.vis) => {
            api.insert(format!(
                "type {module}::{} = {}",
                item.ident,
                text(&item.ty)
            ));
        }
        syn::Item::Fn(item) if is_pub(&item.vis) => {
            api.insert(format!("fn {module}::{}", text(&item.sig)));
        }
        syn::Item::Const(item) if is_pub(&item.vis) => {
            api.insert(format!(
                "const {module}::{}: {}",
                item.ident,
                text(&item.ty)
            ));
        }
        // `string_enum!(Name, Other, [...])` and the like: the impls a type gets.
        syn::Item::Macro(item) => {
            api.insert(format!("macro {module}: {}", text(&item.mac)));
        }
        _ => {}
    }
}

/// Lines only in `left` (`-`) or only in `right` (`+`).
fn differences(left: &BTreeSet<String>, right: &BTreeSet<String>) -> Vec<String> {
    let mut lines: Vec<String> = left
        .difference(right)
        .map(|line| format!("- {line}"))
        .collect();
    lines.extend(right.difference(left).map(|line| format!("+ {line}")));
    lines
}

#[test]
fn our_api_written_in_openapi_3_1_generates_the_same_public_api() {
    let root = workspace_root();
    let original = generate(&root.join("spec/openapi.yaml"));
    let upgraded = generate(&root.join("tests/fixtures/upgrade/ai_agent_openapi31.yaml"));
    let original_api = public_api(&original);
    assert!(
        original_api.contains("field types::Sandbox::region: Option < String >")
            || original_api
                .iter()
                .any(|line| line.starts_with("field types::Sandbox::region")),
        "the comparison sees fields: {original_api:#?}"
    );
    assert!(original_api.len() > 100, "{}", original_api.len());
    assert_eq!(
        differences(&original_api, &public_api(&upgraded)),
        Vec::<String>::new()
    );
    // Nothing was lost on the way: no warning at all.
    assert!(upgraded.warnings.is_empty(), "{:?}", upgraded.warnings);
}
