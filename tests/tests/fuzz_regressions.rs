//! The generator under `cargo xtask fuzz`'s mutations, in the default test run:
//!
//! - every input the fuzzer saved in `tests/fixtures/fuzz/` (`<hash>.json`, minimised)
//!   has the outcome its `<hash>.expect` names: `ok`, `located-error`, or
//!   `ok-or-located-error` (never a panic, a hang, an unlocated error or Rust that does
//!   not parse), with `strict` after it when it was found with `Options::strict`;
//! - a short run with a fixed seed over the fixture specs (`tests/fixtures/*` only:
//!   nothing outside the repository) ends with no failure at all.
//!
//! The quick run emits Rust for one input in [`EMIT_EVERY`] (the others stop at the IR),
//! to stay well under a minute in a debug build.
//!
//! Inputs run in this process (a debug build), each on its own thread with a time limit:
//! an abort or stack overflow fails the whole test binary, which is loud enough here;
//! `cargo xtask fuzz` runs them in a worker process instead.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "../../xtask/src/fuzz/mutate.rs"]
mod mutate;

#[allow(dead_code)]
#[path = "../../xtask/src/fuzz/outcome.rs"]
mod outcome;

use outcome::Outcome;

/// Per-input limit: generous for a debug build on a busy machine; a real hang is endless.
const LIMIT: Duration = Duration::from_secs(60);
/// Inputs of the quick run, and its seed (fixed: a failure here is reproducible with
/// `cargo xtask fuzz --fixtures-only --seed 20240612 --show <index>`, at full scale).
const QUICK_INPUTS: u64 = 2_000;
const QUICK_SEED: u64 = 20_240_612;
/// One input in this many goes through the whole pipeline (emit, format, `syn`); the
/// others stop at the IR. Emitting and formatting are most of a debug build's time, and
/// `cargo xtask fuzz` (release) emits every input.
const EMIT_EVERY: u64 = 8;

fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `text` through the generator within [`LIMIT`].
fn run_limited(text: String, strict: bool, emit: bool) -> Outcome {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(outcome::run_stages(&text, strict, emit).0);
    });
    receiver
        .recv_timeout(LIMIT)
        .unwrap_or_else(|_| Outcome::Hang(format!("no answer within {} s", LIMIT.as_secs())))
}

#[test]
fn saved_fuzz_inputs_have_their_expected_outcome() {
    outcome::quiet_panics();
    let dir = workspace_root().join("tests/fixtures/fuzz");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no saved inputs in {}", dir.display());
    let mut wrong = Vec::new();
    for input in &inputs {
        let expect_path = input.with_extension("expect");
        let expect = std::fs::read_to_string(&expect_path)
            .unwrap_or_else(|error| panic!("{}: {error}", expect_path.display()));
        let line = expect
            .lines()
            .find(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .unwrap_or_default();
        let mut words = line.split_whitespace();
        let expected = words.next().unwrap_or_default().to_owned();
        let strict = words.next() == Some("strict");
        assert!(
            ["ok", "located-error", "ok-or-located-error"].contains(&expected.as_str()),
            "{}: unknown expectation `{line}`",
            expect_path.display()
        );
        let text = std::fs::read_to_string(input)
            .unwrap_or_else(|error| panic!("{}: {error}", input.display()));
        let result = run_limited(text, strict, true);
        let fits = match expected.as_str() {
            "ok-or-located-error" => !result.is_failure(),
            class => result.class() == class,
        };
        if !fits {
            wrong.push(format!(
                "{}: expected {expected}, got {}: {}",
                input.display(),
                result.class(),
                result.message()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_short_fixed_seed_run_over_the_fixture_specs_has_no_failure() {
    outcome::quiet_panics();
    let (seeds, _skipped) = mutate::load_seeds(&workspace_root().join("tests/fixtures"))
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(seeds.len() >= 20, "only {} fixture seeds", seeds.len());
    let start = Instant::now();
    // Two threads, as the machine has two cores; input i is the same whichever runs it.
    let results: Vec<(u64, Outcome)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|job| {
                let seeds = &seeds;
                scope.spawn(move || {
                    (job..QUICK_INPUTS)
                        .step_by(2)
                        .map(|index| {
                            let input =
                                mutate::make_input(seeds, QUICK_SEED, index, mutate::Scale::QUICK);
                            let text = mutate::to_text(&input.value);
                            (
                                index,
                                run_limited(text, input.strict, index % EMIT_EVERY == 0),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    });
    let count = |class: &str| {
        results
            .iter()
            .filter(|(_, result)| result.class() == class)
            .count()
    };
    let failures: Vec<String> = results
        .iter()
        .filter(|(_, result)| result.is_failure())
        .map(|(index, result)| format!("input {index}: {}: {}", result.class(), result.message()))
        .collect();
    eprintln!(
        "fuzz: {} inputs in {:.1} s, {} panics, {} hangs, {} located errors, {} ok",
        results.len(),
        start.elapsed().as_secs_f64(),
        count("panic"),
        count("hang"),
        count("located-error"),
        count("ok"),
    );
    assert_eq!(results.len() as u64, QUICK_INPUTS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The mutations reach both ends: specs that still generate and specs refused at a place.
    assert!(
        count("ok") > QUICK_INPUTS as usize / 10,
        "only {} ok",
        count("ok")
    );
    assert!(
        count("located-error") > QUICK_INPUTS as usize / 10,
        "only {} located errors",
        count("located-error")
    );
}

#[test]
fn located_means_a_pointer_or_a_line_and_column() {
    assert!(outcome::is_located("fuzz.json:3:14: invalid type: integer"));
    assert!(outcome::is_located(
        "fuzz.json: #/components/schemas/A: dangling $ref"
    ));
    assert!(outcome::is_located("fuzz.json: #: no paths"));
    assert!(outcome::is_located(
        "fuzz.json: --strict: the spec needs 1 repair(s) or fallback(s):\n  #: no `paths`"
    ));
    assert!(!outcome::is_located("fuzz.json:0:0: invalid type"));
    assert!(!outcome::is_located("fuzz.json: something went wrong"));
}

#[test]
fn input_text_keeps_duplicate_keys_and_inputs_are_reproducible() {
    let mut map = serde_json::Map::new();
    map.insert("a".to_owned(), serde_json::json!(1));
    map.insert(
        format!("{}a", mutate::DUPLICATE_PREFIX),
        serde_json::json!(2),
    );
    assert_eq!(
        mutate::to_text(&serde_json::Value::Object(map)),
        r#"{"a":1,"a":2}"#
    );

    let seeds = vec![mutate::Seed {
        name: "tiny".to_owned(),
        value: serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        slice: false,
    }];
    let first = mutate::make_input(&seeds, 7, 42, mutate::Scale::QUICK);
    let again = mutate::make_input(&seeds, 7, 42, mutate::Scale::QUICK);
    assert_eq!(first.value, again.value);
    assert_eq!(first.mutations, again.mutations);
}
