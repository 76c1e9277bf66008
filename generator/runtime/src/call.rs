//! What every operation does alike, written once: a request builder ([`Request`]) over an
//! operation's parameters, building the HTTP request ([`Call`]), sending it and decoding
//! the response. A generated operation says only what is particular to it, by
//! implementing [`Operation`]: its path template and parameters with their styles, its
//! body, and its status-to-type table.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE, USER_AGENT};
use reqwest::{Method, Url};
use secrecy::ExposeSecret as _;
use serde::Serialize;

use crate::error::{BuildError, Error, InvalidRequest, RawResponse};
use crate::request::{self, PathValue, Style};
use crate::response::Response;
use crate::retry::RetryPolicy;
use crate::transport::{self, Config, RequestOptions};
use crate::validation::ValidationError;

/// A credential the client sends with every request, as its security scheme says.
#[derive(Clone)]
pub(crate) enum Credential {
    /// A whole header value (`Bearer <token>`, `Basic <base64>`, an API key), sent
    /// marked sensitive.
    Header(HeaderName, secrecy::SecretString),
    /// A query parameter (an API key).
    Query(&'static str, secrecy::SecretString),
    /// A cookie (an API key), in a `Cookie` header marked sensitive.
    Cookie(&'static str, secrecy::SecretString),
}

/// What a client holds: the HTTP client, the base URL, its credentials and settings.
/// Shared by clones of a client.
#[derive(Clone)]
pub(crate) struct Core {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) credentials: Arc<[Credential]>,
    pub(crate) config: Arc<Config>,
    /// The headers every request starts with: basic credentials from the base URL's user
    /// info, the `User-Agent`, the default headers and the header and cookie
    /// credentials, in that order (a later one replaces an earlier
    /// header of the same name; cookies add up). Why made once here: building them per
    /// request was a third of what the client spends beyond a plain `reqwest` call
    /// (`cargo xtask bench client`); each request copies this map.
    headers: Arc<HeaderMap>,
    /// `base_url` without its user info, which `headers` sends as basic credentials.
    request_base: Url,
}

impl Core {
    /// The core of a client, its per-request headers made once.
    ///
    /// # Errors
    /// [`BuildError::InvalidCredential`] when a header or cookie credential is not a
    /// valid header value (`build` checks each credential with a clearer reason first).
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: Url,
        credentials: Vec<Credential>,
        config: Config,
    ) -> Result<Self, BuildError> {
        let sensitive = |text: &str| {
            HeaderValue::from_str(text)
                .map(|mut value| {
                    value.set_sensitive(true);
                    value
                })
                .map_err(|_| BuildError::InvalidCredential {
                    credential: "a header or cookie credential",
                    reason: "it is not a valid header value".to_string(),
                })
        };
        let mut headers = HeaderMap::new();
        let (request_base, user_info) = request::split_user_info(&base_url);
        if let Some(user_info) = user_info {
            headers.insert(AUTHORIZATION, sensitive(&user_info)?);
        }
        // The user agent is the generated crate's name and version: always a valid value.
        if let Ok(user_agent) = HeaderValue::from_str(config.user_agent) {
            headers.insert(USER_AGENT, user_agent);
        }
        // As reqwest's `RequestBuilder::headers` merges a map: a name already here is
        // replaced where it stands, its other values appended.
        for name in config.default_headers.keys() {
            let mut values = config.default_headers.get_all(name).iter();
            if let Some(first) = values.next() {
                headers.insert(name.clone(), first.clone());
            }
            for value in values {
                headers.append(name.clone(), value.clone());
            }
        }
        // Cookie credentials, then header credentials (each replacing a header of its
        // name where it stands), in the order reqwest's builder methods added them.
        for credential in &credentials {
            if let Credential::Cookie(name, value) = credential {
                let cookie = format!("{name}={}", value.expose_secret());
                headers.append(COOKIE, sensitive(&cookie)?);
            }
        }
        for credential in &credentials {
            if let Credential::Header(name, value) = credential {
                headers.insert(name.clone(), sensitive(value.expose_secret())?);
            }
        }
        Ok(Core {
            http,
            base_url,
            credentials: credentials.into(),
            config: Arc::new(config),
            headers: Arc::new(headers),
            request_base,
        })
    }

    /// A request builder for operation `params` on this client.
    pub(crate) fn request<P>(&self, params: P) -> Request<'_, P> {
        Request {
            core: self,
            params,
            options: RequestOptions::default(),
        }
    }

    /// Writes the client's fields for `Debug`: credentials by kind only, never a value.
    pub(crate) fn debug_fields(&self, f: &mut fmt::DebugStruct<'_, '_>) {
        let credentials: Vec<&str> = self
            .credentials
            .iter()
            .map(|credential| match credential {
                Credential::Header(name, _) => name.as_str(),
                Credential::Query(name, _) | Credential::Cookie(name, _) => name,
            })
            .collect();
        f.field(
            "base_url",
            &request::without_password(self.base_url.as_str()),
        )
        .field("credentials", &credentials)
        .field("config", &self.config);
    }
}

/// One operation of the API: implemented by each operation's parameters in the generated
/// `operations` module. [`Request`] does the rest.
pub trait Operation: Sized {
    /// What a successful call returns.
    type Output;
    /// The operation's enum of documented error statuses.
    type Error;
    /// The spec's `operationId`, shown to observers.
    const OPERATION_ID: &'static str;
    /// Whether sending it twice is as good as once (HTTP method, or the settings).
    const IDEMPOTENT: bool;

    /// Checks the values against the spec's constraints (when the client validates).
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }

    /// The HTTP request: method, path, parameters and body.
    #[doc(hidden)]
    fn build<'c>(&self, call: Call<'c>) -> Result<Call<'c>, InvalidRequest>;

    /// The response, by status: the success value or the documented error.
    #[doc(hidden)]
    fn decode(response: RawResponse) -> Result<Self::Output, Error<Self::Error>>;
}

/// A request builder: an operation's parameters and per-call options, from a `Client`
/// method. Set optional parameters with its methods, then `.await` it (or call
/// [`send`](Self::send)).
#[must_use = "a request builder does nothing until it is awaited or sent"]
pub struct Request<'a, P> {
    core: &'a Core,
    pub(crate) params: P,
    options: RequestOptions,
}

impl<P: Clone> Clone for Request<'_, P> {
    fn clone(&self) -> Self {
        Request {
            core: self.core,
            params: self.params.clone(),
            options: self.options.clone(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for Request<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("params", &self.params)
            .field("options", &self.options)
            .finish()
    }
}

impl<'a, P> Request<'a, P> {
    /// The client, the parameters and the per-call options.
    pub(crate) fn into_parts(self) -> (&'a Core, P, RequestOptions) {
        (self.core, self.params, self.options)
    }
}

impl<'a, P: Operation> Request<'a, P> {
    /// Retries this call by `policy` instead of the client's retry policy, e.g.
    /// `RetryPolicy::never()`, or `RetryPolicy::default().retry_non_idempotent(true)` to
    /// retry a create you know is safe to repeat.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sets the whole-request timeout of each attempt of this call, instead of the
    /// client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sets the longest response body read for this call, in bytes, instead of the
    /// client's (16 MiB unless set).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.options.max_response_bytes = Some(limit);
        self
    }

    /// Sends the request and reads the response.
    ///
    /// # Errors
    /// [`Error::Api`] for an error status the spec documents (the operation's error enum
    /// by status), [`Error::UndocumentedSuccess`] for an undocumented 2xx whose body is
    /// not the success shape (the request was accepted), [`Error::UnexpectedStatus`] for
    /// any other status, [`Error::InvalidBody`] when a body does not match the spec,
    /// [`Error::ResponseTooLarge`] over the size limit, [`Error::Timeout`] and
    /// [`Error::Transport`] (after any retries), [`Error::Validation`] when a value
    /// breaks the spec's constraints, [`Error::InvalidRequest`] when a value cannot be
    /// sent (a path parameter that would be empty, `.` or `..`; a header value with a
    /// line break).
    pub fn send(self) -> impl Future<Output = Result<P::Output, Error<P::Error>>> + 'a
    where
        P: 'a,
    {
        // The response's head is not kept: no copy of its headers.
        receive(self, P::decode)
    }

    /// Like [`send`](Self::send), keeping the response's status and headers (and so its
    /// request id) beside the value.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_with_response(
        self,
    ) -> impl Future<Output = Result<Response<P::Output>, Error<P::Error>>> + 'a
    where
        P: 'a,
    {
        receive(self, |response| {
            let head = response.head();
            P::decode(response).map(|value| Response::new(value, head))
        })
    }
}

/// Validates, builds and sends `request`, reads the whole response and hands it to
/// `decode`. A function, not a method: `Request`'s method names are reserved from the
/// spec's parameter names.
///
/// The values are validated where the request is built, before the first attempt
/// sends anything (and again before a retry: the same values, the same answer), so
/// that the call's future holds the parameters once (see [`transport::execute`]).
fn receive<'a, P, T>(
    request: Request<'a, P>,
    decode: impl FnOnce(RawResponse) -> Result<T, Error<P::Error>> + 'a,
) -> impl Future<Output = Result<T, Error<P::Error>>> + 'a
where
    P: Operation + 'a,
{
    let Request {
        core,
        params,
        options,
    } = request;
    let validate = core.config.validate_requests;
    let build = move || {
        if validate {
            params.validate()?;
        }
        Ok(params.build(Call::start(core))?.finish()?)
    };
    let call = transport::Call {
        operation_id: P::OPERATION_ID,
        idempotent: P::IDEMPOTENT,
    };
    transport::execute(&core.http, &core.config, build, call, options, decode)
}

impl<'a, P> IntoFuture for Request<'a, P>
where
    P: Operation + Send + 'a,
    P::Output: Send + 'a,
    P::Error: Send + 'a,
{
    type Output = Result<P::Output, Error<P::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The HTTP request of one call, as an operation builds it: `method` first (method
/// and path), then parameters and body in any order.
pub struct Call<'c> {
    core: &'c Core,
    request: Option<reqwest::RequestBuilder>,
    cookies: Vec<(String, String)>,
}

impl<'c> Call<'c> {
    pub(crate) fn start(core: &'c Core) -> Self {
        Call {
            core,
            request: None,
            cookies: Vec::new(),
        }
    }

    /// Sets the method and the path: the base URL plus the path `template` as the spec
    /// writes it, each `{name}` filled with the next of `values`, percent-encoded: text in
    /// `simple` style, or a [`request::path_value`] laid out by its style. Adds the
    /// `User-Agent`, the default headers and the client's credentials, in that order (a
    /// later one replaces an earlier header of the same name).
    pub(crate) fn method(
        mut self,
        method: Method,
        template: &'static str,
        values: &[&dyn PathValue],
    ) -> Result<Self, InvalidRequest> {
        let core = self.core;
        let url = request::endpoint(&core.request_base, template, values)?;
        let mut request = reqwest::Request::new(method, url);
        // Copied into a map with room for what is added later (reqwest's `Accept`, hyper's
        // `Host`, the operation's header parameters): a clone is sized to the client's
        // headers exactly, and growing it is a `realloc`, which takes the allocator's lock.
        let headers = request.headers_mut();
        *headers = HeaderMap::with_capacity(core.headers.len() + 4);
        for (name, value) in core.headers.iter() {
            headers.append(name.clone(), value.clone());
        }
        let mut builder = reqwest::RequestBuilder::from_parts(core.http.clone(), request);
        for credential in core.credentials.iter() {
            if let Credential::Query(name, value) = credential {
                builder = builder.query(&[(name, value.expose_secret())]);
            }
        }
        self.request = Some(builder);
        Ok(self)
    }

    /// Applies `change` to the request; before [`method`](Self::method) there is none
    /// yet, and the call fails when sent.
    fn with(
        mut self,
        change: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Self {
        self.request = self.request.take().map(change);
        self
    }

    /// Adds query parameter `name` laid out by `style`; `None` (JSON `null`) adds nothing.
    pub(crate) fn query<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Result<Self, InvalidRequest> {
        let pairs = request::query_pairs(name, value, style)?;
        Ok(if pairs.is_empty() {
            self
        } else {
            self.with(|request| request.query(&pairs))
        })
    }

    /// Adds header parameter `name` in `simple` style; `None` adds nothing.
    pub(crate) fn header<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Result<Self, InvalidRequest> {
        match request::header_value(name, value, style)? {
            Some(value) => Ok(self.with(|request| request.header(name, value))),
            None => Ok(self),
        }
    }

    /// Adds cookie parameter `name` laid out by `style`; `None` adds nothing. All cookies
    /// go in one `Cookie` header, each value percent-encoded.
    pub(crate) fn cookie<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Result<Self, InvalidRequest> {
        self.cookies
            .extend(request::query_pairs(name, value, style)?);
        Ok(self)
    }

    /// A JSON body (`Content-Type: application/json`), when there is one.
    pub(crate) fn json<T: Serialize + ?Sized>(
        self,
        body: Option<&T>,
    ) -> Result<Self, InvalidRequest> {
        Ok(match body {
            Some(body) => self.with(|request| request.json(body)),
            None => self,
        })
    }

    /// A JSON body sent as another JSON media type (`application/merge-patch+json`,
    /// `application/vnd.api+json`, ...), with that exact `Content-Type`.
    ///
    /// # Errors
    /// A body serde cannot write as JSON (a map with non-string keys).
    pub(crate) fn json_as<T: Serialize + ?Sized>(
        self,
        media_type: &'static str,
        body: Option<&T>,
    ) -> Result<Self, InvalidRequest> {
        let Some(body) = body else {
            return Ok(self);
        };
        let bytes = serde_json::to_vec(body).map_err(|error| InvalidRequest {
            parameter: "body",
            reason: error.to_string(),
        })?;
        Ok(self.with(|request| {
            request
                .header(reqwest::header::CONTENT_TYPE, media_type)
                .body(bytes)
        }))
    }

    /// An `application/x-www-form-urlencoded` body, when there is one.
    pub(crate) fn form<T: Serialize + ?Sized>(
        self,
        body: Option<&T>,
    ) -> Result<Self, InvalidRequest> {
        Ok(match body {
            Some(body) => {
                let pairs = request::form_pairs(body)?;
                self.with(|request| request.form(&pairs))
            }
            None => self,
        })
    }

    /// A text or binary body sent as `content_type`, when there is one.
    ///
    /// # Errors
    /// A `content_type` (the caller's, for a binary body) that no header can carry.
    pub(crate) fn bytes<T: Clone + Into<reqwest::Body>>(
        self,
        content_type: &str,
        body: Option<&T>,
    ) -> Result<Self, InvalidRequest> {
        let Some(body) = body else {
            return Ok(self);
        };
        let content_type = HeaderValue::from_str(content_type).map_err(|_| InvalidRequest {
            parameter: "Content-Type",
            reason: "not a valid header value".to_string(),
        })?;
        let body = body.clone();
        Ok(self.with(|request| {
            request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body)
        }))
    }

    /// A `multipart/form-data` body, when there is one.
    pub(crate) fn multipart(
        self,
        form: Option<reqwest::multipart::Form>,
    ) -> Result<Self, InvalidRequest> {
        Ok(match form {
            Some(form) => self.with(|request| request.multipart(form)),
            None => self,
        })
    }

    /// The request, cookies joined into their header.
    pub(crate) fn finish(self) -> Result<reqwest::RequestBuilder, InvalidRequest> {
        let Some(mut request) = self.request else {
            return Err(InvalidRequest {
                parameter: "path",
                reason: "the operation set no method and path".to_string(),
            });
        };
        if !self.cookies.is_empty() {
            let header: HeaderValue = request::cookie_header(&self.cookies)?;
            request = request.header(COOKIE, header);
        }
        Ok(request)
    }
}
