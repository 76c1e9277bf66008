//! `cargo xtask fuzz [--iterations N] [--seed S] [--time SECS]`: structured mutations of the
//! fixture specs and of `../shared/corpus`, each run through the generator in a worker
//! process. Every input must end in `Ok` (and its Rust parse with `syn`) or in a located
//! `GenerateError`; anything else is a failure, minimised and saved under
//! `tests/fixtures/fuzz/` as a regression test (`tests/tests/fuzz_regressions.rs`).
//!
//! - `mutate.rs`: seeds, mutations, slicing of big documents (shared with the test)
//! - `outcome.rs`: one input in-process, and its class (shared with the test)
//! - `worker.rs`: the worker process and the driver's handle on it (timeouts, deaths)
//! - `minimise.rs`: greedy minimisation of a failing input

pub mod minimise;
pub mod mutate;
pub mod outcome;
pub mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::generated_workspace::{self, Workspace};
use mutate::Seed;
use outcome::Outcome;
use worker::Worker;

/// Default corpus, relative to the workspace root (read when it exists).
const DEFAULT_CORPUS: &str = "../shared/corpus";
/// Inputs when neither `--iterations` nor `--time` is given.
const DEFAULT_ITERATIONS: u64 = 10_000;
/// Distinct failures kept per run (each one is minimised, which takes a while).
const MAX_FAILURES: usize = 20;
/// Where saved failures go, relative to the workspace root.
pub const SAVED_DIR: &str = "tests/fixtures/fuzz";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Stop after N inputs [default: 10000, or unlimited with --time].
    #[arg(long, value_name = "N")]
    iterations: Option<u64>,
    /// Seed of the run; input i is reproducible from (seed, i) [default: from the clock].
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Stop after SECS seconds (with --iterations, whichever comes first).
    #[arg(long, value_name = "SECS")]
    time: Option<u64>,
    /// Directory of real-world specs used as seeds besides the fixtures
    /// [default: ../shared/corpus from the workspace root, when it exists].
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Seeds from the repository's fixture specs only.
    #[arg(long)]
    fixtures_only: bool,
    /// Worker processes running inputs side by side.
    #[arg(long, default_value_t = 1, value_name = "N")]
    jobs: usize,
    /// Per-input limit: an input without an answer by then is a hang.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    timeout: u64,
    /// `cargo check` every Nth generated crate (0: never). One check runs at a time, in
    /// the background; a crate due while one runs is skipped (and counted).
    #[arg(long, default_value_t = 500, value_name = "N")]
    check_every: u64,
    /// Report failures without minimising or saving them.
    #[arg(long)]
    no_save: bool,
    /// Run input (seed, I) alone and print it and its outcome (to reproduce a report).
    #[arg(long, value_name = "I")]
    show: Option<u64>,
    /// Run this JSON file alone and print its outcome (e.g. a saved tests/fixtures/fuzz input).
    #[arg(long, value_name = "FILE", conflicts_with = "show")]
    input: Option<PathBuf>,
    /// With --input: run it with `Options::strict`.
    #[arg(long, requires = "input")]
    strict: bool,
    /// Run in this build of xtask even when it is a debug build (about 4x slower per
    /// input), instead of building and running xtask in release first.
    #[arg(long)]
    this_build: bool,
}

/// `cargo xtask fuzz` in a release build of xtask: builds it (`cargo build --release`,
/// cached after the first time) and runs the same command line there, unless this is
/// already an optimised build or `--this-build` is given.
///
/// Why: the fuzzer measures the generator as its users run it, and inputs per second
/// decide whether a million inputs take an hour or four; cargo aliases cannot pick a
/// profile per subcommand, so the debug build hands over to the release one.
pub fn run_optimised(root: &Path, args: &Args) -> ExitCode {
    if !cfg!(debug_assertions) || args.this_build {
        return run(root, args);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("fuzz: building xtask in release (once; --this-build skips it)");
    let built = std::process::Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "--package",
            "xtask",
        ])
        .current_dir(root)
        .status();
    match built {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!("error: building xtask in release failed ({status})");
            return ExitCode::from(2);
        }
        Err(error) => {
            eprintln!("error: cannot run cargo: {error}");
            return ExitCode::from(2);
        }
    }
    let program = generated_workspace::target_dir(root)
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    let status = std::process::Command::new(&program)
        .args(std::env::args_os().skip(1))
        .arg("--this-build")
        .status();
    match status {
        Ok(status) => ExitCode::from(
            status
                .code()
                .and_then(|code| u8::try_from(code).ok())
                .unwrap_or(2),
        ),
        Err(error) => {
            eprintln!("error: cannot run {}: {error}", program.display());
            ExitCode::from(2)
        }
    }
}

/// Counts by class, and the first failure of each kind.
#[derive(Debug, Default)]
struct Stats {
    classes: BTreeMap<&'static str, u64>,
    failures: Vec<Failure>,
    restarts: usize,
}

#[derive(Debug, Clone)]
struct Failure {
    index: u64,
    input: mutate::Input,
    outcome: Outcome,
}

/// The sampled `cargo check`s.
#[derive(Debug, Default)]
struct Checks {
    checked: u64,
    skipped: u64,
    failed: Vec<String>,
}

pub fn run(root: &Path, args: &Args) -> ExitCode {
    if let Some(file) = &args.input {
        return run_file(
            root,
            &crate::codegen::from_cwd(file),
            args.strict,
            args.no_save,
            Duration::from_secs(args.timeout.max(1)),
        );
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64)
    });
    println!("fuzz: seed {seed}");
    let seeds = match load_all_seeds(root, args) {
        Ok(seeds) => seeds,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(error) => {
            eprintln!("error: cannot find this program to start workers: {error}");
            return ExitCode::from(2);
        }
    };
    let limit = Duration::from_secs(args.timeout.max(1));
    if let Some(index) = args.show {
        return show(&program, &seeds, seed, index, limit);
    }

    let iterations = args.iterations.unwrap_or(if args.time.is_some() {
        u64::MAX
    } else {
        DEFAULT_ITERATIONS
    });
    let deadline = args
        .time
        .map(|secs| Instant::now() + Duration::from_secs(secs));
    let fuzz_dir = generated_workspace::target_dir(root).join("fuzz");
    let checker = (args.check_every > 0).then(|| Checker::start(root, &fuzz_dir));

    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let oks = AtomicU64::new(0);
    let stats = Mutex::new(Stats::default());
    let start = Instant::now();
    let finished = AtomicBool::new(false);
    let worker_error = Mutex::new(None);
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for job in 0..args.jobs.max(1) {
            let (seeds, next, done, oks, stats, checker, program, fuzz_dir, worker_error) = (
                &seeds,
                &next,
                &done,
                &oks,
                &stats,
                &checker,
                &program,
                &fuzz_dir,
                &worker_error,
            );
            handles.push(scope.spawn(move || {
                let mut worker = match Worker::start(program) {
                    Ok(worker) => worker,
                    Err(error) => {
                        *worker_error.lock().unwrap_or_else(|e| e.into_inner()) =
                            Some(error.to_string());
                        return;
                    }
                };
                let pending = fuzz_dir.join(format!("pending-{job}"));
                loop {
                    if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                        break;
                    }
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= iterations {
                        break;
                    }
                    let input = mutate::make_input(seeds, seed, index, mutate::Scale::FULL);
                    let text = mutate::to_text(&input.value);
                    let result = match worker.run(&text, input.strict, None, limit) {
                        Ok(result) => result,
                        Err(error) => {
                            *worker_error.lock().unwrap_or_else(|e| e.into_inner()) =
                                Some(format!("cannot restart the worker: {error}"));
                            break;
                        }
                    };
                    if matches!(result, Outcome::Ok { .. }) {
                        let ok = oks.fetch_add(1, Ordering::Relaxed) + 1;
                        if let Some(checker) = checker {
                            if ok % args.check_every == 0 {
                                checker.offer(&mut worker, &text, input.strict, &pending, limit);
                            }
                        }
                    }
                    let mut stats = stats.lock().unwrap_or_else(|e| e.into_inner());
                    *stats.classes.entry(result.class()).or_default() += 1;
                    if result.is_failure() {
                        let signature = signature(&result);
                        let known = stats
                            .failures
                            .iter()
                            .any(|failure| signature_of(failure) == signature);
                        if !known && stats.failures.len() < MAX_FAILURES {
                            eprintln!(
                                "fuzz: input {index} ({}; {}): {}: {}",
                                input.seed,
                                input.mutations.join(", "),
                                result.class(),
                                first_line(result.message())
                            );
                            stats.failures.push(Failure {
                                index,
                                input,
                                outcome: result,
                            });
                        }
                    }
                    drop(stats);
                    done.fetch_add(1, Ordering::Relaxed);
                }
                stats.lock().unwrap_or_else(|e| e.into_inner()).restarts += worker.starts - 1;
            }));
        }
        // Progress every ten seconds while the jobs run.
        let finished = &finished;
        let done = &done;
        scope.spawn(move || {
            let mut last = Instant::now();
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                if last.elapsed() >= Duration::from_secs(10) {
                    last = Instant::now();
                    let count = done.load(Ordering::Relaxed);
                    let rate = count as f64 / start.elapsed().as_secs_f64();
                    eprintln!("fuzz: {count} inputs, {rate:.0}/s");
                }
            }
        });
        for handle in handles {
            let _ = handle.join();
        }
        finished.store(true, Ordering::Relaxed);
    });
    let elapsed = start.elapsed();
    if let Some(message) = worker_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let checks = checker.map(Checker::finish);
    let stats = stats.into_inner().unwrap_or_else(|e| e.into_inner());
    let total = done.load(Ordering::Relaxed);

    let mut saved = Vec::new();
    if !args.no_save && !stats.failures.is_empty() {
        match save_failures(root, &program, &stats.failures, Some(seed), limit) {
            Ok(paths) => saved = paths,
            Err(message) => eprintln!("error: cannot save failures: {message}"),
        }
    }

    let count = |class: &str| stats.classes.get(class).copied().unwrap_or(0);
    println!(
        "fuzz: {total} inputs in {:.1} s, {:.0} inputs/s, {} jobs, {} seeds, seed {seed}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64().max(1e-9),
        args.jobs.max(1),
        seeds.len(),
    );
    println!(
        "fuzz: {} ok, {} worker restarts{}",
        count("ok"),
        stats.restarts,
        checks.as_ref().map_or_else(String::new, |checks| format!(
            ", {} crates cargo-checked ({} failed, {} due while busy skipped)",
            checks.checked,
            checks.failed.len(),
            checks.skipped
        )),
    );
    for failure in checks.iter().flat_map(|checks| &checks.failed) {
        println!("fuzz: check failed: {failure}");
    }
    for path in &saved {
        println!("fuzz: saved {}", path.display());
    }
    let failures = [
        "unlocated-error",
        "internal-error",
        "unparsable-output",
        "undefined-type",
        "crash",
    ];
    println!(
        "fuzz: {total} inputs, {} panics, {} hangs, {} located errors ({} aborts/crashes, {} unlocated errors, {} internal errors, {} unparsable outputs, {} undefined types)",
        count("panic"),
        count("hang"),
        count("located-error"),
        count("crash"),
        count("unlocated-error"),
        count("internal-error"),
        count("unparsable-output"),
        count("undefined-type"),
    );
    let failed =
        count("panic") + count("hang") + failures.iter().map(|class| count(class)).sum::<u64>();
    let check_failed = checks.is_some_and(|checks| !checks.failed.is_empty());
    if failed > 0 || check_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The fixture specs (`tests/fixtures/*`, `tests/fixtures/upgrade/*`, `spec/openapi.yaml`)
/// and, unless `--fixtures-only`, the corpus.
fn load_all_seeds(root: &Path, args: &Args) -> Result<Vec<Seed>, String> {
    let mut seeds = Vec::new();
    let mut skipped = Vec::new();
    for dir in ["tests/fixtures", "tests/fixtures/upgrade"] {
        let (found, skip) = mutate::load_seeds(&root.join(dir))?;
        seeds.extend(found);
        skipped.extend(skip);
    }
    seeds.push(mutate::load_seed(&root.join("spec/openapi.yaml"))?);
    let fixtures = seeds.len();
    if !args.fixtures_only {
        let dir = args
            .corpus
            .as_deref()
            .map_or_else(|| root.join(DEFAULT_CORPUS), crate::codegen::from_cwd);
        if dir.is_dir() || args.corpus.is_some() {
            let (found, skip) = mutate::load_seeds(&dir)?;
            seeds.extend(found);
            skipped.extend(skip);
        } else {
            println!("fuzz: no corpus at {} (fixtures only)", dir.display());
        }
    }
    for skip in &skipped {
        eprintln!("fuzz: skipped seed {skip}");
    }
    let sliced = seeds.iter().filter(|seed| seed.slice).count();
    println!(
        "fuzz: {} seeds ({fixtures} fixtures, {} corpus; {sliced} too big to mutate whole, sliced to a few operations)",
        seeds.len(),
        seeds.len() - fixtures
    );
    if seeds.is_empty() {
        return Err("no seed specs".to_owned());
    }
    Ok(seeds)
}

/// `--show I`: input I of the run, and what the generator does with it.
fn show(program: &Path, seeds: &[Seed], seed: u64, index: u64, limit: Duration) -> ExitCode {
    let input = mutate::make_input(seeds, seed, index, mutate::Scale::FULL);
    let text = mutate::to_text(&input.value);
    println!("{}", mutate::to_pretty_text(&input.value));
    println!(
        "fuzz: input {index}: seed spec {}, mutations: {}, strict: {}",
        input.seed,
        input.mutations.join(", "),
        input.strict
    );
    match Worker::start(program).and_then(|mut worker| worker.run(&text, input.strict, None, limit))
    {
        Ok(result) => {
            println!("fuzz: {}: {}", result.class(), result.message());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot run the worker: {error}");
            ExitCode::from(2)
        }
    }
}

/// `--input FILE`: one file through a worker, timed.
fn run_file(root: &Path, file: &Path, strict: bool, no_save: bool, limit: Duration) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {}: {error}", file.display());
            return ExitCode::from(2);
        }
    };
    let program = std::env::current_exe();
    let start = Instant::now();
    match program.and_then(|program| Worker::start(&program)?.run(&text, strict, None, limit)) {
        Ok(result) => {
            println!(
                "fuzz: {}: {}: {} ({:.3} s)",
                file.display(),
                result.class(),
                first_line(result.message()),
                start.elapsed().as_secs_f64()
            );
            if !result.is_failure() {
                return ExitCode::SUCCESS;
            }
            // A failure found elsewhere (or a saved input that fails again): minimised and
            // saved like the run's own, unless --no-save.
            if !no_save {
                let Some(value) = serde_json::from_str(&text).ok() else {
                    eprintln!("error: {} is not JSON: cannot minimise it", file.display());
                    return ExitCode::from(1);
                };
                let failure = Failure {
                    index: 0,
                    input: mutate::Input {
                        value,
                        seed: file.display().to_string(),
                        mutations: Vec::new(),
                        strict,
                    },
                    outcome: result,
                };
                match std::env::current_exe()
                    .map_err(|error| error.to_string())
                    .and_then(|program| save_failures(root, &program, &[failure], None, limit))
                {
                    Ok(paths) => paths
                        .iter()
                        .for_each(|path| println!("fuzz: saved {}", path.display())),
                    Err(message) => eprintln!("error: cannot save the failure: {message}"),
                }
            }
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: cannot run the worker: {error}");
            ExitCode::from(2)
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// What makes two failures the same bug: the class, and the panic's location or the
/// message without its names and numbers.
fn signature(outcome: &Outcome) -> String {
    let message = outcome.message();
    let detail = match outcome {
        Outcome::Panic(message) => message
            .rsplit_once(" at ")
            .map_or(message.as_str(), |(_, at)| at)
            .to_owned(),
        Outcome::Hang(_) => String::new(),
        Outcome::Crash(_) => first_line(message)
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .take(60)
            .collect(),
        _ => {
            // Names are quoted or follow `#/`; keep the words around them.
            first_line(message)
                .split_whitespace()
                .filter(|word| {
                    !word.contains(['#', '`', '\'', '"'])
                        && !word.chars().any(|c| c.is_ascii_digit())
                })
                .take(8)
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    format!("{}: {detail}", outcome.class())
}

fn signature_of(failure: &Failure) -> String {
    signature(&failure.outcome)
}

/// Minimises each failure, saves it as `tests/fixtures/fuzz/<hash>.json` with its
/// `.expect` file, and returns the paths written.
fn save_failures(
    root: &Path,
    program: &Path,
    failures: &[Failure],
    seed: Option<u64>,
    limit: Duration,
) -> Result<Vec<PathBuf>, String> {
    let dir = root.join(SAVED_DIR);
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut worker =
        Worker::start(program).map_err(|error| format!("cannot start a worker: {error}"))?;
    let mut paths = Vec::new();
    for failure in failures {
        let wanted = signature(&failure.outcome);
        let strict = failure.input.strict;
        // A hang costs the whole limit per try: few tries.
        let budget = match failure.outcome {
            Outcome::Hang(_) => minimise::Budget {
                tries: 400,
                time: Duration::from_secs(600),
            },
            _ => minimise::Budget {
                tries: 3000,
                time: Duration::from_secs(120),
            },
        };
        eprintln!("fuzz: minimising input {} ({wanted})", failure.index);
        let mut reproduces = |text: &str| {
            worker
                .run(text, strict, None, limit)
                .is_ok_and(|outcome| signature(&outcome) == wanted)
        };
        let small = minimise::minimise(&failure.input.value, budget, |candidate| {
            reproduces(&mutate::to_text(candidate))
        });
        // Indented when that still fails the same way (line:column can matter).
        let pretty = mutate::to_pretty_text(&small);
        let text = if reproduces(&pretty) {
            pretty
        } else {
            mutate::to_text(&small)
        };
        let hash: String = Sha256::digest(text.as_bytes())
            .iter()
            .take(6)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let path = dir.join(format!("{hash}.json"));
        let found = match seed {
            Some(seed) => format!(
                "`cargo xtask fuzz --seed {seed}` (input {}, seed spec {}, mutations: {})",
                failure.index,
                failure.input.seed,
                failure.input.mutations.join(", ")
            ),
            None => format!("`cargo xtask fuzz --input {}`", failure.input.seed),
        };
        let expect = format!(
            "ok-or-located-error{}\n# Found by {found}, minimised.\n# Was: {}: {}\n",
            if strict { " strict" } else { "" },
            failure.outcome.class(),
            first_line(failure.outcome.message()),
        );
        std::fs::write(&path, format!("{text}\n"))
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let expect_path = path.with_extension("expect");
        std::fs::write(&expect_path, expect)
            .map_err(|error| format!("{}: {error}", expect_path.display()))?;
        paths.push(path);
    }
    Ok(paths)
}

/// The background `cargo check` of sampled crates: one at a time, in one workspace
/// under `<target dir>/fuzz/check` whose dependencies are built once.
struct Checker {
    busy: Arc<AtomicBool>,
    sender: Option<mpsc::Sender<(PathBuf, String)>>,
    thread: Option<std::thread::JoinHandle<()>>,
    checks: Arc<Mutex<Checks>>,
}

impl Checker {
    fn start(root: &Path, fuzz_dir: &Path) -> Self {
        let busy = Arc::new(AtomicBool::new(false));
        let checks = Arc::new(Mutex::new(Checks::default()));
        let (sender, receiver) = mpsc::channel::<(PathBuf, String)>();
        let check_root = fuzz_dir.join("check");
        let failures_dir = fuzz_dir.join("check-failures");
        let lock = root.join("Cargo.lock");
        let target = fuzz_dir.join("check-target");
        let (thread_busy, thread_checks) = (Arc::clone(&busy), Arc::clone(&checks));
        let thread = std::thread::spawn(move || {
            let member = check_root.join("member");
            let mut workspace = None;
            for (crate_dir, text) in receiver {
                let verdict = (|| -> Result<Option<String>, String> {
                    if member.exists() {
                        std::fs::remove_dir_all(&member).map_err(|error| error.to_string())?;
                    }
                    std::fs::create_dir_all(&check_root).map_err(|error| error.to_string())?;
                    std::fs::rename(&crate_dir, &member).map_err(|error| error.to_string())?;
                    if workspace.is_none() {
                        workspace = Some(
                            Workspace::create(&check_root, &["member".to_owned()], &lock, &target)
                                .map_err(|error| error.to_string())?,
                        );
                    }
                    let Some(workspace) = workspace.as_mut() else {
                        return Ok(None);
                    };
                    let check = workspace
                        .check(&["--workspace"])
                        .map_err(|error| error.to_string())?;
                    let member = workspace.root.join("member");
                    let first = check.of(&member, "error").next().map(|d| d.message.clone());
                    Ok(match first {
                        Some(message) => Some(message),
                        None if !check.success => Some(
                            check
                                .cargo_error()
                                .unwrap_or("cargo failed")
                                .lines()
                                .next()
                                .unwrap_or_default()
                                .to_owned(),
                        ),
                        None => None,
                    })
                })();
                let mut checks = thread_checks.lock().unwrap_or_else(|e| e.into_inner());
                checks.checked += 1;
                let problem = match verdict {
                    Ok(None) => None,
                    Ok(Some(message)) => Some(message),
                    Err(message) => Some(format!("cannot check: {message}")),
                };
                if let Some(problem) = problem {
                    let hash: String = Sha256::digest(text.as_bytes())
                        .iter()
                        .take(6)
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    let saved = failures_dir.join(format!("{hash}.json"));
                    let _ = std::fs::create_dir_all(&failures_dir)
                        .and_then(|()| std::fs::write(&saved, &text));
                    eprintln!(
                        "fuzz: generated crate does not check: {problem} (input: {})",
                        saved.display()
                    );
                    checks
                        .failed
                        .push(format!("{problem} ({})", saved.display()));
                }
                thread_busy.store(false, Ordering::Release);
            }
        });
        Self {
            busy,
            sender: Some(sender),
            thread: Some(thread),
            checks,
        }
    }

    /// Has the worker write the crate of `text` and queues its check, unless a check is
    /// running (then it is counted as skipped).
    fn offer(
        &self,
        worker: &mut Worker,
        text: &str,
        strict: bool,
        pending: &Path,
        limit: Duration,
    ) {
        if self.busy.swap(true, Ordering::AcqRel) {
            self.checks
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .skipped += 1;
            return;
        }
        let written = worker.run(text, strict, Some(pending), limit);
        match (written, &self.sender) {
            (Ok(Outcome::Ok { .. }), Some(sender))
                if sender
                    .send((pending.to_path_buf(), text.to_owned()))
                    .is_ok() => {}
            _ => self.busy.store(false, Ordering::Release),
        }
    }

    /// Waits for the check in progress and returns the counts.
    fn finish(mut self) -> Checks {
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            if self.busy.load(Ordering::Acquire) {
                eprintln!("fuzz: waiting for the last cargo check");
            }
            let _ = thread.join();
        }
        std::mem::take(&mut *self.checks.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
