//! Emit stage: the IR becomes one token stream (or text) per file of the generated crate.
//!
//! | file            | made by         | holds                                              |
//! |-----------------|-----------------|----------------------------------------------------|
//! | `Cargo.toml`    | [`manifest`]    | package and runtime dependencies                   |
//! | `src/lib.rs`    | [`manifest`]    | crate docs, modules, re-exports                    |
//! | `README.md`     | [`manifest`]    | the crate docs with their examples ([`guide`])     |
//! | `src/types.rs`  | [`types`]       | one struct, enum or alias per named schema         |
//! | `src/client.rs` | [`client`]      | `Client`, `ClientBuilder`, base URL and auth       |
//! | `src/operations.rs` | [`operations`] | one method and request builder per operation    |
//! | `src/errors.rs` | [`errors`]      | one enum of documented error statuses per operation|
//! | `src/constraints.rs` | [`validation`] | `Validate` impls from each schema's constraints |
//! | `src/waiters.rs` | [`waiters`]    | `wait_until_*` on request builders (settings)     |
//! | `src/error.rs`, `src/request.rs`, `src/redact.rs`, `src/retry.rs`, `src/transport.rs`, `src/observe.rs`, `src/response.rs`, `src/validation.rs`, `src/pagination.rs`, `src/wait.rs` | `generator/templates/` | runtime support, verbatim |
//!
//! Pagination streams ([`pagination`]) are emitted into `src/operations.rs`, beside the
//! request builders whose fields they read.

pub mod client;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod guide;
pub mod manifest;
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

/// Every file of the crate for `api`, in a fixed order.
pub fn emit_crate(api: &Api, behaviour: &ClientBehaviour, crate_name: &str) -> Vec<EmittedFile> {
    let rust = |path: &str, tokens| EmittedFile {
        path: PathBuf::from(path),
        content: FileContent::Rust(tokens),
    };
    let verbatim = |path: &str, text| EmittedFile {
        path: PathBuf::from(path),
        content: FileContent::VerbatimRust(text),
    };
    let mut files = vec![
        EmittedFile {
            path: PathBuf::from("Cargo.toml"),
            content: FileContent::Text {
                text: manifest::cargo_toml(api, crate_name),
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
        rust("src/lib.rs", manifest::lib_rs(api, behaviour, crate_name)),
        rust("src/types.rs", types::types_rs(api)),
        rust("src/client.rs", client::client_rs(api, behaviour)),
        rust(
            "src/operations.rs",
            operations::operations_rs(api, behaviour),
        ),
        rust("src/errors.rs", errors::errors_rs(api)),
        verbatim("src/error.rs", include_str!("../../templates/error.rs")),
        verbatim("src/request.rs", include_str!("../../templates/request.rs")),
        verbatim("src/redact.rs", include_str!("../../templates/redact.rs")),
        rust("src/constraints.rs", validation::constraints_rs(api)),
        verbatim("src/observe.rs", include_str!("../../templates/observe.rs")),
        verbatim(
            "src/response.rs",
            include_str!("../../templates/response.rs"),
        ),
        verbatim("src/retry.rs", include_str!("../../templates/retry.rs")),
        verbatim(
            "src/transport.rs",
            include_str!("../../templates/transport.rs"),
        ),
        verbatim(
            "src/validation.rs",
            include_str!("../../templates/validation.rs"),
        ),
    ];
    // Only crates that use them get the pagination and waiter runtimes, so that no
    // generated crate carries dead code.
    if !behaviour.paginations.is_empty() {
        files.push(verbatim(
            "src/pagination.rs",
            include_str!("../../templates/pagination.rs"),
        ));
    }
    if !behaviour.waiters.is_empty() {
        files.push(rust("src/waiters.rs", waiters::waiters_rs(api, behaviour)));
        files.push(verbatim(
            "src/wait.rs",
            include_str!("../../templates/wait.rs"),
        ));
    }
    files
}
