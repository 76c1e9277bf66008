//! The document around the operations and types: `info`, `servers`, security schemes,
//! top-level tags and external docs, and examples anywhere.
//!
//! Examples are the one documentation the IR does not keep: they are read from the
//! untyped document, each at the pointer of the object that holds it, with `allOf/<n>`
//! steps left out (as types are matched, see `identity`), and reported only where that
//! object is in both specs: an example of something added or removed goes with it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::AuthScheme;

use super::identity::normalised_origin;
use super::{escape, Class, Context};

/// Compares everything but types and operations.
pub(crate) fn compare(context: &mut Context<'_>) {
    info(context);
    servers(context);
    security_schemes(context);
    top_level_docs(context);
    examples(context);
}

fn info(context: &mut Context<'_>) {
    let (old, new) = (&context.old.api, &context.new.api);
    let mut changes = Vec::new();
    // The API's title and version are in the crate's description and docs only: the
    // crate's version is its own (an API version says nothing about Rust compatibility).
    if old.title != new.title {
        changes.push(format!(
            "title changes from `{}` to `{}`",
            old.title, new.title
        ));
    }
    if old.version != new.version {
        changes.push(format!(
            "API version changes from `{}` to `{}`",
            old.version, new.version
        ));
    }
    if old.description != new.description {
        changes.push(super::types::docs_words(
            "description",
            old.description.as_deref(),
            new.description.as_deref(),
        ));
    }
    for what in changes {
        context.push(Class::Docs, "#/info", what, vec!["crate docs".to_owned()]);
    }
}

fn servers(context: &mut Context<'_>) {
    let (old, new) = (&context.old.api, &context.new.api);
    if old.default_server != new.default_server {
        let words = |server: &Option<String>| {
            server
                .as_deref()
                .map_or("none".to_owned(), |url| format!("`{url}`"))
        };
        // Why breaking-wire: clients that rely on the default base URL now call
        // another server (or must set one).
        context.push(
            Class::BreakingWire,
            "#/servers",
            format!(
                "default server changes from {} to {}",
                words(&old.default_server),
                words(&new.default_server)
            ),
            vec!["ClientBuilder::base_url".to_owned()],
        );
    } else if context.old.tree.get("servers") != context.new.tree.get("servers") {
        // Servers after the first, and descriptions, only document the API.
        context.push(
            Class::Docs,
            "#/servers",
            "servers other than the default (or their descriptions) changed".to_owned(),
            Vec::new(),
        );
    }
}

fn scheme_name(scheme: &AuthScheme) -> &str {
    match scheme {
        AuthScheme::Bearer { name, .. }
        | AuthScheme::ApiKey { name, .. }
        | AuthScheme::Basic { name, .. } => name,
    }
}

fn scheme_item(scheme: &AuthScheme) -> String {
    match scheme {
        AuthScheme::Bearer { .. } => "ClientBuilder::bearer_token".to_owned(),
        AuthScheme::Basic { .. } => "ClientBuilder::basic_auth".to_owned(),
        AuthScheme::ApiKey { setter, .. } => format!("ClientBuilder::{setter}"),
    }
}

/// The scheme without its description, to tell a docs change from a real one.
fn without_description(scheme: &AuthScheme) -> AuthScheme {
    let mut scheme = scheme.clone();
    match &mut scheme {
        AuthScheme::Bearer { description, .. }
        | AuthScheme::ApiKey { description, .. }
        | AuthScheme::Basic { description, .. } => *description = None,
    }
    scheme
}

fn security_schemes(context: &mut Context<'_>) {
    let (old, new) = (&context.old.api.auth, &context.new.api.auth);
    let mut changes = Vec::new();
    for scheme in new {
        let name = scheme_name(scheme);
        let pointer = format!("#/components/securitySchemes/{}", escape(name));
        match old.iter().find(|old| scheme_name(old) == name) {
            // Why additive: one more way to authenticate, a new builder method.
            None => changes.push((
                Class::Additive,
                pointer,
                format!("security scheme `{name}` added"),
                vec![scheme_item(scheme)],
            )),
            Some(old_scheme) if without_description(old_scheme) != without_description(scheme) => {
                // Why breaking-wire: the credential goes elsewhere or in another form.
                changes.push((
                    Class::BreakingWire,
                    pointer,
                    format!("security scheme `{name}` changes how the credential is sent"),
                    vec![scheme_item(old_scheme), scheme_item(scheme)],
                ));
            }
            Some(old_scheme) if old_scheme != scheme => changes.push((
                Class::Docs,
                pointer,
                format!("security scheme `{name}`: description changed"),
                vec![scheme_item(scheme)],
            )),
            Some(_) => {}
        }
    }
    for scheme in old {
        let name = scheme_name(scheme);
        if new.iter().any(|new| scheme_name(new) == name) {
            continue;
        }
        // Why breaking-rust: the builder method is gone; operations that required the
        // scheme report their own security change.
        changes.push((
            Class::BreakingRust,
            format!("#/components/securitySchemes/{}", escape(name)),
            format!("security scheme `{name}` removed"),
            vec![scheme_item(scheme)],
        ));
    }
    for (class, pointer, what, items) in changes {
        context.push(class, &pointer, what, items);
    }
}

fn top_level_docs(context: &mut Context<'_>) {
    for key in ["tags", "externalDocs"] {
        if context.old.tree.get(key) != context.new.tree.get(key) {
            context.push(
                Class::Docs,
                &format!("#/{key}"),
                format!("`{key}` changed"),
                vec!["crate docs".to_owned()],
            );
        }
    }
}

/// Keys whose object maps names to things (so a key `example` in it is a name, not the
/// keyword).
const NAME_MAPS: &[&str] = &[
    "properties",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
    "mapping",
    "examples",
];

/// Every object pointer (normalised) and every example, by its owner's pointer.
#[derive(Default)]
struct Examples {
    owners: BTreeSet<String>,
    examples: BTreeMap<String, Vec<(String, Value)>>,
}

fn collect(value: &Value, pointer: &str, names: bool, found: &mut Examples) {
    match value {
        Value::Object(object) => {
            let owner = normalised_origin(pointer);
            found.owners.insert(owner.clone());
            for (key, child) in object {
                let child_pointer = format!("{pointer}/{}", escape(key));
                if !names && (key == "example" || key == "examples") {
                    found
                        .examples
                        .entry(owner.clone())
                        .or_default()
                        .push((key.clone(), child.clone()));
                    continue;
                }
                let child_names = !names && NAME_MAPS.contains(&key.as_str());
                collect(child, &child_pointer, child_names, found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect(item, &format!("{pointer}/{index}"), false, found);
            }
        }
        _ => {}
    }
}

fn examples(context: &mut Context<'_>) {
    let mut old = Examples::default();
    collect(&context.old.tree, "#", false, &mut old);
    let mut new = Examples::default();
    collect(&context.new.tree, "#", false, &mut new);
    let owners: BTreeSet<&String> = old.examples.keys().chain(new.examples.keys()).collect();
    let mut changes = Vec::new();
    for owner in owners {
        if !(old.owners.contains(owner) && new.owners.contains(owner)) {
            continue;
        }
        let (before, after) = (old.examples.get(owner), new.examples.get(owner));
        if before != after {
            let what = match (before, after) {
                (None, Some(_)) => "example added",
                (Some(_), None) => "example removed",
                _ => "example changed",
            };
            changes.push((owner.clone(), what.to_owned()));
        }
    }
    for (pointer, what) in changes {
        context.push(Class::Docs, &pointer, what, Vec::new());
    }
}
