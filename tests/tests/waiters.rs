//! The waiters declared in `spec/codegen.toml` (`wait_until_ready`, `wait_until_paused`,
//! `wait_until_deleted` on the `get_sandbox` request builder) against the fake server.
//! Poll intervals are milliseconds.

use std::time::Duration;

use ai_agent_client::types::{CreateSandboxRequest, Sandbox};
use ai_agent_client::{Client, Error, RetryPolicy, WaitError, WaitOptions};
use integration_tests::fake_server::{self, FakeServer, BOOM_ORG, TOKEN};

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

fn quick() -> WaitOptions {
    WaitOptions {
        initial_interval: Duration::from_millis(2),
        max_interval: Duration::from_millis(10),
        max_wait: Duration::from_millis(300),
    }
}

async fn setup() -> (FakeServer, Client) {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    (server, client)
}

async fn create(client: &Client, name: &str) -> Sandbox {
    client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new(name))
        .await
        .unwrap()
}

fn gets(server: &FakeServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|request| request.method == "GET")
        .count()
}

#[tokio::test]
async fn waits_until_a_pending_sandbox_is_ready() {
    let (server, client) = setup().await;
    let sandbox = create(&client, "fresh").await;
    assert_eq!(sandbox.phase.as_str(), "Pending");

    let ready = client
        .get_sandbox(ORG, PROJECT, sandbox.id)
        .wait_until_ready()
        .options(quick())
        .await
        .expect("the fake turns it Ready");

    assert_eq!(ready.id, sandbox.id);
    assert_eq!(ready.phase.as_str(), "Ready");
    assert_eq!(gets(&server), 1);
}

#[tokio::test]
async fn waiting_for_ready_fails_fast_on_paused() {
    let (server, client) = setup().await;
    let sandbox = create(&client, "sleepy").await;
    client
        .pause_sandbox(ORG, PROJECT, sandbox.id)
        .await
        .unwrap();

    let error = client
        .get_sandbox(ORG, PROJECT, sandbox.id)
        .wait_until_ready()
        .options(quick())
        .await
        .expect_err("Ready cannot follow Paused");

    match &error {
        WaitError::Failed { state, resource } => {
            assert_eq!(state, "Paused");
            assert_eq!(resource.id, sandbox.id);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.last_resource().map(|sandbox| sandbox.phase.as_str()),
        Some("Paused")
    );
    assert_eq!(gets(&server), 1, "no second poll after a failure state");
}

#[tokio::test]
async fn a_timeout_carries_the_last_observed_phase() {
    let (server, client) = setup().await;
    let sandbox = create(&client, "busy").await;
    // The first read turns it Ready; it will never be Paused on its own.
    client.get_sandbox(ORG, PROJECT, sandbox.id).await.unwrap();

    let started = std::time::Instant::now();
    let error = client
        .get_sandbox(ORG, PROJECT, sandbox.id)
        .wait_until_paused()
        .poll_interval(Duration::from_millis(2), Duration::from_millis(10))
        .max_wait(Duration::from_millis(80))
        .await
        .expect_err("never paused");
    let waited = started.elapsed();

    match &error {
        WaitError::TimedOut { waited, last } => {
            assert!(*waited >= Duration::from_millis(80), "{waited:?}");
            assert_eq!(
                last.as_ref().map(|sandbox| sandbox.phase.as_str()),
                Some("Ready")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(waited < Duration::from_millis(600), "{waited:?}");
    // Backoff from 2 ms to 10 ms over 80 ms: several polls, far fewer than 40.
    let polls = gets(&server) - 1;
    assert!((3..40).contains(&polls), "{polls} polls");
}

#[tokio::test]
async fn waits_until_paused() {
    let (_server, client) = setup().await;
    let sandbox = create(&client, "to-pause").await;
    let pauser = client.clone();
    let id = sandbox.id;
    let pause = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        pauser.pause_sandbox(ORG, PROJECT, id).await.unwrap();
    });
    let paused = client
        .get_sandbox(ORG, PROJECT, sandbox.id)
        .wait_until_paused()
        .options(quick())
        .await
        .expect("paused by the task");
    assert_eq!(paused.phase.as_str(), "Paused");
    pause.await.unwrap();
}

#[tokio::test]
async fn waits_until_a_deleted_sandbox_is_gone() {
    let (server, client) = setup().await;
    let sandbox = create(&client, "doomed").await;
    let deleter = client.clone();
    let id = sandbox.id;
    let delete = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        deleter.delete_sandbox(ORG, PROJECT, id).await.unwrap();
    });
    client
        .get_sandbox(ORG, PROJECT, sandbox.id)
        .wait_until_deleted()
        .options(quick())
        .await
        .expect("404 ends the wait");
    delete.await.unwrap();
    assert!(server.sandboxes(ORG, PROJECT).is_empty());
    assert!(gets(&server) >= 2, "polled while it still existed");
}

#[tokio::test]
async fn a_failed_poll_ends_the_wait_with_the_request_error() {
    let (_server, client) = setup().await;
    let error = client
        .get_sandbox(BOOM_ORG, PROJECT, uuid::Uuid::nil())
        .wait_until_ready()
        .options(quick())
        .await
        .expect_err("500");
    match error {
        WaitError::Request(Error::Api { response, .. }) => {
            assert_eq!(response.status().as_u16(), 500)
        }
        other => panic!("{other:?}"),
    }
}
