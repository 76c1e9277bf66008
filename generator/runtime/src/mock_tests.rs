//! Unit tests of the mock kit (`mock.rs`), with a stand-in operation; not copied into
//! generated crates.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::call::{Call, Operation};
use crate::error::{Error, InvalidRequest, RawResponse};
use crate::mock::{self, ErrorReply, Expect, MockServer, Reply};
use crate::request::Style;

#[derive(Debug)]
enum ThingError {
    NotFound(serde_json::Value),
}

impl ErrorReply for ThingError {
    fn reply(&self) -> Reply {
        match self {
            ThingError::NotFound(body) => Reply::json(404, "application/problem+json", body),
        }
    }
}

/// `getThing` `GET /things/{id}/files/{name}.{ext}`.
struct GetThing;

impl Operation for GetThing {
    type Output = serde_json::Value;
    type Error = ThingError;
    const OPERATION_ID: &'static str = "getThing";
    const IDEMPOTENT: bool = true;

    fn build<'c>(&self, call: Call<'c>) -> Result<Call<'c>, InvalidRequest> {
        Ok(call)
    }

    fn decode(response: RawResponse) -> Result<Self::Output, Error<Self::Error>> {
        response.json()
    }
}

const TEMPLATE: &str = "/things/{id}/files/{name}.{ext}";

fn get_thing(server: &MockServer) -> Expect<'_, GetThing> {
    mock::expect::<GetThing>(server, "GET", TEMPLATE)
}

/// The panic message of `verify`, or `None` when it passes.
fn verify_message(server: &MockServer) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(|| server.verify())).err()?;
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
}

async fn send(
    server: &MockServer,
    method: reqwest::Method,
    path_and_query: &str,
    body: Option<&str>,
) -> (u16, String) {
    let mut request =
        reqwest::Client::new().request(method, format!("{}{path_and_query}", server.base_url()));
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_request_matching_every_stated_value_gets_the_reply() {
    let server = MockServer::start().await;
    let expect = mock::path(get_thing(&server), "id", "a b/c");
    let expect = mock::path(expect, "ext", &7);
    let expect = mock::query(expect, "tag", &["x", "y"], Style::FORM);
    let expect = mock::json_body(expect, &serde_json::json!({"n": 1, "list": [true]}));
    mock::reply(
        expect,
        Reply::json(200, "application/json", &serde_json::json!({"ok": true})),
    );
    // The name is not stated: any text matches it. Other query pairs are not looked at.
    let (status, body) = send(
        &server,
        reqwest::Method::GET,
        "/things/a%20b%2Fc/files/any.name.7?other=1&tag=x&tag=y",
        Some(r#"{"list": [true], "n": 1}"#),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, r#"{"ok":true}"#));
    assert_eq!(verify_message(&server), None);
}

#[tokio::test]
async fn an_unmatched_request_names_the_closest_expectation_and_what_differs() {
    let server = MockServer::start().await;
    // Two differences: not the closest.
    let expect = mock::query(get_thing(&server), "page", &5, Style::FORM);
    mock::reply(mock::path(expect, "id", "sb-1"), Reply::empty(204));
    let expect = mock::query(get_thing(&server), "page", &2, Style::FORM);
    mock::reply(mock::path(expect, "id", "sb-2"), Reply::empty(204));
    let (status, body) = send(
        &server,
        reqwest::Method::GET,
        "/things/sb-2/files/a.b?page=3",
        None,
    )
    .await;
    let expected = "unmatched request GET /things/sb-2/files/a.b: closest expectation getThing \
                    differs in query parameter page: expected \"2\", got \"3\"";
    assert_eq!((status, body.as_str()), (404, expected));
    let (_, body) = send(&server, reqwest::Method::POST, "/elsewhere", None).await;
    assert_eq!(
        body,
        "unmatched request POST /elsewhere: closest expectation getThing differs in method: \
         expected GET, got POST; path: expected /things/{id}/files/{name}.{ext}; \
         query parameter page: expected \"5\", got nothing"
    );
    let message = verify_message(&server).unwrap();
    assert!(
        message.starts_with(&format!("mock server: {expected}\n")),
        "{message}"
    );
    assert!(
        message.ends_with("expectation getThing expected at least one call, got none"),
        "{message}"
    );
    // Said once: dropping the server after a failed verify does not panic again.
}

#[tokio::test]
async fn path_and_body_differences_are_shown_decoded_and_by_json_pointer() {
    let server = MockServer::start().await;
    let expect = mock::path(get_thing(&server), "id", "sb 1");
    let expect = mock::json_body(expect, &serde_json::json!({"spec": {"name": "a"}}));
    mock::reply(expect, Reply::empty(204)).times(0);
    let (_, body) = send(
        &server,
        reqwest::Method::GET,
        "/things/sb%202/files/a.b",
        Some(r#"{"spec": {"name": "b"}}"#),
    )
    .await;
    assert!(
        body.ends_with(
            "differs in path parameter id: expected \"sb 1\", got \"sb 2\"; \
             body at /spec/name: expected \"a\", got \"b\""
        ),
        "{body}"
    );
    let (_, body) = send(
        &server,
        reqwest::Method::GET,
        "/things/sb%201/files/a.b",
        Some("{}"),
    )
    .await;
    assert!(
        body.ends_with("body at /spec: expected {\"name\":\"a\"}, got nothing"),
        "{body}"
    );
    assert!(verify_message(&server).is_some());
}

#[tokio::test]
async fn times_hands_later_calls_to_the_next_expectation_and_counts_over_calls() {
    let server = MockServer::start().await;
    mock::reply(get_thing(&server), Reply::empty(503)).times(1);
    mock::reply(get_thing(&server), Reply::json(200, "application/json", &1)).times(2);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            send(&server, reqwest::Method::GET, "/things/a/files/b.c", None)
                .await
                .0,
        );
    }
    // The fourth call still gets the last matching reply, and fails the count.
    assert_eq!(statuses, [503, 200, 200, 200]);
    assert_eq!(
        verify_message(&server).unwrap(),
        "mock server: expectation getThing expected 2 calls, got 3"
    );
}

#[tokio::test]
async fn documented_errors_and_form_bodies() {
    let server = MockServer::start().await;
    let expect = mock::form_body(
        get_thing(&server),
        &serde_json::json!({"a": 1, "b": ["x", "y"]}),
    );
    expect.responds_error(ThingError::NotFound(serde_json::json!({"code": "gone"})));
    let (status, body) = send(
        &server,
        reqwest::Method::GET,
        "/things/a/files/b.c",
        Some("a=1&b=x&b=y"),
    )
    .await;
    assert_eq!((status, body.as_str()), (404, r#"{"code":"gone"}"#));
    let (status, body) = send(
        &server,
        reqwest::Method::GET,
        "/things/a/files/b.c",
        Some("a=2"),
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        body.ends_with("body: expected the form a=1&b=x&b=y, got a=2"),
        "{body}"
    );
    assert!(verify_message(&server).is_some());
}

#[tokio::test]
async fn dropping_a_server_with_an_unmet_expectation_fails_the_test() {
    let result = tokio::spawn(async {
        let server = MockServer::start().await;
        mock::reply(get_thing(&server), Reply::empty(204)).times(2);
        drop(server);
    })
    .await;
    let payload = result.unwrap_err().into_panic();
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("mock server: expectation getThing expected 2 calls, got 0")
    );
}

#[tokio::test]
async fn header_and_styled_path_values_are_spelled_by_the_clients_encoders() {
    let server = MockServer::start().await;
    let expect = mock::styled_path(get_thing(&server), "id", &[3, 4], Style::MATRIX);
    let expect = mock::header(expect, "X-Trace", &["a", "b"], Style::SIMPLE);
    mock::reply(expect, Reply::empty(204)).times(1);
    let url = format!("{}/things/;id=3,4/files/a.b", server.base_url());
    let status = |trace: &'static str| {
        let request = reqwest::Client::new().get(&url).header("x-trace", trace);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status("a,b").await, 204);
    assert_eq!(status("a").await, 404);
    assert_eq!(
        verify_message(&server).unwrap(),
        "mock server: unmatched request GET /things/;id=3,4/files/a.b: closest expectation \
         getThing differs in header parameter x-trace: expected \"a,b\", got \"a\""
    );
}
