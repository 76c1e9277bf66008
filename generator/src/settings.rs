//! The settings file (`spec/codegen.toml`): what the generated client should do that an
//! OpenAPI document cannot say, resolved against the normalised [`Api`] into a
//! [`ClientBehaviour`].
//!
//! ```toml
//! [client]
//! request_id_header = "x-request-id"   # response header with the server's request id
//!
//! [operations.pauseSandbox]            # keyed by operationId
//! idempotent = true                    # safe to retry although it is a POST
//! pagination = false                   # or { page = "page", limit = "limit", items = "items", total = "total" }
//!
//! [waiters.ready]                      # -> `wait_until_ready()` on the getSandbox request builder
//! operation = "getSandbox"
//! field = "phase"                      # JSON property of the success body
//! success = ["Ready"]
//! failure = ["Paused"]                 # states from which `success` cannot follow
//!
//! after = ["createSandbox", "resumeSandbox"]  # the command-line tool's `--wait` on these
//! from_response = { sandbox_id = "id" }  # polled parameter <- property of the trigger's body
//!
//! [waiters.deleted]
//! operation = "getSandbox"
//! success_status = [404]               # the wait ends when the operation answers 404
//! after = ["deleteSandbox"]
//! ```
//!
//! `after` names the operations whose command takes `--wait` for this waiter (one waiter
//! per operation). Each required parameter of the polled operation is taken from the
//! triggering call's parameter of the same name and type, else from the property of its
//! success body that `from_response` names for it (required, same type): never guessed.
//!
//! A list operation with integer `page` and `limit` query parameters whose success body has
//! an `items` array (and, optionally, an integer `total`) paginates without being listed;
//! `pagination` in its `[operations.<id>]` table overrides the names or turns it off.
//!
//! Every error names the file and the dotted key (or line:column for TOML syntax).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::GenerateError;
use crate::ir::{
    Api, BodyEncoding, ClientBehaviour, Field, FieldForm, Operation, Pagination, ParameterLocation,
    Struct, Success, TypeKind, TypeRef, Waiter, WaiterArgument, WaiterState, WaiterTrigger,
};

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `[client]`.
    #[serde(default)]
    pub client: ClientSettings,
    /// `[operations.<operationId>]`.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationSettings>,
    /// `[waiters.<name>]`; the name becomes `wait_until_<name>`.
    #[serde(default)]
    pub waiters: BTreeMap<String, WaiterSettings>,
}

/// `[client]`: settings of the client as a whole.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    /// Response header carrying the server's request id.
    pub request_id_header: Option<String>,
}

/// `[operations.<operationId>]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSettings {
    /// Overrides the HTTP method's idempotency (`true` makes a POST retryable).
    pub idempotent: Option<bool>,
    /// `false` turns detected pagination off; a table names the parameters and fields.
    pub pagination: Option<PaginationSetting>,
}

/// `pagination = false` or `pagination = { ... }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PaginationSetting {
    /// `true` asks for the conventional names, `false` turns pagination off.
    Enabled(bool),
    /// Explicit names.
    Names(PaginationNames),
}

/// The names of a paginated operation's parameters and response fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationNames {
    /// Query parameter with the 1-based page number.
    #[serde(default = "default_page")]
    pub page: String,
    /// Query parameter with the page size, if any.
    pub limit: Option<String>,
    /// Response property with the page's items.
    #[serde(default = "default_items")]
    pub items: String,
    /// Response property with the total item count, if any.
    pub total: Option<String>,
}

fn default_page() -> String {
    "page".to_string()
}

fn default_items() -> String {
    "items".to_string()
}

/// `[waiters.<name>]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterSettings {
    /// The polled operation's `operationId`.
    pub operation: String,
    /// JSON property of the success body holding the state.
    pub field: Option<String>,
    /// States that end the wait successfully.
    #[serde(default)]
    pub success: Vec<String>,
    /// States from which success cannot follow.
    #[serde(default)]
    pub failure: Vec<String>,
    /// Statuses that end the wait successfully (e.g. `404` for "gone").
    #[serde(default)]
    pub success_status: Vec<u16>,
    /// Operations after which the command-line tool's `--wait` runs this waiter.
    #[serde(default)]
    pub after: Vec<String>,
    /// Polled operation's parameter (wire name) -> property of a triggering call's
    /// success body, for parameters no triggering call has.
    #[serde(default)]
    pub from_response: BTreeMap<String, String>,
}

/// Reads and resolves the settings file at `path`; no file means no settings (only
/// detected conventions apply).
///
/// # Errors
/// [`GenerateError::Settings`] naming `path` and the key (or line:column).
pub fn load(path: Option<&Path>, api: &Api) -> Result<ClientBehaviour, GenerateError> {
    let Some(path) = path else {
        return resolve(&Settings::default(), api, "(no settings file)");
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| GenerateError::Settings {
        file: file.clone(),
        key: "(file)".to_string(),
        message: format!("cannot read the settings file: {error}"),
    })?;
    let settings = parse(&text, &file)?;
    resolve(&settings, api, &file)
}

/// Parses settings text; `file` names it in errors.
///
/// # Errors
/// [`GenerateError::Settings`] with the line:column of a syntax or shape error.
pub fn parse(text: &str, file: &str) -> Result<Settings, GenerateError> {
    toml::from_str(text).map_err(|error: toml::de::Error| {
        let key = error
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or_else(|| "(document)".to_string());
        GenerateError::Settings {
            file: file.to_string(),
            key,
            message: error.message().trim().to_string(),
        }
    })
}

fn line_column(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    format!("{line}:{column}")
}

/// Checks `settings` against `api` and merges them with the detected conventions.
///
/// # Errors
/// [`GenerateError::Settings`] when a setting names an operation, parameter, property or
/// state the spec does not have.
pub fn resolve(
    settings: &Settings,
    api: &Api,
    file: &str,
) -> Result<ClientBehaviour, GenerateError> {
    let error = |key: String, message: String| GenerateError::Settings {
        file: file.to_string(),
        key,
        message,
    };
    let mut behaviour = ClientBehaviour {
        request_id_header: match &settings.client.request_id_header {
            Some(name) if http::HeaderName::from_bytes(name.as_bytes()).is_err() => {
                return Err(error(
                    "client.request_id_header".to_string(),
                    format!("{name:?} is not a valid HTTP header name"),
                ));
            }
            Some(name) => Some(name.to_ascii_lowercase()),
            None => None,
        },
        ..ClientBehaviour::default()
    };
    for (operation_id, operation_settings) in &settings.operations {
        let key = format!("operations.{operation_id}");
        if find_operation(api, operation_id).is_none() {
            return Err(error(
                key,
                "the spec has no operation with this operationId".to_string(),
            ));
        }
        if let Some(idempotent) = operation_settings.idempotent {
            behaviour
                .idempotent
                .insert(operation_id.clone(), idempotent);
        }
    }
    for operation in &api.operations {
        let configured = settings
            .operations
            .get(&operation.operation_id)
            .and_then(|settings| settings.pagination.as_ref());
        let key = format!("operations.{}.pagination", operation.operation_id);
        let pagination = match configured {
            Some(PaginationSetting::Enabled(false)) => None,
            None => detect_pagination(api, operation, &conventional_names()).ok(),
            Some(PaginationSetting::Enabled(true)) => Some(
                detect_pagination(api, operation, &conventional_names())
                    .map_err(|message| error(key, message))?,
            ),
            Some(PaginationSetting::Names(names)) => Some(
                detect_pagination(api, operation, names).map_err(|message| error(key, message))?,
            ),
        };
        if let Some(pagination) = pagination {
            behaviour
                .paginations
                .insert(operation.operation_id.clone(), pagination);
        }
    }
    for (name, waiter) in &settings.waiters {
        let key = format!("waiters.{name}");
        behaviour
            .waiters
            .push(
                resolve_waiter(api, name, waiter).map_err(|(suffix, message)| {
                    error(
                        if suffix.is_empty() {
                            key.clone()
                        } else {
                            format!("{key}.{suffix}")
                        },
                        message,
                    )
                })?,
            );
    }
    let mut waited: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, waiter) in &settings.waiters {
        for trigger in &waiter.after {
            if let Some(other) = waited.insert(trigger, name) {
                return Err(error(
                    format!("waiters.{name}.after"),
                    format!(
                        "{trigger} already waits for waiter {other:?}: one waiter per operation"
                    ),
                ));
            }
        }
    }
    Ok(behaviour)
}

/// The operations of `settings.after`, each with where the polled operation's required
/// arguments come from, or the key suffix and message of the first that cannot say.
fn resolve_triggers(
    api: &Api,
    polled: &Operation,
    settings: &WaiterSettings,
) -> Result<Vec<WaiterTrigger>, (String, String)> {
    for parameter in settings.from_response.keys() {
        if !polled
            .parameters
            .iter()
            .any(|p| p.required && &p.name == parameter)
        {
            return Err((
                format!("from_response.{parameter}"),
                format!(
                    "{} has no required parameter {parameter:?}",
                    polled.operation_id
                ),
            ));
        }
    }
    let same_type = |a: &TypeRef, b: &TypeRef| api.resolve_alias(a) == api.resolve_alias(b);
    let mut triggers = Vec::new();
    for operation_id in &settings.after {
        let trigger = find_operation(api, operation_id).ok_or_else(|| {
            (
                "after".to_string(),
                format!("the spec has no operation {operation_id:?}"),
            )
        })?;
        let mut arguments = Vec::new();
        for parameter in polled.parameters.iter().filter(|p| p.required) {
            let own = trigger.parameters.iter().find(|p| {
                p.required && p.name == parameter.name && same_type(&p.ty, &parameter.ty)
            });
            let argument = match (own, settings.from_response.get(&parameter.name)) {
                (Some(own), _) => WaiterArgument::Parameter(own.rust_name.clone()),
                (None, Some(property)) => {
                    let key = format!("from_response.{}", parameter.name);
                    let structure = success_struct(api, trigger)
                        .map_err(|message| (key.clone(), message))?;
                    let field = find_field(structure, property)
                        .filter(|field| {
                            matches!(field.form, FieldForm::Plain) && same_type(&field.ty, &parameter.ty)
                        })
                        .ok_or_else(|| {
                            (
                                key.clone(),
                                format!(
                                    "the success body of {operation_id} has no required, non-null property {property:?} of the type of {}'s {:?}",
                                    polled.operation_id, parameter.name
                                ),
                            )
                        })?;
                    WaiterArgument::Response(field.rust_name.clone())
                }
                (None, None) => {
                    return Err((
                        "after".to_string(),
                        format!(
                            "{operation_id} has no required parameter {:?} of the same type for {}, and `from_response` names no property for it",
                            parameter.name, polled.operation_id
                        ),
                    ))
                }
            };
            arguments.push((parameter.rust_name.clone(), argument));
        }
        triggers.push(WaiterTrigger {
            operation_id: trigger.operation_id.clone(),
            arguments,
        });
    }
    Ok(triggers)
}

fn conventional_names() -> PaginationNames {
    PaginationNames {
        page: default_page(),
        limit: Some("limit".to_string()),
        items: default_items(),
        total: Some("total".to_string()),
    }
}

fn find_operation<'a>(api: &'a Api, operation_id: &str) -> Option<&'a Operation> {
    api.operations
        .iter()
        .find(|operation| operation.operation_id == operation_id)
}

/// The struct a success response body is, looking through aliases.
fn success_struct<'a>(api: &'a Api, operation: &Operation) -> Result<&'a Struct, String> {
    let body = operation
        .responses
        .iter()
        .find(|response| response.is_success() && response.body.is_some())
        .and_then(|response| response.body.as_ref())
        .filter(|body| body.encoding == BodyEncoding::Json)
        .map(|body| &body.ty)
        .ok_or_else(|| {
            format!(
                "{} has no success response with a JSON body",
                operation.operation_id
            )
        })?;
    match api.resolve_alias(body) {
        TypeRef::Named(name) => match api.type_named(name) {
            Some(definition) => match &definition.kind {
                TypeKind::Struct(structure) => Ok(structure),
                _ => Err(format!(
                    "the success body of {} is not an object",
                    operation.operation_id
                )),
            },
            None => Err(format!("unknown type {name}")),
        },
        _ => Err(format!(
            "the success body of {} is not an object",
            operation.operation_id
        )),
    }
}

fn find_field<'a>(structure: &'a Struct, json_name: &str) -> Option<&'a Field> {
    structure
        .fields
        .iter()
        .find(|field| field.json_name == json_name)
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Integer(_))
}

/// Whether `field` is held as `Option<T>` (an absent or `null` value is possible), and
/// refuses `Option<Option<T>>` shapes, which no convention uses.
fn is_optional(field: &Field) -> Result<bool, String> {
    match field.form {
        FieldForm::Plain | FieldForm::Defaulted => Ok(false),
        FieldForm::Optional | FieldForm::RequiredNullable => Ok(true),
        FieldForm::OptionalNullable => Err(format!(
            "property {} is optional and nullable, which is not supported here",
            field.json_name
        )),
    }
}

/// The pagination of `operation` under `names`, or why it does not fit.
fn detect_pagination(
    api: &Api,
    operation: &Operation,
    names: &PaginationNames,
) -> Result<Pagination, String> {
    let query = |name: &str| {
        operation.parameters.iter().find(|parameter| {
            parameter.location == ParameterLocation::Query && parameter.name == name
        })
    };
    let page = query(&names.page)
        .filter(|parameter| !parameter.required && is_integer(api.resolve_alias(&parameter.ty)))
        .ok_or_else(|| format!("no optional integer query parameter {:?}", names.page))?;
    let limit = match &names.limit {
        Some(limit) => Some(
            query(limit)
                .filter(|parameter| {
                    !parameter.required && is_integer(api.resolve_alias(&parameter.ty))
                })
                .ok_or_else(|| format!("no optional integer query parameter {limit:?}"))?,
        ),
        None => None,
    };
    let structure = success_struct(api, operation)?;
    let items = find_field(structure, &names.items)
        .ok_or_else(|| format!("the success body has no property {:?}", names.items))?;
    let TypeRef::Array(item_type) = api.resolve_alias(&items.ty) else {
        return Err(format!("property {:?} is not an array", names.items));
    };
    let total = match &names.total {
        Some(total) => Some(
            find_field(structure, total)
                .filter(|field| is_integer(api.resolve_alias(&field.ty)))
                .ok_or_else(|| format!("the success body has no integer property {total:?}"))?,
        ),
        None => None,
    };
    Ok(Pagination {
        page_parameter: page.rust_name.clone(),
        page_type: api.resolve_alias(&page.ty).clone(),
        limit_parameter: limit.map(|limit| limit.rust_name.clone()),
        items_field: items.rust_name.clone(),
        items_optional: is_optional(items)?,
        item_type: (**item_type).clone(),
        total_field: total.map(|total| total.rust_name.clone()),
        total_optional: match total {
            Some(total) => is_optional(total)?,
            None => false,
        },
    })
}

/// A waiter, or the key suffix (`""`, `field`, `success`, ...) and message of its problem.
fn resolve_waiter(
    api: &Api,
    name: &str,
    settings: &WaiterSettings,
) -> Result<Waiter, (String, String)> {
    let valid_name = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_name {
        return Err((
            String::new(),
            "a waiter name must be snake_case ([a-z][a-z0-9_]*): it becomes `wait_until_<name>`"
                .to_string(),
        ));
    }
    let operation = find_operation(api, &settings.operation).ok_or_else(|| {
        (
            "operation".to_string(),
            format!("the spec has no operation {:?}", settings.operation),
        )
    })?;
    if settings.success.is_empty() && settings.success_status.is_empty() {
        return Err((
            String::new(),
            "a waiter needs `success` states or `success_status` codes".to_string(),
        ));
    }
    if !settings.success.is_empty() && !settings.success_status.is_empty() {
        return Err((
            "success_status".to_string(),
            "a waiter ends on `success` states or on `success_status` codes, not both".to_string(),
        ));
    }
    match (&operation.success, settings.field.is_some()) {
        (Success::Body(_), _) | (Success::Unit, false) => {}
        _ => {
            return Err((
                "operation".to_string(),
                format!(
                    "{} has no single success body to poll",
                    operation.operation_id
                ),
            ))
        }
    }
    if let Some(status) = settings
        .success_status
        .iter()
        .find(|status| !(100..=599).contains(*status))
    {
        return Err((
            "success_status".to_string(),
            format!("{status} is not an HTTP status"),
        ));
    }
    let state = match &settings.field {
        None if settings.success.is_empty() && settings.failure.is_empty() => None,
        None => {
            return Err((
                "field".to_string(),
                "`success`/`failure` states need the `field` that holds them".to_string(),
            ))
        }
        Some(field_name) => {
            let structure =
                success_struct(api, operation).map_err(|message| ("field".to_string(), message))?;
            let field = find_field(structure, field_name).ok_or_else(|| {
                (
                    "field".to_string(),
                    format!(
                        "the success body of {} has no property {field_name:?}",
                        operation.operation_id
                    ),
                )
            })?;
            let allowed = state_values(api, &field.ty).ok_or_else(|| {
                (
                    "field".to_string(),
                    format!("property {field_name:?} is neither a string nor a string enum"),
                )
            })?;
            if let Some(allowed) = &allowed {
                for (key, values) in [
                    ("success", &settings.success),
                    ("failure", &settings.failure),
                ] {
                    if let Some(unknown) = values.iter().find(|value| !allowed.contains(value)) {
                        return Err((
                            key.to_string(),
                            format!(
                                "{unknown:?} is not one of the values of {field_name:?}: {}",
                                allowed.join(", ")
                            ),
                        ));
                    }
                }
            }
            if let Some(both) = settings
                .success
                .iter()
                .find(|value| settings.failure.contains(value))
            {
                return Err((
                    "failure".to_string(),
                    format!("{both:?} is also a success state"),
                ));
            }
            Some(WaiterState {
                field: field.rust_name.clone(),
                json_name: field.json_name.clone(),
                optional: is_optional(field).map_err(|message| ("field".to_string(), message))?,
                success: settings.success.clone(),
                failure: settings.failure.clone(),
            })
        }
    };
    Ok(Waiter {
        method_name: format!("wait_until_{name}"),
        operation_id: operation.operation_id.clone(),
        state,
        success_statuses: settings.success_status.clone(),
        after: resolve_triggers(api, operation, settings)?,
    })
}

/// For a string enum, `Some(its values)`; for a plain string, `Some(None)` (any value);
/// for anything else, `None`.
fn state_values(api: &Api, ty: &TypeRef) -> Option<Option<Vec<String>>> {
    match api.resolve_alias(ty) {
        TypeRef::String => Some(None),
        TypeRef::Named(name) => match &api.type_named(name)?.kind {
            TypeKind::StringEnum(string_enum) => Some(Some(
                string_enum
                    .variants
                    .iter()
                    .map(|variant| variant.value.clone())
                    .collect(),
            )),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = parse("[client]\nrequest_id_header = \n", "codegen.toml").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("codegen.toml: 2:"), "{text}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let error = parse("[client]\nretries = 3\n", "codegen.toml").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("unknown field `retries`"), "{text}");
        assert!(text.starts_with("codegen.toml: 2:1"), "{text}");
    }

    #[test]
    fn pagination_accepts_false_or_names() {
        let settings = parse(
            "[operations.a]\npagination = false\n[operations.b]\npagination = { page = \"p\", items = \"data\" }\n",
            "codegen.toml",
        )
        .unwrap();
        assert!(matches!(
            settings.operations["a"].pagination,
            Some(PaginationSetting::Enabled(false))
        ));
        match &settings.operations["b"].pagination {
            Some(PaginationSetting::Names(names)) => {
                assert_eq!((names.page.as_str(), names.items.as_str()), ("p", "data"));
                assert_eq!(names.total, None);
            }
            other => panic!("{other:?}"),
        }
    }
}
