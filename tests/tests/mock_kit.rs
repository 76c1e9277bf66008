//! The generated mock kit (`ai-agent-client`'s feature `mock`) as an application's tests
//! use it: typed expectations per operation, answered with a typed value, a documented
//! error or a bare status, and the report that fails a test when a request matches no
//! expectation or an expectation is not called as often as it asked.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use ai_agent_client::errors::GetSandboxError;
use ai_agent_client::types::{
    CreateSandboxRequest, ErrorResponse, Sandbox, SandboxListResponse, SandboxMetricsResponse,
    SandboxPhase,
};
use ai_agent_client::{Client, Error, MockServer, RetryPolicy};
use chrono::{DateTime, TimeZone, Utc};

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

fn id(last: u8) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x6f1c_2a4e_0000_4000_8000_0000_0000_0000 + u128::from(last))
}

fn time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 12, 30, 0).unwrap()
}

fn sandbox(last: u8) -> Sandbox {
    Sandbox::new(
        id(last),
        ORG,
        PROJECT,
        "box",
        "eu",
        "ubuntu",
        SandboxPhase::Ready,
        1,
        time(),
        time(),
    )
}

fn client(mock: &MockServer) -> Client {
    Client::builder()
        .base_url(mock.base_url())
        .bearer_token("test-token")
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

/// The message `verify` fails the test with, or `None` when it passes.
fn verify_message(mock: &MockServer) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(|| mock.verify())).err()?;
    payload.downcast_ref::<String>().cloned()
}

#[tokio::test]
async fn a_typed_success_value_is_what_the_call_returns() {
    let mock = MockServer::start().await;
    mock.get_sandbox()
        .org_id(ORG)
        .project_id(PROJECT)
        .sandbox_id(id(1))
        .responds(sandbox(1));
    let got = client(&mock)
        .get_sandbox(ORG, PROJECT, id(1))
        .await
        .unwrap();
    assert_eq!(got, sandbox(1));
    assert_eq!(verify_message(&mock), None);
}

#[tokio::test]
async fn a_documented_error_comes_back_as_the_typed_error() {
    let mock = MockServer::start().await;
    let mut body = ErrorResponse::new("not_found");
    body.details = Some("no sandbox sb-9".to_string());
    mock.get_sandbox()
        .sandbox_id(id(9))
        .responds_error(GetSandboxError::NotFound(body.clone()));
    let error = client(&mock)
        .get_sandbox(ORG, PROJECT, id(9))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    assert_eq!(error.api_error(), Some(&GetSandboxError::NotFound(body)));
}

#[tokio::test]
async fn a_bare_status_once_then_success_exercises_the_retry() {
    let mock = MockServer::start().await;
    mock.get_sandbox().responds_status(503).times(1);
    mock.get_sandbox().responds(sandbox(2)).times(1);
    let got = client(&mock)
        .get_sandbox(ORG, PROJECT, id(2))
        .await
        .unwrap();
    assert_eq!(got.id, id(2));

    // A status the spec does not document for the operation.
    mock.delete_sandbox().responds_status(418);
    let error = client(&mock)
        .delete_sandbox(ORG, PROJECT, id(2))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(418));
    assert_eq!(verify_message(&mock), None);
}

#[tokio::test]
async fn query_and_body_matchers_spell_values_as_the_client_sends_them() {
    let mock = MockServer::start().await;
    mock.list_sandboxes()
        .page(2)
        .limit(5)
        .responds(SandboxListResponse::new(vec![sandbox(3)], 6, 2, 5));
    // A date-time query value, spelled as RFC 3339 by both sides.
    mock.get_sandbox_metrics()
        .from(time())
        .step("1m")
        .responds(SandboxMetricsResponse::new(
            id(3),
            time(),
            time(),
            "1m",
            vec![],
        ));
    let mut request = CreateSandboxRequest::new("box");
    request.region = Some("eu".to_string());
    mock.create_sandbox()
        .body(request.clone())
        .responds(sandbox(4));

    let client = client(&mock);
    let page = client
        .list_sandboxes(ORG, PROJECT)
        .page(2)
        .limit(5)
        .await
        .unwrap();
    assert_eq!(page.items, [sandbox(3)]);
    let metrics = client
        .get_sandbox_metrics(ORG, PROJECT, id(3))
        .from(time())
        .step("1m")
        .await
        .unwrap();
    assert_eq!(metrics.step, "1m");
    let created = client.create_sandbox(ORG, PROJECT, request).await.unwrap();
    assert_eq!(created, sandbox(4));
    assert_eq!(verify_message(&mock), None);
}

#[tokio::test]
async fn an_unmatched_request_fails_the_test_naming_the_operation_and_the_difference() {
    let mock = MockServer::start().await;
    mock.get_sandbox().sandbox_id(id(1)).responds(sandbox(1));
    let error = client(&mock)
        .get_sandbox(ORG, PROJECT, id(2))
        .retry_policy(RetryPolicy::never())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    assert_eq!(
        verify_message(&mock).unwrap(),
        format!(
            "mock server: unmatched request GET /api/v1beta1/orgs/org-1/projects/project-1/sandboxes/{}: \
             closest expectation getSandbox differs in path parameter sandbox_id: expected \"{}\", got \"{}\"\n  \
             expectation getSandbox expected at least one call, got none",
            id(2),
            id(1),
            id(2)
        )
    );

    // A body that differs is shown by JSON pointer.
    let mock = MockServer::start().await;
    mock.create_sandbox()
        .body(CreateSandboxRequest::new("box"))
        .responds(sandbox(1))
        .times(0);
    client(&mock)
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("crate"))
        .await
        .unwrap_err();
    let message = verify_message(&mock).unwrap();
    assert!(
        message.ends_with(
            "closest expectation createSandbox differs in body at /name: expected \"box\", got \"crate\""
        ),
        "{message}"
    );
}

#[tokio::test]
#[should_panic(expected = "mock server: expectation getSandbox expected 2 calls, got 1")]
async fn an_expectation_called_fewer_times_than_asked_fails_the_test_when_dropped() {
    let mock = MockServer::start().await;
    mock.get_sandbox().responds(sandbox(1)).times(2);
    client(&mock)
        .get_sandbox(ORG, PROJECT, id(1))
        .await
        .unwrap();
    // `mock` is dropped here.
}
