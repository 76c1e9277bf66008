//! End-to-end tests: the generated client against the in-process fake of the API.
//!
//! The fake only speaks `serde_json::Value`, so these tests check the client's wire
//! format (paths, queries, bodies, auth) against the spec independently of the client's
//! own types.

use std::fmt::Debug;

use ai_agent_client::errors::{
    CreateSandboxError, DeleteSandboxError, GetSandboxError, GetSandboxMetricsError,
    ListSandboxesError, PauseSandboxError, ResumeSandboxError,
};
use ai_agent_client::types::{
    CreateSandboxRequest, PauseSandboxRequest, SandboxEgressConfigMode, SandboxEgressRuleProtocol,
    SandboxPhase,
};
use ai_agent_client::{Client, Error, InvalidRequest, Limit, RawResponse, Rule, ValidationError};
use chrono::{DateTime, Duration, TimeZone, Utc};
use integration_tests::fake_server::{self, FakeServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

const ORG: &str = "org-1";
const PROJECT: &str = "proj-1";
const SPEC: &str = include_str!("../../spec/openapi.yaml");

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A client for `server` authenticated with `token`.
fn client_with_token(server: &FakeServer, token: &str) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_token(token)
        .build()
        .expect("the client builds")
}

/// A client for `server` with the token it accepts.
fn client(server: &FakeServer) -> Client {
    client_with_token(server, server.token())
}

/// A client for `server` that sends request values without checking them against the
/// spec's constraints first, so the server's own validation can be exercised.
fn unvalidated_client(server: &FakeServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_token(server.token())
        .validate_requests(false)
        .build()
        .expect("the client builds")
}

/// A fresh fake server and a client for it.
async fn setup() -> (FakeServer, Client) {
    let server = fake_server::start().await;
    let client = client(&server);
    (server, client)
}

/// Unwraps an `Error::Api`, panicking with the whole result otherwise.
fn expect_api<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> (E, RawResponse) {
    match result {
        Err(Error::Api { error, response }) => (error, response),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Unwraps an `Error::UnexpectedStatus`, panicking with the whole result otherwise.
fn expect_unexpected_status<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> RawResponse {
    match result {
        Err(Error::UnexpectedStatus(response)) => response,
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

/// Unwraps an `Error::InvalidBody`, panicking with the whole result otherwise.
fn expect_invalid_body<T: Debug, E: Debug>(
    result: Result<T, Error<E>>,
) -> (RawResponse, serde_json::Error) {
    match result {
        Err(Error::InvalidBody { response, source }) => (response, source),
        other => panic!("expected Error::InvalidBody, got {other:?}"),
    }
}

/// Unwraps an `Error::Validation`, panicking with the whole result otherwise.
fn expect_validation<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> ValidationError {
    match result {
        Err(Error::Validation(invalid)) => invalid,
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

/// Unwraps an `Error::InvalidRequest`, panicking with the whole result otherwise.
fn expect_invalid_request<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> InvalidRequest {
    match result {
        Err(Error::InvalidRequest(invalid)) => invalid,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

/// Asserts that `$result` is `Error::Api` holding `$enum::$kind(body)` with the given
/// HTTP status and `body.error`, and that the accessors agree.
macro_rules! assert_api_error {
    ($result:expr, $enum:ident :: $kind:ident, $status:expr, $message:expr) => {{
        let result = $result;
        let status: u16 = $status;
        if let Err(err) = &result {
            assert_eq!(
                err.status().map(|s| s.as_u16()),
                Some(status),
                "Error::status()"
            );
            assert!(err.api_error().is_some(), "Error::api_error() on {err:?}");
            assert_eq!(err.response().map(|r| r.status().as_u16()), Some(status));
        }
        let (error, response) = expect_api(result);
        assert_eq!(response.status().as_u16(), status, "raw status");
        let as_std_error: &dyn std::error::Error = &error;
        assert!(!as_std_error.to_string().is_empty());
        assert_eq!(
            error.status(),
            Some(status),
            "{}::status()",
            stringify!($enum)
        );
        match error {
            $enum::$kind(body) => assert_eq!(body.error, $message),
            other => panic!(
                "expected {}::{}, got {other:?}",
                stringify!($enum),
                stringify!($kind)
            ),
        }
    }};
}

/// Runs all seven operations for `$org` and asserts each fails with the documented
/// `$kind` variant of its own error enum.
macro_rules! assert_every_operation_fails {
    ($client:expr, $org:expr, $kind:ident, $status:expr, $message:expr) => {{
        let client: &Client = $client;
        let org: &str = $org;
        let id = Uuid::new_v4();
        assert_api_error!(
            client.list_sandboxes(org, PROJECT).await,
            ListSandboxesError::$kind,
            $status,
            $message
        );
        assert_api_error!(
            client
                .create_sandbox(org, PROJECT, CreateSandboxRequest::new("dev-box"))
                .await,
            CreateSandboxError::$kind,
            $status,
            $message
        );
        assert_api_error!(
            client.get_sandbox(org, PROJECT, id).await,
            GetSandboxError::$kind,
            $status,
            $message
        );
        assert_api_error!(
            client.delete_sandbox(org, PROJECT, id).await,
            DeleteSandboxError::$kind,
            $status,
            $message
        );
        assert_api_error!(
            client.pause_sandbox(org, PROJECT, id).await,
            PauseSandboxError::$kind,
            $status,
            $message
        );
        assert_api_error!(
            client.resume_sandbox(org, PROJECT, id).await,
            ResumeSandboxError::$kind,
            $status,
            $message
        );
        assert_api_error!(
            client.get_sandbox_metrics(org, PROJECT, id).await,
            GetSandboxMetricsError::$kind,
            $status,
            $message
        );
    }};
}

/// Decodes `%XX` escapes (no `+` handling: for paths); a malformed escape stays as is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escape {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8 after decoding")
}

/// Splits a raw query string into decoded `(name, value)` pairs, form-style (`+` is a space).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&name.replace('+', " ")),
                percent_decode(&value.replace('+', " ")),
            )
        })
        .collect()
}

/// The decoded value of query parameter `name` in a raw query string.
fn query_param(query: &str, name: &str) -> Option<String> {
    query_pairs(query)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// The raw request body of the last request, parsed as JSON.
fn last_body_json(server: &FakeServer) -> Value {
    let request = server.last_request().expect("a request was received");
    serde_json::from_str(&request.body).expect("the request body is JSON")
}

/// Creates a sandbox named `name` in `ORG`/`PROJECT` and returns its id.
async fn create(client: &Client, name: &str) -> Uuid {
    client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new(name))
        .await
        .expect("create succeeds")
        .id
}

// ---------------------------------------------------------------------------
// Client construction
// ---------------------------------------------------------------------------

#[test]
fn default_base_url_is_the_spec_server() {
    let spec_server = SPEC
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("- url:"))
        .expect("the spec lists a server")
        .trim();
    assert_eq!(spec_server, "https://api.ai.neevcloud.com/agent");

    let client = Client::builder()
        .bearer_token("test-token")
        .build()
        .expect("the client builds with the default base URL");
    assert_eq!(
        client.base_url().as_str().trim_end_matches('/'),
        spec_server
    );
}

#[test]
fn builder_rejects_invalid_base_urls() {
    for bad in ["not a url", "ftp://example.com/agent", "/relative/path"] {
        let result = Client::builder()
            .base_url(bad)
            .bearer_token("test-token")
            .build();
        assert!(result.is_err(), "base URL {bad:?} was accepted");
    }
}

#[tokio::test]
async fn base_url_is_the_one_given() {
    let server = fake_server::start().await;
    let client = client(&server);
    assert_eq!(
        client.base_url().as_str().trim_end_matches('/'),
        server.base_url()
    );
}

// ---------------------------------------------------------------------------
// Happy paths
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_sends_the_spec_body_and_reads_the_sandbox() {
    let (server, client) = setup().await;
    let request = integration_tests::sample::full_create_request();

    let sandbox = client
        .create_sandbox(ORG, PROJECT, request)
        .await
        .expect("create succeeds");

    // What went over the wire.
    let sent = server.last_request().expect("a request was received");
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.path,
        "/api/v1beta1/orgs/org-1/projects/proj-1/sandboxes"
    );
    assert_eq!(sent.query, None);
    assert!(
        sent.content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("application/json")),
        "content type {:?}",
        sent.content_type
    );
    assert_eq!(
        last_body_json(&server),
        json!({
            "name": "dev-box",
            "region": "eu-west-1",
            "env": [{ "name": "GREETING", "value": "hello world" }],
            "resources": { "cpu": 0.5, "memory_gb": 2, "disk_gb": 20 },
            "egress": {
                "mode": "allow_list",
                "allow_internet": false,
                "allow": [{ "host": "example.com", "ports": [443], "protocol": "TCP" }],
            },
            "sandbox_template_id": "sb-ubuntu-24-04",
        })
    );

    // What came back.
    let stored = &server.sandboxes(ORG, PROJECT)[0];
    assert_eq!(sandbox.id.to_string(), stored["id"].as_str().unwrap());
    assert_eq!(sandbox.org_id, ORG);
    assert_eq!(sandbox.project_id, PROJECT);
    assert_eq!(sandbox.name, "dev-box");
    assert_eq!(sandbox.region, "eu-west-1");
    assert_eq!(sandbox.image, fake_server::DEFAULT_IMAGE);
    assert_eq!(sandbox.phase, SandboxPhase::Pending);
    assert_eq!(sandbox.replicas, 1);
    assert_eq!(sandbox.command, None, "absent field");
    assert_eq!(sandbox.connect_url, Some(None), "present but null");
    assert_eq!(
        sandbox.created_by,
        Some(Some(fake_server::CREATED_BY.to_string()))
    );
    assert_eq!(
        sandbox.sandbox_template_id,
        Some(Some("sb-ubuntu-24-04".to_string()))
    );
    let created_at = DateTime::parse_from_rfc3339(stored["created_at"].as_str().unwrap()).unwrap();
    assert_eq!(sandbox.created_at, created_at);
    assert!(sandbox.updated_at >= sandbox.created_at);

    let env = sandbox.env.as_ref().expect("env echoed");
    assert_eq!(env.len(), 1);
    assert_eq!(env[0].name, "GREETING");
    assert_eq!(env[0].value, "hello world");

    let resources = sandbox.resources.as_ref().expect("resources echoed");
    assert_eq!(resources.cpu, Some(0.5));
    assert_eq!(resources.memory_gb, Some(2));
    assert_eq!(resources.disk_gb, Some(20));

    let egress = sandbox
        .egress
        .as_ref()
        .expect("egress present")
        .as_ref()
        .expect("egress not null");
    assert_eq!(egress.mode, SandboxEgressConfigMode::AllowList);
    assert!(!egress.allow_internet);
    let rules = egress.allow.as_ref().expect("rules echoed");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].host, "example.com");
    assert_eq!(rules[0].ports, Some(vec![443]));
    assert_eq!(rules[0].protocol, Some(SandboxEgressRuleProtocol::Tcp));
}

#[tokio::test]
async fn create_with_only_the_name_sends_only_the_name() {
    let (server, client) = setup().await;
    let sandbox = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("minimal"))
        .await
        .expect("create succeeds");

    assert_eq!(last_body_json(&server), json!({ "name": "minimal" }));
    assert_eq!(sandbox.region, fake_server::DEFAULT_REGION);
    assert!(sandbox.env.is_none());
    assert!(sandbox.resources.is_none());
    assert!(
        matches!(sandbox.egress, Some(None)),
        "egress: {:?}",
        sandbox.egress
    );
    assert_eq!(sandbox.sandbox_template_id, Some(None));
}

#[tokio::test]
async fn create_from_snapshot_is_absent_null_or_a_uuid_on_the_wire() {
    let (server, client) = setup().await;
    let snapshot = Uuid::new_v4();

    client
        .create_sandbox(
            ORG,
            PROJECT,
            CreateSandboxRequest::new("restored").with_from_snapshot(Some(snapshot)),
        )
        .await
        .expect("create with a snapshot succeeds");
    assert_eq!(
        last_body_json(&server),
        json!({ "name": "restored", "from_snapshot": snapshot.to_string() })
    );

    client
        .create_sandbox(
            ORG,
            PROJECT,
            CreateSandboxRequest::new("cold").with_from_snapshot(None),
        )
        .await
        .expect("create with an explicit null snapshot succeeds");
    assert_eq!(
        last_body_json(&server),
        json!({ "name": "cold", "from_snapshot": null })
    );

    let request = CreateSandboxRequest::new("plain");
    assert_eq!(request.from_snapshot, None);
    client
        .create_sandbox(ORG, PROJECT, request)
        .await
        .expect("create without a snapshot succeeds");
    let body = last_body_json(&server);
    assert!(body.get("from_snapshot").is_none(), "sent {body}");
}

#[tokio::test]
async fn lifecycle_create_get_pause_resume_delete() {
    let (server, client) = setup().await;

    let created = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("life"))
        .await
        .expect("create");
    assert_eq!(created.phase, SandboxPhase::Pending);
    assert_eq!(created.replicas, 1);
    let id = created.id;

    let fetched = client.get_sandbox(ORG, PROJECT, id).await.expect("get");
    assert_eq!(fetched.id, id);
    assert_eq!(fetched.name, "life");
    assert_eq!(fetched.phase, SandboxPhase::Ready);
    assert_eq!(fetched.replicas, 1);
    assert_eq!(
        server.last_request().unwrap().path,
        format!("/api/v1beta1/orgs/org-1/projects/proj-1/sandboxes/{id}")
    );

    let paused = client.pause_sandbox(ORG, PROJECT, id).await.expect("pause");
    assert_eq!(paused.id, id);
    assert_eq!(paused.phase, SandboxPhase::Paused);
    assert_eq!(paused.replicas, 0);
    let sent = server.last_request().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.path,
        format!("/api/v1beta1/orgs/org-1/projects/proj-1/sandboxes/{id}/pause")
    );

    let resumed = client
        .resume_sandbox(ORG, PROJECT, id)
        .await
        .expect("resume");
    assert_eq!(resumed.phase, SandboxPhase::Ready);
    assert_eq!(resumed.replicas, 1);
    let sent = server.last_request().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.path,
        format!("/api/v1beta1/orgs/org-1/projects/proj-1/sandboxes/{id}/resume")
    );

    let () = client
        .delete_sandbox(ORG, PROJECT, id)
        .await
        .expect("delete");
    assert_eq!(server.last_request().unwrap().method, "DELETE");
    assert!(server.sandboxes(ORG, PROJECT).is_empty());

    let result = client.get_sandbox(ORG, PROJECT, id).await;
    assert_eq!(
        result.as_ref().err().and_then(Error::status),
        Some(StatusCode::NOT_FOUND)
    );
    match result {
        Err(Error::Api {
            error: GetSandboxError::NotFound(body),
            response,
        }) => {
            assert_eq!(body.error, "not found");
            assert_eq!(body.details, None);
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
            let raw: Value = serde_json::from_slice(response.body()).unwrap();
            assert_eq!(raw, json!({ "error": "not found" }));
        }
        other => panic!("expected GetSandboxError::NotFound, got {other:?}"),
    }

    let listed = client.list_sandboxes(ORG, PROJECT).await.expect("list");
    assert_eq!(listed.total, 0);
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn list_defaults_send_no_query() {
    let (server, client) = setup().await;
    create(&client, "only-one").await;

    let listed = client.list_sandboxes(ORG, PROJECT).await.expect("list");
    let sent = server.last_request().unwrap();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        "/api/v1beta1/orgs/org-1/projects/proj-1/sandboxes"
    );
    assert!(
        sent.query.as_deref().unwrap_or("").is_empty(),
        "unset optional parameters were sent: {:?}",
        sent.query
    );
    assert_eq!(listed.total, 1);
    assert_eq!(listed.page, 1);
    assert_eq!(listed.limit, 20);
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].name, "only-one");
}

#[tokio::test]
async fn list_pages_through_sandboxes_in_creation_order() {
    let (server, client) = setup().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(create(&client, &format!("sb-{i}")).await);
    }

    let mut seen = Vec::new();
    for (page, expected_len) in [(1_i64, 2_usize), (2, 2), (3, 1)] {
        let listed = client
            .list_sandboxes(ORG, PROJECT)
            .page(page)
            .limit(2)
            .await
            .expect("list page");
        assert_eq!(listed.total, 5, "total on page {page}");
        assert_eq!(listed.page, page);
        assert_eq!(listed.limit, 2);
        assert_eq!(listed.items.len(), expected_len, "items on page {page}");

        let query = server
            .last_request()
            .unwrap()
            .query
            .expect("a query was sent");
        assert_eq!(query_param(&query, "page"), Some(page.to_string()));
        assert_eq!(query_param(&query, "limit"), Some("2".to_string()));
        assert_eq!(query_pairs(&query).len(), 2, "query {query:?}");

        seen.extend(listed.items.iter().map(|sandbox| sandbox.id));
    }
    assert_eq!(seen, ids);

    // Past the end: empty page, same total.
    let listed = client
        .list_sandboxes(ORG, PROJECT)
        .page(4)
        .limit(2)
        .send()
        .await
        .expect("list past the end");
    assert_eq!(listed.total, 5);
    assert!(listed.items.is_empty());
}

#[tokio::test]
async fn metrics_happy_path_with_default_window() {
    let (server, client) = setup().await;
    let id = create(&client, "metered").await;

    let metrics = client
        .get_sandbox_metrics(ORG, PROJECT, id)
        .await
        .expect("metrics");
    let sent = server.last_request().unwrap();
    assert_eq!(
        sent.path,
        format!("/api/v1beta1/orgs/org-1/projects/proj-1/sandboxes/{id}/metrics")
    );
    assert!(
        sent.query.as_deref().unwrap_or("").is_empty(),
        "query {:?}",
        sent.query
    );

    assert_eq!(metrics.sandbox_id, id);
    assert_eq!(metrics.step, fake_server::DEFAULT_STEP);
    assert_eq!(metrics.to - metrics.from, Duration::hours(1));
    assert_eq!(metrics.series.len(), 2);
    let cpu = &metrics.series[0];
    assert_eq!(cpu.metric, "cpu_usage_cores");
    assert_eq!(cpu.unit.as_deref(), Some("cores"));
    assert_eq!(
        cpu.points,
        vec![vec![1_700_000_000.0, 0.25], vec![1_700_000_060.0, 0.5]]
    );
    let memory = &metrics.series[1];
    assert_eq!(memory.metric, "memory_usage_bytes");
    assert_eq!(memory.unit, None);
    assert!(memory.points.is_empty());
}

#[tokio::test]
async fn metrics_query_sends_rfc3339_times_percent_encoded() {
    let (server, client) = setup().await;
    let id = create(&client, "metered").await;
    let from = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    // Sub-second precision must survive the round trip too.
    let to = from + Duration::minutes(90) + Duration::nanoseconds(123_456_789);

    let metrics = client
        .get_sandbox_metrics(ORG, PROJECT, id)
        .from(from)
        .to(to)
        .step("5m")
        .await
        .expect("metrics with a window");

    let query = server
        .last_request()
        .unwrap()
        .query
        .expect("a query was sent");
    // A raw `+` (e.g. from `+00:00`) would be read back as a space.
    assert!(!query.contains('+'), "unencoded `+` in {query:?}");
    assert!(!query.contains(' '), "unencoded space in {query:?}");
    assert_eq!(query_pairs(&query).len(), 3, "query {query:?}");
    let sent_from = query_param(&query, "from").expect("from sent");
    let sent_to = query_param(&query, "to").expect("to sent");
    assert_eq!(
        DateTime::parse_from_rfc3339(&sent_from).expect("from is RFC3339"),
        from
    );
    assert_eq!(
        DateTime::parse_from_rfc3339(&sent_to).expect("to is RFC3339"),
        to
    );
    assert_eq!(query_param(&query, "step").as_deref(), Some("5m"));

    assert_eq!(metrics.from, from);
    assert_eq!(metrics.to, to);
    assert_eq!(metrics.step, "5m");
}

#[tokio::test]
async fn metrics_step_with_reserved_characters_stays_one_query_value() {
    let (server, client) = setup().await;
    let id = create(&client, "metered").await;
    let step = "1m+30s&x=y #z";

    let metrics = client
        .get_sandbox_metrics(ORG, PROJECT, id)
        .step(step)
        .await
        .expect("metrics with an odd step");

    let query = server
        .last_request()
        .unwrap()
        .query
        .expect("a query was sent");
    // Form encoding: a literal `+` must be `%2B` (a bare `+` means a space).
    assert!(
        query.contains("%2B") || query.contains("%2b"),
        "`+` not escaped in {query:?}"
    );
    assert!(
        !query.contains(' ') && !query.contains('#'),
        "unencoded in {query:?}"
    );
    assert_eq!(
        query_pairs(&query),
        vec![("step".to_string(), step.to_string())],
        "query {query:?}"
    );
    assert_eq!(metrics.step, step, "the server echoes the decoded step");
}

#[tokio::test]
async fn pause_without_and_with_a_body() {
    let (server, client) = setup().await;
    let id = create(&client, "sleepy").await;

    // No body: nothing is sent, the server applies its default.
    client
        .pause_sandbox(ORG, PROJECT, id)
        .await
        .expect("pause without body");
    let sent = server.last_request().unwrap();
    assert_eq!(sent.body, "", "pause without .body() sent {:?}", sent.body);
    assert_eq!(server.pause_bodies(), vec![None]);
    assert_eq!(server.last_pause_body(), None);

    client
        .resume_sandbox(ORG, PROJECT, id)
        .await
        .expect("resume");
    let sent = server.last_request().unwrap();
    assert_eq!(sent.body, "", "resume has no request body");

    // Explicit false.
    let paused = client
        .pause_sandbox(ORG, PROJECT, id)
        .body(PauseSandboxRequest::default().with_preserve_memory(false))
        .await
        .expect("pause with preserve_memory=false");
    assert_eq!(paused.phase, SandboxPhase::Paused);
    assert_eq!(
        server.last_pause_body(),
        Some(json!({ "preserve_memory": false }))
    );
    let sent = server.last_request().unwrap();
    assert!(
        sent.content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("application/json")),
        "content type {:?}",
        sent.content_type
    );

    client
        .resume_sandbox(ORG, PROJECT, id)
        .await
        .expect("resume");

    // The default body carries the spec default, true.
    let default = PauseSandboxRequest::default();
    assert!(default.preserve_memory);
    client
        .pause_sandbox(ORG, PROJECT, id)
        .body(default)
        .send()
        .await
        .expect("pause with the default body");
    assert_eq!(
        server.last_pause_body(),
        Some(json!({ "preserve_memory": true }))
    );
    assert_eq!(server.pause_bodies().len(), 3);
}

// ---------------------------------------------------------------------------
// Documented error statuses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn wrong_token_is_unauthorized_for_every_operation() {
    let server = fake_server::start().await;
    let client = client_with_token(&server, "wrong-token");
    assert_every_operation_fails!(&client, ORG, Unauthorized, 401, "unauthorized");
    assert_eq!(server.request_count(), 7);
    assert!(server.sandboxes(ORG, PROJECT).is_empty());
}

#[tokio::test]
async fn forbidden_org_is_forbidden_for_every_operation() {
    let (_server, client) = setup().await;
    assert_every_operation_fails!(
        &client,
        fake_server::FORBIDDEN_ORG,
        Forbidden,
        403,
        "forbidden"
    );
}

#[tokio::test]
async fn failing_org_is_internal_server_error_for_every_operation() {
    let (_server, client) = setup().await;
    assert_every_operation_fails!(
        &client,
        fake_server::BOOM_ORG,
        InternalServerError,
        500,
        "internal"
    );
}

#[tokio::test]
async fn missing_sandbox_is_not_found_for_every_sandbox_operation() {
    let (_server, client) = setup().await;
    let id = Uuid::new_v4();
    assert_api_error!(
        client.get_sandbox(ORG, PROJECT, id).await,
        GetSandboxError::NotFound,
        404,
        "not found"
    );
    assert_api_error!(
        client.delete_sandbox(ORG, PROJECT, id).await,
        DeleteSandboxError::NotFound,
        404,
        "not found"
    );
    assert_api_error!(
        client.pause_sandbox(ORG, PROJECT, id).await,
        PauseSandboxError::NotFound,
        404,
        "not found"
    );
    assert_api_error!(
        client.resume_sandbox(ORG, PROJECT, id).await,
        ResumeSandboxError::NotFound,
        404,
        "not found"
    );
    assert_api_error!(
        client.get_sandbox_metrics(ORG, PROJECT, id).await,
        GetSandboxMetricsError::NotFound,
        404,
        "not found"
    );
}

#[tokio::test]
async fn create_with_an_invalid_name_is_bad_request() {
    // The server's own check, with the client's pre-send check turned off.
    let server = fake_server::start().await;
    let client = unvalidated_client(&server);
    let result = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("Bad_Name"))
        .await;
    let (error, response) = expect_api(result);
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error.status(), Some(400));
    match error {
        CreateSandboxError::BadRequest(body) => {
            assert_eq!(body.error, "invalid name");
            let details = body.details.expect("details");
            assert!(details.contains("Bad_Name"), "details {details:?}");
        }
        other => panic!("expected CreateSandboxError::BadRequest, got {other:?}"),
    }
    assert_eq!(last_body_json(&server), json!({ "name": "Bad_Name" }));
    assert!(server.sandboxes(ORG, PROJECT).is_empty());
}

#[tokio::test]
async fn invalid_name_is_refused_before_sending_by_default() {
    let (server, client) = setup().await;
    let result = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("Bad_Name"))
        .await;
    let err = result.as_ref().expect_err("refused");
    assert_eq!(err.status(), None);
    assert!(err.response().is_none());
    let invalid = expect_validation(result);
    assert_eq!(invalid.field, "body.name");
    assert_eq!(
        invalid.rule,
        Rule::Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    );
    assert_eq!(invalid.value, "\"Bad_Name\"");

    let too_long = "a".repeat(64);
    let invalid = expect_validation(
        client
            .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new(too_long))
            .await,
    );
    assert_eq!(invalid.field, "body.name");
    assert_eq!(invalid.rule, Rule::MaxLength(63));

    assert_eq!(server.request_count(), 0, "sent: {:?}", server.requests());
}

#[tokio::test]
async fn create_with_a_taken_name_is_conflict() {
    let (server, client) = setup().await;
    create(&client, "twin").await;
    assert_api_error!(
        client
            .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("twin"))
            .await,
        CreateSandboxError::Conflict,
        409,
        "conflict"
    );
    assert_eq!(server.sandboxes(ORG, PROJECT).len(), 1);

    // Same name in another project is fine.
    client
        .create_sandbox(ORG, "proj-2", CreateSandboxRequest::new("twin"))
        .await
        .expect("the name is free in another project");
}

#[tokio::test]
async fn pausing_a_paused_sandbox_is_bad_request() {
    let (_server, client) = setup().await;
    let id = create(&client, "paused-twice").await;
    client
        .pause_sandbox(ORG, PROJECT, id)
        .await
        .expect("first pause");
    assert_api_error!(
        client.pause_sandbox(ORG, PROJECT, id).await,
        PauseSandboxError::BadRequest,
        400,
        "already paused"
    );
}

#[tokio::test]
async fn metrics_with_a_bad_step_is_bad_request() {
    let (server, client) = setup().await;
    let id = create(&client, "metered").await;
    assert_api_error!(
        client
            .get_sandbox_metrics(ORG, PROJECT, id)
            .step("bad")
            .await,
        GetSandboxMetricsError::BadRequest,
        400,
        "invalid step"
    );
    let query = server.last_request().unwrap().query.expect("query sent");
    assert_eq!(query, "step=bad");
}

// ---------------------------------------------------------------------------
// Undocumented statuses and bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_with_limit_zero_is_an_undocumented_bad_request() {
    // The spec documents only 401/403/500 for listSandboxes, so the fake's 400 is
    // an unexpected status, kept whole. (The client's pre-send check is turned off so
    // that the value reaches the server.)
    let server = fake_server::start().await;
    let client = unvalidated_client(&server);
    let result = client.list_sandboxes(ORG, PROJECT).limit(0).await;
    assert_eq!(
        result.as_ref().err().and_then(Error::status),
        Some(StatusCode::BAD_REQUEST)
    );
    assert!(result.as_ref().err().and_then(Error::api_error).is_none());
    let response = expect_unexpected_status(result);
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(response.body()).expect("JSON body kept");
    assert_eq!(body["error"], "invalid limit");
    assert_eq!(
        query_param(&server.last_request().unwrap().query.unwrap(), "limit").as_deref(),
        Some("0")
    );
}

#[tokio::test]
async fn list_limit_out_of_range_is_refused_before_sending_by_default() {
    let (server, client) = setup().await;
    let invalid = expect_validation(client.list_sandboxes(ORG, PROJECT).limit(0).await);
    assert_eq!(invalid.field, "query.limit");
    assert!(
        matches!(
            invalid.rule,
            Rule::Minimum {
                limit: Limit::Integer(1),
                exclusive: false
            }
        ),
        "rule {:?}",
        invalid.rule
    );
    let invalid = expect_validation(client.list_sandboxes(ORG, PROJECT).limit(101).await);
    assert_eq!(invalid.field, "query.limit");
    assert!(
        matches!(
            invalid.rule,
            Rule::Maximum {
                limit: Limit::Integer(100),
                exclusive: false
            }
        ),
        "rule {:?}",
        invalid.rule
    );
    assert_eq!(server.request_count(), 0, "sent: {:?}", server.requests());

    // The bounds themselves are valid.
    for limit in [1, 100] {
        let listed = client
            .list_sandboxes(ORG, PROJECT)
            .limit(limit)
            .await
            .expect("a limit at the bound is sent");
        assert_eq!(listed.limit, limit);
    }
}

#[tokio::test]
async fn teapot_is_an_unexpected_status_with_status_headers_and_body_kept() {
    let (_server, client) = setup().await;
    let result = client
        .get_sandbox(fake_server::TEAPOT_ORG, PROJECT, Uuid::new_v4())
        .await;
    let err = result.as_ref().expect_err("418 is an error");
    assert_eq!(err.status(), Some(StatusCode::IM_A_TEAPOT));
    assert!(err.api_error().is_none());
    let display = err.to_string();
    assert!(display.contains("418"), "display {display:?}");

    let response = expect_unexpected_status(result);
    assert_eq!(response.status().as_u16(), 418);
    assert_eq!(
        response
            .headers()
            .get("x-teapot")
            .and_then(|v| v.to_str().ok()),
        Some("short-and-stout")
    );
    assert_eq!(response.text(), fake_server::TEAPOT_BODY);
    assert_eq!(&response.body()[..], fake_server::TEAPOT_BODY.as_bytes());
}

#[tokio::test]
async fn success_status_with_a_body_of_the_wrong_shape_is_invalid_body() {
    let (_server, client) = setup().await;
    let result = client
        .get_sandbox(fake_server::GARBAGE_ORG, PROJECT, Uuid::new_v4())
        .await;
    assert_eq!(
        result.as_ref().err().and_then(Error::status),
        Some(StatusCode::OK)
    );
    let (response, source) = expect_invalid_body(result);
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(&response.body()[..], fake_server::GARBAGE_BODY.as_bytes());
    assert!(source.is_data(), "a shape error, got {source:?}");

    let (response, _) = expect_invalid_body(
        client
            .list_sandboxes(fake_server::GARBAGE_ORG, PROJECT)
            .await,
    );
    assert_eq!(response.text(), fake_server::GARBAGE_BODY);
}

#[tokio::test]
async fn success_status_with_a_body_that_is_not_json_is_invalid_body() {
    let (_server, client) = setup().await;
    let (response, source) = expect_invalid_body(
        client
            .get_sandbox(fake_server::INVALID_JSON_ORG, PROJECT, Uuid::new_v4())
            .await,
    );
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text(), fake_server::INVALID_JSON_BODY);
    assert!(
        source.is_eof() || source.is_syntax(),
        "a JSON error, got {source:?}"
    );
}

#[tokio::test]
async fn unknown_phase_and_unknown_fields_are_tolerated() {
    let (_server, client) = setup().await;
    let org = fake_server::FUTURE_ORG;
    let created = client
        .create_sandbox(org, PROJECT, CreateSandboxRequest::new("from-the-future"))
        .await
        .expect("an unknown field and phase do not fail the parse");
    let hibernating = SandboxPhase::Other("Hibernating".to_string());
    assert_eq!(created.phase, hibernating);

    let fetched = client
        .get_sandbox(org, PROJECT, created.id)
        .await
        .expect("get");
    assert_eq!(fetched.phase, hibernating);
    assert_eq!(fetched.phase.as_str(), "Hibernating");
    assert_eq!(fetched.phase.to_string(), "Hibernating");
    let is_known = match &fetched.phase {
        SandboxPhase::Pending
        | SandboxPhase::Ready
        | SandboxPhase::NotReady
        | SandboxPhase::Unknown
        | SandboxPhase::Paused => true,
        SandboxPhase::Other(raw) => {
            assert_eq!(raw, "Hibernating");
            false
        }
        _ => true,
    };
    assert!(!is_known);

    // Serialising gives the raw value back unchanged.
    assert_eq!(
        serde_json::to_value(&fetched.phase).unwrap(),
        json!("Hibernating")
    );
    let reserialised = serde_json::to_value(&fetched).expect("a Sandbox serialises");
    assert_eq!(reserialised["phase"], json!("Hibernating"));
    assert_eq!(reserialised["id"], json!(created.id.to_string()));
}

#[test]
fn sandbox_phase_conversions() {
    assert_eq!(SandboxPhase::from("Ready"), SandboxPhase::Ready);
    assert_eq!(SandboxPhase::from("Paused"), SandboxPhase::Paused);
    assert_eq!(SandboxPhase::from("NotReady"), SandboxPhase::NotReady);
    // `Unknown` is a real spec value, not the catch-all.
    assert_eq!(SandboxPhase::from("Unknown"), SandboxPhase::Unknown);
    assert_eq!(SandboxPhase::Unknown.as_str(), "Unknown");
    assert_eq!(
        serde_json::from_value::<SandboxPhase>(json!("Unknown")).unwrap(),
        SandboxPhase::Unknown
    );
    assert_eq!(
        SandboxPhase::from("Hibernating"),
        SandboxPhase::Other("Hibernating".to_string())
    );
    assert_eq!(
        serde_json::from_value::<SandboxPhase>(json!("Hibernating")).unwrap(),
        SandboxPhase::Other("Hibernating".to_string())
    );
    assert_eq!(SandboxPhase::NotReady.to_string(), "NotReady");
    assert_eq!(
        serde_json::to_value(SandboxPhase::NotReady).unwrap(),
        json!("NotReady")
    );
}

// ---------------------------------------------------------------------------
// Path parameters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn reserved_characters_stay_inside_one_path_segment() {
    let (server, client) = setup().await;
    let org = "a/../b?x=1#y";
    let project = "p q%2F";

    let created = client
        .create_sandbox(org, project, CreateSandboxRequest::new("escaped"))
        .await
        .expect("create with odd path values");
    assert_eq!(created.org_id, org);
    assert_eq!(created.project_id, project);

    let sent = server.last_request().unwrap();
    assert_eq!(
        sent.query, None,
        "a `?` leaked out of the segment: {sent:?}"
    );
    let segments: Vec<&str> = sent.path.split('/').collect();
    assert_eq!(
        segments.len(),
        8,
        "expected /api/v1beta1/orgs/{{org}}/projects/{{project}}/sandboxes, got {:?}",
        sent.path
    );
    assert_eq!(segments[..4], ["", "api", "v1beta1", "orgs"]);
    assert_eq!(segments[5], "projects");
    assert_eq!(segments[7], "sandboxes");
    for (raw, value) in [(segments[4], org), (segments[6], project)] {
        assert!(
            !raw.contains(['/', '?', '#', ' ']),
            "segment {raw:?} is not encoded"
        );
        assert_eq!(percent_decode(raw), value, "segment {raw:?}");
    }
    assert!(segments[4].contains("%2F") || segments[4].contains("%2f"));
    assert!(
        segments[6].contains("%25"),
        "`%` must be escaped: {:?}",
        segments[6]
    );

    // The server looked the project up by the decoded values, and so do later calls.
    assert_eq!(server.sandboxes(org, project).len(), 1);
    let fetched = client
        .get_sandbox(org, project, created.id)
        .await
        .expect("get by the same odd values");
    assert_eq!(fetched.id, created.id);
    let listed = client.list_sandboxes(org, project).await.expect("list");
    assert_eq!(listed.total, 1);
    assert_eq!(server.last_request().unwrap().query, None);
}

#[tokio::test]
async fn dot_segments_and_empty_values_are_refused_before_sending() {
    let (server, client) = setup().await;
    let id = Uuid::new_v4();

    for value in ["..", ".", ""] {
        let invalid = expect_invalid_request(client.get_sandbox(value, PROJECT, id).await);
        assert_eq!(invalid.parameter, "org_id", "org_id {value:?}");
        assert!(!invalid.reason.is_empty());

        let invalid = expect_invalid_request(
            client
                .create_sandbox(ORG, value, CreateSandboxRequest::new("never-sent"))
                .await,
        );
        assert_eq!(invalid.parameter, "project_id", "project_id {value:?}");
    }

    let result = client.list_sandboxes("..", PROJECT).await;
    let err = result.as_ref().expect_err("refused");
    assert_eq!(err.status(), None);
    assert!(err.response().is_none());
    assert!(err.api_error().is_none());
    assert!(err.to_string().contains("org_id"), "display {err}");
    expect_invalid_request(result);

    expect_invalid_request(client.delete_sandbox("..", PROJECT, id).await);
    expect_invalid_request(client.pause_sandbox(ORG, "..", id).await);
    expect_invalid_request(client.resume_sandbox(".", PROJECT, id).await);
    expect_invalid_request(client.get_sandbox_metrics(ORG, ".", id).await);

    assert_eq!(server.request_count(), 0, "sent: {:?}", server.requests());

    // Dots inside a longer value are ordinary characters.
    client
        .list_sandboxes("...", "a..b")
        .await
        .expect("values that merely contain dots are sent");
    assert_eq!(
        server.last_request().unwrap().path,
        "/api/v1beta1/orgs/.../projects/a..b/sandboxes"
    );
}

// ---------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------

#[tokio::test]
async fn debug_and_display_never_show_the_token() {
    const SECRET: &str = "s3cr3t-t0ken-do-not-print";
    let server = fake_server::start_with_token(SECRET).await;
    let client = client_with_token(&server, SECRET);

    let debug = format!("{client:?}");
    assert!(
        !debug.contains(SECRET),
        "client Debug shows the token: {debug}"
    );
    assert!(!format!("{client:#?}").contains(SECRET));

    // The token works...
    let id = create(&client, "secretive").await;
    client
        .get_sandbox(ORG, PROJECT, id)
        .await
        .expect("authorised");

    // ...and errors do not show it either.
    let not_found = client
        .get_sandbox(ORG, PROJECT, Uuid::new_v4())
        .await
        .expect_err("404");
    let forbidden = client
        .delete_sandbox(fake_server::FORBIDDEN_ORG, PROJECT, id)
        .await
        .expect_err("403");
    let refused = client
        .get_sandbox("..", PROJECT, id)
        .await
        .expect_err("refused");
    for text in [
        format!("{not_found:?}"),
        format!("{not_found}"),
        format!("{forbidden:?}"),
        format!("{forbidden}"),
        format!("{refused:?}"),
        format!("{refused}"),
    ] {
        assert!(!text.is_empty());
        assert!(!text.contains(SECRET), "error text shows the token: {text}");
    }
    if let Some(api) = not_found.api_error() {
        let as_error: &dyn std::error::Error = api;
        assert!(!as_error.to_string().contains(SECRET));
    } else {
        panic!("expected an API error, got {not_found:?}");
    }

    // A transport error (nothing listens on the port) does not show it either. A POST
    // create is not idempotent, so the client does not back off and retry it.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let offline = Client::builder()
        .base_url(format!("http://{closed}"))
        .bearer_token(SECRET)
        .build()
        .expect("client builds");
    let transport = offline
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("offline"))
        .await
        .expect_err("connection refused");
    assert!(
        matches!(transport, Error::Transport(_)),
        "got {transport:?}"
    );
    assert_eq!(transport.status(), None);
    for text in [
        format!("{transport:?}"),
        format!("{transport}"),
        format!("{offline:?}"),
    ] {
        assert!(!text.contains(SECRET), "text shows the token: {text}");
    }
}
