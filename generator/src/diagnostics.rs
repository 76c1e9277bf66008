//! Errors and warnings about a spec, each naming its place.
//!
//! A place is a JSON pointer into the document (`#/components/schemas/Sandbox/properties/egress`)
//! and, where the loader can tell, a line and column in the file.

use std::fmt;
use std::path::PathBuf;

/// A problem found in a spec, before it is tied to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// JSON pointer to the offending element, starting with `#`.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// A construct generated as a documented fallback rather than its exact shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer to the construct.
    pub pointer: String,
    /// What was done instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}

/// Why generation failed. Every variant names the file; none is a panic.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec file could not be read.
    #[error("{}: cannot read the spec: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid YAML or JSON, or does not have the shape of an OpenAPI document.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Parser message, with the JSON pointer of the element when known.
        message: String,
    },
    /// The document is well-formed but cannot be turned into a client.
    #[error("{file}: {pointer}: {message}")]
    Spec {
        /// The file.
        file: String,
        /// JSON pointer to the offending element.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The document's version is not one the generator reads (Swagger 2.0, OpenAPI
    /// 3.0.x and 3.1.x are), or it has none.
    #[error("{file}:{line}:{column}: {pointer}: {message}")]
    UnsupportedVersion {
        /// The file.
        file: String,
        /// The version field (`#/openapi`, `#/swagger`), or `#` when there is none.
        pointer: String,
        /// 1-based line of the field.
        line: usize,
        /// 1-based column of the field.
        column: usize,
        /// Which version was found and which are read.
        message: String,
    },
    /// The settings file (`codegen.toml`) cannot be read, is not valid TOML, or names
    /// something the spec does not have.
    #[error("{file}: {key}: {message}")]
    Settings {
        /// The settings file.
        file: String,
        /// The dotted key of the offending setting (`waiters.ready.success`), or
        /// `line:column` for a syntax error.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// `strict` was asked for and the spec needed repairs or fallbacks: each is listed,
    /// at its place, as it would have been warned.
    #[error("{file}: --strict: the spec needs {} repair(s) or fallback(s):{}", warnings.len(), warnings.iter().map(|warning| format!("\n  {}: {}", warning.pointer, warning.message)).collect::<String>())]
    Strict {
        /// The file.
        file: String,
        /// What would have been warned.
        warnings: Vec<Warning>,
    },
    /// What the previously generated crate records about itself (its version, the spec
    /// it was generated from, its changelog) cannot be read; see `release`.
    #[error("{file}: {message}")]
    Previous {
        /// The file in the generated crate.
        file: String,
        /// What is wrong, and what to do.
        message: String,
    },
    /// The generator produced Rust it cannot parse back: a bug in the generator, reported
    /// instead of writing a broken crate.
    #[error("internal error while emitting {file}: {message} (please report this with the spec)")]
    Internal {
        /// The generated file.
        file: String,
        /// The parse error.
        message: String,
    },
    /// The machine refused what generation needs (a thread to run on, at the process's
    /// thread or memory limit): not the spec's fault, and worth trying again.
    #[error("cannot generate here: {message}")]
    Environment {
        /// What the operating system said.
        message: String,
    },
}
