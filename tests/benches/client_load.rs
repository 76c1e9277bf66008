//! `cargo xtask bench client`: the generated client under load (issue 12, "Under load").
//!
//! A minimal local HTTP server (axum, on its own runtime and threads) answers
//! `GET /api/v1beta1/orgs/{org_id}/projects/{project_id}/sandboxes/{sandbox_id}` with one
//! fixed, realistic `Sandbox` JSON body after checking the bearer token. Against it, in
//! rounds:
//!
//! - **ours**: `ai_agent_client::Client::get_sandbox(org, project, id).await`, as a user
//!   calls it (default settings: validation, retry policy, timeout, size limit);
//! - **plain**: a `reqwest::Client` with reqwest's defaults sending the same request
//!   (the same URL and headers, User-Agent included, checked on one request of each
//!   before the runs) and decoding the body into the same
//!   `ai_agent_client::types::Sandbox`, so both sides do the same JSON work and the
//!   server the same work for each;
//! - **plain+timeout**: the same plain loop with the whole-request timeout ours sets on
//!   every attempt by default (60 s), so the cost of that one feature is a figure too.
//!
//! Each side runs `--concurrency` tasks sharing `--requests` requests; the order of the
//! sides turns by one each round. Why many short rounds (by default 225 of 2,000
//! requests, some 50 ms per side) rather than a few long ones: this machine's speed
//! drifts from one moment to the next (runs of the same binary at 30,000 and at 70,000
//! requests/s), and the ratio of each round compares sides that ran under nearly the
//! same conditions. With 45 rounds of 10,000 the medians of runs of one binary still
//! ranged over 0.90 to 1.03; with 225 of 2,000, over 0.95 to 0.98. Printed per round:
//! requests/s of each, the ratios
//! ours/plain (the goal: median >= 0.95) and ours/plain+timeout, and the CPU time the
//! client threads spent per request (server threads excluded), a figure less disturbed
//! by other processes on a shared machine than throughput.
//!
//! Then, with `--memory-requests M` (default 1,000,000; 0 skips it), one client sends M
//! requests and the process's resident set (`VmRSS`, server included) is sampled every
//! 100,000; goal: no growth from the first sample (after 100,000 requests of warm-up)
//! to the last, within 5%.
//!
//! With `--side ours` (or `plain`, `plain+timeout`), only that side runs, for a profiler
//! to see it alone (`strace -c -f`, `perf record`); no ratios are printed.
//!
//! A measurement, not a test: it exits 0 whatever the figures are (1 if a request fails,
//! 2 on bad arguments). Speed targets live here, never in timed tests.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ai_agent_client::types::{
    EnvVar, Sandbox, SandboxEgressConfig, SandboxEgressConfigMode, SandboxEgressRule,
    SandboxEgressRuleProtocol, SandboxPhase, SandboxResources,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

const TOKEN: &str = "bench-token";
const ORG: &str = "acme-org";
const PROJECT: &str = "load-project";
const PATH: &str = "/api/v1beta1/orgs/{org_id}/projects/{project_id}/sandboxes/{sandbox_id}";
/// The whole-request timeout our client sets on each attempt unless told otherwise
/// (`ClientBuilder::timeout`'s documented default).
const OURS_DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The throughput goal: ours / plain.
const GOAL_RATIO: f64 = 0.95;
/// Resident-set growth over the memory run still counted as none.
const RSS_TOLERANCE: f64 = 0.05;
/// The memory run samples the resident set every this many requests.
const RSS_EVERY: u64 = 100_000;
/// Requests of each side sent before the first round, untimed (connections, caches).
const WARM_UP: u64 = 5_000;

struct Args {
    requests: u64,
    concurrency: u64,
    rounds: u32,
    memory_requests: u64,
    /// Runs only this side (`ours`, `plain` or `plain+timeout`), for a profiler.
    side: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        requests: 2_000,
        concurrency: 64,
        rounds: 225,
        memory_requests: 1_000_000,
        side: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = words
                .next()
                .ok_or_else(|| format!("{name} needs a value"))?;
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|error| format!("{name} {value}: {error}"))
        };
        match word.as_str() {
            "--requests" => args.requests = number("--requests")?.max(1),
            "--concurrency" => args.concurrency = number("--concurrency")?.max(1),
            "--rounds" => {
                args.rounds = u32::try_from(number("--rounds")?.max(1))
                    .map_err(|_| "--rounds: too large".to_owned())?;
            }
            "--memory-requests" => args.memory_requests = number("--memory-requests")?,
            "--side" => match words.next().as_deref() {
                Some(name @ ("ours" | "plain" | "plain+timeout")) => {
                    args.side = Some(name.to_owned());
                }
                other => return Err(format!("--side {other:?}: ours, plain or plain+timeout")),
            },
            // `cargo bench` passes `--bench` to a harness-less bench.
            "--bench" => {}
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "usage: client_load [--requests N] [--concurrency C] [--rounds R] [--memory-requests M] [--side ours|plain|plain+timeout]"
            );
            return std::process::ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::from(1)
        }
    }
}

/// The sandbox every request returns: every property set, as a running sandbox has.
fn sandbox(id: Uuid) -> Sandbox {
    let created = chrono::DateTime::parse_from_rfc3339("2025-06-01T12:00:00.123456Z")
        .expect("a valid date")
        .to_utc();
    Sandbox::new(
        id,
        ORG,
        PROJECT,
        "dev-box",
        "eu-west-1",
        "ghcr.io/acme/agent-runtime:2025.06.1",
        SandboxPhase::Ready,
        1,
        created,
        created + chrono::Duration::seconds(42),
    )
    .with_command(vec![
        "/bin/agent".to_owned(),
        "--listen".to_owned(),
        "0.0.0.0:8080".to_owned(),
    ])
    .with_env(vec![
        EnvVar::new("GREETING", "hello world"),
        EnvVar::new("LOG_LEVEL", "info"),
        EnvVar::new("WORKSPACE", "/home/agent/workspace"),
    ])
    .with_resources(
        SandboxResources::default()
            .with_cpu(2.0)
            .with_memory_gb(4)
            .with_disk_gb(20),
    )
    .with_connect_url(Some(format!("https://{id}.sandboxes.example.com")))
    .with_egress(Some(
        SandboxEgressConfig::default()
            .with_mode(SandboxEgressConfigMode::AllowList)
            .with_allow(vec![
                SandboxEgressRule::new("api.github.com")
                    .with_ports(vec![443])
                    .with_protocol(SandboxEgressRuleProtocol::Tcp),
                SandboxEgressRule::new("pypi.org")
                    .with_ports(vec![443])
                    .with_protocol(SandboxEgressRuleProtocol::Tcp),
            ]),
    ))
    .with_sandbox_template_id(Some("sb-ubuntu-24-04".to_owned()))
    .with_created_by(Some("user_2f9c1a".to_owned()))
}

/// What the server answers: the fixed body, after a bearer-token check.
#[derive(Clone)]
struct Fixed {
    body: Bytes,
    authorization: Arc<str>,
    /// While set, each request's headers are kept in `recorded` (to check both sides
    /// send the same request); off during the timed runs.
    recording: Arc<AtomicBool>,
    recorded: Recorded,
}

/// The last request recorded: its target (path and query), then its headers as (name,
/// value) pairs, sorted.
type Recorded = Arc<Mutex<Vec<(String, String)>>>;

async fn get_sandbox(State(fixed): State<Fixed>, uri: Uri, headers: HeaderMap) -> Response {
    if fixed.recording.load(Ordering::Relaxed) {
        let mut pairs: Vec<(String, String)> = headers
            .iter()
            .map(|(name, value)| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        pairs.sort();
        pairs.insert(0, ("(target)".to_owned(), uri.to_string()));
        if let Ok(mut recorded) = fixed.recorded.lock() {
            *recorded = pairs;
        }
    }
    let authorised = headers
        .get(header::AUTHORIZATION)
        .is_some_and(|value| value.as_bytes() == fixed.authorization.as_bytes());
    if !authorised {
        return (StatusCode::UNAUTHORIZED, "{\"error\":\"unauthorized\"}").into_response();
    }
    (
        [(header::CONTENT_TYPE, "application/json")],
        fixed.body.clone(),
    )
        .into_response()
}

/// Starts the server on its own runtime (two worker threads) and returns its address.
fn start_server(
    body: Bytes,
    recording: Arc<AtomicBool>,
    recorded: Recorded,
) -> Result<std::net::SocketAddr, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("server")
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the server runtime: {error}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|error| format!("cannot bind: {error}"))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("no local address: {error}"))?;
    let app = Router::new()
        .route(PATH, get(get_sandbox))
        .with_state(Fixed {
            body,
            authorization: format!("Bearer {TOKEN}").into(),
            recording,
            recorded,
        });
    std::thread::Builder::new()
        .name("server-main".to_owned())
        .spawn(move || {
            let _ = runtime.block_on(async move { axum::serve(listener, app).await });
        })
        .map_err(|error| format!("cannot start the server thread: {error}"))?;
    Ok(address)
}

/// Linux thread ids of the client runtime's threads, to read their CPU time.
type Threads = Arc<Mutex<Vec<String>>>;

/// This thread's id, from `/proc/thread-self` (`<pid>/task/<tid>`).
fn thread_id() -> Option<String> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(link.file_name()?.to_string_lossy().into_owned())
}

/// CPU time the threads have run, in seconds: `/proc/self/task/<tid>/schedstat`
/// (nanoseconds), else `stat`'s utime + stime (clock ticks, taken as 100 Hz). `None`
/// where neither is readable (not Linux).
fn cpu_seconds(threads: &Threads) -> Option<f64> {
    let threads = threads.lock().ok()?;
    let mut total = 0.0;
    for tid in threads.iter() {
        let task = format!("/proc/self/task/{tid}");
        let schedstat = std::fs::read_to_string(format!("{task}/schedstat")).ok();
        let nanos = schedstat
            .as_deref()
            .and_then(|text| text.split_whitespace().next()?.parse::<u64>().ok())
            .filter(|&nanos| nanos > 0);
        total += match nanos {
            Some(nanos) => nanos as f64 / 1e9,
            None => {
                let stat = std::fs::read_to_string(format!("{task}/stat")).ok()?;
                // Fields after the command (which may hold spaces) start at field 3.
                let rest = stat.rsplit_once(')')?.1;
                let fields: Vec<&str> = rest.split_whitespace().collect();
                let ticks: u64 =
                    fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
                ticks as f64 / 100.0
            }
        };
    }
    Some(total)
}

/// The process's resident set in KiB (`VmRSS` of `/proc/self/status`).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One side of the comparison: sends one `get_sandbox` request and decodes the sandbox.
#[derive(Clone)]
enum Side {
    Ours(ai_agent_client::Client),
    Plain {
        http: reqwest::Client,
        base: Arc<str>,
        /// The whole-request timeout of each request, when set.
        timeout: Option<Duration>,
    },
}

impl Side {
    fn name(&self) -> &'static str {
        match self {
            Side::Ours(_) => "ours",
            Side::Plain { timeout: None, .. } => "plain",
            Side::Plain { .. } => "plain+timeout",
        }
    }

    async fn get(&self, id: Uuid) -> Result<Sandbox, String> {
        // Each side's future is boxed (the same one allocation for both), so its `poll`
        // is not inlined here and a profiler counts each side apart: under `valgrind
        // --tool=callgrind`, the inclusive cost of `client_load::get_ours::{{closure}}`
        // over the requests sent is ours per request (README, "Under load").
        let future: std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send + '_>> = match self
        {
            Side::Ours(client) => Box::pin(get_ours(client, id)),
            Side::Plain {
                http,
                base,
                timeout,
            } => Box::pin(get_plain(http, base, *timeout, id)),
        };
        future.await
    }
}

/// Our client's `get_sandbox`, as a user calls it.
async fn get_ours(client: &ai_agent_client::Client, id: Uuid) -> Result<Sandbox, String> {
    client
        .get_sandbox(ORG, PROJECT, id)
        .await
        .map_err(|error| error.to_string())
}

/// The same request with a plain `reqwest::Client`, decoded into the same type.
async fn get_plain(
    http: &reqwest::Client,
    base: &str,
    timeout: Option<Duration>,
    id: Uuid,
) -> Result<Sandbox, String> {
    let url = format!("{base}/api/v1beta1/orgs/{ORG}/projects/{PROJECT}/sandboxes/{id}");
    let mut request = http.get(url).bearer_auth(TOKEN);
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let response = request
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|error| error.to_string())?;
    let body = response.bytes().await.map_err(|error| error.to_string())?;
    serde_json::from_slice(&body).map_err(|error| error.to_string())
}

/// What one timed run measured.
struct Run {
    per_second: f64,
    cpu_micros_per_request: Option<f64>,
}

/// Sends `requests` requests from `concurrency` tasks; `on_done` is called with the
/// count of requests completed so far after each one.
async fn drive(
    side: &Side,
    id: Uuid,
    requests: u64,
    concurrency: u64,
    on_done: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<Duration, String> {
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency.min(requests))
        .map(|_| {
            let (side, next, done, on_done) =
                (side.clone(), next.clone(), done.clone(), on_done.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let sandbox = side.get(id).await?;
                    if sandbox.id != id {
                        return Err(format!("{}: wrong sandbox {}", side.name(), sandbox.id));
                    }
                    black_box(sandbox);
                    on_done(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await
            .map_err(|error| format!("a task failed: {error}"))??;
    }
    Ok(start.elapsed())
}

async fn timed(
    side: &Side,
    id: Uuid,
    requests: u64,
    concurrency: u64,
    threads: &Threads,
) -> Result<Run, String> {
    let cpu_before = cpu_seconds(threads);
    let elapsed = drive(side, id, requests, concurrency, Arc::new(|_| {})).await?;
    let cpu = cpu_seconds(threads)
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    Ok(Run {
        per_second: requests as f64 / elapsed.as_secs_f64(),
        cpu_micros_per_request: cpu.map(|cpu| cpu * 1e6 / requests as f64),
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

fn run(args: &Args) -> Result<(), String> {
    let id = Uuid::parse_str("6f1c2b9e-5d3a-4c7e-9b1f-2a8d4e6c0f17").expect("a valid UUID");
    let body = serde_json::to_vec(&sandbox(id)).map_err(|error| error.to_string())?;
    let body_len = body.len();
    let recording = Arc::new(AtomicBool::new(true));
    let last_request = Recorded::default();
    let address = start_server(Bytes::from(body), recording.clone(), last_request.clone())?;
    let base: Arc<str> = format!("http://{address}").into();

    let threads: Threads = Arc::default();
    let recorded = threads.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("client")
        .on_thread_start(move || {
            if let (Some(tid), Ok(mut threads)) = (thread_id(), recorded.lock()) {
                threads.push(tid);
            }
        })
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the client runtime: {error}"))?;

    let ours = Side::Ours(
        ai_agent_client::Client::builder()
            .base_url(base.to_string())
            .bearer_token(TOKEN)
            .build()
            .map_err(|error| error.to_string())?,
    );
    // The same requests on both sides: plain sends ours' User-Agent (read off ours' first
    // request), and then every header of one request of each side must match.
    let headers_of = |side: &Side| -> Result<Vec<(String, String)>, String> {
        runtime.block_on(side.get(id))?;
        Ok(last_request
            .lock()
            .map_err(|_| "poisoned".to_owned())?
            .clone())
    };
    let ours_headers = headers_of(&ours)?;
    let user_agent = ours_headers
        .iter()
        .find(|(name, _)| name == "user-agent")
        .map(|(_, value)| value.clone())
        .ok_or("ours sent no User-Agent")?;
    let http = reqwest::Client::builder()
        .user_agent(user_agent)
        .build()
        .map_err(|error| error.to_string())?;
    let plain = Side::Plain {
        http: http.clone(),
        base: base.clone(),
        timeout: None,
    };
    let plain_timeout = Side::Plain {
        http,
        base: base.clone(),
        timeout: Some(OURS_DEFAULT_TIMEOUT),
    };
    let plain_headers = headers_of(&plain)?;
    if plain_headers != ours_headers {
        return Err(format!(
            "the sides send different headers: ours {ours_headers:?}, plain {plain_headers:?}"
        ));
    }
    recording.store(false, Ordering::Relaxed);
    let header_names: Vec<&str> = ours_headers
        .iter()
        .skip(1)
        .map(|(name, _)| name.as_str())
        .collect();
    let sides = [&ours, &plain, &plain_timeout];

    println!(
        "bench client: GET {PATH} on {address}, {body_len}-byte Sandbox body; {} requests per side per round, {} concurrent, {} rounds; client runtime 2 threads, server runtime 2 threads; {} cores",
        args.requests,
        args.concurrency,
        args.rounds,
        std::thread::available_parallelism().map_or(0, usize::from),
    );
    if let Side::Ours(client) = &ours {
        // What one call holds while it runs: ours is one heap block of this size (the
        // request builder's `.await` boxes it); plain's is the bench's own future.
        println!(
            "call futures: ours {} bytes (get_sandbox(..).send()), plain {} bytes",
            std::mem::size_of_val(&client.get_sandbox(ORG, PROJECT, id).send()),
            std::mem::size_of_val(&get_plain(&reqwest::Client::new(), &base, None, id)),
        );
    }
    println!("plain: a reqwest::Client with reqwest's defaults, sending the same requests (checked: the same URL and headers: {}), the body decoded into the same types::Sandbox; plain+timeout: the same with ours' default whole-request timeout", header_names.join(", "));

    if let Some(name) = &args.side {
        // One side alone, for a profiler (`strace -c`, `perf`): no ratios.
        let side = sides
            .into_iter()
            .find(|side| side.name() == name)
            .ok_or_else(|| format!("no side {name}"))?;
        return runtime.block_on(async {
            drive(side, id, WARM_UP, args.concurrency, Arc::new(|_| {})).await?;
            for round in 1..=args.rounds {
                let run = timed(side, id, args.requests, args.concurrency, &threads).await?;
                println!(
                    "{name} round {round}: {:.0} req/s, client CPU {} µs/req",
                    run.per_second,
                    run.cpu_micros_per_request
                        .map_or_else(|| "-".to_owned(), |micros| format!("{micros:.1}"))
                );
            }
            Ok(())
        });
    }

    runtime.block_on(async {
        for side in sides {
            drive(side, id, WARM_UP, args.concurrency, Arc::new(|_| {})).await?;
        }
        println!();
        println!("| round | ours req/s | plain req/s | plain+timeout req/s | ours/plain | ours/plain+timeout | ours CPU µs/req | plain CPU µs/req | plain+timeout CPU µs/req |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        let (mut ratios, mut timeout_ratios, mut cpu_ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 1..=args.rounds {
            // Each side goes first in turn, so none is always measured on a warmer
            // (or busier) machine than the others.
            let mut order = sides;
            order.rotate_left(round as usize % sides.len());
            let mut runs = Vec::new();
            for side in order {
                runs.push((
                    side.name(),
                    timed(side, id, args.requests, args.concurrency, &threads).await?,
                ));
            }
            let find = |name: &str| {
                runs.iter()
                    .find(|(side, _)| *side == name)
                    .map(|(_, run)| run)
                    .expect("every side ran")
            };
            let (ours_run, plain_run, timeout_run) =
                (find("ours"), find("plain"), find("plain+timeout"));
            let ratio = ours_run.per_second / plain_run.per_second;
            ratios.push(ratio);
            let timeout_ratio = ours_run.per_second / timeout_run.per_second;
            timeout_ratios.push(timeout_ratio);
            let cpu = |run: &Run| {
                run.cpu_micros_per_request
                    .map_or_else(|| "-".to_owned(), |micros| format!("{micros:.1}"))
            };
            if let (Some(ours_cpu), Some(plain_cpu)) = (
                ours_run.cpu_micros_per_request,
                plain_run.cpu_micros_per_request,
            ) {
                cpu_ratios.push(ours_cpu / plain_cpu);
            }
            println!(
                "| {round} | {:.0} | {:.0} | {:.0} | {ratio:.3} | {timeout_ratio:.3} | {} | {} | {} |",
                ours_run.per_second,
                plain_run.per_second,
                timeout_run.per_second,
                cpu(ours_run),
                cpu(plain_run),
                cpu(timeout_run),
            );
        }
        let median_ratio = median(&mut ratios);
        println!();
        println!(
            "bench client: median throughput ratio ours/plain {median_ratio:.3} over {} rounds (goal >= {GOAL_RATIO}): {}",
            args.rounds,
            if median_ratio >= GOAL_RATIO { "met" } else { "NOT met" }
        );
        println!(
            "bench client: median throughput ratio ours/plain+timeout {:.3} (the same requests, each with the same 60 s timeout as ours)",
            median(&mut timeout_ratios)
        );
        if !cpu_ratios.is_empty() {
            println!(
                "bench client: median client CPU per request ours/plain {:.3} (lower is better; server threads excluded)",
                median(&mut cpu_ratios)
            );
        }
        if args.memory_requests > 0 {
            memory_run(&ours, id, args.memory_requests, args.concurrency).await?;
        }
        Ok(())
    })
}

/// Sends `requests` requests with our client, sampling the resident set every
/// [`RSS_EVERY`] requests.
async fn memory_run(side: &Side, id: Uuid, requests: u64, concurrency: u64) -> Result<(), String> {
    println!();
    println!(
        "bench client: memory: {requests} requests with our client, {concurrency} concurrent; VmRSS of the whole process (server included) every {RSS_EVERY}"
    );
    let samples: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let recorder = samples.clone();
    let elapsed = drive(
        side,
        id,
        requests,
        concurrency,
        Arc::new(move |done| {
            if done % RSS_EVERY == 0 {
                if let (Some(rss), Ok(mut samples)) = (rss_kib(), recorder.lock()) {
                    samples.push((done, rss));
                }
            }
        }),
    )
    .await?;
    let mut samples = samples.lock().map_err(|_| "poisoned".to_owned())?.clone();
    // Tasks finish out of order: sort the samples by request count.
    samples.sort_unstable();
    println!("| requests | VmRSS KiB |");
    println!("| --- | --- |");
    for (done, rss) in &samples {
        println!("| {done} | {rss} |");
    }
    println!(
        "bench client: memory run at {:.0} req/s",
        requests as f64 / elapsed.as_secs_f64()
    );
    match (samples.first(), samples.last()) {
        (Some(&(first_at, first)), Some(&(last_at, last))) if samples.len() >= 2 => {
            let growth = (last as f64 - first as f64) / first as f64;
            println!(
                "bench client: RSS growth from {first_at} to {last_at} requests: {first} -> {last} KiB ({:+.1}%; goal: none, within {:.0}%): {}",
                growth * 100.0,
                RSS_TOLERANCE * 100.0,
                if growth < RSS_TOLERANCE { "met" } else { "NOT met" }
            );
        }
        _ => println!(
            "bench client: fewer than two RSS samples (needs at least {} requests and /proc)",
            2 * RSS_EVERY
        ),
    }
    Ok(())
}
