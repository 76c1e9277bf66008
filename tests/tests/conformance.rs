//! `ai-agent-client` against Prism, an independent validating mock of `spec/openapi.yaml`:
//! the half of `cargo xtask conformance` that is about our own spec.
//!
//! Every operation is sent with the values `e2e.rs` uses (its happy paths, optional
//! parameters and bodies, odd path values), and then once for every status the spec
//! documents for it, asked of Prism with `Prefer: code=<status>`. Each exchange is
//! appended to `CONFORMANCE_REPORT` as one JSON line: the request, Prism's status and
//! `sl-violations` header (its verdict on the request), and whether the answer decoded
//! into the typed result (the success value, or the documented error of that status).
//! The command judges the lines, for this spec and the fixtures alike.
//!
//! Ignored in the default test run: it needs Prism (and so Node), which the command
//! installs and starts, passing its base URL in `CONFORMANCE_PRISM`.

use std::fmt::{Debug, Display};
use std::io::Write as _;
use std::sync::{Arc, Mutex};

use ai_agent_client::errors::{
    CreateSandboxError, DeleteSandboxError, GetSandboxError, GetSandboxMetricsError,
    ListSandboxesError, PauseSandboxError, ResumeSandboxError,
};
use ai_agent_client::types::{CreateSandboxRequest, PauseSandboxRequest};
use ai_agent_client::{
    Client, Error, ObservedRequest, ObservedResponse, Observer, Operation, Request, RetryPolicy,
};
use chrono::{Duration, TimeZone, Utc};
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{json, Value};
use uuid::Uuid;

const ORG: &str = "org-1";
const PROJECT: &str = "proj-1";
const SPEC: &str = include_str!("../../spec/openapi.yaml");

/// The sandbox every call names (e2e.rs takes the id its fake server made; any UUID does
/// for a mock).
fn sandbox_id() -> Uuid {
    Uuid::from_u128(0x6f1c_1f1e_7d33_4a5b_9d8e_0c1b_2a3d_4e5f)
}

#[tokio::test]
#[ignore = "needs a Prism mock of spec/openapi.yaml: run by `cargo xtask conformance`"]
async fn every_operation_against_prism() {
    let run = Run::from_env();
    let id = sandbox_id();

    // The control: a request that breaks the spec (`limit` is at least 1), sent without
    // the client's own checks. Prism must flag it, or the whole check is blind.
    let unchecked = run.client_with(None, false);
    run.record_as(
        "control: limit 0",
        None,
        true,
        unchecked.list_sandboxes(ORG, PROJECT).limit(0),
        ListSandboxesError::status,
    )
    .await;

    // The values of e2e.rs, each answered with the operation's success.
    let client = run.client(None);
    run.record(
        "list",
        None,
        client.list_sandboxes(ORG, PROJECT),
        ListSandboxesError::status,
    )
    .await;
    run.record(
        "list a page",
        None,
        client.list_sandboxes(ORG, PROJECT).page(2).limit(2),
        ListSandboxesError::status,
    )
    .await;
    let full = integration_tests::sample::full_create_request();
    let creates = [
        ("create with every property", full),
        (
            "create with only the name",
            CreateSandboxRequest::new("minimal"),
        ),
        (
            "create from a snapshot",
            CreateSandboxRequest::new("restored").with_from_snapshot(Some(Uuid::from_u128(9))),
        ),
        (
            "create with a null snapshot",
            CreateSandboxRequest::new("cold").with_from_snapshot(None),
        ),
    ];
    for (label, body) in creates {
        let request = client.create_sandbox(ORG, PROJECT, body);
        run.record(label, None, request, CreateSandboxError::status)
            .await;
    }
    run.record(
        "create with reserved characters in the path",
        None,
        client.create_sandbox(
            "a/../b?x=1#y",
            "p q%2F",
            CreateSandboxRequest::new("escaped"),
        ),
        CreateSandboxError::status,
    )
    .await;
    run.record(
        "get",
        None,
        client.get_sandbox(ORG, PROJECT, id),
        GetSandboxError::status,
    )
    .await;
    run.record(
        "delete",
        None,
        client.delete_sandbox(ORG, PROJECT, id),
        DeleteSandboxError::status,
    )
    .await;
    run.record(
        "pause without a body",
        None,
        client.pause_sandbox(ORG, PROJECT, id),
        PauseSandboxError::status,
    )
    .await;
    for preserve_memory in [false, true] {
        let body = PauseSandboxRequest::default().with_preserve_memory(preserve_memory);
        run.record(
            &format!("pause with preserve_memory {preserve_memory}"),
            None,
            client.pause_sandbox(ORG, PROJECT, id).body(body),
            PauseSandboxError::status,
        )
        .await;
    }
    run.record(
        "resume",
        None,
        client.resume_sandbox(ORG, PROJECT, id),
        ResumeSandboxError::status,
    )
    .await;
    run.record(
        "metrics",
        None,
        client.get_sandbox_metrics(ORG, PROJECT, id),
        GetSandboxMetricsError::status,
    )
    .await;
    let from = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let to = from + Duration::minutes(90) + Duration::nanoseconds(123_456_789);
    run.record(
        "metrics in a window",
        None,
        client
            .get_sandbox_metrics(ORG, PROJECT, id)
            .from(from)
            .to(to)
            .step("5m"),
        GetSandboxMetricsError::status,
    )
    .await;
    run.record(
        "metrics with reserved characters in the step",
        None,
        client
            .get_sandbox_metrics(ORG, PROJECT, id)
            .step("1m+30s&x=y #z"),
        GetSandboxMetricsError::status,
    )
    .await;

    // Every documented status of every operation, as the spec's example of it.
    for (operation, statuses) in documented_statuses() {
        for status in statuses {
            let client = run.client(Some(status));
            let label = format!("{operation} answering {status}");
            let prefer = Some(status);
            match operation.as_str() {
                "listSandboxes" => {
                    let request = client.list_sandboxes(ORG, PROJECT);
                    run.record(&label, prefer, request, ListSandboxesError::status)
                        .await;
                }
                "createSandbox" => {
                    let request =
                        client.create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("dev-box"));
                    run.record(&label, prefer, request, CreateSandboxError::status)
                        .await;
                }
                "getSandbox" => {
                    let request = client.get_sandbox(ORG, PROJECT, id);
                    run.record(&label, prefer, request, GetSandboxError::status)
                        .await;
                }
                "deleteSandbox" => {
                    let request = client.delete_sandbox(ORG, PROJECT, id);
                    run.record(&label, prefer, request, DeleteSandboxError::status)
                        .await;
                }
                "pauseSandbox" => {
                    let request = client.pause_sandbox(ORG, PROJECT, id);
                    run.record(&label, prefer, request, PauseSandboxError::status)
                        .await;
                }
                "resumeSandbox" => {
                    let request = client.resume_sandbox(ORG, PROJECT, id);
                    run.record(&label, prefer, request, ResumeSandboxError::status)
                        .await;
                }
                "getSandboxMetrics" => {
                    let request = client.get_sandbox_metrics(ORG, PROJECT, id);
                    run.record(&label, prefer, request, GetSandboxMetricsError::status)
                        .await;
                }
                other => {
                    panic!("spec/openapi.yaml has an operation this test does not drive: {other}")
                }
            }
        }
    }
}

/// Each operation of the spec with the statuses it documents, in spec order.
fn documented_statuses() -> Vec<(String, Vec<u16>)> {
    let spec: Value = generator::load::parse_tree(SPEC, std::path::Path::new("spec/openapi.yaml"))
        .expect("spec/openapi.yaml parses");
    let mut operations = Vec::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            let statuses = operation["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .filter_map(|status| status.parse().ok())
                .collect();
            operations.push((id.to_string(), statuses));
        }
    }
    operations
}

/// The Prism to call and the report to append to, from the environment.
struct Run {
    prism: String,
    report: std::fs::File,
    exchanges: Exchanges,
}

/// What the client sent and received, per attempt (one per call: retries are off).
#[derive(Clone, Default)]
struct Exchanges(Arc<Mutex<Vec<Attempt>>>);

/// A request as sent, and its response if one came.
type Attempt = (ObservedRequest, Option<ObservedResponse>);

impl Observer for Exchanges {
    fn on_request(&self, request: &ObservedRequest) {
        self.0.lock().unwrap().push((request.clone(), None));
    }

    fn on_response(&self, _request: &ObservedRequest, response: &ObservedResponse) {
        if let Some(last) = self.0.lock().unwrap().last_mut() {
            last.1 = Some(response.clone());
        }
    }
}

impl Run {
    fn from_env() -> Self {
        let prism = std::env::var("CONFORMANCE_PRISM")
            .expect("CONFORMANCE_PRISM is the base URL of a Prism mock of spec/openapi.yaml");
        let report = std::env::var("CONFORMANCE_REPORT")
            .expect("CONFORMANCE_REPORT names the file to append the exchanges to");
        let report = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&report)
            .unwrap_or_else(|error| panic!("cannot open {report}: {error}"));
        Self {
            prism,
            report,
            exchanges: Exchanges::default(),
        }
    }

    /// A client of Prism that asks for the answer of status `prefer`, if given.
    fn client(&self, prefer: Option<u16>) -> Client {
        self.client_with(prefer, true)
    }

    /// As [`Run::client`], checking request values against the spec first or not.
    fn client_with(&self, prefer: Option<u16>, validate_requests: bool) -> Client {
        let mut builder = Client::builder()
            .base_url(&self.prism)
            .bearer_token("conformance-token")
            .retry_policy(RetryPolicy::never())
            .validate_requests(validate_requests)
            .observer(self.exchanges.clone());
        if let Some(status) = prefer {
            let value = HeaderValue::from_str(&format!("code={status}")).unwrap();
            builder = builder.default_header(HeaderName::from_static("prefer"), value, false);
        }
        builder.build().expect("the client builds")
    }

    /// Sends `request` and appends the exchange and its outcome to the report. The answer
    /// decodes when it is the success value (no status asked, or a 2xx one) or the
    /// documented error of the status asked for.
    async fn record<P>(
        &self,
        label: &str,
        prefer: Option<u16>,
        request: Request<'_, P>,
        documented: fn(&P::Error) -> Option<u16>,
    ) where
        P: Operation + Send,
        P::Output: Send + Debug,
        P::Error: Send + Debug,
        Error<P::Error>: Display,
    {
        self.record_as(label, prefer, false, request, documented)
            .await;
    }

    /// As [`Run::record`]; `control` marks a request that breaks the spec on purpose.
    async fn record_as<P>(
        &self,
        label: &str,
        prefer: Option<u16>,
        control: bool,
        request: Request<'_, P>,
        documented: fn(&P::Error) -> Option<u16>,
    ) where
        P: Operation + Send,
        P::Output: Send + Debug,
        P::Error: Send + Debug,
        Error<P::Error>: Display,
    {
        let result = request.send_with_response().await;
        let expects_success = prefer.is_none_or(|status| (200..300).contains(&status));
        let (decoded, outcome) = match &result {
            Ok(response) if expects_success => (true, format!("{}", response.status())),
            Ok(response) => (
                false,
                format!("success {} instead of the error", response.status()),
            ),
            Err(Error::Api { error, .. }) if !expects_success && documented(error) == prefer => {
                (true, format!("documented error {error:?}"))
            }
            Err(error) => (false, error.to_string()),
        };
        let body = result
            .as_ref()
            .err()
            .and_then(Error::response)
            .map(|response| response.text().into_owned());
        let exchanges = std::mem::take(&mut *self.exchanges.0.lock().unwrap());
        let line = match exchanges.last() {
            Some((sent, received)) => {
                let target = match sent.url.query() {
                    Some(query) => format!("{}?{query}", sent.url.path()),
                    None => sent.url.path().to_string(),
                };
                let header = |name: &str| {
                    received
                        .as_ref()
                        .and_then(|response| response.headers.get(name))
                        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                };
                json!({
                    "test": label,
                    "operation": P::OPERATION_ID,
                    "prefer": prefer,
                    "request": format!("{} {target} HTTP/1.1", sent.method),
                    "status": received.as_ref().map(|response| response.status.as_u16()),
                    "violations": header("sl-violations"),
                    "content_type": header("content-type"),
                    "body": body,
                    "decoded": decoded,
                    "outcome": outcome,
                    "control": control,
                })
            }
            None => json!({
                "test": label,
                "operation": P::OPERATION_ID,
                "error": format!("nothing was sent: {outcome}"),
            }),
        };
        writeln!(&self.report, "{line}").expect("the report is writable");
    }
}
