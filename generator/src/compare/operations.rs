//! Operations: paths, names, parameters, request bodies, responses, security.
//!
//! Operations are matched by HTTP method and path template with parameter names left
//! out (`/sandboxes/{}`), so a renamed path parameter is the same operation; what is
//! left over is matched by `operationId`, which makes a moved path one change instead
//! of a removal and an addition. Parameters are matched by place and name (path
//! parameters by position in the template), so parameters moved from the operation to
//! its path item compare equal.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::{
    media_type_essence, Operation, Parameter, ParameterLocation, ParameterStyle, Response,
    StatusMatch, Success,
};

use super::identity::rust_type;
use super::types::{compare_constraints, compare_type_refs, docs_words, report_type_change};
use super::{escape, quoted, Class, Context};

/// The path template with each `{name}` as `{}`.
fn path_key(path: &str) -> String {
    let mut key = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                key.push('{');
            }
            '}' => {
                in_name = false;
                key.push('}');
            }
            _ if in_name => {}
            _ => key.push(c),
        }
    }
    key
}

fn operation_key(operation: &Operation) -> (String, String) {
    (operation.http_method.clone(), path_key(&operation.path))
}

/// The path item's pointer, `#/paths/<path>`.
fn path_pointer(path: &str) -> String {
    format!("#/paths/{}", escape(path))
}

/// The spec's own `operationId`, or `None` when the normaliser made one from method
/// and path (`get /pets`).
fn explicit_id(operation: &Operation) -> Option<&str> {
    let made = format!(
        "{} {}",
        operation.http_method.to_ascii_lowercase(),
        operation.path
    );
    (operation.operation_id != made).then_some(operation.operation_id.as_str())
}

fn method_item(operation: &Operation) -> String {
    format!("Client::{}", operation.method_name)
}

/// Compares every operation.
pub(crate) fn compare(context: &mut Context<'_>) {
    let old_ops = &context.old.api.operations;
    let new_ops = &context.new.api.operations;
    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    let mut matched_old = BTreeSet::new();
    let mut matched_new = BTreeSet::new();
    // An index, not a scan: 10,000 operations must compare in linear time.
    let mut old_by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (old_index, old) in old_ops.iter().enumerate() {
        old_by_key.entry(operation_key(old)).or_insert(old_index);
    }
    for (new_index, new) in new_ops.iter().enumerate() {
        if let Some(&old_index) = old_by_key.get(&operation_key(new)) {
            if matched_old.insert(old_index) {
                matched_new.insert(new_index);
                pairs.push((&old_ops[old_index], new));
            }
        }
    }
    // Moved: an operation whose path changed but whose explicit operationId did not.
    for (new_index, new) in new_ops.iter().enumerate() {
        if matched_new.contains(&new_index) {
            continue;
        }
        let Some(id) = explicit_id(new) else { continue };
        if let Some(old_index) = old_ops.iter().enumerate().position(|(index, old)| {
            !matched_old.contains(&index)
                && explicit_id(old) == Some(id)
                && old.http_method == new.http_method
        }) {
            matched_old.insert(old_index);
            matched_new.insert(new_index);
            pairs.push((&old_ops[old_index], new));
        }
    }
    added_and_removed(context, &matched_old, &matched_new);
    path_changes(context, &pairs);
    security(context, &pairs);
    for (old, new) in pairs {
        compare_operation(context, old, new);
    }
}

/// Operations added or removed: one change per operation, or one per path item when
/// the whole path is new or gone.
fn added_and_removed(
    context: &mut Context<'_>,
    matched_old: &BTreeSet<usize>,
    matched_new: &BTreeSet<usize>,
) {
    let old_ops = &context.old.api.operations;
    let new_ops = &context.new.api.operations;
    let old_paths: BTreeSet<String> = old_ops.iter().map(|op| path_key(&op.path)).collect();
    let new_paths: BTreeSet<String> = new_ops.iter().map(|op| path_key(&op.path)).collect();
    let mut changes = Vec::new();
    // Why additive: a new method on `Client`; nothing that compiled calls it.
    let mut added_paths: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for (index, operation) in new_ops.iter().enumerate() {
        if matched_new.contains(&index) {
            continue;
        }
        if old_paths.contains(&path_key(&operation.path)) {
            changes.push((
                Class::Additive,
                operation.origin.clone(),
                format!(
                    "operation `{} {}` added",
                    operation.http_method, operation.path
                ),
                vec![method_item(operation)],
            ));
        } else {
            added_paths
                .entry(&operation.path)
                .or_default()
                .push(operation);
        }
    }
    for (path, operations) in added_paths {
        let methods: Vec<&str> = operations
            .iter()
            .map(|op| op.http_method.as_str())
            .collect();
        changes.push((
            Class::Additive,
            path_pointer(path),
            format!("path `{path}` added with {}", methods.join(", ")),
            operations.iter().map(|op| method_item(op)).collect(),
        ));
    }
    // Why breaking-wire: clients that call it get 404 or 405.
    let mut removed_paths: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for (index, operation) in old_ops.iter().enumerate() {
        if matched_old.contains(&index) {
            continue;
        }
        if new_paths.contains(&path_key(&operation.path)) {
            changes.push((
                Class::BreakingWire,
                operation.origin.clone(),
                format!(
                    "operation `{} {}` removed",
                    operation.http_method, operation.path
                ),
                vec![method_item(operation)],
            ));
        } else {
            removed_paths
                .entry(&operation.path)
                .or_default()
                .push(operation);
        }
    }
    for (path, operations) in removed_paths {
        let methods: Vec<&str> = operations
            .iter()
            .map(|op| op.http_method.as_str())
            .collect();
        changes.push((
            Class::BreakingWire,
            path_pointer(path),
            format!("path `{path}` removed with {}", methods.join(", ")),
            operations.iter().map(|op| method_item(op)).collect(),
        ));
    }
    for (class, pointer, what, items) in changes {
        context.push(class, &pointer, what, items);
    }
}

/// Paths renamed (one change per old and new path) and path parameters renamed.
fn path_changes(context: &mut Context<'_>, pairs: &[(&Operation, &Operation)]) {
    let mut moved: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for (old, new) in pairs {
        if old.path != new.path {
            moved
                .entry((old.path.as_str(), new.path.as_str()))
                .or_default()
                .push(method_item(new));
        }
    }
    for ((old_path, new_path), items) in moved {
        if path_key(old_path) == path_key(new_path) {
            // Why docs: the URL is the same and path parameters are positional
            // arguments, so neither the wire nor any caller sees the new names.
            context.push(
                Class::Docs,
                &path_pointer(new_path),
                format!("path parameters renamed: `{old_path}` is now `{new_path}`; the URLs are the same"),
                items,
            );
        } else {
            // Why breaking-wire: clients calling the old path get 404.
            context.push(
                Class::BreakingWire,
                &path_pointer(new_path),
                format!("path renamed from `{old_path}`"),
                items,
            );
        }
    }
}

/// An operation's effective security requirements, from the untyped document: its own
/// `security`, else the document's. Each requirement as `scheme[scopes]+...`; `None`
/// in the set (an empty requirement `{}`) means anonymous calls are allowed.
fn effective_security(tree: &Value, operation: &Operation) -> (bool, BTreeSet<Option<String>>) {
    let own = tree
        .pointer(operation.origin.trim_start_matches('#'))
        .and_then(|op| op.get("security"));
    let explicit = own.is_some();
    let requirements = own.or_else(|| tree.get("security"));
    let mut set = BTreeSet::new();
    if let Some(Value::Array(list)) = requirements {
        for requirement in list {
            let Value::Object(schemes) = requirement else {
                continue;
            };
            if schemes.is_empty() {
                set.insert(None);
                continue;
            }
            let mut parts: Vec<String> = schemes
                .iter()
                .map(|(name, scopes)| {
                    let scopes: Vec<String> = scopes
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    if scopes.is_empty() {
                        name.clone()
                    } else {
                        format!("{name}[{}]", scopes.join(","))
                    }
                })
                .collect();
            parts.sort();
            set.insert(Some(parts.join("+")));
        }
    }
    (explicit, set)
}

fn security_words(set: &BTreeSet<Option<String>>) -> String {
    if set.is_empty() {
        return "none".to_owned();
    }
    set.iter()
        .map(|requirement| {
            requirement
                .clone()
                .unwrap_or_else(|| "anonymous".to_owned())
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Security requirements of matched operations: at the operation when it states its
/// own, else once at `#/security` for every operation that inherits the document's.
fn security(context: &mut Context<'_>, pairs: &[(&Operation, &Operation)]) {
    let mut inherited: Vec<String> = Vec::new();
    let mut inherited_change = None;
    for (old, new) in pairs {
        let (old_explicit, old_set) = effective_security(&context.old.tree, old);
        let (new_explicit, new_set) = effective_security(&context.new.tree, new);
        if old_set == new_set {
            continue;
        }
        let anonymous = |set: &BTreeSet<Option<String>>| set.is_empty() || set.contains(&None);
        let (class, what) = match (anonymous(&old_set), anonymous(&new_set)) {
            // Why breaking-wire: calls without credentials are now refused.
            (true, false) => (
                Class::BreakingWire,
                format!("security added: {}", security_words(&new_set)),
            ),
            // Why additive: calls with credentials still work; calls without them now
            // work too.
            (false, true) => (
                Class::Additive,
                format!(
                    "security no longer required (was {})",
                    security_words(&old_set)
                ),
            ),
            // Why breaking-wire: the credentials a client sends may no longer be
            // accepted.
            _ => (
                Class::BreakingWire,
                format!(
                    "security changes from {} to {}",
                    security_words(&old_set),
                    security_words(&new_set)
                ),
            ),
        };
        if old_explicit || new_explicit {
            context.push(class, &new.origin, what, vec![method_item(new)]);
        } else {
            inherited.push(method_item(new));
            inherited_change.get_or_insert((class, what));
        }
    }
    if let Some((class, what)) = inherited_change {
        context.push(class, "#/security", what, inherited);
    }
}

fn compare_operation(context: &mut Context<'_>, old: &Operation, new: &Operation) {
    let pointer = new.origin.clone();
    let method = method_item(new);
    let before = context.changes.len();
    if old.method_name != new.method_name || old.type_name != new.type_name {
        // Why breaking-rust: the wire is the same; the method and the types named
        // after the operation are renamed.
        let what = match (explicit_id(old), explicit_id(new)) {
            (None, Some(id)) => {
                format!("operationId `{id}` added where there was none; the Rust names change")
            }
            (Some(id), None) => {
                format!("operationId `{id}` removed; the Rust names now come from method and path")
            }
            _ => format!(
                "operationId renamed from `{}` to `{}`",
                old.operation_id, new.operation_id
            ),
        };
        context.push(
            Class::BreakingRust,
            &pointer,
            what,
            vec![
                format!("{} -> {method}", method_item(old)),
                format!(
                    "operations::{} -> operations::{}",
                    old.type_name, new.type_name
                ),
                format!(
                    "errors::{}Error -> errors::{}Error",
                    old.type_name, new.type_name
                ),
            ],
        );
    } else if old.operation_id != new.operation_id {
        // Same Rust names: only the docs and `Operation::OPERATION_ID` say it.
        context.push(
            Class::Docs,
            &pointer,
            format!(
                "operationId changes from `{}` to `{}`; the Rust names stay",
                old.operation_id, new.operation_id
            ),
            vec![method.clone()],
        );
    }
    if old.summary != new.summary {
        context.push(
            Class::Docs,
            &pointer,
            docs_words("summary", old.summary.as_deref(), new.summary.as_deref()),
            vec![method.clone()],
        );
    }
    if old.description != new.description {
        context.push(
            Class::Docs,
            &pointer,
            docs_words(
                "description",
                old.description.as_deref(),
                new.description.as_deref(),
            ),
            vec![method.clone()],
        );
    }
    if old.deprecated != new.deprecated {
        // Why additive: a deprecation warns, it does not stop a build (semver calls a
        // deprecation a minor change).
        context.push(
            Class::Additive,
            &pointer,
            if new.deprecated {
                "deprecated".to_owned()
            } else {
                "no longer deprecated".to_owned()
            },
            vec![method.clone()],
        );
    }
    if old.area != new.area {
        // Why breaking-rust: code that enables only the old feature loses the method.
        context.push(
            Class::BreakingRust,
            &pointer,
            format!(
                "moves from Cargo feature {} to {}",
                old.area
                    .as_deref()
                    .map_or("(none)".to_owned(), |a| format!("`{a}`")),
                new.area
                    .as_deref()
                    .map_or("(none)".to_owned(), |a| format!("`{a}`"))
            ),
            vec![method.clone()],
        );
    } else if old.tag != new.tag {
        context.push(
            Class::Docs,
            &pointer,
            format!(
                "tag changes from {} to {}",
                old.tag
                    .as_deref()
                    .map_or("none".to_owned(), |t| format!("`{t}`")),
                new.tag
                    .as_deref()
                    .map_or("none".to_owned(), |t| format!("`{t}`"))
            ),
            vec![method.clone()],
        );
    }
    compare_parameters(context, old, new);
    compare_body(context, old, new);
    compare_responses(context, old, new);
    if context.changes.len() == before && !same_operation(context, old, new) {
        context.push(
            Class::BreakingRust,
            &pointer,
            "unclassified: the operation changed in a way no rule describes".to_owned(),
            vec![method],
        );
    }
}

/// Whether the operations are the same once names are mapped, leaving out what the
/// rules compare in their own terms (pointers, docs, path parameter names).
fn same_operation(context: &Context<'_>, old: &Operation, new: &Operation) -> bool {
    let normalise = |operation: &Operation, map: bool| {
        let mut operation = operation.clone();
        let ty = |ty: &crate::ir::TypeRef| {
            if map {
                context.types.map(ty)
            } else {
                ty.clone()
            }
        };
        // Where it is, and the names of its path parameters, are `path_changes`' to say.
        operation.origin.clear();
        operation.path.clear();
        operation.path_segments.clear();
        for parameter in &mut operation.parameters {
            parameter.ty = ty(&parameter.ty);
            if parameter.location == ParameterLocation::Path {
                parameter.name.clear();
                parameter.rust_name.clear();
            }
        }
        // Optional parameters are setters, in no order; required ones are arguments,
        // whose order `compare_parameters` checks.
        operation
            .parameters
            .sort_by(|a, b| (a.location as u8, &a.name).cmp(&(b.location as u8, &b.name)));
        if let Some(body) = &mut operation.body {
            body.ty = ty(&body.ty);
            for variant in body
                .body_enum
                .iter_mut()
                .flat_map(|body_enum| &mut body_enum.variants)
            {
                variant.ty = ty(&variant.ty);
            }
        }
        for response in &mut operation.responses {
            if let Some(body) = &mut response.body {
                body.ty = ty(&body.ty);
            }
            for header in &mut response.headers {
                header.ty = ty(&header.ty);
            }
            response.event_stream = response.event_stream.as_ref().map(ty);
        }
        if let Success::Body(body) = &mut operation.success {
            body.ty = ty(&body.ty);
        }
        if let Some(headers) = &mut operation.headers {
            for header in &mut headers.headers {
                header.ty = ty(&header.ty);
            }
        }
        operation.event_stream = operation.event_stream.as_ref().map(ty);
        operation
    };
    normalise(old, true) == normalise(new, false)
}

fn location_words(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// How a parameter is matched: path parameters by position in the template (their
/// names are not on the wire), others by place and name (header names case-blind).
fn parameter_key(operation: &Operation, parameter: &Parameter) -> String {
    match parameter.location {
        ParameterLocation::Path => {
            let position = operation
                .path_segments
                .iter()
                .flat_map(|segment| segment.parameters())
                .position(|name| name == parameter.name)
                .unwrap_or(usize::MAX);
            format!("path#{position}")
        }
        ParameterLocation::Header => format!("header:{}", parameter.name.to_ascii_lowercase()),
        location => format!("{}:{}", location_words(location), parameter.name),
    }
}

/// Where a parameter is declared: `.../<method>/parameters/<i>` or
/// `#/paths/<path>/parameters/<i>`, looked up in the untyped document (through a
/// `$ref` to `#/components/parameters`); the operation's `parameters` otherwise.
fn parameter_pointer(tree: &Value, operation: &Operation, parameter: &Parameter) -> String {
    let matches = |declared: &Value| {
        let declared = match declared.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|pointer| tree.pointer(pointer))
                .unwrap_or(declared),
            None => declared,
        };
        declared.get("name").and_then(Value::as_str) == Some(parameter.name.as_str())
            && declared.get("in").and_then(Value::as_str)
                == Some(location_words(parameter.location))
    };
    let operation_pointer = operation.origin.clone();
    let path_item_pointer = operation_pointer
        .rsplit_once('/')
        .map_or(String::new(), |(item, _)| item.to_owned());
    for owner in [&operation_pointer, &path_item_pointer] {
        let list = tree
            .pointer(owner.trim_start_matches('#'))
            .and_then(|value| value.get("parameters"))
            .and_then(Value::as_array);
        if let Some(index) = list.and_then(|list| list.iter().position(&matches)) {
            return format!("{owner}/parameters/{index}");
        }
    }
    format!("{operation_pointer}/parameters")
}

fn setter_item(operation: &Operation, parameter: &Parameter) -> String {
    format!("Request<{}>::{}", operation.type_name, parameter.rust_name)
}

fn style_words(style: ParameterStyle) -> String {
    match style {
        ParameterStyle::Form { explode } => format!("form (explode: {explode})"),
        ParameterStyle::Simple { explode } => format!("simple (explode: {explode})"),
        ParameterStyle::Label { explode } => format!("label (explode: {explode})"),
        ParameterStyle::Matrix { explode } => format!("matrix (explode: {explode})"),
        ParameterStyle::SpaceDelimited => "spaceDelimited".to_owned(),
        ParameterStyle::PipeDelimited => "pipeDelimited".to_owned(),
        ParameterStyle::DeepObject => "deepObject".to_owned(),
        ParameterStyle::Json => "JSON content".to_owned(),
    }
}

/// The client method's arguments, by parameter key (and `body`).
fn arguments(operation: &Operation) -> Vec<String> {
    let mut list: Vec<String> = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.required)
        .map(|parameter| parameter_key(operation, parameter))
        .collect();
    if operation.body.as_ref().is_some_and(|body| body.required) {
        list.push("body".to_owned());
    }
    list
}

fn compare_parameters(context: &mut Context<'_>, old: &Operation, new: &Operation) {
    let method = method_item(new);
    for parameter in &new.parameters {
        let key = parameter_key(new, parameter);
        let pointer = parameter_pointer(&context.new.tree, new, parameter);
        let place = location_words(parameter.location);
        let Some(old_parameter) = old.parameters.iter().find(|p| parameter_key(old, p) == key)
        else {
            if parameter.required {
                // Why breaking-wire: requests of existing clients lack it.
                context.push(
                    Class::BreakingWire,
                    &pointer,
                    format!("required {place} parameter `{}` added", parameter.name),
                    vec![method.clone()],
                );
            } else {
                // Why additive: a new setter on the request builder.
                context.push(
                    Class::Additive,
                    &pointer,
                    format!("optional {place} parameter `{}` added", parameter.name),
                    vec![setter_item(new, parameter)],
                );
            }
            continue;
        };
        compare_parameter(context, (old, old_parameter), (new, parameter), &pointer);
    }
    for parameter in &old.parameters {
        let key = parameter_key(old, parameter);
        if new.parameters.iter().any(|p| parameter_key(new, p) == key) {
            continue;
        }
        // Why breaking-rust: servers ignore a parameter they no longer define, so
        // requests still work, but the argument or setter is gone.
        let item = if parameter.required {
            method_item(new)
        } else {
            setter_item(old, parameter)
        };
        context.push(
            Class::BreakingRust,
            &format!("{}/parameters", new.origin),
            format!(
                "{} parameter `{}` removed",
                location_words(parameter.location),
                parameter.name
            ),
            vec![item],
        );
    }
    let (old_arguments, new_arguments) = (arguments(old), arguments(new));
    let mut old_sorted = old_arguments.clone();
    old_sorted.sort();
    let mut new_sorted = new_arguments.clone();
    new_sorted.sort();
    if old_arguments != new_arguments && old_sorted == new_sorted {
        // Why breaking-rust: the same arguments in another order compile only when
        // their types agree, and then send the values to the wrong places.
        context.push(
            Class::BreakingRust,
            &format!("{}/parameters", new.origin),
            "the method's arguments are reordered".to_owned(),
            vec![method],
        );
    }
}

fn compare_parameter(
    context: &mut Context<'_>,
    (old_operation, old): (&Operation, &Parameter),
    (new_operation, new): (&Operation, &Parameter),
    pointer: &str,
) {
    let before = context.changes.len();
    let subject = format!("{} parameter `{}`", location_words(new.location), new.name);
    let item = if new.required {
        method_item(new_operation)
    } else {
        setter_item(new_operation, new)
    };
    if old.required != new.required {
        if new.required {
            // Why breaking-wire: requests without it are refused.
            context.push(
                Class::BreakingWire,
                pointer,
                format!("{subject} becomes required"),
                vec![method_item(new_operation), setter_item(old_operation, old)],
            );
        } else {
            // Why breaking-rust: the wire accepts what it did; the argument becomes a
            // setter.
            context.push(
                Class::BreakingRust,
                pointer,
                format!("{subject} becomes optional: an argument of the method becomes a setter"),
                vec![method_item(new_operation), setter_item(new_operation, new)],
            );
        }
    }
    let verdict = compare_type_refs(context, &old.ty, &new.ty);
    report_type_change(context, verdict, pointer, &subject, vec![item.clone()]);
    if old.style != new.style {
        // Why breaking-wire: the same value is spelled otherwise in the URL or header.
        context.push(
            Class::BreakingWire,
            pointer,
            format!(
                "{subject} is serialised as {} instead of {}",
                style_words(new.style),
                style_words(old.style)
            ),
            vec![item.clone()],
        );
    }
    if old.default != new.default {
        // Why breaking-wire: the server applies the default to requests that leave the
        // parameter out, so those requests change meaning.
        context.push(
            Class::BreakingWire,
            pointer,
            format!(
                "{subject}: default changes from {} to {}",
                quoted(old.default.as_ref()),
                quoted(new.default.as_ref())
            ),
            vec![item.clone()],
        );
    }
    compare_constraints(
        context,
        &old.constraints,
        &new.constraints,
        pointer,
        vec![item.clone()],
        true,
    );
    if old.rust_name != new.rust_name && new.location != ParameterLocation::Path {
        if new.required {
            // Arguments are positional: only the docs show the name.
            context.push(
                Class::Docs,
                pointer,
                format!(
                    "{subject}: argument renamed from `{}` to `{}`",
                    old.rust_name, new.rust_name
                ),
                vec![item.clone()],
            );
        } else {
            context.push(
                Class::BreakingRust,
                pointer,
                format!(
                    "{subject}: setter renamed from `{}` to `{}`",
                    old.rust_name, new.rust_name
                ),
                vec![format!("{} -> {item}", setter_item(old_operation, old))],
            );
        }
    }
    if old.docs != new.docs {
        context.push(
            Class::Docs,
            pointer,
            docs_words(
                &format!("{subject}: description"),
                old.docs.as_deref(),
                new.docs.as_deref(),
            ),
            vec![item.clone()],
        );
    }
    if old.secret != new.secret {
        context.push(
            Class::Docs,
            pointer,
            format!(
                "{subject} is now {} Debug output",
                if new.secret {
                    "kept out of"
                } else {
                    "shown in"
                }
            ),
            vec![item.clone()],
        );
    }
    if context.changes.len() == before {
        let mut mapped = old.clone();
        mapped.ty = context.types.map(&old.ty);
        let mut new_copy = new.clone();
        if new.location == ParameterLocation::Path {
            // A path parameter's name is not on the wire (see `path_changes`).
            mapped.name.clear();
            mapped.rust_name.clear();
            new_copy.name.clear();
            new_copy.rust_name.clear();
        }
        if mapped != new_copy {
            context.push(
                Class::BreakingRust,
                pointer,
                format!("unclassified: {subject} changed in a way no rule describes"),
                vec![item],
            );
        }
    }
}

fn compare_body(context: &mut Context<'_>, old_operation: &Operation, new_operation: &Operation) {
    let pointer = format!("{}/requestBody", new_operation.origin);
    let method = method_item(new_operation);
    match (&old_operation.body, &new_operation.body) {
        (None, None) => {}
        (None, Some(body)) => {
            if body.required {
                // Why breaking-wire: requests of existing clients lack it.
                context.push(
                    Class::BreakingWire,
                    &pointer,
                    "required request body added".to_owned(),
                    vec![method],
                );
            } else {
                context.push(
                    Class::Additive,
                    &pointer,
                    "optional request body added".to_owned(),
                    vec![method],
                );
            }
        }
        (Some(_), None) => {
            // Why breaking-rust: the server no longer reads it; the argument or setter
            // is gone.
            context.push(
                Class::BreakingRust,
                &pointer,
                "request body removed".to_owned(),
                vec![method],
            );
        }
        (Some(old), Some(new)) => {
            let before = context.changes.len();
            if old.required != new.required {
                if new.required {
                    // Why breaking-wire: requests without a body are refused.
                    context.push(
                        Class::BreakingWire,
                        &pointer,
                        "request body becomes required".to_owned(),
                        vec![method.clone()],
                    );
                } else {
                    // Why breaking-rust: the wire accepts what it did; the body moves
                    // from the method's arguments to a setter.
                    context.push(
                        Class::BreakingRust,
                        &pointer,
                        "request body becomes optional: an argument of the method becomes a setter"
                            .to_owned(),
                        vec![method.clone()],
                    );
                }
            }
            if media_type_essence(&old.media_type) != media_type_essence(&new.media_type) {
                context.push(
                    Class::BreakingWire,
                    &pointer,
                    format!(
                        "request body media type changes from `{}` to `{}`",
                        old.media_type, new.media_type
                    ),
                    vec![method.clone()],
                );
            }
            let verdict = compare_type_refs(context, &old.ty, &new.ty);
            report_type_change(
                context,
                verdict,
                &pointer,
                "request body",
                vec![method.clone()],
            );
            if old.body_enum.is_some() != new.body_enum.is_some() {
                // Why breaking-rust: the wire takes what it did, but the body's Rust
                // form changes between one type with `body_media_type` and an enum of
                // media types with different schemas.
                let words = if new.body_enum.is_some() {
                    "request body becomes an enum, one variant per media type (their schemas now differ)"
                } else {
                    "request body is one type again (its media types now share a schema)"
                };
                context.push(
                    Class::BreakingRust,
                    &pointer,
                    words.to_owned(),
                    vec![method.clone()],
                );
            }
            // Media types the caller can choose besides the default: alternatives of
            // one schema, or the body enum's other variants.
            let alternatives = |body: &crate::ir::RequestBody| -> BTreeSet<String> {
                let variants = body
                    .body_enum
                    .iter()
                    .flat_map(|body_enum| body_enum.variants.iter().skip(1))
                    .map(|variant| &variant.media_type);
                body.alternatives
                    .iter()
                    .map(|alternative| &alternative.media_type)
                    .chain(variants)
                    .map(|media_type| media_type_essence(media_type))
                    .collect()
            };
            let (old_alternatives, new_alternatives) = (alternatives(old), alternatives(new));
            for added in new_alternatives.difference(&old_alternatives) {
                context.push(
                    Class::Additive,
                    &pointer,
                    format!("request body can also be sent as `{added}`"),
                    vec![method.clone()],
                );
            }
            for removed in old_alternatives.difference(&new_alternatives) {
                context.push(
                    Class::BreakingRust,
                    &pointer,
                    format!("request body can no longer be sent as `{removed}`"),
                    vec![method.clone()],
                );
            }
            if old.docs != new.docs {
                context.push(
                    Class::Docs,
                    &pointer,
                    docs_words(
                        "request body description",
                        old.docs.as_deref(),
                        new.docs.as_deref(),
                    ),
                    vec![method.clone()],
                );
            }
            if context.changes.len() == before {
                let mut mapped = old.clone();
                mapped.ty = context.types.map(&old.ty);
                for variant in mapped
                    .body_enum
                    .iter_mut()
                    .flat_map(|body_enum| &mut body_enum.variants)
                {
                    variant.ty = context.types.map(&variant.ty);
                }
                if mapped != *new {
                    context.push(
                        Class::BreakingRust,
                        &pointer,
                        "unclassified: the request body changed in a way no rule describes"
                            .to_owned(),
                        vec![method],
                    );
                }
            }
        }
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

fn error_item(operation: &Operation, response: &Response) -> String {
    format!(
        "errors::{}Error::{}",
        operation.type_name, response.variant_name
    )
}

/// The media types a response offers, from the untyped document (the IR keeps the one
/// the client reads).
fn response_media_types(
    tree: &Value,
    operation: &Operation,
    status: StatusMatch,
) -> BTreeSet<String> {
    let response = tree
        .pointer(operation.origin.trim_start_matches('#'))
        .and_then(|op| op.get("responses"))
        .and_then(|responses| responses.get(status_text(status)));
    let response = match response.and_then(|r| r.get("$ref")).and_then(Value::as_str) {
        Some(reference) => reference.strip_prefix('#').and_then(|p| tree.pointer(p)),
        None => response,
    };
    response
        .and_then(|r| r.get("content"))
        .and_then(Value::as_object)
        .map(|content| content.keys().map(|key| media_type_essence(key)).collect())
        .unwrap_or_default()
}

fn success_type(operation: &Operation) -> String {
    match &operation.success {
        Success::Unit => "()".to_owned(),
        Success::Headers => operation
            .headers
            .as_ref()
            .map_or_else(|| "()".to_owned(), |headers| headers.type_name.clone()),
        Success::Body(body) => rust_type(&body.ty),
        Success::Outcomes { type_name } => type_name.clone(),
    }
}

fn compare_responses(context: &mut Context<'_>, old_op: &Operation, new_op: &Operation) {
    let method = method_item(new_op);
    let responses_pointer = format!("{}/responses", new_op.origin);
    let find = |operation: &Operation, status| {
        operation
            .responses
            .iter()
            .find(|response| response.status == status)
            .cloned()
    };
    let removed_success: Vec<&Response> = old_op
        .responses
        .iter()
        .filter(|r| r.is_success() && find(new_op, r.status).is_none())
        .collect();
    let added_success: Vec<&Response> = new_op
        .responses
        .iter()
        .filter(|r| r.is_success() && find(old_op, r.status).is_none())
        .collect();
    let list = |responses: &[&Response]| {
        responses
            .iter()
            .map(|r| status_text(r.status))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !removed_success.is_empty() && !added_success.is_empty() {
        // Why breaking-wire: the status an existing client expects on success is no
        // longer returned.
        context.push(
            Class::BreakingWire,
            &responses_pointer,
            format!(
                "success status {} replaced by {}",
                list(&removed_success),
                list(&added_success)
            ),
            vec![method.clone()],
        );
    } else if !removed_success.is_empty() {
        context.push(
            Class::BreakingWire,
            &responses_pointer,
            format!(
                "success status {} no longer returned",
                list(&removed_success)
            ),
            vec![method.clone()],
        );
    } else {
        // Why additive: the client decodes any documented success; a new one is
        // something more the server may answer.
        for response in &added_success {
            context.push(
                Class::Additive,
                &format!("{responses_pointer}/{}", status_text(response.status)),
                format!("success status {} added", status_text(response.status)),
                vec![method.clone()],
            );
        }
    }
    for response in new_op.responses.iter().filter(|r| !r.is_success()) {
        if find(old_op, response.status).is_none() {
            // Why additive: one more variant of a `#[non_exhaustive]` error enum.
            context.push(
                Class::Additive,
                &format!("{responses_pointer}/{}", status_text(response.status)),
                format!("error status {} documented", status_text(response.status)),
                vec![error_item(new_op, response)],
            );
        }
    }
    for response in old_op.responses.iter().filter(|r| !r.is_success()) {
        if find(new_op, response.status).is_none() {
            // Why breaking-rust: the server may still answer it (as an undocumented
            // status), but the error variant is gone.
            context.push(
                Class::BreakingRust,
                &responses_pointer,
                format!(
                    "error status {} no longer documented",
                    status_text(response.status)
                ),
                vec![error_item(old_op, response)],
            );
        }
    }
    for new in &new_op.responses {
        if let Some(old) = find(old_op, new.status) {
            compare_response(context, (old_op, &old), (new_op, new));
        }
    }
    let (old_success, new_success) = (success_type(old_op), success_type(new_op));
    let kind = |success: &Success| std::mem::discriminant(success);
    let outcome_renamed = matches!(
        (&old_op.success, &new_op.success),
        (Success::Outcomes { type_name: a }, Success::Outcomes { type_name: b }) if a != b
    );
    if kind(&old_op.success) != kind(&new_op.success) || outcome_renamed {
        // Why breaking-rust: code that uses what the method returns does not compile
        // against another type.
        context.push(
            Class::BreakingRust,
            &responses_pointer,
            format!("the method returns `{new_success}` instead of `{old_success}`"),
            vec![method],
        );
    }
}

fn compare_response(
    context: &mut Context<'_>,
    (old_op, old): (&Operation, &Response),
    (new_op, new): (&Operation, &Response),
) {
    let pointer = format!("{}/responses/{}", new_op.origin, status_text(new.status));
    let item = if new.is_success() {
        method_item(new_op)
    } else {
        error_item(new_op, new)
    };
    let before = context.changes.len();
    if old.description != new.description {
        context.push(
            Class::Docs,
            &pointer,
            "description changed".to_owned(),
            vec![item.clone()],
        );
    }
    match (&old.body, &new.body) {
        (Some(a), Some(b)) => {
            if media_type_essence(&a.media_type) != media_type_essence(&b.media_type) {
                context.push(
                    Class::BreakingWire,
                    &pointer,
                    format!(
                        "media type changes from `{}` to `{}`",
                        a.media_type, b.media_type
                    ),
                    vec![item.clone()],
                );
            }
            let verdict = compare_type_refs(context, &a.ty, &b.ty);
            report_type_change(
                context,
                verdict,
                &pointer,
                "response body",
                vec![item.clone()],
            );
        }
        (None, Some(_)) if new.is_success() => {
            // The method's return type change is reported once, at `responses`, when
            // it changes; a body where there was none adds data old clients ignore.
            context.push(
                Class::Additive,
                &pointer,
                "response body added".to_owned(),
                vec![item.clone()],
            );
        }
        (Some(_), None) if new.is_success() => {
            // Why breaking-wire: clients that read the body no longer get one.
            context.push(
                Class::BreakingWire,
                &pointer,
                "response body removed".to_owned(),
                vec![item.clone()],
            );
        }
        (None, Some(_)) => {
            context.push(
                Class::BreakingRust,
                &pointer,
                "error body added; the variant now holds it".to_owned(),
                vec![item.clone()],
            );
        }
        (Some(_), None) => {
            context.push(
                Class::BreakingRust,
                &pointer,
                "error body removed; the variant no longer holds it".to_owned(),
                vec![item.clone()],
            );
        }
        (None, None) => {}
    }
    let (old_types, new_types) = (
        response_media_types(&context.old.tree, old_op, old.status),
        response_media_types(&context.new.tree, new_op, new.status),
    );
    for added in new_types.difference(&old_types) {
        // Why additive: the client asks for the type it reads; one more on offer
        // changes nothing for it.
        context.push(
            Class::Additive,
            &pointer,
            format!("media type `{added}` added"),
            vec![item.clone()],
        );
    }
    for removed in old_types.difference(&new_types) {
        let read = old
            .body
            .as_ref()
            .is_some_and(|body| media_type_essence(&body.media_type) == *removed);
        if !read {
            context.push(
                Class::BreakingWire,
                &pointer,
                format!("media type `{removed}` removed"),
                vec![item.clone()],
            );
        }
    }
    if old.variant_name != new.variant_name && !new.is_success() {
        context.push(
            Class::BreakingRust,
            &pointer,
            format!(
                "error variant renamed from `{}` to `{}`",
                old.variant_name, new.variant_name
            ),
            vec![format!("{} -> {item}", error_item(old_op, old))],
        );
    }
    for header in &new.headers {
        match old
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(&header.name))
        {
            None => context.push(
                Class::Additive,
                &pointer,
                format!("response header `{}` documented", header.name),
                vec![item.clone()],
            ),
            Some(old_header) => {
                let verdict = compare_type_refs(context, &old_header.ty, &header.ty);
                report_type_change(
                    context,
                    verdict,
                    &pointer,
                    &format!("response header `{}`", header.name),
                    vec![item.clone()],
                );
                if old_header.required != header.required {
                    // Why: a header that may now be missing breaks readers that
                    // required it; one now always present breaks nobody but changes
                    // its Rust type.
                    let class = if header.required {
                        Class::BreakingRust
                    } else {
                        Class::BreakingWire
                    };
                    context.push(
                        class,
                        &pointer,
                        format!(
                            "response header `{}` becomes {}",
                            header.name,
                            if header.required {
                                "required"
                            } else {
                                "optional"
                            }
                        ),
                        vec![item.clone()],
                    );
                }
                if old_header.docs != header.docs {
                    context.push(
                        Class::Docs,
                        &pointer,
                        format!("response header `{}`: description changed", header.name),
                        vec![item.clone()],
                    );
                }
            }
        }
    }
    for header in &old.headers {
        if !new
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(&header.name))
        {
            context.push(
                Class::BreakingRust,
                &pointer,
                format!("response header `{}` no longer documented", header.name),
                vec![item.clone()],
            );
        }
    }
    match (&old.event_stream, &new.event_stream) {
        (Some(a), Some(b)) => {
            let verdict = compare_type_refs(context, a, b);
            report_type_change(
                context,
                verdict,
                &pointer,
                "event stream data",
                vec![item.clone()],
            );
        }
        (None, Some(_)) => context.push(
            Class::Additive,
            &pointer,
            "event stream offered".to_owned(),
            vec![item.clone()],
        ),
        (Some(_), None) => context.push(
            Class::BreakingWire,
            &pointer,
            "event stream no longer offered".to_owned(),
            vec![item.clone()],
        ),
        (None, None) => {}
    }
    if context.changes.len() == before {
        let mut mapped = old.clone();
        if let Some(body) = &mut mapped.body {
            body.ty = context.types.map(&body.ty);
        }
        for header in &mut mapped.headers {
            header.ty = context.types.map(&header.ty);
        }
        mapped.event_stream = mapped.event_stream.as_ref().map(|ty| context.types.map(ty));
        if mapped != *new {
            context.push(
                Class::BreakingRust,
                &pointer,
                "unclassified: the response changed in a way no rule describes".to_owned(),
                vec![item],
            );
        }
    }
}
