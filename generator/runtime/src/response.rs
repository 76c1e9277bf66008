//! A successful result together with the response it was read from.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::RedactedHeaders;
use crate::redact::Secrets;

/// A successful operation's value with the response's status and headers, from a request
/// builder's `send_with_response`. Derefs to the value. Its `Debug` shows header values
/// that carry credentials as `[redacted]`.
#[derive(Clone)]
pub struct Response<T> {
    value: T,
    head: ResponseHead,
}

/// Status and headers of a response, and the credentials to keep out of its `Debug`.
#[derive(Clone)]
pub(crate) struct ResponseHead {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) secrets: Option<Arc<Secrets>>,
    pub(crate) request_id_header: Option<&'static str>,
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("value", &self.value)
            .field("status", &self.head.status)
            .field(
                "headers",
                &RedactedHeaders {
                    headers: &self.head.headers,
                    secrets: self.head.secrets.as_deref(),
                },
            )
            .finish()
    }
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, head: ResponseHead) -> Self {
        Self { value, head }
    }

    /// The value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status code (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The server's request id, when the response carries one (the header is named in
    /// the generator's settings, `client.request_id_header`).
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.head.headers, self.head.request_id_header)
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
