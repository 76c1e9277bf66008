//! The generated client against hostile servers: each case is a raw TCP server writing
//! exact bytes (or resetting, stalling, or never ending), and asserts the typed outcome.
//! Nothing here may panic, hang past its timeout, leak a credential into `Display`,
//! `Debug` or an observer, or send a request anywhere but where the caller said.
//!
//! Timeouts and backoff are milliseconds: no case waits for seconds.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ai_agent_client::errors::{GetSandboxError, ListSandboxesError};
use ai_agent_client::types::{CreateSandboxRequest, SandboxPhase};
use ai_agent_client::{
    BuildError, Client, ClientBuilder, Error, ObservedRequest, ObservedResponse, Observer,
    RetryPolicy,
};
use integration_tests::raw_server::{json, response, serve, serve_always, Reply};
use reqwest::header::{HeaderName, HeaderValue};

const TOKEN: &str = "tok-3f9a71c2e8b44d0c";
const API_KEY: &str = "key-77aa01bb92cc";
const ORG: &str = "org-1";
const PROJECT: &str = "project-1";
const SANDBOX_ID: &str = "6f1c2b1e-4a7d-4b8e-9c3f-2d5e8a9b0c1d";

fn sandbox_json(phase: &str) -> String {
    format!(
        r#"{{"id":"{SANDBOX_ID}","org_id":"{ORG}","project_id":"{PROJECT}","name":"box","region":"in-1","image":"python:3.12","phase":"{phase}","replicas":1,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}}"#
    )
}

fn sandbox_id() -> uuid::Uuid {
    SANDBOX_ID.parse().unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
        .with_max_retry_after(Duration::from_millis(20))
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .retry_policy(fast_retries())
        .timeout(Duration::from_millis(500))
}

fn client(base_url: &str) -> Client {
    builder(base_url).build().expect("client")
}

/// Runs `future`, failing the test if it takes longer than `limit`.
async fn within<T>(limit: Duration, future: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::time::timeout(limit, future)
        .await
        .expect("the call outlived its bound")
}

/// `Display`, `Debug` and pretty `Debug` of `value`, for leak checks.
fn shown(value: &(impl std::fmt::Display + std::fmt::Debug)) -> String {
    format!("{value}\n{value:?}\n{value:#?}")
}

/// An observer that writes down everything it is shown.
#[derive(Clone, Default)]
struct Transcript(Arc<Mutex<String>>);

impl Transcript {
    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
}

impl Observer for Transcript {
    fn on_request(&self, request: &ObservedRequest) {
        self.0.lock().unwrap().push_str(&format!("{request:?}\n"));
    }
    fn on_response(&self, request: &ObservedRequest, response: &ObservedResponse) {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("{request:?} {response:?}\n"));
    }
    fn on_failure(&self, request: &ObservedRequest, error: &reqwest::Error) {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("{request:?} {error} {error:?}\n"));
    }
}

// ---------------------------------------------------------------------------------------
// Bodies and statuses that already behaved: kept as cases.

#[tokio::test]
async fn malformed_json_is_an_invalid_body_that_keeps_status_and_body() {
    let server = serve_always(json(200, r#"{"items": [,]}"#)).await;
    let error = client(&server.base_url())
        .list_sandboxes(ORG, PROJECT)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    assert_eq!(&error.response().unwrap().body()[..], br#"{"items": [,]}"#);
}

#[tokio::test]
async fn a_wrong_typed_field_is_an_invalid_body() {
    let body = sandbox_json("Ready").replace(r#""replicas":1"#, r#""replicas":"one""#);
    let server = serve_always(json(200, &body)).await;
    let error = client(&server.base_url())
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .unwrap_err();
    match &error {
        Error::InvalidBody { source, .. } => assert!(source.to_string().contains("invalid type")),
        other => panic!("expected InvalidBody, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_nested_300_deep_is_an_invalid_body_not_a_stack_overflow() {
    let body = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let server = serve_always(json(200, &body)).await;
    let error = client(&server.base_url())
        .list_sandboxes(ORG, PROJECT)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error_after_retries() {
    let server = serve_always(Reply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"items\":".to_vec(),
    ))
    .await;
    let error = within(
        Duration::from_secs(5),
        client(&server.base_url()).list_sandboxes(ORG, PROJECT),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    // A GET is idempotent: the default 3 attempts were all made.
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn slow_headers_and_slow_bodies_time_out() {
    let slow_head = serve_always(Reply::Slow(vec![(
        Duration::from_secs(3),
        b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
    )]))
    .await;
    let slow_body = serve_always(Reply::Slow(vec![
        (
            Duration::ZERO,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n{"
                .to_vec(),
        ),
        (Duration::from_secs(3), b"\"items\":[]}".to_vec()),
    ]))
    .await;
    for server in [slow_head, slow_body] {
        let started = Instant::now();
        let error = within(
            Duration::from_secs(5),
            client(&server.base_url())
                .list_sandboxes(ORG, PROJECT)
                .retry_policy(RetryPolicy::never())
                .timeout(Duration::from_millis(200)),
        )
        .await
        .unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[tokio::test]
async fn retry_after_extremes_are_capped_or_ignored() {
    for retry_after in [
        "999999999",
        "-1",
        "soon",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "",
    ] {
        let server = serve_always(response(503, &[("retry-after", retry_after)], b"busy")).await;
        let started = Instant::now();
        let error = within(
            Duration::from_secs(5),
            client(&server.base_url()).list_sandboxes(ORG, PROJECT),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&error, Error::UnexpectedStatus(response) if response.status() == 503),
            "Retry-After {retry_after:?}: {error:?}"
        );
        assert_eq!(server.connections(), 3, "Retry-After {retry_after:?}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "Retry-After {retry_after:?}"
        );
    }
}

#[tokio::test]
async fn unknown_statuses_are_unexpected_and_unknown_enum_values_decode() {
    for status in [418, 599, 302] {
        let server = serve_always(json(status, "{}")).await;
        let error = client(&server.base_url())
            .get_sandbox(ORG, PROJECT, sandbox_id())
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::UnexpectedStatus(response) if response.status() == status),
            "{error:?}"
        );
    }
    let server = serve_always(json(200, &sandbox_json("hibernating"))).await;
    let sandbox = client(&server.base_url())
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .unwrap();
    assert_eq!(
        sandbox.phase,
        SandboxPhase::Other("hibernating".to_string())
    );
}

// ---------------------------------------------------------------------------------------
// Parameter values: every byte percent-encoded before the URL library sees it.

#[tokio::test]
async fn control_characters_in_path_values_stay_inside_their_segment() {
    let cases = [
        (
            "..\t",
            "/api/v1beta1/orgs/..%09/projects/project-1/sandboxes",
        ),
        (
            "o\r\nX: y",
            "/api/v1beta1/orgs/o%0D%0AX%3A%20y/projects/project-1/sandboxes",
        ),
        (
            "a/b?c#d%",
            "/api/v1beta1/orgs/a%2Fb%3Fc%23d%25/projects/project-1/sandboxes",
        ),
        (
            "\0\u{7f}",
            "/api/v1beta1/orgs/%00%7F/projects/project-1/sandboxes",
        ),
        ("é", "/api/v1beta1/orgs/%C3%A9/projects/project-1/sandboxes"),
        (
            "a-b.c_d~e",
            "/api/v1beta1/orgs/a-b.c_d~e/projects/project-1/sandboxes",
        ),
    ];
    for (org, target) in cases {
        let server = serve_always(json(200, r#"{"items":[],"total":0,"page":1,"limit":20}"#)).await;
        client(&server.base_url())
            .list_sandboxes(org, PROJECT)
            .await
            .unwrap_or_else(|error| panic!("{org:?}: {error}"));
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(
            requests[0].request_line,
            format!("GET {target} HTTP/1.1"),
            "{org:?}"
        );
    }
}

#[tokio::test]
async fn path_values_that_would_change_the_url_are_refused_before_sending() {
    let server = serve_always(json(200, "{}")).await;
    let client = client(&server.base_url());
    for org in ["", ".", ".."] {
        let error = client.list_sandboxes(org, PROJECT).await.unwrap_err();
        match &error {
            Error::InvalidRequest(invalid) => assert_eq!(invalid.parameter, "org_id"),
            other => panic!("{org:?}: expected InvalidRequest, got {other:?}"),
        }
    }
    assert_eq!(server.connections(), 0, "nothing may be sent");
}

#[tokio::test]
async fn control_characters_in_query_values_are_percent_encoded() {
    let server = serve_always(json(200, "{}")).await;
    let _ = client(&server.base_url())
        .get_sandbox_metrics(ORG, PROJECT, sandbox_id())
        .step("1m\r\nX-Injected: 1&page=9")
        .await;
    let request = &server.requests()[0];
    assert_eq!(
        request.target(),
        format!(
            "/api/v1beta1/orgs/{ORG}/projects/{PROJECT}/sandboxes/{SANDBOX_ID}/metrics?step=1m%0D%0AX-Injected%3A+1%26page%3D9"
        )
    );
    assert_eq!(request.header("x-injected"), None);
}

#[test]
fn base_urls_with_whitespace_or_control_characters_are_refused() {
    for url in [
        "http://host/a\tb",
        "http://ho\nst/",
        "http://host/ x",
        "http://host/\0",
    ] {
        let error = Client::builder().base_url(url).build().unwrap_err();
        assert!(
            matches!(error, BuildError::InvalidBaseUrl { .. }),
            "{url:?}: {error:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Credentials the server echoes back, or that the client shows itself.

#[tokio::test]
async fn a_401_quoting_the_token_shows_it_nowhere() {
    let body = format!(
        r#"{{"error":"bad credentials","details":"Authorization: Bearer {TOKEN} was refused"}}"#
    );
    let server = serve_always(response(
        401,
        &[
            ("content-type", "application/json"),
            ("x-echo-authorization", &format!("Bearer {TOKEN}")),
            (
                "www-authenticate",
                &format!("Bearer error=\"invalid_token\" token=\"{TOKEN}\""),
            ),
        ],
        body.as_bytes(),
    ))
    .await;
    let transcript = Transcript::default();
    let client = builder(&server.base_url())
        .observer(transcript.clone())
        .build()
        .unwrap();
    let error = client.list_sandboxes(ORG, PROJECT).await.unwrap_err();

    let text = shown(&error);
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
    assert!(text.contains("bad credentials"), "{text}");
    // The typed error was decoded with the token redacted: its own Debug is safe too.
    match error.api_error() {
        Some(ListSandboxesError::Unauthorized(body)) => {
            assert_eq!(body.error, "bad credentials");
            assert_eq!(
                body.details.as_deref(),
                Some("Authorization: Bearer [redacted] was refused")
            );
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    // The raw bytes stay exactly as received, for a caller who asks for them.
    assert_eq!(error.response().unwrap().body(), body.as_bytes());
    let observed = transcript.text();
    assert!(observed.contains("401"), "{observed}");
    assert!(!observed.contains(TOKEN), "{observed}");
}

#[tokio::test]
async fn echoed_credentials_in_a_success_response_are_kept_out_of_debug() {
    let server = serve_always(response(
        200,
        &[
            ("content-type", "application/json"),
            ("x-echo", &format!("you sent {TOKEN}")),
        ],
        sandbox_json("Ready").as_bytes(),
    ))
    .await;
    let transcript = Transcript::default();
    let client = builder(&server.base_url())
        .observer(transcript.clone())
        .build()
        .unwrap();
    let response = client
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .send_with_response()
        .await
        .unwrap();
    let text = format!("{response:?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("x-echo"), "{text}");
    assert!(!transcript.text().contains(TOKEN));
}

#[tokio::test]
async fn sensitive_default_headers_and_json_escaped_echoes_are_redacted() {
    let escaped_key = r#"k"ey\with/quote"#;
    let body =
        serde_json::json!({"error": format!("{API_KEY} and {escaped_key} rejected")}).to_string();
    let server = serve_always(json(403, &body)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .default_header(
            HeaderName::from_static("x-api-key"),
            HeaderValue::from_static(API_KEY),
            true,
        )
        .default_header(
            HeaderName::from_static("x-other-key"),
            HeaderValue::from_str(escaped_key).unwrap(),
            true,
        )
        .build()
        .unwrap();
    let error = client
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .unwrap_err();
    let text = shown(&error);
    assert!(!text.contains(API_KEY), "{text}");
    assert!(!text.contains("quote"), "{text}");
    match error.api_error() {
        Some(GetSandboxError::Forbidden(body)) => {
            assert_eq!(body.error, "[redacted] and [redacted] rejected")
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn a_password_in_the_base_url_is_in_no_debug_or_error() {
    const PASSWORD: &str = "hunter2-base-url";
    // Nothing listens on port 9 of 127.0.0.1: the call fails to connect.
    let url = format!("http://user:{PASSWORD}@127.0.0.1:9/agent");
    let builder = Client::builder()
        .base_url(&url)
        .retry_policy(RetryPolicy::never());
    assert!(!format!("{builder:?}").contains(PASSWORD));
    let client = builder.build().unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(text.contains("user:[redacted]@127.0.0.1:9"), "{text}");
    let error = client.list_sandboxes(ORG, PROJECT).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!shown(&error).contains(PASSWORD));
    // A base URL that is refused does not show its password either.
    let refused = Client::builder()
        .base_url(format!("ftp://user:{PASSWORD}@host/"))
        .build()
        .unwrap_err();
    assert!(!shown(&refused).contains(PASSWORD), "{refused}");
}

#[tokio::test]
async fn a_password_in_the_base_url_is_sent_as_basic_credentials_and_redacted_when_echoed() {
    const PASSWORD: &str = "pw-in-url-41";
    let server = serve_always(json(403, &format!(r#"{{"error":"{PASSWORD}"}}"#))).await;
    let url = server
        .base_url()
        .replace("http://", &format!("http://user:{PASSWORD}@"));
    let client = Client::builder().base_url(url).build().unwrap();
    let error = client
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .unwrap_err();
    // base64("user:pw-in-url-41")
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Basic dXNlcjpwdy1pbi11cmwtNDE=")
    );
    assert!(!shown(&error).contains(PASSWORD));
}

#[tokio::test]
async fn every_spelling_of_an_echoed_token_is_redacted() {
    // A token with characters that JSON and percent-encoding spell several ways.
    const SPECIAL: &str = "tok+en/abc=SECRET-1234";
    let bodies = [
        // PHP-style `\/`, a `\u` escape, lowercase percent-encoding.
        r#"{"error":"a tok+en\/abc=SECRET-1234 b"}"#.to_string(),
        r#"{"error":"a tok\u002ben/abc=SECRET-1234 b"}"#.to_string(),
        r#"{"error":"a tok%2ben%2fabc%3dSECRET-1234 b"}"#.to_string(),
    ];
    for body in bodies {
        let server = serve_always(response(
            401,
            &[
                ("content-type", "application/json"),
                ("x-a", "tok%2ben%2fabc%3dSECRET-1234"),
            ],
            body.as_bytes(),
        ))
        .await;
        let client = Client::builder()
            .base_url(server.base_url())
            .bearer_token(SPECIAL)
            .build()
            .unwrap();
        let error = client.list_sandboxes(ORG, PROJECT).await.unwrap_err();
        let text = shown(&error);
        assert!(!text.contains("SECRET-1234"), "{body}: {text}");
        match error.api_error() {
            Some(ListSandboxesError::Unauthorized(decoded)) => {
                assert!(!decoded.error.contains("SECRET"), "{body}: {decoded:?}");
                assert!(decoded.error.starts_with("a ") && decoded.error.ends_with(" b"));
            }
            other => panic!("{body}: expected Unauthorized, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_token_in_a_transport_error_url_is_redacted() {
    // A same-origin redirect loop to a URL that carries the token: reqwest's error names
    // the URL.
    let location = format!("/loop?t={TOKEN}");
    let server = serve_always(response(307, &[("location", &location)], b"")).await;
    let error = client(&server.base_url())
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .retry_policy(RetryPolicy::never())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let text = shown(&error);
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("redirect"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Redirects: followed within the origin only.

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere = serve_always(json(200, &sandbox_json("Ready"))).await;
    let location = format!(
        "{}/api/v1beta1/orgs/{ORG}/projects/{PROJECT}/sandboxes/{SANDBOX_ID}",
        elsewhere.base_url()
    );
    for status in [301, 302, 303, 307, 308] {
        let origin = serve_always(response(status, &[("location", &location)], b"")).await;
        let client = builder(&origin.base_url())
            .default_header(
                HeaderName::from_static("x-api-key"),
                HeaderValue::from_static(API_KEY),
                true,
            )
            .build()
            .unwrap();
        let error = client
            .get_sandbox(ORG, PROJECT, sandbox_id())
            .await
            .unwrap_err();
        match &error {
            Error::UnexpectedStatus(response) => {
                assert_eq!(response.status(), status);
                assert_eq!(response.headers()["location"], location.as_str());
            }
            other => panic!("{status}: expected UnexpectedStatus, got {other:?}"),
        }
        // The message says where the redirect pointed.
        assert!(
            error.to_string().contains(&format!(" to {location}")),
            "{error}"
        );
        assert_eq!(origin.requests()[0].header("x-api-key"), Some(API_KEY));
    }
    assert_eq!(
        elsewhere.connections(),
        0,
        "no request may reach another origin"
    );
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_its_credentials() {
    let server = serve(|index| match index {
        0 => response(307, &[("location", "/moved/sandbox")], b""),
        _ => json(200, &sandbox_json("Ready")),
    })
    .await;
    let sandbox = client(&server.base_url())
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .unwrap();
    assert_eq!(sandbox.id, sandbox_id());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].request_line, "GET /moved/sandbox HTTP/1.1");
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

// ---------------------------------------------------------------------------------------
// Credentials that cannot be sent are refused at build().

#[test]
fn unsendable_bearer_tokens_are_refused_at_build_naming_the_credential() {
    for (token, why) in [
        ("tok\r\nX-Injected: 1", "line break"),
        ("tok\0en", "control character"),
        ("tök", "non-ASCII"),
        ("", "empty"),
        ("two words", "space"),
        (" ", "space"),
    ] {
        let error = Client::builder().bearer_token(token).build().unwrap_err();
        match &error {
            BuildError::InvalidCredential { credential, reason } => {
                assert!(credential.contains("bearer token"), "{credential}");
                assert!(credential.contains("BearerAuth"), "{credential}");
                assert!(reason.contains(why), "{token:?}: {reason}");
            }
            other => panic!("{token:?}: expected InvalidCredential, got {other:?}"),
        }
        // (A blank token is in every message as a space; the others must not show.)
        if !token.trim().is_empty() {
            assert!(!shown(&error).contains(token));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Size limits and bounded previews.

#[tokio::test]
async fn a_200_mb_body_stops_at_the_limit() {
    const LENGTH: u64 = 200 * 1024 * 1024;
    // Announced with Content-Length: refused before any of the body is read.
    let announced = serve_always(Reply::Huge {
        head: format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {LENGTH}\r\n\r\n"
        )
        .into_bytes(),
        length: LENGTH,
        fill: b' ',
    })
    .await;
    let error = within(
        Duration::from_secs(10),
        client(&announced.base_url())
            .list_sandboxes(ORG, PROJECT)
            .timeout(Duration::from_secs(10)),
    )
    .await
    .unwrap_err();
    match &error {
        Error::ResponseTooLarge { response, limit } => {
            assert_eq!(limit, &(16 * 1024 * 1024));
            assert_eq!(response.status(), 200);
            assert!(response.body().is_empty());
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert_eq!(
        announced.connections(),
        1,
        "a body over the limit is not retried"
    );

    // Unannounced (read until close): read up to the limit, then dropped.
    let unannounced = serve_always(Reply::Huge {
        head: b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
            .to_vec(),
        length: LENGTH,
        fill: b' ',
    })
    .await;
    let error = within(
        Duration::from_secs(20),
        client(&unannounced.base_url())
            .list_sandboxes(ORG, PROJECT)
            .timeout(Duration::from_secs(20))
            .max_response_bytes(1024 * 1024),
    )
    .await
    .unwrap_err();
    match &error {
        Error::ResponseTooLarge { response, limit } => {
            assert_eq!(limit, &(1024 * 1024));
            assert_eq!(response.body().len(), 1024 * 1024);
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        unannounced.bytes_written() < 64 * 1024 * 1024,
        "the client kept reading: {} bytes",
        unannounced.bytes_written()
    );
    assert!(shown(&error).len() < 16 * 1024);
}

#[tokio::test]
async fn the_client_limit_applies_and_a_huge_error_body_is_shown_bounded() {
    let message = "x".repeat(20 * 1024 * 1024);
    let body = format!(r#"{{"error":"{message}"}}"#);
    let server = serve_always(json(401, &body)).await;
    let small = builder(&server.base_url())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let error = small.list_sandboxes(ORG, PROJECT).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
        "{error:?}"
    );

    let large = builder(&server.base_url())
        .max_response_bytes(64 * 1024 * 1024)
        .build()
        .unwrap();
    let error = large.list_sandboxes(ORG, PROJECT).await.unwrap_err();
    match error.api_error() {
        Some(ListSandboxesError::Unauthorized(body)) => assert_eq!(body.error.len(), message.len()),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    let (display, debug, pretty) = (
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    );
    for text in [&display, &debug, &pretty] {
        assert!(text.len() <= 4096 + 3, "{} bytes shown", text.len());
    }
    assert!(
        display.ends_with(&format!("... ({} bytes in all)", body.len())),
        "{display}"
    );
    assert!(debug.ends_with("..."));
    assert!(pretty.ends_with("..."));
}

// ---------------------------------------------------------------------------------------
// 2xx statuses the spec does not document.

#[tokio::test]
async fn an_undocumented_2xx_with_the_success_body_is_a_success() {
    // The spec documents 201 for createSandbox.
    let server = serve_always(json(200, &sandbox_json("Pending"))).await;
    let response = client(&server.base_url())
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("box"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.id, sandbox_id());
    assert_eq!(response.phase, SandboxPhase::Pending);
}

#[tokio::test]
async fn an_undocumented_2xx_for_a_bodiless_success_is_a_success() {
    // The spec documents 204 for deleteSandbox.
    let server = serve_always(json(200, "{}")).await;
    client(&server.base_url())
        .delete_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_undocumented_2xx_of_another_shape_says_the_request_was_accepted() {
    let server = serve_always(json(202, r#"{"queued": true}"#)).await;
    let error = client(&server.base_url())
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("box"))
        .await
        .unwrap_err();
    match &error {
        Error::UndocumentedSuccess(response) => {
            assert_eq!(response.status(), 202);
            assert_eq!(&response.body()[..], br#"{"queued": true}"#);
        }
        other => panic!("expected UndocumentedSuccess, got {other:?}"),
    }
    assert!(
        error.to_string().contains("accepted the request"),
        "{error}"
    );
    assert_eq!(server.connections(), 1);
}

// ---------------------------------------------------------------------------------------
// Dead connections: no call outlives its timeout and retries.

#[tokio::test]
async fn resets_never_hang_a_call() {
    // Alternating: reset before reading the request, and after reading it.
    let server = serve(|index| {
        if index % 2 == 0 {
            Reply::ResetAtOnce
        } else {
            Reply::ResetAfterRequest
        }
    })
    .await;
    let client = client(&server.base_url());
    for round in 0..100 {
        let started = Instant::now();
        let error = within(
            Duration::from_secs(5),
            client.get_sandbox(ORG, PROJECT, sandbox_id()),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(error, Error::Transport(_)),
            "round {round}: {error:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "round {round}: {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_within_the_bound() {
    let server = serve_always(Reply::Hang).await;
    let started = Instant::now();
    let error = within(
        Duration::from_secs(5),
        client(&server.base_url())
            .get_sandbox(ORG, PROJECT, sandbox_id())
            .timeout(Duration::from_millis(200)),
    )
    .await
    .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // 3 attempts of 200 ms and two short backoffs.
    assert_eq!(server.connections(), 3);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
