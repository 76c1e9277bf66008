//! `cargo xtask bench [--filter SUBSTRING] [--runs N] [--check] [--save]`: time the generator
//! (load and generate in memory, nothing written) on a fixed set of real-world specs, count
//! the lines of Rust it emits, and with `--check` time `cargo check` of each generated crate
//! alone (its dependencies already built); compare each figure with the committed baseline,
//! `xtask/bench-baseline.json`, as a ratio.
//!
//! `cargo xtask bench client` is another benchmark, the generated client under load:
//! see `bench_client.rs`.
//!
//! Speed targets live here, never in timed tests. A measurement, not a gate: it exits 0
//! whatever the ratios are, and 2 only when it cannot run (no corpus directory, or `--save`
//! cannot read or write the baseline).
//!
//! The baseline keeps one object per build profile (`debug`, `release`), each mapping a spec
//! file name to its minimum seconds; a run reads and `--save` writes only its own profile's.
//! `lines` and `check_seconds` map spec names to the emitted lines and the crate's check
//! time; `--save` writes them too (the check time only with `--check`).

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use generator::Options;
use serde_json::{Map, Value};

/// Corpus directory, relative to the workspace root.
const DEFAULT_DIR: &str = "../shared/corpus";
/// The benchmarked specs: small, medium (Oxide's is the yardstick of the lean-crate
/// targets) and the largest of the corpus.
const SPECS: [&str; 6] = [
    "oai-petstore.yaml",
    "progenitor-nexus.json",
    "kubernetes-core-v1.json",
    "openai-openapi.yaml",
    "oxide-oxide.json",
    "stripe-spec3.json",
];
/// Baseline file, relative to the workspace root.
const BASELINE: &str = "xtask/bench-baseline.json";
/// The build profile this binary was compiled with; baselines are kept per profile.
const PROFILE: &str = if cfg!(debug_assertions) {
    "debug"
} else {
    "release"
};
/// Ratios above this are marked `slower`.
const SLOWER: f64 = 1.25;
/// Exit code when the benchmark cannot run at all.
const EXIT_ERROR: u8 = 2;
/// Stack of the generation thread, as in `cargo xtask corpus`.
const GENERATE_STACK: usize = 256 << 20;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// Another benchmark instead of the generator's.
    #[command(subcommand)]
    target: Option<Target>,
    /// Only the specs whose file name contains SUBSTRING.
    #[arg(long, value_name = "SUBSTRING")]
    filter: Option<String>,
    /// Repetitions per spec; the minimum is compared with the baseline.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Also write each generated crate and time `cargo check` of it alone (dependencies
    /// built first, untimed), in `<target dir>/bench/`.
    #[arg(long)]
    check: bool,
    /// Write this run's figures as the baseline (times of this build profile).
    #[arg(long)]
    save: bool,
}

/// The benchmarks other than the generator's.
#[derive(Debug, clap::Subcommand)]
enum Target {
    /// The generated client under load: `get_sandbox` against a plain reqwest loop on a
    /// local server (throughput ratio, goal >= 0.95x), then the resident set over
    /// 1,000,000 requests (goal: no growth). Built and run in release.
    Client(crate::bench_client::Args),
}

/// One spec's measurement.
struct Timing {
    min: Duration,
    median: Duration,
    files: usize,
    bytes: usize,
    lines: usize,
    /// `cargo check` of the crate alone, with `--check`.
    check: Option<Duration>,
    /// The generated crate, kept for `--check`.
    output: Option<generator::Output>,
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    if let Some(Target::Client(client)) = &args.target {
        return crate::bench_client::run(root, client);
    }
    let dir = root.join(DEFAULT_DIR);
    if !dir.is_dir() {
        eprintln!("error: corpus directory {} not found", dir.display());
        return ExitCode::from(EXIT_ERROR);
    }
    let baseline_path = root.join(BASELINE);
    let mut baseline = match read_baseline(&baseline_path) {
        Ok(baseline) => baseline,
        Err(message) if args.save => {
            eprintln!("error: {message}; not overwriting it");
            return ExitCode::from(EXIT_ERROR);
        }
        Err(message) => {
            eprintln!("warning: {message}; comparing with no baseline");
            Map::new()
        }
    };
    let specs = SPECS
        .into_iter()
        .filter(|name| args.filter.as_deref().is_none_or(|f| name.contains(f)));
    let mut results: Vec<(&str, Result<Timing, String>)> = specs
        .map(|name| {
            let result = measure(&dir.join(name), name, args.runs);
            match &result {
                Ok(timing) => eprintln!("bench {name}: {:.4} s", timing.min.as_secs_f64()),
                Err(message) => eprintln!("bench {name}: {message}"),
            }
            (name, result)
        })
        .collect();
    if args.check {
        if let Err(message) = check_crates(root, &mut results) {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    }
    let previous = baseline
        .get(PROFILE)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let section = |key: &str| {
        baseline
            .get(key)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let (previous_lines, previous_checks) = (section("lines"), section("check_seconds"));
    print_table(&results, &previous);
    print_sizes(&results, &previous_lines, &previous_checks);

    if args.save {
        let (mut saved, mut lines, mut checks) = (previous, previous_lines, previous_checks);
        for (name, result) in &results {
            if let Ok(timing) = result {
                let micros = (timing.min.as_secs_f64() * 1e6).round() / 1e6;
                saved.insert((*name).to_owned(), Value::from(micros));
                lines.insert((*name).to_owned(), Value::from(timing.lines));
                if let Some(check) = timing.check {
                    let tenths = (check.as_secs_f64() * 100.0).round() / 100.0;
                    checks.insert((*name).to_owned(), Value::from(tenths));
                }
            }
        }
        baseline.insert(PROFILE.to_owned(), Value::Object(saved));
        baseline.insert("lines".to_owned(), Value::Object(lines));
        baseline.insert("check_seconds".to_owned(), Value::Object(checks));
        if let Err(message) = write_baseline(&baseline_path, baseline) {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
        println!("bench: saved the {PROFILE} baseline to {BASELINE}");
    }
    ExitCode::SUCCESS
}

/// The baseline file's profiles; empty when there is no file yet.
fn read_baseline(path: &Path) -> Result<Map<String, Value>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(profiles)) => Ok(profiles),
        Ok(_) => Err(format!("{}: expected a JSON object", path.display())),
        Err(error) => Err(format!("{}: {error}", path.display())),
    }
}

fn write_baseline(path: &Path, baseline: Map<String, Value>) -> Result<(), String> {
    let mut text = serde_json::to_string_pretty(&Value::Object(baseline))
        .map_err(|error| format!("cannot serialise the baseline: {error}"))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// `runs` generations of the spec on a big-stack thread; a panic becomes an error.
fn measure(path: &Path, name: &str, runs: u32) -> Result<Timing, String> {
    let path = path.to_path_buf();
    let options = Options {
        crate_name: crate_slug(name),
        spec_label: name.to_owned(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    std::thread::Builder::new()
        .name("bench".to_owned())
        .stack_size(GENERATE_STACK)
        .spawn(move || time_runs(&path, &options, runs))
        .map_err(|error| format!("cannot start a thread: {error}"))?
        .join()
        .unwrap_or_else(|_| Err("the generator panicked".to_owned()))
}

fn time_runs(path: &Path, options: &Options, runs: u32) -> Result<Timing, String> {
    let mut times = Vec::new();
    let (mut files, mut bytes, mut lines) = (0, 0, 0);
    let mut kept = None;
    for _ in 0..runs {
        let start = Instant::now();
        let output = generator::generate(path, options).map_err(|error| error.to_string())?;
        times.push(start.elapsed());
        files = output.files.len();
        bytes = output.files.values().map(String::len).sum();
        lines = crate::corpus::count_lines(&output);
        kept = Some(output);
    }
    times.sort();
    let middle = times.len() / 2;
    let median = if times.len() % 2 == 1 {
        times.get(middle).copied()
    } else {
        times
            .get(middle.saturating_sub(1)..=middle)
            .map(|pair| pair.iter().sum::<Duration>() / 2)
    };
    Ok(Timing {
        min: times.first().copied().unwrap_or_default(),
        median: median.unwrap_or_default(),
        files,
        bytes,
        lines,
        check: None,
        output: kept,
    })
}

/// Writes every generated crate into one workspace under `<target dir>/bench/`, builds
/// the dependencies once (untimed), then times `cargo check` of each crate alone after
/// `cargo clean -p` of it.
fn check_crates(root: &Path, results: &mut [(&str, Result<Timing, String>)]) -> Result<(), String> {
    let bench_dir = crate::generated_workspace::target_dir(root).join("bench");
    let mut members = Vec::new();
    for (name, result) in results.iter() {
        let Ok(Timing {
            output: Some(output),
            ..
        }) = result
        else {
            continue;
        };
        let slug = crate_slug(name);
        let dir = bench_dir.join(&slug);
        generator::write::write(&dir, output)
            .map_err(|error| format!("cannot write {}: {error}", dir.display()))?;
        members.push(slug);
    }
    let mut workspace = crate::generated_workspace::Workspace::create(
        &bench_dir,
        &members,
        &root.join("Cargo.lock"),
        &bench_dir.join("target"),
    )
    .map_err(|error| format!("cannot write the bench workspace: {error}"))?;
    let run_error = |error: std::io::Error| format!("cannot run cargo: {error}");
    if let Some(first) = members.first() {
        eprintln!("bench: building the dependencies (untimed)");
        workspace.check(&["-p", first]).map_err(run_error)?;
    }
    for (name, result) in results.iter_mut() {
        let Ok(timing) = result else { continue };
        let slug = crate_slug(name);
        workspace.clean(&slug).map_err(run_error)?;
        let start = Instant::now();
        let check = workspace.check(&["-p", &slug]).map_err(run_error)?;
        let elapsed = start.elapsed();
        if check.success {
            eprintln!("bench {name}: cargo check {:.1} s", elapsed.as_secs_f64());
            timing.check = Some(elapsed);
        } else {
            eprintln!(
                "bench {name}: cargo check failed: {}",
                check.stderr.lines().last().unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// The package name of a spec's bench crate: `bench-` and the file stem's slug.
fn crate_slug(spec: &str) -> String {
    let stem = spec.split('.').next().unwrap_or(spec);
    format!("bench-{}", crate::generated_workspace::slug(stem))
}

/// Lines emitted and crate check time, each with its baseline and ratio.
fn print_sizes(
    results: &[(&str, Result<Timing, String>)],
    lines: &Map<String, Value>,
    checks: &Map<String, Value>,
) {
    let ratio = |now: f64, base: Option<f64>| match base.filter(|base| *base > 0.0) {
        Some(base) => (format!("{base}"), format!("{:.2}", now / base)),
        None => ("-".to_owned(), "-".to_owned()),
    };
    println!();
    println!("| spec | lines | baseline lines | ratio | check s | baseline check s | ratio |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (name, result) in results {
        let Ok(timing) = result else { continue };
        let (base_lines, lines_ratio) = ratio(
            timing.lines as f64,
            lines.get(*name).and_then(Value::as_f64),
        );
        let (check, base_check, check_ratio) = match timing.check {
            Some(check) => {
                let (base, ratio) = ratio(
                    check.as_secs_f64(),
                    checks.get(*name).and_then(Value::as_f64),
                );
                (format!("{:.1}", check.as_secs_f64()), base, ratio)
            }
            None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        };
        println!("| {name} | {} | {base_lines} | {lines_ratio} | {check} | {base_check} | {check_ratio} |", timing.lines);
    }
}

/// A padded Markdown table, then the geometric mean of the ratios.
fn print_table(results: &[(&str, Result<Timing, String>)], baseline: &Map<String, Value>) {
    let header = [
        "spec",
        "min s",
        "median s",
        "baseline s",
        "ratio",
        "files",
        "bytes",
    ];
    let mut ratios = Vec::new();
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|(name, result)| {
            let base = baseline.get(*name).and_then(Value::as_f64);
            let base_cell = base.map_or_else(|| "-".to_owned(), |base| format!("{base:.4}"));
            let Ok(timing) = result else {
                return vec![
                    (*name).to_owned(),
                    "failed".to_owned(),
                    "-".to_owned(),
                    base_cell,
                    "-".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                ];
            };
            let min = timing.min.as_secs_f64();
            let ratio = base.filter(|&base| base > 0.0).map(|base| min / base);
            ratios.extend(ratio);
            let ratio_cell = match ratio {
                Some(ratio) if ratio > SLOWER => format!("{ratio:.2} slower"),
                Some(ratio) => format!("{ratio:.2}"),
                None => "-".to_owned(),
            };
            vec![
                (*name).to_owned(),
                format!("{min:.4}"),
                format!("{:.4}", timing.median.as_secs_f64()),
                base_cell,
                ratio_cell,
                timing.files.to_string(),
                timing.bytes.to_string(),
            ]
        })
        .collect();
    crate::table::print(&header, &rows);
    if ratios.is_empty() {
        println!("bench: no {PROFILE} baseline for these specs (run with --save to record one)");
    } else {
        let mean = ratios.iter().map(|ratio| ratio.ln()).sum::<f64>() / ratios.len() as f64;
        println!(
            "bench: geometric mean ratio {:.2} over {} spec{} ({PROFILE} build)",
            mean.exp(),
            ratios.len(),
            if ratios.len() == 1 { "" } else { "s" }
        );
    }
}
