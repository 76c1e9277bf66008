//! A successful result together with the response it was read from.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A successful operation's value with the response's status and headers, from a request
/// builder's `send_with_response`. Derefs to the value.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self { value, status, headers }
    }

    /// The value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status code (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id, when the response carries one (the header is named in
    /// the generator's settings, `client.request_id_header`).
    pub fn request_id(&self) -> Option<&str> {
        crate::error::request_id(&self.headers)
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
