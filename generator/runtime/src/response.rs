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

impl<T> Response<T> {
    /// The headers the spec declares for this response, read into the operation's
    /// headers struct (`<Operation>Headers`, generated where a success response declares
    /// headers): integers as integers, enums as enums.
    ///
    /// # Errors
    /// A required header that is missing, or a value that does not parse as its type;
    /// the error names the header.
    pub fn typed_headers<H: ResponseHeaders>(&self) -> Result<H, HeaderError> {
        H::from_headers(&self.head.headers)
    }
}

/// A struct of the headers a spec declares for an operation's success response.
pub trait ResponseHeaders: Sized {
    /// Reads the declared headers.
    ///
    /// # Errors
    /// A required header that is missing, or a value that does not parse as its type.
    fn from_headers(headers: &HeaderMap) -> Result<Self, HeaderError>;
}

/// A declared response header that is missing or does not parse. The value itself is
/// not shown (a server may echo a credential in a header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    /// The header's name, as the spec writes it.
    pub name: &'static str,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "header `{}` {}", self.name, self.reason)
    }
}

impl std::error::Error for HeaderError {}

/// The header `name` parsed as `T`, or `None` when the response does not have it.
///
/// # Errors
/// A value that is not visible ASCII or does not parse as `T`.
pub(crate) fn optional_header<T>(
    headers: &HeaderMap,
    name: &'static str,
) -> Result<Option<T>, HeaderError>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| HeaderError {
        name,
        reason: "is not visible ASCII".to_string(),
    })?;
    text.trim().parse().map(Some).map_err(|error| HeaderError {
        name,
        reason: format!("does not parse: {error}"),
    })
}

/// The header `name` parsed as `T`.
///
/// # Errors
/// As [`optional_header`], and a missing header.
pub(crate) fn required_header<T>(headers: &HeaderMap, name: &'static str) -> Result<T, HeaderError>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    optional_header(headers, name)?.ok_or_else(|| HeaderError {
        name,
        reason: "is missing".to_string(),
    })
}
