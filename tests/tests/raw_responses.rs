//! The generated client against a raw std TCP server that sends exactly the bytes a test
//! gives it (credentials in response headers, bodies cut off mid-transfer), and against
//! the mock kit for bodies that do not parse.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ai_agent_client::errors::GetSandboxError;
use ai_agent_client::{Client, Error, MockServer, RetryPolicy};

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

/// A sandbox as the spec's `Sandbox` schema has it.
const SANDBOX: &str = r#"{"id":"6f1c2a4e-0000-4000-8000-000000000001","org_id":"org-1","project_id":"project-1","name":"box","region":"eu","image":"ubuntu","phase":"Ready","replicas":1,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}"#;

/// Serves `responses` in order, one connection each (the last one again for any later
/// connection); returns the base URL and the number of connections accepted so far.
fn serve(responses: Vec<Vec<u8>>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("local address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let index = counter.fetch_add(1, Ordering::SeqCst);
            let response = responses[index.min(responses.len() - 1)].clone();
            // Read the request head (GET requests have no body).
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            let _ = stream.write_all(&response);
            let _ = stream.flush();
            // Dropping the stream closes the connection, mid-body if the response says
            // more bytes are coming.
        }
    });
    (format!("http://{address}"), accepted)
}

fn response(status: &str, headers: &[&str], content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut text = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn client(base: String) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token("t")
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

fn sandbox_id() -> uuid::Uuid {
    "6f1c2a4e-0000-4000-8000-000000000001".parse().unwrap()
}

#[tokio::test]
async fn response_credentials_are_redacted_in_debug_and_display() {
    let body = br#"{"error":"not_found","message":"no such sandbox"}"#;
    let (base, _) = serve(vec![response(
        "404 Not Found",
        &[
            "set-cookie: session=secret-cookie-value",
            "authorization: Bearer secret-echoed-token",
            "x-request-id: req-7",
        ],
        "application/json",
        body,
    )]);
    let error = client(base)
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .retry_policy(RetryPolicy::never())
        .await
        .expect_err("404");
    assert!(
        matches!(
            error,
            Error::Api {
                error: GetSandboxError::NotFound(_),
                ..
            }
        ),
        "{error:?}"
    );
    for shown in [
        format!("{error:?}"),
        format!("{error:#?}"),
        error.to_string(),
    ] {
        assert!(!shown.contains("secret"), "{shown}");
    }
    let debug = format!("{error:?}");
    // The names stay, and headers without credentials are shown as they are.
    assert!(debug.contains("\"set-cookie\": [redacted]"), "{debug}");
    assert!(debug.contains("\"authorization\": [redacted]"), "{debug}");
    assert!(debug.contains("\"x-request-id\": \"req-7\""), "{debug}");
    // The raw response still has them, for whoever asks on purpose.
    let response = error.response().expect("response");
    assert_eq!(
        response.headers()["set-cookie"],
        "session=secret-cookie-value"
    );
}

#[tokio::test]
async fn invalid_bodies_show_a_preview_of_the_body() {
    // Well-formed responses with bodies the spec does not describe: the mock kit answers
    // them, in order, each once.
    let mock = MockServer::start().await;
    let html = "<html><body>Bad gateway</body></html>";
    let long = vec![b'x'; 5000];
    for (status, content_type, body) in [
        (500, "text/html", html.as_bytes().to_vec()),
        (404, "application/json", Vec::new()),
        (500, "text/plain", long),
    ] {
        mock.get_sandbox()
            .org_id(ORG)
            .project_id(PROJECT)
            .sandbox_id(sandbox_id())
            .responds_raw(status, content_type, body)
            .times(1);
    }
    let client = client(mock.base_url());
    let call = || {
        client
            .get_sandbox(ORG, PROJECT, sandbox_id())
            .retry_policy(RetryPolicy::never())
    };

    let error = call().await.expect_err("500");
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
    let display = error.to_string();
    assert!(display.contains("does not match the spec"), "{display}");
    assert!(display.contains(html), "{display}");

    let error = call().await.expect_err("404");
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
    let display = error.to_string();
    assert!(display.ends_with("(empty body)"), "{display}");

    // The preview is cut after 1 KiB.
    let error = call().await.expect_err("500");
    let display = error.to_string();
    assert!(display.contains("(5000 bytes in all)"), "{display}");
    assert!(display.len() < 1500, "{display}");
}

#[tokio::test]
async fn a_body_cut_off_mid_transfer_is_retried_for_idempotent_calls() {
    // Says 110 bytes, sends 20, closes.
    let mut cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 110\r\nconnection: close\r\n\r\n".to_vec();
    cut.extend_from_slice(&SANDBOX.as_bytes()[..20]);
    let whole = response("200 OK", &[], "application/json", SANDBOX.as_bytes());
    let (base, accepted) = serve(vec![cut.clone(), whole]);
    let sandbox = client(base)
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .await
        .expect("the second attempt succeeds");
    assert_eq!(sandbox.id, sandbox_id());
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    // Retries exhausted: the last failure is a transport error, not a decode error.
    let (base, accepted) = serve(vec![cut]);
    let error = client(base)
        .get_sandbox(ORG, PROJECT, sandbox_id())
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .await
        .expect_err("always cut off");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}
