//! Sending one operation's request: timeouts, retries with backoff, and the observer.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::RawResponse;
use crate::observe::{ObservedRequest, ObservedResponse, Observer};
use crate::request;
use crate::retry::{self, RetryPolicy};

/// Whole-request timeout when the client sets none: connect, send, and read the whole
/// response of one attempt.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Connect timeout of the HTTP client the builder makes (not of one passed in).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the transport needs to know about an operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    /// The spec's `operationId`, shown to observers.
    pub(crate) operation_id: &'static str,
    /// Whether sending it twice is as good as once (HTTP method, or the settings).
    pub(crate) idempotent: bool,
}

/// Per-call overrides of the client's retry policy and timeout, set on request builders.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestOptions {
    /// Replaces the client's retry policy for this call.
    pub(crate) retry: Option<RetryPolicy>,
    /// Replaces the client's whole-request timeout for this call.
    pub(crate) timeout: Option<Duration>,
}

/// The client-wide settings, shared by clones of a client.
#[derive(Clone)]
pub(crate) struct Config {
    /// Headers added to every request (before authentication, which wins).
    pub(crate) default_headers: reqwest::header::HeaderMap,
    /// Retry policy of every call that does not set its own.
    pub(crate) retry: RetryPolicy,
    /// Whole-request timeout of every attempt, unless a call sets its own.
    pub(crate) timeout: Duration,
    /// Sees every attempt.
    pub(crate) observer: Option<Arc<dyn Observer>>,
    /// Whether request values are checked against the spec's constraints before sending.
    pub(crate) validate_requests: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Default headers may hold API keys: show their names only.
        let header_names: Vec<&str> = self.default_headers.keys().map(|name| name.as_str()).collect();
        f.debug_struct("Config")
            .field("default_headers", &header_names)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("observer", &self.observer.as_ref().map(|_| "set"))
            .field("validate_requests", &self.validate_requests)
            .finish()
    }
}

/// Sends `request`, retrying as the policy allows, and reads the last response.
///
/// A status the policy retries is returned as a response once attempts run out, so the
/// operation reports it like any other status; a transport failure is returned as the
/// last error.
pub(crate) async fn execute(
    http: &reqwest::Client,
    config: &Config,
    request: reqwest::RequestBuilder,
    call: Call,
    options: &RequestOptions,
) -> Result<RawResponse, reqwest::Error> {
    let policy = options.retry.as_ref().unwrap_or(&config.retry);
    let timeout = options.timeout.unwrap_or(config.timeout);
    let retries_allowed = policy.allows(call.idempotent);
    let mut backoff = policy.backoff();
    let mut request = request.build().map_err(redacted)?;
    request::join_cookies(request.headers_mut());
    let mut attempt: u32 = 1;
    loop {
        // A body that cannot be cloned (a stream) can be sent only once.
        let next = if retries_allowed && attempt < policy.max_attempts() {
            request.try_clone()
        } else {
            None
        };
        *request.timeout_mut() = Some(timeout);
        let observed = config
            .observer
            .as_ref()
            .map(|observer| (observer, ObservedRequest::new(&request, call.operation_id, attempt)));
        if let Some((observer, observed)) = &observed {
            observer.on_request(observed);
        }
        let started = Instant::now();
        // A failure while reading the body (a connection cut off mid-transfer) is a
        // broken connection like any other: retryable. reqwest reports it as a decode
        // error, which `is_retryable_error` refuses for a failed send.
        let (outcome, retryable_failure) = match http.execute(request).await {
            Ok(response) => (request::read_response(response).await.map_err(redacted), true),
            Err(error) => {
                let retryable = retry::is_retryable_error(&error);
                (Err(redacted(error)), retryable)
            }
        };
        if let Some((observer, observed)) = &observed {
            match &outcome {
                Ok(response) => observer.on_response(
                    observed,
                    &ObservedResponse {
                        status: response.status(),
                        headers: crate::observe::without_credentials(response.headers()),
                        elapsed: started.elapsed(),
                    },
                ),
                Err(error) => observer.on_failure(observed, error),
            }
        }
        let Some(next) = next else {
            return outcome;
        };
        let delay = match &outcome {
            Ok(response) if retry::is_retryable_status(response.status()) => {
                backoff.next_delay(Some(response.headers()))
            }
            Err(_) if retryable_failure => backoff.next_delay(None),
            _ => return outcome,
        };
        tokio::time::sleep(delay).await;
        request = next;
        attempt += 1;
    }
}

/// `error` with API keys in its URL's query `[redacted]`: reqwest shows the URL in
/// `Display` and `Debug`.
fn redacted(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        request::redact_url(url);
    }
    error
}
