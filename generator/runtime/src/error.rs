//! Errors returned by every operation, and the raw response they keep.
//!
//! Each operation returns `Result<T, Error<E>>`, where `E` is that operation's own enum
//! of documented error statuses (for example `errors::GetSandboxError`). Whatever the
//! server sends, the status, headers and body stay reachable through
//! [`Error::response`].

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::redact::{Secrets, SHOWN_LIMIT};
use crate::validation::ValidationError;

/// A response exactly as received: status, headers and the whole body.
///
/// Boxed inside, so that `Result<T, Error<E>>` stays small on the success path. Its
/// `Debug` shows at most 1 KiB of the body, and never the client's credentials (see the
/// crate's security notes); [`body`](Self::body) and [`text`](Self::text) give the bytes
/// exactly as received.
#[derive(Clone)]
pub struct RawResponse(Box<ResponseParts>);

#[derive(Clone)]
struct ResponseParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The credentials of the client that received it, kept out of `Debug`/`Display`.
    secrets: Option<Arc<Secrets>>,
    /// The header that carries the server's request id (from the generator's settings).
    request_id_header: Option<&'static str>,
    /// The body with the secrets replaced, made once when first shown or decoded.
    redacted: std::sync::OnceLock<Vec<u8>>,
}

impl RawResponse {
    /// Builds a raw response; mostly useful to construct errors in tests.
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Self(Box::new(ResponseParts {
            status,
            headers,
            body: body.into(),
            secrets: None,
            request_id_header: None,
            redacted: std::sync::OnceLock::new(),
        }))
    }

    /// A response received by a client holding `secrets`, whose request ids come in
    /// `request_id_header`.
    pub(crate) fn received(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        secrets: &Arc<Secrets>,
        request_id_header: Option<&'static str>,
    ) -> Self {
        let secrets = (!secrets.is_empty()).then(|| Arc::clone(secrets));
        Self(Box::new(ResponseParts {
            status,
            headers,
            body,
            secrets,
            request_id_header,
            redacted: std::sync::OnceLock::new(),
        }))
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The body bytes, unparsed and exactly as received (a server that echoes the
    /// request's credentials echoes them here: this is the one place they are not
    /// redacted).
    pub fn body(&self) -> &Bytes {
        &self.0.body
    }

    /// The server's request id: the value of the request-id header named in the
    /// generator's settings (`client.request_id_header`), when the response has one.
    /// Quote it when reporting a problem to the API's operators.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.0.headers, self.0.request_id_header)
    }

    /// The body as text; invalid UTF-8 is replaced with U+FFFD.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0.body)
    }

    /// Status, headers and secrets, for the [`Response`](crate::Response) of a success.
    pub(crate) fn head(&self) -> crate::response::ResponseHead {
        crate::response::ResponseHead {
            status: self.0.status,
            headers: self.0.headers.clone(),
            secrets: self.0.secrets.clone(),
            request_id_header: self.0.request_id_header,
        }
    }

    /// The credentials to keep out of what this response shows.
    pub(crate) fn secrets(&self) -> Option<&Secrets> {
        self.0.secrets.as_deref()
    }

    /// The body with the client's credentials replaced by `[redacted]` (in every
    /// spelling, and in the decoded strings of a JSON body): what documented error bodies
    /// are decoded from, so a typed error never holds a secret, and what `Display` and
    /// `Debug` show.
    pub(crate) fn redacted_body(&self) -> &[u8] {
        match self.secrets() {
            Some(secrets) => self
                .0
                .redacted
                .get_or_init(|| secrets.redact_body(&self.0.body)),
            None => &self.0.body,
        }
    }

    /// Parses the body as the success type `T`. An empty body is read as `null`, so a
    /// success type that can be nothing (`Option`, JSON) takes it without an error.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        match serde_json::from_slice(json_or_null(&self.0.body)) {
            Ok(value) => Ok(value),
            Err(source) => {
                // serde_json's message can quote the body: take it from the redacted
                // body, since an error's `source` is printed without redaction.
                let redacted = self.redacted_body();
                let source = if redacted == &self.0.body[..] {
                    source
                } else {
                    serde_json::from_slice::<T>(redacted)
                        .err()
                        .unwrap_or(source)
                };
                Err(Error::InvalidBody {
                    response: self,
                    source,
                })
            }
        }
    }

    /// A status the operation does not document: a 2xx whose body is the success type `T`
    /// is a success (the server accepted the request); a 2xx of another shape is
    /// [`Error::UndocumentedSuccess`]; any other status [`Error::UnexpectedStatus`].
    pub(crate) fn otherwise_json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        if !self.status().is_success() {
            return Err(Error::UnexpectedStatus(self));
        }
        match serde_json::from_slice(json_or_null(&self.0.body)) {
            Ok(value) => Ok(value),
            Err(_) => Err(Error::UndocumentedSuccess(self)),
        }
    }

    /// As [`otherwise_json`](Self::otherwise_json), for an operation whose success has
    /// no body: any 2xx is a success.
    pub(crate) fn otherwise_unit<E>(self) -> Result<(), Error<E>> {
        if self.status().is_success() {
            Ok(())
        } else {
            Err(Error::UnexpectedStatus(self))
        }
    }

    /// As [`otherwise_json`](Self::otherwise_json), for an operation whose success is
    /// its declared headers: any 2xx is a success, read for them.
    pub(crate) fn otherwise_headers<H: crate::response::ResponseHeaders, E>(
        self,
    ) -> Result<H, Error<E>> {
        if self.status().is_success() {
            self.declared_headers()
        } else {
            Err(Error::UnexpectedStatus(self))
        }
    }

    /// As [`otherwise_json`](Self::otherwise_json), for a `text/*` success.
    pub(crate) fn otherwise_text<E>(self) -> Result<String, Error<E>> {
        if !self.status().is_success() {
            return Err(Error::UnexpectedStatus(self));
        }
        self.text_body()
    }

    /// As [`otherwise_json`](Self::otherwise_json), for a binary success.
    pub(crate) fn otherwise_bytes<E>(self) -> Result<Bytes, Error<E>> {
        if self.status().is_success() {
            Ok(self.0.body.clone())
        } else {
            Err(Error::UnexpectedStatus(self))
        }
    }

    /// As [`otherwise_json`](Self::otherwise_json), for an operation whose success
    /// responses differ by status: which outcome an undocumented 2xx is cannot be known.
    pub(crate) fn otherwise_unknown<T, E>(self) -> Result<T, Error<E>> {
        if self.status().is_success() {
            Err(Error::UndocumentedSuccess(self))
        } else {
            Err(Error::UnexpectedStatus(self))
        }
    }

    /// Parses the body as the documented error type `T` and wraps it with `variant`.
    pub(crate) fn api_error<T: DeserializeOwned, E>(
        self,
        variant: impl FnOnce(T) -> E,
    ) -> Error<E> {
        match serde_json::from_slice(self.redacted_body()) {
            Ok(value) => Error::Api {
                error: variant(value),
                response: self,
            },
            Err(source) => Error::InvalidBody {
                response: self,
                source,
            },
        }
    }

    /// The headers the spec declares for this (bodiless) success, as the operation's
    /// typed headers struct.
    pub(crate) fn declared_headers<H: crate::response::ResponseHeaders, E>(
        self,
    ) -> Result<H, Error<E>> {
        match H::from_headers(self.headers()) {
            Ok(headers) => Ok(headers),
            Err(source) => Err(Error::InvalidHeader {
                response: self,
                source,
            }),
        }
    }

    /// The body as the `text/*` success type.
    pub(crate) fn text_body<E>(self) -> Result<String, Error<E>> {
        match std::str::from_utf8(&self.0.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(source) => Err(Error::InvalidText {
                response: self,
                source,
            }),
        }
    }

    /// The body as a documented `text/*` error, wrapped with `variant`.
    pub(crate) fn api_error_text<E>(self, variant: impl FnOnce(String) -> E) -> Error<E> {
        let text = match std::str::from_utf8(self.redacted_body()) {
            Ok(text) => text.to_owned(),
            Err(source) => {
                return Error::InvalidText {
                    response: self,
                    source,
                }
            }
        };
        Error::Api {
            error: variant(text),
            response: self,
        }
    }

    /// The body as a documented binary error, wrapped with `variant`.
    pub(crate) fn api_error_bytes<E>(self, variant: impl FnOnce(Bytes) -> E) -> Error<E> {
        let body = Bytes::from(self.redacted_body().to_vec());
        Error::Api {
            error: variant(body),
            response: self,
        }
    }
}

/// `body`, or `null` when it is empty (whitespace only): a server that answers a
/// success with no body at all means "nothing", not "broken JSON".
fn json_or_null(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    }
}

/// The value of the request-id header `name` in `headers`, when it is there and is
/// visible ASCII.
pub(crate) fn request_id<'a>(headers: &'a HeaderMap, name: Option<&str>) -> Option<&'a str> {
    headers.get(name?)?.to_str().ok()
}

/// The body is shown as text, cut after 1 KiB. Headers that carry credentials
/// (`Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, any value marked
/// sensitive, and any value that contains one of the client's credentials) are listed
/// with the value `[redacted]`, like an [`Observer`](crate::Observer) never sees them.
impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets = self.secrets();
        f.debug_struct("RawResponse")
            .field("status", &self.0.status)
            .field(
                "headers",
                &RedactedHeaders {
                    headers: &self.0.headers,
                    secrets,
                },
            )
            .field(
                "body",
                &BodyPreview(self.redacted_body(), self.0.body.len()),
            )
            .finish()
    }
}

/// Headers as `Debug` shows them, credential values replaced by `[redacted]`.
pub(crate) struct RedactedHeaders<'a> {
    pub(crate) headers: &'a HeaderMap,
    pub(crate) secrets: Option<&'a Secrets>,
}

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.headers {
            if crate::observe::is_credential(name, value, self.secrets) {
                map.entry(&name, &format_args!("{}", crate::redact::REDACTED));
            } else {
                map.entry(&name, value);
            }
        }
        map.finish()
    }
}

/// A redacted body and the length of the body as received.
struct BodyPreview<'a>(&'a [u8], usize);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&preview(self.0, self.1), f)
    }
}

/// How many bytes of a body error messages and `Debug` show.
const PREVIEW_LIMIT: usize = 1024;

/// The body as error messages show it: its [`preview`], or `(empty body)`.
fn shown(response: &RawResponse) -> Cow<'_, str> {
    if response.body().is_empty() {
        Cow::Borrowed("(empty body)")
    } else {
        preview(response.redacted_body(), response.body().len())
    }
}

/// At most 1 KiB of the (redacted) body as text, cut at a character boundary, marked
/// with the received length when cut.
fn preview(redacted: &[u8], received: usize) -> Cow<'_, str> {
    let window = &redacted[..redacted.len().min(PREVIEW_LIMIT + 4)];
    let text = String::from_utf8_lossy(window);
    if text.len() <= PREVIEW_LIMIT && window.len() == redacted.len() {
        return text;
    }
    Cow::Owned(format!(
        "{}... ({received} bytes in all)",
        crate::redact::cut(&text, PREVIEW_LIMIT)
    ))
}

/// Why an operation failed. `E` is the operation's enum of documented error statuses.
///
/// `Display` and `Debug` show at most 4 KiB, with the client's credentials replaced by
/// `[redacted]` wherever they appear (a server may quote them back in a body or header).
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the spec documents for this operation;
    /// `error` holds its typed body (decoded with the client's credentials redacted).
    Api {
        /// The documented error, by status.
        error: E,
        /// The response it was read from.
        response: RawResponse,
    },
    /// The server answered with a status the spec does not document for this operation
    /// (and that is not a 2xx: see [`Error::UndocumentedSuccess`]). A redirect to another
    /// origin ends here too, with its `Location` header: it is not followed.
    UnexpectedStatus(RawResponse),
    /// The server **accepted** the request: it answered with a 2xx status the spec does
    /// not document for this operation, and a body that is not the documented success
    /// shape. The request most likely took effect, so do not retry it as a failure (a
    /// retried create may make a duplicate); the raw response has what the server said.
    UndocumentedSuccess(RawResponse),
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
    /// A response header the spec declares for this status is missing (when required)
    /// or does not parse as its type.
    InvalidHeader {
        /// The response.
        response: RawResponse,
        /// Which header, and what is wrong with it.
        source: crate::response::HeaderError,
    },
    /// The response body is longer than the client's limit (see
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// reading stopped there and the connection was dropped. `response` has the status,
    /// the headers and the first `limit` bytes of the body at most.
    ResponseTooLarge {
        /// The response, its body cut at the limit.
        response: RawResponse,
        /// The limit, in bytes.
        limit: u64,
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
            | Error::UndocumentedSuccess(response)
            | Error::InvalidBody { response, .. }
            | Error::InvalidText { response, .. }
            | Error::InvalidHeader { response, .. }
            | Error::ResponseTooLarge { response, .. } => Some(response),
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

    fn secrets(&self) -> Option<&Secrets> {
        self.response().and_then(RawResponse::secrets)
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let view = DebugView(self);
        if f.alternate() {
            crate::redact::write_shown(f, self.secrets(), SHOWN_LIMIT, format_args!("{view:#?}"))
        } else {
            crate::redact::write_shown(f, self.secrets(), SHOWN_LIMIT, format_args!("{view:?}"))
        }
    }
}

/// The structure of an [`Error`], before credentials are redacted and the text cut.
struct DebugView<'a, E>(&'a Error<E>);

impl<E: fmt::Debug> fmt::Debug for DebugView<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Api { error, response } => f
                .debug_struct("Api")
                .field("error", error)
                .field("response", response)
                .finish(),
            Error::UnexpectedStatus(response) => {
                f.debug_tuple("UnexpectedStatus").field(response).finish()
            }
            Error::UndocumentedSuccess(response) => f
                .debug_tuple("UndocumentedSuccess")
                .field(response)
                .finish(),
            Error::InvalidBody { response, source } => f
                .debug_struct("InvalidBody")
                .field("response", response)
                .field("source", source)
                .finish(),
            Error::InvalidText { response, source } => f
                .debug_struct("InvalidText")
                .field("response", response)
                .field("source", source)
                .finish(),
            Error::InvalidHeader { response, source } => f
                .debug_struct("InvalidHeader")
                .field("response", response)
                .field("source", source)
                .finish(),
            Error::ResponseTooLarge { response, limit } => f
                .debug_struct("ResponseTooLarge")
                .field("response", response)
                .field("limit", limit)
                .finish(),
            Error::InvalidRequest(error) => f.debug_tuple("InvalidRequest").field(error).finish(),
            Error::Validation(error) => f.debug_tuple("Validation").field(error).finish(),
            Error::Timeout(error) => f.debug_tuple("Timeout").field(error).finish(),
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets = self.secrets();
        let shown = |response: &RawResponse| shown(response).into_owned();
        let text = match self {
            Error::Api { error, response } => format_args!("{error}: {}", shown(response)).to_string(),
            Error::UnexpectedStatus(response) => {
                // A redirect that was not followed says where it pointed.
                let location = response
                    .status()
                    .is_redirection()
                    .then(|| response.headers().get(reqwest::header::LOCATION))
                    .flatten()
                    .map(|location| format!(" to {}", String::from_utf8_lossy(location.as_bytes())))
                    .unwrap_or_default();
                format!("undocumented status {}{location}: {}", response.status(), shown(response))
            }
            Error::UndocumentedSuccess(response) => format!(
                "the server accepted the request (status {}, not documented for this operation) but its body is not the documented success shape: {}",
                response.status(),
                shown(response)
            ),
            Error::InvalidBody { response, source } => format!(
                "the {} response body does not match the spec: {source}: {}",
                response.status(),
                shown(response)
            ),
            Error::InvalidText { response, source } => format!(
                "the {} response body is not UTF-8 text: {source}: {}",
                response.status(),
                shown(response)
            ),
            Error::InvalidHeader { response, source } => {
                format!("the {} response's {source}", response.status())
            }
            Error::ResponseTooLarge { response, limit } => format!(
                "the {} response body is longer than the limit of {limit} bytes; reading stopped there",
                response.status()
            ),
            Error::InvalidRequest(error) => error.to_string(),
            Error::Validation(error) => error.to_string(),
            Error::Timeout(error) => format!("request timed out: {error}"),
            Error::Transport(error) => format!("request failed: {error}"),
        };
        crate::redact::write_shown(f, secrets, SHOWN_LIMIT, format_args!("{text}"))
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::InvalidBody { source, .. } => Some(source),
            Error::InvalidText { source, .. } => Some(source),
            Error::InvalidHeader { source, .. } => Some(source),
            Error::InvalidRequest(error) => Some(error),
            Error::Validation(error) => Some(error),
            Error::Timeout(error) | Error::Transport(error) => Some(error),
            Error::UnexpectedStatus(_)
            | Error::UndocumentedSuccess(_)
            | Error::ResponseTooLarge { .. } => None,
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
        /// The URL as given, a password in it replaced by `[redacted]`.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A credential cannot be sent as the spec says (a control character or line break
    /// in a header value, a non-ASCII bearer token, ...). The value itself is never shown.
    InvalidCredential {
        /// Which credential, e.g. "the bearer token (security scheme `BearerAuth`)".
        credential: &'static str,
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
            BuildError::InvalidCredential { credential, reason } => {
                write!(f, "{credential} cannot be sent: {reason}")
            }
            BuildError::Http(error) => write!(f, "cannot build the HTTP client: {error}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(error) => Some(error),
            BuildError::InvalidBaseUrl { .. } | BuildError::InvalidCredential { .. } => None,
        }
    }
}
