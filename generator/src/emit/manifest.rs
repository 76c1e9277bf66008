//! `Cargo.toml` and `src/lib.rs` of the generated crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, inner_doc_attrs, spec_text};
use crate::ir::{Api, ClientBehaviour, ParameterLocation, TypeRef};

/// Runtime dependencies of every generated crate. Versions are the ones the generator
/// is tested with; the workspace `Cargo.lock` pins them for `generated-client`.
const DEPENDENCIES: &str = r#"[dependencies]
backon = { version = "1", default-features = false, features = ["std"] }
bytes = { version = "1", features = ["serde"] }
chrono = { version = "0.4", default-features = false, features = ["serde", "clock", "std"] }
futures-core = "0.3"
futures-util = { version = "0.3", default-features = false }
httpdate = "1"
memchr = "2"
percent-encoding = "2"
regress = "0.12"
reqwest = { version = "0.12", default-features = false, features = ["json", "multipart", "rustls-tls"] }
secrecy = "0.10"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_with = "3"
tokio = { version = "1", features = ["time"] }
url = "2"
uuid = { version = "1", features = ["serde"] }

[dev-dependencies]
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

/// The package manifest. The crate version is the spec's `info.version` when it is a
/// plain `MAJOR.MINOR.PATCH`, else `0.0.0`.
pub fn cargo_toml(api: &Api, crate_name: &str) -> String {
    let version = if is_plain_semver(&api.version) {
        api.version.as_str()
    } else {
        "0.0.0"
    };
    let description = format!(
        "Rust client for the {} (version {}), generated from its OpenAPI document.",
        api.title, api.version
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"");
    format!(
        "[package]\nname = \"{crate_name}\"\nversion = \"{version}\"\nedition = \"2021\"\nrust-version = \"1.82\"\ndescription = \"{description}\"\npublish = false\n\n{DEPENDENCIES}"
    )
}

fn is_plain_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// The crate root: docs with a compiling example, modules and re-exports.
pub fn lib_rs(api: &Api, behaviour: &ClientBehaviour, crate_name: &str) -> TokenStream {
    let docs = inner_doc_attrs(&crate_docs(api, behaviour, crate_name));
    lib_items(api, behaviour, docs)
}

/// The crate's `README.md`: the crate docs, whose examples are doctests of `src/lib.rs`,
/// without the lines rustdoc hides.
pub fn readme(api: &Api, behaviour: &ClientBehaviour, crate_name: &str) -> String {
    let text = crate_docs(api, behaviour, crate_name)
        .join("\n\n")
        .replace("```no_run", "```rust,no_run");
    // Rustdoc hides `# ` lines only inside code blocks; outside them `# ` is a heading.
    let mut in_code = false;
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if in_code && (line == "#" || line.starts_with("# ")) {
            continue;
        }
        lines.push(line);
    }
    lines.insert(0, "");
    lines.insert(
        0,
        "<!-- The examples below are doctests of src/lib.rs: they compile. -->",
    );
    let mut readme = lines.join("\n");
    readme.push('\n');
    readme
}

/// The crate docs, one Markdown paragraph or code block per item.
fn crate_docs(api: &Api, behaviour: &ClientBehaviour, crate_name: &str) -> Vec<String> {
    let crate_ident = crate_name.replace('-', "_");
    let mut paragraphs = vec![
        format!("# {}", spec_text(&api.title)),
        format!(
            "Async Rust client for the {} (version {}).",
            spec_text(&api.title),
            code(&api.version)
        ),
    ];
    if let Some(description) = &api.description {
        paragraphs.push(spec_text(description));
    }
    paragraphs.push(
        "- [`Client`]: one method per operation, each returning a request builder to `.await`.\n\
         - [`types`]: the request and response bodies.\n\
         - [`errors`]: per operation, the error statuses the spec documents.\n\
         - [`Error`]: what every call can fail with; the raw response is always kept."
            .to_string(),
    );
    paragraphs.push(format!("```no_run\n{}```", example(api, &crate_ident)));
    paragraphs.extend(super::guide::sections(api, behaviour, &crate_ident));
    paragraphs
}

fn lib_items(api: &Api, behaviour: &ClientBehaviour, docs: TokenStream) -> TokenStream {
    // Without operations the request machinery has no caller; the crate is types only.
    let allow_unused = api
        .operations
        .is_empty()
        .then(|| quote!(#![allow(dead_code)]));
    // Brace-delimited `quote!`: rustfmt leaves its tokens alone (with parentheses it
    // reformats them, and drops the `#[rustfmt::skip]` attributes inside).
    let pagination_module = (!behaviour.paginations.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            mod pagination;
        }
    });
    let (waiter_modules, waiter_exports) = if behaviour.waiters.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                #[rustfmt::skip]
                mod wait;
                #[rustfmt::skip]
                mod waiters;
            },
            quote! {
                pub use wait::{WaitError, WaitOptions, Waiter};
            },
        )
    };
    let default_base_url = api
        .default_server
        .as_ref()
        .map(|_| quote!(, DEFAULT_BASE_URL));
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #allow_unused

        // The modules are formatted by prettyplease when generated; `cargo fmt` must
        // leave them as they are, or the drift check would fail after every `cargo fmt`.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod constraints;
        #[rustfmt::skip]
        mod observe;
        #[rustfmt::skip]
        mod response;
        #[rustfmt::skip]
        mod retry;
        #[rustfmt::skip]
        mod transport;
        #[rustfmt::skip]
        pub mod validation;
        #pagination_module
        #waiter_modules
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        pub mod errors;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        mod redact;
        #[rustfmt::skip]
        mod request;
        #[rustfmt::skip]
        pub mod types;

        // In rustfmt's order, so `cargo fmt` leaves lib.rs as generated.
        pub use client::{Client, ClientBuilder #default_base_url, USER_AGENT};
        pub use error::{BuildError, Error, InvalidRequest, RawResponse};
        pub use observe::{ObservedRequest, ObservedResponse, Observer};
        pub use response::Response;
        pub use retry::RetryPolicy;
        pub use validation::{Rule, Validate, ValidationError};
        #waiter_exports
    }
}

/// A crate-level example: build a client and call the first operation whose required
/// arguments are all strings, numbers or UUIDs.
fn example(api: &Api, crate_ident: &str) -> String {
    let token = api
        .auth
        .first()
        .map(|scheme| format!("\n    {}", scheme.example_call()))
        .unwrap_or_default();
    let mut text = format!(
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {crate_ident}::Client::builder(){token}\n    .build()?;\n"
    );
    let callable = api.operations.iter().find(|operation| {
        operation.body.as_ref().is_none_or(|body| !body.required)
            && operation
                .parameters
                .iter()
                .filter(|parameter| parameter.required)
                .all(|parameter| {
                    matches!(
                        parameter.ty,
                        TypeRef::String | TypeRef::Integer(_) | TypeRef::Uuid
                    ) && parameter.location != ParameterLocation::Header
                })
    });
    if let Some(operation) = callable {
        let arguments: Vec<String> = operation
            .parameters
            .iter()
            .filter(|parameter| parameter.required)
            .map(|parameter| match parameter.ty {
                TypeRef::String => {
                    format!("{:?}", format!("my-{}", parameter.name.replace('_', "-")))
                }
                TypeRef::Uuid => "uuid::Uuid::nil()".to_string(),
                _ => "1".to_string(),
            })
            .collect();
        text.push_str(&format!(
            "let result = client.{}({}).await?;\nprintln!(\"{{result:?}}\");\n",
            operation.method_name,
            arguments.join(", ")
        ));
    }
    text.push_str("# Ok(())\n# }\n");
    text
}
