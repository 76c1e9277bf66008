//! Areas: the Cargo features a big API is split into, so that an application using one
//! part of it compiles that part.
//!
//! Why tags: they are how a spec groups its operations for readers (they become sections
//! of every reference page), so they are the areas users think in. An operation's area is
//! its first tag; operations without one share the area `untagged`. A large spec with no
//! tags at all (Stripe's, for one) is split by the first path segment that is not a
//! version or `api` prefix (`/v1/customers/{id}` -> `customers`), which is how such APIs
//! name their resources; a small one is not, since its whole crate compiles fast and
//! features would only add `cfg`s to read. With fewer than two areas there is nothing to
//! split and no feature is made.

use std::collections::BTreeSet;

use heck::ToKebabCase;

use crate::ir::Operation;

/// The area every operation belongs to when the spec has tags but the operation has none.
const UNTAGGED: &str = "untagged";

/// How many operations an untagged spec needs before it is split by resource.
const SPLIT_UNTAGGED_FROM: usize = 100;

/// Sets each operation's `area` (a Cargo feature name), or none of them. Returns the
/// features that distinct tags share, each with the tags, for a warning.
pub fn assign(operations: &mut [Operation]) -> Vec<(String, Vec<String>)> {
    let tagged = operations.iter().any(|operation| operation.tag.is_some());
    if !tagged && operations.len() < SPLIT_UNTAGGED_FROM {
        return Vec::new();
    }
    let raw: Vec<String> = operations
        .iter()
        .map(|operation| {
            if tagged {
                operation
                    .tag
                    .clone()
                    .unwrap_or_else(|| UNTAGGED.to_string())
            } else {
                resource(&operation.path)
            }
        })
        .collect();
    let wanted: Vec<String> = raw.iter().map(|raw| feature_name(raw)).collect();
    let distinct: BTreeSet<&String> = wanted.iter().collect();
    if distinct.len() < 2 {
        return Vec::new();
    }
    let mut spellings: std::collections::BTreeMap<&String, BTreeSet<&String>> =
        std::collections::BTreeMap::new();
    for (feature, raw) in wanted.iter().zip(&raw) {
        spellings.entry(feature).or_default().insert(raw);
    }
    let shared = spellings
        .into_iter()
        .filter(|(_, tags)| tagged && tags.len() > 1)
        .map(|(feature, tags)| (feature.clone(), tags.into_iter().cloned().collect()))
        .collect();
    for (operation, area) in operations.iter_mut().zip(wanted) {
        operation.area = Some(area);
    }
    shared
}

/// The first path segment that is not a template, a version (`v1`, `v2beta1`) or `api`.
pub(crate) fn resource(path: &str) -> String {
    path.split('/')
        .filter(|segment| !segment.is_empty() && !segment.contains('{'))
        .find(|segment| {
            let lower = segment.to_ascii_lowercase();
            let version =
                lower.starts_with('v') && lower[1..].starts_with(|c: char| c.is_ascii_digit());
            !version && lower != "api"
        })
        .unwrap_or("root")
        .to_string()
}

/// A valid Cargo feature name: kebab-case ASCII, starting with a letter, never `default`.
/// Distinct tags that spell the same feature share it, which is what a reader of the spec
/// would expect of `Vpcs` and `vpcs`.
fn feature_name(raw: &str) -> String {
    let kebab: String = deunicode::deunicode(raw)
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let kebab = kebab.trim_matches('-').to_string();
    match kebab.as_str() {
        "" => "area".to_string(),
        "default" => "default-area".to_string(),
        name if name.starts_with(|c: char| c.is_ascii_digit()) => format!("area-{name}"),
        _ => kebab,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_valid_cargo_names() {
        assert_eq!(feature_name("system/networking"), "system-networking");
        assert_eq!(feature_name("Default"), "default-area");
        assert_eq!(feature_name("3D models"), "area-3d-models");
        assert_eq!(feature_name("Sécurité"), "securite");
        assert_eq!(feature_name("!!!"), "area");
    }

    #[test]
    fn untagged_specs_split_by_resource() {
        assert_eq!(resource("/v1/customers/{id}"), "customers");
        assert_eq!(resource("/api/v2beta1/orgs/{org}/sandboxes"), "orgs");
        assert_eq!(resource("/{id}"), "root");
        assert_eq!(resource("/vault/items"), "vault");
    }
}
