//! Sending one operation's request: timeouts, retries with backoff, and the observer.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, RawResponse};
use crate::observe::{ObservedRequest, ObservedResponse, Observer};
use crate::redact::Secrets;
use crate::request::{self, ReadError};
use crate::retry::{self, Backoff, RetryPolicy};

/// Whole-request timeout when the client sets none: connect, send, and read the whole
/// response of one attempt.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Connect timeout of the HTTP client the builder makes (not of one passed in).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest response body read when the client sets no limit: 16 MiB, far above what an
/// API's JSON answer needs, far below what a hostile server can make a client hold.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

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
    /// Replaces the client's response size limit for this call.
    pub(crate) max_response_bytes: Option<u64>,
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
    /// Longest response body read, in bytes, unless a call sets its own.
    pub(crate) max_response_bytes: u64,
    /// The client's credentials, kept out of everything it shows; filled in by `build`.
    pub(crate) secrets: Arc<Secrets>,
    /// The response header with the server's request id (from the generator's settings).
    pub(crate) request_id_header: Option<&'static str>,
    /// Sent as `User-Agent` (the generated crate's name and version).
    pub(crate) user_agent: &'static str,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            default_headers: reqwest::header::HeaderMap::new(),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            observer: None,
            validate_requests: true,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            secrets: Arc::default(),
            request_id_header: None,
            user_agent: "",
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Default headers may hold API keys: show their names only.
        let header_names: Vec<&str> = self
            .default_headers
            .keys()
            .map(|name| name.as_str())
            .collect();
        f.debug_struct("Config")
            .field("default_headers", &header_names)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("observer", &self.observer.as_ref().map(|_| "set"))
            .field("validate_requests", &self.validate_requests)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// Sends the request `build` makes, retrying as the policy allows, reads the last
/// response and hands it to `finish` (the operation's decoding).
///
/// A status the policy retries is returned as a response once attempts run out, so the
/// operation reports it like any other status; a transport failure is returned as the
/// last error. A body over the size limit is not retried.
///
/// Why `build` and not a request: a retry sends the request made again from the same
/// values, rather than a copy kept of every request in case it fails (a copy per call
/// was about 2% of the client's instructions in `cargo xtask bench client`), and a body
/// reqwest cannot copy (multipart) can be sent again too.
///
/// Why a function returning an `async` block, with `finish` passed in, rather than an
/// `async fn` awaited by another: every call's future is one heap block, and its size
/// is what a call costs beyond its instructions. An `async fn` keeps each argument
/// twice and each awaited layer adds its own; this keeps one of each, the retry's
/// backoff and timer boxed since few calls need them. At 2,152 bytes the block missed
/// the allocator's per-thread cache and a quarter more of the client's memory reads
/// and writes missed the CPU's cache than a plain `reqwest` call's (`cargo xtask bench
/// client`, README "Under load").
pub(crate) fn execute<'a, T, E, B, F>(
    http: &'a reqwest::Client,
    config: &'a Config,
    build: B,
    call: Call,
    options: RequestOptions,
    finish: F,
) -> impl Future<Output = Result<T, Error<E>>> + 'a
where
    B: Fn() -> Result<reqwest::RequestBuilder, Error<E>> + 'a,
    F: FnOnce(RawResponse) -> Result<T, Error<E>> + 'a,
{
    let RequestOptions {
        retry,
        timeout,
        max_response_bytes,
    } = options;
    let timeout = timeout.unwrap_or(config.timeout);
    let limit = max_response_bytes.unwrap_or(config.max_response_bytes);
    async move {
        let policy = retry.as_ref().unwrap_or(&config.retry);
        let retries_allowed = policy.allows(call.idempotent);
        // Made at the first retry: most calls need none.
        let mut backoff: Option<Box<Backoff>> = None;
        let mut attempt: u32 = 1;
        loop {
            // In a block of its own, so that the request, moved into `sent`, is not also
            // kept in the future (264 bytes) across the awaits below.
            let (sent, observed) = {
                let request = prepare(&build, config, timeout)?;
                let observed = config.observer.as_ref().map(|observer| {
                    let observed =
                        ObservedRequest::new(&request, call.operation_id, attempt, &config.secrets);
                    observer.on_request(&observed);
                    (observer, Box::new(observed))
                });
                (http.execute(request), observed)
            };
            let started = Instant::now();
            let (outcome, retryable_failure) = send_once(sent, limit, config).await;
            if let Some((observer, observed)) = &observed {
                match &outcome {
                    Ok(response) | Err(Failure::TooLarge { response, .. }) => observer.on_response(
                        observed,
                        &observed_response(config, response.status(), response.headers(), started),
                    ),
                    Err(Failure::Transport(error)) => observer.on_failure(observed, error),
                }
            }
            if !(retries_allowed && attempt < policy.max_attempts()) {
                return outcome.map_err(Failure::into_error).and_then(finish);
            }
            let backoff = backoff.get_or_insert_with(|| Box::new(policy.backoff()));
            let delay = match &outcome {
                Ok(response) if retry::is_retryable_status(response.status()) => {
                    backoff.next_delay(Some(response.headers()))
                }
                Err(Failure::Transport(_)) if retryable_failure => backoff.next_delay(None),
                _ => return outcome.map_err(Failure::into_error).and_then(finish),
            };
            drop(outcome);
            // Boxed: a timer is large, and only a retry needs one.
            Box::pin(tokio::time::sleep(delay)).await;
            attempt += 1;
        }
    }
}

/// One attempt: the response `sent` gets, read whole, and whether a failure may be
/// retried.
///
/// A failure while reading the body (a connection cut off mid-transfer) is a broken
/// connection like any other: retryable. reqwest reports it as a decode error, which
/// `is_retryable_error` refuses for a failed send.
async fn send_once(
    sent: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
    limit: u64,
    config: &Config,
) -> (Result<RawResponse, Failure>, bool) {
    let response = match sent.await {
        Ok(response) => response,
        Err(error) => {
            let retryable = retry::is_retryable_error(&error);
            return (
                Err(Failure::Transport(redacted(error, &config.secrets))),
                retryable,
            );
        }
    };
    match request::read_response(response, limit, &config.secrets, config.request_id_header).await {
        Ok(response) => (Ok(response), false),
        Err(ReadError::Transport(error)) => (
            Err(Failure::Transport(redacted(error, &config.secrets))),
            true,
        ),
        Err(ReadError::TooLarge { response, limit }) => {
            (Err(Failure::TooLarge { response, limit }), false)
        }
    }
}

/// The request `build` makes, cookies joined, with the attempt's `timeout`. A function,
/// not a closure kept in `execute`: a borrow of `build` held across its awaits would
/// make every operation's parameters need `Sync` for the call to be `Send`.
fn prepare<E, B>(
    build: &B,
    config: &Config,
    timeout: Duration,
) -> Result<reqwest::Request, Error<E>>
where
    B: Fn() -> Result<reqwest::RequestBuilder, Error<E>>,
{
    let mut request = build()?
        .build()
        .map_err(|error| Error::from(redacted(error, &config.secrets)))?;
    request::join_cookies(request.headers_mut());
    *request.timeout_mut() = Some(timeout);
    Ok(request)
}

/// What [`open_stream`] got: the response still being received, when it is a 2xx event
/// stream, or else the whole response.
pub(crate) enum Opened {
    /// A 2xx `text/event-stream`, its body not read yet.
    Stream(reqwest::Response),
    /// Any other response, read whole (up to the size limit).
    Whole(RawResponse),
}

/// Sends `request` once, for a stream: a 2xx `text/event-stream` answer is handed back
/// unread, anything else is read whole. Not retried: events already handed out cannot
/// be taken back. No whole-request timeout unless the call sets one.
pub(crate) async fn open_stream<E>(
    http: &reqwest::Client,
    config: &Config,
    request: reqwest::RequestBuilder,
    call: Call,
    options: &RequestOptions,
) -> Result<Opened, Error<E>> {
    let limit = options
        .max_response_bytes
        .unwrap_or(config.max_response_bytes);
    let mut request = request
        .build()
        .map_err(|error| Error::from(redacted(error, &config.secrets)))?;
    request::join_cookies(request.headers_mut());
    *request.timeout_mut() = options.timeout;
    let observed = config.observer.as_ref().map(|observer| {
        (
            observer,
            ObservedRequest::new(&request, call.operation_id, 1, &config.secrets),
        )
    });
    if let Some((observer, observed)) = &observed {
        observer.on_request(observed);
    }
    let started = Instant::now();
    let response = match http.execute(request).await {
        Ok(response) => response,
        Err(error) => {
            let error = redacted(error, &config.secrets);
            if let Some((observer, observed)) = &observed {
                observer.on_failure(observed, &error);
            }
            return Err(Error::from(error));
        }
    };
    if let Some((observer, observed)) = &observed {
        observer.on_response(
            observed,
            &observed_response(config, response.status(), response.headers(), started),
        );
    }
    if response.status().is_success() && is_event_stream(&response) {
        return Ok(Opened::Stream(response));
    }
    match request::read_response(response, limit, &config.secrets, config.request_id_header).await {
        Ok(response) => Ok(Opened::Whole(response)),
        Err(ReadError::Transport(error)) => Err(Error::from(redacted(error, &config.secrets))),
        Err(ReadError::TooLarge { response, limit }) => {
            Err(Error::ResponseTooLarge { response, limit })
        }
    }
}

/// What observers see of a response: its status, its headers without credentials, and
/// how long it took since `started`.
fn observed_response(
    config: &Config,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    started: Instant,
) -> ObservedResponse {
    ObservedResponse {
        status,
        headers: crate::observe::without_credentials(headers, Some(&config.secrets)),
        elapsed: started.elapsed(),
        request_id_header: config.request_id_header,
    }
}

/// An attempt that got no usable response.
enum Failure {
    /// No response, or the connection broke while reading it.
    Transport(reqwest::Error),
    /// A response whose body is over the limit.
    TooLarge { response: RawResponse, limit: u64 },
}

impl Failure {
    fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Transport(error) => Error::from(error),
            Failure::TooLarge { response, limit } => Error::ResponseTooLarge { response, limit },
        }
    }
}

/// `error` with API keys in its URL's query and a password in it `[redacted]`: reqwest
/// shows the URL in `Display` and `Debug`.
fn redacted(mut error: reqwest::Error, secrets: &Secrets) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        request::redact_url(url, secrets);
    }
    error
}

/// Whether `response` is an event stream.
fn is_event_stream(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(';')
                .next()
                .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/event-stream"))
        })
}
