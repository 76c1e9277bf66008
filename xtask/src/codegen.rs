//! `cargo xtask codegen`: spec -> generated client crate, or `--check` that it is up to date.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use generator::write::Change;
use generator::Options;

const DEFAULT_SPEC: &str = "spec/openapi.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_CRATE_NAME: &str = "ai-agent-client";
/// The settings file looked for beside the spec when `--settings` is not given.
const DEFAULT_SETTINGS_FILE: &str = "codegen.toml";

/// Exit code when the generated crate is stale (`--check`).
const EXIT_STALE: u8 = 1;
/// Exit code when the spec cannot be turned into a client, or files cannot be read/written.
const EXIT_ERROR: u8 = 2;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Change nothing; exit 1 and print a unified diff if the output directory is stale.
    #[arg(long)]
    check: bool,
    /// An OpenAPI 3.0 document, YAML or JSON [default: spec/openapi.yaml in the workspace root].
    /// A relative path is taken from the current directory.
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Directory of the generated crate [default: generated-client in the workspace root].
    /// A relative path is taken from the current directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Settings the spec cannot express (retries, pagination, waiters, request-id header)
    /// [default: `codegen.toml` beside the spec, when it exists]. A relative path is taken
    /// from the current directory.
    #[arg(long, value_name = "PATH")]
    settings: Option<PathBuf>,
    /// Cargo package name of the generated crate: ASCII letters, digits, `-` and `_`,
    /// starting with a letter, at most 64 characters.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_CRATE_NAME, value_parser = package_name)]
    crate_name: String,
    /// Treat every warning as an error: a spec the generator had to repair or fall back
    /// on (see README, "Lenient where intent is clear") writes nothing and exits 2.
    #[arg(long)]
    strict: bool,
    /// The date of the changelog entry written when the spec changed, `YYYY-MM-DD`
    /// [default: today, in UTC].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = iso_date)]
    date: Option<String>,
}

/// A `YYYY-MM-DD` date, or why not.
fn iso_date(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let valid = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|part| part.chars().all(|c| c.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    if valid {
        Ok(text.to_owned())
    } else {
        Err(format!("`{text}` is not a date of the form YYYY-MM-DD"))
    }
}

/// Today's date in UTC, `YYYY-MM-DD` (from the system clock; proleptic Gregorian
/// calendar, Howard Hinnant's `civil_from_days`).
fn today_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    civil_date(i64::try_from(seconds / 86_400).unwrap_or(0))
}

fn civil_date(days_since_epoch: i64) -> String {
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A valid Cargo package name, or why not (clap prints it and exits 2).
fn package_name(name: &str) -> Result<String, String> {
    let valid_characters = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if name.is_empty() || name.len() > 64 {
        return Err("a package name has 1 to 64 characters".to_owned());
    }
    if !valid_characters {
        return Err("a package name has only ASCII letters, digits, `-` and `_`".to_owned());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("a package name starts with a letter".to_owned());
    }
    Ok(name.to_owned())
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    let spec = args
        .spec
        .as_deref()
        .map_or_else(|| root.join(DEFAULT_SPEC), from_cwd);
    let out = args
        .out
        .as_deref()
        .map_or_else(|| root.join(DEFAULT_OUT), from_cwd);
    let settings = match &args.settings {
        Some(path) => Some(from_cwd(path)),
        None => Some(spec.with_file_name(DEFAULT_SETTINGS_FILE)).filter(|path| path.is_file()),
    };
    let spec_label = label(root, &spec);
    let out_label = message_label(root, &out);
    let options = Options {
        crate_name: args.crate_name.clone(),
        spec_label: spec_label.clone(),
        settings,
        strict: args.strict,
        crate_version: None,
    };

    let date = args.date.clone().unwrap_or_else(today_utc);
    let release = match generator::release::generate(&spec, &out, &options, &date) {
        Ok(release) => release,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let output = &release.output;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }
    // The change report, when there is a recorded spec and the new one differs.
    let report = release.report.as_ref().filter(|report| !report.is_empty());

    if args.check {
        let drifts = match generator::write::check(&out, output) {
            Ok(drifts) => drifts,
            Err(error) => {
                eprintln!("error: cannot compare with {out_label}: {error}");
                return ExitCode::from(EXIT_ERROR);
            }
        };
        if drifts.is_empty() {
            println!("{out_label} is up to date");
            return ExitCode::SUCCESS;
        }
        let mut stdout = std::io::stdout().lock();
        // Files whose only change is the header (the spec's hash) are listed, not diffed:
        // their diffs would bury the one that matters.
        let (header_only, content): (Vec<_>, Vec<_>) =
            drifts.iter().partition(|drift| drift.header_only);
        for drift in &content {
            // A closed pipe (e.g. `| head`) must not turn into a panic.
            let _ = write!(stdout, "{}", drift.unified_diff);
            if !drift.unified_diff.ends_with('\n') {
                let _ = writeln!(stdout);
            }
        }
        if !header_only.is_empty() {
            let names: Vec<String> = header_only
                .iter()
                .map(|drift| drift.path.display().to_string())
                .collect();
            let _ = writeln!(
                stdout,
                "{} more file(s) differ only in their generated header (the spec's hash): {}",
                header_only.len(),
                names.join(", ")
            );
        }
        if let (Some(report), Some(previous)) = (report, release.previous_version) {
            let _ = write!(stdout, "{}", report.render(previous));
        }
        let _ = stdout.flush();
        if let Some(report) = report {
            eprintln!("{}", spec_changed(report, args));
        }
        eprintln!(
            "{out_label} is stale: {} file(s) differ from {spec_label}; run `{}`",
            drifts.len(),
            rerun_command(args)
        );
        return ExitCode::from(EXIT_STALE);
    }

    if let (Some(report), Some(previous)) = (report, release.previous_version) {
        print!("{}", report.render(previous));
    }
    let changes = match generator::write::write(&out, output) {
        Ok(changes) => changes,
        Err(error) => {
            eprintln!("error: cannot write {out_label}: {error}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if changes.is_empty() {
        println!("{out_label} is up to date");
    }
    for change in &changes {
        let (verb, path) = match change {
            Change::Added(path) => ("added", path),
            Change::Modified(path) => ("modified", path),
            Change::Removed(path) => ("removed", path),
        };
        println!("{verb} {}", slashed(path));
    }
    ExitCode::SUCCESS
}

/// A user-given path, made absolute against the current directory.
pub(crate) fn from_cwd(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match std::env::current_dir() {
        Ok(cwd) => cwd.join(path),
        Err(_) => path.to_path_buf(),
    }
}

/// How a path is named in messages and in the generated header: relative to the workspace
/// root with `/` separators when it is inside it, else just its file name. Never absolute,
/// so the generated bytes do not depend on where the repository is checked out.
fn label(root: &Path, path: &Path) -> String {
    let canonical_root = canonicalize_lenient(root);
    let canonical = canonicalize_lenient(path);
    if let Ok(relative) = canonical.strip_prefix(&canonical_root) {
        if !relative.as_os_str().is_empty() {
            return slashed(relative);
        }
    }
    canonical
        .file_name()
        .or_else(|| path.file_name())
        .map_or_else(|| slashed(path), |name| name.to_string_lossy().into_owned())
}

/// How the output directory is named in messages: relative to the workspace root when it
/// is inside it, else as an absolute path.
fn message_label(root: &Path, path: &Path) -> String {
    let canonical = canonicalize_lenient(path);
    match canonical.strip_prefix(canonicalize_lenient(root)) {
        Ok(relative) if !relative.as_os_str().is_empty() => slashed(relative),
        _ => canonical.display().to_string(),
    }
}

/// `fs::canonicalize`, but for a path that does not exist yet (a new `--out` directory):
/// canonicalises the longest existing ancestor and appends the rest, dropping `.`.
fn canonicalize_lenient(path: &Path) -> PathBuf {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonicalize_lenient(parent).join(name)
        }
        _ => path.to_path_buf(),
    }
}

/// A relative path with `/` separators on every platform.
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            Component::CurDir => None,
            Component::RootDir | Component::Prefix(_) => Some(String::new()),
        })
        .collect();
    parts.join("/")
}

/// What `--check` says the drift is, besides "stale", when the spec changed:
/// `spec changed: 2 breaking-wire, 1 additive; run `cargo xtask codegen``.
fn spec_changed(report: &generator::compare::ChangeReport, args: &Args) -> String {
    format!(
        "spec changed: {}; run `{}`",
        report.summary(),
        rerun_command(args)
    )
}

/// The command that regenerates what `--check` compared, with the same non-default options.
fn rerun_command(args: &Args) -> String {
    let mut parts = vec!["cargo xtask codegen".to_owned()];
    if let Some(spec) = &args.spec {
        parts.push(format!("--spec {}", spec.display()));
    }
    if let Some(out) = &args.out {
        parts.push(format!("--out {}", out.display()));
    }
    if let Some(settings) = &args.settings {
        parts.push(format!("--settings {}", settings.display()));
    }
    if args.crate_name != DEFAULT_CRATE_NAME {
        parts.push(format!("--crate-name {}", args.crate_name));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_inside_the_root_are_relative_with_slashes() {
        let root = std::env::temp_dir().join(format!("xtask-label-{}", std::process::id()));
        let spec = root.join("spec").join("openapi.yaml");
        assert_eq!(label(&root, &spec), "spec/openapi.yaml");
        assert_eq!(
            label(&root, &root.join("generated-client")),
            "generated-client"
        );
    }

    #[test]
    fn labels_outside_the_root_are_file_names() {
        let root = std::env::temp_dir().join(format!("xtask-label-root-{}", std::process::id()));
        let elsewhere = std::env::temp_dir().join("elsewhere").join("other.yaml");
        assert_eq!(label(&root, &elsewhere), "other.yaml");
    }

    #[test]
    fn rerun_command_repeats_non_default_options() {
        let args = Args {
            check: true,
            spec: Some(PathBuf::from("other.yaml")),
            out: None,
            settings: None,
            crate_name: "other-client".to_owned(),
            strict: false,
            date: None,
        };
        assert_eq!(
            rerun_command(&args),
            "cargo xtask codegen --spec other.yaml --crate-name other-client"
        );
    }

    #[test]
    fn check_says_what_the_spec_change_is() {
        use generator::compare::{Change, ChangeReport, Class};
        let change = |class| Change {
            class,
            pointer: "#/paths/~1x/get".to_owned(),
            what: "words".to_owned(),
            rust_items: Vec::new(),
        };
        let report = ChangeReport {
            changes: vec![
                change(Class::BreakingWire),
                change(Class::BreakingWire),
                change(Class::Additive),
            ],
        };
        let args = Args {
            check: true,
            spec: None,
            out: None,
            settings: None,
            crate_name: DEFAULT_CRATE_NAME.to_owned(),
            strict: false,
            date: None,
        };
        assert_eq!(
            spec_changed(&report, &args),
            "spec changed: 2 breaking-wire, 1 additive; run `cargo xtask codegen`"
        );
    }

    #[test]
    fn days_since_the_epoch_are_civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_089), "2025-01-01");
    }

    #[test]
    fn dates_are_year_month_day() {
        assert_eq!(iso_date("2025-06-30").as_deref(), Ok("2025-06-30"));
        for bad in [
            "2025-6-30",
            "2025-13-01",
            "30-06-2025",
            "today",
            "2025-06-00",
        ] {
            assert!(iso_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crate_names_are_valid_cargo_package_names() {
        assert_eq!(
            package_name("ai-agent_client2").as_deref(),
            Ok("ai-agent_client2")
        );
        for bad in ["", "a/../b", "bad name", "1abc", "-x", "é"] {
            assert!(package_name(bad).is_err(), "{bad:?}");
        }
    }
}
