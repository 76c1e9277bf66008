//! `cargo xtask corpus [DIR]`: generate a client for every spec in a directory of real-world
//! OpenAPI documents, `cargo check` each generated crate, and print one table row per spec.
//!
//! A measurement, not a gate: it exits 0 whatever the specs do, and 2 only when the sweep
//! itself cannot run (no such directory, cannot write under the target directory, no cargo).

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use generator::{Options, Output};

use crate::fuzz::outcome::panic_message;
use crate::generated_workspace::{self, slug, Workspace};

/// Default corpus, relative to the workspace root.
const DEFAULT_DIR: &str = "../shared/corpus";
/// Exit code when the sweep cannot run at all.
const EXIT_ERROR: u8 = 2;
/// Stack of the generation thread: deep recursive schemas must not overflow before the
/// generator can report them.
const GENERATE_STACK: usize = 256 << 20;
/// Longest generate error kept in the table.
const GENERATE_ERROR_CHARS: usize = 100;
/// Longest compile failure reason kept in the table.
const REASON_CHARS: usize = 120;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of OpenAPI documents (`*.json`, `*.yaml`, `*.yml`)
    /// [default: ../shared/corpus from the workspace root].
    /// A relative path is taken from the current directory.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Only the specs whose file name contains SUBSTRING.
    #[arg(long, value_name = "SUBSTRING")]
    filter: Option<String>,
    /// Check each crate with every feature on: its command-line tool (`cli`) and mock
    /// kit (`mock`) too, besides the client (skips the per-area checks).
    #[arg(long)]
    all_features: bool,
}

/// One spec's results.
#[derive(Debug)]
struct Row {
    spec: String,
    crate_name: String,
    crate_dir: PathBuf,
    operations: Option<usize>,
    types: Option<usize>,
    warnings: Option<usize>,
    /// Lines of Rust in the generated crate.
    lines: Option<usize>,
    generate: Generate,
    compile: Compile,
    generate_time: Duration,
    check_time: Duration,
}

#[derive(Debug)]
enum Generate {
    Ok,
    Error(String),
    Panic(String),
}

#[derive(Debug)]
enum Compile {
    /// Not checked (generation failed).
    NotRun,
    /// Checked: rustc's errors and warnings about the crate, and the first of them.
    Checked {
        errors: usize,
        warnings: usize,
        first: Option<String>,
    },
    /// Cargo failed without a rustc error in the crate (bad manifest, resolution, ...).
    CargoFailed(String),
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    let dir = args
        .dir
        .as_deref()
        .map_or_else(|| root.join(DEFAULT_DIR), crate::codegen::from_cwd);
    let specs = match list_specs(&dir, args.filter.as_deref()) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let target_dir = generated_workspace::target_dir(root);
    let sweep_dir = target_dir.join("corpus");
    let crates_dir = sweep_dir.join("crates");

    let start = Instant::now();
    let mut rows = generate_all(&specs, &crates_dir);
    let extra: &[&str] = if args.all_features {
        &["--all-features"]
    } else {
        &[]
    };
    if let Err(message) = check_all(root, &sweep_dir, &mut rows, extra) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_ERROR);
    }
    let areas = match (!args.all_features)
        .then(|| check_areas(root, &sweep_dir, &rows))
        .transpose()
        .map(Option::flatten)
    {
        Ok(areas) => areas,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    eprintln!("sweep took {:.0} s", start.elapsed().as_secs_f64());
    print_table(&rows);
    if let Some((spec, lines)) = areas {
        println!();
        println!(
            "Areas of {spec} (the largest quick crate split into features), each checked alone:"
        );
        println!();
        println!("| features | result | check s |");
        println!("| --- | --- | --- |");
        for line in lines {
            println!("{line}");
        }
    }
    ExitCode::SUCCESS
}

/// How long a split crate's full check may take for it to be the one whose areas are
/// checked one by one.
const AREAS_CHECK_BUDGET: Duration = Duration::from_secs(30);

/// The largest clean crate that is split into areas (Cargo features) and checks quickly,
/// checked with all features and with each feature alone (after `cargo clean -p`, dependencies built):
/// the spec and one table row per check.
fn check_areas(
    root: &Path,
    sweep_dir: &Path,
    rows: &[Row],
) -> Result<Option<(String, Vec<String>)>, String> {
    let features_of = |row: &Row| -> Vec<String> {
        let manifest =
            std::fs::read_to_string(row.crate_dir.join("Cargo.toml")).unwrap_or_default();
        generated_workspace::area_features(&manifest)
    };
    // The largest split crate that checks in under half a minute, so that one check per
    // area keeps the sweep bounded (Stripe's 61 resources at ~20 s each would not).
    let split: Vec<&Row> = rows
        .iter()
        .filter(|row| row.compile.clean() && !features_of(row).is_empty())
        .collect();
    let quick = split
        .iter()
        .filter(|row| row.check_time < AREAS_CHECK_BUDGET)
        .max_by_key(|row| row.lines.unwrap_or(0));
    let Some(row) = quick
        .or_else(|| split.iter().min_by_key(|row| row.check_time))
        .copied()
    else {
        return Ok(None);
    };
    let members = [member_path(row)];
    let mut workspace = Workspace::create(
        sweep_dir,
        &members,
        &root.join("Cargo.lock"),
        &sweep_dir.join("target"),
    )
    .map_err(|error| format!("cannot write the corpus workspace: {error}"))?;
    let run_error = |error: std::io::Error| format!("cannot run cargo: {error}");
    let name = row.crate_name.as_str();
    let mut lines = Vec::new();
    let all = features_of(row);
    let sets = std::iter::once(None).chain(all.iter().map(Some));
    for feature in sets {
        workspace.clean(name).map_err(run_error)?;
        let mut args = vec!["-p", name];
        if let Some(feature) = feature {
            args.extend(["--no-default-features", "--features", feature.as_str()]);
        }
        let start = Instant::now();
        let check = workspace.check(&args).map_err(run_error)?;
        let seconds = start.elapsed().as_secs_f64();
        let crate_dir = workspace.root.join(member_path(row));
        let problems =
            check.of(&crate_dir, "error").count() + check.of(&crate_dir, "warning").count();
        let result = if check.success && problems == 0 {
            "clean".to_owned()
        } else {
            format!("{problems} problems")
        };
        let label = feature.map_or_else(
            || "all (default)".to_owned(),
            |feature| format!("`{feature}` alone"),
        );
        eprintln!("areas {name}: {label}: {result} ({seconds:.1} s)");
        lines.push(format!("| {label} | {result} | {seconds:.1} |"));
    }
    Ok(Some((row.spec.clone(), lines)))
}

/// The spec files of `dir`, sorted by name, optionally filtered.
fn list_specs(dir: &Path, filter: Option<&str>) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read corpus directory {}: {error}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| format!("{}: {error}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_spec = [".json", ".yaml", ".yml"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext));
        if is_spec && path.is_file() && filter.is_none_or(|filter| name.contains(filter)) {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// One slug per spec: the file stem's, or the whole file name's when two stems collide
/// (`x.json` and `x.yaml`).
fn slugs(specs: &[PathBuf]) -> Vec<String> {
    let stem = |path: &PathBuf| slug(&path.file_stem().unwrap_or_default().to_string_lossy());
    let mut seen = BTreeSet::new();
    let duplicated: BTreeSet<String> = specs
        .iter()
        .map(stem)
        .filter(|slug| !seen.insert(slug.clone()))
        .collect();
    specs
        .iter()
        .map(|path| {
            let stem_slug = stem(path);
            if duplicated.contains(&stem_slug) {
                slug(&path.file_name().unwrap_or_default().to_string_lossy())
            } else {
                stem_slug
            }
        })
        .collect()
}

/// Where the panic hook leaves the location of the last panic.
static PANIC_LOCATION: Mutex<Option<String>> = Mutex::new(None);

fn generate_all(specs: &[PathBuf], crates_dir: &Path) -> Vec<Row> {
    // Panics become table rows; the hook only records where they happened.
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        if let Ok(mut location) = PANIC_LOCATION.lock() {
            *location = info.location().map(ToString::to_string);
        }
    }));
    let total = specs.len();
    let rows = specs
        .iter()
        .zip(slugs(specs))
        .enumerate()
        .map(|(index, (spec, slug))| {
            let row = generate_one(spec, &slug, crates_dir);
            eprintln!(
                "[{}/{total}] generate {}: {} ({:.1} s)",
                index + 1,
                row.spec,
                row.generate.cell(),
                row.generate_time.as_secs_f64()
            );
            row
        })
        .collect();
    panic::set_hook(previous_hook);
    rows
}

fn generate_one(spec: &Path, slug: &str, crates_dir: &Path) -> Row {
    let spec_name = spec
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let crate_name = format!("corpus-{slug}");
    let options = Options {
        crate_name: crate_name.clone(),
        spec_label: spec_name.clone(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    let mut row = Row {
        spec: spec_name,
        crate_name,
        crate_dir: crates_dir.join(slug),
        operations: None,
        types: None,
        warnings: None,
        lines: None,
        generate: Generate::Ok,
        compile: Compile::NotRun,
        generate_time: Duration::ZERO,
        check_time: Duration::ZERO,
    };
    let start = Instant::now();
    let result = generate_isolated(spec.to_path_buf(), options);
    row.generate_time = start.elapsed();
    match result {
        Ok(Ok(output)) => {
            row.operations = Some(count_operations(&output));
            row.types = Some(count_types(&output));
            row.warnings = Some(output.warnings.len());
            row.lines = Some(count_lines(&output));
            if let Err(error) = generator::write::write(&row.crate_dir, &output) {
                row.generate = Generate::Error(format!("cannot write crate: {error}"));
            }
        }
        Ok(Err(message)) => {
            // The message starts with the spec's path; the table names the spec already.
            let path = spec.display().to_string();
            let located = message
                .strip_prefix(path.as_str())
                .map_or(message.as_str(), |rest| {
                    rest.trim_start_matches(':').trim_start()
                });
            row.generate = Generate::Error(located.to_owned());
        }
        Err(message) => row.generate = Generate::Panic(message),
    }
    row
}

/// `generator::generate` on its own big-stack thread, a panic caught and described.
/// `Ok(Err)` is the generator's error, `Err` a panic.
fn generate_isolated(spec: PathBuf, options: Options) -> Result<Result<Output, String>, String> {
    let thread = std::thread::Builder::new()
        .name("generate".to_owned())
        .stack_size(GENERATE_STACK)
        .spawn(move || {
            panic::catch_unwind(AssertUnwindSafe(|| {
                generator::generate(&spec, &options).map_err(|error| error.to_string())
            }))
        });
    let joined = match thread {
        Ok(handle) => handle.join().unwrap_or_else(Err),
        Err(error) => return Ok(Err(format!("cannot start a thread: {error}"))),
    };
    joined.map_err(|payload| {
        let location = PANIC_LOCATION
            .lock()
            .ok()
            .and_then(|mut location| location.take());
        match location {
            Some(location) => format!("{} at {location}", panic_message(&*payload)),
            None => panic_message(&*payload),
        }
    })
}

/// Operations: one `impl Operation` each.
fn count_operations(output: &Output) -> usize {
    output
        .files
        .get(Path::new("src/operations.rs"))
        .map_or(0, |text| text.matches("impl Operation for ").count())
}

/// Lines of Rust in the crate: what every build of a user compiles.
pub fn count_lines(output: &Output) -> usize {
    output
        .files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|extension| extension == "rs"))
        .map(|(_, text)| text.lines().count())
        .sum()
}

/// Named types: `pub struct`, `pub enum` and `pub type` items of `src/types.rs`.
fn count_types(output: &Output) -> usize {
    output
        .files
        .get(Path::new("src/types.rs"))
        .map_or(0, |text| {
            text.lines()
                .map(str::trim_start)
                .filter(|line| {
                    ["pub struct ", "pub enum ", "pub type "]
                        .iter()
                        .any(|item| line.starts_with(item))
                })
                .count()
        })
}

/// One workspace of every generated crate, checked crate by crate in one target directory.
fn check_all(
    root: &Path,
    sweep_dir: &Path,
    rows: &mut [Row],
    extra: &[&str],
) -> Result<(), String> {
    let lock = root.join("Cargo.lock");
    let target_dir = sweep_dir.join("target");
    let mut members: Vec<usize> = (0..rows.len())
        .filter(|&index| matches!(rows[index].generate, Generate::Ok))
        .collect();
    // A member whose manifest cargo rejects would fail every check: report it, drop it.
    let mut workspace = loop {
        let paths: Vec<String> = members
            .iter()
            .map(|&index| member_path(&rows[index]))
            .collect();
        let workspace = Workspace::create(sweep_dir, &paths, &lock, &target_dir)
            .map_err(|error| format!("cannot write the corpus workspace: {error}"))?;
        let Some(error) = workspace
            .load_error()
            .map_err(|error| format!("cannot run cargo: {error}"))?
        else {
            break workspace;
        };
        let culprit = members
            .iter()
            .position(|&index| error.contains(&format!("{}/", member_path(&rows[index]))));
        let reason = first_error_line(&error);
        match culprit {
            Some(position) => {
                let index = members.remove(position);
                rows[index].compile = Compile::CargoFailed(reason);
            }
            None => {
                for &index in &members {
                    rows[index].compile = Compile::CargoFailed(reason.clone());
                }
                return Ok(());
            }
        }
    };
    let logs_dir = sweep_dir.join("logs");
    std::fs::create_dir_all(&logs_dir)
        .map_err(|error| format!("cannot create {}: {error}", logs_dir.display()))?;
    eprintln!("rustc and cargo output per crate: {}", logs_dir.display());
    // Dependencies are built once, untimed, so that each crate's time is its own.
    if let Some(&first) = members.first() {
        let name = rows[first].crate_name.clone();
        eprintln!("building the dependencies (with {name}), untimed");
        workspace
            .check(&[&["-p", name.as_str()], extra].concat())
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        workspace
            .clean(&name)
            .map_err(|error| format!("cannot run cargo: {error}"))?;
    }
    let total = members.len();
    for (done, &index) in members.iter().enumerate() {
        let row = &mut rows[index];
        // From the crate's sources (its dependencies stay built), so the time is the
        // crate's own even when an earlier sweep left it checked.
        workspace
            .clean(&row.crate_name)
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        let start = Instant::now();
        let check = workspace
            .check(&[&["-p", row.crate_name.as_str()], extra].concat())
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        row.check_time = start.elapsed();
        let crate_dir = workspace.root.join(member_path(row));
        let errors: Vec<_> = check.of(&crate_dir, "error").collect();
        let warnings: Vec<_> = check.of(&crate_dir, "warning").collect();
        let log: String = errors
            .iter()
            .chain(&warnings)
            .map(|d| d.rendered.as_str())
            .chain([check.stderr.as_str()])
            .collect();
        let log_path = logs_dir.join(format!("{}.log", row.crate_name));
        std::fs::write(&log_path, log)
            .map_err(|error| format!("cannot write {}: {error}", log_path.display()))?;
        row.compile = if !check.success && errors.is_empty() {
            Compile::CargoFailed(
                check
                    .cargo_error()
                    .map_or_else(|| first_error_line(&check.stderr), |line| line.to_owned()),
            )
        } else {
            Compile::Checked {
                errors: errors.len(),
                warnings: warnings.len(),
                first: errors
                    .first()
                    .or(warnings.first())
                    .map(|d| format!("{}: {}", d.level, d.message)),
            }
        };
        eprintln!(
            "[{}/{total}] check {}: {} ({:.1} s)",
            done + 1,
            row.crate_name,
            row.compile.cell(),
            row.check_time.as_secs_f64()
        );
    }
    Ok(())
}

/// A crate's directory relative to the sweep workspace.
fn member_path(row: &Row) -> String {
    let slug = row
        .crate_dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy();
    format!("crates/{slug}")
}

fn first_error_line(text: &str) -> String {
    text.lines()
        .find(|line| line.trim_start().starts_with("error"))
        .or_else(|| text.lines().find(|line| !line.trim().is_empty()))
        .unwrap_or("cargo failed")
        .trim()
        .to_owned()
}

impl Generate {
    fn cell(&self) -> String {
        match self {
            Self::Ok => "ok".to_owned(),
            Self::Error(message) => format!(
                "error: {}",
                truncate(first_line(message), GENERATE_ERROR_CHARS)
            ),
            Self::Panic(message) => format!("PANIC {}", truncate(first_line(message), 160)),
        }
    }
}

impl Compile {
    fn cell(&self) -> String {
        match self {
            Self::NotRun => "-".to_owned(),
            Self::Checked { errors: 0, .. } => "ok".to_owned(),
            Self::Checked { errors: 1, .. } => "1 error".to_owned(),
            Self::Checked { errors, .. } => format!("{errors} errors"),
            Self::CargoFailed(_) => "cargo failed".to_owned(),
        }
    }

    fn rustc_warnings(&self) -> String {
        match self {
            Self::Checked { warnings, .. } => warnings.to_string(),
            _ => "-".to_owned(),
        }
    }

    fn reason(&self) -> String {
        match self {
            Self::Checked {
                first: Some(first), ..
            } => truncate(first, REASON_CHARS),
            Self::CargoFailed(reason) => truncate(first_line(reason), REASON_CHARS),
            _ => String::new(),
        }
    }

    fn clean(&self) -> bool {
        matches!(
            self,
            Self::Checked {
                errors: 0,
                warnings: 0,
                ..
            }
        )
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}

fn optional(count: Option<usize>) -> String {
    count.map_or_else(|| "-".to_owned(), |count| count.to_string())
}

/// A Markdown table (padded, pipes in cells escaped), then the summary line.
fn print_table(rows: &[Row]) {
    let header = [
        "spec",
        "operations",
        "types",
        "warnings",
        "lines",
        "generate",
        "compile",
        "rustc warnings",
        "generate s",
        "check s",
        "reason",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            vec![
                row.spec.clone(),
                optional(row.operations),
                optional(row.types),
                optional(row.warnings),
                optional(row.lines),
                row.generate.cell(),
                row.compile.cell(),
                row.compile.rustc_warnings(),
                format!("{:.2}", row.generate_time.as_secs_f64()),
                format!("{:.1}", row.check_time.as_secs_f64()),
                row.compile.reason(),
            ]
            .into_iter()
            .map(|cell| cell.replace('|', "\\|"))
            .collect()
        })
        .collect();
    crate::table::print(&header, &cells);
    let total = rows.len();
    let generated = rows
        .iter()
        .filter(|row| matches!(row.generate, Generate::Ok))
        .count();
    let compiled = rows.iter().filter(|row| row.compile.clean()).count();
    println!("corpus: {generated} of {total} generate, {compiled} of {total} compile");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_crate_name_parts() {
        assert_eq!(slug("github-api.github.com"), "github-api-github-com");
        assert_eq!(slug("Intercom_API 2.11"), "intercom-api-2-11");
        assert_eq!(slug("..."), "spec");
    }

    #[test]
    fn colliding_stems_keep_their_extension() {
        let specs = [
            PathBuf::from("a/x.json"),
            PathBuf::from("a/x.yaml"),
            PathBuf::from("a/y.yml"),
        ];
        assert_eq!(slugs(&specs), ["x-json", "x-yaml", "y"]);
    }

    #[test]
    fn long_reasons_are_truncated() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
