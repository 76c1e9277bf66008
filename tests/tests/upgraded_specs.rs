//! Our API written by hand in another version (`tests/fixtures/upgrade/`: OpenAPI 3.1 and
//! Swagger 2.0) gives the client `spec/openapi.yaml` gives, but for what that version
//! cannot say: the upgrade stage (generator/src/upgrade/) must make the version invisible
//! to the crate's user. The public API of both crates (items, fields, variants, method
//! signatures, trait impls and their associated types, parsed with syn from every
//! generated `src/*.rs`) is compared, and the differences are listed exactly, each with
//! its cause.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::{Options, Output};
use quote::ToTokens;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `spec`, generated as `ai-agent-client` with our settings (`spec/codegen.toml`).
fn generate(spec: &str) -> Output {
    let options = Options {
        crate_name: "ai-agent-client".to_string(),
        spec_label: spec.to_string(),
        settings: Some(root().join("spec/codegen.toml")),
        strict: true,
        crate_version: None,
    };
    generator::generate(&root().join(spec), &options)
        .unwrap_or_else(|error| panic!("{spec}: {error}"))
}

/// Tokens as one line, with the spaces `to_string` puts around punctuation taken out.
fn text(tokens: &impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    for (from, to) in [
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" ,", ","),
        (" :", ":"),
        (": :", "::"),
        (":: ", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        ("& ", "&"),
        ("' ", "'"),
    ] {
        text = text.replace(from, to);
    }
    text
}

fn is_pub(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

/// One line per public item of `items` (in module `path`).
fn public_api(path: &str, items: &[syn::Item], api: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Struct(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}struct {}", item.ident));
                for field in &item.fields {
                    if is_pub(&field.vis) {
                        let name = field
                            .ident
                            .as_ref()
                            .map_or(String::new(), ToString::to_string);
                        api.insert(format!(
                            "{path}struct {}.{name}: {}",
                            item.ident,
                            text(&field.ty)
                        ));
                    }
                }
            }
            syn::Item::Enum(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}enum {}", item.ident));
                for variant in &item.variants {
                    api.insert(format!(
                        "{path}enum {}::{}{}",
                        item.ident,
                        variant.ident,
                        text(&variant.fields)
                    ));
                }
            }
            syn::Item::Fn(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}{}", text(&item.sig)));
            }
            syn::Item::Const(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}const {}: {}", item.ident, text(&item.ty)));
            }
            syn::Item::Type(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}type {} = {}", item.ident, text(&item.ty)));
            }
            syn::Item::Use(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}use {}", text(&item.tree)));
            }
            syn::Item::Mod(item) if is_pub(&item.vis) => {
                api.insert(format!("{path}mod {}", item.ident));
                if let Some((_, inner)) = &item.content {
                    public_api(&format!("{path}{}::", item.ident), inner, api);
                }
            }
            syn::Item::Impl(item) => {
                let header = match &item.trait_ {
                    Some((name, _)) => {
                        format!("impl {} for {}", text(name), text(&item.self_ty))
                    }
                    None => format!("impl {}", text(&item.self_ty)),
                };
                let is_trait = item.trait_.is_some();
                if is_trait {
                    api.insert(format!("{path}{header}"));
                }
                for inner in &item.items {
                    match inner {
                        syn::ImplItem::Fn(function) if is_trait || is_pub(&function.vis) => {
                            api.insert(format!("{path}{header}: {}", text(&function.sig)));
                        }
                        syn::ImplItem::Type(ty) => {
                            api.insert(format!(
                                "{path}{header}: type {} = {}",
                                ty.ident,
                                text(&ty.ty)
                            ));
                        }
                        syn::ImplItem::Const(constant) if is_trait || is_pub(&constant.vis) => {
                            api.insert(format!(
                                "{path}{header}: const {}: {} = {}",
                                constant.ident,
                                text(&constant.ty),
                                text(&constant.expr)
                            ));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every public item of the crate's `src/*.rs`, as `file: item`.
fn api_of(output: &Output) -> BTreeSet<String> {
    let mut api = BTreeSet::new();
    for (path, source) in &output.files {
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let file =
            syn::parse_file(source).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        public_api(&format!("{}: ", path.display()), &file.items, &mut api);
    }
    api
}

#[test]
fn our_api_written_in_openapi_3_1_generates_the_same_public_api() {
    let openapi = generate("spec/openapi.yaml");
    // Strict: nothing was lost on the way, not even with a warning.
    let upgraded = generate("tests/fixtures/upgrade/ai_agent_openapi31.yaml");
    let (openapi_api, upgraded_api) = (api_of(&openapi), api_of(&upgraded));
    assert!(
        openapi_api.contains("src/types.rs: struct Sandbox.region: String"),
        "the comparison sees fields"
    );
    let only_openapi: Vec<&String> = openapi_api.difference(&upgraded_api).collect();
    let only_upgraded: Vec<&String> = upgraded_api.difference(&openapi_api).collect();
    assert_eq!((only_openapi, only_upgraded), (Vec::new(), Vec::new()));
}

#[test]
fn our_api_as_swagger_2_gives_the_same_client_but_for_bearer_auth() {
    let openapi = generate("spec/openapi.yaml");
    let swagger = generate("tests/fixtures/upgrade/openapi_as_swagger2.yaml");
    assert_eq!(
        swagger.warnings,
        Vec::new(),
        "a clean 2.0 document upgrades without a warning"
    );

    let (openapi_api, swagger_api) = (api_of(&openapi), api_of(&swagger));
    assert!(
        openapi_api.len() > 300,
        "{} items: the comparison sees the crate",
        openapi_api.len()
    );
    let only_openapi: Vec<&String> = openapi_api.difference(&swagger_api).collect();
    let only_swagger: Vec<&String> = swagger_api.difference(&openapi_api).collect();
    // Bearer auth cannot be said in 2.0 (its schemes are basic, apiKey and oauth2): the
    // token is an apiKey in the `Authorization` header, so the builder method is the
    // API-key setter, named after the scheme (`BearerAuth` -> `bearer`), and the
    // caller writes `Bearer ` before the token.
    assert_eq!(
        only_openapi,
        ["src/client.rs: impl ClientBuilder: fn bearer_token(mut self, token: impl Into<String>) -> Self"]
    );
    assert_eq!(
        only_swagger,
        ["src/client.rs: impl ClientBuilder: fn bearer(mut self, key: impl Into<String>) -> Self"]
    );

    // Everything else is the same text, but for the spec's hash in the headers, the auth
    // code and docs, the crate docs' examples that call the setter, and the command-line
    // tool's credential flag (`--bearer`, the API key's, for `--token`).
    let differing: Vec<&Path> = openapi
        .files
        .iter()
        .filter(|(path, text)| {
            let strip = |text: &str| text.lines().skip(2).collect::<Vec<_>>().join("\n");
            swagger.files.get(*path).map(|other| strip(other)) != Some(strip(text))
        })
        .map(|(path, _)| path.as_path())
        .collect();
    assert_eq!(
        differing,
        [
            Path::new("README.md"),
            Path::new("src/client.rs"),
            Path::new("src/commands.rs"),
            Path::new("src/lib.rs")
        ]
    );
    let commands = &swagger.files[Path::new("src/commands.rs")];
    assert!(
        commands.contains("\"AI_AGENT_BEARER\"")
            && commands.contains("builder = builder.bearer(key);")
            && !commands.contains("AI_AGENT_TOKEN"),
        "{commands}"
    );
    let client = &swagger.files[Path::new("src/client.rs")];
    assert!(
        client
            .contains("pub const DEFAULT_BASE_URL: &str = \"https://api.ai.neevcloud.com/agent\";"),
        "host, basePath and schemes"
    );
}
