//! `cargo xtask conformance`: the generated clients against Prism, a validating mock
//! server written by others (the npm package `@stoplight/prism-cli`).
//!
//! Why: our own tests check the wire format against what *we* read in a spec (the
//! recording server of the fixture wire tests, the fake API of `tests/tests/e2e.rs`), so a
//! misreading the generator and its tests share passes them. Prism reads the spec itself:
//! run as `prism mock <spec>`, it refuses a request that breaks the spec (the spec's 400 or
//! 401 answer, or its own 422, the violations in an `sl-violations` header or a problem
//! body) and otherwise answers with the spec's examples, or values made from its schemas.
//! It does so without `--errors`; that flag would also turn the violations of its own
//! answers (a schema's example Prism makes that breaks the schema, such as `"string"` for
//! `format: byte`) into 500s, hiding the answer whose decoding we check. Those violations
//! are shown as notes instead: they are about the spec or Prism, not our client.
//!
//! What runs, one Prism per spec:
//! - every fixture spec with operations and a wire test (`tests/fixtures/roundtrip/`):
//!   its crate's wire tests, with `CONFORMANCE_PRISM` set. The recording server
//!   (`roundtrip/support.rs`) forwards each request it records to Prism and appends
//!   Prism's verdict to `CONFORMANCE_REPORT`; the test goes on with its canned answer. The
//!   crates are those `tests/tests/fixtures_compile.rs` builds, in the same place, so a
//!   conformance run after a test run builds nothing again.
//! - `spec/openapi.yaml`: `tests/tests/conformance.rs` (ignored in the default test run)
//!   drives every operation of `ai-agent-client` against Prism with the values of e2e.rs,
//!   and once for each status the spec documents; it also records whether each answer
//!   decoded into the typed result.
//!
//! This command judges the reports. A request is flagged when Prism names a request
//! violation or answers with one of its own errors, unless it is one of the few [`KNOWN`]
//! flags (Prism's own misreadings, or a wire test's deliberate off-spec value), printed
//! with why on every run. An answer of our own spec is undecodable when the client could
//! not read it as the success or documented error it is. A control request breaks the
//! spec on purpose and must be flagged, so a check that has gone blind fails. Prism
//! crashes on a few requests (label and matrix arrays and objects, array headers): it is
//! restarted on the same port, and those requests are listed as not checked, with the
//! crash. A fixture Prism cannot read (`lenient.yaml`, invalid on purpose) is listed, not
//! checked. Exit 0 when nothing is flagged or undecodable, 1 otherwise, 2 when it cannot
//! run (no Node or npm, Prism does not install or start, the tests do not build). It
//! needs Node, which the default test run does not, so it is a command of its own.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fixture_crates;
use crate::generated_workspace::{self, Executable, Workspace};

/// The npm package of Prism.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli";
/// Pinned, so that a run means the same thing every time: 5.14.2 is the newest Prism that
/// runs on Node 18 and 20 (5.15 requires Node 24).
const PRISM_VERSION: &str = "5.14.2";
/// The oldest Node that version runs on (its `engines`), by major version.
const NODE_MAJOR: u32 = 18;
/// The `type` of every error Prism answers with itself, rather than from the spec.
const PRISM_ERRORS: &str = "https://stoplight.io/prism/errors#";
/// How long Prism may take to start listening (it is a Node program, and slow to start
/// on a busy machine).
const STARTUP: Duration = Duration::from_secs(120);
/// Our own spec, relative to the workspace root.
const OWN_SPEC: &str = "spec/openapi.yaml";
/// Exit code when something was flagged or did not decode.
const EXIT_FAILED: u8 = 1;
/// Exit code when the check cannot run.
const EXIT_ERROR: u8 = 2;

/// One spec to check.
struct Subject {
    /// The spec's path relative to the workspace root, as shown.
    name: String,
    spec: PathBuf,
    operations: Vec<SpecOperation>,
    /// The tests that drive the client; `None` for a fixture without wire tests.
    program: Option<Program>,
    /// Whether the program records if each answer decoded (our own spec's test does; a
    /// fixture's wire test decodes its own canned answers instead).
    checks_decoding: bool,
}

/// An operation of a spec, as the generator reads it.
struct SpecOperation {
    id: String,
    /// Uppercase.
    method: String,
    /// The path template, e.g. `/files/{name}`.
    template: String,
}

/// A test program and how to run it.
struct Program {
    path: PathBuf,
    dir: PathBuf,
    args: Vec<String>,
}

/// What checking one spec found.
struct Row {
    /// Why Prism could not read the spec (a fixture invalid on purpose), if it could not.
    unreadable: Option<String>,
    name: String,
    operations: usize,
    /// The operations some request matched, by id.
    driven: BTreeSet<String>,
    /// The operations no request matched, by id.
    not_driven: Vec<String>,
    exchanges: Vec<Exchange>,
    checks_decoding: bool,
    /// `None` when there is no program; else whether it passed, and its output.
    tests: Option<(bool, String)>,
    /// Why Prism crashed while serving the tests (it was restarted each time), from its
    /// log; requests it crashed on have no verdict.
    crashes: Vec<String>,
    /// Prism's own log lines about request violations.
    logged_violations: Vec<String>,
    log: PathBuf,
}

/// One request and Prism's verdict on it.
struct Exchange {
    test: String,
    request: String,
    status: Option<u16>,
    /// Why Prism refused the request.
    flagged: Option<String>,
    /// Why the answer did not decode.
    undecodable: Option<String>,
    /// Why there is no verdict (Prism could not be reached, nothing was sent).
    error: Option<String>,
    /// What Prism says its own answer breaks in the spec.
    answer_violations: Vec<String>,
    /// Why the flag is known not to be about our client (see [`KNOWN`]).
    known: Option<&'static str>,
    /// A request that breaks the spec on purpose: Prism must flag it, or the check is
    /// blind. Not counted with the others.
    control: bool,
}

/// A flag known not to be about our clients: the spec, the start of the request line and
/// a part of Prism's reason, and why. Each is printed on every run.
struct Known {
    spec: &'static str,
    request: &'static str,
    reason: &'static str,
    why: &'static str,
}

/// The flags that are Prism's limits or a wire test's deliberate choice, not a fault of
/// the generated client. Keep it short and exact: anything else Prism flags fails.
const KNOWN: &[Known] = &[
    Known {
        spec: "tests/fixtures/bodies.yaml",
        request: "POST /upload ",
        reason: "must be array",
        why: "Prism reads each multipart/form-data part as one string, the last part of a name \
              winning (prism-http validator/validators/body.js), so no array property of a \
              multipart body passes, however it is sent",
    },
    Known {
        spec: "tests/fixtures/bodies.yaml",
        request: "PUT /blob ",
        reason: "INVALID_CONTENT_TYPE",
        why: "the wire test names application/pdf with body_content_type on purpose (the \
              caller's override); /blob lists only application/octet-stream",
    },
    Known {
        spec: "tests/fixtures/media_types.yaml",
        request: "POST /pets ",
        reason: "body.tags: Request body property tags must be array",
        why: "Prism reads the repeated key of `tags=a+b&tags=c` as one string; a form body's \
              arrays are `form`, exploded, by OpenAPI 3.0's default for \
              application/x-www-form-urlencoded, which is what is sent",
    },
    Known {
        spec: "tests/fixtures/mixed_media_types.yaml",
        request: "POST /notes ",
        reason: "Request body must have required property 'text'",
        why: "Prism checks the application/vnd.note.v2+json body `{\"body\":\"v2\"}` against \
              the schema of application/json (Note), not of its own media type (NoteV2)",
    },
    Known {
        spec: "tests/fixtures/mixed_media_types.yaml",
        request: "POST /notes ",
        reason: "INVALID_CONTENT_TYPE",
        why: "the wire test names image/png with body_content_type on purpose (the caller's \
              override); /notes lists application/octet-stream for raw bytes",
    },
    Known {
        spec: "tests/fixtures/swagger2.yaml",
        request: "GET /pets/7/photo ",
        reason: "UNKNOWN",
        why: "Prism accepts the request but cannot write its own answer (its log: \"Cannot \
              find serializer for image/png\"): it mocks no body of a `type: file` response",
    },
    Known {
        spec: "tests/fixtures/path_styles.yaml",
        request: "GET /label-exploded/",
        reason: "path.point",
        why: "Prism splits an exploded label object at `,` (prism-http \
              validator/deserializers/style/label.js), where OpenAPI 3.0's style table has \
              `.R=100.G=200.B=150`, as sent",
    },
    Known {
        spec: "tests/fixtures/parameters.yaml",
        request: "GET /files/%09...json ",
        reason: "path.extension",
        why: "`/files/{name}.{extension}` with the wire test's name \"\\t..\" is ambiguous \
              (RFC 6570 leaves `.` as is); Prism ends the name at the first dot",
    },
];

/// Runs the check and prints the table; see the module docs.
pub fn run(root: &Path) -> ExitCode {
    let rows = match check_all(root) {
        Ok(rows) => rows,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let failures = print_findings(&rows);
    println!();
    print_table(&rows);
    let total = |count: fn(&Row) -> usize| rows.iter().map(count).sum::<usize>();
    let mut summary = format!(
        "conformance: {} requests, {} flagged, {} undecodable",
        total(Row::answered),
        total(Row::flagged),
        total(Row::undecodable)
    );
    let (known, unchecked) = (total(Row::known), total(Row::unchecked));
    if known + unchecked > 0 {
        summary.push_str(&format!(
            " ({known} flagged as known, {unchecked} not checked; see above)"
        ));
    }
    println!("{summary}");
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("conformance: {failures} problem(s), listed above the table");
        ExitCode::from(EXIT_FAILED)
    }
}

fn check_all(root: &Path) -> Result<Vec<Row>, String> {
    check_node()?;
    let conformance_dir = generated_workspace::target_dir(root).join("conformance");
    let script = install_prism(&conformance_dir.join("prism"))?;
    for dir in ["reports", "logs"] {
        let dir = conformance_dir.join(dir);
        fs::create_dir_all(&dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    let mut subjects = fixture_subjects(root)?;
    subjects.push(own_subject(root)?);
    let mut rows = Vec::new();
    for subject in &subjects {
        let row = check_subject(&script, subject, &conformance_dir)?;
        eprintln!(
            "{}: {} requests, {} flagged",
            row.name,
            row.answered(),
            row.flagged()
        );
        rows.push(row);
    }
    Ok(rows)
}

/// `node` runs, and is new enough for Prism; `npm` runs.
fn check_node() -> Result<(), String> {
    let version = tool_version("node")?;
    let major = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse::<u32>().ok());
    if major.is_none_or(|major| major < NODE_MAJOR) {
        return Err(format!(
            "Prism {PRISM_VERSION} needs Node.js {NODE_MAJOR} or later; `node --version` says {version}"
        ));
    }
    tool_version("npm")?;
    Ok(())
}

/// `<tool> --version`, or why it cannot run.
fn tool_version(tool: &str) -> Result<String, String> {
    let why = "cargo xtask conformance runs Prism, a Node.js program installed with npm: \
               install Node.js and npm";
    match Command::new(tool).arg("--version").output() {
        Ok(output) if output.status.success() => {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
        }
        Ok(output) => Err(format!(
            "`{tool} --version` failed ({}): {}\n{why}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(error) => Err(format!("cannot run `{tool}`: {error}\n{why}")),
    }
}

/// Installs Prism with npm into `dir` unless the pinned version is there; returns its
/// program (a script for `node`).
fn install_prism(dir: &Path) -> Result<PathBuf, String> {
    let package_dir = dir.join("node_modules").join(PRISM_PACKAGE);
    if let Some(script) = installed_prism(&package_dir) {
        return Ok(script);
    }
    eprintln!(
        "installing {PRISM_PACKAGE}@{PRISM_VERSION} with npm into {}",
        dir.display()
    );
    fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let output = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(dir)
        // Prism needs no install script; one of its dependencies has an analytics one.
        .args([
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .arg(format!("{PRISM_PACKAGE}@{PRISM_VERSION}"))
        .output()
        .map_err(|error| format!("cannot run npm: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm install {PRISM_PACKAGE}@{PRISM_VERSION}` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    installed_prism(&package_dir).ok_or_else(|| {
        format!(
            "npm installed {PRISM_PACKAGE}@{PRISM_VERSION}, but {} has no `bin.prism` of that version",
            package_dir.join("package.json").display()
        )
    })
}

/// The program of the Prism installed in `package_dir`, if it is the pinned version.
fn installed_prism(package_dir: &Path) -> Option<PathBuf> {
    let manifest = fs::read_to_string(package_dir.join("package.json")).ok()?;
    let manifest: Value = serde_json::from_str(&manifest).ok()?;
    if manifest["version"] != PRISM_VERSION {
        return None;
    }
    let script = package_dir.join(manifest["bin"]["prism"].as_str()?);
    script.is_file().then_some(script)
}

/// Every fixture spec with operations, with the wire tests of its crate if it has any.
/// Generates and builds the crates as `tests/tests/fixtures_compile.rs` does, in the same
/// directories.
fn fixture_subjects(root: &Path) -> Result<Vec<Subject>, String> {
    let specs = fixture_crates::fixture_specs(root)?;
    let target_dir = generated_workspace::target_dir(root);
    let crates_dir = target_dir.join("fixture-crates");
    let members = fixture_crates::generate(root, &specs, &crates_dir)?;
    let mut workspace = Workspace::create(
        &crates_dir,
        &members,
        &root.join("Cargo.lock"),
        &target_dir.join("fixture-check"),
    )
    .map_err(|error| format!("cannot write the fixture workspace: {error}"))?;
    eprintln!("building the wire tests of the fixture crates");
    // The whole workspace, as the test run builds it: the same features, so the same
    // artifacts.
    let build = workspace
        .run("test", &["--workspace", "--no-run"])
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !build.success {
        let errors: Vec<&str> = build
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.level == "error")
            .map(|diagnostic| diagnostic.rendered.as_str())
            .collect();
        return Err(format!(
            "the fixture crates' tests do not build (in {}):\n{}\n{}",
            workspace.root.display(),
            errors.join("\n"),
            build.stderr
        ));
    }
    let mut subjects = Vec::new();
    for spec in &specs {
        let operations = spec_operations(spec)?;
        if operations.is_empty() {
            continue;
        }
        let stem = fixture_crates::stem(spec);
        let program = fixture_crates::roundtrip_test(root, &stem)
            .map(|_| {
                let crate_dir = workspace.root.join(&stem);
                let path = executable(&build.executables, &crate_dir, "roundtrip")?;
                Ok::<_, String>(Program {
                    path,
                    dir: crate_dir,
                    // One at a time: a request that crashes Prism then takes no other
                    // test's request down with it.
                    args: vec!["--test-threads=1".to_string()],
                })
            })
            .transpose()?;
        subjects.push(Subject {
            name: relative(root, spec),
            spec: spec.clone(),
            operations,
            program,
            checks_decoding: false,
        });
    }
    Ok(subjects)
}

/// `spec/openapi.yaml`, driven by `tests/tests/conformance.rs`.
fn own_subject(root: &Path) -> Result<Subject, String> {
    eprintln!("building tests/tests/conformance.rs");
    // `--workspace`, as `cargo xtask test` builds it: the same features, so the same
    // artifacts.
    let output = Command::new(generated_workspace::cargo())
        .args([
            "test",
            "--locked",
            "--workspace",
            "--test",
            "conformance",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(root)
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "tests/tests/conformance.rs does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let executables =
        generated_workspace::test_executables(&String::from_utf8_lossy(&output.stdout));
    let tests_dir = root.join("tests");
    let path = executable(&executables, &tests_dir, "conformance")?;
    let spec = root.join(OWN_SPEC);
    Ok(Subject {
        name: OWN_SPEC.to_string(),
        operations: spec_operations(&spec)?,
        spec,
        program: Some(Program {
            path,
            dir: tests_dir,
            args: vec!["--ignored".to_string()],
        }),
        checks_decoding: true,
    })
}

/// The test program `target` of the package in `package_dir`.
fn executable(
    executables: &[Executable],
    package_dir: &Path,
    target: &str,
) -> Result<PathBuf, String> {
    let same_dir = |dir: &Path| {
        dir == package_dir || fs::canonicalize(dir).ok() == fs::canonicalize(package_dir).ok()
    };
    executables
        .iter()
        .find(|executable| executable.target == target && same_dir(&executable.package_dir))
        .map(|executable| executable.path.clone())
        .ok_or_else(|| {
            format!(
                "cargo built no test `{target}` for {}",
                package_dir.display()
            )
        })
}

/// The operations of the spec's generated client: method and path template of each.
fn spec_operations(spec: &Path) -> Result<Vec<SpecOperation>, String> {
    let loaded = generator::load::load_file(spec).map_err(|error| error.to_string())?;
    let resolver = generator::resolve::Resolver::new(&loaded.document, &loaded.nested_schemas);
    let normalised = generator::normalise::normalise(&loaded.document, &resolver)
        .map_err(|diagnostic| loaded.locate(diagnostic).to_string())?;
    Ok(normalised
        .api
        .operations
        .iter()
        .map(|operation| SpecOperation {
            id: operation.operation_id.clone(),
            method: operation.http_method.to_ascii_uppercase(),
            template: operation.path.clone(),
        })
        .collect())
}

/// Runs the subject's tests against a Prism mock of its spec and judges the report.
fn check_subject(script: &Path, subject: &Subject, conformance_dir: &Path) -> Result<Row, String> {
    let slug = generated_workspace::slug(&subject.name);
    let log = conformance_dir.join("logs").join(format!("{slug}.log"));
    let mut row = Row {
        unreadable: None,
        name: subject.name.clone(),
        operations: subject.operations.len(),
        driven: BTreeSet::new(),
        not_driven: Vec::new(),
        exchanges: Vec::new(),
        checks_decoding: subject.checks_decoding,
        tests: None,
        crashes: Vec::new(),
        logged_violations: Vec::new(),
        log: log.clone(),
    };
    if let Some(program) = &subject.program {
        let report = conformance_dir
            .join("reports")
            .join(format!("{slug}.jsonl"));
        if report.exists() {
            fs::remove_file(&report)
                .map_err(|error| format!("cannot remove {}: {error}", report.display()))?;
        }
        let prism = match Prism::start(script, &subject.spec, &log) {
            Ok(prism) => prism,
            // A fixture may be invalid on purpose (lenient.yaml: a `$ref` to nothing).
            Err(Start::Refused(message)) if !subject.checks_decoding => {
                row.unreadable = Some(message);
                return Ok(row);
            }
            Err(Start::Refused(message) | Start::Failed(message)) => return Err(message),
        };
        let output = Command::new(&program.path)
            .args(&program.args)
            .current_dir(&program.dir)
            .env("CONFORMANCE_PRISM", &prism.base_url)
            .env("CONFORMANCE_REPORT", &report)
            .output();
        // Stopped before anything else can fail.
        if prism.stop() > 0 {
            row.crashes = crash_reasons(&log);
        }
        let output =
            output.map_err(|error| format!("cannot run {}: {error}", program.path.display()))?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        row.tests = Some((output.status.success(), text));
        let lines = match fs::read_to_string(&report) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(format!("cannot read {}: {error}", report.display())),
        };
        for line in lines.lines().filter(|line| !line.trim().is_empty()) {
            let value: Value = serde_json::from_str(line).map_err(|error| {
                format!(
                    "{}: a line that is not JSON ({error}): {line}",
                    report.display()
                )
            })?;
            let mut exchange = judge(&value);
            if let Some(flagged) = &exchange.flagged {
                exchange.known = KNOWN
                    .iter()
                    .find(|known| {
                        known.spec == subject.name
                            && exchange.request.starts_with(known.request)
                            && flagged.contains(known.reason)
                    })
                    .map(|known| known.why);
            }
            row.exchanges.push(exchange);
        }
        row.logged_violations = fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains("Violation: request"))
            .map(|line| line.trim().to_string())
            .collect();
    }
    for exchange in &row.exchanges {
        let mut parts = exchange.request.split(' ');
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            continue;
        };
        let path = target.split('?').next().unwrap_or(target);
        if let Some(operation) = operation_of(&subject.operations, method, path) {
            row.driven.insert(operation.id.clone());
        }
    }
    row.not_driven = subject
        .operations
        .iter()
        .filter(|operation| !row.driven.contains(&operation.id))
        .map(|operation| {
            format!(
                "{} ({} {})",
                operation.id, operation.method, operation.template
            )
        })
        .collect();
    Ok(row)
}

/// A running `prism mock <spec>`, restarted on the same port when it crashes (some
/// requests crash Prism, and every later one would go unchecked), and stopped when
/// dropped, on every path out.
struct Prism {
    base_url: String,
    supervised: Arc<Mutex<Supervised>>,
    watcher: Option<JoinHandle<()>>,
}

/// The Prism process of a [`Prism`], shared with the thread that restarts it.
struct Supervised {
    child: Child,
    /// How often it exited and was restarted.
    crashes: usize,
    stopping: bool,
}

/// Why Prism did not start.
enum Start {
    /// It exited: it could not read the spec. Its reason, and the end of its log.
    Refused(String),
    /// It could not be run, or did not listen in time.
    Failed(String),
}

impl Prism {
    /// Starts Prism on a free port of 127.0.0.1, its output appended to `log`, and waits
    /// until it listens.
    fn start(script: &Path, spec: &Path, log: &Path) -> Result<Self, Start> {
        let port = free_port().map_err(Start::Failed)?;
        if let Err(error) = File::create(log) {
            return Err(Start::Failed(format!(
                "cannot create {}: {error}",
                log.display()
            )));
        }
        let spawn = {
            let (script, spec, log) = (script.to_path_buf(), spec.to_path_buf(), log.to_path_buf());
            move || spawn_prism(&script, &spec, port, &log)
        };
        let mut child = spawn().map_err(Start::Failed)?;
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let start = Instant::now();
        let tail = || last_lines(log, 20);
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(Start::Refused(format!(
                    "Prism exited ({status}) before listening, for {}; its log ({}) ends:\n{}",
                    spec.display(),
                    log.display(),
                    tail()
                )));
            }
            if start.elapsed() > STARTUP {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Start::Failed(format!(
                    "Prism did not listen within {} s, for {}; its log ({}) ends:\n{}",
                    STARTUP.as_secs(),
                    spec.display(),
                    log.display(),
                    tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let supervised = Arc::new(Mutex::new(Supervised {
            child,
            crashes: 0,
            stopping: false,
        }));
        let watcher = {
            let supervised = Arc::clone(&supervised);
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_millis(100));
                let mut state = supervised.lock().unwrap_or_else(PoisonError::into_inner);
                if state.stopping {
                    return;
                }
                if let Ok(Some(_)) = state.child.try_wait() {
                    state.crashes += 1;
                    match spawn() {
                        Ok(child) => state.child = child,
                        Err(_) => return,
                    }
                }
            })
        };
        Ok(Self {
            base_url: format!("http://127.0.0.1:{port}"),
            supervised,
            watcher: Some(watcher),
        })
    }

    /// Stops Prism; returns how often it crashed and was restarted.
    fn stop(mut self) -> usize {
        self.stop_now()
    }

    fn stop_now(&mut self) -> usize {
        let crashes = {
            let mut state = self
                .supervised
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            state.stopping = true;
            let _ = state.child.kill();
            let _ = state.child.wait();
            state.crashes
        };
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        crashes
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// `node <prism> mock <spec> --host 127.0.0.1 --port <port>`, its output appended to `log`.
fn spawn_prism(script: &Path, spec: &Path, port: u16, log: &Path) -> Result<Child, String> {
    let open = || {
        fs::OpenOptions::new()
            .append(true)
            .open(log)
            .map_err(|error| format!("cannot open {}: {error}", log.display()))
    };
    Command::new("node")
        .arg(script)
        .arg("mock")
        .arg(spec)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(open()?)
        .stderr(open()?)
        .spawn()
        .map_err(|error| format!("cannot start Prism: {error}"))
}

/// What ended each crash of Prism in its log: the error and where it was thrown
/// (`TypeError: ... (at .../matrix.js:7)`).
fn crash_reasons(log: &Path) -> Vec<String> {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let mut reasons = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let is_throw = line.split_once(": ").is_some_and(|(name, _)| {
            name.ends_with("Error") && name.chars().all(char::is_alphanumeric)
        });
        if !is_throw {
            continue;
        }
        // Node prints `<file>:<line>`, the source line and a caret above the error.
        let place = lines[..index]
            .iter()
            .rev()
            .take(6)
            .find(|above| above.starts_with('/') && above.contains("node_modules"))
            .and_then(|place| place.split("node_modules/").last());
        reasons.push(match place {
            Some(place) => format!("{line} (at {place})"),
            None => (*line).to_string(),
        });
    }
    reasons.dedup();
    reasons
}

/// A port of 127.0.0.1 that nothing listens on (the system's choice, released at once).
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|error| format!("cannot bind 127.0.0.1:0: {error}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| error.to_string())
}

/// The first line of `text` that contains `marker`, trimmed; else its last line.
fn first_line_with<'a>(text: &'a str, marker: &str) -> &'a str {
    text.lines()
        .find(|line| line.contains(marker))
        .or_else(|| text.lines().last())
        .unwrap_or_default()
        .trim()
}

fn last_lines(path: &Path, count: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// Prism's problem types that are about Prism failing to build its own answer, not about
/// the request it was sent.
const MOCK_FAILURES: &[&str] = &["NO_COMPLEX_OBJECT_TEXT", "NO_RESPONSE_DEFINED"];

/// How an exchange Prism could not answer (one of [`MOCK_FAILURES`]) is said.
const MOCK_FAILURE_NOTE: &str = "Prism could not make an answer";

/// One line of a report judged: flagged when Prism's `sl-violations` names a request
/// violation or Prism answered with an error of its own (its problem `type`), undecodable
/// when the line says the client could not read the answer.
fn judge(line: &Value) -> Exchange {
    let text = |key: &str| line[key].as_str().map(str::to_string);
    let mut exchange = Exchange {
        test: text("test").unwrap_or_default(),
        request: text("request").unwrap_or_default(),
        status: line["status"]
            .as_u64()
            .and_then(|status| u16::try_from(status).ok()),
        flagged: None,
        undecodable: None,
        error: text("error"),
        answer_violations: Vec::new(),
        known: None,
        control: line["control"] == true,
    };
    if exchange.error.is_some() {
        return exchange;
    }
    if exchange.status.is_none() {
        exchange.error = Some(format!(
            "no answer from Prism: {}",
            text("outcome").unwrap_or_default()
        ));
        return exchange;
    }
    let mut violations = Vec::new();
    if let Some(header) = text("violations") {
        match serde_json::from_str::<Value>(&header) {
            Ok(Value::Array(items)) => {
                for item in &items {
                    let about_request = item["location"][0] == "request";
                    let found = if about_request {
                        &mut violations
                    } else {
                        &mut exchange.answer_violations
                    };
                    found.push(describe_violation(item));
                }
            }
            _ => violations.push(format!("sl-violations: {header}")),
        }
    }
    let is_problem =
        text("content_type").is_some_and(|content_type| content_type.contains("problem+json"));
    if let (true, Some(body)) = (is_problem, text("body")) {
        if let Ok(problem) = serde_json::from_str::<Value>(&body) {
            let kind = problem["type"].as_str().unwrap_or_default();
            if let Some(name) = kind.strip_prefix(PRISM_ERRORS) {
                // Prism failing to make an answer (an object schema it cannot write as an
                // event stream, say) says nothing about our request: not checked.
                if MOCK_FAILURES.contains(&name) {
                    exchange.error = Some(format!(
                        "{MOCK_FAILURE_NOTE} ({name}), so it judged nothing"
                    ));
                    return exchange;
                }
                let mut said = format!(
                    "{name}: {}",
                    problem["detail"]
                        .as_str()
                        .or(problem["title"].as_str())
                        .unwrap_or_default()
                );
                if let Some(items) = problem["validation"].as_array() {
                    for item in items {
                        said.push_str("; ");
                        said.push_str(&describe_violation(item));
                    }
                }
                violations.push(said);
            }
        }
    }
    if !violations.is_empty() {
        exchange.flagged = Some(format!(
            "Prism answered {}: {}",
            exchange.status.unwrap_or_default(),
            violations.join("; ")
        ));
    } else if line["decoded"] == false {
        let mut why = text("outcome").unwrap_or_default();
        if !exchange.answer_violations.is_empty() {
            why.push_str(&format!(
                " (Prism's answer itself breaks the spec: {})",
                exchange.answer_violations.join("; ")
            ));
        }
        exchange.undecodable = Some(why);
    }
    exchange
}

/// `request.query.page: Request query parameter page must be >= 1`.
fn describe_violation(item: &Value) -> String {
    let location: Vec<&str> = item["location"]
        .as_array()
        .map(|parts| parts.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!(
        "{}: {}",
        location.join("."),
        item["message"].as_str().unwrap_or_default()
    )
}

/// The operation a request for `method` and `path` is for: the one whose template
/// matches with the most literal text (as `/items/new` beats `/items/{id}`).
fn operation_of<'a>(
    operations: &'a [SpecOperation],
    method: &str,
    path: &str,
) -> Option<&'a SpecOperation> {
    operations
        .iter()
        .filter(|operation| {
            operation.method == method && template_matches(&operation.template, path)
        })
        .max_by_key(|operation| literal_length(&operation.template))
}

/// Whether `path` (as sent, percent-encoded) fills `template`: literal text as is, each
/// `{variable}` one or more characters other than `/` (label and matrix styles
/// included: `/files/.png` fills `/files/{name}`).
fn template_matches(template: &str, path: &str) -> bool {
    let Some(open) = template.find('{') else {
        return template == path;
    };
    let Some(rest) = path.strip_prefix(&template[..open]) else {
        return false;
    };
    let Some(close) = template[open..].find('}') else {
        return template == path;
    };
    let after = &template[open + close + 1..];
    let longest = rest.find('/').unwrap_or(rest.len());
    (1..=longest)
        .any(|length| rest.is_char_boundary(length) && template_matches(after, &rest[length..]))
}

/// The characters of a path template outside its `{variables}`.
fn literal_length(template: &str) -> usize {
    let mut depth = 0usize;
    let mut length = 0;
    for c in template.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => length += 1,
            _ => {}
        }
    }
    length
}

impl Row {
    /// The exchanges that count: all but the control.
    fn counted(&self) -> impl Iterator<Item = &Exchange> {
        self.exchanges.iter().filter(|exchange| !exchange.control)
    }

    /// Requests Prism gave a verdict on.
    fn answered(&self) -> usize {
        self.counted()
            .filter(|exchange| exchange.error.is_none())
            .count()
    }

    /// Requests Prism flagged, but for the known ones.
    fn flagged(&self) -> usize {
        self.counted()
            .filter(|exchange| exchange.flagged.is_some() && exchange.known.is_none())
            .count()
    }

    fn known(&self) -> usize {
        self.counted()
            .filter(|exchange| exchange.known.is_some())
            .count()
    }

    /// Requests without a verdict.
    fn unchecked(&self) -> usize {
        self.counted()
            .filter(|exchange| exchange.error.is_some())
            .count()
    }

    fn undecodable(&self) -> usize {
        self.counted()
            .filter(|exchange| exchange.undecodable.is_some())
            .count()
    }
}

/// Prints every problem, and as notes what was not checked and why; returns how many
/// problems there are.
fn print_findings(rows: &[Row]) -> usize {
    let mut problems = 0;
    let mut problem = |text: String| {
        problems += 1;
        println!("{text}");
    };
    for row in rows {
        let name = &row.name;
        for exchange in &row.exchanges {
            let at = format!("{name} ({}): {}", exchange.test, exchange.request);
            match (&exchange.flagged, exchange.known, exchange.control) {
                (None, _, true) => problem(format!(
                    "blind: {at}\n    breaks the spec on purpose, yet Prism did not flag it"
                )),
                (Some(why), Some(known), false) => {
                    println!("known: {at}\n    {why}\n    known because {known}");
                }
                (Some(why), None, false) => problem(format!("flagged: {at}\n    {why}")),
                _ => {}
            }
            if let Some(why) = &exchange.undecodable {
                problem(format!("undecodable: {at}\n    {why}"));
            }
            match &exchange.error {
                // A request Prism crashed on (restarted, it served the next ones).
                Some(why) if !row.crashes.is_empty() => {
                    println!("not checked: {at}\n    {why} (Prism crashed, see below)");
                }
                // Prism's mock could not write an answer (see `MOCK_FAILURES`): a limit of
                // Prism, said, not a finding about the request.
                Some(why) if why.starts_with(MOCK_FAILURE_NOTE) => {
                    println!("not checked: {at}\n    {why}");
                }
                Some(why) => problem(format!("not checked: {at}\n    {why}")),
                None => {}
            }
        }
        if !row.crashes.is_empty() {
            println!(
                "note: {name}: Prism crashed and was restarted ({}):\n    {}",
                row.log.display(),
                row.crashes.join("\n    ")
            );
        }
        if let Some(why) = &row.unreadable {
            println!(
                "note: {name}: not checked, Prism cannot read it:\n    {}",
                first_line_with(why, "message:")
            );
        }
        let mut answer_notes: Vec<&str> = row
            .exchanges
            .iter()
            .filter(|exchange| exchange.undecodable.is_none())
            .flat_map(|exchange| exchange.answer_violations.iter().map(String::as_str))
            .collect();
        answer_notes.sort_unstable();
        answer_notes.dedup();
        if !answer_notes.is_empty() {
            println!(
                "note: {name}: Prism's own answers break the spec (not about our client): {}",
                answer_notes.join("; ")
            );
        }
        if row.flagged() + row.known() == 0 && !row.logged_violations.is_empty() {
            problem(format!(
                "flagged: {name}: Prism logged request violations no answer showed ({}):\n    {}",
                row.log.display(),
                row.logged_violations.join("\n    ")
            ));
        }
        match &row.tests {
            Some((false, output)) => {
                problem(format!(
                    "failed: {name}: its tests failed against Prism:\n{output}"
                ));
            }
            Some((true, _)) if row.exchanges.is_empty() && row.checks_decoding => {
                problem(format!(
                    "not checked: {name}: its tests sent Prism no request"
                ));
            }
            _ => {}
        }
        if row.checks_decoding && !row.not_driven.is_empty() {
            problem(format!("not driven: {name}: {}", row.not_driven.join(", ")));
        } else if !row.not_driven.is_empty() && row.unreadable.is_none() {
            let why = match &row.tests {
                Some(_) => "its wire tests send no request for",
                None => "it has no wire tests:",
            };
            println!("note: {name}: {why} {}", row.not_driven.join(", "));
        }
    }
    problems
}

fn print_table(rows: &[Row]) {
    let header = [
        "spec",
        "operations driven",
        "requests checked",
        "flagged",
        "known",
        "not checked",
        "undecodable",
        "tests",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            vec![
                row.name.clone(),
                format!("{} of {}", row.driven.len(), row.operations),
                row.answered().to_string(),
                row.flagged().to_string(),
                row.known().to_string(),
                row.unchecked().to_string(),
                if row.checks_decoding {
                    row.undecodable().to_string()
                } else {
                    "-".to_string()
                },
                match &row.tests {
                    None if row.unreadable.is_some() => "Prism cannot read it".to_string(),
                    None => "no wire tests".to_string(),
                    Some((true, _)) => "passed".to_string(),
                    Some((false, _)) => "FAILED".to_string(),
                },
            ]
        })
        .collect();
    crate::table::print(&header, &cells);
    println!("undecodable `-`: the wire tests decode their own canned answers, not Prism's");
}

/// `path` relative to `root`, with `/` separators.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_match_paths_as_sent() {
        assert!(template_matches("/files/{name}", "/files/.png"));
        assert!(template_matches("/points/{point}", "/points/;x=1;y=2"));
        assert!(template_matches(
            "/files/{name}.{ext}",
            "/files/a%2Fb.tar.gz"
        ));
        assert!(!template_matches("/files/{name}", "/files/a/b"));
        assert!(!template_matches("/files/{name}", "/files/"));
        assert!(!template_matches("/items", "/items/1"));
        let operations = [
            SpecOperation {
                id: "byId".into(),
                method: "GET".into(),
                template: "/items/{id}".into(),
            },
            SpecOperation {
                id: "new".into(),
                method: "GET".into(),
                template: "/items/new".into(),
            },
        ];
        let found =
            |path| operation_of(&operations, "GET", path).map(|operation| operation.id.as_str());
        assert_eq!(found("/items/new"), Some("new"));
        assert_eq!(found("/items/7"), Some("byId"));
        assert_eq!(
            operation_of(&operations, "POST", "/items/7").map(|_| ()),
            None
        );
    }

    #[test]
    fn prism_failing_to_make_an_answer_is_not_a_flag_on_the_request() {
        let problem = json!({
            "type": "https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT",
            "title": "Cannot serialise complex objects as text",
        });
        let exchange = judge(&json!({
            "test": "t", "request": "POST /completions HTTP/1.1", "status": 500,
            "content_type": "application/problem+json", "body": problem.to_string()
        }));
        assert_eq!(exchange.flagged, None);
        assert_eq!(
            exchange.error.as_deref(),
            Some("Prism could not make an answer (NO_COMPLEX_OBJECT_TEXT), so it judged nothing")
        );
    }

    #[test]
    fn request_violations_and_prism_errors_are_flagged() {
        let violations = r#"[{"location":["request","query","page"],"severity":"Error","code":"minimum","message":"Request query parameter page must be >= 1"}]"#;
        let flagged = judge(
            &json!({"test": "t", "request": "GET /x?page=0 HTTP/1.1", "status": 400, "violations": violations}),
        );
        assert_eq!(
            flagged.flagged.as_deref(),
            Some(
                "Prism answered 400: request.query.page: Request query parameter page must be >= 1"
            )
        );

        let problem = json!({
            "type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
            "title": "Invalid request",
            "detail": "Your request is not valid",
            "validation": [{"location": ["path", "id"], "message": "must match format \"uuid\""}]
        });
        let refused = judge(&json!({
            "test": "t", "request": "GET /x/1 HTTP/1.1", "status": 422,
            "content_type": "application/problem+json", "body": problem.to_string()
        }));
        assert_eq!(
            refused.flagged.as_deref(),
            Some("Prism answered 422: UNPROCESSABLE_ENTITY: Your request is not valid; path.id: must match format \"uuid\"")
        );

        let clean = judge(
            &json!({"test": "t", "request": "GET / HTTP/1.1", "status": 404, "content_type": "application/json", "body": "{}", "decoded": true}),
        );
        assert!(clean.flagged.is_none() && clean.undecodable.is_none() && clean.error.is_none());
        let undecodable = judge(
            &json!({"test": "t", "request": "GET / HTTP/1.1", "status": 200, "decoded": false, "outcome": "bad body"}),
        );
        assert_eq!(undecodable.undecodable.as_deref(), Some("bad body"));
        let unreachable =
            judge(&json!({"test": "t", "request": "GET / HTTP/1.1", "error": "cannot connect"}));
        assert_eq!(unreachable.error.as_deref(), Some("cannot connect"));
    }
}
