//! The change report as text: one line per change and the semver line (for
//! `cargo xtask diff` and `codegen`), the one-line summary (for `codegen --check`), and
//! the changelog entry (for the generated crate's `CHANGELOG.md`).

use super::{Bump, Change, Class, Version};

/// Every change between two specs, sorted by class (most severe first), then pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// The changes.
    pub changes: Vec<Change>,
}

impl ChangeReport {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The bump the most severe change calls for; `None` when nothing changed.
    pub fn bump(&self) -> Option<Bump> {
        self.changes.iter().map(|change| change.class.bump()).max()
    }

    /// The version after `current` with this report's bump (`current` itself when
    /// nothing changed).
    pub fn next_version(&self, current: Version) -> Version {
        self.bump().map_or(current, |bump| current.bumped(bump))
    }

    /// How many changes of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes
            .iter()
            .filter(|change| change.class == class)
            .count()
    }

    /// The changes counted by class, most severe first, e.g. `2 breaking-wire, 1
    /// additive`; `no changes` when empty.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = Class::ALL
            .iter()
            .filter_map(|&class| {
                let count = self.count(class);
                (count > 0).then(|| format!("{count} {class}"))
            })
            .collect();
        if parts.is_empty() {
            "no changes".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// `semver: OLD -> NEW (major|minor|patch)`, or `(none)` when nothing changed.
    pub fn semver_line(&self, current: Version) -> String {
        format!(
            "semver: {current} -> {} ({})",
            self.next_version(current),
            self.bump().map_or("none", Bump::label)
        )
    }

    /// The report as `cargo xtask diff` prints it: one line per change, then the
    /// semver line; each line ends with `\n`.
    pub fn render(&self, current: Version) -> String {
        let mut out = String::new();
        for change in &self.changes {
            out.push_str(&change.to_string());
            out.push('\n');
        }
        out.push_str(&self.semver_line(current));
        out.push('\n');
        out
    }

    /// A `CHANGELOG.md` entry: `## <version> (<date>)`, then the changes grouped under
    /// one heading per class, each as words for users of the crate. Ends with a blank
    /// line.
    pub fn changelog_entry(&self, version: Version, date: &str) -> String {
        let mut out = format!("## {version} ({date})\n\n");
        for class in Class::ALL {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|change| change.class == class)
                .collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("### {}\n\n", heading(class)));
            for change in changes {
                out.push_str(&format!("- `{}`: {}", change.pointer, change.what));
                if !change.rust_items.is_empty() {
                    let items: Vec<String> = change
                        .rust_items
                        .iter()
                        .map(|item| format!("`{item}`"))
                        .collect();
                    out.push_str(&format!(" ({})", items.join(", ")));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}

/// A class as a changelog heading says it to users of the crate.
fn heading(class: Class) -> &'static str {
    match class {
        Class::BreakingWire => {
            "Breaking: the API changed in a way existing clients notice (requests refused or responses read differently)"
        }
        Class::BreakingRust => {
            "Breaking: code using the crate must change (the API on the wire is compatible)"
        }
        Class::Additive => "Added",
        Class::Docs => "Documentation",
    }
}
