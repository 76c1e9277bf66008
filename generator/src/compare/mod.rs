//! Compare stage: two specs -> the changes between them, each with its class, the JSON
//! pointer of the element that owns it, what changed in words, and the Rust items of the
//! generated crate it touches; and from the classes, the crate's next version.
//!
//! The comparison runs on the normalised IR ([`crate::ir::Api`]), where OpenAPI's spellings of
//! one idea are already one idea: a property moved into an `allOf` parent, parameters
//! moved from an operation to its path item, or a `$ref` to an identical schema compare
//! equal without a rule for each. The untyped document is read only for what the IR
//! drops: examples, operation security, every server but the first.
//!
//! | module         | compares                                                        |
//! |----------------|-----------------------------------------------------------------|
//! | [`identity`]   | which old type is which new type (origin, Rust name, renames); wire shapes |
//! | [`usage`]      | which types travel in requests, which in responses              |
//! | [`types`]      | named types: structs and their properties, enums, unions, aliases |
//! | [`operations`] | operations: paths, names, parameters, bodies, responses, security |
//! | [`document`]   | info, servers, security schemes, tags, examples                 |
//! | [`semver`]     | versions and bumps, as Cargo reads them                         |
//! | [`report`]     | the report's lines, summary and changelog entry                 |
//!
//! Nothing is dropped: a difference no rule explains is `breaking-rust` "unclassified".

pub mod document;
pub mod identity;
pub mod operations;
pub mod report;
pub mod semver;
pub mod types;
pub mod usage;

use crate::ir::Api;

pub use report::ChangeReport;
pub use semver::{Bump, Version};

/// A spec as the comparison reads it: its IR and its untyped (repaired) document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The normalised API.
    pub api: Api,
    /// The document as JSON, after repair: examples, servers and security come from here.
    pub tree: serde_json::Value,
}

/// What a change does to those who use the API or the crate, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// An existing HTTP client of the API breaks (a request it sends is refused, or a
    /// response it gets no longer means what it did).
    BreakingWire,
    /// The wire stays compatible, but code using the crate stops compiling or changes
    /// meaning.
    BreakingRust,
    /// Something new that existing clients and code can ignore.
    Additive,
    /// Descriptions, summaries, examples: documentation only.
    Docs,
}

impl Class {
    /// Every class, most severe first.
    pub const ALL: [Class; 4] = [
        Class::BreakingWire,
        Class::BreakingRust,
        Class::Additive,
        Class::Docs,
    ];

    /// The class as the report prints it: `breaking-wire`, `breaking-rust`, `additive`,
    /// `docs`.
    pub fn label(self) -> &'static str {
        match self {
            Class::BreakingWire => "breaking-wire",
            Class::BreakingRust => "breaking-rust",
            Class::Additive => "additive",
            Class::Docs => "docs",
        }
    }

    /// The semver bump a change of this class calls for: breaking is major, additive
    /// minor, docs patch.
    pub fn bump(self) -> Bump {
        match self {
            Class::BreakingWire | Class::BreakingRust => Bump::Major,
            Class::Additive => Bump::Minor,
            Class::Docs => Bump::Patch,
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.label())
    }
}

/// One change between two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What it does to users.
    pub class: Class,
    /// JSON pointer (`#/...`) of the element that owns the change, in the new spec (in
    /// the old one for what was removed with its owner).
    pub pointer: String,
    /// What changed, in words.
    pub what: String,
    /// The generated crate's items it touches, as paths in the crate
    /// (`types::Sandbox::region`, `Client::list_sandboxes`); `a -> b` for a rename.
    pub rust_items: Vec<String>,
}

impl std::fmt::Display for Change {
    /// `<class>: <pointer>: <what>`, then `; rust: <items>` when it touches any.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: {}: {}", self.class, self.pointer, self.what)?;
        if !self.rust_items.is_empty() {
            write!(formatter, "; rust: {}", self.rust_items.join(", "))?;
        }
        Ok(())
    }
}

/// Compares two specs.
///
/// Returns every change the generator can see, sorted by class (most severe first),
/// then pointer. Never fails: a difference no rule classifies is reported as
/// [`Class::BreakingRust`] with "unclassified" in its words.
pub fn compare(old: &Spec, new: &Spec) -> ChangeReport {
    let mut context = Context::new(old, new);
    document::compare(&mut context);
    types::compare(&mut context);
    operations::compare(&mut context);
    let mut changes = context.changes;
    changes.sort();
    changes.dedup();
    ChangeReport { changes }
}

/// What every rule reads: both specs, which type is which, which way types travel;
/// and what the rules found so far.
pub(crate) struct Context<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    pub types: identity::TypeMap,
    pub old_usage: usage::Usage,
    pub new_usage: usage::Usage,
    pub changes: Vec<Change>,
}

impl<'a> Context<'a> {
    fn new(old: &'a Spec, new: &'a Spec) -> Self {
        Context {
            old,
            new,
            types: identity::TypeMap::new(&old.api, &new.api),
            old_usage: usage::Usage::new(&old.api),
            new_usage: usage::Usage::new(&new.api),
            changes: Vec::new(),
        }
    }

    /// Records a change.
    pub fn push(&mut self, class: Class, pointer: &str, what: String, rust_items: Vec<String>) {
        self.changes.push(Change {
            class,
            pointer: pointer.to_owned(),
            what,
            rust_items,
        });
    }

    /// Which ways the type (old name, new name) travels in either spec. A type no
    /// operation uses may still be built or read by code using the crate: both ways.
    pub fn travel(&self, old_name: Option<&str>, new_name: Option<&str>) -> usage::Travel {
        let mut travel = usage::Travel::default();
        if let Some(name) = old_name {
            travel = travel.or(self.old_usage.of(name));
        }
        if let Some(name) = new_name {
            travel = travel.or(self.new_usage.of(name));
        }
        if travel.is_none() {
            usage::Travel::BOTH
        } else {
            travel
        }
    }
}

/// `/` and `~` escaped for a JSON pointer token (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    crate::resolve::escape_token(token)
}

/// A value as the report quotes it: JSON text in backticks, or `none`.
pub(crate) fn quoted(value: Option<&serde_json::Value>) -> String {
    value.map_or_else(|| "none".to_owned(), |value| format!("`{value}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeKind;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Bag:\n      type: object\n      properties: {a: {type: string}}\n      additionalProperties: {type: string}\n";

    /// A difference no rule looks at is still reported: the catch-all.
    #[test]
    fn a_difference_no_rule_describes_is_breaking_rust_unclassified() {
        let old = crate::load_spec_from_str(SPEC, "spec.yaml").expect("spec");
        let mut new = old.clone();
        let bag = new
            .api
            .types
            .iter_mut()
            .find(|t| t.name == "Bag")
            .expect("Bag");
        let TypeKind::Struct(structure) = &mut bag.kind else {
            panic!("Bag is a struct")
        };
        structure.additional.as_mut().expect("a map").rust_name = "extra".to_owned();
        let report = compare(&old, &new);
        assert_eq!(
            report.changes,
            [Change {
                class: Class::BreakingRust,
                pointer: "#/components/schemas/Bag".to_owned(),
                what:
                    "unclassified: the schema's generated type changed in a way no rule describes"
                        .to_owned(),
                rust_items: vec!["types::Bag".to_owned()],
            }]
        );
        assert_eq!(report.bump(), Some(Bump::Major));
    }

    #[test]
    fn a_change_prints_class_pointer_words_and_rust_items() {
        let change = Change {
            class: Class::Additive,
            pointer: "#/components/schemas/Pet/properties/color".to_owned(),
            what: "optional property added".to_owned(),
            rust_items: vec!["types::Pet::color".to_owned()],
        };
        assert_eq!(
            change.to_string(),
            "additive: #/components/schemas/Pet/properties/color: optional property added; rust: types::Pet::color"
        );
        let report = ChangeReport {
            changes: vec![change],
        };
        assert_eq!(report.summary(), "1 additive");
        assert_eq!(
            report.semver_line(Version::new(0, 2, 0)),
            "semver: 0.2.0 -> 0.2.1 (minor)"
        );
    }
}
