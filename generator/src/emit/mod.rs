//! Emit stage: the IR becomes one token stream (or text) per file of the generated crate.
//!
//! | file            | made by         | holds                                              |
//! |-----------------|-----------------|----------------------------------------------------|
//! | `Cargo.toml`    | [`manifest`]    | package and runtime dependencies                   |
//! | `src/lib.rs`    | [`manifest`]    | crate docs, modules, re-exports                    |
//! | `src/types.rs`  | [`types`]       | one struct, enum or alias per named schema         |
//! | `src/client.rs` | [`client`]      | `Client`, `ClientBuilder`, base URL and auth       |
//! | `src/operations.rs` | [`operations`] | one method and request builder per operation    |
//! | `src/errors.rs` | [`errors`]      | one enum of documented error statuses per operation|
//! | `src/error.rs`, `src/request.rs` | `generator/templates/` | runtime support, verbatim |

pub mod client;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod manifest;
pub mod operations;
pub mod rust_type;
pub mod types;
pub mod unions;

use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::ir::Api;

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
pub fn emit_crate(api: &Api, crate_name: &str) -> Vec<EmittedFile> {
    let rust = |path: &str, tokens| EmittedFile {
        path: PathBuf::from(path),
        content: FileContent::Rust(tokens),
    };
    let verbatim = |path: &str, text| EmittedFile {
        path: PathBuf::from(path),
        content: FileContent::VerbatimRust(text),
    };
    vec![
        EmittedFile {
            path: PathBuf::from("Cargo.toml"),
            content: FileContent::Text {
                text: manifest::cargo_toml(api, crate_name),
                comment: Some("#"),
            },
        },
        rust("src/lib.rs", manifest::lib_rs(api, crate_name)),
        rust("src/types.rs", types::types_rs(api)),
        rust("src/client.rs", client::client_rs(api)),
        rust("src/operations.rs", operations::operations_rs(api)),
        rust("src/errors.rs", errors::errors_rs(api)),
        verbatim("src/error.rs", include_str!("../../templates/error.rs")),
        verbatim("src/request.rs", include_str!("../../templates/request.rs")),
    ]
}
