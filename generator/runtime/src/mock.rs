//! The mock kit (Cargo feature `mock`): an HTTP server that answers a client's requests as
//! a test says, one typed expectation per operation.
//!
//! A test starts a [`MockServer`], states what it expects with one builder per operation
//! (`server.get_thing().id("a").responds(thing)`, generated in `mocks.rs`), and hands
//! [`MockServer::base_url`] to the client. A request no expectation matches is answered
//! `404` and remembered; when the server is dropped (or [`MockServer::verify`] is called)
//! the test fails naming each such request, the closest expectation and what differed,
//! and each expectation called a different number of times than it asked for.
//!
//! Expected parameter values are turned into text by the functions the client sends them
//! with (`request::query_pairs`, `request::path_text`, ...), so the kit and the client
//! cannot disagree on how a value is spelled.
//!
//! The server is wiremock's, with one catch-all responder doing all the matching here:
//! wiremock's `Respond` sees the whole request and may answer anything, so the failure
//! report can name the operation and the difference. httpmock's custom matchers only say
//! yes or no (its own mismatch report knows no operations), and httpmock 0.9 needs Rust
//! 1.88 where the clients promise 1.82. Both run on the hyper 1 and tokio the client
//! already compiles, and each adds 24 crates to its dependency tree.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use percent_encoding::{percent_decode_str, utf8_percent_encode};
use serde::Serialize;

use crate::call::Operation;
use crate::request::{self, PathValue, Style};

/// A local HTTP server standing in for the API in tests. Set expectations with its
/// one method per operation, then point the client at [`base_url`](Self::base_url).
///
/// When it is dropped (unless the test is already failing), it fails the test if a
/// request matched no expectation or an expectation was not called as often as it asked,
/// as [`verify`](Self::verify) does.
pub struct MockServer {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on a free local port (inside the test's tokio runtime), its own:
    /// it stops when dropped, and no later server gets its address while a client may
    /// still hold it.
    pub async fn start() -> Self {
        // Why the builder: `wiremock::MockServer::start` lends a server from a pool
        // shared by the process, which keeps answering with the old expectations after
        // a drop and hands the same address to the next test.
        let server = wiremock::MockServer::builder().start().await;
        let state = Arc::new(Mutex::new(State::default()));
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Responder(Arc::clone(&state)))
            .mount(&server)
            .await;
        MockServer { server, state }
    }

    /// The server's URL (`http://127.0.0.1:<port>`), for `ClientBuilder::base_url`.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// Fails the test (panics) if a request matched no expectation, or an expectation
    /// was called more or fewer times than it asked for; the message names each.
    /// Dropping the server does the same.
    pub fn verify(&self) {
        let mut state = lock(&self.state);
        let problems = state.problems();
        if problems.is_empty() {
            return;
        }
        // Said once: the drop that follows does not say it again.
        state.reported = true;
        drop(state);
        panic!("mock server: {}", problems.join("\n  "));
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if !std::thread::panicking() && !lock(&self.state).reported {
            self.verify();
        }
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the server knows: the expectations in the order they were set, and the
/// requests none matched.
#[derive(Default)]
struct State {
    expectations: Vec<Expectation>,
    unmatched: Vec<String>,
    reported: bool,
}

impl State {
    fn problems(&self) -> Vec<String> {
        let mut problems = self.unmatched.clone();
        for expectation in &self.expectations {
            let operation = expectation.operation;
            match expectation.times {
                Some(times) if times != expectation.hits => problems.push(format!(
                    "expectation {operation} expected {times} {}, got {}",
                    calls(times),
                    expectation.hits
                )),
                None if expectation.hits == 0 => problems.push(format!(
                    "expectation {operation} expected at least one call, got none"
                )),
                _ => {}
            }
        }
        problems
    }

    /// The reply to `request`: the first expectation that matches it and still wants
    /// calls, else the last that matches it (its count then fails the test), else a
    /// `404` and a report of the closest expectation.
    fn answer(&mut self, request: &Incoming) -> Reply {
        let matching: Vec<usize> = (0..self.expectations.len())
            .filter(|&index| self.expectations[index].differences(request).is_empty())
            .collect();
        let wanting = matching.iter().copied().find(|&index| {
            let expectation = &self.expectations[index];
            expectation
                .times
                .is_none_or(|times| expectation.hits < times)
        });
        if let Some(index) = wanting.or(matching.last().copied()) {
            let expectation = &mut self.expectations[index];
            expectation.hits += 1;
            return expectation.reply.clone();
        }
        let report = self.unmatched_report(request);
        self.unmatched.push(report.clone());
        Reply {
            status: 404,
            content_type: Some("text/plain".to_string()),
            body: report.into_bytes(),
        }
    }

    fn unmatched_report(&self, request: &Incoming) -> String {
        let line = format!("unmatched request {} {}", request.method, request.path);
        // Closest: the fewest differences, method and path template counting most.
        let closest = self
            .expectations
            .iter()
            .map(|expectation| (expectation, expectation.differences(request)))
            .min_by_key(|(_, differences)| {
                let structural = differences
                    .iter()
                    .filter(|difference| {
                        difference.starts_with("method") || difference.starts_with("path:")
                    })
                    .count();
                (structural, differences.len())
            });
        match closest {
            Some((expectation, differences)) => format!(
                "{line}: closest expectation {} differs in {}",
                expectation.operation,
                differences.join("; ")
            ),
            None => format!("{line}: no expectation is set"),
        }
    }
}

fn calls(count: usize) -> &'static str {
    if count == 1 {
        "call"
    } else {
        "calls"
    }
}

/// wiremock's side: every request goes through [`State::answer`].
struct Responder(Arc<Mutex<State>>);

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let incoming = Incoming {
            method: request.method.as_str().to_string(),
            path: request.url.path().to_string(),
            query: request
                .url
                .query_pairs()
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_string(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: request.body.clone(),
        };
        let reply = lock(&self.0).answer(&incoming);
        let template = wiremock::ResponseTemplate::new(reply.status);
        match reply.content_type {
            Some(content_type) => template.set_body_raw(reply.body, &content_type),
            None => template.set_body_bytes(reply.body),
        }
    }
}

/// A request as received: the path still percent-encoded, query pairs decoded, header
/// names lowercase.
pub(crate) struct Incoming {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// What a mock answers: a status, and a body with its `Content-Type`.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    /// A status without a body.
    pub(crate) fn empty(status: u16) -> Self {
        Reply {
            status,
            content_type: None,
            body: Vec::new(),
        }
    }

    /// `value` as JSON, sent as `media_type`.
    pub(crate) fn json<T: Serialize + ?Sized>(
        status: u16,
        media_type: &'static str,
        value: &T,
    ) -> Self {
        let body = match serde_json::to_vec(value) {
            Ok(body) => body,
            Err(error) => panic!("mock: the reply cannot be written as JSON: {error}"),
        };
        Reply {
            status,
            content_type: Some(media_type.to_string()),
            body,
        }
    }

    /// Text or bytes, sent as `media_type`.
    pub(crate) fn bytes(status: u16, media_type: &'static str, body: &[u8]) -> Self {
        Reply {
            status,
            content_type: Some(media_type.to_string()),
            body: body.to_vec(),
        }
    }
}

/// An operation's error enum as a reply: the status the spec documents for the variant
/// (for a range or `default`, a status the operation documents no other way) and its
/// body. Implemented for each error enum of the crate.
pub trait ErrorReply {
    /// The reply.
    fn reply(&self) -> Reply;
}

/// One expectation, as the test stated it: every value it names must match; what it
/// does not name matches anything.
struct Expectation {
    operation: &'static str,
    method: &'static str,
    template: &'static str,
    /// Path parameter name -> its text as sent (percent-encoded).
    path: Vec<(&'static str, String)>,
    /// Query parameter name -> the pairs it is sent as (decoded).
    query: Vec<(&'static str, Vec<(String, String)>)>,
    /// Header parameter name (lowercase) -> its value as sent.
    headers: Vec<(String, String)>,
    body: Option<Body>,
    reply: Reply,
    /// `Some(n)`: exactly `n` calls; `None`: at least one.
    times: Option<usize>,
    hits: usize,
}

/// An expected request body, as the client sends it.
enum Body {
    Json(serde_json::Value),
    Form(Vec<(String, String)>),
    Bytes(Vec<u8>),
}

impl Expectation {
    /// What differs between this expectation and `request`, each as
    /// `<what>: expected <x>, got <y>`; empty when it matches.
    fn differences(&self, request: &Incoming) -> Vec<String> {
        let mut differences = Vec::new();
        if !request.method.eq_ignore_ascii_case(self.method) {
            differences.push(format!(
                "method: expected {}, got {}",
                self.method, request.method
            ));
        }
        differences.extend(path_differences(self.template, &self.path, &request.path));
        for (name, expected) in &self.query {
            let mut names: Vec<&str> = expected.iter().map(|(name, _)| name.as_str()).collect();
            names.push(name);
            let actual: Vec<(String, String)> = request
                .query
                .iter()
                .filter(|(name, _)| names.contains(&name.as_str()))
                .cloned()
                .collect();
            if &actual != expected {
                differences.push(format!(
                    "query parameter {name}: expected {}, got {}",
                    show_pairs(name, expected),
                    show_pairs(name, &actual)
                ));
            }
        }
        for (name, expected) in &self.headers {
            let actual = request
                .headers
                .iter()
                .find(|(header, _)| header == name)
                .map(|(_, value)| value);
            if actual != Some(expected) {
                differences.push(format!(
                    "header parameter {name}: expected {expected:?}, got {}",
                    actual.map_or("nothing".to_string(), |actual| format!("{actual:?}"))
                ));
            }
        }
        match &self.body {
            Some(Body::Json(expected)) => match serde_json::from_slice(&request.body) {
                Ok(actual) => differences.extend(json_difference("", expected, &actual)),
                Err(_) => differences.push(format!(
                    "body: expected JSON {}, got {} bytes that are not JSON",
                    short(&expected.to_string()),
                    request.body.len()
                )),
            },
            Some(Body::Form(expected)) => {
                let actual: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
                    .map(|(name, value)| (name.into_owned(), value.into_owned()))
                    .collect();
                if &actual != expected {
                    differences.push(format!(
                        "body: expected the form {}, got {}",
                        show_pairs("", expected),
                        show_pairs("", &actual)
                    ));
                }
            }
            Some(Body::Bytes(expected)) if *expected != request.body => {
                let at = expected
                    .iter()
                    .zip(&request.body)
                    .position(|(expected, actual)| expected != actual)
                    .unwrap_or(expected.len().min(request.body.len()));
                differences.push(format!(
                    "body: expected {} bytes, got {} (first difference at byte {at})",
                    expected.len(),
                    request.body.len()
                ));
            }
            Some(Body::Bytes(_)) | None => {}
        }
        differences
    }
}

/// Pairs as a message shows them: `"v"` for one pair named `name`, else `a=1&b=2`,
/// or `nothing`.
fn show_pairs(name: &str, pairs: &[(String, String)]) -> String {
    match pairs {
        [] => "nothing".to_string(),
        [(single, value)] if single == name => format!("{value:?}"),
        pairs => pairs
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("&"),
    }
}

/// A value cut to 80 characters for a message.
fn short(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_string(),
    }
}

/// The first place where `actual` differs from `expected`, by JSON pointer.
fn json_difference(
    pointer: &str,
    expected: &serde_json::Value,
    actual: &serde_json::Value,
) -> Option<String> {
    use serde_json::Value;
    let at = if pointer.is_empty() { "/" } else { pointer };
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let inner = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match actual.get(key) {
                    Some(other) => {
                        if let Some(difference) = json_difference(&inner, value, other) {
                            return Some(difference);
                        }
                    }
                    None => {
                        return Some(format!(
                            "body at {inner}: expected {}, got nothing",
                            short(&value.to_string())
                        ))
                    }
                }
            }
            actual
                .iter()
                .find(|(key, _)| !expected.contains_key(*key))
                .map(|(key, value)| {
                    format!(
                        "body at {pointer}/{}: expected nothing, got {}",
                        key.replace('~', "~0").replace('/', "~1"),
                        short(&value.to_string())
                    )
                })
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            expected
                .iter()
                .zip(actual)
                .enumerate()
                .find_map(|(index, (expected, actual))| {
                    json_difference(&format!("{pointer}/{index}"), expected, actual)
                })
        }
        (Value::Array(expected), Value::Array(actual)) => Some(format!(
            "body at {at}: expected {} items, got {}",
            expected.len(),
            actual.len()
        )),
        _ if expected == actual => None,
        _ => Some(format!(
            "body at {at}: expected {}, got {}",
            short(&expected.to_string()),
            short(&actual.to_string())
        )),
    }
}

/// One piece of a path template's segment: literal text (as sent) or a parameter.
enum Piece<'t> {
    Literal(String),
    Parameter(&'t str),
}

/// The template's segments, literals percent-encoded as the client sends them.
fn template_segments(template: &str) -> Vec<Vec<Piece<'_>>> {
    template
        .split('/')
        .map(|segment| {
            let mut pieces = Vec::new();
            let mut rest = segment;
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}').map(|close| open + close) else {
                    break;
                };
                if open > 0 {
                    pieces.push(Piece::Literal(literal(&rest[..open])));
                }
                pieces.push(Piece::Parameter(&rest[open + 1..close]));
                rest = &rest[close + 1..];
            }
            if !rest.is_empty() {
                pieces.push(Piece::Literal(literal(rest)));
            }
            pieces
        })
        .collect()
}

fn literal(text: &str) -> String {
    utf8_percent_encode(text, request::TEMPLATE_TEXT).to_string()
}

/// Matches `text` (one segment as sent) against `pieces`, the parameters in `fixed`
/// standing for their text, the others for any text; the parameters' texts on success.
fn match_segment<'t>(
    pieces: &[Piece<'t>],
    text: &str,
    fixed: &[(&'static str, String)],
    captures: &mut Vec<(&'t str, String)>,
) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return text.is_empty();
    };
    match first {
        Piece::Literal(literal) => text
            .strip_prefix(literal.as_str())
            .is_some_and(|after| match_segment(rest, after, fixed, captures)),
        Piece::Parameter(name) => {
            if let Some((_, value)) = fixed.iter().find(|(fixed, _)| fixed == name) {
                return text.strip_prefix(value.as_str()).is_some_and(|after| {
                    captures.push((name, value.clone()));
                    match_segment(rest, after, fixed, captures) || {
                        captures.pop();
                        false
                    }
                });
            }
            for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
                captures.push((name, text[..end].to_string()));
                if match_segment(rest, &text[end..], fixed, captures) {
                    return true;
                }
                captures.pop();
            }
            false
        }
    }
}

/// The parameters' texts when `path` has the shape of `template` with the `fixed`
/// parameter texts in place.
fn match_path<'t>(
    template: &'t str,
    path: &str,
    fixed: &[(&'static str, String)],
) -> Option<Vec<(&'t str, String)>> {
    let segments = template_segments(template);
    let texts: Vec<&str> = path.split('/').collect();
    if segments.len() != texts.len() {
        return None;
    }
    let mut captures = Vec::new();
    segments
        .iter()
        .zip(texts)
        .all(|(pieces, text)| match_segment(pieces, text, fixed, &mut captures))
        .then_some(captures)
}

/// How `path` differs from `template` with the `expected` parameter texts.
fn path_differences(
    template: &str,
    expected: &[(&'static str, String)],
    path: &str,
) -> Vec<String> {
    if match_path(template, path, expected).is_some() {
        return Vec::new();
    }
    let Some(actual) = match_path(template, path, &[]) else {
        return vec![format!("path: expected {template}")];
    };
    let decoded = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    expected
        .iter()
        .filter_map(|(name, value)| {
            let got = actual
                .iter()
                .find(|(actual, _)| actual == name)
                .map_or("", |(_, got)| got.as_str());
            (got != value).then(|| {
                format!(
                    "path parameter {name}: expected {:?}, got {:?}",
                    decoded(value),
                    decoded(got)
                )
            })
        })
        .collect()
}

/// An expectation being stated for operation `P`: set the values it must match with
/// its methods (one per parameter, `body`), then its reply with `responds`,
/// [`responds_error`](Self::responds_error) or [`responds_status`](Self::responds_status).
#[must_use = "an expectation is set only once it has a reply (`responds...`)"]
pub struct Expect<'m, P> {
    state: &'m Mutex<State>,
    expectation: Expectation,
    operation: PhantomData<fn() -> P>,
}

impl<P> std::fmt::Debug for Expect<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expect")
            .field("operation", &self.expectation.operation)
            .finish_non_exhaustive()
    }
}

/// An expectation of operation `P`, sent as `method` to `template` (the spec's path).
pub(crate) fn expect<'m, P: Operation>(
    server: &'m MockServer,
    method: &'static str,
    template: &'static str,
) -> Expect<'m, P> {
    Expect {
        state: &server.state,
        expectation: Expectation {
            operation: P::OPERATION_ID,
            method,
            template,
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            reply: Reply::empty(200),
            times: None,
            hits: 0,
        },
        operation: PhantomData,
    }
}

/// Fails the test: a value the client could not send either.
fn unsendable(operation: &str, error: crate::error::InvalidRequest) -> ! {
    panic!(
        "mock: {operation}: the expected {} cannot be sent: {}",
        error.parameter, error.reason
    )
}

/// Path parameter `name` must be `value`, in `simple` style.
pub(crate) fn path<'m, P, T: Serialize + ?Sized>(
    mut expect: Expect<'m, P>,
    name: &'static str,
    value: &T,
) -> Expect<'m, P> {
    match request::path_text(name, value) {
        Ok(text) => {
            let mut encoded = String::new();
            text.encode_into(&mut encoded);
            expect.expectation.path.push((name, encoded));
        }
        Err(error) => unsendable(expect.expectation.operation, error),
    }
    expect
}

/// Path parameter `name` must be `value`, laid out by `style` (`label`, `matrix`).
pub(crate) fn styled_path<'m, P, T: Serialize + ?Sized>(
    mut expect: Expect<'m, P>,
    name: &'static str,
    value: &T,
    style: Style,
) -> Expect<'m, P> {
    match request::path_value(name, value, style) {
        Ok(value) => {
            let mut encoded = String::new();
            value.encode_into(&mut encoded);
            expect.expectation.path.push((name, encoded));
        }
        Err(error) => unsendable(expect.expectation.operation, error),
    }
    expect
}

/// Query parameter `name` must be `value`, laid out by `style`.
pub(crate) fn query<'m, P, T: Serialize + ?Sized>(
    mut expect: Expect<'m, P>,
    name: &'static str,
    value: &T,
    style: Style,
) -> Expect<'m, P> {
    match request::query_pairs(name, value, style) {
        Ok(pairs) => expect.expectation.query.push((name, pairs)),
        Err(error) => unsendable(expect.expectation.operation, error),
    }
    expect
}

/// Header parameter `name` must be `value`, laid out by `style`.
pub(crate) fn header<'m, P, T: Serialize + ?Sized>(
    mut expect: Expect<'m, P>,
    name: &'static str,
    value: &T,
    style: Style,
) -> Expect<'m, P> {
    match request::header_value(name, value, style) {
        Ok(value) => {
            let text = value.map_or_else(String::new, |value| {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            });
            expect
                .expectation
                .headers
                .push((name.to_ascii_lowercase(), text));
        }
        Err(error) => unsendable(expect.expectation.operation, error),
    }
    expect
}

/// The body must be `value` as JSON (compared as JSON values: key order and spacing do
/// not matter).
pub(crate) fn json_body<'m, P, T: Serialize + ?Sized>(
    mut expect: Expect<'m, P>,
    value: &T,
) -> Expect<'m, P> {
    match serde_json::to_value(value) {
        Ok(value) => expect.expectation.body = Some(Body::Json(value)),
        Err(error) => panic!(
            "mock: {}: the expected body cannot be written as JSON: {error}",
            expect.expectation.operation
        ),
    }
    expect
}

/// The body must be `value` as an `application/x-www-form-urlencoded` form.
pub(crate) fn form_body<'m, P, T: Serialize + ?Sized>(
    mut expect: Expect<'m, P>,
    value: &T,
) -> Expect<'m, P> {
    match request::form_pairs(value) {
        Ok(pairs) => expect.expectation.body = Some(Body::Form(pairs)),
        Err(error) => unsendable(expect.expectation.operation, error),
    }
    expect
}

/// The body must be exactly `bytes` (a text or binary body).
pub(crate) fn bytes_body<'m, P>(mut expect: Expect<'m, P>, bytes: &[u8]) -> Expect<'m, P> {
    expect.expectation.body = Some(Body::Bytes(bytes.to_vec()));
    expect
}

/// Sets the expectation, answering `reply`.
pub(crate) fn reply<'m, P>(mut expect: Expect<'m, P>, reply: Reply) -> Expected<'m> {
    expect.expectation.reply = reply;
    let mut state = lock(expect.state);
    state.expectations.push(expect.expectation);
    Expected {
        state: expect.state,
        index: state.expectations.len() - 1,
    }
}

impl<'m, P: Operation> Expect<'m, P>
where
    P::Error: ErrorReply,
{
    /// Answers with `error`, one of the errors the spec documents for the operation:
    /// the client returns it as `Error::Api`.
    pub fn responds_error(self, error: P::Error) -> Expected<'m> {
        reply(self, error.reply())
    }

    /// Answers with `status` and no body (`503` for a retry test, or a status the spec
    /// does not document).
    ///
    /// # Panics
    /// When `status` is not an HTTP status (100 to 999).
    pub fn responds_status(self, status: u16) -> Expected<'m> {
        reply(self, Reply::empty(checked_status(status)))
    }

    /// Answers with `status` and `body` as `content_type`, as they are: a body the spec
    /// does not describe, or one that does not parse.
    ///
    /// # Panics
    /// When `status` is not an HTTP status (100 to 999).
    pub fn responds_raw(
        self,
        status: u16,
        content_type: &str,
        body: impl Into<Vec<u8>>,
    ) -> Expected<'m> {
        let reply_value = Reply {
            status: checked_status(status),
            content_type: Some(content_type.to_string()),
            body: body.into(),
        };
        reply(self, reply_value)
    }
}

fn checked_status(status: u16) -> u16 {
    assert!(
        (100..=999).contains(&status),
        "mock: {status} is not an HTTP status"
    );
    status
}

/// An expectation that is set. By default it must be called at least once; see
/// [`times`](Self::times).
pub struct Expected<'m> {
    state: &'m Mutex<State>,
    index: usize,
}

impl std::fmt::Debug for Expected<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expected")
            .field("index", &self.index)
            .finish()
    }
}

impl Expected<'_> {
    /// It must be called exactly `count` times. Once it has been, a later matching
    /// request goes to the next matching expectation, if any: `503` once, then success.
    pub fn times(self, count: usize) -> Self {
        if let Some(expectation) = lock(self.state).expectations.get_mut(self.index) {
            expectation.times = Some(count);
        }
        self
    }
}
