//! `Cargo.toml` and `src/lib.rs` of the generated crate.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, inner_doc_attrs, spec_text};
use crate::ir::{Api, ClientBehaviour, ParameterLocation, TypeRef};

/// The runtime crate's manifest: its `[dependencies]` are the one source of the
/// generated crates' dependency versions.
const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The package manifest. The crate version is `version` when the caller keeps the
/// crate's own (`cargo xtask codegen` does, see `release`), else the spec's
/// `info.version` when it is a plain `MAJOR.MINOR.PATCH`, else `0.0.0`. Of the runtime's
/// dependencies it lists those the crate's code (`sources`, token text or file text)
/// names as `crate_name::`, so a spec without dates does not pull in `chrono`, one
/// without patterns not `regress`.
///
/// With a command-line tool (`cli`: the binary's name and the tool's sources), the
/// dependencies only the tool names are optional, enabled by the `cli` feature with what
/// the runtime's own `cli` feature enables, and the binary requires that feature.
pub fn cargo_toml(
    api: &Api,
    crate_name: &str,
    version: Option<&str>,
    sources: &[String],
    areas: &[String],
    cli: Option<(&str, &[String])>,
) -> String {
    let (version, version_note) = match version {
        Some(version) => (
            version,
            "# The crate's own version, not the API's: `cargo xtask codegen` bumps it by what the\n\
             # changes from openapi.yaml (the spec this crate was generated from) do to its users,\n\
             # and CHANGELOG.md lists them.\n",
        ),
        None if is_plain_semver(&api.version) => (api.version.as_str(), ""),
        None => ("0.0.0", ""),
    };
    // Written by the toml crate: the spec's title and version may hold quotes,
    // backslashes, line breaks or control characters, which a TOML string must escape
    // (a NUL in `info.version` made a manifest Cargo refused; found by `cargo xtask fuzz`).
    // Title and version cut to a bounded length: Cargo hands the description to every
    // compiler run as `CARGO_PKG_DESCRIPTION`, and Linux refuses to start a process with
    // an environment string over 128 KiB, so a spec with a huge title made a crate that
    // could not be built ("Argument list too long"; found by `cargo xtask fuzz`).
    let description = toml::Value::String(format!(
        "Rust client for the {} (version {}), generated from its OpenAPI document.",
        shortened(&api.title, DESCRIPTION_PART_CHARS),
        shortened(&api.version, DESCRIPTION_PART_CHARS)
    ))
    .to_string();
    let named: BTreeSet<&str> = sources
        .iter()
        .flat_map(|source| path_roots(source))
        .collect();
    let cli_named: BTreeSet<&str> = cli
        .map(|(_, cli_sources)| cli_sources)
        .unwrap_or_default()
        .iter()
        .flat_map(|source| path_roots(source))
        .collect();
    let mut dependencies = String::from("[dependencies]\n");
    let mut cli_feature: Vec<String> = Vec::new();
    for line in section(RUNTIME_MANIFEST, "[dependencies]") {
        let name = line
            .split('=')
            .next()
            .unwrap_or_default()
            .trim()
            .replace('-', "_");
        // A line the runtime marks optional (the mock kit's server) stays optional.
        if named.contains(name.as_str()) {
            dependencies.push_str(line);
            dependencies.push('\n');
        } else if cli_named.contains(name.as_str()) {
            dependencies.push_str(&optional_line(line));
            dependencies.push('\n');
            cli_feature.push(format!(
                "\"dep:{}\"",
                line.split('=').next().unwrap_or_default().trim()
            ));
        }
    }
    if cli.is_some() {
        cli_feature.extend(runtime_cli_feature().filter(|entry| !entry.starts_with("\"dep:")));
    }
    let mut dev_dependencies = String::from("[dev-dependencies]\n");
    for line in section(RUNTIME_MANIFEST, "[dev-dependencies]") {
        dev_dependencies.push_str(line);
        dev_dependencies.push('\n');
    }
    // One feature per area of the API; `default` enables them all. And `mock`, the mock
    // kit (`src/mock.rs`, `src/mocks.rs`), when the crate has it: its server is wiremock.
    let mock = named.contains("wiremock");
    let mut features = if areas.is_empty() && !mock {
        String::new()
    } else {
        let mut text = String::from("[features]\n");
        if !areas.is_empty() {
            let quoted: Vec<String> = areas.iter().map(|area| format!("{area:?}")).collect();
            text.push_str(&format!("default = [{}]\n", quoted.join(", ")));
        }
        for area in areas {
            text.push_str(&format!("{area} = []\n"));
        }
        if mock {
            text.push_str("mock = [\"dep:wiremock\"]\n");
        }
        text
    };
    let mut bin = String::new();
    if let Some((bin_name, _)) = cli {
        if features.is_empty() {
            features.push_str("[features]\n");
        }
        features.push_str(&format!(
            "# The command-line tool `{bin_name}` (`cargo run --features cli -- --help`).\ncli = [{}]\n",
            cli_feature.join(", ")
        ));
        bin = format!(
            "[[bin]]\nname = \"{bin_name}\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n\n"
        );
    }
    if !features.is_empty() {
        features.push('\n');
    }
    format!(
        "[package]\nname = \"{crate_name}\"\n{version_note}version = \"{version}\"\nedition = \"2021\"\nrust-version = \"1.82\"\ndescription = {description}\npublish = false\n\n{features}{bin}{dependencies}\n{dev_dependencies}"
    )
}

/// A dependency line made `optional = true` (`name = "1"` or `name = { ... }`).
fn optional_line(line: &str) -> String {
    if line.contains("optional = true") {
        return line.to_string();
    }
    let (name, spec) = line.split_once('=').unwrap_or((line, ""));
    let spec = spec.trim();
    match spec.strip_prefix('{') {
        Some(rest) => format!(
            "{} = {{ {}, optional = true }}",
            name.trim(),
            rest.trim().trim_end_matches('}').trim()
        ),
        None => format!("{} = {{ version = {spec}, optional = true }}", name.trim()),
    }
}

/// The entries of the runtime's own `cli` feature (`"dep:clap"`, `"tokio/rt"`, ...).
fn runtime_cli_feature() -> impl Iterator<Item = String> {
    section(RUNTIME_MANIFEST, "[features]")
        .find_map(|line| line.trim().strip_prefix("cli = ["))
        .map(|entries| entries.trim_end().trim_end_matches(']'))
        .unwrap_or_default()
        .split(',')
        .map(|entry| entry.trim().to_string())
        .filter(|entry| !entry.is_empty())
}

/// The `name = ...` lines of `[header]` in a manifest with one dependency per line.
fn section<'a>(manifest: &'a str, header: &'static str) -> impl Iterator<Item = &'a str> {
    manifest
        .lines()
        .skip_while(move |line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

/// Whether `source` names the crate `name` as a path root: `name::` in file text, or
/// `name ::` in token text.
/// The identifiers that start a path in `source` (`name::`, spaces allowed before the
/// `::`, as token text has them): one pass over the text, whatever the number of
/// dependencies asked about.
fn path_roots(source: &str) -> impl Iterator<Item = &str> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    source.match_indices("::").filter_map(move |(at, _)| {
        let before = source[..at].trim_end();
        let start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_ident(c))
            .last()
            .map(|(start, _)| start)?;
        let root = &before[start..];
        // `a::b::c` names `a` only: a segment after `a::` (or `T<..>::`) is not a root;
        // after a leading `::` it is.
        let prefix = before[..start].trim_end();
        let segment = prefix
            .strip_suffix("::")
            .is_some_and(|rest| rest.trim_end().ends_with(|c: char| is_ident(c) || c == '>'));
        (!segment).then_some(root)
    })
}

/// Longest title or version, in characters, written into the manifest's description
/// (real titles are under 100).
const DESCRIPTION_PART_CHARS: usize = 200;

/// `text` cut to `limit` characters, `...` marking a cut.
fn shortened(text: &str, limit: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}...", &text[..end]).into(),
        None => text.into(),
    }
}

/// Whether `version` can be the crate's version as it stands: `MAJOR.MINOR.PATCH`, each a
/// number Cargo reads (it fits 64 bits and has no leading zero: Cargo refuses `1.01.0`).
fn is_plain_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            part.chars().all(|c| c.is_ascii_digit())
                && part.parse::<u64>().is_ok()
                && (*part == "0" || !part.starts_with('0'))
        })
}

/// An optional runtime module's declaration (copied verbatim, so `rustfmt::skip`; only
/// partly used where one area alone is enabled, so `allow(dead_code)`) and its re-export,
/// or nothing when the crate does not use it.
fn optional_module(
    used: bool,
    module: TokenStream,
    export: TokenStream,
) -> (TokenStream, TokenStream) {
    if !used {
        return (quote!(), quote!());
    }
    (
        quote! {
            #[rustfmt::skip]
            #[allow(dead_code)]
            #module
        },
        export,
    )
}

/// Which optional runtime files a crate carries (only those its code uses).
#[derive(Debug, Clone, Copy, Default)]
pub struct OptionalRuntime {
    /// `pattern.rs`: some schema has a `pattern`.
    pub patterns: bool,
    /// `base64_bytes.rs`: some schema has `format: byte`.
    pub base64: bool,
    /// `sse.rs`: some operation answers with `text/event-stream`.
    pub sse: bool,
    /// `file_part.rs`: some multipart body has a file part.
    pub files: bool,
    /// `date_header.rs`: some response header is a `date-time`.
    pub date_headers: bool,
    /// `mock.rs` and the generated `mocks.rs` (feature `mock`): the crate has operations.
    pub mock: bool,
    /// `cli.rs` and the generated `commands.rs` (feature `cli`): the API has an
    /// operation the command-line tool can call.
    pub cli: bool,
}

/// The crate root: docs with a compiling example, modules and re-exports.
pub fn lib_rs(
    api: &Api,
    behaviour: &ClientBehaviour,
    crate_name: &str,
    optional: OptionalRuntime,
) -> TokenStream {
    let docs = inner_doc_attrs(&crate_docs(api, behaviour, crate_name));
    lib_items(api, behaviour, docs, optional)
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
        "<!-- @generated by openapi-rust-generator; do not edit. The examples below are doctests of src/lib.rs: they compile. -->",
    );
    let mut readme = lines.join("\n");
    readme.push('\n');
    readme
}

/// The crate docs, one Markdown paragraph or code block per item.
/// The "Areas" section, when the API is split into Cargo features.
fn areas_section(api: &Api, crate_name: &str) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for operation in &api.operations {
        if let Some(area) = &operation.area {
            *counts.entry(area.as_str()).or_default() += 1;
        }
    }
    let (first, _) = counts.iter().next()?;
    let list: Vec<String> = counts
        .iter()
        .map(|(area, count)| format!("`{area}` ({count})"))
        .collect();
    Some(format!(
        "## Areas\n\n\
         The API is split into Cargo features, one per area (its operations' first tag, \
         or for an untagged spec their resource), each with its number of operations: {}. \
         `default` enables every area. An application that uses one area compiles only \
         its operations and the types they use:\n\n\
         ```toml\n\
         [dependencies]\n\
         {crate_name} = {{ version = \"*\", default-features = false, features = [\"{first}\"] }}\n\
         ```",
        list.join(", ")
    ))
}

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
    paragraphs.extend(super::cli::guide_section(api, behaviour, crate_name));
    paragraphs.extend(areas_section(api, crate_name));
    paragraphs.extend(webhooks_section(api));
    paragraphs
}

/// The "Webhooks" section: requests the API makes to the user, which the client has no
/// methods for, and the types their payloads decode to.
fn webhooks_section(api: &Api) -> Option<String> {
    if api.webhooks.is_empty() {
        return None;
    }
    let lines: Vec<String> = api
        .webhooks
        .iter()
        .map(|webhook| {
            let payload = match &webhook.payload {
                Some(name) => format!("payload [`types::{name}`](crate::types::{name})"),
                None => "no payload schema".to_string(),
            };
            let summary = webhook
                .summary
                .as_deref()
                .map(|summary| format!(": {}", spec_text(summary).replace('\n', " ")))
                .unwrap_or_default();
            format!(
                "- `{}` (`{}`), {payload}{summary}",
                webhook.name, webhook.method
            )
        })
        .collect();
    Some(format!(
        "## Webhooks\n\n\
         The API also sends requests of its own to a server you run (the spec's `webhooks`). \
         The client has no methods for them; decode a request's JSON body into its payload \
         type with `serde_json::from_slice`:\n\n{}",
        lines.join("\n")
    ))
}

fn lib_items(
    api: &Api,
    behaviour: &ClientBehaviour,
    docs: TokenStream,
    optional: OptionalRuntime,
) -> TokenStream {
    // Without operations the request machinery has no caller; the crate is types only.
    let allow_unused = api
        .operations
        .is_empty()
        .then(|| quote!(#![allow(dead_code)]));
    // Brace-delimited `quote!`: rustfmt leaves its tokens alone (with parentheses it
    // reformats them, and drops the `#[rustfmt::skip]` attributes inside).
    let (base64_module, base64_export) = optional_module(
        optional.base64,
        quote!(
            mod base64_bytes;
        ),
        quote!(
            pub use base64_bytes::Base64Bytes;
        ),
    );
    let (sse_module, sse_export) = optional_module(
        optional.sse,
        quote!(
            mod sse;
        ),
        quote!(
            pub use sse::{Event, EventStream, StreamError, StreamingOperation};
        ),
    );
    let (file_module, file_export) = optional_module(
        optional.files,
        quote!(
            mod file_part;
        ),
        quote!(
            pub use file_part::FilePart;
        ),
    );
    let (date_header_module, _) = optional_module(
        optional.date_headers,
        quote!(
            mod date_header;
        ),
        quote!(),
    );
    let pattern_module = optional.patterns.then(|| {
        quote! {
            #[rustfmt::skip]
            #[allow(dead_code)]
            mod pattern;
        }
    });
    let pagination_module = (!behaviour.paginations.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            #[allow(dead_code)]
            mod pagination;
        }
    });
    let (waiter_modules, waiter_exports) = if behaviour.waiters.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                #[rustfmt::skip]
                #[allow(dead_code)]
                mod wait;
                #[rustfmt::skip]
                mod waiters;
            },
            quote! {
                pub use wait::{WaitError, WaitOptions, Waiter};
            },
        )
    };
    let (mock_modules, mock_export) = if optional.mock {
        (
            quote! {
                #[cfg(feature = "mock")]
                #[rustfmt::skip]
                #[allow(dead_code)]
                pub mod mock;
                #[cfg(feature = "mock")]
                #[rustfmt::skip]
                mod mocks;
            },
            quote! {
                #[cfg(feature = "mock")]
                pub use mock::MockServer;
            },
        )
    } else {
        (quote!(), quote!())
    };
    let cli_modules = optional.cli.then(|| {
        let wait = (!behaviour.waiters.is_empty()).then(|| {
            quote! {
                #[cfg(feature = "cli")]
                #[rustfmt::skip]
                #[allow(dead_code)]
                mod cli_wait;
            }
        });
        quote! {
            #[cfg(feature = "cli")]
            #[rustfmt::skip]
            #[allow(dead_code)]
            mod cli;
            #wait
            #[cfg(feature = "cli")]
            #[rustfmt::skip]
            pub mod commands;
        }
    });
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
        // The runtime's modules (copied verbatim from the generator's runtime crate, where
        // they are tested) serve every spec, and this one uses only part of them: hence
        // `allow(dead_code)` on those, and only those.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod constraints;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod observe;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod response;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod retry;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod transport;
        #[rustfmt::skip]
        #[allow(dead_code)]
        pub mod validation;
        #pagination_module
        #pattern_module
        #waiter_modules
        #base64_module
        #sse_module
        #file_module
        #date_header_module
        #mock_modules
        #cli_modules
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod call;
        #[rustfmt::skip]
        #[allow(unused_macros, unused_imports, dead_code)]
        mod enum_impls;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod error;
        #[rustfmt::skip]
        pub mod errors;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod redact;
        #[rustfmt::skip]
        #[allow(dead_code)]
        mod request;
        // A property the spec does not describe gets no filler doc ("The `id`
        // property."): saying nothing beats saying the field's name again.
        #[rustfmt::skip]
        #[allow(missing_docs)]
        pub mod types;

        // In rustfmt's order, so `cargo fmt` leaves lib.rs as generated.
        #base64_export
        pub use call::{Call, Operation, Request};
        pub use client::{Client, ClientBuilder #default_base_url, USER_AGENT};
        pub use error::{BuildError, Error, InvalidRequest, RawResponse};
        #file_export
        #mock_export
        pub use observe::{ObservedRequest, ObservedResponse, Observer};
        pub use response::{HeaderError, Response, ResponseHeaders};
        pub use retry::RetryPolicy;
        #sse_export
        pub use validation::{Limit, Rule, Validate, ValidationError};
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

#[cfg(test)]
mod tests {
    use super::{is_plain_semver, path_roots, shortened};

    #[test]
    fn only_versions_cargo_reads_are_taken_as_the_crate_version() {
        for version in ["0.0.0", "1.2.3", "2026.12.1", "18446744073709551615.0.0"] {
            assert!(is_plain_semver(version), "{version}");
        }
        for version in [
            "1.2",
            "1.2.3.4",
            "1.02.3",
            "01.2.3",
            "1.2.x",
            "",
            "1..3",
            "v1.2.3",
            "18446744073709551616.0.0",
            "1.2.3-beta",
        ] {
            assert!(!is_plain_semver(version), "{version}");
        }
    }

    #[test]
    fn long_texts_are_shortened_on_a_character_boundary() {
        assert_eq!(shortened("Petstore", 200), "Petstore");
        assert_eq!(
            shortened(&"名".repeat(300), 200),
            format!("{}...", "名".repeat(200))
        );
    }

    #[test]
    fn path_roots_are_the_first_segments_of_paths() {
        let source = "use serde :: Deserialize ; fn f () -> chrono::DateTime < chrono :: Utc > { \
                      crate :: url :: x () ; ::bytes::Bytes::new () ; Vec::<u8>::new () ; \
                      my_regress::x () ; < T as serde_json :: ser :: Serialize > :: f }";
        let roots: Vec<&str> = path_roots(source).collect();
        assert_eq!(
            roots,
            [
                "serde",
                "chrono",
                "chrono",
                "crate",
                "bytes",
                "Vec",
                "my_regress",
                "serde_json"
            ]
        );
    }
}
