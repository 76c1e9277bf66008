//! One fuzz input run in this process: the generator under `catch_unwind` on a thread of
//! its own, every `.rs` file of an `Ok` output parsed back with `syn`, and the result
//! classified. The worker process (`worker.rs`) answers with this; the regression test
//! (`tests/tests/fuzz_regressions.rs`, which includes this file with `#[path]`) asserts it.

use std::any::Any;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;

use generator::{GenerateError, Options, Output};

/// Stack of the thread that runs one input and catches its panic: what a caller's main
/// thread has on Linux (8 MiB). The generator itself runs on its own big-stack thread
/// (`generator::on_big_stack`), so an overflow here would be one a user could meet.
pub const STACK: usize = 8 << 20;

/// What became of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Generated, and every `.rs` file parses with `syn`.
    Ok { rust_files: usize },
    /// A `GenerateError` naming a JSON pointer or a line:column.
    Located(String),
    /// A `GenerateError` naming neither: the user cannot find what to fix.
    Unlocated(String),
    /// `GenerateError::Internal`: the generator emitted Rust it could not parse.
    Internal(String),
    /// `Ok`, but a file does not parse: a `.rs` file with `syn`, `Cargo.toml` as TOML
    /// (file: error).
    Unparsable(String),
    /// `Ok`, but the code names a `crate::types` item that `src/types.rs` does not
    /// define: a crate that cannot compile, caught without compiling it.
    Undefined(String),
    /// The generator panicked (message at location).
    Panic(String),
    /// No answer within the per-input limit (set by the driver).
    Hang(String),
    /// The process running the input died: an abort or a stack overflow (set by the driver).
    Crash(String),
}

impl Outcome {
    /// The class, as printed and as written in `.expect` files.
    pub fn class(&self) -> &'static str {
        match self {
            Self::Ok { .. } => "ok",
            Self::Located(_) => "located-error",
            Self::Unlocated(_) => "unlocated-error",
            Self::Internal(_) => "internal-error",
            Self::Unparsable(_) => "unparsable-output",
            Self::Undefined(_) => "undefined-type",
            Self::Panic(_) => "panic",
            Self::Hang(_) => "hang",
            Self::Crash(_) => "crash",
        }
    }

    /// Anything but `Ok` or a located error: a bug to report.
    pub fn is_failure(&self) -> bool {
        !matches!(self, Self::Ok { .. } | Self::Located(_))
    }

    pub fn message(&self) -> &str {
        match self {
            Self::Ok { .. } => "",
            Self::Located(message)
            | Self::Unlocated(message)
            | Self::Internal(message)
            | Self::Unparsable(message)
            | Self::Undefined(message)
            | Self::Panic(message)
            | Self::Hang(message)
            | Self::Crash(message) => message,
        }
    }

    /// One line: `class<TAB>number-or-message` (messages have their newlines escaped).
    pub fn to_line(&self) -> String {
        match self {
            Self::Ok { rust_files } => format!("ok\t{rust_files}"),
            other => format!("{}\t{}", other.class(), escape(other.message())),
        }
    }

    /// Reads [`Outcome::to_line`]'s line back.
    pub fn from_line(line: &str) -> Option<Self> {
        let (class, rest) = line.split_once('\t')?;
        let message = unescape(rest);
        Some(match class {
            "ok" => Self::Ok {
                rust_files: rest.parse().ok()?,
            },
            "located-error" => Self::Located(message),
            "unlocated-error" => Self::Unlocated(message),
            "internal-error" => Self::Internal(message),
            "unparsable-output" => Self::Unparsable(message),
            "undefined-type" => Self::Undefined(message),
            "panic" => Self::Panic(message),
            "hang" => Self::Hang(message),
            "crash" => Self::Crash(message),
            _ => return None,
        })
    }
}

/// One line of the worker protocol: backslashes, newlines and carriage returns escaped.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// The inverse of [`escape`].
pub fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The options every fuzz input is generated with.
pub fn options(strict: bool) -> Options {
    Options {
        crate_name: "fuzz-client".to_owned(),
        spec_label: "fuzz.json".to_owned(),
        settings: None,
        strict,
        crate_version: None,
    }
}

/// Where the panic hook leaves the message location of the last panic.
static PANIC_LOCATION: Mutex<Option<String>> = Mutex::new(None);

/// Name of the threads [`run`] generates on.
const THREAD: &str = "fuzz-generate";

/// Makes the panic hook only record where a panic happened on a generation thread:
/// panics are outcomes there, and the default hook's stderr lines would drown the
/// report. Other threads' panics (a test's assertions) are reported as before.
pub fn quiet_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some(THREAD) {
            if let Ok(mut location) = PANIC_LOCATION.lock() {
                *location = info.location().map(ToString::to_string);
            }
        } else {
            previous(info);
        }
    }));
}

/// Runs `text` (JSON) through the generator on a thread with [`STACK`], and classifies
/// the result. A stack overflow aborts the process: that is the caller's to catch.
pub fn run(text: &str, strict: bool) -> (Outcome, Option<Output>) {
    run_stages(text, strict, true)
}

/// Like [`run`]; with `emit` false only loading and normalising (up to the IR: no Rust is
/// emitted, so the outcome's `rust_files` is 0): the quick run of the test suite, in a
/// debug build, emits one input in several.
pub fn run_stages(text: &str, strict: bool, emit: bool) -> (Outcome, Option<Output>) {
    let text = text.to_owned();
    let thread = std::thread::Builder::new()
        .name(THREAD.to_owned())
        .stack_size(STACK)
        .spawn(move || {
            std::panic::catch_unwind(|| {
                if !emit {
                    return match generator::load_spec_from_str(&text, "fuzz.json") {
                        Ok(_) => (Outcome::Ok { rust_files: 0 }, None),
                        Err(error) => (classify(&error), None),
                    };
                }
                let result = generator::generate_from_str(&text, "fuzz.json", &options(strict));
                match result {
                    Ok(output) => {
                        let outcome = parse_back(&output);
                        (outcome, Some(output))
                    }
                    Err(error) => (classify(&error), None),
                }
            })
        });
    let joined = match thread {
        Ok(handle) => handle.join(),
        Err(error) => {
            return (
                Outcome::Crash(format!("cannot start a thread: {error}")),
                None,
            )
        }
    };
    match joined {
        Ok(Ok(result)) => result,
        Ok(Err(payload)) | Err(payload) => {
            let location = PANIC_LOCATION
                .lock()
                .ok()
                .and_then(|mut location| location.take());
            let message = panic_message(&*payload);
            let message = match location {
                Some(location) => format!("{message} at {location}"),
                None => message,
            };
            (Outcome::Panic(message), None)
        }
    }
}

/// `syn::parse_file` on every `.rs` file: the generator already parses its tokens before
/// formatting, so this checks the formatted text, what is written to disk.
///
/// A text this process has seen parse is not parsed again: every crate carries the same
/// runtime files (their header names the input's hash, so the cache is keyed by what
/// follows the header), and parsing them was a quarter of the time per input.
fn parse_back(output: &Output) -> Outcome {
    static PARSED: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());
    let mut rust_files = 0;
    for (path, text) in &output.files {
        if path.extension().is_some_and(|extension| extension == "rs") {
            rust_files += 1;
            let body = body_after_header(text);
            let key = {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                body.hash(&mut hasher);
                hasher.finish()
            };
            if PARSED.lock().is_ok_and(|parsed| parsed.contains(&key)) {
                continue;
            }
            if let Err(error) = syn::parse_file(text) {
                return Outcome::Unparsable(format!("{}: {error}", path.display()));
            }
            if let Ok(mut parsed) = PARSED.lock() {
                parsed.insert(key);
            }
        }
    }
    // The manifest too: Cargo refuses one that is not TOML before compiling anything
    // (a control character in the spec's `info.version`, written into `description`).
    if let Some(manifest) = output.files.get(Path::new("Cargo.toml")) {
        if let Err(error) = manifest.parse::<toml::Table>() {
            return Outcome::Unparsable(format!("Cargo.toml: {error}"));
        }
    }
    match undefined_type(output) {
        Some(message) => Outcome::Undefined(message),
        None => Outcome::Ok { rust_files },
    }
}

/// The first `crate::types::Name` the crate's code names that `src/types.rs` does not
/// define (as `pub struct`, `pub enum`, `pub type` or `pub use`): what `cargo check`
/// would refuse, found by reading, for every input rather than every 500th. Found a
/// nested schema named but never defined when the spec has no `components`.
fn undefined_type(output: &Output) -> Option<String> {
    let ident = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let types = output
        .files
        .get(Path::new("src/types.rs"))
        .map_or("", String::as_str);
    let mut defined = BTreeSet::new();
    for line in types.lines().map(str::trim_start) {
        for keyword in ["pub struct ", "pub enum ", "pub type "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                defined.insert(ident(rest));
            }
        }
        if let Some(rest) = line.strip_prefix("pub use ") {
            let rest = rest.trim_end_matches(';');
            let name = rest.rsplit([':', ' ']).next().unwrap_or_default();
            defined.insert(ident(name));
        }
    }
    for (path, text) in &output.files {
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        for (at, _) in text.match_indices("crate::types::") {
            let name = ident(&text[at + "crate::types::".len()..]);
            if !name.is_empty() && !defined.contains(&name) {
                return Some(format!(
                    "{}: names `crate::types::{name}`, which src/types.rs does not define",
                    path.display()
                ));
            }
        }
    }
    None
}

/// `text` after its `@generated` header (two `//` lines), or all of it when it has none.
fn body_after_header(text: &str) -> &str {
    if !text.starts_with("// @generated") {
        return text;
    }
    text.splitn(3, '\n').nth(2).unwrap_or_default()
}

/// Located or not, from what the user sees: the error's `Display`.
pub fn classify(error: &GenerateError) -> Outcome {
    let message = error.to_string();
    if matches!(error, GenerateError::Internal { .. }) {
        Outcome::Internal(message)
    } else if is_located(&message) {
        Outcome::Located(message)
    } else {
        Outcome::Unlocated(message)
    }
}

/// Whether a message names a JSON pointer (`#/...`, or `#` for the whole document) or a
/// `line:column` (`fuzz.json:3:14:`).
pub fn is_located(message: &str) -> bool {
    // `#` alone is the whole document (`fuzz.json: #: no paths`, and in a --strict
    // list, `\n  #: no paths`).
    if message.contains("#/") || message.contains(" #:") || message.contains("\n#:") {
        return true;
    }
    // `name:LINE:COLUMN:` with LINE and COLUMN positive.
    let parts: Vec<&str> = message.splitn(4, ':').collect();
    parts.len() == 4
        && [parts[1], parts[2]].iter().all(|part| {
            !part.is_empty()
                && part.bytes().all(|byte| byte.is_ascii_digit())
                && part.parse::<u64>().is_ok_and(|number| number > 0)
        })
}

/// A panic's message, from its payload (`&str` or `String`, as `panic!` makes them).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "(non-string payload)".to_owned()
    }
}

/// Writes an output's files under `dir` (replacing it), for `cargo check`.
///
/// # Errors
/// Any I/O error.
pub fn write_crate(output: &Output, dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    for (path, text) in &output.files {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(file, text)?;
    }
    Ok(())
}
