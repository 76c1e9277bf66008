//! What every generated command-line tool shares (a generated crate's `cli` feature):
//! the global flags, typed flag values, request bodies from flags and `--body`, output
//! as JSON or a table, `--all` over paginated lists, and failures as exit codes. The
//! generated `commands.rs` holds only each operation's flags and its call.

use std::any::TypeId;
use std::ffi::OsStr;
use std::fmt;
use std::future::Future;
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::pin::pin;
use std::process::ExitCode;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command};
use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, RawResponse};

/// Exit code of a command the API answered with an error status.
pub(crate) const EXIT_API: u8 = 1;
/// Exit code of a usage error: a flag or value is missing or invalid (clap's own code).
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code when the server cannot be reached or a request or wait times out.
pub(crate) const EXIT_TRANSPORT: u8 = 3;
/// Exit code when a waited-for resource reaches a state the target cannot follow from.
pub(crate) const EXIT_WAIT: u8 = 4;

/// The exit codes, as `--help` shows them.
const EXIT_CODES: &str = "Exit codes:\n  \
    0  success\n  \
    1  the API answered with an error status (printed with its body)\n  \
    2  usage: a flag or value is missing or invalid\n  \
    3  transport: the server could not be reached, or the request or the wait timed out\n  \
    4  the waited-for resource reached a state from which the target cannot follow";

/// The heading of the flags every command has.
const GLOBAL: &str = "Global options";

/// Why a command failed: the message printed on stderr and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The exit code.
    pub(crate) code: u8,
    /// What is printed after `error: `.
    pub(crate) message: String,
}

impl Failure {
    /// A usage error (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// Writing the output failed (a closed pipe): exit code 3.
    /// Standard output could not be written. A closed pipe (`ai-agent ... | head`) is the
    /// reader having read enough: the tool stops quietly with success, as `cat` does.
    pub(crate) fn output(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Self {
                code: 0,
                message: String::new(),
            };
        }
        Self {
            code: EXIT_TRANSPORT,
            message: format!("cannot write the output: {error}"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An operation's failure as the tool reports it: the status and the body's words for an
/// answer (exit 1), the reason for a request that could not be made (2) or completed (3).
/// Messages come from [`Error`]'s `Display` and the redacted body: no credential in them.
pub(crate) fn failure<E: fmt::Display>(error: Error<E>) -> Failure {
    let code = match &error {
        Error::InvalidRequest(_) | Error::Validation(_) => EXIT_USAGE,
        Error::Timeout(_) | Error::Transport(_) => EXIT_TRANSPORT,
        _ => EXIT_API,
    };
    let message = match &error {
        Error::Api { error, response } => {
            format!("{error}{}", body_words(response))
        }
        Error::UnexpectedStatus(response) => format!(
            "status {} (not documented for this operation){}",
            response.status(),
            body_words(response)
        ),
        // A request that could not be completed: its causes too ("connection refused"),
        // which reqwest's own message leaves out. They name no URL and no credential.
        Error::Timeout(inner) | Error::Transport(inner) => {
            let mut message = error.to_string();
            let mut cause = std::error::Error::source(inner);
            while let Some(error) = cause {
                let text = error.to_string();
                if !message.contains(&text) {
                    message.push_str(": ");
                    message.push_str(&text);
                }
                cause = error.source();
            }
            message
        }
        other => other.to_string(),
    };
    let request_id = error
        .request_id()
        .map(|id| format!("\nrequest id: {id}"))
        .unwrap_or_default();
    Failure {
        code,
        message: format!("{message}{request_id}"),
    }
}

/// The body of an error answer in words: each top-level field of a JSON object on its
/// own line (`error: sandbox not found`), else the text; credentials redacted.
fn body_words(response: &RawResponse) -> String {
    let body = response.redacted_body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return String::new();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => {
            // Sorted: the order does not depend on serde_json's features.
            let mut fields: Vec<(&String, &Value)> = fields.iter().collect();
            fields.sort_by_key(|(key, _)| *key);
            fields
                .iter()
                .map(|(key, value)| format!("\n  {key}: {}", cell(value, 200)))
                .collect()
        }
        _ => format!(
            "\n  {}",
            crate::redact::cut(&String::from_utf8_lossy(body), 1024)
        ),
    }
}

/// The tool's root command: name, version, the global `--base-url` and `--output` flags,
/// and the exit codes after the help. `base_url_env` is `<TOOL>_BASE_URL`.
pub(crate) fn root(
    name: &'static str,
    version: &'static str,
    about: &'static str,
    base_url_env: &'static str,
) -> Command {
    Command::new(name)
        .bin_name(name)
        .version(version)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(EXIT_CODES)
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .global(true)
                .help_heading(GLOBAL)
                .env(base_url_env)
                .hide_env_values(true)
                .value_name("URL")
                .help("The API's base URL (default: the spec's first server)"),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("FORMAT")
                .value_parser(["json", "table"])
                .default_value("json")
                .help("json: the answer as JSON (with --all, one item per line); table: a compact table"),
        )
}

/// A credential flag read from the environment variable `env` too; its value never
/// shows in `--help` or in any message.
pub(crate) fn secret(long: &'static str, env: &'static str, help: &'static str) -> Arg {
    Arg::new(long)
        .long(long)
        .global(true)
        .help_heading(GLOBAL)
        .env(env)
        .hide_env_values(true)
        .value_name("SECRET")
        .help(help)
}

/// A group of operations (`sandboxes`).
pub(crate) fn group(name: &'static str, about: &'static str) -> Command {
    Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(EXIT_CODES)
}

/// One operation's command: `about` its summary, `long_about` its description and origin.
pub(crate) fn operation(
    name: &'static str,
    about: &'static str,
    long_about: &'static str,
) -> Command {
    Command::new(name)
        .about(about)
        .long_about(long_about)
        .after_help(EXIT_CODES)
}

/// `--body FILE|-`: the request body as JSON (or the raw body, for text and bytes).
pub(crate) fn body_flag(help: &'static str) -> Arg {
    Arg::new("body")
        .long("body")
        .value_name("FILE|-")
        .help(help)
}

/// A yes/no flag of the tool itself (`--all`, `--wait`).
pub(crate) fn switch(long: &'static str, help: &'static str) -> Arg {
    Arg::new(long)
        .long(long)
        .action(ArgAction::SetTrue)
        .help(help)
}

/// A flag holding one `T`, read as text (strings, UUIDs, dates, enum values) or else as
/// JSON (numbers, booleans, objects, arrays). A boolean flag given alone means `true`.
/// `choices` (an enum's values) are listed in the help and are the only values taken.
pub(crate) fn arg<T>(
    long: &'static str,
    help: &'static str,
    choices: &'static [&'static str],
) -> Arg
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    flag::<T>(long, help, choices).value_parser(Typed::<T> {
        choices,
        kept: PhantomData,
    })
}

/// As [`arg`], for a property of the request body: the value is checked as a `T` and
/// kept as JSON, to be put in the body by [`body`].
pub(crate) fn property<T>(
    long: &'static str,
    help: &'static str,
    choices: &'static [&'static str],
) -> Arg
where
    T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    flag::<T>(long, help, choices).value_parser(Json::<T> {
        choices,
        kept: PhantomData,
    })
}

fn flag<T: 'static>(long: &'static str, help: &'static str, choices: &[&str]) -> Arg {
    let arg = Arg::new(long).long(long).help(help);
    if TypeId::of::<T>() == TypeId::of::<bool>() {
        return arg
            .num_args(0..=1)
            .default_missing_value("true")
            .value_name("true|false");
    }
    if !choices.is_empty() {
        return arg;
    }
    arg.value_name(value_name::<T>())
}

/// What a flag's value is, for its help (`--page <INTEGER>`).
fn value_name<T: 'static>() -> &'static str {
    let integers = [
        TypeId::of::<i8>(),
        TypeId::of::<i16>(),
        TypeId::of::<i32>(),
        TypeId::of::<i64>(),
        TypeId::of::<u8>(),
        TypeId::of::<u16>(),
        TypeId::of::<u32>(),
        TypeId::of::<u64>(),
    ];
    let name = std::any::type_name::<T>();
    if TypeId::of::<T>() == TypeId::of::<String>() {
        "TEXT"
    } else if integers.contains(&TypeId::of::<T>()) {
        "INTEGER"
    } else if TypeId::of::<T>() == TypeId::of::<f64>() || TypeId::of::<T>() == TypeId::of::<f32>() {
        "NUMBER"
    } else if name.ends_with("Uuid") {
        "UUID"
    } else if name.contains("DateTime") {
        "DATE-TIME"
    } else if name.ends_with("NaiveDate") {
        "DATE"
    } else if name.starts_with("core::net::") || name.starts_with("std::net::") {
        "IP"
    } else {
        "JSON"
    }
}

/// A value parser: text to `T` (see [`arg`]), kept as `T`.
struct Typed<T> {
    choices: &'static [&'static str],
    kept: PhantomData<fn() -> T>,
}

/// A value parser: text checked as a `T` (see [`arg`]), kept as its JSON.
struct Json<T> {
    choices: &'static [&'static str],
    kept: PhantomData<fn() -> T>,
}

impl<T> Clone for Typed<T> {
    fn clone(&self) -> Self {
        Self {
            choices: self.choices,
            kept: PhantomData,
        }
    }
}

impl<T> Clone for Json<T> {
    fn clone(&self) -> Self {
        Self {
            choices: self.choices,
            kept: PhantomData,
        }
    }
}

/// `text` as a `T`: as a JSON string first (so text needs no quotes), else as JSON.
pub(crate) fn parse_value<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(Value::String(text.to_owned())).or_else(|as_text| {
        serde_json::from_str(text).map_err(|as_json| {
            if text.trim_start().starts_with(['{', '[']) {
                as_json.to_string()
            } else {
                as_text.to_string()
            }
        })
    })
}

/// A flag's value as a `T`, or clap's error naming the flag.
fn parse_flag<T: DeserializeOwned>(
    choices: &[&str],
    cmd: &Command,
    arg: Option<&Arg>,
    value: &OsStr,
) -> Result<T, clap::Error> {
    let name = arg.map_or_else(|| "...".to_string(), ToString::to_string);
    let invalid = |why: String| {
        let mut cmd = cmd.clone();
        clap::Error::raw(
            ErrorKind::ValueValidation,
            format!("invalid value for '{name}': {why}\n"),
        )
        .format(&mut cmd)
    };
    let text = value
        .to_str()
        .ok_or_else(|| invalid("not UTF-8".to_string()))?;
    if !choices.is_empty() && !choices.contains(&text) {
        return Err(invalid(format!(
            "'{text}' is not one of: {}",
            choices.join(", ")
        )));
    }
    parse_value::<T>(text).map_err(invalid)
}

fn possible_values(
    choices: &'static [&'static str],
) -> Option<Box<dyn Iterator<Item = PossibleValue>>> {
    (!choices.is_empty()).then(|| {
        Box::new(choices.iter().map(PossibleValue::new)) as Box<dyn Iterator<Item = PossibleValue>>
    })
}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> TypedValueParser for Typed<T> {
    type Value = T;

    fn parse_ref(&self, cmd: &Command, arg: Option<&Arg>, value: &OsStr) -> Result<T, clap::Error> {
        parse_flag(self.choices, cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        possible_values(self.choices)
    }
}

impl<T: DeserializeOwned + Serialize + Send + Sync + 'static> TypedValueParser for Json<T> {
    type Value = Value;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<Value, clap::Error> {
        let parsed: T = parse_flag(self.choices, cmd, arg, value)?;
        serde_json::to_value(parsed).map_err(|error| {
            clap::Error::raw(ErrorKind::ValueValidation, format!("{error}\n")).with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        possible_values(self.choices)
    }
}

/// The value of flag `id`, if given.
pub(crate) fn get<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Option<T> {
    matches.try_get_one::<T>(id).ok().flatten().cloned()
}

/// The value of the required flag `id` (clap has checked that it is there).
pub(crate) fn required<T: Clone + Send + Sync + 'static>(
    matches: &ArgMatches,
    id: &str,
) -> Result<T, Failure> {
    get(matches, id).ok_or_else(|| Failure::usage(format!("--{id} is required")))
}

/// Every value of the repeatable flag `id`, in order.
pub(crate) fn many<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Vec<T> {
    matches
        .try_get_many::<T>(id)
        .ok()
        .flatten()
        .map(|values| values.cloned().collect())
        .unwrap_or_default()
}

/// The group, the operation and the operation's flags of the command line.
pub(crate) fn chosen(matches: &ArgMatches) -> Option<(&str, &str, &ArgMatches)> {
    let (group, matches) = matches.subcommand()?;
    let (operation, matches) = matches.subcommand()?;
    Some((group, operation, matches))
}

/// Whether the switch `id` (`--all`, `--wait`) is on.
pub(crate) fn switched(matches: &ArgMatches, id: &str) -> bool {
    matches.try_get_one::<bool>(id).ok().flatten() == Some(&true)
}

/// The text of `--body FILE|-` (`-`: standard input), if given.
fn body_bytes(matches: &ArgMatches) -> Result<Option<Vec<u8>>, Failure> {
    let Some(source) = get::<String>(matches, "body") else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    let read = if source == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(drop)
    } else {
        std::fs::read(&source).map(|read| bytes = read)
    };
    read.map_err(|error| Failure::usage(format!("cannot read --body {source}: {error}")))?;
    Ok(Some(bytes))
}

/// The JSON request body: `--body` (an object), with each property flag given
/// (`(flag, JSON name, repeatable)`) set on it, checked by decoding it as `B`. `None`
/// when neither is given.
pub(crate) fn body<B: DeserializeOwned>(
    matches: &ArgMatches,
    properties: &[(&str, &str, bool)],
) -> Result<Option<B>, Failure> {
    let given = body_bytes(matches)?;
    let mut object = match &given {
        Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(object)) => object,
            Ok(other) if properties.is_empty() => return decode_body(other).map(Some),
            Ok(_) => return Err(Failure::usage("--body must be a JSON object")),
            Err(error) => return Err(Failure::usage(format!("--body is not JSON: {error}"))),
        },
        None => Map::new(),
    };
    let mut set = false;
    for (flag, name, repeatable) in properties {
        let value = if *repeatable {
            let values = many::<Value>(matches, flag);
            (!values.is_empty()).then_some(Value::Array(values))
        } else {
            get::<Value>(matches, flag)
        };
        if let Some(value) = value {
            object.insert((*name).to_string(), value);
            set = true;
        }
    }
    if given.is_none() && !set {
        return Ok(None);
    }
    decode_body(Value::Object(object)).map(Some)
}

/// A required JSON body: as [`body`], and `{}` when nothing is given (so that a missing
/// required property is named).
pub(crate) fn required_body<B: DeserializeOwned>(
    matches: &ArgMatches,
    properties: &[(&str, &str, bool)],
) -> Result<B, Failure> {
    match body(matches, properties)? {
        Some(body) => Ok(body),
        None => decode_body(Value::Object(Map::new())),
    }
}

fn decode_body<B: DeserializeOwned>(value: Value) -> Result<B, Failure> {
    serde_json::from_value(value).map_err(|error| {
        Failure::usage(format!(
            "the request body is not what the operation takes: {error} (give it with --body FILE|- or the property flags)"
        ))
    })
}

/// The raw request body of `--body` (text or bytes), if given.
pub(crate) fn raw_body<B: From<Vec<u8>>>(matches: &ArgMatches) -> Result<Option<B>, Failure> {
    Ok(body_bytes(matches)?.map(B::from))
}

/// A text request body of `--body`, if given: it must be UTF-8.
pub(crate) fn text_body(matches: &ArgMatches) -> Result<Option<String>, Failure> {
    body_bytes(matches)?
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|_| Failure::usage("--body is not UTF-8 text"))
        })
        .transpose()
}

/// How answers are printed (`--output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// JSON, pretty; `--all` prints one item per line.
    Json,
    /// A compact table.
    Table,
}

/// What every command runs with.
#[derive(Debug)]
pub(crate) struct Context {
    /// `--output`.
    pub(crate) output: Output,
}

impl Context {
    /// Prints a JSON answer, its properties in the order of its type (nothing for
    /// `null`, which is also what `()` becomes).
    pub(crate) fn print<T: Serialize>(&self, value: &T) -> Result<(), Failure> {
        let mut text = serde_json::to_string_pretty(value).map_err(unshowable)?;
        if text == "null" {
            return Ok(());
        }
        if self.output == Output::Table {
            text = table(&serde_json::from_str(&text).map_err(unshowable)?);
        } else {
            text.push('\n');
        }
        write_out(text.as_bytes())
    }

    /// Prints an answer that is not JSON: its `Debug` form (credentials kept out).
    pub(crate) fn print_debug<T: fmt::Debug>(&self, value: &T) -> Result<(), Failure> {
        write_out(format!("{value:#?}\n").as_bytes())
    }

    /// Prints a text answer as it is.
    pub(crate) fn print_text(&self, text: &str) -> Result<(), Failure> {
        write_out(text.as_bytes())
    }

    /// Writes a binary answer to standard output as it is.
    pub(crate) fn print_bytes(&self, bytes: &[u8]) -> Result<(), Failure> {
        write_out(bytes)
    }

    /// `--all`: every item of every page, as pages arrive: one JSON item per line, or
    /// (`--output table`) one table once the last page is read.
    pub(crate) async fn print_all<T, E, S>(&self, stream: S) -> Result<(), Failure>
    where
        T: Serialize,
        E: fmt::Display,
        S: Stream<Item = Result<T, Error<E>>>,
    {
        let mut stream = pin!(stream);
        let mut rows = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            let item = item.map_err(failure)?;
            match self.output {
                Output::Json => {
                    let mut line = serde_json::to_string(&item).map_err(unshowable)?;
                    line.push('\n');
                    write_out(line.as_bytes())?;
                }
                Output::Table => rows.push(serde_json::to_value(&item).map_err(unshowable)?),
            }
        }
        if self.output == Output::Table {
            write_out(table(&Value::Array(rows)).as_bytes())?;
        }
        Ok(())
    }
}

fn write_out(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(Failure::output)
}

fn unshowable(error: serde_json::Error) -> Failure {
    Failure::usage(format!("cannot show the answer: {error}"))
}

/// A value as a compact table: a list (an array, or an object's one array of objects,
/// such as a page's `items`) as one row per item and one column per property; an object
/// as one row per property. Nested values are shown as JSON, cut to 40 characters.
/// Columns and properties are sorted by name, whatever order serde_json keeps.
pub(crate) fn table(value: &Value) -> String {
    let rows: Option<&Vec<Value>> = match value {
        Value::Array(items) => Some(items),
        Value::Object(fields) => {
            let mut lists = fields
                .values()
                .filter_map(Value::as_array)
                .filter(|items| items.iter().all(Value::is_object));
            match (lists.next(), lists.next()) {
                (Some(items), None) => Some(items),
                _ => None,
            }
        }
        _ => None,
    };
    let (header, cells): (Vec<String>, Vec<Vec<String>>) = match (rows, value) {
        (Some(items), _) => {
            let mut columns: Vec<String> = Vec::new();
            for item in items {
                for key in item.as_object().into_iter().flat_map(Map::keys) {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            columns.sort();
            let cells = items
                .iter()
                .map(|item| match item {
                    Value::Object(fields) => columns
                        .iter()
                        .map(|column| fields.get(column).map(|v| cell(v, 40)).unwrap_or_default())
                        .collect(),
                    other => vec![cell(other, 40)],
                })
                .collect();
            if columns.is_empty() {
                columns.push("value".to_string());
            }
            (columns, cells)
        }
        (None, Value::Object(fields)) => {
            let mut rows: Vec<Vec<String>> = fields
                .iter()
                .map(|(key, value)| vec![key.clone(), cell(value, 40)])
                .collect();
            rows.sort();
            (vec!["property".to_string(), "value".to_string()], rows)
        }
        (None, other) => (vec!["value".to_string()], vec![vec![cell(other, 40)]]),
    };
    let mut widths: Vec<usize> = header.iter().map(|name| name.chars().count()).collect();
    for row in &cells {
        for (width, text) in widths.iter_mut().zip(row) {
            *width = (*width).max(text.chars().count());
        }
    }
    let line = |row: &[String]| {
        let mut text = String::new();
        for (index, (width, cell)) in widths.iter().zip(row).enumerate() {
            if index + 1 == row.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        text.truncate(text.trim_end().len());
        text.push('\n');
        text
    };
    let mut text = line(&header);
    for row in &cells {
        text.push_str(&line(row));
    }
    text
}

/// One value as a table cell: text as it is, `null` empty, anything else as JSON; cut to
/// `limit` characters with `...`.
fn cell(value: &Value, limit: usize) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let text = text.replace(['\n', '\r', '\t'], " ");
    if text.chars().count() <= limit {
        text
    } else {
        let cut: String = text.chars().take(limit.saturating_sub(3)).collect();
        format!("{cut}...")
    }
}

/// Parses the arguments: `Err(exit code)` after printing clap's help, version or usage
/// error (exit 0 or 2).
pub(crate) fn start(command: Command) -> Result<(Context, ArgMatches), ExitCode> {
    let matches = command.try_get_matches().map_err(|error| {
        let _ = error.print();
        ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(EXIT_USAGE))
    })?;
    let output = match get::<String>(&matches, "output").as_deref() {
        Some("table") => Output::Table,
        _ => Output::Json,
    };
    Ok((Context { output }, matches))
}

/// Runs `command` to its end on a single-threaded runtime, prints a failure on stderr,
/// and returns the exit code.
pub(crate) fn finish(command: impl Future<Output = Result<(), Failure>>) -> ExitCode {
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure {
            code: EXIT_TRANSPORT,
            message: format!("cannot start the async runtime: {error}"),
        })
        .and_then(|runtime| runtime.block_on(command));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.code == 0 => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.code)
        }
    }
}

/// A client that cannot be built from the flags (a bad base URL or credential) is a
/// usage error; the message never shows the credential.
pub(crate) fn build_failure(error: crate::error::BuildError) -> Failure {
    Failure::usage(error.to_string())
}
