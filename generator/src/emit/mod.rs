//! Emit stage: the IR becomes one token stream (or text) per file of the generated crate.
//!
//! | file            | made by         | holds                                              |
//! |-----------------|-----------------|----------------------------------------------------|
//! | `Cargo.toml`    | [`manifest`]    | package, and the runtime dependencies the crate uses |
//! | `src/lib.rs`    | [`manifest`]    | crate docs, modules, re-exports                    |
//! | `README.md`     | [`manifest`]    | the crate docs with their examples ([`guide`])     |
//! | `src/types.rs`  | [`types`]       | one struct, enum or alias per named schema         |
//! | `src/client.rs` | [`client`]      | `Client`, `ClientBuilder`, base URL and auth       |
//! | `src/operations.rs` | [`operations`] | one method and request builder per operation    |
//! | `src/errors.rs` | [`errors`]      | one enum of documented error statuses per operation|
//! | `src/constraints.rs` | [`validation`] | `Validate` impls from each schema's constraints |
//! | `src/waiters.rs` | [`waiters`]    | `wait_until_*` on request builders (settings)     |
//! | `src/mocks.rs`  | [`mock`]        | the mock kit's typed expectation per operation (feature `mock`) |
//! | `src/commands.rs`, `src/main.rs` | [`cli`] | the command-line tool (feature `cli`), with the runtime's `src/cli.rs` (and `src/cli_wait.rs` with waiters) |
//! | `src/error.rs`, `src/request.rs`, ... `src/wait.rs` | `generator/runtime/src/` | the runtime crate's modules, verbatim (`src/pattern.rs`, `src/base64_bytes.rs`, `src/sse.rs`, `src/file_part.rs`, `src/date_header.rs`, `src/pagination.rs`, `src/wait.rs`, `src/mock.rs` only where used) |
//!
//! Pagination streams ([`pagination`]) are emitted into `src/operations.rs`, beside the
//! request builders whose fields they read.

pub mod areas;
pub mod cli;
pub mod client;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod guide;
pub mod manifest;
pub mod mock;
pub mod operations;
pub mod pagination;
pub mod rust_type;
pub mod send;
pub mod types;
pub mod unions;
pub mod validation;
pub mod waiters;

use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::ir::{Api, ClientBehaviour};

/// One file of the generated crate.
#[derive(Debug)]
pub struct EmittedFile {
    /// Path relative to the crate root.
    pub path: PathBuf,
    /// What goes in it.
    pub content: FileContent,
}

/// The contents of an emitted file, before formatting.
#[derive(Debug)]
pub enum FileContent {
    /// Rust to format with prettyplease.
    Rust(TokenStream),
    /// Rust kept verbatim (already formatted, with its comments).
    VerbatimRust(&'static str),
    /// Another text file; `comment` is its line-comment marker for the header.
    Text {
        /// The file's text.
        text: String,
        /// Line-comment marker, or `None` when the format has none.
        comment: Option<&'static str>,
    },
}

/// The runtime's files, by path in the generated crate (`generator/runtime/src/`).
const RUNTIME: &[(&str, &str)] = &[
    ("src/call.rs", include_str!("../../runtime/src/call.rs")),
    (
        "src/enum_impls.rs",
        include_str!("../../runtime/src/enum_impls.rs"),
    ),
    ("src/error.rs", include_str!("../../runtime/src/error.rs")),
    (
        "src/request.rs",
        include_str!("../../runtime/src/request.rs"),
    ),
    ("src/redact.rs", include_str!("../../runtime/src/redact.rs")),
    (
        "src/observe.rs",
        include_str!("../../runtime/src/observe.rs"),
    ),
    (
        "src/response.rs",
        include_str!("../../runtime/src/response.rs"),
    ),
    ("src/retry.rs", include_str!("../../runtime/src/retry.rs")),
    (
        "src/transport.rs",
        include_str!("../../runtime/src/transport.rs"),
    ),
    (
        "src/validation.rs",
        include_str!("../../runtime/src/validation.rs"),
    ),
];

/// Runtime files only some crates need.
const PATTERN: (&str, &str) = (
    "src/pattern.rs",
    include_str!("../../runtime/src/pattern.rs"),
);
const PAGINATION: (&str, &str) = (
    "src/pagination.rs",
    include_str!("../../runtime/src/pagination.rs"),
);
const BASE64: (&str, &str) = (
    "src/base64_bytes.rs",
    include_str!("../../runtime/src/base64_bytes.rs"),
);
const FILE_PART: (&str, &str) = (
    "src/file_part.rs",
    include_str!("../../runtime/src/file_part.rs"),
);
const DATE_HEADER: (&str, &str) = (
    "src/date_header.rs",
    include_str!("../../runtime/src/date_header.rs"),
);
const SSE: (&str, &str) = ("src/sse.rs", include_str!("../../runtime/src/sse.rs"));
const WAIT: (&str, &str) = ("src/wait.rs", include_str!("../../runtime/src/wait.rs"));
const MOCK: (&str, &str) = ("src/mock.rs", include_str!("../../runtime/src/mock.rs"));
const CLI: (&str, &str) = ("src/cli.rs", include_str!("../../runtime/src/cli.rs"));
const CLI_WAIT: (&str, &str) = (
    "src/cli_wait.rs",
    include_str!("../../runtime/src/cli_wait.rs"),
);

/// Every file of the crate for `api`, in a fixed order.
///
/// `version` is the crate's own version when the caller keeps one (see `release`).
pub fn emit_crate(
    api: &Api,
    behaviour: &ClientBehaviour,
    crate_name: &str,
    version: Option<&str>,
) -> Vec<EmittedFile> {
    let areas = areas::Areas::new(api);
    let mut generated = vec![
        ("src/types.rs", types::types_rs(api, &areas)),
        ("src/client.rs", client::client_rs(api, behaviour)),
        (
            "src/operations.rs",
            operations::operations_rs(api, behaviour, &areas),
        ),
        ("src/errors.rs", errors::errors_rs(api, &areas)),
        (
            "src/constraints.rs",
            validation::constraints_rs(api, &areas),
        ),
    ];
    // Only crates that use them get the optional runtime files, so that no generated
    // crate carries code (or a dependency) it never calls.
    let mut runtime: Vec<(&str, &str)> = RUNTIME.to_vec();
    // Token text, made once: what the files name decides the optional runtime files here
    // and the dependencies in the manifest.
    let mut texts: Vec<String> = generated
        .iter()
        .map(|(_, tokens)| tokens.to_string())
        .collect();
    let uses_patterns = texts
        .iter()
        .any(|text| text.contains("crate :: pattern ::"));
    if uses_patterns {
        runtime.push(PATTERN);
    }
    let uses_base64 = texts
        .iter()
        .any(|text| text.contains("crate :: Base64Bytes"));
    if uses_base64 {
        runtime.push(BASE64);
    }
    let uses_files = texts.iter().any(|text| text.contains("crate :: FilePart"));
    if uses_files {
        runtime.push(FILE_PART);
    }
    let uses_date_headers = texts
        .iter()
        .any(|text| text.contains("crate :: date_header ::"));
    if uses_date_headers {
        runtime.push(DATE_HEADER);
    }
    let uses_sse = texts.iter().any(|text| text.contains("crate :: sse ::"));
    if uses_sse {
        runtime.push(SSE);
    }
    if !behaviour.paginations.is_empty() {
        runtime.push(PAGINATION);
    }
    if !behaviour.waiters.is_empty() {
        let waiters = waiters::waiters_rs(api, behaviour, &areas);
        texts.push(waiters.to_string());
        generated.push(("src/waiters.rs", waiters));
        runtime.push(WAIT);
    }
    // The mock kit (feature `mock`), for a crate with operations to mock.
    let mock = !api.operations.is_empty();
    if mock {
        let mocks = mock::mocks_rs(api, &areas);
        texts.push(mocks.to_string());
        generated.push(("src/mocks.rs", mocks));
        runtime.push(MOCK);
    }
    // The command-line tool (feature `cli`): its files and sources apart, so that the
    // dependencies only it names are optional.
    let commands = cli::commands_rs(api, behaviour, crate_name, &areas);
    let mut cli_files: Vec<(&str, FileContent)> = Vec::new();
    if let Some(commands) = commands {
        cli_files.push(("src/commands.rs", FileContent::Rust(commands)));
        cli_files.push(("src/main.rs", FileContent::Rust(cli::main_rs(crate_name))));
        cli_files.push((CLI.0, FileContent::VerbatimRust(CLI.1)));
        if !behaviour.waiters.is_empty() {
            cli_files.push((CLI_WAIT.0, FileContent::VerbatimRust(CLI_WAIT.1)));
        }
    }
    let cli_sources: Vec<String> = cli_files
        .iter()
        .map(|(_, content)| match content {
            FileContent::Rust(tokens) => tokens.to_string(),
            FileContent::VerbatimRust(text) => text.to_string(),
            FileContent::Text { text, .. } => text.clone(),
        })
        .collect();
    let bin_name = cli::bin_name(crate_name);
    let optional = manifest::OptionalRuntime {
        patterns: uses_patterns,
        base64: uses_base64,
        sse: uses_sse,
        files: uses_files,
        date_headers: uses_date_headers,
        mock,
        cli: !cli_files.is_empty(),
    };
    let lib = manifest::lib_rs(api, behaviour, crate_name, optional);
    texts.push(lib.to_string());
    texts.extend(runtime.iter().map(|(_, text)| text.to_string()));
    let manifest = manifest::cargo_toml(
        api,
        crate_name,
        version,
        &texts,
        &areas.all,
        (!cli_files.is_empty()).then_some((bin_name.as_str(), cli_sources.as_slice())),
    );

    let mut files = vec![
        EmittedFile {
            path: PathBuf::from("Cargo.toml"),
            content: FileContent::Text {
                text: manifest,
                comment: Some("#"),
            },
        },
        EmittedFile {
            path: PathBuf::from("README.md"),
            content: FileContent::Text {
                text: manifest::readme(api, behaviour, crate_name),
                comment: None,
            },
        },
        EmittedFile {
            path: PathBuf::from("src/lib.rs"),
            content: FileContent::Rust(lib),
        },
    ];
    files.extend(generated.into_iter().map(|(path, tokens)| EmittedFile {
        path: PathBuf::from(path),
        content: FileContent::Rust(tokens),
    }));
    files.extend(runtime.into_iter().map(|(path, text)| EmittedFile {
        path: PathBuf::from(path),
        content: FileContent::VerbatimRust(text),
    }));
    files.extend(cli_files.into_iter().map(|(path, content)| EmittedFile {
        path: PathBuf::from(path),
        content,
    }));
    files
}
