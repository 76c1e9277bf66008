//! Retries, timeouts, hooks and identity of the generated client, against the fake server
//! with injected faults. Backoff and timeouts are milliseconds: no test waits for seconds.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ai_agent_client::types::CreateSandboxRequest;
use ai_agent_client::{Client, Error, ObservedRequest, ObservedResponse, Observer, RetryPolicy};
use integration_tests::fake_server::{self, FakeServer, Fault, TOKEN};
use reqwest::header::{HeaderName, HeaderValue};

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

/// Retries after 1-5 ms instead of 0.5-8 s.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn client(server: &FakeServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}

/// Every attempt an observer saw: (operation, attempt, status or "failed").
#[derive(Default, Clone)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

#[derive(Debug, Clone)]
struct Seen {
    operation_id: &'static str,
    attempt: u32,
    outcome: String,
    request_headers: Vec<(String, String)>,
    request_id: Option<String>,
}

impl Recorder {
    fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }
}

impl Observer for Recorder {
    fn on_response(&self, request: &ObservedRequest, response: &ObservedResponse) {
        self.0.lock().unwrap().push(Seen {
            operation_id: request.operation_id,
            attempt: request.attempt,
            outcome: response.status.as_u16().to_string(),
            request_headers: headers(request),
            request_id: response.request_id().map(str::to_string),
        });
    }

    fn on_failure(&self, request: &ObservedRequest, error: &reqwest::Error) {
        self.0.lock().unwrap().push(Seen {
            operation_id: request.operation_id,
            attempt: request.attempt,
            outcome: format!("failed: {error}"),
            request_headers: headers(request),
            request_id: None,
        });
    }
}

fn headers(request: &ObservedRequest) -> Vec<(String, String)> {
    request
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

async fn create(client: &Client, name: &str) -> ai_agent_client::types::Sandbox {
    client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new(name))
        .await
        .expect("create")
}

fn methods(server: &FakeServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .map(|request| request.method)
        .collect()
}

#[tokio::test]
async fn get_is_retried_after_503_then_succeeds() {
    let server = fake_server::start().await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries())
        .observer(recorder.clone())
        .build()
        .unwrap();
    let sandbox = create(&client, "box").await;
    server.inject(Fault::status(503).for_method("GET"));
    server.inject(Fault::status(502).for_method("GET"));

    let read = client
        .get_sandbox(ORG, PROJECT, sandbox.id)
        .await
        .expect("third attempt succeeds");

    assert_eq!(read.id, sandbox.id);
    assert_eq!(methods(&server), ["POST", "GET", "GET", "GET"]);
    let attempts: Vec<(&str, u32, String)> = recorder
        .seen()
        .into_iter()
        .map(|seen| (seen.operation_id, seen.attempt, seen.outcome))
        .collect();
    assert_eq!(
        attempts,
        [
            ("createSandbox", 1, "201".to_string()),
            ("getSandbox", 1, "503".to_string()),
            ("getSandbox", 2, "502".to_string()),
            ("getSandbox", 3, "200".to_string()),
        ]
    );
}

#[tokio::test]
async fn retry_after_seconds_is_honoured_up_to_the_cap() {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries().with_max_retry_after(Duration::from_millis(150)))
        .build()
        .unwrap();
    // The server asks for 30 s; the cap makes it 150 ms, far above the 1-5 ms backoff.
    server.inject(Fault::status(429).header("retry-after", "30"));
    let started = Instant::now();
    let page = client.list_sandboxes(ORG, PROJECT).await.expect("retried");
    let waited = started.elapsed();
    assert_eq!(page.total, 0);
    assert_eq!(server.request_count(), 2);
    assert!(
        waited >= Duration::from_millis(150),
        "waited only {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(2),
        "waited {waited:?}: the cap was ignored"
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries().with_max_retry_after(Duration::from_millis(200)))
        .build()
        .unwrap();
    // A date 10 s ahead, capped to 200 ms; then a date in the past, which means "now".
    let ahead = (chrono::Utc::now() + chrono::Duration::seconds(10))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    server.inject(Fault::status(503).header("retry-after", ahead));
    let started = Instant::now();
    client.list_sandboxes(ORG, PROJECT).await.expect("retried");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(200),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(2), "waited {waited:?}");

    server.inject(Fault::status(503).header("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"));
    let started = Instant::now();
    client.list_sandboxes(ORG, PROJECT).await.expect("retried");
    assert!(started.elapsed() < Duration::from_millis(150));
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn create_is_never_sent_twice_by_default() {
    let server = fake_server::start().await;
    let client = client(&server);
    server.inject(Fault::status(503).for_method("POST"));

    let error = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("once"))
        .await
        .expect_err("503 is returned, not retried");

    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(methods(&server), ["POST"]);
    assert!(server.sandboxes(ORG, PROJECT).is_empty());
}

#[tokio::test]
async fn create_is_retried_when_the_call_opts_in() {
    let server = fake_server::start().await;
    let client = client(&server);
    server.inject(Fault::status(503).for_method("POST"));

    let sandbox = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("twice"))
        .retry_policy(fast_retries().retry_non_idempotent(true))
        .await
        .expect("the second attempt creates it");

    assert_eq!(sandbox.name, "twice");
    assert_eq!(methods(&server), ["POST", "POST"]);
    assert_eq!(server.sandboxes(ORG, PROJECT).len(), 1);
    // The retry is the same request, made again from the same values: path, query,
    // every header in order and the body's bytes.
    let requests = server.requests();
    assert_eq!(requests[0], requests[1]);
    assert_eq!(requests[1].body, r#"{"name":"twice"}"#);
    assert_eq!(
        requests[1].authorization.as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn pause_is_retried_because_the_settings_mark_it_idempotent() {
    let server = fake_server::start().await;
    let client = client(&server);
    let sandbox = create(&client, "pausable").await;
    server.inject(Fault::status(504).for_method("POST"));

    let paused = client
        .pause_sandbox(ORG, PROJECT, sandbox.id)
        .await
        .expect("retried");

    assert_eq!(paused.phase.as_str(), "Paused");
    assert_eq!(methods(&server), ["POST", "POST", "POST"]);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let server = fake_server::start().await;
    let client = client(&server);
    server.inject(Fault::status(502));
    server.inject(Fault::status(503));
    server.inject(Fault::status(504));

    let error = client
        .list_sandboxes(ORG, PROJECT)
        .await
        .expect_err("three failures with three attempts");

    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(504));
    // The id of the last response, the third request.
    assert_eq!(error.request_id(), Some("req-3"));
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_non_retryable_status_is_not_retried() {
    let server = fake_server::start().await;
    let client = client(&server);
    server.inject(Fault::status(500));
    let error = client.list_sandboxes(ORG, PROJECT).await.expect_err("500");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported_as_transport_errors() {
    // A port nothing listens on: bind, note the address, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .retry_policy(fast_retries().with_max_attempts(4))
        .observer(recorder.clone())
        .build()
        .unwrap();

    let error = client
        .list_sandboxes(ORG, PROJECT)
        .await
        .expect_err("nothing listens");

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let seen = recorder.seen();
    assert_eq!(
        seen.iter().map(|seen| seen.attempt).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert!(seen.iter().all(|seen| seen.outcome.starts_with("failed")));
}

#[tokio::test]
async fn a_slow_response_is_a_timeout_error() {
    let server = fake_server::start().await;
    let client = client(&server);
    server.inject(Fault::status(200).delay(Duration::from_millis(800)));

    let started = Instant::now();
    let error = client
        .list_sandboxes(ORG, PROJECT)
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::never())
        .await
        .expect_err("the server answers after 800 ms");

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_timeout());
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error.to_string().starts_with("request timed out"),
        "{error}"
    );
}

#[tokio::test]
async fn the_client_timeout_applies_to_every_attempt() {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries())
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    // Two slow answers, then the real one: timeouts of a GET are retried.
    server.inject(Fault::status(200).delay(Duration::from_millis(400)));
    server.inject(Fault::status(200).delay(Duration::from_millis(400)));
    let page = client
        .list_sandboxes(ORG, PROJECT)
        .await
        .expect("third attempt in time");
    assert_eq!(page.items.len(), 0);
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn identity_hooks_and_default_headers() {
    let server = fake_server::start().await;
    let recorder = Recorder::default();
    let mut own_headers = reqwest::header::HeaderMap::new();
    own_headers.insert("x-from-own-client", HeaderValue::from_static("yes"));
    let own = reqwest::Client::builder()
        .default_headers(own_headers)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .http_client(own)
        .default_header(
            HeaderName::from_static("x-team"),
            HeaderValue::from_static("agents"),
            false,
        )
        .default_header(
            HeaderName::from_static("x-api-key"),
            HeaderValue::from_static("secret-key"),
            true,
        )
        .observer(recorder.clone())
        .build()
        .unwrap();

    let response = client
        .list_sandboxes(ORG, PROJECT)
        .send_with_response()
        .await
        .expect("list");

    // The request id is reachable on success.
    assert_eq!(response.request_id(), Some("req-1"));
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.into_inner().total, 0);

    let received = server.last_request().unwrap();
    assert_eq!(
        received.user_agent.as_deref(),
        Some(concat!("ai-agent-client/", "0.2.0"))
    );
    assert_eq!(
        received.user_agent.as_deref(),
        Some(ai_agent_client::USER_AGENT)
    );
    assert_eq!(received.authorization.as_deref(), Some("Bearer test-token"));
    let header = |name: &str| {
        received
            .headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(header("x-team"), Some("agents"));
    assert_eq!(header("x-api-key"), Some("secret-key"));
    assert_eq!(header("x-from-own-client"), Some("yes"));

    // The observer saw the request, without the token or the sensitive header.
    let seen = recorder.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_id.as_deref(), Some("req-1"));
    let names: Vec<&str> = seen[0]
        .request_headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(names.contains(&"x-team"), "{names:?}");
    assert!(names.contains(&"user-agent"), "{names:?}");
    assert!(!names.contains(&"authorization"), "{names:?}");
    assert!(!names.contains(&"x-api-key"), "{names:?}");
    let everything = format!("{seen:?}");
    assert!(!everything.contains(TOKEN), "{everything}");
    assert!(!everything.contains("secret-key"), "{everything}");
    // Nor does the client's Debug output.
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(TOKEN) && !debug.contains("secret-key"),
        "{debug}"
    );
}

#[tokio::test]
async fn request_ids_are_reachable_on_documented_errors() {
    let server = fake_server::start().await;
    let client = client(&server);
    let error = client
        .get_sandbox(ORG, PROJECT, uuid::Uuid::nil())
        .await
        .expect_err("no such sandbox");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(error.request_id(), Some("req-1"));
}
