//! `cargo xtask deps`: is every dependency on its newest compatible major?
//!
//! Reads the generated crate's manifest (`generated-client/Cargo.toml`) and the workspace
//! members' manifests, every dependency table of each (normal, dev, build, target-specific;
//! optional ones too), asks the crates.io sparse index for each crate's releases, and
//! prints a table for the generated crate, then one for the workspace. A dependency is
//! behind when the newest release its requirement admits is of an older compatible major
//! (Cargo's reading: `1.x` and `2.x` differ, and for `0.y` the major is `y`) than the
//! newest release. Prereleases and yanked releases are not releases here.
//!
//! Exits 1 when a dependency of the generated crate is behind (an application on the
//! current versions would compile two copies of it), 0 otherwise, 2 when it cannot run.
//! Needs the network, so it is not part of `cargo xtask test`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use semver::{Version, VersionReq};

/// The sparse index's root (the protocol Cargo itself uses: one file of JSON lines per crate).
const INDEX: &str = "https://index.crates.io";
/// Who is asking, as the crates.io crawler policy wants it said.
const USER_AGENT: &str = concat!(
    "openapi-rust-generator-xtask/",
    env!("CARGO_PKG_VERSION"),
    " (cargo xtask deps: dependency freshness check of the openapi-rust-generator workspace)"
);
/// The generated crate's directory, which is also a workspace member.
const GENERATED: &str = "generated-client";

/// One registry dependency as a manifest names it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dependency {
    /// The crate's name on crates.io (`package = ...` when renamed).
    krate: String,
    /// The version requirement, as written (after `workspace = true` is resolved).
    requirement: String,
    /// Where: the member and the table, e.g. `tests (dev)`.
    place: String,
}

/// One release of a crate, as the index lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub version: Version,
    pub yanked: bool,
}

/// What a requirement is, against the releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Admits a release of the newest compatible major.
    Current,
    /// Admits only releases of an older compatible major: `from -> to`, e.g. `0.12 -> 0.13`.
    Behind { from: String, to: String },
    /// Admits no release (only prereleases or yanked ones, or none at all).
    Unmatched,
    /// The crate has no release that is neither a prerelease nor yanked.
    NoRelease,
}

impl Status {
    fn text(&self) -> String {
        match self {
            Status::Current => "current".to_string(),
            Status::Behind { from, to } => format!("behind ({from} -> {to})"),
            Status::Unmatched => "no release matches".to_string(),
            Status::NoRelease => "no release".to_string(),
        }
    }

    /// Whether this needs fixing (the exit code counts it for the generated crate).
    fn is_problem(&self) -> bool {
        !matches!(self, Status::Current)
    }
}

/// The newest release: neither a prerelease nor yanked.
pub fn newest(releases: &[Release]) -> Option<&Version> {
    releases
        .iter()
        .filter(|release| !release.yanked && release.version.pre.is_empty())
        .map(|release| &release.version)
        .max()
}

/// A version's compatible major as Cargo reads it: `2` for `2.3.4`, `0.13` for `0.13.5`,
/// `0.0.7` for `0.0.7`.
pub fn compatible_major(version: &Version) -> String {
    match (version.major, version.minor) {
        (0, 0) => format!("0.0.{}", version.patch),
        (0, minor) => format!("0.{minor}"),
        (major, _) => major.to_string(),
    }
}

fn major_key(version: &Version) -> (u64, u64, u64) {
    match (version.major, version.minor) {
        (0, 0) => (0, 0, version.patch),
        (0, minor) => (0, minor, 0),
        (major, _) => (major, 0, 0),
    }
}

/// Whether `requirement` reaches the newest compatible major of `releases`: the newest
/// release it admits against the newest release, both by compatible major.
pub fn classify(requirement: &VersionReq, releases: &[Release]) -> Status {
    let Some(newest) = newest(releases) else {
        return Status::NoRelease;
    };
    let admitted = releases
        .iter()
        .filter(|release| !release.yanked && release.version.pre.is_empty())
        .map(|release| &release.version)
        .filter(|version| requirement.matches(version))
        .max();
    match admitted {
        None => Status::Unmatched,
        Some(version) if major_key(version) < major_key(newest) => Status::Behind {
            from: compatible_major(version),
            to: compatible_major(newest),
        },
        Some(_) => Status::Current,
    }
}

/// The releases in a sparse index file: one JSON object per line (`vers`, `yanked`).
/// Lines whose version is not semver are skipped (the index has none; be lenient).
pub fn parse_index(text: &str) -> Result<Vec<Release>, String> {
    let mut releases = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: serde_json::Value = serde_json::from_str(line)
            .map_err(|error| format!("index line {}: {error}", number + 1))?;
        let Some(text) = entry.get("vers").and_then(serde_json::Value::as_str) else {
            return Err(format!("index line {}: no `vers`", number + 1));
        };
        let Ok(version) = Version::parse(text) else {
            continue;
        };
        let yanked = entry
            .get("yanked")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        releases.push(Release { version, yanked });
    }
    Ok(releases)
}

/// The index path of a crate: `1/a`, `2/ab`, `3/a/abc`, `se/rd/serde` (lowercase).
fn index_path(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.len() {
        1 => format!("1/{name}"),
        2 => format!("2/{name}"),
        3 => format!("3/{}/{name}", &name[..1]),
        _ => format!("{}/{}/{name}", &name[..2], &name[2..4]),
    }
}

pub fn run(root: &Path) -> ExitCode {
    match check(root) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: cargo xtask deps: {message}");
            ExitCode::from(2)
        }
    }
}

fn check(root: &Path) -> Result<ExitCode, String> {
    let workspace = read_manifest(&root.join("Cargo.toml"))?;
    let shared = workspace
        .get("workspace")
        .and_then(|table| table.get("dependencies"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let members: Vec<String> = workspace
        .get("workspace")
        .and_then(|table| table.get("members"))
        .and_then(toml::Value::as_array)
        .map(|members| {
            members
                .iter()
                .filter_map(|member| member.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();

    let generated = dependencies(
        &read_manifest(&root.join(GENERATED).join("Cargo.toml"))?,
        &shared,
        "",
    )?;
    let mut others = Vec::new();
    for member in members.iter().filter(|member| *member != GENERATED) {
        let manifest = read_manifest(&root.join(member).join("Cargo.toml"))?;
        others.extend(dependencies(&manifest, &shared, member)?);
    }

    let names: BTreeSet<String> = generated
        .iter()
        .chain(&others)
        .map(|dependency| dependency.krate.clone())
        .collect();
    let releases = fetch_all(&names)?;

    println!("generated crate ({GENERATED}/Cargo.toml):");
    let generated_problems = report(&generated, &releases)?;
    println!();
    let others_names: Vec<&str> = members
        .iter()
        .map(String::as_str)
        .filter(|member| *member != GENERATED)
        .collect();
    println!("workspace ({}):", others_names.join(", "));
    let workspace_problems = report(&others, &releases)?;
    println!();
    println!(
        "deps: generated crate {generated_problems} of {} not current, workspace {workspace_problems} of {} not current",
        distinct(&generated),
        distinct(&others)
    );
    if generated_problems > 0 {
        eprintln!(
            "error: {generated_problems} dependency(ies) of the generated crate not on their newest major: \
             move them in generator/runtime/Cargo.toml and run `cargo xtask codegen`"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn distinct(dependencies: &[Dependency]) -> usize {
    dependencies
        .iter()
        .map(|dependency| (&dependency.krate, &dependency.requirement))
        .collect::<BTreeSet<_>>()
        .len()
}

/// Prints one table (a row per crate and requirement, with every place that names it) and
/// returns how many rows are not current.
fn report(
    dependencies: &[Dependency],
    releases: &BTreeMap<String, Vec<Release>>,
) -> Result<usize, String> {
    let mut rows: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for dependency in dependencies {
        let places = rows
            .entry((dependency.krate.clone(), dependency.requirement.clone()))
            .or_default();
        if !places.contains(&dependency.place) {
            places.push(dependency.place.clone());
        }
    }
    let mut table = Vec::new();
    let mut problems = 0;
    for ((krate, requirement), places) in rows {
        let parsed = VersionReq::parse(&requirement)
            .map_err(|error| format!("{krate} = {requirement:?}: {error}"))?;
        let known = releases.get(&krate).map(Vec::as_slice).unwrap_or_default();
        let status = classify(&parsed, known);
        problems += usize::from(status.is_problem());
        let newest = newest(known).map(Version::to_string).unwrap_or_default();
        table.push(vec![
            krate,
            requirement,
            newest,
            status.text(),
            places.join(", "),
        ]);
    }
    crate::table::print(&["crate", "requirement", "newest", "status", "in"], &table);
    Ok(problems)
}

fn read_manifest(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|error| format!("{}: {error}", path.display()))
}

/// The registry dependencies of a manifest, from each of its dependency tables
/// (`[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` and their
/// `[target.'cfg(..)'.*]` forms). Path and git dependencies are ours or not on crates.io:
/// skipped. `workspace = true` takes its requirement from `[workspace.dependencies]`.
fn dependencies(
    manifest: &toml::Table,
    shared: &toml::Table,
    member: &str,
) -> Result<Vec<Dependency>, String> {
    const KINDS: [(&str, &str); 3] = [
        ("dependencies", ""),
        ("dev-dependencies", "dev"),
        ("build-dependencies", "build"),
    ];
    let mut tables: Vec<(&toml::Table, String)> = Vec::new();
    for (key, kind) in KINDS {
        if let Some(table) = manifest.get(key).and_then(toml::Value::as_table) {
            tables.push((table, kind.to_string()));
        }
    }
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        for (target, value) in targets {
            for (key, kind) in KINDS {
                if let Some(table) = value.get(key).and_then(toml::Value::as_table) {
                    let kind = [kind, target.as_str()]
                        .iter()
                        .filter(|part| !part.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" ");
                    tables.push((table, kind));
                }
            }
        }
    }
    let mut found = Vec::new();
    for (table, kind) in tables {
        for (key, value) in table {
            let mut entry = value.clone();
            if entry.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
                let Some(inherited) = shared.get(key) else {
                    return Err(format!(
                        "{member}: `{key}` inherits from [workspace.dependencies], which lacks it"
                    ));
                };
                entry = inherited.clone();
            }
            let optional = value.get("optional").and_then(toml::Value::as_bool) == Some(true);
            let (requirement, krate) = match &entry {
                toml::Value::String(requirement) => (requirement.clone(), key.clone()),
                toml::Value::Table(fields) => {
                    if fields.contains_key("path") || fields.contains_key("git") {
                        continue;
                    }
                    let Some(requirement) = fields.get("version").and_then(toml::Value::as_str)
                    else {
                        return Err(format!("{member}: `{key}` has no version requirement"));
                    };
                    let krate = fields
                        .get("package")
                        .and_then(toml::Value::as_str)
                        .unwrap_or(key);
                    (requirement.to_string(), krate.to_string())
                }
                other => return Err(format!("{member}: `{key}` is {other}, not a dependency")),
            };
            let mut qualifiers: Vec<&str> = Vec::new();
            if !kind.is_empty() {
                qualifiers.push(&kind);
            }
            if optional {
                qualifiers.push("optional");
            }
            let place = match (member.is_empty(), qualifiers.is_empty()) {
                (true, true) => "dependencies".to_string(),
                (true, false) => qualifiers.join(", "),
                (false, true) => member.to_string(),
                (false, false) => format!("{member} ({})", qualifiers.join(", ")),
            };
            found.push(Dependency {
                krate,
                requirement,
                place,
            });
        }
    }
    Ok(found)
}

/// Every crate's releases, asked of the sparse index a few at a time.
fn fetch_all(names: &BTreeSet<String>) -> Result<BTreeMap<String, Vec<Release>>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|error| format!("cannot build the HTTP client: {error}"))?;
        let mut tasks = tokio::task::JoinSet::new();
        for name in names {
            let client = client.clone();
            let name = name.clone();
            tasks.spawn(async move {
                let releases = fetch(&client, &name).await;
                (name, releases)
            });
        }
        let mut found = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            let (name, releases) = joined.map_err(|error| format!("a request failed: {error}"))?;
            found.insert(name, releases?);
        }
        Ok(found)
    })
}

async fn fetch(client: &reqwest::Client, name: &str) -> Result<Vec<Release>, String> {
    let url = format!("{INDEX}/{}", index_path(name));
    let response = client.get(&url).send().await.map_err(|error| {
        format!(
            "cannot reach the crates.io index ({url}): {} (this command needs the network)",
            chain(&error)
        )
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_FOUND {
        // Not on crates.io: reported as `no release`.
        return Ok(Vec::new());
    }
    if !status.is_success() {
        return Err(format!("{url}: HTTP {status}"));
    }
    let text = response
        .text()
        .await
        .map_err(|error| format!("{url}: cannot read the answer: {error}"))?;
    parse_index(&text).map_err(|error| format!("{url}: {error}"))
}

/// An error and its sources, `: `-separated (reqwest's own text says only which URL failed).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn releases(list: &[(&str, bool)]) -> Vec<Release> {
        list.iter()
            .map(|(version, yanked)| Release {
                version: Version::parse(version).unwrap(),
                yanked: *yanked,
            })
            .collect()
    }

    fn status(requirement: &str, list: &[(&str, bool)]) -> Status {
        classify(&VersionReq::parse(requirement).unwrap(), &releases(list))
    }

    #[test]
    fn zero_minor_is_the_major() {
        let list = [("0.12.28", false), ("0.13.0", false), ("0.13.5", false)];
        assert_eq!(
            status("0.12", &list),
            Status::Behind {
                from: "0.12".into(),
                to: "0.13".into()
            }
        );
        assert_eq!(status("0.13", &list), Status::Current);
        // A patch behind within the major is current: Cargo picks the newest anyway.
        assert_eq!(status("=0.13.0", &list), Status::Current);
    }

    #[test]
    fn majors_from_one_on() {
        let list = [("1.9.0", false), ("2.0.0", false), ("2.3.1", false)];
        assert_eq!(
            status("1", &list),
            Status::Behind {
                from: "1".into(),
                to: "2".into()
            }
        );
        assert_eq!(status("2.1", &list), Status::Current);
        assert_eq!(status(">=1, <3", &list), Status::Current);
        assert_eq!(status("*", &list), Status::Current);
    }

    #[test]
    fn prereleases_and_yanked_releases_are_ignored() {
        // The newest major exists only as a prerelease, or only yanked: not a release.
        let list = [("0.12.5", false), ("0.13.0-rc.1", false), ("0.14.0", true)];
        assert_eq!(status("0.12", &list), Status::Current);
        assert_eq!(
            newest(&releases(&list)),
            Some(&Version::parse("0.12.5").unwrap())
        );
        // A requirement that admits only a yanked release, or only a prerelease, matches none.
        assert_eq!(status("0.14", &list), Status::Unmatched);
        assert_eq!(status("=0.13.0-rc.1", &list), Status::Unmatched);
        // 0.0.x: each patch is its own major.
        let list = [("0.0.3", false), ("0.0.4", false)];
        assert_eq!(
            status("0.0.3", &list),
            Status::Behind {
                from: "0.0.3".into(),
                to: "0.0.4".into()
            }
        );
        assert_eq!(status("1", &[("1.0.0", true)]), Status::NoRelease);
        assert!(Status::NoRelease.is_problem());
        assert!(!Status::Current.is_problem());
    }

    #[test]
    fn index_lines_parse_and_paths_follow_the_sparse_layout() {
        let text = "{\"name\":\"a\",\"vers\":\"1.0.0\",\"yanked\":false}\n\
                    {\"name\":\"a\",\"vers\":\"1.1.0-beta.1\",\"yanked\":false}\n\
                    {\"name\":\"a\",\"vers\":\"1.0.1\",\"yanked\":true}\n";
        let parsed = parse_index(text).unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(parsed[2].yanked);
        assert_eq!(newest(&parsed), Some(&Version::parse("1.0.0").unwrap()));
        assert!(parse_index("not json").is_err());
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("ab"), "2/ab");
        assert_eq!(index_path("syn"), "3/s/syn");
        assert_eq!(index_path("Serde_JSON"), "se/rd/serde_json");
    }

    #[test]
    fn manifests_are_read_generically() {
        let shared: toml::Table = "tokio = { version = \"1\", features = [\"rt\"] }"
            .parse()
            .unwrap();
        let manifest: toml::Table = r#"
            [dependencies]
            reqwest = { version = "0.13", default-features = false }
            clap = { version = "4", optional = true }
            local = { path = "../local" }
            renamed = { package = "serde_json", version = "1" }
            [dev-dependencies]
            tokio = { workspace = true }
            [target.'cfg(unix)'.dependencies]
            libc = "0.2"
        "#
        .parse()
        .unwrap();
        let found = dependencies(&manifest, &shared, "m").unwrap();
        let mut rows: Vec<(String, String, String)> = found
            .into_iter()
            .map(|d| (d.krate, d.requirement, d.place))
            .collect();
        rows.sort();
        let expect = |krate: &str, requirement: &str, place: &str| {
            (
                krate.to_string(),
                requirement.to_string(),
                place.to_string(),
            )
        };
        assert_eq!(
            rows,
            vec![
                expect("clap", "4", "m (optional)"),
                expect("libc", "0.2", "m (cfg(unix))"),
                expect("reqwest", "0.13", "m"),
                expect("serde_json", "1", "m"),
                expect("tokio", "1", "m (dev)"),
            ]
        );
        let missing: toml::Table = "[dependencies]\nx = { workspace = true }".parse().unwrap();
        assert!(dependencies(&missing, &toml::Table::new(), "m").is_err());
    }
}
