//! `into_stream` on `list_sandboxes` (detected `page`/`limit` + `items`/`total`
//! pagination) against the fake server.

use std::time::Duration;

use ai_agent_client::types::{CreateSandboxRequest, Sandbox};
use ai_agent_client::{Client, Error, RetryPolicy};
use futures_util::{StreamExt as _, TryStreamExt as _};
use integration_tests::fake_server::{self, FakeServer, Fault, TOKEN};

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

async fn server_with(count: usize) -> (FakeServer, Client, Vec<String>) {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let mut names = Vec::new();
    for index in 0..count {
        let name = format!("box-{index}");
        client
            .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new(name.clone()))
            .await
            .unwrap();
        names.push(name);
    }
    (server, client, names)
}

/// The query strings of the list requests, in order.
fn list_queries(server: &FakeServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter(|request| request.method == "GET")
        .map(|request| request.query.unwrap_or_default())
        .collect()
}

fn names(items: &[Sandbox]) -> Vec<String> {
    items.iter().map(|sandbox| sandbox.name.clone()).collect()
}

#[tokio::test]
async fn streams_three_pages_and_stops_exactly_at_total() {
    // 7 items, 3 per page: pages of 3, 3 and 1; no fourth request.
    let (server, client, created) = server_with(7).await;
    let items: Vec<Sandbox> = client
        .list_sandboxes(ORG, PROJECT)
        .limit(3)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), created);
    assert_eq!(
        list_queries(&server),
        ["page=1&limit=3", "page=2&limit=3", "page=3&limit=3"]
    );
}

#[tokio::test]
async fn a_total_that_fills_the_last_page_needs_no_empty_page() {
    let (server, client, created) = server_with(6).await;
    let items: Vec<Sandbox> = client
        .list_sandboxes(ORG, PROJECT)
        .limit(3)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), created);
    assert_eq!(list_queries(&server), ["page=1&limit=3", "page=2&limit=3"]);
}

#[tokio::test]
async fn the_server_default_page_size_is_used_without_a_limit() {
    // The fake's default limit is 20: 25 items are two pages.
    let (server, client, created) = server_with(25).await;
    let items: Vec<Sandbox> = client
        .list_sandboxes(ORG, PROJECT)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), created);
    assert_eq!(list_queries(&server), ["page=1", "page=2"]);
}

#[tokio::test]
async fn starts_at_the_callers_page() {
    let (server, client, created) = server_with(7).await;
    let items: Vec<Sandbox> = client
        .list_sandboxes(ORG, PROJECT)
        .page(2)
        .limit(3)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), created[3..]);
    assert_eq!(list_queries(&server), ["page=2&limit=3", "page=3&limit=3"]);
}

#[tokio::test]
async fn an_empty_project_is_one_request() {
    let (server, client, _) = server_with(0).await;
    let items: Vec<Sandbox> = client
        .list_sandboxes(ORG, PROJECT)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(list_queries(&server), ["page=1"]);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_stream() {
    let (server, client, created) = server_with(5).await;
    let stream = client.list_sandboxes(ORG, PROJECT).limit(2).into_stream();
    let mut stream = std::pin::pin!(stream);
    let first = stream.next().await.unwrap().unwrap();
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!([first.name, second.name], created[..2]);
    // The second page fails.
    server.inject(Fault::status(500).for_method("GET"));
    let error = stream.next().await.unwrap().expect_err("page 2 fails");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert!(
        stream.next().await.is_none(),
        "the stream ends after an error"
    );
    assert_eq!(list_queries(&server), ["page=1&limit=2", "page=2&limit=2"]);
}

#[tokio::test]
async fn pages_are_fetched_only_as_items_are_consumed() {
    let (server, client, _) = server_with(7).await;
    let stream = client.list_sandboxes(ORG, PROJECT).limit(3).into_stream();
    let taken: Vec<Sandbox> = stream.take(4).try_collect().await.unwrap();
    assert_eq!(taken.len(), 4);
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(list_queries(&server), ["page=1&limit=3", "page=2&limit=3"]);
}
