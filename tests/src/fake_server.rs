//! An in-process, stateful fake of the sandboxes part of the AI Agent Service API.
//!
//! The fake speaks plain JSON (`serde_json::Value`) and never uses the generated
//! client's types, so tests that drive the generated client against it check the
//! client's wire format against the spec independently of the client's own model.
//!
//! Behaviour, in the order a request meets it:
//!
//! 1. Every request is recorded as received (method, raw path and query, content type,
//!    body, `User-Agent`) — see [`FakeServer::requests`] — and every response carries
//!    `x-request-id: req-<n>`, `n` counting requests from 1.
//!
//!    A [`Fault`] queued with [`FakeServer::inject`] whose method matches answers the
//!    request instead of the API (after its delay), before authentication.
//! 2. `Authorization: Bearer <token>` must match the server's token, else `401`.
//! 3. Special organisation ids trigger canned answers for every operation:
//!    [`FORBIDDEN_ORG`] (`403`), [`BOOM_ORG`] (`500`), [`TEAPOT_ORG`] (`418`, text body),
//!    [`GARBAGE_ORG`] (`200` with a body that is not the documented schema) and
//!    [`INVALID_JSON_ORG`] (`200` with a body that is not JSON).
//!    Sandboxes of [`FUTURE_ORG`] are rendered with an unknown field and an unknown phase.
//! 4. The operation itself, on per-`(org_id, project_id)` state kept in memory.
//!
//! A created sandbox is `Pending`; the first `GET` of it after creation turns it `Ready`
//! (or `Paused`, for one named [`PAUSES_ON_READ_NAME`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The bearer token [`start`] accepts.
pub const TOKEN: &str = "test-token";
/// Requests for this organisation are answered `403 {"error":"forbidden"}`.
pub const FORBIDDEN_ORG: &str = "forbidden-org";
/// Requests for this organisation are answered `500 {"error":"internal"}`.
pub const BOOM_ORG: &str = "boom-org";
/// Sandboxes of this organisation carry an unknown field (`"gpu": {"count": 1}`) and
/// the phase `"Hibernating"`, which the spec's enum does not list.
pub const FUTURE_ORG: &str = "future-org";
/// Requests for this organisation are answered `418` with a `text/plain` body
/// ([`TEAPOT_BODY`]) and the header `x-teapot: short-and-stout`.
pub const TEAPOT_ORG: &str = "teapot-org";
/// The body of every [`TEAPOT_ORG`] answer.
pub const TEAPOT_BODY: &str = "I'm a teapot";
/// Requests for this organisation are answered `200` with [`GARBAGE_BODY`], valid JSON
/// that matches none of the documented response schemas.
pub const GARBAGE_ORG: &str = "garbage-org";
/// The body of every [`GARBAGE_ORG`] answer.
pub const GARBAGE_BODY: &str = r#"{"id": 5}"#;
/// Requests for this organisation are answered `200` with [`INVALID_JSON_BODY`], which is
/// not JSON at all.
pub const INVALID_JSON_ORG: &str = "invalid-json-org";
/// The body of every [`INVALID_JSON_ORG`] answer.
pub const INVALID_JSON_BODY: &str = "{\"id\": \"not closed";
/// A sandbox created with this name turns `Paused` instead of `Ready` on its first read:
/// a wait for `Ready` fails there.
pub const PAUSES_ON_READ_NAME: &str = "pauses-on-read";
/// Region given to sandboxes created without one.
pub const DEFAULT_REGION: &str = "in-mum-1";
/// Image of every created sandbox.
pub const DEFAULT_IMAGE: &str = "ubuntu:24.04";
/// `created_by` of every created sandbox.
pub const CREATED_BY: &str = "user-1";
/// `step` of a metrics answer when the request gives none.
pub const DEFAULT_STEP: &str = "60s";

/// Limit on the size of a recorded request body.
const MAX_BODY: usize = 1 << 20;

/// One request exactly as the fake received it, before any decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"POST"`.
    pub method: String,
    /// The raw path, still percent-encoded, e.g. `/api/v1beta1/orgs/a%2Fb/...`.
    pub path: String,
    /// The raw query string without the `?`, still percent-encoded; `None` when absent.
    pub query: Option<String>,
    /// The `Content-Type` header, when sent.
    pub content_type: Option<String>,
    /// The body as text (lossy UTF-8); empty when no body was sent.
    pub body: String,
    /// The `Authorization` header, when sent.
    pub authorization: Option<String>,
    /// The `User-Agent` header, when sent.
    pub user_agent: Option<String>,
    /// Every header as received, names lowercase.
    pub headers: Vec<(String, String)>,
}

/// A canned answer that replaces the API's for one request: fault injection for retry
/// and timeout tests. Queued with [`FakeServer::inject`]; each fault answers the first
/// request (of its method, when set) that arrives after it is queued, then is gone.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Only requests of this method (e.g. `"GET"`); `None` for any.
    pub method: Option<&'static str>,
    /// The status to answer.
    pub status: u16,
    /// Extra response headers, e.g. `("retry-after", "1")`.
    pub headers: Vec<(&'static str, String)>,
    /// How long to wait before answering (for timeout tests).
    pub delay: std::time::Duration,
}

impl Fault {
    /// Answers `status` with an `ErrorResponse` body, at once, to any method.
    pub fn status(status: u16) -> Self {
        Self {
            method: None,
            status,
            headers: Vec::new(),
            delay: std::time::Duration::ZERO,
        }
    }

    /// Only for requests of `method`.
    pub fn for_method(mut self, method: &'static str) -> Self {
        self.method = Some(method);
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Waits `delay` before answering.
    pub fn delay(mut self, delay: std::time::Duration) -> Self {
        self.delay = delay;
        self
    }
}

impl RecordedRequest {
    /// The raw path and query as received, e.g. `/a/b?page=2`.
    pub fn path_and_query(&self) -> String {
        match &self.query {
            Some(query) => format!("{}?{}", self.path, query),
            None => self.path.clone(),
        }
    }
}

/// A running fake server. The server stops when this handle is dropped.
#[derive(Debug)]
pub struct FakeServer {
    addr: SocketAddr,
    state: Arc<AppState>,
    task: JoinHandle<()>,
}

/// Starts a fake server on `127.0.0.1` (a free port) that accepts the bearer [`TOKEN`].
///
/// Must be called inside a Tokio runtime; the server runs as a task of that runtime.
pub async fn start() -> FakeServer {
    start_with_token(TOKEN).await
}

/// Starts a fake server on `127.0.0.1` (a free port) that accepts the bearer `token`.
pub async fn start_with_token(token: &str) -> FakeServer {
    let state = Arc::new(AppState::new(token));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener
        .local_addr()
        .expect("local address of the fake server");
    let app = router(Arc::clone(&state));
    let task = tokio::spawn(async move {
        // Only returns on an accept error; the task is aborted when the handle drops.
        let _ = axum::serve(listener, app).await;
    });
    FakeServer { addr, state, task }
}

impl FakeServer {
    /// The server's base URL, e.g. `http://127.0.0.1:41234`, without a trailing `/`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bearer token the server accepts.
    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().requests.clone()
    }

    /// Queues `fault` to answer a coming request in place of the API.
    pub fn inject(&self, fault: Fault) {
        self.state.lock().faults.push(fault);
    }

    /// Faults queued and not yet used.
    pub fn pending_faults(&self) -> usize {
        self.state.lock().faults.len()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.state.lock().requests.len()
    }

    /// The most recent request, if any.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.state.lock().requests.last().cloned()
    }

    /// The JSON body of the most recent pause request that reached the pause handler;
    /// `None` when that request had no body, or when no pause request was received.
    pub fn last_pause_body(&self) -> Option<Value> {
        self.state.lock().pause_bodies.last().cloned().flatten()
    }

    /// The JSON bodies of all pause requests that reached the pause handler, oldest
    /// first; `None` for each request sent without a body.
    pub fn pause_bodies(&self) -> Vec<Option<Value>> {
        self.state.lock().pause_bodies.clone()
    }

    /// The stored sandboxes of a project in creation order, as stored (no org-specific
    /// rendering, no phase transition). Keys are the decoded path values.
    pub fn sandboxes(&self, org_id: &str, project_id: &str) -> Vec<Value> {
        self.state
            .lock()
            .projects
            .get(&(org_id.to_string(), project_id.to_string()))
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Shared state of the fake: the accepted token and everything behind the lock.
#[derive(Debug)]
struct AppState {
    token: String,
    inner: Mutex<Inner>,
}

/// The mutable part of the state.
#[derive(Debug, Default)]
struct Inner {
    /// Sandboxes (as wire JSON objects) by `(org_id, project_id)`, in creation order.
    projects: HashMap<(String, String), Vec<Value>>,
    /// Every request received.
    requests: Vec<RecordedRequest>,
    /// The parsed body of every pause request (`None` when sent without a body).
    pause_bodies: Vec<Option<Value>>,
    /// Faults waiting for a request, oldest first.
    faults: Vec<Fault>,
}

impl AppState {
    fn new(token: &str) -> Self {
        Self {
            token: token.to_string(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Locks the state; a panic in another handler does not poison it for the test.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn project(&mut self, org_id: &str, project_id: &str) -> &mut Vec<Value> {
        self.projects
            .entry((org_id.to_string(), project_id.to_string()))
            .or_default()
    }

    fn find(&mut self, org_id: &str, project_id: &str, id: Uuid) -> Option<&mut Value> {
        let id = id.to_string();
        self.project(org_id, project_id)
            .iter_mut()
            .find(|sandbox| sandbox["id"].as_str() == Some(id.as_str()))
    }
}

type Shared = Arc<AppState>;

/// Path parameters of the collection routes.
type ProjectPath = Path<(String, String)>;
/// Path parameters of the single-sandbox routes (the id is checked by hand).
type SandboxPath = Path<(String, String, String)>;

/// The fake's routes, with request recording and bearer auth in front of them.
fn router(state: Shared) -> Router {
    const BASE: &str = "/api/v1beta1/orgs/{org_id}/projects/{project_id}/sandboxes";
    Router::new()
        .route(BASE, get(list_sandboxes).post(create_sandbox))
        .route(
            &format!("{BASE}/{{sandbox_id}}"),
            get(get_sandbox).delete(delete_sandbox),
        )
        .route(&format!("{BASE}/{{sandbox_id}}/pause"), post(pause_sandbox))
        .route(
            &format!("{BASE}/{{sandbox_id}}/resume"),
            post(resume_sandbox),
        )
        .route(
            &format!("{BASE}/{{sandbox_id}}/metrics"),
            get(get_sandbox_metrics),
        )
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such route", None) })
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            require_bearer,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            inject_faults,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            record_request,
        ))
        .with_state(state)
}

// ---------------------------------------------------------------------------
// Middleware
// ---------------------------------------------------------------------------

/// Records the request as received (raw URI, content type, body), then passes it on.
async fn record_request(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unreadable body",
                Some(err.to_string()),
            )
            .into_response()
        }
    };
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned()),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        authorization: header_text(&parts.headers, header::AUTHORIZATION),
        user_agent: header_text(&parts.headers, header::USER_AGENT),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    let number = {
        let mut inner = state.lock();
        inner.requests.push(recorded);
        inner.requests.len()
    };
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if let Ok(value) = HeaderValue::from_str(&format!("req-{number}")) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    response
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// Answers with the first queued [`Fault`] that matches the request's method, if any.
async fn inject_faults(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let fault = {
        let mut inner = state.lock();
        let method = request.method().as_str();
        let position = inner
            .faults
            .iter()
            .position(|fault| fault.method.is_none_or(|wanted| wanted == method));
        position.map(|position| inner.faults.remove(position))
    };
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    tokio::time::sleep(fault.delay).await;
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = error(status, "injected fault", None).into_response();
    for (name, value) in fault.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}

/// Refuses requests without `Authorization: Bearer <token>` with `401`.
async fn require_bearer(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let expected = format!("Bearer {}", state.token);
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|value| value.as_bytes() == expected.as_bytes());
    if authorized {
        next.run(request).await
    } else {
        error(StatusCode::UNAUTHORIZED, "unauthorized", None).into_response()
    }
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

/// `GET .../sandboxes?page=&limit=`
async fn list_sandboxes(
    State(state): State<Shared>,
    Path((org, project)): ProjectPath,
    Query(query): Query<HashMap<String, String>>,
) -> Outcome {
    org_hook(&org)?;
    let page = int_param(&query, "page", 1, 1, i64::MAX)?;
    let limit = int_param(&query, "limit", 20, 1, 100)?;
    let mut inner = state.lock();
    let all = inner.project(&org, &project);
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let items: Vec<Value> = all
        .iter()
        .skip(start)
        .take(limit as usize)
        .map(|sandbox| render(&org, sandbox))
        .collect();
    let body = json!({ "items": items, "total": all.len(), "page": page, "limit": limit });
    Ok((StatusCode::OK, Json(body)).into_response())
}

/// `POST .../sandboxes` with a `CreateSandboxRequest` body.
async fn create_sandbox(
    State(state): State<Shared>,
    Path((org, project)): ProjectPath,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    org_hook(&org)?;
    let Some(request) = json_object_body(&headers, &body)? else {
        return Err(bad_body("a body is required".to_string()));
    };
    let name = validate_create_request(&request)?;
    let mut inner = state.lock();
    let sandboxes = inner.project(&org, &project);
    if sandboxes.iter().any(|sandbox| sandbox["name"] == name) {
        let details = format!("a sandbox named {name:?} already exists in this project");
        return Err(error(StatusCode::CONFLICT, "conflict", Some(details)));
    }
    let sandbox = new_sandbox(&org, &project, &name, &request);
    sandboxes.push(sandbox.clone());
    Ok((StatusCode::CREATED, Json(render(&org, &sandbox))).into_response())
}

/// `GET .../sandboxes/{sandbox_id}`; a `Pending` sandbox turns `Ready` on this read
/// (`Paused` when named [`PAUSES_ON_READ_NAME`]).
async fn get_sandbox(
    State(state): State<Shared>,
    Path((org, project, id)): SandboxPath,
) -> Outcome {
    org_hook(&org)?;
    let id = parse_sandbox_id(&id)?;
    let mut inner = state.lock();
    let Some(sandbox) = inner.find(&org, &project, id) else {
        return Err(not_found());
    };
    if sandbox["phase"] == "Pending" && sandbox["name"] == PAUSES_ON_READ_NAME {
        set_phase(sandbox, "Paused", 0);
    } else if sandbox["phase"] == "Pending" {
        set_phase(sandbox, "Ready", 1);
    }
    Ok((StatusCode::OK, Json(render(&org, sandbox))).into_response())
}

/// `DELETE .../sandboxes/{sandbox_id}`: `204` with an empty body.
async fn delete_sandbox(
    State(state): State<Shared>,
    Path((org, project, id)): SandboxPath,
) -> Outcome {
    org_hook(&org)?;
    let id = parse_sandbox_id(&id)?;
    let mut inner = state.lock();
    let sandboxes = inner.project(&org, &project);
    let id = id.to_string();
    let before = sandboxes.len();
    sandboxes.retain(|sandbox| sandbox["id"].as_str() != Some(id.as_str()));
    if sandboxes.len() == before {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST .../sandboxes/{sandbox_id}/pause` with an optional `PauseSandboxRequest` body.
///
/// Pausing a sandbox that is already `Paused` is refused with `400`.
async fn pause_sandbox(
    State(state): State<Shared>,
    Path((org, project, id)): SandboxPath,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    org_hook(&org)?;
    let id = parse_sandbox_id(&id)?;
    let request = json_object_body(&headers, &body)?;
    let mut inner = state.lock();
    inner
        .pause_bodies
        .push(request.as_ref().map(|object| Value::Object(object.clone())));
    if let Some(request) = &request {
        if let Some(value) = request.get("preserve_memory") {
            if !value.is_boolean() {
                let details = format!("preserve_memory must be a boolean, got {value}");
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "invalid body",
                    Some(details),
                ));
            }
        }
    }
    let Some(sandbox) = inner.find(&org, &project, id) else {
        return Err(not_found());
    };
    if sandbox["phase"] == "Paused" {
        return Err(error(StatusCode::BAD_REQUEST, "already paused", None));
    }
    set_phase(sandbox, "Paused", 0);
    Ok((StatusCode::OK, Json(render(&org, sandbox))).into_response())
}

/// `POST .../sandboxes/{sandbox_id}/resume`: back to `Ready` with one replica.
async fn resume_sandbox(
    State(state): State<Shared>,
    Path((org, project, id)): SandboxPath,
) -> Outcome {
    org_hook(&org)?;
    let id = parse_sandbox_id(&id)?;
    let mut inner = state.lock();
    let Some(sandbox) = inner.find(&org, &project, id) else {
        return Err(not_found());
    };
    set_phase(sandbox, "Ready", 1);
    Ok((StatusCode::OK, Json(render(&org, sandbox))).into_response())
}

/// `GET .../sandboxes/{sandbox_id}/metrics?from=&to=&step=`: two canned series.
///
/// `from` and `to` must be RFC3339 when given (they are echoed back as received, after
/// query decoding); `step=bad` is refused with `400`.
async fn get_sandbox_metrics(
    State(state): State<Shared>,
    Path((org, project, id)): SandboxPath,
    Query(query): Query<HashMap<String, String>>,
) -> Outcome {
    org_hook(&org)?;
    let id = parse_sandbox_id(&id)?;
    if state.lock().find(&org, &project, id).is_none() {
        return Err(not_found());
    }
    let step = query
        .get("step")
        .map(String::as_str)
        .unwrap_or(DEFAULT_STEP);
    if step == "bad" {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid step",
            Some(format!("cannot parse {step:?}")),
        ));
    }
    let now = Utc::now();
    let to = time_param(&query, "to", now)?;
    let from = time_param(&query, "from", to.1 - Duration::hours(1))?;
    if from.1 > to.1 {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid window",
            Some("from is after to".into()),
        ));
    }
    let body = json!({
        "sandbox_id": id.to_string(),
        "from": from.0,
        "to": to.0,
        "step": step,
        "series": [
            {
                "metric": "cpu_usage_cores",
                "unit": "cores",
                "points": [[1_700_000_000.0, 0.25], [1_700_000_060.0, 0.5]],
            },
            { "metric": "memory_usage_bytes", "points": [] },
        ],
    });
    Ok((StatusCode::OK, Json(body)).into_response())
}

// ---------------------------------------------------------------------------
// Canned answers and responses
// ---------------------------------------------------------------------------

/// A response sent instead of an operation's result: an error or a canned answer.
/// Boxed so that `Result<_, Reject>` stays small.
#[derive(Debug)]
struct Reject(Box<Response>);

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// What a handler returns: the operation's response, or the response that replaces it.
type Outcome = Result<Response, Reject>;

/// The canned answer of a special organisation as `Err`, `Ok(())` for any other `org`.
fn org_hook(org: &str) -> Result<(), Reject> {
    let canned = match org {
        FORBIDDEN_ORG => return Err(error(StatusCode::FORBIDDEN, "forbidden", None)),
        BOOM_ORG => return Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal", None)),
        TEAPOT_ORG => (
            StatusCode::IM_A_TEAPOT,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                ),
                (
                    HeaderName::from_static("x-teapot"),
                    HeaderValue::from_static("short-and-stout"),
                ),
            ],
            TEAPOT_BODY,
        )
            .into_response(),
        GARBAGE_ORG => raw_json(GARBAGE_BODY),
        INVALID_JSON_ORG => raw_json(INVALID_JSON_BODY),
        _ => return Ok(()),
    };
    Err(Reject(Box::new(canned)))
}

/// An `ErrorResponse` JSON answer: `{"error": ..., "details": ...}` (details omitted when `None`).
fn error(status: StatusCode, message: &str, details: Option<String>) -> Reject {
    let mut body = Map::new();
    body.insert("error".into(), Value::String(message.into()));
    if let Some(details) = details {
        body.insert("details".into(), Value::String(details));
    }
    Reject(Box::new(
        (status, Json(Value::Object(body))).into_response(),
    ))
}

fn not_found() -> Reject {
    error(StatusCode::NOT_FOUND, "not found", None)
}

/// A `200` response with `Content-Type: application/json` and `body` sent verbatim.
fn raw_json(body: &'static str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

// ---------------------------------------------------------------------------
// Sandboxes on the wire
// ---------------------------------------------------------------------------

/// A new `Pending` sandbox built from a validated `CreateSandboxRequest`.
fn new_sandbox(org: &str, project: &str, name: &str, request: &Map<String, Value>) -> Value {
    let now = timestamp(Utc::now());
    let mut sandbox = Map::new();
    sandbox.insert("id".into(), json!(Uuid::new_v4().to_string()));
    sandbox.insert("org_id".into(), json!(org));
    sandbox.insert("project_id".into(), json!(project));
    sandbox.insert("name".into(), json!(name));
    let region = request
        .get("region")
        .cloned()
        .unwrap_or_else(|| json!(DEFAULT_REGION));
    sandbox.insert("region".into(), region);
    sandbox.insert("image".into(), json!(DEFAULT_IMAGE));
    for echoed in ["env", "resources"] {
        if let Some(value) = request.get(echoed) {
            sandbox.insert(echoed.into(), value.clone());
        }
    }
    sandbox.insert("phase".into(), json!("Pending"));
    sandbox.insert("connect_url".into(), Value::Null);
    sandbox.insert("replicas".into(), json!(1));
    for nullable in ["egress", "sandbox_template_id"] {
        sandbox.insert(
            nullable.into(),
            request.get(nullable).cloned().unwrap_or(Value::Null),
        );
    }
    sandbox.insert("created_by".into(), json!(CREATED_BY));
    sandbox.insert("created_at".into(), json!(now));
    sandbox.insert("updated_at".into(), json!(now));
    Value::Object(sandbox)
}

/// Sets `phase` and `replicas` and bumps `updated_at`.
fn set_phase(sandbox: &mut Value, phase: &str, replicas: i64) {
    sandbox["phase"] = json!(phase);
    sandbox["replicas"] = json!(replicas);
    sandbox["updated_at"] = json!(timestamp(Utc::now()));
}

/// The sandbox as sent to clients of `org`: [`FUTURE_ORG`] gets an unknown field and phase.
fn render(org: &str, sandbox: &Value) -> Value {
    let mut rendered = sandbox.clone();
    if org == FUTURE_ORG {
        rendered["phase"] = json!("Hibernating");
        rendered["gpu"] = json!({ "count": 1 });
    }
    rendered
}

fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

// ---------------------------------------------------------------------------
// Request parsing and validation
// ---------------------------------------------------------------------------

/// Parses a JSON object body. `Ok(None)` when the body is empty; a non-empty body must
/// be sent as `application/json` and be a JSON object, else `400`.
fn json_object_body(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<Map<String, Value>>, Reject> {
    if body.is_empty() {
        return Ok(None);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        let details = format!("expected Content-Type application/json, got {content_type:?}");
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid body",
            Some(details),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(Some(object)),
        Ok(other) => Err(bad_body(format!("expected a JSON object, got {other}"))),
        Err(err) => Err(bad_body(err.to_string())),
    }
}

fn bad_body(details: String) -> Reject {
    error(StatusCode::BAD_REQUEST, "invalid body", Some(details))
}

/// Checks a `CreateSandboxRequest` against the spec and returns its name.
///
/// Optional fields that are not `nullable` must be absent rather than `null`.
fn validate_create_request(request: &Map<String, Value>) -> Result<String, Reject> {
    let name = match request.get("name") {
        Some(Value::String(name)) => name.clone(),
        other => return Err(bad_body(format!("name must be a string, got {other:?}"))),
    };
    if let Err(details) = validate_name(&name) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "invalid name",
            Some(details),
        ));
    }
    if let Some(region) = request.get("region") {
        if !region.is_string() {
            return Err(bad_body(format!("region must be a string, got {region}")));
        }
    }
    if let Some(env) = request.get("env") {
        validate_env(env).map_err(bad_body)?;
    }
    if let Some(resources) = request.get("resources") {
        validate_resources(resources).map_err(bad_body)?;
    }
    if let Some(egress) = request.get("egress") {
        validate_egress(egress).map_err(bad_body)?;
    }
    if let Some(template) = request.get("sandbox_template_id") {
        validate_template_id(template).map_err(bad_body)?;
    }
    match request.get("from_snapshot") {
        None | Some(Value::Null) => {}
        Some(Value::String(id)) if Uuid::parse_str(id).is_ok() => {}
        Some(other) => {
            return Err(bad_body(format!(
                "from_snapshot must be a UUID or null, got {other}"
            )))
        }
    }
    Ok(name)
}

/// A DNS-1123 label: 1 to 63 of `[a-z0-9-]`, starting and ending alphanumeric.
fn validate_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 63 {
        return Err(format!(
            "name must be 1 to 63 characters, got {}",
            name.len()
        ));
    }
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !name.chars().all(|c| alphanumeric(c) || c == '-') {
        return Err(format!("name {name:?} may only contain a-z, 0-9 and '-'"));
    }
    let first = name.chars().next().is_some_and(alphanumeric);
    let last = name.chars().last().is_some_and(alphanumeric);
    if !first || !last {
        return Err(format!("name {name:?} must start and end with a-z or 0-9"));
    }
    Ok(())
}

fn validate_env(env: &Value) -> Result<(), String> {
    let Value::Array(vars) = env else {
        return Err(format!("env must be an array, got {env}"));
    };
    for var in vars {
        let ok = var.as_object().is_some_and(|object| {
            object.get("name").is_some_and(Value::is_string)
                && object.get("value").is_some_and(Value::is_string)
        });
        if !ok {
            return Err(format!("env entries need string name and value, got {var}"));
        }
    }
    Ok(())
}

fn validate_resources(resources: &Value) -> Result<(), String> {
    let Value::Object(object) = resources else {
        return Err(format!("resources must be an object, got {resources}"));
    };
    if let Some(cpu) = object.get("cpu") {
        let ok = cpu
            .as_f64()
            .is_some_and(|cpu| (0.5..=8.0).contains(&cpu) && (cpu * 2.0).fract() == 0.0);
        if !ok {
            return Err(format!(
                "resources.cpu must be a multiple of 0.5 in 0.5..=8, got {cpu}"
            ));
        }
    }
    if let Some(memory) = object.get("memory_gb") {
        if !memory.as_i64().is_some_and(|gb| (1..=16).contains(&gb)) {
            return Err(format!(
                "resources.memory_gb must be an integer in 1..=16, got {memory}"
            ));
        }
    }
    if let Some(disk) = object.get("disk_gb") {
        if !disk
            .as_i64()
            .is_some_and(|gb| (10..=100).contains(&gb) && gb % 10 == 0)
        {
            return Err(format!(
                "resources.disk_gb must be a multiple of 10 in 10..=100, got {disk}"
            ));
        }
    }
    Ok(())
}

/// `SandboxEgressConfig` and its rules have `additionalProperties: false`.
fn validate_egress(egress: &Value) -> Result<(), String> {
    let Value::Object(object) = egress else {
        return Err(format!("egress must be an object, got {egress}"));
    };
    for (key, value) in object {
        match key.as_str() {
            "mode" if matches!(value.as_str(), Some("deny_all" | "allow_list")) => {}
            "allow_internet" if value.is_boolean() => {}
            "allow" => {
                let Value::Array(rules) = value else {
                    return Err(format!("egress.allow must be an array, got {value}"));
                };
                rules.iter().try_for_each(validate_egress_rule)?;
            }
            _ => return Err(format!("egress.{key} is unknown or invalid: {value}")),
        }
    }
    Ok(())
}

fn validate_egress_rule(rule: &Value) -> Result<(), String> {
    let Value::Object(object) = rule else {
        return Err(format!("an egress rule must be an object, got {rule}"));
    };
    if !object.get("host").is_some_and(Value::is_string) {
        return Err(format!("an egress rule needs a string host, got {rule}"));
    }
    for (key, value) in object {
        let ok = match key.as_str() {
            "host" => true,
            "ports" => value
                .as_array()
                .is_some_and(|ports| ports.iter().all(|port| port.is_i64() || port.is_u64())),
            "protocol" => matches!(value.as_str(), Some("TCP" | "UDP")),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "egress rule field {key} is unknown or invalid: {value}"
            ));
        }
    }
    Ok(())
}

/// `^sb-[a-zA-Z0-9-]+$`
fn validate_template_id(template: &Value) -> Result<(), String> {
    let ok = template.as_str().is_some_and(|id| {
        id.strip_prefix("sb-").is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "sandbox_template_id must match ^sb-[a-zA-Z0-9-]+$, got {template}"
        ))
    }
}

/// The `sandbox_id` path value as a UUID, else `400`.
fn parse_sandbox_id(raw: &str) -> Result<Uuid, Reject> {
    Uuid::parse_str(raw).map_err(|err| {
        error(
            StatusCode::BAD_REQUEST,
            "invalid sandbox_id",
            Some(format!("{raw:?}: {err}")),
        )
    })
}

/// An integer query parameter in `min..=max`, `default` when absent, else `400`.
fn int_param(
    query: &HashMap<String, String>,
    name: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, Reject> {
    let Some(raw) = query.get(name) else {
        return Ok(default);
    };
    match raw.parse::<i64>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            &format!("invalid {name}"),
            Some(format!(
                "{name} must be an integer in {min}..={max}, got {raw:?}"
            )),
        )),
    }
}

/// An RFC3339 query parameter as `(text to echo, instant)`, `default` when absent, else `400`.
fn time_param(
    query: &HashMap<String, String>,
    name: &str,
    default: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), Reject> {
    let Some(raw) = query.get(name) else {
        return Ok((timestamp(default), default));
    };
    match DateTime::parse_from_rfc3339(raw) {
        Ok(time) => Ok((raw.clone(), time.with_timezone(&Utc))),
        Err(err) => Err(error(
            StatusCode::BAD_REQUEST,
            &format!("invalid {name}"),
            Some(format!("{name} must be RFC3339, got {raw:?}: {err}")),
        )),
    }
}
