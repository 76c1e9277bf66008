//! Release stage (around the pipeline, for `cargo xtask codegen`): the generated
//! crate's own version and changelog.
//!
//! A generated crate records the spec it was generated from, as `openapi.yaml` beside
//! its `Cargo.toml` (the document after repair, as YAML, behind the generated-file
//! header). When the crate is generated again, the recorded spec is compared with the
//! new one ([`crate::compare`]); the report's most severe class bumps the version in
//! the crate's `Cargo.toml` (see [`crate::compare::semver`]) and becomes an entry at
//! the top of `CHANGELOG.md`. The version is the crate's own: the API's `info.version`
//! stays in the crate's description and docs, since it says nothing about Rust
//! compatibility. Nothing is read from git: the crate directory says it all.

use std::path::{Path, PathBuf};

use crate::compare::{self, ChangeReport, Spec, Version};
use crate::{format, load, GenerateError, Options, Output};

/// The recorded spec, relative to the crate root.
pub const SPEC_FILE: &str = "openapi.yaml";
/// The changelog, relative to the crate root.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";
/// The version of a crate generated for the first time.
pub const FIRST_VERSION: Version = Version::new(0, 1, 0);

/// What a previously generated crate says about itself.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// `package.version` of its `Cargo.toml`; `None` when there is no crate yet.
    pub version: Option<Version>,
    /// The spec it was generated from; `None` for a crate from before specs were
    /// recorded, or no crate.
    pub spec: Option<Spec>,
    /// Its `CHANGELOG.md`.
    pub changelog: Option<String>,
}

/// Reads what the crate in `out_dir` records (nothing, when there is no crate).
///
/// # Errors
/// [`GenerateError::Previous`] when a file exists but cannot be read: a `Cargo.toml`
/// without a `MAJOR.MINOR.PATCH` version, a recorded spec the generator cannot load.
pub fn read_previous(out_dir: &Path) -> Result<Previous, GenerateError> {
    let manifest_path = out_dir.join("Cargo.toml");
    let version = match read_optional(&manifest_path)? {
        Some(text) => Some(
            manifest_version(&text).map_err(|message| GenerateError::Previous {
                file: manifest_path.display().to_string(),
                message,
            })?,
        ),
        None => None,
    };
    let spec_path = out_dir.join(SPEC_FILE);
    let spec = match read_optional(&spec_path)? {
        Some(text) => Some(
            crate::load_spec_from_str(&text, &spec_path.display().to_string()).map_err(
                |error| GenerateError::Previous {
                    file: spec_path.display().to_string(),
                    message: format!(
                        "the recorded spec cannot be loaded ({error}); delete it to generate without a change report"
                    ),
                },
            )?,
        ),
        None => None,
    };
    let changelog = read_optional(&out_dir.join(CHANGELOG_FILE))?;
    Ok(Previous {
        version,
        spec,
        changelog,
    })
}

/// `package.version` of a `Cargo.toml`.
///
/// # Errors
/// Why there is none: not TOML, no `package.version`, not `MAJOR.MINOR.PATCH`.
pub fn manifest_version(manifest: &str) -> Result<Version, String> {
    let table: toml::Table = manifest
        .parse()
        .map_err(|error| format!("not valid TOML: {error}"))?;
    let version = table
        .get("package")
        .and_then(|package| package.get("version"))
        .and_then(toml::Value::as_str)
        .ok_or_else(|| "no `package.version`".to_owned())?;
    version.parse()
}

fn read_optional(path: &Path) -> Result<Option<String>, GenerateError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(GenerateError::Io {
            path: PathBuf::from(path),
            source,
        }),
    }
}

/// A crate generated with its version and changelog.
#[derive(Debug, Clone)]
pub struct Release {
    /// The crate's files, with `openapi.yaml` and `CHANGELOG.md`.
    pub output: Output,
    /// The changes from the recorded spec; `None` when there was none to compare with.
    pub report: Option<ChangeReport>,
    /// The version of the crate it replaces, if any.
    pub previous_version: Option<Version>,
    /// Its version.
    pub version: Version,
}

/// Generates the crate for `spec_path` as the successor of the crate in `out_dir`:
/// compares the spec with the recorded one, bumps the version by the report, and adds
/// a changelog entry dated `date` (`YYYY-MM-DD`) when anything changed. `options`'
/// `crate_version` is ignored: the version comes from the crate in `out_dir` (or is
/// [`FIRST_VERSION`]). Writes nothing.
///
/// With an unchanged spec the output is byte for byte what is in `out_dir`, whatever
/// `date` is: that is what `--check` relies on.
///
/// # Errors
/// As [`crate::generate`], and [`read_previous`]'s.
pub fn generate(
    spec_path: &Path,
    out_dir: &Path,
    options: &Options,
    date: &str,
) -> Result<Release, GenerateError> {
    crate::on_big_stack(|| {
        let loaded = load::load_file(spec_path)?;
        generate_loaded(&loaded, out_dir, options, date)
    })
}

/// Like [`generate`], for spec text in memory (`file_name` as for
/// [`crate::generate_from_str`]).
///
/// # Errors
/// As [`generate`].
pub fn generate_from_str(
    text: &str,
    file_name: &str,
    out_dir: &Path,
    options: &Options,
    date: &str,
) -> Result<Release, GenerateError> {
    crate::on_big_stack(|| {
        let loaded = load::load_str(text, Path::new(file_name))?;
        generate_loaded(&loaded, out_dir, options, date)
    })
}

fn generate_loaded(
    loaded: &load::LoadedSpec,
    out_dir: &Path,
    options: &Options,
    date: &str,
) -> Result<Release, GenerateError> {
    let new = Spec {
        api: crate::normalise_loaded(loaded)?.api,
        tree: loaded.tree.clone(),
    };
    let previous = read_previous(out_dir)?;
    let report = previous
        .spec
        .as_ref()
        .map(|old| compare::compare(old, &new));
    let version = match (previous.version, &report) {
        (Some(version), Some(report)) => report.next_version(version),
        (Some(version), None) => version,
        (None, _) => FIRST_VERSION,
    };
    let options = Options {
        crate_version: Some(version.to_string()),
        ..options.clone()
    };
    let mut output = crate::generate_loaded(loaded, &options)?;
    let header = crate::header(loaded, &options);
    let yaml = serde_yaml::to_string(&loaded.tree).map_err(|error| GenerateError::Internal {
        file: SPEC_FILE.to_owned(),
        message: error.to_string(),
    })?;
    output.files.insert(
        PathBuf::from(SPEC_FILE),
        format::text_file(&header, Some("#"), &yaml),
    );
    let entry = match &report {
        Some(report) if !report.is_empty() => Some(report.changelog_entry(version, date)),
        _ if previous.changelog.is_some() => None,
        _ if previous.version.is_some() => Some(format!(
            "## {version}\n\nThe first version whose spec is recorded (`{SPEC_FILE}`, API version `{}`); earlier changes are not listed.\n\n",
            new.api.version
        )),
        _ => Some(format!(
            "## {version}\n\nThe first version, generated from API version `{}`.\n\n",
            new.api.version
        )),
    };
    output.files.insert(
        PathBuf::from(CHANGELOG_FILE),
        changelog(
            &options.crate_name,
            entry.as_deref(),
            previous.changelog.as_deref(),
        ),
    );
    Ok(Release {
        output,
        report,
        previous_version: previous.version,
        version,
    })
}

/// The changelog: what it is, then `entry`, then the entries of `previous` (each
/// starts with a `## ` line; what comes before the first is the old preamble).
fn changelog(crate_name: &str, entry: Option<&str>, previous: Option<&str>) -> String {
    let mut text = format!(
        "<!-- @generated by openapi-rust-generator: `cargo xtask codegen` adds an entry whenever the spec changes; do not edit. -->\n\n\
         # Changelog of `{crate_name}`\n\n\
         Each version lists what changed in the OpenAPI document the crate was generated from, \
         and what that does to HTTP clients of the API and to code using the crate. The version \
         is the crate's own, bumped as Cargo reads versions: a breaking change raises the major \
         number (the minor one while the major is 0: `0.2.0` -> `0.3.0`), an addition the minor \
         number (the patch one while the major is 0), a documentation change the patch number.\n\n"
    );
    if let Some(entry) = entry {
        text.push_str(entry);
    }
    if let Some(previous) = previous {
        let start = previous
            .lines()
            .scan(0, |offset, line| {
                let at = *offset;
                *offset += line.len() + 1;
                Some((at, line))
            })
            .find(|(_, line)| line.starts_with("## "))
            .map(|(at, _)| at);
        if let Some(start) = start {
            text.push_str(&previous[start..]);
        }
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_the_manifest() {
        let manifest = "# header\n\n[package]\nname = \"x\"\nversion = \"0.2.0\"\n";
        assert_eq!(manifest_version(manifest), Ok(Version::new(0, 2, 0)));
        assert!(manifest_version("[package]\nname = \"x\"\n")
            .unwrap_err()
            .contains("package.version"));
    }

    #[test]
    fn a_changelog_keeps_earlier_entries_under_the_new_one() {
        let first = changelog("c", Some("## 0.2.0\n\nFirst.\n\n"), None);
        let second = changelog(
            "c",
            Some("## 0.3.0 (2025-01-02)\n\nSecond.\n\n"),
            Some(&first),
        );
        let headings: Vec<&str> = second.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings, ["## 0.3.0 (2025-01-02)", "## 0.2.0"]);
        assert_eq!(changelog("c", None, Some(&second)), second);
    }
}
