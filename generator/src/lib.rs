//! OpenAPI 3.0 -> Rust client crate generator.
//!
//! One pipeline, one module per stage (see `ARCHITECTURE.md` at the repository root):
//!
//! ```text
//! load      file -> openapiv3::OpenAPI        (YAML or JSON; errors with line:column)
//! repair    (inside load) defects with a clear intent fixed on the untyped tree, warned
//! resolve   $ref -> definitions               (components, missing targets, cycles)
//! normalise OpenAPI -> ir::Api                (named types, fields, enums, operations)
//! compare   two ir::Api -> change report      (classes, pointers, Rust items, semver)
//! emit      ir::Api -> proc_macro2::TokenStream per file
//! format    tokens -> text                    (syn + prettyplease, generated-file header)
//! write     text -> files, or a diff for --check
//! ```

pub mod compare;
pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod normalise;
pub mod release;
pub mod repair;
pub mod resolve;
pub mod settings;
pub mod upgrade;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, GenerateError, Warning};

/// What the caller chooses about the generated crate; everything else comes from the spec.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cargo package name of the generated crate, e.g. `ai-agent-client`.
    pub crate_name: String,
    /// How the spec is named in the generated-file header (a path relative to the
    /// repository, so the output does not depend on where it was checked out).
    pub spec_label: String,
    /// The settings file (`spec/codegen.toml`): what the spec cannot say about retries,
    /// pagination, waiters and the request-id header. `None`: detected conventions only.
    pub settings: Option<PathBuf>,
    /// Refuse the spec when it needed any repair or fallback (every [`Warning`] becomes
    /// [`GenerateError::Strict`]), for users who want a spec fixed at its source.
    pub strict: bool,
    /// The crate's version (`MAJOR.MINOR.PATCH`, see [`release`]). `None`: the spec's
    /// `info.version` when it is one, else `0.0.0`.
    pub crate_version: Option<String>,
}

/// A generated crate held in memory: relative path -> file contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Files keyed by their path relative to the crate root (`Cargo.toml`, `src/lib.rs`, ...).
    pub files: BTreeMap<PathBuf, String>,
    /// Constructs that were generated as a documented fallback, each with its JSON pointer.
    pub warnings: Vec<Warning>,
}

/// Runs the whole pipeline on the spec at `spec_path`.
///
/// # Errors
/// A [`GenerateError`] naming the file and, where known, the JSON pointer and
/// line:column of the problem. The generator never panics on a spec.
pub fn generate(spec_path: &Path, options: &Options) -> Result<Output, GenerateError> {
    on_big_stack(|| {
        let loaded = load::load_file(spec_path)?;
        generate_loaded(&loaded, options)
    })
}

/// Runs the pipeline on spec text already in memory; `file_name` is used in messages
/// and to choose between JSON and YAML.
///
/// # Errors
/// As [`generate`].
pub fn generate_from_str(
    text: &str,
    file_name: &str,
    options: &Options,
) -> Result<Output, GenerateError> {
    on_big_stack(|| {
        let loaded = load::load_str(text, Path::new(file_name))?;
        generate_loaded(&loaded, options)
    })
}

/// Loads, repairs, resolves and normalises the spec at `spec_path`, and stops there:
/// its IR ([`ir::Api`]) and untyped document, as [`compare::compare`] reads them.
///
/// # Errors
/// As [`generate`].
pub fn load_spec(spec_path: &Path) -> Result<compare::Spec, GenerateError> {
    on_big_stack(|| spec_of(load::load_file(spec_path)?))
}

/// Like [`load_spec`], for spec text in memory (`file_name` as for [`generate_from_str`]).
///
/// # Errors
/// As [`generate`].
pub fn load_spec_from_str(text: &str, file_name: &str) -> Result<compare::Spec, GenerateError> {
    on_big_stack(|| spec_of(load::load_str(text, Path::new(file_name))?))
}

/// Runs `work` on a thread with a stack of its own, [`STACK_BYTES`] big.
///
/// Why: reading a spec recurses as deep as the spec nests (the YAML/JSON readers up to
/// their limit of 128 levels, serde's untagged enums buffering each level, the
/// normaliser up to its own limit of 64). Every level is bounded, but in a debug build
/// on a 2 MiB thread (a test's, or an application's worker) the bounds together can
/// overflow the stack, which aborts the process instead of returning an error. The
/// memory is reserved, not used, until a spec needs it.
pub(crate) fn on_big_stack<T: Send>(
    work: impl FnOnce() -> Result<T, GenerateError> + Send,
) -> Result<T, GenerateError> {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("openapi-rust-generator".to_string())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => match handle.join() {
                Ok(value) => value,
                // A panic on the worker is the caller's panic, as if it ran inline.
                Err(payload) => std::panic::resume_unwind(payload),
            },
            // The machine, not the spec: the process is at its thread or memory limit.
            Err(error) => Err(GenerateError::Environment {
                message: format!("cannot start a thread to generate on: {error}"),
            }),
        }
    })
}

/// The generator thread's stack: room for every nesting limit at once, in a debug build.
const STACK_BYTES: usize = 256 * 1024 * 1024;

fn spec_of(loaded: load::LoadedSpec) -> Result<compare::Spec, GenerateError> {
    let api = normalise_loaded(&loaded)?.api;
    Ok(compare::Spec {
        api,
        tree: loaded.tree,
    })
}

pub(crate) fn normalise_loaded(
    loaded: &load::LoadedSpec,
) -> Result<normalise::Normalised, GenerateError> {
    let resolver = resolve::Resolver::new(&loaded.document, &loaded.nested_schemas);
    let mut normalised = normalise::normalise(&loaded.document, &resolver)
        .map_err(|diagnostic| loaded.locate(diagnostic))?;
    // A webhook's payload is named by the type its schema became.
    let api = &mut normalised.api;
    api.webhooks = loaded
        .webhooks
        .iter()
        .map(|webhook| ir::Webhook {
            name: webhook.name.clone(),
            method: webhook.method.clone(),
            summary: webhook.summary.clone(),
            payload: webhook.payload.as_ref().and_then(|pointer| {
                api.types
                    .iter()
                    .find(|definition| definition.origin == *pointer)
                    .map(|definition| definition.name.clone())
            }),
        })
        .collect();
    Ok(normalised)
}

pub(crate) fn generate_loaded(
    loaded: &load::LoadedSpec,
    options: &Options,
) -> Result<Output, GenerateError> {
    let normalised = normalise_loaded(loaded)?;
    let api = normalised.api;
    let behaviour = settings::load(options.settings.as_deref(), &api)?;
    let header = header(loaded, options);
    let emitted = emit::emit_crate(
        &api,
        &behaviour,
        &options.crate_name,
        options.crate_version.as_deref(),
    );
    let mut files = BTreeMap::new();
    for file in emitted {
        let internal = |message| GenerateError::Internal {
            file: file.path.display().to_string(),
            message,
        };
        let text = match file.content {
            emit::FileContent::Rust(tokens) => {
                format::rust_file(&header, tokens).map_err(internal)?
            }
            emit::FileContent::VerbatimRust(text) => {
                format::verbatim_rust_file(&header, text).map_err(internal)?
            }
            emit::FileContent::Text { text, comment } => format::text_file(&header, comment, &text),
        };
        files.insert(file.path, text);
    }
    let mut warnings = loaded.warnings.clone();
    warnings.extend(normalised.warnings);
    if options.strict && !warnings.is_empty() {
        return Err(GenerateError::Strict {
            file: loaded.path.display().to_string(),
            warnings,
        });
    }
    Ok(Output { files, warnings })
}

/// The generated-file header for files made from `loaded`.
pub(crate) fn header<'a>(loaded: &'a load::LoadedSpec, options: &'a Options) -> format::Header<'a> {
    format::Header {
        generator: concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")),
        spec_label: &options.spec_label,
        spec_sha256: &loaded.sha256,
    }
}
