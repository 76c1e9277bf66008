//! Errors returned by every operation, and the raw response they keep.
//!
//! Each operation returns `Result<T, Error<E>>`, where `E` is that operation's own enum
//! of documented error statuses (for example `errors::GetSandboxError`). Whatever the
//! server sends, the status, headers and body stay reachable through
//! [`Error::response`].

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::validation::ValidationError;

/// A response exactly as received: status, headers and the whole body.
///
/// Boxed inside, so that `Result<T, Error<E>>` stays small on the success path.
#[derive(Clone)]
pub struct RawResponse(Box<ResponseParts>);

#[derive(Clone)]
struct ResponseParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// Builds a raw response; mostly useful to construct errors in tests.
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Self(Box::new(ResponseParts { status, headers, body: body.into() }))
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The body bytes, unparsed.
    pub fn body(&self) -> &Bytes {
        &self.0.body
    }

    /// The server's request id: the value of the request-id header named in the
    /// generator's settings (`client.request_id_header`), when the response has one.
    /// Quote it when reporting a problem to the API's operators.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.0.headers)
    }

    /// The body as text; invalid UTF-8 is replaced with U+FFFD.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0.body)
    }

    /// Parses the body as the success type `T`.
    // Unused in a crate whose operations have no JSON success body.
    #[allow(dead_code)]
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        match serde_json::from_slice(&self.0.body) {
            Ok(value) => Ok(value),
            Err(source) => Err(Error::InvalidBody { response: self, source }),
        }
    }

    /// Parses the body as the documented error type `T` and wraps it with `variant`.
    // Unused in a crate whose operations document no JSON error body.
    #[allow(dead_code)]
    pub(crate) fn api_error<T: DeserializeOwned, E>(self, variant: impl FnOnce(T) -> E) -> Error<E> {
        match serde_json::from_slice(&self.0.body) {
            Ok(value) => Error::Api { error: variant(value), response: self },
            Err(source) => Error::InvalidBody { response: self, source },
        }
    }
}

impl RawResponse {
    /// The body as the `text/*` success type.
    // Unused in a crate whose operations have no text success body.
    #[allow(dead_code)]
    pub(crate) fn text_body<E>(self) -> Result<String, Error<E>> {
        match std::str::from_utf8(&self.0.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(source) => Err(Error::InvalidText { response: self, source }),
        }
    }

    /// The body as a documented `text/*` error, wrapped with `variant`.
    // Unused in a crate whose operations document no text error body.
    #[allow(dead_code)]
    pub(crate) fn api_error_text<E>(self, variant: impl FnOnce(String) -> E) -> Error<E> {
        match std::str::from_utf8(&self.0.body) {
            Ok(text) => Error::Api { error: variant(text.to_owned()), response: self },
            Err(source) => Error::InvalidText { response: self, source },
        }
    }
}

/// The request-id header's value in `headers`, when it is there and is visible ASCII.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    let name = crate::client::REQUEST_ID_HEADER?;
    headers.get(name)?.to_str().ok()
}

/// The body is shown as text, cut after 1 KiB. Headers that carry credentials
/// (`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and any value marked
/// sensitive) are listed with the value `[redacted]`, like an
/// [`Observer`](crate::Observer) never sees them.
impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.0.status)
            .field("headers", &RedactedHeaders(&self.0.headers))
            .field("body", &BodyPreview(&self.0.body))
            .finish()
    }
}

/// Headers as `Debug` shows them, credential values replaced by `[redacted]`.
struct RedactedHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if crate::observe::is_credential(name, value) {
                map.entry(&name, &format_args!("[redacted]"));
            } else {
                map.entry(&name, value);
            }
        }
        map.finish()
    }
}

struct BodyPreview<'a>(&'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&preview(self.0), f)
    }
}

/// The body as error messages show it: its [`preview`], or `(empty body)`.
fn shown(body: &[u8]) -> Cow<'_, str> {
    if body.is_empty() {
        Cow::Borrowed("(empty body)")
    } else {
        preview(body)
    }
}

/// At most 1 KiB of the body as text, cut at a character boundary, marked when cut.
fn preview(body: &[u8]) -> Cow<'_, str> {
    const LIMIT: usize = 1024;
    let text = String::from_utf8_lossy(body);
    if text.len() <= LIMIT {
        return text;
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}... ({} bytes in all)", &text[..end], body.len()))
}

/// Why an operation failed. `E` is the operation's enum of documented error statuses.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the spec documents for this operation;
    /// `error` holds its typed body.
    Api {
        /// The documented error, by status.
        error: E,
        /// The response it was read from.
        response: RawResponse,
    },
    /// The server answered with a status the spec does not document for this operation.
    UnexpectedStatus(RawResponse),
    /// The body does not match the schema the spec documents for its status.
    InvalidBody {
        /// The response, with the body that failed to parse.
        response: RawResponse,
        /// Where and why parsing failed.
        source: serde_json::Error,
    },
    /// A `text/*` body is not UTF-8.
    InvalidText {
        /// The response, with the body that failed to decode.
        response: RawResponse,
        /// Where decoding failed.
        source: std::str::Utf8Error,
    },
    /// A request value cannot be sent; nothing was sent.
    InvalidRequest(InvalidRequest),
    /// A request value breaks a constraint of the spec (`pattern`, `maxLength`,
    /// `minimum`, ...); nothing was sent. Checked unless the client was built with
    /// [`validate_requests(false)`](crate::ClientBuilder::validate_requests).
    Validation(ValidationError),
    /// The request did not complete within its timeout (connect or whole request), after
    /// any retries.
    Timeout(reqwest::Error),
    /// Connecting, sending the request or receiving the response failed, after any
    /// retries.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.response().map(RawResponse::status)
    }

    /// The raw response, when one was received.
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Error::Api { response, .. }
            | Error::UnexpectedStatus(response)
            | Error::InvalidBody { response, .. }
            | Error::InvalidText { response, .. } => Some(response),
            Error::InvalidRequest(_)
            | Error::Validation(_)
            | Error::Timeout(_)
            | Error::Transport(_) => None,
        }
    }

    /// The server's request id, when a response was received and carries one (see
    /// [`RawResponse::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.response().and_then(RawResponse::request_id)
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The documented error, when the status was one the spec documents.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { error, response } => {
                write!(f, "{error}: {}", shown(response.body()))
            }
            Error::UnexpectedStatus(response) => write!(
                f,
                "undocumented status {}: {}",
                response.status(),
                shown(response.body())
            ),
            Error::InvalidBody { response, source } => write!(
                f,
                "the {} response body does not match the spec: {source}: {}",
                response.status(),
                shown(response.body())
            ),
            Error::InvalidText { response, source } => write!(
                f,
                "the {} response body is not UTF-8 text: {source}: {}",
                response.status(),
                shown(response.body())
            ),
            Error::InvalidRequest(error) => write!(f, "{error}"),
            Error::Validation(error) => write!(f, "{error}"),
            Error::Timeout(error) => write!(f, "request timed out: {error}"),
            Error::Transport(error) => write!(f, "request failed: {error}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::InvalidBody { source, .. } => Some(source),
            Error::InvalidText { source, .. } => Some(source),
            Error::InvalidRequest(error) => Some(error),
            Error::Validation(error) => Some(error),
            Error::Timeout(error) | Error::Transport(error) => Some(error),
            Error::UnexpectedStatus(_) => None,
        }
    }
}

impl<E> From<InvalidRequest> for Error<E> {
    fn from(error: InvalidRequest) -> Self {
        Error::InvalidRequest(error)
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Error::Validation(error)
    }
}

/// A timeout becomes [`Error::Timeout`], any other failure [`Error::Transport`].
impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }
}

/// A request value that cannot be sent, found before any I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The parameter's name in the spec.
    pub parameter: &'static str,
    /// Why the value was refused.
    pub reason: String,
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid value for `{}`: {}", self.parameter, self.reason)
    }
}

impl std::error::Error for InvalidRequest {}

/// Why [`ClientBuilder::build`](crate::ClientBuilder::build) failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The underlying `reqwest::Client` could not be built.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            BuildError::Http(error) => write!(f, "cannot build the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(error) => Some(error),
            BuildError::InvalidBaseUrl { .. } => None,
        }
    }
}
