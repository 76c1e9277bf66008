//! Seeing each request and response go by, for logging, metrics or tracing.
//!
//! An [`Observer`] is called once per attempt, so retries show up as separate requests.
//! It is given copies with credentials removed: the `Authorization`,
//! `Proxy-Authorization` and `Cookie` headers, and any header marked sensitive, never
//! reach it.

use std::time::Duration;

use reqwest::header::{HeaderMap, AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
use reqwest::{Method, StatusCode, Url};

/// Called for every attempt of every request the client sends. Every method has an
/// empty default, so implement only the ones you need.
///
/// Methods run inline on the request's task: keep them quick and non-blocking.
pub trait Observer: Send + Sync + 'static {
    /// Just before an attempt is sent.
    fn on_request(&self, request: &ObservedRequest) {
        let _ = request;
    }

    /// When an attempt got a response (any status) and its whole body was read.
    fn on_response(&self, request: &ObservedRequest, response: &ObservedResponse) {
        let _ = (request, response);
    }

    /// When an attempt failed without a response (connect error, timeout, broken
    /// connection).
    fn on_failure(&self, request: &ObservedRequest, error: &reqwest::Error) {
        let _ = (request, error);
    }
}

/// One attempt of a request, as an [`Observer`] sees it: no credentials.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObservedRequest {
    /// The spec's `operationId`, e.g. `getSandbox`.
    pub operation_id: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The HTTP method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// The request headers, credentials removed.
    pub headers: HeaderMap,
}

impl ObservedRequest {
    pub(crate) fn new(request: &reqwest::Request, operation_id: &'static str, attempt: u32) -> Self {
        Self {
            operation_id,
            attempt,
            method: request.method().clone(),
            url: request.url().clone(),
            headers: without_credentials(request.headers()),
        }
    }
}

/// The response to one attempt, as an [`Observer`] sees it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObservedResponse {
    /// The status code.
    pub status: StatusCode,
    /// The response headers, `Set-Cookie` and sensitive values removed.
    pub headers: HeaderMap,
    /// From sending the request to having read the whole body.
    pub elapsed: Duration,
}

impl ObservedResponse {
    /// The server's request id, when the response carries one.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }
}

/// `headers` without the ones that carry credentials.
pub(crate) fn without_credentials(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let credential = *name == AUTHORIZATION
            || *name == PROXY_AUTHORIZATION
            || *name == COOKIE
            || name.as_str() == "set-cookie"
            || value.is_sensitive();
        if !credential {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}
