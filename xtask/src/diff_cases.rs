//! The change report's table of spec pairs: `tests/fixtures/diff/cases.yaml`, each case
//! an edit of `tests/fixtures/diff/base.yaml` into its NEW spec (and sometimes its OLD
//! one), with the report lines it expects.
//!
//! Shared by `cargo xtask semver-audit` and `tests/tests/spec_diff.rs` (which includes
//! this file with `#[path]`, so neither crate depends on the other). Only `std`,
//! `serde_json` and the generator's own tree reader (`generator::load::parse_tree`, so
//! YAML is read in one place), which both crates have.

use std::path::Path;

use serde_json::Value;

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its name, unique in the table.
    pub name: String,
    /// The OLD spec, as JSON text.
    pub old: String,
    /// The NEW spec, as JSON text.
    pub new: String,
    /// The report's lines, the last one `semver: ...` for a crate at 0.2.0.
    pub expected: Vec<String>,
}

/// Every case of `dir/cases.yaml`, built on `dir/base.yaml`.
///
/// # Errors
/// What is wrong with a file or a case, naming the case.
pub fn load(dir: &Path) -> Result<Vec<Case>, String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))
    };
    let base = read("base.yaml")?;
    let table = generator::load::parse_tree(&read("cases.yaml")?, &dir.join("cases.yaml"))
        .map_err(|error| format!("cases.yaml: {error}"))?;
    let rows = table.as_array().ok_or("cases.yaml is not a list")?;
    rows.iter()
        .map(|row| {
            let name = row["name"]
                .as_str()
                .ok_or("a case without a name")?
                .to_owned();
            let mut expected = Vec::new();
            if let Some(lines) = row.get("changes").and_then(Value::as_array) {
                for line in lines {
                    let line = line
                        .as_str()
                        .ok_or_else(|| format!("{name}: a change line is not text"))?;
                    expected.push(line.to_owned());
                }
            }
            let semver = row["semver"]
                .as_str()
                .ok_or_else(|| format!("{name}: no semver"))?;
            expected.push(format!("semver: {semver}"));
            Ok(Case {
                old: edited(&base, row.get("old"), &name)?,
                new: edited(&base, row.get("new"), &name)?,
                name,
                expected,
            })
        })
        .collect()
}

/// Applies a side's edits to the base text: `replace` (text, every occurrence, each
/// must occur), then `remove` (JSON pointers), then `set` (pointer -> value; `-` appends
/// to an array). Returns the spec as JSON text.
pub fn edited(base: &str, edits: Option<&Value>, case: &str) -> Result<String, String> {
    let mut text = base.to_owned();
    if let Some(replacements) = edits
        .and_then(|edits| edits.get("replace"))
        .and_then(Value::as_array)
    {
        for pair in replacements {
            let (Some(from), Some(to)) = (
                pair.get(0).and_then(Value::as_str),
                pair.get(1).and_then(Value::as_str),
            ) else {
                return Err(format!("{case}: a replacement is [from, to]"));
            };
            if !text.contains(from) {
                return Err(format!("{case}: `{from}` is not in the spec"));
            }
            text = text.replace(from, to);
        }
    }
    let mut tree = generator::load::parse_tree(&text, Path::new("base.yaml"))
        .map_err(|error| format!("{case}: the edited spec is not YAML: {error}"))?;
    let removals = edits
        .and_then(|edits| edits.get("remove"))
        .and_then(Value::as_array);
    for pointer in removals.into_iter().flatten().filter_map(Value::as_str) {
        let (parent, key) = split(pointer, case)?;
        let removed = match tree.pointer_mut(parent) {
            Some(Value::Object(map)) => map.shift_remove(&unescape(key)).is_some(),
            Some(Value::Array(items)) => match key.parse::<usize>() {
                Ok(index) if index < items.len() => {
                    items.remove(index);
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !removed {
            return Err(format!("{case}: nothing at {pointer} to remove"));
        }
    }
    let sets = edits
        .and_then(|edits| edits.get("set"))
        .and_then(Value::as_object);
    for (pointer, value) in sets.into_iter().flatten() {
        let (parent, key) = split(pointer, case)?;
        match tree.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.insert(unescape(key), value.clone());
            }
            Some(Value::Array(items)) if key == "-" => items.push(value.clone()),
            Some(Value::Array(items)) => match key.parse::<usize>() {
                Ok(index) if index < items.len() => items[index] = value.clone(),
                _ => return Err(format!("{case}: no item {pointer} to set")),
            },
            _ => return Err(format!("{case}: {parent} is not an object or array")),
        }
    }
    serde_json::to_string_pretty(&tree).map_err(|error| format!("{case}: {error}"))
}

fn split<'a>(pointer: &'a str, case: &str) -> Result<(&'a str, &'a str), String> {
    pointer
        .rsplit_once('/')
        .ok_or_else(|| format!("{case}: `{pointer}` is not a JSON pointer with a parent"))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
