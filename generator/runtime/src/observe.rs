//! Seeing each request and response go by, for logging, metrics or tracing.
//!
//! An [`Observer`] is called once per attempt, so retries show up as separate requests.
//! It is given copies with credentials removed: the `Authorization`,
//! `Proxy-Authorization`, `Cookie` and `Set-Cookie` headers, any header marked
//! sensitive, and any header whose value contains one of the client's credentials never
//! reach it; API keys in the query and a password in the URL show as `[redacted]`.

use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, SET_COOKIE,
};
use reqwest::{Method, StatusCode, Url};

use crate::redact::Secrets;

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
    /// The full URL, query included; an API key sent as a query parameter shows as
    /// `[redacted]`.
    pub url: Url,
    /// The request headers, credentials removed.
    pub headers: HeaderMap,
}

impl ObservedRequest {
    pub(crate) fn new(
        request: &reqwest::Request,
        operation_id: &'static str,
        attempt: u32,
        secrets: &Secrets,
    ) -> Self {
        Self {
            operation_id,
            attempt,
            method: request.method().clone(),
            url: {
                let mut url = request.url().clone();
                crate::request::redact_url(&mut url, secrets);
                url
            },
            headers: without_credentials(request.headers(), Some(secrets)),
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
    /// The header that carries the server's request id.
    pub(crate) request_id_header: Option<&'static str>,
}

impl ObservedResponse {
    /// The server's request id, when the response carries one.
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers, self.request_id_header)
    }
}

/// Whether a header carries credentials: `Authorization`, `Proxy-Authorization`,
/// `Cookie`, `Set-Cookie`, any value marked sensitive, or any value that contains one of
/// the client's own credentials (a server may echo them under any name). Observers never
/// see these, and [`RawResponse`](crate::RawResponse)'s `Debug` shows their values as
/// `[redacted]`.
pub(crate) fn is_credential(
    name: &HeaderName,
    value: &HeaderValue,
    secrets: Option<&Secrets>,
) -> bool {
    *name == AUTHORIZATION
        || *name == PROXY_AUTHORIZATION
        || *name == COOKIE
        || *name == SET_COOKIE
        || value.is_sensitive()
        || secrets.is_some_and(|secrets| secrets.occur_in(value.as_bytes()))
}

/// `headers` without the ones that carry credentials.
pub(crate) fn without_credentials(headers: &HeaderMap, secrets: Option<&Secrets>) -> HeaderMap {
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if !is_credential(name, value, secrets) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}
